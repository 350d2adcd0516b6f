"""extract.py (issues 3 and 4): the article-level API, the contract shape, and the
development-set targets measured on the seeds against the shared gold file.

The target tests print their numbers (``pytest -rA tests/test_extract.py`` shows them) and
carry them in their assertion messages, so the gap is visible while a target is not met.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aigraph.evaluate import Scores, load_jsonl, score
from aigraph.extract import (
    contract_lines,
    defined_mentions,
    extract_article,
    extract_articles,
    extraction_table,
    find_mentions,
    to_contract,
)
from aigraph.ingest import read_article
from aigraph.records import ENTITY_TYPES, METRICS, RELATION_TYPES, Extraction
from conftest import SEEDS, SHARED, text_article

GOLD = SHARED / "eval" / "seeds.gold.jsonl"

BODY = (
    "成都星辰智算股份有限公司（以下简称星辰公司）落户成都天府软件园。\n"
    "星辰公司与四川大学、西安交通大学达成合作，聚焦人工智能、集成电路等领域。"
    "2022年星辰公司营业收入超过12亿元。"
)


@pytest.fixture(scope="module")
def invented(nlp) -> Extraction:
    return extract_article(text_article(BODY, "invented.txt"), nlp)


def test_mentions_carry_their_sentence(nlp) -> None:
    article = text_article(BODY)
    for m in find_mentions(article, nlp):
        sentence = article.sentences[m.sentence]
        assert sentence.start <= m.start and m.end <= sentence.end
        assert article.body[m.start : m.end] == m.text


def test_defined_short_name_becomes_mentions_of_the_defined_type(nlp) -> None:
    article = text_article(BODY)
    mentions = defined_mentions(article, find_mentions(article, nlp))
    short = [m for m in mentions if m.text == "星辰公司"]
    assert len(short) >= 3  # the definition itself and the two later uses
    assert {m.label for m in short} == {"Firm"}
    assert mentions == sorted(mentions, key=lambda m: (m.start, m.end))


@pytest.mark.parametrize("batch_size", [1, 2, 16])
def test_batches_give_what_one_article_at_a_time_gives(nlp, batch_size: int) -> None:
    """Batching only changes the order of the work, never the result (nor the order)."""
    articles = [read_article(p) for p in sorted(SEEDS.glob("*.txt"))]
    articles.append(text_article(BODY, "invented.txt"))
    one_by_one = [extract_article(a, nlp) for a in articles]
    assert list(extract_articles(articles, nlp, batch_size=batch_size)) == one_by_one
    assert list(extract_articles([], nlp)) == []


def test_a_batch_ends_at_its_character_budget(nlp, monkeypatch) -> None:
    """Large articles are not gathered 16 at a time (a Doc costs ~300 bytes a character)."""
    import aigraph.extract as extract

    monkeypatch.setattr(extract, "BATCH_CHARS", 1)
    sizes: list[int] = []
    real = extract.find_mentions_batch
    monkeypatch.setattr(
        extract, "find_mentions_batch", lambda batch, n: sizes.append(len(batch)) or real(batch, n)
    )
    articles = [text_article(BODY, f"a{i}.txt") for i in range(3)]
    assert len(list(extract.extract_articles(articles, nlp))) == 3
    assert sizes == [1, 1, 1]


def test_contract_shape(invented: Extraction) -> None:
    rec = to_contract(invented)
    assert set(rec) == {"doc", "entities", "relations", "facts"} and rec["doc"] == "invented.txt"
    names = {e["name"] for e in rec["entities"]}
    for e in rec["entities"]:
        assert set(e) == {"name", "type", "aliases"} and e["type"] in ENTITY_TYPES
        assert e["name"] not in e["aliases"]
    for r in rec["relations"]:
        assert r["relation"] in RELATION_TYPES
        assert r["head"] in names and r["tail"] in names
        assert r["evidence"] and r["evidence"] in BODY
        assert ("role" in r) == (r["relation"] == "worksFor")
    for f in rec["facts"]:
        assert f["metric"] in METRICS and f["subject"] in names
    firm = next(e for e in rec["entities"] if e["type"] == "Firm")
    assert firm["name"] == "成都星辰智算股份有限公司" and "星辰公司" in firm["aliases"]
    assert rec["entities"] == sorted(rec["entities"], key=lambda e: (e["type"], e["name"]))


def test_contract_fact_with_bound_and_year(invented: Extraction) -> None:
    facts = to_contract(invented)["facts"]
    assert {
        "subject": "成都星辰智算股份有限公司",
        "metric": "revenue",
        "value": 12,
        "unit": "亿元",
        "year": 2022,
        "bound": "over",
    }.items() <= next(f for f in facts if f["metric"] == "revenue").items()


def test_contract_lines_are_deterministic_json(nlp, invented: Extraction) -> None:
    again = extract_article(text_article(BODY, "invented.txt"), nlp)
    lines = contract_lines([invented])
    assert lines == contract_lines([again])
    assert json.loads(lines[0]) == to_contract(invented)
    assert "\\u" not in lines[0]  # Chinese kept readable


def test_extraction_table_lists_everything(invented: Extraction) -> None:
    table = extraction_table([invented])
    first = table.splitlines()[0]
    assert first == (
        f"== invented.txt: {len(invented.entities)} entities, {len(invented.relations)} relations, "
        f"{len(invented.facts)} facts"
    )
    assert "成都星辰智算股份有限公司  (= " in table and "--cooperatesWith-->" in table


def test_entities_sorted_by_key_with_mentions_in_the_article(invented: Extraction) -> None:
    keys = [e.key for e in invented.entities]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    body = invented.article.body
    for e in invented.entities:
        assert e.key.split(":", 1)[0] == e.type
        for ref in e.mentions:
            assert ref.doc == "invented.txt" and body[ref.start : ref.end]


# ------------------------------------------------------------------------------------------
# Development-set targets (seeds against shared/eval/seeds.gold.jsonl)
# ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_scores(nlp) -> Scores:
    if not GOLD.exists():
        pytest.skip("shared/eval/seeds.gold.jsonl not present")
    pred = {}
    for path in sorted(SEEDS.glob("*.txt")):
        ex = extract_article(read_article(path), nlp)
        pred[ex.article.doc] = to_contract(ex)
    return score(load_jsonl(GOLD), pred)


def _numbers(s: Scores) -> str:
    by_type = ", ".join(f"{k} {v.f1:.3f}" for k, v in sorted(s.entities_by_type.items()))
    return (
        f"entity F1 {s.entities.f1:.3f} ({by_type}); relation F1 {s.relations.f1:.3f}; "
        f"fact F1 {s.facts.f1:.3f}"
    )


def test_heldout_sample_entity_f1(nlp) -> None:
    """Six articles from other regions (tests/data/heldout/README.md): 0.837 blind, 0.884
    after the rules they pointed to; the guard is the issue's 0.80 goal plus a margin."""
    folder = Path(__file__).parent / "data" / "heldout"
    articles = [read_article(p) for p in sorted((folder / "articles").glob("*.txt"))]
    pred = {e.article.doc: to_contract(e) for e in extract_articles(articles, nlp)}
    scores = score(load_jsonl(folder / "gold.blind.jsonl"), pred)
    assert len(articles) == 6 and not scores.missing
    assert scores.entities.f1 >= 0.85


def test_devset_entity_f1_target(seed_scores: Scores) -> None:
    print(_numbers(seed_scores))
    low = {k: round(v.f1, 3) for k, v in seed_scores.entities_by_type.items() if v.f1 < 0.75}
    assert seed_scores.entities.f1 >= 0.90 and not low, (_numbers(seed_scores), low)


def test_devset_relation_f1_target(seed_scores: Scores) -> None:
    print(_numbers(seed_scores))
    assert seed_scores.relations.f1 >= 0.70, _numbers(seed_scores)


def test_devset_fact_f1_target(seed_scores: Scores) -> None:
    print(_numbers(seed_scores))
    assert seed_scores.facts.f1 >= 0.85, _numbers(seed_scores)


def test_devset_every_gold_relation_type_recalled(seed_scores: Scores) -> None:
    never = sorted(k for k, v in seed_scores.relations_by_name.items() if v.gold and not v.tp)
    print({k: f"{v.tp}/{v.gold}" for k, v in sorted(seed_scores.relations_by_name.items())})
    assert not never, never
