"""aigraph: an evidence-backed knowledge graph of China's AI industry, from articles.

The library is what the command line and the notebooks both call::

    import aigraph
    summary = aigraph.build(["seeds/"])                    # read, extract, store, publish
    extraction = aigraph.extract_file("seeds/002_e8f21e8878007edf.txt")
    rows = aigraph.query(".aigraph/store", "firms_in_park", park="苏州工业园区")
    result = aigraph.analyse(".aigraph/store")
    aigraph.export_subgraph(".aigraph/store", "ego.graphml", ego="科大讯飞", radius=1)

Heavy modules (spaCy, rdflib, networkx) load on first use, so ``import aigraph`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__version__ = "0.1.0"

# ``extract`` and ``export`` are also the names of submodules, which would replace functions of
# those names as soon as they are imported: the functions are ``extract_file`` and
# ``export_subgraph``.
__all__ = [
    "__version__",
    "analyse",
    "build",
    "export_subgraph",
    "extract_file",
    "query",
    "read_articles",
]


def build(paths: Any = None, **options: Any) -> Any:
    """Build (or grow) the store from articles and publish the graph: :func:`aigraph.pipeline.build`."""
    from .pipeline import build as _build

    return _build(paths, **options)


def extract_file(path: str | Path) -> Any:
    """Read and extract one article file: an :class:`aigraph.records.Extraction`."""
    from .extract import extract_article
    from .ingest import read_article

    return extract_article(read_article(path))


def read_articles(paths: Any, settings: Any = None, report: Any = None) -> Any:
    """Read and clean article files: :func:`aigraph.ingest.read_articles`."""
    from .ingest import read_articles as _read

    return _read(paths, settings, report)


def query(store: str | Path, name_or_sparql: str, **params: str) -> list[dict[str, Any]]:
    """Run a saved question (or SPARQL text) on a store or RDF file; rows as dicts of RDF terms."""
    from .queries import load_query, open_source, run_query

    source = open_source(store)
    try:
        text = name_or_sparql.strip()
        query_ = (
            text
            if text.upper().startswith(("SELECT", "PREFIX", "ASK", "CONSTRUCT", "BASE"))
            else load_query(name_or_sparql)
        )
        return run_query(source, query_, params).to_dicts()
    finally:
        close = getattr(source, "close", None)
        if callable(close):
            close()


def analyse(store: str | Path, projection: str = "all", seed: int = 42) -> Any:
    """Centralities and communities of a projection of the graph: :func:`aigraph.analysis.analyse`."""
    from .analysis import AnalysisOptions
    from .analysis import analyse as _analyse
    from .store import open_store

    with open_store(Path(store), read_only=True) as source:
        return _analyse(source, AnalysisOptions(projection=projection, seed=seed))


def export_subgraph(store: str | Path, output: str | Path, **selection: Any) -> Any:
    """Export a selection of a store or RDF file (format from the output's extension).

    ``selection`` takes the fields of :class:`aigraph.export.selection.Selection` (``ego``,
    ``radius``, ``types``, ``relations``, ``place``, ...): :func:`aigraph.export.export_path`.
    """
    from .export import export_path
    from .export.selection import Selection

    return export_path(store, output, Selection(**selection))
