"""Resolution (issue 3): mentions merged into entities with stable keys and IRIs.

Within an article: definitions (以下简称/简称), parenthesised alternatives, firm core names,
agency short forms, a bare 省 read as the article's province, script and width variants.
Across articles: the same thing under different surface forms gets the same key, so
``aigraph.iris.entity_iri`` gives it the same IRI. Keys never depend on run or input order.
Hostile names survive as plain text through extraction and the contract's JSON.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from aigraph.extract import extract_article, to_contract
from aigraph.ingest import read_article
from aigraph.iris import entity_iri
from aigraph.pipeline import extract_files
from aigraph.records import Entity, Extraction
from aigraph.resolve import agency_forms, display_name, firm_cores, park_keys
from conftest import text_article


def _extract(body: str, doc: str = "invented.txt") -> Extraction:
    return extract_article(text_article(body, doc))


def _of_type(ex: Extraction, etype: str) -> list[Entity]:
    return [e for e in ex.entities if e.type == etype]


def _only(ex: Extraction, etype: str) -> Entity:
    found = _of_type(ex, etype)
    assert len(found) == 1, [(e.key, e.name, e.aliases) for e in found]
    return found[0]


def _forms(e: Entity) -> set[str]:
    return {e.name, *e.aliases}


# ------------------------------------------------------------------------------------------
# Within one article
# ------------------------------------------------------------------------------------------


def test_yixia_jiancheng_definition_merges_later_uses(nlp) -> None:
    ex = _extract(
        "成都星辰智算股份有限公司（以下简称星辰公司）成立于2015年。星辰公司入驻成都天府软件园。"
    )
    firm = _only(ex, "Firm")
    assert firm.name == "成都星辰智算股份有限公司"
    assert "星辰公司" in firm.aliases
    assert len(firm.mentions) >= 2  # the full name and the later use of the short name


def test_jiancheng_quoted_definition(nlp) -> None:
    ex = _extract("西安人工智能创新发展示范区（简称“西安示范区”）位于西安。西安示范区发展迅速。")
    park = _only(ex, "Park")
    assert park.name == "西安人工智能创新发展示范区"
    assert "西安示范区" in park.aliases


def test_defined_generic_short_name_does_not_become_the_key(nlp) -> None:
    ex = _extract(
        "成都市新一代人工智能创新发展试验区（以下简称试验区）位于成都。试验区聚集了大量企业。"
    )
    park = _only(ex, "Park")
    assert park.name == "成都市新一代人工智能创新发展试验区"
    assert park.key == "Park:成都市新一代人工智能创新发展试验区"


def test_parenthesised_alternative_is_an_alias(nlp) -> None:
    ex = _extract("杭州云栖智谷（杭州云栖小镇）位于杭州。")
    park = _only(ex, "Park")
    assert _forms(park) == {"杭州云栖智谷", "杭州云栖小镇"}


def test_firm_full_name_and_core_name_merge(nlp) -> None:
    ex = _extract("成都星辰智算股份有限公司发布新品。星辰智算科技表示将扩大投资。")
    firm = _only(ex, "Firm")
    assert firm.name == "成都星辰智算股份有限公司"
    assert "星辰智算科技" in firm.aliases


def test_listed_firm_full_name_and_short_name_merge(nlp) -> None:
    ex = _extract("科大讯飞股份有限公司在成都设立西南总部。科大讯飞表示将扩大投资。")
    firm = _only(ex, "Firm")
    assert firm.name == "科大讯飞股份有限公司"
    assert "科大讯飞" in firm.aliases


def test_agency_short_form_merges_with_full_name(nlp) -> None:
    ex = _extract("工信部批准成都建设试验区。工业和信息化部有关负责人表示支持。")
    agency = _only(ex, "Agency")
    assert agency.name == "工业和信息化部"
    assert "工信部" in agency.aliases


def test_bare_province_prefix_reads_the_articles_province(nlp) -> None:
    ex = _extract("四川省人民政府发布通知。省科技厅负责组织实施。四川省科技厅表示将加大支持。")
    depts = [e for e in _of_type(ex, "Agency") if "科" in e.name]
    assert len(depts) == 1, [(e.key, e.aliases) for e in depts]
    assert {"省科技厅", "四川省科技厅"} <= _forms(depts[0])
    assert depts[0].key.startswith("Agency:四川省")


def test_width_variants_merge(nlp) -> None:
    ex = _extract("ＡＢＣ智能科技有限公司位于深圳。ABC智能科技有限公司发布新品。")
    firm = _only(ex, "Firm")
    assert firm.name == "ABC智能科技有限公司"
    assert len(firm.mentions) == 2


def test_traditional_and_simplified_files_resolve_to_one_key(tmp_path: Path) -> None:
    """Ingest converts script; the same firm in a Big5 Traditional file and a UTF-8 file."""
    trad = tmp_path / "trad.txt"
    simp = tmp_path / "simp.txt"
    trad.write_bytes(
        "廣州市雲從信息科技有限公司入駐廣州南沙新區，聚焦人工智能產業。".encode("big5")
    )
    simp.write_text(
        "广州市云从信息科技有限公司入驻广州南沙新区，聚焦人工智能产业。", encoding="utf-8"
    )
    a, b = (extract_article(read_article(p)) for p in (trad, simp))
    assert {e.key for e in a.entities} == {e.key for e in b.entities}
    firm = _only(a, "Firm")
    assert firm.name == "广州市云从信息科技有限公司"
    # the mention points at the Traditional text of the file
    ref = firm.mentions[0]
    assert a.article.original[ref.original_start : ref.original_end] == "廣州市雲從信息科技有限公司"


def test_city_glued_to_a_listed_zone_is_the_zone(nlp) -> None:
    # 成都天府新区 is 天府新区 (listed as 四川天府新区) with its city in front
    ex = _extract("四川天府新区加快发展。成都天府新区引进一批人工智能企业。")
    park = _only(ex, "Park")
    assert park.name == "四川天府新区"
    assert "成都天府新区" in park.aliases


def test_city_prefixes_of_two_kinds_of_zone_do_not_merge(nlp) -> None:
    # without its city, 合肥高新区 is only 高新区: a kind of zone, never a shared form
    ex = _extract("合肥高新区与西安高新区签署合作协议。")
    assert len(_of_type(ex, "Park")) == 2


def test_simplified_names_keep_characters_t2s_would_rewrite(tmp_path: Path) -> None:
    """昇 is Simplified too (昇腾): shown as written, keyed like the Traditional spelling."""
    simp = tmp_path / "simp.txt"
    trad = tmp_path / "trad.txt"
    simp.write_text("华为与深圳大学共建昇腾人工智能生态创新中心。", encoding="utf-8")
    trad.write_bytes("華為與深圳大學共建昇騰人工智能生態創新中心。".encode("big5"))
    a, b = (extract_article(read_article(p)) for p in (simp, trad))
    platform = _only(a, "Platform")
    assert platform.name == "昇腾人工智能生态创新中心"
    assert platform.key == "Platform:升腾人工智能生态创新中心"
    assert _only(b, "Platform").key == platform.key
    assert display_name("成效显著") == "成效显著"


def test_generic_mentions_never_become_entities(nlp) -> None:
    ex = _extract("园区聚集了该企业等一批龙头企业。园区建成一批创新平台和多个产业园。")
    assert ex.entities == ()


def test_sub_park_and_parent_stay_two_entities(nlp) -> None:
    ex = _extract("天府软件园位于成都。天府软件园·双流人工智能产业园位于成都。")
    parks = {e.name for e in _of_type(ex, "Park")}
    assert parks == {"天府软件园", "天府软件园·双流人工智能产业园"}


# ------------------------------------------------------------------------------------------
# Helpers with documented examples
# ------------------------------------------------------------------------------------------


def test_firm_cores_drop_form_suffix_then_region() -> None:
    assert firm_cores("成都星辰智算股份有限公司") == ["成都星辰智算", "星辰智算"]
    assert firm_cores("云图(西安)智能科技有限公司") == ["云图智能科技", "云图智能"]


def test_park_keys_of_a_dotted_sub_park() -> None:
    keys = park_keys("天府软件园·双流人工智能产业园", ["天府软件园"])
    assert keys[:2] == ["天府软件园双流人工智能产业园", "双流人工智能产业园"]


def test_park_keys_never_yield_a_generic_form() -> None:
    from aigraph.recognise import proper_part

    for name, parent in (
        ("天府软件园·双流人工智能产业园", "天府软件园"),
        ("中国声谷·庐阳大数据产业园", "中国声谷"),
    ):
        for form in park_keys(name, [parent]):
            rest = form[len(parent) :] if form.startswith(parent) else form
            assert proper_part(rest.removesuffix("产业园")), form


def test_two_sub_parks_of_one_park_stay_apart(nlp) -> None:
    ex = _extract(
        "天府软件园位于成都。天府软件园·双流人工智能产业园和天府软件园·郫都人工智能产业园相继开园。"
    )
    assert {e.name for e in _of_type(ex, "Park")} == {
        "天府软件园",
        "天府软件园·双流人工智能产业园",
        "天府软件园·郫都人工智能产业园",
    }


def test_agency_forms_fill_in_the_province() -> None:
    assert sorted(agency_forms("省科技厅", "四川省", None)) == ["四川省科学技术厅", "四川省科技厅"]
    assert "杭州市人民政府" in agency_forms("杭州市政府", None, None)


def test_display_name_folds_width_script_and_quotes() -> None:
    assert display_name(" “雲從”ＡＩ科技 ") == "云从AI科技"


# ------------------------------------------------------------------------------------------
# Across articles: same key, same IRI
# ------------------------------------------------------------------------------------------

CROSS = [
    ("Firm", "成都星辰智算股份有限公司发布新品。", "星辰智算有限公司在西安设立分部。"),
    ("Agency", "工信部批准成都建设试验区。", "工业和信息化部发布通知。"),
    ("Park", "西安高新技术产业开发区引进项目。", "西安高新区发展迅速。"),
    ("City", "成都是西部重要城市。", "成都市出台新政。"),
    ("Firm", "科大讯飞在成都设立总部。", "科大讯飞股份有限公司发布新品。"),
]


@pytest.mark.parametrize(("etype", "first", "second"), CROSS)
def test_same_thing_in_two_articles_gets_one_iri(nlp, etype: str, first: str, second: str) -> None:
    a = _only(_extract(first, "a.txt"), etype)
    b = _only(_extract(second, "b.txt"), etype)
    assert a.key == b.key
    assert entity_iri(a.key) == entity_iri(b.key)


def test_definition_does_not_change_a_firms_key_across_articles(nlp) -> None:
    a = _only(_extract("成都星辰智算股份有限公司发布新品。", "a.txt"), "Firm")
    b = _only(
        _extract("成都星辰智算股份有限公司（以下简称星辰公司）成立。星辰公司入驻园区。", "b.txt"),
        "Firm",
    )
    assert a.key == b.key


def test_two_zones_with_the_same_short_name_keep_two_iris(nlp) -> None:
    a = _only(
        _extract("成都市新一代人工智能创新发展试验区（以下简称试验区）位于成都。试验区发展迅速。"),
        "Park",
    )
    b = _only(
        _extract("西安人工智能创新发展示范区（以下简称试验区）位于西安。试验区发展迅速。"), "Park"
    )
    assert entity_iri(a.key) != entity_iri(b.key)


# ------------------------------------------------------------------------------------------
# Stability across runs and input orders
# ------------------------------------------------------------------------------------------

_ARTICLES = {
    "a_chengdu.txt": "成都星辰智算股份有限公司（以下简称星辰公司）落户成都天府软件园。"
    "星辰公司与四川大学签约，聚焦人工智能、集成电路等领域。",
    "b_xian.txt": "西安云图智能科技有限公司总部位于西安。四川省人民政府印发《四川省人工智能产业发展规划》。"
    "工信部批准西安高新区建设人工智能创新平台。",
    "c_hangzhou.txt": "杭州云栖智谷（杭州云栖小镇）位于杭州。杭州市副市长王立新出席活动。",
}


@pytest.fixture(scope="module")
def article_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("extract_order")
    for name, body in _ARTICLES.items():
        (d / name).write_text(body, encoding="utf-8")
    return d


def _keys_by_doc(extractions) -> dict[str, list[str]]:
    return {ex.article.doc: sorted(e.key for e in ex.entities) for ex in extractions}


def test_keys_stable_across_input_orders_and_runs(article_dir: Path) -> None:
    files = sorted(article_dir.iterdir())
    forward = _keys_by_doc(extract_files(files))
    backward = _keys_by_doc(extract_files(list(reversed(files))))
    again = _keys_by_doc(extract_files([article_dir]))
    assert forward == backward == again
    assert set(forward) == set(_ARTICLES)
    # an article's keys do not depend on the other articles of the batch
    for f in files:
        alone = _keys_by_doc(extract_files([f]))
        assert alone[f.name] == forward[f.name]


def test_iris_are_pure_functions_of_keys(article_dir: Path) -> None:
    keys = {k for ks in _keys_by_doc(extract_files([article_dir])).values() for k in ks}
    iris = {entity_iri(k) for k in keys}
    assert len(iris) == len(keys)
    for k in keys:
        assert re.fullmatch(r"https://w3id\.org/aigraph/id/[a-z]+/[0-9a-f]{16}", str(entity_iri(k)))


# ------------------------------------------------------------------------------------------
# Hostile names
# ------------------------------------------------------------------------------------------

HOSTILE = [
    (
        "《关于“智能+”<script>alert(1)</script>行动的实施方案》印发。",
        "关于智能+<script>alert(1)</script>行动的实施方案",
        "Policy",
    ),
    ("《成都市😀人工智能发展规划》出台。", "成都市😀人工智能发展规划", "Policy"),
    ("成都𠀀𠀁智能科技有限公司位于成都。", "成都𠀀𠀁智能科技有限公司", "Firm"),
    ('《关于"A&B"数据交易的管理办法》印发。', "关于A&B数据交易的管理办法", "Policy"),
]


@pytest.mark.parametrize(("body", "name", "etype"), HOSTILE)
def test_hostile_names_survive_as_plain_text(nlp, body: str, name: str, etype: str) -> None:
    ex = _extract(body)
    ent = [e for e in ex.entities if e.type == etype]
    assert [e.name for e in ent] == [name]
    contract = to_contract(ex)
    line = json.dumps(contract, ensure_ascii=False, sort_keys=True)
    assert json.loads(line) == contract
    assert name in {e["name"] for e in contract["entities"]}
    # the IRI is a digest: nothing of the name leaks into it
    assert re.fullmatch(
        r"https://w3id\.org/aigraph/id/[a-z]+/[0-9a-f]{16}", str(entity_iri(ent[0].key))
    )
