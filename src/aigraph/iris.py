"""The one place where IRIs are minted.

Every IRI is a pure function of content (type and normalised canonical name for entities,
content hash for articles, the stated content for statements, evidence and observations), so
re-building from the same files gives the same IRIs whatever the run order.

Examples
--------
>>> entity_iri("Park:中国声谷") == entity_iri("Park:中国声谷")
True
>>> str(entity_iri("Park:中国声谷")).startswith("https://w3id.org/aigraph/id/park/")
True
"""

from __future__ import annotations

import hashlib

from rdflib import URIRef

from .config import BASE_IRI


def _digest(*parts: object, length: int = 16) -> str:
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def entity_iri(key: str, base: str = BASE_IRI) -> URIRef:
    """IRI of an entity from its key ``"Type:normalised name"``."""
    etype, _, _name = key.partition(":")
    return URIRef(f"{base}id/{etype.lower()}/{_digest(key)}")


def article_iri(sha256: str, base: str = BASE_IRI) -> URIRef:
    """IRI of an article from the SHA-256 of its bytes."""
    return URIRef(f"{base}article/{sha256[:16]}")


def article_graph_iri(sha256: str, base: str = BASE_IRI) -> URIRef:
    """Named graph holding one article's assertions."""
    return URIRef(f"{base}graph/article/{sha256[:16]}")


def entities_graph_iri(base: str = BASE_IRI) -> URIRef:
    """Named graph holding the merged entity descriptions (labels, aliases, identifiers)."""
    return URIRef(f"{base}graph/entities")


def places_graph_iri(base: str = BASE_IRI) -> URIRef:
    """Named graph holding derived places (``aig:inProvince``), recomputed after every change."""
    return URIRef(f"{base}graph/places")


def analysis_graph_iri(base: str = BASE_IRI) -> URIRef:
    """Named graph holding network-analysis results."""
    return URIRef(f"{base}graph/analysis")


def statement_iri(
    head_key: str, relation: str, tail_key: str, role: str | None = None, base: str = BASE_IRI
) -> URIRef:
    """IRI of a qualified relation statement (the same in every article that states it)."""
    if relation == "cooperatesWith" and tail_key < head_key:
        head_key, tail_key = tail_key, head_key
    return URIRef(f"{base}statement/{_digest(head_key, relation, tail_key, role)}")


def evidence_iri(
    article_sha256: str, start: int, end: int, rule: str, about: str, base: str = BASE_IRI
) -> URIRef:
    """IRI of one piece of evidence: an article span read by a rule about a statement/fact."""
    return URIRef(f"{base}evidence/{_digest(article_sha256, start, end, rule, about)}")


def passage_iri(article_sha256: str, start: int, end: int, base: str = BASE_IRI) -> URIRef:
    """IRI of one passage of an article (characters ``start:end``): the Web Annotation target
    that every piece of evidence quoting exactly those characters points at.

    It depends on the passage alone, not on what is read from it, so a sentence that supports
    four statements is described once: one source link and two selectors, not four of each.

    >>> passage_iri("ab" * 32, 3, 9) == passage_iri("ab" * 32, 3, 9)
    True
    >>> str(passage_iri("ab" * 32, 3, 9)).startswith("https://w3id.org/aigraph/passage/")
    True
    """
    return URIRef(f"{base}passage/{_digest(article_sha256, start, end)}")


def mention_iri(
    article_sha256: str, start: int, end: int, entity_key: str, base: str = BASE_IRI
) -> URIRef:
    """IRI of one mention of an entity in an article."""
    return URIRef(f"{base}mention/{_digest(article_sha256, start, end, entity_key)}")


def observation_iri(
    subject_key: str,
    metric: str,
    value: float,
    unit: str,
    year: int | None,
    bound: str | None,
    base: str = BASE_IRI,
) -> URIRef:
    """IRI of a dated metric observation."""
    return URIRef(
        f"{base}observation/{_digest(subject_key, metric, repr(float(value)), unit, year, bound)}"
    )


def community_iri(projection: str, index: int, base: str = BASE_IRI) -> URIRef:
    """IRI of community ``index`` of a projection's analysis."""
    return URIRef(f"{base}community/{projection}/{index}")


def run_iri(kind: str, *content: object, base: str = BASE_IRI) -> URIRef:
    """IRI of an extraction or analysis run, from its software version and parameters."""
    return URIRef(f"{base}run/{kind}/{_digest(*content)}")
