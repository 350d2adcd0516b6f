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

From ``options.backend_min_nodes`` nodes up, degree, PageRank and eigenvector run on aigraph's
networkx dispatch backend (:mod:`aigraph.analysis.nxbackend`: networkx's own iterations on a
scipy matrix, converted once), and betweenness/closeness kernels reuse the same conversion.

Examples
--------
>>> import networkx as nx
>>> g = nx.path_graph(["a", "b", "c"])
>>> result = compute_centralities(g, AnalysisOptions())
>>> result.scores["b"]["degree"], round(result.scores["b"]["betweenness"], 3)
(2, 1.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from . import kernels, nxbackend
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


def backend_graph(graph: nx.Graph, options: AnalysisOptions | None) -> nxbackend.CSRGraph | None:
    """The graph converted for aigraph's networkx backend when it is registered and the graph
    has at least ``options.backend_min_nodes`` nodes; ``None`` otherwise (or without options).

    networkx functions given the converted graph run the backend's implementation; the
    conversion is made once per graph (cached on it) and shared by every measure.
    """
    if options is None:
        return None
    return nxbackend.converted(graph, options.backend_min_nodes)


def _backend(graph: nx.Graph, options: AnalysisOptions) -> str | None:
    """The backend :func:`backend_graph` converts for, without converting."""
    if len(graph) >= options.backend_min_nodes and nxbackend.registered():
        return nxbackend.BACKEND_NAME
    return None


def largest_component(graph: nx.Graph, options: AnalysisOptions | None = None) -> set[str]:
    """The largest connected component; ties broken by the smallest member IRI.

    Examples
    --------
    >>> import networkx as nx
    >>> sorted(largest_component(nx.Graph([("b", "c"), ("a", "d")])))
    ['a', 'd']
    """
    if graph.number_of_nodes() == 0:
        return set()
    fast = backend_graph(graph, options)
    if fast is None:
        return min(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    labels = fast.components()
    sizes = np.bincount(labels)
    members = [np.flatnonzero(labels == c) for c in np.flatnonzero(sizes == sizes.max())]
    best = min(members, key=lambda positions: min(fast.nodes[i] for i in positions))
    return {fast.nodes[i] for i in best}


def _pagerank(graph: nx.Graph, options: AnalysisOptions, result: CentralityResult) -> dict:
    fast = backend_graph(graph, options)
    params: dict[str, object] = {"alpha": 0.85, "weight": "evidence", "tol": 1e-9}
    if fast is not None:
        params["backend"] = nxbackend.BACKEND_NAME
        result.notes.append(
            "PageRank computed by aigraph's networkx dispatch backend (networkx's iteration "
            f"on a scipy matrix) because the graph has {len(graph)} nodes (backend from "
            f"{options.backend_min_nodes})"
        )
    scores = nx.pagerank(
        graph if fast is None else fast, alpha=0.85, weight="weight", tol=1e-9, max_iter=1000
    )
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
    # The backend's converted graph, when there is one, saves building the matrix again.
    fast = backend_graph(graph, options)
    source = graph if fast is None else fast
    sampled = kernels.sample_sources(source, k, seed)
    traversal = kernels.traverse(source, sampled)
    between = kernels.betweenness_from(traversal, sampled)
    if exact_closeness and not exact_betweenness:
        return between, kernels.closeness(source)
    return between, kernels.closeness_from(traversal, exact=exact_closeness)


def _eigenvector(graph: nx.Graph, options: AnalysisOptions, result: CentralityResult) -> dict:
    component = largest_component(graph, options)
    if len(component) < 2:
        result.parameters["eigenvector"] = {"skipped": True}
        return {}
    params: dict[str, object] = {"scope": "largest component", "nodes": len(component)}
    connected = len(component) == graph.number_of_nodes()
    if not connected:
        result.notes.append(
            f"eigenvector centrality on the largest connected component only "
            f"({len(component)} of {graph.number_of_nodes()} nodes)"
        )
    fast = backend_graph(graph, options)
    if fast is not None:
        # A connected graph is used as is; otherwise the component is cut from the
        # converted arrays (copying a 100k-node networkx subgraph costs seconds).
        if connected:
            core = fast
        else:
            positions = np.fromiter((fast.index[n] for n in component), np.int64, len(component))
            core = fast.subgraph(np.sort(positions))
        try:
            scores = nx.eigenvector_centrality(core, weight="weight", max_iter=1000, tol=1e-8)
            params.update(method="power iteration", backend=nxbackend.BACKEND_NAME)
            result.notes.append(
                "eigenvector computed by aigraph's networkx dispatch backend (networkx's power "
                "iteration on a scipy matrix)"
            )
        except nx.PowerIterationFailedConvergence:
            # The same fallback as without the backend, on networkx's graph (the backend does
            # not implement the eigensolver variant).
            params["method"] = "sparse eigensolver"
            result.notes.append(
                "eigenvector power iteration did not converge in 1000 steps; computed by the "
                "sparse eigensolver instead"
            )
            subgraph = graph if connected else graph.subgraph(sorted(component)).copy()
            scores = nx.eigenvector_centrality_numpy(subgraph, weight="weight")
    else:
        core = graph if connected else graph.subgraph(sorted(component)).copy()
        if core.number_of_nodes() > options.large_graph_nodes:
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
    fast = backend_graph(graph, options)
    if fast is None:
        degree, weighted = graph.degree(), graph.degree(weight="weight")
    else:
        # From the converted arrays: two bincounts instead of 200k Python degree calls.
        degree = zip(fast.nodes, fast.degrees(None).astype(int).tolist(), strict=True)
        weighted = zip(fast.nodes, fast.degrees("weight").tolist(), strict=True)
    for node, value in degree:
        result.scores[node]["degree"] = value
    for node, value in weighted:
        result.scores[node]["weighted_degree"] = float(value)
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
