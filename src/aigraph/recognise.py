"""Recognition: find the mentions of named things in an article body.

Three spaCy components, registered under versioned names, cooperate on one ``Doc``:

``aigraph_gazetteer_v1``
    Longest match of every name and alias of the public gazetteers, at character level (so a
    name glued to its neighbours, ``合肥市高新区``, is still seen). Names of one or two
    characters must also fall on jieba token boundaries (``美的`` in ``完美的`` is not a firm).
``aigraph_name_patterns_v1``
    Names nobody listed, recognised by their suffix (``…有限公司``, ``…产业园``, ``…创新中心``,
    ``…大学``, ``省/市…厅/局/委``, ``…规划``), their quotes (``《…》``) or their shape (a title
    followed by a person's name). The left edge of a suffix name is found by walking jieba
    tokens leftwards until a boundary token (punctuation, a function word, a verb that
    introduces names, a quantifier such as ``一批``).
``aigraph_mention_selector_v1``
    Keeps the best non-overlapping candidates (longest first, then by rule priority) and
    stores them as :class:`aigraph.records.Mention` in ``doc._.mentions``.

Mentions that are only generic (``园区``, ``该企业``, ``一批创新平台``) are never produced.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span

from .gazetteers import Gazetteer, load_gazetteer
from .records import Mention

if not Doc.has_extension("candidates"):
    Doc.set_extension("candidates", default=None)
if not Doc.has_extension("mentions"):
    Doc.set_extension("mentions", default=None)

# Rule names: versioned so evidence can say which version of a rule produced it.
RULE_GAZETTEER = "aigraph.gazetteer.v1"
RULE_SUFFIX = "aigraph.name_patterns.suffix.v1"
RULE_TITLE = "aigraph.name_patterns.quoted_title.v1"
RULE_QUOTED = "aigraph.name_patterns.quoted_name.v1"
RULE_PERSON = "aigraph.name_patterns.person.v1"
RULE_AGENCY = "aigraph.name_patterns.agency.v1"
RULE_PLAN = "aigraph.name_patterns.five_year_plan.v1"

# --------------------------------------------------------------------------------------
# Vocabulary of the patterns. These are facts about how Chinese names are built, not lists
# of answers: suffixes, function words, quantifiers.
# --------------------------------------------------------------------------------------

#: Suffix → entity type, longest suffixes first when matched.
SUFFIX_TYPES: dict[str, str] = {
    # firms
    "股份有限公司": "Firm",
    "有限责任公司": "Firm",
    "有限公司": "Firm",
    "集团股份有限公司": "Firm",
    "集团有限公司": "Firm",
    "集团": "Firm",
    "公司": "Firm",
    "科技": "Firm",
    "智能": "Firm",
    "机器人": "Firm",
    "医疗": "Firm",
    "光电": "Firm",
    "微电子": "Firm",
    # parks
    "产业园区": "Park",
    "工业园区": "Park",
    "科技园区": "Park",
    "产业园": "Park",
    "科技园": "Park",
    "软件园": "Park",
    "创业园": "Park",
    "生态园": "Park",
    "开发区": "Park",
    "高新区": "Park",
    "经开区": "Park",
    "试验区": "Park",
    "示范区": "Park",
    "先导区": "Park",
    "自贸区": "Park",
    "保税区": "Park",
    "产业基地": "Park",
    "基地": "Park",
    "产业集群": "Park",
    "集群": "Park",
    "新区": "Park",
    "智谷": "Park",
    "声谷": "Park",
    "光谷": "Park",
    "科技城": "Park",
    "软件城": "Park",
    "人工智能岛": "Park",
    "科学城": "Park",
    "科学园区": "Park",
    "科学园": "Park",
    "合作区": "Park",
    "小镇": "Park",
    # platforms
    "开放创新平台": "Platform",
    "创新平台": "Platform",
    "开放平台": "Platform",
    "服务平台": "Platform",
    "测试平台": "Platform",
    "交易平台": "Platform",
    "创新中心": "Platform",
    "研发中心": "Platform",
    "工程研究中心": "Platform",
    "工程技术研究中心": "Platform",
    "研产中心": "Platform",
    "交易中心": "Platform",
    "数据交易所": "Platform",
    "超算中心": "Platform",
    "智算中心": "Platform",
    "算力中心": "Platform",
    "计算中心": "Platform",
    "推广中心": "Platform",
    "数据中心": "Platform",
    "工程实验室": "Platform",
    "重点实验室": "Platform",
    "实验室": "Platform",
    "综合体": "Platform",
    "主平台": "Platform",
    "分平台": "Platform",
    "平台": "Platform",
    # institutions
    "大学": "Institution",
    "学院": "Institution",
    "研究所": "Institution",
    "研究院": "Institution",
    "科学院": "Institution",
    "工程院": "Institution",
    # agencies
    "领导小组办公室": "Agency",
    "领导小组": "Agency",
    "管委会": "Agency",
    "管理委员会": "Agency",
    "人民政府": "Agency",
    # policies
    "实施方案": "Policy",
    "行动计划": "Policy",
    "指导意见": "Policy",
    "发展规划": "Policy",
    "规划纲要": "Policy",
    "合作协议": "Policy",
    "研发计划": "Policy",
    "重大计划": "Policy",
    "人才计划": "Policy",
    "集群名单": "Policy",
}

#: Trade words that make a firm's name after a brand: 东声智能, 汇博机器人, 艾信医疗.
BRAND_SUFFIXES = frozenset({"智能", "机器人", "医疗", "光电", "微电子"})

#: Words jieba may glue to the end of a name's suffix (领导小组|会议 comes out 领导|小组会议).
_GLUED_AFTER_NAME = frozenset(
    {"会议", "会", "办公室", "成员", "成员单位", "负责人", "主任", "组长"}
)

#: Suffixes that name a thing only when a proper name precedes them (never alone).
WEAK_SUFFIXES = frozenset(
    {"公司", "集团", "基地", "集群", "平台", "实验室", "学院", "新区", "小镇"}
)

#: Maximum length of the part before a suffix, by type.
MAX_PREFIX = {"Firm": 18, "Park": 16, "Platform": 22, "Institution": 20, "Agency": 24, "Policy": 30}

#: Tokens that end a name when walking leftwards: function words, verbs that introduce names,
#: quantifiers and time words.
BOUNDARY_TOKENS = frozenset(
    """的 之 与 同 跟 由 在 是 为 对 将 等 向 从 被 把 以 于 并 或 让 给 使 经 据 当 如 至 及其
    子公司 全资子公司 控股子公司 分公司 全资 有利于 有助于 深度融入 融入
    其中 包括 其 该 还 也 都 已 已经 正在 会 要 能 可 均 即 则 就 又 再 更 最 很 共 共同 分别 相继
    联合 携手 牵头 引进 引入 落户 入驻 设立 成立 签约 签署 签订 支持 推动 推进 依托 建设 打造 组织
    获批 批准 揭牌 运营 投资 发布 印发 出台 举办 召开 表示 指出 介绍 认为 代表 作为 位于 坐落 来自
    前往 参观 加快 促进 培育 加强 围绕 聚焦 布局 积极 谋划 创建 申报 入选 获得 荣获 成为 形成
    拥有 集聚 聚集 吸引 带动 开展 实施 落实 贯彻 对接 提供 协助 面向 覆盖 上榜 公布 中 里 内
    外 上 下 前 后 时 间 期间 目前 如今 当前 近日 近期 日前 此外 同时 以及 并且 而且 但是 但 而 通过
    利用 按照 根据 结合 依据 基于 关于 加大 大力 重点 优先 全面 进一步 深化 完善 提升 鼓励 引导
    推介 汇报 指导 领导 主导 主办 承办 参与 参加 出席 会见 考察 调研 走进 走访 来到 到 赴 去 往
    新建 组建 共建 筹建 搭建 创办 创立 新增 拟 计划 预计 力争 争取 努力 致力 旨在 用于 以来 自 所
    这 这些 那 那些 此 各 各类 各级 各地 一批 一个 一家 一些 若干 多个 多家 多 几 几十 上百 数 全省
    全市 我省 我市 本省 本市 有关 相关 有条件 优质 知名 领军 龙头 骨干 头部 首个 首家 第一 一流
    国内 国际 省内 省外 市内 区内 世界级 万亿级 千亿级 百亿级 及 和 或者 还有 运营单位 单位 负责人
    会议 会上 会前 活动 现场 展厅 期间 项目 企业 公司 其他 等等 上市 中标 主攻 锚定 抢抓 着力 着眼
    占 达 达到 超 超过 突破 实现 完成 累计 年均 增长 助推 助力 赋能 服务于 把握 抢占 树立 对于
    年 月 日 底 初 末 年底 年初 了 着 过 简称 以下简称 发挥 给予 充分 明确 引领 长期 以来 个 两大 依靠 依托于
    统筹 利用好 充分发挥 出 纳入 扶持 大力支持 重点支持 奖励 补贴 资助 支持 大力 列入 参与 支撑 承担 承接 组织 中 一起 奔向 结合 整合 汇聚 营造 转型 延伸""".split()
)

#: Prefix words that make a suffix name generic when nothing proper remains beside them.
GENERIC_WORDS = frozenset(
    """国家级 省级 市级 区级 国家 地方 高新技术 高新 新型 综合 综合性 公共 专业 专业化 特色 重点 重大
    标准 基础 技术 产业 工业 科技 创新 创业 研发 开放 协同 共享 联合 战略 行业 领域 区域 大型 小型
    中小 中小型 若干 一批 各类 多个 人才 实训 经济技术 高新技术产业 经济 全资 子 分 控股 生产
    家电 大省 科技合作 字号 军民 融合 示范应用 上市 龙头企业 企业 新兴 战略性 行业性 区域性 全国性
    多地 时代 科研 机构 科研机构 全国 全省 全市 发展 集聚 产业发展 创新发展 应用 示范 服务 检验 检测 认证 测试 第三方 开源 软硬件
    云计算 集成 关键 共性 核心 制造业 产业链 产学研 科技型 信息 数据 资源 孵化 众创 空间 相关 有关
    先进 现代 未来 智慧 智能 数字 网络 平台 中心 园区 基地 集群 研究 工程 实验 主 分 子 总 首 该 本
    新 老 大 小 高 中 低 世界 国际 全球 中外 双创 招院引所 统筹 同类 各 这 那 此 其 与 和 及""".split()
)

#: Particles that never start a name.
_BAD_START = set(
    "的之与和及或等在是为对将向从被把以于并让给使经据当如至其该还也都已就又再更最很共了着过个"
)

_PUNCT_RE = re.compile(r"^[\s\W_]+$", re.UNICODE)
_CJK_RE = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]")
_DIGIT_RE = re.compile(r"^[\d０-９.]+$")
_TIME_RE = re.compile(r"^[\d一二三四五六七八九十〇零两]+(年|月|日|号|年底|年初|年末|季度)$")


class Candidate(NamedTuple):
    """A possible mention before overlaps are resolved.

    A named tuple, ordered by its fields like a tuple: an article has hundreds of candidates,
    and sorting, hashing and comparing them stays in C (a dataclass's ``__lt__`` runs Python).
    """

    start: int
    end: int
    label: str
    rule: str
    priority: int
    canonical: str | None = None


# --------------------------------------------------------------------------------------
# Token geometry
# --------------------------------------------------------------------------------------


class TokenIndex:
    """Character offsets of a doc's tokens, for boundary checks and leftward walks.

    Build it with :meth:`of`, which computes it once per doc (``Doc.text`` and token
    iteration are not free in spaCy, and three components need the same geometry).
    """

    @classmethod
    def of(cls, doc: Doc) -> TokenIndex:
        index = doc.user_data.get("aigraph_token_index")
        if index is None:
            index = cls(doc)
            doc.user_data["aigraph_token_index"] = index
        return index

    def __init__(self, doc: Doc) -> None:
        from spacy.attrs import IDX, LENGTH

        # the text the caller gave (``Doc.text`` is rebuilt from every token on each access)
        self.text = text = doc.user_data.get("aigraph_text") or doc.text
        # one array call instead of a Python Token object per token (much faster)
        table = doc.to_array([IDX, LENGTH]).astype(np.int64).reshape(-1, 2)
        starts, lengths = table[:, 0], table[:, 1]
        self.starts = starts.tolist()
        self.ends = (starts + lengths).tolist()
        texts = doc.user_data.get("aigraph_token_texts")  # given by aigraph's tokenizer
        if texts is None or len(texts) != len(self.starts):
            texts = [text[a:b] for a, b in zip(self.starts, self.ends, strict=True)]
        self.texts = texts
        # The token of every character, for constant-time lookups during leftward walks;
        # characters outside every token (a space after a token) map to token 0. Filled by
        # numpy: a Python loop over every character cost as much as a component.
        token_of = np.zeros(len(text) + 1, dtype=np.int64)
        if len(starts):
            owners = np.repeat(np.arange(len(starts)), lengths)
            first = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
            token_of[np.arange(len(owners)) + first] = owners
            token_of[len(text)] = len(starts) - 1
        self._token_of = token_of.tolist()
        self.start_set = set(self.starts)
        self.end_set = set(self.ends)

    def token_at(self, char: int) -> int:
        """Index of the token containing character ``char``."""
        if 0 <= char < len(self._token_of):
            return self._token_of[char]
        return max(0, bisect_right(self.starts, char) - 1)

    def token_by_char(self, char: int) -> int:
        """Index of the token whose text or trailing space holds ``char``; -1 outside the text.

        spaCy's ``token_by_char`` (``Doc.char_span`` finds tokens with it).
        """
        if not 0 <= char < len(self.text) or not self.starts:
            return -1
        t = self._token_of[char]
        if self.starts[t] <= char < self.ends[t]:
            return t
        return bisect_right(self.starts, char) - 1

    def is_boundary(self, start: int, end: int) -> bool:
        return start in self.start_set and end in self.end_set


@lru_cache(maxsize=1)
def _jieba_pos() -> dict[str, str]:
    """Part-of-speech tags of jieba's own dictionary (shipped in its wheel)."""
    import os

    import jieba

    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    table: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3:
                table[parts[0]] = parts[2]
    return table


#: Parts of speech that never belong inside a name: prepositions, conjunctions, particles,
#: pronouns, numerals and measure words, adverbs, locatives, interjections.
_FUNCTION_POS = frozenset(
    {
        "p",
        "c",
        "u",
        "uj",
        "ul",
        "uz",
        "uv",
        "ud",
        "ug",
        "r",
        "m",
        "q",
        "d",
        "ad",
        "f",
        "y",
        "e",
        "o",
        "zg",
        "t",
    }
)
#: In long names (platforms, policies, agencies) conjunctions join the name's own parts
#: (``技术及应用``, ``软件和信息服务``) and adverbs like ``共同`` occur (``部省共同推进…``).
_LONG_NAME_CONTINUE = frozenset({"和", "及", "与", "共同"})
#: A conjunction does not join a name's parts when what precedes it is itself a whole thing.
_WHOLE_THING_ENDS = (
    "机构",
    "平台",
    "中心",
    "实验室",
    "企业",
    "公司",
    "大学",
    "学院",
    "高校",
    "院所",
    "单位",
    "部门",
    "政府",
    "基地",
    "园区",
    "集群",
    "部",
    "厅",
    "局",
    "委",
    "委员会",
    "办公室",
    "管委会",
    "集团",
    "研究院",
    "研究所",
)
#: Boundaries of the longest names (policies, leading groups): only these words and function
#: words end them, so their own verbs stay inside (``部省共同推进…产业发展合作协议``).
MINIMAL_BOUNDARY_TOKENS = frozenset(
    """在 为 了 由 对 与 是 将 把 被 从 向 于 等 落实 贯彻 印发 出台 制定 发布 根据 按照 依据 召开 举行
    代表 入选 列入 纳入 按 经 通过 其中 包括 以及 并 或 的 之 年 月 日 进一步 加快 签署 签订 达成 成立
    设立 组建 了 着""".split()
)
#: Types whose names run long and may contain verbs.
LONG_NAME_TYPES = frozenset({"Platform", "Policy", "Agency"})
#: Words before a name that make it indefinite: "一批创新平台" names no platform.
INDEFINITE = frozenset(
    {
        "一批",
        "一个",
        "一家",
        "一些",
        "若干",
        "若干个",
        "多个",
        "多家",
        "各类",
        "各级",
        "个",
        "家",
        "批",
        "这些",
        "那些",
        "该",
        "各",
        "两大",
        "三大",
        "四大",
        "几个",
        "其他",
        "其它",
        "有关",
        "相关",
        "等",
    }
)


@lru_cache(maxsize=65536)
def _is_boundary_token(text: str, long_name: bool = False, minimal: bool = False) -> bool:
    """Does the token ``text`` end a name walked leftwards? (Cached: a pure function of the
    token, asked for most tokens of every article.)"""
    if long_name and text in _LONG_NAME_CONTINUE:
        return False
    if minimal:
        if (
            text in MINIMAL_BOUNDARY_TOKENS
            or _PUNCT_RE.match(text)
            or _DIGIT_RE.match(text)
            or text.isspace()
        ):
            return True
        pos = _jieba_pos().get(text)
        return (
            len(text) > 1
            and pos in ("p", "u", "uj", "r", "m", "q")
            and not text.startswith(("第", "新"))
        )
    if (
        text in BOUNDARY_TOKENS
        or bool(_PUNCT_RE.match(text))
        or bool(_DIGIT_RE.match(text))
        or bool(_TIME_RE.match(text))
        or text.isspace()
    ):
        return True
    if len(text) < 2:
        return False  # single characters that end names are listed; others (经开) are parts
    pos = _jieba_pos().get(text)
    if pos is None or pos not in _FUNCTION_POS:
        return False
    # ordinals and 新一代 belong to names: 电子第五研究所, 新一代人工智能
    return not (pos in ("m", "t") and text.startswith(("第", "新")))


#: Time words that, right after a place, begin a name rather than end it (杭州未来科技城,
#: 北京未来科学城): the walk otherwise stops at every time word.
_NAME_TIME_WORDS = frozenset({"未来"})
#: Trade words that, right after a place and before a company form, name a (state) firm
#: (陕西投资集团有限公司, 成都交通投资集团): the walk otherwise stops at them as verbs.
_FIRM_TRADE_WORDS = frozenset({"投资", "发展", "建设", "控股", "交通", "能源", "城投", "产业"})

_ALNUM_WORD_RE = re.compile(r"[A-Za-z0-9]+$")
_ALNUM_CHAR_RE = re.compile(r"[A-Za-z0-9]")
_COUNTED_RE = re.compile(r"[\d一二两三四五六七八九十百千万]+[个家批所项座]")


def walk_left(
    index: TokenIndex,
    start: int,
    max_len: int,
    keep_paren_places: frozenset[str],
    long_name: bool = False,
    stop_ends: frozenset[int] = frozenset(),
    minimal: bool = False,
    place_words: frozenset[str] = frozenset(),
    name_edges: frozenset[int] = frozenset(),
) -> int:
    """Leftmost start of a name whose suffix begins at ``start``.

    Walks tokens leftwards from ``start`` and stops at a boundary token, at the end of a name
    that must stay separate (``stop_ends``: ``科技部|国家重点研发计划``), or when the name would
    exceed ``max_len`` characters. A parenthesised place (``九识(苏州)``), a middle dot
    (``中国声谷·庐阳``) and ``+`` between Latin words (``IT+BT``) stay inside the name, and so
    does a word of ``place_words`` right after a place (parks: 未来, ``杭州未来科技城``; firms:
    trade words, ``陕西投资集团``), which the walk would otherwise stop at. A conjunction inside
    a long name (``智能感知与控制…实验室``) is kept unless a listed name ends right before it
    or starts right after it (``name_edges``: ``百度与长沙市人民政府`` is two things).
    """
    text = index.text
    pos = start
    # The suffix may begin inside a token (``科技股份|有限公司``): the part of that token
    # before the suffix belongs to the name.
    t = index.token_at(start)
    if index.starts[t] < start:
        pos = index.starts[t]
    t -= 1
    while t >= 0 and start - index.starts[t] <= max_len:
        if pos in stop_ends:
            break
        tok = index.texts[t]
        if tok in (")", "）"):
            # keep "(苏州)"-style glosses and "(中国声谷)"-style inner names inside a name
            open_at = max(
                text.rfind("(", max(0, index.starts[t] - 8), index.starts[t]),
                text.rfind("（", max(0, index.starts[t] - 8), index.starts[t]),
            )
            inner = text[open_at + 1 : index.starts[t]] if open_at >= 0 else ""
            if inner and (
                inner in keep_paren_places
                or (
                    long_name is False
                    and 2 <= len(inner) <= 6
                    and _CJK_RE.match(inner)
                    and open_at > 0
                    and _CJK_RE.match(text[open_at - 1])
                )
            ):
                pos = open_at
                t = index.token_at(open_at) - 1
                continue
            break
        if tok in ("·", "•", "・"):
            pos = index.starts[t]
            t -= 1
            continue
        if (
            tok == "+"
            and t > 0
            and _ALNUM_WORD_RE.match(index.texts[t - 1])
            and _ALNUM_CHAR_RE.match(text[index.ends[t] : index.ends[t] + 1])
        ):
            pos = index.starts[t]
            t -= 1
            continue
        if tok in _LONG_NAME_CONTINUE and t > 0 and index.texts[t - 1].endswith(_WHOLE_THING_ENDS):
            break
        if tok in _LONG_NAME_CONTINUE and (
            index.starts[t] in name_edges or index.ends[t] in name_edges
        ):
            break  # 百度与长沙市人民政府, 安徽省与上海市…: a listed name on either side is a thing
        if (
            tok in ("与", "和", "及")
            and t > 0
            and index.texts[t - 1] in _industry_set()
            and start - index.starts[t - 1] <= max_len
        ):
            # "人工智能与数字经济试验区": two fields joined inside one name
            pos = index.starts[t - 1]
            t -= 2
            continue
        if tok in place_words:
            # 杭州|未来|科技城, 陕西|投资|集团, 合肥|投资|建设|集团: between a place and the suffix
            # the words name the thing
            first = t
            while first > 0 and index.texts[first - 1] in place_words:
                first -= 1
            if (
                first > 0
                and index.texts[first - 1] in keep_paren_places
                and start - index.starts[first - 1] <= max_len
            ):
                pos = index.starts[first - 1]
                t = first - 2
                continue
        if _is_boundary_token(tok, long_name, minimal):
            break
        pos = index.starts[t]
        t -= 1
    while pos < start and text[pos] in _BAD_START:
        pos += 1
    return pos


def _preceded_by_indefinite(index: TokenIndex, start: int) -> bool:
    """Is the name introduced by a quantifier (``一批``, ``若干个``, ``两大``)?"""
    t = index.token_at(start)
    if index.starts[t] != start or t == 0:
        return False
    prev = index.texts[t - 1]
    if prev in INDEFINITE:
        return True
    return bool(_COUNTED_RE.fullmatch(prev))


# --------------------------------------------------------------------------------------
# Gazetteer matching
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _GazetteerForm:
    label: str
    canonical: str
    priority: int


_TYPE_PRIORITY = {
    "Agency": 60,
    "Institution": 58,
    "Firm": 56,
    "Park": 55,
    "Platform": 54,
    "Policy": 53,
    "Region": 52,
    "Province": 51,
    "City": 50,
    "Industry": 40,
}


@lru_cache(maxsize=1)
def _gazetteer_forms() -> tuple[dict[str, _GazetteerForm], dict[str, tuple[int, ...]]]:
    gaz = load_gazetteer()
    forms: dict[str, _GazetteerForm] = {}
    other_suffixes = tuple(
        k for k, v in SUFFIX_TYPES.items() if v in ("Park", "Platform", "Policy")
    )
    for entry in sorted(gaz.entries, key=lambda e: (e.name, e.type)):
        label = entry.type
        if label == "Industry" and entry.name.endswith(other_suffixes):
            continue  # "人工智能开放平台" names platforms, not a field
        surfaces = [entry.name, *entry.aliases]
        if entry.level == "county":
            # a county's short form (合作, 资源, 比如) is too often an ordinary word
            surfaces = [entry.name]
        if label == "Institution" and entry.name.endswith("大学") and len(entry.name) >= 6:
            surfaces.append(entry.name[:-1])  # 武汉理工大学 → 武汉理工大
        for surface in surfaces:
            surface = unicodedata.normalize("NFKC", surface).strip()
            if len(surface) < 2:
                continue
            prev = forms.get(surface)
            form = _GazetteerForm(label, entry.name, _TYPE_PRIORITY.get(label, 30))
            # A surface that is an entry's own name beats the same surface as an alias.
            if prev is None or (surface == entry.name and prev.canonical != surface):
                forms[surface] = form
    lengths: dict[str, set[int]] = {}
    for surface in forms:
        lengths.setdefault(surface[0], set()).add(len(surface))
    return forms, {c: tuple(sorted(ls, reverse=True)) for c, ls in lengths.items()}


@lru_cache(maxsize=1)
def _gazetteer_automaton():  # noqa: ANN202 - an ahocorasick.Automaton
    """An Aho–Corasick automaton over every gazetteer surface form.

    One pass over the text finds every listed name, where a dictionary probe per position
    and length took about as long as jieba's segmentation of the same text.
    """
    import ahocorasick

    forms, _ = _gazetteer_forms()
    automaton = ahocorasick.Automaton()
    for surface, form in forms.items():
        automaton.add_word(surface, (len(surface), form))
    automaton.make_automaton()
    return automaton


def gazetteer_candidates(doc: Doc, index: TokenIndex) -> list[Candidate]:
    """Every gazetteer name or alias in the text (the longest one starting at each position)."""
    text = index.text
    best: dict[int, tuple[int, _GazetteerForm]] = {}
    token_starts, token_ends = index.start_set, index.end_set
    for end_index, found in _gazetteer_automaton().iter(text):
        length = found[0]
        start = end_index + 1 - length
        if length <= 2 and (start not in token_starts or end_index + 1 not in token_ends):
            continue
        prev = best.get(start)
        if prev is None or prev[0] < length:
            best[start] = found
    return [
        Candidate(start, start + length, form.label, RULE_GAZETTEER, form.priority, form.canonical)
        for start, (length, form) in sorted(best.items())
    ]


# --------------------------------------------------------------------------------------
# Name patterns
# --------------------------------------------------------------------------------------

_SUFFIX_RE = re.compile("|".join(sorted(map(re.escape, SUFFIX_TYPES), key=len, reverse=True)))
_PARK_SUFFIXES = tuple(k for k, v in SUFFIX_TYPES.items() if v == "Park")
_SUFFIXES_LONGEST_FIRST = tuple(sorted(SUFFIX_TYPES, key=len, reverse=True))

_POLICY_WORDS = (
    "规划纲要|发展规划|规划|纲要|实施方案|方案|指导意见|意见|办法|措施|行动计划|计划|协议|条例|规定|"
    "细则|通知|决定|政策|指南|战略|名单|行动|共识|报告"
)
_TITLE_RE = re.compile(r"《([^《》\n]{2,60})》")
_POLICY_TITLE_RE = re.compile(rf"(?:{_POLICY_WORDS})(?:[(（][^()（）]{{2,16}}[)）])?$")
_QUOTED_RE = re.compile(r"[“\"]([^“”\"\n]{2,20})[”\"]")
_FIVE_YEAR_RE = re.compile(r"[“‘\"']?(十[一二三四五六七八九]五)[”’\"']?规划")
_REPORT_RE = re.compile(r"(?:党的)?[一二三四五六七八九十]{2,3}大报告")


@lru_cache(maxsize=1)
def _industry_words() -> tuple[str, ...]:
    """Industry names and aliases, longest first (descriptive when they open a name)."""
    words: set[str] = set()
    for e in load_gazetteer().by_type("Industry"):
        for f in e.surfaces:
            if len(f) >= 2:
                words.add(f)
    return tuple(sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _industry_set() -> frozenset[str]:
    """:func:`_industry_words` for membership tests (a tuple is scanned word by word)."""
    return frozenset(_industry_words())


@lru_cache(maxsize=1)
def _industry_endings() -> frozenset[str]:
    """Every ending of every industry word: ``x`` is here iff some industry word ends in ``x``."""
    return frozenset(w[i:] for w in _industry_words() for i in range(len(w)))


@lru_cache(maxsize=1)
def _industry_automaton():  # noqa: ANN202 - an ahocorasick.Automaton
    """An Aho–Corasick automaton over the industry words, to ask whether a text holds one."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for word in _industry_words():
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


@lru_cache(maxsize=1)
def _descriptive_words() -> tuple[str, ...]:
    """Generic words and industry names together, longest first (so 人工智能 goes whole)."""
    return tuple(sorted(set(GENERIC_WORDS) | set(_industry_words()), key=lambda w: (-len(w), w)))


# Cached: a pure function of the string, asked again for the same prefixes in every article.
@lru_cache(maxsize=65536)
def proper_part(prefix: str) -> str:
    """What is left of the part before a suffix once descriptive words are taken away.

    ``智能机器人`` (an industry) and ``国家级高新技术`` leave nothing: the name is generic.
    ``中国声谷合肥`` and ``九识(苏州)智能`` leave a proper part.
    """
    rest = prefix.strip()
    words, lengths = _descriptive_index()
    while rest:
        for length in lengths:
            if length > len(rest):
                continue
            if rest[:length] in words:
                rest = rest[length:]
                break
            if rest[-length:] in words:
                rest = rest[:-length]
                break
        else:
            break  # no descriptive word at either end: what is left is proper
    return rest


@lru_cache(maxsize=1)
def _descriptive_index() -> tuple[frozenset[str], tuple[int, ...]]:
    words = frozenset(_descriptive_words())
    return words, tuple(sorted({len(w) for w in words}, reverse=True))


def _proper_prefix(prefix: str, gaz: Gazetteer) -> bool:
    """Does the part before a suffix name something, rather than describe a kind of thing?"""
    if not prefix or not _CJK_RE.search(prefix) and not re.search(r"[A-Za-z]{2,}", prefix):
        return False
    if prefix.startswith(("国家", "中国")) and len(prefix) >= 8:
        return True  # 国家新一代人工智能创新发展(试验区): a national programme's own name
    return bool(proper_part(prefix))


_LEVEL_PREFIX_RE = re.compile(r"^(?:[\d一二两三四五六七八九十百千万亿]*[万千百亿])?级")


def _is_heading(text: str, start: int, end: int) -> bool:
    """Is the name a heading by itself (``智能机器人基地。依托…``)?"""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start].strip()
    after = text[end : end + 1]
    return before == "" and after in ("。", "\n", "")


def suffix_candidates(
    doc: Doc,
    index: TokenIndex,
    gaz: Gazetteer,
    stop_ends: frozenset[int] = frozenset(),
    name_edges: frozenset[int] = frozenset(),
) -> list[Candidate]:
    """Names that end in a type-marking suffix, with their left edge found by token walk."""
    text = TokenIndex.of(doc).text
    places = _place_names()
    pos_table = _jieba_pos()
    industries, industry_endings = _industry_set(), _industry_endings()
    out: list[Candidate] = []
    for m in _SUFFIX_RE.finditer(text):
        suffix = m.group(0)
        label = SUFFIX_TYPES[suffix]
        s, e = m.start(), m.end()
        if suffix == "公司" and text[s - 1 : s] == "子":
            continue  # 华为子公司: a relation between firms, not a name
        if suffix in BRAND_SUFFIXES and (
            s < 2
            or pos_table.get(text[s - 2 : s]) is not None
            or text[s - 2 : s] in industries
            or text[s - 2 : e] in industry_endings
        ):
            # A brand name (东声智能) is two unknown characters before the trade word: checked
            # below after the walk, but these tests need only the text (``智能`` is the most
            # frequent suffix of all, and mostly an ordinary word).
            continue
        # The suffix must end a token (``公司`` in ``公司代表`` is fine; in ``公司化`` it is not),
        # unless jieba glued a following word onto it (领导|小组会议: the group's meeting).
        if e not in index.end_set and not (e < len(text) and not _CJK_RE.match(text[e])):
            t = index.token_at(e - 1)
            if text[e : index.ends[t]] not in _GLUED_AFTER_NAME:
                continue
        long_name = label in LONG_NAME_TYPES
        # names never swallow a government body before them (成都市经信局|扶持X有限公司)
        stops = stop_ends if label in ("Policy", "Firm", "Park", "Platform") else frozenset()
        minimal = label == "Policy" or suffix.startswith("领导小组")
        # 未来 right after a place begins a park's name, and so the name of its committee
        # (杭州未来科技城管委会)
        if label == "Park" or text.endswith(_PARK_SUFFIXES, 0, s):
            place_words = _NAME_TIME_WORDS
        elif label == "Firm" and "有限" in suffix:
            place_words = _FIRM_TRADE_WORDS  # (a registered company form: 合肥投资公司 is generic)
        else:
            place_words = frozenset()
        start = walk_left(
            index,
            s,
            MAX_PREFIX.get(label, 18),
            places,
            long_name,
            stops,
            minimal,
            place_words,
            name_edges,
        )
        level = _LEVEL_PREFIX_RE.match(text[start:s])
        if level:
            start += level.end()
        if label != "Policy" and _preceded_by_indefinite(index, start):
            continue
        if label == "Agency" and _every_level(text, start):
            continue
        start = _cut_province_before_city(text, start, s)
        prefix = text[start:s]
        if label == "Policy":
            if not _proper_policy_prefix(prefix, gaz):
                continue
        elif label == "Firm" and suffix in BRAND_SUFFIXES:
            # 东声智能, 千机智能, 汇博机器人, 艾信医疗: one unknown word (a brand) before a
            # trade word, nothing else (工业机器人 and 人工智能 begin with ordinary words)
            if (
                s - start != 2
                or _jieba_pos().get(text[start:s]) is not None
                or text[start:s] in _industry_set()
            ):
                continue
            if text[start:e] in _industry_endings():
                continue
        elif label == "Firm" and suffix == "科技":
            if len(prefix) < 2 or not proper_part(prefix) or prefix in _industry_set():
                continue
            if _only_a_place(prefix):
                continue  # 南山区科技(创新局), 合肥科技(大市场): a place is no firm's whole name
            last = index.texts[index.token_at(s - 1)] if s > 0 else ""
            if _jieba_pos().get(last) is not None and not any(
                prefix[:length] in places for length in range(2, min(8, len(prefix) + 1))
            ):
                continue  # 抓住科技, 驱动新科技: a word, not a name, before 科技
        elif not _proper_prefix(prefix, gaz):
            # industry + suffix: a platform of that field is named so (类脑智能开放平台); a park
            # or base only when the name stands as a heading (智能机器人基地。)
            if not prefix or label not in ("Platform", "Park"):
                continue
            if label == "Park" and not _is_heading(text, start, e):
                continue
            if label == "Platform" and (not _has_industry(prefix) or suffix in WEAK_SUFFIXES):
                continue
        if suffix in WEAK_SUFFIXES and len(prefix) < 2:
            continue
        if label == "Institution" and suffix in ("大学", "学院"):
            # 香港科技大学（广州）: a campus named by its city is a university of its own
            campus = _CAMPUS_RE.match(text, e)
            if campus and campus.group(1) in places:
                e = campus.end()
        out.append(Candidate(start, e, label, RULE_SUFFIX, 20 + len(suffix)))
    return out


_CAMPUS_RE = re.compile(r"[(（]([\u4e00-\u9fff]{2,4})[)）]")
#: The national supercomputing centres are named 国家超级计算 + city + 中心 (国家超级计算济南中心).
_SUPERCOMPUTING_CENTRE_RE = re.compile(r"国家超级计算[\u4e00-\u9fff]{2,3}中心")


def national_centre_candidates(doc: Doc) -> list[Candidate]:
    """National platforms whose naming scheme puts the city inside (国家超级计算成都中心)."""
    text = TokenIndex.of(doc).text
    places = _place_names()
    return [
        Candidate(m.start(), m.end(), "Platform", RULE_SUFFIX, 40)
        for m in _SUPERCOMPUTING_CENTRE_RE.finditer(text)
        if text[m.start() + 6 : m.end() - 2] in places
    ]


def _only_a_place(prefix: str) -> bool:
    """Is ``prefix`` nothing but place names (``南山区``, ``深圳市南山区``, ``合肥``)?"""
    places = _place_names()
    ends = {0}
    for end in range(1, len(prefix) + 1):
        if any(prefix[start:end] in places for start in ends if end - start >= 2):
            ends.add(end)
    return len(prefix) in ends


def _has_industry(prefix: str) -> bool:
    """Does the prefix name an industry (``人工智能计算公共服务``, ``国家机器人``)?"""
    return next(_industry_automaton().iter(prefix), None) is not None


def _cut_province_before_city(text: str, start: int, end: int) -> int:
    """``江苏苏州工业园区`` → ``苏州工业园区``: a province glued before a city is not the name."""
    places = _place_names()
    provinces = _province_names()
    for length in (4, 3, 2):
        head = text[start : start + length]
        if head in provinces:
            rest = start + length
            for l2 in (4, 3, 2):
                seg = text[rest : rest + l2]
                if rest + l2 <= end and seg in places and seg not in provinces:
                    return rest
            break
    return start


@lru_cache(maxsize=1)
def _province_names() -> frozenset[str]:
    names: set[str] = set()
    for e in load_gazetteer().by_type("Province"):
        names.update(f for f in e.surfaces if len(f) >= 2)
    return frozenset(names)


def _proper_policy_prefix(prefix: str, gaz: Gazetteer) -> bool:
    """A policy named without quotes needs a proper head: a place, a government, a programme."""
    if len(prefix) < 3 or (len(prefix) < 4 and not prefix.startswith(("省", "市"))):
        return False
    heads = ("国家", "部省", "省", "市", "中国", "全国")
    if prefix.startswith(heads):
        return True
    places = _place_names()
    return any(prefix[:length] in places for length in range(2, min(8, len(prefix) + 1)))


@lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    gaz = load_gazetteer()
    names: set[str] = set()
    for entry in gaz.entries:
        if entry.type in ("City", "Province"):
            names.add(entry.name)
            names.update(a for a in entry.aliases if len(a) >= 2)
    return frozenset(names)


def title_candidates(doc: Doc) -> list[Candidate]:
    """Policies in book-title marks (``《…规划》``), and five-year plans and party reports."""
    text = TokenIndex.of(doc).text
    out: list[Candidate] = []
    for m in _TITLE_RE.finditer(text):
        inner = m.group(1).strip()
        if _POLICY_TITLE_RE.search(inner):
            out.append(Candidate(m.start(1), m.end(1), "Policy", RULE_TITLE, 90))
    for m in _FIVE_YEAR_RE.finditer(text):
        # Only a plan by itself: "十四五规划", not "…“十四五”规划" inside a longer title.
        if text[max(0, m.start() - 1) : m.start()] in ("《",) or _inside_title(text, m.start()):
            continue
        out.append(
            Candidate(m.start(), m.end(), "Policy", RULE_PLAN, 45, canonical=m.group(1) + "规划")
        )
    for m in _REPORT_RE.finditer(text):
        out.append(Candidate(m.start(), m.end(), "Policy", RULE_PLAN, 45))
    return out


def _inside_title(text: str, pos: int) -> bool:
    open_at = text.rfind("《", max(0, pos - 60), pos)
    return open_at >= 0 and text.find("》", open_at, pos) < 0


def quoted_candidates(doc: Doc, index: TokenIndex, gaz: Gazetteer) -> list[Candidate]:
    """Quoted names whose last word marks their type (``“语言计算…开放创新平台”``)."""
    out: list[Candidate] = []
    text = TokenIndex.of(doc).text
    for m in _QUOTED_RE.finditer(text):
        inner = m.group(1)
        sm = None
        for suffix in _SUFFIXES_LONGEST_FIRST:
            if inner.endswith(suffix) and len(inner) > len(suffix):
                sm = suffix
                break
        if sm is None:
            if re.search(r"(战略|计划|共识|行动|工程|规划|方案|名单)$", inner):
                out.append(Candidate(m.start(1), m.end(1), "Policy", RULE_QUOTED, 80))
            elif re.match(r"(战略|计划|工程)", text[m.end() : m.end() + 2]):
                out.append(Candidate(m.start(), m.end() + 2, "Policy", RULE_QUOTED, 80))
            continue
        label = SUFFIX_TYPES[sm]
        out.append(Candidate(m.start(1), m.end(1), label, RULE_QUOTED, 80))
    return out


@lru_cache(maxsize=1)
def _person_regex() -> re.Pattern[str]:
    gaz = load_gazetteer()
    titles = sorted({t.name for t in gaz.titles}, key=len, reverse=True)
    surnames = sorted(gaz.surnames, key=len, reverse=True)
    return re.compile(
        "(?P<title>" + "|".join(map(re.escape, titles)) + ")"
        "(?P<name>(?:" + "|".join(map(re.escape, surnames)) + r")[\u4e00-\u9fff]{1,2})"
    )


#: Characters that often follow a name and so cannot end a two-character given name.
_AFTER_NAME = set("表指说介认代对在等的是和与予老上分发也将就称透强谈坦提同称讲率带主出会向为")


#: Function words that end no given name: after a name they are a word of their own (李明|在).
_NEVER_ENDS_NAME = set("在的是说对等将就也称表指")
#: What a person's whole name is followed by as the subject of a sentence.
_AFTER_A_SUBJECT = (
    "表示", "指出", "说", "称", "介绍", "强调", "认为", "在", "出席", "讲话", "致辞", "主持",
    "和", "与", "等", "也", "还", "就", "对", "是", "的", "将", "，", "、", "。", ",",
)  # fmt: skip


def person_candidates(doc: Doc) -> list[Candidate]:  # noqa: D103
    """People introduced by their title: ``副省长何树山``, ``创始人孔旗``, ``处长王蓓``."""
    text = TokenIndex.of(doc).text
    out: list[Candidate] = []
    index = TokenIndex.of(doc)
    for m in _person_regex().finditer(text):
        s, e = m.span("name")
        if e not in index.end_set and e - 1 in index.end_set and e - s == 3:
            e -= 1  # jieba ends the name earlier: 王蓓|推介
        elif e - s == 3 and text[e - 1] in _AFTER_NAME and e not in index.end_set:
            e -= 1
        elif e - s == 3 and text[e - 1] in _NEVER_ENDS_NAME and e - 1 in index.start_set:
            e -= 1  # a word of its own after a two-character name: 李明|在|会上
        elif (
            e - s == 3
            and text[e - 1] in "和与向为"
            and e - 1 in index.start_set
            and not text.startswith(_AFTER_A_SUBJECT, e)
        ):
            # 李明|和|副局长王刚, 李明|向|记者: a joining word, unless what follows is what a
            # whole name does next (刘有为|表示, 王建和|在会上), which these given names end with
            e -= 1
        out.append(Candidate(s, e, "Person", RULE_PERSON, 70))
    return out


def known_person_repeats(doc: Doc, people: list[Candidate]) -> list[Candidate]:
    """Later mentions of a person already introduced by title (``王志军指出``)."""
    text = TokenIndex.of(doc).text
    names = {text[c.start : c.end] for c in people}
    out = []
    for name in sorted(names):
        # every non-overlapping occurrence, left to right (a regex per name was compiled anew)
        at = text.find(name)
        while at >= 0:
            out.append(Candidate(at, at + len(name), "Person", RULE_PERSON, 69))
            at = text.find(name, at + len(name))
    return out


@lru_cache(maxsize=4)
def _agency_suffix_regex(gaz: Gazetteer) -> re.Pattern[str] | None:
    """Every department name and short form of the gazetteer, longest first (built once)."""
    suffixes: list[str] = []
    for s in gaz.agency_suffixes:
        suffixes.append(s.full)
        suffixes.extend(s.short_forms)
    suffixes = sorted(set(suffixes), key=len, reverse=True)
    if not suffixes:
        return None
    return re.compile("|".join(map(re.escape, suffixes)))


def agency_candidates(doc: Doc, index: TokenIndex, gaz: Gazetteer) -> list[Candidate]:
    """Government departments: a place (or ``省``/``市``) followed by a department name."""
    text = TokenIndex.of(doc).text
    out: list[Candidate] = []
    rx = _agency_suffix_regex(gaz)
    if rx is None:
        return out
    places = _place_names()
    for m in rx.finditer(text):
        s, e = m.span()
        # A place name right before the department name: 安徽省经济和信息化厅, 杭州市经信局.
        start = _place_ending_at(text, s, places)
        if (
            text[e - 1] == "局"
            and text[e : e + 1] in ("面", "势")
            and (
                text[e : e + 2] not in ("面临", "面向", "面对", "势必")
                or text[e : e + 3] == "面向好"
            )
        ):
            continue  # 全市科技创新局面持续向好: 局面 (the situation), not a bureau
        if start is None and text[max(0, s - 2) : s] == "特区":
            # 香港特区政府: the region's own government, named by its short form
            start = _place_ending_at(text, s - 2, places)
            if start is None:
                continue  # 特区政府 alone: which region's is not said
        if start is None and s >= 1 and text[s - 1] in "省市区县":
            if _every_level(text, s - 1):
                continue
            start = s - 1
        if start is None:
            # A department named by itself only if the department name is long and specific.
            if len(m.group(0)) >= 5 and m.group(0) not in ("人民政府",):
                start = s
            else:
                continue
        out.append(Candidate(start, e, "Agency", RULE_AGENCY, 65))
    # A bureau of a special administrative region's government (香港特别行政区政府创新科技及工业局,
    # 香港特区政府数字政策办公室): names outside the mainland's standard department list. Only
    # there: after any other 政府 the same shape is a clause (市政府与百度签署, 市政府全面部署).
    for m in _SAR_BUREAU_RE.finditer(text):
        middle = m.group()[m.group().index("政府") + 2 :]
        if middle.endswith(_NOT_A_BUREAU) or any(c in middle for c in "与和同向对将把在"):
            continue  # 香港特区政府与华为签署, 特区政府全面部署: a clause, not a bureau's name
        start = _place_ending_at(text, m.start(), places)
        if start is not None:
            out.append(Candidate(start, m.end(), "Agency", RULE_AGENCY, 64))
    return out


def _place_ending_at(text: str, end: int, places: frozenset[str]) -> int | None:
    """Start of the longest place name (2-12 characters) ending at ``end``, if any."""
    for length in range(min(12, end), 1, -1):
        if text[end - length : end] in places:
            return end - length
    return None


#: Characters of a list of administrative levels (各省、自治区、直辖市; 各区县; 各县（市、区）).
_LEVEL_LIST_CHARS = frozenset("省市区县、自治直辖州盟旗（）()")
#: What opens such a list: 各, 每, 各个, 每个, 各设区的, 各地级 ...
_EVERY_RE = re.compile(r"(?:各|每)个?(?:设区的?|地级|所辖|下辖)?$")


def _every_level(text: str, start: int) -> bool:
    """Does a bare level (省/市/区/县) at ``start`` belong to 各…/每… (各市、县人民政府, 各区县科技局,
    每个设区的市人民政府): every such body, not one?"""
    if not text[start : start + 1] or text[start] not in _LEVEL_LIST_CHARS - {"、"}:
        return False
    run = start
    while run > 0 and text[run - 1] in _LEVEL_LIST_CHARS:
        run -= 1
    return bool(_EVERY_RE.search(text, max(0, run - 6), run))


#: Words ending in 局 or 署 that name no bureau.
_NOT_A_BUREAU = ("签署", "部署", "布局", "格局", "大局", "全局", "当局", "结局", "开局", "变局")
_SAR_BUREAU_RE = re.compile(r"(?:特别行政区|特区)政府[\u4e00-\u9fff]{2,10}?(?:局|署|办公室)")


RULE_LIST = "aigraph.name_patterns.list.v1"
RULE_APPOSITIVE = "aigraph.name_patterns.appositive.v1"
_OPERATOR_RE = re.compile(
    r"(?:运营单位|运营方|运营主体|运营商|运营公司|建设单位|承建单位)(?:——|—|:|：|为|是)"
    r"([\u4e00-\u9fffA-Za-z0-9()（）]{2,16}?)(?=的|、|,|，|。|；|;|$)"
)


def appositive_candidates(doc: Doc) -> list[Candidate]:
    """Organisations introduced by their role: ``中国声谷运营单位——安徽省信投``."""
    out = []
    for m in _OPERATOR_RE.finditer(TokenIndex.of(doc).text):
        if proper_part(m.group(1)):
            out.append(Candidate(m.start(1), m.end(1), "Firm", RULE_APPOSITIVE, 60))
    return out


_FIRM_HEAD_RE = re.compile(
    r"^等(?:[\d一二三四五六七八九十几]+家)?(?:龙头|头部|重点|骨干|知名|领军|科技|创新型|大型|互联网|平台)?(?:企业|公司)"
)
_INDUSTRY_HEAD_RE = re.compile(
    r"^等(?:[\d一二三四五六七八九十几]+个)?(?:重点|核心|关键|前沿|新兴|核心技术|技术|新)?(?:领域|产业|行业|业务|方向)"
)
_SEP_CHARS = '、,，。；;：:“”"《》()（）\n!?！？'


def firm_list_candidates(doc: Doc, index: TokenIndex, cands: list[Candidate]) -> list[Candidate]:
    """In a ``、`` list that already holds a firm, name-like neighbours are firms too.

    ``东声智能、艾信医疗``: once 东声智能 is a firm, 艾信医疗 (an unknown word and a trade) is
    one as well. A neighbour must begin with a word jieba does not know (a brand), so
    ordinary words in the list are left alone.
    """
    text = TokenIndex.of(doc).text
    firms = [c for c in cands if c.label == "Firm"]
    taken = {(c.start, c.end) for c in cands}
    out: list[Candidate] = []
    pos_table = _jieba_pos()
    for f in firms:
        for direction in (1, -1):
            edge = f.end if direction == 1 else f.start
            while True:
                if direction == 1:
                    if text[edge : edge + 1] != "、":
                        break
                    m = re.match(r"[\u4e00-\u9fff]{2,6}", text[edge + 1 :])
                    if not m:
                        break
                    a, limit = edge + 1, edge + 1 + m.end()
                    # the neighbour ends before the next boundary word (苏州微清|入选, …|等)
                    b, t = a, index.token_at(a)
                    while (
                        t < len(index.starts)
                        and index.ends[t] <= limit
                        and not _is_boundary_token(index.texts[t])
                        and index.texts[t] not in ("等", "、")
                    ):
                        b, t = index.ends[t], t + 1
                else:
                    if edge < 1 or text[edge - 1] != "、":
                        break
                    m = re.search(r"[\u4e00-\u9fff]{2,6}$", text[: edge - 1])
                    if not m:
                        break
                    a, b = m.start(), edge - 1
                    a = walk_left(index, b, 6, frozenset(), False)
                if b - a < 3 or (a, b) in taken:
                    break
                first = index.texts[index.token_at(a)]
                if first in _place_names() and index.ends[index.token_at(a)] < b:
                    first = index.texts[index.token_at(index.ends[index.token_at(a)])]
                if not proper_part(text[a:b]):
                    break
                if pos_table.get(first) is not None and not _same_trade(text, f, a, b):
                    break
                out.append(Candidate(a, b, "Firm", RULE_LIST, 34))
                edge = b if direction == 1 else a
    return out


def _same_trade(text: str, firm: Candidate, a: int, b: int) -> bool:
    """Do the listed firm and its neighbour ``text[a:b]`` end in the same trade word, after a
    name of their own (宇树科技、云深处科技: a brand jieba reads as words, 云|深处, before 科技)?"""
    name, neighbour = text[firm.start : firm.end], text[a:b]
    for trade in BRAND_SUFFIXES | {"科技"}:
        if name.endswith(trade) and neighbour.endswith(trade):
            prefix = neighbour[: -len(trade)]
            # a brand jieba does not know as one word (云深处), not a field (农业科技, 家居智能)
            return (
                len(prefix) >= 2
                and _jieba_pos().get(prefix) is None
                and prefix not in _industry_set()
                and not _only_a_place(prefix)
            )
    return False


def list_candidates(doc: Doc, index: TokenIndex, cands: list[Candidate]) -> list[Candidate]:
    """Items of a list closed by ``等…企业`` are firms, by ``等…领域/产业`` industries.

    ``科大讯飞、华米科技、新华三等龙头企业``: every item is a firm even if no gazetteer lists it.
    An industry list must already hold a known industry, so the head word is not trusted alone.
    """
    text = TokenIndex.of(doc).text
    places = _place_names()
    known = {(c.start, c.end): c for c in cands}
    out: list[Candidate] = []
    for m in re.finditer("等", text):
        pos = m.start()
        tail = text[pos : pos + 14]
        if _FIRM_HEAD_RE.match(tail):
            label = "Firm"
        elif _INDUSTRY_HEAD_RE.match(tail):
            label = "Industry"
        else:
            continue
        items: list[tuple[int, int]] = []
        end = pos
        while end > 0:
            start = end
            while start > 0 and text[start - 1] not in _SEP_CHARS and end - start < 14:
                start -= 1
            walked = walk_left(index, end, 12, places, False)
            if start > 0 and text[start - 1] == "、" and walked <= start:
                items.append((start, end))
                end = start - 1
                continue
            start = walked
            # the first item stops at a verb too: 重点发展|智能网联汽车
            while start < end:
                tok = index.token_at(start)
                if _jieba_pos().get(index.texts[tok]) in ("v", "vn") and index.ends[tok] < end:
                    start = index.ends[tok]
                else:
                    break
            if end - start >= 2:
                items.append((start, end))
            break
        if len(items) < 2 and label == "Industry":
            continue
        # "智能机器人和智能信息处理": the last two items joined by 和/及
        if items:
            s0, e0 = items[0]
            seg = text[s0:e0]
            if (s0, e0) not in known:
                for conj in ("和", "及"):
                    k = seg.find(conj)
                    if 2 <= k <= len(seg) - 3:
                        items[0:1] = [(s0 + k + 1, e0), (s0, s0 + k)]
                        break
        spans = [(a, b) for a, b in items if 2 <= b - a <= 12 and _CJK_RE.search(text[a:b])]
        if label == "Industry" and not any(
            (a, b) in known and known[(a, b)].label == "Industry" for a, b in spans
        ):
            continue
        for a, b in spans:
            if label == "Firm" and not proper_part(text[a:b]):
                continue
            out.append(Candidate(a, b, label, RULE_LIST, 35))
    return out


# --------------------------------------------------------------------------------------
# Overlap resolution
# --------------------------------------------------------------------------------------


def select_mentions(candidates: list[Candidate], text: str) -> list[Candidate]:
    """Keep non-overlapping candidates: longest first, then higher priority, then leftmost."""
    return _select(candidates, 0, len(text) + 1)


def _select(candidates: list[Candidate], lo: int, hi: int) -> list[Candidate]:
    """:func:`select_mentions` for candidates inside characters ``lo:hi``."""
    if not candidates:
        return []
    chosen: list[Candidate] = []
    taken = bytearray(hi - lo)
    for c in sorted(candidates, key=lambda c: (c.start - c.end, -c.priority, c.start, c.label)):
        a, b = c.start - lo, c.end - lo
        if b <= a or any(taken[a:b]):
            continue
        chosen.append(c)
        taken[a:b] = b"\x01" * (b - a)
    return sorted(chosen)


def warm_up() -> None:
    """Load every table the components use (so forked workers inherit them loaded)."""
    _gazetteer_forms()
    _gazetteer_automaton()
    _jieba_pos()
    _descriptive_index()
    _place_names()
    _province_names()
    _person_regex()


# --------------------------------------------------------------------------------------
# spaCy components
# --------------------------------------------------------------------------------------


def _candidates(doc: Doc) -> list[Candidate]:
    if doc._.candidates is None:
        doc._.candidates = []
    return doc._.candidates


@Language.component("aigraph_gazetteer_v1")
def gazetteer_component(doc: Doc) -> Doc:
    """Add gazetteer candidates to ``doc._.candidates``."""
    _candidates(doc).extend(gazetteer_candidates(doc, TokenIndex.of(doc)))
    return doc


@Language.component("aigraph_name_patterns_v1")
def name_patterns_component(doc: Doc) -> Doc:
    """Add pattern candidates (suffix names, titles, quoted names, agencies, people)."""
    gaz = load_gazetteer()
    index = TokenIndex.of(doc)
    cands = _candidates(doc)
    stop_ends = frozenset(c.end for c in cands if c.rule == RULE_GAZETTEER and c.label == "Agency")
    # where listed names (not fields) begin and end: a conjunction there joins two things
    name_edges = frozenset(
        edge
        for c in cands
        if c.rule == RULE_GAZETTEER and c.label != "Industry"
        for edge in (c.start, c.end)
    )
    cands.extend(suffix_candidates(doc, index, gaz, stop_ends, name_edges))
    cands.extend(title_candidates(doc))
    cands.extend(national_centre_candidates(doc))
    cands.extend(quoted_candidates(doc, index, gaz))
    cands.extend(agency_candidates(doc, index, gaz))
    people = person_candidates(doc)
    cands.extend(people)
    cands.extend(known_person_repeats(doc, people))
    cands.extend(list_candidates(doc, index, cands))
    cands.extend(appositive_candidates(doc))
    cands.extend(firm_list_candidates(doc, index, cands))
    return doc


#: Which named things inside a name are themselves worth an entity (``无锡物联网集群`` names
#: the city 无锡 and the industry 物联网; ``华为(苏州)人工智能创新中心`` names 华为).
INNER_TYPES: dict[str, frozenset[str]] = {
    "Park": frozenset({"City", "Province", "Industry", "Park"}),
    "Platform": frozenset({"City", "Province", "Industry", "Firm", "Institution"}),
    "Policy": frozenset({"City", "Province", "Industry", "Park", "Agency"}),
    # a firm's own institute (中兴通讯股份有限公司西安研究所, 腾讯研究院) names the firm
    "Institution": frozenset({"Firm"}),
    # a park's management committee (苏州工业园区管委会) names the park
    "Agency": frozenset({"Park"}),
}


def inner_mentions(
    chosen: list[Candidate], candidates: list[Candidate], index: TokenIndex | None = None
) -> list[Candidate]:
    """Gazetteer names inside chosen names, of the types :data:`INNER_TYPES` allows.

    Names that begin on a jieba token boundary come first: in 东湖|大数据|交易|中心 the field is
    大数据, not the overlapping 数据交易.
    """
    out: list[Candidate] = []
    # Gazetteer candidates (and parks named by their suffix, for the committees that run them:
    # 杭州未来科技城管委会) by start, so each outer name looks only at those starting inside
    # it (scanning every candidate for every outer name was quadratic in the article).
    pool = sorted(
        c
        for c in candidates
        if c.rule == RULE_GAZETTEER or (c.rule == RULE_SUFFIX and c.label == "Park")
    )
    pool_starts = [c.start for c in pool]
    for outer in chosen:
        allowed = INNER_TYPES.get(outer.label)
        if not allowed:
            continue
        lo = bisect_left(pool_starts, outer.start)
        hi = bisect_left(pool_starts, outer.end, lo)
        inside = [
            c
            for c in pool[lo:hi]
            if c.label in allowed
            and (c.rule == RULE_GAZETTEER or outer.label == "Agency")
            and c.end <= outer.end
            and (c.end - c.start) < (outer.end - outer.start)
        ]
        if not inside:
            continue
        lo, hi = outer.start, outer.end + 1
        if index is not None:
            aligned = [c for c in inside if c.start in index.start_set]
            rest = _select(aligned, lo, hi)
            taken = {i for c in rest for i in range(c.start, c.end)}
            rest += [
                c
                for c in _select([c for c in inside if c not in aligned], lo, hi)
                if not any(i in taken for i in range(c.start, c.end))
            ]
            out.extend(rest)
        else:
            out.extend(_select(inside, lo, hi))
    return sorted(set(out))


#: Nouns that, right after a field's name, make the field a mere modifier: 激光工程投影机,
#: 无人配送车, 机器人之都, 软件名城, 数字经济时代 name a product, a title or an era, not the field.
_THING_HEADS = re.compile(
    r"^(产品|车|机|工程投影|之都|名城|时代|战略研究|研究室|研究所|模拟器|功能|设备|装置|数据库|系统|中心|服务平台)"
)


#: A list closed by "等…产品" lists products (智能家电、智能安防等智能家居产品), not fields.
_PRODUCT_LIST_TAIL = re.compile(r"^(?:[、和及][^,，。；;、]{1,10}){0,8}等[^,，。；;、]{0,8}产品")


def _modifies_a_thing(c: Candidate, text: str) -> bool:
    if c.label != "Industry":
        return False
    return bool(_THING_HEADS.match(text[c.end : c.end + 4])) or bool(
        _PRODUCT_LIST_TAIL.match(text[c.end : c.end + 120])
    )


@Language.component("aigraph_mention_selector_v1")
def mention_selector_component(doc: Doc) -> Doc:
    """Resolve overlapping candidates into ``doc._.mentions`` and ``doc.spans["aigraph"]``.

    Names inside a kept name (a city in a park's name) are kept too, as separate mentions.
    A caller that reads only ``doc._.mentions`` sets ``doc.user_data["aigraph_mentions_only"]``
    and the spans are not built.
    """
    cands = _candidates(doc)
    text = TokenIndex.of(doc).text
    outer = [c for c in select_mentions(cands, text) if not _modifies_a_thing(c, text)]
    chosen = sorted(set(outer) | set(inner_mentions(outer, cands, TokenIndex.of(doc))))
    # The caller may give the article's sentences (``doc.user_data["aigraph_sentences"]``:
    # their start and end offsets): each mention then carries the index of its sentence, and
    # a mention across a sentence boundary gets none. (Filled here, the mentions need not be
    # built a second time to say so.)
    bounds = doc.user_data.get("aigraph_sentences")
    mentions = []
    for c in chosen:
        sentence = None
        if bounds is not None:
            idx = bisect_right(bounds[0], c.start) - 1
            if idx >= 0 and c.end <= bounds[1][idx]:
                sentence = idx
        mentions.append(
            Mention.found(
                text[c.start : c.end], c.label, c.start, c.end, c.rule, c.canonical, sentence
            )
        )
    doc._.mentions = mentions
    if doc.user_data.get("aigraph_mentions_only"):
        # the extraction path reads ``doc._.mentions`` only; a Span per mention is a tenth of
        # this component's time
        return doc
    index = TokenIndex.of(doc)
    spans = []
    for c in chosen:
        # ``doc.char_span(c.start, c.end, alignment_mode="expand")`` from the token index
        # (char_span makes several Token objects per call, for offsets already known here)
        first, last = index.token_by_char(c.start), index.token_by_char(c.end - 1)
        if first < 0 or last < 0:
            continue
        if c.start == index.ends[first]:
            first += 1  # a token's trailing space is not part of it
        spans.append(Span(doc, first, last + 1, label=c.label))
    doc.spans["aigraph"] = spans
    return doc
