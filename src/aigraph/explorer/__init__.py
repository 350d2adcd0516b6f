"""The offline HTML graph explorer: one self-contained UTF-8 file, no request leaves the page.

The page is built from a pyvis ``Network`` (nodes added with ``add_nodes``, edge dicts
appended directly because pyvis's ``add_edge`` is quadratic) and rendered with aigraph's own
Jinja template (autoescaped) instead of pyvis's, which loads Bootstrap from a CDN and inserts
names unescaped. All data travels as JSON inside ``<script type="application/json">`` with
``<``, ``>``, ``&``, U+2028 and U+2029 escaped, and the page script reads it with
``JSON.parse`` and writes it with ``textContent`` only. A Content-Security-Policy allows only
the two inline scripts of the page (by hash) and forbids every fetch, so even an injected
``<img src=x onerror=...>`` could neither run nor load anything.

The layout is computed here (seeded Fruchterman-Reingold through igraph, networkx for tiny
graphs or when igraph is missing), physics is off and edges are straight: MEASURED.md shows
pyvis's defaults (``smooth: dynamic``, stabilisation in the browser) as the cost.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> from rdflib import Dataset
>>> ds = Dataset()
>>> _ = ds.parse("tests/data/export/mini.trig", format="trig")
>>> page = Path(tempfile.mkdtemp()) / "mini.html"
>>> write_explorer(ds, page)
[PosixPath('...mini.html')]
>>> "科大讯飞" in page.read_text(encoding="utf-8")
True
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import random
from collections.abc import Iterable, Iterator, Mapping
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import networkx as nx
from jinja2 import Environment, select_autoescape
from pyvis.network import Network
from rdflib import RDF, Graph, URIRef

from ..errors import ExportError
from ..export.model import CENTRALITIES, GraphView, build_view, view_patterns
from ..export.writers import DEFAULT_STYLE, TYPE_STYLES
from ..fsutil import atomic_write_text
from ..records import ENTITY_TYPES, RELATION_TYPES

#: The bundled vis-network (see VENDORED.md); a test checks it against the file's header.
VIS_NETWORK_VERSION = "10.1.5"
#: The whole-graph explorer shows at most this many entities, the most central ones (issue
#: 8's usable size: 5,000 nodes draw in a few seconds; 20,000 did not draw at all). A subgraph
#: of any other part is one ``aigraph export --format html`` with a selection away.
EXPLORER_MAX_NODES = 5000
#: ... and at most this many quotes per edge and per figure, with the full count: a hub edge
#: (人工智能) can have thousands, and they made most of a large page's weight and of the
#: memory drawing it took (10 GiB at 10,000 articles with 20 per statement).
EXPLORER_MAX_QUOTES = 20
#: ... and at most this many edges, those with the most evidence: 10,000 articles gave
#: 170,726 edges between the 5,000 entities shown, a 200 MB page nobody could read.
EXPLORER_MAX_EDGES = 20_000
#: Node sizes in pixels, smallest and largest.
MIN_SIZE, MAX_SIZE = 8.0, 40.0
#: Chinese first, then fonts that carry CJK on Linux, macOS and Windows.
CJK_FONT_STACK = (
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", '
    '"Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif'
)

_JSON_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def json_for_script(data: object) -> str:
    """JSON that is safe inside ``<script type="application/json">``: no ``</script>``,
    no ``<!--``, no line separators, and ``JSON.parse`` gives ``data`` back.

    >>> json_for_script({"name": "</script><b>&"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).translate(
        _JSON_ESCAPES
    )


@cache
def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _csp_hash(script: str) -> str:
    return (
        "'sha256-"
        + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
        + "'"
    )


@lru_cache(maxsize=1)
def _template_env() -> Environment:
    return Environment(
        autoescape=select_autoescape(default=True, default_for_string=True),
        keep_trailing_newline=True,
    )


def layout(view: GraphView, seed: int = 42) -> dict[str, tuple[float, float]]:
    """Seeded positions in pixels, spread so that neighbours sit about 100 px apart.

    >>> from aigraph.export.model import GraphView, NodeView
    >>> v = GraphView(nodes=(NodeView("a", "Firm", "甲"), NodeView("b", "Park", "乙")), edges=())
    >>> layout(v) == layout(v)
    True
    """
    ids = [n.iri for n in view.nodes]
    if not ids:
        return {}
    index = {iri: i for i, iri in enumerate(ids)}
    pairs = sorted({(index[e.head], index[e.tail]) for e in view.edges})
    rng = random.Random(seed)
    # start spread over a box of side ~sqrt(n), as igraph does: a cramped start overloads
    # the grid cells of Fruchterman-Reingold (5,000 nodes: 21 s instead of 1.5 s)
    half = math.sqrt(len(ids))
    start = [[rng.uniform(-half, half), rng.uniform(-half, half)] for _ in ids]
    try:
        import igraph
    except ImportError:  # networkx is fine for small graphs, only slow for thousands of nodes
        g = nx.Graph()
        g.add_nodes_from(range(len(ids)))
        g.add_edges_from(pairs)
        pos = nx.spring_layout(
            g, seed=seed, pos={i: tuple(p) for i, p in enumerate(start)}, iterations=50
        )
        coords = [tuple(pos[i]) for i in range(len(ids))]
    else:
        random.seed(seed)  # igraph draws from Python's random module
        g = igraph.Graph(n=len(ids), edges=pairs)
        coords = g.layout_fruchterman_reingold(niter=300, seed=start, grid="auto").coords
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    # about 150 px per node along a side, and room for labels in small graphs
    scale = (150.0 * math.sqrt(len(ids)) + 300.0) / span
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {
        iri: (round((x - cx) * scale, 1), round((y - cy) * scale, 1))
        for iri, x, y in zip(ids, xs, ys, strict=True)
    }


def node_sizes(view: GraphView, size_by: str | None = None) -> tuple[str, dict[str, float]]:
    """Sizes from a centrality: ``size_by`` if given, else PageRank when the analysis wrote it,
    else the degree computed in this view. Square-root scaled between MIN_SIZE and MAX_SIZE."""
    if size_by is not None and size_by not in CENTRALITIES:
        raise ExportError(f"cannot size by {size_by!r}; choose one of {', '.join(CENTRALITIES)}")
    degrees = view.degrees()
    if size_by is None:
        size_by = (
            "pageRank" if any(n.score("pageRank") is not None for n in view.nodes) else "degree"
        )
    values = {}
    for n in view.nodes:
        score = n.score(size_by)
        values[n.iri] = float(
            degrees[n.iri] if score is None and size_by == "degree" else score or 0.0
        )
    top = max(values.values(), default=0.0)
    if top <= 0:
        return size_by, dict.fromkeys(values, MIN_SIZE)
    return size_by, {
        k: round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt(max(v, 0.0) / top), 2)
        for k, v in values.items()
    }


def _evidence_json(evidence) -> list[dict[str, object]]:
    return [
        {
            "quote": e.quote,
            "file": e.article_file,
            "headline": e.article_headline,
            "rule": e.rule,
            "confidence": e.confidence,
        }
        for e in evidence
    ]


def build_network(
    view: GraphView, size_by: str | None = None, seed: int = 42
) -> tuple[Network, str]:
    """The pyvis ``Network`` of ``view`` (integer node ids in view order) and the size measure."""
    net = Network(directed=True, notebook=False, cdn_resources="in_line")
    positions = layout(view, seed)
    measure, sizes = node_sizes(view, size_by)
    ids = list(range(len(view.nodes)))
    if ids:
        styles = [TYPE_STYLES.get(n.type, DEFAULT_STYLE) for n in view.nodes]
        net.add_nodes(
            ids,
            label=[n.label for n in view.nodes],
            x=[positions[n.iri][0] for n in view.nodes],
            y=[positions[n.iri][1] for n in view.nodes],
            size=[sizes[n.iri] for n in view.nodes],
            color=[s[0] for s in styles],
            shape=[s[1] for s in styles],
        )
    index = {n.iri: i for i, n in enumerate(view.nodes)}
    for k, e in enumerate(view.edges):
        # appended directly: pyvis's add_edge scans every edge for duplicates (quadratic)
        net.edges.append(
            {"id": k, "from": index[e.head], "to": index[e.tail], "label": e.relation,
             "arrows": "" if e.symmetric else "to", "width": min(1 + math.log2(e.weight), 6)}
        )  # fmt: skip
    return net, measure


def _page_data(view: GraphView, net: Network, measure: str, title: str) -> dict[str, object]:
    degrees = view.degrees()
    nodes = []
    for node, vis in zip(view.nodes, net.nodes, strict=True):
        scores = dict(node.scores)
        scores.setdefault("degree", float(degrees[node.iri]))
        nodes.append(
            {
                "id": vis["id"], "x": vis["x"], "y": vis["y"], "size": vis["size"], "color": vis["color"],
                "shape": vis["shape"], "type": node.type, "zh": node.label, "en": node.label_en,
                "py": node.label_pinyin, "aliases": list(node.aliases), "iri": node.iri,
                "wikidata": list(node.wikidata), "community": node.community,
                "scores": sorted(scores.items()), "articles": list(node.articles),
                "observations": [
                    {"metric": o.metric_label, "year": o.year, "value": o.value, "unit": o.unit, "bound": o.bound,
                     "evidence": _evidence_json(o.evidence),
                     **({"evidenceCount": o.evidence_count} if o.evidence_count is not None else {})}
                    for o in node.observations
                ],
            }
        )  # fmt: skip
    edges = []
    for edge, vis in zip(view.edges, net.edges, strict=True):
        edges.append(
            {
                "id": vis["id"], "from": vis["from"], "to": vis["to"], "relation": edge.relation,
                "arrows": vis["arrows"], "width": vis["width"], "roles": list(edge.roles),
                "evidence": _evidence_json(edge.evidence),
                **({"evidenceCount": edge.evidence_count} if edge.evidence_count is not None else {}),
            }
        )  # fmt: skip
    present_types = sorted({n.type for n in view.nodes}, key=ENTITY_TYPES.index)
    present_relations = sorted({e.relation for e in view.edges}, key=RELATION_TYPES.index)
    return {
        "title": title,
        "sizeBy": measure,
        "nodes": nodes,
        "edges": edges,
        "legend": [
            {
                "type": t,
                "color": TYPE_STYLES.get(t, DEFAULT_STYLE)[0],
                "shape": TYPE_STYLES.get(t, DEFAULT_STYLE)[1],
            }
            for t in present_types
        ],
        "relations": present_relations,
        "fontFace": CJK_FONT_STACK,
    }


def render_explorer(
    view: GraphView,
    size_by: str | None = None,
    title: str | None = None,
    seed: int = 42,
    note: str | None = None,
) -> str:
    """The explorer page of ``view`` as one HTML string (``note``: a line under the title)."""
    net, measure = build_network(view, size_by, seed)
    title = title or "aigraph explorer"
    data = json_for_script(_page_data(view, net, measure, title))
    vis_js, app_js = _asset("vis-network.min.js"), _asset("explorer.js")
    template = _template_env().from_string(_asset("explorer.html"))
    return template.render(
        title=title,
        data_json=data,
        vis_js=vis_js,
        app_js=app_js,
        script_hashes=" ".join(_csp_hash(s) for s in (vis_js, app_js)),
        vis_version=VIS_NETWORK_VERSION,
        font_stack=CJK_FONT_STACK,
        node_count=len(view.nodes),
        edge_count=len(view.edges),
        note=note,
        size_by=measure,
    )


def write_view_explorer(
    view: GraphView,
    path: str | Path,
    size_by: str | None = None,
    title: str | None = None,
    seed: int = 42,
    note: str | None = None,
) -> list[Path]:
    """Write the explorer of an already built view (used by :func:`aigraph.export.export_graph`)."""
    path = Path(path)
    atomic_write_text(
        path, render_explorer(view, size_by=size_by, title=title, seed=seed, note=note)
    )
    return [path]


def most_central(entities: Iterable[str], scores: Mapping[str, float], limit: int) -> list[str]:
    """The ``limit`` entities (IRIs) with the highest score, ties by IRI; all if fewer.

    >>> most_central(["c", "a", "b"], {"a": 0.2, "b": 0.5, "c": 0.2}, 2)
    ['a', 'b']
    """
    ranked = sorted(set(entities), key=lambda iri: (-scores.get(iri, 0.0), iri))
    return sorted(ranked[:limit])


def _store_scores(store: object, entities: set[str]) -> dict[str, float]:
    """PageRank from the analysis graph, else the number of relation triples at each end."""
    import pyoxigraph as ox

    from ..export.model import RELATION_IRIS
    from ..terms import to_ox
    from ..vocab import AIG

    inner, default = store.inner, ox.DefaultGraph()
    scores = {
        q.subject.value: float(q.object.value)
        for q in inner.quads_for_pattern(None, to_ox(AIG.pageRank), None, default)
    }
    if scores:
        return scores
    degree: dict[str, float] = {}
    for predicate in RELATION_IRIS:
        for q in inner.quads_for_pattern(None, to_ox(predicate), None, default):
            for end in (q.subject.value, q.object.value):
                if end in entities:
                    degree[end] = degree.get(end, 0.0) + 1.0
    return degree


def _graph_scores(graph: Graph, entities: set[str]) -> dict[str, float]:
    """:func:`_store_scores` of an rdflib graph."""
    from ..export.model import RELATION_IRIS
    from ..vocab import AIG

    scores = {str(s): float(o) for s, o in graph.subject_objects(AIG.pageRank)}
    if scores:
        return scores
    degree: dict[str, float] = {}
    for predicate in RELATION_IRIS:
        for s, o in graph.subject_objects(predicate):
            for end in (str(s), str(o)):
                if end in entities:
                    degree[end] = degree.get(end, 0.0) + 1.0
    return degree


class CappedRead(NamedTuple):
    """What the explorer of a large store reads (see :func:`_capped_store_graph`)."""

    graph: Graph
    chosen: list[URIRef]
    entities_total: int
    summaries: dict
    evidence_values: dict
    edges_total: int | None


def _capped_store_graph(
    store: object, max_nodes: int, max_quotes: int | None, max_edges: int | None = None
) -> CappedRead | None:
    """The triples the view reads about the ``max_nodes`` most central entities of ``store``
    (their relations among themselves, with statements, evidence, observations, articles),
    the :class:`~aigraph.export.model.EdgeSummary` of every edge and the values of the shown
    evidence, or None when the store has no more entities than that.

    Reading every statement's evidence into rdflib was most of a large build's explorer time
    and memory (10 GiB at 10,000 articles); here nothing about an entity left out is
    converted, and of an edge's statements only those whose quotes the page shows.
    """
    import pyoxigraph as ox

    from ..export.model import (
        ENTITY_CLASS_IRIS,
        EVIDENCE_PREDICATES,
        RELATION_IRIS,
        EdgeSummary,
        edge_key,
        first_edge_evidence,
        first_evidence,
        heaviest_edges,
    )
    from ..terms import from_ox, to_ox
    from ..vocab import AIG

    inner, default = store.inner, ox.DefaultGraph()
    rdf_type = to_ox(RDF.type)
    entities = {
        q.subject.value
        for cls in ENTITY_CLASS_IRIS
        for q in inner.quads_for_pattern(None, rdf_type, to_ox(cls), default)
        if isinstance(q.subject, ox.NamedNode)
    }
    if len(entities) <= max_nodes:
        return None
    chosen = set(most_central(entities, _store_scores(store, entities), max_nodes))

    def subjects(predicate: URIRef) -> Iterator[ox.Quad]:
        return inner.quads_for_pattern(None, to_ox(predicate), None, default)

    heads = {
        q.subject.value: q.object.value for q in subjects(AIG.head) if q.object.value in chosen
    }
    tails = {
        q.subject.value: q.object.value
        for q in subjects(AIG.tail)
        if q.object.value in chosen and q.subject.value in heads
    }
    relation_names = {str(iri): name for iri, name in RELATION_IRIS.items()}
    by_edge: dict[tuple[str, str, str], list[str]] = {}
    for q in subjects(AIG.relation):
        statement, name = q.subject.value, relation_names.get(q.object.value)
        if statement in tails and name is not None:
            key = edge_key(heads[statement], name, tails[statement])
            by_edge.setdefault(key, []).append(statement)
    observations = {
        q.subject.value for q in subjects(AIG.observedEntity) if q.object.value in chosen
    }
    evidence_by_subject: dict[str, list[str]] = {}
    for q in subjects(AIG.hasEvidence):
        if q.subject.value in tails or q.subject.value in observations:
            evidence_by_subject.setdefault(q.subject.value, []).append(q.object.value)

    # the edges drawn: the direct relations between the entities shown, the heaviest
    # max_edges of them by evidence (model.heaviest_edges, as build_view chooses)
    weights: dict[tuple[str, str, str], int] = {}
    for iri, name in relation_names.items():
        for q in inner.quads_for_pattern(None, ox.NamedNode(iri), None, default):
            head, tail = q.subject.value, q.object.value
            if head in chosen and tail in chosen and head != tail:
                key = edge_key(head, name, tail)
                weights[key] = max(
                    1, sum(len(evidence_by_subject.get(st, ())) for st in by_edge.get(key, ()))
                )
    drawn = heaviest_edges(weights, max_edges)
    edges_total = len(weights) if len(drawn) < len(weights) else None
    by_edge = {key: sts for key, sts in by_edge.items() if key in drawn}
    roles_by_statement: dict[str, set[str]] = {}
    for q in subjects(AIG.role):
        if q.subject.value in tails:
            roles_by_statement.setdefault(q.subject.value, set()).add(q.object.value)

    # the quotes the view will show (model.first_edge_evidence, model.first_evidence) and the
    # statements that give them: the first ones by IRI, until the edge has max_quotes
    statements: set[str] = set()
    evidence: set[str] = set()
    summaries: dict[tuple[str, str, str], EdgeSummary] = {}
    for key, edge_statements in by_edge.items():
        edge_statements.sort()
        shown, total = first_edge_evidence(
            (evidence_by_subject.get(st, ()) for st in edge_statements), max_quotes
        )
        evidence.update(shown)
        offered = 0
        for st in edge_statements:  # the statements whose quotes fill the edge's share
            statements.add(st)
            offered += len(first_evidence(evidence_by_subject.get(st, ()), max_quotes)[0])
            if max_quotes is not None and offered >= max_quotes:
                break
        roles = {r for st in edge_statements for r in roles_by_statement.get(st, ())}
        summaries[key] = EdgeSummary(evidence_count=total, roles=tuple(sorted(roles)))
    for obs in observations:
        evidence.update(first_evidence(evidence_by_subject.get(obs, ()), max_quotes)[0])
    articles = {
        q.subject.value
        for q in inner.quads_for_pattern(None, rdf_type, to_ox(AIG.Article), default)
    }
    communities = {q.subject.value for q in subjects(AIG.communityIndex)}
    metrics = {q.object.value for q in subjects(AIG.metric) if q.subject.value in observations}
    # evidence is read node by node into plain values, not into rdflib (as triples it was
    # most of the memory: about 1 KiB a triple, seven triples a quote)
    # (one read of each node's triples: a read per predicate took three times as long)
    wanted = {str(p): p for p in EVIDENCE_PREDICATES}
    evidence_values: dict[URIRef, dict[URIRef, object]] = {}
    for node in sorted(evidence):
        values: dict[URIRef, object] = {}
        for q in inner.quads_for_pattern(ox.NamedNode(node), None, None, default):
            predicate = wanted.get(q.predicate.value)
            if predicate is not None and predicate not in values:
                values[predicate] = from_ox(q.object)
        evidence_values[URIRef(node)] = values
    kept = chosen | statements | observations | articles | communities | metrics

    graph = Graph()
    for predicate, obj in view_patterns():
        if str(predicate) in wanted:
            continue  # read above, for the shown evidence only (mentions use them too)
        p_ox = to_ox(predicate)
        relation = relation_names.get(p_ox.value)
        for q in inner.quads_for_pattern(None, p_ox, None if obj is None else to_ox(obj), default):
            if q.subject.value not in kept:
                continue
            if relation is not None and (
                q.object.value not in chosen
                or edge_key(q.subject.value, relation, q.object.value) not in drawn
            ):
                continue  # an edge to an entity left out, or not among the drawn
            graph.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return CappedRead(
        graph,
        sorted(URIRef(iri) for iri in chosen),
        len(entities),
        summaries,
        evidence_values,
        edges_total,
    )


def write_explorer(
    graph_or_store: object,
    path: str | Path,
    size_by: str | None = None,
    title: str | None = None,
    seed: int = 42,
    max_nodes: int = EXPLORER_MAX_NODES,
    max_quotes: int | None = EXPLORER_MAX_QUOTES,
    max_edges: int | None = EXPLORER_MAX_EDGES,
) -> list[Path]:
    """Write the explorer of a whole graph (an rdflib Graph/Dataset or a store) to ``path``.

    Parameters
    ----------
    graph_or_store
        rdflib ``Graph``/``Dataset``, or a store with ``construct_union()``.
    path
        The ``.html`` file to write (UTF-8, whatever the platform default).
    size_by
        Centrality sizing the nodes (``pageRank``, ``degree``, ``betweenness`` ...); PageRank
        when the analysis wrote it, else degree.
    title
        Page title; "aigraph explorer" by default.
    seed
        Layout seed (the same graph and seed give the same file).
    max_nodes
        At most this many entities are shown: the most central (PageRank when the analysis
        wrote it, else the number of relations), with a note on the page saying so.
    max_quotes
        At most this many quotes per edge and per figure (the panel gives the full count);
        all when None.
    max_edges
        At most this many edges, those with the most evidence, with a note on the page;
        all when None.
    """
    from ..export import union_graph
    from ..export.model import entity_types

    capped = (
        _capped_store_graph(graph_or_store, max_nodes, max_quotes, max_edges)
        if hasattr(graph_or_store, "inner")
        else None
    )
    summaries = evidence_values = edges_total = None
    if capped is not None:
        graph, chosen, total, summaries, evidence_values, edges_total = capped
    else:
        graph = union_graph(graph_or_store, patterns=view_patterns())
        types = entity_types(graph)
        total, chosen = len(types), None
        if total > max_nodes:
            scores = _graph_scores(graph, {str(e) for e in types})
            chosen = [URIRef(i) for i in most_central(map(str, types), scores, max_nodes)]
    view = build_view(
        graph,
        entities=chosen,
        max_evidence=max_quotes,
        edge_summaries=summaries,
        evidence_values=evidence_values,
        max_edges=max_edges,
        edges_total=edges_total,
    )
    parts = []
    if chosen is not None and total > len(view.nodes):
        parts.append(
            f"显示中心度最高的 {len(view.nodes):,} 个实体（共 {total:,} 个）· showing the "
            f"{len(view.nodes):,} most central of {total:,} entities"
        )
    if view.edges_total is not None:
        parts.append(
            f"证据最多的 {len(view.edges):,} 条关系（共 {view.edges_total:,} 条）· the "
            f"{len(view.edges):,} relations with the most evidence of {view.edges_total:,}"
        )
    note = (
        "; ".join(parts) + "; aigraph export --format html writes any other part" if parts else None
    )
    return write_view_explorer(
        view, path, size_by=size_by, title=title or Path(path).stem, seed=seed, note=note
    )


__all__ = [
    "EXPLORER_MAX_EDGES",
    "EXPLORER_MAX_NODES",
    "VIS_NETWORK_VERSION",
    "build_network",
    "most_central",
    "json_for_script",
    "layout",
    "node_sizes",
    "render_explorer",
    "write_explorer",
    "write_view_explorer",
]
