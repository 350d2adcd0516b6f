"""Closed namespaces mirroring ``ontology/aigraph.ttl``.

A typo in a term (``AIG.locatedin``) raises ``AttributeError`` at import time instead of
silently minting a new IRI; ``tests/test_vocab.py`` checks that every term here is defined in
the ontology file and every term of the ontology file is here.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from .config import BASE_IRI


class AIG(DefinedNamespace):
    """The aigraph ontology: entity classes, relations, evidence, observations, analysis."""

    _fail = True
    _NS = Namespace(BASE_IRI + "ontology#")

    # entity classes
    Entity: URIRef
    Park: URIRef
    Firm: URIRef
    Policy: URIRef
    Platform: URIRef
    Institution: URIRef
    Agency: URIRef
    City: URIRef
    Province: URIRef
    Region: URIRef
    Person: URIRef
    Industry: URIRef

    # provenance classes
    Article: URIRef
    RelationStatement: URIRef
    Evidence: URIRef
    Mention: URIRef
    Observation: URIRef
    Metric: URIRef
    ExtractionRun: URIRef
    AnalysisRun: URIRef
    Community: URIRef

    # relations between entities (the contract's eleven)
    locatedIn: URIRef
    headquarteredIn: URIRef
    partOf: URIRef
    supports: URIRef
    issuedBy: URIRef
    approvedBy: URIRef
    operatedBy: URIRef
    investsIn: URIRef
    cooperatesWith: URIRef
    focusesOn: URIRef
    worksFor: URIRef

    # statements and evidence
    head: URIRef
    relation: URIRef
    tail: URIRef
    role: URIRef
    hasEvidence: URIRef
    article: URIRef
    quote: URIRef
    sentence: URIRef
    startOffset: URIRef
    endOffset: URIRef
    rule: URIRef
    confidence: URIRef

    # entities and their mentions
    hasMention: URIRef
    surfaceForm: URIRef
    mentionedIn: URIRef
    # what one article's extraction said an entity is called (merged into skos labels)
    canonicalName: URIRef
    alias: URIRef
    englishName: URIRef

    # articles
    sourceFile: URIRef
    fileName: URIRef
    sha256: URIRef
    encoding: URIRef

    # observations (dated metrics)
    observedEntity: URIRef
    metric: URIRef
    value: URIRef
    unit: URIRef
    year: URIRef
    bound: URIRef

    # derived after every build (graph/places)
    inProvince: URIRef

    # analysis results
    projection: URIRef
    algorithm: URIRef
    parameters: URIRef
    degree: URIRef
    weightedDegree: URIRef
    pageRank: URIRef
    betweenness: URIRef
    closeness: URIRef
    eigenvector: URIRef
    participationCoefficient: URIRef
    inCommunity: URIRef
    communityIndex: URIRef
    modularity: URIRef
    analysedBy: URIRef


#: Metric individuals (``aigm:revenue`` ...), one per metric of the contract.
AIGM = Namespace(BASE_IRI + "metric/")

#: Wikidata entities, for ``skos:exactMatch``.
WD = Namespace("http://www.wikidata.org/entity/")

#: Web Annotation vocabulary (quoted evidence selectors).
OA = Namespace("http://www.w3.org/ns/oa#")

#: schema.org, for alignment.
SDO = Namespace("https://schema.org/")

#: W3C Organization ontology, for alignment.
ORG = Namespace("http://www.w3.org/ns/org#")
