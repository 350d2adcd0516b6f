"""From the RDF graph to a networkx graph a user chooses (a *projection*).

The graph is read with three SPARQL SELECTs (entities with their labels, direct relation
triples, evidence counts per qualified statement), so the same code reads the store (Oxigraph,
union of the named graphs) and an in-memory :class:`rdflib.Dataset` opened with
``default_union=True``.

Every projection is an **undirected** :class:`networkx.Graph` (centrality and community
detection treat a relation as a tie, whichever its direction); each edge keeps the names of the
relations behind it in ``relations`` (sorted, ``";"``-joined) and its ``weight`` is the number of
independent pieces of evidence (distinct evidence nodes) behind all those relations. A direct
triple that has no evidence node at all still counts once, so no edge has weight 0.

Examples
--------
>>> from rdflib import Dataset
>>> from aigraph.analysis.projection import read_network, project
>>> ds = Dataset(default_union=True)
>>> network = read_network(ds)
>>> project(network, "all").number_of_nodes()
0
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from networkx.algorithms import bipartite
from rdflib import Graph, URIRef

from ..errors import ProjectionError
from ..records import ENTITY_TYPES, RELATION_TYPES
from ..vocab import AIG

#: Relation families a user can project on.
RELATION_FAMILIES: dict[str, tuple[str, ...]] = {
    "all": RELATION_TYPES,
    "colocation": ("locatedIn", "headquarteredIn", "partOf"),
    "cooperation": ("cooperatesWith",),
    "policy": ("supports", "issuedBy", "approvedBy"),
}

#: Bipartite views: name -> ((type of side 0, one-mode name), (type of side 1, one-mode name)).
BIPARTITE_VIEWS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "firm-park": (("Firm", "firms"), ("Park", "parks")),
    "policy-park": (("Policy", "policies"), ("Park", "parks")),
}

#: Types whose members are places (what a community "spans").
PLACE_TYPES: tuple[str, ...] = ("City", "Province", "Region")

#: Relations that say where something is (followed to find the places of an entity).
LOCATING_RELATIONS: tuple[str, ...] = ("locatedIn", "headquarteredIn", "partOf")


def projection_names() -> tuple[str, ...]:
    """Every projection name ``aigraph analyze --projection`` accepts, in display order.

    Examples
    --------
    >>> projection_names()[:4]
    ('all', 'colocation', 'cooperation', 'policy')
    >>> "firm-park:parks" in projection_names()
    True
    """
    names = list(RELATION_FAMILIES)
    for view, sides in BIPARTITE_VIEWS.items():
        names.append(view)
        names.extend(f"{view}:{one_mode}" for _, one_mode in sides)
    return tuple(names)


@dataclass(frozen=True)
class EntityInfo:
    """What a node carries: its IRI, type and labels (empty string when absent)."""

    iri: str
    type: str
    label_zh: str
    label_pinyin: str
    label_en: str

    @property
    def label(self) -> str:
        """The best human label: Chinese, else English, else pinyin, else the IRI."""
        return self.label_zh or self.label_en or self.label_pinyin or self.iri


@dataclass(frozen=True)
class Network:
    """The relational content of the RDF graph, read once, from which projections are cut.

    ``evidence`` maps ``(head, relation, tail)`` (IRIs as strings, relation as local name) to
    the number of distinct evidence nodes of its statements.
    """

    entities: Mapping[str, EntityInfo]
    triples: frozenset[tuple[str, str, str]]
    evidence: Mapping[tuple[str, str, str], int] = field(default_factory=dict)

    def places_of(self) -> dict[str, frozenset[str]]:
        """Places (City/Province/Region) each entity is in, following locating relations.

        An entity that is itself a place counts as in itself; the chain is followed through
        parks and cities (a firm in a park in a city in a province reaches all three).
        """
        step: dict[str, set[str]] = defaultdict(set)
        for head, relation, tail in self.triples:
            if relation in LOCATING_RELATIONS:
                step[head].add(tail)
        places: dict[str, frozenset[str]] = {}
        for iri in self.entities:
            seen: set[str] = set()
            frontier = [iri]
            while frontier:
                node = frontier.pop()
                if node in seen:
                    continue
                seen.add(node)
                frontier.extend(step.get(node, ()))
            places[iri] = frozenset(
                p for p in seen if p in self.entities and self.entities[p].type in PLACE_TYPES
            )
        return places


_PREFIXES = """
PREFIX aig: <https://w3id.org/aigraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

# The type list is a VALUES block of IRIs from the closed vocabulary, never user text.
_ENTITY_TYPE_VALUES = " ".join(f"<{AIG[t]}>" for t in ENTITY_TYPES)

_ENTITIES_QUERY = (
    _PREFIXES
    + f"""
SELECT ?entity ?type ?label WHERE {{
  VALUES ?type {{ {_ENTITY_TYPE_VALUES} }}
  ?entity a ?type .
  OPTIONAL {{ ?entity skos:prefLabel ?label }}
}}
"""
)

_RELATION_VALUES = " ".join(f"<{AIG[r]}>" for r in RELATION_TYPES)

_TRIPLES_QUERY = f"""
SELECT DISTINCT ?head ?relation ?tail WHERE {{
  VALUES ?relation {{ {_RELATION_VALUES} }}
  ?head ?relation ?tail .
}}
"""

_EVIDENCE_QUERY = (
    _PREFIXES
    + """
SELECT ?head ?relation ?tail (COUNT(DISTINCT ?evidence) AS ?n) WHERE {
  ?statement a aig:RelationStatement ;
      aig:head ?head ; aig:relation ?relation ; aig:tail ?tail .
  OPTIONAL { ?statement aig:hasEvidence ?evidence }
}
GROUP BY ?head ?relation ?tail
"""
)


def select(source: Any, sparql: str, bindings: Mapping[str, Any] | None = None) -> list[tuple]:
    """Run a SELECT on the store or on an rdflib graph; rows as tuples of rdflib terms.

    The store's ``query`` takes ``init_bindings``; rdflib's takes ``initBindings``. Parameters
    are always bound, never formatted into the query text.

    Examples
    --------
    >>> from rdflib import Graph, Literal, URIRef
    >>> g = Graph()
    >>> g.add((URIRef("urn:a"), URIRef("urn:p"), Literal(1)))
    <Graph identifier=... (<class 'rdflib.graph.Graph'>)>
    >>> select(g, "SELECT ?o WHERE { ?s <urn:p> ?o }", {"s": URIRef("urn:a")})[0][0].toPython()
    1
    """
    if isinstance(source, Graph):
        rows = source.query(sparql, initBindings=dict(bindings or {}))
    else:
        rows = source.query(sparql, init_bindings=dict(bindings or {}))
    return [tuple(row) for row in rows]


def _local(term: Any) -> str:
    text = str(term)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _pick(values: Iterable[str]) -> str:
    """A deterministic choice when a label is given more than once: the shortest, then first."""
    values = sorted(set(values), key=lambda v: (len(v), v))
    return values[0] if values else ""


def read_network(source: Any) -> Network:
    """Read entities, relation triples and evidence counts from a store or rdflib graph.

    Examples
    --------
    >>> from rdflib import Dataset
    >>> read_network(Dataset(default_union=True)).entities
    {}
    """
    types: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for entity, etype, label in select(source, _ENTITIES_QUERY):
        if not isinstance(entity, URIRef):
            continue
        iri = str(entity)
        types[iri].add(_local(etype))
        if label is not None:
            lang = (getattr(label, "language", None) or "").lower()
            labels[iri][lang].append(str(label))
    entities: dict[str, EntityInfo] = {}
    for iri in sorted(types):
        # An entity typed twice keeps the first type in the contract's display order.
        etype = min(types[iri], key=ENTITY_TYPES.index)
        by_lang = labels.get(iri, {})
        entities[iri] = EntityInfo(
            iri=iri,
            type=etype,
            label_zh=_pick(by_lang.get("zh", [])),
            label_pinyin=_pick(by_lang.get("zh-latn-pinyin", [])),
            label_en=_pick(v for lang, vs in by_lang.items() if lang.startswith("en") for v in vs),
        )
    triples = frozenset(
        (str(h), _local(r), str(t))
        for h, r, t in select(source, _TRIPLES_QUERY)
        if str(h) in entities and str(t) in entities and str(h) != str(t)
    )
    evidence = {
        (str(h), _local(r), str(t)): int(n.toPython())
        for h, r, t, n in select(source, _EVIDENCE_QUERY)
        if h is not None and t is not None
    }
    return Network(entities=entities, triples=triples, evidence=evidence)


def _node_attributes(info: EntityInfo) -> dict[str, str]:
    return {
        "type": info.type,
        "label_zh": info.label_zh,
        "label_pinyin": info.label_pinyin,
        "label_en": info.label_en,
        "iri": info.iri,
    }


def _undirected(
    network: Network, relations: Iterable[str], keep: Any = None
) -> dict[tuple[str, str], tuple[int, set[str]]]:
    """Collapse directed triples to undirected pairs with evidence weight and relation names.

    ``keep(head_info, tail_info)`` filters the pairs. Evidence of a statement is counted once
    per pair even when the direct triple is written in both directions (``cooperatesWith``).
    """
    wanted = set(relations)
    pairs: dict[tuple[str, str], tuple[int, set[str]]] = {}
    counted: set[tuple[str, str, str]] = set()
    for head, relation, tail in sorted(network.triples):
        if relation not in wanted:
            continue
        if keep is not None and not keep(network.entities[head], network.entities[tail]):
            continue
        pair = (head, tail) if head < tail else (tail, head)
        weight, names = pairs.get(pair, (0, set()))
        names.add(relation)
        # Symmetric relations: the statement may be stored under either orientation.
        statement = (head, relation, tail)
        if statement not in network.evidence:
            statement = (tail, relation, head)
        if statement in counted:
            pairs[pair] = (weight, names)
            continue
        counted.add(statement)
        counted.add((statement[2], relation, statement[0]))
        pairs[pair] = (weight + max(1, network.evidence.get(statement, 0)), names)
    return pairs


def _build(network: Network, nodes: Iterable[str], pairs: Mapping) -> nx.Graph:
    graph = nx.Graph()
    # Sorted insertion: node order drives Louvain's sweep order, so it must not depend on
    # the store's row order.
    for iri in sorted(set(nodes)):
        graph.add_node(iri, **_node_attributes(network.entities[iri]))
    for (u, v), (weight, names) in sorted(pairs.items()):
        graph.add_edge(u, v, weight=weight, relations=";".join(sorted(names)))
    return graph


def _family(network: Network, family: str) -> nx.Graph:
    pairs = _undirected(network, RELATION_FAMILIES[family])
    if family == "all":
        nodes: Iterable[str] = network.entities
    else:
        nodes = {iri for pair in pairs for iri in pair}
    return _build(network, nodes, pairs)


def _bipartite(network: Network, view: str) -> tuple[nx.Graph, list[str], list[str]]:
    (type0, _), (type1, _) = BIPARTITE_VIEWS[view]

    def across(a: EntityInfo, b: EntityInfo) -> bool:
        return {a.type, b.type} == {type0, type1}

    pairs = _undirected(network, RELATION_TYPES, keep=across)
    nodes = {iri for pair in pairs for iri in pair}
    graph = _build(network, nodes, pairs)
    side0 = sorted(n for n in graph if graph.nodes[n]["type"] == type0)
    side1 = sorted(n for n in graph if graph.nodes[n]["type"] == type1)
    for n in side0:
        graph.nodes[n]["bipartite"] = 0
    for n in side1:
        graph.nodes[n]["bipartite"] = 1
    return graph, side0, side1


def _shared_evidence(graph: nx.Graph, u: str, v: str) -> int:
    """One-mode edge weight: for each shared neighbour, the weaker of the two ties' evidence.

    Two firms in the same park are tied as strongly as the less-evidenced of their two
    ``locatedIn`` links; summed over every park they share.
    """
    shared = set(graph[u]) & set(graph[v])
    return sum(min(graph[u][n]["weight"], graph[v][n]["weight"]) for n in sorted(shared))


def project(network: Network, name: str) -> nx.Graph:
    """Cut the projection ``name`` (see :func:`projection_names`) out of the network.

    Raises
    ------
    ProjectionError
        When ``name`` is not a known projection.

    Examples
    --------
    >>> net = Network(
    ...     entities={
    ...         "urn:f1": EntityInfo("urn:f1", "Firm", "甲", "jiǎ", ""),
    ...         "urn:f2": EntityInfo("urn:f2", "Firm", "乙", "yǐ", ""),
    ...         "urn:p": EntityInfo("urn:p", "Park", "园", "yuán", ""),
    ...     },
    ...     triples=frozenset({("urn:f1", "locatedIn", "urn:p"), ("urn:f2", "locatedIn", "urn:p")}),
    ...     evidence={("urn:f1", "locatedIn", "urn:p"): 3, ("urn:f2", "locatedIn", "urn:p"): 2},
    ... )
    >>> sorted(project(net, "colocation").edges(data="weight"))
    [('urn:f1', 'urn:p', 3), ('urn:f2', 'urn:p', 2)]
    >>> list(project(net, "firm-park:firms").edges(data="weight"))
    [('urn:f1', 'urn:f2', 2)]
    """
    if name in RELATION_FAMILIES:
        graph = _family(network, name)
    else:
        view, _, one_mode = name.partition(":")
        if view not in BIPARTITE_VIEWS or name not in projection_names():
            known = ", ".join(projection_names())
            raise ProjectionError(f"unknown projection {name!r}; choose one of: {known}")
        graph, side0, side1 = _bipartite(network, view)
        if one_mode:
            nodes = side0 if one_mode == BIPARTITE_VIEWS[view][0][1] else side1
            projected = bipartite.generic_weighted_projected_graph(
                graph, nodes, weight_function=lambda g, u, v: _shared_evidence(g, u, v)
            )
            # The tie is the other side's members both ends share ("shared park").
            other = BIPARTITE_VIEWS[view][1 if nodes is side0 else 0][0]
            for u, v in projected.edges:
                projected[u][v]["relations"] = f"shared {other.lower()}"
            graph = nx.Graph()
            graph.add_nodes_from(sorted(projected.nodes(data=True)))
            graph.add_edges_from(sorted(projected.edges(data=True)))
    graph.graph["projection"] = name
    return graph
