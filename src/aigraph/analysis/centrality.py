"""Centralities of a projection, with the approximations used stated.

Every measure is computed on the **undirected** projection:

- ``degree``: number of distinct neighbours; ``weighted_degree``: sum of evidence weights;
- ``pagerank``: weighted by evidence, ``alpha = 0.85``;
- ``betweenness``: hop-count shortest paths (evidence weights are strengths, not distances),
  normalised; exact up to ``exact_betweenness_max_nodes`` nodes, else sampled from ``k``
  seeded source nodes;
- ``closeness``: per connected component, scaled by the share of the graph the component
  reaches (Wasserman–Faust), so a node of a two-node component does not outrank a hub;
  exact up to ``exact_closeness_max_nodes`` nodes, else estimated from ``k`` seeded pivots;
- ``eigenvector``: defined on a connected graph, so it is computed **on the largest connected
  component only**, weighted; nodes outside it have no eigenvector score.

Examples
--------
>>> import networkx as nx
>>> g = nx.path_graph(["a", "b", "c"])
>>> result = compute_centralities(g, AnalysisOptions())
>>> result.scores["b"]["degree"], round(result.scores["b"]["betweenness"], 3)
(2, 1.0)
"""

from __future__ import annotations

import importlib.util
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import networkx as nx

from . import kernels
from .options import AnalysisOptions

#: Measures in display order.
MEASURES: tuple[str, ...] = (
    "degree",
    "weighted_degree",
    "pagerank",
    "betweenness",
    "closeness",
    "eigenvector",
)


@dataclass
class CentralityResult:
    """Scores per node (a measure is missing for a node when it is not defined there).

    ``parameters`` maps each measure to what was used (sample size, backend, component);
    ``notes`` are the sentences the report prints about approximations.
    """

    scores: dict[str, dict[str, float]]
    parameters: dict[str, dict[str, object]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def graphblas_available() -> bool:
    """Whether the graphblas-algorithms networkx backend is importable."""
    return importlib.util.find_spec("graphblas_algorithms") is not None


def _backend(graph: nx.Graph, options: AnalysisOptions) -> str | None:
    if graph.number_of_nodes() >= options.backend_min_nodes and graphblas_available():
        return "graphblas"
    return None


def largest_component(graph: nx.Graph) -> set[str]:
    """The largest connected component; ties broken by the smallest member IRI."""
    if graph.number_of_nodes() == 0:
        return set()
    return min(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))


@contextmanager
def _quiet_backend() -> Iterator[None]:
    """Silence networkx's note that converted backend graphs are cached on the graph object
    (a projection is never mutated after it is built, so the cache stays consistent)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Note: conversions to backend graphs")
        yield


def _pagerank(graph: nx.Graph, options: AnalysisOptions, result: CentralityResult) -> dict:
    backend = _backend(graph, options)
    params: dict[str, object] = {"alpha": 0.85, "weight": "evidence", "tol": 1e-9}
    if backend:
        params["backend"] = backend
        result.notes.append(f"PageRank computed by the networkx {backend} dispatch backend")
        with _quiet_backend():
            scores = nx.pagerank(
                graph, alpha=0.85, weight="weight", tol=1e-9, max_iter=1000, backend=backend
            )
    else:
        scores = nx.pagerank(graph, alpha=0.85, weight="weight", tol=1e-9, max_iter=1000)
    result.parameters["pagerank"] = params
    return scores


def sampled_closeness(graph: nx.Graph, k: int, seed: int) -> dict[str, float]:
    """Closeness estimated from ``k`` seeded pivots (Eppstein & Wang), per component.

    One traversal per pivot instead of one per node: a node's mean distance to all nodes of
    its component is estimated by its mean distance to the pivots in that component, then
    scaled like networkx's Wasserman-Faust closeness. Nodes of a component without a pivot
    get no estimate; isolated nodes get 0. The pivots are the nodes sampled betweenness draws
    with the same ``k`` and ``seed``.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.path_graph(["a", "b", "c"])
    >>> sampled_closeness(g, 3, seed=1) == nx.closeness_centrality(g)
    True
    """
    return kernels.closeness(graph, kernels.sample_sources(graph, k, seed))


def _shortest_path_measures(
    graph: nx.Graph, options: AnalysisOptions, result: CentralityResult
) -> tuple[dict, dict]:
    """Betweenness and closeness, sharing traversals where the sizes allow."""
    n = graph.number_of_nodes()
    seed = options.seed
    exact_betweenness = n <= options.exact_betweenness_max_nodes
    exact_closeness = n <= options.exact_closeness_max_nodes
    k = None if exact_betweenness else options.betweenness_samples_for(n)
    b_params: dict[str, object] = {"normalized": True, "weight": None, "exact": exact_betweenness}
    c_params: dict[str, object] = {"scope": "per component", "wf_improved": True}
    if not exact_betweenness:
        b_params.update(k=k, seed=seed)
        result.notes.append(
            f"betweenness sampled from k={k} source nodes (seed {seed}) because the graph has "
            f"{n} nodes (exact up to {options.exact_betweenness_max_nodes})"
        )
    if not exact_closeness:
        c_params.update(exact=False, pivots=k, seed=seed)
        result.notes.append(
            f"closeness estimated from the k={k} sampled source nodes (Eppstein-Wang) because "
            f"the graph has {n} nodes (exact up to {options.exact_closeness_max_nodes}); nodes "
            "of a component without a sampled node have no closeness"
        )
    result.parameters["betweenness"] = b_params
    result.parameters["closeness"] = c_params
    if not options.sparse_kernels:
        between = nx.betweenness_centrality(graph, k=k, normalized=True, seed=seed)
        if exact_closeness:
            return between, nx.closeness_centrality(graph, wf_improved=True)
        return between, sampled_closeness(graph, k or n, seed)
    # Same sources, same rescaling, same scores as networkx; many sources per pass.
    b_params["implementation"] = c_params["implementation"] = "scipy batched BFS"
    sampled = kernels.sample_sources(graph, k, seed)
    traversal = kernels.traverse(graph, sampled)
    between = kernels.betweenness_from(traversal, sampled)
    if exact_closeness and not exact_betweenness:
        return between, kernels.closeness(graph)
    return between, kernels.closeness_from(traversal, exact=exact_closeness)


def _eigenvector(graph: nx.Graph, options: AnalysisOptions, result: CentralityResult) -> dict:
    component = largest_component(graph)
    if len(component) < 2:
        result.parameters["eigenvector"] = {"skipped": True}
        return {}
    # A connected graph is used as is: copying 100k nodes costs seconds, and the backend's
    # converted graph (cached on the object by PageRank) is reused.
    if len(component) == graph.number_of_nodes():
        core = graph
    else:
        core = graph.subgraph(sorted(component)).copy()
    params: dict[str, object] = {"scope": "largest component", "nodes": len(component)}
    backend = _backend(core, options)
    if len(component) < graph.number_of_nodes():
        result.notes.append(
            f"eigenvector centrality on the largest connected component only "
            f"({len(component)} of {graph.number_of_nodes()} nodes)"
        )
    if backend:
        params.update(method="power iteration", backend=backend)
        result.notes.append(f"eigenvector computed by the networkx {backend} dispatch backend")
        with _quiet_backend():
            scores = nx.eigenvector_centrality(
                core, weight="weight", max_iter=1000, tol=1e-8, backend=backend
            )
    elif core.number_of_nodes() > options.large_graph_nodes:
        params["method"] = "sparse eigensolver"
        scores = nx.eigenvector_centrality_numpy(core, weight="weight")
        result.notes.append("eigenvector centrality by the sparse eigensolver (large graph)")
    else:
        params["method"] = "power iteration"
        try:
            scores = nx.eigenvector_centrality(core, weight="weight", max_iter=1000, tol=1e-8)
        except nx.PowerIterationFailedConvergence:
            params["method"] = "sparse eigensolver"
            scores = nx.eigenvector_centrality_numpy(core, weight="weight")
    result.parameters["eigenvector"] = params
    # The eigenvector's sign is arbitrary; centralities are its absolute values.
    return {node: abs(value) for node, value in scores.items()}


def compute_centralities(graph: nx.Graph, options: AnalysisOptions) -> CentralityResult:
    """Every measure of :data:`MEASURES` for every node of ``graph`` where it is defined.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph([("a", "b"), ("c", "d")])
    >>> r = compute_centralities(g, AnalysisOptions())
    >>> sorted(r.scores["a"])  # eigenvector: largest component only (a-b wins the tie)
    ['betweenness', 'closeness', 'degree', 'eigenvector', 'pagerank', 'weighted_degree']
    >>> "eigenvector" in r.scores["c"]
    False
    """
    result = CentralityResult(scores={node: {} for node in graph})
    result.parameters["degree"] = {}
    result.parameters["weighted_degree"] = {"weight": "evidence"}
    for node in graph:
        result.scores[node]["degree"] = graph.degree(node)
        result.scores[node]["weighted_degree"] = float(graph.degree(node, weight="weight"))
    if graph.number_of_nodes() == 0:
        return result
    between, close = _shortest_path_measures(graph, options, result)
    for name, values in (
        ("pagerank", _pagerank(graph, options, result)),
        ("betweenness", between),
        ("closeness", close),
        ("eigenvector", _eigenvector(graph, options, result)),
    ):
        for node, value in values.items():
            result.scores[node][name] = float(value)
    return result
