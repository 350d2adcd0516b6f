"""Extraction: articles in, entities, relations and facts (with evidence) out.

Examples
--------
>>> from aigraph.ingest import read_article
>>> ex = extract_article(read_article("seeds/002_e8f21e8878007edf.txt"))  # doctest: +SKIP
>>> [e.name for e in ex.entities if e.type == "Firm"]  # doctest: +SKIP
['科大讯飞股份有限公司', '小米']
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from spacy.language import Language

from .config import Settings
from .facts import find_facts
from .ingest import read_articles
from .nlp import get_nlp
from .records import Article, BatchReport, Entity, Extraction, Mention
from .relate import find_relations
from .resolve import resolve_article


def find_mentions(article: Article, nlp: Language | None = None) -> list[Mention]:
    """Mentions of the article body, each with the index of its sentence."""
    nlp = nlp or get_nlp()
    doc = nlp(article.body)
    starts = [s.start for s in article.sentences]
    out = []
    for m in doc._.mentions:
        idx = bisect_right(starts, m.start) - 1
        if idx < 0 or m.end > article.sentences[idx].end:
            # a mention across a sentence boundary is not a name
            continue
        out.append(replace(m, sentence=idx))
    return out


def extract_article(article: Article, nlp: Language | None = None) -> Extraction:
    """Recognise, resolve and relate one article."""
    mentions = find_mentions(article, nlp)
    entities, keyed = resolve_article(article, mentions)
    relations, created = find_relations(article, keyed, entities)
    facts = find_facts(article, keyed)
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
    """Read and extract every article under ``paths`` (skipped files go to ``report``)."""
    nlp = get_nlp()
    for article in read_articles(paths, settings, report):
        yield extract_article(article, nlp)


def to_contract(ex: Extraction) -> dict:
    """One article's extraction in the contract's JSON Lines shape (shared/eval/GUIDELINE.md)."""
    names = {e.key: e.name for e in ex.entities}
    entities = [
        {"name": e.name, "type": e.type, "aliases": list(e.aliases)}
        for e in sorted(ex.entities, key=lambda e: (e.type, e.name))
    ]
    relations = []
    for r in ex.relations:
        rec = {"head": names.get(r.head, r.head.split(":", 1)[1]), "relation": r.relation,
               "tail": names.get(r.tail, r.tail.split(":", 1)[1]),
               "evidence": r.evidence[0].sentence if r.evidence else ""}
        if r.role:
            rec["role"] = r.role
        relations.append(rec)
    facts = []
    for f in ex.facts:
        rec = {"subject": names.get(f.subject, f.subject.split(":", 1)[1]), "metric": f.metric,
               "value": f.value, "unit": f.unit, "year": f.year}
        if f.bound:
            rec["bound"] = f.bound
        facts.append(rec)
    return {"doc": ex.article.doc, "entities": entities, "relations": relations, "facts": facts}


def contract_lines(extractions: Iterable[Extraction]) -> list[str]:
    """JSON Lines of the contract, one article a line, in the order given."""
    import json

    return [json.dumps(to_contract(ex), ensure_ascii=False, sort_keys=True) for ex in extractions]
