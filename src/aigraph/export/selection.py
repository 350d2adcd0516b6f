"""Selections: which entities and relations of the graph an export keeps.

Each filter of a :class:`Selection` gives a set of entities; the selection is their
intersection, with the ego network computed first. Relation filters (``relations``,
``min_evidence``, ``article``) also decide which edges are kept. The RDF subgraph then keeps
the selected entities' descriptions, the relation triples between them and the statements,
evidence, selectors, observations, mentions and articles behind them, so "why" survives export.

Examples
--------
>>> from rdflib import Graph, Literal, RDF
>>> from rdflib.namespace import SKOS
>>> from aigraph.iris import entity_iri
>>> from aigraph.vocab import AIG
>>> g = Graph()
>>> names = {"甲": AIG.Firm, "乙": AIG.Park, "丙": AIG.City}
>>> iri = {n: entity_iri(f"{t.split('#')[-1]}:{n}") for n, t in names.items()}
>>> for n, t in names.items():
...     _ = g.add((iri[n], RDF.type, t)).add((iri[n], SKOS.prefLabel, Literal(n, lang="zh")))
>>> _ = g.add((iri["甲"], AIG.locatedIn, iri["乙"])).add((iri["乙"], AIG.locatedIn, iri["丙"]))
>>> sub = select(g, Selection(ego="甲", radius=1))
>>> sorted(g.value(e, SKOS.prefLabel) for e in sub.entities)
[rdflib.term.Literal('乙', lang='zh'), rdflib.term.Literal('甲', lang='zh')]
>>> len(select(g, Selection(place="丙")).entities)
3
"""

from __future__ import annotations

import hashlib
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.plugins.sparql.parserutils import CompValue

from ..errors import ExportError, QueryError, QueryRejectedError, UnknownEntityError
from ..queries import check_query, resolve_entity
from ..records import CONTAINMENT_RELATIONS, ENTITY_TYPES, RELATION_TYPES, things_inside
from ..vocab import AIG, OA
from .model import RELATION_IRIS, edge_key, entity_types, relation_triples, statements_by_edge

#: Types a ``--place`` name is looked up among first.
PLACE_TYPES: tuple[str, ...] = ("City", "Province", "Region", "Park")


@dataclass(frozen=True)
class Selection:
    """What to keep. Every field left at its default selects everything.

    Attributes
    ----------
    ego, radius
        An entity name (Chinese, pinyin with or without tones, English, alias or IRI) and the
        number of hops around it, walked along the relations that ``relations``,
        ``min_evidence`` and ``article`` keep (all relations by default).
    types
        Entity type names (``"Park"``, ``"Firm"`` ...).
    relations
        Relation names; edges of other relations are dropped, and so are entities that take
        part in none of these relations.
    place
        A city, province, region or park: keeps it and everything contained in it through
        ``locatedIn``/``partOf``/``headquarteredIn`` paths.
    community
        Community index of the analysis (``aig:communityIndex``).
    article
        An article file (matched by SHA-256 of its bytes when it exists, else by file name):
        entities it mentions and the relations it states.
    since, until
        Years bounding the observations kept (observations without a year are dropped when
        either is given).
    query
        The text of a SPARQL CONSTRUCT; entities it returns are kept.
    min_evidence
        Relations need at least this many pieces of evidence.
    """

    ego: str | None = None
    radius: int = 1
    types: tuple[str, ...] = ()
    relations: tuple[str, ...] = ()
    place: str | None = None
    community: int | None = None
    article: str | None = None
    since: int | None = None
    until: int | None = None
    query: str | None = None
    min_evidence: int = 0

    def __post_init__(self) -> None:
        bad_types = sorted(set(self.types) - set(ENTITY_TYPES))
        if bad_types:
            raise ExportError(
                f"unknown entity type(s) {', '.join(bad_types)}; known: {', '.join(ENTITY_TYPES)}"
            )
        bad_rels = sorted(set(self.relations) - set(RELATION_TYPES))
        if bad_rels:
            raise ExportError(
                f"unknown relation(s) {', '.join(bad_rels)}; known: {', '.join(RELATION_TYPES)}"
            )
        if self.radius < 0:
            raise ExportError("radius must be 0 or more")
        if self.min_evidence < 0:
            raise ExportError("min-evidence must be 0 or more")
        if self.since is not None and self.until is not None and self.since > self.until:
            raise ExportError(f"since {self.since} is after until {self.until}")


@dataclass(frozen=True)
class Subgraph:
    """The result of a selection: entity IRIs, edges and the RDF triples kept."""

    entities: frozenset[URIRef]
    edges: frozenset[tuple[URIRef, str, URIRef]]
    #: Every resource whose own triples are kept whole (statements, evidence, articles ...).
    provenance: frozenset[URIRef]
    #: Observations kept.
    observations: frozenset[URIRef]

    def keeps(self, s: object, p: object, o: object) -> bool:
        """Whether the triple ``(s, p, o)`` belongs to the exported subgraph."""
        if s in self.entities:
            if p in RELATION_IRIS:
                return (s, RELATION_IRIS[p], o) in self.edges or (
                    o,
                    RELATION_IRIS[p],
                    s,
                ) in self.edges
            return True
        return s in self.provenance

    def graph(self, source: Graph) -> Graph:
        """The kept triples of ``source`` as a new graph (prefixes copied)."""
        out = Graph()
        for prefix, ns in source.namespaces():
            out.bind(prefix, ns, override=False)
        out += (t for t in source if self.keeps(*t))
        return out

    def dataset(self, quads: Iterable[tuple], namespaces: Graph | None = None) -> Dataset:
        """The kept quads ``(s, p, o, graph name)``, each in its original named graph."""
        out = Dataset()
        if namespaces is not None:
            for prefix, ns in namespaces.namespaces():
                out.bind(prefix, ns, override=False)
        graphs: dict[object, Graph] = {}
        for s, p, o, name in quads:
            if self.keeps(s, p, o):
                if name not in graphs:
                    graphs[name] = out.graph(name)
                graphs[name].add((s, p, o))
        return out


def dataset_quads(ds: Dataset) -> Iterable[tuple]:
    """``(s, p, o, graph name)`` of every quad of an rdflib Dataset."""
    for s, p, o, ctx in ds.quads((None, None, None, None)):
        yield s, p, o, getattr(ctx, "identifier", ctx)


# --- names ------------------------------------------------------------------------------


def resolve_name(graph: Graph, name: str, prefer_types: Iterable[str] = ()) -> URIRef:
    """The entity called ``name`` in Chinese (Simplified or Traditional), pinyin, English or by
    an alias, or given by its IRI; through :func:`aigraph.queries.resolve_entity`.

    With ``prefer_types``, entities of those types are looked for first, then all entities.
    Raises :class:`UnknownEntityError` or :class:`AmbiguousEntityError`.

    Examples
    --------
    >>> from rdflib import Graph, Literal, RDF
    >>> from rdflib.namespace import SKOS
    >>> from aigraph.iris import entity_iri
    >>> g = Graph()
    >>> x = entity_iri("Firm:科大讯飞")
    >>> _ = g.add((x, RDF.type, AIG.Firm)).add((x, SKOS.altLabel, Literal("讯飞", lang="zh")))
    >>> resolve_name(g, "訊飛") == x
    True
    """
    preferred = list(prefer_types)
    if preferred:
        try:
            return resolve_entity(graph, name, preferred)
        except UnknownEntityError:
            pass
    return resolve_entity(graph, name)


# --- the CONSTRUCT guard ----------------------------------------------------------------


def _walk(node: object) -> Iterable[CompValue]:
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        for item in node:
            yield from _walk(item)


def run_construct(graph: Graph, text: str) -> Graph:
    """Run a SPARQL CONSTRUCT over ``graph``, refusing anything that reaches outside it.

    The queries engineer's guard (:func:`aigraph.queries.check_query`) refuses updates and
    ``SERVICE``; here every ``FROM``/``FROM NAMED`` is refused too, because rdflib would try to
    fetch the named graph from the web, and other query forms are refused as not exportable.

    >>> from rdflib import Graph
    >>> len(run_construct(Graph(), "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"))
    0
    >>> run_construct(Graph(), "SELECT * WHERE { ?s ?p ?o }")
    Traceback (most recent call last):
    aigraph.errors.QueryRejectedError: an export query must be a CONSTRUCT, not a SelectQuery
    """
    parsed = check_query(text)
    form = next((n for n in _walk(parsed) if n.name.endswith("Query")), None)
    if form is None or form.name != "ConstructQuery":
        raise QueryRejectedError(
            f"an export query must be a CONSTRUCT, not a {getattr(form, 'name', 'query')}"
        )
    if any(n.name == "DatasetClause" for n in _walk(parsed)):
        raise QueryRejectedError(
            "FROM / FROM NAMED are not allowed in an export query: it runs over the whole graph"
        )
    try:
        return graph.query(text).graph  # type: ignore[return-value]
    except Exception as exc:  # rdflib raises plain Exceptions for evaluation errors
        raise QueryError(f"the query failed: {exc}") from exc


# --- selection --------------------------------------------------------------------------


def _article_iris(graph: Graph, article: str) -> set[URIRef]:
    path = Path(article)
    found: set[URIRef] = set()
    if path.is_file():
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        found = {a for a in graph.subjects(AIG.sha256, Literal(sha)) if isinstance(a, URIRef)}
    if not found:
        for pred in (AIG.sourceFile, AIG.fileName):
            for a, value in graph.subject_objects(pred):
                if str(value) in (article, path.as_posix(), path.name):
                    found.add(a)  # type: ignore[arg-type]
    if not found:
        raise ExportError(f"no article of the graph is {article!r}")
    return found


def _neighbours(edges: Iterable[tuple[URIRef, str, URIRef]]) -> dict[URIRef, set[URIRef]]:
    adj: dict[URIRef, set[URIRef]] = defaultdict(set)
    for h, _, t in edges:
        adj[h].add(t)
        adj[t].add(h)
    return adj


def _within(start: URIRef, adj: dict[URIRef, set[URIRef]], radius: int) -> set[URIRef]:
    seen = {start}
    frontier = deque([(start, 0)])
    while frontier:
        node, dist = frontier.popleft()
        if dist == radius:
            continue
        for nxt in adj.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                frontier.append((nxt, dist + 1))
    return seen


def _contained_in(place: URIRef, edges: Iterable[tuple[URIRef, str, URIRef]]) -> set[URIRef]:
    inside: dict[URIRef, set[URIRef]] = defaultdict(set)
    for h, rel, t in edges:
        if rel in CONTAINMENT_RELATIONS:
            inside[t].add(h)
    return {place} | things_inside(inside, place)


def _in_community(graph: Graph, index: int) -> set[URIRef]:
    comms = [c for c, k in graph.subject_objects(AIG.communityIndex) if _as_int(k) == index]
    if not comms:
        raise ExportError(f"the graph has no community {index} (run `aigraph analyze` first)")
    whole = [c for c in comms if str(graph.value(c, AIG.projection)) == "all"]
    members: set[URIRef] = set()
    for comm in whole or comms:
        members.update(s for s in graph.subjects(AIG.inCommunity, comm) if isinstance(s, URIRef))
    return members


def _as_int(lit: object) -> int | None:
    """An integer literal or the year of an ``xsd:gYear`` ("2020" -> 2020); None otherwise."""
    try:
        return (
            int(str(lit)[:4])
            if str(getattr(lit, "datatype", "")).endswith("gYear")
            else int(str(lit))
        )
    except (TypeError, ValueError):
        return None


def select(graph: Graph, selection: Selection) -> Subgraph:
    """Apply ``selection`` to the union ``graph``.

    Raises :class:`UnknownEntityError`/:class:`AmbiguousEntityError` for names, and
    :class:`ExportError` for an article or community that the graph does not hold.
    """
    types = entity_types(graph)
    all_edges = relation_triples(graph, types)
    statements = statements_by_edge(graph)
    evidence_articles = {
        ev: graph.value(ev, AIG.article) for ev in graph.subjects(AIG.article, None)
    }

    def evidence_of(edge: tuple[URIRef, str, URIRef]) -> list:
        return [
            ev
            for st in statements.get(edge_key(*edge), ())
            for ev in graph.objects(st, AIG.hasEvidence)
        ]

    articles = _article_iris(graph, selection.article) if selection.article else None

    def edge_allowed(edge: tuple[URIRef, str, URIRef]) -> bool:
        if selection.relations and edge[1] not in selection.relations:
            return False
        if selection.min_evidence or articles is not None:
            evs = evidence_of(edge)
            if len(evs) < selection.min_evidence:
                return False
            if articles is not None and not any(
                evidence_articles.get(ev) in articles for ev in evs
            ):
                return False
        return True

    edges = {e for e in all_edges if edge_allowed(e)}
    chosen: set[URIRef] = set(types)
    if selection.ego is not None:
        ego = resolve_name(graph, selection.ego)
        chosen &= _within(ego, _neighbours(edges), selection.radius)
    if selection.types:
        chosen &= {e for e, t in types.items() if t in selection.types}
    if selection.relations:
        chosen &= {end for h, _, t in edges for end in (h, t)}
    if selection.place is not None:
        place = resolve_name(graph, selection.place, prefer_types=PLACE_TYPES)
        chosen &= _contained_in(place, all_edges)
    if selection.community is not None:
        chosen &= _in_community(graph, selection.community)
    if articles is not None:
        chosen &= {
            e for e in types if any(a in articles for a in graph.objects(e, AIG.mentionedIn))
        }
    if selection.query is not None:
        constructed = run_construct(graph, selection.query)
        chosen &= {
            term for triple in constructed for term in (triple[0], triple[2]) if term in types
        }
    edges = {e for e in edges if e[0] in chosen and e[2] in chosen}
    return _close(graph, frozenset(chosen), frozenset(edges), statements, selection)


def _close(
    graph: Graph,
    entities: frozenset[URIRef],
    edges: frozenset[tuple[URIRef, str, URIRef]],
    statements: dict[tuple[str, str, str], list[URIRef]],
    selection: Selection,
) -> Subgraph:
    """Add the provenance behind the kept entities and edges."""
    keep: set[URIRef] = set()
    evidence: set = set()
    for edge in edges:
        for st in statements.get(edge_key(*edge), ()):
            keep.add(st)
            evidence.update(graph.objects(st, AIG.hasEvidence))
    observations: set[URIRef] = set()
    for obs, subject in graph.subject_objects(AIG.observedEntity):
        if subject not in entities:
            continue
        year = (
            _as_int(graph.value(obs, AIG.year)) if graph.value(obs, AIG.year) is not None else None
        )
        if selection.since is not None or selection.until is not None:
            if year is None:
                continue
            if selection.since is not None and year < selection.since:
                continue
            if selection.until is not None and year > selection.until:
                continue
        observations.add(obs)  # type: ignore[arg-type]
        evidence.update(graph.objects(obs, AIG.hasEvidence))
        keep.update(graph.objects(obs, AIG.metric))  # type: ignore[arg-type]
    keep |= observations
    articles: set = set()
    for ev in evidence:
        keep.add(ev)
        articles.update(graph.objects(ev, AIG.article))
        for target in graph.objects(ev, OA.hasTarget):
            keep.add(target)  # type: ignore[arg-type]
            keep.update(graph.objects(target, OA.hasSelector))  # type: ignore[arg-type]
        keep.update(graph.objects(ev, _PROV_GENERATED))  # type: ignore[arg-type]
    for entity in entities:
        articles.update(graph.objects(entity, AIG.mentionedIn))
        for comm in graph.objects(entity, AIG.inCommunity):
            keep.add(comm)  # type: ignore[arg-type]
            keep.update(graph.objects(comm, AIG.analysedBy))  # type: ignore[arg-type]
        # a mention belongs to an article graph; keep those whose article is kept
        keep.update(graph.objects(entity, AIG.hasMention))  # type: ignore[arg-type]
    keep |= articles
    keep = {k for k in keep if isinstance(k, URIRef) and k not in entities}
    return Subgraph(entities, edges, frozenset(keep), frozenset(observations))


_PROV_GENERATED = URIRef("http://www.w3.org/ns/prov#wasGeneratedBy")
