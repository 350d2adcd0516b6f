"""A deterministic synthetic corpus of Chinese AI-industry articles, for the build benchmarks.

Each article recombines sentence shapes of the seed articles (a park's revenue and firm count
at the end of a year, a firm settling in a park, a cooperation agreement, a policy issued by an
agency, a person's role in a firm, a platform built in a park) with names drawn from the
gazetteers (cities, provinces, zones, agencies, universities, firms, industries) and invented
firm and park names (syllables + 科技有限公司 / 人工智能产业园). Pages carry the chrome the
seeds carry (navigation lines, share buttons, a 相关阅读 tail of unrelated headlines) and come
in several encodings: UTF-8 text, GB18030 text, Big5 Traditional text (converted with
opencc-purepy s2t) and UTF-8 HTML.

The same ``seed`` and ``n`` always give the same files, byte for byte.

Usage::

    python benchmarks/corpus.py --n 1000 --seed 7 --out /tmp/corpus

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> out = Path(tempfile.mkdtemp())
>>> written = write_corpus(out, n=4, seed=7)
>>> [p.name for p in written]
['a00000.txt', 'a00001.txt', 'a00002.txt', 'a00003.txt']
>>> write_corpus(Path(tempfile.mkdtemp()), n=4, seed=7)[0].read_bytes() == written[0].read_bytes()
True
"""

from __future__ import annotations

import argparse
import html
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from aigraph.fsutil import atomic_write_bytes
from aigraph.gazetteers import load_gazetteer

#: Share of each output kind, in the order they are drawn: (kind, weight).
ENCODING_MIX: tuple[tuple[str, float], ...] = (
    ("utf-8", 0.55),
    ("gb18030", 0.15),
    ("big5", 0.10),
    ("html", 0.20),
)

# Syllables for invented names: the kind of characters Chinese tech firms pick.
_FIRM_SYLLABLES = "智云芯讯数图灵擎翼星辰思维海川睿达启明瀚宇曜光锐视声谷深蓝极目九天合创联众航"
_FIRM_SUFFIXES = (
    "科技有限公司",
    "智能科技有限公司",
    "信息技术有限公司",
    "人工智能研究院有限公司",
    "网络科技股份有限公司",
)
_PARK_SUFFIXES = ("人工智能产业园", "智能产业园", "数字经济产业园", "科技园", "智谷")
_PLATFORM_SUFFIXES = ("创新中心", "开放创新平台", "公共服务平台", "联合实验室", "工程技术研究中心")
_GIVEN_NAME_CHARS = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
_ROLES = ("董事长", "总裁", "首席执行官", "总经理", "首席科学家", "副总裁")
_METRIC_UNITS = (("营业收入", "亿元"), ("产值", "亿元"), ("总投资", "亿元"))

_NAV_LINES = (
    "首页 > 新闻中心 > 正文",
    "当前位置:首页 > 财经 >",
    "我们一直在努力",
    "无障碍浏览 进入关怀版",
    "设为首页 | 加入收藏 | 联系我们",
)
_TAIL_HEADLINES = (
    "邻里漏水引纠纷 社区调解暖人心",
    "秋季养生从一碗粥开始",
    "多地迎来降温天气 注意添衣保暖",
    "新款手机在海外推出 全球首发新芯片",
    "城市马拉松报名开启",
    "本周末全市公园举办菊花展",
    "地铁新线路开通运营 沿线居民出行更便捷",
)
_FILLER = (
    "加快推动人工智能与实体经济深度融合,打造具有国际竞争力的产业集群。",
    "坚持创新引领、市场导向,聚焦重点领域,补齐产业链短板。",
    "下一步,将继续优化营商环境,强化要素保障,推动项目早落地、早投产、早见效。",
    "与会代表积极探讨,有关项目顺利签约,为“十四五”开好局、起好步奠定基础。",
    "产业生态不断完善,创新能力持续增强,集聚效应日益显现。",
    "大力推动智能化信息化基础设施建设,推进5G应用及产业化。",
)


@dataclass(frozen=True)
class Names:
    """The pools names are drawn from, gazetteer entries first, in file order."""

    cities: tuple[str, ...]
    provinces: tuple[str, ...]
    parks: tuple[str, ...]
    agencies: tuple[str, ...]
    universities: tuple[str, ...]
    firms: tuple[str, ...]
    industries: tuple[str, ...]
    #: city -> its province, so "位于{province}{city}" never pairs 常州 with 河南.
    province_of: dict[str, str]


def gazetteer_names() -> Names:
    """Draw the name pools from :func:`aigraph.gazetteers.load_gazetteer`.

    Cities are the prefecture-level ones (what articles name), universities the institutions
    whose kind is ``university``.
    """
    gaz = load_gazetteer()

    def names(etype: str, keep: Callable[[object], bool] = lambda e: True) -> tuple[str, ...]:
        return tuple(e.name for e in gaz.by_type(etype) if keep(e))

    cities = names("City", lambda e: e.level in ("prefecture", "province"))
    return Names(
        cities=cities,
        provinces=names("Province"),
        parks=names("Park"),
        agencies=names("Agency"),
        universities=names("Institution", lambda e: e.level == "university")
        or names("Institution"),
        firms=names("Firm"),
        industries=names("Industry"),
        province_of={c: p for c in cities if (p := gaz.province_of(c))},
    )


def _short_place(name: str) -> str:
    """合肥市 -> 合肥, 安徽省 -> 安徽, 宁夏回族自治区 -> 宁夏: the form put before park names."""
    # Longest first, so an autonomous region loses its whole designation, not just 自治区.
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


class ArticleWriter:
    """Compose one article's text from a random generator and the name pools."""

    def __init__(self, rng: random.Random, names: Names) -> None:
        self.rng = rng
        self.names = names

    def pick(self, pool: Sequence[str]) -> str:
        return pool[self.rng.randrange(len(pool))]

    def invented_firm(self) -> str:
        syllables = "".join(self.rng.sample(_FIRM_SYLLABLES, self.rng.choice((2, 2, 3))))
        prefix = _short_place(self.pick(self.names.cities)) if self.rng.random() < 0.5 else ""
        return prefix + syllables + self.pick(_FIRM_SUFFIXES)

    def invented_park(self, city: str) -> str:
        syllables = "".join(self.rng.sample(_FIRM_SYLLABLES, 2))
        return _short_place(city) + syllables + self.pick(_PARK_SUFFIXES)

    def person(self) -> str:
        given = "".join(self.rng.sample(_GIVEN_NAME_CHARS, self.rng.choice((1, 2, 2))))
        return self.pick(_SURNAMES) + given

    def firm(self) -> str:
        return self.pick(self.names.firms) if self.rng.random() < 0.5 else self.invented_firm()

    def article(self) -> tuple[str, list[str]]:
        """Return ``(headline, paragraphs)`` for one article about one park."""
        rng = self.rng
        city = self.pick(self.names.cities)
        province = self.names.province_of.get(city) or self.pick(self.names.provinces)
        park = self.pick(self.names.parks) if rng.random() < 0.5 else self.invented_park(city)
        industry = self.pick(self.names.industries)
        year = rng.randrange(2016, 2024)
        headline = rng.choice(
            (
                f"{park}:创新不止 {industry}产业蓄势待发",
                f"{park}{year}年{industry}产业发展成效显著",
                f"聚焦{industry} {park}打造产业高地",
            )
        )
        shapes = (
            self._metrics,
            self._settles,
            self._cooperation,
            self._policy,
            self._person,
            self._platform,
            self._located,
        )
        paragraphs = []
        for _ in range(rng.randrange(12, 24)):
            sentences = []
            for _ in range(rng.randrange(2, 5)):
                if rng.random() < 0.25:
                    sentences.append(rng.choice(_FILLER))
                else:
                    sentences.append(rng.choice(shapes)(park, city, province, industry, year))
            paragraphs.append("".join(sentences))
        return headline, paragraphs

    # -- sentence shapes of the seeds -----------------------------------------------------

    def _metrics(self, park: str, city: str, province: str, industry: str, year: int) -> str:
        metric, unit = self.rng.choice(_METRIC_UNITS)
        firms = self.rng.randrange(50, 3000)
        value = self.rng.randrange(10, 2000)
        at = self.rng.choice((year, year - 1))
        return f"数据显示,截至{at}年底,{park}实现入驻企业{firms}户、{metric}{value}{unit}。"

    def _settles(self, park: str, city: str, province: str, industry: str, year: int) -> str:
        firm = self.firm()
        verb = self.rng.choice(("落户", "入驻", "签约落户"))
        return f"{firm}{verb}{park},将重点发展{industry}业务。"

    def _cooperation(self, park: str, city: str, province: str, industry: str, year: int) -> str:
        university = self.pick(self.names.universities)
        firm = self.firm()
        return f"{firm}与{university}签署战略合作协议,共同开展{industry}关键技术攻关。"

    def _policy(self, park: str, city: str, province: str, industry: str, year: int) -> str:
        agency = self.pick(self.names.agencies)
        start = year - self.rng.randrange(0, 3)
        title = f"{_short_place(province)}{industry}产业发展规划({start}—{start + 5}年)"
        return f"{agency}印发《{title}》,支持{park}建设{industry}产业集聚区。"

    def _person(self, park: str, city: str, province: str, industry: str, year: int) -> str:
        firm = self.firm()
        return f"{firm}{self.pick(_ROLES)}{self.person()}表示,公司将持续加大在{_short_place(city)}的研发投入。"

    def _platform(self, park: str, city: str, province: str, industry: str, year: int) -> str:
        platform = f"{_short_place(city)}{industry}{self.pick(_PLATFORM_SUFFIXES)}"
        return f"{park}建设{platform},为企业提供算力、数据和测试验证服务。"

    def _located(self, park: str, city: str, province: str, industry: str, year: int) -> str:
        place = city if province == city else province + city
        return f"{park}位于{place},规划面积{self.rng.randrange(3, 60)}平方公里。"


def page_text(rng: random.Random, headline: str, paragraphs: Sequence[str]) -> str:
    """The article as a page: navigation chrome, headline, body, share line, 相关阅读 tail."""
    lines = rng.sample(_NAV_LINES, rng.randrange(1, 3))
    lines += ["", headline, ""]
    lines += list(paragraphs)
    lines += ["", "分享至", "相关阅读"]
    lines += [f"  • {h}" for h in rng.sample(_TAIL_HEADLINES, 3)]
    return "\n".join(lines) + "\n"


def page_html(rng: random.Random, headline: str, paragraphs: Sequence[str]) -> str:
    """The article as an HTML page with a nav bar, the body in ``<article>``, a related list."""
    esc = html.escape
    nav = "".join(f"<li>{esc(line)}</li>" for line in rng.sample(_NAV_LINES, 2))
    body = "".join(f"<p>{esc(p)}</p>\n" for p in paragraphs)
    related = "".join(f'<li><a href="#">{esc(h)}</a></li>' for h in rng.sample(_TAIL_HEADLINES, 3))
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{esc(headline)}</title></head>\n<body>\n<nav><ul>{nav}</ul></nav>\n"
        f"<article><h1>{esc(headline)}</h1>\n{body}</article>\n"
        f"<aside><h3>相关阅读</h3><ul>{related}</ul></aside>\n"
        "<footer>版权所有 © 本网站</footer>\n</body></html>\n"
    )


def _to_traditional() -> Callable[[str], str]:
    from opencc_purepy import OpenCC

    return OpenCC("s2t").convert


def encode_article(
    kind: str,
    rng: random.Random,
    headline: str,
    paragraphs: Sequence[str],
    s2t: Callable[[str], str],
) -> tuple[str, bytes]:
    """Return ``(suffix, bytes)`` of one article in one of the :data:`ENCODING_MIX` kinds.

    Big5 cannot encode every character the Traditional text may hold; such an article is
    written as UTF-8 Traditional instead (it still exercises the Traditional → Simplified
    step), rather than losing characters to replacement marks.
    """
    if kind == "html":
        return ".html", page_html(rng, headline, paragraphs).encode("utf-8")
    text = page_text(rng, headline, paragraphs)
    if kind == "big5":
        traditional = s2t(text)
        try:
            return ".txt", traditional.encode("big5")
        except UnicodeEncodeError:
            return ".txt", traditional.encode("utf-8")
    return ".txt", text.encode(kind)


def write_corpus(out: Path, n: int, seed: int = 7, names: Names | None = None) -> list[Path]:
    """Write ``n`` articles ``a00000.*`` … into ``out`` and return their paths, in order."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    names = names or gazetteer_names()
    rng = random.Random(seed)
    writer = ArticleWriter(rng, names)
    s2t = _to_traditional()
    kinds = [k for k, _ in ENCODING_MIX]
    weights = [w for _, w in ENCODING_MIX]
    written = []
    for i in range(n):
        kind = rng.choices(kinds, weights)[0]
        headline, paragraphs = writer.article()
        suffix, data = encode_article(kind, rng, headline, paragraphs, s2t)
        path = out / f"a{i:05d}{suffix}"
        atomic_write_bytes(path, data)
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100, help="number of articles")
    parser.add_argument("--seed", type=int, default=7, help="random seed")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    args = parser.parse_args(argv)
    written = write_corpus(args.out, args.n, args.seed)
    total = sum(p.stat().st_size for p in written)
    print(f"wrote {len(written)} articles ({total / 1e6:.1f} MB) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
