"""The published graph of the seeds: rebuilt, it is byte-identical to graphs/; it satisfies the
shapes; every evidence quote is really in its article; building in another order changes nothing."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from rdflib import Dataset, URIRef
from rdflib.compare import isomorphic

from aigraph.ingest import read_article
from aigraph.pipeline import build
from aigraph.store import open_store
from aigraph.vocab import AIG

ROOT = Path(__file__).resolve().parents[1]
GRAPHS = ROOT / "graphs"
PUBLISHED = ("seeds.trig", "seeds.ttl", "seeds.jsonld", "seeds.html")


@contextmanager
def working_dir(path: Path):
    """Run in ``path``: articles are recorded by the path given, so builds use relative paths."""
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh build of seeds/ (run from the project root, as the README does) elsewhere."""
    tmp = tmp_path_factory.mktemp("rebuilt")
    with working_dir(ROOT):
        build(["seeds"], store_dir=tmp / "store", out_dir=tmp / "out", name="seeds")
    return tmp / "out"


def _build_in(folder: Path, **kwargs) -> object:
    with working_dir(folder):
        return build(
            ["in"],
            store_dir=folder / "store",
            out_dir=folder / "out",
            name="g",
            analyse=False,
            explorer=False,
            **kwargs,
        )


@pytest.mark.slow
@pytest.mark.parametrize("name", PUBLISHED)
def test_committed_graph_is_what_the_build_writes(rebuilt: Path, name: str) -> None:
    assert (GRAPHS / name).exists(), f"graphs/{name} is missing: run `aigraph build`"
    assert (rebuilt / name).read_bytes() == (GRAPHS / name).read_bytes(), (
        f"graphs/{name} is stale: run `aigraph build` and commit graphs/"
    )


@pytest.mark.slow
def test_every_evidence_quote_is_in_its_article(rebuilt: Path) -> None:
    ds = Dataset(default_union=True)
    ds.parse(rebuilt / "seeds.trig", format="trig")
    originals: dict[str, str] = {}
    checked = 0
    for ev in set(ds.subjects(predicate=AIG.quote)):
        article = ds.value(ev, AIG.article)
        source = str(ds.value(article, AIG.sourceFile))
        if source not in originals:
            originals[source] = read_article(ROOT / "seeds" / Path(source).name).original
        start, end = int(ds.value(ev, AIG.startOffset)), int(ds.value(ev, AIG.endOffset))
        assert originals[source][start:end] == str(ds.value(ev, AIG.quote))
        checked += 1
    assert checked > 100


@pytest.mark.slow
def test_every_statement_has_evidence(rebuilt: Path) -> None:
    ds = Dataset(default_union=True)
    ds.parse(rebuilt / "seeds.trig", format="trig")
    statements = set(ds.subjects(predicate=AIG.relation))
    assert statements
    for st in statements:
        assert ds.value(st, AIG.hasEvidence) is not None, st


@pytest.mark.slow
def test_build_order_and_rebuild_do_not_change_the_graph(tmp_path: Path) -> None:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))[:3]
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        (folder / "in").mkdir(parents=True)
    # A: all three at once. B: the last one first, then the others, then all again.
    for p in seeds:
        shutil.copy(p, first / "in" / p.name)
    _build_in(first)
    shutil.copy(seeds[2], second / "in" / seeds[2].name)
    _build_in(second)
    for p in seeds[:2]:
        shutil.copy(p, second / "in" / p.name)
    summary = _build_in(second)
    assert summary.unchanged == 1 and summary.added == 2
    assert (first / "out" / "g.trig").read_bytes() == (second / "out" / "g.trig").read_bytes()


@pytest.mark.slow
def test_removing_an_article_leaves_the_rest_as_if_never_added(tmp_path: Path) -> None:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    only, more = tmp_path / "only", tmp_path / "more"
    for folder, files in ((only, seeds[1:3]), (more, seeds[1:4])):
        (folder / "in").mkdir(parents=True)
        for p in files:
            shutil.copy(p, folder / "in" / p.name)
        _build_in(folder)
    with open_store(more / "store") as store:
        store.remove_article(seeds[3].name)
        after = store.construct_union()
    with open_store(only / "store") as store:
        expected = store.construct_union()
    assert isomorphic(after, expected)


def test_published_files_parse(tmp_path: Path) -> None:
    """The committed graph loads in rdflib (TriG, Turtle, JSON-LD)."""
    ds = Dataset()
    ds.parse(GRAPHS / "seeds.trig", format="trig")
    assert sum(1 for _ in ds.quads((None, None, None, None))) > 1000
    g = Dataset()
    g.parse(GRAPHS / "seeds.jsonld", format="json-ld")
    assert any(True for _ in g.quads((None, None, None, None)))
    types = {o for _, _, o, _ in ds.quads((None, None, None, None))}
    assert URIRef("https://w3id.org/aigraph/ontology#Park") in types


def test_the_explorer_drawn_beside_the_publishing_is_the_same_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large graph's explorer is drawn by a second process reading the store: same bytes."""
    import aigraph.pipeline as pipeline

    monkeypatch.setattr(pipeline, "PARALLEL_EXPLORER_MIN_ENTITIES", 0)
    with working_dir(ROOT):
        summary = build(["seeds"], store_dir=tmp_path / "store", out_dir=tmp_path, name="seeds")
    assert tmp_path / "seeds.html" in summary.written
    assert (tmp_path / "seeds.html").read_bytes() == (GRAPHS / "seeds.html").read_bytes()
    assert not list(tmp_path.glob(".explorer-snapshot-*")), "the drawing's snapshot is removed"


def test_without_room_for_a_snapshot_the_explorer_is_drawn_after_publishing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import aigraph.pipeline as pipeline
    from aigraph.errors import StoreError
    from aigraph.store import Store

    def no_room(self, target):  # noqa: ANN001, ANN202
        raise StoreError(f"cannot snapshot the store to {target}: no space left on device")

    monkeypatch.setattr(pipeline, "PARALLEL_EXPLORER_MIN_ENTITIES", 0)
    monkeypatch.setattr(Store, "snapshot", no_room)
    with working_dir(ROOT):
        summary = build(["seeds"], store_dir=tmp_path / "store", out_dir=tmp_path, name="seeds")
    assert (tmp_path / "seeds.html").read_bytes() == (GRAPHS / "seeds.html").read_bytes()
    assert any("no space left" in note for note in summary.notes)
    assert not list(tmp_path.glob(".explorer-snapshot-*"))
