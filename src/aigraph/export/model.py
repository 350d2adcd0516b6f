"""A read-only view of the graph for exporters and the explorer: nodes, edges and their "why".

The RDF graph (``docs/graph-model.md``) spreads what a reader wants to know about one entity
over many resources: labels in the entities graph, statements and evidence in article graphs,
observations, analysis scores. :func:`build_view` gathers them once, with one scan per
predicate, into plain frozen records that the CSV, GraphML/GEXF and HTML writers share.

Examples
--------
>>> from rdflib import Graph, Literal, RDF
>>> from rdflib.namespace import SKOS
>>> from aigraph.iris import entity_iri
>>> from aigraph.vocab import AIG
>>> g = Graph()
>>> a, b = entity_iri("Firm:甲"), entity_iri("Park:乙")
>>> for iri, name, kind in [(a, "甲", AIG.Firm), (b, "乙", AIG.Park)]:
...     _ = g.add((iri, RDF.type, kind)).add((iri, SKOS.prefLabel, Literal(name, lang="zh")))
>>> _ = g.add((a, AIG.locatedIn, b))
>>> view = build_view(g)
>>> [(n.label, n.type) for n in view.nodes]
[('甲', 'Firm'), ('乙', 'Park')]
>>> [(view.node(e.head).label, e.relation, view.node(e.tail).label) for e in view.edges]
[('甲', 'locatedIn', '乙')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from ..records import ENTITY_TYPES, RELATION_TYPES
from ..vocab import AIG, SDO, WD

#: Entity classes by IRI, and back.
ENTITY_CLASS_IRIS: dict[URIRef, str] = {AIG[t]: t for t in ENTITY_TYPES}
#: Relation predicates by IRI, and back.
RELATION_IRIS: dict[URIRef, str] = {AIG[r]: r for r in RELATION_TYPES}
#: Relations stated once but meaning both directions.
SYMMETRIC_RELATIONS: frozenset[str] = frozenset({"cooperatesWith"})
#: Analysis scores a node may carry, in display order.
CENTRALITIES: tuple[str, ...] = (
    "degree",
    "weightedDegree",
    "pageRank",
    "betweenness",
    "closeness",
    "eigenvector",
    "participationCoefficient",
)

PINYIN_TAG = "zh-latn-pinyin"


@dataclass(frozen=True)
class EvidenceView:
    """One quoted sentence behind a statement or an observation."""

    quote: str
    article_file: str
    article_headline: str
    start: int | None = None
    end: int | None = None
    rule: str = ""
    confidence: float | None = None


@dataclass(frozen=True)
class ObservationView:
    """A dated metric of an entity, with its evidence."""

    metric: str
    metric_label: str
    value: float
    unit: str
    year: int | None
    bound: str
    evidence: tuple[EvidenceView, ...] = ()
    #: How many pieces of evidence there are when ``evidence`` shows only some (else None).
    evidence_count: int | None = None


@dataclass(frozen=True)
class NodeView:
    """An entity with everything the explorer's side panel and the tables show."""

    iri: str
    type: str
    label: str
    label_en: str = ""
    label_pinyin: str = ""
    aliases: tuple[str, ...] = ()
    wikidata: tuple[str, ...] = ()
    scores: tuple[tuple[str, float], ...] = ()
    community: int | None = None
    articles: tuple[str, ...] = ()
    observations: tuple[ObservationView, ...] = ()

    def score(self, name: str) -> float | None:
        """The analysis score ``name`` (``pageRank``, ``degree`` ...) or None when absent."""
        return dict(self.scores).get(name)


@dataclass(frozen=True)
class EdgeView:
    """A relation between two entities, with its roles and evidence (weight = evidence count)."""

    head: str
    tail: str
    relation: str
    roles: tuple[str, ...] = ()
    evidence: tuple[EvidenceView, ...] = ()
    #: How many pieces of evidence there are when ``evidence`` shows only some (else None).
    evidence_count: int | None = None

    @property
    def symmetric(self) -> bool:
        return self.relation in SYMMETRIC_RELATIONS

    @property
    def weight(self) -> int:
        """Evidence count, at least 1 (a direct triple with no statement still counts once)."""
        if self.evidence_count is not None:
            return max(1, self.evidence_count)
        return max(1, len(self.evidence))


@dataclass(frozen=True)
class GraphView:
    """Nodes sorted by IRI, edges sorted by (head, relation, tail)."""

    nodes: tuple[NodeView, ...]
    edges: tuple[EdgeView, ...]
    #: How many edges the entities have between them when ``edges`` shows only some.
    edges_total: int | None = None
    _index: dict[str, NodeView] = field(default_factory=dict, repr=False, compare=False)

    def node(self, iri: str) -> NodeView:
        """The node of an IRI (KeyError when it is not in the view)."""
        if not self._index:
            self._index.update((n.iri, n) for n in self.nodes)
        return self._index[iri]

    def degrees(self) -> dict[str, int]:
        """Degree of every node in this view (each edge counted once per end)."""
        deg = dict.fromkeys((n.iri for n in self.nodes), 0)
        for e in self.edges:
            deg[e.head] += 1
            deg[e.tail] += 1
        return deg


def _text(value: object) -> str:
    return str(value) if value is not None else ""


def _lang(lit: object) -> str:
    return (getattr(lit, "language", None) or "").lower()


def _number(lit: object) -> float | None:
    if not isinstance(lit, Literal):
        return None
    try:
        return float(lit.toPython())
    except (TypeError, ValueError):
        return None


def _int(lit: object) -> int | None:
    num = _number(lit)
    if num is None:
        try:
            return int(str(lit)[:4])
        except (TypeError, ValueError):
            return None
    return int(num)


#: What a view reads about a piece of evidence.
EVIDENCE_PREDICATES = (
    AIG.article, AIG.quote, AIG.sentence, AIG.startOffset, AIG.endOffset, AIG.rule,
    AIG.confidence,
)  # fmt: skip


def view_patterns() -> tuple[tuple[URIRef, URIRef | None], ...]:
    """The ``(predicate, object)`` patterns :func:`build_view` reads (``None``: any object).

    A store gives the explorer only these triples. Mentions, Web Annotation targets,
    provenance and the types of evidence and mention nodes are most of a large graph and the
    view reads none of them; converting them to rdflib was most of the explorer's time.
    """
    predicates = (
        RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.exactMatch, SDO.headline,
        AIG.fileName, AIG.sourceFile, AIG.mentionedIn, AIG.hasEvidence, *EVIDENCE_PREDICATES,
        AIG.head, AIG.relation, AIG.tail, AIG.role, AIG.observedEntity, AIG.metric,
        AIG.value, AIG.unit, AIG.year, AIG.bound, AIG.communityIndex, AIG.inCommunity,
        *(AIG[name] for name in CENTRALITIES),
        *RELATION_IRIS,
    )  # fmt: skip
    types = (*ENTITY_CLASS_IRIS, AIG.Article, AIG.RelationStatement)
    return (
        *((RDF.type, cls) for cls in sorted(types)),
        *((p, None) for p in sorted(set(predicates))),
    )


def entity_types(graph: Graph) -> dict[URIRef, str]:
    """Every entity IRI of ``graph`` with its type name (the first in contract order if several)."""
    found: dict[URIRef, str] = {}
    order = {t: i for i, t in enumerate(ENTITY_TYPES)}
    for cls, name in ENTITY_CLASS_IRIS.items():
        for s in graph.subjects(RDF.type, cls):
            if isinstance(s, URIRef) and (s not in found or order[name] < order[found[s]]):
                found[s] = name
    return found


def relation_triples(graph: Graph, entities: Iterable[URIRef]) -> set[tuple[URIRef, str, URIRef]]:
    """Direct relation triples between ``entities``; symmetric ones once, ends ordered."""
    keep = set(entities)
    out: set[tuple[URIRef, str, URIRef]] = set()
    for pred, name in RELATION_IRIS.items():
        for s, o in graph.subject_objects(pred):
            if s in keep and o in keep and s != o:
                if name in SYMMETRIC_RELATIONS and str(o) < str(s):
                    s, o = o, s
                out.add((s, name, o))  # type: ignore[arg-type]
    return out


def heaviest_edges(
    weights: Mapping[tuple[str, str, str], int], limit: int | None
) -> set[tuple[str, str, str]]:
    """The ``limit`` edges (by :func:`edge_key`) with the most evidence, ties by key; all when
    ``limit`` is None or not reached.

    >>> sorted(heaviest_edges({("a", "r", "b"): 3, ("a", "r", "c"): 1, ("a", "r", "d"): 3}, 2))
    [('a', 'r', 'b'), ('a', 'r', 'd')]
    """
    if limit is None or len(weights) <= limit:
        return set(weights)
    return set(sorted(weights, key=lambda key: (-weights[key], key))[:limit])


def edge_key(head: object, relation: str, tail: object) -> tuple[str, str, str]:
    """Key matching a direct triple with its statement (symmetric relations: ends ordered)."""
    h, t = str(head), str(tail)
    if relation in SYMMETRIC_RELATIONS and t < h:
        h, t = t, h
    return h, relation, t


class _Reader:
    """Indexes of one graph, built lazily by predicate scans."""

    def __init__(
        self,
        graph: Graph,
        max_evidence: int | None = None,
        evidence_values: Mapping[object, Mapping[URIRef, object]] | None = None,
    ) -> None:
        self.g = graph
        self.max_evidence = max_evidence
        self._articles: dict[object, tuple[str, str]] | None = None
        self._evidence: dict[object, EvidenceView] = {}
        self._evidence_values = evidence_values or {}

    def article(self, iri: object) -> tuple[str, str]:
        if self._articles is None:
            self._articles = {}
            for a in self.g.subjects(RDF.type, AIG.Article):
                name = self.g.value(a, AIG.fileName) or self.g.value(a, AIG.sourceFile) or a
                headline = self.g.value(a, SDO.headline)
                self._articles[a] = (_text(name), _text(headline))
        return self._articles.get(iri, (_text(iri), ""))

    def evidence(self, ev: object) -> EvidenceView:
        if ev not in self._evidence:
            given = self._evidence_values.get(ev)
            value = given.get if given is not None else (lambda p: self.g.value(ev, p))
            article_file, headline = self.article(value(AIG.article))
            self._evidence[ev] = EvidenceView(
                quote=_text(value(AIG.quote) or value(AIG.sentence)),
                article_file=article_file,
                article_headline=headline,
                start=_int(value(AIG.startOffset)),
                end=_int(value(AIG.endOffset)),
                rule=_text(value(AIG.rule)),
                confidence=_number(value(AIG.confidence)),
            )
        return self._evidence[ev]

    def evidence_of(self, subject: object) -> tuple[EvidenceView, ...]:
        views = {self.evidence(ev) for ev in self.kept_evidence(subject)[0]}
        return tuple(sorted(views, key=_evidence_order))

    def edge_evidence(
        self, statements: Iterable[object]
    ) -> tuple[tuple[EvidenceView, ...], int, int]:
        """The evidence an edge of ``statements`` shows (:func:`first_edge_evidence`), how
        many nodes that is and how many its statements have."""
        nodes, total = first_edge_evidence(
            (self.g.objects(st, AIG.hasEvidence) for st in sorted(statements, key=str)),
            self.max_evidence,
        )
        views = {self.evidence(ev) for ev in nodes}
        return tuple(sorted(views, key=_evidence_order)), len(nodes), total

    def kept_evidence(self, subject: object) -> tuple[list[object], int]:
        """The evidence nodes of ``subject`` a view shows (the first ``max_evidence`` by IRI,
        see :func:`first_evidence`) and how many it has."""
        return first_evidence(self.g.objects(subject, AIG.hasEvidence), self.max_evidence)


def first_evidence(nodes: Iterable[object], limit: int | None) -> tuple[list[object], int]:
    """The first ``limit`` evidence nodes by IRI (all when ``limit`` is None), and their
    number: a stable choice that needs nothing but the IRIs.

    >>> first_evidence(["urn:c", "urn:a", "urn:b"], 2)
    (['urn:a', 'urn:b'], 3)
    """
    found = sorted(set(nodes), key=str)
    return (found if limit is None else found[:limit]), len(found)


def first_edge_evidence(
    per_statement: Iterable[Iterable[object]], limit: int | None
) -> tuple[list[object], int]:
    """The evidence nodes an edge shows and how many its statements have in all.

    ``per_statement`` gives each statement's evidence nodes, the statements in IRI order;
    each statement offers its first ``limit`` by IRI (:func:`first_evidence`) and the edge
    shows at most ``limit`` in all, taken in statement order (all when ``limit`` is None).
    A hub edge stated with one role in every article has thousands of quotes: the page shows
    a few and says how many there are.

    >>> first_edge_evidence([["urn:b", "urn:a"], ["urn:d", "urn:c"]], 3)
    (['urn:a', 'urn:b', 'urn:c'], 4)
    """
    shown: list[object] = []
    total = 0
    for nodes in per_statement:
        kept, count = first_evidence(nodes, limit)
        total += count
        room = len(kept) if limit is None else max(0, limit - len(shown))
        shown.extend(kept[:room])
    return shown, total


@dataclass(frozen=True)
class EdgeSummary:
    """What all the statements of an edge say, when a graph holds only those whose evidence
    is shown (the explorer of a large store reads no more than that)."""

    evidence_count: int
    roles: tuple[str, ...] = ()


def _evidence_order(e: EvidenceView) -> tuple:
    return (e.article_file, e.start or 0, e.end or 0, e.quote, e.rule, e.confidence or 0.0)


def statements_by_edge(graph: Graph) -> dict[tuple[str, str, str], list[URIRef]]:
    """Statement IRIs grouped by :func:`edge_key` of what they state."""
    out: dict[tuple[str, str, str], list[URIRef]] = defaultdict(list)
    for st in graph.subjects(RDF.type, AIG.RelationStatement):
        head, rel, tail = (graph.value(st, p) for p in (AIG.head, AIG.relation, AIG.tail))
        if head is None or tail is None or rel not in RELATION_IRIS:
            continue
        out[edge_key(head, RELATION_IRIS[rel], tail)].append(st)  # type: ignore[index]
    return out


def _labels(graph: Graph, iri: URIRef) -> tuple[str, str, str, tuple[str, ...]]:
    zh = en = py = ""
    others: set[str] = set()
    for lit in graph.objects(iri, SKOS.prefLabel):
        tag = _lang(lit)
        if tag == PINYIN_TAG:
            py = py or str(lit)
        elif tag.startswith("en"):
            en = en or str(lit)
        elif tag.startswith("zh") or not tag:
            if not zh or str(lit) < zh:
                if zh:
                    others.add(zh)
                zh = str(lit)
            else:
                others.add(str(lit))
    for pred in (SKOS.altLabel, RDFS.label):
        others.update(str(lit) for lit in graph.objects(iri, pred) if _lang(lit) != PINYIN_TAG)
    if not zh:
        zh = min(others) if others else str(iri).rsplit("/", 1)[-1]
    others.discard(zh)
    others.discard(en)
    return zh, en, py, tuple(sorted(others))


def build_view(
    graph: Graph,
    entities: Iterable[URIRef] | None = None,
    edges: Iterable[tuple[URIRef, str, URIRef]] | None = None,
    max_evidence: int | None = None,
    edge_summaries: Mapping[tuple[str, str, str], EdgeSummary] | None = None,
    evidence_values: Mapping[object, Mapping[URIRef, object]] | None = None,
    max_edges: int | None = None,
    edges_total: int | None = None,
) -> GraphView:
    """Gather nodes and edges of ``graph`` (or of the given ``entities``/``edges`` only).

    Parameters
    ----------
    graph
        The union graph (entity descriptions, article graphs, analysis).
    entities
        Entity IRIs to include; all typed entities of ``graph`` when None.
    edges
        ``(head, relation name, tail)`` to include; every relation triple between the
        included entities when None.
    max_evidence
        Show at most this many pieces of evidence per edge and per observation (the first
        by IRI, :func:`first_evidence` and :func:`first_edge_evidence`); the views then
        carry the full count in ``evidence_count``. All when None.
    edge_summaries
        Evidence counts and roles of edges (by :func:`edge_key`) over all their statements,
        for a ``graph`` that holds only the statements whose evidence is shown.
    evidence_values
        The values of :data:`EVIDENCE_PREDICATES` by evidence node, read instead of
        ``graph`` (a large store's explorer reads them straight from the store: as rdflib
        triples they were most of its memory).
    max_edges
        Keep only this many edges, those with the most evidence (:func:`heaviest_edges`);
        the view then carries how many there were in ``edges_total``.
    edges_total
        That number, when ``edges`` were chosen so already.

    Returns
    -------
    GraphView
        Sorted, so the same graph always gives the same view.
    """
    types = entity_types(graph)
    chosen = sorted(types if entities is None else (e for e in entities if e in types), key=str)
    chosen_set = set(chosen)
    triples = relation_triples(graph, chosen_set) if edges is None else set(edges)
    reader = _Reader(graph, max_evidence, evidence_values)

    observations: dict[object, list[ObservationView]] = defaultdict(list)
    for obs, subject in graph.subject_objects(AIG.observedEntity):
        if subject not in chosen_set:
            continue
        metric = graph.value(obs, AIG.metric)
        metric_name = str(metric).rsplit("/", 1)[-1] if metric is not None else ""
        zh_label = next((str(x) for x in graph.objects(metric, RDFS.label) if _lang(x) == "zh"), "")
        observations[subject].append(
            ObservationView(
                metric=metric_name,
                metric_label=zh_label or metric_name,
                value=_number(graph.value(obs, AIG.value)) or 0.0,
                unit=_text(graph.value(obs, AIG.unit)),
                year=_int(graph.value(obs, AIG.year)) if graph.value(obs, AIG.year) else None,
                bound=_text(graph.value(obs, AIG.bound)),
                evidence=reader.evidence_of(obs),
                evidence_count=_count_if_cut(*reader.kept_evidence(obs)),
            )
        )

    community_index: dict[object, int] = {}
    for comm, idx in graph.subject_objects(AIG.communityIndex):
        value = _int(idx)
        if value is not None:
            community_index[comm] = value

    nodes = []
    for iri in chosen:
        zh, en, py, aliases = _labels(graph, iri)
        scores = []
        for name in CENTRALITIES:
            num = _number(graph.value(iri, AIG[name]))
            if num is not None:
                scores.append((name, num))
        comms = sorted(
            community_index[c] for c in graph.objects(iri, AIG.inCommunity) if c in community_index
        )
        wikidata = sorted(
            str(m).rsplit("/", 1)[-1]
            for m in graph.objects(iri, SKOS.exactMatch)
            if str(m).startswith(str(WD))
        )
        articles = sorted({reader.article(a)[0] for a in graph.objects(iri, AIG.mentionedIn)})
        obs = sorted(
            observations.get(iri, ()), key=lambda o: (o.metric, o.year or 0, o.value, o.bound)
        )
        nodes.append(
            NodeView(
                iri=str(iri),
                type=types[iri],
                label=zh,
                label_en=en,
                label_pinyin=py,
                aliases=aliases,
                wikidata=tuple(wikidata),
                scores=tuple(scores),
                community=comms[0] if comms else None,
                articles=tuple(articles),
                observations=tuple(obs),
            )
        )

    statements = statements_by_edge(graph)
    summaries = edge_summaries or {}
    if max_edges is not None and len(triples) > max_edges:
        edges_total = len(triples)
        weights = {}
        for head, rel, tail in triples:
            key = edge_key(head, rel, tail)
            if key in summaries:
                weights[key] = max(1, summaries[key].evidence_count)
            else:
                sts = statements.get(key, ())
                weights[key] = max(
                    1, sum(len(set(graph.objects(st, AIG.hasEvidence))) for st in sts)
                )
        kept = heaviest_edges(weights, max_edges)
        triples = {t for t in triples if edge_key(*t) in kept}
    edge_views = []
    for head, rel, tail in sorted(triples, key=lambda t: (str(t[0]), t[1], str(t[2]))):
        key = edge_key(head, rel, tail)
        sts = statements.get(key, ())
        ev, shown, total = reader.edge_evidence(sts)
        roles = tuple(sorted({str(r) for st in sts for r in graph.objects(st, AIG.role)}))
        if key in summaries:
            total, roles = summaries[key].evidence_count, summaries[key].roles
        count = total if shown < total else None
        edge_views.append(EdgeView(str(head), str(tail), rel, roles, ev, evidence_count=count))
    return GraphView(nodes=tuple(nodes), edges=tuple(edge_views), edges_total=edges_total)


def _count_if_cut(shown: list[object], total: int) -> int | None:
    return total if len(shown) < total else None
