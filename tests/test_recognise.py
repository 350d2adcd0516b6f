"""Recognition (issue 3): each pattern family on short invented sentences.

The sentences are invented and name other regions than the seeds (深圳, 成都, 西安, 杭州, 广州,
四川 ...), so a rule that only fits the seed articles fails here. Each case states the mention
(surface text and type) the recogniser must produce; generic mentions must produce nothing.
"""

from __future__ import annotations

import pytest

from aigraph.recognise import RULE_GAZETTEER, Candidate, select_mentions
from aigraph.records import ENTITY_TYPES


def _mentions(nlp, text: str) -> set[tuple[str, str]]:
    return {(m.text, m.label) for m in nlp(text)._.mentions}


# (sentence, surface, type): the sentence must yield that mention.
FAMILIES = [
    # firms: company-form suffixes, and 科技 after a name
    ("深圳市大疆创新科技有限公司在南山区设立研发中心。", "深圳市大疆创新科技有限公司", "Firm"),
    ("成都云天励飞股份有限公司发布新一代芯片。", "成都云天励飞股份有限公司", "Firm"),
    ("杭州蓝海集团宣布扩大投资。", "杭州蓝海集团", "Firm"),
    ("广州小鹏科技近日发布新车型。", "广州小鹏科技", "Firm"),
    ("西安云图智能科技有限责任公司完成融资。", "西安云图智能科技有限责任公司", "Firm"),
    # parks and zones
    ("成都人工智能产业园位于成都市。", "成都人工智能产业园", "Park"),
    ("广州南沙新区加快建设人工智能产业基地。", "广州南沙新区", "Park"),
    ("西安经济技术开发区引进多家企业。", "西安经济技术开发区", "Park"),
    ("深圳前海蛇口自贸片区与西安高新区签约。", "西安高新区", "Park"),
    ("杭州滨江物联网产业园区吸引了大量人才。", "杭州滨江物联网产业园区", "Park"),
    ("四川天府新区成都直管区科技园发展迅速。", "四川天府新区成都直管区科技园", "Park"),
    (
        "国家新一代人工智能创新发展试验区(成都)正式获批。",
        "国家新一代人工智能创新发展试验区(成都)",
        "Park",
    ),
    ("广州人工智能与数字经济试验区吸引投资。", "广州人工智能与数字经济试验区", "Park"),
    ("西安硬科技示范区今年新增企业两百家。", "西安硬科技示范区", "Park"),
    ("成都天府无人机产业基地位于成都。", "成都天府无人机产业基地", "Park"),
    ("深圳南山智能终端产业集群规模突破千亿。", "深圳南山智能终端产业集群", "Park"),
    ("杭州云栖智谷吸引了大批创业者。", "杭州云栖智谷", "Park"),
    ("西安丝路光谷建设提速。", "西安丝路光谷", "Park"),
    ("杭州城西建设了云栖小镇。", "云栖小镇", "Park"),
    ("西安高新区和杭州未来科技城都在发展人工智能。", "杭州未来科技城", "Park"),
    ("北京未来科学城聚集了一批能源企业。", "北京未来科学城", "Park"),
    ("杭州未来科技城管委会介绍情况。", "杭州未来科技城管委会", "Agency"),
    ("杭州未来科技城管委会介绍情况。", "杭州未来科技城", "Park"),
    ("香港科学园设立人工智能超算中心。", "香港科学园", "Park"),
    ("西安丝路软件城集聚企业。", "西安丝路软件城", "Park"),
    ("济南人工智能岛开园。", "济南人工智能岛", "Park"),
    ("贵阳大数据交易所成立。", "贵阳大数据交易所", "Platform"),
    ("国家超级计算济南中心与山东大学合作。", "国家超级计算济南中心", "Platform"),
    ("依托智能感知与控制四川省重点实验室开展研究。", "智能感知与控制四川省重点实验室", "Platform"),
    ("香港科技大学（广州）与南沙区签约。", "香港科技大学（广州）", "Institution"),
    ("陕西投资集团有限公司与西安交通大学签约。", "陕西投资集团有限公司", "Firm"),
    ("合肥投资建设集团有限公司成立。", "合肥投资建设集团有限公司", "Firm"),
    ("公司设立全资子公司广州灵犀智算科技有限公司。", "广州灵犀智算科技有限公司", "Firm"),
    ("成都市人民政府新闻办公室举行发布会。", "成都市人民政府新闻办公室", "Agency"),
    ("新竹科学园区的半导体企业增加。", "新竹科学园区", "Park"),
    ("研究院在河套深港科技创新合作区设立分院。", "河套深港科技创新合作区", "Park"),
    (
        "深度学习技术及应用国家工程研究中心落户北京。",
        "深度学习技术及应用国家工程研究中心",
        "Platform",
    ),
    # platforms
    ("成都智能计算创新中心依托四川大学建设。", "成都智能计算创新中心", "Platform"),
    ("深圳数据交易中心正式揭牌。", "深圳数据交易中心", "Platform"),
    ("西安人工智能公共服务平台上线运行。", "西安人工智能公共服务平台", "Platform"),
    ("杭州城市大脑重点实验室发布成果。", "杭州城市大脑重点实验室", "Platform"),
    ("广州类脑计算开放创新平台已经建成。", "广州类脑计算开放创新平台", "Platform"),
    ("成都智算中心已投入运营。", "成都智算中心", "Platform"),
    # institutions
    ("西安电子科技大学与华为开展合作。", "西安电子科技大学", "Institution"),
    ("成都星辰智算股份有限公司与西安交通大学签署战略合作协议。", "西安交通大学", "Institution"),
    ("四川大学计算机学院开设人工智能专业。", "四川大学计算机学院", "Institution"),
    ("中国科学院成都计算机应用研究所发布成果。", "中国科学院成都计算机应用研究所", "Institution"),
    ("深圳市人工智能与机器人研究院成立五年。", "深圳市人工智能与机器人研究院", "Institution"),
    ("中兴通讯股份有限公司西安研究所成立十年。", "中兴通讯股份有限公司西安研究所", "Institution"),
    ("中兴通讯股份有限公司西安研究所成立十年。", "中兴通讯股份有限公司", "Firm"),
    ("腾讯研究院发布报告。", "腾讯", "Firm"),
    ("苏州工业园区管委会发布数据。", "苏州工业园区管委会", "Agency"),
    ("苏州工业园区管委会发布数据。", "苏州工业园区", "Park"),
    # agencies: place + department (and the short forms), people's governments, leading groups
    ("浙江省经济和信息化厅召开会议。", "浙江省经济和信息化厅", "Agency"),
    ("广东省科技厅发布通知。", "广东省科技厅", "Agency"),
    ("成都市经信局组织企业参展。", "成都市经信局", "Agency"),
    ("西安市发改委批复项目。", "西安市发改委", "Agency"),
    ("会议由市科技局主办。", "市科技局", "Agency"),
    ("南山区科技创新局局长王志强介绍。", "南山区科技创新局", "Agency"),
    ("深圳市科创委发布项目指南。", "深圳市科创委", "Agency"),
    ("福田区发展和改革局组织申报。", "福田区发展和改革局", "Agency"),
    ("省发展改革委负责统筹。", "省发展改革委", "Agency"),
    ("杭州市人民政府召开新闻发布会。", "杭州市人民政府", "Agency"),
    ("工信部发布通知。", "工信部", "Agency"),
    (
        "香港特别行政区政府创新科技及工业局局长表示。",
        "香港特别行政区政府创新科技及工业局",
        "Agency",
    ),
    ("四川省人工智能产业发展领导小组召开会议。", "四川省人工智能产业发展领导小组", "Agency"),
    ("杭州市人民政府成立人工智能产业发展领导小组。", "杭州市人民政府", "Agency"),
    # policies in book-title marks
    (
        "四川省人民政府印发《四川省新一代人工智能发展实施方案》。",
        "四川省新一代人工智能发展实施方案",
        "Policy",
    ),
    (
        "深圳发布《深圳市加快推动人工智能高质量发展行动计划》。",
        "深圳市加快推动人工智能高质量发展行动计划",
        "Policy",
    ),
    (
        "成都出台《成都市促进人工智能产业发展若干政策措施》。",
        "成都市促进人工智能产业发展若干政策措施",
        "Policy",
    ),
    ("杭州印发《杭州市数字经济发展纲要》。", "杭州市数字经济发展纲要", "Policy"),
    (
        "广州出台《广州市人工智能产业发展规划(2021—2025年)》。",
        "广州市人工智能产业发展规划(2021—2025年)",
        "Policy",
    ),
    ("西安发布《关于加快人工智能产业发展的意见》。", "关于加快人工智能产业发展的意见", "Policy"),
    ("深圳实施《深圳市数据交易管理暂行办法》。", "深圳市数据交易管理暂行办法", "Policy"),
    # people introduced by a title
    ("深圳市副市长王立新出席活动。", "王立新", "Person"),
    ("商汤科技董事长徐立表示，公司将加大投入。", "徐立", "Person"),
    ("该公司创始人张一鸣介绍了情况。", "张一鸣", "Person"),
    ("四川大学校长李言荣出席。", "李言荣", "Person"),
    ("副厅长李明在会上表示。", "李明", "Person"),
    # industries from the gazetteer
    ("成都天府软件园聚焦人工智能。", "人工智能", "Industry"),
    ("西安大力发展集成电路。", "集成电路", "Industry"),
    ("杭州重点发展智能语音。", "智能语音", "Industry"),
    # places
    ("成都是西部重要城市。", "成都", "City"),
    ("四川省出台新政。", "四川省", "Province"),
    ("长三角地区人工智能企业众多。", "长三角地区", "Region"),
    # names glued to a place prefix stay whole
    ("西安高新区·丝路软件城产业园位于西安。", "西安高新区·丝路软件城产业园", "Park"),
    ("天府软件园·双流人工智能产业园位于成都。", "天府软件园·双流人工智能产业园", "Park"),
    ("云图(西安)智能科技有限公司落户西安。", "云图(西安)智能科技有限公司", "Firm"),
    ("星辰(成都)信息技术有限公司成立。", "星辰(成都)信息技术有限公司", "Firm"),
]


@pytest.mark.parametrize(("sentence", "surface", "etype"), FAMILIES, ids=lambda v: None)
def test_pattern_family(nlp, sentence: str, surface: str, etype: str) -> None:
    assert (surface, etype) in _mentions(nlp, sentence)


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        # 签署/部署/布局/格局 after 政府 are verbs and nouns, not bureaus
        ("北京市政府与百度签署战略合作协议。", {("北京市政府", "Agency"), ("百度", "Firm")}),
        ("合肥市政府全面部署人工智能产业发展工作。", {("合肥市政府", "Agency")}),
        ("深圳市政府优化产业布局。", {("深圳市政府", "Agency")}),
        # given names ending in 为 and 和 stay whole
        ("副市长刘有为表示，要加快发展。", {("刘有为", "Person")}),
        ("局长王建和在会上讲话。", {("王建和", "Person")}),
        # 局面 is a situation
        ("全市科技创新局面持续向好。", set()),
        # 未来 after a place is the future unless a park follows
        ("西安未来科技发展潜力巨大。", set()),
        ("杭州未来数据中心的建设将加快。", set()),
        # fields listed beside a firm are not firms
        ("华米科技、农业科技、教育科技等方向的企业增多。", {("华米科技", "Firm")}),
        ("东声智能、家居智能、交通智能等场景落地。", {("东声智能", "Firm")}),
        # every district's or county's government is no body
        ("各市、县人民政府要抓好落实。", set()),
        ("各区县科技局要抓好落实。", set()),
        ("各省、自治区、直辖市人民政府要抓好落实。", set()),
        ("每个设区的市人民政府要抓好落实。", set()),
        ("各县（市、区）人民政府要抓好落实。", set()),
        # a joining word after a two-character name is not its last character
        ("局长李明和副局长王刚出席会议。", {("李明", "Person"), ("王刚", "Person")}),
        ("局长李明向记者介绍情况。", {("李明", "Person")}),
        ("局长李明为企业颁奖。", {("李明", "Person")}),
        ("副市长刘有为和市长王建和出席。", {("刘有为", "Person"), ("王建和", "Person")}),
        # a special administrative region's government signing or deploying is no bureau
        ("香港特区政府与华为签署合作协议。", {("香港特区政府", "Agency"), ("华为", "Firm")}),
        ("香港特区政府全面部署创新工作。", {("香港特区政府", "Agency")}),
        ("市科技局势必加大投入。", {("市科技局", "Agency")}),
        ("全市科技创新局面向好发展。", set()),
        # descriptive platforms joined by 与 stay generic; two bodies joined by 与 stay two
        ("标准测试与认证公共服务平台上线。", set()),
        (
            "工业和信息化部与安徽省人民政府共建。",
            {("工业和信息化部", "Agency"), ("安徽省人民政府", "Agency")},
        ),
        ("这有利于公司发展。", set()),
        # a listed name next to 与 is a thing of its own, not the start of a longer name
        (
            "百度与长沙市人民政府签署战略合作协议。",
            {("百度", "Firm"), ("长沙市人民政府", "Agency")},
        ),
        ("安徽省与上海市人民政府签署合作协议。", {("上海市人民政府", "Agency")}),
        (
            "合肥高新区与科大讯飞智能语音开放平台合作。",
            {
                ("合肥高新区", "Park"),
                ("科大讯飞", "Firm"),
                ("科大讯飞智能语音开放平台", "Platform"),
            },
        ),
        # trade words after a place make a firm only with a registered company form
        ("去年陕西投资公司超过两千家。", set()),
        (
            "华为子公司深圳海思半导体有限公司发布芯片。",
            {("华为", "Firm"), ("深圳海思半导体有限公司", "Firm")},
        ),
        ("安徽省政府新闻办公室发布。", {("安徽省政府新闻办公室", "Agency")}),
    ],
)
def test_ordinary_text_gives_no_false_names(nlp, sentence: str, names: set) -> None:
    """Sentences a review found over-firing rules on: exactly these names and no others
    (places and fields aside)."""
    found = {m for m in _mentions(nlp, sentence) if m[1] not in ("City", "Province", "Industry")}
    assert found == names


@pytest.mark.parametrize(
    "sentence", ["南山区科技创新大会召开。", "合肥科技大市场开业。", "深圳市南山区科技展览开幕。"]
)
def test_a_place_before_keji_is_not_a_firm(nlp, sentence: str) -> None:
    """``X科技`` names a firm only when X is more than a place."""
    assert not [text for text, label in _mentions(nlp, sentence) if label == "Firm"]


def test_industry_list_closed_by_lingyu(nlp) -> None:
    """``X、Y、Z等领域``: every item is an industry once one item is a known industry."""
    found = _mentions(nlp, "成都天府软件园聚焦人工智能、集成电路、工业互联网等领域。")
    assert {("人工智能", "Industry"), ("集成电路", "Industry"), ("工业互联网", "Industry")} <= found


def test_firm_list_closed_by_qiye(nlp) -> None:
    """``A、B、C等龙头企业``: every item is a firm even if no gazetteer knows it."""
    found = _mentions(nlp, "园区聚集了星辰智算、云图智能、蓝海数科等龙头企业。")
    assert {("星辰智算", "Firm"), ("云图智能", "Firm"), ("蓝海数科", "Firm")} <= found


def test_list_neighbour_with_the_same_trade_word_is_a_firm(nlp) -> None:
    """宇树科技、云深处科技: jieba reads the brand 云深处 as words, but it ends in the same trade
    word as the firm beside it; a field (人工智能科技) does not."""
    found = _mentions(nlp, "宇树科技、云深处科技等“六小龙”快速成长。")
    assert {("宇树科技", "Firm"), ("云深处科技", "Firm")} <= found
    found = _mentions(nlp, "宇树科技、人工智能科技等企业。")
    assert not [text for text, label in found if label == "Firm" and text != "宇树科技"]


def test_plain_quoted_newspaper_is_not_a_policy(nlp) -> None:
    found = _mentions(nlp, "据《经济日报》报道，深圳发布新政。")
    assert not any(label == "Policy" for _, label in found)
    assert not any("经济日报" in text for text, _ in found)


@pytest.mark.parametrize(
    "sentence",
    [
        "园区聚集了该企业等一批龙头企业，建成一批创新平台和多个产业园。",
        "该企业表示将继续投资。",
        "龙头企业带动作用明显。",
        "园区内有多个产业园和若干个实验室。",
        "各类研发中心和一批公共服务平台正在建设。",
        "开发区和高新区都在招商。",
        "各区人民政府、市人民政府各部门：",
    ],
)
def test_generic_mentions_are_not_names(nlp, sentence: str) -> None:
    found = _mentions(nlp, sentence)
    generic = {
        "园区",
        "该企业",
        "龙头企业",
        "一批创新平台",
        "创新平台",
        "多个产业园",
        "产业园",
        "实验室",
        "研发中心",
        "公共服务平台",
        "开发区",
        "高新区",
        "区人民政府",
    }
    assert not [
        t for t, _ in found if t in generic or t.startswith(("一批", "多个", "该", "若干", "各类"))
    ]


def test_mentions_have_exact_offsets_and_contract_types(nlp) -> None:
    text = "杭州市人民政府印发《杭州市数字经济发展纲要》，支持杭州云栖智谷建设数据交易中心。"
    doc = nlp(text)
    assert doc._.mentions
    for m in doc._.mentions:
        assert text[m.start : m.end] == m.text
        assert m.label in ENTITY_TYPES
        assert m.rule.startswith("aigraph.") and m.rule.rsplit(".", 1)[-1].startswith("v")
    # the same mentions are exposed as spaCy spans
    assert {s.label_ for s in doc.spans["aigraph"]} == {m.label for m in doc._.mentions}


def test_gazetteer_short_names_respect_token_boundaries(nlp) -> None:
    """Two-character gazetteer names must fall on jieba token boundaries: 美的 in 完美的."""
    found = _mentions(nlp, "这是一个完美的方案。")
    assert ("美的", "Firm") not in found


def test_pipeline_is_built_once_with_versioned_components(nlp) -> None:
    from aigraph.nlp import PIPELINE_COMPONENTS, get_nlp

    assert get_nlp() is nlp
    assert tuple(nlp.pipe_names) == PIPELINE_COMPONENTS
    assert all(name.rsplit("_", 1)[-1].startswith("v") for name in nlp.pipe_names)


def test_select_mentions_longest_then_priority() -> None:
    text = "x" * 20
    long = Candidate(0, 8, "Park", "r.v1", 10)
    inner = Candidate(0, 4, "City", RULE_GAZETTEER, 90)
    tie_low = Candidate(10, 14, "Firm", "r.v1", 10)
    tie_high = Candidate(10, 14, "Agency", "r.v1", 60)
    assert select_mentions([inner, tie_low, long, tie_high], text) == [long, tie_high]


def test_recognition_is_deterministic(nlp) -> None:
    text = "成都星辰智算股份有限公司、西安云图智能科技有限公司入驻成都天府软件园，聚焦人工智能。"
    first = [(m.text, m.label, m.start, m.rule) for m in nlp(text)._.mentions]
    again = [(m.text, m.label, m.start, m.rule) for m in nlp(text)._.mentions]
    assert first == again


def test_a_field_named_as_a_modifier_of_a_thing_is_no_industry(nlp) -> None:
    """激光工程投影机 is a projector, 无人配送车 a vehicle, 软件名城 a title: not the fields."""
    from aigraph.extract import find_mentions
    from conftest import text_article

    for sentence, field in (
        ("该公司研发的全色激光工程投影机全球领先。", "激光"),
        ("九识智能投入运营的无人配送车将增加一倍。", "无人配送"),
        ("南京将推进软件名城提质升级。", "软件"),
    ):
        found = {m.text for m in find_mentions(text_article(sentence)) if m.label == "Industry"}
        assert field not in found, (sentence, found)
    found = {
        m.text
        for m in find_mentions(text_article("园区重点发展激光、软件等产业。"))
        if m.label == "Industry"
    }
    assert {"激光", "软件"} <= found
