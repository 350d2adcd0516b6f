"""The on-disk store, queries, validation, publishing and the validate/remove commands."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, Dataset, Graph, Literal, URIRef, Variable
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS
from typer.testing import CliRunner

from aigraph import iris
from aigraph.cli import app
from aigraph.errors import (
    ArticleNotInStoreError,
    QueryError,
    RDFFormatError,
    StoreError,
    StoreNotBuiltError,
)
from aigraph.publish import CANONICAL_MAX_QUADS, nquads_text, publish
from aigraph.store import load_rdf, memory_store, open_store, query
from aigraph.validation import validate_graph
from aigraph.vocab import AIG
from conftest import mini_quads

PREFIXES = """PREFIX aig: <https://w3id.org/aigraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def _built(path: Path | None, extractions) -> object:
    store = open_store(path, create=True) if path else memory_store()
    for ext in extractions:
        store.replace_article(ext)
    return store


def test_missing_store_says_to_build(tmp_path: Path) -> None:
    with pytest.raises(StoreNotBuiltError, match="aigraph build"):
        open_store(tmp_path / "none")


def test_a_folder_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    (tmp_path / "junk.txt").write_text("x", encoding="utf-8")
    with pytest.raises(StoreError):
        open_store(tmp_path, create=True)


def _mapped(quads) -> list[tuple]:
    """The quads the mapping gives (the store's derived places graph left out)."""
    return [q for q in quads if q[3] != iris.places_graph_iri()]


def _places(store) -> set[tuple[str, str]]:
    """(thing, province) pairs of the store's places graph, as canonical names."""
    rows = store.query(
        PREFIXES
        + """SELECT ?t ?p WHERE { GRAPH <https://w3id.org/aigraph/graph/places> {
                ?thing aig:inProvince ?province }
              ?thing aig:canonicalName ?t . ?province aig:canonicalName ?p }"""
    )
    return {(str(r[0]), str(r[1])) for r in rows}


def test_store_holds_exactly_the_mapping_and_persists(tmp_path: Path, mini_extractions) -> None:
    with _built(tmp_path / "s", mini_extractions) as store:
        assert nquads_text(_mapped(store.quads())) == nquads_text(mini_quads())
    with open_store(tmp_path / "s", read_only=True) as again:
        assert [a.doc for a in again.articles()] == ["mini_a.txt", "mini_b.txt"]
        assert nquads_text(_mapped(again.quads())) == nquads_text(mini_quads())


def test_places_follow_the_containment_chains_and_the_removals(mini_extractions) -> None:
    store = _built(None, mini_extractions)
    both = _places(store)
    # every thing a chain of locatedIn / headquarteredIn / partOf puts in a province, and
    # only those: the same pairs a property path finds
    chains = store.query(
        PREFIXES
        + """SELECT DISTINCT ?t ?p WHERE {
                ?thing (aig:locatedIn|aig:headquarteredIn|aig:partOf)+ ?province .
                ?province a aig:Province . FILTER (?thing != ?province)
                ?thing aig:canonicalName ?t . ?province aig:canonicalName ?p }"""
    )
    assert both == {(str(r[0]), str(r[1])) for r in chains}
    assert both, "the mini articles place things in provinces"
    store.remove_article("mini_b.txt")
    assert _places(store) == _places(_built(None, mini_extractions[:1]))
    store.remove_article("mini_a.txt")
    assert _places(store) == set()


_PATH_PLACES = """SELECT DISTINCT ?thing ?province WHERE {
    ?thing (aig:locatedIn|aig:headquarteredIn|aig:partOf)+ ?province .
    ?province a aig:Province . FILTER (?thing != ?province) }"""

_LINKS = (AIG.locatedIn, AIG.headquarteredIn, AIG.partOf)


@settings(max_examples=60, deadline=None)
@given(
    links=st.lists(st.tuples(st.integers(0, 7), st.integers(0, 2), st.integers(0, 7)), max_size=20),
    provinces=st.sets(st.integers(0, 7), max_size=3),
)
def test_places_are_what_the_containment_property_path_finds(links, provinces) -> None:
    """The walk in Python against SPARQL's own property path, on random small graphs (cycles,
    self-links, provinces inside provinces)."""
    node = [URIRef(f"urn:n{i}") for i in range(8)]
    graph = URIRef("urn:g")
    store = memory_store()
    store.load_quads(
        [(node[s], _LINKS[p], node[o], graph) for s, p, o in links]
        + [(node[i], RDF.type, AIG.Province, graph) for i in provinces]
    )
    store.recompute_places()
    placed = store.query(
        PREFIXES + "SELECT ?t ?p WHERE { GRAPH <https://w3id.org/aigraph/graph/places> "
        "{ ?t aig:inProvince ?p } }"
    )
    path = store.query(PREFIXES + _PATH_PLACES)
    assert {(r[0], r[1]) for r in placed} == {(r[0], r[1]) for r in path}


def test_recomputing_unchanged_places_writes_nothing(mini_extractions, monkeypatch) -> None:
    store = _built(None, mini_extractions)
    places = ox.NamedNode(iris.places_graph_iri())
    before = set(store.inner.quads_for_pattern(None, None, None, places))
    written: list[ox.Quad] = []
    real_add, real_remove = store._add, store._remove

    def add(quads, bulk=False):  # noqa: ANN001, ANN202
        written.extend(quads)
        real_add(quads, bulk)

    def remove(quads):  # noqa: ANN001, ANN202
        quads = list(quads)
        written.extend(quads)
        real_remove(quads)

    monkeypatch.setattr(store, "_add", add)
    monkeypatch.setattr(store, "_remove", remove)
    assert store.recompute_places() == len(before) > 0
    assert written == []
    assert set(store.inner.quads_for_pattern(None, None, None, places)) == before


def test_building_in_another_order_gives_the_same_dataset(mini_extractions) -> None:
    forward = _built(None, mini_extractions)
    backward = _built(None, reversed(mini_extractions))
    assert nquads_text(forward.quads()) == nquads_text(backward.quads())
    assert isomorphic(forward.construct_union(), backward.construct_union())


def test_readding_an_unchanged_article_is_a_no_op(mini_extractions) -> None:
    store = _built(None, mini_extractions)
    before = nquads_text(store.quads())
    assert store.replace_article(mini_extractions[0]) is False
    assert nquads_text(store.quads()) == before


def test_adding_then_removing_leaves_the_rest_untouched(mini_extractions) -> None:
    only_a = _built(None, mini_extractions[:1])
    both = _built(None, mini_extractions)
    removed = both.remove_article("mini_b.txt")
    assert removed.doc == "mini_b.txt"
    assert nquads_text(both.quads()) == nquads_text(only_a.quads())
    assert isomorphic(both.construct_union(), only_a.construct_union())
    with pytest.raises(ArticleNotInStoreError):
        both.remove_article("mini_b.txt")


def test_remove_by_hash_prefix_and_path(mini_extractions) -> None:
    store = _built(None, mini_extractions)
    sha = mini_extractions[1].article.sha256
    store.remove_article(sha[:12])
    store.remove_article("tests/data/graph/mini_a.txt")
    assert store.articles() == []
    assert len(store) == 0 and len(store.construct_union()) == 0


def test_a_changed_file_replaces_its_old_graph(mini_extractions) -> None:
    from dataclasses import replace

    store = _built(None, mini_extractions[:1])
    a = mini_extractions[0]
    edited = replace(a, article=replace(a.article, sha256="f" * 64, title="新标题"))
    assert store.replace_article(edited) is True
    assert [x.sha256 for x in store.articles()] == ["f" * 64]


def _batched(extractions, bulk_write_quads: int | None = None, monkeypatch=None) -> object:
    if bulk_write_quads is not None:
        monkeypatch.setattr("aigraph.store.BULK_WRITE_QUADS", bulk_write_quads)
    store = memory_store()
    with store.batch():
        for ext in extractions:
            store.replace_article(ext)
    return store


@pytest.mark.parametrize("bulk_write_quads", [10**9, 1], ids=["one-flush", "flush-each"])
def test_a_batch_gives_the_same_dataset_as_one_write_per_article(
    mini_extractions, monkeypatch, bulk_write_quads: int
) -> None:
    batched = _batched(mini_extractions, bulk_write_quads, monkeypatch)
    single = _built(None, mini_extractions)
    assert nquads_text(batched.quads()) == nquads_text(single.quads())
    assert isomorphic(batched.construct_union(), single.construct_union())


def test_a_batch_keeps_only_the_last_version_of_a_file(mini_extractions, monkeypatch) -> None:
    from dataclasses import replace

    a, b = mini_extractions
    edited = replace(a, article=replace(a.article, sha256="f" * 64, title="新标题"))
    # both versions of a.txt in one batch, the first still in the write buffer
    store = _batched([a, b, edited], 10**9, monkeypatch)
    expected = _built(None, [b, edited])
    assert sorted(x.sha256 for x in store.articles()) == sorted(
        x.sha256 for x in expected.articles()
    )
    assert nquads_text(store.quads()) == nquads_text(expected.quads())
    assert isomorphic(store.construct_union(), expected.construct_union())


def test_a_batch_replaces_a_version_stored_before_it(mini_extractions) -> None:
    """A batch reads which versions the store holds once, at its start: an article stored by
    an earlier build and changed since is still replaced, not kept beside its new version."""
    from dataclasses import replace

    a, b = mini_extractions
    edited = replace(a, article=replace(a.article, sha256="f" * 64, title="新标题"))
    store = _built(None, [a])
    with store.batch():
        assert store.replace_article(b) is True
        assert store.replace_article(edited) is True
        assert store.replace_article(edited) is False  # unchanged within the batch
    expected = _built(None, [b, edited])
    assert sorted(x.sha256 for x in store.articles()) == sorted(
        x.sha256 for x in expected.articles()
    )
    assert nquads_text(store.quads()) == nquads_text(expected.quads())


@pytest.mark.parametrize("bulk_write_quads", [10**9, 1], ids=["at-the-end", "each-article"])
def test_a_failed_bulk_load_fails_the_batch(
    mini_extractions, monkeypatch, bulk_write_quads
) -> None:
    """The batch's writer thread loads in the background; what it raises (a full disk) is
    raised by the batch, whether at the next article or at the end, and the thread stops."""
    monkeypatch.setattr("aigraph.store.BULK_WRITE_QUADS", bulk_write_quads)
    store = memory_store()

    class FullDisk:
        def __init__(self, inner) -> None:
            self._inner = inner

        def __getattr__(self, name: str):
            return getattr(self._inner, name)

        def bulk_load(self, *args, **kwargs) -> None:
            raise OSError("No space left on device")

    store._ox = FullDisk(store._ox)
    with pytest.raises(OSError, match="No space left"), store.batch():
        for ext in mini_extractions:
            store.replace_article(ext)
    assert store._loader is None and store._loading is None and store._pending is None


def test_union_counts_each_triple_once(mini_extractions) -> None:
    store = _built(None, mini_extractions)
    # Hefei is typed in both article graphs and in the entities graph: still one row.
    rows = list(store.query(PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?c a aig:City }"))
    assert int(rows[0][0]) == 2
    rows = list(store.query(PREFIXES + "SELECT ?g WHERE { GRAPH ?g { ?c a aig:City } }"))
    assert len(rows) == 5  # Wuhan (B, entities), Hefei (A, B, entities)


def test_query_binds_parameters_without_formatting(mini_extractions) -> None:
    store = _built(None, mini_extractions)
    sparql = (
        PREFIXES + "SELECT ?firm WHERE { ?firm aig:locatedIn ?park . ?park skos:prefLabel ?name }"
    )
    rows = query(store, sparql, {"name": Literal("中国声谷", lang="zh")})
    union = store.construct_union()
    firms = {
        str(o) for r in rows for o in union.objects(r.firm, SKOS.prefLabel) if o.language == "zh"
    }
    assert "华米科技" in firms
    hostile = Literal('x" } ; DROP ALL ; #', lang="zh")
    assert list(query(store, sparql, {"?name": hostile})) == []
    ask = query(store, PREFIXES + "ASK { ?x aig:cooperatesWith ?y }")
    assert ask.askAnswer is True
    constructed = query(
        store,
        PREFIXES + "CONSTRUCT { ?a aig:cooperatesWith ?b } WHERE { ?a aig:cooperatesWith ?b }",
    )
    assert len(constructed.graph) == 2
    with pytest.raises(QueryError):
        query(store, "SELECT WHERE {")
    with pytest.raises(QueryError):
        query(store, "DELETE WHERE { ?s ?p ?o }")


def test_rdflib_view_matches_pyoxigraph(mini_extractions) -> None:
    store = _built(None, mini_extractions)
    ds = store.dataset()
    rows = list(ds.query(PREFIXES + "SELECT ?p WHERE { ?p a aig:Park }"))
    assert len(rows) == 3
    graph = ds.graph(iris.entities_graph_iri())
    assert len(graph) == len([q for q in store.quads() if q[3] == iris.entities_graph_iri()])


def _lang_lower(graph: Graph) -> Graph:
    # Language tags compare without case (RDF 1.1); Oxigraph's writers lower-case them.
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.language:
            o = Literal(str(o), lang=o.language.lower())
        out.add((s, p, o))
    return out


# canonical_max_quads=0: the streaming writers that large graphs get, on the mini graph
PUBLISH_PATHS = pytest.mark.parametrize(
    "canonical_max_quads", [CANONICAL_MAX_QUADS, 0], ids=["canonical", "streamed"]
)


@PUBLISH_PATHS
def test_round_trip_rdflib_pyoxigraph_isomorphic(
    tmp_path: Path, mini_extractions, canonical_max_quads: int
) -> None:
    store = _built(tmp_path / "store", mini_extractions)
    paths = publish(store, tmp_path / "out", canonical_max_quads=canonical_max_quads)
    back_rdflib = Dataset().parse(paths["trig"], format="trig")
    assert nquads_text(back_rdflib.quads()) == nquads_text(store.quads())
    ox_store = ox.Store()
    ox_store.load(path=str(paths["trig"]), format=ox.RdfFormat.TRIG)
    again = memory_store()
    again.inner.extend(ox_store)  # named graphs only: TriG has no default-graph triples here
    assert nquads_text(again.quads()) == nquads_text(store.quads())
    merged = Graph().parse(paths["ttl"], format="turtle")
    assert isomorphic(_lang_lower(merged), _lang_lower(store.construct_union()))
    jsonld = Dataset().parse(paths["jsonld"], format="json-ld")
    assert nquads_text(jsonld.quads()) == nquads_text(store.quads())


@PUBLISH_PATHS
def test_publish_is_byte_identical_across_builds(
    tmp_path: Path, mini_extractions, canonical_max_quads: int
) -> None:
    first = publish(
        _built(tmp_path / "store1", mini_extractions),
        tmp_path / "one",
        canonical_max_quads=canonical_max_quads,
    )
    second = publish(
        _built(tmp_path / "store2", reversed(mini_extractions)),
        tmp_path / "two",
        canonical_max_quads=canonical_max_quads,
    )
    for kind in ("trig", "ttl", "jsonld"):
        assert first[kind].read_bytes() == second[kind].read_bytes(), kind
    json.loads(first["jsonld"].read_text(encoding="utf-8"))
    leftovers = [p for p in (tmp_path / "one").iterdir() if p.suffix == ".tmp"]
    assert leftovers == []


@PUBLISH_PATHS
def test_a_large_graph_gets_no_jsonld_unless_asked(
    tmp_path: Path, mini_extractions, monkeypatch, canonical_max_quads: int
) -> None:
    """Above JSONLD_MAX_QUADS the JSON-LD is left out (and an earlier build's file removed,
    it would describe another graph); jsonld=True writes it whatever the size."""
    store = _built(tmp_path / "store", mini_extractions)
    out = tmp_path / "out"
    out.mkdir()
    (out / "seeds.jsonld").write_text("{}", encoding="utf-8")  # from an earlier build
    monkeypatch.setattr("aigraph.publish.JSONLD_MAX_QUADS", len(store) - 1)
    written = publish(store, out, canonical_max_quads=canonical_max_quads)
    assert sorted(written) == ["trig", "ttl"]
    assert sorted(p.name for p in out.iterdir()) == ["seeds.trig", "seeds.ttl"]

    written = publish(store, out, canonical_max_quads=canonical_max_quads, jsonld=True)
    assert nquads_text(Dataset().parse(written["jsonld"], format="json-ld").quads()) == (
        nquads_text(store.quads())
    )
    monkeypatch.setattr("aigraph.publish.JSONLD_MAX_QUADS", len(store))
    assert "jsonld" in publish(store, out, canonical_max_quads=canonical_max_quads)
    assert "jsonld" not in publish(store, out, jsonld=False)


def test_publish_is_atomic(tmp_path: Path, mini_extractions, monkeypatch) -> None:
    store = _built(None, mini_extractions)
    paths = publish(store, tmp_path)
    before = paths["trig"].read_bytes()

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    store.remove_article("mini_b.txt")
    with pytest.raises(OSError):
        publish(store, tmp_path)
    assert paths["trig"].read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_write_analysis_replaces_the_analysis_graph(mini_extractions) -> None:
    store = _built(None, mini_extractions)
    park = iris.entity_iri("Park:中国声谷")
    first = Graph()
    first.add((park, AIG.degree, Literal(5)))
    store.write_analysis(first)
    second = Graph()
    second.add((park, AIG.degree, Literal(7)))
    store.write_analysis(second)
    values = [int(r[0]) for r in store.query(PREFIXES + "SELECT ?d WHERE { ?p aig:degree ?d }")]
    assert values == [7]
    assert nquads_text(
        q for q in _mapped(store.quads()) if q[3] != iris.analysis_graph_iri()
    ) == nquads_text(mini_quads())


def test_load_rdf_accepts_only_the_four_formats(tmp_path: Path, mini_trig_path: Path) -> None:
    assert len(list(load_rdf(mini_trig_path).quads())) == len(mini_quads())
    nt = tmp_path / "a.nt"
    nt.write_text('<urn:a> <urn:b> "c" .\n', encoding="utf-8")
    assert len(load_rdf(nt)) == 1
    for name in ("a.rdf", "a.jsonld", "a.owl"):
        (tmp_path / name).write_text("<x/>", encoding="utf-8")
        with pytest.raises(RDFFormatError, match="accepted"):
            load_rdf(tmp_path / name)
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(RDFFormatError, match="cannot be parsed"):
        load_rdf(bad)


def test_shacl_passes_on_the_built_graph(mini_extractions) -> None:
    report = validate_graph(_built(None, mini_extractions).construct_union())
    assert report.conforms, report.text()


def test_shacl_fails_readably_on_a_broken_graph(mini_extractions) -> None:
    g = _built(None, mini_extractions).construct_union()
    firm = iris.entity_iri("Firm:华米科技")
    g.add((firm, AIG.worksFor, iris.entity_iri("City:合肥")))  # wrong types at both ends
    g.add((firm, SKOS.prefLabel, Literal("华米", lang="zh")))  # a second @zh prefLabel
    statement = next(g.subjects(RDF.type, AIG.RelationStatement))
    g.remove((statement, AIG.hasEvidence, None))
    obs = next(g.subjects(RDF.type, AIG.Observation))
    g.add((obs, AIG.unit, Literal("万元")))
    report = validate_graph(g)
    assert not report.conforms
    text = report.text()
    assert "the head of aig:worksFor must be a Person" in text
    assert "the tail of aig:worksFor must be a" in text
    assert "exactly one Chinese (@zh) skos:prefLabel, it has 2" in text
    assert "every relation statement needs evidence" in text
    assert "exactly one unit" in text
    assert "华米科技" in text or "华米" in text  # focus nodes are shown by label


def test_cli_validate_and_remove(tmp_path: Path, mini_extractions) -> None:
    runner = CliRunner()
    with _built(tmp_path / "s", mini_extractions):
        pass
    result = runner.invoke(app, ["validate", "--store", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output
    result = runner.invoke(app, ["remove", "mini_b.txt", "--store", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert "removed mini_b.txt" in result.output
    with open_store(tmp_path / "s", read_only=True) as store:
        assert [a.doc for a in store.articles()] == ["mini_a.txt"]
    result = runner.invoke(app, ["remove", "mini_b.txt", "--store", str(tmp_path / "s")])
    assert isinstance(result.exception, ArticleNotInStoreError)
    result = runner.invoke(app, ["validate", "--store", str(tmp_path / "nothing")])
    assert isinstance(result.exception, StoreNotBuiltError)


def test_cli_validate_exits_1_on_violations(tmp_path: Path, mini_extractions) -> None:
    with _built(tmp_path / "s", mini_extractions) as store:
        store.load_quads(
            [
                (
                    iris.entity_iri("Firm:华米科技"),
                    AIG.worksFor,
                    URIRef(iris.entity_iri("City:合肥")),
                    iris.article_graph_iri("0" * 64),
                )
            ]
        )
    result = CliRunner().invoke(app, ["validate", "--store", str(tmp_path / "s")])
    assert result.exit_code == 1
    assert "华米科技" in result.output and "aig:worksFor" in result.output


def test_variable_names_accept_question_marks(mini_extractions) -> None:
    store = _built(None, mini_extractions)
    rows = query(
        store,
        PREFIXES + "SELECT ?x WHERE { ?x a aig:Person }",
        {Variable("x"): iris.entity_iri("Person:刘庆峰")},
    )
    assert len(list(rows)) == 1


def test_unprojected_and_aggregate_parameters_are_bound(mini_extractions) -> None:
    store = _built(None, mini_extractions)
    sparql = PREFIXES + (
        "# a comment with { braces }\n"
        "SELECT (COUNT(DISTINCT ?firm) AS ?n) WHERE { ?firm aig:locatedIn ?park . "
        '?park skos:prefLabel ?name FILTER (?name != "{") }'
    )
    rows = list(query(store, sparql, {"name": Literal("中国声谷", lang="zh")}))
    assert int(rows[0][0]) == 1
    hostile = Literal('中国声谷"@zh } } ; DROP ALL #\n{', lang="zh")
    assert int(list(query(store, sparql, {"name": hostile}))[0][0]) == 0
    from aigraph.errors import ParameterError

    with pytest.raises(ParameterError):
        query(store, sparql, {"name": URIRef("urn:x> } DROP ALL {")})


def test_a_failed_turtle_dump_fails_the_publish_and_leaves_no_file(
    tmp_path: Path, mini_extractions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The streamed Turtle is written by a second thread: its error reaches the caller."""
    import contextlib

    import aigraph.publish as publish_module

    @contextlib.contextmanager
    def broken(path):
        raise OSError(f"{path}: disk full")
        yield  # pragma: no cover

    monkeypatch.setattr(publish_module, "atomic_path", broken)
    store = _built(tmp_path / "store", mini_extractions)
    with pytest.raises(OSError, match="disk full"):
        publish(store, tmp_path / "out", canonical_max_quads=0)
    assert not list((tmp_path / "out").glob("*.ttl")), "no Turtle file, not even a partial one"


def test_streamed_writes_replace_whole_or_not_at_all(tmp_path: Path) -> None:
    """atomic_writer and atomic_path: an error inside leaves the old file and no temporary."""
    from aigraph.fsutil import atomic_path, atomic_writer

    target = tmp_path / "g.ttl"
    target.write_bytes(b"old")
    for opener in (atomic_writer, atomic_path):
        with pytest.raises(RuntimeError), opener(target) as handle:
            if isinstance(handle, Path):
                handle.write_bytes(b"half")
            else:
                handle.write(b"half")
            raise RuntimeError("killed")
        assert target.read_bytes() == b"old"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["g.ttl"]
    with atomic_writer(target) as fh:
        fh.write(b"new")
    assert target.read_bytes() == b"new"
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask, "the usual permissions, not mkstemp's"


def test_one_read_feeds_every_serialiser_and_a_failing_one_does_not_hang(
    tmp_path: Path, mini_extractions
) -> None:
    """serialise_to_all: each target gets what ox.serialize alone writes; when one target's
    writes fail, the error comes back and reading goes on to the end (no thread waits)."""
    import io

    from aigraph.publish import serialise_to_all

    store = _built(tmp_path / "store", mini_extractions)
    inner = store.inner
    graphs = sorted(
        (g for g in inner.named_graphs() if isinstance(g, ox.NamedNode)), key=lambda g: g.value
    )
    chunks = [list(inner.quads_for_pattern(None, None, None, g)) for g in graphs]
    formats = [ox.RdfFormat.TRIG, ox.RdfFormat.JSON_LD, ox.RdfFormat.N_QUADS]
    outputs = [io.BytesIO() for _ in formats]
    serialise_to_all(iter(chunks), list(zip(outputs, formats, strict=True)), {"aig": str(AIG)})
    for out, fmt in zip(outputs, formats, strict=True):
        alone = io.BytesIO()
        ox.serialize([q for c in chunks for q in c], alone, fmt, prefixes={"aig": str(AIG)})
        assert out.getvalue() == alone.getvalue() != b""

    class FullDisk(io.BytesIO):
        def write(self, data):  # noqa: ANN001, ANN202
            raise OSError("disk full")

    read: list[int] = []

    def counted():
        for i, chunk in enumerate(chunks * 20):  # more chunks than a queue holds
            read.append(i)
            yield chunk

    import threading

    healthy = io.BytesIO()
    raised: list[BaseException] = []

    def run() -> None:
        try:
            serialise_to_all(
                counted(), [(FullDisk(), ox.RdfFormat.N_QUADS), (healthy, ox.RdfFormat.N_QUADS)], {}
            )
        except OSError as exc:
            raised.append(exc)

    runner = threading.Thread(target=run, daemon=True)
    runner.start()
    runner.join(timeout=60)
    assert not runner.is_alive(), "a failed serialiser left the reader waiting"
    assert [str(e) for e in raised] == ["disk full"]
    assert read, "reading started"


def test_bounded_quad_count_agrees_with_the_full_count(tmp_path: Path, mini_extractions) -> None:
    store = _built(tmp_path / "store", mini_extractions)
    total = store.named_quad_count()
    assert total > 10
    for limit in (0, 1, total - 1, total, total + 1, 10 * total):
        assert store.has_more_named_quads_than(limit) == (total > limit), limit
        assert store.named_quad_count_up_to(limit) == min(total, limit + 1), limit


def test_a_snapshot_outlives_the_files_of_the_live_store(tmp_path: Path, mini_extractions) -> None:
    """What the explorer's process reads: a copy that no later write, compaction or deletion
    of the live store's files can pull from under it (reading the live store read-only while
    it compacted failed a 10,000-article build)."""
    import shutil

    store = open_store(tmp_path / "store", create=True)
    for ext in mini_extractions[:1]:
        store.replace_article(ext)
    before = nquads_text(store.quads())
    snapshot = store.snapshot(tmp_path / "snap" / "store")
    for ext in mini_extractions[1:]:
        store.replace_article(ext)
    store.inner.optimize()
    store.close()
    del store
    shutil.rmtree(tmp_path / "store")  # every file of the live store gone
    with open_store(snapshot, read_only=True) as copy:
        assert nquads_text(copy.quads()) == before
    with pytest.raises(StoreError, match="snapshot"):
        memory_store().snapshot(tmp_path / "mem")
