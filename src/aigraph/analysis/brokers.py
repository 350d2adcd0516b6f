"""Brokers: nodes and edges that hold communities together.

- top betweenness nodes (from the centralities);
- bridge edges (removing one disconnects its component; :func:`bridge_edges` finds the
  same set as ``networkx.bridges``, faster), with the
  communities of their two ends; a bridge to a leaf is *trivial* and listed apart;
- participation coefficient per node against the Louvain partition (Guimerà & Amaral):
  ``P_i = 1 - sum_s (k_is / k_i)^2`` over communities ``s``, on unweighted links; 0 for
  nodes whose links all stay in one community (and for isolates), towards 1 for nodes whose
  links spread evenly over many communities.

Examples
--------
>>> import networkx as nx
>>> g = nx.Graph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "e"), ("e", "c")])
>>> participation_coefficients(g, {"a": 0, "b": 0, "c": 1, "d": 1, "e": 1})["c"]
0.4444444444444444
>>> find_bridges(g, {"a": 0, "b": 0, "c": 1, "d": 1, "e": 1})[0]
Bridge(u='b', v='c', community_u=0, community_v=1, trivial=False)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx


@dataclass(frozen=True)
class Bridge:
    """An edge whose removal disconnects its component (``u < v``)."""

    u: str
    v: str
    community_u: int
    community_v: int
    #: One end has degree 1: the bridge only attaches a leaf.
    trivial: bool

    @property
    def between_communities(self) -> bool:
        return self.community_u != self.community_v


def participation_coefficients(graph: nx.Graph, membership: Mapping[str, int]) -> dict[str, float]:
    """Participation coefficient of every node against ``membership`` (node -> community)."""
    result: dict[str, float] = {}
    for node in graph:
        degree = graph.degree(node)
        if degree == 0:
            result[node] = 0.0
            continue
        per_community = Counter(membership[n] for n in graph[node])
        result[node] = 1.0 - sum((k / degree) ** 2 for k in per_community.values())
    return result


def bridge_edges(graph: nx.Graph) -> list[tuple[str, str]]:
    """The bridges of an undirected simple graph: the same set as ``networkx.bridges``.

    An iterative depth-first search with low links (Tarjan), linear in nodes and edges; about
    ten times faster than networkx's chain decomposition on 600k edges.

    Examples
    --------
    >>> import networkx as nx
    >>> sorted(bridge_edges(nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])))
    [('c', 'd')]
    """
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    found: list[tuple[str, str]] = []
    counter = 0
    adjacency = graph.adj
    for root in graph:
        if root in order:
            continue
        order[root] = low[root] = counter
        counter += 1
        # Stack of (node, parent, iterator over neighbours).
        stack = [(root, None, iter(adjacency[root]))]
        while stack:
            node, parent, neighbours = stack[-1]
            advanced = False
            for nxt in neighbours:
                if nxt in (parent, node):
                    continue
                if nxt in order:
                    if order[nxt] < low[node]:
                        low[node] = order[nxt]
                    continue
                order[nxt] = low[nxt] = counter
                counter += 1
                stack.append((nxt, node, iter(adjacency[nxt])))
                advanced = True
                break
            if advanced:
                continue
            stack.pop()
            if parent is not None:
                if low[node] < low[parent]:
                    low[parent] = low[node]
                if low[node] > order[parent]:
                    found.append((parent, node))
    return found


def find_bridges(graph: nx.Graph, membership: Mapping[str, int]) -> list[Bridge]:
    """Every bridge edge, non-trivial first, then by communities crossed, then by IRIs."""
    bridges = []
    for a, b in bridge_edges(graph):
        u, v = (a, b) if a < b else (b, a)
        trivial = min(graph.degree(u), graph.degree(v)) == 1
        bridges.append(Bridge(u, v, membership[u], membership[v], trivial))
    return sorted(bridges, key=lambda br: (br.trivial, not br.between_communities, br.u, br.v))


def inter_community_edges(graph: nx.Graph, membership: Mapping[str, int]) -> int:
    """How many edges join two different communities."""
    return sum(1 for u, v in graph.edges if membership[u] != membership[v])
