"""Benchmark ``aigraph analyze`` measures against igraph on synthetic graphs, in one run.

Run (about 5 minutes with 100k on 2 cores; ``--sizes 1000 10000`` takes under a minute)::

    .venv/bin/python benchmarks/bench_analysis.py
    .venv/bin/python benchmarks/bench_analysis.py --sizes 1000 10000 --no-append

For each size it builds a deterministic typed graph with a heavy-tailed degree distribution
(preferential attachment, ``m`` links per new node; entity types drawn with the shares of a
real ecosystem graph; evidence weights 1-3), then times every measure the analysis computes
**with the approximations aigraph uses at that size** (betweenness sampled above 2k nodes,
closeness estimated from the same sampled nodes above 5k, scipy batched-BFS kernels; from 1k
nodes, ``AnalysisOptions.backend_min_nodes``, PageRank, eigenvector, Louvain, modularity and
bridges on aigraph's networkx dispatch backend, whose one conversion of the graph is timed as
its own row) and the same computation
in igraph on the same graph (igraph's betweenness from the same sources, distances from them
for closeness). Where the backend runs Louvain, networkx's own Louvain is timed too, and both
modularities are printed. Up to 10k nodes it also times networkx's own betweenness/closeness
and bridges, for comparison. The last row times the whole ``analyse_graph`` from a fresh
graph (conversion included) against the sum of the igraph rows (igraph's graph is built
outside its timings, so the ratio is if anything pessimistic for aigraph). Prints a table and
appends it to docs/benchmarks.md with the machine described.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

#: One thread per native library (OpenMP in igraph, OpenBLAS in numpy), for both sides, set
#: before they load: on a 2-core machine shared with other jobs their idle threads spin, and
#: igraph's PageRank of 1k nodes then took 0.7-1 s instead of 2 ms (and numpy's norm of 100k
#: values 10 ms instead of 0.02 ms). Override by setting the variables before running.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
for _variable in THREAD_VARIABLES:
    os.environ.setdefault(_variable, "1")

import igraph as ig  # noqa: E402
import networkx as nx  # noqa: E402
from benchreport import append_section  # noqa: E402

from aigraph.analysis import AnalysisOptions, analyse_graph, kernels  # noqa: E402
from aigraph.analysis.brokers import find_bridges, participation_coefficients  # noqa: E402
from aigraph.analysis.centrality import (  # noqa: E402
    CentralityResult,
    _backend,
    _eigenvector,
    _pagerank,
    _shortest_path_measures,
    backend_graph,
    largest_component,
)
from aigraph.analysis.nxbackend import registered  # noqa: E402

#: Entity type shares of the synthetic graphs (firms dominate, as in the articles).
TYPE_SHARES = (
    ("Firm", 0.55),
    ("Park", 0.08),
    ("Policy", 0.08),
    ("Platform", 0.06),
    ("Institution", 0.06),
    ("Agency", 0.05),
    ("City", 0.05),
    ("Person", 0.04),
    ("Industry", 0.02),
    ("Province", 0.007),
    ("Region", 0.003),
)


def synthetic_graph(n: int, m: int = 6, seed: int = 7) -> nx.Graph:
    """A deterministic typed, weighted graph of ``n`` entities with ``about n*m`` edges.

    Preferential attachment gives the heavy-tailed degree distribution of real ecosystem
    graphs (a few parks, cities and big firms with many ties, most entities with few).
    """
    rng = random.Random(seed)
    base = nx.barabasi_albert_graph(n, m, seed=seed)
    graph = nx.Graph()
    types = [t for t, _ in TYPE_SHARES]
    weights = [w for _, w in TYPE_SHARES]
    for node in range(n):
        iri = f"https://w3id.org/aigraph/id/x/{node:07d}"
        graph.add_node(iri, type=rng.choices(types, weights)[0], label_zh="", iri=iri)
    for u, v in base.edges:
        graph.add_edge(
            f"https://w3id.org/aigraph/id/x/{u:07d}",
            f"https://w3id.org/aigraph/id/x/{v:07d}",
            weight=rng.choice((1, 1, 1, 2, 3)),
        )
    return graph


#: Runs per timing (the fastest counts); set per size by :func:`bench_size`, so that one-off
#: stalls on a shared machine do not decide the sub-second rows of the small graphs.
REPEATS = 1


def timed(function: Callable[[], object], repeats: int | None = None) -> float:
    """Seconds of the fastest of ``repeats`` runs (:data:`REPEATS` by default)."""
    best = float("inf")
    for _ in range(repeats or REPEATS):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def to_igraph(graph: nx.Graph) -> tuple[ig.Graph, list[str]]:
    nodes = list(graph)
    index = {n: i for i, n in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in graph.edges])
    g.es["weight"] = [w for _, _, w in graph.edges(data="weight")]
    return g, nodes


def warm_up() -> None:
    """First calls pay for lazy imports and JIT compilation; keep them out of the timings."""
    graph = synthetic_graph(300, seed=1)
    analyse_graph(graph, AnalysisOptions(backend_min_nodes=1))
    g, _ = to_igraph(graph)
    g.pagerank(weights="weight")
    g.betweenness(directed=False)
    g.closeness()
    g.eigenvector_centrality(weights="weight")
    g.community_multilevel(weights="weight")


def bench_size(n: int, options: AnalysisOptions) -> list[tuple[str, str, str, float, float | None]]:
    global REPEATS
    REPEATS = 3 if n <= 10_000 else 1
    graph = synthetic_graph(n)
    rows: list[tuple[str, str, float, float | None]] = []
    g, nodes = to_igraph(graph)
    index = {node: i for i, node in enumerate(nodes)}
    scratch = CentralityResult(scores={})

    # The conversion for aigraph's networkx backend is made once per graph and shared by
    # every measure below; it is timed on its own (igraph's graph is built outside the timings).
    backend = _backend(graph, options)
    if backend:
        rows.append(
            (
                "conversion",
                "networkx graph -> aigraph backend graph",
                timed(lambda: (graph.__networkx_cache__.clear(), backend_graph(graph, options))),
                None,
            )
        )
    fast = backend_graph(graph, options)
    nx_time = timed(lambda: _pagerank(graph, options, scratch))
    ig_time = timed(lambda: g.pagerank(damping=0.85, weights="weight"))
    rows.append(("PageRank", f"backend {backend or 'networkx'}", nx_time, ig_time))

    exact_b = n <= options.exact_betweenness_max_nodes
    exact_c = n <= options.exact_closeness_max_nodes
    k = None if exact_b else options.betweenness_samples_for(n)
    sampled = kernels.sample_sources(graph, k, options.seed)
    sources = None if sampled is None else [index[s] for s in sampled]

    def igraph_paths() -> None:
        g.betweenness(directed=False, sources=sources)
        if exact_c:
            g.closeness()
        else:
            g.distances(source=sources)

    label = "betweenness + closeness"
    note = (
        ("exact" if exact_b else f"betweenness k={k}")
        + (", closeness exact" if exact_c and not exact_b else "")
        + ("" if exact_c else ", closeness from the same k")
    )
    nx_time = timed(lambda: _shortest_path_measures(graph, options, scratch))
    rows.append((label, note + " (scipy kernels)", nx_time, timed(igraph_paths)))
    if n <= 10_000:
        plain = options.with_changes(sparse_kernels=False)
        # Reference rows (networkx's own functions, not compared with igraph) run once.
        nx_time = timed(lambda: _shortest_path_measures(graph, plain, scratch), 1)
        rows.append((label, note + " (networkx's own functions)", nx_time, None))

    core_nodes = sorted(largest_component(graph, options))
    core_ig = g.induced_subgraph([index[c] for c in core_nodes])
    nx_time = timed(lambda: _eigenvector(graph, options, scratch))
    method = scratch.parameters["eigenvector"].get("backend") or scratch.parameters[
        "eigenvector"
    ].get("method")
    ig_time = timed(lambda: core_ig.eigenvector_centrality(weights="weight"))
    rows.append(("eigenvector (largest component)", str(method), nx_time, ig_time))

    target = graph if fast is None else fast
    found: list = []
    nx_time = timed(
        lambda: found.append(
            nx.community.louvain_communities(target, weight="weight", seed=options.seed)
        )
    )
    clusters: list = []
    ig_time = timed(lambda: clusters.append(g.community_multilevel(weights="weight")))
    communities = found[0]
    quality = nx.community.modularity(graph, communities, weight="weight")
    rows.append(
        (
            "Louvain",
            f"{backend + ' backend (igraph multilevel, seeded)' if fast else 'networkx'}; "
            f"modularity {quality:.4f} (igraph {clusters[0].modularity:.4f})",
            nx_time,
            ig_time,
        )
    )
    if fast is not None:
        reference: list = []
        nx_time = timed(
            lambda: reference.append(
                nx.community.louvain_communities(graph, weight="weight", seed=options.seed)
            ),
            1,
        )
        quality = nx.community.modularity(graph, reference[0], weight="weight")
        rows.append(("Louvain", f"networkx's own; modularity {quality:.4f}", nx_time, None))
    rows.append(
        (
            "modularity",
            f"backend {backend or 'networkx'}",
            timed(lambda: nx.community.modularity(target, communities, weight="weight")),
            timed(lambda: g.modularity(clusters[0].membership, weights="weight")),
        )
    )
    membership = {m: i for i, c in enumerate(communities) for m in c}
    rows.append(
        (
            "participation coefficient",
            "edge arrays" if fast else "",
            timed(lambda: participation_coefficients(graph, membership, fast)),
            None,
        )
    )
    rows.append(
        (
            "bridges",
            f"{backend} backend (igraph)" if fast else "aigraph's Tarjan pass",
            timed(lambda: find_bridges(graph, membership, fast)),
            timed(lambda: g.bridges()),
        )
    )
    if n <= 10_000:
        rows.append(
            ("bridges", "networkx.bridges", timed(lambda: list(nx.bridges(graph)), 1), None)
        )
    # The whole analysis from a fresh graph: conversion included.
    total_nx = timed(lambda: (graph.__networkx_cache__.clear(), analyse_graph(graph, options)))
    compared = [r for r in rows if r[3] is not None]
    total_ig = sum(r[3] for r in compared)
    rows.append(("whole analyse_graph", "vs the sum of the igraph rows", total_nx, total_ig))
    size = f"{n:,} nodes / {graph.number_of_edges():,} edges"
    return [(size, *row) for row in rows]


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, networkx {nx.__version__}, igraph "
        f"{ig.__version__}, aigraph networkx backend {'registered' if registered() else 'missing'}; "
        f"threads {', '.join(f'{v}={os.environ.get(v)}' for v in THREAD_VARIABLES)}; "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end"
    )


def table(rows: list[tuple]) -> str:
    lines = [
        "| graph | measure | note | aigraph s | igraph s | aigraph / igraph |",
        "|---|---|---|---:|---:|---:|",
    ]
    for size, measure, note, nx_time, ig_time in rows:
        ratio = f"{nx_time / ig_time:.1f}×" if ig_time else ""
        ig_text = f"{ig_time:.3f}" if ig_time is not None else ""
        lines.append(f"| {size} | {measure} | {note} | {nx_time:.3f} | {ig_text} | {ratio} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--no-append", action="store_true", help="do not touch docs/benchmarks.md")
    args = parser.parse_args(argv)
    options = AnalysisOptions()
    tables = []
    warm_up()
    for n in args.sizes:
        print(f"[bench] {n} nodes ...", file=sys.stderr, flush=True)
        rows = bench_size(n, options)
        tables.append(f"### {rows[0][0]}\n\n{table(rows)}")
    text = "\n\n".join(tables)
    print(text)
    if not args.no_append:
        section = (
            f"\n## Network analysis ({date.today().isoformat()})\n\n"
            f"`.venv/bin/python benchmarks/bench_analysis.py --sizes "
            f"{' '.join(map(str, args.sizes))}`\n\nMachine: {machine()}\n\n{text}\n"
        )
        append_section(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
