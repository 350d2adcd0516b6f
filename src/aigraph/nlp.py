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
from spacy.language import Language

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


def build_nlp() -> Language:
    """Build a new pipeline (prefer :func:`get_nlp`, which builds it once per process)."""
    from . import recognise  # noqa: F401  (registers the components)

    apply_user_words()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    for name in PIPELINE_COMPONENTS:
        nlp.add_pipe(name)
    return nlp


@functools.lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The process's pipeline, built on first use."""
    return build_nlp()
