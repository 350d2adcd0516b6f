"""Character-level cleaning that keeps an exact map back to the original text.

Every cleaning step works on a :class:`Traced` string: the text plus, for each of its
characters, the offset in the decoded original file that the character came from. Steps
remove or replace characters but never lose the map, so the body the extractor reads can
always be quoted from what the file really says.

Examples
--------
>>> t = Traced.from_text("實現(xiàn)了")
>>> t = remove_pinyin_glosses(t)
>>> t = to_simplified_traced(t)
>>> t.text, t.offsets
('实现了', [0, 1, 8])
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .records import Sentence

# ---------------------------------------------------------------------------------------
# The traced string
# ---------------------------------------------------------------------------------------


@dataclass
class Traced:
    """A string whose every character remembers its offset in the original text.

    ``len(text) == len(offsets)``; ``offsets`` never decreases (cleaning keeps order).
    """

    text: str
    offsets: list[int]

    @classmethod
    def from_text(cls, text: str, start: int = 0) -> Traced:
        """Trace ``text`` as the original itself, starting at offset ``start``."""
        return cls(text, list(range(start, start + len(text))))

    @classmethod
    def concat(cls, parts: Iterable[Traced]) -> Traced:
        """Join traced pieces in order."""
        text: list[str] = []
        offsets: list[int] = []
        for part in parts:
            text.append(part.text)
            offsets.extend(part.offsets)
        return cls("".join(text), offsets)

    def __len__(self) -> int:
        return len(self.text)

    def slice(self, start: int, end: int) -> Traced:
        return Traced(self.text[start:end], self.offsets[start:end])

    def strip(self) -> Traced:
        """Drop white space at both ends."""
        left = len(self.text) - len(self.text.lstrip())
        right = len(self.text.rstrip())
        if right <= left:
            return Traced("", [])
        return self.slice(left, right)

    def sub(
        self, pattern: re.Pattern[str], replace: str | Callable[[re.Match[str]], str]
    ) -> Traced:
        """Replace every match of ``pattern``, keeping the map.

        A replacement as long as its match keeps the offsets character by character (a
        one-to-one fold); any other replacement maps every produced character to the offset
        of the match's first character.
        """
        text: list[str] = []
        offsets: list[int] = []
        last = 0
        for match in pattern.finditer(self.text):
            start, end = match.span()
            text.append(self.text[last:start])
            offsets.extend(self.offsets[last:start])
            new = replace if isinstance(replace, str) else replace(match)
            if len(new) == end - start:
                offsets.extend(self.offsets[start:end])
            elif new:
                anchor = self.offsets[start] if start < len(self.offsets) else self.offsets[-1]
                offsets.extend([anchor] * len(new))
            text.append(new)
            last = end
        if last == 0 and not text:
            return self
        text.append(self.text[last:])
        offsets.extend(self.offsets[last:])
        return Traced("".join(text), offsets)

    def translate(self, table: dict[int, str]) -> Traced:
        """Map single characters through ``table`` (one char to zero or one chars)."""
        mapped = self.text.translate(table)
        if len(mapped) == len(self.text):
            # nothing was deleted, so every character kept its place (the usual case: str's
            # own translate runs in C, the loop below once per character)
            return Traced(mapped, self.offsets)
        text: list[str] = []
        offsets: list[int] = []
        for ch, off in zip(self.text, self.offsets, strict=True):
            new = table.get(ord(ch), ch)
            if new:
                text.append(new)
                offsets.append(off)
        return Traced("".join(text), offsets)

    def lines(self) -> list[Line]:
        """Split at line ends; each line remembers the offset of the break that ended it."""
        out: list[Line] = []
        start = 0
        for match in _LINE_BREAK.finditer(self.text):
            out.append(Line(self.slice(start, match.start()), self.offsets[match.start()]))
            start = match.end()
        last = self.slice(start, len(self.text))
        out.append(Line(last, None))
        return out


@dataclass
class Line:
    """One line of a traced text and the original offset of the line break after it."""

    content: Traced
    break_offset: int | None


_LINE_BREAK = re.compile(r"\r\n|[\n\r\u2028\u2029\x0b\x0c\x85]")


def join_lines(lines: list[Line]) -> Traced:
    """Join lines with ``\\n``; each separator maps to the original break after its line."""
    parts: list[Traced] = []
    for i, line in enumerate(lines):
        parts.append(line.content)
        if i + 1 < len(lines):
            anchor = line.break_offset
            if anchor is None:
                anchor = line.content.offsets[-1] if line.content.offsets else 0
            parts.append(Traced("\n", [anchor]))
    return Traced.concat(parts)


# ---------------------------------------------------------------------------------------
# Width folding and white space
# ---------------------------------------------------------------------------------------


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    # Full-width ASCII letters and digits fold to ASCII; Chinese punctuation (，。：；（）)
    # is left alone because it carries sentence structure the splitter relies on.
    for code in range(0xFF10, 0xFF1A):
        table[code] = chr(code - 0xFEE0)
    for code in range(0xFF21, 0xFF3B):
        table[code] = chr(code - 0xFEE0)
    for code in range(0xFF41, 0xFF5B):
        table[code] = chr(code - 0xFEE0)
    for code in (0x3000, 0x00A0, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008):
        table[code] = " "
    for code in (0x2009, 0x200A, 0x202F, 0x205F, 0x1680, 0x0009):
        table[code] = " "
    # Zero-width characters carry nothing and break name matching.
    for code in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD):
        table[code] = ""
    return table


_FOLD = _fold_table()
_SPACE_RUN = re.compile(r" {2,}")


def fold_width(traced: Traced) -> Traced:
    """Fold full-width letters, digits and spaces to ASCII; drop zero-width characters.

    >>> fold_width(Traced.from_text("ＡＩ　２０２０年，好")).text
    'AI 2020年，好'
    """
    return traced.translate(_FOLD).sub(_SPACE_RUN, " ")


# ---------------------------------------------------------------------------------------
# Stray HTML tags and entities in text dumps
# ---------------------------------------------------------------------------------------

_TAG_NAMES = (
    "a|abbr|b|big|blockquote|body|br|center|code|dd|div|dl|dt|em|font|h[1-6]|head|hr|html|i|img|"
    "label|li|meta|ol|p|pre|section|small|span|strong|sub|sup|table|tbody|td|th|thead|tr|u|ul|"
    "article|figure|figcaption|iframe|input|link|script|style|title|wbr"
)
#: A complete tag of a known HTML element: ``<br style="...">``, ``</p>``, ``<img src=x/>``.
_STRAY_TAG = re.compile(rf"<\s*/?\s*(?:{_TAG_NAMES})\b[^<>\n]*>", re.IGNORECASE)
#: A tag whose ``<`` was lost when the page was mangled (``?br style="...">``): a known
#: element name directly followed by at least one attribute and a closing ``>``.
_HEADLESS_NAMES = (
    "br|p|div|span|img|font|section|strong|table|tbody|td|th|tr|li|ul|ol|h[1-6]|iframe|"
    "input|meta|link|article|figure|blockquote|center"
)
_HEADLESS_TAG = re.compile(
    rf"(?<![A-Za-z])/?(?:{_HEADLESS_NAMES})"
    r"(?:\s+[A-Za-z_:][-A-Za-z0-9_:.]*\s*=\s*(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s<>\"']+))+\s*/?>",
    re.IGNORECASE,
)
_BLOCK_TAG = re.compile(r"^<?\s*/?\s*(?:br|p|div|li|tr|h[1-6]|section|article|table)\b", re.I)


def remove_stray_tags(traced: Traced) -> Traced:
    """Remove HTML tags left inside a text dump; block tags become line breaks.

    >>> remove_stray_tags(Traced.from_text('好。”<br style="margin: 0">下一段</p>')).text
    '好。”\\n下一段\\n'
    """

    def replace(match: re.Match[str]) -> str:
        return "\n" if _BLOCK_TAG.match(match.group(0)) else ""

    return traced.sub(_STRAY_TAG, replace).sub(_HEADLESS_TAG, replace)


_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def decode_entities(traced: Traced) -> Traced:
    """Decode HTML character references; each decoded char maps to its ``&``.

    >>> decode_entities(Traced.from_text("A&nbsp;&ldquo;B&#x4E2D;")).text
    'A\\xa0“B中'
    """
    import html

    def replace(match: re.Match[str]) -> str:
        decoded = html.unescape(match.group(0))
        return decoded if decoded != match.group(0) else match.group(0)

    return traced.sub(_ENTITY, replace)


# ---------------------------------------------------------------------------------------
# Pinyin glosses
# ---------------------------------------------------------------------------------------

_TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN_LETTERS = "a-zA-Zü" + _TONE_VOWELS + _TONE_VOWELS.upper() + "ÜǕǗǙǛ"
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Directly after a Chinese character; one stray Latin letter in between is allowed because
# mangled pages glue a byte-debris letter to the character (``漠a(chǎn)``).
_PINYIN_GLOSS = re.compile(
    rf"(?:(?<=[{_HAN}])|(?<=[{_HAN}][A-Za-z]))[(（]([{_PINYIN_LETTERS}]+(?:[ '’][{_PINYIN_LETTERS}]+)*)[)）]"
)
_TONE_OR_UMLAUT = re.compile(rf"[{_TONE_VOWELS}{_TONE_VOWELS.upper()}üÜǕǗǙǛ]")


def is_pinyin_gloss(content: str) -> bool:
    """Whether a parenthesised text is a tone-marked pinyin reading.

    Every syllable group must carry a tone mark (or ``ü``), so ``AI`` or ``套`` never count.

    >>> is_pinyin_gloss("xiàn"), is_pinyin_gloss("chuàng yè"), is_pinyin_gloss("AI")
    (True, True, False)
    """
    groups = [g for g in re.split(r"[ '’]", content) if g]
    return bool(groups) and all(
        _TONE_OR_UMLAUT.search(g) and re.fullmatch(f"[{_PINYIN_LETTERS}]+", g) for g in groups
    )


def remove_pinyin_glosses(traced: Traced) -> Traced:
    """Remove ``(pīnyīn)`` readings glued to a Chinese character.

    >>> remove_pinyin_glosses(Traced.from_text("實現(xiàn)首臺(套)(AI)發(fā)展")).text
    '實現首臺(套)(AI)發展'
    """
    return traced.sub(_PINYIN_GLOSS, lambda m: "" if is_pinyin_gloss(m.group(1)) else m.group(0))


# ---------------------------------------------------------------------------------------
# Traditional -> Simplified
# ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _t2s() -> Callable[[str], str]:
    # Built on first use only: importing aigraph must stay cheap.
    from opencc_purepy import OpenCC

    return OpenCC("t2s").convert


@functools.lru_cache(maxsize=1)
def _t2s_changes() -> tuple[frozenset[str], dict[str, tuple[str, ...]]] | None:
    """Where OpenCC's t2s could change a text: its changing characters, and its changing
    phrases by first character.

    OpenCC rewrites only text matching a key of its dictionaries whose value differs from
    the key: a character that changes, or a phrase that changes (反覆 -> 反复, although 瞭 and
    覆 alone stay). Text with none of them converts to itself and need not go through the
    converter: most names and lines of Simplified text (the converter costs about 10 µs a
    call, and resolution normalises tens of thousands of distinct names). ``None`` when the
    dictionaries are not laid out as opencc-purepy 1.x lays them out (``(mapping,
    max_length)`` pairs): every text then goes through the converter.
    """
    from opencc_purepy import OpenCC

    dictionary = OpenCC("t2s").dictionary
    tables = [getattr(dictionary, slot, None) for slot in ("ts_characters", "ts_phrases")]
    if not all(isinstance(t, tuple) and t and isinstance(t[0], dict) for t in tables):
        return None
    characters, phrases = tables[0][0], tables[1][0]
    changing = frozenset(key for key, value in characters.items() if value != key)
    by_first: dict[str, list[str]] = {}
    for key, value in phrases.items():
        # a phrase holding a changing character is already caught by that character
        if key and value != key and changing.isdisjoint(key):
            by_first.setdefault(key[0], []).append(key)
    return changing, {first: tuple(sorted(keys)) for first, keys in by_first.items()}


def may_change_in_t2s(text: str) -> bool:
    """Could OpenCC's t2s change ``text``? False only when it certainly converts to itself.

    >>> may_change_in_t2s("中国声谷"), may_change_in_t2s("中國聲谷"), may_change_in_t2s("反覆")
    (False, True, True)
    """
    if not text:
        return False
    changes = _t2s_changes()
    if changes is None:
        return True
    changing, phrases_by_first = changes
    if not changing.isdisjoint(text):
        return True
    # (``phrases_by_first.keys() & set(text)`` would build a set of every first character)
    for first in set(text):
        phrases = phrases_by_first.get(first)
        if phrases is not None and any(phrase in text for phrase in phrases):
            return True
    return False


def to_simplified(text: str) -> str:
    """Convert Traditional Chinese to Simplified (OpenCC ``t2s``).

    >>> to_simplified("中國聲谷實現發展")
    '中国声谷实现发展'
    """
    return _t2s()(text) if may_change_in_t2s(text) else text


@functools.lru_cache(maxsize=65536)
def _changes_in_t2s(ch: str) -> bool:
    return to_simplified(ch) != ch


#: Characters t2s changes although Simplified text uses them too (显著, 乾坤, 明瞭, 藉口, and
#: 昇 of the brand 昇腾).
_AMBIGUOUS = frozenset("著乾瞭藉於甦祇麽噁摺昇")


def looks_traditional(text: str, threshold: float = 0.02) -> bool:
    """Is ``text`` written in Traditional characters?

    True when at least ``threshold`` of its Han characters are ones that exist only in
    Traditional script. Simplified text is left alone: converting it anyway would turn
    valid Simplified characters such as 著 into 着.

    >>> looks_traditional("中國聲谷實現發展"), looks_traditional("中国声谷成效显著")
    (True, False)
    """
    han = len(_HAN_CHAR_RE.findall(text))
    if not han:
        return False
    traditional = _traditional_only()
    # counted in C from the precomputed set: a whole article's body is asked about when read
    counts = _counts_as_traditional if traditional is None else traditional.__contains__
    changed = sum(map(counts, text))
    return changed >= max(1, threshold * han)


def _counts_as_traditional(ch: str) -> bool:
    """Is ``ch`` a basic-block Han character that t2s changes on its own (ambiguous ones
    excepted)? What :func:`looks_traditional` counts."""
    return "\u4e00" <= ch <= "\u9fff" and ch not in _AMBIGUOUS and _changes_in_t2s(ch)


_HAN_CHAR_RE = re.compile("[\u4e00-\u9fff]")


@functools.lru_cache(maxsize=1)
def _traditional_only() -> frozenset[str] | None:
    """The characters :func:`looks_traditional` counts: basic-block Han characters t2s changes
    on their own, but for :data:`_AMBIGUOUS`. ``None`` when the t2s tables are unknown.

    Only a character of t2s's changing characters, or the first of a changing phrase, can
    change alone (:func:`may_change_in_t2s`), so those are the ones tried.
    """
    changes = _t2s_changes()
    if changes is None:
        return None
    changing, phrases_by_first = changes
    tried = set(changing) | set(phrases_by_first)
    return frozenset(filter(_counts_as_traditional, tried))


def to_simplified_traced(traced: Traced) -> Traced:
    """T->S conversion that keeps the map.

    OpenCC converts by phrases, so a line is converted whole (phrases keep their context);
    when that changes the line's length, the line is converted one character at a time and
    every produced character maps to its source character.
    """
    out: list[Traced] = []
    for line in traced.lines():
        converted = to_simplified(line.content.text)
        if len(converted) == len(line.content.text):
            out.append(Traced(converted, list(line.content.offsets)))
        else:
            text: list[str] = []
            offsets: list[int] = []
            for ch, off in zip(line.content.text, line.content.offsets, strict=True):
                new = to_simplified(ch)
                text.append(new)
                offsets.extend([off] * len(new))
            out.append(Traced("".join(text), offsets))
        if line.break_offset is not None:
            out.append(Traced("\n", [line.break_offset]))
    return Traced.concat(out)


# ---------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------

#: Characters a name comparison ignores: white space and quotes (as shared/eval/score.py).
NAME_DROP = frozenset(" \t\r\n\u3000“”‘’\"'「」『』《》〈〉·•・")
#: :data:`NAME_DROP` as a ``str.translate`` table (deleting in C, not character by character).
_NAME_DROP_TABLE = dict.fromkeys(map(ord, NAME_DROP))


def normalise_name(text: str) -> str:
    """The normalisation names are compared under (the evaluation's ``norm``).

    NFKC (full width to half width), Traditional to Simplified, white space and quotes
    dropped, lower case.

    >>> normalise_name("《中國聲谷》 ＡＩ")
    '中国声谷ai'
    """
    text = unicodedata.normalize("NFKC", text or "")
    return to_simplified(text).translate(_NAME_DROP_TABLE).lower()


# ---------------------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------------------

_SENTENCE = re.compile(r"[^\n。！？；!?;]*(?:[。！？；!?;]+[”’」』）)】》\"'〕]*|\n|$)")


def split_sentences(body: str) -> tuple[Sentence, ...]:
    """Split a body at 。！？；!? and line ends, with exact offsets.

    Closing quotes and brackets after the terminator stay with the sentence; white space at
    the ends of a piece is trimmed and white-space-only pieces are dropped.

    >>> [s.text for s in split_sentences("他说：“好。”然后走了！\\n标题\\n")]
    ['他说：“好。”', '然后走了！', '标题']
    >>> s = split_sentences(" 甲。乙")[1]
    >>> (s.start, s.end, s.text)
    (3, 4, '乙')
    """
    sentences: list[Sentence] = []
    for match in _SENTENCE.finditer(body):
        start, end = match.span()
        piece = match.group(0)
        left = len(piece) - len(piece.lstrip())
        right = len(piece.rstrip())
        if right <= left:
            continue
        s, e = start + left, start + right
        sentences.append(Sentence(len(sentences), s, e, body[s:e]))
    return tuple(sentences)
