"""vocab.AIG and ontology/aigraph.ttl define the same terms."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, Graph

from aigraph.vocab import AIG
from conftest import ROOT

DECLARATIONS = {
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    RDF.Property,
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ROOT / "ontology" / "aigraph.ttl", format="turtle")


def _declared(ontology: Graph) -> set[str]:
    ns = str(AIG._NS)
    return {
        str(s)[len(ns) :]
        for s, _, o in ontology.triples((None, RDF.type, None))
        if o in DECLARATIONS and str(s).startswith(ns)
    }


def test_every_vocab_term_is_declared_in_the_ontology(ontology: Graph) -> None:
    missing = set(AIG.__annotations__) - _declared(ontology)
    assert not missing, f"in vocab.AIG but not declared in aigraph.ttl: {sorted(missing)}"


def test_every_ontology_term_is_in_vocab(ontology: Graph) -> None:
    ns = str(AIG._NS)
    used = {str(t)[len(ns) :] for triple in ontology for t in triple if str(t).startswith(ns)}
    extra = used - set(AIG.__annotations__)
    assert not extra, f"used in aigraph.ttl but not in vocab.AIG: {sorted(extra)}"


def test_a_typo_in_a_term_raises() -> None:
    with pytest.raises(AttributeError):
        _ = AIG.nonexistent
    with pytest.raises(AttributeError):
        _ = AIG.locatedin  # case matters
