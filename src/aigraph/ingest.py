"""Reading and cleaning: article files in, :class:`aigraph.records.Article` records out.

A file goes through: size and binary checks, decoding (UTF-8, GB18030/GBK, Big5), body
extraction (HTML pages) or stray-tag removal (text dumps), width folding, pinyin gloss
removal, page-chrome removal, hard-wrap joining, Traditional -> Simplified conversion and
sentence splitting. Every step works on a :class:`aigraph.textclean.Traced` string, so
``Article.offsets`` maps each body character back to the decoded file exactly.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "a.txt").write_text(
...     "首页 > 新闻 >\\n合肥新闻\\n发布时间:2021-03-25\\n"
...     "中國聲谷實現(xiàn)營業收入1060億元，入駐企業超過一千戶。\\n相关阅读\\n• 别的新闻\\n",
...     encoding="utf-8")
>>> art = read_article(d / "a.txt")
>>> print(art.body)
合肥新闻
中国声谷实现营业收入1060亿元，入驻企业超过一千户。
>>> art.title, art.published, art.encoding
('合肥新闻', '2021-03-25', 'utf-8')
>>> art.quote(7, 11)
'聲谷實現'
"""

from __future__ import annotations

import functools
import hashlib
import re
import statistics
from collections.abc import Iterator, Sequence
from pathlib import Path

from .config import ARTICLE_SUFFIXES, Settings
from .errors import (
    BinaryFileError,
    EmptyFileError,
    EncodingError,
    FileTooLargeError,
    IngestError,
    NoArticleBodyError,
    NoInputError,
    UnsupportedFileTypeError,
)
from .htmlbody import extract_html_body, looks_like_html
from .records import Article, BatchReport, Skipped
from .textclean import (
    Line,
    Traced,
    decode_entities,
    fold_width,
    join_lines,
    looks_traditional,
    normalise_name,
    remove_pinyin_glosses,
    remove_stray_tags,
    split_sentences,
    to_simplified,
    to_simplified_traced,
)

__all__ = [
    "find_article_files",
    "read_article",
    "read_articles",
    "split_sentences",
    "to_simplified",
    "normalise_name",
    "decode_bytes",
    "clean_text_lines",
    "join_hard_wraps",
    "parse_date",
    "article_summary",
    "article_json",
]

# ---------------------------------------------------------------------------------------
# Finding files
# ---------------------------------------------------------------------------------------


def find_article_files(paths: Sequence[str | Path]) -> list[Path]:
    """Article files: files given directly, plus folders searched recursively.

    Folders contribute their ``.txt .md .html .htm`` files; a file named directly is taken
    whatever its suffix (reading it reports an unsupported type). The result is sorted and
    free of duplicates.

    Raises
    ------
    NoInputError
        A path does not exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("b.txt", "sub/a.html", "c.png"):
    ...     (d / name).parent.mkdir(exist_ok=True); _ = (d / name).write_text("x")
    >>> [p.relative_to(d).as_posix() for p in find_article_files([d, d / "b.txt"])]
    ['b.txt', 'sub/a.html']
    """
    found: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in path.rglob("*"):
                if child.is_file() and child.suffix.lower() in ARTICLE_SUFFIXES:
                    found.add(child)
        elif path.is_file():
            found.add(path)
        else:
            raise NoInputError(f"{path.as_posix()}: no such file or folder")
    return sorted(found, key=lambda p: p.as_posix())


# ---------------------------------------------------------------------------------------
# Bytes -> text
# ---------------------------------------------------------------------------------------

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or Office document)"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document"),
    (b"\x7fELF", "executable"),
    (b"RIFF", "RIFF media file"),
)
_TEXT_CONTROLS = frozenset(b"\t\n\r\x0c\x0b\x1b")

_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_ODD_RE = re.compile(r"[\ue000-\uf8ff\ufffd\u3400-\u4dbf\U00020000-\U0002ffff]")


@functools.lru_cache(maxsize=1)
def _char_weights() -> dict[str, float]:
    """How common each Simplified character is, 0 (unknown) to 1 (the most frequent).

    Built from jieba's word-frequency dictionary (the characters' summed word frequencies,
    on a log scale). Bytes decoded with the wrong codec land mostly on rare characters.
    Only needed (about half a second to load) for files that are not UTF-8.
    """
    import math

    import jieba

    counts: dict[str, int] = {}
    dictionary = Path(jieba.__file__).with_name("dict.txt")
    with dictionary.open(encoding="utf-8") as fh:
        for line in fh:
            word, freq, *_ = line.split(" ")
            weight = int(freq)
            for ch in word:
                counts[ch] = counts.get(ch, 0) + weight
    top = math.log1p(max(counts.values()))
    return {ch: math.log1p(n) / top for ch, n in counts.items() if _HAN_RE.match(ch)}


#: A character at least this common (about the 3000 most frequent) counts as "common".
_COMMON_WEIGHT = 0.5


def _plausibility(text: str) -> tuple[float, float]:
    """How much ``text`` looks like real Chinese: (share of common chars, mean weight).

    Both are computed after T->S, so Traditional text scores like Simplified; private-use
    and rare-block characters count against it. Text without Chinese scores by how much
    of it is printable.
    """
    han = _HAN_RE.findall(text)
    if not han:
        printable = sum(1 for ch in text if ch.isprintable() or ch in "\n\r\t")
        share = printable / max(1, len(text)) * 0.5
        return share, share
    weights = _char_weights()
    simplified = to_simplified("".join(han))
    values = [weights.get(ch, 0.0) for ch in simplified]
    odd = len(_ODD_RE.findall(text)) / len(han)
    common = sum(1 for v in values if v >= _COMMON_WEIGHT) / len(values)
    return max(0.0, common - odd), sum(values) / len(values) - odd


#: Below this share of common characters, a decoding is taken for mojibake (real text of
#: the seeds scores above 0.98, UTF-8 read as GB18030 0.22 to 0.34).
_MIN_PLAUSIBILITY = 0.6


def decode_bytes(data: bytes, path: str = "<bytes>") -> tuple[str, str]:
    """Decode a file's bytes; return ``(text, encoding)``.

    Strict UTF-8 first (with or without BOM); otherwise strict GB18030 and strict Big5 are
    both tried and the one whose characters look most like real Chinese wins (charset
    detectors confuse GBK and Big5 on short inputs, so they are not trusted here).

    Raises
    ------
    EncodingError
        No decoding works, or the best one is mojibake.

    Examples
    --------
    >>> decode_bytes("中国声谷".encode("gb18030"))
    ('中国声谷', 'gb18030')
    >>> decode_bytes("中國聲谷".encode("big5"))
    ('中國聲谷', 'big5')
    >>> decode_bytes(b"\\xef\\xbb\\xbfhi")
    ('hi', 'utf-8-sig')
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise EncodingError(path, f"BOM says UTF-8 but byte {exc.start + 3} is not") from None
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                text = data[2:].decode(codec)
            except UnicodeDecodeError:
                raise EncodingError(path, "BOM says UTF-16 but the bytes are not") from None
            if _plausibility(text)[0] < _MIN_PLAUSIBILITY:
                raise EncodingError(path, "decodes only to mojibake (UTF-16 BOM)")
            return text, "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: list[tuple[float, int, str, str]] = []
    for rank, codec in enumerate(("gb18030", "big5", "cp950")):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        label = "big5" if codec == "cp950" else codec
        # Ties go to the codec listed first (GB18030 covers most files seen in practice).
        common, weight = _plausibility(text)
        candidates.append((weight, -rank, common, text, label))
    if not candidates:
        raise EncodingError(path, "invalid bytes for every supported encoding")
    _, _, common, text, label = max(candidates)
    if common < _MIN_PLAUSIBILITY:
        raise EncodingError(path, f"decodes only to mojibake (best guess {label})")
    return text, label


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    head = data[:8192]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 text carries NUL bytes by design
    if b"\x00" in head:
        return "contains NUL bytes"
    controls = sum(1 for b in head if b < 32 and b not in _TEXT_CONTROLS)
    if head and controls / len(head) > 0.05:
        return "too many control characters"
    return None


# ---------------------------------------------------------------------------------------
# Page chrome in text (line rules)
# ---------------------------------------------------------------------------------------

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: Headings that start a list of other articles: everything from them on is not the article.
#: (延伸阅读 is deliberately absent: it introduces background the article itself gives.)
_TAIL_HEADING = re.compile(
    r"^[\s•·\-—#【\[]*(?:相关(?:阅读|推荐|文章|新闻|链接|报道|资讯)|热门(?:文章|推荐|新闻|阅读|资讯|排行)|"
    r"热点(?:推荐|新闻|文章|资讯)|最新(?:文章|新闻|资讯)|推荐(?:阅读|文章|新闻)|精彩推荐|猜你喜欢|"
    r"为你推荐|为您推荐|大家都在看|更多(?:推荐|新闻|阅读|精彩)|往期(?:回顾|推荐|精选)|今日推荐|"
    r"排行榜|热搜榜|头条要闻|点击排行|网友评论|我要评论|评论\s*\(\d+\))[\s】\]:：>»]*$"
)
#: Short lines that are site menus or widgets.
_MENU_WORDS = frozenset(
    [
        "新闻分类",
        "站内搜索",
        "友情链接",
        "暂无分类",
        "暂无链接",
        "分享至",
        "分享到",
        "分享",
        "返回列表",
        "返回顶部",
        "返回首页",
        "打印本页",
        "打印",
        "关闭窗口",
        "关闭",
        "收藏",
        "收藏本页",
        "加入收藏",
        "设为首页",
        "普通会员",
        "会员中心",
        "登录",
        "注册",
        "免费注册",
        "用户登录",
        "网站首页",
        "首页",
        "新闻中心",
        "微信",
        "微博",
        "QQ空间",
        "扫一扫",
        "上一篇",
        "下一篇",
        "字号",
        "大",
        "中",
        "小",
        "无障碍浏览",
        "进入关怀版",
        "举报",
        "点赞",
        "在看",
        "阅读原文",
        "English",
        "繁体",
        "简体",
        "网站地图",
        "联系我们",
        "手机版",
        "移动版",
        "手机浏览",
        "保存桌面",
        "返回主站",
        "搜索",
        "导航",
        "菜单",
        "更多",
        "查看更多",
        "展开全文",
        "责任编辑",
    ]
)
_BREADCRUMB = re.compile(
    r"^\s*(?:当前位置|您的位置|你的位置|您现在的位置|所在位置|位置)\s*[:：]|"
    r"(?:首页|主页|网站首页)\s*(?:>|＞|»|/|→|-)|"
    r"\S\s*(?:>|＞|»|→)\s*\S.*(?:>|＞|»|→)|(?:>|＞|»)\s*正文\s*$"
)
_PIPE_MENU = re.compile(r"^[^。，,！？!?]{1,12}(?:\s*[|｜丨]\s*[^。，,！？!?|｜丨]{1,12}){2,}$")
_META_LINE = re.compile(
    r"(?:^|\s)(?:发布时间|发布日期|发表时间|时间|日期|来源|浏览次数|浏览量|阅读量|阅读次数|点击数|点击量|"
    r"编辑|作者|责任编辑|责编|字号|信息来源|文章来源|稿源)\s*[:：]"
)
_AUTHOR_LINE = re.compile(
    r"^[(（\[【]?\s*(?:文\s*[/／]|文字\s*[:：/]|记者|本报记者|作者|编辑|责任编辑|责编|撰文|撰稿|"
    r"供稿|通讯员|摄影|图\s*[/／]|审核|校对|来源\s*[:：])[^。！？!?]{0,40}[)）\]】]?$"
)
_DATE = re.compile(
    r"((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?(?!\d)"
)
_DATE_ONLY = re.compile(
    r"^\s*(?:(?:19|20)\d{2}\s*(?:[-/.]|年)\s*\d{1,2}\s*(?:[-/.]|月)\s*\d{1,2}\s*日?"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?|\d{1,2}:\d{2}(?::\d{2})?)\s*$"
)
_COUNTER = re.compile(r"^[\s\d,.万wk+]*$")
_BULLET = re.compile(r"^[\s•·●○◆◇■□▪▫►▶\-*]+")
_SENTENCE_FINAL = "。！？；!?;…"
_CLOSERS = "”’」』）)】》\"'"
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_MARKS = re.compile(r"\*\*|__|!\[[^\]\n]*\]\([^)\n]*\)|\]\([^)\n]*\)|\[(?=[^\]\n]+\]\()")


def _han_count(text: str) -> int:
    return len(re.findall(f"[{_HAN}]", text))


def _is_long_paragraph(text: str) -> bool:
    """A line that is clearly article prose: long, and punctuated like sentences."""
    return _han_count(text) >= 30 and bool(re.search(r"[，,。！？!?]", text))


def _is_menu_line(text: str) -> bool:
    core = _BULLET.sub("", text).strip()
    if not core:
        return True
    if core in _MENU_WORDS or _COUNTER.fullmatch(core):
        return True
    if _PIPE_MENU.match(core):
        return True
    return bool(_BREADCRUMB.search(core)) and _han_count(core) < 60


def _is_meta_line(text: str) -> bool:
    return bool(_META_LINE.search(text)) and len(text) <= 120 and not _is_long_paragraph(text)


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as ISO ``YYYY-MM-DD``.

    >>> parse_date("发布时间:2022-11-29  浏览次数:18"), parse_date("2023年2月22日"), parse_date("无")
    ('2022-11-29', '2023-02-22', None)
    """
    match = _DATE.search(text)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _is_headline(text: str) -> bool:
    core = text.strip()
    return (
        4 <= len(core) <= 80
        and _han_count(core) >= 4
        and core[-1] not in "。；;"
        and not _is_menu_line(core)
        and not _is_meta_line(core)
    )


class _LineInfo:
    """What the chrome rules learned from the lines: the title and the date."""

    def __init__(self) -> None:
        self.title: str | None = None
        self.published: str | None = None


def clean_text_lines(lines: list[Line], info: _LineInfo | None = None) -> list[Line]:
    """Drop page chrome from the lines of an article text; keep the article's own lines.

    Rules, in order:

    - Everything from a "related / hot / latest articles" heading on is dropped, once some
      article prose has been seen (``延伸阅读`` is not such a heading).
    - In the header (the lines before the first long prose paragraph), when there are
      navigation anchors (breadcrumbs, "当前位置", meta lines such as 发布时间/来源), the
      lines before the last anchor are page chrome, except the headline right above it.
    - Anywhere: menu words, pipe-separated menus, breadcrumbs, share counters, meta lines,
      author/reporter lines, a lone date line are dropped (dates and titles are recorded in
      ``info``).

    Examples
    --------
    >>> from aigraph.textclean import Traced
    >>> text = ("当前位置:首页 > 财经 >\\n园区创新不止\\n日期:2023-02-22 来源:本站\\n"
    ...         "人工智能是国家战略的重要组成部分，是未来国际竞争的焦点和经济发展的新引擎。\\n"
    ...         "光谷拥有产业基础\\n(文/记者 郭倩 北京报道)\\n相关阅读\\n• 别的新闻")
    >>> info = _LineInfo()
    >>> [l.content.text for l in clean_text_lines(Traced.from_text(text).lines(), info)]
    ['园区创新不止', '人工智能是国家战略的重要组成部分，是未来国际竞争的焦点和经济发展的新引擎。', '光谷拥有产业基础']
    >>> info.title, info.published
    ('园区创新不止', '2023-02-22')
    """
    info = info if info is not None else _LineInfo()
    stripped = [Line(line.content.strip(), line.break_offset) for line in lines]
    texts = [line.content.text for line in stripped]
    if looks_traditional("".join(texts)):
        # chrome words are matched in Simplified (相關閱讀 is 相关阅读); the lines themselves
        # are converted later, with their offsets
        texts = [to_simplified(t) for t in texts]

    first_prose = next((i for i, t in enumerate(texts) if _is_long_paragraph(t)), len(texts))

    # The tail: cut at the first related-articles heading after some article text.
    first_sentence = next(
        (i for i, t in enumerate(texts) if _han_count(t) >= 10 and re.search(r"[。！？!?]", t)),
        len(texts),
    )
    end = len(texts)
    for i in range(min(first_prose, first_sentence) + 1, len(texts)):
        if _TAIL_HEADING.match(texts[i]):
            end = i
            break

    # The header: the last navigation anchor before the prose.
    anchors = [
        i
        for i in range(first_prose)
        if _is_meta_line(texts[i])
        or (_BREADCRUMB.search(texts[i]) and _han_count(texts[i]) < 60)
        or _PIPE_MENU.match(_BULLET.sub("", texts[i]).strip())
    ]
    keep_from = 0
    headline_index: int | None = None
    if anchors:
        last_anchor = anchors[-1]
        keep_from = last_anchor + 1
        # The headline sits right above the meta line (or right below the breadcrumb).
        above = [i for i in range(last_anchor) if texts[i] and not _is_menu_line(texts[i])]
        if above and _is_headline(texts[above[-1]]) and _is_meta_line(texts[last_anchor]):
            headline_index = above[-1]
        for i in anchors:
            date = parse_date(texts[i]) if _is_meta_line(texts[i]) else None
            if date and info.published is None:
                info.published = date

    kept: list[Line] = []
    for i in range(end):
        text = texts[i]
        if not text:
            continue
        if i < keep_from and i != headline_index:
            continue
        if _is_meta_line(text):
            if info.published is None:
                info.published = parse_date(text)
            continue
        if _DATE_ONLY.match(text):
            if info.published is None:
                info.published = parse_date(text)
            continue
        if _is_menu_line(text) or (_AUTHOR_LINE.match(text) and not _is_long_paragraph(text)):
            continue
        kept.append(stripped[i])

    if kept and info.title is None:
        first = kept[0].content.text
        if headline_index is not None or (_is_headline(first) and not _is_long_paragraph(first)):
            info.title = first
    return kept


# ---------------------------------------------------------------------------------------
# Hard line wraps (text copied from PDFs)
# ---------------------------------------------------------------------------------------


def _display_width(text: str) -> int:
    """Columns ``text`` takes: two for each character from U+2E80 (CJK), one for others."""
    return len(text) + len(_WIDE_CHAR_RE.findall(text))


_WIDE_CHAR_RE = re.compile("[\u2e80-\U0010ffff]")


_WRAP_END = re.compile(rf"[{_HAN}A-Za-z0-9，,、：:“‘（(《—-]$")
_WRAP_START = re.compile(rf"^[{_HAN}A-Za-z0-9，,、。；;：:！？!?”’）)》—]")


def join_hard_wraps(lines: list[Line]) -> list[Line]:
    """Join lines that a PDF copy broke inside a sentence (even inside a name).

    A line is joined to the next when it does not end a sentence, the next line continues
    with text, and the line is "full": at least 85% of the file's typical line width.
    Files whose lines are paragraphs (typical width far above a page's) never qualify
    because their unterminated lines are short headings.

    >>> from aigraph.textclean import Traced
    >>> t = Traced.from_text("合肥市人工智能产业园区今年新增企业一百二十家，其中包括科大\\n"
    ...                      "讯飞等龙头企业和多家初创企业，带动就业超过一万人次以上。\\n小标题\\n")
    >>> [l.content.text for l in join_hard_wraps(t.lines()) if l.content.text]
    ['合肥市人工智能产业园区今年新增企业一百二十家，其中包括科大讯飞等龙头企业和多家初创企业，带动就业超过一万人次以上。', '小标题']
    """
    widths = [_display_width(line.content.text.strip()) for line in lines]
    long_widths = [w for w in widths if w >= 20]
    if len(long_widths) < 2:
        return lines
    typical = statistics.median(long_widths)
    out: list[Line] = []
    pending: Line | None = None
    for line, width in zip(lines, widths, strict=True):
        content = line.content.strip()
        if pending is not None and content.text and _WRAP_START.match(content.text):
            pending = Line(Traced.concat([pending.content, content]), line.break_offset)
        else:
            if pending is not None:
                out.append(pending)
            pending = Line(content, line.break_offset)
        text = content.text
        full = width >= 0.85 * typical and width <= 1.15 * typical + 4
        if not (text and full and _WRAP_END.search(text) and text[-1] not in _SENTENCE_FINAL):
            out.append(pending)
            pending = None
    if pending is not None:
        out.append(pending)
    return out


# ---------------------------------------------------------------------------------------
# One file
# ---------------------------------------------------------------------------------------


def _file_kind(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        return "html"
    return "html" if looks_like_html(text) else "text"


def read_article(path: str | Path, settings: Settings | None = None) -> Article:
    """Read one article file into a clean, traced :class:`Article`.

    Raises
    ------
    IngestError
        One of its subclasses, with a one-line message naming the file: ``EmptyFileError``,
        ``BinaryFileError``, ``FileTooLargeError``, ``EncodingError``, ``NoArticleBodyError``,
        ``UnsupportedFileTypeError``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "big5.txt"
    >>> _ = p.write_bytes("中國聲谷實現營業收入一千零六十億元，成為安徽的一張新名片。".encode("big5"))
    >>> a = read_article(p)
    >>> a.encoding, a.body
    ('big5', '中国声谷实现营业收入一千零六十亿元，成为安徽的一张新名片。')
    """
    settings = settings or Settings()
    path = Path(path)
    name = path.as_posix()
    if path.suffix.lower() not in ARTICLE_SUFFIXES:
        raise UnsupportedFileTypeError(name, f"suffix {path.suffix or '(none)'!r}")
    try:
        size = path.stat().st_size
        if size > settings.max_file_bytes:
            raise FileTooLargeError(name, f"{size} bytes, limit {settings.max_file_bytes}")
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(name, exc.strerror or type(exc).__name__) from None
    if not data.strip():
        raise EmptyFileError(name)
    binary = _binary_kind(data)
    if binary:
        raise BinaryFileError(name, binary)
    original, encoding = decode_bytes(data, name)
    if not original.strip():
        raise EmptyFileError(name)

    kind = _file_kind(path, original)
    info = _LineInfo()
    if kind == "html":
        page = extract_html_body(original)
        traced = page.body
        info.published = parse_date(page.published) if page.published else None
    else:
        traced = Traced.from_text(original)
        traced = remove_stray_tags(decode_entities(traced))
        if path.suffix.lower() == ".md":
            traced = traced.sub(_MD_MARKS, "")
            traced = Traced.concat([*(_strip_md_heading(line) for line in traced.lines())])
    traced = remove_pinyin_glosses(fold_width(traced))
    lines = clean_text_lines(traced.lines(), info)
    lines = join_hard_wraps(lines)
    body_traced = join_lines([ln for ln in lines if ln.content.text])
    traditional = looks_traditional(body_traced.text)
    if traditional:
        # Only Traditional text is converted: OpenCC's t2s also rewrites characters that are
        # valid Simplified (显著 would become 显着).
        body_traced = to_simplified_traced(body_traced)
    title = info.title
    if kind == "html" and page.title:
        title = page.title
    if title and traditional:
        title = to_simplified(title)

    body = body_traced.text
    if len(body.strip()) < settings.min_body_chars:
        raise NoArticleBodyError(name, f"{len(body.strip())} characters of text after cleaning")
    return Article(
        source=name,
        doc=path.name,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        original=original,
        body=body,
        offsets=tuple(body_traced.offsets),
        sentences=split_sentences(body),
        title=title,
        published=info.published,
        kind=kind,
    )


def _strip_md_heading(line: Line) -> Traced:
    content = line.content.sub(_MD_HEADING, "")
    if line.break_offset is None:
        return content
    return Traced.concat([content, Traced("\n", [line.break_offset])])


# ---------------------------------------------------------------------------------------
# A batch
# ---------------------------------------------------------------------------------------


def read_articles(
    paths: Sequence[str | Path],
    settings: Settings | None = None,
    report: BatchReport | None = None,
) -> Iterator[Article]:
    """Read every article under ``paths``, in sorted path order; bad files are skipped.

    Each file that cannot be read is recorded in ``report.skipped`` with its one-line
    reason, and the batch goes on; ``report.articles`` counts the articles yielded.

    Raises
    ------
    NoInputError
        A path does not exist (raised before anything is read).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.txt").write_text("合肥市人工智能产业规模持续扩大，新增企业一百余家。")
    >>> _ = (d / "b.txt").write_bytes(b"")
    >>> report = BatchReport()
    >>> [a.doc for a in read_articles([d], report=report)]
    ['a.txt']
    >>> report.articles, [s.reason for s in report.skipped]
    (1, ['empty file'])
    """
    settings = settings or Settings()
    report = report if report is not None else BatchReport()
    for path in find_article_files(paths):
        try:
            article = read_article(path, settings)
        except IngestError as exc:
            reason = exc.reason + (f" ({exc.detail})" if exc.detail else "")
            report.skipped.append(Skipped(path.as_posix(), reason))
            continue
        report.articles += 1
        yield article


# ---------------------------------------------------------------------------------------
# Showing articles
# ---------------------------------------------------------------------------------------


def article_summary(article: Article) -> str:
    """One tab-separated line: doc, encoding, characters, sentences, title, date.

    >>> from aigraph.records import Article
    >>> a = Article("a.txt", "a.txt", "0" * 64, "utf-8", "好。", "好。", (0, 1), (), "题", None)
    >>> article_summary(a)
    'a.txt\\tutf-8\\t2 chars\\t0 sentences\\t题\\t-'
    """
    return "\t".join(
        (
            article.doc,
            article.encoding,
            f"{len(article.body)} chars",
            f"{len(article.sentences)} sentences",
            article.title or "-",
            article.published or "-",
        )
    )


def article_json(article: Article, offsets: bool = False) -> str:
    """The article as one JSON line (the offsets array only when asked for).

    >>> from aigraph.records import Article
    >>> a = Article("a.txt", "a.txt", "0" * 64, "utf-8", "好。", "好。", (0, 1), (), None, None)
    >>> article_json(a)[:40]
    '{"source": "a.txt", "doc": "a.txt", "sha'
    >>> "offsets" in article_json(a), "offsets" in article_json(a, offsets=True)
    (False, True)
    """
    import dataclasses
    import json

    record = dataclasses.asdict(article)
    if not offsets:
        del record["offsets"]
    return json.dumps(record, ensure_ascii=False)
