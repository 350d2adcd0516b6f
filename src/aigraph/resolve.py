"""Resolution: merge the mentions of one thing into one entity with a stable key.

Within an article, mentions of the same type are merged when one of these rules links them:

- the same normalised form (Simplified, width-folded, quotes and spaces removed);
- the same gazetteer entry (``工信部`` and ``工业和信息化部``);
- a definition: ``(以下简称X)``, ``(简称X)``, ``简称“X”``;
- a parenthesised alternative: ``中国声谷(合肥智能语音集群)``, or a name with a parenthesised
  name inside (``智能语音(中国声谷)产业基地`` has the alias ``中国声谷``);
- abbreviation rules: a firm's core name (region prefix and company-form suffix dropped:
  ``科大讯飞股份有限公司`` → ``科大讯飞``), a park's name without a middle dot, an embedded
  city or ``市`` (``中国声谷·庐阳大数据产业园`` = ``中国声谷合肥庐阳大数据产业园``), a sub-park's
  own name once its parent park is dropped (``庐阳大数据产业园``);
- an agency's short department name (``经信厅`` = ``经济和信息化厅``) and a bare ``省``/``市``
  prefix read as the article's main province or city (``省科技厅`` = ``安徽省科技厅``).

The entity key is ``"Type:name"`` where ``name`` is the gazetteer's canonical name when the
thing is listed, else the article's most used form (firms: its core name). Keys never depend
on run order, so IRIs minted from them are stable.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from .gazetteers import load_gazetteer
from .ingest import looks_traditional, to_simplified
from .ingest import normalise_name as _normalise_name
from .records import Article, Entity, Mention, MentionRef

#: Resolution compares the same few hundred forms many times over: remember them.
normalise_name = lru_cache(maxsize=65536)(_normalise_name)

#: Company-form endings dropped, longest first, to get a firm's core name.
FIRM_FORMS = (
    "集团股份有限公司",
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限公司",
    "控股集团",
    "集团",
    "公司",
    "科技",
    "技术",
)

_DEFINITION_RE = re.compile(
    r"[(（]\s*(?:以下)?简称[为:：]?\s*[“\"‘]?([^()（）“”\"‘’,，。]{2,20})[”\"’]?\s*[)）]"
)
_PAREN_INNER_RE = re.compile(r"[(（]([^()（）]{2,12})[)）]")


@dataclass
class _Group:
    label: str
    mentions: list[Mention]
    forms: set[str]
    gazetteer: str | None = None


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@lru_cache(maxsize=1)
def _place_tables() -> tuple[frozenset[str], dict[str, str]]:
    """Place names (with short forms) and the map from each form to its full name."""
    gaz = load_gazetteer()
    full: dict[str, str] = {}
    for e in gaz.entries:
        if e.type in ("City", "Province"):
            for f in (e.name, *e.aliases):
                if len(f) >= 2:
                    full.setdefault(f, e.name)
    return frozenset(full), full


@lru_cache(maxsize=1)
def _city_names() -> frozenset[str]:
    """Prefecture-level cities (and municipalities) with their short forms."""
    names: set[str] = set()
    for e in load_gazetteer().entries:
        if e.type == "City" and e.level in ("prefecture", "province"):
            names.update(f for f in (e.name, *e.aliases) if len(f) >= 2)
    return frozenset(names)


@lru_cache(maxsize=1)
def _agency_expansions() -> tuple[tuple[str, str], ...]:
    """(short form, full form) pairs of department names, longest short form first."""
    pairs = []
    for s in load_gazetteer().agency_suffixes:
        for short in s.short_forms:
            if short and short != s.full:
                pairs.append((short, s.full))
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p)))


def firm_cores(name: str) -> list[str]:
    """Progressively shorter core names of a firm.

    Examples
    --------
    >>> firm_cores("九识(苏州)智能科技有限公司")
    ['九识智能科技', '九识智能']
    >>> firm_cores("北京瑞特森传感科技有限公司")
    ['北京瑞特森传感科技', '北京瑞特森传感', '瑞特森传感']
    """
    return list(_firm_cores(name))


@lru_cache(maxsize=65536)
def _firm_cores(name: str) -> tuple[str, ...]:
    """:func:`firm_cores`, cached (a pure function of the name, asked per mention)."""
    places, _ = _place_tables()
    out: list[str] = []
    core = _PAREN_INNER_RE.sub(lambda m: "" if m.group(1) in places else m.group(0), name)
    changed = True
    while changed:
        changed = False
        for form in FIRM_FORMS:
            if core.endswith(form) and len(core) - len(form) >= 2:
                core = core[: -len(form)]
                if core not in out:
                    out.append(core)
                changed = True
                break
    # Region prefix dropped last (``北京瑞特森传感`` → ``瑞特森传感``), never down to one char.
    place = _leading_place(core, places)
    if place and len(core) - len(place) >= 2 and not core.startswith("中国"):
        out.append(core[len(place) :])
    if name in out:
        out.remove(name)
    return tuple(out)


def park_keys(name: str, article_parks: Sequence[str] = ()) -> list[str]:
    """Alternative forms of a park name: no middle dot, no embedded city, no parent park.

    Examples
    --------
    >>> park_keys("中国声谷·庐阳大数据产业园", ["中国声谷"])
    ['中国声谷庐阳大数据产业园', '庐阳大数据产业园']
    >>> sorted(park_keys("中国声谷合肥庐阳大数据产业园", ["中国声谷"]))
    ['中国声谷庐阳大数据产业园', '合肥庐阳大数据产业园', '庐阳大数据产业园']
    """
    places, _ = _place_tables()
    out: list[str] = []
    flat = name.replace("·", "").replace("•", "").replace("・", "")
    if flat != name:
        out.append(flat)
    # ``合肥市高新区`` = ``合肥高新区``
    for k in range(len(flat)):
        if flat[k] == "市" and k >= 2:
            for length in (2, 3, 4):
                place = flat[max(0, k + 1 - length - 1) : k + 1]
                if len(place) == length + 1 and place in places:
                    short = flat[:k] + flat[k + 1 :]
                    if short not in out:
                        out.append(short)
                    break
    # ``成都天府新区`` = ``天府新区``: a city's name glued to the front of a park's own name.
    # (What is left must still be a proper name: 合肥高新区 without 合肥 is only 高新区, a
    # kind of park, and the generic filter below drops it.)
    city = _leading_place(flat, _city_names())
    if city and len(flat) - len(city) >= 4 and flat[len(city) :] not in out:
        out.append(flat[len(city) :])
    parents = sorted({p for p in article_parks if p and p != name}, key=len, reverse=True)
    for parent in parents:
        if flat.startswith(parent) and len(flat) - len(parent) >= 4:
            rest = flat[len(parent) :]
            if _descriptor_only(rest):
                # 中国声谷人工智能产业基地: the park itself, described
                out.append(parent)
                break
            if rest not in out:
                out.append(rest)
            # the sub-park's name without its city: 中国声谷合肥庐阳… → 中国声谷庐阳… (a city,
            # never a district: 双流 in 天府软件园·双流人工智能产业园 is the sub-park's own name)
            place = _leading_place(rest, _city_names())
            if place and len(rest) - len(place) >= 4:
                for form in (parent + rest[len(place) :], rest[len(place) :]):
                    if form not in out:
                        out.append(form)
            break
    if name in out:
        out.remove(name)
    return [f for f in out if not _generic("Park", f)]


def _descriptor_only(rest: str) -> bool:
    """Is ``rest`` only a description (industry + generic park word), not a sub-park's name?"""
    from .recognise import proper_part

    for suffix in _suffixes_of("Park"):
        if rest.endswith(suffix):
            return not proper_part(rest[: -len(suffix)])
    return False


def dominant_places(article: Article, mentions: Sequence[Mention]) -> tuple[str | None, str | None]:
    """The article's main province and main city (full gazetteer names), by weighted counts.

    The title and the first sentences weigh more: a policy titled ``安徽省…实施方案`` is about
    Anhui even if the body says only ``我省``.
    """
    # plain dicts: a Counter's ``+=`` runs Python code, and this loop sees every mention
    provinces: dict[str, float] = {}
    cities: dict[str, float] = {}
    head = len(article.sentences[0].text) if article.sentences else 0
    head = max(head, 40)
    for m in mentions:
        label = m.label
        if label not in _PLACE_WEIGHING_TYPES:
            continue
        weight = 3 if m.start < head else 1
        if label == "Province":
            name = m.canonical or m.text
            provinces[name] = provinces.get(name, 0) + weight
        elif label == "City":
            canonical = m.canonical or m.text
            cities[canonical] = cities.get(canonical, 0) + weight
            prov = _province_of(canonical)
            if prov:
                provinces[prov] = provinces.get(prov, 0) + 0.5 * weight
        else:
            # Place names glued to the front of other names count too: 安徽省经信厅.
            glued = _glued_place(m.text)
            if glued is not None:
                place, is_province, prov = glued
                if is_province:
                    provinces[place] = provinces.get(place, 0) + weight
                else:
                    cities[place] = cities.get(place, 0) + weight
                    if prov:
                        provinces[prov] = provinces.get(prov, 0) + 0.5 * weight
    province = _top(provinces)
    city = _top(cities)
    return province, city


_GLUED_PLACE_TYPES = frozenset({"Agency", "Park", "Policy", "Firm", "Institution", "Platform"})
_PLACE_WEIGHING_TYPES = _GLUED_PLACE_TYPES | {"Province", "City"}


@lru_cache(maxsize=65536)
def _province_of(name: str) -> str | None:
    """The gazetteer's ``province_of``, cached (asked for every city mention)."""
    return load_gazetteer().province_of(name)


@lru_cache(maxsize=65536)
def _glued_place(text: str) -> tuple[str, bool, str | None] | None:
    """The place a name begins with (2–6 characters, longest first), as (full name, whether
    it is a province, its province), or None. Cached: a pure function of the name."""
    _, full = _place_tables()
    for length in range(min(6, len(text)), 1, -1):
        form = text[:length]
        if form in full:
            place = full[form]
            entry = load_gazetteer().lookup(place)
            if entry and entry[0].type == "Province":
                return place, True, None
            return place, False, _province_of(place)
    return None


def _top(counter: Mapping[str, float]) -> str | None:
    if not counter:
        return None
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def agency_forms(text: str, province: str | None, city: str | None) -> list[str]:
    """Other names of an agency mention: place prefix filled in, department name expanded.

    Examples
    --------
    >>> sorted(agency_forms("省科技厅", "安徽省", None))
    ['安徽省科学技术厅', '安徽省科技厅']
    """
    out: list[str] = []
    base = text
    if text.startswith("省") and province:
        base = province + text[1:]
        out.append(base)
    elif text.startswith("市") and city:
        base = city + text[1:]
        out.append(base)
    elif text.startswith(("国家",)) or _starts_with_place(text):
        pass
    elif city and text.endswith(("局", "委", "办")) and not text.startswith(("中央", "国务院")):
        # A bare municipal bureau (科技成果转化局) belongs to the article's city.
        base = city + text
        out.append(base)
    for short, full in _agency_expansions():
        if base.endswith(short) and not base.endswith(full):
            out.append(base[: -len(short)] + full)
            break
    # ``安徽省政府`` → ``安徽省人民政府``
    if base.endswith("政府") and not base.endswith("人民政府"):
        out.append(base[:-2] + "人民政府")
    return [f for f in out if f != text]


def _leading_place(text: str, names: frozenset[str] | None = None) -> str | None:
    """The longest place name (2–7 characters) that ``text`` starts with, if any."""
    names = names if names is not None else _place_tables()[0]
    for length in range(min(7, len(text) - 1), 1, -1):
        if text[:length] in names:
            return text[:length]
    return None


def _starts_with_place(text: str) -> bool:
    return _leading_place(text) is not None


def _definitions(article: Article, mentions: Sequence[Mention]) -> list[tuple[int, str]]:
    """(index of the defined mention, short name) for each ``(以下简称X)`` in the body."""
    out = []
    body = article.body
    for m in _DEFINITION_RE.finditer(body):
        short = normalise_name(m.group(1))
        # the defined thing is the nearest mention ending before the parenthesis
        best = None
        for i, men in enumerate(mentions):
            close = men.end <= m.start() and m.start() - men.end <= 20
            if close and (best is None or men.end > mentions[best].end):
                best = i
        if best is not None:
            out.append((best, short))
    return out


def resolve_article(
    article: Article, mentions: Sequence[Mention]
) -> tuple[list[Entity], list[Mention]]:
    """Merge an article's mentions into entities.

    Returns the entities (sorted by key) and the mentions with ``key`` filled in (mentions
    that resolve to nothing are dropped).
    """
    gaz = load_gazetteer()
    mentions = list(mentions)
    province, city = dominant_places(article, mentions)
    n = len(mentions)
    uf = _UnionFind(n)

    # forms[i]: every form mention i may be known by (not to be mutated: a repeated mention
    # shares the set of its first occurrence)
    forms: list[set[str]] = []
    parks = [normalise_name(m.text) for m in mentions if m.label == "Park"]
    defined_short: dict[int, set[str]] = {}
    for idx, short in _definitions(article, mentions):
        defined_short.setdefault(idx, set()).add(short)
    # Mentions of the same type sharing any form are one thing. (The groups are the connected
    # components whatever order the forms are visited in: each keeps its smallest index.) A
    # mention repeating an earlier one (same type, text, gazetteer name and rule, no definition
    # of its own) has the same forms, so it joins the earlier one's group without a second
    # look, and is counted with it: most mentions of an article repeat an earlier one.
    owner: dict[tuple[str, str], int] = {}
    first_of: dict[tuple[str, str, str | None, str], int] = {}
    first = list(range(n))  # first[i]: the earlier mention i repeats, or i
    copies = [1] * n  # copies[i]: how many mentions repeat first mention i (itself included)
    for i, m in enumerate(mentions):
        same = (m.label, m.text, m.canonical, m.rule)
        extra = defined_short.get(i)
        earlier = first_of.get(same) if extra is None else None
        if earlier is not None:
            forms.append(forms[earlier])
            first[i] = earlier
            copies[earlier] += 1
            continue
        fs = set(_own_forms(m.label, m.text, m.canonical))
        if m.label == "Park":
            fs.update(park_keys(normalise_name(m.text), parks))
        elif m.label == "Agency":
            fs.update(_agency_forms_normalised(normalise_name(m.text), province, city))
        if extra is None:
            first_of[same] = i
        else:
            fs |= extra
        forms.append(fs)
        for f in fs:
            k = (m.label, f)
            if k in owner:
                uf.union(owner[k], i)
            else:
                owner[k] = i
    # A parenthesised alternative right after a mention: A(B). B is another name of A, and
    # A stays the name the key is minted from (中国声谷(合肥智能语音集群) is 中国声谷).
    alternatives: set[int] = set()
    by_start = {m.start: i for i, m in enumerate(mentions)}
    body = article.body
    for i, m in enumerate(mentions):
        if m.end < len(body) and body[m.end] in "(（":
            j = by_start.get(m.end + 1)
            if j is not None and mentions[j].label == m.label:
                close = mentions[j].end
                if close < len(body) and body[close] in ")）":
                    uf.union(first[i], first[j])
                    alternatives.add(j)

    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(uf.find(first[i]), []).append(i)
    alternatives_of: dict[int, list[int]] = {}
    for j in alternatives:
        alternatives_of.setdefault(uf.find(first[j]), []).append(j)

    entities: list[Entity] = []
    keyed: list[Mention] = []
    doc, offsets = article.doc, article.offsets
    for root, members in groups.items():
        firsts = [i for i in members if first[i] == i]
        label = mentions[members[0]].label
        # how often each surface form is used (a plain dict: a Counter per entity cost more
        # than the counting)
        surface: dict[str, int] = {}
        for i in firsts:
            shown = display_name(mentions[i].text)
            surface[shown] = surface.get(shown, 0) + copies[i]
        all_forms: set[str] = set()
        for i in firsts:
            all_forms |= forms[i]
        gaz_names = sorted(
            {mentions[i].canonical for i in firsts if mentions[i].canonical},
            key=lambda s: (-len(s), s),
        )
        entry = None
        for name in gaz_names:
            for e in gaz.lookup(name):
                if e.type == label:
                    entry = e
                    break
            if entry:
                break
        derived = _derived_full_forms(label, all_forms, surface)
        # Canonical: the gazetteer's name, else the fullest surface form.
        candidates = sorted(set(surface) | derived, key=lambda s: (-len(s), s))
        name = entry.name if entry else candidates[0]
        defined = set()
        for i in firsts:  # (a mention with a definition of its own repeats no other)
            defined |= defined_short.get(i, set())
        defined |= {
            normalise_name(mentions[i].text)
            for i in firsts
            if mentions[i].rule == "aigraph.resolve.definition.v1"
        }
        defined |= {normalise_name(mentions[j].text) for j in alternatives_of.get(root, ())}
        key_name = entry.name if entry else _key_name(label, surface, all_forms, defined)
        # the key is script-independent (Simplified), so the IRI is the same whichever script
        # an article wrote the name in
        key = f"{label}:{_simplified(key_name)}"
        known = set()
        if entry:
            known = {display_name(a) for a in entry.aliases if len(a) >= 2}
        aliases = sorted((set(surface) | derived | known) - {name})
        refs = []
        for i in sorted(members, key=lambda i: mentions[i].start):
            m = mentions[i]
            start, end = m.start, m.end
            # (Article.original_span without its range check: a mention lies in the body)
            refs.append(MentionRef.at(doc, start, end, offsets[start], offsets[end - 1] + 1))
            keyed.append(m.with_key(key))
        rules = tuple(sorted({mentions[i].rule for i in firsts}))
        entities.append(
            Entity(
                key=key,
                type=label,
                name=name,
                aliases=tuple(aliases),
                english=entry.english if entry else None,
                wikidata=entry.wikidata if entry else None,
                mentions=tuple(refs),
                rules=rules,
            )
        )
    entities = _merge_same_key(entities)
    keyed.sort(key=lambda m: (m.start, m.end))
    return entities, keyed


@lru_cache(maxsize=65536)
def _own_forms(label: str, text: str, canonical: str | None) -> frozenset[str]:
    """The forms a mention may be known by that depend on nothing else in its article.

    Its normalised text, the gazetteer's names of its entry, a firm's core names, a
    parenthesised alternative. Cached: the same names recur in article after article.
    """
    gaz = load_gazetteer()
    norm = normalise_name(text)
    fs = {norm}
    if canonical:
        fs.add(normalise_name(canonical))
        for e in gaz.lookup(canonical):
            if e.type == label:
                fs.update(normalise_name(a) for a in e.aliases if len(a) >= 2)
                fs.add(normalise_name(e.name))
    if label == "Firm":
        fs.update(_firm_cores(norm))
    for inner in _PAREN_INNER_RE.findall(text):
        inner_n = normalise_name(inner)
        if label in ("Park", "Platform", "Policy") and inner_n not in _place_tables()[0]:
            fs.add(inner_n)
            fs.add(normalise_name(_PAREN_INNER_RE.sub("", text)))
    return frozenset(fs)


@lru_cache(maxsize=65536)
def _agency_forms_normalised(norm: str, province: str | None, city: str | None) -> tuple[str, ...]:
    """:func:`agency_forms`, normalised and cached per (name, province, city)."""
    return tuple(normalise_name(f) for f in agency_forms(norm, province, city))


def _derived_full_forms(label: str, forms: set[str], surface: Mapping[str, int]) -> set[str]:
    """Full forms worth listing as aliases although the text did not spell them out."""
    if label != "Agency":
        return set()
    # the fullest place-prefixed agency name (安徽省科技厅 for 省科技厅)
    return {f for f in forms if f not in surface and len(f) >= 4}


def _key_name(
    label: str, surface: Mapping[str, int], forms: set[str], defined: set[str] = frozenset()
) -> str:
    """The name an entity's key is minted from: its most used proper form (firms: the core).

    Short names the article defines (``以下简称试验区``) and generic forms never give the key:
    two articles defining the same short name for different zones must not share an IRI.
    """
    proper = {
        f: n
        for f, n in surface.items()
        if normalise_name(f) not in defined and not _generic(label, f)
    }
    ranked = sorted((proper or surface).items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))
    best = ranked[0][0]
    if label == "Firm":
        cores = firm_cores(best)
        short = [c for c in cores if not _starts_with_place(c)] or cores
        if short:
            return short[-1]
    if label == "Agency":
        # the official full name with its place (安徽省经济和信息化厅), whichever short form
        # (安徽省经信厅, 省经济和信息化厅) the article happened to use most
        full = sorted((f for f in forms if _starts_with_place(f)), key=lambda s: (-len(s), s))
        if full:
            return display_name(full[0])
    return best


@lru_cache(maxsize=65536)
def _generic(label: str, name: str) -> bool:
    """Is ``name`` only a kind of thing (``试验区``, ``人工智能产业园``)? (Cached: pure.)"""
    from .recognise import proper_part

    for suffix in _suffixes_of(label):
        if name.endswith(suffix):
            return not proper_part(name[: -len(suffix)])
    return False


@lru_cache(maxsize=16)
def _suffixes_of(label: str) -> tuple[str, ...]:
    """The recogniser's name suffixes of one type, longest first."""
    from .recognise import SUFFIX_TYPES

    return tuple(sorted((k for k, v in SUFFIX_TYPES.items() if v == label), key=len, reverse=True))


def _merge_same_key(entities: list[Entity]) -> list[Entity]:
    """Two groups that ended with the same key are one entity."""
    by_key: dict[str, Entity] = {}
    for e in entities:
        prev = by_key.get(e.key)
        if prev is None:
            by_key[e.key] = e
            continue
        names = sorted({prev.name, e.name, *prev.aliases, *e.aliases}, key=lambda s: (-len(s), s))
        name = prev.name if prev.wikidata or prev.english else names[0]
        by_key[e.key] = replace(
            prev,
            name=name,
            aliases=tuple(sorted(set(names) - {name})),
            mentions=tuple(sorted(prev.mentions + e.mentions, key=lambda r: r.start)),
            rules=tuple(sorted(set(prev.rules) | set(e.rules))),
        )
    return [by_key[k] for k in sorted(by_key)]


_DISPLAY_DROP = set(" \t\r\n\u3000“”‘’\"'「」『』《》")
#: :data:`_DISPLAY_DROP` as a ``str.translate`` table.
_DISPLAY_DROP_TABLE = dict.fromkeys(map(ord, _DISPLAY_DROP))


@lru_cache(maxsize=65536)
def _simplified(name: str) -> str:
    """:func:`to_simplified` of a name, cached (keys recur in article after article)."""
    return to_simplified(name)


@lru_cache(maxsize=65536)
def display_name(text: str) -> str:
    """A name as shown: NFKC, Simplified, without spaces and quotes, case kept.

    >>> display_name(" IT+BT融合創新中心 ")
    'IT+BT融合创新中心'
    >>> display_name("昇腾人工智能生态创新中心")
    '昇腾人工智能生态创新中心'
    """
    text = unicodedata.normalize("NFKC", text or "")
    # Only a name written in Traditional script is converted: t2s would also rewrite
    # characters Simplified text uses (昇腾 would become 升腾, 显著 显着).
    if looks_traditional(text):
        text = to_simplified(text)
    return text.translate(_DISPLAY_DROP_TABLE)


def normalised(text: str) -> str:
    """NFKC + the same normalisation as the evaluation (re-exported for callers)."""
    return normalise_name(unicodedata.normalize("NFKC", text))
