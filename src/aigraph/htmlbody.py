"""The article body of a saved web page, with every character traced to the file.

The page is tokenised with the standard library's :class:`html.parser.HTMLParser` (character
references left unconverted, so each text character's offset in the file is known) into a
small element tree. Page furniture is pruned (``<script>``, ``<nav>``, ``<footer>``, related-link
lists, elements whose class or id says menu/share/comment/...), and the main content container
is chosen by text density: the element whose own paragraphs hold the most Chinese text with
sentence punctuation. Block elements become line breaks.

Examples
--------
>>> page = extract_html_body(
...     "<html><head><title>标题 - 某网</title></head><body><nav>首页</nav>"
...     "<div class='content'><p>合肥市发布了&ldquo;新政策&rdquo;，支持人工智能产业。</p></div>"
...     "</body></html>")
>>> page.body.text.strip()
'合肥市发布了“新政策”，支持人工智能产业。'
>>> page.title
'标题'
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .textclean import Traced

_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "ul",
    ]
)
#: Elements that never hold the article's text.
_DROP_TAGS = frozenset(
    [
        "script",
        "style",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "noscript",
        "iframe",
        "svg",
        "template",
        "button",
        "select",
        "textarea",
        "object",
        "embed",
        "canvas",
        "head",
    ]
)
#: Class or id words that mark page furniture.
_CHROME_ATTR = re.compile(
    r"(?:^|[\s_\-])(?:nav|navbar|menu|breadcrumbs?|crumbs?|footer|foot|share|sharing|comments?|"
    r"related|relate|recommend|recommends|sidebar|side|hot|hotnews|toolbar|topbar|ad|ads|advert|"
    r"banner|copyright|login|subnav|pager|pagination|tags)(?:$|[\s_\-\d])",
    re.IGNORECASE,
)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SENTENCE_PUNCT = re.compile(r"[。！？；，,!?;]")
_WS = re.compile(r"[ \t\r\n\f\v\u00a0]+")
_HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_WS_BETWEEN_HAN = re.compile(
    rf"(?<=[{_HAN_CLASS}])[ \t\r\n\f\v]*[\r\n][ \t\r\n\f\v]*(?=[{_HAN_CLASS}])"
)
_DATE_META = frozenset(
    [
        "publishdate",
        "pubdate",
        "publish_date",
        "publishtime",
        "publish-date",
        "article:published_time",
        "og:published_time",
        "og:release_date",
        "datepublished",
        "date",
        "dc.date",
        "dc.date.issued",
        "sailthru.date",
        "weibo:article:create_at",
    ]
)
_TITLE_SUFFIX = re.compile(r"\s*(?:[-_|–—]|\s[-_|]\s)\s*[^-_|–—]{1,20}$")


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    start: int
    end: int | None = None
    children: list[_Element | Traced] = field(default_factory=list)
    parent: _Element | None = None


@dataclass(frozen=True)
class HtmlPage:
    """What a page yields: its traced body text (lines), title and date where stated."""

    body: Traced
    title: str | None
    published: str | None


class _TreeBuilder(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self._line_starts = [0]
        for match in re.finditer("\n", text):
            self._line_starts.append(match.end())
        self.root = _Element("#root", {}, 0)
        self._stack = [self.root]
        self.metas: list[dict[str, str]] = []

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    @property
    def _top(self) -> _Element:
        return self._stack[-1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            self.metas.append(attributes)
        # Implicitly close a paragraph or list item the way browsers do.
        if tag in _BLOCK and self._top.tag == "p" or tag == "li" and self._top.tag == "li":
            self._close(self._top.tag, self._offset())
        element = _Element(tag, attributes, self._offset(), parent=self._top)
        self._top.children.append(element)
        if tag in _VOID:
            element.end = element.start
        else:
            self._stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self._close(tag, self._offset())

    def handle_endtag(self, tag: str) -> None:
        self._close(tag, self._offset())

    def _close(self, tag: str, offset: int) -> None:
        for depth in range(len(self._stack) - 1, 0, -1):
            if self._stack[depth].tag == tag:
                for element in self._stack[depth:]:
                    element.end = offset
                del self._stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self._top.children.append(Traced.from_text(data, self._offset()))

    def handle_entityref(self, name: str) -> None:
        self._append_reference(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._append_reference(f"&#{name};")

    def _append_reference(self, reference: str) -> None:
        decoded = html.unescape(reference)
        if decoded == reference:  # unknown entity: keep it as text
            decoded = reference[:-1]
        start = self._offset()
        self._top.children.append(Traced(decoded, [start] * len(decoded)))


def looks_like_html(text: str) -> bool:
    """Whether a text file is really a whole HTML document.

    >>> looks_like_html("<!DOCTYPE html><html><body>x</body></html>"), looks_like_html("好<br>")
    (True, False)
    """
    head = text[:4000].lstrip("\ufeff \t\r\n").lower()
    if re.match(
        r"(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|\?xml[^>]*>\s*<!doctype\s+html)",
        head,
        re.S,
    ):
        return True
    lower = text.lower()
    return "<body" in lower and "</html>" in lower


def _is_chrome(element: _Element) -> bool:
    if element.tag in _DROP_TAGS:
        return True
    marker = " ".join(element.attrs.get(k, "") for k in ("class", "id", "role"))
    if marker and _CHROME_ATTR.search(marker):
        return True
    style = element.attrs.get("style", "").replace(" ", "").lower()
    if (
        "display:none" in style
        or "hidden" in element.attrs
        or element.attrs.get("aria-hidden") == "true"
    ):
        return True
    if element.tag in ("ul", "ol", "dl"):
        total, linked = _text_and_link_chars(element)
        return total > 0 and linked / total >= 0.6
    return False


def _text_and_link_chars(element: _Element, in_link: bool = False) -> tuple[int, int]:
    total = linked = 0
    for child in element.children:
        if isinstance(child, Traced):
            n = len(child.text.strip())
            total += n
            linked += n if in_link else 0
        else:
            t, link = _text_and_link_chars(child, in_link or child.tag == "a")
            total += t
            linked += link
    return total, linked


def _prune(element: _Element) -> None:
    element.children = [c for c in element.children if isinstance(c, Traced) or not _is_chrome(c)]
    for child in element.children:
        if isinstance(child, _Element):
            _prune(child)


def _has_block(element: _Element) -> bool:
    return any(
        isinstance(c, _Element) and (c.tag in _BLOCK or _has_block(c)) for c in element.children
    )


def _plain(element: _Element) -> str:
    return "".join(c.text if isinstance(c, Traced) else _plain(c) for c in element.children)


def _unit_score(text: str, link_share: float) -> int:
    if link_share >= 0.5 or not _SENTENCE_PUNCT.search(text):
        return 0
    return len(_HAN.findall(text))


def _own_score(element: _Element) -> int:
    """Chinese characters in the element's own paragraphs that read like sentences."""
    score = 0
    run: list[str] = []
    run_linked = 0

    def flush() -> int:
        text = "".join(run)
        share = run_linked / max(1, len(text.strip()))
        return _unit_score(text, share)

    for child in element.children:
        if isinstance(child, Traced):
            run.append(child.text)
        elif child.tag in _BLOCK or _has_block(child):
            score += flush()
            run, run_linked = [], 0
            if not _has_block(child):
                total, linked = _text_and_link_chars(child, child.tag == "a")
                score += _unit_score(_plain(child), linked / max(1, total))
        else:
            text = _plain(child)
            run.append(text)
            if child.tag == "a":
                run_linked += len(text.strip())
            else:
                run_linked += _text_and_link_chars(child)[1]
    score += flush()
    return score


def _walk(element: _Element):
    yield element
    for child in element.children:
        if isinstance(child, _Element):
            yield from _walk(child)


def _traced_text(element: _Element, out: list[Traced], in_pre: bool = False) -> None:
    block = element.tag in _BLOCK
    if block:
        out.append(Traced("\n", [element.start]))
    pre = in_pre or element.tag == "pre"
    for child in element.children:
        if isinstance(child, Traced):
            out.append(child if pre else child.sub(_WS_BETWEEN_HAN, "").sub(_WS, " "))
        else:
            _traced_text(child, out, pre)
    if block:
        end = element.end if element.end is not None else element.start
        if out and out[-1].offsets:
            end = max(end, out[-1].offsets[-1])
        out.append(Traced("\n", [end]))


def _find(root: _Element, tag: str) -> _Element | None:
    return next((e for e in _walk(root) if e.tag == tag), None)


def _clean_inline(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _meta_value(metas: list[dict[str, str]], names: frozenset[str]) -> str | None:
    for meta in metas:
        key = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").lower()
        if key in names and meta.get("content", "").strip():
            return meta["content"].strip()
    return None


def extract_html_body(text: str) -> HtmlPage:
    """Extract the main text of an HTML document, traced to offsets in ``text``.

    The body is returned as traced text with ``\\n`` between blocks (not yet stripped of
    empty lines or chrome lines: the caller's line cleaning does that). An empty body means
    the page has no article text.
    """
    builder = _TreeBuilder(text)
    builder.feed(text)
    builder.close()
    root = builder.root

    h1 = _find(root, "h1")
    title_element = _find(root, "title")
    title = _clean_inline(_plain(h1)) if h1 is not None else ""
    if not title:
        title = _meta_value(builder.metas, frozenset({"og:title"})) or ""
    if not title and title_element is not None:
        title = _TITLE_SUFFIX.sub("", _clean_inline(_plain(title_element)))
    date_text = _meta_value(builder.metas, _DATE_META)
    if date_text is None:
        time_element = _find(root, "time")
        if time_element is not None:
            date_text = time_element.attrs.get("datetime") or _plain(time_element)

    _prune(root)
    best: _Element | None = None
    best_score = 0
    for element in _walk(root):
        score = _own_score(element)
        if score > 0 and score >= best_score:
            best, best_score = element, score
    if best is None:
        return HtmlPage(Traced("", []), title or None, date_text)
    # A container deeper than the best scorer's parent is kept whole; a headline that sits
    # before the container (pages put <h1> outside the text block) is put back in front.
    pieces: list[Traced] = []
    if h1 is not None and h1.start < best.start and not _inside(h1, best):
        h1_out: list[Traced] = []
        _traced_text(h1, h1_out)
        pieces.extend(h1_out)
    _traced_text(best, pieces)
    return HtmlPage(Traced.concat(pieces), title or None, date_text)


def _inside(element: _Element, container: _Element) -> bool:
    node = element.parent
    while node is not None:
        if node is container:
            return True
        node = node.parent
    return False
