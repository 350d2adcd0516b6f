"""Network analysis of the knowledge graph: who is central, which clusters form, who brokers.

One algorithm family per module: :mod:`.projection` (RDF -> networkx), :mod:`.centrality`,
:mod:`.communities`, :mod:`.brokers`, :mod:`.results` (back to RDF), :mod:`.report` (tables,
Markdown, CSV, PNG). :mod:`.nxbackend` is aigraph's networkx dispatch backend, which the
measures use on large graphs (``AnalysisOptions.backend_min_nodes``).

Examples
--------
>>> from rdflib import Dataset
>>> from aigraph.analysis import analyse
>>> result = analyse(Dataset(default_union=True))
>>> result.graph.number_of_nodes()
0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from .brokers import Bridge, find_bridges, inter_community_edges, participation_coefficients
from .centrality import CentralityResult, backend_graph, compute_centralities
from .communities import CommunityResult, detect_communities
from .options import AnalysisOptions
from .projection import Network, project, projection_names, read_network


@dataclass
class AnalysisResult:
    """Everything one run computed on one projection."""

    projection: str
    graph: nx.Graph
    centralities: CentralityResult
    communities: CommunityResult
    participation: dict[str, float]
    bridges: list[Bridge]
    inter_community_edges: int
    options: AnalysisOptions
    notes: list[str] = field(default_factory=list)
    #: Labels of places a community spans that are not nodes of the projection.
    place_labels: dict[str, str] = field(default_factory=dict)


def analyse_graph(
    graph: nx.Graph,
    options: AnalysisOptions | None = None,
    places: Mapping[str, Iterable[str]] | None = None,
) -> AnalysisResult:
    """Analyse an already projected networkx graph (nodes carry ``type``; edges ``weight``).

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_edge("a", "b", weight=2)
    >>> analyse_graph(g).communities.membership
    {'a': 0, 'b': 0}
    """
    options = options or AnalysisOptions()
    centralities = compute_centralities(graph, options)
    communities = detect_communities(graph, options, centralities.scores, places or {})
    # The graph converted for aigraph's networkx backend on large graphs (made once, by the
    # first measure, and cached on ``graph``); None below ``options.backend_min_nodes``.
    fast = backend_graph(graph, options)
    participation = participation_coefficients(graph, communities.membership, fast)
    notes = [
        "the projection is undirected: a relation is a tie whichever its direction; edge "
        "weights count distinct evidence nodes",
        *centralities.notes,
        *communities.notes,
    ]
    return AnalysisResult(
        projection=graph.graph.get("projection", options.projection),
        graph=graph,
        centralities=centralities,
        communities=communities,
        participation=participation,
        bridges=find_bridges(graph, communities.membership, fast),
        inter_community_edges=inter_community_edges(graph, communities.membership, fast),
        options=options,
        notes=notes,
    )


def analyse(source: Any, options: AnalysisOptions | None = None) -> AnalysisResult:
    """Read the graph from a store or rdflib graph, project it, and analyse the projection.

    ``source`` is an :class:`aigraph.store.Store` or an :class:`rdflib.Graph` (a
    :class:`rdflib.Dataset` must be opened with ``default_union=True``).
    """
    options = options or AnalysisOptions()
    network = read_network(source)
    graph = project(network, options.projection)
    places = network.places_of()
    result = analyse_graph(graph, options, places)
    spanned = {p for members in places.values() for p in members}
    result.place_labels = {p: network.entities[p].label for p in sorted(spanned)}
    return result


@dataclass
class AnalysisRun:
    """What :func:`run_analysis` did: the result, the console text, the files written."""

    result: AnalysisResult
    text: str
    files: list[Path]
    #: Whether the analysis named graph was written into the store.
    stored: bool


def run_analysis(
    options: AnalysisOptions,
    out_dir: str | Path,
    store_dir: str | Path | None = None,
    graph_file: str | Path | None = None,
) -> AnalysisRun:
    """Analyse the store (or an RDF file), write the report to ``out_dir`` and, for a store,
    replace its analysis named graph with the results. What ``aigraph analyze`` runs.

    Exactly one of ``store_dir`` and ``graph_file`` is read; ``graph_file`` (Turtle, TriG,
    N-Triples, N-Quads) is loaded into an in-memory store and nothing is written back.

    Raises
    ------
    StoreNotBuiltError
        No store at ``store_dir``.
    ProjectionError
        Unknown projection name.
    """
    from .. import store as store_module
    from .report import render_text, write_report
    from .results import analysis_triples

    if options.projection not in projection_names():
        project(Network(entities={}, triples=frozenset()), options.projection)  # raises
    if graph_file is not None:
        source = store_module.memory_store()
        dataset = store_module.load_rdf(Path(graph_file))
        source.load_quads(
            (s, p, o, g) for s, p, o, g in dataset.quads((None, None, None, None)) if g is not None
        )
        stored = False
    else:
        source = store_module.open_store(Path(store_dir) if store_dir else Path(".aigraph/store"))
        stored = True
    try:
        result = analyse(source, options)
        files = write_report(result, out_dir)
        if stored:
            source.write_analysis(analysis_triples(result))
    finally:
        source.close()
    return AnalysisRun(result, render_text(result), files, stored)


__all__ = [
    "AnalysisOptions",
    "AnalysisRun",
    "run_analysis",
    "AnalysisResult",
    "Network",
    "analyse",
    "analyse_graph",
    "project",
    "projection_names",
    "read_network",
]
