"""Relations (issue 4): each rule on short invented sentences, negations, the type table,
and evidence that quotes the original file at its offsets (invented articles and the seeds).
"""

from __future__ import annotations

import pytest

from aigraph.extract import extract_article, to_contract
from aigraph.ingest import read_article
from aigraph.records import RELATION_TYPES, Extraction
from aigraph.relate import ALLOWED
from conftest import SEEDS, text_article


def _extract(body: str, doc: str = "invented.txt", original: str | None = None) -> Extraction:
    return extract_article(text_article(body, doc, original))


def _triples(body: str) -> set[tuple[str, ...]]:
    """(head, relation, tail[, role]) by entity name, cooperatesWith in sorted order."""
    out = set()
    for r in to_contract(_extract(body))["relations"]:
        h, t = r["head"], r["tail"]
        if r["relation"] == "cooperatesWith":
            h, t = sorted((h, t))
        out.add((h, r["relation"], t, r["role"]) if "role" in r else (h, r["relation"], t))
    return out


XINGCHEN = "成都星辰智算股份有限公司"
YUNTU = "西安云图智能科技有限公司"
LANHAI = "杭州蓝海智能科技有限公司"
TIANFU = "成都天府软件园"

# (sentence, relations that must all be found)
RULES = [
    # locatedIn: 落户 / 位于 / 在…设立 / 入驻
    (f"{XINGCHEN}落户{TIANFU}。", {(XINGCHEN, "locatedIn", TIANFU)}),
    (f"{YUNTU}在西安高新区设立研发中心。", {(YUNTU, "locatedIn", "西安高新技术产业开发区")}),
    ("成都人工智能产业园位于成都市。", {("成都人工智能产业园", "locatedIn", "成都市")}),
    (f"{XINGCHEN}入驻{TIANFU}。", {(XINGCHEN, "locatedIn", TIANFU)}),
    # a park named after its city
    ("杭州人工智能小镇吸引了大批企业。", {("杭州人工智能小镇", "locatedIn", "杭州市")}),
    # headquarteredIn with 总部
    (f"{LANHAI}总部位于杭州。", {(LANHAI, "headquarteredIn", "杭州市")}),
    # investsIn
    pytest.param(
        f"{LANHAI}投资{TIANFU}。",
        {(LANHAI, "investsIn", TIANFU)},
    ),
    pytest.param(
        f"{LANHAI}在成都投资建设研发基地。",
        {(LANHAI, "investsIn", "成都市")},
    ),
    # cooperatesWith: lists, every stated pair
    (
        f"{XINGCHEN}、{YUNTU}分别与四川大学、西安交通大学签约。",
        {
            (XINGCHEN, "cooperatesWith", "四川大学"),
            (XINGCHEN, "cooperatesWith", "西安交通大学"),
            ("四川大学", "cooperatesWith", YUNTU),
            ("西安交通大学", "cooperatesWith", YUNTU),
        },
    ),
    (
        f"{XINGCHEN}与四川大学、西安交通大学达成合作。",
        {(XINGCHEN, "cooperatesWith", "四川大学"), (XINGCHEN, "cooperatesWith", "西安交通大学")},
    ),
    (f"{XINGCHEN}与四川大学签署战略合作协议。", {(XINGCHEN, "cooperatesWith", "四川大学")}),
    # operatedBy: 依托…建设 (both orders) and 运营单位
    (
        "依托四川大学建设成都智能计算创新中心。",
        {("成都智能计算创新中心", "operatedBy", "四川大学")},
    ),
    pytest.param(
        "成都智能计算创新中心依托四川大学建设。",
        {("成都智能计算创新中心", "operatedBy", "四川大学")},
    ),
    (
        "西安人工智能创新平台运营单位为西安云图智能科技有限公司。",
        {("西安人工智能创新平台", "operatedBy", YUNTU)},
    ),
    # approvedBy via 批准
    (f"四川省人民政府批准设立{TIANFU}。", {(TIANFU, "approvedBy", "四川省人民政府")}),
    (f"{TIANFU}经四川省人民政府批准设立。", {(TIANFU, "approvedBy", "四川省人民政府")}),
    # issuedBy via 印发《…》
    (
        "四川省人民政府印发《四川省人工智能产业发展规划》。",
        {("四川省人工智能产业发展规划", "issuedBy", "四川省人民政府")},
    ),
    (
        "杭州市经信局印发《杭州市数字经济发展纲要》。",
        {("杭州市数字经济发展纲要", "issuedBy", "杭州市经济和信息化局")},
    ),
    (  # every body of a list of issuers issues the document
        "国家发展改革委、科技部、工业和信息化部、国家数据局等部门联合印发《人工智能行动意见》。",
        {
            ("人工智能行动意见", "issuedBy", "国家发展和改革委员会"),
            ("人工智能行动意见", "issuedBy", "科学技术部"),
            ("人工智能行动意见", "issuedBy", "工业和信息化部"),
            ("人工智能行动意见", "issuedBy", "国家数据局"),
        },
    ),
    # supports via 支持 / 扶持
    (f"四川省经济和信息化厅支持{TIANFU}建设。", {("四川省经济和信息化厅", "supports", TIANFU)}),
    pytest.param(
        f"成都市经信局扶持{XINGCHEN}发展。",
        {("成都市经济和信息化局", "supports", XINGCHEN)},
    ),
    (f"成都市经信局支持{XINGCHEN}发展。", {("成都市经济和信息化局", "supports", XINGCHEN)}),
    pytest.param(
        f"成都市经信局大力支持{XINGCHEN}发展。",
        {("成都市经济和信息化局", "supports", XINGCHEN)},
    ),
    # the responsible-department parenthesis
    (
        "加快建设成都智能计算创新中心。（省科技厅、省发展改革委按职责分别负责）",
        {
            ("四川省科学技术厅", "supports", "成都智能计算创新中心"),
            ("四川省发展和改革委员会", "supports", "成都智能计算创新中心"),
        },
    ),
    # focusesOn via 聚焦 / 重点发展 and 等…领域 lists
    (
        f"{TIANFU}聚焦人工智能、集成电路等领域。",
        {(TIANFU, "focusesOn", "人工智能"), (TIANFU, "focusesOn", "集成电路")},
    ),
    (
        f"{TIANFU}重点发展智能语音和大数据产业。",
        {(TIANFU, "focusesOn", "智能语音"), (TIANFU, "focusesOn", "大数据")},
    ),
    # worksFor with role
    (f"{YUNTU}总裁王强介绍。", {("王强", "worksFor", YUNTU, "总裁")}),
    (f"{YUNTU}创始人李明表示。", {("李明", "worksFor", YUNTU, "创始人")}),
    ("四川大学校长李言荣出席。", {("李言荣", "worksFor", "四川大学", "校长")}),
    ("深圳市副市长王立新出席活动。", {("王立新", "worksFor", "深圳市人民政府", "副市长")}),
    # partOf: a sub-park named after its park
    (
        "西安高新区·丝路软件城产业园位于西安。",
        {("西安高新区·丝路软件城产业园", "partOf", "西安高新技术产业开发区")},
    ),
    (
        "天府软件园位于成都。天府软件园·双流人工智能产业园位于成都。",
        {("天府软件园·双流人工智能产业园", "partOf", "天府软件园")},
    ),
    # a city in its province
    ("四川成都人工智能企业众多。", {("成都市", "locatedIn", "四川省")}),
    pytest.param(
        "深圳市位于广东省。",
        {("深圳市", "locatedIn", "广东省")},
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), RULES)
def test_relation_rule(nlp, sentence: str, expected: set) -> None:
    found = _triples(sentence)
    missing = {t for t in expected if _norm(t) not in found}
    assert not missing, (missing, found)


def _norm(t: tuple[str, ...]) -> tuple[str, ...]:
    if t[1] == "cooperatesWith":
        h, tail = sorted((t[0], t[2]))
        return (h, t[1], tail)
    return t


@pytest.mark.parametrize(
    "sentence",
    [
        f"{XINGCHEN}与四川大学未签约。",
        pytest.param(
            f"{XINGCHEN}未与四川大学签约。",
        ),
        pytest.param(
            f"{XINGCHEN}拟与四川大学开展合作。",
        ),
        f"{XINGCHEN}与四川大学拟开展合作。",
        f"{XINGCHEN}与四川大学尚未达成合作。",
    ],
)
def test_negation_or_intention_yields_no_cooperation(nlp, sentence: str) -> None:
    assert not [t for t in _triples(sentence) if t[1] == "cooperatesWith"]


def test_negated_settling_yields_no_location(nlp) -> None:
    assert not [t for t in _triples(f"{XINGCHEN}尚未落户{TIANFU}。") if t[0] == XINGCHEN]


def test_no_self_relations(nlp) -> None:
    ex = _extract(f"{XINGCHEN}与{XINGCHEN}签约。星辰智算与成都星辰智算股份有限公司达成合作。")
    assert ex.relations == () or all(r.head != r.tail for r in ex.relations)


# A paragraph that exercises most rules at once, for the table and evidence checks.
_MIXED = (
    "四川省人民政府印发《四川省人工智能产业发展规划》。\n"
    f"{XINGCHEN}、{YUNTU}分别与四川大学、西安交通大学签约。"
    f"{LANHAI}总部位于杭州，在{TIANFU}设立研发中心。"
    f"{TIANFU}聚焦人工智能、集成电路等领域，经四川省人民政府批准设立。"
    "依托四川大学建设成都智能计算创新中心。（省科技厅、省发展改革委按职责分别负责）\n"
    f"{YUNTU}总裁王强介绍，公司将扩大投资。"
)


def test_relation_types_fit_the_contract_table(nlp) -> None:
    ex = _extract(_MIXED)
    types = {e.key: e.type for e in ex.entities}
    assert len(ex.relations) >= 10
    for r in ex.relations:
        assert r.relation in RELATION_TYPES
        heads, tails = ALLOWED[r.relation]
        assert types[r.head] in heads and types[r.tail] in tails, r
        assert r.head != r.tail
        assert (r.role is not None) == (r.relation == "worksFor")


def test_evidence_quotes_the_original_at_its_offsets(nlp) -> None:
    # the file says it in Traditional script after a header: offsets differ from the body's
    body = "成都星辰智算股份有限公司落户成都天府软件园。四川省人民政府支持成都天府软件园建设。"
    original = "成都星辰智算股份有限公司落戶成都天府軟件園。四川省人民政府支持成都天府軟件園建設。"
    article = text_article(body, "trad.txt", original)
    header = "來源：四川日報\n"
    article = type(article)(
        **{
            **article.__dict__,
            "original": header + original,
            "offsets": tuple(i + len(header) for i in range(len(body))),
        }
    )
    ex = extract_article(article)
    assert ex.relations
    for r in ex.relations:
        for ev in r.evidence:
            assert article.original[ev.start : ev.end] == ev.quote
            assert ev.sentence in body and ev.doc == "trad.txt"
            assert ev.article_sha256 == article.sha256
            assert ev.rule.startswith("aigraph.relate.") and 0 < ev.confidence <= 1
    assert any("落戶" in ev.quote for r in ex.relations for ev in r.evidence)


def test_relations_sorted_and_evidence_per_statement(nlp) -> None:
    body = f"{XINGCHEN}落户{TIANFU}。据悉，{XINGCHEN}已入驻{TIANFU}。"
    ex = _extract(body)
    keys = [(r.head, r.relation, r.tail, r.role or "") for r in ex.relations]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    located = [
        r
        for r in ex.relations
        if r.relation == "locatedIn" and r.tail.endswith("天府软件园") and "星辰" in r.head
    ]
    # one statement, with evidence from both sentences
    assert len(located) == 1
    assert {ev.quote for ev in located[0].evidence} == {
        f"{XINGCHEN}落户{TIANFU}。",
        f"据悉，{XINGCHEN}已入驻{TIANFU}。",
    }


@pytest.fixture(scope="module")
def seed_extractions(nlp) -> list[Extraction]:
    return [extract_article(read_article(p), nlp) for p in sorted(SEEDS.glob("*.txt"))]


def test_seed_evidence_quotes_the_original_file(seed_extractions) -> None:
    checked = 0
    for ex in seed_extractions:
        types = {e.key: e.type for e in ex.entities}
        for r in ex.relations:
            heads, tails = ALLOWED[r.relation]
            assert types[r.head] in heads and types[r.tail] in tails and r.head != r.tail
            assert r.evidence
            for ev in r.evidence:
                assert ex.article.original[ev.start : ev.end] == ev.quote
                checked += 1
        for f in ex.facts:
            for ev in f.evidence:
                assert ex.article.original[ev.start : ev.end] == ev.quote
    assert checked > 100
