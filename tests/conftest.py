"""Shared fixtures. Each feature area adds its fixtures in its own clearly marked section."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The five seed articles."""
    return SEEDS


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """Small test files under tests/data/."""
    return DATA


# =======================================================================================
# Graph records (issue 5, ontology/mapping/store). Hand-built, realistic Extraction records
# for tests that need a graph before (or without) the extractor. Reuse freely:
#     def test_x(mini_extractions): ext_a, ext_b = mini_extractions
#     from conftest import build_article, entity_in, relation_in, fact_in
# =======================================================================================

import hashlib as _hashlib  # noqa: E402

from aigraph.evidence import make_evidence as _make_evidence  # noqa: E402
from aigraph.records import (  # noqa: E402
    Article,
    Entity,
    Extraction,
    Fact,
    MentionRef,
    Relation,
    Sentence,
)


def build_article(
    doc: str,
    body: str,
    *,
    original: str | None = None,
    header: str = "",
    title: str | None = None,
    published: str | None = None,
    encoding: str = "utf-8",
) -> Article:
    """An Article whose body is ``body``; ``original`` (same length, e.g. Traditional script)
    is what the file says, after a ``header`` line that is not part of the body, so original
    offsets differ from body offsets. Sentences end at ``。``."""
    original_body = body if original is None else original
    if len(original_body) != len(body):
        raise ValueError("original and body must have the same length")
    text = header + original_body
    sentences, start = [], 0
    for i, ch in enumerate(body):
        if ch == "。":
            sentences.append(Sentence(len(sentences), start, i + 1, body[start : i + 1]))
            start = i + 1
    if start < len(body):
        sentences.append(Sentence(len(sentences), start, len(body), body[start:]))
    return Article(
        source=f"tests/data/graph/{doc}",
        doc=doc,
        sha256=_hashlib.sha256(text.encode("utf-8")).hexdigest(),
        encoding=encoding,
        original=text,
        body=body,
        offsets=tuple(range(len(header), len(header) + len(body))),
        sentences=tuple(sentences),
        title=title,
        published=published,
    )


def entity_in(
    article: Article,
    etype: str,
    name: str,
    *,
    aliases: tuple[str, ...] = (),
    key: str | None = None,
    english: str | None = None,
    wikidata: str | None = None,
) -> Entity:
    """An Entity mentioned in ``article`` wherever its name or an alias occurs in the body."""
    refs = set()
    for form in (name, *aliases):
        at = article.body.find(form)
        while at >= 0:
            o_start, o_end = article.original_span(at, at + len(form))
            refs.add(MentionRef(article.doc, at, at + len(form), o_start, o_end))
            at = article.body.find(form, at + 1)
    if not refs:
        raise ValueError(f"{name!r} does not occur in {article.doc}")
    return Entity(
        key=key or f"{etype}:{name}",
        type=etype,
        name=name,
        aliases=aliases,
        english=english,
        wikidata=wikidata,
        mentions=tuple(sorted(refs, key=lambda r: (r.start, r.end))),
        rules=("tests.hand.v1",),
    )


def _sentence_with(article: Article, anchor: str) -> Sentence:
    for sentence in article.sentences:
        if anchor in sentence.text:
            return sentence
    raise ValueError(f"no sentence of {article.doc} contains {anchor!r}")


def relation_in(
    article: Article,
    head: Entity,
    relation: str,
    tail: Entity,
    anchor: str,
    *,
    role: str | None = None,
    confidence: float = 0.8,
) -> Relation:
    """A Relation with evidence from the sentence of ``article`` that contains ``anchor``."""
    sentence = _sentence_with(article, anchor)
    rule = f"tests.relate.{relation}.v1"
    ev = _make_evidence(article, sentence, rule, confidence)
    return Relation(head=head.key, relation=relation, tail=tail.key, evidence=(ev,), role=role)


def fact_in(
    article: Article,
    subject: Entity,
    metric: str,
    value: float,
    unit: str,
    year: int | None,
    anchor: str,
    *,
    bound: str | None = None,
) -> Fact:
    """A Fact with evidence from the sentence of ``article`` that contains ``anchor``."""
    ev = _make_evidence(article, _sentence_with(article, anchor), f"tests.facts.{metric}.v1", 0.7)
    return Fact(subject.key, metric, value, unit, year, (ev,), bound)


_MINI_A_BODY = (
    "中国声谷（合肥智能语音集群）位于合肥，聚焦智能语音产业。"
    "合肥是安徽省省会。"
    "中国声谷合肥高新区是中国声谷的核心园区。"
    "科大讯飞股份有限公司（科大讯飞）总部位于中国声谷合肥高新区。"
    "华米科技入驻中国声谷。"
    "安徽省人民政府印发《安徽省新一代人工智能产业发展规划》，明确支持中国声谷建设。"
    "语音及语言信息处理国家工程实验室依托科大讯飞建设。"
    "科大讯飞董事长刘庆峰表示将继续加大投入。"
    "2018年中国声谷营业收入达650亿元，2019年为805亿元，2020年超过1060亿元。"
    "目前中国声谷入驻企业超过1000家。"
)
_MINI_B_BODY = (
    "武汉与合肥签署人工智能合作协议。"
    "武汉是湖北省省会，属于长江经济带。"
    "武汉东湖新技术开发区（中国光谷）位于武汉。"
    "中国声谷由工业和信息化部批准建设。"
    "科大讯飞投资武汉东湖新技术开发区。"
    "华中科技大学位于武汉东湖新技术开发区。"
    "2020年中国声谷营业收入超过1060亿元。"
)
# The same text as the Traditional-script file says it (same length: offsets map 1:1).
_MINI_B_ORIGINAL = (
    "武漢與合肥簽署人工智能合作協議。"
    "武漢是湖北省省會，屬於長江經濟帶。"
    "武漢東湖新技術開發區（中國光谷）位於武漢。"
    "中國聲谷由工業和信息化部批准建設。"
    "科大訊飛投資武漢東湖新技術開發區。"
    "華中科技大學位於武漢東湖新技術開發區。"
    "2020年中國聲谷營業收入超過1060億元。"
)


def mini_extractions_records() -> tuple[Extraction, Extraction]:
    """Two articles, 17 entities: the records behind ``tests/data/graph/mini.trig``.

    Article A (Simplified, UTF-8): a park and its sub-park, a city and its province, firms
    in the park, a policy issued by an agency supporting the park, a platform operated by a
    firm, a worksFor with role, the park's revenue over three years and a firm count.
    Article B (Traditional, Big5, with a header line): two cooperating cities, a city in a
    region, the park approved by an agency, the same park and firm under other surface forms
    and a shorter canonical name, the 2020 revenue stated again.
    """
    a = build_article(
        "mini_a.txt", _MINI_A_BODY, title="中国声谷产业规模突破千亿", published="2021-03-15"
    )
    park = entity_in(a, "Park", "中国声谷", aliases=("合肥智能语音集群",))
    subpark = entity_in(a, "Park", "中国声谷合肥高新区")
    hefei = entity_in(a, "City", "合肥")
    anhui = entity_in(a, "Province", "安徽省")
    iflytek = entity_in(a, "Firm", "科大讯飞股份有限公司", aliases=("科大讯飞",), english="iFLYTEK")
    huami = entity_in(a, "Firm", "华米科技")
    government = entity_in(a, "Agency", "安徽省人民政府")
    plan = entity_in(a, "Policy", "安徽省新一代人工智能产业发展规划")
    lab = entity_in(a, "Platform", "语音及语言信息处理国家工程实验室")
    liu = entity_in(a, "Person", "刘庆峰")
    speech = entity_in(a, "Industry", "智能语音")
    ext_a = Extraction(
        article=a,
        entities=(park, subpark, hefei, anhui, iflytek, huami, government, plan, lab, liu, speech),
        relations=(
            relation_in(a, park, "locatedIn", hefei, "位于合肥"),
            relation_in(a, park, "focusesOn", speech, "聚焦智能语音"),
            relation_in(a, hefei, "locatedIn", anhui, "省会"),
            relation_in(a, subpark, "partOf", park, "核心园区"),
            relation_in(a, iflytek, "locatedIn", subpark, "总部位于"),
            relation_in(a, huami, "locatedIn", park, "华米科技入驻"),
            relation_in(a, plan, "issuedBy", government, "印发"),
            relation_in(a, plan, "supports", park, "明确支持", confidence=0.9),
            relation_in(a, government, "supports", park, "明确支持", confidence=0.6),
            relation_in(a, lab, "operatedBy", iflytek, "依托科大讯飞"),
            relation_in(a, liu, "worksFor", iflytek, "董事长", role="董事长"),
        ),
        facts=(
            fact_in(a, park, "revenue", 650, "亿元", 2018, "650亿元"),
            fact_in(a, park, "revenue", 805, "亿元", 2019, "805亿元"),
            fact_in(a, park, "revenue", 1060, "亿元", 2020, "1060亿元", bound="over"),
            fact_in(a, park, "firmCount", 1000, "家", None, "1000家", bound="over"),
        ),
    )

    b = build_article(
        "mini_b.txt",
        _MINI_B_BODY,
        original=_MINI_B_ORIGINAL,
        header="來源：長江日報\n",
        title="武汉与合肥深化人工智能合作",
        published="2022-06-01",
        encoding="big5",
    )
    wuhan = entity_in(b, "City", "武汉", english="Wuhan", wikidata="Q11746")
    hefei_b = entity_in(b, "City", "合肥")
    hubei = entity_in(b, "Province", "湖北省")
    yangtze = entity_in(b, "Region", "长江经济带")
    optics_valley = entity_in(b, "Park", "武汉东湖新技术开发区", aliases=("中国光谷",))
    park_b = entity_in(b, "Park", "中国声谷")
    miit = entity_in(b, "Agency", "工业和信息化部")
    iflytek_b = entity_in(b, "Firm", "科大讯飞", key=iflytek.key)
    hust = entity_in(b, "Institution", "华中科技大学")
    ext_b = Extraction(
        article=b,
        entities=(wuhan, hefei_b, hubei, yangtze, optics_valley, park_b, miit, iflytek_b, hust),
        relations=(
            relation_in(b, wuhan, "cooperatesWith", hefei_b, "签署"),
            relation_in(b, wuhan, "locatedIn", hubei, "湖北省省会"),
            relation_in(b, wuhan, "partOf", yangtze, "属于长江经济带"),
            relation_in(b, optics_valley, "locatedIn", wuhan, "中国光谷"),
            relation_in(b, park_b, "approvedBy", miit, "批准建设"),
            relation_in(b, iflytek_b, "investsIn", optics_valley, "投资"),
            relation_in(b, hust, "locatedIn", optics_valley, "华中科技大学"),
        ),
        facts=(fact_in(b, park_b, "revenue", 1060, "亿元", 2020, "1060亿元", bound="over"),),
    )
    return ext_a, ext_b


@pytest.fixture(scope="session")
def mini_extractions() -> tuple[Extraction, Extraction]:
    """The two hand-built extractions behind ``tests/data/graph/mini.trig``."""
    return mini_extractions_records()


@pytest.fixture(scope="session")
def mini_trig_path() -> Path:
    """``tests/data/graph/mini.trig``: a complete small dataset in the graph-model shape."""
    return DATA / "graph" / "mini.trig"


def mini_quads() -> list[tuple]:
    """The quads of the mini dataset, computed by the mapping (no store involved)."""
    from aigraph.mapping import article_graph, entity_descriptions

    graphs = [article_graph(ext) for ext in mini_extractions_records()]
    entities = entity_descriptions(t for g in graphs for t in g)
    return sorted((s, p, o, g.identifier) for g in [*graphs, entities] for s, p, o in g)


def write_mini_trig() -> Path:
    """Regenerate ``tests/data/graph/mini.trig`` (run after a change of the mapping):

    .venv/bin/python -c "import sys; sys.path.insert(0, 'tests'); import conftest; conftest.write_mini_trig()"
    """
    from aigraph.fsutil import atomic_write_text
    from aigraph.publish import trig_text

    path = DATA / "graph" / "mini.trig"
    atomic_write_text(path, trig_text(mini_quads()))
    return path


# =======================================================================================
# Extraction layer (issues 3 and 4): invented articles for recognition, resolution and
# relation tests. ``text_article`` builds an Article straight from a body (no ingest), with
# the real sentence splitter, so a test sentence is read exactly as written.
# =======================================================================================


def text_article(body: str, doc: str = "invented.txt", original: str | None = None) -> Article:
    """An Article whose body is ``body`` (``original``, same length, is what the file says)."""
    from aigraph.textclean import split_sentences

    original = body if original is None else original
    if len(original) != len(body):
        raise ValueError("original and body must have the same length")
    return Article(
        source=doc,
        doc=doc,
        sha256=_hashlib.sha256(original.encode("utf-8")).hexdigest(),
        encoding="utf-8",
        original=original,
        body=body,
        offsets=tuple(range(len(body))),
        sentences=split_sentences(body),
    )


@pytest.fixture(scope="session")
def nlp():
    """The process's spaCy pipeline (built once; ``aigraph.nlp.get_nlp`` caches it)."""
    from aigraph.nlp import get_nlp

    return get_nlp()
