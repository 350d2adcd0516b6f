"""Gazetteers: every data file parses, is sourced, consistent, and the loader answers."""

from __future__ import annotations

import re
import time
from collections import Counter
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aigraph.errors import GazetteerError
from aigraph.gazetteers import (
    ENTRY_FILES,
    Gazetteer,
    GazetteerEntry,
    load_gazetteer,
    normalise_surface,
    parse_table,
)
from aigraph.gazetteers._build_divisions import short_form

TABLE_FILES = (*ENTRY_FILES, "agency_suffixes.tsv", "titles.tsv", "ambiguous.tsv")


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return load_gazetteer()


def _text(name: str) -> str:
    return resources.files("aigraph.gazetteers").joinpath(name).read_text(encoding="utf-8")


# --- the files ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*TABLE_FILES, "surnames.txt"])
def test_every_file_names_its_source_first(name: str) -> None:
    lines = _text(name).splitlines()
    assert lines[0].startswith("# source:"), name
    header = "\n".join(line for line in lines[:8] if line.startswith("#"))
    assert re.search(r"(19|20)\d\d", header), f"{name}: the source must be dated"


@pytest.mark.parametrize("name", TABLE_FILES)
def test_every_table_parses_with_cells_trimmed(name: str) -> None:
    _, rows = parse_table(_text(name), name)
    assert rows, f"{name} has no rows"
    for row in rows:
        first = next(iter(row.values()))
        assert first, f"{name}: empty first cell in {row}"
        for value in row.values():
            assert value == value.strip()
            assert "||" not in value and not value.startswith("|") and not value.endswith("|")


def test_no_duplicate_name_and_type_rows(gz: Gazetteer) -> None:
    # Districts legitimately share names across cities (朝阳区 in 北京市 and 长春市), so a
    # division is identified by (name, parent); everything else by (name, type).
    keys = Counter(
        (e.name, e.type, e.parent if e.source == "divisions.tsv" else None) for e in gz.entries
    )
    assert [k for k, n in keys.items() if n > 1] == []


def test_aliases_are_not_repeated_nor_equal_to_the_name(gz: Gazetteer) -> None:
    for entry in gz.entries:
        assert entry.name not in entry.aliases, entry.name
        assert len(set(entry.aliases)) == len(entry.aliases), entry.name


def test_every_division_parent_and_province_exists(gz: Gazetteer) -> None:
    divisions = {e.name: e for e in gz.entries if e.source == "divisions.tsv"}
    for entry in divisions.values():
        if entry.level == "province":
            assert entry.parent is None and entry.province == entry.name
            continue
        assert entry.parent in divisions, entry
        assert entry.province in divisions and divisions[entry.province].level == "province"
        parent = divisions[entry.parent]
        expected_parent_levels = {"prefecture": {"province"}, "county": {"prefecture", "province"}}
        assert parent.level in expected_parent_levels[entry.level], entry


def test_division_counts_cover_the_country(gz: Gazetteer) -> None:
    levels = Counter(e.level for e in gz.entries if e.source == "divisions.tsv")
    assert levels["province"] == 34
    assert 330 <= levels["prefecture"] <= 340
    assert levels["county"] > 2500
    assert len(gz.by_type("Province")) == 30  # the four municipalities are typed City


def test_municipalities_are_cities_at_province_level(gz: Gazetteer) -> None:
    for name in ("北京市", "上海市", "天津市", "重庆市"):
        (entry,) = gz.lookup(name)
        assert (entry.type, entry.level) == ("City", "province")
    assert gz.lookup("北京")[0].name == "北京市"
    assert gz.lookup("安徽")[0].type == "Province"


def test_province_abbreviations_are_single_characters_not_aliases(gz: Gazetteer) -> None:
    anhui = gz.lookup("安徽省")[0]
    assert anhui.abbr == "皖"
    assert gz.lookup("皖") == ()
    for entry in gz.by_type("Province"):
        assert entry.abbr and all(len(a) == 1 for a in entry.abbr.split("|"))


def test_every_zone_city_and_province_is_a_division(gz: Gazetteer) -> None:
    divisions = {e.name: e for e in gz.entries if e.source == "divisions.tsv"}
    for zone in gz.by_type("Park"):
        assert zone.province in divisions, zone.name
        assert divisions[zone.province].level == "province", zone.name
        if zone.parent:
            assert zone.parent in divisions, zone.name
            assert divisions[zone.parent].province == zone.province, zone.name


def test_institution_and_firm_cities_are_divisions(gz: Gazetteer) -> None:
    divisions = {e.name for e in gz.entries if e.source == "divisions.tsv"}
    for entry in (*gz.by_type("Institution"), *gz.by_type("Firm")):
        assert entry.parent is None or entry.parent in divisions, entry.name


def test_region_members_are_divisions(gz: Gazetteer) -> None:
    divisions = {e.name for e in gz.entries if e.source == "divisions.tsv"}
    for region in gz.by_type("Region"):
        assert set(region.members) <= divisions, (region.name, set(region.members) - divisions)


def test_every_cross_type_collision_is_resolved_deliberately(gz: Gazetteer) -> None:
    collisions = gz.collisions()
    unresolved = sorted(s for s in collisions if s not in gz.preferred_types)
    assert unresolved == [], f"add these to ambiguous.tsv: {unresolved}"
    for surface, preferred in gz.preferred_types.items():
        assert surface in collisions, f"ambiguous.tsv lists {surface}, which no longer collides"
        assert preferred in collisions[surface]
        assert gz.lookup(surface)[0].type == preferred


#: Frequent Traditional-only characters; none may appear in a (Simplified) gazetteer name.
TRADITIONAL = set("國區會業長東電與發開學經濟產華為實際網訊資島灣縣鄉鎮廣門團體術雲億環")


def test_names_and_aliases_are_simplified(gz: Gazetteer) -> None:
    # opencc's t2s cannot be the oracle: it rewrites real names (乾安县 -> 干安县).
    for entry in gz.entries:
        for surface in entry.surfaces:
            assert not TRADITIONAL & set(surface), surface


def test_wikidata_identifiers_are_well_formed(gz: Gazetteer) -> None:
    for entry in gz.entries:
        assert entry.wikidata is None or re.fullmatch(r"Q[1-9]\d*", entry.wikidata)


def test_agency_suffixes_and_titles(gz: Gazetteer) -> None:
    suffixes = {s.full: s for s in gz.agency_suffixes}
    assert suffixes["经济和信息化厅"].short_forms == ("经信厅",)
    assert "发改委" in suffixes["发展和改革委员会"].short_forms
    assert suffixes["人民政府"].short_forms == ("政府",)
    assert {s.level for s in gz.agency_suffixes} <= {"province", "city", "both"}
    titles = {t.name: t.kind for t in gz.titles}
    assert titles["副省长"] == "gov" and titles["创始人"] == "corp" and titles["院士"] == "academic"


def test_surnames_include_single_and_compound(gz: Gazetteer) -> None:
    assert {"王", "李", "何", "孔", "欧阳", "司马", "诸葛", "肖"} <= gz.surnames
    assert all(1 <= len(s) <= 2 for s in gz.surnames)
    assert len(gz.surnames) > 500


# --- the loader --------------------------------------------------------------------------


def test_province_and_city_of(gz: Gazetteer) -> None:
    assert gz.province_of("合肥") == "安徽省"
    assert gz.province_of("合肥市") == "安徽省"
    assert gz.province_of("庐阳区") == "安徽省"
    assert gz.province_of("苏州") == "江苏省"
    assert gz.province_of("北京") == "北京市"
    assert gz.province_of("朝阳区") is None  # 北京市 and 长春市 both have one
    assert gz.province_of("没有这个地方") is None
    assert gz.city_of("庐阳区") == "合肥市"
    assert gz.city_of("庐阳") == "合肥市"
    assert gz.city_of("合肥") == "合肥市"
    assert gz.city_of("浦东新区") == "上海市"
    assert gz.city_of("仙桃市") == "仙桃市"
    assert gz.city_of("安徽省") is None


def test_zone_city_and_province(gz: Gazetteer) -> None:
    assert gz.city_of("江宁经济技术开发区") == "南京市"
    assert gz.province_of("宁波杭州湾经济技术开发区") == "浙江省"
    assert gz.city_of("合肥高新区") == "合肥市"
    assert gz.province_of("光谷") == "湖北省"
    assert gz.city_of("苏州工业园区") == "苏州市"


@pytest.mark.parametrize(
    ("surface", "name", "type_"),
    [
        ("工信部", "工业和信息化部", "Agency"),
        ("科技部", "科学技术部", "Agency"),
        ("发改委", "国家发展和改革委员会", "Agency"),
        ("网信办", "国家互联网信息办公室", "Agency"),
        ("国务院国资委", "国务院国有资产监督管理委员会", "Agency"),
        ("华科大", "华中科技大学", "Institution"),
        ("中科大", "中国科学技术大学", "Institution"),
        ("电子五所", "工业和信息化部电子第五研究所", "Institution"),
        ("科大讯飞", "科大讯飞股份有限公司", "Firm"),
        ("合肥", "合肥市", "City"),
        ("广西", "广西壮族自治区", "Province"),
        ("内蒙古", "内蒙古自治区", "Province"),
        ("长三角", "长江三角洲", "Region"),
        ("中三角", "长江中游城市群", "Region"),
        ("AI", "人工智能", "Industry"),
        ("ai", "人工智能", "Industry"),
        ("信创", "信息技术应用创新", "Industry"),
        ("东湖高新区", "武汉东湖新技术开发区", "Park"),
        ("亦庄", "北京经济技术开发区", "Park"),
        ("松山湖", "东莞松山湖高新技术产业开发区", "Park"),
        ("上海自贸区", "中国(上海)自由贸易试验区", "Park"),
        ("中国（上海）自由贸易试验区", "中国(上海)自由贸易试验区", "Park"),
        ("江宁经开区", "江宁经济技术开发区", "Park"),
        ("雄安新区", "河北雄安新区", "Park"),
        ("哈工大", "哈尔滨工业大学", "Institution"),
        ("信通院", "中国信息通信研究院", "Institution"),
        ("中芯国际", "中芯国际集成电路制造有限公司", "Firm"),
        ("英伟达", "英伟达半导体科技(上海)有限公司", "Firm"),
        ("阿里", "阿里巴巴集团控股有限公司", "Firm"),
        ("浦东新区", "浦东新区", "City"),
    ],
)
def test_lookup_short_forms(gz: Gazetteer, surface: str, name: str, type_: str) -> None:
    found = gz.lookup(surface)
    assert found, surface
    assert (found[0].name, found[0].type) == (name, type_)


def test_seed_only_names_are_not_in_the_national_lists(gz: Gazetteer) -> None:
    # 中国声谷 is a provincial-ministerial base in Hefei, not a national zone.
    assert gz.lookup("中国声谷") == ()
    # ordinary words that are also short names of firms are not aliases
    for word in ("美的", "理想", "地平线", "大众", "浪潮", "360"):
        assert gz.lookup(word) == (), word


def test_common_words_get_no_short_form(gz: Gazetteer) -> None:
    assert all(e.name != "和平区" for e in gz.lookup("和平"))
    assert short_form("和平区", "county") is None
    assert short_form("庐阳区", "county") == "庐阳"
    assert short_form("内蒙古自治区", "province") == "内蒙古"
    assert short_form("浦东新区", "county") == "浦东"
    assert short_form("鄂伦春自治旗", "county") is None


def test_lookup_is_deterministic_and_sorted(gz: Gazetteer) -> None:
    entries = gz.lookup("鼓楼区")
    assert len(entries) >= 3
    assert list(entries) == sorted(entries, key=lambda e: e.parent or "")
    assert gz.lookup("鼓楼区") == entries


def test_jieba_words(gz: Gazetteer) -> None:
    words = gz.jieba_words()
    assert words == sorted(set(words))
    assert {"工信部", "经信厅", "合肥", "华科大", "副省长"} <= set(words)
    assert all(len(w) >= 2 for w in words)


def test_load_is_cached_and_fast() -> None:
    load_gazetteer.cache_clear()
    start = time.perf_counter()
    gz = load_gazetteer()
    elapsed = time.perf_counter() - start
    assert load_gazetteer() is gz
    print(f"gazetteer load: {elapsed * 1000:.0f} ms, {len(gz.entries)} entries")
    assert elapsed < 1.0


def test_counts_per_file(gz: Gazetteer) -> None:
    counts = Counter(e.source for e in gz.entries)
    print("gazetteer counts:", dict(sorted(counts.items())))
    assert counts["industries.tsv"] >= 200
    assert counts["agencies.tsv"] >= 80
    assert counts["regions.tsv"] >= 50
    assert counts["zones.tsv"] >= 400
    assert counts["institutions.tsv"] >= 150
    assert counts["firms.tsv"] >= 200
    kinds = Counter(e.level for e in gz.by_type("Park"))
    assert kinds["high-tech"] >= 165 and kinds["economic"] >= 225 and kinds["new-area"] == 19


# --- parser errors and normalisation -------------------------------------------------------


def test_parse_table_rejects_bad_rows() -> None:
    with pytest.raises(GazetteerError, match="t.tsv:3"):
        parse_table("name\taliases\nok\t\nbad\n", "t.tsv")
    with pytest.raises(GazetteerError, match="missing column"):
        parse_table("name\n合肥\n", "zones.tsv")
    with pytest.raises(GazetteerError, match="no header"):
        parse_table("# only a comment\n", "t.tsv")


def test_gazetteer_from_entries_ranks_preferred_type_first() -> None:
    firm = GazetteerEntry("长安汽车股份有限公司", "Firm", ("长安",), "t")
    city = GazetteerEntry("长安区", "City", ("长安",), "t", level="county")
    assert Gazetteer([firm, city]).lookup("长安")[0].type == "City"  # no preference: by type
    preferred = Gazetteer([firm, city], preferred_types={"长安": "Firm"})
    assert preferred.lookup("长安")[0].type == "Firm"


@given(st.text(max_size=20))
def test_normalise_surface_is_idempotent(text: str) -> None:
    once = normalise_surface(text)
    assert normalise_surface(once) == once
    assert not any(ch.isspace() for ch in once)


@given(st.text(alphabet="ＡＢＣａｂｃ０１２ ", max_size=10))
def test_full_width_folds_to_half_width(text: str) -> None:
    assert normalise_surface(text) == normalise_surface(
        text.translate(str.maketrans("ＡＢＣａｂｃ０１２", "ABCabc012"))
    )
