"""The storage floor: what Oxigraph alone spends storing and reading back N articles' graphs.

One command::

    .venv/bin/python benchmarks/bench_store.py --size 10000 --workdir /tmp/bench

A build of 10,000 synthetic articles takes far longer than its 10-minute target
(``bench_build.py``). This benchmark measures the part no Python around the store can remove:
the store's own work on the quads a build writes. For one seeded corpus it measures, and
reports against jieba segmentation of the same corpus in the same run:

* **segment**: jieba alone over the clean bodies (``bench_build.py``'s measure, in a fresh
  process): the baseline;
* **spool** (not a floor, reported for scale): extraction with ``--jobs`` processes, then
  ``aigraph.mapping.article_triples`` and the N-Quads the store writes for each article (its
  named graph and the merged default graph's copy), spooled to a file;
* **store, as built**: a fresh on-disk Oxigraph store bulk-loads the spool as a build does,
  :data:`aigraph.store.BULK_WRITE_QUADS` quads at a time, named graphs and merged copy
  together;
* **store, named graphs only**: the same into a second fresh store without the merged copy
  (what storing would cost if the default graph were not materialised);
* **read back**: Oxigraph writes every quad of the first store as N-Quads, and its merged
  graph as Turtle as ``aigraph.publish`` does, into a sink that keeps nothing (Rust alone: no
  Python per quad, no disk);
* **in-memory store** (up to ``--memory-store-max`` articles): the spool loaded as built into
  Oxigraph's in-memory store, with the resident memory it added.

Every store step runs in Oxigraph's own threads; its CPU time is this process's CPU time over
the step (Oxigraph's threads belong to it), beside the wall clock. The table is printed and
appended to docs/benchmarks.md with the machine described, with the verdict: how much of the
10-minute, 2-core budget (1,200 CPU seconds) storing and reading back alone use.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench_build import GIB, machine, run_isolated
from benchreport import append_section

#: Two cores for ten minutes: the issue's budget for a 10,000-article build, in CPU seconds.
BUDGET_CPU_SECONDS = 2 * 600


def _peak_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / GIB


def spool(corpus: Path, path: Path, jobs: int) -> list[tuple[int, int, int, int]]:
    """Extract and map ``corpus``; write each article's N-Quads (named graph, then the merged
    copy) to ``path``. Returns ``(start, split, end, quads)`` per article: byte offsets of its
    named part, of its merged part's start, of its end, and its number of named quads."""
    from aigraph.config import Settings
    from aigraph.mapping import article_triples
    from aigraph.pipeline import extract_files, fewer_collections
    from aigraph.store import _named_and_merged_nquads

    settings = Settings()
    index = []
    with fewer_collections(), path.open("wb") as fh:
        for extraction in extract_files([corpus], settings, jobs=jobs):
            graph, triples = article_triples(extraction, settings)
            data = _named_and_merged_nquads(triples, graph)
            # the named half and the merged half have the same number of lines
            quads = data.count(b"\n") // 2
            split = _nth_line_end(data, quads) if quads else 0
            start = fh.tell()
            fh.write(data)
            index.append((start, start + split, start + len(data), quads))
    return index


def _nth_line_end(data: bytes, n: int) -> int:
    """The offset just after the ``n``-th newline of ``data``."""
    at = -1
    for _ in range(n):
        at = data.index(b"\n", at + 1)
    return at + 1


def _chunks(path: Path, index, merged: bool, chunk_quads: int):
    """The spool's bytes in bulk-load chunks of at least ``chunk_quads`` quads, article by
    article as a build buffers them; ``merged``: with each article's merged copy."""
    with path.open("rb") as fh:
        parts: list[bytes] = []
        quads = 0
        for start, split, end, named in index:
            fh.seek(start)
            parts.append(fh.read((end if merged else split) - start))
            quads += named * (2 if merged else 1)
            if quads >= chunk_quads:
                yield b"".join(parts), quads
                parts, quads = [], 0
        if parts:
            yield b"".join(parts), quads


def _resident_gib() -> float:
    """This process's resident memory now (Linux), in GiB."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024 / GIB
    return 0.0


def load(store_dir: Path | None, spool_path: Path, index, merged: bool) -> dict:
    """Bulk-load the spool into a fresh store at ``store_dir`` (None: Oxigraph's in-memory
    store); time the loads only. ``grew``: resident memory it added, in GiB."""
    import pyoxigraph as ox

    from aigraph.store import BULK_WRITE_QUADS

    before = _resident_gib()
    store = ox.Store(str(store_dir)) if store_dir is not None else ox.Store()
    seconds = cpu = 0.0
    quads = 0
    for data, n in _chunks(spool_path, index, merged, BULK_WRITE_QUADS):
        start, cpu_start = time.perf_counter(), time.process_time()
        store.bulk_load(data, ox.RdfFormat.N_QUADS)
        seconds += time.perf_counter() - start
        cpu += time.process_time() - cpu_start
        quads += n
    start, cpu_start = time.perf_counter(), time.process_time()
    store.flush()
    seconds += time.perf_counter() - start
    cpu += time.process_time() - cpu_start
    grew = _resident_gib() - before
    return {"seconds": seconds, "cpu": cpu, "quads": quads, "store": store, "grew": grew}


class _Sink:
    """A binary file that keeps nothing."""

    def write(self, data: bytes) -> int:
        return len(data)

    def flush(self) -> None:
        pass


def read_back(store) -> dict:
    """Oxigraph writes every quad as N-Quads, then the merged graph as Turtle, into a sink that
    drops the bytes: reading the store is the cost measured, not the disk."""
    import pyoxigraph as ox

    from aigraph.publish import PREFIXES

    out = {}
    for key, kwargs in (
        ("all", {"format": ox.RdfFormat.N_QUADS}),
        (
            "merged",
            {
                "format": ox.RdfFormat.TURTLE,
                "from_graph": ox.DefaultGraph(),
                "prefixes": dict(sorted(PREFIXES.items())),
            },
        ),
    ):
        start, cpu_start = time.perf_counter(), time.process_time()
        store.dump(_Sink(), **kwargs)
        out[key] = {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu_start}
    return out


def _row(step: str, timed: dict, seg: dict, quads: int | None = None) -> str:
    """A table row for a step's ``timed`` ``seconds`` and ``cpu``, against ``seg``."""
    seconds, cpu = timed["seconds"], timed["cpu"]
    per_quad = f"{cpu / quads * 1e6:.1f}" if quads else "–"
    return (
        f"| {step} | {seconds:.1f} | {cpu:.1f} | {seg['seconds'] / seconds:.2f} | "
        f"{f'{quads:,}' if quads else '–'} | {per_quad} |"
    )


def run(
    size: int, seed: int, jobs: int, workdir: Path, memory_store_max: int = 1000
) -> tuple[str, list[str]]:
    """Measure one corpus size; the markdown table and the verdict lines. The in-memory store
    is measured only up to ``memory_store_max`` articles (it needs about 2 GiB for 1,000)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from corpus import write_corpus

    corpus = workdir / f"corpus-{size}"
    if not corpus.exists():
        write_corpus(corpus, n=size, seed=seed)
    rows = []

    def add(row: str) -> None:
        rows.append(row)
        print(row, flush=True)

    seg = run_isolated("segment", corpus)
    add(_row("segment (jieba alone): the baseline", seg, seg))
    spool_path = workdir / "spool.nq"
    start, cpu_start = time.perf_counter(), time.process_time()
    index = spool(corpus, spool_path, jobs)
    spooled = {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu_start}
    step = f"spool: extract (--jobs {jobs}, workers' CPU not counted), map, write N-Quads"
    add(_row(step, spooled, seg))
    named = sum(entry[3] for entry in index)
    built = load(workdir / "store-built", spool_path, index, merged=True)
    add(_row("store, as built (named graphs + merged copy)", built, seg, built["quads"]))
    back = read_back(built.pop("store"))
    shutil.rmtree(workdir / "store-built", ignore_errors=True)
    only = load(workdir / "store-named", spool_path, index, merged=False)
    only.pop("store")
    shutil.rmtree(workdir / "store-named", ignore_errors=True)
    add(_row("store, named graphs only", only, seg, only["quads"]))
    add(_row("read back every quad (N-Quads)", back["all"], seg, built["quads"]))
    add(_row("read back the merged graph (Turtle)", back["merged"], seg, built["quads"] - named))
    memory = None
    if size <= memory_store_max:
        memory = load(None, spool_path, index, merged=True)
        memory.pop("store")
        step = f"in-memory store, as built (memory grew {memory['grew']:.2f} GiB)"
        add(_row(step, memory, seg, memory["quads"]))
    spool_path.unlink()
    floor_cpu = built["cpu"] + back["all"]["cpu"]
    floor_named = only["cpu"] + back["all"]["cpu"] * named / built["quads"]
    verdicts = [
        f"- {size:,} articles, {named:,} quads in article graphs ({named / max(1, len(index)):,.0f} "
        f"an article); peak memory of the storing process {_peak_gib():.2f} GiB.",
        f"- Oxigraph alone, storing the graphs as a build does and reading every quad back once: "
        f"{floor_cpu:,.0f} CPU seconds, {floor_cpu / BUDGET_CPU_SECONDS:.0%} of the budget of a "
        f"10,000-article build (10 minutes on 2 cores: {BUDGET_CPU_SECONDS:,} CPU s) before any "
        "extraction "
        f"(segmentation alone: {seg['cpu']:,.1f} CPU s).",
        f"- Without the merged copy (named graphs only, read back once): {floor_named:,.0f} CPU s, "
        f"{floor_named / BUDGET_CPU_SECONDS:.0%} of the budget.",
        f"- Wall clock of storing and reading back alone: "
        f"{built['seconds'] + back['all']['seconds']:,.0f} s (the whole build's budget: 600 s).",
    ]
    if memory is not None:
        verdicts.append(
            f"- Oxigraph's in-memory store took {memory['cpu']:,.1f} CPU s for the same quads "
            f"and {memory['grew']:.2f} GiB of memory: {memory['grew'] / size * 10_000:.1f} GiB "
            "at 10,000 articles at that rate, against the 4 GiB budget."
        )
    header = (
        "| step | seconds | CPU seconds | speed vs segmentation | quads | CPU µs a quad |\n"
        "|---|---|---|---|---|---|"
    )
    return header + "\n" + "\n".join(rows), verdicts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000, help="articles (default 1000)")
    parser.add_argument("--seed", type=int, default=7, help="corpus seed")
    parser.add_argument("--jobs", type=int, default=2, help="extraction processes for the spool")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="where the corpus, spool and stores go (default: a new temporary folder)",
    )
    parser.add_argument(
        "--memory-store-max",
        type=int,
        default=1000,
        help="also load Oxigraph's in-memory store up to this many articles (default 1000)",
    )
    parser.add_argument("--no-append", action="store_true", help="print only")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="aigraph-bench-store-"))
    workdir.mkdir(parents=True, exist_ok=True)
    table, verdicts = run(args.size, args.seed, args.jobs, workdir, args.memory_store_max)
    section = (
        f"\n## Storage floor (benchmarks/bench_store.py, size {args.size}, seed {args.seed})\n\n"
        f"{machine()}\n\n{table}\n\n" + "\n".join(verdicts) + "\n"
    )
    print("\n".join(verdicts))
    if not args.no_append:
        print(f"appended to {append_section(section)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
