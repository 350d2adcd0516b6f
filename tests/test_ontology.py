"""The OWL ontology and the SHACL shapes: well-formed, complete, aligned, packaged."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from aigraph.records import ENTITY_TYPES, METRICS, RELATION_TYPES
from aigraph.validation import ontology_text, shapes_graph
from aigraph.vocab import AIG, AIGM, ORG, SDO
from conftest import ROOT

SH = "http://www.w3.org/ns/shacl#"


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ROOT / "ontology" / "aigraph.ttl", format="turtle")


@pytest.mark.parametrize("name", ["aigraph.ttl", "shapes.ttl"])
def test_package_copy_is_identical_to_the_source(name: str) -> None:
    source = (ROOT / "ontology" / name).read_text(encoding="utf-8")
    assert ontology_text(name) == source, f"copy ontology/{name} to src/aigraph/ontology/"


def _langs(g: Graph, s: URIRef, p: URIRef) -> set[str]:
    return {o.language for o in g.objects(s, p) if isinstance(o, Literal)}


def test_every_declared_term_has_zh_and_en_label_and_definition(onto: Graph) -> None:
    ns = str(AIG._NS)
    for term in set(AIG.__annotations__):
        iri = URIRef(ns + term)
        assert {"zh", "en"} <= _langs(onto, iri, RDFS.label), term
        assert {"zh", "en"} <= _langs(onto, iri, SKOS.definition), term


def test_entity_classes_are_subclasses_of_entity(onto: Graph) -> None:
    for etype in ENTITY_TYPES:
        assert (AIG[etype], RDFS.subClassOf, AIG.Entity) in onto
        assert (AIG[etype], RDF.type, OWL.Class) in onto


def _members(onto: Graph, node: object) -> set[URIRef]:
    if isinstance(node, URIRef):
        return {node}
    collection = onto.value(node, OWL.unionOf)
    return set(onto.items(collection))


@pytest.mark.parametrize("relation", RELATION_TYPES)
def test_every_relation_has_domain_and_range_of_entity_classes(onto: Graph, relation: str) -> None:
    prop = AIG[relation]
    assert (prop, RDF.type, OWL.ObjectProperty) in onto
    classes = {AIG[t] for t in ENTITY_TYPES}
    for axis in (RDFS.domain, RDFS.range):
        node = onto.value(prop, axis)
        assert node is not None, f"{relation} has no {axis}"
        assert _members(onto, node) and _members(onto, node) <= classes


def test_relation_characteristics(onto: Graph) -> None:
    assert (AIG.cooperatesWith, RDF.type, OWL.SymmetricProperty) in onto
    assert (AIG.partOf, RDF.type, OWL.TransitiveProperty) in onto
    assert (AIG.locatedIn, RDF.type, OWL.TransitiveProperty) in onto
    assert (AIG.worksFor, RDF.type, OWL.TransitiveProperty) not in onto
    domain = _members(onto, onto.value(AIG.worksFor, RDFS.domain))
    assert domain == {AIG.Person}
    assert _members(onto, onto.value(AIG.focusesOn, RDFS.range)) == {AIG.Industry}


def test_alignments_to_standard_vocabularies(onto: Graph) -> None:
    expected = [
        (AIG.Firm, SDO.Corporation),
        (AIG.Agency, SDO.GovernmentOrganization),
        (AIG.Policy, SDO.Legislation),
        (AIG.City, SDO.City),
        (AIG.Article, SDO.NewsArticle),
        (AIG.Observation, SDO.Observation),
        (AIG.Evidence, URIRef("http://www.w3.org/ns/oa#Annotation")),
        (AIG.ExtractionRun, URIRef("http://www.w3.org/ns/prov#Activity")),
        (AIG.Firm, ORG.FormalOrganization),
    ]
    for cls, parent in expected:
        assert (cls, RDFS.subClassOf, parent) in onto, (cls, parent)
    assert (AIG.worksFor, SKOS.closeMatch, ORG.memberOf) in onto
    assert (AIG.partOf, SKOS.closeMatch, ORG.subOrganizationOf) in onto


def test_metrics_are_individuals_with_labels(onto: Graph) -> None:
    for metric in METRICS:
        assert (AIGM[metric], RDF.type, AIG.Metric) in onto
        assert {"zh", "en"} <= _langs(onto, AIGM[metric], SKOS.prefLabel)


def test_shapes_cover_every_relation_and_the_provenance_classes() -> None:
    shapes = shapes_graph()
    targets = set(shapes.objects(None, URIRef(SH + "targetSubjectsOf")))
    assert targets == {AIG[r] for r in RELATION_TYPES}
    classes = set(shapes.objects(None, URIRef(SH + "targetClass")))
    assert {AIG.RelationStatement, AIG.Evidence, AIG.Observation, AIG.Article} <= classes
    assert {AIG[t] for t in ENTITY_TYPES} <= classes
