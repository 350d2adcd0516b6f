"""Relations: rules over the parsed sentences that use the mentions, their types and the
trigger words of Chinese policy and business news.

Each rule reads one sentence (sometimes its paragraph, for a topic or a responsible-department
note) and proposes ``(head, relation, tail)`` with a rule name and a confidence. The same
relation proposed several times in one article becomes one :class:`aigraph.records.Relation`
with every piece of evidence. Types must fit the contract's head → tail table, a relation
never links a thing to itself, and a clause with a negation or a mere intention
(``未签约``, ``拟``) proposes nothing.

Rule families (each rule name is versioned, e.g. ``aigraph.relate.cooperation_list.v1``):

- names that say it: a park named after its city is located there, a sub-park named after its
  park is part of it, a platform named after a firm is operated by it, a name containing an
  industry focuses on it, a policy titled after a province is issued by it;
- triggers: 落户/入驻/位于/在…设立 (locatedIn, headquarteredIn with 总部, investsIn with 投资),
  与…签署/达成合作 with lists (cooperatesWith, every stated pair), 由…与…共建, 依托…建设 and
  运营单位 (operatedBy), 批准/授牌/名单 (approvedBy), 出台/印发/发布 (issuedBy), 支持/扶持/推进
  (supports), 聚焦/重点发展/布局/领域 (focusesOn), titles before names (worksFor with role);
- structure: the departments in a task's ``(省科技厅、省发展改革委…按职责分别负责)`` support the
  task's targets; a policy document supports what its imperative sentences build;
- gazetteer containment the text makes plain: ``安徽合肥`` (city in province), a listed zone in
  its listed city, a listed university in its listed city, cities of a named region.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .evidence import make_evidence
from .gazetteers import load_gazetteer
from .ingest import normalise_name
from .records import Article, Entity, Mention, Relation, Sentence

ORGS = frozenset({"Firm", "Agency", "Institution", "Park", "Platform"})
PLACES = frozenset({"City", "Province", "Region"})

#: The contract's head → tail table.
ALLOWED: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "locatedIn": (
        frozenset({"Firm", "Platform", "Institution", "Park", "City"}),
        frozenset({"Park", "City", "Province", "Region"}),
    ),
    "headquarteredIn": (frozenset({"Firm"}), frozenset({"City", "Park"})),
    "partOf": (frozenset({"Park", "Agency", "City"}), frozenset({"Park", "Agency", "Region"})),
    "supports": (
        frozenset({"Policy", "Agency"}),
        frozenset({"Park", "Firm", "Platform", "Industry"}),
    ),
    "issuedBy": (frozenset({"Policy"}), frozenset({"Agency", "Province", "City"})),
    "approvedBy": (frozenset({"Park", "Platform"}), frozenset({"Agency"})),
    "operatedBy": (frozenset({"Park", "Platform"}), frozenset({"Firm", "Institution", "Agency"})),
    "investsIn": (frozenset({"Firm"}), frozenset({"City", "Park", "Firm"})),
    "cooperatesWith": (ORGS | PLACES, ORGS | PLACES),
    "focusesOn": (frozenset({"Park", "Firm", "Platform", "Policy"}), frozenset({"Industry"})),
    "worksFor": (frozenset({"Person"}), frozenset({"Firm", "Agency", "Institution", "Park"})),
}
# partOf pairs allowed by the contract: Park→Park, Agency→Agency, City→Region.
_PART_OF_PAIRS = frozenset({("Park", "Park"), ("Agency", "Agency"), ("City", "Region")})

NEGATION_RE = re.compile(r"未|尚未|没有|并未|拟|有望|不会|暂未|或将")
LIST_SEP_RE = re.compile(r"^[、,，和及与以及\s]*$")
#: "…产业园、中国声谷运营单位——安徽省信投": an item introduced by what it is.
APPOSITIVE_GAP_RE = re.compile(r"^、[^,，。;；、]{0,12}(——|—|:|：)$")
#: Words that make "在Y" the place of an event, not of the thing: 签约会在北京召开.
EVENT_RE = re.compile(r"会|会议|论坛|活动|仪式|大赛|展|峰会|发布会")
#: Triggers that put the head in the place that follows (a few modifiers may sit between).
SETTLE_RE = re.compile(
    r"(落户于|落户在|落户|入驻|位于|坐落于|坐落在|扎根|落地|迁入|设在|在)[^,，。;；、]{0,8}$"
)
EXEC_TITLES = (
    "副省长",
    "省长",
    "副市长",
    "市长",
    "副区长",
    "区长",
    "副县长",
    "县长",
    "副主席",
    "主席",
)
CORP_TITLES = (
    "创始人",
    "联合创始人",
    "总裁",
    "副总裁",
    "董事长",
    "总经理",
    "首席执行官",
    "CEO",
    "CTO",
)
PARK_ANAPHORS = ("园区", "集群", "基地", "试验区", "开发区", "高新区", "该区", "声谷", "光谷")
RESPONSIBLE_RE = re.compile(
    r"[(（]([^()（）]{3,200}?)(?:等)?(?:按职责分别负责|按职责分工负责|分别负责|牵头负责|负责|牵头)[)）]"
)
SUPPORT_VERBS = (
    "支持",
    "扶持",
    "推进",
    "推动",
    "培育",
    "资助",
    "鼓励",
    "加快",
    "建设",
    "打造",
    "布局",
    "发展",
    "引导",
    "给予",
)
FOCUS_CUES = (
    "聚焦",
    "重点发展",
    "重点布局",
    "重点规划",
    "布局",
    "主攻",
    "定位于",
    "为引领",
    "为特色",
    "领域",
    "产业",
    "业务",
    "专注",
    "深耕",
    "致力于",
    "打造",
)


@dataclass(frozen=True)
class Proposal:
    head: str
    relation: str
    tail: str
    sentence: int
    rule: str
    confidence: float
    role: str | None = None


@dataclass
class Context:
    """What the rules need to know about an article."""

    article: Article
    mentions: list[Mention]
    entities: dict[str, Entity]
    by_sentence: dict[int, list[Mention]] = field(default_factory=dict)
    paragraph_of: list[int] = field(default_factory=list)
    topic_park: str | None = None
    main_province: str | None = None
    main_city: str | None = None
    title_policy: str | None = None
    new_entities: dict[str, Entity] = field(default_factory=dict)

    def park_for(self, anaphor: str, s: int) -> str | None:
        """The park an anaphor refers to: the most recent park (in this or the 6 sentences
        before) whose name ends like the anaphor (``园区`` → ``苏州工业园区``), else the most
        recent park, else the article's topic park."""
        recent: list[Mention] = []
        for t in range(max(0, s - 6), s + 1):
            recent += [m for m in self.outer(t) if m.label == "Park"]
        for m in reversed(recent):
            ent = self.entities.get(m.key or "")
            forms = (ent.name, *ent.aliases) if ent else (m.text,)
            if any(f.endswith(anaphor) for f in forms):
                return m.key
        named = [
            k
            for k, e in sorted(self.entities.items())
            if e.type == "Park" and any(f.endswith(anaphor) for f in (e.name, *e.aliases))
        ]
        if len(named) == 1:
            return named[0]
        if recent:
            return recent[-1].key
        return self.topic_park

    def paragraph_park(self, s: int) -> str | None:
        """The park the paragraph of sentence ``s`` named last before it."""
        para = self.paragraph_of[s]
        for t in range(s - 1, -1, -1):
            if self.paragraph_of[t] != para:
                break
            parks = [m for m in self.outer(t) if m.label == "Park"]
            if parks:
                return parks[-1].key
        return None

    def etype(self, key: str) -> str:
        e = self.entities.get(key) or self.new_entities.get(key)
        return e.type if e else key.split(":", 1)[0]

    def sentence(self, i: int) -> Sentence:
        return self.article.sentences[i]

    def outer(self, i: int) -> list[Mention]:
        """Mentions of sentence ``i`` that are not inside another mention."""
        ms = self.by_sentence.get(i, [])
        return [
            m
            for m in ms
            if not any(
                o is not m
                and o.start <= m.start
                and m.end <= o.end
                and (o.end - o.start) > (m.end - m.start)
                for o in ms
            )
        ]

    def inner(self, outer: Mention) -> list[Mention]:
        """Mentions strictly inside ``outer`` (places, industries, firms named within a name)."""
        ms = self.by_sentence.get(outer.sentence or 0, [])
        return [
            m
            for m in ms
            if m is not outer
            and outer.start <= m.start
            and m.end <= outer.end
            and (m.end - m.start) < (outer.end - outer.start)
        ]


def _between(ctx: Context, a: Mention, b: Mention) -> str:
    return ctx.article.body[a.end : b.start]


def _key_of(m: Mention) -> str:
    assert m.key is not None
    return m.key


# --------------------------------------------------------------------------------------
# Rules. Each takes the context and yields proposals.
# --------------------------------------------------------------------------------------


def rule_names_that_say_it(ctx: Context) -> Iterable[Proposal]:
    """Containment and focus stated by a name itself."""
    gaz = load_gazetteer()
    for m in ctx.mentions:
        inner = ctx.inner(m)
        if not inner or m.sentence is None:
            continue
        s = m.sentence
        leading = [
            i
            for i in inner
            if i.start == m.start or ctx.article.body[m.start : i.start] in ("", "·")
        ]
        if m.label in ("Park", "Platform"):
            places = [i for i in inner if i.label in ("City", "Province")]
            if places:
                city = [p for p in places if p.label == "City"]
                target = (city or places)[0]
                yield Proposal(
                    _key_of(m),
                    "locatedIn",
                    _key_of(target),
                    s,
                    "aigraph.relate.named_after_place.v1",
                    0.8,
                )
            for i in inner:
                if i.label == "Park" and m.label == "Park" and i.start == m.start:
                    yield Proposal(
                        _key_of(m), "partOf", _key_of(i), s, "aigraph.relate.sub_park_name.v1", 0.85
                    )
        if m.label == "Platform":
            for i in leading:
                if i.label in ("Firm", "Institution"):
                    yield Proposal(
                        _key_of(m),
                        "operatedBy",
                        _key_of(i),
                        s,
                        "aigraph.relate.named_after_operator.v1",
                        0.75,
                    )
        # a name that contains a field is about it: 无锡物联网集群, 东湖大数据交易中心
        if m.label in ("Park", "Platform", "Policy"):
            confidence = 0.75 if m.label == "Policy" else 0.8
            for i in inner:
                if i.label == "Industry":
                    yield Proposal(
                        _key_of(m),
                        "focusesOn",
                        _key_of(i),
                        s,
                        "aigraph.relate.named_after_industry.v1",
                        confidence,
                    )
        if m.label == "Policy":
            for i in inner:
                if i.label == "Industry":
                    yield Proposal(
                        _key_of(m),
                        "supports",
                        _key_of(i),
                        s,
                        "aigraph.relate.policy_named_for.v1",
                        0.7,
                    )
            for i in leading:
                if i.label in ("Province", "City", "Agency"):
                    yield Proposal(
                        _key_of(m),
                        "issuedBy",
                        _key_of(i),
                        s,
                        "aigraph.relate.policy_named_after_issuer.v1",
                        0.75,
                    )
                elif i.label == "Park":
                    yield Proposal(
                        _key_of(m),
                        "supports",
                        _key_of(i),
                        s,
                        "aigraph.relate.policy_named_for.v1",
                        0.75,
                    )
    # sub-parks whose name starts with another park's name (resolution merged the forms)
    parks = {k: e for k, e in ctx.entities.items() if e.type == "Park"}
    for m in ctx.mentions:
        if m.label != "Park" or m.sentence is None:
            continue
        name = normalise_name(m.text).replace("·", "")
        for k, e in sorted(parks.items()):
            if k == m.key:
                continue
            for form in (e.name, *e.aliases):
                f = normalise_name(form)
                if len(f) >= 3 and name.startswith(f) and len(name) - len(f) >= 3:
                    yield Proposal(
                        _key_of(m), "partOf", k, m.sentence, "aigraph.relate.sub_park_name.v1", 0.85
                    )
                    break
    # platforms named after a park: 中国声谷技术创新服务综合体 is in 中国声谷
    for m in ctx.mentions:
        if m.label != "Platform" or m.sentence is None:
            continue
        name = normalise_name(m.text)
        for k, e in sorted(parks.items()):
            if any(
                len(f) >= 3 and name.startswith(normalise_name(f)) for f in (e.name, *e.aliases)
            ):
                yield Proposal(
                    _key_of(m),
                    "locatedIn",
                    k,
                    m.sentence,
                    "aigraph.relate.named_after_park.v1",
                    0.75,
                )
                break
    # places the gazetteer knows: a zone's city, a university's city, a city's province
    # — only when the article names both and the text puts them together.
    present = {e.name: k for k, e in ctx.entities.items()}
    for m in ctx.mentions:
        if m.sentence is None or m.label not in ("Park", "Institution"):
            continue
        ent = ctx.entities.get(_key_of(m))
        if ent is None:
            continue
        city = gaz.city_of(ent.name)
        if city and city in present and present[city] != m.key:
            yield Proposal(
                _key_of(m),
                "locatedIn",
                present[city],
                m.sentence,
                "aigraph.relate.gazetteer_place.v1",
                0.7,
            )
    # a city and its province, both named in one sentence (深圳…广东省)
    for s in range(len(ctx.article.sentences)):
        ms = ctx.outer(s) + [i for m in ctx.outer(s) for i in ctx.inner(m)]
        provinces = {m.key for m in ms if m.label == "Province"}
        for m in ms:
            if m.label != "City":
                continue
            ent = ctx.entities.get(_key_of(m))
            prov = gaz.province_of(ent.name) if ent else None
            if prov and prov in present and present[prov] in provinces:
                yield Proposal(
                    _key_of(m),
                    "locatedIn",
                    present[prov],
                    s,
                    "aigraph.relate.gazetteer_place.v1",
                    0.65,
                )


def rule_adjacent_places(ctx: Context) -> Iterable[Proposal]:
    """``安徽合肥`` / ``江苏苏州``: a province written right before its city."""
    gaz = load_gazetteer()
    for i, m in enumerate(ctx.mentions):
        if m.label != "Province" or m.sentence is None:
            continue
        for n in ctx.mentions[i + 1 : i + 3]:
            if n.start == m.end and n.label == "City":
                prov = ctx.entities.get(_key_of(m))
                city = ctx.entities.get(_key_of(n))
                if prov and city and gaz.province_of(city.name) == prov.name:
                    yield Proposal(
                        _key_of(n),
                        "locatedIn",
                        _key_of(m),
                        m.sentence,
                        "aigraph.relate.province_city.v1",
                        0.9,
                    )


def rule_regions(ctx: Context) -> Iterable[Proposal]:
    """Cities named in one sentence with a multi-city region are part of it; so are the cities
    a paragraph lists when its sentences speak of the region's cities (``四座城市``)."""
    n = len(ctx.article.sentences)
    for s in range(n):
        ms = ctx.outer(s)
        regions = [m for m in ms if m.label == "Region"]
        if not regions:
            continue
        for c in ms:
            if c.label != "City":
                continue
            for r in regions:
                yield Proposal(
                    _key_of(c), "partOf", _key_of(r), s, "aigraph.relate.city_region.v1", 0.6
                )
        if re.search(
            r"[一二三四五六七八九十两几\d]+(座|个)?(城市|省会城市)", ctx.article.sentences[s].text
        ):
            para = ctx.paragraph_of[s]
            for t in range(n):
                if ctx.paragraph_of[t] != para:
                    continue
                for c in ctx.outer(t):
                    if c.label == "City":
                        for r in regions:
                            yield Proposal(
                                _key_of(c),
                                "partOf",
                                _key_of(r),
                                s,
                                "aigraph.relate.city_region.v1",
                                0.55,
                            )


def _lists_around(
    ctx: Context, s: int, pivot: int, allowed: frozenset[str]
) -> tuple[list[Mention], list[Mention]]:
    """Mentions listed just before and just after body offset ``pivot`` in sentence ``s``."""
    ms = [m for m in ctx.outer(s) if m.label in allowed]
    body = ctx.article.body
    left: list[Mention] = []
    right: list[Mention] = []
    before = [m for m in ms if m.end <= pivot]
    after = [m for m in ms if m.start >= pivot]
    edge = pivot
    for m in reversed(before):
        gap = body[m.end : edge]
        if left and re.match(r"^[^,，。;；、]{0,8}(——|—|:|：)$", gap):
            # "中国声谷运营单位——安徽省信投": the mention only describes the next item
            edge = m.start
            continue
        if left and not (LIST_SEP_RE.match(gap) or APPOSITIVE_GAP_RE.match(gap)):
            break
        if not left and (len(gap) > 14 or re.search(r"[。；;:：!?！？]", gap)):
            break
        left.append(m)
        edge = m.start
    left.reverse()
    edge = pivot + 1
    for m in after:
        gap = body[edge : m.start]
        if right and not LIST_SEP_RE.match(gap):
            break
        if not right and len(gap) > 2:
            break
        right.append(m)
        edge = m.end
    return left, right


def rule_cooperation(ctx: Context) -> Iterable[Proposal]:
    """``A、B(分别)与C、D签署…合作/协议`` and ``由A与B共建``: every stated pair cooperates."""
    body = ctx.article.body
    allowed = ORGS | PLACES
    for s, sent in enumerate(ctx.article.sentences):
        text = sent.text
        if not re.search(r"合作|协议|共建|签约|签署|签订|携手", text):
            continue
        for mm in re.finditer(r"与|同|和", text):
            pivot = sent.start + mm.start()
            tail_text = body[pivot : sent.end]
            if not re.search(r"签署|签订|达成|开展|建立|深化|共建|合作|签约|携手", tail_text[:200]):
                continue
            clause = body[sent.start : pivot]
            if NEGATION_RE.search(tail_text[:30]) or NEGATION_RE.search(clause[-4:]):
                continue
            left, right = _lists_around(ctx, s, pivot, frozenset(allowed))
            if not left or not right:
                continue
            rule = "aigraph.relate.cooperation_list.v1"
            for a in left:
                for b in right:
                    if a.key != b.key:
                        yield Proposal(_key_of(a), "cooperatesWith", _key_of(b), s, rule, 0.8)
            # "由A与B共建的X": the built thing is operated by both builders
            if "由" in clause[-20:] and "共建" in tail_text[:40]:
                topic = _sentence_topic(ctx, s, ("Park", "Platform"))
                if topic:
                    for a in (*left, *right):
                        yield Proposal(
                            topic, "operatedBy", _key_of(a), s, "aigraph.relate.co_built.v1", 0.75
                        )
    # "…共同签署了《X》": the cities of the paragraph cooperate and issued X.
    for s, sent in enumerate(ctx.article.sentences):
        if not re.search(r"共同签署|联合签署|共同发布|联合发布", sent.text):
            continue
        verb = re.search(r"共同签署|联合签署|共同发布|联合发布", sent.text)
        policies = [
            m for m in ctx.outer(s) if m.label == "Policy" and m.start >= sent.start + verb.start()
        ]
        para = ctx.paragraph_of[s]
        cities = []
        seen = set()
        for t in range(len(ctx.article.sentences)):
            if ctx.paragraph_of[t] != para:
                continue
            for m in ctx.outer(t):
                if m.label == "City" and m.key not in seen:
                    seen.add(m.key)
                    cities.append(m)
        if len(cities) < 2:
            continue
        for i, a in enumerate(cities):
            for b in cities[i + 1 :]:
                yield Proposal(
                    _key_of(a),
                    "cooperatesWith",
                    _key_of(b),
                    s,
                    "aigraph.relate.joint_signing.v1",
                    0.7,
                )
            for p in policies:
                yield Proposal(
                    _key_of(p), "issuedBy", _key_of(a), s, "aigraph.relate.joint_signing.v1", 0.7
                )


def _sentence_topic(ctx: Context, s: int, types: tuple[str, ...]) -> str | None:
    """The entity a sentence is about: its first mention of the types, else the topic park."""
    for m in ctx.outer(s):
        if m.label in types:
            return m.key
    if "Park" in types and ctx.topic_park:
        text = ctx.article.sentences[s].text
        if any(a in text for a in PARK_ANAPHORS) or "“" in text:
            return ctx.topic_park
    return None


def rule_works_for(ctx: Context) -> Iterable[Proposal]:
    """``安徽省经信厅厅长牛弩韬`` → worksFor(牛弩韬, 安徽省经信厅, role 厅长)."""
    gaz = load_gazetteer()
    titles = sorted({t.name for t in gaz.titles}, key=len, reverse=True)
    body = ctx.article.body
    people_done: set[str] = set()
    for s in range(len(ctx.article.sentences)):
        ms = ctx.outer(s)
        for i, p in enumerate(ms):
            if p.label != "Person":
                continue
            prev = ms[i - 1] if i > 0 else None
            gap = body[prev.end : p.start] if prev else ""
            title = next((t for t in titles if gap.endswith(t)), None)
            if (
                prev is not None
                and title
                and len(gap) <= 14
                and not re.search(r"[,，。;；、:：“”]", gap)
            ):
                role = gap
                org = prev
                if org.label in ("City", "Province") and title in EXEC_TITLES:
                    key = _government_of(ctx, org)
                    yield Proposal(
                        _key_of(p),
                        "worksFor",
                        key,
                        s,
                        "aigraph.relate.title_person.v1",
                        0.8,
                        role=role,
                    )
                elif org.label in ("Firm", "Agency", "Institution", "Park"):
                    yield Proposal(
                        _key_of(p),
                        "worksFor",
                        _key_of(org),
                        s,
                        "aigraph.relate.title_person.v1",
                        0.9,
                        role=role,
                    )
                people_done.add(_key_of(p))
                continue
            # "创始人孔旗": a corporate title without its firm → the firm just talked about.
            before = body[max(ctx.article.sentences[s].start, p.start - 8) : p.start]
            title = next((t for t in CORP_TITLES if before.endswith(t)), None)
            if title and _key_of(p) not in people_done:
                firm = _recent(ctx, s, p.start, ("Firm",))
                if firm:
                    yield Proposal(
                        _key_of(p),
                        "worksFor",
                        firm,
                        s,
                        "aigraph.relate.title_person.v1",
                        0.6,
                        role=title,
                    )
                    people_done.add(_key_of(p))


def _recent(ctx: Context, s: int, before: int, types: tuple[str, ...], back: int = 3) -> str | None:
    for t in range(s, max(-1, s - back - 1), -1):
        ms = [m for m in ctx.outer(t) if m.label in types and (t < s or m.end <= before)]
        if ms:
            return ms[-1].key
    return None


def _government_of(ctx: Context, place: Mention) -> str:
    """The people's government of a province or city, reusing the article's entity if any."""
    ent = ctx.entities.get(_key_of(place))
    name = (ent.name if ent else place.text) + "人民政府"
    if (
        not name.startswith(("北京", "上海", "天津", "重庆"))
        and place.label == "City"
        and not name[:-4].endswith("市")
    ):
        name = name[:-4] + "市人民政府"
    for k, e in ctx.entities.items():
        if e.type == "Agency" and (e.name == name or name in e.aliases):
            return k
    key = f"Agency:{name}"
    if key not in ctx.new_entities:
        ctx.new_entities[key] = Entity(
            key=key, type="Agency", name=name, rules=("aigraph.relate.title_person.v1",)
        )
    return key


def rule_located(ctx: Context) -> Iterable[Proposal]:
    """落户/入驻/位于/在…设立/总部/投资, firms listed with a park, platforms a park builds."""
    body = ctx.article.body
    for s, sent in enumerate(ctx.article.sentences):
        ms = ctx.outer(s)
        text = sent.text
        if NEGATION_RE.search(text) and re.search(r"拟|未", text):
            pass
        heads = [m for m in ms if m.label in ("Firm", "Platform", "Institution", "Park", "City")]
        places = [m for m in ms if m.label in ("Park", "City", "Province", "Region")]
        hq = "总部" in text
        for h in heads:
            for p in places:
                if p.key == h.key or p.start < h.end:
                    continue
                between = body[h.end : p.start]
                if len(between) > 30 or re.search(r"[。;；,，]", between):
                    continue
                if SETTLE_RE.search(between):
                    if (
                        NEGATION_RE.search(between)
                        or EVENT_RE.search(between)
                        or EVENT_RE.search(body[p.end : p.end + 4])
                    ):
                        continue
                    # the headquarters must be this firm's: 总部 between the firm and the place
                    if "总部" in between and h.label == "Firm" and p.label in ("City", "Park"):
                        yield Proposal(
                            _key_of(h),
                            "headquarteredIn",
                            _key_of(p),
                            s,
                            "aigraph.relate.headquarters.v1",
                            0.8,
                        )
                    if not (hq and re.search(r"总部", between)):
                        yield Proposal(
                            _key_of(h),
                            "locatedIn",
                            _key_of(p),
                            s,
                            "aigraph.relate.settles_in.v1",
                            0.75,
                        )
                    if (
                        h.label == "Firm"
                        and "投资" in between + body[p.end : p.end + 4]
                        and p.label in ("City", "Park")
                    ):
                        yield Proposal(
                            _key_of(h),
                            "investsIn",
                            _key_of(p),
                            s,
                            "aigraph.relate.invests_in.v1",
                            0.8,
                        )
                if (
                    h.label == "Firm"
                    and p.label in ("City", "Park", "Firm")
                    and re.fullmatch(r"(已|将|再次|追加|计划)?(投资|入股|注资)(了)?", between)
                    and not NEGATION_RE.search(between)
                ):
                    # "L投资T": the firm invests in the park, city or firm named right after
                    yield Proposal(
                        _key_of(h), "investsIn", _key_of(p), s, "aigraph.relate.invests_in.v1", 0.8
                    )
            # "小米武汉总部落户光谷": a city glued before 总部 is where the headquarters is
            if h.label == "Firm" and hq:
                after = body[h.end : min(sent.end, h.end + 12)]
                for p in places:
                    if (
                        p.start >= h.end
                        and body[p.end : p.end + 2] == "总部"
                        and p.label in ("City", "Park")
                    ):
                        yield Proposal(
                            _key_of(h),
                            "headquarteredIn",
                            _key_of(p),
                            s,
                            "aigraph.relate.headquarters.v1",
                            0.8,
                        )
                if after.startswith(("第二总部", "总部", "全国总部", "区域总部")):
                    for p in places:
                        if p.start > h.end and p.label in ("City", "Park"):
                            yield Proposal(
                                _key_of(h),
                                "headquarteredIn",
                                _key_of(p),
                                s,
                                "aigraph.relate.headquarters.v1",
                                0.75,
                            )
        # "中国声谷龙头企业科大讯飞", "在青岛…集群,依靠海尔、海信…等龙头企业"
        parks = [m for m in ms if m.label == "Park"]
        firms = [m for m in ms if m.label == "Firm"]
        if firms and re.search(r"企业", text):
            park = parks[0].key if parks else None
            if park is None and any(a in text for a in ("园区", "集群", "基地", "试验区")):
                park = ctx.topic_park
            if park is None and re.search(r"等(龙头|头部|重点|骨干)企业", text):
                park = ctx.paragraph_park(s)
            if park:
                coop_partners = _cooperation_partners(ctx, s)
                for f in firms:
                    if f.key in coop_partners:
                        continue
                    yield Proposal(
                        _key_of(f), "locatedIn", park, s, "aigraph.relate.park_firms.v1", 0.6
                    )
        # "光谷也已建设东湖大数据交易中心、长江大数据交易中心等交易平台"
        for p in parks:
            for pl in ms:
                if pl.label == "Platform" and pl.start > p.end:
                    between = body[p.end : pl.start]
                    if len(between) <= 12 and re.search(r"建设|打造|搭建|建成|设立|拥有", between):
                        yield Proposal(
                            _key_of(pl),
                            "locatedIn",
                            _key_of(p),
                            s,
                            "aigraph.relate.park_builds.v1",
                            0.7,
                        )
                        for q in ms:
                            if (
                                q.label == "Platform"
                                and q.start > pl.end
                                and LIST_SEP_RE.match(body[pl.end : q.start])
                            ):
                                yield Proposal(
                                    _key_of(q),
                                    "locatedIn",
                                    _key_of(p),
                                    s,
                                    "aigraph.relate.park_builds.v1",
                                    0.7,
                                )


def _cooperation_partners(ctx: Context, s: int) -> set[str]:
    """Things listed after 与 in a cooperation clause: partners, not residents."""
    out: set[str] = set()
    body = ctx.article.body
    sent = ctx.article.sentences[s]
    for mm in re.finditer(r"与", sent.text):
        pivot = sent.start + mm.start()
        if re.search(r"合作|签署|签约|协议", body[pivot : sent.end][:200]):
            _, right = _lists_around(ctx, s, pivot, frozenset(ORGS | PLACES))
            out.update(m.key for m in right if m.key)
    return out


def rule_operated(ctx: Context) -> Iterable[Proposal]:
    """依托X建设Y, Y运营单位——X, X获批建设Y, X牵头…Y, X运营Y."""
    body = ctx.article.body
    for s, sent in enumerate(ctx.article.sentences):
        ms = ctx.outer(s)
        for i, a in enumerate(ms):
            for b in ms[i + 1 :]:
                between = body[a.end : b.start]
                if len(between) > 16 or re.search(r"[。;；,，]", between):
                    continue
                before_a = body[max(sent.start, a.start - 4) : a.start]
                # 依托(龙头企业)X(打造|建设)的Y
                if (
                    "依托" in before_a + body[max(sent.start, a.start - 8) : a.start]
                    and a.label in ("Firm", "Institution", "Agency")
                    and b.label in ("Platform", "Park")
                    and re.search(r"打造|建设|建立|组建|搭建", between)
                ):
                    yield Proposal(
                        _key_of(b), "operatedBy", _key_of(a), s, "aigraph.relate.relies_on.v1", 0.8
                    )
                # Y依托X建设: the same, platform first
                if (
                    a.label in ("Platform", "Park")
                    and b.label in ("Firm", "Institution", "Agency")
                    and re.fullmatch(r"(主要)?依托", between)
                    and re.match(r"(建设|打造|建立|组建|搭建|共建)", body[b.end : b.end + 2])
                ):
                    yield Proposal(
                        _key_of(a), "operatedBy", _key_of(b), s, "aigraph.relate.relies_on.v1", 0.8
                    )
                # X获批建设“Y”
                if (
                    a.label in ("Firm", "Institution")
                    and b.label == "Platform"
                    and re.search(r"获批建设|获批筹建|牵头建设|牵头|承建|建设运营|运营", between)
                ):
                    yield Proposal(
                        _key_of(b),
                        "operatedBy",
                        _key_of(a),
                        s,
                        "aigraph.relate.builds_platform.v1",
                        0.75,
                    )
                # Y运营单位——X / Y的运营方X
                if (
                    a.label in ("Park", "Platform")
                    and b.label in ("Firm", "Agency", "Institution")
                    and re.search(r"运营单位|运营方|运营主体|运营商", between)
                ):
                    yield Proposal(
                        _key_of(a), "operatedBy", _key_of(b), s, "aigraph.relate.operator.v1", 0.85
                    )
        # 依托中国科大类脑…实验室: an institution glued to a platform's name
        for m in ms:
            if m.label == "Platform":
                for i in ctx.inner(m):
                    if i.label == "Institution" and i.start == m.start:
                        yield Proposal(
                            _key_of(m),
                            "operatedBy",
                            _key_of(i),
                            s,
                            "aigraph.relate.named_after_operator.v1",
                            0.75,
                        )


def _past_listed_issuers(body: str, issuer: Mention, policy: Mention, issuers: list) -> str:
    """The text between ``issuer`` and ``policy``, or, when other issuers listed right after
    it stand between them (国家发展改革委、科技部、国家数据局等部门联合印发《…》), the text after
    the last of them: each body of such a list issues the document."""
    pos = issuer.end
    for m in sorted(issuers, key=lambda m: m.start):
        if m.start < pos or m.end > policy.start:
            continue
        if body[pos : m.start] not in ("、", "和", "与", "及"):
            break
        pos = m.end
    return body[pos : policy.start]


def rule_approved_issued(ctx: Context) -> Iterable[Proposal]:
    """批准/授牌/公布…名单 (approvedBy), 出台/印发/发布/入选X计划 (issuedBy)."""
    body = ctx.article.body
    for s, sent in enumerate(ctx.article.sentences):
        ms = ctx.outer(s)
        agencies = [m for m in ms if m.label == "Agency"]
        issuers = [m for m in ms if m.label in ("Agency", "Province", "City")]
        text = sent.text
        for a in agencies:
            after = body[a.end : sent.end]
            if re.match(r".{0,6}(批准|批复|授牌|认定|授予)", after):
                targets = [m for m in ms if m.label in ("Park", "Platform") and m.start > a.end]
                if not targets and ctx.topic_park:
                    targets_keys = [ctx.topic_park]
                else:
                    targets_keys = [m.key for m in targets]
                for t in targets_keys:
                    yield Proposal(
                        t, "approvedBy", _key_of(a), s, "aigraph.relate.approval.v1", 0.8
                    )
            if re.match(r".{0,10}(公布|发布|印发)", after) and "名单" in after:
                for m in ms:
                    if m.label == "Park" and m.start > a.end:
                        yield Proposal(
                            _key_of(m),
                            "approvedBy",
                            _key_of(a),
                            s,
                            "aigraph.relate.listed_by.v1",
                            0.7,
                        )
                for m in ms:
                    if m.label == "Policy" and m.start > a.end and "名单" in m.text:
                        yield Proposal(
                            _key_of(m), "issuedBy", _key_of(a), s, "aigraph.relate.issued.v1", 0.75
                        )
        for a in issuers:
            for p in ms:
                if p.label != "Policy" or p.start < a.end:
                    continue
                between = _past_listed_issuers(body, a, p, issuers)
                verbs = r"出台|印发|发布|制定|公布|颁布|联合印发" + (
                    r"|实施|推出" if a.label in ("City", "Province") else ""
                )
                if (
                    len(between) <= 20
                    and not re.search(r"[。;；,，]", between)
                    and re.search(verbs, between)
                ):
                    yield Proposal(
                        _key_of(p), "issuedBy", _key_of(a), s, "aigraph.relate.issued.v1", 0.85
                    )
                elif (
                    len(between) <= 12
                    and re.search(r"等.{0,4}(部门|单位)", between)
                    and re.search(r"印发|发布", between)
                ):
                    yield Proposal(
                        _key_of(p), "issuedBy", _key_of(a), s, "aigraph.relate.issued.v1", 0.8
                    )
                elif (
                    between in ("", "的")
                    or re.fullmatch(r"入选|列入|纳入", body[a.start - 2 : a.start] + "")
                    and between == ""
                ):
                    yield Proposal(
                        _key_of(p),
                        "issuedBy",
                        _key_of(a),
                        s,
                        "aigraph.relate.issuer_prefix.v1",
                        0.7,
                    )
        # "汇博机器人、苏州微清入选科技部国家重点研发计划": the programme supports those it selects
        for mm in re.finditer(r"入选|列入|纳入|获得", text):
            pos = sent.start + mm.start()
            pols = [m for m in ms if m.label == "Policy" and m.start > pos and m.start - pos < 14]
            if not pols:
                continue
            left, _ = _lists_around(ctx, s, pos, frozenset({"Firm", "Park", "Platform"}))
            for p in pols:
                for f in left:
                    yield Proposal(
                        _key_of(p), "supports", _key_of(f), s, "aigraph.relate.selected_by.v1", 0.75
                    )


def rule_supports(ctx: Context) -> Iterable[Proposal]:
    """An agency or policy that backs, funds or pushes the things named after the verb."""
    body = ctx.article.body
    for s, sent in enumerate(ctx.article.sentences):
        ms = ctx.outer(s)
        subjects = [m for m in ms if m.label in ("Agency", "Policy")]
        for subj in subjects:
            after = body[subj.end : sent.end]
            verb = re.search(r"支持|扶持|资助|推进|推动|给予|加大|引领|培育|鼓励", after)
            if not verb:
                continue
            if NEGATION_RE.search(after[: verb.start()]):
                continue
            pos = subj.end + verb.start()
            for t in ms:
                if t.start >= pos and t.label in ("Park", "Firm", "Platform", "Industry"):
                    yield Proposal(
                        _key_of(subj), "supports", _key_of(t), s, "aigraph.relate.supports.v1", 0.7
                    )
            # "给予中国声谷发展的指导和支持": the target can come before the verb
            for t in ms:
                if (
                    subj.end <= t.start < pos
                    and t.label in ("Park", "Firm", "Platform")
                    and re.search(r"给予|对", body[subj.end : t.start])
                ):
                    yield Proposal(
                        _key_of(subj), "supports", _key_of(t), s, "aigraph.relate.supports.v1", 0.7
                    )
    # a policy document supports what its imperative sentences build or back
    if ctx.title_policy:
        for s, sent in enumerate(ctx.article.sentences):
            if s == 0:
                continue
            ms = ctx.outer(s)
            if any(m.label in ("Agency",) and m.start - sent.start < 3 for m in ms):
                continue
            text = sent.text
            if not re.search(r"支持|培育|加快推进|推进|建设|打造|发展|布局|优先", text):
                continue
            for t in ms:
                if t.label in ("Park", "Platform", "Firm", "Industry"):
                    before = body[sent.start : t.start]
                    if re.search(r"支持|培育|推进|建设|打造|发展|布局|围绕|优先", before):
                        yield Proposal(
                            ctx.title_policy,
                            "supports",
                            _key_of(t),
                            s,
                            "aigraph.relate.policy_document.v1",
                            0.55,
                        )
    # (省科技厅、省发展改革委…按职责分别负责): the departments back the task's targets
    for s, sent in enumerate(ctx.article.sentences):
        m = RESPONSIBLE_RE.search(sent.text)
        if not m:
            continue
        start = sent.start + m.start(1)
        end = sent.start + m.end(1)
        agencies = [
            x for x in ctx.outer(s) if x.label == "Agency" and start <= x.start and x.end <= end
        ]
        if not agencies:
            continue
        para = ctx.paragraph_of[s]
        targets = []
        for t in range(len(ctx.article.sentences)):
            if ctx.paragraph_of[t] != para or t > s:
                continue
            targets += [
                x
                for x in ctx.outer(t)
                if x.label in ("Industry", "Park", "Platform", "Firm")
                and not (start <= x.start < end)
            ]
        for a in agencies:
            for t in targets:
                yield Proposal(
                    _key_of(a),
                    "supports",
                    _key_of(t),
                    s,
                    "aigraph.relate.responsible_departments.v1",
                    0.6,
                )


def _groups(ctx: Context, ms: list[Mention]) -> list[list[Mention]]:
    """Consecutive mentions joined only by list separators form a group (a list)."""
    body = ctx.article.body
    groups: list[list[Mention]] = []
    for m in ms:
        if (
            groups
            and LIST_SEP_RE.match(body[groups[-1][-1].end : m.start])
            and groups[-1][-1].label == m.label
        ):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def rule_focus(ctx: Context) -> Iterable[Proposal]:
    """A park, firm, platform or policy and the industries its sentence says it works on.

    The cue may stand before the list (``聚焦``, ``重点布局``, ``在``) or after it
    (``等领域``, ``产业``, ``技术``); the subject is the first park/firm/platform before the
    industries, or the park an anaphor (``园区``, ``集群``) refers to.
    """
    body = ctx.article.body
    for s, sent in enumerate(ctx.article.sentences):
        ms = ctx.outer(s)
        if not any(m.label == "Industry" for m in ms):
            continue
        for group in _groups(ctx, ms):
            if group[0].label != "Industry":
                continue
            first = group[0].start
            before = [m for m in ms if m.end <= first and m.label in ("Park", "Firm", "Platform")]
            subj_key = before[0].key if before else None
            subj_end = before[0].end if before else sent.start
            if subj_key is None:
                anaphor = _anaphor_before(ctx, s, first)
                if anaphor is None:
                    continue
                subj_key, subj_end = anaphor
            lead = body[subj_end:first]
            tail = body[group[-1].end : group[-1].end + 8]
            cue_before = re.search(
                r"聚焦|重点发展|重点布局|布局|主攻|定位于|专注|深耕|致力于|围绕|"
                r"在$|在[^,，。;；]{0,4}$|发展$|打造$|以$",
                lead,
            )
            cue_after = re.match(
                r"^(等)?(重点|核心|关键|新兴)?(领域|产业|行业|业务|技术|为引领|为特色|方面)", tail
            )
            if not (cue_before or cue_after):
                continue
            if len(lead) > 40 or re.search(r"[。;；]", lead):
                continue
            for i in group:
                yield Proposal(subj_key, "focusesOn", _key_of(i), s, "aigraph.relate.focus.v1", 0.6)


def _anaphor_before(ctx: Context, s: int, pos: int) -> tuple[str, int] | None:
    """(park key, end of the anaphor) for a park anaphor before ``pos`` in sentence ``s``."""
    sent = ctx.article.sentences[s]
    text = ctx.article.body[sent.start : pos]
    for word in ("园区", "集群", "基地", "试验区", "开发区", "高新区", "声谷", "光谷"):
        k = text.find(word)
        if k >= 0 and not _inside_mention(ctx, s, sent.start + k):
            park = ctx.park_for(word, s)
            if park:
                return park, sent.start + k + len(word)
    return None


def _inside_mention(ctx: Context, s: int, pos: int) -> bool:
    return any(m.start <= pos < m.end for m in ctx.by_sentence.get(s, []))


def rule_park_context(ctx: Context) -> Iterable[Proposal]:
    """Firms and platforms a paragraph about a park presents are located in that park.

    The park is the one the sentence names, else the one its anaphor (``园区``, ``集群``)
    refers to, else the one its paragraph named before it. Cooperation partners, and firms
    the sentence already places elsewhere, are left out.
    """
    body = ctx.article.body
    for s, sent in enumerate(ctx.article.sentences):
        ms = ctx.outer(s)
        candidates = [m for m in ms if m.label in ("Firm", "Platform")]
        if not candidates:
            continue
        parks = [m for m in ms if m.label == "Park"]
        park = parks[0].key if parks else None
        if park is None:
            hit = _anaphor_before(ctx, s, sent.end)
            park = hit[0] if hit else ctx.paragraph_park(s)
        if park is None:
            continue
        if NEGATION_RE.search(sent.text):
            continue  # "X尚未落户园区": nothing is stated as settled
        partners = _cooperation_partners(ctx, s)
        placed = {
            m.key
            for m in ms
            for p in ms
            if p.label in ("City", "Province", "Region")
            and m.end <= p.start
            and SETTLE_RE.search(body[m.end : p.start] or "x")
        }
        for c in candidates:
            if c.key in partners or c.key in placed or c.key == park:
                continue
            if c.label == "Firm" and re.match(r"^(与|同|和)", body[c.end : c.end + 1]):
                continue
            yield Proposal(_key_of(c), "locatedIn", park, s, "aigraph.relate.park_context.v1", 0.5)


def rule_core_area(ctx: Context) -> Iterable[Proposal]:
    """``以苏州工业园区为试验区核心区``: the core area is part of the zone."""
    body = ctx.article.body
    for s, sent in enumerate(ctx.article.sentences):
        for mm in re.finditer(r"以(.{2,20}?)为.{0,8}?核心区", sent.text):
            ms = ctx.outer(s)
            core = [
                m
                for m in ms
                if m.label == "Park"
                and sent.start + mm.start(1) <= m.start < sent.start + mm.end(1)
            ]
            zones = [m for m in ms if m.label == "Park" and m not in core]
            for c in core:
                for z in zones:
                    yield Proposal(
                        _key_of(c), "partOf", _key_of(z), s, "aigraph.relate.core_area.v1", 0.75
                    )
    del body


RULES = (
    rule_names_that_say_it,
    rule_adjacent_places,
    rule_regions,
    rule_cooperation,
    rule_works_for,
    rule_located,
    rule_operated,
    rule_approved_issued,
    rule_supports,
    rule_focus,
    rule_park_context,
    rule_core_area,
)


def _type_ok(ctx: Context, p: Proposal) -> bool:
    if p.head == p.tail:
        return False
    heads, tails = ALLOWED[p.relation]
    ht, tt = ctx.etype(p.head), ctx.etype(p.tail)
    if ht not in heads or tt not in tails:
        return False
    return not (p.relation == "partOf" and (ht, tt) not in _PART_OF_PAIRS)


def build_context(
    article: Article, mentions: Sequence[Mention], entities: Sequence[Entity]
) -> Context:
    """Index an article's mentions by sentence and find its topics."""
    ctx = Context(
        article=article,
        mentions=sorted(mentions, key=lambda m: (m.start, -m.end)),
        entities={e.key: e for e in entities},
    )
    for m in ctx.mentions:
        if m.sentence is not None:
            ctx.by_sentence.setdefault(m.sentence, []).append(m)
    # paragraphs: sentences separated by a line break
    para = 0
    prev_end = 0
    for sent in article.sentences:
        if "\n" in article.body[prev_end : sent.start]:
            para += 1
        ctx.paragraph_of.append(para)
        prev_end = sent.end
    counts: dict[str, int] = defaultdict(int)
    for m in ctx.mentions:
        if m.label == "Park" and m.key:
            counts[m.key] += 1
    if counts:
        ctx.topic_park = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    first = ctx.by_sentence.get(0, [])
    if article.sentences and first:
        s0 = article.sentences[0]
        pols = [
            m for m in first if m.label == "Policy" and m.start == s0.start and m.end >= s0.end - 1
        ]
        if pols:
            ctx.title_policy = pols[0].key
    return ctx


def find_relations(
    article: Article, mentions: Sequence[Mention], entities: Sequence[Entity]
) -> tuple[list[Relation], list[Entity]]:
    """All relations an article states, with evidence, and any entity a rule had to name.

    Returns the relations (sorted) and the entities created by rules (a province's people's
    government for ``副省长X``), which the caller adds to the article's entities.
    """
    ctx = build_context(article, mentions, entities)
    found: dict[tuple[str, str, str, str | None], dict] = {}
    for rule in RULES:
        for p in rule(ctx):
            if p.relation == "cooperatesWith" and p.tail < p.head:
                p = Proposal(p.tail, p.relation, p.head, p.sentence, p.rule, p.confidence, p.role)
            if not _type_ok(ctx, p):
                continue
            k = (p.head, p.relation, p.tail, p.role if p.relation == "worksFor" else None)
            ev = make_evidence(article, article.sentences[p.sentence], p.rule, p.confidence)
            slot = found.setdefault(k, {})
            slot[(ev.start, ev.end, ev.rule)] = ev
    relations = [
        Relation(
            head=h, relation=r, tail=t, role=role, evidence=tuple(v for _, v in sorted(evs.items()))
        )
        for (h, r, t, role), evs in sorted(
            found.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2], kv[0][3] or "")
        )
    ]
    return relations, sorted(ctx.new_entities.values(), key=lambda e: e.key)
