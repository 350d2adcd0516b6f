"""Evidence records: the sentence a relation or fact was read from, located in the original file."""

from __future__ import annotations

from .records import Article, Evidence, Sentence


def make_evidence(article: Article, sentence: Sentence, rule: str, confidence: float) -> Evidence:
    """Evidence for something read from ``sentence`` of ``article`` by ``rule``.

    The quote is the original text behind the sentence (Traditional script, glosses and all,
    exactly as in the file), with its character offsets in the decoded original.

    Examples
    --------
    >>> from aigraph.records import Article, Sentence
    >>> a = Article(source="a.txt", doc="a.txt", sha256="0" * 64, encoding="utf-8",
    ...             original="xx中國聲谷。", body="中国声谷。", offsets=(2, 3, 4, 5, 6),
    ...             sentences=(Sentence(0, 0, 5, "中国声谷。"),))
    >>> ev = make_evidence(a, a.sentences[0], "aigraph.test.v1", 0.9)
    >>> (ev.quote, ev.start, ev.end)
    ('中國聲谷。', 2, 7)
    """
    start, end = article.original_span(sentence.start, sentence.end)
    return Evidence(
        doc=article.doc,
        article_sha256=article.sha256,
        sentence=sentence.text,
        quote=article.original[start:end],
        start=start,
        end=end,
        rule=rule,
        confidence=round(float(confidence), 3),
    )
