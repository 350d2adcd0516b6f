"""Pushing named graphs with the Graph Store Protocol, and saved questions run remotely."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset
from typer.testing import CliRunner

from aigraph.cli import app
from aigraph.errors import EndpointError
from aigraph.queries import execute, list_queries, load_query, open_source, run_query
from aigraph.remote import EndpointSource, push, push_path
from aigraph.serve import free_port, start_server

MINI = Path(__file__).parent / "data" / "queries" / "mini.trig"

PARAMS = {
    "firms_in_park": {"park": "苏州工业园区"},
    "parks_in_place": {"place": "安徽省"},
    "policies_supporting": {"target": "中国声谷"},
    "agency_activity": {"agency": "工信部"},
    "platforms_by_park": {"park": "苏州工业园区"},
    "park_metrics": {"park": "中国声谷", "from_year": "2020"},
    "evidence_between": {"a": "科大讯飞", "b": "中国声谷合肥高新区"},
    "entities_in_article": {"article": "000_mini_a.txt"},
    "most_connected": {"type": "Park", "min_degree": "2"},
    "firms_in_several_parks": {"min_parks": "2"},
}
GRAPH_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


@pytest.fixture(scope="module")
def mini() -> Dataset:
    ds = Dataset()
    ds.parse(MINI, format="trig")
    return ds


@pytest.fixture(scope="module")
def pushed(mini):
    with start_server(None, port=free_port(), read_only=False) as server:
        report = push(mini, server.store_url)
        yield server, report


def test_push_sends_every_named_graph(pushed, mini):
    server, report = pushed
    expected = {str(g.identifier): len(g) for g in mini.graphs() if len(g)}
    assert dict(report.graphs) == expected
    counts = execute(EndpointSource(server.query_url), GRAPH_COUNTS)
    assert {str(g): int(n) for g, n in counts.rows} == expected


def test_push_twice_replaces(pushed, mini):
    server, report = pushed
    again = push(mini, server.store_url)
    assert again.graphs == report.graphs
    counts = execute(EndpointSource(server.query_url), GRAPH_COUNTS)
    assert sum(int(n) for _g, n in counts.rows) == report.triples


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_remote_saved_question_equals_local(pushed, name):
    server, _ = pushed
    local = run_query(open_source(MINI), load_query(name), PARAMS.get(name, {}))
    remote = run_query(EndpointSource(server.query_url), load_query(name), PARAMS.get(name, {}))
    assert remote.variables == local.variables
    assert (
        remote.rows == local.rows
        or (
            name == "firms_in_several_parks"  # GROUP_CONCAT order is the engine's choice
            and [r[:2] for r in remote.rows] == [r[:2] for r in local.rows]
        )
    )
    assert local.rows


def test_remote_hostile_value_is_only_a_name(pushed):
    server, _ = pushed
    from aigraph.errors import UnknownEntityError

    with pytest.raises(UnknownEntityError):
        run_query(
            EndpointSource(server.query_url),
            load_query("firms_in_park"),
            {"park": '苏州工业园区" } UNION { ?firm ?p ?o } #'},
        )


def test_cli_push_and_remote_query(mini):
    with start_server(None, port=free_port(), read_only=False) as server:
        out = CliRunner().invoke(
            app, ["push", "--endpoint", server.store_url, "--store", str(MINI)]
        )
        assert out.exit_code == 0, out.output
        assert "pushed 4 graphs" in out.output  # two articles, entities, places
        out = CliRunner().invoke(
            app, ["query", "city_cooperation", "--endpoint", server.query_url, "--format", "csv"]
        )
        assert out.exit_code == 0, out.output
        assert len(out.output.splitlines()) == 6


def test_bad_endpoints():
    with pytest.raises(EndpointError, match="http"):
        EndpointSource("file:///etc/passwd")
    with pytest.raises(EndpointError, match="cannot reach"):
        execute(EndpointSource(f"http://127.0.0.1:{free_port()}/query", timeout=2), "ASK {}")
    with pytest.raises(EndpointError):
        push_path(MINI, "ftp://example.org/store")
