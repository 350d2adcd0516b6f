"""Writers of a selected subgraph: RDF serialisations, GraphML, GEXF and CSV tables.

Every writer returns the paths it wrote; every file goes through :mod:`aigraph.fsutil`.
Output is deterministic: N-Triples lines are sorted, networkx graphs are filled in sorted order.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx
from rdflib import Dataset, Graph

from ..fsutil import atomic_write_bytes
from .model import GraphView

#: Colour (hex) and vis-network shape of each entity type; shared by GEXF and the explorer.
TYPE_STYLES: dict[str, tuple[str, str]] = {
    "Park": ("#e6550d", "star"),
    "Firm": ("#3182bd", "dot"),
    "Policy": ("#31a354", "square"),
    "Platform": ("#756bb1", "triangle"),
    "Institution": ("#8c6d31", "triangleDown"),
    "Agency": ("#d62728", "diamond"),
    "City": ("#17becf", "hexagon"),
    "Province": ("#0f7f8a", "hexagon"),
    "Region": ("#7fbfbf", "hexagon"),
    "Person": ("#e377c2", "ellipse"),
    "Industry": ("#bcbd22", "box"),
}
DEFAULT_STYLE = ("#999999", "dot")

RDF_FORMATS: dict[str, str] = {"turtle": "turtle", "trig": "trig", "nt": "nt", "json-ld": "json-ld"}


def write_rdf(graph: Graph | Dataset, path: Path, fmt: str) -> list[Path]:
    """Serialise ``graph`` as ``fmt`` (turtle, trig, nt, json-ld) to ``path``."""
    if fmt == "trig" and not isinstance(graph, Dataset):
        ds = Dataset()
        for prefix, ns in graph.namespaces():
            ds.bind(prefix, ns, override=False)
        ds.default_graph += graph
        graph = ds
    if fmt == "nt":
        # rdflib writes N-Triples in hash order; sorted lines make the file reproducible
        lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
        data = ("\n".join(sorted(line for line in lines if line.strip())) + "\n").encode("utf-8")
    elif fmt == "json-ld":
        data = graph.serialize(
            format="json-ld", encoding="utf-8", auto_compact=True, sort_keys=True
        )
    else:
        data = graph.serialize(format=RDF_FORMATS[fmt], encoding="utf-8")
    atomic_write_bytes(path, data)
    return [path]


def _joined(values: tuple[str, ...] | list[str]) -> str:
    return " | ".join(values)


def to_networkx(view: GraphView) -> nx.MultiDiGraph:
    """The view as a networkx multigraph: IRIs as node ids, relation names as edge keys.

    Attributes are only set when known (GraphML has no null), so what a file reader gets
    back is exactly what was written.
    """
    g = nx.MultiDiGraph()
    degrees = view.degrees()
    for n in view.nodes:
        attrs: dict[str, object] = {
            "label": n.label,
            "type": n.type,
            "iri": n.iri,
            "degree": degrees[n.iri],
        }
        for key, value in (
            ("label_en", n.label_en),
            ("label_pinyin", n.label_pinyin),
            ("aliases", _joined(n.aliases)),
            ("wikidata", _joined(n.wikidata)),
        ):
            if value:
                attrs[key] = value
        if n.community is not None:
            attrs["community"] = n.community
        for name, score in n.scores:
            if name != "degree":
                attrs[name] = float(score)
        attrs["articles"] = len(n.articles)
        attrs["observations"] = len(n.observations)
        g.add_node(n.iri, **attrs)
    for e in view.edges:
        attrs = {
            "label": e.relation,
            "relation": e.relation,
            "weight": e.weight,
            "evidence_count": len(e.evidence),
        }
        if e.symmetric:
            attrs["symmetric"] = True
        if e.roles:
            attrs["role"] = _joined(e.roles)
        if e.evidence:
            attrs["quote"] = e.evidence[0].quote
            attrs["article"] = e.evidence[0].article_file
        g.add_edge(e.head, e.tail, key=e.relation, **attrs)
    return g


def _to_bytes(writer, graph: nx.MultiDiGraph, **kwargs: object) -> bytes:
    buffer = io.BytesIO()
    writer(graph, buffer, **kwargs)
    return buffer.getvalue()


def write_graphml(view: GraphView, path: Path) -> list[Path]:
    """GraphML (yEd, Cytoscape, Gephi): node and edge attributes as typed keys."""
    atomic_write_bytes(path, _to_bytes(nx.write_graphml, to_networkx(view), encoding="utf-8"))
    return [path]


def _hex_rgb(colour: str) -> dict[str, int]:
    return {
        "r": int(colour[1:3], 16),
        "g": int(colour[3:5], 16),
        "b": int(colour[5:7], 16),
        "a": 1.0,
    }


def write_gexf(view: GraphView, path: Path) -> list[Path]:
    """GEXF for Gephi: node labels, types and attributes, colours by type, edge labels and weights."""
    g = to_networkx(view)
    for _iri, attrs in g.nodes(data=True):
        colour, _shape = TYPE_STYLES.get(str(attrs["type"]), DEFAULT_STYLE)
        attrs["viz"] = {"color": _hex_rgb(colour)}
    atomic_write_bytes(path, _to_bytes(nx.write_gexf, g, encoding="utf-8"))
    return [path]


NODE_COLUMNS = (
    "id", "label", "label_en", "label_pinyin", "type", "aliases", "wikidata", "community",
    "degree", "pageRank", "betweenness", "articles", "observations",
)  # fmt: skip
EDGE_COLUMNS = (
    "source", "target", "source_label", "target_label", "relation", "role", "evidence_count",
    "quote", "article",
)  # fmt: skip


def csv_paths(output: Path) -> tuple[Path, Path]:
    """Where the two tables go: ``DIR/nodes.csv`` + ``DIR/edges.csv`` for a folder (an existing
    one, or a path without suffix), ``PREFIX.nodes.csv`` + ``PREFIX.edges.csv`` otherwise.

    >>> csv_paths(Path("out"))
    (PosixPath('out/nodes.csv'), PosixPath('out/edges.csv'))
    >>> csv_paths(Path("out/hefei.csv"))
    (PosixPath('out/hefei.nodes.csv'), PosixPath('out/hefei.edges.csv'))
    """
    if output.is_dir() or not output.suffix:
        return output / "nodes.csv", output / "edges.csv"
    stem = output.with_suffix("") if output.suffix == ".csv" else output
    return stem.with_name(stem.name + ".nodes.csv"), stem.with_name(stem.name + ".edges.csv")


def _csv_bytes(rows: list[dict[str, object]], columns: tuple[str, ...]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    # a BOM, so that Excel on a Chinese-locale Windows opens the file as UTF-8
    return buffer.getvalue().encode("utf-8-sig")


def write_csv(view: GraphView, output: Path) -> list[Path]:
    """``nodes.csv`` and ``edges.csv`` with evidence counts and one quote per edge."""
    nodes_path, edges_path = csv_paths(output)
    degrees = view.degrees()
    node_rows = []
    for n in view.nodes:
        scores = dict(n.scores)
        node_rows.append(
            {
                "id": n.iri, "label": n.label, "label_en": n.label_en, "label_pinyin": n.label_pinyin,
                "type": n.type, "aliases": _joined(n.aliases), "wikidata": _joined(n.wikidata),
                "community": "" if n.community is None else n.community, "degree": degrees[n.iri],
                "pageRank": scores.get("pageRank", ""), "betweenness": scores.get("betweenness", ""),
                "articles": len(n.articles), "observations": len(n.observations),
            }
        )  # fmt: skip
    edge_rows = []
    for e in view.edges:
        first = e.evidence[0] if e.evidence else None
        edge_rows.append(
            {
                "source": e.head, "target": e.tail, "source_label": view.node(e.head).label,
                "target_label": view.node(e.tail).label, "relation": e.relation,
                "role": _joined(e.roles), "evidence_count": len(e.evidence),
                "quote": first.quote if first else "", "article": first.article_file if first else "",
            }
        )  # fmt: skip
    atomic_write_bytes(nodes_path, _csv_bytes(node_rows, NODE_COLUMNS))
    atomic_write_bytes(edges_path, _csv_bytes(edge_rows, EDGE_COLUMNS))
    return [nodes_path, edges_path]
