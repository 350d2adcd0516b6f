"""Write docs/ontology.md: the classes, properties and metrics of ontology/aigraph.ttl.

Each class comes with its labels, definition, superclasses and an example instance; each
property with its labels, definition, kind, domain and range and an example triple. Examples
are taken from a small example graph (``tests/data/graph/mini.trig``, hand-built records run
through the real mapping): for every term the first triple in sorted N-Triples order, so the
page is the same on every run. A term the example graph does not use gets a schematic example
made of its domain and range.

Usage::

    .venv/bin/python docs/make_ontology_page.py           # rewrite docs/ontology.md
    .venv/bin/python docs/make_ontology_page.py --check   # exit 1 when the page is out of date

Examples
--------
>>> page = render_page()
>>> page.startswith("# The aigraph ontology")
True
>>> "| `aig:locatedIn` |" in page
True
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

from rdflib import OWL, RDF, RDFS, BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SKOS

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "aigraph.ttl"
EXAMPLES = ROOT / "tests" / "data" / "graph" / "mini.trig"
PAGE = ROOT / "docs" / "ontology.md"

PREFIXES = {
    "aig": "https://w3id.org/aigraph/ontology#",
    "aigm": "https://w3id.org/aigraph/metric/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "sdo": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "sosa": "http://www.w3.org/ns/sosa/",
    "qb": "http://purl.org/linked-data/cube#",
    "dcterms": "http://purl.org/dc/terms/",
}
BASE = "https://w3id.org/aigraph/"
PROPERTY_KINDS = (
    (OWL.ObjectProperty, "object"),
    (OWL.DatatypeProperty, "datatype"),
    (OWL.AnnotationProperty, "annotation"),
)


def curie(term: object) -> str:
    """``aig:Park`` for a known namespace, ``<…/id/park/…>`` for aigraph data, else ``<iri>``."""
    text = str(term)
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(ns) and text[len(ns) :].replace("_", "").isalnum():
            return f"{prefix}:{text[len(ns) :]}"
    if text.startswith(BASE):
        return f"<…/{text[len(BASE) :]}>"
    return f"<{text}>"


def _lang(graph: Graph, subject: object, predicate: URIRef, lang: str) -> str:
    values = sorted(
        str(o)
        for o in graph.objects(subject, predicate)
        if isinstance(o, Literal) and o.language == lang
    )
    return values[0] if values else ""


def _cell(text: str) -> str:
    """Markdown table cell: pipes escaped, line breaks flattened."""
    return " ".join(text.split()).replace("|", "\\|")


def class_expression(graph: Graph, node: object) -> str:
    """A class or an ``owl:unionOf`` of classes, as ``aig:Firm ∪ aig:Park``."""
    if isinstance(node, BNode):
        union = graph.value(node, OWL.unionOf)
        if union is not None:
            return " ∪ ".join(curie(m) for m in Collection(graph, union))
        return "(anonymous class)"
    return curie(node)


def _members(graph: Graph, node: object) -> list[URIRef]:
    if isinstance(node, BNode):
        union = graph.value(node, OWL.unionOf)
        return [m for m in Collection(graph, union)] if union is not None else []
    return [node] if isinstance(node, URIRef) else []


def literal_text(term: object) -> str:
    """A term as it reads in Turtle (short literals, CURIEs)."""
    if isinstance(term, Literal):
        value = str(term)
        if len(value) > 40:
            value = value[:39] + "…"
        value = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
        if term.language:
            return f'"{value}"@{term.language}'
        if term.datatype is not None:
            return f'"{value}"^^{curie(term.datatype)}'
        return f'"{value}"'
    return curie(term)


class Examples:
    """First triples (in sorted N-Triples order) of each class and property in a graph."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._by_predicate: dict[URIRef, tuple] = {}
        for s, p, o in sorted(graph, key=lambda t: tuple(x.n3() for x in t)):
            if isinstance(s, BNode) or isinstance(o, BNode):
                continue  # blank node ids differ between parses
            self._by_predicate.setdefault(p, (s, p, o))
            if p == RDF.type:
                self._by_predicate.setdefault(o, (s, p, o))

    def label(self, node: object) -> str:
        text = _lang(self.graph, node, SKOS.prefLabel, "zh")
        return f"  # {text}" if text else ""

    def of(self, term: URIRef) -> tuple | None:
        return self._by_predicate.get(term)

    def line(self, triple: tuple) -> str:
        s, p, o = triple
        comments = [c for c in (self.label(s).strip(" #"), self.label(o).strip(" #")) if c]
        note = f"  # {' → '.join(comments)}" if comments else ""
        verb = "a" if p == RDF.type else curie(p)
        return f"{curie(s)} {verb} {literal_text(o)} .{note}"


def _schematic(graph: Graph, prop: URIRef) -> str:
    domain = graph.value(prop, RDFS.domain)
    range_ = graph.value(prop, RDFS.range)
    head = _members(graph, domain)[:1]
    tail = _members(graph, range_)[:1]
    subject = f"[a {curie(head[0])}]" if head else "[]"
    if tail and str(tail[0]).startswith(PREFIXES["xsd"]):
        obj = f'"…"^^{curie(tail[0])}'
    elif tail and tail[0] == RDF.langString:
        obj = '"…"@zh'
    elif tail:
        obj = f"[a {curie(tail[0])}]"
    else:
        obj = '"…"' if (prop, RDF.type, OWL.DatatypeProperty) in graph else "[]"
    return f"{subject} {curie(prop)} {obj} .  # schematic: not used in the example graph"


def _terms(graph: Graph, kinds: Iterable[URIRef]) -> list[URIRef]:
    found = {s for k in kinds for s in graph.subjects(RDF.type, k) if isinstance(s, URIRef)}
    return sorted(found, key=str)


def render_page(ontology: Path = ONTOLOGY, examples: Path = EXAMPLES) -> str:
    """The whole Markdown page."""
    onto = Graph().parse(ontology, format="turtle")
    data = Dataset(default_union=True)
    data.parse(examples, format="trig")
    union = Graph()
    for triple in data.triples((None, None, None)):
        union.add(triple)
    # The analysis triples (centralities, communities, runs) of the same example graph: the
    # analysis is seeded and rounds its scores, so they are the same on every run.
    from aigraph.analysis import AnalysisOptions, analyse
    from aigraph.analysis.results import to_rdf

    for triple in to_rdf(analyse(data, AnalysisOptions(projection="all", seed=42))):
        union.add(triple)
    for metric in onto.subjects(RDF.type, OWL.NamedIndividual):  # the metric individuals
        union.add((metric, RDF.type, URIRef(PREFIXES["aig"] + "Metric")))
    ex = Examples(union)

    title_en = _lang(onto, URIRef("https://w3id.org/aigraph/ontology"), RDFS.label, "en")
    lines = [
        "# The aigraph ontology",
        "",
        "<!-- Generated by docs/make_ontology_page.py from ontology/aigraph.ttl; do not edit. -->",
        "",
        f"{title_en}: `https://w3id.org/aigraph/ontology#` (prefix `aig:`); metrics are "
        "individuals under `https://w3id.org/aigraph/metric/` (prefix `aigm:`). How the terms "
        "combine into entities, statements, evidence and observations is described in "
        "[graph-model.md](graph-model.md). Examples come from the example graph "
        f"`{examples.relative_to(ROOT).as_posix()}` and its analysis; IRIs of data are shortened to `<…/id/…>`.",
        "",
        "Prefixes: " + ", ".join(f"`{p}:` {ns}" for p, ns in sorted(PREFIXES.items())) + ".",
        "",
        "## Classes",
        "",
        "| class | 中文 | English | subclass of | definition |",
        "|---|---|---|---|---|",
    ]
    classes = _terms(onto, [OWL.Class])
    for cls in classes:
        supers = ", ".join(
            sorted(curie(s) for s in onto.objects(cls, RDFS.subClassOf) if isinstance(s, URIRef))
        )
        lines.append(
            f"| `{curie(cls)}` | {_cell(_lang(onto, cls, RDFS.label, 'zh'))} | "
            f"{_cell(_lang(onto, cls, RDFS.label, 'en'))} | {supers} | "
            f"{_cell(_lang(onto, cls, SKOS.definition, 'en'))} |"
        )
    lines += ["", "Example instance of each class:", "", "```turtle"]
    for cls in classes:
        triple = ex.of(cls)
        lines.append(
            ex.line(triple)
            if triple
            else f"[] a {curie(cls)} .  # schematic: not used in the example graph"
        )
    lines += ["```", ""]

    for kind, name in PROPERTY_KINDS:
        props = [
            p
            for p in _terms(onto, [kind])
            if kind != OWL.DatatypeProperty or (p, RDF.type, OWL.ObjectProperty) not in onto
        ]
        if not props:
            continue
        lines += [
            f"## {name.capitalize()} properties",
            "",
            "| property | 中文 | English | domain | range | characteristics | definition |",
            "|---|---|---|---|---|---|---|",
        ]
        for prop in props:
            traits = sorted(
                curie(t).removeprefix("owl:").removesuffix("Property")
                for t in onto.objects(prop, RDF.type)
                if t != kind
            )
            parents = sorted(curie(s) for s in onto.objects(prop, RDFS.subPropertyOf))
            traits += [f"sub-property of {p}" for p in parents]
            domain = onto.value(prop, RDFS.domain)
            range_ = onto.value(prop, RDFS.range)
            lines.append(
                f"| `{curie(prop)}` | {_cell(_lang(onto, prop, RDFS.label, 'zh'))} | "
                f"{_cell(_lang(onto, prop, RDFS.label, 'en'))} | "
                f"{class_expression(onto, domain) if domain is not None else '–'} | "
                f"{class_expression(onto, range_) if range_ is not None else '–'} | "
                f"{', '.join(traits) or '–'} | {_cell(_lang(onto, prop, SKOS.definition, 'en'))} |"
            )
        lines += ["", "Example triple of each:", "", "```turtle"]
        for prop in props:
            triple = ex.of(prop)
            lines.append(ex.line(triple) if triple else _schematic(onto, prop))
        lines += ["```", ""]

    metrics = sorted(
        (s for s in onto.subjects(RDF.type, OWL.NamedIndividual) if isinstance(s, URIRef)), key=str
    )
    if metrics:
        lines += [
            "## Metrics (individuals of `aig:Metric`)",
            "",
            "| metric | 中文 | English |",
            "|---|---|---|",
        ]
        for m in metrics:
            lines.append(
                f"| `{curie(m)}` | {_cell(_lang(onto, m, RDFS.label, 'zh'))} | "
                f"{_cell(_lang(onto, m, RDFS.label, 'en'))} |"
            )
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write docs/ontology.md from ontology/aigraph.ttl")
    parser.add_argument("--check", action="store_true", help="exit 1 if the page is out of date")
    args = parser.parse_args(argv)
    page = render_page()
    if args.check:
        current = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
        if current != page:
            print(f"{PAGE} is out of date: run .venv/bin/python docs/make_ontology_page.py")
            return 1
        print(f"{PAGE} is up to date")
        return 0
    sys.path.insert(0, str(ROOT / "src"))
    from aigraph.fsutil import atomic_write_text

    atomic_write_text(PAGE, page)
    print(f"wrote {PAGE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
