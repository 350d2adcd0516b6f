"""Records -> RDF, in the shape of ``docs/graph-model.md``.

Pure functions, no I/O. :func:`article_graph` maps one :class:`~aigraph.records.Extraction` to
the content of that article's named graph; :func:`entity_descriptions` computes the merged
``graph/entities`` content from what the article graphs say about each entity.

An article graph records what the extractor said about each entity *in that article* (its
canonical name ``aig:canonicalName``, the other Simplified forms ``aig:alias``, an English name
``aig:englishName``, a Wikidata ``skos:exactMatch``) rather than ``skos:prefLabel``: two
articles may disagree on the fullest name, and the union of all graphs must still hold exactly
one ``@zh`` preferred label. That preferred label is chosen in the entities graph, and it can be
recomputed from the remaining article graphs after one article is removed.

Examples
--------
>>> from aigraph.records import Article, Extraction, Entity, MentionRef
>>> art = Article(source="a.txt", doc="a.txt", sha256="ab" * 32, encoding="utf-8",
...               original="中国声谷很好", body="中国声谷很好", offsets=tuple(range(6)),
...               sentences=())
>>> park = Entity(key="Park:中国声谷", type="Park", name="中国声谷",
...               mentions=(MentionRef("a.txt", 0, 4, 0, 4),))
>>> g = article_graph(Extraction(article=art, entities=(park,)))
>>> (None, SKOS.prefLabel, None) in g
False
>>> labels = entity_descriptions(g)
>>> sorted(str(o) for o in labels.objects(None, SKOS.prefLabel))
['zhōng guó shēng gǔ', '中国声谷']
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from pypinyin import Style, lazy_pinyin
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from . import __version__, iris
from .config import BASE_IRI, Settings
from .records import ENTITY_TYPES, Evidence, Extraction, Fact, Relation
from .vocab import AIG, AIGM, OA, SDO, WD

#: Language tags of the labels.
ZH = "zh"
PINYIN = "zh-Latn-pinyin"
EN = "en"

_QUOTES = "\"'“”‘’「」『』《》〈〉"

#: Classes of entities, by IRI (to find entity subjects in a graph).
ENTITY_CLASSES: frozenset[URIRef] = frozenset(AIG[t] for t in ENTITY_TYPES)


def _base(settings: Settings | None) -> str:
    return settings.base_iri if settings is not None else BASE_IRI


def normalised_name(name: str) -> str:
    """A name as compared for "fullest form": NFKC (full-width -> half-width), no spaces or quotes.

    Examples
    --------
    >>> normalised_name(" “中国 声谷” ")
    '中国声谷'
    >>> normalised_name("ＡＢＣ")
    'ABC'
    """
    text = unicodedata.normalize("NFKC", name)
    return "".join(ch for ch in text if not ch.isspace() and ch not in _QUOTES)


def fullest_name(names: Iterable[str]) -> str:
    """The fullest of several names: longest after normalisation, ties -> smallest string.

    Examples
    --------
    >>> fullest_name(["科大讯飞", "科大讯飞股份有限公司", "讯飞"])
    '科大讯飞股份有限公司'
    >>> fullest_name(["甲丙", "乙丙"])
    '乙丙'
    """
    candidates = sorted(set(names))
    if not candidates:
        raise ValueError("fullest_name() needs at least one name")
    return min(candidates, key=lambda n: (-len(normalised_name(n)), n))


def pinyin_of(text: str) -> str:
    """Tone-marked pinyin, syllables separated by single spaces.

    Examples
    --------
    >>> pinyin_of("中国声谷")
    'zhōng guó shēng gǔ'
    >>> pinyin_of("AI小镇")
    'AI xiǎo zhèn'
    """
    parts = (p.strip() for p in lazy_pinyin(text, style=Style.TONE))
    return " ".join(" ".join(p.split()) for p in parts if p)


def _type_of_key(key: str) -> str:
    etype, sep, _ = key.partition(":")
    if not sep or etype not in ENTITY_TYPES:
        raise ValueError(f"entity key {key!r} does not start with a contract type")
    return etype


def decimal_literal(value: float) -> Literal:
    """An ``xsd:decimal`` literal in canonical form (as Oxigraph stores it), so a graph read
    back from the store is the graph that was written.

    Examples
    --------
    >>> str(decimal_literal(1060.0)), str(decimal_literal(0.8)), str(decimal_literal(1e-5))
    ('1060', '0.8', '0.00001')
    """
    # repr() of a float is the shortest string that round-trips: stable across runs.
    number = Decimal(repr(float(value)))
    if number == number.to_integral_value():
        text = str(int(number))
    else:
        text = format(number.normalize(), "f")
    return Literal(text, datatype=XSD.decimal)


def run_iri(settings: Settings | None = None) -> URIRef:
    """IRI of the extraction activity: one per software version.

    Examples
    --------
    >>> "/run/extract/" in run_iri()
    True
    """
    return iris.run_iri("extract", "aigraph", __version__, base=_base(settings))


def _add_evidence(
    g: Graph, ev: Evidence, about: URIRef, article: URIRef, run: URIRef, base: str
) -> URIRef:
    node = iris.evidence_iri(ev.article_sha256, ev.start, ev.end, ev.rule, str(about), base=base)
    target = URIRef(f"{node}#target")
    quote_sel = URIRef(f"{node}#quote")
    position_sel = URIRef(f"{node}#position")
    g.add((node, RDF.type, AIG.Evidence))
    g.add((node, RDF.type, OA.Annotation))
    g.add((node, AIG.article, article))
    g.add((node, PROV.wasDerivedFrom, article))
    g.add((node, PROV.wasGeneratedBy, run))
    g.add((node, AIG.quote, Literal(ev.quote, lang=ZH)))
    g.add((node, AIG.sentence, Literal(ev.sentence, lang=ZH)))
    g.add((node, AIG.startOffset, Literal(ev.start, datatype=XSD.integer)))
    g.add((node, AIG.endOffset, Literal(ev.end, datatype=XSD.integer)))
    g.add((node, AIG.rule, Literal(ev.rule)))
    g.add((node, AIG.confidence, decimal_literal(ev.confidence)))
    g.add((node, OA.hasTarget, target))
    g.add((target, OA.hasSource, article))
    g.add((target, OA.hasSelector, quote_sel))
    g.add((target, OA.hasSelector, position_sel))
    g.add((quote_sel, RDF.type, OA.TextQuoteSelector))
    g.add((quote_sel, OA.exact, Literal(ev.quote, lang=ZH)))
    g.add((position_sel, RDF.type, OA.TextPositionSelector))
    g.add((position_sel, OA.start, Literal(ev.start, datatype=XSD.integer)))
    g.add((position_sel, OA.end, Literal(ev.end, datatype=XSD.integer)))
    return node


def _add_relation(g: Graph, rel: Relation, article: URIRef, run: URIRef, base: str) -> None:
    head_key, tail_key = rel.head, rel.tail
    if rel.relation == "cooperatesWith" and tail_key < head_key:
        # The statement is written once, with its ends ordered as statement_iri orders them.
        head_key, tail_key = tail_key, head_key
    head = iris.entity_iri(head_key, base=base)
    tail = iris.entity_iri(tail_key, base=base)
    predicate = AIG[rel.relation]
    for key, node in ((head_key, head), (tail_key, tail)):
        g.add((node, RDF.type, AIG[_type_of_key(key)]))
    g.add((head, predicate, tail))
    if rel.relation == "cooperatesWith":
        g.add((tail, predicate, head))
    statement = iris.statement_iri(head_key, rel.relation, tail_key, rel.role, base=base)
    g.add((statement, RDF.type, AIG.RelationStatement))
    g.add((statement, AIG.head, head))
    g.add((statement, AIG.relation, predicate))
    g.add((statement, AIG.tail, tail))
    if rel.role:
        g.add((statement, AIG.role, Literal(rel.role, lang=ZH)))
    for ev in rel.evidence:
        g.add((statement, AIG.hasEvidence, _add_evidence(g, ev, statement, article, run, base)))


def _add_fact(g: Graph, fact: Fact, article: URIRef, run: URIRef, base: str) -> None:
    subject = iris.entity_iri(fact.subject, base=base)
    g.add((subject, RDF.type, AIG[_type_of_key(fact.subject)]))
    obs = iris.observation_iri(
        fact.subject, fact.metric, fact.value, fact.unit, fact.year, fact.bound, base=base
    )
    g.add((obs, RDF.type, AIG.Observation))
    g.add((obs, AIG.observedEntity, subject))
    g.add((obs, AIG.metric, AIGM[fact.metric]))
    g.add((obs, AIG.value, decimal_literal(fact.value)))
    g.add((obs, AIG.unit, Literal(fact.unit)))
    if fact.year is not None:
        g.add((obs, AIG.year, Literal(f"{fact.year:04d}", datatype=XSD.gYear)))
    if fact.bound:
        g.add((obs, AIG.bound, Literal(fact.bound)))
    for ev in fact.evidence:
        g.add((obs, AIG.hasEvidence, _add_evidence(g, ev, obs, article, run, base)))


def article_graph(extraction: Extraction, settings: Settings | None = None) -> Graph:
    """The content of one article's named graph.

    Parameters
    ----------
    extraction
        What the extractor found in the article.
    settings
        Only ``base_iri`` is used.

    Returns
    -------
    rdflib.Graph
        Identified by :func:`aigraph.iris.article_graph_iri` of the article's hash.

    Examples
    --------
    >>> from aigraph.records import Article, Extraction
    >>> art = Article(source="seeds/a.txt", doc="a.txt", sha256="0" * 64, encoding="utf-8",
    ...               original="正文", body="正文", offsets=(0, 1), sentences=(), title="标题")
    >>> g = article_graph(Extraction(article=art))
    >>> str(g.identifier).endswith("/graph/article/0000000000000000")
    True
    >>> str(next(g.objects(None, SDO.headline)))
    '标题'
    """
    base = _base(settings)
    a = extraction.article
    g = Graph(identifier=iris.article_graph_iri(a.sha256, base=base))
    article = iris.article_iri(a.sha256, base=base)
    run = run_iri(settings)

    g.add((article, RDF.type, AIG.Article))
    if a.title:
        g.add((article, SDO.headline, Literal(a.title, lang=ZH)))
    if a.published:
        g.add((article, SDO.datePublished, Literal(a.published, datatype=XSD.date)))
    g.add((article, AIG.sourceFile, Literal(a.source)))
    g.add((article, AIG.fileName, Literal(a.doc)))
    g.add((article, AIG.sha256, Literal(a.sha256)))
    g.add((article, AIG.encoding, Literal(a.encoding)))
    if extraction.relations or extraction.facts:
        g.add((run, RDF.type, AIG.ExtractionRun))
        g.add((run, RDF.type, PROV.Activity))

    for ent in extraction.entities:
        node = iris.entity_iri(ent.key, base=base)
        g.add((node, RDF.type, AIG[_type_of_key(ent.key)]))
        g.add((node, AIG.mentionedIn, article))
        g.add((node, AIG.canonicalName, Literal(ent.name, lang=ZH)))
        for alias in ent.aliases:
            if alias != ent.name:
                g.add((node, AIG.alias, Literal(alias, lang=ZH)))
        if ent.english:
            g.add((node, AIG.englishName, Literal(ent.english, lang=EN)))
        if ent.wikidata:
            g.add((node, SKOS.exactMatch, WD[ent.wikidata]))
        for ref in ent.mentions:
            if ref.doc != a.doc:
                continue  # a mention in another article belongs to that article's graph
            mention = iris.mention_iri(
                a.sha256, ref.original_start, ref.original_end, ent.key, base=base
            )
            g.add((node, AIG.hasMention, mention))
            g.add((mention, RDF.type, AIG.Mention))
            g.add((mention, AIG.article, article))
            surface = a.original[ref.original_start : ref.original_end]
            g.add((mention, AIG.surfaceForm, Literal(surface, lang=ZH)))
            g.add((mention, AIG.startOffset, Literal(ref.original_start, datatype=XSD.integer)))
            g.add((mention, AIG.endOffset, Literal(ref.original_end, datatype=XSD.integer)))

    # A relation end or fact subject the extractor did not list as an entity still gets a
    # name (the one in its key), so the entities graph can label it.
    declared = {ent.key for ent in extraction.entities}
    ends = {k for rel in extraction.relations for k in (rel.head, rel.tail)}
    ends |= {fact.subject for fact in extraction.facts}
    for key in sorted(ends - declared):
        node = iris.entity_iri(key, base=base)
        g.add((node, AIG.canonicalName, Literal(key.partition(":")[2], lang=ZH)))

    for rel in extraction.relations:
        _add_relation(g, rel, article, run, base)
    for fact in extraction.facts:
        _add_fact(g, fact, article, run, base)
    return g


def extraction_to_quads(
    extraction: Extraction, settings: Settings | None = None
) -> list[tuple[URIRef, URIRef, object, URIRef]]:
    """The article graph as sorted ``(s, p, o, graph)`` quads.

    Examples
    --------
    >>> from aigraph.records import Article, Extraction
    >>> art = Article(source="a.txt", doc="a.txt", sha256="1" * 64, encoding="utf-8",
    ...               original="正文", body="正文", offsets=(0, 1), sentences=())
    >>> quads = extraction_to_quads(Extraction(article=art))
    >>> len(quads), quads == sorted(quads)
    (5, True)
    """
    g = article_graph(extraction, settings)
    return sorted((s, p, o, g.identifier) for s, p, o in g)


def entity_descriptions(triples: Iterable[tuple], settings: Settings | None = None) -> Graph:
    """The merged ``graph/entities`` content from what article graphs say about entities.

    Parameters
    ----------
    triples
        Triples (or an rdflib Graph) of one or more article graphs; only the entity-level
        statements (type, ``aig:canonicalName``, ``aig:alias``, ``aig:englishName``,
        ``skos:exactMatch``) are read. Give the triples of *all* article graphs about the
        entities to describe.

    Returns
    -------
    rdflib.Graph
        Identified by :func:`aigraph.iris.entities_graph_iri`. Per entity: its type, one
        ``@zh`` ``skos:prefLabel`` (the fullest canonical name), its pinyin ``prefLabel``,
        an ``@en`` ``prefLabel`` where known, ``skos:altLabel`` for every other form,
        ``rdfs:label @zh``, ``skos:exactMatch`` to Wikidata.

    Examples
    --------
    >>> from rdflib import Graph, Literal, URIRef
    >>> e = URIRef("https://w3id.org/aigraph/id/firm/1")
    >>> g = Graph()
    >>> g.add((e, RDF.type, AIG.Firm))  # doctest: +ELLIPSIS
    <Graph ...>
    >>> for name in ("科大讯飞", "科大讯飞股份有限公司"):
    ...     _ = g.add((e, AIG.canonicalName, Literal(name, lang="zh")))
    >>> d = entity_descriptions(g)
    >>> str(d.value(e, RDFS.label)), [str(x) for x in d.objects(e, SKOS.altLabel)]
    ('科大讯飞股份有限公司', ['科大讯飞'])
    """
    types: dict[URIRef, set[URIRef]] = defaultdict(set)
    canonical: dict[URIRef, set[str]] = defaultdict(set)
    aliases: dict[URIRef, set[str]] = defaultdict(set)
    english: dict[URIRef, set[str]] = defaultdict(set)
    matches: dict[URIRef, set[URIRef]] = defaultdict(set)
    for s, p, o in triples:
        if p == RDF.type and o in ENTITY_CLASSES:
            types[s].add(o)
        elif p == AIG.canonicalName:
            canonical[s].add(str(o))
        elif p == AIG.alias:
            aliases[s].add(str(o))
        elif p == AIG.englishName:
            english[s].add(str(o))
        elif p == SKOS.exactMatch and isinstance(o, URIRef) and str(o).startswith(str(WD)):
            matches[s].add(o)

    out = Graph(identifier=iris.entities_graph_iri(base=_base(settings)))
    for node in sorted(set(types) | set(canonical)):
        for cls in sorted(types[node]):
            out.add((node, RDF.type, cls))
        if not canonical[node]:
            continue  # an entity only ever named as a relation end: nothing to label it with
        pref = fullest_name(canonical[node])
        out.add((node, SKOS.prefLabel, Literal(pref, lang=ZH)))
        out.add((node, RDFS.label, Literal(pref, lang=ZH)))
        out.add((node, SKOS.prefLabel, Literal(pinyin_of(pref), lang=PINYIN)))
        for alt in sorted((canonical[node] | aliases[node]) - {pref}):
            out.add((node, SKOS.altLabel, Literal(alt, lang=ZH)))
        if english[node]:
            out.add((node, SKOS.prefLabel, Literal(fullest_name(english[node]), lang=EN)))
        for match in sorted(matches[node]):
            out.add((node, SKOS.exactMatch, match))
    return out


#: Predicates of article graphs that :func:`entity_descriptions` reads.
DESCRIPTION_PREDICATES: tuple[URIRef, ...] = (
    RDF.type,
    AIG.canonicalName,
    AIG.alias,
    AIG.englishName,
    SKOS.exactMatch,
)

__all__ = [
    "DESCRIPTION_PREDICATES",
    "ENTITY_CLASSES",
    "article_graph",
    "decimal_literal",
    "entity_descriptions",
    "extraction_to_quads",
    "fullest_name",
    "normalised_name",
    "pinyin_of",
    "run_iri",
]
