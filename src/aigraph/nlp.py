"""The spaCy pipeline: a blank Chinese pipeline segmented by jieba, plus aigraph's components.

It is built in one place, once per process (:func:`get_nlp`). jieba keeps its user dictionary
in process-global state, so the gazetteer's names are re-applied to jieba every time a
pipeline is built: a pipeline loaded from disk or built in a fresh worker process would
otherwise segment names differently.

Components (registered in :mod:`aigraph.recognise` under versioned names):

- ``aigraph_gazetteer_v1``: names from the public gazetteers (places, zones, agencies,
  universities, firms, industries, regions);
- ``aigraph_name_patterns_v1``: names nobody listed, from their suffixes and shapes (firms,
  parks, platforms, institutions, agencies, policies, people with titles);
- ``aigraph_mention_selector_v1``: resolves overlapping candidates into the final mentions,
  stored in ``doc.spans["aigraph"]`` and, with exact character offsets, ``doc._.mentions``.

Examples
--------
>>> nlp = get_nlp()
>>> doc = nlp("合肥市投资促进局推介中国声谷。")
>>> sorted((m.text, m.label) for m in doc._.mentions)
[('中国声谷', 'Park'), ('合肥市投资促进局', 'Agency')]
"""

from __future__ import annotations

import functools
import logging

import jieba
import spacy
from spacy.lang.zh import ChineseTokenizer
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from .gazetteers import load_gazetteer

#: Component names, versioned (spaCy does not allow dots in factory names, so the version is
#: the last underscore-separated part).
PIPELINE_COMPONENTS = (
    "aigraph_gazetteer_v1",
    "aigraph_name_patterns_v1",
    "aigraph_mention_selector_v1",
)


def apply_user_words() -> int:
    """Teach jieba the gazetteer's names so names are not split across tokens.

    Returns the number of words added. Must run for every pipeline built, because jieba's
    dictionary is process-global and is not saved with a spaCy pipeline.
    """
    jieba.setLogLevel(logging.WARNING)
    words = load_gazetteer().jieba_words()
    for word in words:
        jieba.add_word(word)
    return len(words)


def words_and_spaces(words: list[str], text: str) -> tuple[list[str], list[bool]]:
    """spaCy's ``util.get_words_and_spaces`` for words that concatenate to ``text``.

    jieba yields every character of its input, so the words need no searching: one pass
    folds a single space after a word into that word's ``space`` flag and joins any other
    whitespace into tokens of its own, exactly as spaCy does. spaCy's general version looks
    each word up in the rest of the text (``text[pos:].index(word)``), which copies the tail
    of the article once per token: quadratic in the article's length.
    """
    out_words: list[str] = []
    out_spaces: list[bool] = []
    pending = ""  # whitespace not yet given to a token
    for word in words:
        if word.isspace():
            if pending == "" and word == " " and out_words and not out_spaces[-1]:
                # a single space right after a word is that word's trailing space
                out_spaces[-1] = True
                continue
            pending += word
            continue
        if pending:
            out_words.append(pending)
            out_spaces.append(False)
            pending = ""
        out_words.append(word)
        out_spaces.append(False)
    if pending:
        out_words.append(pending)
        out_spaces.append(False)
    return out_words, out_spaces


class JiebaTokenizer(ChineseTokenizer):
    """spaCy's Chinese tokenizer with the jieba segmenter, building the Doc in linear time.

    The segmentation is spaCy's own (``jieba.cut``, accurate mode, with jieba's HMM: without
    it unknown brands such as 旭创 and 微清 fall apart into single characters and the firm
    names built on them are lost); only the alignment of words to text is cheaper.
    """

    def __init__(self, vocab: Vocab) -> None:
        super().__init__(vocab, segmenter="jieba")

    def __call__(self, text: str) -> Doc:
        words = [w for w in jieba.cut(text, cut_all=False) if w]
        if "".join(words) == text:
            words, spaces = words_and_spaces(words, text)
        else:  # jieba always yields every character; spaCy's general alignment otherwise
            words, spaces = spacy.util.get_words_and_spaces(words, text)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        # the tokens' texts, which the components' TokenIndex would otherwise slice again
        doc.user_data["aigraph_token_texts"] = words
        return doc


@spacy.registry.tokenizers("aigraph.jieba_tokenizer.v1")
def create_jieba_tokenizer():  # noqa: ANN201 - a spaCy tokenizer factory
    """The tokenizer factory of aigraph's pipeline (see :class:`JiebaTokenizer`)."""

    def factory(nlp: Language) -> JiebaTokenizer:
        return JiebaTokenizer(nlp.vocab)

    return factory


def build_nlp() -> Language:
    """Build a new pipeline (prefer :func:`get_nlp`, which builds it once per process)."""
    from . import recognise  # noqa: F401  (registers the components)

    apply_user_words()
    nlp = spacy.blank(
        "zh", config={"nlp": {"tokenizer": {"@tokenizers": "aigraph.jieba_tokenizer.v1"}}}
    )
    for name in PIPELINE_COMPONENTS:
        nlp.add_pipe(name)
    return nlp


@functools.lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The process's pipeline, built on first use."""
    return build_nlp()
