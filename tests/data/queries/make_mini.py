"""Regenerate ``mini.trig``: a small hand-designed graph in the shape of docs/graph-model.md.

Run from the repository root: ``.venv/bin/python tests/data/queries/make_mini.py``.
The expected answers in ``tests/test_queries.py`` were checked by hand against the facts listed
here (deterministic: the same triples and IRIs every run).
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Dataset, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from aigraph import iris
from aigraph.fsutil import atomic_write_text
from aigraph.publish import trig_text
from aigraph.store import memory_store
from aigraph.vocab import AIG, AIGM, OA, SDO

OUT = Path(__file__).with_name("mini.trig")

# name -> (type, pinyin, english, alt labels)
ENTITIES = {
    "江苏省": ("Province", "jiāng sū shěng", "Jiangsu", ["江苏"]),
    "湖北省": ("Province", "hú běi shěng", "Hubei", ["湖北"]),
    "湖南省": ("Province", "hú nán shěng", "Hunan", ["湖南"]),
    "安徽省": ("Province", "ān huī shěng", "Anhui", ["安徽"]),
    "江西省": ("Province", "jiāng xī shěng", "Jiangxi", ["江西"]),
    "苏州市": ("City", "sū zhōu shì", "Suzhou", ["苏州"]),
    "武汉市": ("City", "wǔ hàn shì", "Wuhan", ["武汉"]),
    "长沙市": ("City", "cháng shā shì", "Changsha", ["长沙"]),
    "合肥市": ("City", "hé féi shì", "Hefei", ["合肥"]),
    "南昌市": ("City", "nán chāng shì", "Nanchang", ["南昌"]),
    "苏州工业园区": ("Park", "sū zhōu gōng yè yuán qū", "Suzhou Industrial Park", ["苏州园区"]),
    "苏州人工智能产业园": ("Park", "sū zhōu rén gōng zhì néng chǎn yè yuán", None, []),
    "中国声谷": ("Park", "zhōng guó shēng gǔ", "China Speech Valley", ["中国声谷人工智能产业基地"]),
    "中国声谷合肥高新区": (
        "Park",
        "zhōng guó shēng gǔ hé féi gāo xīn qū",
        None,
        ["合肥高新区", "高新区"],
    ),
    "武汉东湖高新区": ("Park", "wǔ hàn dōng hú gāo xīn qū", "Optics Valley", ["光谷", "高新区"]),
    "科大讯飞": ("Firm", "kē dà xùn fēi", "iFLYTEK", ["讯飞"]),
    "思必驰": ("Firm", "sī bì chí", "AISpeech", []),
    "华为": ("Firm", "huá wéi", "Huawei", []),
    "小米": ("Firm", "xiǎo mǐ", "Xiaomi", []),
    "工业和信息化部": ("Agency", "gōng yè hé xìn xī huà bù", "MIIT", ["工信部"]),
    "安徽省人民政府": ("Agency", "ān huī shěng rén mín zhèng fǔ", None, ["安徽省政府"]),
    "苏州工业园区管委会": ("Agency", "sū zhōu gōng yè yuán qū guǎn wěi huì", None, []),
    "苏州工业园区人工智能产业发展行动计划": (
        "Policy",
        "sū zhōu gōng yè yuán qū rén gōng zhì néng chǎn yè fā zhǎn xíng dòng jì huà",
        None,
        [],
    ),
    "安徽省人工智能产业发展规划": (
        "Policy",
        "ān huī shěng rén gōng zhì néng chǎn yè fā zhǎn guī huà",
        None,
        [],
    ),
    "中国声谷技术创新服务综合体": (
        "Platform",
        "zhōng guó shēng gǔ jì shù chuàng xīn fú wù zōng hé tǐ",
        None,
        [],
    ),
    "苏州人工智能开放平台": ("Platform", "sū zhōu rén gōng zhì néng kāi fàng píng tái", None, []),
    "类脑智能开放平台": ("Platform", "lèi nǎo zhì néng kāi fàng píng tái", None, []),
    "中国科学技术大学": ("Institution", "zhōng guó kē xué jì shù dà xué", "USTC", ["中科大"]),
    "人工智能": ("Industry", "rén gōng zhì néng", "artificial intelligence", ["AI"]),
    "刘庆峰": ("Person", "liú qìng fēng", None, []),
}

# (head, relation, tail, articles stating it, role)
RELATIONS = [
    ("苏州市", "locatedIn", "江苏省", ["A"], None),
    ("武汉市", "locatedIn", "湖北省", ["B"], None),
    ("长沙市", "locatedIn", "湖南省", ["B"], None),
    ("合肥市", "locatedIn", "安徽省", ["A"], None),
    ("南昌市", "locatedIn", "江西省", ["B"], None),
    ("苏州工业园区", "locatedIn", "苏州市", ["A"], None),
    ("苏州人工智能产业园", "partOf", "苏州工业园区", ["A"], None),
    ("中国声谷", "locatedIn", "合肥市", ["A", "B"], None),
    ("中国声谷合肥高新区", "partOf", "中国声谷", ["A"], None),
    ("武汉东湖高新区", "locatedIn", "武汉市", ["B"], None),
    ("科大讯飞", "locatedIn", "中国声谷合肥高新区", ["A", "B"], None),
    ("科大讯飞", "locatedIn", "苏州人工智能产业园", ["A"], None),
    ("思必驰", "locatedIn", "苏州人工智能产业园", ["A", "B"], None),
    ("华为", "locatedIn", "苏州工业园区", ["A"], None),
    ("小米", "locatedIn", "武汉东湖高新区", ["B"], None),
    ("中国科学技术大学", "locatedIn", "合肥市", ["A"], None),
    ("中国声谷", "approvedBy", "工业和信息化部", ["A"], None),
    ("工业和信息化部", "supports", "中国声谷", ["A"], None),
    ("类脑智能开放平台", "approvedBy", "工业和信息化部", ["A"], None),
    ("苏州工业园区人工智能产业发展行动计划", "supports", "苏州工业园区", ["A"], None),
    ("苏州工业园区人工智能产业发展行动计划", "issuedBy", "苏州工业园区管委会", ["A"], None),
    ("安徽省人工智能产业发展规划", "supports", "中国声谷", ["A", "B"], None),
    ("安徽省人工智能产业发展规划", "supports", "人工智能", ["A"], None),
    ("安徽省人工智能产业发展规划", "issuedBy", "安徽省人民政府", ["A"], None),
    ("中国声谷技术创新服务综合体", "locatedIn", "中国声谷", ["A"], None),
    ("中国声谷技术创新服务综合体", "operatedBy", "科大讯飞", ["A"], None),
    ("苏州人工智能开放平台", "locatedIn", "苏州人工智能产业园", ["A"], None),
    ("苏州人工智能开放平台", "operatedBy", "思必驰", ["A"], None),
    ("类脑智能开放平台", "operatedBy", "中国科学技术大学", ["A"], None),
    ("武汉市", "cooperatesWith", "长沙市", ["B"], None),
    ("武汉市", "cooperatesWith", "合肥市", ["B"], None),
    ("长沙市", "cooperatesWith", "南昌市", ["B"], None),
    ("合肥市", "cooperatesWith", "南昌市", ["B"], None),
    ("武汉市", "cooperatesWith", "南昌市", ["B"], None),
    ("思必驰", "cooperatesWith", "小米", ["B"], None),
    ("华为", "cooperatesWith", "思必驰", ["A"], None),
    ("中国科学技术大学", "cooperatesWith", "科大讯飞", ["A"], None),
    ("科大讯飞", "focusesOn", "人工智能", ["A"], None),
    ("刘庆峰", "worksFor", "科大讯飞", ["A"], "董事长"),
]

# (subject, metric, value, unit, year, bound, articles)
FACTS = [
    ("中国声谷", "revenue", 1060.0, "亿元", 2020, "over", ["A"]),
    ("中国声谷", "revenue", 800.0, "亿元", 2019, None, ["A"]),
    ("中国声谷", "firmCount", 1024.0, "家", 2020, None, ["A", "B"]),
    ("中国声谷", "revenue", 1300.0, "亿元", 2021, None, ["B"]),
    ("中国声谷合肥高新区", "revenue", 500.0, "亿元", 2021, None, ["B"]),
]

ARTICLES = {
    "A": ("a" * 64, "中国声谷与苏州工业园区的人工智能产业", "2022-11-29", "000_mini_a.txt"),
    "B": ("b" * 64, "长江中游城市群的人工智能合作", "2023-03-30", "001_mini_b.txt"),
}


def key(name: str) -> str:
    return f"{ENTITIES[name][0]}:{name}"


def ent(name: str) -> URIRef:
    return iris.entity_iri(key(name))


def dec(value: float) -> Literal:
    return Literal(Decimal(repr(value)), datatype=XSD.decimal)


def main() -> None:
    ds = Dataset()
    for prefix, ns in (
        ("aig", AIG._NS),
        ("aigm", AIGM),
        ("skos", SKOS),
        ("prov", PROV),
        ("oa", OA),
        ("sdo", SDO),
    ):
        ds.bind(prefix, ns)
    entities = ds.graph(iris.entities_graph_iri())
    for name, (etype, pinyin, english, alts) in ENTITIES.items():
        e = ent(name)
        entities.add((e, RDF.type, AIG[etype]))
        entities.add((e, SKOS.prefLabel, Literal(name, lang="zh")))
        entities.add((e, RDFS.label, Literal(name, lang="zh")))
        entities.add((e, SKOS.prefLabel, Literal(pinyin, lang="zh-Latn-pinyin")))
        if english:
            entities.add((e, SKOS.prefLabel, Literal(english, lang="en")))
        for alt in alts:
            entities.add((e, SKOS.altLabel, Literal(alt, lang="zh")))
    for metric, zh, en in (
        ("revenue", "营业收入", "revenue"),
        ("firmCount", "企业数量", "firm count"),
    ):
        entities.add((AIGM[metric], RDF.type, AIG.Metric))
        entities.add((AIGM[metric], RDFS.label, Literal(zh, lang="zh")))
        entities.add((AIGM[metric], RDFS.label, Literal(en, lang="en")))

    graphs = {}
    run = iris.run_iri("extract", "aigraph", "mini")
    for tag, (sha, headline, date, fname) in ARTICLES.items():
        g = graphs[tag] = ds.graph(iris.article_graph_iri(sha))
        art = iris.article_iri(sha)
        g.add((art, RDF.type, AIG.Article))
        g.add((art, SDO.headline, Literal(headline, lang="zh")))
        g.add((art, SDO.datePublished, Literal(date, datatype=XSD.date)))
        g.add((art, AIG.sourceFile, Literal("seeds/" + fname)))
        g.add((art, AIG.fileName, Literal(fname)))
        g.add((art, AIG.sha256, Literal(sha)))
        g.add((art, AIG.encoding, Literal("utf-8")))

    offsets = {"A": 0, "B": 0}

    def evidence(tag: str, about: URIRef, quote: str, rule: str) -> URIRef:
        sha = ARTICLES[tag][0]
        g = graphs[tag]
        art = iris.article_iri(sha)
        start = offsets[tag]
        end = start + len(quote)
        offsets[tag] = end + 1
        ev = iris.evidence_iri(sha, start, end, rule, str(about))
        target = iris.passage_iri(sha, start, end)
        qsel, psel = URIRef(target + "#quote"), URIRef(target + "#position")
        for t in (
            (ev, RDF.type, AIG.Evidence),
            (ev, RDF.type, OA.Annotation),
            (ev, AIG.article, art),
            (ev, PROV.wasDerivedFrom, art),
            (ev, AIG.quote, Literal(quote, lang="zh")),
            (ev, AIG.sentence, Literal(quote, lang="zh")),
            (ev, AIG.startOffset, Literal(start)),
            (ev, AIG.endOffset, Literal(end)),
            (ev, AIG.rule, Literal(rule)),
            (ev, AIG.confidence, dec(0.8)),
            (ev, PROV.wasGeneratedBy, run),
            (ev, OA.hasTarget, target),
            (target, OA.hasSource, art),
            (target, OA.hasSelector, qsel),
            (target, OA.hasSelector, psel),
            (qsel, RDF.type, OA.TextQuoteSelector),
            (qsel, OA.exact, Literal(quote, lang="zh")),
            (psel, RDF.type, OA.TextPositionSelector),
            (psel, OA.start, Literal(start)),
            (psel, OA.end, Literal(end)),
        ):
            g.add(t)
        return ev

    mentioned: dict[str, set[str]] = {"A": set(), "B": set()}
    for head, rel, tail, tags, role in RELATIONS:
        st = iris.statement_iri(key(head), rel, key(tail), role)
        for tag in tags:
            g = graphs[tag]
            g.add((ent(head), AIG[rel], ent(tail)))
            if rel == "cooperatesWith":
                g.add((ent(tail), AIG[rel], ent(head)))
            h, t = (head, tail)
            if rel == "cooperatesWith" and key(tail) < key(head):
                h, t = tail, head
            g.add((st, RDF.type, AIG.RelationStatement))
            g.add((st, AIG.head, ent(h)))
            g.add((st, AIG.relation, AIG[rel]))
            g.add((st, AIG.tail, ent(t)))
            if role:
                g.add((st, AIG.role, Literal(role, lang="zh")))
            quote = f"{head}{rel}{tail}。"
            g.add((st, AIG.hasEvidence, evidence(tag, st, quote, f"aigraph.relate.{rel}.v1")))
            mentioned[tag].update((head, tail))
    for subj, metric, value, unit, year, bound, tags in FACTS:
        obs = iris.observation_iri(key(subj), metric, value, unit, year, bound)
        for tag in tags:
            g = graphs[tag]
            g.add((obs, RDF.type, AIG.Observation))
            g.add((obs, AIG.observedEntity, ent(subj)))
            g.add((obs, AIG.metric, AIGM[metric]))
            g.add((obs, AIG.value, dec(value)))
            g.add((obs, AIG.unit, Literal(unit, lang="zh")))
            g.add((obs, AIG.year, Literal(str(year), datatype=XSD.gYear)))
            if bound:
                g.add((obs, AIG.bound, Literal(bound)))
            quote = f"{subj}{year}年{metric}{value}{unit}。"
            g.add(
                (
                    obs,
                    AIG.hasEvidence,
                    evidence(tag, obs, quote, f"aigraph.relate.fact.{metric}.v1"),
                )
            )
            mentioned[tag].add(subj)
    for tag, names in mentioned.items():
        sha = ARTICLES[tag][0]
        g = graphs[tag]
        art = iris.article_iri(sha)
        for name in sorted(names):
            e = ent(name)
            start = int(hashlib.sha256((tag + name).encode()).hexdigest()[:4], 16)
            m = iris.mention_iri(sha, start, start + len(name), key(name))
            g.add((e, RDF.type, AIG[ENTITIES[name][0]]))
            g.add((e, AIG.mentionedIn, art))
            g.add((e, AIG.hasMention, m))
            g.add((m, RDF.type, AIG.Mention))
            g.add((m, AIG.article, art))
            g.add((m, AIG.surfaceForm, Literal(name, lang="zh")))
            g.add((m, AIG.startOffset, Literal(start)))
            g.add((m, AIG.endOffset, Literal(start + len(name))))
    # the places graph, derived as a build derives it (aigraph.store.Store.recompute_places);
    # written by aigraph's canonical TriG writer (rdflib's order of graphs varies by run)
    quads = [
        (s, p, o, g.identifier if hasattr(g, "identifier") else g)
        for s, p, o, g in ds.quads((None, None, None, None))
    ]
    store = memory_store()
    store.load_quads(quads)
    store.recompute_places()
    quads += [q for q in store.quads() if q[3] == iris.places_graph_iri()]
    atomic_write_text(OUT, trig_text(quads))


if __name__ == "__main__":
    main()
