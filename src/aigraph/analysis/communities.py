"""Communities (seeded Louvain) and connected components, each described for a reader.

Numbering is deterministic: communities (and components) are sorted by size, largest first,
then by their smallest member IRI; community 0 is the largest.

Examples
--------
>>> import networkx as nx
>>> g = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y")])
>>> for n in g:
...     g.nodes[n]["type"] = "Firm"
>>> r = detect_communities(g, AnalysisOptions(), scores={}, places={})
>>> [c.members for c in r.communities]
[('a', 'b', 'c'), ('x', 'y')]
>>> r.membership["y"]
1
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx

from . import nxbackend
from .centrality import backend_graph
from .options import AnalysisOptions


@dataclass(frozen=True)
class Community:
    """One community: members (sorted IRIs) and what describes it.

    ``type_counts``: ``(type, count)`` most frequent first; ``central_members``: members by
    PageRank (then degree, then IRI); ``places``: ``(place IRI, number of members in it)``,
    counting members that are places and places members are located in.
    """

    index: int
    members: tuple[str, ...]
    type_counts: tuple[tuple[str, int], ...]
    central_members: tuple[str, ...]
    places: tuple[tuple[str, int], ...]

    @property
    def dominant_type(self) -> str:
        return self.type_counts[0][0] if self.type_counts else ""


@dataclass
class CommunityResult:
    """Louvain communities, their modularity (``None`` on a graph without edges), components."""

    communities: list[Community]
    membership: dict[str, int]
    modularity: float | None
    components: list[tuple[str, ...]]
    parameters: dict[str, object] = field(default_factory=dict)
    #: What the report should tell the reader about how the communities were found.
    notes: list[str] = field(default_factory=list)


def order_groups(groups: Iterable[Iterable[str]]) -> list[tuple[str, ...]]:
    """Groups as sorted tuples, largest first, ties by smallest member.

    Examples
    --------
    >>> order_groups([{"c"}, {"b", "a"}, {"d"}])
    [('a', 'b'), ('c',), ('d',)]
    """
    return sorted((tuple(sorted(g)) for g in groups), key=lambda g: (-len(g), g[0]))


def _describe(
    index: int,
    members: tuple[str, ...],
    graph: nx.Graph,
    scores: Mapping[str, Mapping[str, float]],
    places: Mapping[str, Iterable[str]],
    options: AnalysisOptions,
) -> Community:
    types = Counter(graph.nodes[m].get("type", "") for m in members)
    type_counts = tuple(sorted(types.items(), key=lambda kv: (-kv[1], kv[0])))

    def rank_key(m: str) -> tuple:
        s = scores.get(m, {})
        return (-s.get("pagerank", 0.0), -graph.degree(m), m)

    central = tuple(sorted(members, key=rank_key)[: options.members_shown])
    place_counts = Counter(p for m in members for p in places.get(m, ()))
    spanned = tuple(sorted(place_counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return Community(index, members, type_counts, central, spanned)


def detect_communities(
    graph: nx.Graph,
    options: AnalysisOptions,
    scores: Mapping[str, Mapping[str, float]],
    places: Mapping[str, Iterable[str]],
) -> CommunityResult:
    """Seeded Louvain (evidence-weighted) with modularity, plus connected components.

    From ``options.backend_min_nodes`` nodes up, Louvain and modularity run on aigraph's
    networkx backend (igraph's multilevel algorithm, seeded; recorded in ``parameters``):
    networkx's pure-Python Louvain takes over a minute on 600k edges.

    ``scores`` (from :func:`aigraph.analysis.centrality.compute_centralities`) picks each
    community's central members; ``places`` (entity -> place IRIs) gives the places it spans.
    """
    parameters: dict[str, object] = {
        "seed": options.seed,
        "resolution": options.resolution,
        "weight": "evidence",
    }
    if graph.number_of_nodes() == 0:
        return CommunityResult([], {}, None, [], parameters)
    fast = backend_graph(graph, options)
    notes = []
    if fast is not None:
        parameters["backend"] = f"{nxbackend.BACKEND_NAME} (igraph multilevel)"
        notes.append(
            f"Louvain communities computed by aigraph's networkx dispatch backend (igraph's "
            f"multilevel algorithm, seed {options.seed}) because the graph has "
            f"{graph.number_of_nodes()} nodes (networkx's own Louvain below "
            f"{options.backend_min_nodes}); bridges found by igraph's bridge search"
        )
    # networkx runs its own Louvain on ``graph``, the backend's on the converted graph.
    target = graph if fast is None else fast
    groups = nx.community.louvain_communities(
        target, weight="weight", resolution=options.resolution, seed=options.seed
    )
    ordered = order_groups(groups)
    modularity = None
    if graph.number_of_edges():
        modularity = nx.community.modularity(
            target, ordered, weight="weight", resolution=options.resolution
        )
    communities = [
        _describe(i, members, graph, scores, places, options) for i, members in enumerate(ordered)
    ]
    membership = {m: c.index for c in communities for m in c.members}
    if fast is None:
        components = order_groups(nx.connected_components(graph))
    else:
        labels = fast.components()
        by_label: dict[int, list[str]] = {}
        for node, label in zip(fast.nodes, labels.tolist(), strict=True):
            by_label.setdefault(label, []).append(node)
        components = order_groups(by_label.values())
    return CommunityResult(communities, membership, modularity, components, parameters, notes)
