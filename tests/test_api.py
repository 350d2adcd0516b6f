"""The public library API a notebook uses: build, extract_file, query, analyse, export_subgraph."""

from __future__ import annotations

import shutil
from pathlib import Path

import networkx as nx

import aigraph

ROOT = Path(__file__).resolve().parents[1]


def test_public_api_end_to_end(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    for name in ("001_ba1d4723d89edbe7.txt", "002_e8f21e8878007edf.txt"):
        shutil.copy(ROOT / "seeds" / name, articles / name)
    store = tmp_path / "store"
    summary = aigraph.build([articles], store_dir=store, out_dir=tmp_path / "out", name="kg")
    assert summary.articles == 2 and summary.added == 2
    assert (tmp_path / "out" / "kg.trig").exists() and (tmp_path / "out" / "kg.html").exists()

    ex = aigraph.extract_file(articles / "002_e8f21e8878007edf.txt")
    assert any(e.name == "科大讯飞股份有限公司" for e in ex.entities)

    rows = aigraph.query(store, "firms_in_park", park="苏州工业园区")
    assert any(str(r["firmLabel"]) == "九识(苏州)智能科技有限公司" for r in rows)
    assert (
        aigraph.query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"].toPython() > 100
    )

    result = aigraph.analyse(store)
    assert result.communities.communities

    out = aigraph.export_subgraph(store, tmp_path / "ego.graphml", ego="科大讯飞", radius=1)
    graph = nx.read_graphml(out.paths[0])
    assert graph.number_of_nodes() == out.nodes >= 2


def test_import_is_light() -> None:
    """``import aigraph`` does not load spaCy (heavy modules load on first use)."""
    import subprocess
    import sys

    code = "import sys, aigraph; print('spacy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
