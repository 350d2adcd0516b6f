"""Numeric facts (aigraph.facts) on short invented sentences, one pattern at a time."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aigraph.facts import find_facts, find_quantities, parse_chinese_number
from aigraph.records import Article, Mention, Sentence

# --- helpers -----------------------------------------------------------------------------


def make_article(body: str) -> Article:
    """An article whose sentences end at 。 and at line breaks."""
    sentences = []
    for m in re.finditer(r"[^。\n]+。?", body):
        sentences.append(Sentence(len(sentences), m.start(), m.end(), m.group()))
    return Article(
        source="t.txt",
        doc="t.txt",
        sha256="0" * 64,
        encoding="utf-8",
        original=body,
        body=body,
        offsets=tuple(range(len(body))),
        sentences=tuple(sentences),
    )


def make_mentions(article: Article, names: dict[str, str]) -> list[Mention]:
    """Every occurrence of each name (longest first); ``names`` maps name -> "Type:Key"."""
    taken = [False] * len(article.body)
    out = []
    for name in sorted(names, key=len, reverse=True):
        for m in re.finditer(re.escape(name), article.body):
            if any(taken[m.start() : m.end()]):
                continue
            taken[m.start() : m.end()] = [True] * len(name)
            sentence = next(s.index for s in article.sentences if s.start <= m.start() < s.end)
            key = names[name]
            out.append(
                Mention(name, key.split(":")[0], m.start(), m.end(), "test", key=key,
                        sentence=sentence)
            )  # fmt: skip
    return sorted(out, key=lambda m: m.start)


def facts_of(body: str, names: dict[str, str]) -> list[tuple]:
    article = make_article(body)
    facts = find_facts(article, make_mentions(article, names))
    return [(f.subject, f.metric, f.value, f.unit, f.year, f.bound) for f in facts]


PARK = {"中国声谷": "Park:中国声谷"}


# --- numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一千零二十四", 1024),
        ("两百", 200),
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("一百零五", 105),
        ("三万五千", 35000),
        ("一亿二千万", 120_000_000),
        ("1.5万", 15000),
        ("3千", 3000),
        ("1,300", 1300),
        ("１２３", 123),
        ("二〇二〇", 2020),
    ],
)
def test_parse_chinese_number(text, value):
    assert parse_chinese_number(text) == value


@pytest.mark.parametrize("text", ["", "abc", "百分之", "十x"])
def test_parse_chinese_number_rejects_non_numerals(text):
    with pytest.raises(ValueError):
        parse_chinese_number(text)


_DIGITS = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """Standard Chinese numeral for 0 <= n < 10**12 (the inverse the parser must undo)."""
    if n == 0:
        return "零"

    def below_10000(k: int) -> str:
        out, zero = "", False
        for unit, size in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
            digit, k = divmod(k, size)
            if digit:
                if zero:
                    out += "零"
                out += _DIGITS[digit] + unit
                zero = False
            elif out:
                zero = True
        return out

    parts = []
    for unit, size in (("亿", 10**8), ("万", 10**4), ("", 1)):
        chunk, n = divmod(n, size)
        if chunk:
            text = below_10000(chunk)
            if parts and chunk < 1000:
                text = "零" + text
            parts.append(text + unit)
    return "".join(parts)


@given(st.integers(min_value=1, max_value=10**11))
def test_chinese_numerals_round_trip(n):
    assert parse_chinese_number(to_chinese(n)) == n


@given(st.integers(min_value=1, max_value=10**9))
def test_thousands_separators_round_trip(n):
    assert parse_chinese_number(f"{n:,}") == n


@given(st.integers(min_value=1, max_value=99999), st.sampled_from(["家", "户", "个", "件"]))
def test_counts_in_chinese_numerals_are_found(n, unit):
    [q] = find_quantities(f"企业{to_chinese(n)}{unit}。")
    assert (q.value, q.unit, q.bound) == (n, unit, None)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("1060亿元", 1060, "亿元"),
        ("1.2万亿元", 12000, "亿元"),
        ("五十亿元", 50, "亿元"),
        ("5000万元", 5000, "万元"),
        ("3千万元", 3000, "万元"),
        ("800元", 800, "元"),
        ("2亿美元", 2, "亿美元"),
        ("1.5万家", 15000, "家"),
        ("两百个", 200, "个"),
        ("1,300家", 1300, "家"),
        ("30项", 30, "项"),
    ],
)
def test_money_keeps_the_text_scale_and_counts_fold_it(text, value, unit):
    [q] = find_quantities(text)
    assert (q.value, q.unit) == (value, unit)


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("超800亿元", "over"),
        ("超过800亿元", "over"),
        ("逾800亿元", "over"),
        ("突破800亿元", "over"),
        ("800余亿元", "over"),
        ("800多家", "over"),
        ("800家以上", "over"),
        ("近1.5亿元", "about"),
        ("约1.5亿元", "about"),
        ("大约1.5亿元", "about"),
        ("1.5亿元左右", "about"),
        ("不足100家", "under"),
        ("不到100家", "under"),
        ("100家以内", "under"),
        ("100家", None),
    ],
)
def test_bounds(text, bound):
    [q] = find_quantities(text)
    assert q.bound == bound


@pytest.mark.parametrize(
    "text", ["增长35%", "几十家企业", "上百家企业", "第一个", "6个月", "3个百分点", "2021年"]
)
def test_no_quantity(text):
    assert find_quantities(text) == []


# --- metrics -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "metric", "value", "unit"),
    [
        ("实现营业收入1060亿元", "revenue", 1060, "亿元"),
        ("主营业务收入达到300亿元", "revenue", 300, "亿元"),
        ("工业总产值2620亿元", "revenue", 2620, "亿元"),
        ("产业规模达500亿元", "revenue", 500, "亿元"),
        ("收入规模首次达到1000亿元", "revenue", 1000, "亿元"),
        ("入驻企业1024户", "firmCount", 1024, "户"),
        ("入园企业达1423家", "firmCount", 1423, "家"),
        ("集聚相关企业1300家", "firmCount", 1300, "家"),
        ("拥有1300家人工智能企业", "firmCount", 1300, "家"),
        ("规上企业641家", "firmCount", 641, "家"),
        ("相关企业达到1300家", "firmCount", 1300, "家"),
        ("共有规上工业企业3000家", "firmCount", 3000, "家"),
        ("有效发明专利3.2万件", "patentCount", 32000, "件"),
        ("软件业务收入达六千五百亿元", "revenue", 6500, "亿元"),
        ("设立总规模达200亿元的人工智能产业基金", "fund", 200, "亿元"),
        ("高新技术企业1297家", "firmCount", 1297, "家"),
        ("累计上市企业15家", "listedFirmCount", 15, "家"),
        ("上市公司12家", "listedFirmCount", 12, "家"),
        ("建设公共服务平台18个", "platformCount", 18, "个"),
        ("拥有国家级创新载体44个", "platformCount", 44, "个"),
        ("建成两百个创新平台", "platformCount", 200, "个"),
        ("新增发明专利4000个", "patentCount", 4000, "个"),
        ("有效专利数达1000件", "patentCount", 1000, "件"),
        ("累计获得融资10亿元", "investment", 10, "亿元"),
        ("投资50亿元建设研发中心", "investment", 50, "亿元"),
        ("设立规模100亿元产业基金", "fund", 100, "亿元"),
        ("设立15亿元科创投资基金", "fund", 15, "亿元"),
        ("获得上级资金奖励3000万元", "fund", 3000, "万元"),
    ],
)
def test_each_metric(phrase, metric, value, unit):
    assert facts_of(f"2021年,中国声谷{phrase}。", PARK) == [
        ("Park:中国声谷", metric, value, unit, 2021, None)
    ]


@pytest.mark.parametrize(
    "phrase",
    [
        "产业增加值5641亿元",  # value added is not revenue
        "签约项目意向金额超200亿元",  # intended amounts are not investment
        "锚定5000亿元目标",  # a target
        "将实现营业收入2000亿元",  # future
        "拟投资30亿元",  # planned
        "计划投资30亿元",
        "预计营业收入达到80亿元",
        "力争营业收入达到80亿元",
        "营业收入增长35%",  # percentages
        "营业收入超过10亿元的企业有17户",  # a threshold and the firms it qualifies
        "10亿元企业达17家",
        "各级独角兽企业54家",  # a kind of firm
        "组织500余家企业申报项目",  # firms doing something, not the park's firms
        "12家公司代表签署协议",
        "上市产品100余款",  # products are not facts
        "荣获世界冠军40余项",
        "企业著作权数突破10000件",  # copyrights are not patents
        "利润20亿元",
        "汇聚180项工程算法",
        "集聚国家单项冠军企业17个",
        "对新认定的平台给予最高1000万元资金支持",  # an offer, not money received
        "与50家相关企业签约",  # firms taking part, not the park's firms
        "研发投入40亿元",
    ],
)
def test_not_facts(phrase):
    assert facts_of(f"2021年,中国声谷{phrase}。", PARK) == []


def test_targets_after_a_future_year_are_not_facts():
    body = "到2025年,中国声谷营业收入达到2000亿元,入驻企业超过3000家。"
    assert facts_of(body, PARK) == []


def test_a_bare_clause_borrows_the_unused_metric_word():
    body = "中国声谷营业收入年均增长35%以上,2019年首次突破100亿元。"
    assert facts_of(body, PARK) == [("Park:中国声谷", "revenue", 100, "亿元", 2019, "over")]


def test_a_used_metric_word_is_not_borrowed_again():
    body = "截至2020年底,中国声谷入园企业1024户,首次超过1000户。"
    assert facts_of(body, PARK) == [("Park:中国声谷", "firmCount", 1024, "户", 2020, None)]


def test_a_vague_count_is_no_fact():
    assert facts_of("中国声谷聚集了几十家人工智能相关企业。", PARK) == []


# --- years -------------------------------------------------------------------------------


def test_year_from_date_context():
    body = "截至2020年底,中国声谷实现入驻企业1024户、营业收入1060亿元。"
    assert facts_of(body, PARK) == [
        ("Park:中国声谷", "firmCount", 1024, "户", 2020, None),
        ("Park:中国声谷", "revenue", 1060, "亿元", 2020, None),
    ]


def test_a_year_reaches_only_what_follows_it():
    names = {"杭州数字安防产业集群": "Park:杭州数字安防集群"}
    body = (
        "杭州数字安防产业集群有国家级创新载体44个、省级创新载体186个,2021年新增发明专利4000余个。"
    )
    assert facts_of(body, names) == [
        ("Park:杭州数字安防集群", "patentCount", 4000, "个", 2021, "over"),
        ("Park:杭州数字安防集群", "platformCount", 44, "个", None, None),
        ("Park:杭州数字安防集群", "platformCount", 186, "个", None, None),
    ]


def test_year_from_the_previous_sentence_about_the_same_thing():
    names = {"武汉市": "City:武汉", "科大讯飞": "Firm:科大讯飞"}
    body = (
        "2017年8月31日,武汉市与科大讯飞签订投资合作协议。科大讯飞投资50亿元在武汉市设立全资子公司。"
    )
    assert facts_of(body, names) == [("Firm:科大讯飞", "investment", 50, "亿元", 2017, None)]


def test_no_year_from_a_sentence_about_something_else():
    names = {"杭州集群": "Park:杭州集群", "青岛集群": "Park:青岛集群"}
    body = "2021年,杭州集群新增发明专利400个。青岛集群有规上企业641家。"
    assert ("Park:青岛集群", "firmCount", 641, "家", None, None) in facts_of(body, names)


@pytest.mark.parametrize("marker", ["目前", "十三五期间", "近年来"])
def test_present_and_period_markers_give_no_year(marker):
    body = f"2020年,中国声谷揭牌。{marker},中国声谷集聚企业300家。"
    assert facts_of(body, PARK) == [("Park:中国声谷", "firmCount", 300, "家", None, None)]


def test_a_cumulative_total_keeps_the_sentence_year():
    body = "2022年,中国声谷累计上市企业15家。"
    assert facts_of(body, PARK) == [("Park:中国声谷", "listedFirmCount", 15, "家", 2022, None)]


def test_years_inside_document_titles_are_ignored():
    body = "中国声谷落实《人工智能规划(2018—2030年)》,目前入驻企业300家。"
    assert facts_of(body, PARK) == [("Park:中国声谷", "firmCount", 300, "家", None, None)]


# --- subjects ----------------------------------------------------------------------------


def test_subject_carried_from_the_previous_sentence():
    body = "截至2020年底,中国声谷入驻企业1024户。其中,基地建设产业服务平台18个。"
    assert facts_of(body, PARK) == [
        ("Park:中国声谷", "firmCount", 1024, "户", 2020, None),
        ("Park:中国声谷", "platformCount", 18, "个", 2020, None),
    ]


def test_topic_of_the_sentence_not_the_nearest_name():
    names = {"青岛集群": "Park:青岛集群", "海尔": "Firm:海尔", "海信": "Firm:海信"}
    body = "在青岛集群,依靠海尔、海信等龙头企业带动,目前集聚规上企业641家、高新技术企业1297家。"
    assert facts_of(body, names) == [
        ("Park:青岛集群", "firmCount", 641, "家", None, None),
        ("Park:青岛集群", "firmCount", 1297, "家", None, None),
    ]


def test_park_anaphor_prefers_a_park_named_with_the_word():
    names = {"人工智能试验区": "Park:试验区", "苏州工业园区": "Park:苏州工业园区"}
    body = (
        "苏州工业园区是人工智能试验区的核心区。人工智能试验区以苏州工业园区为核心。"
        "2022年,园区人工智能产业总产值超800亿元,人工智能领域已集聚相关企业超1300家。"
    )
    assert facts_of(body, names) == [
        ("Park:苏州工业园区", "firmCount", 1300, "家", 2022, "over"),
        ("Park:苏州工业园区", "revenue", 800, "亿元", 2022, "over"),
    ]


def test_park_anaphor_prefers_the_park_the_headline_names():
    """Named once in the text, the park of the headline is still what 园区 stands for."""
    names = {"人工智能试验区": "Park:试验区", "苏州工业园区": "Park:苏州工业园区"}
    body = "苏州工业园区发布数据。江苏支持建设人工智能试验区。园区设立规模50亿元的产业基金。"
    article = replace(make_article(body), title="苏州工业园区：人工智能产业规模突破千亿")
    facts = find_facts(article, make_mentions(article, names))
    assert [(f.subject, f.metric, f.value) for f in facts] == [("Park:苏州工业园区", "fund", 50)]
    untitled = facts_of(body, names)
    assert [(f[0], f[1]) for f in untitled] == [("Park:试验区", "fund")]


@pytest.mark.parametrize("country", ["我国", "全国", "2025年我国"])
def test_a_number_about_the_country_has_no_subject(country):
    """The institute whose report gives a national figure is not its subject."""
    names = {"中国信息通信研究院": "Institution:信通院", "中国声谷": "Park:中国声谷"}
    body = (
        f"中国声谷集聚企业1000家。中国信息通信研究院的报告显示，{country}人工智能产业规模超过"
        "9000亿元，企业数量超过5000家。"
    )
    assert [f[:3] for f in facts_of(body, names)] == [("Park:中国声谷", "firmCount", 1000)]


@pytest.mark.parametrize(
    ("body", "fact"),
    [
        ("中国声谷营业收入超过2000亿元，全国排名第一，集聚企业1500家。", ("firmCount", 1500)),
        ("中国声谷集聚企业1000家，国内领先，营业收入达到300亿元。", ("revenue", 300)),
    ],
)
def test_a_national_comparison_leaves_the_subject(body, fact):
    """全国排名第一 compares the park with the country: the figures after it are the park's."""
    assert ("Park:中国声谷", *fact) in [(f[0], f[1], f[2]) for f in facts_of(body, PARK)]


def test_a_park_named_once_does_not_capture_the_anaphor():
    names = {"中国声谷": "Park:中国声谷", "字号产业基地": "Park:字号产业基地"}
    body = "工信部批准建设字号产业基地。截至2020年底,中国声谷入驻企业1024户。基地建设服务平台18个。"
    assert ("Park:中国声谷", "platformCount", 18, "个", 2020, None) in facts_of(body, names)


def test_a_name_after_a_verb_is_not_carried_as_the_topic():
    names = {"苏州工业园区": "Park:苏州工业园区", "创新平台": "Platform:创新平台"}
    body = "多年以来,苏州工业园区坚持创新。\n出台文件;引进一批创新平台;设立规模100亿元产业基金等。"
    assert facts_of(body, names) == [("Park:苏州工业园区", "fund", 100, "亿元", None, None)]


def test_sentences_cut_at_semicolons_keep_their_context():
    body = "截至2020年底,中国声谷入驻企业1024户。其中,重点企业17家;龙头企业冠军40余项;基地建设服务平台18个。"
    # a splitter that also cuts at ；/; : each part is a sentence of its own
    parts = [m for m in re.finditer(r"[^。;]+[。;]?", body)]
    article = Article(
        source="t.txt", doc="t.txt", sha256="0" * 64, encoding="utf-8", original=body,
        body=body, offsets=tuple(range(len(body))),
        sentences=tuple(Sentence(i, m.start(), m.end(), m.group()) for i, m in enumerate(parts)),
    )  # fmt: skip
    facts = find_facts(article, make_mentions(article, PARK))
    assert [(f.metric, f.value, f.year) for f in facts] == [
        ("firmCount", 17, 2020),
        ("firmCount", 1024, 2020),
        ("platformCount", 18, 2020),
    ]


def test_city_anaphor():
    names = {"杭州": "City:杭州", "安防集群": "Park:安防集群"}
    body = (
        "近年来,安防集群不断壮大,2021年杭州共有重点企业1500多家,全市泛安防产业整体规模超6000亿元。"
    )
    assert facts_of(body, names) == [
        ("City:杭州", "firmCount", 1500, "家", 2021, "over"),
        ("City:杭州", "revenue", 6000, "亿元", 2021, "over"),
    ]


def test_list_of_subjects_gives_one_fact_each():
    names = {"科大讯飞": "Firm:科大讯飞", "华米科技": "Firm:华米科技", "新华三": "Firm:新华三"}
    body = "科大讯飞、华米科技、新华三等龙头企业持有有效专利数超过1000件。"
    assert facts_of(body, names) == [
        (f"Firm:{n}", "patentCount", 1000, "件", None, "over")
        for n in ("华米科技", "新华三", "科大讯飞")
    ]


def test_location_complement_names_the_subject():
    names = {"中国声谷": "Park:中国声谷", "合肥市高新区": "Park:中国声谷合肥高新区"}
    body = (
        "截至2020年底,中国声谷入园企业1024户。从区位分布看,中国声谷企业集中在合肥市高新区,共824家。"
    )
    assert ("Park:中国声谷合肥高新区", "firmCount", 824, "家", 2020, None) in facts_of(body, names)


def test_only_contract_subject_types():
    names = {"工业和信息化部": "Agency:工信部", "人工智能规划": "Policy:规划"}
    assert facts_of("2021年,工业和信息化部设立产业基金100亿元。", names) == []
    assert facts_of("人工智能规划安排专项资金10亿元。", names) == []


def test_no_subject_no_fact():
    assert facts_of("收入规模不断提升,首次突破1000亿元。", {}) == []


def test_a_borrowed_metric_word_with_a_carried_subject_is_too_weak():
    body = "中国声谷是部省共建的基地。\n收入规模不断提升,首次突破1000亿元。"
    assert facts_of(body, PARK) == []


# --- merging, evidence, order -----------------------------------------------------------


def test_the_same_fact_twice_keeps_both_evidence():
    body = "截至2020年底,中国声谷入驻企业1024户。\n截至2020年底,中国声谷入园企业1024户,首次超过1000户。"
    article = make_article(body)
    [fact] = find_facts(article, make_mentions(article, PARK))
    assert [e.sentence for e in fact.evidence] == [s.text for s in article.sentences]
    assert fact.evidence[0].rule == "aigraph.facts.firmCount.v1"
    assert all(0 < e.confidence <= 1 for e in fact.evidence)
    assert fact.evidence[1].quote == article.sentences[1].text


def test_an_undated_restatement_joins_the_dated_fact():
    body = "2020年中国声谷营业收入达到1060亿元。\n中国声谷营业收入1060亿元,位居全国前列。"
    article = make_article(body)
    [fact] = find_facts(article, make_mentions(article, PARK))
    assert (fact.year, len(fact.evidence)) == (2020, 2)


def test_evidence_quotes_the_original_file():
    original = "2021年,中國聲谷入駐企業300家。"
    body = "2021年,中国声谷入驻企业300家。"
    article = Article(
        source="t.txt", doc="t.txt", sha256="1" * 64, encoding="utf-8", original=original,
        body=body, offsets=tuple(range(len(body))), sentences=(Sentence(0, 0, len(body), body),),
    )  # fmt: skip
    [fact] = find_facts(article, make_mentions(article, PARK))
    assert fact.evidence[0].quote == original
    assert (fact.evidence[0].start, fact.evidence[0].end) == (0, len(original))


def test_mentions_without_sentence_index_are_placed():
    article = make_article("今年天气好。2021年,中国声谷入驻企业300家。")
    mentions = [
        Mention(m.text, m.label, m.start, m.end, m.rule, key=m.key)
        for m in make_mentions(article, PARK)
    ]
    assert [f.value for f in find_facts(article, mentions)] == [300]


def test_output_is_sorted_and_deterministic():
    names = {"甲园区": "Park:甲", "乙园区": "Park:乙"}
    body = "2021年,乙园区入驻企业20家。2021年,甲园区入驻企业10家、营业收入5亿元。"
    article = make_article(body)
    mentions = make_mentions(article, names)
    first = find_facts(article, mentions)
    assert first == find_facts(article, list(reversed(mentions)))
    assert [(f.subject, f.metric) for f in first] == [
        ("Park:乙", "firmCount"),
        ("Park:甲", "firmCount"),
        ("Park:甲", "revenue"),
    ]


def test_empty_article():
    assert find_facts(make_article(""), []) == []
