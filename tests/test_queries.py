"""Saved questions, bound parameters, the reach-out guard and the output formats.

Expected rows were checked by hand against the facts listed in
tests/data/queries/make_mini.py (the generator of mini.trig).
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Literal, URIRef
from rdflib.plugins.sparql.parser import parseQuery
from typer.testing import CliRunner

from aigraph.cli import app
from aigraph.errors import (
    AmbiguousEntityError,
    ParameterError,
    QueryError,
    QueryRejectedError,
    UnknownEntityError,
    UnknownQueryError,
)
from aigraph.queries import (
    QueryResult,
    check_query,
    execute,
    find_entities,
    format_result,
    inline_bindings,
    list_queries,
    load_query,
    no_network,
    normalise_name,
    open_source,
    resolve_entity,
    run_query,
    text_width,
)
from aigraph.remote import parse_srj

MINI = Path(__file__).parent / "data" / "queries" / "mini.trig"


@pytest.fixture(scope="module")
def mini_rdflib() -> Dataset:
    ds = Dataset(default_union=True)
    ds.parse(MINI, format="trig")
    return ds


@pytest.fixture(scope="module")
def mini_oxigraph():
    return open_source(MINI)


@pytest.fixture(params=["rdflib", "oxigraph"])
def source(request, mini_rdflib, mini_oxigraph):
    return mini_rdflib if request.param == "rdflib" else mini_oxigraph


def labels(result: QueryResult, *columns: str) -> list[tuple[str, ...]]:
    index = [result.variables.index(c) for c in columns]
    return [tuple("" if row[i] is None else str(row[i]) for i in index) for row in result.rows]


# --- the twelve questions, hand-checked on the fixture ---------------------------------------


def test_firms_in_park_include_sub_parks(source):
    r = run_query(source, load_query("firms_in_park"), {"park": "苏州工业园区"})
    assert labels(r, "firmLabel", "inParkLabel", "evidenceCount") == [
        ("思必驰", "苏州人工智能产业园", "2"),  # stated in both articles
        ("华为", "苏州工业园区", "1"),
        ("科大讯飞", "苏州人工智能产业园", "1"),
    ]


def test_parks_in_province_through_cities(source):
    r = run_query(source, load_query("parks_in_place"), {"place": "安徽省"})
    assert labels(r, "parkLabel", "parentParkLabel") == [
        ("中国声谷", ""),
        ("中国声谷合肥高新区", "中国声谷"),
    ]
    r = run_query(source, load_query("parks_in_place"), {"place": "Suzhou"})
    assert labels(r, "parkLabel") == [("苏州人工智能产业园",), ("苏州工业园区",)]


def test_policies_supporting(source):
    r = run_query(source, load_query("policies_supporting"), {"target": "中国声谷"})
    assert labels(r, "policyLabel", "issuerLabel", "evidenceCount") == [
        ("安徽省人工智能产业发展规划", "安徽省人民政府", "2")
    ]
    r = run_query(source, load_query("policies_supporting"), {"target": "人工智能"})
    assert labels(r, "policyLabel") == [("安徽省人工智能产业发展规划",)]


def test_agency_activity(source):
    r = run_query(source, load_query("agency_activity"), {"agency": "工信部"})
    assert labels(r, "action", "thingLabel", "thingType") == [
        ("approved", "中国声谷", "Park"),
        ("approved", "类脑智能开放平台", "Platform"),
        ("supports", "中国声谷", "Park"),
    ]
    r = run_query(source, load_query("agency_activity"), {"agency": "苏州工业园区管委会"})
    assert labels(r, "action", "thingLabel") == [("issued", "苏州工业园区人工智能产业发展行动计划")]


def test_platforms_by_park(source):
    r = run_query(source, load_query("platforms_by_park"))
    assert labels(r, "parkLabel", "platformLabel", "operatorLabel") == [
        ("中国声谷", "中国声谷技术创新服务综合体", "科大讯飞"),
        ("苏州人工智能产业园", "苏州人工智能开放平台", "思必驰"),
        ("苏州工业园区", "苏州人工智能开放平台", "思必驰"),  # through its sub-park
    ]
    r = run_query(source, load_query("platforms_by_park"), {"park": "中国声谷"})
    assert labels(r, "platformLabel") == [("中国声谷技术创新服务综合体",)]


def test_city_cooperation_network(source):
    r = run_query(source, load_query("city_cooperation"))
    pairs = {frozenset(p) for p in labels(r, "cityLabel", "partnerLabel")}
    assert pairs == {
        frozenset(p)
        for p in [
            ("武汉市", "长沙市"),
            ("武汉市", "合肥市"),
            ("长沙市", "南昌市"),
            ("合肥市", "南昌市"),
            ("武汉市", "南昌市"),
        ]
    }
    assert len(r.rows) == 5  # each pair once although the triple is stated both ways


def test_park_metrics_time_series(source):
    r = run_query(source, load_query("park_metrics"), {"park": "China Speech Valley"})
    rows = [
        (m, y, float(v), u, b)
        for m, y, v, u, b in labels(r, "metricName", "year", "value", "unit", "bound")
    ]
    assert rows == [
        ("firmCount", "2020", 1024.0, "家", ""),
        ("revenue", "2019", 800.0, "亿元", ""),
        ("revenue", "2020", 1060.0, "亿元", "over"),
        ("revenue", "2021", 1300.0, "亿元", ""),
    ]
    r = run_query(source, load_query("park_metrics"), {"park": "中国声谷", "from_year": "2021"})
    assert labels(r, "metricName", "year") == [("revenue", "2021")]


def test_evidence_between_two_entities(source):
    r = run_query(source, load_query("evidence_between"), {"a": "中国声谷合肥高新区", "b": "讯飞"})
    assert labels(r, "headLabel", "relationName", "tailLabel", "fileName") == [
        ("科大讯飞", "locatedIn", "中国声谷合肥高新区", "000_mini_a.txt"),
        ("科大讯飞", "locatedIn", "中国声谷合肥高新区", "001_mini_b.txt"),
    ]
    assert {q for (q,) in labels(r, "quote")} == {"科大讯飞locatedIn中国声谷合肥高新区。"}


def test_entities_in_article(source):
    r = run_query(source, load_query("entities_in_article"), {"article": "001_mini_b.txt"})
    got = labels(r, "type", "entityLabel")
    assert ("City", "南昌市") in got and ("Firm", "小米") in got
    assert ("Firm", "华为") not in got  # only article A names it
    assert len(got) == 15


def test_firms_in_several_parks(source):
    r = run_query(source, load_query("firms_in_several_parks"))
    assert labels(r, "firmLabel", "parkCount") == [("科大讯飞", "2")]
    assert set(labels(r, "parks")[0][0].split("、")) == {"中国声谷合肥高新区", "苏州人工智能产业园"}
    r = run_query(source, load_query("firms_in_several_parks"), {"min_parks": "1"})
    assert len(r.rows) == 4


def test_most_connected(source):
    r = run_query(source, load_query("most_connected"), {"type": "园区", "min_degree": "3"})
    assert labels(r, "entityLabel", "degree") == [
        ("中国声谷", "5"),
        ("苏州人工智能产业园", "4"),
        ("苏州工业园区", "4"),
    ]
    r = run_query(source, load_query("most_connected"))  # default type Firm
    assert labels(r, "entityLabel")[0] == ("科大讯飞",)


def test_cross_province_cooperation(source):
    r = run_query(source, load_query("cross_province_cooperation"))
    # 华为-思必驰 are both in Jiangsu; 科大讯飞 is in Anhui *and* Jiangsu, like neither partner
    assert labels(r, "orgLabel", "orgProvinceLabel", "partnerLabel", "partnerProvinceLabel") == [
        ("小米", "湖北省", "思必驰", "江苏省")
    ]


# --- the library of questions -----------------------------------------------------------------


def test_twelve_documented_questions():
    queries = list_queries()
    assert len(queries) == 12
    for q in queries:
        assert q.question_zh and q.question_en, q.name
        assert q.examples and q.examples[0].startswith(f"aigraph query {q.name}"), q.name
        parsed = parseQuery(q.text)
        projected = {
            str(v.var if hasattr(v, "var") and v.var else v.evar) for v in parsed[1].projection
        }
        for p in q.parameters:
            # Oxigraph substitutes only projected variables: every parameter must be selected
            assert p.name in projected, (q.name, p.name)
            assert f"?{p.name}" in q.text


def test_unknown_query_and_parameters(mini_rdflib):
    with pytest.raises(UnknownQueryError, match="firms_in_park"):
        load_query("no_such_question")
    with pytest.raises(ParameterError, match="needs --param park"):
        run_query(mini_rdflib, load_query("firms_in_park"))
    with pytest.raises(ParameterError, match="no parameter 'city'"):
        run_query(mini_rdflib, load_query("firms_in_park"), {"city": "x"})
    with pytest.raises(ParameterError, match="integer"):
        run_query(mini_rdflib, load_query("firms_in_several_parks"), {"min_parks": "2 }"})
    with pytest.raises(ParameterError, match="unknown entity type"):
        run_query(mini_rdflib, load_query("most_connected"), {"type": "Firm> ?x"})


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "苏州工业园区",
        "蘇州工業園區",
        "sū zhōu gōng yè yuán qū",
        "suzhougongyeyuanqu",
        "SUZHOU INDUSTRIAL PARK",
        "苏州园区",
        " 苏州 工业园区 ",
        "ｓｕｚｈｏｕ industrial park",
    ],
)
def test_name_lookup_forms(mini_oxigraph, name):
    expected = resolve_entity(mini_oxigraph, "苏州工业园区", ["Park"])
    assert resolve_entity(mini_oxigraph, name, ["Park"]) == expected
    assert resolve_entity(mini_oxigraph, name) == expected


def test_ambiguous_and_unknown_names(mini_oxigraph):
    with pytest.raises(AmbiguousEntityError) as err:
        resolve_entity(mini_oxigraph, "高新区", ["Park"])
    assert "中国声谷合肥高新区" in str(err.value) and "武汉东湖高新区" in str(err.value)
    with pytest.raises(UnknownEntityError, match="close: .*苏州工业园区"):
        resolve_entity(mini_oxigraph, "苏州", ["Park"])
    with pytest.raises(UnknownEntityError):
        resolve_entity(mini_oxigraph, "苏州工业园区", ["Firm"])  # right name, wrong type


# --- injection --------------------------------------------------------------------------------

HOSTILE = [
    '"> } ; DROP ALL',
    '苏州工业园区" } UNION { ?x ?y ?z',
    "苏州工业园区'",
    "苏州工业园区 # comment",
    "苏州工业园区\n} SELECT * WHERE { ?s ?p ?o",
    "<https://w3id.org/aigraph/id/park/x> }",
    "{}",
    '\\"',
    "?park",
    '苏州工业园区"@zh . ?s ?p ?o . FILTER("',
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_parameter_values_are_only_names(source, value):
    with pytest.raises(UnknownEntityError):
        run_query(source, load_query("firms_in_park"), {"park": value})


PIECES = [
    '"',
    "'",
    "{",
    "}",
    "<",
    ">",
    "#",
    "\n",
    "\\",
    ";",
    "?",
    "$",
    ".",
    " ",
    "DROP ALL",
    "苏州",
    "工业园区",
    "蘇州",
    "高新区",
    "中国声谷",
    "@zh",
    "^^",
    "suzhou",
    "industrial park",
]


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(PIECES), max_size=6).map("".join))
def test_any_name_resolves_exactly_or_not_at_all(mini_rdflib, mini_oxigraph, value):
    from rdflib.namespace import RDFS, SKOS

    for match in find_entities(mini_oxigraph, value):
        names = {
            normalise_name(str(o))
            for p in (SKOS.prefLabel, SKOS.altLabel, RDFS.label)
            for o in mini_rdflib.objects(match.iri, p)
        }
        assert normalise_name(value) in names
    with contextlib.suppress(UnknownEntityError, AmbiguousEntityError):
        resolve_entity(mini_oxigraph, value)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=40))
def test_inlined_literal_matches_only_itself(mini_oxigraph, value):
    sparql = "SELECT ?x ?v WHERE { BIND(?v AS ?x) }"
    text = inline_bindings(sparql, {"v": Literal(value)})
    result = execute(mini_oxigraph, text)
    assert [str(row[0]) for row in result.rows] == [value]


def test_hostile_iri_cannot_be_inlined():
    with pytest.raises(Exception):  # noqa: B017 (rdflib refuses to serialise such an IRI)
        inline_bindings("SELECT ?x WHERE { ?x ?p ?o }", {"o": URIRef("http://x> } DROP ALL <y")})


# --- the guard --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sparql", "message"),
    [
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * WHERE { OPTIONAL { SERVICE SILENT <http://x/> { ?s ?p ?o } } }", "SERVICE"),
        ("LOAD <file:///etc/passwd>", "LOAD"),
        ("LOAD <http://example.org/x.ttl> INTO GRAPH <urn:g>", "LOAD"),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT"),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE"),
        ("DROP ALL", "DROP"),
        ("CLEAR DEFAULT", "CLEAR"),
        ("CREATE GRAPH <urn:g>", "CREATE"),
        ("ADD DEFAULT TO <urn:g>", "ADD"),
        ("MOVE DEFAULT TO <urn:g>", "MOVE"),
        ("COPY DEFAULT TO <urn:g>", "COPY"),
        ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM <file:///etc/passwd>"),
        ("SELECT * FROM NAMED <http://example.org/g> WHERE { ?s ?p ?o }", "FROM NAMED"),
    ],
)
def test_reaching_out_is_refused(mini_rdflib, sparql, message):
    with pytest.raises(QueryRejectedError, match=message):
        check_query(sparql)
    with pytest.raises(QueryRejectedError):
        run_query(mini_rdflib, sparql)


def test_own_graphs_may_be_named(mini_oxigraph):
    sparql = (
        "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/aigraph/graph/entities> WHERE { ?s ?p ?o }"
    )
    check_query(sparql)


def test_syntax_error_is_a_query_error():
    with pytest.raises(QueryError, match="syntax"):
        check_query("SELECT WHERE {")


def test_service_never_opens_a_socket(mini_rdflib):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(1.0)
    port = listener.getsockname()[1]
    accepted: list[object] = []

    def accept() -> None:
        with contextlib.suppress(OSError):
            accepted.append(listener.accept())

    thread = threading.Thread(target=accept)
    thread.start()
    try:
        # past the guard, straight into rdflib's evaluator: the audit hook must stop it
        with no_network(), pytest.raises(Exception) as err:
            list(
                mini_rdflib.query(
                    f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
                )
            )
        assert "reach the network" in str(err.value) or isinstance(err.value, QueryRejectedError)
    finally:
        thread.join()
        listener.close()
    assert accepted == []


# --- output -----------------------------------------------------------------------------------

RESULT = QueryResult(
    ("name", "n", "iri"),
    (
        (Literal("中国声谷", lang="zh"), Literal(2), URIRef("https://w3id.org/aigraph/id/park/1")),
        (Literal('a\tb\n"c"'), None, None),
    ),
)


def test_table_aligns_wide_characters():
    lines = format_result(RESULT, "table").splitlines()
    assert text_width(lines[0].split("  n")[0]) == text_width(lines[2].split("  2")[0])
    assert lines[3].startswith('a b "c"')  # one line per row


def test_csv_tsv_json():
    assert (
        format_result(RESULT, "csv").splitlines()[1]
        == "中国声谷,2,https://w3id.org/aigraph/id/park/1"
    )
    assert format_result(RESULT, "tsv").splitlines()[2] == 'a\\tb\\n"c"\t\t'
    assert json.loads(format_result(RESULT, "json")) == [
        {"name": "中国声谷", "n": 2, "iri": "https://w3id.org/aigraph/id/park/1"},
        {"name": 'a\tb\n"c"', "n": None, "iri": None},
    ]
    with pytest.raises(QueryError):
        format_result(RESULT, "xml")


@given(st.lists(st.tuples(st.text(max_size=10), st.sampled_from(["zh", "en", None])), max_size=5))
def test_srj_round_trip(values):
    rows = tuple((Literal(v, lang=lang),) for v, lang in values)
    result = QueryResult(("x",), rows)
    assert parse_srj(format_result(result, "srj").encode()).rows == rows


# --- the command ------------------------------------------------------------------------------


def test_cli_list_shows_all_twelve():
    out = CliRunner().invoke(app, ["query", "--list"])
    assert out.exit_code == 0
    for q in list_queries():
        assert q.name in out.output


def test_cli_query_csv():
    out = CliRunner().invoke(
        app,
        [
            "query",
            "firms_in_park",
            "--param",
            "park=蘇州工業園區",
            "--format",
            "csv",
            "--store",
            str(MINI),
        ],
    )
    assert out.exit_code == 0, out.output
    assert [line.split(",")[0] for line in out.output.splitlines()] == [
        "firmLabel",
        "思必驰",
        "华为",
        "科大讯飞",
    ]


def test_cli_table_shows_labels_not_iris():
    out = CliRunner().invoke(app, ["query", "city_cooperation", "--store", str(MINI)])
    assert out.exit_code == 0
    assert "武汉市" in out.output and "https://" not in out.output


def test_cli_refuses_service():
    out = CliRunner().invoke(
        app,
        [
            "query",
            "--sparql",
            "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }",
            "--store",
            str(MINI),
        ],
    )
    assert out.exit_code != 0
    assert isinstance(out.exception, QueryRejectedError)
