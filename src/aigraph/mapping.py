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
from functools import lru_cache

import pyoxigraph as ox
from pypinyin import Style, lazy_pinyin
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from . import __version__, iris
from .config import BASE_IRI, Settings
from .records import ENTITY_TYPES, Evidence, Extraction, Fact, Relation
from .terms import OxNamespace, from_ox, to_ox
from .vocab import AIG, AIGM, OA, SDO, WD

#: Language tags of the labels.
ZH = "zh"
PINYIN = "zh-Latn-pinyin"
EN = "en"

_QUOTES = "\"'“”‘’「」『』《》〈〉"

#: Classes of entities, by IRI (to find entity subjects in a graph).
ENTITY_CLASSES: frozenset[URIRef] = frozenset(AIG[t] for t in ENTITY_TYPES)
_ENTITY_CLASS_IRIS: frozenset[str] = frozenset(str(c) for c in ENTITY_CLASSES)


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


@lru_cache(maxsize=1 << 16)
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
    return Literal(_decimal_text(value), datatype=XSD.decimal)


def _decimal_text(value: float) -> str:
    # repr() of a float is the shortest string that round-trips: stable across runs.
    number = Decimal(repr(float(value)))
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def run_iri(settings: Settings | None = None) -> URIRef:
    """IRI of the extraction activity: one per software version.

    Examples
    --------
    >>> "/run/extract/" in run_iri()
    True
    """
    return iris.run_iri("extract", "aigraph", __version__, base=_base(settings))


# pyoxigraph terms of the vocabulary, made once
_RDF = OxNamespace(RDF)
_RDFS = OxNamespace(RDFS)
_XSD = OxNamespace(XSD)
_PROV = OxNamespace(PROV)
_SKOS = OxNamespace(SKOS)
_AIG = OxNamespace(AIG)
_AIGM = OxNamespace(AIGM)
_OA = OxNamespace(OA)
_SDO = OxNamespace(SDO)


def _zh(text: str) -> ox.Literal:
    return ox.Literal(text, language=ZH)


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(int(value)), datatype=_XSD.integer)


def _decimal(value: float) -> ox.Literal:
    return ox.Literal(_decimal_text(value), datatype=_XSD.decimal)


def _node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


class _Triples:
    """The triples of one named graph as ``(s, p, o)`` tuples of pyoxigraph terms, in mapping
    order (duplicates allowed: a store and an rdflib Graph both keep each triple once).

    Tuples, not ``pyoxigraph.Quad`` objects: the store makes two quads of each triple (the
    article graph and the merged default graph), and reading a Quad's terms back copies them.
    """

    def __init__(self) -> None:
        self.triples: list[tuple] = []
        #: passages already described (a passage is shared by all the evidence quoting it)
        self.passages: set[str] = set()

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: object) -> None:
        self.triples.append((s, p, o))


def _add_passage(
    g: _Triples, ev: Evidence, article: ox.NamedNode, base: str, quote: ox.Literal
) -> ox.NamedNode:
    """The Web Annotation target of ``ev``: its passage of the article, with a quote selector
    and a position selector (described once per article graph however much evidence cites it)."""
    iri = str(iris.passage_iri(ev.article_sha256, ev.start, ev.end, base=base))
    target = _node(iri)
    if iri in g.passages:
        return target
    g.passages.add(iri)
    quote_sel = _node(f"{iri}#quote")
    position_sel = _node(f"{iri}#position")
    g.add(target, _OA.hasSource, article)
    g.add(target, _OA.hasSelector, quote_sel)
    g.add(target, _OA.hasSelector, position_sel)
    g.add(quote_sel, _RDF.type, _OA.TextQuoteSelector)
    g.add(quote_sel, _OA.exact, quote)
    g.add(position_sel, _RDF.type, _OA.TextPositionSelector)
    g.add(position_sel, _OA.start, _integer(ev.start))
    g.add(position_sel, _OA.end, _integer(ev.end))
    return target


def _add_evidence(
    g: _Triples, ev: Evidence, about: str, article: ox.NamedNode, run: ox.NamedNode, base: str
) -> ox.NamedNode:
    iri = str(iris.evidence_iri(ev.article_sha256, ev.start, ev.end, ev.rule, about, base=base))
    node = _node(iri)
    quote = _zh(ev.quote)
    g.add(node, _RDF.type, _AIG.Evidence)
    g.add(node, _RDF.type, _OA.Annotation)
    g.add(node, _AIG.article, article)
    g.add(node, _PROV.wasDerivedFrom, article)
    g.add(node, _PROV.wasGeneratedBy, run)
    g.add(node, _AIG.quote, quote)
    g.add(node, _AIG.sentence, _zh(ev.sentence))
    g.add(node, _AIG.startOffset, _integer(ev.start))
    g.add(node, _AIG.endOffset, _integer(ev.end))
    g.add(node, _AIG.rule, ox.Literal(ev.rule))
    g.add(node, _AIG.confidence, _decimal(ev.confidence))
    g.add(node, _OA.hasTarget, _add_passage(g, ev, article, base, quote))
    return node


def _entity(key: str, base: str) -> ox.NamedNode:
    return _node(str(iris.entity_iri(key, base=base)))


def _add_relation(
    g: _Triples, rel: Relation, article: ox.NamedNode, run: ox.NamedNode, base: str
) -> None:
    head_key, tail_key = rel.head, rel.tail
    if rel.relation == "cooperatesWith" and tail_key < head_key:
        # The statement is written once, with its ends ordered as statement_iri orders them.
        head_key, tail_key = tail_key, head_key
    head = _entity(head_key, base)
    tail = _entity(tail_key, base)
    predicate = _AIG[rel.relation]
    for key, node in ((head_key, head), (tail_key, tail)):
        g.add(node, _RDF.type, _AIG[_type_of_key(key)])
    g.add(head, predicate, tail)
    if rel.relation == "cooperatesWith":
        g.add(tail, predicate, head)
    statement_iri = str(iris.statement_iri(head_key, rel.relation, tail_key, rel.role, base=base))
    statement = _node(statement_iri)
    g.add(statement, _RDF.type, _AIG.RelationStatement)
    g.add(statement, _AIG.head, head)
    g.add(statement, _AIG.relation, predicate)
    g.add(statement, _AIG.tail, tail)
    if rel.role:
        g.add(statement, _AIG.role, _zh(rel.role))
    for ev in rel.evidence:
        g.add(
            statement,
            _AIG.hasEvidence,
            _add_evidence(g, ev, statement_iri, article, run, base),
        )


def _add_fact(g: _Triples, fact: Fact, article: ox.NamedNode, run: ox.NamedNode, base: str) -> None:
    subject = _entity(fact.subject, base)
    g.add(subject, _RDF.type, _AIG[_type_of_key(fact.subject)])
    obs_iri = str(
        iris.observation_iri(
            fact.subject, fact.metric, fact.value, fact.unit, fact.year, fact.bound, base=base
        )
    )
    obs = _node(obs_iri)
    g.add(obs, _RDF.type, _AIG.Observation)
    g.add(obs, _AIG.observedEntity, subject)
    g.add(obs, _AIG.metric, _AIGM[fact.metric])
    g.add(obs, _AIG.value, _decimal(fact.value))
    g.add(obs, _AIG.unit, ox.Literal(fact.unit))
    if fact.year is not None:
        g.add(obs, _AIG.year, ox.Literal(f"{fact.year:04d}", datatype=_XSD.gYear))
    if fact.bound:
        g.add(obs, _AIG.bound, ox.Literal(fact.bound))
    for ev in fact.evidence:
        g.add(obs, _AIG.hasEvidence, _add_evidence(g, ev, obs_iri, article, run, base))


def article_triples(
    extraction: Extraction, settings: Settings | None = None
) -> tuple[ox.NamedNode, list[tuple]]:
    """The name and content of one article's named graph, as ``(s, p, o)`` tuples of
    pyoxigraph terms (what the store writes).

    Parameters
    ----------
    extraction
        What the extractor found in the article.
    settings
        Only ``base_iri`` is used.

    Returns
    -------
    graph : pyoxigraph.NamedNode
        :func:`aigraph.iris.article_graph_iri` of the article's hash.
    triples : list of tuple
        A triple may appear more than once (stores keep it once).

    Examples
    --------
    >>> from aigraph.records import Article, Extraction
    >>> art = Article(source="a.txt", doc="a.txt", sha256="2" * 64, encoding="utf-8",
    ...               original="正文", body="正文", offsets=(0, 1), sentences=())
    >>> graph, triples = article_triples(Extraction(article=art))
    >>> len(triples), graph.value.endswith("/graph/article/2222222222222222")
    (5, True)
    """
    base = _base(settings)
    a = extraction.article
    g = _Triples()
    article = _node(str(iris.article_iri(a.sha256, base=base)))
    run = _node(str(run_iri(settings)))

    g.add(article, _RDF.type, _AIG.Article)
    if a.title:
        g.add(article, _SDO.headline, _zh(a.title))
    if a.published:
        g.add(article, _SDO.datePublished, ox.Literal(a.published, datatype=_XSD.date))
    g.add(article, _AIG.sourceFile, ox.Literal(a.source))
    g.add(article, _AIG.fileName, ox.Literal(a.doc))
    g.add(article, _AIG.sha256, ox.Literal(a.sha256))
    g.add(article, _AIG.encoding, ox.Literal(a.encoding))
    if extraction.relations or extraction.facts:
        g.add(run, _RDF.type, _AIG.ExtractionRun)
        g.add(run, _RDF.type, _PROV.Activity)

    for ent in extraction.entities:
        node = _entity(ent.key, base)
        g.add(node, _RDF.type, _AIG[_type_of_key(ent.key)])
        g.add(node, _AIG.mentionedIn, article)
        g.add(node, _AIG.canonicalName, _zh(ent.name))
        for alias in ent.aliases:
            if alias != ent.name:
                g.add(node, _AIG.alias, _zh(alias))
        if ent.english:
            g.add(node, _AIG.englishName, ox.Literal(ent.english, language=EN))
        if ent.wikidata:
            g.add(node, _SKOS.exactMatch, _node(f"{WD}{ent.wikidata}"))
        for ref in ent.mentions:
            if ref.doc != a.doc:
                continue  # a mention in another article belongs to that article's graph
            mention = _node(
                str(
                    iris.mention_iri(
                        a.sha256, ref.original_start, ref.original_end, ent.key, base=base
                    )
                )
            )
            g.add(node, _AIG.hasMention, mention)
            g.add(mention, _RDF.type, _AIG.Mention)
            g.add(mention, _AIG.article, article)
            surface = a.original[ref.original_start : ref.original_end]
            g.add(mention, _AIG.surfaceForm, _zh(surface))
            g.add(mention, _AIG.startOffset, _integer(ref.original_start))
            g.add(mention, _AIG.endOffset, _integer(ref.original_end))

    # A relation end or fact subject the extractor did not list as an entity still gets a
    # name (the one in its key), so the entities graph can label it.
    declared = {ent.key for ent in extraction.entities}
    ends = {k for rel in extraction.relations for k in (rel.head, rel.tail)}
    ends |= {fact.subject for fact in extraction.facts}
    for key in sorted(ends - declared):
        g.add(_entity(key, base), _AIG.canonicalName, _zh(key.partition(":")[2]))

    for rel in extraction.relations:
        _add_relation(g, rel, article, run, base)
    for fact in extraction.facts:
        _add_fact(g, fact, article, run, base)
    return _node(str(iris.article_graph_iri(a.sha256, base=base))), g.triples


def article_graph(extraction: Extraction, settings: Settings | None = None) -> Graph:
    """The content of one article's named graph, as an rdflib Graph (see :func:`article_triples`).

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
    name, triples = article_triples(extraction, settings)
    g = Graph(identifier=URIRef(name.value))
    for s, p, o in triples:
        g.add((from_ox(s), from_ox(p), from_ox(o)))
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


def entity_description_quads(
    triples: Iterable[tuple], settings: Settings | None = None
) -> list[ox.Quad]:
    """The merged ``graph/entities`` content, from pyoxigraph ``(s, p, o)`` triples of article
    graphs (what the store reads); see :func:`entity_descriptions`.

    Examples
    --------
    >>> e = ox.NamedNode("https://w3id.org/aigraph/id/firm/1")
    >>> quads = entity_description_quads([(e, _AIG.canonicalName, ox.Literal("讯飞", language="zh"))])
    >>> sorted(str(q.object) for q in quads if q.predicate == _SKOS.prefLabel)
    ['"xùn fēi"@zh-latn-pinyin', '"讯飞"@zh']
    """
    types: dict[str, set[str]] = defaultdict(set)
    canonical: dict[str, set[str]] = defaultdict(set)
    aliases: dict[str, set[str]] = defaultdict(set)
    english: dict[str, set[str]] = defaultdict(set)
    matches: dict[str, set[str]] = defaultdict(set)
    classes = _ENTITY_CLASS_IRIS
    wikidata = str(WD)
    for s, p, o in triples:
        if p == _RDF.type:
            if isinstance(o, ox.NamedNode) and o.value in classes:
                types[s.value].add(o.value)
        elif p == _AIG.canonicalName:
            canonical[s.value].add(o.value)
        elif p == _AIG.alias:
            aliases[s.value].add(o.value)
        elif p == _AIG.englishName:
            english[s.value].add(o.value)
        elif p == _SKOS.exactMatch and isinstance(o, ox.NamedNode) and o.value.startswith(wikidata):
            matches[s.value].add(o.value)

    graph = _node(str(iris.entities_graph_iri(base=_base(settings))))
    out: list[ox.Quad] = []
    for iri in sorted(set(types) | set(canonical)):
        node = _node(iri)
        for cls in sorted(types[iri]):
            out.append(ox.Quad(node, _RDF.type, _node(cls), graph))
        if not canonical[iri]:
            continue  # an entity only ever named as a relation end: nothing to label it with
        pref = fullest_name(canonical[iri])
        out.append(ox.Quad(node, _SKOS.prefLabel, _zh(pref), graph))
        out.append(ox.Quad(node, _RDFS.label, _zh(pref), graph))
        pinyin = ox.Literal(pinyin_of(pref), language=PINYIN)
        out.append(ox.Quad(node, _SKOS.prefLabel, pinyin, graph))
        for alt in sorted((canonical[iri] | aliases[iri]) - {pref}):
            out.append(ox.Quad(node, _SKOS.altLabel, _zh(alt), graph))
        if english[iri]:
            name = ox.Literal(fullest_name(english[iri]), language=EN)
            out.append(ox.Quad(node, _SKOS.prefLabel, name, graph))
        for match in sorted(matches[iri]):
            out.append(ox.Quad(node, _SKOS.exactMatch, _node(match), graph))
    return out


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
    wanted = set(DESCRIPTION_PREDICATES)
    converted = [(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples if p in wanted]
    out = Graph(identifier=iris.entities_graph_iri(base=_base(settings)))
    for q in entity_description_quads(converted, settings):
        out.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
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
    "article_triples",
    "decimal_literal",
    "entity_description_quads",
    "entity_descriptions",
    "extraction_to_quads",
    "fullest_name",
    "normalised_name",
    "pinyin_of",
    "run_iri",
]
