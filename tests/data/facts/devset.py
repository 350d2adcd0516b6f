"""Development scaffold for the fact rules: seed articles and mentions built from the gold.

Only for development and tests of ``aigraph.facts`` until the real ingest and recogniser land.
It converts a seed to Simplified, strips pinyin glosses, splits sentences, and finds every gold
entity surface form in the body (longest match first) as a resolved Mention.

    .venv/bin/python tests/data/facts/devset.py PRED.jsonl   # then score.py GOLD PRED
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

from opencc_purepy import OpenCC

from aigraph.fsutil import atomic_write_text
from aigraph.records import Article, Mention, Sentence

ROOT = Path(__file__).resolve().parents[3]
SEEDS = ROOT / "seeds"
GOLD = ROOT.parent / "shared" / "eval" / "seeds.gold.jsonl"

_GLOSS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüń]+\)")
_SENTENCE_END = "。！？!?\n"
_t2s = OpenCC("t2s").convert


def clean(original: str) -> tuple[str, tuple[int, ...]]:
    """Simplified body without glosses, and the original offset of each body character."""
    keep: list[tuple[str, int]] = []
    drop = set()
    for m in _GLOSS.finditer(original):
        drop.update(range(m.start(), m.end()))
    for i, ch in enumerate(original):
        if i not in drop and ch != "\r":
            keep.append((ch, i))
    text = "".join(ch for ch, _ in keep)
    simplified = _t2s(text)
    if len(simplified) != len(text):  # t2s is character-for-character on these seeds
        raise ValueError("t2s changed the length")
    return simplified, tuple(i for _, i in keep)


def split_sentences(body: str) -> tuple[Sentence, ...]:
    out: list[Sentence] = []
    start = 0
    for i, ch in enumerate(body):
        if ch in _SENTENCE_END or i == len(body) - 1:
            end = i + 1
            seg = body[start:end]
            lead = len(seg) - len(seg.lstrip())
            trail = len(seg.rstrip())
            if trail > lead:
                out.append(Sentence(len(out), start + lead, start + trail, seg[lead:trail]))
            start = end
    return tuple(out)


def load_article(path: Path) -> Article:
    raw = path.read_bytes()
    original = raw.decode("utf-8")
    body, offsets = clean(original)
    return Article(
        source=str(path),
        doc=path.name,
        sha256=hashlib.sha256(raw).hexdigest(),
        encoding="utf-8",
        original=original,
        body=body,
        offsets=offsets,
        sentences=split_sentences(body),
    )


def gold_records() -> dict[str, dict]:
    return {
        d["doc"]: d for d in map(json.loads, GOLD.read_text(encoding="utf-8").splitlines()) if d
    }


def gold_mentions(article: Article, gold: dict) -> list[Mention]:
    """Every gold surface form found in the body, longest first, without overlaps."""
    forms: list[tuple[str, str, str]] = []
    for e in gold["entities"]:
        key = f"{e['type']}:{e['name']}"
        for form in {e["name"], *e.get("aliases", [])}:
            form = _t2s(form)
            if form:
                forms.append((form, e["type"], key))
    forms.sort(key=lambda f: (-len(f[0]), f[0]))
    taken = [False] * len(article.body)
    sentence_of = [0] * len(article.body)
    for s in article.sentences:
        for i in range(s.start, s.end):
            sentence_of[i] = s.index
    mentions = []
    for form, label, key in forms:
        for m in re.finditer(re.escape(form), article.body):
            if any(taken[m.start() : m.end()]):
                continue
            taken[m.start() : m.end()] = [True] * (m.end() - m.start())
            mentions.append(
                Mention(
                    form,
                    label,
                    m.start(),
                    m.end(),
                    "dev.gold.v1",
                    key=key,
                    sentence=sentence_of[m.start()],
                )
            )
    return sorted(mentions, key=lambda m: (m.start, m.end))


def dev_set() -> list[tuple[Article, list[Mention], dict]]:
    gold = gold_records()
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        article = load_article(path)
        out.append((article, gold_mentions(article, gold[path.name]), gold[path.name]))
    return out


def predictions() -> list[dict]:
    from aigraph.facts import find_facts

    rows = []
    for article, mentions, gold in dev_set():
        facts = []
        for f in find_facts(article, mentions):
            row = {
                "subject": f.subject.split(":", 1)[1],
                "metric": f.metric,
                "value": f.value,
                "unit": f.unit,
                "year": f.year,
            }
            if f.bound:
                row["bound"] = f.bound
            facts.append(row)
        rows.append(
            {"doc": article.doc, "entities": gold["entities"], "relations": [], "facts": facts}
        )
    return rows


if __name__ == "__main__":
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in predictions())
    atomic_write_text(Path(sys.argv[1]), text)
