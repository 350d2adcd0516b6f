"""Export a selected part of the graph: RDF, GraphML, GEXF, CSV or the HTML explorer.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> from rdflib import Dataset
>>> ds = Dataset()
>>> _ = ds.parse("tests/data/export/mini.trig", format="trig")
>>> out = Path(tempfile.mkdtemp()) / "hefei.ttl"
>>> result = export_graph(ds, out, Selection(place="合肥"))
>>> result.format, result.nodes > 0, out.exists()
('turtle', True, True)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from ..errors import ExportError, RDFFormatError, StoreError, UnknownFormatError
from .model import GraphView, build_view
from .selection import Selection, Subgraph, dataset_quads, resolve_name, run_construct, select
from .writers import write_csv, write_gexf, write_graphml, write_rdf

#: Output formats and the file suffixes that imply them.
FORMAT_SUFFIXES: dict[str, tuple[str, ...]] = {
    "turtle": (".ttl",),
    "trig": (".trig",),
    "nt": (".nt",),
    "json-ld": (".jsonld", ".json"),
    "graphml": (".graphml",),
    "gexf": (".gexf",),
    "csv": (".csv",),
    "html": (".html", ".htm"),
}
_FORMAT_ALIASES = {
    "ttl": "turtle",
    "ntriples": "nt",
    "n-triples": "nt",
    "jsonld": "json-ld",
    "htm": "html",
}


def output_format(output: str | Path, fmt: str | None = None) -> str:
    """The format named by ``fmt``, or implied by the output's suffix.

    >>> output_format("x.gexf"), output_format("x", "TTL"), output_format("tables/")
    ('gexf', 'turtle', 'csv')
    """
    if fmt:
        name = _FORMAT_ALIASES.get(fmt.lower(), fmt.lower())
        if name not in FORMAT_SUFFIXES:
            raise UnknownFormatError(f"unknown format {fmt!r}; known: {', '.join(FORMAT_SUFFIXES)}")
        return name
    suffix = Path(output).suffix.lower()
    if not suffix:
        return "csv"  # a folder: nodes.csv + edges.csv
    for name, suffixes in FORMAT_SUFFIXES.items():
        if suffix in suffixes:
            return name
    raise UnknownFormatError(
        f"cannot tell the format of {str(output)!r}; give --format ({', '.join(FORMAT_SUFFIXES)})"
    )


_RDF_FILE_FORMATS = {
    ".trig": "trig",
    ".nq": "nquads",
    ".ttl": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".rdf": "xml",
}


def load_source(path: str | Path) -> Graph | Dataset:
    """An RDF file (.trig .nq .ttl .nt .jsonld .rdf) or a store folder, as an rdflib graph."""
    path = Path(path)
    if path.is_file():
        fmt = _RDF_FILE_FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise RDFFormatError(
                f"{path}: not an RDF file aigraph reads ({', '.join(_RDF_FILE_FORMATS)})"
            )
        graph: Graph | Dataset = Dataset() if fmt in ("trig", "nquads") else Graph()
        try:
            graph.parse(path, format=fmt)
        except Exception as exc:
            raise RDFFormatError(f"{path}: cannot be parsed as {fmt}: {exc}") from exc
        return graph
    if path.is_dir():
        try:
            from ..store import open_store
        except ImportError as exc:  # the store module is optional for exporting files
            raise StoreError(f"{path}: cannot open a store ({exc})") from exc
        return open_store(path, read_only=True)
    raise StoreError(f"{path}: no such store or RDF file")


def union_graph(
    source: object, patterns: Iterable[tuple[URIRef, URIRef | None]] | None = None
) -> Graph:
    """The union of all graphs of ``source``: an rdflib Dataset/Graph or a store with
    ``construct_union()``; from a store, only the triples matching ``(predicate, object)``
    ``patterns`` when given (an rdflib source is returned whole: it is already in memory)."""
    if isinstance(source, Dataset):
        out = Graph()
        for prefix, ns in source.namespaces():
            out.bind(prefix, ns, override=False)
        out += ((s, p, o) for s, p, o, _ in source.quads((None, None, None, None)))
        return out
    if isinstance(source, Graph):
        return source
    construct = getattr(source, "construct_union", None)
    if construct is None:
        raise ExportError(f"cannot read a graph from {type(source).__name__}")
    return construct() if patterns is None else construct(patterns=patterns)


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    format: str
    paths: tuple[Path, ...]
    nodes: int
    edges: int
    triples: int = 0


def export_graph(
    source: object,
    output: str | Path,
    selection: Selection | None = None,
    fmt: str | None = None,
    size_by: str | None = None,
    title: str | None = None,
) -> ExportResult:
    """Select part of ``source`` and write it to ``output``.

    Parameters
    ----------
    source
        An rdflib ``Dataset``/``Graph`` or a store (``construct_union()``). A Dataset keeps
        its named graphs in TriG output.
    output
        A file; for CSV a folder or a prefix (``out/hefei`` -> ``out/hefei.nodes.csv``).
    selection
        What to keep (everything by default).
    fmt
        ``turtle``, ``trig``, ``nt``, ``json-ld``, ``graphml``, ``gexf``, ``csv`` or
        ``html``; by default from the output's suffix.
    size_by, title
        For HTML: the centrality sizing the nodes and the page title.
    """
    output = Path(output)
    name = output_format(output, fmt)
    graph = union_graph(source)
    sub = select(graph, selection or Selection())
    kept = sub.graph(graph)
    if name in ("turtle", "trig", "nt", "json-ld"):
        data: Graph | Dataset = kept
        if name == "trig":
            # keep the named graphs (articles, entities, analysis) when the source has them
            if isinstance(source, Dataset):
                data = sub.dataset(dataset_quads(source), graph)
            elif callable(getattr(source, "quads", None)):  # the store: named graphs only
                data = sub.dataset(source.quads(), graph)
        paths = write_rdf(data, output, name)
        return ExportResult(name, tuple(paths), len(sub.entities), len(sub.edges), len(kept))
    view = build_view(kept)
    if name == "graphml":
        paths = write_graphml(view, output)
    elif name == "gexf":
        paths = write_gexf(view, output)
    elif name == "csv":
        paths = write_csv(view, output)
    else:
        from ..explorer import write_view_explorer

        paths = write_view_explorer(view, output, size_by=size_by, title=title)
    return ExportResult(name, tuple(paths), len(view.nodes), len(view.edges), len(kept))


def export_path(
    source: str | Path,
    output: str | Path,
    selection: Selection | None = None,
    fmt: str | None = None,
    size_by: str | None = None,
    title: str | None = None,
) -> ExportResult:
    """:func:`export_graph` from a store folder or an RDF file (what ``aigraph export`` runs).

    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "ego.graphml"
    >>> r = export_path("tests/data/export/mini.trig", out, Selection(ego="科大讯飞"))
    >>> (r.nodes, r.edges)
    (5, 4)
    """
    loaded = load_source(source)
    try:
        return export_graph(loaded, output, selection, fmt=fmt, size_by=size_by, title=title)
    finally:
        close = getattr(loaded, "close", None)
        if close is not None and not isinstance(loaded, Graph):
            close()


__all__ = [
    "export_path",
    "dataset_quads",
    "ExportResult",
    "FORMAT_SUFFIXES",
    "GraphView",
    "Selection",
    "Subgraph",
    "build_view",
    "export_graph",
    "load_source",
    "output_format",
    "resolve_name",
    "run_construct",
    "select",
    "union_graph",
]
