"""Network analysis: projections, centralities, communities, brokers, RDF results, report."""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from typer.testing import CliRunner

from aigraph import iris
from aigraph.analysis import (
    AnalysisOptions,
    analyse,
    analyse_graph,
    project,
    projection_names,
    read_network,
    run_analysis,
)
from aigraph.analysis.brokers import participation_coefficients
from aigraph.analysis.centrality import sampled_closeness
from aigraph.analysis.projection import BIPARTITE_VIEWS, RELATION_FAMILIES, select
from aigraph.analysis.report import (
    charts,
    display_width,
    markdown_cell,
    render_text,
    text_table,
)
from aigraph.analysis.results import decimal_literal, read_membership, to_rdf
from aigraph.errors import ProjectionError
from aigraph.records import ENTITY_TYPES, RELATION_TYPES
from aigraph.store import load_rdf, memory_store
from aigraph.vocab import AIG

FIXTURE = Path(__file__).parent / "data" / "analysis" / "ecosystem.trig"


def key_iri(key: str) -> str:
    return str(iris.entity_iri(key))


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    ds = Dataset(default_union=True)
    ds.parse(FIXTURE, format="trig")
    return ds


@pytest.fixture(scope="module")
def network(dataset):
    return read_network(dataset)


@pytest.fixture()
def store():
    s = memory_store()
    s.load_quads(load_rdf(FIXTURE).quads((None, None, None, None)))
    yield s
    s.close()


# --- projection ------------------------------------------------------------------------------

_TYPES = " ".join(f"<{AIG[t]}>" for t in ENTITY_TYPES)


def sparql_degrees(source, relations) -> dict[str, int]:
    """Distinct entity neighbours through the given relations, either direction, by SPARQL."""
    values = " ".join(f"<{AIG[r]}>" for r in relations)
    query = f"""
    SELECT ?e (COUNT(DISTINCT ?n) AS ?degree) WHERE {{
      VALUES ?type {{ {_TYPES} }}
      ?e a ?type .
      OPTIONAL {{
        SELECT ?e ?n WHERE {{
          VALUES ?r {{ {values} }}
          VALUES ?ntype {{ {_TYPES} }}
          {{ ?e ?r ?n }} UNION {{ ?n ?r ?e }}
          ?n a ?ntype .
          FILTER(?n != ?e)
        }}
      }}
    }} GROUP BY ?e
    """
    return {str(e): int(d.toPython()) for e, d in select(source, query)}


@pytest.mark.parametrize("family", sorted(RELATION_FAMILIES))
def test_degree_equals_sparql_count_of_distinct_neighbours(dataset, network, family):
    graph = project(network, family)
    expected = sparql_degrees(dataset, RELATION_FAMILIES[family])
    for node in graph:
        assert graph.degree(node) == expected[node], graph.nodes[node]["label_zh"]
    if family == "all":
        assert set(graph) == set(expected)
    else:  # relation families keep exactly the entities that take part in them
        assert set(graph) == {e for e, d in expected.items() if d > 0}


def test_degree_differential_on_the_oxigraph_store(store):
    graph = project(read_network(store), "all")
    expected = sparql_degrees(store, RELATION_TYPES)
    assert {n: graph.degree(n) for n in graph} == expected


def test_edge_weight_counts_distinct_evidence_nodes(dataset, network):
    graph = project(network, "all")
    query = """
    PREFIX aig: <https://w3id.org/aigraph/ontology#>
    SELECT (COUNT(DISTINCT ?ev) AS ?n) WHERE {
      ?s a aig:RelationStatement ; aig:hasEvidence ?ev .
      { ?s aig:head ?u ; aig:tail ?v } UNION { ?s aig:head ?v ; aig:tail ?u }
    }
    """
    for u, v, weight in graph.edges(data="weight"):
        rows = select(dataset, query, {"u": URIRef(u), "v": URIRef(v)})
        assert weight == int(rows[0][0].toPython())


def test_symmetric_relation_is_counted_once(network):
    graph = project(network, "cooperation")
    iflytek, aispeech = key_iri("Firm:科大讯飞"), key_iri("Firm:思必驰")
    # Written in both directions, stated once with one evidence node.
    assert graph[iflytek][aispeech] == {"weight": 1, "relations": "cooperatesWith"}
    assert graph[key_iri("Institution:苏州大学")][aispeech]["weight"] == 2


def test_node_attributes_carry_type_labels_and_iri(network):
    graph = project(network, "all")
    park = key_iri("Park:中国声谷")
    assert graph.nodes[park] == {
        "type": "Park",
        "label_zh": "中国声谷",
        "label_pinyin": "zhōng guó shēng gǔ",
        "label_en": "China Speech Valley",
        "iri": park,
    }
    assert graph.nodes[key_iri("Agency:安徽省经济和信息化厅")]["label_en"] == ""


@pytest.mark.parametrize("name", projection_names())
def test_every_projection_on_the_fixture(network, name):
    graph = project(network, name)
    assert graph.graph["projection"] == name
    assert not graph.is_directed()
    view, _, one_mode = name.partition(":")
    types = {graph.nodes[n]["type"] for n in graph}
    if view in BIPARTITE_VIEWS:
        sides = dict((label, etype) for etype, label in BIPARTITE_VIEWS[view])
        allowed = {sides[one_mode]} if one_mode else set(sides.values())
        assert types <= allowed
        assert graph.number_of_nodes() > 0
        if not one_mode:
            assert nx.is_bipartite(graph)
    else:
        family = set(RELATION_FAMILIES[name])
        for _, _, relations in graph.edges(data="relations"):
            assert set(relations.split(";")) <= family
    for _, _, weight in graph.edges(data="weight"):
        assert weight >= 1
    # The analysis runs on every projection, including edgeless one-mode views.
    result = analyse_graph(graph, AnalysisOptions(projection=name))
    assert set(result.communities.membership) == set(graph)


def test_one_mode_projection_weights_by_weaker_shared_tie(network):
    firms = project(network, "firm-park:firms")
    iflytek, huami = key_iri("Firm:科大讯飞"), key_iri("Firm:华米科技")
    # Both in 中国声谷: 科大讯飞 with 3 evidence nodes, 华米科技 with 1.
    assert firms[iflytek][huami] == {"weight": 1, "relations": "shared park"}
    assert set(firms) == {
        key_iri(k)
        for k in ("Firm:科大讯飞", "Firm:华米科技", "Firm:思必驰", "Firm:科沃斯", "Firm:烽火通信")
    }


def test_unknown_projection_is_refused(network):
    with pytest.raises(ProjectionError, match="choose one of"):
        project(network, "firm-park:policies")


# --- centralities and disconnected graphs ---------------------------------------------------


def test_disconnected_fixture_is_handled_explicitly(dataset):
    result = analyse(dataset)
    assert [len(c) for c in result.communities.components] == [23, 2, 1]
    scores = result.centralities.scores
    person, industry = key_iri("Person:张三"), key_iri("Industry:人工智能")
    assert "eigenvector" not in scores[person]  # largest component only
    assert "eigenvector" in scores[key_iri("Park:中国声谷")]
    assert scores[industry]["closeness"] == 0.0 and scores[industry]["degree"] == 0
    # Wasserman-Faust scaling: a node of a 2-node component does not outrank the hubs.
    assert scores[person]["closeness"] < scores[key_iri("Firm:科大讯飞")]["closeness"]
    assert any("largest connected component" in note for note in result.notes)
    assert math.isclose(sum(s["pagerank"] for s in scores.values()), 1.0, rel_tol=1e-6)


def test_edgeless_and_empty_graphs():
    graph = nx.Graph()
    assert analyse_graph(graph).communities.modularity is None
    graph.add_nodes_from(["b", "a"], type="Firm")
    result = analyse_graph(graph)
    assert result.communities.modularity is None
    assert [c.members for c in result.communities.communities] == [("a",), ("b",)]
    assert "eigenvector" not in result.centralities.scores["a"]


def test_sampled_betweenness_reports_k_and_is_seeded():
    graph = nx.barabasi_albert_graph(60, 2, seed=3)
    graph = nx.relabel_nodes(graph, {n: f"n{n:03d}" for n in graph})
    nx.set_node_attributes(graph, "Firm", "type")
    options = AnalysisOptions(exact_betweenness_max_nodes=10, betweenness_samples=8)
    first, second = analyse_graph(graph, options), analyse_graph(graph, options)
    assert first.centralities.parameters["betweenness"] == {
        "normalized": True,
        "weight": None,
        "exact": False,
        "k": 8,
        "seed": 42,
        "implementation": "scipy batched BFS",
    }
    assert any("k=8" in note for note in first.notes)
    assert first.centralities.scores == second.centralities.scores
    exact = analyse_graph(graph).centralities.scores
    assert first.centralities.scores != exact


def test_large_graph_path_samples_and_says_so():
    graph = nx.relabel_nodes(nx.karate_club_graph(), lambda n: f"k{n:02d}")
    options = AnalysisOptions(
        large_graph_nodes=10,
        exact_closeness_max_nodes=10,
        exact_betweenness_max_nodes=10,
        betweenness_samples_large=32,
    )
    result = analyse_graph(graph, options)
    params = result.centralities.parameters
    assert params["closeness"]["pivots"] == params["betweenness"]["k"] == 32
    assert params["eigenvector"]["method"] == "sparse eigensolver"
    assert any("closeness estimated from the k=32" in note for note in result.notes)
    exact = analyse_graph(graph).centralities.scores
    ranked = sorted(graph, key=lambda n: -exact[n]["closeness"])[:3]
    estimated = sorted(graph, key=lambda n: -result.centralities.scores[n]["closeness"])[:3]
    assert ranked[0] in estimated
    for node, scores in result.centralities.scores.items():
        assert scores["eigenvector"] == pytest.approx(exact[node]["eigenvector"], abs=1e-5)


def test_sampled_closeness_with_every_node_as_pivot_is_exact():
    graph = nx.relabel_nodes(nx.karate_club_graph(), str)
    graph.add_edge("x", "y")
    graph.add_node("z")
    exact = nx.closeness_centrality(graph)
    estimate = sampled_closeness(graph, graph.number_of_nodes(), seed=5)
    assert estimate == pytest.approx(exact, abs=1e-12)


def test_per_type_rankings_are_separate(dataset):
    text = render_text(analyse(dataset, AnalysisOptions(top=2)))
    park_table = text.split("Most central Park")[1].split("Most central")[0]
    firm_table = text.split("Most central Firm")[1].split("Most central")[0]
    assert "中国声谷" in park_table and "科大讯飞" not in park_table
    assert "科大讯飞" in firm_table and "中国声谷  " not in firm_table


# --- communities and brokers ---------------------------------------------------------------


def test_communities_are_regional_and_span_their_places(dataset):
    result = analyse(dataset)
    by_member = result.communities.membership
    communities = result.communities.communities
    hefei = communities[by_member[key_iri("Park:中国声谷")]]
    assert by_member[key_iri("Firm:科大讯飞")] == hefei.index
    assert dict(hefei.places)[key_iri("City:合肥")] >= 3
    suzhou = communities[by_member[key_iri("Park:苏州工业园区")]]
    assert suzhou.index != hefei.index
    assert key_iri("City:苏州") in dict(suzhou.places)
    sizes = [len(c.members) for c in communities]
    assert sizes == sorted(sizes, reverse=True)
    assert [c.index for c in communities] == list(range(len(communities)))
    assert 0.3 < result.communities.modularity < 1


def test_participation_coefficient_by_hand():
    graph = nx.star_graph(["hub", "a", "b", "c", "d"])
    membership = {"hub": 0, "a": 0, "b": 1, "c": 2, "d": 2}
    p = participation_coefficients(graph, membership)
    assert p["hub"] == pytest.approx(1 - (1 / 4) ** 2 - (1 / 4) ** 2 - (2 / 4) ** 2)
    assert p["a"] == 0.0


def test_brokers_and_bridges_on_the_fixture(dataset):
    result = analyse(dataset)
    top_broker = max(result.centralities.scores.items(), key=lambda kv: kv[1]["betweenness"])[0]
    assert top_broker == key_iri("Firm:科大讯飞")
    crossing = {(b.u, b.v) for b in result.bridges if b.between_communities and not b.trivial}
    pair = tuple(sorted((key_iri("Firm:科大讯飞"), key_iri("Firm:思必驰"))))
    assert pair in crossing
    assert result.participation[key_iri("Firm:科大讯飞")] > 0


# --- results as RDF -------------------------------------------------------------------------


def test_membership_written_to_rdf_reads_back_the_same(dataset, store):
    result = analyse(dataset)
    graph = to_rdf(result)
    assert graph.identifier == iris.analysis_graph_iri()
    assert read_membership(graph, "all") == result.communities.membership
    store.write_analysis(graph)
    assert read_membership(store, "all") == result.communities.membership
    assert read_membership(store, "cooperation") == {}


def test_streamed_analysis_triples_store_what_the_graph_holds(dataset, store, monkeypatch):
    """What a build writes (analysis_triples, in bulk chunks) is the graph of to_rdf."""
    import aigraph.store as store_module
    from aigraph.analysis.results import analysis_triples

    result = analyse(dataset)
    store.write_analysis(to_rdf(result))
    whole = sorted(map(str, store.inner.quads_for_pattern(None, None, None, None)))
    monkeypatch.setattr(store_module, "BULK_WRITE_QUADS", 6)  # many small chunks
    store.write_analysis(analysis_triples(result))
    assert sorted(map(str, store.inner.quads_for_pattern(None, None, None, None))) == whole
    assert set(analysis_triples(result)) == set(to_rdf(result))


def test_analysis_graph_carries_scores_and_provenance(dataset):
    graph = to_rdf(analyse(dataset))
    park = URIRef(key_iri("Park:中国声谷"))
    assert graph.value(park, AIG.degree) == Literal(5, datatype=XSD.integer)
    pagerank = graph.value(park, AIG.pageRank)
    assert pagerank.datatype == XSD.decimal and len(str(pagerank).split(".")[1]) == 8
    runs = {str(graph.value(r, AIG.algorithm)): r for r in graph.subjects(AIG.algorithm, None)}
    assert set(runs) >= {
        "louvain",
        "pageRank",
        "betweenness",
        "closeness",
        "eigenvector",
        "degree",
        "weightedDegree",
        "participationCoefficient",
    }
    assert '"seed": 42' in str(graph.value(runs["louvain"], AIG.parameters))
    assert graph.value(runs["louvain"], AIG.modularity) is not None
    community = iris.community_iri("all", 0)
    assert graph.value(community, AIG.analysedBy) == runs["louvain"]
    assert graph.value(community, AIG.projection) == Literal("all")


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.integers(0, 10))
@settings(max_examples=200, deadline=None)
def test_decimal_literal_is_fixed_precision(value, precision):
    text = str(decimal_literal(value, precision))
    assert not text.startswith("-0") or float(text) != 0
    assert (len(text.split(".")[1]) if "." in text else 0) == precision
    assert abs(float(text) - value) <= 0.5 * 10**-precision + 1e-9 * abs(value)


# --- report ---------------------------------------------------------------------------------


@given(st.text(max_size=40))
def test_markdown_cell_never_breaks_a_table(text):
    cell = markdown_cell(text)
    assert "\n" not in cell and "<" not in cell
    stripped = cell.replace("\\\\", "")
    assert all(stripped[i - 1] == "\\" for i, ch in enumerate(stripped) if ch == "|")


@given(
    st.lists(
        st.tuples(
            st.text(alphabet="合肥AIab中 1", max_size=8),
            st.text(alphabet="0123456789.", min_size=1, max_size=6),
        ),
        max_size=6,
    )
)
def test_text_table_right_aligned_column_ends_at_the_rule(rows):
    table = text_table(["名称", "n"], [list(r) for r in rows], {1})
    lines = table.split("\n")
    assert len(lines) == len(rows) + 2
    rule = display_width(lines[1])
    # CJK characters take two columns, so every right-aligned number ends at the same column.
    for line, (_, number) in zip(lines[2:], rows, strict=True):
        assert display_width(line) == rule and line.endswith(number)


def test_charts_are_deterministic_pngs_without_software_stamp(dataset):
    result = analyse(dataset)
    first, second = charts(result), charts(result)
    assert set(first) == {"top_entities.png", "community_sizes.png", "degree_distribution.png"}
    for name, data in first.items():
        assert data.startswith(b"\x89PNG") and data == second[name]
        assert b"Software" not in data and b"matplotlib" not in data


def test_report_twice_is_byte_identical(tmp_path):
    options = AnalysisOptions(top=5)
    first = run_analysis(options, tmp_path / "a", graph_file=FIXTURE)
    second = run_analysis(options, tmp_path / "b", graph_file=FIXTURE)
    names = sorted(p.name for p in first.files)
    assert (
        names
        == sorted(p.name for p in second.files)
        == [
            "analysis.ttl",
            "bridges.csv",
            "brokers.csv",
            "centrality.csv",
            "communities.csv",
            "community_sizes.png",
            "degree_distribution.png",
            "report.md",
            "top_entities.png",
        ]
    )
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert first.text == second.text
    report = (tmp_path / "a" / "report.md").read_text(encoding="utf-8")
    assert "中国声谷" in report and "modularity" in report and "![top_entities.png]" in report
    assert Graph().parse(tmp_path / "a" / "analysis.ttl", format="turtle")


def test_run_analysis_writes_the_store_analysis_graph(tmp_path):
    from aigraph.store import open_store

    path = tmp_path / "store"
    with open_store(path, create=True) as s:
        s.load_quads(load_rdf(FIXTURE).quads((None, None, None, None)))
    run = run_analysis(AnalysisOptions(projection="colocation"), tmp_path / "out", store_dir=path)
    assert run.stored
    with open_store(path) as s:
        assert read_membership(s, "colocation") == run.result.communities.membership
        rows = select(
            s,
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
            {"g": iris.analysis_graph_iri()},
        )
        assert int(rows[0][1].toPython()) == len(to_rdf(run.result))


def test_cli_analyze(tmp_path):
    from aigraph.cli import app

    runner = CliRunner()
    args = [
        "--graph",
        str(FIXTURE),
        "--projection",
        "colocation",
        "--top",
        "3",
        "--out",
        str(tmp_path),
    ]
    prefix = ["analyze"]
    result = runner.invoke(app, [*prefix, *args])
    assert result.exit_code == 0, result.output
    assert "Most central Park" in result.output and "modularity" in result.output
    assert (tmp_path / "report.md").exists()
    bad = runner.invoke(
        app, [*prefix, "--graph", str(FIXTURE), "--projection", "nope", "--out", str(tmp_path)]
    )
    assert isinstance(bad.exception, ProjectionError)


SEEDS_GRAPH = Path(__file__).resolve().parents[1] / "graphs" / "seeds.trig"


@pytest.mark.slow
@pytest.mark.skipif(not SEEDS_GRAPH.exists(), reason="graphs/seeds.trig is not published yet")
def test_seeds_graph_analysis_is_deterministic_and_consistent():
    from aigraph.analysis.report import brokers_csv, centrality_csv, communities_csv

    source = memory_store()
    source.load_quads(load_rdf(SEEDS_GRAPH).quads((None, None, None, None)))
    first, second = analyse(source), analyse(source)
    for render in (render_text, centrality_csv, communities_csv, brokers_csv):
        assert render(first) == render(second)
    assert to_rdf(first).serialize(format="nt") == to_rdf(second).serialize(format="nt")
    # Differential check on real data: degree equals the SPARQL count for every entity.
    expected = sparql_degrees(source, RELATION_TYPES)
    assert {n: first.graph.degree(n) for n in first.graph} == expected
    source.close()


# --- the same checks with aigraph's networkx backend (what graphs of 1,000+ nodes use) -------

#: Every measure the backend implements runs on it, whatever the graph's size.
ON_BACKEND = AnalysisOptions(backend_min_nodes=1)
needs_backend = pytest.mark.skipif(
    not __import__("aigraph.analysis.nxbackend", fromlist=["x"]).registered(),
    reason="aigraph is not installed with its entry points (pip install -e .)",
)


@needs_backend
def test_backend_degree_written_to_rdf_equals_sparql_count(store):
    result = analyse(store, ON_BACKEND)
    assert result.centralities.parameters["pagerank"]["backend"] == "aigraph"
    expected = sparql_degrees(store, RELATION_TYPES)
    # The degree scores come from the converted edge arrays, not from networkx's degree.
    assert {n: s["degree"] for n, s in result.centralities.scores.items()} == expected
    graph = to_rdf(result)
    written = {str(s): int(o.toPython()) for s, o in graph.subject_objects(AIG.degree)}
    assert written == expected


@needs_backend
def test_backend_membership_written_to_rdf_reads_back_the_same(dataset, store):
    result = analyse(dataset, ON_BACKEND)
    assert result.communities.parameters["backend"] == "aigraph (igraph multilevel)"
    assert nx.community.is_partition(
        result.graph, [set(c.members) for c in result.communities.communities]
    )
    graph = to_rdf(result)
    assert read_membership(graph, "all") == result.communities.membership
    store.write_analysis(graph)
    assert read_membership(store, "all") == result.communities.membership


@needs_backend
def test_backend_run_says_what_ran_where():
    text = render_text(analyse_graph(_ba_graph(), ON_BACKEND))
    assert "PageRank computed by aigraph's networkx dispatch backend" in text
    assert "eigenvector computed by aigraph's networkx dispatch backend" in text
    assert "Louvain communities computed by aigraph's networkx dispatch backend" in text
    plain = render_text(analyse_graph(_ba_graph()))
    assert "dispatch backend" not in plain


def _ba_graph() -> nx.Graph:
    graph = nx.relabel_nodes(nx.barabasi_albert_graph(80, 2, seed=4), lambda n: f"n{n:03d}")
    nx.set_node_attributes(graph, "Firm", "type")
    nx.set_edge_attributes(graph, 1, "weight")
    return graph


@needs_backend
def test_backend_eigenvector_falls_back_to_the_eigensolver_and_says_so(monkeypatch):
    from aigraph.analysis import nxbackend

    def never_converges(*args, **kwargs):
        raise nx.PowerIterationFailedConvergence(1000)

    monkeypatch.setattr(nxbackend.backend_interface, "eigenvector_centrality", never_converges)
    graph = _ba_graph()
    result = analyse_graph(graph, ON_BACKEND)
    assert result.centralities.parameters["eigenvector"]["method"] == "sparse eigensolver"
    assert "backend" not in result.centralities.parameters["eigenvector"]
    assert any("did not converge" in note for note in result.notes)
    expected = nx.eigenvector_centrality_numpy(graph, weight="weight")
    for node, value in expected.items():
        assert result.centralities.scores[node]["eigenvector"] == pytest.approx(abs(value))


@needs_backend
@pytest.mark.slow
def test_backend_report_is_byte_identical_across_processes(tmp_path):
    """Two processes (different string hash seeds) write the same files on the backend."""
    import os
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path\n"
        "from aigraph.analysis import AnalysisOptions, run_analysis\n"
        "run = run_analysis(AnalysisOptions(top=5, backend_min_nodes=1), Path(sys.argv[1]), "
        "graph_file=Path(sys.argv[2]))\n"
        "print(run.text)\n"
    )
    outputs = []
    for hash_seed, folder in (("1", "a"), ("2", "b")):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-c", code, str(tmp_path / folder), str(FIXTURE)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert "Louvain communities computed by aigraph's networkx dispatch backend" in outputs[0]
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir()) and "report.md" in names
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
