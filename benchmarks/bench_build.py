"""Build throughput at 100, 1,000 and 10,000 articles, against jieba segmentation alone.

One command::

    .venv/bin/python benchmarks/bench_build.py                   # sizes 100 and 1000
    .venv/bin/python benchmarks/bench_build.py --sizes 10000     # the 10,000-article run
    .venv/bin/python benchmarks/bench_build.py --sizes 1000 --seed 11 --extract-only --repeat 3

For each size it writes a synthetic corpus (``benchmarks/corpus.py``, seeded) and measures,
each in a fresh Python process so peak memory is that step's own:

* **segment**: jieba segmentation alone of the same clean article bodies (spaCy blank ``zh``
  with the jieba segmenter, ``nlp.pipe``);
* **extract**: recognition + resolution (``aigraph.extract.find_mentions`` and
  ``aigraph.resolve.resolve_article``), and separately the relation and fact rules;
* **build**: ``aigraph.pipeline.build`` end to end (read, extract, store, analyse, publish,
  explorer), with ``--jobs 1`` and, for the ``--jobs-size`` corpus, ``--jobs 2``
  (``--build-jobs 2``: only with ``--jobs 2``).

Reading and decoding the files is outside the segment and extract timings (both get the same
pre-read articles) and inside the build timing. ``--repeat N`` measures segment and extract
alternately N times (each in a fresh process) and reports the medians; the CPU time of each
process is reported beside the wall-clock time, since on a shared machine the wall clock also
counts other jobs' time. Peak memory is ``ru_maxrss`` of the process
(and of its worker processes, for ``--jobs 2``). The table is printed and appended to
``docs/benchmarks.md`` with the machine described. Targets (issue 9 and issue 3): build at
least half as fast as segmentation alone (ratio ≥ 0.5), extraction likewise (≥ 0.5), 10,000
articles in under 10 minutes on 2 cores within 4 GiB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

from benchreport import append_section

from aigraph.pipeline import fewer_collections

ROOT = Path(__file__).resolve().parents[1]
GIB = 1024**3


def _peak_rss_bytes() -> int:
    """Peak resident memory of this process and of its finished children (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) * 1024


def _read(corpus: Path):
    from aigraph.ingest import find_article_files, read_article

    return [read_article(p) for p in find_article_files([corpus])]


def measure_segment(corpus: Path) -> dict:
    """jieba through spaCy over the clean bodies, nothing else."""
    import spacy

    articles = _read(corpus)
    texts = [a.body for a in articles]
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp("预热")  # jieba loads its dictionary on first use: not part of the throughput
    with fewer_collections():  # the collector settings of a build, for both sides
        start, cpu = time.perf_counter(), time.process_time()
        tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=64))
        seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "cpu": time.process_time() - cpu,
        "chars": sum(map(len, texts)),
        "tokens": tokens,
        "articles": len(texts),
        "peak": _peak_rss_bytes(),
    }


def measure_extract(corpus: Path) -> dict:
    """Recognition + resolution, then the relation and fact rules, timed separately."""
    from aigraph.nlp import get_nlp

    articles = _read(corpus)
    nlp = get_nlp()
    nlp("预热")
    recognise = resolve = relate = cpu = 0.0
    entities = 0
    with fewer_collections():  # as `aigraph build` and `aigraph extract` run it
        extracted = _extract_timed(articles, nlp)
    for recognise_s, resolve_s, relate_s, cpu_s, found in extracted:
        recognise += recognise_s
        resolve += resolve_s
        relate += relate_s
        cpu += cpu_s
        entities += found
    return {
        "recognise": recognise,
        "resolve": resolve,
        "relate": relate,
        "seconds": recognise + resolve,
        "cpu": cpu,
        "entities": entities,
        "chars": sum(len(a.body) for a in articles),
        "articles": len(articles),
        "peak": _peak_rss_bytes(),
    }


def _extract_timed(articles, nlp) -> list[tuple[float, float, float, float, int]]:
    """Per batch of ``aigraph.extract.BATCH_SIZE`` articles, as ``extract_articles`` runs
    them: recognition, resolution and rule seconds, CPU seconds of the first two, and the
    number of entities."""
    from aigraph.extract import BATCH_SIZE, defined_mentions, find_mentions_batch, outermost
    from aigraph.facts import find_facts
    from aigraph.relate import find_relations
    from aigraph.resolve import resolve_article

    out = []
    for i in range(0, len(articles), BATCH_SIZE):
        batch = articles[i : i + BATCH_SIZE]
        c0 = time.process_time()
        t0 = time.perf_counter()
        found = find_mentions_batch(batch, nlp)
        mentions = [defined_mentions(a, m) for a, m in zip(batch, found, strict=True)]
        t1 = time.perf_counter()
        resolved = [resolve_article(a, m) for a, m in zip(batch, mentions, strict=True)]
        t2 = time.perf_counter()
        cpu_s = time.process_time() - c0
        for article, (entities, keyed) in zip(batch, resolved, strict=True):
            find_relations(article, keyed, entities)
            find_facts(article, outermost(keyed))
        t3 = time.perf_counter()
        out.append((t1 - t0, t2 - t1, t3 - t2, cpu_s, sum(len(e) for e, _ in resolved)))
    return out


def measure_build(corpus: Path, jobs: int) -> dict:
    """``aigraph.pipeline.build`` into a fresh store; the extraction phase ends at the last file."""
    from aigraph.pipeline import build

    work = Path(tempfile.mkdtemp(prefix="aigraph-bench-build-"))
    last_file = [0.0]

    def progress(_path: str) -> None:
        last_file[0] = time.perf_counter()

    start = time.perf_counter()
    try:
        summary = build(
            [corpus],
            store_dir=work / "store",
            out_dir=work / "out",
            name="bench",
            jobs=jobs,
            progress=progress,
        )
        seconds = time.perf_counter() - start
    finally:
        shutil.rmtree(work, ignore_errors=True)  # stores of 1,000+ articles take GBs
    return {
        "seconds": seconds,
        "extract_store": last_file[0] - start,
        "articles": summary.articles,
        "skipped": len(summary.skipped),
        "entities": sum(summary.entities_by_type.values()),
        "relations": sum(summary.relations_by_type.values()),
        "facts": summary.facts,
        "peak": _peak_rss_bytes(),
    }


MEASURES = {"segment": measure_segment, "extract": measure_extract, "build": measure_build}


def run_isolated(
    kind: str, corpus: Path, jobs: int = 1, timeout: float | None = None
) -> dict | None:
    """Run one measurement in a fresh interpreter and return its JSON result.

    ``None`` when it did not finish within ``timeout`` seconds (the child is killed).
    """
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--measure",
        kind,
        "--corpus",
        str(corpus),
        "--jobs",
        str(jobs),
    ]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        raise RuntimeError(f"{kind} on {corpus} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def machine() -> str:
    """Cores, memory, Python and library versions, date: the context of the numbers."""
    mem = ""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            kib = int(fh.readline().split()[1])
        mem = f", {kib / 1024**2:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    libs = ", ".join(
        f"{name} {version(name)}"
        for name in ("spacy", "jieba", "pyoxigraph", "rdflib", "networkx", "igraph")
    )
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"{when}; {platform.machine()} {os.cpu_count()} cores{mem}; "
        f"Python {platform.python_version()}; {libs}"
    )


def _rate(n: float, seconds: float) -> str:
    if seconds <= 0:
        return "–"
    rate = n / seconds
    return f"{rate:,.0f}" if rate >= 10 else f"{rate:.2f}"


def _row(
    n: int, chars: int, step: str, result: dict | None, seg_seconds: float, timeout: float | None
) -> str:
    if result is None:
        return f"| {n:,} | {chars:,} | {step} | did not finish in {timeout:.0f} s | – | – | – | – |"
    seconds = result["seconds"]
    return (
        f"| {n:,} | {chars:,} | {step} | {seconds:.1f} | {_rate(n, seconds)} | "
        f"{_rate(chars, seconds)} | {seg_seconds / seconds:.2f} | {result['peak'] / GIB:.2f} |"
    )


def _target(ratio: float) -> str:
    return "met" if ratio >= 0.5 else "MISSED"


def _median(results: list[dict]) -> dict:
    """The run with the median wall-clock time (the upper one of an even count)."""
    return sorted(results, key=lambda r: r["seconds"])[len(results) // 2]


def _segment_and_extract(
    corpus: Path, repeat: int, timeout: float | None
) -> tuple[dict | None, dict | None, list[float]]:
    """Segment and extract ``repeat`` times, alternately; the median runs and every ratio."""
    segs: list[dict] = []
    exts: list[dict] = []
    ratios: list[float] = []
    for _ in range(repeat):
        seg = run_isolated("segment", corpus, timeout=timeout)
        if seg is None:
            return None, None, []
        segs.append(seg)
        ext = run_isolated("extract", corpus, timeout=timeout)
        if ext is None:
            return _median(segs), None, []
        exts.append(ext)
        ratios.append(seg["seconds"] / ext["seconds"])
    return _median(segs), _median(exts), ratios


def run(
    sizes: list[int],
    seed: int,
    jobs_size: int | None,
    workdir: Path,
    timeout: float | None = None,
    extract_only: bool = False,
    repeat: int = 1,
    build_jobs: int = 1,
) -> tuple[str, list[str]]:
    """Measure every size; return the markdown table and the verdict lines.

    Rows are printed as soon as they are measured, so a long run shows progress.
    ``extract_only`` leaves out the build; ``repeat`` alternates segment and extract runs.
    """
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from corpus import write_corpus

    rows: list[str] = []
    verdicts: list[str] = []
    builds: dict[int, float] = {}

    def add(row: str) -> None:
        rows.append(row)
        print(row, flush=True)

    for n in sizes:
        corpus = workdir / f"corpus-{n}"
        if not corpus.exists():
            write_corpus(corpus, n=n, seed=seed)
        seg, ext, ratios = _segment_and_extract(corpus, max(1, repeat), timeout)
        if seg is None:
            verdicts.append(
                f"- {n:,} articles: segmentation alone did not finish in {timeout:.0f} s."
            )
            continue
        chars = seg["chars"]
        add(_row(n, chars, "segment (jieba alone)", seg, seg["seconds"], timeout))
        step = (
            "extract"
            if ext is None
            else f"extract (recognise {ext['recognise']:.1f} s + resolve {ext['resolve']:.1f} s; "
            f"rules {ext['relate']:.1f} s not counted)"
        )
        add(_row(n, chars, step, ext, seg["seconds"], timeout))
        if ext is not None:
            ratio = seg["seconds"] / ext["seconds"]
            spread = (
                f"; {len(ratios)} alternating runs, ratios {min(ratios):.2f}–{max(ratios):.2f}"
                if len(ratios) > 1
                else ""
            )
            cpu = (
                f"; by CPU time {seg['cpu'] / ext['cpu']:.2f} "
                f"(segment {seg['cpu']:.1f} s, extract {ext['cpu']:.1f} s)"
                if "cpu" in seg and "cpu" in ext
                else ""
            )
            verdicts.append(
                f"- {n:,} articles: extraction (recognition + resolution) / "
                f"segmentation speed ratio {ratio:.2f} (target ≥ 0.5: {_target(ratio)})"
                f"{spread}{cpu}."
            )
        if extract_only:
            continue
        bld = run_isolated("build", corpus, jobs=build_jobs, timeout=timeout)
        step = (
            f"build --jobs {build_jobs}"
            if bld is None
            else f"build --jobs {build_jobs} (extract+store {bld['extract_store']:.1f} s, "
            f"analyse+publish+explorer {bld['seconds'] - bld['extract_store']:.1f} s)"
        )
        add(_row(n, chars, step, bld, seg["seconds"], timeout))
        if bld is None:
            verdicts.append(
                f"- {n:,} articles: the build did not finish in {timeout:.0f} s "
                f"(target ≥ 0.5 of segmentation speed: MISSED)."
            )
            continue
        builds[n] = bld["seconds"]
        ratio = seg["seconds"] / bld["seconds"]
        verdicts.append(
            f"- {n:,} articles: build / segmentation speed ratio {ratio:.2f} (target ≥ 0.5: "
            f"{_target(ratio)}); {bld['entities']:,} entities, {bld['relations']:,} relations, "
            f"{bld['facts']:,} facts in the store, {bld['skipped']} files skipped."
        )
        if n >= 10_000:
            ok = bld["seconds"] < 600 and bld["peak"] < 4 * GIB
            verdicts.append(
                f"- 10,000-article target (< 10 min, < 4 GiB): "
                f"{'met' if ok else 'MISSED'} ({bld['seconds'] / 60:.1f} min, "
                f"{bld['peak'] / GIB:.2f} GiB)."
            )
        if jobs_size == n and build_jobs == 1:
            par = run_isolated("build", corpus, jobs=2, timeout=timeout)
            step = (
                "build --jobs 2"
                if par is None
                else f"build --jobs 2 (extract+store {par['extract_store']:.1f} s)"
            )
            add(_row(n, chars, step, par, seg["seconds"], timeout))
            if par is not None:
                verdicts.append(
                    f"- --jobs 2 vs --jobs 1 on {n:,} articles: speed-up "
                    f"{bld['seconds'] / par['seconds']:.2f}× over the whole build, "
                    f"{bld['extract_store'] / par['extract_store']:.2f}× over extract+store."
                )
    ordered = sorted(builds)
    for small, big in zip(ordered, ordered[1:], strict=False):
        verdicts.append(
            f"- growth: {big / small:.0f}× the articles ({small:,} → {big:,}) cost "
            f"{builds[big] / builds[small]:.1f}× the build time."
        )
    header = (
        "| articles | characters | step | seconds | articles/s | characters/s | "
        "speed vs segmentation | peak GiB |\n|---|---|---|---|---|---|---|---|"
    )
    return header + "\n" + "\n".join(rows), verdicts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build throughput vs jieba segmentation alone.")
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[100, 1000],
        help="corpus sizes (default 100 1000; the 10,000 run is --sizes 10000)",
    )
    parser.add_argument("--seed", type=int, default=7, help="corpus seed")
    parser.add_argument(
        "--jobs-size",
        type=int,
        default=None,
        help="size at which to compare --jobs 1 and 2 (default: the largest; 0: no comparison)",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="where corpora are written (default: a new temporary folder)",
    )
    parser.add_argument("--no-append", action="store_true", help="do not touch docs/benchmarks.md")
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="seconds after which one measurement is stopped and reported as not finished",
    )
    parser.add_argument("--note", default="", help="a line added under the table (e.g. load)")
    parser.add_argument(
        "--extract-only",
        action="store_true",
        help="measure segmentation and extraction only (no build)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="alternate segment and extract runs this many times; report the medians",
    )
    parser.add_argument(
        "--build-jobs",
        type=int,
        default=1,
        help="worker processes of the measured build (default 1; with 2, no --jobs comparison)",
    )
    parser.add_argument("--measure", choices=sorted(MEASURES), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.measure:  # the child side of run_isolated
        kwargs = {"jobs": args.jobs} if args.measure == "build" else {}
        print(json.dumps(MEASURES[args.measure](args.corpus, **kwargs)))
        return 0

    sizes = sorted(set(args.sizes))
    jobs_size = sizes[-1] if args.jobs_size is None else args.jobs_size
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="aigraph-bench-corpus-"))
    described = machine()
    print(described, flush=True)
    table, verdicts = run(
        sizes,
        args.seed,
        jobs_size,
        workdir,
        args.timeout,
        args.extract_only,
        args.repeat,
        args.build_jobs,
    )
    what = "Extraction" if args.extract_only else "Build"
    repeated = f", medians of {args.repeat} runs" if args.repeat > 1 else ""
    section = (
        f"\n## {what} throughput (benchmarks/bench_build.py, sizes {' '.join(map(str, sizes))}, "
        f"seed {args.seed}{repeated})\n\n{described}\n\n{table}\n\n"
        + "\n".join(verdicts)
        + "\n"
        + (f"\n{args.note}\n" if args.note else "")
    )
    print(section)
    if not args.no_append:
        print(f"appended to {append_section(section)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
