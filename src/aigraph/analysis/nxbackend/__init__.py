"""``aigraph``: a networkx dispatch backend for the measures the analysis runs on large graphs.

networkx (3.3 and later) sends a call to a *backend* when asked with ``backend=``; aigraph
registers itself as one (entry point ``networkx.backends``, name ``aigraph``), so the analysis
and any caller keep networkx's API::

    nx.community.louvain_communities(G, weight="weight", seed=42, backend="aigraph")

The backend converts a networkx graph once into edge arrays (:mod:`.graph`; networkx caches the
converted graph on ``G``, so the functions below share one conversion) and implements:

==============================  =========================================================
``pagerank``                    networkx's iteration on a scipy matrix (:mod:`.link_analysis`)
``eigenvector_centrality``      networkx's iteration on a scipy matrix (:mod:`.link_analysis`)
``louvain_communities``         igraph's multilevel algorithm, seeded (:mod:`.community`)
``modularity``                  networkx's formula over edge arrays (:mod:`.community`)
``bridges``                     igraph's bridge search, networkx's order (:mod:`.bridges`)
==============================  =========================================================

Undirected simple graphs only; other graphs (and Louvain with a non-default ``threshold``) are
declined through ``can_run``, with the reason. PageRank, eigenvector, modularity and bridges
give networkx's results (to floating-point rounding); Louvain gives a partition of comparable
modularity, the same for the same seed (the analysis records which backend ran).

Examples
--------
>>> import networkx as nx
>>> registered()  # when aigraph is installed (pip install -e .)
True
>>> g = nx.karate_club_graph()
>>> fast = nx.pagerank(g, backend="aigraph")
>>> max(abs(fast[v] - p) for v, p in nx.pagerank(g).items()) < 1e-12
True
>>> a = nx.community.louvain_communities(g, seed=1, backend="aigraph")
>>> a == nx.community.louvain_communities(g, seed=1, backend="aigraph")
True
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

import networkx as nx

from . import bridges as _bridges
from . import community as _community
from . import link_analysis as _link_analysis
from .graph import BACKEND_NAME, CSRGraph, from_networkx


def registered() -> bool:
    """Whether networkx knows the backend (aigraph was installed with its entry points)."""
    return BACKEND_NAME in nx.utils.backends.backends


def converted(graph: Any, min_nodes: int = 0) -> CSRGraph | None:
    """``graph`` as the backend's graph (weights from ``weight``, 1 where missing), converted
    once and kept in ``graph.__networkx_cache__``; ``None`` when the backend is not
    registered or ``graph`` has fewer than ``min_nodes`` nodes.

    Passing the result to a networkx function runs the backend's implementation (networkx
    dispatches on the graph's type), so several calls share one conversion. networkx
    empties ``__networkx_cache__`` whenever the graph is changed through its methods, so a
    changed graph is converted again.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.path_graph(3)
    >>> converted(g) is converted(g), converted(g, min_nodes=10)
    (True, None)
    >>> nx.pagerank(converted(g)) == nx.pagerank(g, backend="aigraph")
    True
    """
    if len(graph) < min_nodes or not registered():
        return None
    cache = getattr(graph, "__networkx_cache__", None)
    if cache is None or not nx.config.cache_converted_graphs:  # caching switched off
        return from_networkx(graph, {"weight": 1})
    if BACKEND_NAME not in cache:
        cache[BACKEND_NAME] = from_networkx(graph, {"weight": 1})
    return cache[BACKEND_NAME]


_LOUVAIN = inspect.signature(_community.louvain_communities)


def _graph_argument(args: tuple, kwargs: Mapping[str, Any]) -> Any:
    return args[0] if args else kwargs.get("G")


class BackendInterface:
    """What networkx loads from the ``networkx.backends`` entry point."""

    @staticmethod
    def convert_from_nx(
        G: Any,
        edge_attrs: Mapping[str, Any] | None = None,
        node_attrs: Mapping[str, Any] | None = None,
        preserve_edge_attrs: bool = False,
        preserve_node_attrs: bool = False,
        preserve_graph_attrs: bool = False,
        name: str | None = None,
        graph_name: str | None = None,
    ) -> CSRGraph:
        if preserve_edge_attrs:
            # Every attribute of every edge: none of the implemented functions needs that.
            raise NotImplementedError("the aigraph backend converts named edge attributes only")
        return from_networkx(G, edge_attrs)

    @staticmethod
    def convert_to_nx(obj: Any, *, name: str | None = None) -> Any:
        # Results are dicts, lists and generators of networkx's node keys already.
        return obj

    @staticmethod
    def can_run(name: str, args: tuple, kwargs: Mapping[str, Any]) -> bool | str:
        graph = _graph_argument(args, kwargs)
        if isinstance(graph, nx.Graph) and (graph.is_directed() or graph.is_multigraph()):
            return "the aigraph backend handles undirected simple graphs only"
        if name == "louvain_communities":
            bound = _LOUVAIN.bind_partial(
                *args, **{k: v for k, v in kwargs.items() if k != "backend"}
            )
            return _community.can_run_louvain(
                bound.arguments.get("threshold", _community.DEFAULT_THRESHOLD)
            )
        return True

    @staticmethod
    def should_run(name: str, args: tuple, kwargs: Mapping[str, Any]) -> bool:
        return True

    pagerank = staticmethod(_link_analysis.pagerank)
    eigenvector_centrality = staticmethod(_link_analysis.eigenvector_centrality)
    louvain_communities = staticmethod(_community.louvain_communities)
    modularity = staticmethod(_community.modularity)
    bridges = staticmethod(_bridges.bridges)


#: The object the entry point names.
backend_interface = BackendInterface()

__all__ = [
    "BACKEND_NAME",
    "CSRGraph",
    "backend_interface",
    "converted",
    "from_networkx",
    "registered",
]
