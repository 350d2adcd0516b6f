"""Regenerate ``ecosystem.trig``: a small graph in the shape of docs/graph-model.md.

Run from the repository root (the committed ``ecosystem.trig`` is what the tests read)::

    .venv/bin/python tests/data/analysis/build_fixture.py

Three regional clusters (Hefei / 中国声谷, Suzhou, Wuhan with the middle-Yangtze cities), a
firm that bridges Hefei and Wuhan, a disconnected person-firm pair, and an isolated industry.
Evidence counts differ per statement so edge weights are not all 1.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from rdflib import RDF, RDFS, SKOS, Dataset, Literal
from rdflib.namespace import PROV, XSD

from aigraph import iris
from aigraph.fsutil import atomic_write_text
from aigraph.vocab import AIG, OA

HERE = Path(__file__).resolve().parent

# key -> (pinyin, english or None)
ENTITIES = {
    "Park:中国声谷": ("zhōng guó shēng gǔ", "China Speech Valley"),
    "Firm:科大讯飞": ("kē dà xùn fēi", "iFLYTEK"),
    "Firm:华米科技": ("huá mǐ kē jì", "Huami"),
    "City:合肥": ("hé féi", "Hefei"),
    "Province:安徽省": ("ān huī shěng", "Anhui"),
    "Agency:安徽省经济和信息化厅": ("ān huī shěng jīng jì hé xìn xī huà tīng", None),
    "Policy:中国声谷发展政策": ("zhōng guó shēng gǔ fā zhǎn zhèng cè", None),
    "Platform:智能语音国家工程实验室": ("zhì néng yǔ yīn guó jiā gōng chéng shí yàn shì", None),
    "Park:苏州工业园区": ("sū zhōu gōng yè yuán qū", "Suzhou Industrial Park"),
    "Firm:思必驰": ("sī bì chí", "AISpeech"),
    "Firm:科沃斯": ("kē wò sī", "Ecovacs"),
    "City:苏州": ("sū zhōu", "Suzhou"),
    "Province:江苏省": ("jiāng sū shěng", "Jiangsu"),
    "Institution:苏州大学": ("sū zhōu dà xué", "Soochow University"),
    "Policy:苏州人工智能产业政策": ("sū zhōu rén gōng zhì néng chǎn yè zhèng cè", None),
    "Park:东湖高新区": ("dōng hú gāo xīn qū", "East Lake High-Tech Zone"),
    "Firm:烽火通信": ("fēng huǒ tōng xìn", "FiberHome"),
    "City:武汉": ("wǔ hàn", "Wuhan"),
    "Province:湖北省": ("hú běi shěng", "Hubei"),
    "City:长沙": ("cháng shā", "Changsha"),
    "City:南昌": ("nán chāng", "Nanchang"),
    "Region:长江中游城市群": ("cháng jiāng zhōng yóu chéng shì qún", None),
    "Agency:科学技术部": ("kē xué jì shù bù", "Ministry of Science and Technology"),
    "Firm:某某智能": ("mǒu mǒu zhì néng", None),
    "Person:张三": ("zhāng sān", None),
    "Industry:人工智能": ("rén gōng zhì néng", "artificial intelligence"),
}

# (head, relation, tail, evidence count, role)
STATEMENTS = [
    ("Firm:科大讯飞", "locatedIn", "Park:中国声谷", 3, None),
    ("Firm:华米科技", "locatedIn", "Park:中国声谷", 1, None),
    ("Park:中国声谷", "locatedIn", "City:合肥", 2, None),
    ("City:合肥", "partOf", "Province:安徽省", 1, None),
    ("Policy:中国声谷发展政策", "supports", "Park:中国声谷", 2, None),
    ("Policy:中国声谷发展政策", "issuedBy", "Agency:安徽省经济和信息化厅", 1, None),
    ("Platform:智能语音国家工程实验室", "operatedBy", "Firm:科大讯飞", 1, None),
    ("Firm:科大讯飞", "headquarteredIn", "City:合肥", 2, None),
    ("Park:中国声谷", "approvedBy", "Agency:科学技术部", 1, None),
    ("Firm:思必驰", "locatedIn", "Park:苏州工业园区", 2, None),
    ("Firm:科沃斯", "locatedIn", "Park:苏州工业园区", 1, None),
    ("Park:苏州工业园区", "locatedIn", "City:苏州", 1, None),
    ("City:苏州", "partOf", "Province:江苏省", 1, None),
    ("Institution:苏州大学", "cooperatesWith", "Firm:思必驰", 2, None),
    ("Policy:苏州人工智能产业政策", "supports", "Park:苏州工业园区", 1, None),
    ("Firm:科大讯飞", "cooperatesWith", "Firm:思必驰", 1, None),
    ("Firm:烽火通信", "locatedIn", "Park:东湖高新区", 2, None),
    ("Park:东湖高新区", "locatedIn", "City:武汉", 2, None),
    ("City:武汉", "partOf", "Province:湖北省", 1, None),
    ("City:武汉", "partOf", "Region:长江中游城市群", 1, None),
    ("City:长沙", "partOf", "Region:长江中游城市群", 1, None),
    ("City:南昌", "partOf", "Region:长江中游城市群", 1, None),
    ("Firm:科大讯飞", "investsIn", "Firm:烽火通信", 1, None),
    ("Park:东湖高新区", "approvedBy", "Agency:科学技术部", 1, None),
    ("Person:张三", "worksFor", "Firm:某某智能", 1, "总裁"),
]

ARTICLES = [hashlib.sha256(f"fixture article {i}".encode()).hexdigest() for i in range(3)]


def build() -> Dataset:
    ds = Dataset()
    ds.bind("aig", AIG._NS)
    ds.bind("skos", SKOS)
    ds.bind("oa", OA)
    ds.bind("prov", PROV)
    ents = ds.graph(iris.entities_graph_iri())
    for key, (pinyin, english) in ENTITIES.items():
        etype, _, name = key.partition(":")
        node = iris.entity_iri(key)
        ents.add((node, RDF.type, AIG[etype]))
        ents.add((node, SKOS.prefLabel, Literal(name, lang="zh")))
        ents.add((node, SKOS.prefLabel, Literal(pinyin, lang="zh-Latn-pinyin")))
        if english:
            ents.add((node, SKOS.prefLabel, Literal(english, lang="en")))
        ents.add((node, RDFS.label, Literal(name, lang="zh")))
    run = iris.run_iri("extract", "fixture")
    for number, (head_key, relation, tail_key, n_evidence, role) in enumerate(STATEMENTS):
        head, tail = iris.entity_iri(head_key), iris.entity_iri(tail_key)
        statement = iris.statement_iri(head_key, relation, tail_key, role)
        for k in range(n_evidence):
            sha = ARTICLES[(number + k) % len(ARTICLES)]
            article = iris.article_iri(sha)
            graph = ds.graph(iris.article_graph_iri(sha))
            graph.add((article, RDF.type, AIG.Article))
            graph.add((head, AIG[relation], tail))
            if relation == "cooperatesWith":
                graph.add((tail, AIG[relation], head))
            graph.add((statement, RDF.type, AIG.RelationStatement))
            graph.add((statement, AIG.head, head))
            graph.add((statement, AIG.relation, AIG[relation]))
            graph.add((statement, AIG.tail, tail))
            if role:
                graph.add((statement, AIG.role, Literal(role)))
            start = 10 * number + k
            evidence = iris.evidence_iri(sha, start, start + 8, "fixture.v1", str(statement))
            graph.add((statement, AIG.hasEvidence, evidence))
            graph.add((evidence, RDF.type, AIG.Evidence))
            graph.add((evidence, RDF.type, OA.Annotation))
            graph.add((evidence, AIG.article, article))
            graph.add((evidence, PROV.wasDerivedFrom, article))
            graph.add(
                (evidence, AIG.quote, Literal(f"{head_key} {relation} {tail_key}", lang="zh"))
            )
            graph.add((evidence, AIG.startOffset, Literal(start, datatype=XSD.integer)))
            graph.add((evidence, AIG.endOffset, Literal(start + 8, datatype=XSD.integer)))
            graph.add((evidence, AIG.rule, Literal("fixture.v1")))
            graph.add((evidence, PROV.wasGeneratedBy, run))
            for entity in (head, tail):
                graph.add((entity, AIG.mentionedIn, article))
    return ds


if __name__ == "__main__":
    atomic_write_text(HERE / "ecosystem.trig", build().serialize(format="trig"))
