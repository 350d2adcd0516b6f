"""RDF terms in the two libraries aigraph uses: rdflib (API, tests) and pyoxigraph (store).

The build maps articles straight to pyoxigraph terms (building rdflib terms and converting them
cost more than the rest of the mapping); rdflib terms are made only where a caller wants
rdflib's API. :func:`to_ox` and :func:`from_ox` convert one term each way.

Examples
--------
>>> from rdflib import RDF, Literal
>>> from_ox(to_ox(Literal("中国声谷", lang="zh"))) == Literal("中国声谷", lang="zh")
True
>>> OxNamespace(RDF).type
<NamedNode value=http://www.w3.org/1999/02/22-rdf-syntax-ns#type>
"""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox
from rdflib import XSD, BNode, Literal, URIRef

_XSD_STRING = str(XSD.string)


@lru_cache(maxsize=256)
def bcp47_case(tag: str) -> str:
    """The conventional case of a language tag (Oxigraph stores tags lower-cased).

    >>> bcp47_case("zh-latn-pinyin"), bcp47_case("en-gb"), bcp47_case("ZH")
    ('zh-Latn-pinyin', 'en-GB', 'zh')
    """
    parts = tag.split("-")
    out = [parts[0].lower()]
    private = False
    for part in parts[1:]:
        private = private or part.lower() == "x"
        if private:
            out.append(part.lower())  # private-use subtags keep lower case
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def to_ox(term: object) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term for an rdflib term.

    >>> to_ox(Literal("园区", lang="zh"))
    <Literal value=园区 language=zh>
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def from_ox(term: object) -> URIRef | BNode | Literal | None:
    """The rdflib term for a pyoxigraph term; ``xsd:string`` literals become plain literals
    (RDF 1.1 says they are the same; rdflib compares them as different).

    >>> from_ox(ox.Literal("x")) == Literal("x")
    True
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=bcp47_case(term.language))
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    if term is None or isinstance(term, ox.DefaultGraph):
        return None
    raise TypeError(f"unsupported pyoxigraph term: {term!r}")


class OxNamespace:
    """The pyoxigraph ``NamedNode`` of each term of an rdflib namespace, made once.

    A closed rdflib namespace (``aigraph.vocab.AIG``) still refuses unknown terms.

    >>> from aigraph.vocab import AIG
    >>> OxNamespace(AIG).locatedIn.value
    'https://w3id.org/aigraph/ontology#locatedIn'
    >>> OxNamespace(AIG).locatedin
    Traceback (most recent call last):
    ...
    AttributeError: ...
    """

    def __init__(self, namespace: object) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        node = ox.NamedNode(str(getattr(self._namespace, name)))
        setattr(self, name, node)  # later lookups are plain attribute reads
        return node

    def __getitem__(self, name: str) -> ox.NamedNode:
        return _term_of(self._namespace, name)


@lru_cache(maxsize=4096)
def _term_of(namespace: object, name: str) -> ox.NamedNode:
    return ox.NamedNode(str(namespace[name]))


__all__ = ["OxNamespace", "bcp47_case", "from_ox", "to_ox"]
