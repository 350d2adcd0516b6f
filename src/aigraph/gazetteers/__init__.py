"""Gazetteers from public facts, and the loader the recogniser reads them with.

Each list is a UTF-8 TSV file shipped inside this package. Lines starting with ``#`` are
comments; the first of them name the source and date of the facts. The first other line is
the header. Several aliases in one column are separated by ``|``.

=====================  ===========  ==================================================
file                   type         what it lists
=====================  ===========  ==================================================
divisions.tsv          City/Prov.   provinces, prefectures, counties (NBS codes 2023)
zones.tsv              Park         national high-tech / economic / new-area zones
agencies.tsv           Agency       State Council ministries, commissions, agencies
institutions.tsv       Institution  universities, academies, national institutes
firms.tsv              Firm         well-known technology firms active in China
industries.tsv         Industry     AI and digital-industry fields
regions.tsv            Region       named multi-city regions and economic belts
agency_suffixes.tsv    --           department names that follow a place (经信厅 ...)
surnames.txt           --           Chinese surnames, single and compound
titles.tsv             --           official, corporate and academic titles
ambiguous.tsv          --           surfaces listed under two types, and which wins
=====================  ===========  ==================================================

The four municipalities (北京市, 上海市, 天津市, 重庆市) are province-level divisions typed
``City`` (the contract types 北京 and 上海 as City); their entry keeps ``level="province"``.

Examples
--------
>>> gz = load_gazetteer()
>>> gz.province_of("合肥")
'安徽省'
>>> gz.city_of("庐阳区")
'合肥市'
>>> [(e.name, e.type) for e in gz.lookup("工信部")]
[('工业和信息化部', 'Agency')]
>>> gz.lookup("北京")[0].type
'City'
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources

from aigraph.errors import GazetteerError

__all__ = [
    "AgencySuffix",
    "Gazetteer",
    "GazetteerEntry",
    "Title",
    "load_gazetteer",
    "normalise_surface",
    "parse_table",
]


@dataclass(frozen=True)
class GazetteerEntry:
    """One real-world thing of a gazetteer.

    ``parent`` is the containing division: the prefecture of a county, the province of a
    prefecture, the city of a zone; for institutions and firms, the city of their seat.
    ``level`` is the division level (province|prefecture|county), a zone's kind, an agency's
    or institution's kind. ``members`` lists a region's member cities/provinces.
    """

    name: str
    type: str
    aliases: tuple[str, ...]
    source: str
    parent: str | None = None
    province: str | None = None
    level: str | None = None
    english: str | None = None
    wikidata: str | None = None
    abbr: str | None = None
    members: tuple[str, ...] = field(default=())

    @property
    def surfaces(self) -> tuple[str, ...]:
        """The canonical name followed by the aliases (never the one-character ``abbr``)."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class AgencySuffix:
    """A department name that follows a place prefix (安徽省 + 经济和信息化厅).

    ``level`` is ``province``, ``city`` or ``both``: which government has such a department.
    """

    full: str
    short_forms: tuple[str, ...]
    level: str


@dataclass(frozen=True)
class Title:
    """A title that precedes or follows a person's name; ``kind`` is gov, corp or academic."""

    name: str
    kind: str


#: Files holding entries, with the contract type of their rows (divisions decide per row).
ENTRY_FILES: tuple[str, ...] = (
    "divisions.tsv",
    "zones.tsv",
    "agencies.tsv",
    "institutions.tsv",
    "firms.tsv",
    "industries.tsv",
    "regions.tsv",
)

#: Columns each file must have (a file may have more; extra columns are ignored).
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "divisions.tsv": ("name", "level", "parent", "province", "aliases", "abbr", "english",
                      "city_level"),
    "zones.tsv": ("name", "kind", "city", "province", "aliases", "english"),
    "agencies.tsv": ("name", "kind", "aliases", "english", "wikidata"),
    "institutions.tsv": ("name", "kind", "city", "aliases", "english", "wikidata"),
    "firms.tsv": ("name", "aliases", "english", "wikidata", "hq_city"),
    "industries.tsv": ("name", "aliases", "english"),
    "regions.tsv": ("name", "aliases", "members", "english"),
    "agency_suffixes.tsv": ("full", "short_forms", "level"),
    "titles.tsv": ("name", "kind"),
    "ambiguous.tsv": ("surface", "preferred_type", "reason"),
}  # fmt: skip

_LEVEL_RANK = {"province": 0, "prefecture": 1, "county": 2}
_WIKIDATA = re.compile(r"Q[1-9][0-9]*")
_SPACES = re.compile(r"\s+")


# Cached: a pure function of the string, and resolution looks the same few hundred names up
# many times an article (four NFKC passes each were a tenth of resolution's time).
@functools.lru_cache(maxsize=65536)
def normalise_surface(surface: str) -> str:
    """The key a surface form is looked up by.

    NFKC folds full-width letters, digits and brackets to half-width; Latin letters are
    case-folded; white space is removed; the interpuncts ``·・•`` become ``·``.

    Examples
    --------
    >>> normalise_surface("ＡＩ ")
    'ai'
    >>> normalise_surface("中国声谷・庐阳") == normalise_surface("中国声谷·庐阳")
    True
    """
    text = surface
    # Folding, case-folding and removing spaces can each create input for the others
    # (NFKC turns ¸ into space + combining cedilla), so repeat until nothing changes.
    for _ in range(4):
        folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
        folded = _SPACES.sub("", folded.replace("・", "·").replace("•", "·").replace("‧", "·"))
        if folded == text:
            break
        text = folded
    return text


def parse_table(text: str, source: str) -> tuple[list[str], list[dict[str, str]]]:
    """Parse one gazetteer TSV text into its comment lines and rows.

    Returns the comment lines (without ``#``) and one dict per data row, keyed by the header.
    Raises :class:`~aigraph.errors.GazetteerError` on a missing header, a missing required
    column or a row with the wrong number of cells.

    Examples
    --------
    >>> comments, rows = parse_table("# source: x\\nname\\taliases\\n合肥市\\t合肥\\n", "t.tsv")
    >>> comments, rows
    (['source: x'], [{'name': '合肥市', 'aliases': '合肥'}])
    """
    comments: list[str] = []
    header: list[str] | None = None
    rows: list[dict[str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("#"):
            comments.append(line[1:].strip())
            continue
        if not line.strip():
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if header is None:
            header = cells
            missing = [c for c in REQUIRED_COLUMNS.get(source, ("name",)) if c not in header]
            if missing:
                raise GazetteerError(f"{source}:{number}: missing column(s) {', '.join(missing)}")
            continue
        if len(cells) != len(header):
            raise GazetteerError(
                f"{source}:{number}: {len(cells)} cells where the header has {len(header)}"
            )
        rows.append(dict(zip(header, cells, strict=True)))
    if header is None:
        raise GazetteerError(f"{source}: no header row")
    return comments, rows


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("|") if part.strip())


def _opt(cell: str | None) -> str | None:
    return cell or None


def _read_text(name: str) -> str:
    try:
        return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise GazetteerError(f"{name}: gazetteer file missing from the package") from exc


def _entries_of(source: str, rows: list[dict[str, str]]) -> Iterator[GazetteerEntry]:
    """Turn the rows of one entry file into entries, checking the cells that have a syntax."""
    for row in rows:
        wikidata = _opt(row.get("wikidata"))
        if wikidata is not None and not _WIKIDATA.fullmatch(wikidata):
            raise GazetteerError(f"{source}: {row['name']}: bad Wikidata identifier {wikidata!r}")
        common = {
            "name": row["name"],
            "aliases": _split(row.get("aliases", "")),
            "source": source,
            "english": _opt(row.get("english")),
            "wikidata": wikidata,
        }
        if source == "divisions.tsv":
            level = row["level"]
            if level not in _LEVEL_RANK:
                raise GazetteerError(f"{source}: {row['name']}: unknown level {level!r}")
            is_city = level != "province" or row["city_level"] == "yes"
            yield GazetteerEntry(
                type="City" if is_city else "Province",
                parent=_opt(row["parent"]),
                province=_opt(row["province"]) or (row["name"] if level == "province" else None),
                level=level,
                abbr=_opt(row["abbr"]),
                **common,
            )
        elif source == "zones.tsv":
            yield GazetteerEntry(
                type="Park",
                parent=_opt(row["city"]),
                province=_opt(row["province"]),
                level=_opt(row["kind"]),
                **common,
            )
        elif source == "agencies.tsv":
            yield GazetteerEntry(type="Agency", level=_opt(row["kind"]), **common)
        elif source == "institutions.tsv":
            yield GazetteerEntry(
                type="Institution", parent=_opt(row["city"]), level=_opt(row["kind"]), **common
            )
        elif source == "firms.tsv":
            yield GazetteerEntry(type="Firm", parent=_opt(row["hq_city"]), **common)
        elif source == "industries.tsv":
            yield GazetteerEntry(type="Industry", **common)
        elif source == "regions.tsv":
            yield GazetteerEntry(type="Region", members=_split(row["members"]), **common)
        else:  # pragma: no cover - ENTRY_FILES and this function change together
            raise GazetteerError(f"{source}: no reader for this file")


class Gazetteer:
    """All gazetteers, indexed by normalised surface form.

    Build it with :func:`load_gazetteer` (cached) or from entries for tests.

    Examples
    --------
    >>> e = GazetteerEntry("合肥市", "City", ("合肥",), "t", parent="安徽省", province="安徽省",
    ...                    level="prefecture")
    >>> Gazetteer([e]).lookup("合肥")[0].name
    '合肥市'
    """

    def __init__(
        self,
        entries: Iterable[GazetteerEntry],
        agency_suffixes: Iterable[AgencySuffix] = (),
        surnames: Iterable[str] = (),
        titles: Iterable[Title] = (),
        preferred_types: dict[str, str] | None = None,
        sources: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.entries: tuple[GazetteerEntry, ...] = tuple(entries)
        self.agency_suffixes: tuple[AgencySuffix, ...] = tuple(agency_suffixes)
        self.surnames: frozenset[str] = frozenset(surnames)
        self.titles: tuple[Title, ...] = tuple(titles)
        #: surface -> the type that wins when a surface belongs to entries of several types.
        self.preferred_types: dict[str, str] = {
            normalise_surface(k): v for k, v in (preferred_types or {}).items()
        }
        #: file name -> its header comment lines (source and date of the facts).
        self.sources: dict[str, tuple[str, ...]] = dict(sources or {})

        index: dict[str, list[GazetteerEntry]] = {}
        by_type: dict[str, list[GazetteerEntry]] = {}
        for entry in self.entries:
            by_type.setdefault(entry.type, []).append(entry)
            for surface in dict.fromkeys(normalise_surface(s) for s in entry.surfaces):
                index.setdefault(surface, []).append(entry)
        self._index = {
            key: tuple(sorted(found, key=self._rank(key))) for key, found in index.items()
        }
        self._by_type = {t: tuple(found) for t, found in by_type.items()}

    def _rank(self, key: str):  # noqa: ANN202 - a sort key factory
        preferred = self.preferred_types.get(key)

        def rank(entry: GazetteerEntry) -> tuple:
            exact = normalise_surface(entry.name) == key
            return (
                entry.type != preferred,
                not exact,
                _LEVEL_RANK.get(entry.level or "", 3) if entry.source == "divisions.tsv" else 3,
                entry.type,
                entry.name,
                entry.parent or "",
            )

        return rank

    def lookup(self, surface: str) -> tuple[GazetteerEntry, ...]:
        """Entries whose name or alias is ``surface`` (normalised), best first.

        Order: the type ``ambiguous.tsv`` prefers for this surface; entries whose canonical
        name it is; higher divisions before lower ones; then type, name, parent.

        Examples
        --------
        >>> [e.name for e in load_gazetteer().lookup("合肥")]
        ['合肥市']
        >>> load_gazetteer().lookup("不是地名")
        ()
        """
        return self._index.get(normalise_surface(surface), ())

    def by_type(self, type: str) -> tuple[GazetteerEntry, ...]:
        """All entries of one contract type, in file order.

        Examples
        --------
        >>> len(load_gazetteer().by_type("Province"))
        30
        """
        return self._by_type.get(type, ())

    def _divisions(self, name: str) -> tuple[GazetteerEntry, ...]:
        found = [e for e in self.lookup(name) if e.source == "divisions.tsv"]
        if not found:
            return ()
        best = min(_LEVEL_RANK[e.level or "county"] for e in found)
        return tuple(e for e in found if _LEVEL_RANK[e.level or "county"] == best)

    def province_of(self, name: str) -> str | None:
        """The province-level division a division or zone lies in; None if unknown or ambiguous.

        A province gives itself. When a name is shared (朝阳区 is in Beijing and Changchun),
        the highest level found wins, and the answer is None unless all of them agree.

        Examples
        --------
        >>> gz = load_gazetteer()
        >>> gz.province_of("合肥"), gz.province_of("庐阳区"), gz.province_of("安徽")
        ('安徽省', '安徽省', '安徽省')
        >>> gz.province_of("朝阳区") is None
        True
        """
        candidates: tuple[GazetteerEntry, ...] = self._divisions(name)
        if not candidates:
            candidates = tuple(e for e in self.lookup(name) if e.type == "Park")
        provinces = {e.province for e in candidates if e.province}
        return provinces.pop() if len(provinces) == 1 else None

    def city_of(self, name: str) -> str | None:
        """The prefecture-level city (or municipality) a division or zone lies in.

        A prefecture-level city or municipality gives itself, and so does a county-level city
        administered directly by its province (仙桃市). None for provinces, unknown names and
        names shared by divisions of different cities.

        Examples
        --------
        >>> gz = load_gazetteer()
        >>> gz.city_of("庐阳区"), gz.city_of("合肥"), gz.city_of("浦东新区")
        ('合肥市', '合肥市', '上海市')
        >>> gz.city_of("安徽省") is None
        True
        """
        cities: set[str] = set()
        candidates: tuple[GazetteerEntry, ...] = self._divisions(name)
        for entry in candidates:
            if entry.level == "province":
                if entry.type == "City":
                    cities.add(entry.name)
            elif entry.level == "prefecture":
                cities.add(entry.name)
            elif entry.parent == entry.province:
                # directly administered by a province (仙桃市) or municipality (浦东新区)
                cities.add(entry.parent if self._is_municipality(entry.parent) else entry.name)
            elif entry.parent:
                cities.add(entry.parent)
        if not candidates:
            for entry in self.lookup(name):
                if entry.type == "Park" and entry.parent:
                    resolved = self.city_of(entry.parent)
                    cities.add(resolved or entry.parent)
        return cities.pop() if len(cities) == 1 else None

    def _is_municipality(self, name: str | None) -> bool:
        return any(
            e.source == "divisions.tsv" and e.level == "province" and e.type == "City"
            for e in self.lookup(name or "")
        )

    def jieba_words(self) -> list[str]:
        """Surface forms to add to jieba's dictionary, sorted and unique.

        Names and aliases of all entries, plus agency department names and their short
        forms and titles, when at least two characters long (one-character abbreviations
        such as 皖 are never added).

        Examples
        --------
        >>> words = load_gazetteer().jieba_words()
        >>> "工信部" in words and "皖" not in words
        True
        """
        words: set[str] = set()
        for entry in self.entries:
            words.update(entry.surfaces)
        for suffix in self.agency_suffixes:
            words.add(suffix.full)
            words.update(suffix.short_forms)
        words.update(title.name for title in self.titles)
        return sorted(w for w in words if len(w) >= 2)

    def collisions(self) -> dict[str, tuple[str, ...]]:
        """Normalised surfaces listed under more than one type, with those types (sorted).

        Examples
        --------
        >>> all(len(types) > 1 for types in load_gazetteer().collisions().values())
        True
        """
        found: dict[str, tuple[str, ...]] = {}
        for key, entries in sorted(self._index.items()):
            types = tuple(sorted({e.type for e in entries}))
            if len(types) > 1:
                found[key] = types
        return found


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Read every gazetteer file shipped in the package (once per process).

    Examples
    --------
    >>> gz = load_gazetteer()
    >>> gz is load_gazetteer()
    True
    >>> "欧阳" in gz.surnames
    True
    """
    sources: dict[str, tuple[str, ...]] = {}

    def table(name: str) -> list[dict[str, str]]:
        comments, rows = parse_table(_read_text(name), name)
        sources[name] = tuple(comments)
        return rows

    entries: list[GazetteerEntry] = []
    for name in ENTRY_FILES:
        entries.extend(_entries_of(name, table(name)))
    suffixes = []
    for row in table("agency_suffixes.tsv"):
        if row["level"] not in {"province", "city", "both"}:
            raise GazetteerError(f"agency_suffixes.tsv: {row['full']}: bad level {row['level']!r}")
        suffixes.append(AgencySuffix(row["full"], _split(row["short_forms"]), row["level"]))
    titles = []
    for row in table("titles.tsv"):
        if row["kind"] not in {"gov", "corp", "academic"}:
            raise GazetteerError(f"titles.tsv: {row['name']}: bad kind {row['kind']!r}")
        titles.append(Title(row["name"], row["kind"]))
    preferred = {row["surface"]: row["preferred_type"] for row in table("ambiguous.tsv")}

    surname_lines: list[str] = []
    surname_comments: list[str] = []
    for line in _read_text("surnames.txt").splitlines():
        if line.startswith("#"):
            surname_comments.append(line[1:].strip())
        elif line.strip():
            surname_lines.append(line.strip())
    sources["surnames.txt"] = tuple(surname_comments)

    return Gazetteer(entries, suffixes, surname_lines, titles, preferred, sources)
