"""Extraction: articles in, entities, relations and facts (with evidence) out.

Examples
--------
>>> from aigraph.ingest import read_article
>>> ex = extract_article(read_article("seeds/002_e8f21e8878007edf.txt"))  # doctest: +SKIP
>>> [e.name for e in ex.entities if e.type == "Firm"]  # doctest: +SKIP
['科大讯飞股份有限公司', '小米']
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from spacy.language import Language

from .config import Settings
from .facts import find_facts
from .ingest import read_articles
from .nlp import get_nlp
from .records import Article, BatchReport, Entity, Extraction, Mention
from .relate import find_relations
from .resolve import resolve_article

#: Articles extracted together by :func:`extract_articles`: each step runs over the whole
#: batch before the next, so jieba's dictionary and the components' tables stay in the CPU's
#: caches (one article at a time, each step evicted the last one's: 10-12 % slower over
#: 1,000 articles).
BATCH_SIZE = 16
#: A batch also ends once it holds this many characters: a spaCy Doc costs about 300 bytes
#: a character, and 16 of the largest files aigraph reads (5 MB each) would need gigabytes.
BATCH_CHARS = 200_000


def find_mentions(article: Article, nlp: Language | None = None) -> list[Mention]:
    """Mentions of the article body, each with the index of its sentence."""
    return find_mentions_batch([article], nlp)[0]


def find_mentions_batch(
    articles: Sequence[Article], nlp: Language | None = None
) -> list[list[Mention]]:
    """:func:`find_mentions` of several articles: all are segmented, then each component runs
    over all of them (spaCy's own batching, with the steps kept apart)."""
    nlp = nlp or get_nlp()
    docs = []
    for article in articles:
        doc = nlp.make_doc(article.body)
        doc.user_data["aigraph_text"] = article.body  # spares the components rebuilding Doc.text
        doc.user_data["aigraph_mentions_only"] = True  # no doc.spans: nothing here reads them
        # the selector gives each mention its sentence index (None across a sentence boundary)
        doc.user_data["aigraph_sentences"] = (
            [s.start for s in article.sentences],
            [s.end for s in article.sentences],
        )
        docs.append(doc)
    for _, component in nlp.pipeline:
        docs = [component(doc) for doc in docs]
    # a mention across a sentence boundary is not a name
    return [[m for m in doc._.mentions if m.sentence is not None] for doc in docs]


_DEFINITION_RE = re.compile(
    r"[(（]\s*(?:以下)?简称[为:：]?\s*[“\"‘]?([^()（）“”\"‘’,，。]{2,20})[”\"’]?\s*[)）]"
)


def defined_mentions(article: Article, mentions: list[Mention]) -> list[Mention]:
    """Every use of a short name the article defines (``(以下简称人工智能试验区)``).

    The short name takes the type of the thing it names (the mention right before the
    definition); its later uses become mentions of that thing, replacing any smaller mention
    inside them.
    """
    body = article.body
    out = list(mentions)
    for m in _DEFINITION_RE.finditer(body):
        short = m.group(1)
        before = [x for x in mentions if x.end <= m.start() and m.start() - x.end <= 20]
        if not before:
            continue
        defined = max(before, key=lambda x: x.end)
        for occ in re.finditer(re.escape(short), body):
            s, e = occ.span()
            idx = bisect_right([x.start for x in article.sentences], s) - 1
            if idx < 0 or e > article.sentences[idx].end:
                continue
            if any(x.start < e and s < x.end and (x.end - x.start) >= (e - s) for x in out):
                continue
            out = [x for x in out if not (s <= x.start and x.end <= e)]
            out.append(
                Mention(
                    text=body[s:e],
                    label=defined.label,
                    start=s,
                    end=e,
                    rule="aigraph.resolve.definition.v1",
                    sentence=idx,
                )
            )
    return sorted(out, key=lambda x: (x.start, x.end))


def outermost(mentions: list[Mention]) -> list[Mention]:
    """The mentions not inside another (longer) mention."""
    out: list[Mention] = []
    ordered = sorted(mentions, key=lambda m: (m.start, -(m.end - m.start)))
    reach_end = -1  # end of the longest mention seen so far that started earlier
    reach_len = 0
    for m in ordered:
        inside = m.end <= reach_end and (m.end - m.start) < reach_len
        if not inside:
            out.append(m)
        if m.end > reach_end:
            reach_end, reach_len = m.end, m.end - m.start
    return sorted(out, key=lambda m: (m.start, m.end))


def extract_article(article: Article, nlp: Language | None = None) -> Extraction:
    """Recognise, resolve and relate one article."""
    return next(extract_articles([article], nlp))


def extract_articles(
    articles: Iterable[Article], nlp: Language | None = None, batch_size: int = BATCH_SIZE
) -> Iterator[Extraction]:
    """:func:`extract_article` of each article, in order, ``batch_size`` articles (at most
    :data:`BATCH_CHARS` characters) at a time: the same output, faster (see
    :data:`BATCH_SIZE`). An error in one article ends the iteration before any article of its
    batch is yielded."""
    nlp = nlp or get_nlp()
    for batch in _batches(articles, max(1, batch_size)):
        found = find_mentions_batch(batch, nlp)
        mentions = [defined_mentions(a, m) for a, m in zip(batch, found, strict=True)]
        resolved = [resolve_article(a, m) for a, m in zip(batch, mentions, strict=True)]
        for article, (entities, keyed) in zip(batch, resolved, strict=True):
            yield _related(article, entities, keyed)


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    chars = 0
    for article in articles:
        batch.append(article)
        chars += len(article.body)
        if len(batch) >= size or chars >= BATCH_CHARS:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def _related(article: Article, entities: list[Entity], keyed: list[Mention]) -> Extraction:
    """The extraction of an article whose mentions are resolved: relations and facts added."""
    relations, created = find_relations(article, keyed, entities)
    # Facts are about whole named things: a city named inside a cluster's name (杭州 in
    # 杭州数字安防集群) is not the subject of the cluster's numbers.
    facts = find_facts(article, outermost(keyed))
    by_key: dict[str, Entity] = {e.key: e for e in entities}
    for e in created:
        by_key.setdefault(e.key, e)
    return Extraction(
        article=article,
        entities=tuple(by_key[k] for k in sorted(by_key)),
        relations=tuple(relations),
        facts=tuple(facts),
    )


def extract_paths(
    paths: Sequence[str | Path], settings: Settings | None = None, report: BatchReport | None = None
) -> Iterator[Extraction]:
    """Read and extract every article under ``paths`` (skipped files go to ``report``).

    Articles are read a batch ahead of the extractions yielded (see :func:`extract_articles`),
    so ``report`` is complete once the iterator is exhausted, and may name skipped files of the
    next batch before then. :func:`aigraph.pipeline.extract_files` records them in order.
    """
    yield from extract_articles(read_articles(paths, settings, report), get_nlp())


def to_contract(ex: Extraction) -> dict:
    """One article's extraction in the contract's JSON Lines shape (shared/eval/GUIDELINE.md)."""
    names = {e.key: e.name for e in ex.entities}
    entities = [
        {"name": e.name, "type": e.type, "aliases": list(e.aliases)}
        for e in sorted(ex.entities, key=lambda e: (e.type, e.name))
    ]
    relations = []
    for r in ex.relations:
        rec = {
            "head": names.get(r.head, r.head.split(":", 1)[1]),
            "relation": r.relation,
            "tail": names.get(r.tail, r.tail.split(":", 1)[1]),
            "evidence": r.evidence[0].sentence if r.evidence else "",
        }
        if r.role:
            rec["role"] = r.role
        relations.append(rec)
    facts = []
    for f in ex.facts:
        rec = {
            "subject": names.get(f.subject, f.subject.split(":", 1)[1]),
            "metric": f.metric,
            "value": f.value,
            "unit": f.unit,
            "year": f.year,
        }
        if f.bound:
            rec["bound"] = f.bound
        facts.append(rec)
    return {"doc": ex.article.doc, "entities": entities, "relations": relations, "facts": facts}


def contract_lines(extractions: Iterable[Extraction]) -> list[str]:
    """JSON Lines of the contract, one article a line, in the order given."""
    import json

    return [json.dumps(to_contract(ex), ensure_ascii=False, sort_keys=True) for ex in extractions]


def extraction_table(extractions: Iterable[Extraction]) -> str:
    """A readable listing: per article, entities by type, relations and facts."""
    lines: list[str] = []
    for ex in extractions:
        names = {e.key: e.name for e in ex.entities}
        lines.append(
            f"== {ex.article.doc}: {len(ex.entities)} entities, {len(ex.relations)} relations, "
            f"{len(ex.facts)} facts"
        )
        for e in sorted(ex.entities, key=lambda e: (e.type, e.name)):
            alias = f"  (= {', '.join(e.aliases)})" if e.aliases else ""
            lines.append(f"  {e.type:<12}{e.name}{alias}")
        for r in ex.relations:
            role = f" [{r.role}]" if r.role else ""
            lines.append(
                f"  {names.get(r.head, r.head)} --{r.relation}{role}--> {names.get(r.tail, r.tail)}"
                f"  ({len(r.evidence)} evidence)"
            )
        for f in ex.facts:
            bound = f" ({f.bound})" if f.bound else ""
            lines.append(
                f"  {names.get(f.subject, f.subject)} {f.metric} = {f.value:g} {f.unit}{bound}, "
                f"year {f.year if f.year is not None else '?'}"
            )
    return "\n".join(lines)
