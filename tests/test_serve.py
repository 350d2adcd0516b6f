"""The read-only SPARQL endpoint (oxigraph serve-read-only), driven by SPARQLWrapper."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from aigraph.errors import ServerError
from aigraph.queries import bind_parameters, inline_bindings, load_query, open_source, run_query
from aigraph.remote import parse_srj
from aigraph.serve import free_port, loopback, start_server

MINI = Path(__file__).parent / "data" / "queries" / "mini.trig"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def server():
    with start_server(MINI, port=free_port(), timeout_s=10) as running:
        yield running


def wrapper(url: str, text: str) -> dict:
    client = SPARQLWrapper(url)
    client.setQuery(text)
    client.setReturnFormat(JSON)
    client.setTimeout(10)
    return client.query().convert()


def test_listens_on_loopback(server):
    assert server.host == "127.0.0.1" and loopback(server.host)
    assert server.query_url.startswith("http://127.0.0.1:")


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("firms_in_park", {"park": "苏州工业园区"}),
        ("city_cooperation", {}),
        ("park_metrics", {"park": "中国声谷", "from_year": "2020"}),
    ],
)
def test_saved_question_over_sparqlwrapper_equals_local(server, name, params):
    local_source = open_source(MINI)
    query = load_query(name)
    local = run_query(local_source, query, params)
    text = inline_bindings(query.text, bind_parameters(local_source, query, params))
    import json

    remote = parse_srj(json.dumps(wrapper(server.query_url, text)).encode())
    assert remote.variables == local.variables
    assert remote.rows == local.rows
    assert len(local.rows) > 0


def test_updates_refused_and_data_unchanged(server):
    before = wrapper(server.query_url, COUNT)["results"]["bindings"][0]["n"]["value"]
    for url in (server.update_url, server.query_url):
        client = SPARQLWrapper(url)
        client.setMethod(POST)
        client.setQuery("DROP ALL")
        client.setTimeout(10)
        with pytest.raises((SPARQLWrapperException, OSError)):
            client.query()
    after = wrapper(server.query_url, COUNT)["results"]["bindings"][0]["n"]["value"]
    assert after == before
    ds = Dataset()
    ds.parse(MINI, format="trig")
    assert int(after) == len(list(ds.quads((None, None, None, None))))


def test_serves_a_store_folder_snapshot(tmp_path):
    from aigraph.store import open_store

    ds = Dataset()
    ds.parse(MINI, format="trig")
    with open_store(tmp_path / "store", create=True) as store:
        store.load_quads((s, p, o, g) for s, p, o, g in ds.quads((None, None, None, None)))
    local = run_query(
        open_source(tmp_path / "store"), load_query("firms_in_park"), {"park": "苏州工业园区"}
    )
    with start_server(tmp_path / "store", port=free_port()) as running:
        remote = run_query(
            open_source(endpoint=running.query_url),
            load_query("firms_in_park"),
            {"park": "苏州工业园区"},
        )
    assert remote.rows == local.rows and len(local.rows) == 3


def test_port_in_use_is_a_server_error(server):
    with pytest.raises(ServerError):
        start_server(MINI, port=server.port, ready_within_s=5)


def test_read_only_server_needs_data():
    with pytest.raises(ServerError):
        start_server(None)
