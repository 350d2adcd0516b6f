"""The ``aigraph`` backend's graph: a networkx graph's edges as numpy arrays, once.

networkx's own functions walk dictionaries of dictionaries; converting a 600k-edge graph to a
scipy matrix with :func:`networkx.to_scipy_sparse_array` costs seconds because it reads every
edge's attribute dictionary in Python. :func:`from_networkx` reads the edges once (only the
weight attribute asked for) into three arrays; the sparse matrix and the igraph graph the
algorithms need are built from those arrays on first use and kept on the object, so PageRank,
eigenvector, Louvain, modularity and bridges share one conversion (networkx caches the
converted graph on the original graph between calls).

Only undirected simple graphs (:class:`networkx.Graph`) are converted; node order is the
networkx graph's (``list(G)``), so results come back keyed and ordered like networkx's.

Examples
--------
>>> import networkx as nx
>>> g = from_networkx(nx.Graph([("a", "b", {"weight": 2.0}), ("b", "c")]), {"weight": 1})
>>> g.nodes, g.source.tolist(), g.target.tolist(), g.weights["weight"].tolist()
(['a', 'b', 'c'], [0, 1], [1, 2], [2.0, 1.0])
>>> g.adjacency("weight").toarray().tolist()
[[0.0, 2.0, 0.0], [2.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping, Sequence
from itertools import chain
from operator import methodcaller
from typing import Any

import numpy as np
import scipy.sparse as sp

#: The name networkx knows the backend by (``backend="aigraph"``).
BACKEND_NAME = "aigraph"


class CSRGraph:
    """An undirected simple graph as edge arrays, with cached derived structures.

    Parameters
    ----------
    nodes : sequence
        Node keys in networkx's order; node ``i`` of the arrays is ``nodes[i]``.
    source, target : numpy.ndarray
        Integer end points of each edge, every undirected edge once (``u == v`` for a
        self-loop).
    weights : mapping
        Edge attribute name -> float array aligned with ``source``/``target``.
    graph_attrs : mapping, optional
        The networkx graph's ``G.graph`` (kept so a converted graph reports the same).
    """

    __networkx_backend__ = BACKEND_NAME

    def __init__(
        self,
        nodes: Sequence[Hashable],
        source: np.ndarray,
        target: np.ndarray,
        weights: Mapping[str, np.ndarray] | None = None,
        graph_attrs: Mapping[str, Any] | None = None,
    ) -> None:
        self.nodes = list(nodes)
        self.source = source
        self.target = target
        self.weights = dict(weights or {})
        self.graph = dict(graph_attrs or {})
        self._index: dict[Hashable, int] | None = None
        self._adjacency: dict[str | None, sp.csr_array] = {}
        self._igraph: Any = None

    # The few graph methods networkx's dispatcher and callers may ask a backend graph.
    def is_directed(self) -> bool:
        return False

    def is_multigraph(self) -> bool:
        return False

    def __len__(self) -> int:
        return len(self.nodes)

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self.nodes)

    def __contains__(self, node: object) -> bool:
        return node in self.index

    def number_of_nodes(self) -> int:
        return len(self.nodes)

    def number_of_edges(self) -> int:
        return len(self.source)

    @property
    def index(self) -> dict[Hashable, int]:
        """Node key -> position."""
        if self._index is None:
            self._index = {node: i for i, node in enumerate(self.nodes)}
        return self._index

    def edge_weights(self, weight: str | None) -> np.ndarray:
        """Weights of ``weight`` per edge; all ones when ``weight`` is ``None``.

        Raises
        ------
        KeyError
            The attribute was not converted (the dispatcher converts the ones a function's
            ``weight`` argument names).
        """
        if weight is None:
            return np.ones(len(self.source))
        return self.weights[weight]

    def adjacency(self, weight: str | None) -> sp.csr_array:
        """Symmetric weighted adjacency matrix, as :func:`networkx.to_scipy_sparse_array`
        builds it for an undirected graph (a self-loop's weight once on the diagonal)."""
        if weight not in self._adjacency:
            n = len(self.nodes)
            w = self.edge_weights(weight)
            off = self.source != self.target
            rows = np.concatenate([self.source, self.target[off]])
            cols = np.concatenate([self.target, self.source[off]])
            data = np.concatenate([w, w[off]])
            self._adjacency[weight] = sp.csr_array((data, (rows, cols)), shape=(n, n))
        return self._adjacency[weight]

    def degrees(self, weight: str | None = None) -> np.ndarray:
        """Degree of every node (sum of ``weight`` if given); a self-loop counts twice, as in
        networkx."""
        w = self.edge_weights(weight)
        n = len(self.nodes)
        return np.bincount(self.source, w, n) + np.bincount(self.target, w, n)

    def components(self) -> np.ndarray:
        """Connected component label of every node (scipy's labels)."""
        from scipy.sparse import csgraph

        return csgraph.connected_components(self.adjacency(None), directed=False)[1]

    def subgraph(self, positions: np.ndarray) -> CSRGraph:
        """The subgraph induced by the nodes at ``positions`` (increasing), edges in order."""
        keep = np.zeros(len(self.nodes), dtype=bool)
        keep[positions] = True
        renumber = np.cumsum(keep) - 1
        inside = keep[self.source] & keep[self.target]
        return CSRGraph(
            [self.nodes[i] for i in positions],
            renumber[self.source[inside]],
            renumber[self.target[inside]],
            {name: w[inside] for name, w in self.weights.items()},
            self.graph,
        )

    def igraph(self) -> Any:
        """The same graph as an :class:`igraph.Graph` (edge ``i`` is edge ``i`` here)."""
        if self._igraph is None:
            import igraph

            # A list of int pairs: igraph reads it several times faster than an array.
            edges = list(zip(self.source.tolist(), self.target.tolist(), strict=True))
            self._igraph = igraph.Graph(n=len(self.nodes), edges=edges, directed=False)
        return self._igraph


def from_networkx(graph: Any, edge_attrs: Mapping[str, Any] | None = None) -> CSRGraph:
    """Convert an undirected simple networkx graph, keeping the edge attributes asked for.

    Parameters
    ----------
    graph : networkx.Graph
    edge_attrs : mapping, optional
        Attribute name -> value for edges without it (networkx's dispatcher passes the
        attributes a call's ``weight`` argument names, e.g. ``{"weight": 1}``). Kept as
        float arrays.

    Raises
    ------
    NotImplementedError
        For directed graphs and multigraphs (the dispatcher then reports that the backend
        cannot run the call).

    Examples
    --------
    >>> import networkx as nx
    >>> from_networkx(nx.path_graph(4)).number_of_edges()
    3
    """
    if graph.is_directed() or graph.is_multigraph():
        raise NotImplementedError("the aigraph backend handles undirected simple graphs only")
    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    # The adjacency dict-of-dicts read with C-level iterators (map, chain) instead of a
    # Python loop per edge: 600k edges in about 0.3 s instead of 3 s. ``_adj`` is the
    # dict-of-dicts networkx's own converters read; each undirected edge appears in both
    # end points' rows (a self-loop once).
    adjacency = graph._adj
    per_row = np.fromiter(map(len, adjacency.values()), np.int64, len(nodes))
    entries = int(per_row.sum())
    rows = np.repeat(np.arange(len(nodes), dtype=np.int64), per_row)
    cols = np.fromiter(
        map(index.__getitem__, chain.from_iterable(adjacency.values())), np.int64, entries
    )
    # networkx's ``G.edges()`` lists u-v once, from the end point that comes first in node
    # order (a self-loop from its node): the entries with ``col >= row``, in row order.
    once = cols >= rows
    weights = {}
    for name, default in (edge_attrs or {}).items():
        values = map(
            methodcaller("get", name, default),
            chain.from_iterable(map(dict.values, adjacency.values())),
        )
        weights[name] = np.fromiter(values, np.float64, entries)[once]
    return CSRGraph(nodes, rows[once], cols[once], weights, graph.graph)
