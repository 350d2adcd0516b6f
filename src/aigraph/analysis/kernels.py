"""Traversal-heavy measures on scipy sparse matrices, reproducing networkx's results.

networkx runs one pure-Python traversal per source node; on a 100k-node graph a single one
takes about a second, so sampled betweenness with a useful ``k`` does not finish in minutes.
These kernels do the *same computation* with many sources at once:

- :func:`betweenness` is Brandes' algorithm batched over sources (a breadth-first level is a
  sparse matrix times a dense ``nodes x sources`` block). For the same ``k`` and ``seed`` it
  draws the same sources as :func:`networkx.betweenness_centrality` (``random.Random(seed)
  .sample(list(G), k)``) and applies networkx's rescaling, so the scores agree to rounding
  (``tests/test_analysis_kernels.py`` checks this);
- :func:`closeness` uses the same batched breadth-first searches and networkx's
  Wasserman-Faust formula; exact when every node is a source, an Eppstein-Wang estimate from
  ``k`` pivots otherwise. :func:`traverse` gives both from one pass, so a sampled analysis
  gets closeness from the betweenness sources at no extra cost.

Both treat the graph as unweighted and undirected (hop-count shortest paths).

Examples
--------
>>> import networkx as nx
>>> g = nx.path_graph(["a", "b", "c", "d"])
>>> betweenness(g) == nx.betweenness_centrality(g)
True
>>> closeness(g) == nx.closeness_centrality(g)
True
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph

from .nxbackend.graph import CSRGraph

#: Sources traversed together; bounds memory at about 6 arrays of ``nodes x BATCH`` floats.
BATCH = 64


@dataclass
class Traversal:
    """Sums over a set of breadth-first sources, per node (in ``nodes`` order).

    ``dependency``: Brandes' dependencies (ordered pairs, endpoints excluded);
    ``distance_sum`` / ``reached``: sum of hop distances from the sources that reach the node,
    and how many reach it (a source does not count for itself).
    """

    nodes: list
    dependency: np.ndarray
    distance_sum: np.ndarray
    reached: np.ndarray
    component_size: np.ndarray


def adjacency_matrix(graph: nx.Graph | CSRGraph, nodes: Sequence) -> sp.csr_array:
    """Symmetric 0/1 adjacency in ``nodes`` order, without self-loops.

    Built from an edge array rather than ``nx.to_scipy_sparse_array``, which walks the edge
    attributes in Python (6 s instead of 0.5 s on 600k edges); a graph already converted for
    aigraph's networkx backend (:class:`~aigraph.analysis.nxbackend.CSRGraph`, whose node
    order ``nodes`` must be) gives its edge arrays directly.
    """
    n = len(nodes)
    if isinstance(graph, CSRGraph):
        pairs = np.column_stack([graph.source, graph.target])
    else:
        index = {node: i for i, node in enumerate(nodes)}
        m = graph.number_of_edges()
        pairs = np.fromiter(
            (i for u, v in graph.edges() for i in (index[u], index[v])),
            dtype=np.int64,
            count=2 * m,
        ).reshape(-1, 2)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]  # a self-loop never lies on a shortest path
    rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0]])
    matrix = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return matrix


def traverse(
    graph: nx.Graph | CSRGraph, sources: Sequence | None = None, dependencies: bool = True
) -> Traversal:
    """Breadth-first searches from ``sources`` (all nodes if ``None``), many at a time.

    ``graph`` is a networkx graph or the same graph converted for aigraph's backend.

    Examples
    --------
    >>> import networkx as nx
    >>> t = traverse(nx.path_graph(["a", "b", "c"]), ["a"])
    >>> t.distance_sum.tolist(), t.reached.tolist(), t.dependency.tolist()
    ([0.0, 1.0, 2.0], [0.0, 1.0, 1.0], [0.0, 1.0, 0.0])
    """
    nodes = list(graph)
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    adjacency = adjacency_matrix(graph, nodes)
    _, labels = csgraph.connected_components(adjacency, directed=False)
    component_size = np.bincount(labels)[labels] if n else np.zeros(0, dtype=np.int64)
    starts = (
        np.arange(n, dtype=np.int64)
        if sources is None
        else np.array([index[s] for s in sources], dtype=np.int64)
    )
    dependency = np.zeros(n)
    distance_sum = np.zeros(n)
    reached = np.zeros(n)
    for first in range(0, len(starts), BATCH):
        chunk = starts[first : first + BATCH]
        k = len(chunk)
        columns = np.arange(k)
        sigma = np.zeros((n, k))
        dist = np.full((n, k), -1, dtype=np.int32)
        sigma[chunk, columns] = 1.0
        dist[chunk, columns] = 0
        frontier = sigma.copy()
        depth = 0
        while True:
            # Paths into each node from the current level: the sum of its predecessors' sigma.
            reach = adjacency @ frontier
            new = (dist < 0) & (reach > 0)
            if not new.any():
                break
            depth += 1
            sigma[new] = reach[new]
            dist[new] = depth
            frontier = np.where(new, sigma, 0.0)
        seen = dist > 0
        distance_sum += np.where(seen, dist, 0).sum(axis=1)
        reached += seen.sum(axis=1)
        if not dependencies:
            continue
        delta = np.zeros((n, k))
        safe_sigma = np.where(sigma > 0, sigma, 1.0)
        for level in range(depth, 0, -1):
            share = np.where(dist == level, (1.0 + delta) / safe_sigma, 0.0)
            back = adjacency @ share
            delta += np.where(dist == level - 1, sigma * back, 0.0)
        delta[chunk, columns] = 0.0
        dependency += delta.sum(axis=1)
    return Traversal(nodes, dependency, distance_sum, reached, component_size)


def sample_sources(graph: nx.Graph | CSRGraph, k: int | None, seed: int | None) -> list | None:
    """networkx's draw for sampled betweenness: ``Random(seed).sample(list(G), k)``;
    ``None`` (every node) when ``k`` is ``None`` or not below the node count."""
    if k is None or k >= graph.number_of_nodes():
        return None
    return random.Random(seed).sample(list(graph), k)


def betweenness_from(traversal: Traversal, sampled: Sequence | None, normalized: bool = True):
    """Betweenness from a traversal, with networkx's rescaling."""
    from networkx.algorithms.centrality.betweenness import _rescale

    scores = {node: float(traversal.dependency[i]) for i, node in enumerate(traversal.nodes)}
    return _rescale(
        scores,
        len(traversal.nodes),
        normalized=normalized,
        directed=False,
        endpoints=False,
        sampled_nodes=sampled,
    )


def closeness_from(traversal: Traversal, exact: bool) -> dict:
    """Wasserman-Faust closeness from a traversal (exact when every node was a source)."""
    n = len(traversal.nodes)
    scores: dict = {}
    for i, node in enumerate(traversal.nodes):
        size, total, reached = (
            traversal.component_size[i],
            traversal.distance_sum[i],
            traversal.reached[i],
        )
        if size == 1 or n == 1:
            scores[node] = 0.0
        elif reached > 0 and total > 0:
            if exact:
                # The same arithmetic as networkx, in the same order.
                value = reached / total * (reached / (n - 1))
            else:
                value = (1.0 / (total / reached)) * (size - 1) / (n - 1)
            scores[node] = float(value)
    return scores


def betweenness(
    graph: nx.Graph, k: int | None = None, seed: int | None = None, normalized: bool = True
) -> dict:
    """Hop-count betweenness, as ``networkx.betweenness_centrality(graph, k, normalized,
    seed=seed)`` computes it (undirected graphs, no weights, endpoints excluded).

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.relabel_nodes(nx.karate_club_graph(), str)
    >>> fast, slow = betweenness(g, k=5, seed=1), nx.betweenness_centrality(g, k=5, seed=1)
    >>> max(abs(fast[v] - slow[v]) for v in g) < 1e-12
    True
    """
    if graph.is_directed():
        raise ValueError("the kernels handle undirected graphs only")
    if graph.number_of_nodes() == 0:
        return {}
    sampled = sample_sources(graph, k, seed)
    return betweenness_from(traverse(graph, sampled), sampled, normalized)


def closeness(graph: nx.Graph | CSRGraph, pivots: Sequence | None = None) -> dict:
    """Wasserman-Faust closeness (networkx's default); estimated from ``pivots`` if given.

    With pivots, a node's mean distance to its component is estimated by its mean distance
    to the pivots in that component (Eppstein & Wang); nodes of a component without a pivot
    get no score, isolated nodes get 0.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("x", "y")])
    >>> g.add_node("z")
    >>> closeness(g) == nx.closeness_centrality(g)
    True
    """
    if graph.is_directed():
        raise ValueError("the kernels handle undirected graphs only")
    if graph.number_of_nodes() == 0:
        return {}
    return closeness_from(traverse(graph, pivots, dependencies=False), exact=pivots is None)
