"""Export: selections, formats and round trips over tests/data/export/mini.trig."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS
from typer.testing import CliRunner

from aigraph.cli import app
from aigraph.errors import (
    AmbiguousEntityError,
    ExportError,
    QueryRejectedError,
    UnknownEntityError,
    UnknownFormatError,
)
from aigraph.export import (
    Selection,
    dataset_quads,
    export_graph,
    export_path,
    output_format,
    resolve_name,
    select,
    union_graph,
)
from aigraph.export.model import RELATION_IRIS, build_view
from aigraph.export.writers import to_networkx
from aigraph.iris import entity_iri
from aigraph.vocab import AIG

MINI = Path(__file__).parent / "data" / "export" / "mini.trig"


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    ds = Dataset()
    ds.parse(MINI, format="trig")
    return ds


@pytest.fixture(scope="module")
def union(dataset: Dataset) -> Graph:
    return union_graph(dataset)


def label(graph: Graph, iri: URIRef) -> str:
    return next(str(x) for x in graph.objects(iri, SKOS.prefLabel) if x.language == "zh")


def labels(graph: Graph, iris) -> set[str]:
    return {label(graph, i) for i in iris}


def raw_neighbours(graph: Graph, iri: URIRef) -> set[URIRef]:
    """Neighbours straight from the relation triples, independently of the selection code."""
    out = set()
    for p in RELATION_IRIS:
        out.update(graph.objects(iri, p))
        out.update(graph.subjects(p, iri))
    return out


# --- selections -------------------------------------------------------------------------


def test_ego_radius_1_is_exactly_the_neighbours(union: Graph) -> None:
    ego = entity_iri("Firm:科大讯飞")
    sub = select(union, Selection(ego="科大讯飞", radius=1))
    assert sub.entities == frozenset(raw_neighbours(union, ego) | {ego})
    assert labels(union, sub.entities) == {"科大讯飞", "中国声谷", "华米科技", "智能语音", "刘庆峰"}
    # only edges that touch the ego exist between these five
    assert all(ego in (h, t) for h, _, t in sub.edges)


def test_ego_by_english_pinyin_and_alias_agree(union: Graph) -> None:
    by_zh = select(union, Selection(ego="科大讯飞")).entities
    for name in ("iFlytek", "kē dà xùn fēi", "kedaxunfei", "讯飞", "科大訊飛"):
        assert select(union, Selection(ego=name)).entities == by_zh, name


def test_ego_radius_0_and_2(union: Graph) -> None:
    assert labels(union, select(union, Selection(ego="合肥", radius=0)).entities) == {"合肥"}
    two = labels(union, select(union, Selection(ego="合肥", radius=2)).entities)
    assert two == {"合肥", "安徽", "中国声谷", "华米科技", "科大讯飞", "中国声谷建设方案"}


def test_unknown_and_ambiguous_names(union: Graph) -> None:
    with pytest.raises(UnknownEntityError):
        select(union, Selection(ego="不存在的公司"))
    g = Graph()
    for key in ("Firm:甲", "Park:甲"):
        g.add((entity_iri(key), RDF.type, AIG[key.split(":")[0]]))
        g.add((entity_iri(key), SKOS.prefLabel, Literal("甲", lang="zh")))
    with pytest.raises(AmbiguousEntityError):
        select(g, Selection(ego="甲"))


def test_place_follows_containment_through_parks(union: Graph) -> None:
    hefei = labels(union, select(union, Selection(place="合肥")).entities)
    assert hefei == {"合肥", "中国声谷", "科大讯飞", "华米科技"}
    anhui = labels(union, select(union, Selection(place="安徽")).entities)
    assert anhui == hefei | {"安徽"}


def test_type_relation_and_intersection(union: Graph) -> None:
    firms = select(union, Selection(types=("Firm",)))
    assert labels(union, firms.entities) == {"科大讯飞", "华米科技", "思必驰"}
    assert {r for _, r, _ in firms.edges} == {"cooperatesWith"}
    located = select(union, Selection(relations=("locatedIn",)))
    assert {r for _, r, _ in located.edges} == {"locatedIn"}
    assert labels(union, located.entities) == {"科大讯飞", "中国声谷", "合肥", "思必驰", "苏州"}
    both = select(union, Selection(place="合肥", types=("Firm", "Park")))
    assert labels(union, both.entities) == {"中国声谷", "科大讯飞", "华米科技"}


def test_community(union: Graph) -> None:
    assert labels(union, select(union, Selection(community=1)).entities) == {
        "苏州",
        "思必驰",
        "智能语音",
    }
    with pytest.raises(ExportError):
        select(union, Selection(community=9))


def test_article_by_name_and_by_content(union: Graph, tmp_path: Path) -> None:
    by_name = select(union, Selection(article="a2.txt"))
    assert labels(union, by_name.entities) == {"科大讯飞", "苏州", "思必驰", "智能语音"}
    # edges stated in a2 only: 科大讯飞 focusesOn 智能语音 is in both, cooperatesWith is not there
    assert {r for _, r, _ in by_name.edges} == {"focusesOn", "locatedIn"}
    copy = tmp_path / "renamed.txt"
    copy.write_bytes(b"a2 text")  # same bytes as the fixture's a2, so the same SHA-256
    assert hashlib.sha256(copy.read_bytes()).hexdigest()
    assert select(union, Selection(article=str(copy))).entities == by_name.entities
    with pytest.raises(ExportError):
        select(union, Selection(article="missing.txt"))


def test_min_evidence(union: Graph) -> None:
    sub = select(union, Selection(min_evidence=2))
    assert [(label(union, h), r, label(union, t)) for h, r, t in sub.edges] == [
        ("科大讯飞", "focusesOn", "智能语音")
    ]
    assert len(sub.entities) == 11  # entities stay; only weakly supported relations go


def test_since_until_filter_observations(union: Graph) -> None:
    park = Selection(ego="中国声谷", radius=0)
    assert len(select(union, park).observations) == 3
    since = select(union, Selection(ego="中国声谷", radius=0, since=2020)).observations
    years = {int(str(union.value(o, AIG.year))) for o in since}
    assert years == {2020} and len(since) == 2
    until = select(union, Selection(ego="中国声谷", radius=0, until=2019)).observations
    assert len(until) == 1
    # 思必驰's investment has no year: dropped as soon as a year bound is given
    assert not select(union, Selection(ego="思必驰", radius=0, since=1900)).observations


def test_construct_query_selection(union: Graph) -> None:
    parks = "PREFIX aig: <https://w3id.org/aigraph/ontology#> CONSTRUCT { ?p a aig:Park } WHERE { ?p a aig:Park }"
    assert labels(union, select(union, Selection(query=parks)).entities) == {"中国声谷"}


@pytest.mark.parametrize(
    "text",
    [
        "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "CONSTRUCT { ?s ?p ?o } FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "CONSTRUCT { ?s ?p ?o } FROM <https://w3id.org/aigraph/graph/entities> WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/x.ttl>",
        "INSERT DATA { <http://a> <http://b> <http://c> }",
        "SELECT * WHERE { ?s ?p ?o }",
    ],
)
def test_construct_guard_rejects(union: Graph, text: str) -> None:
    with pytest.raises(QueryRejectedError):
        select(union, Selection(query=text))


def test_bad_selection_values() -> None:
    with pytest.raises(ExportError):
        Selection(types=("Company",))
    with pytest.raises(ExportError):
        Selection(relations=("owns",))
    with pytest.raises(ExportError):
        Selection(since=2022, until=2020)


# --- the RDF subgraph keeps "why" -------------------------------------------------------


def test_export_keeps_statements_evidence_and_observations(
    dataset: Dataset, tmp_path: Path
) -> None:
    out = tmp_path / "hefei.ttl"
    export_graph(dataset, out, Selection(place="合肥"))
    g = Graph().parse(out, format="turtle")
    quotes = {str(q) for q in g.objects(None, AIG.quote)}
    assert "科大讯飞坐落于中国声谷。" in quotes  # evidence of a kept relation
    assert "2020年中国声谷产值超过1060亿元。" in quotes  # evidence of a kept observation
    assert "思必驰位于苏州。" not in quotes  # evidence of a dropped relation
    assert "科大讯飞专注智能语音。" not in quotes  # 智能语音 is not in 合肥
    assert len(set(g.subjects(RDF.type, AIG.Observation))) == 3
    assert len(set(g.subjects(RDF.type, AIG.RelationStatement))) == len(
        set(g.subject_objects(AIG.head))
    )
    for statement in g.subjects(RDF.type, AIG.RelationStatement):
        assert (
            g.value(statement, AIG.head),
            g.value(statement, AIG.relation),
            g.value(statement, AIG.tail),
        ) in g or (
            g.value(statement, AIG.tail),
            g.value(statement, AIG.relation),
            g.value(statement, AIG.head),
        ) in g
    # selectors of each kept evidence came along
    for ev in g.subjects(RDF.type, AIG.Evidence):
        target = g.value(ev, URIRef("http://www.w3.org/ns/oa#hasTarget"))
        assert len(set(g.objects(target, URIRef("http://www.w3.org/ns/oa#hasSelector")))) == 2
    # no relation triple leaves the selection
    kept = {URIRef(s) for s in g.subjects(RDF.type, None) if "/id/" in str(s)}
    for p in RELATION_IRIS:
        for s, o in g.subject_objects(p):
            assert s in kept and o in kept


# --- round trips ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "fmt"), [("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt")]
)
def test_rdf_round_trip_isomorphic(
    dataset: Dataset, union: Graph, tmp_path: Path, suffix: str, fmt: str
) -> None:
    selection = Selection(ego="科大讯飞", radius=2)
    out = tmp_path / f"ego.{suffix}"
    export_graph(dataset, out, selection)
    expected = select(union, selection).graph(union)
    assert len(expected) > 100
    assert isomorphic(Graph().parse(out, format=fmt), expected)


def test_trig_keeps_named_graphs(dataset: Dataset, tmp_path: Path) -> None:
    out = tmp_path / "all.trig"
    export_graph(dataset, out)  # everything: the same dataset, graph by graph
    back = Dataset()
    back.parse(out, format="trig")
    names = {g.identifier for g in dataset.graphs() if len(g)}
    assert names == {g.identifier for g in back.graphs() if len(g)}
    for name in names:
        assert isomorphic(dataset.graph(name), back.graph(name)), name


def test_rdf_output_is_deterministic(dataset: Dataset, tmp_path: Path) -> None:
    for suffix in ("nt", "ttl", "graphml", "gexf"):
        a, b = tmp_path / f"a.{suffix}", tmp_path / f"b.{suffix}"
        export_graph(dataset, a)
        export_graph(dataset, b)
        assert a.read_bytes() == b.read_bytes(), suffix


def _edges_by_relation(g: nx.DiGraph | nx.MultiDiGraph) -> dict[tuple[str, str, str], dict]:
    # GEXF readers give a DiGraph when no two edges share their ends: key edges by relation
    data = g.edges(data=True)
    return {(h, t, attrs["relation"]): attrs for h, t, attrs in data}


def _same_networkx(written: nx.MultiDiGraph, read: nx.DiGraph, skip=()) -> None:
    assert set(written.nodes) == set(read.nodes)
    for n, attrs in written.nodes(data=True):
        got = {k: v for k, v in read.nodes[n].items() if k not in skip}
        assert got == attrs, n
    want, got = _edges_by_relation(written), _edges_by_relation(read)
    assert set(want) == set(got)
    assert read.number_of_edges() == written.number_of_edges()
    for key, attrs in want.items():
        assert {a: v for a, v in got[key].items() if a not in skip} == attrs, key


def test_graphml_round_trip(dataset: Dataset, union: Graph, tmp_path: Path) -> None:
    out = tmp_path / "all.graphml"
    export_graph(dataset, out)
    written = to_networkx(build_view(union))
    _same_networkx(written, nx.read_graphml(out, force_multigraph=True))
    iflytek = written.nodes[str(entity_iri("Firm:科大讯飞"))]
    assert (
        iflytek["label"] == "科大讯飞" and iflytek["type"] == "Firm" and iflytek["pageRank"] == 0.21
    )


def test_gexf_round_trip_for_gephi(dataset: Dataset, union: Graph, tmp_path: Path) -> None:
    out = tmp_path / "all.gexf"
    export_graph(dataset, out)
    read = nx.read_gexf(out, node_type=str)
    written = to_networkx(build_view(union))
    # read_gexf adds GEXF's own bookkeeping (edge id, viz); the rest comes back as written
    _same_networkx(written, read, skip=("viz", "id"))
    assert read.nodes[str(entity_iri("Park:中国声谷"))]["viz"]["color"]["r"] == 0xE6
    text = out.read_text(encoding="utf-8")
    assert 'label="科大讯飞"' in text and 'label="locatedIn"' in text and 'weight="2' in text


def test_csv_tables(dataset: Dataset, tmp_path: Path) -> None:
    result = export_graph(dataset, tmp_path / "tables", Selection(place="合肥"))
    nodes_path, edges_path = result.paths
    assert nodes_path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for Excel
    nodes = list(csv.DictReader(nodes_path.open(encoding="utf-8-sig")))
    edges = list(csv.DictReader(edges_path.open(encoding="utf-8-sig")))
    assert {n["label"] for n in nodes} == {"合肥", "中国声谷", "科大讯飞", "华米科技"}
    by_pair = {(e["source_label"], e["relation"], e["target_label"]): e for e in edges}
    located = by_pair[("科大讯飞", "locatedIn", "中国声谷")]
    assert located["evidence_count"] == "1" and located["quote"] == "科大讯飞坐落于中国声谷。"
    assert located["article"] == "a1.txt"
    prefix = export_graph(dataset, tmp_path / "out" / "hefei.csv", Selection(place="合肥")).paths
    assert [p.name for p in prefix] == ["hefei.nodes.csv", "hefei.edges.csv"]


def test_formats_by_suffix_and_option() -> None:
    assert output_format("x.TTL") == "turtle"
    assert output_format("x.out", "jsonld") == "json-ld"
    with pytest.raises(UnknownFormatError):
        output_format("x.docx")
    with pytest.raises(UnknownFormatError):
        output_format("x.ttl", "pdf")


_SAFE_TEXT = st.text(
    st.characters(
        blacklist_categories=("Cs", "Cc", "Co", "Cn"), blacklist_characters="\ufffe\uffff"
    ),
    min_size=1,
    max_size=30,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=_SAFE_TEXT, alias=_SAFE_TEXT)
def test_any_name_survives_turtle_and_graphml(tmp_path: Path, name: str, alias: str) -> None:
    g = Graph()
    a, b = entity_iri("Firm:a"), entity_iri("Park:b")
    g.add((a, RDF.type, AIG.Firm))
    g.add((a, SKOS.prefLabel, Literal(name, lang="zh")))
    g.add((a, SKOS.altLabel, Literal(alias, lang="zh")))
    g.add((b, RDF.type, AIG.Park))
    g.add((a, AIG.locatedIn, b))
    export_graph(g, tmp_path / "p.ttl")
    assert isomorphic(Graph().parse(tmp_path / "p.ttl", format="turtle"), g)
    export_graph(g, tmp_path / "p.graphml")
    node = nx.read_graphml(tmp_path / "p.graphml", force_multigraph=True).nodes[str(a)]
    assert node["label"] == name
    assert node.get("aliases", "") == ("" if alias == name else alias)


# --- command line -----------------------------------------------------------------------


def test_cli_export(tmp_path: Path) -> None:
    out = tmp_path / "ego.gexf"
    result = CliRunner().invoke(
        app, ["export", str(out), "--store", str(MINI), "--ego", "科大讯飞"]
    )
    assert result.exit_code == 0, result.output
    assert "gexf: 5 entities, 4 relations" in result.output
    assert nx.read_gexf(out).number_of_nodes() == 5


def test_cli_export_filters_and_errors(tmp_path: Path) -> None:
    query = tmp_path / "parks.rq"
    query.write_text(
        "PREFIX aig: <https://w3id.org/aigraph/ontology#>\nCONSTRUCT { ?p a aig:Park } WHERE { ?p a aig:Park }\n"
    )
    runner = CliRunner()
    ok = runner.invoke(
        app,
        [
            "export",
            str(tmp_path / "t"),
            "--store",
            str(MINI),
            "--type",
            "Park,City",
            "--relation",
            "locatedIn",
            "--query",
            str(query),
        ],
    )
    assert ok.exit_code == 0, ok.output
    assert "csv: 1 entities, 0 relations" in ok.output
    bad = runner.invoke(
        app, ["export", str(tmp_path / "x.ttl"), "--store", str(MINI), "--ego", "nobody"]
    )
    assert bad.exit_code != 0 and isinstance(bad.exception, UnknownEntityError)


def test_export_path_from_file(tmp_path: Path) -> None:
    result = export_path(MINI, tmp_path / "x.ttl", Selection(types=("City",)))
    assert result.nodes == 2 and result.edges == 0


def test_gexf_and_graphml_keep_parallel_relations(tmp_path: Path) -> None:
    g = Graph()
    firm, city = entity_iri("Firm:甲"), entity_iri("City:乙")
    g.add((firm, RDF.type, AIG.Firm))
    g.add((city, RDF.type, AIG.City))
    g.add((firm, AIG.locatedIn, city))
    g.add((firm, AIG.headquarteredIn, city))
    export_graph(g, tmp_path / "p.gexf")
    export_graph(g, tmp_path / "p.graphml")
    for read in (
        nx.read_gexf(tmp_path / "p.gexf"),
        nx.read_graphml(tmp_path / "p.graphml", force_multigraph=True),
    ):
        assert read.number_of_edges() == 2
        assert sorted(d["relation"] for _, _, d in read.edges(data=True)) == [
            "headquarteredIn",
            "locatedIn",
        ]


def test_export_from_a_store_keeps_named_graphs(dataset: Dataset, tmp_path: Path) -> None:
    from aigraph.store import open_store

    store_dir = tmp_path / "store"
    store = open_store(store_dir, create=True)
    store.load_quads(dataset_quads(dataset))
    store.close()
    out = tmp_path / "all.trig"
    result = export_path(store_dir, out)
    assert (result.nodes, result.edges) == (11, 11)
    back = Dataset()
    back.parse(out, format="trig")
    for name in {g.identifier for g in dataset.graphs() if len(g)}:
        assert isomorphic(dataset.graph(name), back.graph(name)), name
    ego = export_path(store_dir, tmp_path / "ego.ttl", Selection(ego="科大讯飞"))
    assert (ego.nodes, ego.edges) == (5, 4)


SEEDS_GRAPH = Path(__file__).resolve().parents[1] / "graphs" / "seeds.trig"


@pytest.mark.skipif(
    not SEEDS_GRAPH.exists(), reason="graphs/seeds.trig not built (aigraph build seeds/)"
)
def test_ego_of_iflytek_in_the_seeds_graph_is_its_neighbours() -> None:
    ds = Dataset()
    ds.parse(SEEDS_GRAPH, format="trig")
    union = union_graph(ds)
    ego = select(union, Selection(ego="科大讯飞", radius=1))
    iflytek = resolve_name(union, "科大讯飞")
    assert ego.entities == frozenset(raw_neighbours(union, iflytek) | {iflytek})
    assert len(ego.entities) > 2
