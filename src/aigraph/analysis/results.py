"""Analysis results as RDF: the analysis named graph of docs/graph-model.md.

Scores are ``xsd:decimal`` literals rounded to ``options.precision`` places (``aig:degree`` is
an ``xsd:integer``), so two runs on the same graph give byte-identical serialisations. Each
algorithm is an ``aig:AnalysisRun`` (also a ``prov:Activity``) with its ``aig:algorithm``, its
``aig:parameters`` (JSON, keys sorted) and the ``aig:projection`` it ran on; communities point
to the Louvain run with ``aig:analysedBy``, and that run carries ``aig:modularity``.

Examples
--------
>>> decimal_literal(0.1234567891, 8)
rdflib.term.Literal('0.12345679', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
>>> str(decimal_literal(-1e-12, 4))
'0.0000'
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import PROV, XSD

from .. import __version__, iris
from ..vocab import AIG
from .projection import select

if TYPE_CHECKING:
    from . import AnalysisResult

#: Score name in the result -> RDF property.
SCORE_PROPERTIES: dict[str, URIRef] = {
    "weighted_degree": AIG.weightedDegree,
    "pagerank": AIG.pageRank,
    "betweenness": AIG.betweenness,
    "closeness": AIG.closeness,
    "eigenvector": AIG.eigenvector,
    "participation": AIG.participationCoefficient,
}

#: Score name -> the algorithm name recorded on its run.
ALGORITHM_NAMES: dict[str, str] = {
    "degree": "degree",
    "weighted_degree": "weightedDegree",
    "pagerank": "pageRank",
    "betweenness": "betweenness",
    "closeness": "closeness",
    "eigenvector": "eigenvector",
    "participation": "participationCoefficient",
}


def decimal_literal(value: float, precision: int) -> Literal:
    """An ``xsd:decimal`` with exactly ``precision`` places (never ``-0``)."""
    text = f"{round(float(value), precision):.{precision}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return Literal(text, datatype=XSD.decimal)


def _parameters_json(parameters: Mapping[str, Any]) -> str:
    return json.dumps(parameters, sort_keys=True, ensure_ascii=False)


def _run(projection: str, algorithm: str, parameters: Mapping[str, Any]) -> tuple[URIRef, list]:
    text = _parameters_json(parameters)
    run = iris.run_iri("analysis", __version__, projection, algorithm, text)
    return run, [
        (run, RDF.type, AIG.AnalysisRun),
        (run, RDF.type, PROV.Activity),
        (run, AIG.algorithm, Literal(algorithm)),
        (run, AIG.parameters, Literal(text)),
        (run, AIG.projection, Literal(projection)),
    ]


def analysis_triples(result: AnalysisResult) -> Iterator[tuple]:
    """The triples of :func:`to_rdf`, one at a time (rdflib terms; a triple may repeat).

    What a store writes: an rdflib graph of every score of 100,000 entities takes gigabytes.
    """
    precision = result.options.precision
    projection = result.projection
    scores = result.centralities.scores
    for name, parameters in sorted(result.centralities.parameters.items()):
        if not parameters.get("skipped"):
            yield from _run(projection, ALGORITHM_NAMES[name], parameters)[1]
    yield from _run(projection, ALGORITHM_NAMES["participation"], {"partition": "louvain"})[1]
    louvain, triples = _run(projection, "louvain", result.communities.parameters)
    yield from triples
    if result.communities.modularity is not None:
        yield (louvain, AIG.modularity, decimal_literal(result.communities.modularity, precision))
    for community in result.communities.communities:
        node = iris.community_iri(projection, community.index)
        yield (node, RDF.type, AIG.Community)
        yield (node, AIG.communityIndex, Literal(community.index, datatype=XSD.integer))
        yield (node, AIG.projection, Literal(projection))
        yield (node, AIG.analysedBy, louvain)
    for entity in sorted(scores):
        subject = URIRef(entity)
        node_scores = dict(scores[entity])
        node_scores["participation"] = result.participation.get(entity, 0.0)
        yield (subject, AIG.degree, Literal(int(node_scores["degree"]), datatype=XSD.integer))
        for name, prop in SCORE_PROPERTIES.items():
            if name in node_scores:
                yield (subject, prop, decimal_literal(node_scores[name], precision))
        index = result.communities.membership.get(entity)
        if index is not None:
            yield (subject, AIG.inCommunity, iris.community_iri(projection, index))


def to_rdf(result: AnalysisResult) -> Graph:
    """The analysis named graph (identifier ``iris.analysis_graph_iri()``) of one run."""
    graph = Graph(identifier=iris.analysis_graph_iri())
    graph.bind("aig", AIG._NS)
    graph.bind("prov", PROV)
    for triple in analysis_triples(result):
        graph.add(triple)
    return graph


_MEMBERSHIP_QUERY = """
PREFIX aig: <https://w3id.org/aigraph/ontology#>
SELECT ?entity ?index ?projection WHERE {
  ?entity aig:inCommunity ?community .
  ?community aig:communityIndex ?index ; aig:projection ?projection .
}
"""


def read_membership(source: Any, projection: str) -> dict[str, int]:
    """Community index of every entity, as stored for ``projection`` (entity IRI -> index).

    Examples
    --------
    >>> from rdflib import Graph
    >>> read_membership(Graph(), "all")
    {}
    """
    rows = select(source, _MEMBERSHIP_QUERY, {"projection": Literal(projection)})
    return {str(entity): int(index.toPython()) for entity, index, _ in rows}
