"""Typed records that flow between the stages.

Every stage is a plain function from some of these records to others. They are frozen so a
stage can never change what an earlier stage produced.

Offsets
-------
``Article.body`` is the clean, Simplified text the extractor reads. ``Article.offsets[i]`` is
the character offset, in ``Article.original`` (the decoded file, before any cleaning), of
``body[i]``. ``Article.quote(start, end)`` returns the original text behind a body span, so
evidence is always quoted from what the file really says.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: Entity types of the extraction contract (shared/eval/GUIDELINE.md), in display order.
ENTITY_TYPES: tuple[str, ...] = (
    "Park",
    "Firm",
    "Policy",
    "Platform",
    "Institution",
    "Agency",
    "City",
    "Province",
    "Region",
    "Person",
    "Industry",
)

#: Relation names of the contract.
RELATION_TYPES: tuple[str, ...] = (
    "locatedIn",
    "headquarteredIn",
    "partOf",
    "supports",
    "issuedBy",
    "approvedBy",
    "operatedBy",
    "investsIn",
    "cooperatesWith",
    "focusesOn",
    "worksFor",
)

#: Relations along which something is "in" a place (a firm in a park in a city in a province).
CONTAINMENT_RELATIONS: tuple[str, ...] = ("locatedIn", "partOf", "headquarteredIn")


def things_inside(contains: Mapping[Any, Iterable[Any]], place: Any) -> set[Any]:
    """Everything a chain of one or more containment links puts inside ``place``.

    ``contains`` maps each container to the things directly in it (the object of a
    containment triple to its subjects). A walk down from ``place``, linear in the links;
    ``place`` itself is never inside, even through a cycle.

    >>> sorted(things_inside({"省": ["市"], "市": ["园", "省"], "园": ["企"]}, "省"))
    ['企', '园', '市']
    """
    seen = {place}
    stack = [place]
    while stack:
        for thing in contains.get(stack.pop(), ()):
            if thing not in seen:
                seen.add(thing)
                stack.append(thing)
    seen.discard(place)
    return seen


#: Metrics of the contract's facts.
METRICS: tuple[str, ...] = (
    "revenue",
    "firmCount",
    "investment",
    "fund",
    "platformCount",
    "patentCount",
    "listedFirmCount",
)

#: Bounds a fact's value may carry.
BOUNDS: tuple[str, ...] = ("over", "about", "under")


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article body: ``body[start:end] == text``."""

    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Article:
    """One input file, decoded and cleaned."""

    #: The path as given, in POSIX form.
    source: str
    #: The file name: the contract's ``doc`` key.
    doc: str
    #: SHA-256 of the file's bytes, hex.
    sha256: str
    #: The encoding the bytes were decoded with (``utf-8``, ``utf-8-sig``, ``gb18030``, ``big5``).
    encoding: str
    #: The decoded file, untouched: evidence is quoted from here.
    original: str
    #: The clean body: Simplified script, no chrome, no tags, no pinyin glosses.
    body: str
    #: ``offsets[i]`` is the index in ``original`` of ``body[i]``; ``len(offsets) == len(body)``.
    offsets: tuple[int, ...]
    sentences: tuple[Sentence, ...]
    title: str | None = None
    #: ISO date (``YYYY-MM-DD``) where the page states one.
    published: str | None = None
    #: ``"html"`` or ``"text"``.
    kind: str = "text"

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a body span ``[start, end)`` to the span of the original text behind it."""
        if not 0 <= start < end <= len(self.body):
            raise ValueError(f"span {start}:{end} outside body of length {len(self.body)}")
        return self.offsets[start], self.offsets[end - 1] + 1

    def quote(self, start: int, end: int) -> str:
        """The original text behind the body span ``[start, end)``."""
        o_start, o_end = self.original_span(start, end)
        return self.original[o_start:o_end]


def _without_init(cls: type, /, **fields: object) -> Any:
    """An instance of the frozen dataclass ``cls`` holding ``fields``, made without running
    its generated ``__init__``, which sets each field through ``object.__setattr__``: the
    recogniser and resolution make hundreds of these records an article."""
    new = object.__new__(cls)
    new.__dict__.update(fields)
    return new


@dataclass(frozen=True)
class Mention:
    """A surface form of a named thing, found in an article body."""

    text: str
    #: Entity type (one of :data:`ENTITY_TYPES`).
    label: str
    #: Body offsets: ``article.body[start:end] == text``.
    start: int
    end: int
    #: Versioned name of the rule or component that found it, e.g. ``aigraph.gazetteer.v1``.
    rule: str
    #: A canonical name the recogniser already knows (gazetteer entries), else ``None``.
    canonical: str | None = None
    #: The resolved entity's key (``Entity.key``), filled in by resolution.
    key: str | None = None
    #: Index of the sentence (``Article.sentences``) the mention is in.
    sentence: int | None = None

    @classmethod
    def found(
        cls,
        text: str,
        label: str,
        start: int,
        end: int,
        rule: str,
        canonical: str | None,
        sentence: int | None,
    ) -> Mention:
        """A new mention, not yet resolved (``key`` is ``None``), built as :meth:`with_key` is.

        The recogniser makes one per name, hundreds an article; the generated ``__init__`` of
        a frozen dataclass would set each field through ``object.__setattr__``.
        """
        return _without_init(
            cls,
            text=text,
            label=label,
            start=start,
            end=end,
            rule=rule,
            canonical=canonical,
            key=None,
            sentence=sentence,
        )

    def with_key(self, key: str) -> Mention:
        """This mention with its entity's key filled in.

        ``dataclasses.replace(self, key=key)`` without running ``__init__`` again: a frozen
        dataclass's ``__init__`` sets each field through ``object.__setattr__``, which costs
        several times a copy of the field dict, and resolution makes one copy per mention.
        """
        new = object.__new__(type(self))
        fields = new.__dict__
        fields.update(self.__dict__)
        fields["key"] = key
        return new


@dataclass(frozen=True)
class MentionRef:
    """Where an entity is mentioned: article, body span, original span."""

    doc: str
    start: int
    end: int
    original_start: int
    original_end: int

    @classmethod
    def at(
        cls, doc: str, start: int, end: int, original_start: int, original_end: int
    ) -> MentionRef:
        """A new reference, built as :meth:`Mention.found` builds a mention.

        Resolution makes one per mention (a hundred and fifty an article); the frozen
        dataclass's ``__init__`` would set each field through ``object.__setattr__``.
        """
        return _without_init(
            cls,
            doc=doc,
            start=start,
            end=end,
            original_start=original_start,
            original_end=original_end,
        )


@dataclass(frozen=True)
class Entity:
    """A resolved thing: all its mentions in one or more articles share it."""

    #: Stable key: ``f"{type}:{normalised canonical name}"``; the IRI is minted from it.
    key: str
    type: str
    #: Canonical (fullest) Simplified Chinese name.
    name: str
    aliases: tuple[str, ...] = ()
    english: str | None = None
    wikidata: str | None = None
    mentions: tuple[MentionRef, ...] = ()
    #: Rules and components that found it.
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evidence:
    """Why a relation or a fact is believed: the sentence, where it is, and the rule."""

    doc: str
    #: The article's SHA-256 (its IRI is minted from it).
    article_sha256: str
    #: The clean sentence (Simplified) the rule read.
    sentence: str
    #: The original text of that sentence, as in the file.
    quote: str
    #: Character offsets of the quote in the decoded original file.
    start: int
    end: int
    rule: str
    confidence: float


@dataclass(frozen=True)
class Relation:
    """A typed, directed (except ``cooperatesWith``) link between two entities."""

    head: str  # Entity.key
    relation: str
    tail: str  # Entity.key
    evidence: tuple[Evidence, ...]
    role: str | None = None


@dataclass(frozen=True)
class Fact:
    """A number an article states about an entity."""

    subject: str  # Entity.key
    metric: str
    value: float
    unit: str
    year: int | None
    evidence: tuple[Evidence, ...]
    bound: str | None = None


@dataclass(frozen=True)
class Extraction:
    """What the extractor found in one article."""

    article: Article
    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = ()
    facts: tuple[Fact, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """A file the batch could not use, with the one-line reason."""

    path: str
    reason: str


@dataclass
class BatchReport:
    """What a batch did: counts for the summary, and every skipped file with its reason."""

    articles: int = 0
    skipped: list[Skipped] = field(default_factory=list)
