"""Saved SPARQL questions, bound parameters and the reach-out guard.

The package ships one ``.rq`` file per researcher question. Each file starts with a header
comment::

    # zh: 位于某园区（含其下属园区）的企业，以及每家企业的证据条数
    # en: Firms located in a given park (including its sub-parks), with their evidence count
    #
    # @param park  entity:Park  required  the park: Chinese, pinyin or English name, or an alias
    # @example aigraph query firms_in_park --param park=苏州工业园区

Parameters are SPARQL variables of the query (``?park``). Their values are turned into RDF
terms (an entity name is first looked up to its IRI) and bound through the engine's prepared
query bindings (rdflib ``initBindings``, Oxigraph ``substitutions``); a value is never pasted
into the query text. For a remote endpoint, where bindings cannot cross HTTP, they become a
``VALUES`` block built from the terms' N-Triples serialisation (:func:`inline_bindings`).

Every query first goes through :func:`check_query`, which refuses what reaches outside the
graph (``SERVICE``, ``LOAD``, updates, ``FROM`` a non-aigraph IRI). Importing this module also
switches off rdflib's loading of remote graphs and blocks sockets while a local query runs.

Examples
--------
>>> from rdflib import Dataset
>>> from aigraph.queries import load_query, run_query, format_result
>>> ds = Dataset(default_union=True)
>>> _ = ds.parse("tests/data/queries/mini.trig", format="trig")
>>> result = run_query(ds, load_query("firms_in_park"), {"park": "Suzhou Industrial Park"})
>>> sorted(str(row[0]) for row in result.rows)
['华为', '思必驰', '科大讯飞']
"""

from __future__ import annotations

import contextlib
import contextvars
import csv
import difflib
import functools
import io
import json
import re
import sys
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

import rdflib.plugins.sparql
from pyparsing import ParseException
from rdflib import XSD, BNode, Graph, Literal, URIRef, Variable
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Identifier

from ..config import BASE_IRI
from ..errors import (
    AmbiguousEntityError,
    ParameterError,
    QueryError,
    QueryRejectedError,
    UnknownEntityError,
    UnknownQueryError,
)
from ..records import ENTITY_TYPES
from ..vocab import AIG

#: Folder of the shipped ``.rq`` files.
QUERY_DIR = Path(__file__).resolve().parent

#: Output formats of :func:`format_result`.
FORMATS: tuple[str, ...] = ("table", "csv", "tsv", "json", "srj")

#: Kinds of parameter a saved question may declare.
PARAMETER_KINDS: tuple[str, ...] = ("entity", "iri", "type", "year", "integer", "article")

#: Widest cell of the ``table`` format, in terminal columns (longer text is cut with "…").
TABLE_CELL_WIDTH = 60

# ---------------------------------------------------------------------------------------
# No network while a local query runs
# ---------------------------------------------------------------------------------------

# FROM <uri> / FROM NAMED <uri> must never make rdflib fetch and parse a document.
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

_NETWORK_FORBIDDEN: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "aigraph_network_forbidden", default=False
)
# Audit events raised before any connection leaves the process (see the rdflib "Security
# considerations" page: audit hooks are its recommended way to restrict network access).
_NETWORK_EVENTS = frozenset(
    {
        "urllib.Request",
        "socket.connect",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyname_ex",
        "http.client.connect",
    }
)


def _network_audit_hook(event: str, args: tuple[Any, ...]) -> None:
    if event in _NETWORK_EVENTS and _NETWORK_FORBIDDEN.get():
        raise QueryRejectedError(
            f"a local query tried to reach the network ({event}); aigraph queries may not"
            " reach outside the graph"
        )


@functools.lru_cache(maxsize=1)
def _install_network_guard() -> None:
    # An audit hook cannot be removed: install it once per process, and make it a no-op
    # outside local query evaluation (so `aigraph push` and remote queries still work).
    sys.addaudithook(_network_audit_hook)


_install_network_guard()


@contextlib.contextmanager
def no_network() -> Iterator[None]:
    """Forbid sockets and URL requests in this context (the current thread / task).

    Examples
    --------
    >>> import socket
    >>> with no_network():
    ...     try:
    ...         socket.getaddrinfo("example.org", 80)
    ...     except QueryRejectedError:
    ...         print("blocked")
    blocked
    """
    token = _NETWORK_FORBIDDEN.set(True)
    try:
        yield
    finally:
        _NETWORK_FORBIDDEN.reset(token)


# ---------------------------------------------------------------------------------------
# Saved questions
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Parameter:
    """One declared parameter of a saved question.

    ``kind`` is one of :data:`PARAMETER_KINDS`; ``types`` restricts an ``entity`` to some
    entity types (empty: any type); ``default`` is the raw text used when the parameter is not
    given (``None``: no default).
    """

    name: str
    kind: str
    types: tuple[str, ...] = ()
    required: bool = False
    default: str | None = None
    description: str = ""

    def describe(self) -> str:
        """One line for ``aigraph query --list``.

        >>> Parameter("park", "entity", ("Park",), True).describe()
        'park (entity:Park, required)'
        """
        kind = self.kind + (":" + ",".join(self.types) if self.types else "")
        if self.required:
            when = "required"
        elif self.default is not None:
            when = f"default {self.default}"
        else:
            when = "optional"
        return f"{self.name} ({kind}, {when})"


@dataclass(frozen=True)
class SavedQuery:
    """A SPARQL query with its documented question and parameters."""

    name: str
    text: str
    question_zh: str = ""
    question_en: str = ""
    parameters: tuple[Parameter, ...] = ()
    examples: tuple[str, ...] = ()
    path: Path | None = None

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)


_PARAM_LINE = re.compile(r"^#\s*@param\s+(\S+)\s+(\S+)\s+(\S+)\s*(.*)$")
_EXAMPLE_LINE = re.compile(r"^#\s*@example\s+(.+)$")
_LANG_LINE = re.compile(r"^#\s*(zh|en):\s*(.+)$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def parse_header(text: str, name: str, path: Path | None = None) -> SavedQuery:
    """Read the header comment of a ``.rq`` text into a :class:`SavedQuery`.

    Examples
    --------
    >>> q = parse_header("# en: Parks\\n# @param place entity:City required a city\\n"
    ...                  "SELECT ?p WHERE { ?p ?x ?place }", "parks")
    >>> q.question_en, q.parameters[0].types, q.parameters[0].required
    ('Parks', ('City',), True)
    """
    zh = en = ""
    params: list[Parameter] = []
    examples: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                break  # the header ends at the first line of SPARQL
            continue
        if m := _LANG_LINE.match(stripped):
            if m.group(1) == "zh":
                zh = m.group(2).strip()
            else:
                en = m.group(2).strip()
        elif m := _PARAM_LINE.match(stripped):
            pname, kind_spec, when, description = m.groups()
            kind, _, types = kind_spec.partition(":")
            if kind not in PARAMETER_KINDS or not _NAME.match(pname):
                raise QueryError(f"{name}: bad parameter declaration: {stripped}")
            type_names = tuple(t for t in types.split(",") if t)
            unknown = [t for t in type_names if t not in ENTITY_TYPES]
            if unknown:
                raise QueryError(f"{name}: unknown entity type(s) {unknown} in: {stripped}")
            default = when.partition("=")[2] if when.startswith("default=") else None
            if when not in ("required", "optional") and default is None:
                raise QueryError(f"{name}: say required, optional or default=VALUE: {stripped}")
            params.append(
                Parameter(pname, kind, type_names, when == "required", default, description.strip())
            )
        elif m := _EXAMPLE_LINE.match(stripped):
            examples.append(m.group(1).strip())
    return SavedQuery(name, text, zh, en, tuple(params), tuple(examples), path)


def list_queries() -> list[SavedQuery]:
    """Every shipped saved question, sorted by name.

    >>> len(list_queries())
    12
    """
    return [load_query(p) for p in sorted(QUERY_DIR.glob("*.rq"))]


def load_query(name_or_path: str | Path) -> SavedQuery:
    """A saved question by name (``firms_in_park``) or a ``.rq`` file by path.

    Raises :class:`~aigraph.errors.UnknownQueryError` when neither exists.

    >>> load_query("firms_in_park").parameters[0].name
    'park'
    """
    candidate = Path(name_or_path)
    if candidate.suffix == ".rq" and candidate.is_file():
        path = candidate
    elif _NAME.match(str(name_or_path)) and (QUERY_DIR / f"{name_or_path}.rq").is_file():
        path = QUERY_DIR / f"{name_or_path}.rq"
    else:
        known = ", ".join(p.stem for p in sorted(QUERY_DIR.glob("*.rq")))
        raise UnknownQueryError(
            f"no saved question or .rq file named {str(name_or_path)!r}; saved questions: {known}"
        )
    return parse_header(path.read_text(encoding="utf-8"), path.stem, path)


# ---------------------------------------------------------------------------------------
# The guard: nothing that reaches outside the graph
# ---------------------------------------------------------------------------------------

_UPDATE_OPERATIONS = {
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
}


def _walk(node: Any) -> Iterator[Any]:
    yield node
    if isinstance(node, CompValue):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        for item in node:
            yield from _walk(item)


def check_query(text: str) -> CompValue:
    """Parse a SPARQL query and refuse anything that reaches outside the graph.

    Returns the parsed query (rdflib's parse tree) when it is a plain read-only query.

    Raises
    ------
    QueryRejectedError
        For ``SERVICE``, any update (``LOAD``, ``INSERT`` ...), and ``FROM`` / ``FROM NAMED``
        with an IRI outside aigraph's own (``file:``, ``http:`` ...).
    QueryError
        When the text is not SPARQL.

    Examples
    --------
    >>> _ = check_query("SELECT * WHERE { ?s ?p ?o }")
    >>> check_query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    aigraph.errors.QueryRejectedError: SERVICE is not allowed: aigraph queries may not reach other endpoints (SERVICE <http://example.org/sparql>)
    """
    return _check_query_cached(text)


@functools.lru_cache(maxsize=512)
def _check_query_cached(text: str) -> CompValue:
    # rdflib's parser takes tens of milliseconds: saved questions are checked once per process.
    try:
        parsed = parseQuery(text)
    except ParseException as query_error:
        try:
            update = parseUpdate(text)
        except ParseException:
            raise QueryError(f"SPARQL syntax error: {query_error}") from None
        operations = sorted(
            {_UPDATE_OPERATIONS.get(n.name, n.name) for n in _walk(update) if _is_update_op(n)}
        )
        raise QueryRejectedError(
            f"updates are not allowed ({', '.join(operations) or 'update'}): the graph is"
            " read-only to queries; rebuild it with `aigraph build` instead"
        ) from None
    for node in _walk(parsed):
        if not isinstance(node, CompValue):
            continue
        if node.name == "ServiceGraphPattern":
            raise QueryRejectedError(
                "SERVICE is not allowed: aigraph queries may not reach other endpoints"
                f" (SERVICE {_n3(node.get('term'))})"
            )
        if node.name == "DatasetClause":
            named = "named" in node
            iri = node["named"] if named else node.get("default")
            if not (isinstance(iri, URIRef) and str(iri).startswith(BASE_IRI)):
                kind = "FROM NAMED" if named else "FROM"
                raise QueryRejectedError(
                    f"{kind} {_n3(iri)} is not allowed: a dataset clause may only name"
                    f" aigraph's own graphs (<{BASE_IRI}graph/...>), never files or the web"
                )
    return parsed


def _is_update_op(node: Any) -> bool:
    return isinstance(node, CompValue) and node.name in _UPDATE_OPERATIONS


def _n3(term: Any) -> str:
    return term.n3() if isinstance(term, Identifier) else str(term)


# ---------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryResult:
    """What a query returned, as rdflib terms, whatever engine answered.

    ``rows`` holds one tuple per solution, ``None`` where a variable is unbound. An ASK query
    has no variables and sets ``boolean``; CONSTRUCT / DESCRIBE give rows of (s, p, o).
    """

    variables: tuple[str, ...]
    rows: tuple[tuple[Identifier | None, ...], ...]
    boolean: bool | None = None

    def to_dicts(self) -> list[dict[str, Identifier]]:
        """Rows as ``{variable: term}`` dicts without unbound variables.

        >>> QueryResult(("a", "b"), ((Literal(1), None),)).to_dicts()
        [{'a': rdflib.term.Literal('1', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))}]
        """
        return [
            {v: t for v, t in zip(self.variables, row, strict=True) if t is not None}
            for row in self.rows
        ]


def _from_oxigraph_term(term: Any) -> Identifier | None:
    if term is None:
        return None
    kind = type(term).__name__
    if kind == "NamedNode":
        return URIRef(term.value)
    if kind == "BlankNode":
        return BNode(term.value)
    if kind == "Literal":
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise QueryError(f"unsupported term in a query result: {term!r}")


def to_query_result(raw: Any) -> QueryResult:
    """Normalise an rdflib ``Result`` or a pyoxigraph result into a :class:`QueryResult`.

    >>> from rdflib import Graph
    >>> to_query_result(Graph().query("ASK { ?s ?p ?o }")).boolean
    False
    """
    if isinstance(raw, QueryResult):
        return raw
    kind = type(raw).__name__
    if kind == "QuerySolutions":  # pyoxigraph SELECT
        names = tuple(v.value for v in raw.variables)
        rows = tuple(
            tuple(_from_oxigraph_term(solution[name]) for name in names) for solution in raw
        )
        return QueryResult(names, rows)
    if kind == "QueryBoolean":
        return QueryResult((), (), bool(raw))
    if kind == "QueryTriples":
        rows = tuple(
            (
                _from_oxigraph_term(t.subject),
                _from_oxigraph_term(t.predicate),
                _from_oxigraph_term(t.object),
            )
            for t in raw
        )
        return QueryResult(("subject", "predicate", "object"), rows)
    result_type = getattr(raw, "type", None)
    if result_type == "SELECT":
        names = tuple(str(v) for v in raw.vars)
        return QueryResult(names, tuple(tuple(row) for row in raw))
    if result_type == "ASK":
        return QueryResult((), (), bool(raw.askAnswer))
    if result_type in ("CONSTRUCT", "DESCRIBE"):
        return QueryResult(("subject", "predicate", "object"), tuple(tuple(t) for t in raw.graph))
    raise QueryError(f"cannot read a query result of type {kind}")


# ---------------------------------------------------------------------------------------
# Sources: anything that answers SPARQL with bindings
# ---------------------------------------------------------------------------------------


class SparqlSource(Protocol):
    """Anything that answers a SPARQL query with bound variables.

    ``aigraph.store.Store`` is one; :class:`RdflibSource` and :class:`OxigraphSource` adapt an
    rdflib graph and a pyoxigraph store; :class:`aigraph.remote.EndpointSource` a remote
    endpoint. ``query`` may return anything :func:`to_query_result` reads.
    """

    def query(self, sparql: str, init_bindings: Mapping[str, Identifier] | None = None) -> Any: ...


@dataclass
class RdflibSource:
    """An rdflib ``Graph`` / ``Dataset`` (use ``Dataset(default_union=True)`` for the union)."""

    graph: Graph

    def query(self, sparql: str, init_bindings: Mapping[str, Identifier] | None = None) -> Any:
        return self.graph.query(sparql, initBindings=dict(init_bindings or {}))


@dataclass
class OxigraphSource:
    """A ``pyoxigraph.Store``, queried over the union of its named graphs."""

    store: Any

    def query(self, sparql: str, init_bindings: Mapping[str, Identifier] | None = None) -> Any:
        from pyoxigraph import Variable as OxVariable

        from ..store import _with_values, values_bindable

        if init_bindings and values_bindable(sparql):
            # bound values in a VALUES block let Oxigraph plan around them (much faster than
            # its substitutions); the block is written from validated RDF terms
            bound = {str(k).lstrip("?$"): v for k, v in init_bindings.items()}
            return self.store.query(_with_values(sparql, bound), use_default_graph_as_union=True)
        substitutions = {
            OxVariable(name): _to_oxigraph_term(term)
            for name, term in (init_bindings or {}).items()
        }
        return self.store.query(
            sparql, use_default_graph_as_union=True, substitutions=substitutions or None
        )


def _to_oxigraph_term(term: Identifier) -> Any:
    from ..store import to_ox

    try:
        return to_ox(term)
    except TypeError as exc:
        raise ParameterError(f"cannot bind {term!r}") from exc


def as_source(thing: Any) -> SparqlSource:
    """Wrap a graph or store so it answers :meth:`SparqlSource.query`.

    >>> from rdflib import Graph
    >>> type(as_source(Graph())).__name__
    'RdflibSource'
    """
    if isinstance(thing, Graph):
        return RdflibSource(thing)
    if type(thing).__module__.startswith("pyoxigraph"):
        return OxigraphSource(thing)
    if callable(getattr(thing, "query", None)):
        return thing
    raise QueryError(f"cannot run SPARQL over a {type(thing).__name__}")


def execute(
    source: Any, sparql: str, init_bindings: Mapping[str, Identifier] | None = None
) -> QueryResult:
    """Check a query with :func:`check_query`, run it with bindings, normalise the result.

    Local engines run with the network forbidden (:func:`no_network`); a remote source (one
    with ``remote = True``) sends the query itself.

    >>> from rdflib import Graph
    >>> execute(Graph(), "SELECT ?x WHERE { }", {"x": Literal(1)}).rows[0][0].toPython()
    1
    """
    check_query(sparql)
    src = as_source(source)
    bindings = dict(init_bindings or {})
    try:
        if getattr(src, "remote", False):
            return to_query_result(src.query(sparql, bindings))
        with no_network():
            return to_query_result(src.query(sparql, bindings))
    except (QueryError, ParameterError):
        raise
    except Exception as exc:  # the engines raise their own classes for bad queries
        if isinstance(exc, QueryRejectedError) or isinstance(exc.__cause__, QueryRejectedError):
            raise
        if type(exc).__module__.startswith("aigraph"):
            raise
        raise QueryError(f"the query failed: {type(exc).__name__}: {exc}") from exc


# ---------------------------------------------------------------------------------------
# Parameters: text -> RDF terms
# ---------------------------------------------------------------------------------------


def _to_simplified(text: str) -> str:
    try:
        from ..textclean import to_simplified
    except ImportError:  # the text-cleaning stage is optional here: fall back to OpenCC
        from opencc_purepy import OpenCC

        return OpenCC("t2s").convert(text)
    return to_simplified(text)


@functools.lru_cache(maxsize=65536)
def normalise_name(name: str) -> str:
    """A name as compared by the entity lookup.

    NFKC (full-width to half-width), Traditional to Simplified, tone marks removed (pinyin
    with or without tones compares equal), case-folded, whitespace removed.

    Examples
    --------
    >>> normalise_name("蘇州工業園區")
    '苏州工业园区'
    >>> normalise_name("Zhōng Guó  shēng gǔ") == normalise_name("zhongguoshenggu")
    True
    >>> normalise_name("ＳＵＺＨＯＵ Industrial Park")
    'suzhouindustrialpark'
    """
    text = _to_simplified(unicodedata.normalize("NFKC", name))
    decomposed = unicodedata.normalize("NFD", text)
    text = unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    )
    return "".join(ch for ch in text.casefold() if not ch.isspace())


_LABELS_QUERY = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?entity ?label ?class ?preferred WHERE {
  ?entity a ?class .
  { ?entity skos:prefLabel ?label BIND (true AS ?preferred) }
  UNION
  { ?entity skos:altLabel|rdfs:label ?label BIND (false AS ?preferred) }
}
"""

_ENTITY_CLASSES = {str(AIG[t]): t for t in ENTITY_TYPES}


@dataclass(frozen=True)
class EntityMatch:
    """An entity found by name: its IRI, type and preferred label."""

    iri: URIRef
    type: str
    label: str


def _labels(source: Any, types: Sequence[str]) -> list[_Label]:
    # One bound query per type: the type is an RDF term bound to ?class, never text.
    # Any type: one query, and only aigraph's entity classes are kept.
    out: list[_Label] = []
    runs = [{"class": AIG[t]} for t in types] if types else [{}]
    for bindings in runs:
        for entity, label, cls, preferred in execute(source, _LABELS_QUERY, bindings).rows:
            type_name = _ENTITY_CLASSES.get(str(cls))
            if isinstance(entity, URIRef) and isinstance(label, Literal) and type_name:
                rank = (0 if preferred is not None and preferred.toPython() is True else 2) + (
                    0 if (label.language or "").lower() == "zh" else 1
                )
                out.append(_Label(entity, type_name, str(label), rank))
    return out


@dataclass(frozen=True)
class _Label:
    entity: URIRef
    type: str
    text: str
    rank: int  # 0: skos:prefLabel @zh, 1: other prefLabel, 2: @zh alias, 3: other


def _preferred_labels(labels: list[_Label]) -> dict[URIRef, str]:
    # The @zh preferred label is what researchers recognise.
    best: dict[URIRef, tuple[int, str]] = {}
    for lab in labels:
        key = (lab.rank, lab.text)
        if lab.entity not in best or key < best[lab.entity]:
            best[lab.entity] = key
    return {e: text for e, (_rank, text) in best.items()}


def find_entities(source: Any, name: str, types: Sequence[str] = ()) -> list[EntityMatch]:
    """Every entity (of the given types) one of whose labels equals ``name`` after
    :func:`normalise_name`; sorted by type then label.

    >>> from rdflib import Dataset
    >>> ds = Dataset(default_union=True)
    >>> _ = ds.parse("tests/data/queries/mini.trig", format="trig")
    >>> [m.label for m in find_entities(ds, "iflytek")]
    ['科大讯飞']
    """
    needle = normalise_name(name)
    labels = _labels(source, types)
    preferred = _preferred_labels(labels)
    found = {(lab.entity, lab.type) for lab in labels if normalise_name(lab.text) == needle}
    return sorted(
        (EntityMatch(e, t, preferred[e]) for e, t in found), key=lambda m: (m.type, m.label, m.iri)
    )


def resolve_entity(source: Any, name: str, types: Sequence[str] = ()) -> URIRef:
    """The IRI of the one entity called ``name`` (Chinese, pinyin or English, or an alias).

    An aigraph entity IRI is accepted as is.

    Raises
    ------
    UnknownEntityError
        No entity has that name; the message lists close candidates.
    AmbiguousEntityError
        Several entities have it; the message lists them.

    Examples
    --------
    >>> from rdflib import Dataset
    >>> ds = Dataset(default_union=True)
    >>> _ = ds.parse("tests/data/queries/mini.trig", format="trig")
    >>> resolve_entity(ds, "蘇州工業園區", ["Park"]) == resolve_entity(ds, "sūzhōu gōngyè yuánqū")
    True
    >>> resolve_entity(ds, "高新区", ["Park"])
    Traceback (most recent call last):
    ...
    aigraph.errors.AmbiguousEntityError: '高新区' names 2 entities: Park 中国声谷合肥高新区 <https://w3id.org/aigraph/id/park/...>, Park 武汉东湖高新区 <...>; use a fuller name or the IRI
    """
    if name.startswith(BASE_IRI + "id/"):
        return _checked_iri(name)
    matches = find_entities(source, name, types)
    if len(matches) == 1:
        return matches[0].iri
    what = "/".join(types) if types else "entity"
    if not matches:
        labels = _labels(source, types)
        preferred = _preferred_labels(labels)
        needle = normalise_name(name)
        by_norm: dict[str, set[URIRef]] = {}
        for lab in labels:
            by_norm.setdefault(normalise_name(lab.text), set()).add(lab.entity)
        close = set(difflib.get_close_matches(needle, sorted(by_norm), n=8, cutoff=0.6))
        if needle:
            close |= {n for n in by_norm if needle in n or (len(n) > 1 and n in needle)}
        candidates = sorted({preferred[e] for n in close for e in by_norm[n]})[:10]
        hint = f"; close: {', '.join(candidates)}" if candidates else ""
        raise UnknownEntityError(f"no {what} is called {name!r}{hint}")
    listing = ", ".join(f"{m.type} {m.label} <{m.iri}>" for m in matches)
    raise AmbiguousEntityError(
        f"{name!r} names {len(matches)} entities: {listing}; use a fuller name or the IRI"
    )


_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _checked_iri(text: str) -> URIRef:
    if not re.match(r"^https?://", text) or _IRI_FORBIDDEN.search(text):
        raise ParameterError(f"{text!r} is not an http(s) IRI")
    return URIRef(text)


_TYPE_NAMES = {
    **{t.casefold(): t for t in ENTITY_TYPES},
    "园区": "Park",
    "企业": "Firm",
    "公司": "Firm",
    "政策": "Policy",
    "平台": "Platform",
    "机构": "Institution",
    "院所": "Institution",
    "高校": "Institution",
    "政府机构": "Agency",
    "部门": "Agency",
    "城市": "City",
    "省份": "Province",
    "省": "Province",
    "区域": "Region",
    "人物": "Person",
    "产业": "Industry",
    "行业": "Industry",
}


def resolve_type(text: str) -> URIRef:
    """The class IRI of an entity type given as ``Firm``, ``firm``, ``aig:Firm`` or ``企业``.

    >>> resolve_type("企业") == resolve_type("aig:Firm") == AIG.Firm
    True
    """
    key = text.strip()
    key = key.removeprefix("aig:").removeprefix(str(AIG._NS))
    found = _TYPE_NAMES.get(key.casefold()) or _TYPE_NAMES.get(key)
    if found is None:
        raise ParameterError(f"unknown entity type {text!r}; one of: {', '.join(ENTITY_TYPES)}")
    return AIG[found]


_ARTICLES_QUERY = """
PREFIX aig: <https://w3id.org/aigraph/ontology#>
SELECT ?article ?name WHERE {
  ?article a aig:Article .
  { ?article aig:fileName ?name } UNION { ?article aig:sourceFile ?name }
}
"""


def resolve_article(source: Any, text: str) -> URIRef:
    """An article's IRI from its file name, its source path, or its IRI.

    >>> from rdflib import Dataset
    >>> ds = Dataset(default_union=True)
    >>> _ = ds.parse("tests/data/queries/mini.trig", format="trig")
    >>> str(resolve_article(ds, "000_mini_a.txt")).split("/")[-1]
    'aaaaaaaaaaaaaaaa'
    """
    if text.startswith(BASE_IRI + "article/"):
        return _checked_iri(text)
    found = sorted(
        {row[0] for row in execute(source, _ARTICLES_QUERY).rows if str(row[1]) == text.strip()}
    )
    if len(found) == 1:
        return found[0]
    if not found:
        raise UnknownEntityError(f"no article has the file name or source path {text!r}")
    raise AmbiguousEntityError(f"{text!r} names {len(found)} articles: {found}")


def _integer(text: str, name: str) -> int:
    if not re.fullmatch(r"[+-]?\d{1,18}", text.strip()):
        raise ParameterError(f"parameter {name!r} must be an integer, not {text!r}")
    return int(text)


def bind_parameters(
    source: Any, query: SavedQuery, params: Mapping[str, str] | None = None
) -> dict[str, Identifier]:
    """Turn ``--param`` texts into the RDF terms bound to the query's variables.

    Raises :class:`~aigraph.errors.ParameterError` for an undeclared or missing parameter or
    a value of the wrong kind.

    >>> q = load_query("firms_in_several_parks")
    >>> bind_parameters(None, q, {})["min_parks"].toPython()
    2
    """
    params = dict(params or {})
    declared = {p.name for p in query.parameters}
    unknown = sorted(set(params) - declared)
    if unknown:
        known = ", ".join(sorted(declared)) or "none"
        raise ParameterError(f"{query.name} has no parameter {unknown[0]!r} (parameters: {known})")
    bindings: dict[str, Identifier] = {}
    for p in query.parameters:
        text = params.get(p.name, p.default)
        if text is None:
            if p.required:
                raise ParameterError(
                    f"{query.name} needs --param {p.name}=... ({p.describe()}: {p.description})"
                )
            continue
        if p.kind == "entity":
            bindings[p.name] = resolve_entity(source, text, p.types)
        elif p.kind == "iri":
            bindings[p.name] = _checked_iri(text)
        elif p.kind == "type":
            bindings[p.name] = resolve_type(text)
        elif p.kind == "article":
            bindings[p.name] = resolve_article(source, text)
        elif p.kind == "year":
            year = _integer(text, p.name)
            if not 1000 <= year <= 2999:
                raise ParameterError(f"parameter {p.name!r} must be a year, not {text!r}")
            bindings[p.name] = Literal(year, datatype=XSD.integer)
        else:  # integer
            bindings[p.name] = Literal(_integer(text, p.name), datatype=XSD.integer)
    return bindings


def run_query(
    source: Any,
    query: SavedQuery | str,
    params: Mapping[str, str] | None = None,
) -> QueryResult:
    """Run a saved question (or SPARQL text) with its parameters bound as RDF terms.

    Parameters
    ----------
    source
        An ``aigraph.store.Store``, an rdflib graph, a ``pyoxigraph.Store``, or a remote
        :class:`aigraph.remote.EndpointSource`: anything :func:`as_source` accepts.
    query
        A :class:`SavedQuery` (see :func:`load_query`) or plain SPARQL text (no parameters).
    params
        Parameter texts by name, as given on the command line.

    Examples
    --------
    >>> from rdflib import Dataset
    >>> ds = Dataset(default_union=True)
    >>> _ = ds.parse("tests/data/queries/mini.trig", format="trig")
    >>> r = run_query(ds, load_query("parks_in_place"), {"place": "安徽"})
    >>> [str(row[0]) for row in r.rows]
    ['中国声谷', '中国声谷合肥高新区']
    """
    if isinstance(query, str):
        query = SavedQuery("sparql", query)
    check_query(query.text)
    bindings = bind_parameters(source, query, params)
    return execute(source, query.text, bindings)


# ---------------------------------------------------------------------------------------
# Remote: bindings as a VALUES block
# ---------------------------------------------------------------------------------------

_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_STRING = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|'
    r"'''(?:[^'\\]|\\.|'(?!''))*'''|"
    r'"(?:[^"\\\n\r]|\\.)*"|'
    r"'(?:[^'\\\n\r]|\\.)*'",
    re.S,
)


def _top_level_groups(text: str) -> list[int]:
    """Offsets of the ``{`` that open top-level groups, skipping comments, strings, IRIs."""
    groups: list[int] = []
    depth = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end + 1
            continue
        if ch in "\"'":
            m = _STRING.match(text, i)
            i = m.end() if m else i + 1
            continue
        if ch == "<":
            m = _IRIREF.match(text, i)
            i = m.end() if m else i + 1
            continue
        if ch == "{":
            if depth == 0:
                groups.append(i)
            depth += 1
        elif ch == "}":
            depth -= 1
        i += 1
    return groups


def inline_bindings(sparql: str, bindings: Mapping[str, Identifier]) -> str:
    """The query with its bindings as a ``VALUES`` block opening its WHERE group.

    For endpoints, which cannot receive bindings: each value is written with the term's own
    N-Triples serialisation (``.n3()``), which escapes quotes, braces and newlines, so a value
    can never change the query's structure. The result is checked again by :func:`check_query`.

    Examples
    --------
    >>> print(inline_bindings("SELECT ?x WHERE { ?x ?p ?o }", {"o": Literal('a" } #')}))
    SELECT ?x WHERE { VALUES (?o) { ("a\\" } #") } ?x ?p ?o }
    """
    if not bindings:
        return sparql
    parsed = check_query(sparql)
    form = parsed[1]
    groups = _top_level_groups(sparql)
    # CONSTRUCT {template} WHERE {pattern}: the pattern is the second top-level group.
    index = 1 if form.name == "ConstructQuery" and form.get("template") is not None else 0
    if len(groups) <= index:
        raise QueryError("cannot find the WHERE clause of the query to bind its parameters")
    names = sorted(bindings)
    for name in names:
        if not _NAME.match(name):
            raise ParameterError(f"{name!r} is not a SPARQL variable name")
    terms = []
    for name in names:
        term = bindings[name]
        if not isinstance(term, (URIRef, Literal)):
            raise ParameterError(f"cannot send {term!r} to an endpoint")
        terms.append(term.n3())
    block = " VALUES ({}) {{ ({}) }}".format(
        " ".join(Variable(n).n3() for n in names), " ".join(terms)
    )
    at = groups[index] + 1
    text = sparql[:at] + block + sparql[at:]
    check_query(text)
    return text


# ---------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------


def display(term: Identifier | None) -> str:
    """The text shown for a term: a literal's text, an IRI as is, nothing for unbound.

    >>> display(Literal("中国声谷", lang="zh")), display(None)
    ('中国声谷', '')
    """
    return "" if term is None else str(term)


def text_width(text: str) -> int:
    """Terminal columns taken by ``text``: East Asian wide and full-width characters take two.

    >>> text_width("中国ab")
    6
    """
    return sum(
        0
        if unicodedata.combining(ch)
        else 2
        if unicodedata.east_asian_width(ch) in ("W", "F")
        else 1
        for ch in text
    )


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())  # one line per row: newlines and tabs become spaces
    if text_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = text_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * (width - text_width(text))


def _json_value(term: Identifier | None) -> Any:
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, (bool, int)):
            return value
        if isinstance(value, (float, Decimal)):
            return float(value)
        return str(term)
    return str(term)


def _srj_term(term: Identifier) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None:
        out["datatype"] = str(term.datatype)
    return out


def _tsv_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def format_result(result: QueryResult, fmt: str = "table", hide: Sequence[str] = ()) -> str:
    """Render a result as ``table`` (aligned, CJK-aware), ``csv``, ``tsv``, ``json`` (a list
    of objects) or ``srj`` (SPARQL 1.1 Query Results JSON). The table leaves out the
    variables in ``hide`` (the echoed parameters) and ``?x`` when ``?xLabel`` is selected.

    Examples
    --------
    >>> r = QueryResult(("name", "n"), ((Literal("中国声谷"), Literal(2)), (Literal("ab"), None)))
    >>> print(format_result(r, "table"))
    name      n
    --------  -
    中国声谷  2
    ab
    >>> print(format_result(r, "csv"), end="")
    name,n
    中国声谷,2
    ab,
    """
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; one of: {', '.join(FORMATS)}")
    if result.boolean is not None:
        if fmt == "srj":
            return json.dumps({"head": {}, "boolean": result.boolean})
        return json.dumps(result.boolean) if fmt == "json" else str(result.boolean).lower()
    names = list(result.variables)
    if fmt == "srj":
        bindings = [
            {v: _srj_term(t) for v, t in zip(names, row, strict=True) if t is not None}
            for row in result.rows
        ]
        doc = {"head": {"vars": names}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False, indent=1)
    if fmt == "json":
        objects = [
            {v: _json_value(t) for v, t in zip(names, row, strict=True)} for row in result.rows
        ]
        return json.dumps(objects, ensure_ascii=False, indent=1)
    rows = [list(row) for row in result.rows]
    if fmt == "table":
        # Show labels rather than IRIs: drop ?x when the query also selects ?xLabel.
        keep = [i for i, n in enumerate(names) if f"{n}Label" not in names and n not in hide]
        names = [names[i] for i in keep]
        rows = [[row[i] for i in keep] for row in rows]
    cells = [[display(t) for t in row] for row in rows]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(cells)
        return buffer.getvalue()
    if fmt == "tsv":
        lines = ["\t".join(names)] + ["\t".join(_tsv_cell(c) for c in row) for row in cells]
        return "\n".join(lines) + "\n"
    shown = [[_cut(c, TABLE_CELL_WIDTH) for c in row] for row in cells]
    widths = [
        max([text_width(n)] + [text_width(row[i]) for row in shown]) for i, n in enumerate(names)
    ]
    lines = [
        "  ".join(_pad(n, w) for n, w in zip(names, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += [
        "  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in shown
    ]
    return "\n".join(lines)


def describe_queries(queries: Sequence[SavedQuery] | None = None) -> str:
    """The text of ``aigraph query --list``: name, question in both languages, parameters.

    >>> "firms_in_park" in describe_queries()
    True
    """
    blocks = []
    for q in list_queries() if queries is None else queries:
        lines = [q.name, f"    {q.question_zh}", f"    {q.question_en}"]
        if q.parameters:
            lines.append("    parameters: " + "; ".join(p.describe() for p in q.parameters))
        lines += [f"    e.g. {example}" for example in q.examples]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


# ---------------------------------------------------------------------------------------
# Opening what the command line names
# ---------------------------------------------------------------------------------------

_RDF_FILE_FORMATS = {
    ".trig": "application/trig",
    ".nq": "application/n-quads",
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
}


def open_source(store: str | Path | None = None, endpoint: str | None = None) -> Any:
    """What ``aigraph query`` runs against: a remote endpoint, an RDF file loaded into an
    in-memory Oxigraph store, or the embedded store (``aigraph.store``) at ``store``.

    >>> src = open_source("tests/data/queries/mini.trig")
    >>> type(src).__name__
    'OxigraphSource'
    """
    if endpoint:
        from ..remote import EndpointSource

        return EndpointSource(endpoint)
    path = Path(store) if store is not None else None
    if path is not None and path.is_file() and path.suffix in _RDF_FILE_FORMATS:
        import pyoxigraph as ox

        memory = ox.Store()
        try:
            memory.bulk_load(
                path=str(path), format=ox.RdfFormat.from_media_type(_RDF_FILE_FORMATS[path.suffix])
            )
        except (SyntaxError, ValueError, OSError) as exc:
            from ..errors import RDFFormatError

            raise RDFFormatError(f"{path}: {exc}") from exc
        return OxigraphSource(memory)
    from ..store import open_store

    # read-only: queries never need the write lock, so they can run beside `aigraph build`
    return open_store(path if path is not None else _default_store_dir(), read_only=True)


def _default_store_dir() -> Path:
    from ..config import Settings

    return Settings().store_dir


def parse_param_options(options: Sequence[str]) -> dict[str, str]:
    """``["park=苏州工业园区", ...]`` (``--param`` options) as a dict; the value may hold ``=``.

    >>> parse_param_options(["a=b=c", "year=2020"])
    {'a': 'b=c', 'year': '2020'}
    """
    out: dict[str, str] = {}
    for option in options:
        name, sep, value = option.partition("=")
        if not sep or not _NAME.match(name.strip()):
            raise ParameterError(f"--param takes NAME=VALUE, not {option!r}")
        out[name.strip()] = value
    return out


def answer(
    query: str | Path | None = None,
    sparql: str | None = None,
    params: Sequence[str] = (),
    fmt: str = "table",
    store: str | Path | None = None,
    endpoint: str | None = None,
) -> str:
    """What `aigraph query` prints: run a saved question, a .rq file or SPARQL text.

    Parameters
    ----------
    query
        A saved question's name or a ``.rq`` file (exclusive with ``sparql``).
    sparql
        SPARQL text.
    params
        ``NAME=VALUE`` texts.
    fmt
        One of :data:`FORMATS`.
    store, endpoint
        Where to run: a store folder or RDF file (default ``.aigraph/store``), or a remote
        SPARQL endpoint URL.

    Examples
    --------
    >>> print(answer("parks_in_place", params=["place=Anhui"], fmt="csv",
    ...              store="tests/data/queries/mini.trig").splitlines()[1])
    中国声谷,,https://w3id.org/aigraph/id/park/911959ea90f20dd5,https://w3id.org/aigraph/id/province/a879441c001b1ffa
    """
    if (query is None) == (sparql is None):
        raise QueryError("give a saved question name, a .rq file, or --sparql TEXT (one of them)")
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; one of: {', '.join(FORMATS)}")
    saved = load_query(query) if query is not None else SavedQuery("sparql", sparql or "")
    values = parse_param_options(params)
    check_query(saved.text)  # refuse before opening anything
    source = open_source(store, endpoint)
    try:
        hide = [p.name for p in saved.parameters]
        return format_result(run_query(source, saved, values), fmt, hide)
    finally:
        close = getattr(source, "close", None)
        if callable(close):
            close()


__all__ = [
    "FORMATS",
    "PARAMETER_KINDS",
    "QUERY_DIR",
    "EntityMatch",
    "OxigraphSource",
    "Parameter",
    "QueryResult",
    "RdflibSource",
    "SavedQuery",
    "SparqlSource",
    "answer",
    "as_source",
    "bind_parameters",
    "check_query",
    "describe_queries",
    "display",
    "execute",
    "find_entities",
    "format_result",
    "inline_bindings",
    "list_queries",
    "load_query",
    "no_network",
    "normalise_name",
    "open_source",
    "parse_param_options",
    "parse_header",
    "resolve_article",
    "resolve_entity",
    "resolve_type",
    "run_query",
    "text_width",
    "to_query_result",
]
