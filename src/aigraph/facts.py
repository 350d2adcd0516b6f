"""Numeric facts: the numbers an article states about a park, firm, platform, city or province.

``find_facts(article, mentions)`` reads every sentence of the clean body and returns the facts
of the extraction contract (``shared/eval/GUIDELINE.md``): revenue, firmCount, investment,
fund, platformCount, patentCount and listedFirmCount, each with value, unit, year, bound and
the evidence it was read from.

How a sentence is read
----------------------
1. **Quantities.** Every number followed by a unit of the contract (亿元, 万元, 元, 家, 户,
   个, 件, 项; 美元 amounts too) is a candidate: Arabic numbers with decimals and thousands
   separators, Chinese numerals (一千零二十四, 两百) and mixed forms (1.5万, 3千). Money
   keeps the scale the text uses as its unit (``1060亿元`` -> 1060 亿元, ``1.2万亿元`` ->
   12000 亿元, ``3千万元`` -> 3000 万元); counts fold the multiplier into the value
   (``1.5万家`` -> 15000 家). Bounds come from the words around the number: 超/超过/逾/
   突破/余/多/以上 -> over, 近/约/左右 -> about, 不足/不到/以内 -> under.
2. **Metric.** The metric word must sit right before the number (only linking words such as
   达到, 共, 首次突破 between them: ``营业收入达到1060亿元``) or be the head noun right after
   it (``100亿元产业基金``). A clause with no metric word of its own and nothing but such
   linking words (``..., 共824家``) takes the still unused metric word of the clause before.
   Words that name something else (增加值, 意向金额, 利润, 著作权, 独角兽企业) block the
   number. Amounts that only qualify firms (``10亿元企业``, ``超过10亿元的企业有17户``) are
   thresholds, not facts, and so is the count of the firms they qualify. A plain 企业 counts
   firms only after a verb of holding or gathering (集聚, 入驻, 拥有, 共有...) or right after
   the subject's name (``中国声谷企业...共824家``).
3. **Not facts.** Targets and plans: a clause with 将/拟/计划/预计/力争/争取/有望/目标 before
   the number, a number followed by 目标, and every number after ``到2025年``. Percentages,
   ordinals (第3个) and vague counts (几十家, 上百家) never match.
4. **Subject.** In order: the place named after 集中在/分布在 (``企业集中在合肥市高新区,
   共824家``); the first park, firm, platform, city, province or institution of the clause;
   an anaphor at the start of the clause (园区, 基地, 集群, 全市, 该区, 公司...) resolved to
   the most salient entity of its type (a park whose name contains the word, else the most
   recent, else the most mentioned so far); the sentence's topic (its first such entity);
   the topic carried from the previous two sentences. A clause that opens with the country
   or the world (我国, 全国, 全球 ...) has no subject: no entity type covers it. A list of subjects
   (``科大讯飞、华米科技、新华三等``) gives one fact each. A carried subject together with a
   borrowed metric word is too weak and gives nothing.
5. **Year.** The last year stated before the number in the sentence (``截至2020年底`` ->
   2020): a year after the number does not reach back. With none, 目前/当前/迄今/近年来/
   期间 mean "no year"; otherwise the nearest year of an earlier sentence of the same
   paragraph (or of the sentence just before) is used when that sentence is about the same
   thing (it shares an entity, or the current sentence names none). Years inside document
   titles (《...》) and entity names are ignored.
6. **Merging.** The same (subject, metric, value, unit, year, bound) stated twice is one
   fact with both pieces of evidence. An undated restatement of a dated fact joins the dated
   one; a restated number read with only an inferred subject joins the earlier fact with the
   same metric, value and unit.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from .evidence import make_evidence
from .records import Article, Evidence, Fact, Mention, Sentence

#: Entity types a fact may be about.
SUBJECT_TYPES: frozenset[str] = frozenset(
    {"Park", "Firm", "Platform", "City", "Province", "Institution"}
)

RULE_VERSION = "v1"

#: Confidence of a fact whose subject is carried over from an earlier sentence.
_CARRIED_CONFIDENCE = 0.7

_MONEY = "money"
_COUNT = "count"

#: Metric of each unit family.
_METRIC_FAMILY: dict[str, str] = {
    "revenue": _MONEY,
    "investment": _MONEY,
    "fund": _MONEY,
    "firmCount": _COUNT,
    "listedFirmCount": _COUNT,
    "platformCount": _COUNT,
    "patentCount": _COUNT,
}

#: Count units each count metric accepts (a firm is counted in 家/户, a patent in 件/个/项).
_COUNT_UNITS: dict[str, frozenset[str]] = {
    "firmCount": frozenset({"家", "户"}),
    "listedFirmCount": frozenset({"家", "户"}),
    "platformCount": frozenset({"个", "家"}),
    "patentCount": frozenset({"件", "个", "项"}),
}

#: Metric words. ``None`` marks words that name something that is not a contract metric and
#: so block the number (增加值 is value added, not revenue). ``企业`` alone is special-cased.
_KEYWORDS: dict[str, str | None] = {
    # revenue
    "营业收入": "revenue",
    "营收": "revenue",
    "主营业务收入": "revenue",
    "业务收入": "revenue",
    "销售收入": "revenue",
    "经营收入": "revenue",
    "总收入": "revenue",
    "收入规模": "revenue",
    "收入": "revenue",
    "工业总产值": "revenue",
    "总产值": "revenue",
    "产值": "revenue",
    "产业规模": "revenue",
    "整体规模": "revenue",
    "总规模": "revenue",
    "规模": "revenue",
    "销售额": "revenue",
    "营业额": "revenue",
    # investment
    "投资总额": "investment",
    "投资额": "investment",
    "总投资": "investment",
    "投资规模": "investment",
    "投资": "investment",
    "融资额": "investment",
    "融资规模": "investment",
    "融资": "investment",
    # fund
    "基金规模": "fund",
    "产业基金": "fund",
    "投资基金": "fund",
    "引导基金": "fund",
    "基金": "fund",
    "资金奖励": "fund",
    "资金支持": "fund",
    "扶持资金": "fund",
    "专项资金": "fund",
    "奖补资金": "fund",
    "补助资金": "fund",
    "奖励资金": "fund",
    # firms
    "入驻企业": "firmCount",
    "入园企业": "firmCount",
    "集聚企业": "firmCount",
    "规上企业": "firmCount",
    "规模以上企业": "firmCount",
    "高新技术企业": "firmCount",
    "高新企业": "firmCount",
    "重点企业": "firmCount",
    "相关企业": "firmCount",
    "企业总数": "firmCount",
    "企业数量": "firmCount",
    "企业数": "firmCount",
    "上市企业": "listedFirmCount",
    "上市公司": "listedFirmCount",
    # platforms
    "创新载体": "platformCount",
    "创新平台": "platformCount",
    "服务平台": "platformCount",
    "公共平台": "platformCount",
    "平台": "platformCount",
    "重点实验室": "platformCount",
    "工程实验室": "platformCount",
    "实验室": "platformCount",
    "创新中心": "platformCount",
    "研发中心": "platformCount",
    "工程技术研究中心": "platformCount",
    "技术中心": "platformCount",
    # patents
    "发明专利": "patentCount",
    "有效专利": "patentCount",
    "专利": "patentCount",
    # blockers: numbers about something else
    "增加值": None,
    "意向金额": None,
    "意向": None,
    "利润": None,
    "利税": None,
    "税收": None,
    "财政收入": None,
    "出口": None,
    "进出口": None,
    "市场规模": None,
    "市值": None,
    "估值": None,
    "研发投入": None,
    "投入": None,
    "著作权": None,
    "独角兽": None,
    "瞪羚": None,
    "专精特新": None,
    "小巨人": None,
    "单项冠军": None,
    "用户": None,
    "终端": None,
    "交易额": None,
    "成交额": None,
}
_PLAIN_FIRM = "企业"

_KEYWORD_RE = re.compile(
    "|".join(re.escape(k) for k in sorted([*_KEYWORDS, _PLAIN_FIRM], key=lambda k: (-len(k), k)))
)

# --- numbers -----------------------------------------------------------------------------

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_LARGE = {"万": 10_000, "亿": 100_000_000}

#: Full-width digits and separators -> ASCII, one character for one so offsets stay valid.
_HALF_WIDTH = str.maketrans("０１２３４５６７８９，．％", "0123456789,.%")


def parse_chinese_number(text: str) -> float:
    """The value of a Chinese numeral, optionally mixed with Arabic digits.

    Parameters
    ----------
    text
        A numeral such as ``一千零二十四``, ``两百``, ``十五``, ``1.5万``, ``3千``,
        ``1,300`` or ``二〇二〇`` (digit by digit).

    Returns
    -------
    float
        The value.

    Raises
    ------
    ValueError
        If ``text`` is not a numeral.

    Examples
    --------
    >>> parse_chinese_number("一千零二十四")
    1024.0
    >>> parse_chinese_number("两百"), parse_chinese_number("十五"), parse_chinese_number("1.5万")
    (200.0, 15.0, 15000.0)
    >>> parse_chinese_number("三万五千"), parse_chinese_number("1,300")
    (35000.0, 1300.0)
    """
    text = text.translate(_HALF_WIDTH).replace(",", "")
    if not text:
        raise ValueError("empty numeral")
    arabic = re.fullmatch(r"(\d+(?:\.\d+)?)([十百千万亿]*)", text)
    if arabic:
        value = float(arabic.group(1))
        for ch in arabic.group(2):
            value *= _CN_SMALL.get(ch) or _CN_LARGE[ch]
        return value
    if any(ch not in _CN_DIGITS and ch not in _CN_SMALL and ch not in _CN_LARGE for ch in text):
        raise ValueError(f"not a numeral: {text!r}")
    if all(ch in _CN_DIGITS for ch in text):  # 二〇二〇: digit by digit
        return float("".join(str(_CN_DIGITS[ch]) for ch in text))
    total = section = 0
    digit: int | None = None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_SMALL:
            section += (1 if digit is None else digit) * _CN_SMALL[ch]
            digit = None
        else:  # 万 / 亿 close a section
            section += digit or 0
            digit = None
            if ch == "亿":
                total = (total + section) * _CN_LARGE[ch]
            else:
                total += section * _CN_LARGE[ch]
            section = 0
    return float(total + section + (digit or 0))


@dataclass(frozen=True)
class Quantity:
    """A number with a unit, found in a text: ``text[start:end]`` is the whole phrase."""

    start: int
    end: int
    value: float
    unit: str
    bound: str | None
    family: str


_PRE_BOUND = {
    "超过": "over", "超出": "over", "超": "over", "逾": "over", "突破": "over", "多于": "over",
    "高于": "over", "大于": "over", "近": "about", "接近": "about", "将近": "about",
    "约": "about", "大约": "about", "不足": "under", "不到": "under", "低于": "under",
    "少于": "under",
}  # fmt: skip
_POST_BOUND = {"以上": "over", "多": "over", "余": "over", "左右": "about", "上下": "about",
               "以内": "under", "以下": "under"}  # fmt: skip

_QUANTITY_RE = re.compile(
    r"(?P<pre>" + "|".join(sorted(_PRE_BOUND, key=lambda w: -len(w))) + r")?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?"
    r"|[零〇一二两三四五六七八九十百千]+(?:[万亿][零〇一二两三四五六七八九十百千]+)*)"
    r"(?P<more>余|多)?"
    r"(?P<scale>万亿|千亿|百亿|亿|千万|百万|万|千|百)?"
    r"(?P<more2>余|多)?"
    r"(?P<unit>美元|元|家|户|个|件|项)"
    r"(?P<post>以上|左右|上下|以内|以下)?"
)
#: Characters that make a bare 十/百/千 vague (几十家, 上百家, 数千家, 成百上千).
_VAGUE_BEFORE = set("几数上成好若")
#: Characters that make a number an ordinal or a rate (第一个, 每10家).
_ORDINAL_BEFORE = set("第每")
#: A unit followed by these is another word (个月, 个百分点, 项目, 家庭, 元素, 件事...).
_UNIT_WORDS = re.compile(r"(?:个月|个百分点|个人|项目|家庭|家居|家电|元素|元宇宙|户籍|件事)")


def find_quantities(text: str) -> list[Quantity]:
    """Every number with a unit of the contract in ``text``, left to right.

    Parameters
    ----------
    text
        A sentence of the clean body.

    Returns
    -------
    list of Quantity
        Money is ``family="money"`` with units 亿元/万元/元 (or 亿美元/万美元/美元), keeping
        the scale the text uses; counts are ``family="count"`` with the multiplier folded in.

    Examples
    --------
    >>> [(q.value, q.unit, q.bound) for q in find_quantities("营业收入超1.2万亿元,企业1500多家")]
    [(12000.0, '亿元', 'over'), (1500.0, '家', 'over')]
    >>> [(q.value, q.unit) for q in find_quantities("两百个平台、3千万元、1.5万家")]
    [(200.0, '个'), (3000.0, '万元'), (15000.0, '家')]
    >>> find_quantities("增长35%,几十家企业,第一个")
    []
    """
    plain = text.translate(_HALF_WIDTH)
    found: list[Quantity] = []
    for m in _QUANTITY_RE.finditer(plain):
        num = m.group("num")
        before = plain[m.start() - 1] if m.start() > 0 else ""
        if m.group("pre") is None and before and (before.isdigit() or before == "."):
            continue
        if before in _ORDINAL_BEFORE:
            continue
        if num[0] in "十百千" and before in _VAGUE_BEFORE and not m.group("pre"):
            continue
        if _UNIT_WORDS.match(plain, m.start("unit")):
            continue
        try:
            base = parse_chinese_number(num)
        except ValueError:
            continue
        scale = m.group("scale") or ""
        unit = m.group("unit")
        value = base
        for ch in scale:
            value *= _CN_SMALL.get(ch) or _CN_LARGE[ch]
        if unit in ("元", "美元"):
            # Money keeps the text's scale as its unit: 1060亿元 stays 1060 亿元.
            family = _MONEY
            if "亿" in num + scale:
                unit, value = "亿" + unit, value / 1e8
            elif "万" in num + scale:
                unit, value = "万" + unit, value / 1e4
        else:
            family = _COUNT
        bound = None
        if m.group("pre"):
            bound = _PRE_BOUND[m.group("pre")]
        elif m.group("more") or m.group("more2"):
            bound = "over"
        elif m.group("post"):
            bound = _POST_BOUND[m.group("post")]
        found.append(Quantity(m.start(), m.end(), round(value, 6), unit, bound, family))
    return found


# --- sentence structure ------------------------------------------------------------------

_CLAUSE_BREAK = re.compile(r"[，；;：:！？!?]|,(?!\d{3}(?!\d))")
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?!代)")
_TARGET_YEAR_RE = re.compile(
    r"(?:(?<!截)(?<!截止)到|(?<!截)至|力争|预计|计划|争取)\s*(?:19|20)\d{2}\s*年"
)
#: Words that make an amount a plan, a target or an offer rather than something achieved.
_MODAL_RE = re.compile(
    r"将(?!近)|拟|计划|预计|力争|争取|有望|目标|规划|预期|设想|给予|最高|最多|每(?:家|个|项|年)"
)
_AFTER_TARGET_RE = re.compile(r"(?:以上|左右)?(?:的)?(?:发展|奋斗|阶段)?目标")
_PERIOD_RE = re.compile(r"目前|当前|迄今|至今|近年来|期间|以来|如今|现已|现有")
_THRESHOLD_RE = re.compile(
    r"(?:以上|以下|及以上)?(?:级)?(?:企业|公司)|(?:以上|以下|及以上)?的[\u4e00-\u9fff]{0,8}?(?:企业|公司)"
)
_AGGREGATOR_RE = re.compile(
    r"集聚|聚集|汇聚|入驻|入园|落户|拥有|共有|现有|(?<![具所没])有(?![效限关])"
)
_LINK_RE = re.compile(
    r"(?:数|数量|总数|总额|总量|额|为|是|达|达到|达到了|已达|高达|共|共计|合计|总计|累计|已|"
    r"已经|有|首次|再次|实现|增至|增长至|增长到|提升至|升至|同比|(?:19|20)\d{2}\s*年(?:底|末)?|\s)*"
)
_BARE_CLAUSE_RE = re.compile(
    r"(?:(?:19|20)\d{2}\s*年(?:底|末)?|共|共计|合计|总计|累计|达|达到|首次|已|已经|均|为|是|有|"
    r"其中|同比|并|且|再次|一举|增至|增长至|增长到|提升至|升至|\s)*"
)
_AFTER_GAP_RE = re.compile(r"(?:的)?[\u4e00-\u9fff]{0,6}")
_LOCATIVE_RE = re.compile(r"(?:集中|分布|聚集|集聚)(?:在|于)")
_LIST_JOIN_RE = re.compile(r"、|和|及|以及|与")
_CLAUSE_PREFIX_RE = re.compile(
    r"(?:(?:截至|截止|到|在|于)?(?:19|20)\d{2}\s*年(?:底|末|初)?|目前|当前|如今|现在|近年来|"
    r"同时|此外|另外|其中|全年|今年|去年|已经|已|共|累计|在|\s|[“”\"'「」])*"
)
#: Anaphors that stand for an entity of a type; for parks the word itself is preferred in the
#: name (园区 -> 苏州工业园区 over 人工智能试验区).
_ANAPHORS: dict[str, tuple[str, ...]] = {
    "该园区": ("Park",), "园区": ("Park",), "该基地": ("Park",), "基地": ("Park",),
    "该集群": ("Park",), "集群": ("Park",), "开发区": ("Park",), "高新区": ("Park",),
    "试验区": ("Park",), "全市": ("City",), "该市": ("City",), "本市": ("City",),
    "全省": ("Province",), "该省": ("Province",), "本省": ("Province",),
    "全区": ("Park", "City"), "该区": ("Park", "City"), "本区": ("Park", "City"),
    "该公司": ("Firm",), "公司": ("Firm",), "该校": ("Institution",),
}  # fmt: skip
_ANAPHOR_RE = re.compile("|".join(sorted(_ANAPHORS, key=lambda w: -len(w))))
_PARK_WORDS = ("园区", "基地", "集群", "开发区", "高新区", "试验区")
#: Words opening a clause about the whole country or world, which no entity type covers.
_NATIONAL_WORDS = ("我国", "全国", "国内", "中国", "全球", "世界")


@dataclass(frozen=True)
class _Clause:
    start: int
    end: int


@dataclass
class _SentenceView:
    sentence: Sentence
    paragraph: int
    #: Subject-type mentions, sentence-relative offsets, in order.
    mentions: list[tuple[int, int, Mention]] = field(default_factory=list)
    #: Spans (sentence-relative) of every mention and of 《...》 titles.
    blocked: list[tuple[int, int]] = field(default_factory=list)
    topic: tuple[str, ...] = ()

    def keys(self) -> set[str]:
        return {m.key for _, _, m in self.mentions if m.key}


@dataclass
class _Candidate:
    subjects: tuple[str, ...]
    metric: str
    quantity: Quantity
    year: int | None
    confidence: float
    weak_subject: bool
    sentence: Sentence


def _clauses(text: str) -> list[_Clause]:
    out, start = [], 0
    for m in _CLAUSE_BREAK.finditer(text):
        out.append(_Clause(start, m.start()))
        start = m.end()
    out.append(_Clause(start, len(text)))
    return out


def _overlaps(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _opening(text: str, clause: _Clause, limit: int) -> int:
    """Where ``clause`` opens once its time words and linking words are passed."""
    prefix = _CLAUSE_PREFIX_RE.match(text, clause.start, limit)
    return prefix.end() if prefix else clause.start


def _keywords(text: str, start: int, end: int, blocked: Sequence[tuple[int, int]]):
    """Metric words in ``text[start:end]`` that are not part of a name."""
    return [m for m in _KEYWORD_RE.finditer(text, start, end) if not _overlaps(blocked, *m.span())]


# --- the reader --------------------------------------------------------------------------


class _Reader:
    """Reads one article; holds what earlier sentences said (topics, mentions so far)."""

    def __init__(self, article: Article, mentions: Sequence[Mention]) -> None:
        self.article = article
        self.views: list[_SentenceView] = []
        by_sentence: dict[int, list[Mention]] = {}
        for mention in mentions:
            index = mention.sentence
            if index is None:
                index = self._sentence_of(mention.start)
            if index is not None:
                by_sentence.setdefault(index, []).append(mention)
        paragraph = 0
        previous_end = 0
        for sentence in article.sentences:
            if "\n" in article.body[previous_end : sentence.start]:
                paragraph += 1
            previous_end = sentence.end
            view = _SentenceView(sentence, paragraph)
            for mention in sorted(by_sentence.get(sentence.index, []), key=lambda m: m.start):
                rel = (mention.start - sentence.start, mention.end - sentence.start)
                if rel[0] < 0 or rel[1] > len(sentence.text):
                    continue
                view.blocked.append(rel)
                if mention.label in SUBJECT_TYPES and mention.key:
                    view.mentions.append((rel[0], rel[1], mention))
            for m in re.finditer(r"《[^》]*》", sentence.text):
                view.blocked.append(m.span())
            self.views.append(view)

    def _sentence_of(self, offset: int) -> int | None:
        for sentence in self.article.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence.index
        return None

    # subjects ---------------------------------------------------------------------------

    def _list_from(self, view: _SentenceView, first: int) -> tuple[str, ...]:
        """The subject at ``view.mentions[first]`` and the same-type names listed after it."""
        start, end, mention = view.mentions[first]
        keys = [mention.key]
        text = view.sentence.text
        for nxt_start, nxt_end, nxt in view.mentions[first + 1 :]:
            join = text[end:nxt_start]
            if nxt.label != mention.label or not _LIST_JOIN_RE.fullmatch(join):
                break
            if nxt.key not in keys:
                keys.append(nxt.key)
            end = nxt_end
        return tuple(k for k in keys if k)

    def _salient(self, position: int, index: int, word: str) -> str | None:
        """The entity an anaphor ``word`` at ``position`` of sentence ``index`` stands for."""
        types = _ANAPHORS[word]
        earlier: list[tuple[int, int, Mention]] = []  # (sentence, start, mention)
        for view in self.views[: index + 1]:
            for start, _, mention in view.mentions:
                if view.sentence.index == index and start >= position:
                    break
                earlier.append((view.sentence.index, start, mention))
        for wanted in types:
            pool = [e for e in earlier if e[2].label == wanted]
            if not pool:
                continue
            core = word.removeprefix("该").removeprefix("本")
            if wanted == "Park" and core in _PARK_WORDS:
                # 园区 stands for the park called ...园区 (苏州工业园区), not for the other
                # parks of the article, if the article keeps naming it or its headline does:
                # a name seen once in the text is as likely a recogniser slip as the thing
                # the article is about.
                seen = Counter(e[2].key for e in pool)
                title = self.article.title or ""
                forms = {key: self._forms(key) for key in seen}
                named = [
                    e for e in pool
                    if any(core in f for f in forms[e[2].key])
                    and (seen[e[2].key] >= 2 or any(f in title for f in forms[e[2].key]))
                ]  # fmt: skip
                pool = named or pool
            recent = [e for e in pool if e[0] >= index - 2]
            if recent:
                return recent[-1][2].key
            counts = Counter(e[2].key for e in pool)
            first_seen = {}
            for e in pool:
                first_seen.setdefault(e[2].key, (e[0], e[1]))
            return min(counts, key=lambda k: (-counts[k], first_seen[k]))
        return None

    def _forms(self, key: str | None) -> set[str]:
        forms = {key.split(":", 1)[-1]} if key else set()
        for view in self.views:
            forms.update(m.text for _, _, m in view.mentions if m.key == key)
        return forms

    def _anaphor(self, view: _SentenceView, clause: _Clause, limit: int):
        """An anaphor opening ``clause`` (after time words), resolved, as (keys, offset)."""
        text = view.sentence.text
        at = _opening(text, clause, limit)
        m = _ANAPHOR_RE.match(text, at, limit)
        if not m or _overlaps(view.blocked, *m.span()):
            return None
        key = self._salient(m.start(), view.sentence.index, m.group())
        return ((key,), m.start()) if key else None

    def _clause_subject(self, view: _SentenceView, clause: _Clause, limit: int):
        """(keys, offset) of the first subject of ``clause`` before ``limit``, if any."""
        options = []
        for i, (start, _, _) in enumerate(view.mentions):
            if clause.start <= start < limit:
                options.append((self._list_from(view, i), start))
                break
        anaphor = self._anaphor(view, clause, limit)
        if anaphor:
            options.append(anaphor)
        return min(options, key=lambda o: o[1]) if options else None

    def _topic(self, view: _SentenceView, clauses: list[_Clause], limit: int):
        """The sentence's topic: the first name or anaphor that opens a clause.

        A name after a verb (引进一批...平台, 依托...平台) is what the sentence talks about,
        not who it is about.
        """
        text = view.sentence.text
        for clause in clauses:
            if clause.start >= limit:
                break
            found = self._clause_subject(view, clause, min(limit, clause.end))
            if found:
                prefix = _CLAUSE_PREFIX_RE.match(text, clause.start, found[1])
                if prefix and prefix.end() == found[1]:
                    return found[0]
        return None

    def _previous(self, index: int, full_sentences: int):
        """Earlier sentences, nearest first, as (view, distance in full sentences).

        A sentence that ends with ； is a part of a longer one (a splitter may cut there), so
        it does not count toward the distance.
        """
        distance = 0
        for back in range(index - 1, -1, -1):
            view = self.views[back]
            if not view.sentence.text.rstrip().endswith(("；", ";")):
                distance += 1
            if distance > full_sentences:
                return
            yield view, distance

    def _carried(self, index: int) -> tuple[str, ...]:
        for view, _ in self._previous(index, 2):
            if view.topic:
                return view.topic
        return ()

    def _locative(self, view: _SentenceView, start: int, limit: int) -> tuple[str, ...] | None:
        text = view.sentence.text
        for m in _LOCATIVE_RE.finditer(text, start, limit):
            for i, (m_start, _, _) in enumerate(view.mentions):
                if m_start == m.end():
                    return self._list_from(view, i)
        return None

    # years ------------------------------------------------------------------------------

    def _years(self, view: _SentenceView, limit: int | None = None) -> list[int]:
        text = view.sentence.text
        end = len(text) if limit is None else limit
        return [
            int(m.group(1))
            for m in _YEAR_RE.finditer(text, 0, end)
            if not _overlaps(view.blocked, *m.span())
        ]

    def _year(self, view: _SentenceView, position: int) -> int | None:
        years = self._years(view, position)
        if years:
            return years[-1]
        if _PERIOD_RE.search(view.sentence.text, 0, position):
            return None
        for earlier, distance in self._previous(view.sentence.index, 3):
            if earlier.paragraph != view.paragraph and distance > 1:
                break
            years = self._years(earlier)
            if years:
                if self._target_start(earlier) is not None:
                    return None
                if not view.keys() or view.keys() & earlier.keys():
                    return years[-1]
                return None
        return None

    @staticmethod
    def _target_start(view: _SentenceView) -> int | None:
        """Where a target year (到2025年, 力争2025年) opens the future part of the sentence."""
        for m in _TARGET_YEAR_RE.finditer(view.sentence.text):
            if not _overlaps(view.blocked, *m.span()):
                return m.start()
        return None

    # metrics ----------------------------------------------------------------------------

    def _firm_word_ok(self, view: _SentenceView, clause: _Clause, anchor: int) -> bool:
        """A plain 企业 counts firms only after a verb of holding or right after a name."""
        text = view.sentence.text
        if _AGGREGATOR_RE.search(text, clause.start, anchor):
            return True
        return any(end == anchor for _, end, _ in view.mentions)

    def _keyword_metric(self, view, clause, found, anchor) -> str | None:
        """The metric of the last keyword match in ``found``, or None (not a fact).

        ``anchor`` is where a plain 企业 must have its verb of holding before: the keyword
        itself, or the number when 企业 is the head noun after it.
        """
        m = found[-1]
        word = m.group()
        if word != _PLAIN_FIRM:
            return _KEYWORDS[word]
        if any(_KEYWORDS.get(k.group(), "") is None for k in found[:-1]):
            return None  # 独角兽(含培育)企业: a kind of firm, not the firms
        return "firmCount" if self._firm_word_ok(view, clause, anchor) else None

    def _metric_of(self, view, clause, window_start, quantity):
        """(metric, keyword end) of ``quantity`` from its own clause, or None."""
        text = view.sentence.text
        # Head noun right after the number: 100亿元产业基金, 1300家企业.
        after = _keywords(text, quantity.end, min(clause.end, quantity.end + 9), view.blocked)
        if after and _AFTER_GAP_RE.fullmatch(text, quantity.end, after[0].start()):
            metric = self._keyword_metric(view, clause, after[:1], quantity.start)
            if metric in ("firmCount", "listedFirmCount") and not self._firm_word_ok(
                view, clause, quantity.start
            ):
                return None  # 与50家相关企业签约: firms taking part, not the subject's firms
            # A head noun of the wrong kind (投资50亿元建设研发中心) is not about this number.
            if metric is None or _METRIC_FAMILY[metric] == quantity.family:
                return (metric, None) if metric else None
        # Metric word right before the number, with only linking words between.
        found = _keywords(text, window_start, quantity.start, view.blocked)
        if not found or not _LINK_RE.fullmatch(text, found[-1].end(), quantity.start):
            return None
        metric = self._keyword_metric(view, clause, found, found[-1].start())
        return (metric, found[-1].end()) if metric else None

    # reading ----------------------------------------------------------------------------

    def read(self) -> list[_Candidate]:
        out: list[_Candidate] = []
        for view in self.views:
            out.extend(self._read_sentence(view))
        return out

    def _read_sentence(self, view: _SentenceView) -> list[_Candidate]:
        text = view.sentence.text
        clauses = _clauses(text)
        quantities = find_quantities(text)
        view.topic = self._topic(view, clauses, len(text)) or ()
        target_from = self._target_start(view)
        out: list[_Candidate] = []
        thresholds: set[int] = set()  # clause indexes with a qualifying amount
        previous_end: dict[int, int] = {}
        for quantity in quantities:
            ci = next(i for i, c in enumerate(clauses) if c.start <= quantity.start < c.end + 1)
            clause = clauses[ci]
            window_start = max(clause.start, previous_end.get(ci, clause.start))
            previous_end[ci] = quantity.end
            if _overlaps(view.blocked, quantity.start, quantity.end):
                continue
            if quantity.family == _MONEY and _THRESHOLD_RE.match(text, quantity.end):
                thresholds.add(ci)
                continue
            if target_from is not None and quantity.start > target_from:
                continue
            if _MODAL_RE.search(text, clause.start, quantity.start):
                continue
            if _AFTER_TARGET_RE.match(text, quantity.end):
                continue
            found = self._metric_of(view, clause, window_start, quantity)
            inherited = False
            if found is None:
                found = self._inherit(view, clauses, ci, quantity)
                inherited = found is not None
            if found is None:
                continue
            metric = found[0]
            if not self._unit_fits(metric, quantity):
                continue
            if metric in ("firmCount", "listedFirmCount") and ci in thresholds:
                continue
            subject, weak, confidence = self._subject(view, clauses, ci, quantity, inherited)
            if not subject:
                continue
            if inherited and confidence <= _CARRIED_CONFIDENCE:
                continue  # a subject from another sentence and a borrowed metric word
            out.append(
                _Candidate(
                    subjects=subject,
                    metric=metric,
                    quantity=quantity,
                    year=self._year(view, quantity.start),
                    confidence=confidence * (0.85 if inherited else 1.0),
                    weak_subject=weak,
                    sentence=view.sentence,
                )
            )
        return out

    def _inherit(self, view, clauses, ci, quantity):
        """Borrow the unused metric word of the previous clause for a bare clause."""
        if ci == 0:
            return None
        text = view.sentence.text
        clause = clauses[ci]
        if not _BARE_CLAUSE_RE.fullmatch(text, clause.start, quantity.start):
            return None
        previous = clauses[ci - 1]
        found = _keywords(text, previous.start, previous.end, view.blocked)
        if not found:
            return None
        keyword_end = found[-1].end()
        if any(q.start >= keyword_end and q.end <= previous.end for q in find_quantities(text)):
            return None  # a number of that clause already used the word
        metric = self._keyword_metric(view, previous, found, found[-1].start())
        return (metric, keyword_end) if metric else None

    @staticmethod
    def _unit_fits(metric: str, quantity: Quantity) -> bool:
        if _METRIC_FAMILY[metric] != quantity.family:
            return False
        return quantity.family == _MONEY or quantity.unit in _COUNT_UNITS[metric]

    def _about_the_country(self, view: _SentenceView, clause: _Clause, limit: int) -> bool:
        """Does ``clause`` open (after time words) with the country or the world (``2025年
        我国人工智能核心产业规模...``)? Such a number is about no entity of the article: not the
        institute whose report gives it, nor the park of the sentence before."""
        text = view.sentence.text
        at = _opening(text, clause, limit)
        word = next((w for w in _NATIONAL_WORDS if text.startswith(w, at)), None)
        # (中国声谷 and 全国…联盟 are names: a word inside a mention is not the country)
        return word is not None and at < limit and not _overlaps(view.blocked, at, at + len(word))

    def _subject(self, view, clauses, ci, quantity, inherited):
        """(keys, weak?, confidence) of the subject of ``quantity``."""
        clause = clauses[ci]
        scope_start = clauses[ci - 1].start if inherited else clause.start
        located = self._locative(view, scope_start, quantity.start)
        if located:
            return located, False, 0.85
        own = self._clause_subject(view, clause, quantity.start)
        if own:
            return own[0], False, 0.9
        # 我国人工智能核心产业规模超过9000亿元，企业数量超过5000家: the clauses after one about
        # the country are about it too, up to a clause with a subject of its own
        for earlier in reversed(clauses[: ci + 1]):
            limit = min(quantity.start, earlier.end)
            if self._about_the_country(view, earlier, limit) and (
                earlier is clause
                or _keywords(view.sentence.text, earlier.start, limit, view.blocked)
            ):
                # (an earlier clause claims this one only when it states a figure itself:
                # 中国声谷营业收入超过2000亿元，全国排名第一，集聚企业1500家 is about the park)
                return (), True, 0.0
            if earlier is not clause and self._clause_subject(view, earlier, limit):
                break
        topic = self._topic(view, clauses, quantity.start)
        if topic:
            return topic, True, 0.8
        carried = self._carried(view.sentence.index)
        if carried:
            return carried, True, _CARRIED_CONFIDENCE
        return (), True, 0.0


def _merge(candidates: list[_Candidate], article: Article) -> list[Fact]:
    """One fact per (subject, metric, value, unit, year, bound), with all its evidence."""
    grouped: dict[tuple, list[Evidence]] = {}
    weak: dict[tuple, bool] = {}
    order: list[tuple] = []
    for c in candidates:
        q = c.quantity
        for subject in c.subjects:
            key = (subject, c.metric, q.value, q.unit, c.year, q.bound)
            rule = f"aigraph.facts.{c.metric}.{RULE_VERSION}"
            evidence = make_evidence(article, c.sentence, rule, c.confidence)
            if key not in grouped:
                grouped[key] = []
                weak[key] = c.weak_subject
                order.append(key)
            else:
                weak[key] = weak[key] and c.weak_subject
            if evidence not in grouped[key]:
                grouped[key].append(evidence)
    # A restated number read with only an inferred subject joins the earlier statement of the
    # same metric, value and unit (summaries repeat figures without naming the subject).
    for key in list(order):
        subject, metric, value, unit, year, bound = key
        if not weak[key]:
            continue
        earlier = [
            k for k in order
            if k is not key and order.index(k) < order.index(key)
            and k[1:4] == (metric, value, unit) and k[5] == bound
        ]  # fmt: skip
        if earlier:
            grouped[earlier[0]].extend(e for e in grouped.pop(key) if e not in grouped[earlier[0]])
            order.remove(key)
    # An undated restatement of a dated fact of the same subject is that fact.
    for key in list(order):
        subject, metric, value, unit, year, bound = key
        if year is not None:
            continue
        dated = [k for k in order if k[:4] == key[:4] and k[5] == bound and k[4] is not None]
        if len(dated) == 1:
            grouped[dated[0]].extend(e for e in grouped.pop(key) if e not in grouped[dated[0]])
            order.remove(key)
    facts = [
        Fact(
            subject=k[0],
            metric=k[1],
            value=k[2],
            unit=k[3],
            year=k[4],
            evidence=tuple(sorted(grouped[k], key=lambda e: (e.start, e.end, e.rule))),
            bound=k[5],
        )
        for k in order
    ]
    return sorted(
        facts,
        key=lambda f: (f.subject, f.metric, f.year is not None, f.year or 0, f.value, f.unit,
                       f.bound or ""),
    )  # fmt: skip


def find_facts(article: Article, mentions: Sequence[Mention]) -> list[Fact]:
    """The numeric facts ``article`` states about its entities.

    Parameters
    ----------
    article
        The article, with its clean body and sentences.
    mentions
        Resolved mentions of the article (``key`` set; ``sentence`` set or derivable from
        ``start``). Only parks, firms, platforms, cities, provinces and institutions become
        subjects; every mention's span is kept out of metric-word matching.

    Returns
    -------
    list of Fact
        Sorted by subject, metric, year, value; each with one piece of evidence per sentence
        that states it.

    Examples
    --------
    >>> from aigraph.records import Article, Mention, Sentence
    >>> body = "截至2020年底,中国声谷实现入驻企业1024户、营业收入1060亿元。"
    >>> article = Article(source="a.txt", doc="a.txt", sha256="0" * 64, encoding="utf-8",
    ...                   original=body, body=body, offsets=tuple(range(len(body))),
    ...                   sentences=(Sentence(0, 0, len(body), body),))
    >>> park = Mention("中国声谷", "Park", 9, 13, "test", key="Park:中国声谷", sentence=0)
    >>> [(f.metric, f.value, f.unit, f.year) for f in find_facts(article, [park])]
    [('firmCount', 1024.0, '户', 2020), ('revenue', 1060.0, '亿元', 2020)]
    """
    return _merge(_Reader(article, mentions).read(), article)
