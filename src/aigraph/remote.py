"""Talking to any SPARQL 1.1 server: push the graph, run saved questions remotely.

* :func:`push` uploads every named graph of the store with the SPARQL 1.1 Graph Store HTTP
  Protocol: one ``PUT <endpoint>?graph=<graph IRI>`` per graph, body in N-Triples. ``PUT``
  replaces the graph, so pushing twice leaves the server with the same content.
* :class:`EndpointSource` answers :func:`aigraph.queries.run_query` through the SPARQL 1.1
  Protocol. Bindings cannot travel over HTTP, so they become a ``VALUES`` block written from
  the RDF terms' own N-Triples serialisation (:func:`aigraph.queries.inline_bindings`).

Only ``http`` and ``https`` URLs are accepted (``urllib`` would otherwise open ``file:`` URLs).

Examples
--------
>>> EndpointSource("file:///etc/passwd")
Traceback (most recent call last):
...
aigraph.errors.EndpointError: endpoint 'file:///etc/passwd' is not an http(s) URL
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

from .errors import EndpointError, QueryError
from .queries import QueryResult, inline_bindings

#: Seconds to wait for a remote server before giving up.
DEFAULT_TIMEOUT = 60.0

_USER_AGENT = "aigraph (SPARQL 1.1 client)"


def _checked_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise EndpointError(f"endpoint {url!r} is not an http(s) URL")
    return url


def _send(request: urllib.request.Request, timeout: float) -> bytes:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (scheme checked)
            return response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read(500).decode("utf-8", "replace").strip()
        raise EndpointError(
            f"{request.get_method()} {request.full_url}: HTTP {exc.code} {exc.reason}"
            + (f": {detail}" if detail else "")
        ) from exc
    except (urllib.error.URLError, OSError) as exc:
        raise EndpointError(f"{request.full_url}: cannot reach the server ({exc})") from exc


def _srj_term(cell: Mapping[str, str]) -> Identifier:
    kind = cell.get("type")
    value = cell.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in cell:
            return Literal(value, lang=cell["xml:lang"])
        if "datatype" in cell:
            return Literal(value, datatype=URIRef(cell["datatype"]))
        return Literal(value)
    raise EndpointError(f"unknown term type in the server's answer: {kind!r}")


def parse_srj(data: bytes) -> QueryResult:
    """Read a SPARQL 1.1 Query Results JSON document.

    >>> parse_srj(b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "uri", '
    ...           b'"value": "https://w3id.org/aigraph/id/a"}}, {}]}}').rows
    ((rdflib.term.URIRef('https://w3id.org/aigraph/id/a'),), (None,))
    """
    try:
        doc = json.loads(data)
    except ValueError as exc:
        raise EndpointError(f"the server's answer is not SPARQL results JSON: {exc}") from exc
    if "boolean" in doc:
        return QueryResult((), (), bool(doc["boolean"]))
    names = tuple(doc.get("head", {}).get("vars", []))
    rows = tuple(
        tuple(_srj_term(b[n]) if n in b else None for n in names)
        for b in doc.get("results", {}).get("bindings", [])
    )
    return QueryResult(names, rows)


@dataclass
class EndpointSource:
    """A remote SPARQL 1.1 query endpoint (e.g. ``http://127.0.0.1:7878/query``).

    Satisfies :class:`aigraph.queries.SparqlSource`; ``remote = True`` tells the runner the
    query leaves the process on purpose (the no-network guard is for local engines).
    """

    url: str
    timeout: float = DEFAULT_TIMEOUT
    remote = True

    def __post_init__(self) -> None:
        _checked_url(self.url)

    def query(self, sparql: str, init_bindings: Mapping[str, Identifier] | None = None) -> Any:
        text = inline_bindings(sparql, dict(init_bindings or {}))
        body = urllib.parse.urlencode({"query": text}).encode("utf-8")
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json, application/n-triples;q=0.9",
                "User-Agent": _USER_AGENT,
            },
        )
        data = _send(request, self.timeout)
        stripped = data.lstrip()
        if stripped.startswith(b"{"):
            return parse_srj(data)
        graph = Graph()  # CONSTRUCT / DESCRIBE answers come back as N-Triples
        try:
            graph.parse(data=data.decode("utf-8"), format="nt")
        except Exception as exc:
            raise QueryError(f"cannot read the server's answer: {exc}") from exc
        rows = tuple(sorted(graph))
        return QueryResult(("subject", "predicate", "object"), rows)


@dataclass(frozen=True)
class PushReport:
    """What :func:`push` sent: graph IRIs with their triple counts."""

    endpoint: str
    graphs: tuple[tuple[str, int], ...]

    @property
    def triples(self) -> int:
        return sum(n for _g, n in self.graphs)

    def summary(self) -> str:
        """One line per graph, then a total.

        >>> print(PushReport("http://h/store", (("urn:g", 3),)).summary())
        PUT urn:g  3 triples
        pushed 1 graphs, 3 triples to http://h/store
        """
        lines = [f"PUT {g}  {n} triples" for g, n in self.graphs]
        lines.append(f"pushed {len(self.graphs)} graphs, {self.triples} triples to {self.endpoint}")
        return "\n".join(lines)


def _graphs_of(quads: Iterable[tuple]) -> dict[str, Graph]:
    graphs: dict[str, Graph] = {}
    for s, p, o, g in quads:
        if g is None:
            continue  # the merged default graph is derived from the named graphs
        graphs.setdefault(str(g), Graph()).add((s, p, o))
    return graphs


def push_quads(
    quads: Iterable[tuple], endpoint: str, timeout: float = DEFAULT_TIMEOUT
) -> PushReport:
    """``PUT`` each named graph of ``(s, p, o, graph)`` quads to a Graph Store endpoint.

    Graphs are sent in IRI order; each body is the graph's sorted N-Triples (deterministic).
    """
    url = _checked_url(endpoint)
    sent: list[tuple[str, int]] = []
    for iri, graph in sorted(_graphs_of(quads).items()):
        body = "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in sorted(graph)).encode(
            "utf-8"
        )
        separator = "&" if urllib.parse.urlsplit(url).query else "?"
        target = url + separator + urllib.parse.urlencode({"graph": iri})
        request = urllib.request.Request(
            target,
            data=body,
            method="PUT",
            headers={"Content-Type": "application/n-triples", "User-Agent": _USER_AGENT},
        )
        _send(request, timeout)
        sent.append((iri, len(graph)))
    return PushReport(url, tuple(sent))


def push(store: Any, endpoint: str, timeout: float = DEFAULT_TIMEOUT) -> PushReport:
    """Upload every named graph of ``store`` to a SPARQL 1.1 Graph Store endpoint.

    Parameters
    ----------
    store
        An ``aigraph.store.Store`` (or anything with ``quads()`` giving rdflib
        ``(s, p, o, graph)`` tuples), or an rdflib ``Dataset``.
    endpoint
        The server's Graph Store Protocol URL: Oxigraph ``http://host:7878/store``, Fuseki
        ``http://host:3030/DATASET/data``, GraphDB ``http://host:7200/repositories/REPO/rdf-graphs/service``.

    Examples
    --------
    >>> from rdflib import Dataset
    >>> push(Dataset(), "http://127.0.0.1:9/store").graphs
    ()
    """
    if hasattr(store, "quads") and not isinstance(store, Graph):
        quads = store.quads()
    else:
        quads = (
            (s, p, o, g.identifier if isinstance(g, Graph) else g)
            for s, p, o, g in store.quads((None, None, None, None))
            if g is not None and not _is_default(g)
        )
    return push_quads(quads, endpoint, timeout)


def _is_default(graph: Any) -> bool:
    identifier = graph.identifier if isinstance(graph, Graph) else graph
    return str(identifier) == "urn:x-rdflib:default"


def push_path(source: str | Path, endpoint: str, timeout: float = DEFAULT_TIMEOUT) -> PushReport:
    """Push a store folder, or the named graphs of an RDF file (.trig/.nq), to ``endpoint``.

    What `aigraph push` runs.
    """
    path = Path(source)
    if path.is_file():
        from rdflib import Dataset

        dataset = Dataset()
        try:
            dataset.parse(str(path))
        except Exception as exc:
            raise EndpointError(f"cannot read {path}: {exc}") from exc
        return push(dataset, endpoint, timeout)
    from .store import open_store

    with open_store(path, read_only=True) as store:
        return push(store, endpoint, timeout)


__all__ = [
    "DEFAULT_TIMEOUT",
    "EndpointSource",
    "PushReport",
    "parse_srj",
    "push",
    "push_path",
    "push_quads",
]
