"""The analysis for readers: console tables, a Markdown report, CSV tables and PNG charts.

Everything is deterministic: rows are sorted with full tie-breaks, scores are rounded to
``options.precision`` places, PNGs are drawn by matplotlib's Agg backend without a software
or date stamp. Chinese labels are drawn with a CJK font when one is installed; otherwise the
charts use pinyin (or English) labels instead of drawing empty boxes.

Examples
--------
>>> display_width("中国声谷 AI")
11
>>> markdown_cell("a|b <c>")
'a\\\\|b &lt;c&gt;'
"""

from __future__ import annotations

import csv
import html
import io
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..fsutil import atomic_write_bytes, atomic_write_text
from ..records import ENTITY_TYPES
from .centrality import MEASURES

if TYPE_CHECKING:
    from . import AnalysisResult

#: CJK fonts tried, in order, for chart labels.
CJK_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
)

HEADERS = {
    "degree": "degree",
    "weighted_degree": "w.degree",
    "pagerank": "PageRank",
    "betweenness": "betweenness",
    "closeness": "closeness",
    "eigenvector": "eigenvector",
}


# --- text helpers ------------------------------------------------------------------------


def display_width(text: str) -> int:
    """Terminal columns taken by ``text`` (wide and full-width characters count 2)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int]) -> str:
    """A plain-text table aligned for CJK text; columns in ``numeric`` align right.

    Examples
    --------
    >>> print(text_table(["name", "n"], [["合肥", "3"], ["Suzhou", "12"]], {1}))
    name     n
    ------  --
    合肥     3
    Suzhou  12
    """
    widths = [display_width(h) for h in headers]
    for row in rows:
        widths = [max(w, display_width(c)) for w, c in zip(widths, row, strict=True)]
    lines = [
        "  ".join(
            _pad(h, w, i in numeric) for i, (h, w) in enumerate(zip(headers, widths, strict=True))
        )
    ]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append(
            "  ".join(
                _pad(c, w, i in numeric) for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    return "\n".join(line.rstrip() for line in lines)


def markdown_cell(text: str) -> str:
    """Escape text for a Markdown table cell (pipes, backslashes, HTML, line breaks)."""
    text = html.escape(text, quote=False).replace("\\", "\\\\").replace("|", "\\|")
    return " ".join(text.split())


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int]) -> str:
    """A GitHub-flavoured Markdown table with escaped cells."""
    head = "| " + " | ".join(markdown_cell(h) for h in headers) + " |"
    rule = "|" + "|".join("---:" if i in numeric else "---" for i in range(len(headers))) + "|"
    body = ["| " + " | ".join(markdown_cell(c) for c in row) + " |" for row in rows]
    return "\n".join([head, rule, *body])


def shorten(text: str, width: int) -> str:
    """Cut ``text`` to at most ``width`` display columns, marking the cut with an ellipsis.

    Examples
    --------
    >>> shorten("安徽省新一代人工智能产业基地建设实施方案", 12)
    '安徽省新一…'
    >>> shorten("iFLYTEK", 12)
    'iFLYTEK'
    """
    if display_width(text) <= width:
        return text
    out = ""
    for ch in text:
        if display_width(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


def _fmt(value: float | None, precision: int) -> str:
    if value is None:
        return ""
    text = f"{round(float(value), precision):.{precision}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _short(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


# --- the tables --------------------------------------------------------------------------


class Tables:
    """The rows every output format shares, computed once from a result."""

    def __init__(self, result: AnalysisResult) -> None:
        self.result = result
        graph = result.graph
        self.attrs = {n: graph.nodes[n] for n in graph}
        scores = result.centralities.scores
        self.scores = scores
        precision = result.options.precision

        def rank_key(node: str) -> tuple:
            s = scores[node]
            return (-round(s.get("pagerank", 0.0), precision), -s["degree"], node)

        self.rank_key = rank_key
        present = {a.get("type", "") for a in self.attrs.values()}
        self.types = [t for t in ENTITY_TYPES if t in present] + sorted(present - set(ENTITY_TYPES))
        self.by_type = {
            t: sorted((n for n, a in self.attrs.items() if a.get("type", "") == t), key=rank_key)
            for t in self.types
        }

        def broker_key(node: str) -> tuple:
            s = scores[node]
            return (-round(s.get("betweenness", 0.0), precision), rank_key(node))

        self.brokers = sorted(graph.nodes, key=broker_key)

    def label(self, node: str) -> str:
        a = self.attrs.get(node, {})
        return a.get("label_zh") or a.get("label_en") or a.get("label_pinyin") or node

    def latin_label(self, node: str) -> str:
        a = self.attrs.get(node, {})
        return a.get("label_en") or a.get("label_pinyin") or ""

    def place_label(self, place: str) -> str:
        return self.label(place) if place in self.attrs else self._network_label(place)

    def _network_label(self, iri: str) -> str:
        return self.result.place_labels.get(iri, iri)

    def ranking_rows(self, etype: str, top: int, precise: bool) -> list[list[str]]:
        rows = []
        fmt = (lambda v: _fmt(v, self.result.options.precision)) if precise else _short
        for rank, node in enumerate(self.by_type[etype][:top], start=1):
            s = self.scores[node]
            rows.append(
                [
                    str(rank),
                    self.label(node),
                    self.latin_label(node),
                    str(int(s["degree"])),
                    f"{s['weighted_degree']:g}",
                ]
                + [fmt(s.get(m)) for m in MEASURES[2:]]
            )
        return rows

    def community_rows(self, limit: int | None) -> list[list[str]]:
        shown = self.result.options.members_shown
        rows = []
        for c in self.result.communities.communities[:limit]:
            types = ", ".join(f"{t} {n}" for t, n in c.type_counts[:3])
            central = "、".join(self.label(m) for m in c.central_members)
            places = "、".join(f"{self.place_label(p)} ({n})" for p, n in c.places[:shown])
            rows.append([str(c.index), str(len(c.members)), types, central, places])
        return rows

    def broker_rows(self, top: int) -> list[list[str]]:
        rows = []
        membership = self.result.communities.membership
        for rank, node in enumerate(self.brokers[:top], start=1):
            s = self.scores[node]
            rows.append(
                [
                    str(rank),
                    self.label(node),
                    self.attrs[node].get("type", ""),
                    _short(s.get("betweenness")),
                    _short(self.result.participation.get(node)),
                    str(membership.get(node, "")),
                ]
            )
        return rows

    def bridge_rows(self, top: int) -> list[list[str]]:
        rows = []
        for b in [b for b in self.result.bridges if not b.trivial][:top]:
            relations = self.result.graph[b.u][b.v].get("relations", "")
            rows.append(
                [self.label(b.u), self.label(b.v), relations, f"{b.community_u} → {b.community_v}"]
            )
        return rows

    def summary_lines(self) -> list[str]:
        r = self.result
        g = r.graph
        comps = r.communities.components
        modularity = r.communities.modularity
        return [
            f"projection: {r.projection} (undirected; weight = distinct evidence nodes)",
            f"nodes: {g.number_of_nodes()}  edges: {g.number_of_edges()}",
            f"connected components: {len(comps)} (largest {len(comps[0]) if comps else 0} "
            f"nodes, {sum(1 for c in comps if len(c) == 1)} isolated)",
            f"Louvain communities: {len(r.communities.communities)}, modularity "
            + ("undefined (no edges)" if modularity is None else f"{modularity:.4f}")
            + f" (seed {r.options.seed}, resolution {r.options.resolution})",
            f"edges between communities: {r.inter_community_edges}; non-trivial bridges: "
            f"{sum(1 for b in r.bridges if not b.trivial)} of {len(r.bridges)}",
        ]


RANK_HEADERS = [
    "#",
    "entity",
    "pinyin / en",
    "degree",
    "w.degree",
    "PageRank",
    "betweenness",
    "closeness",
    "eigenvector",
]
RANK_NUMERIC = {0, 3, 4, 5, 6, 7, 8}
COMMUNITY_HEADERS = ["community", "size", "dominant types", "central members", "places (members)"]
BROKER_HEADERS = ["#", "entity", "type", "betweenness", "participation", "community"]
BRIDGE_HEADERS = ["end", "end", "relations", "communities"]


def render_text(result: AnalysisResult, communities_shown: int = 15) -> str:
    """What ``aigraph analyze`` prints: summary, rankings per type, communities, brokers."""
    t = Tables(result)
    top = result.options.top
    parts = ["\n".join(t.summary_lines())]
    parts += [f"note: {n}" for n in result.notes]
    for etype in t.types:
        parts.append(
            f"\nMost central {etype} (by PageRank)\n"
            + text_table(RANK_HEADERS, t.ranking_rows(etype, top, False), RANK_NUMERIC)
        )
    total = len(result.communities.communities)
    parts.append(
        f"\nCommunities (largest {min(communities_shown, total)} of {total})\n"
        + text_table(COMMUNITY_HEADERS, t.community_rows(communities_shown), {0, 1})
    )
    parts.append(
        "\nBrokers (by betweenness)\n"
        + text_table(BROKER_HEADERS, t.broker_rows(top), {0, 3, 4, 5})
    )
    bridges = t.bridge_rows(top)
    if bridges:
        parts.append("\nNon-trivial bridge edges\n" + text_table(BRIDGE_HEADERS, bridges, set()))
    return "\n".join(parts) + "\n"


# --- CSV ---------------------------------------------------------------------------------


def _csv(rows: Sequence[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue()


def centrality_csv(result: AnalysisResult) -> str:
    t = Tables(result)
    p = result.options.precision
    rows: list[list[object]] = [
        [
            "iri",
            "type",
            "label_zh",
            "label_pinyin",
            "label_en",
            *MEASURES,
            "participation",
            "community",
        ]
    ]
    for etype in t.types:
        for node in t.by_type[etype]:
            a, s = t.attrs[node], t.scores[node]
            rows.append(
                [
                    node,
                    etype,
                    a.get("label_zh", ""),
                    a.get("label_pinyin", ""),
                    a.get("label_en", ""),
                    int(s["degree"]),
                    _fmt(s["weighted_degree"], p),
                    *[_fmt(s.get(m), p) for m in MEASURES[2:]],
                    _fmt(result.participation.get(node), p),
                    result.communities.membership.get(node, ""),
                ]
            )
    return _csv(rows)


def communities_csv(result: AnalysisResult) -> str:
    t = Tables(result)
    rows: list[list[object]] = [
        [
            "community",
            "size",
            "dominant_type",
            "type_counts",
            "central_members",
            "places",
            "members",
        ]
    ]
    for c in result.communities.communities:
        rows.append(
            [
                c.index,
                len(c.members),
                c.dominant_type,
                ";".join(f"{ty}:{n}" for ty, n in c.type_counts),
                ";".join(t.label(m) for m in c.central_members),
                ";".join(f"{t.place_label(pl)}:{n}" for pl, n in c.places),
                ";".join(c.members),
            ]
        )
    return _csv(rows)


def brokers_csv(result: AnalysisResult) -> str:
    t = Tables(result)
    p = result.options.precision
    rows: list[list[object]] = [
        ["rank", "iri", "label", "type", "betweenness", "participation", "community"]
    ]
    for rank, node in enumerate(t.brokers, start=1):
        rows.append(
            [
                rank,
                node,
                t.label(node),
                t.attrs[node].get("type", ""),
                _fmt(t.scores[node].get("betweenness"), p),
                _fmt(result.participation.get(node), p),
                result.communities.membership.get(node, ""),
            ]
        )
    return _csv(rows)


def bridges_csv(result: AnalysisResult) -> str:
    t = Tables(result)
    rows: list[list[object]] = [
        ["u", "v", "label_u", "label_v", "relations", "community_u", "community_v", "trivial"]
    ]
    for b in result.bridges:
        rows.append(
            [
                b.u,
                b.v,
                t.label(b.u),
                t.label(b.v),
                result.graph[b.u][b.v].get("relations", ""),
                b.community_u,
                b.community_v,
                str(b.trivial).lower(),
            ]
        )
    return _csv(rows)


# --- charts ------------------------------------------------------------------------------


def cjk_font() -> str | None:
    """The first installed font of :data:`CJK_FONTS`, or ``None``."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def _png(figure) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    # No Software/date metadata: the bytes depend only on what is drawn.
    figure.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    return buffer.getvalue()


def _chart_rc(font: str | None) -> dict[str, object]:
    rc: dict[str, object] = {"svg.hashsalt": "aigraph", "path.simplify": True}
    if font:
        rc["font.family"] = [font, "DejaVu Sans"]
    return rc


def charts(result: AnalysisResult) -> dict[str, bytes]:
    """The three charts as PNG bytes: top entities per type, community sizes, degrees."""
    import matplotlib
    from matplotlib.figure import Figure

    t = Tables(result)
    font = cjk_font()

    def chart_label(node: str) -> str:
        text = t.label(node) if font else (t.latin_label(node) or t.label(node))
        return shorten(text, 24)

    out: dict[str, bytes] = {}
    with matplotlib.rc_context(_chart_rc(font)):
        types = [ty for ty in t.types if t.by_type[ty]] or ["(none)"]
        top = min(result.options.top, 10)
        columns = 2
        rows = (len(types) + columns - 1) // columns
        fig = Figure(figsize=(12, 0.5 + 0.28 * top * rows + 0.6 * rows), layout="constrained")
        for i, ty in enumerate(types):
            ax = fig.add_subplot(rows, columns, i + 1)
            nodes = t.by_type.get(ty, [])[:top][::-1]
            # Numeric positions: two entities whose cut labels coincide keep their own bars.
            positions = list(range(len(nodes)))
            ax.barh(positions, [t.scores[n].get("pagerank", 0.0) for n in nodes], color="#3b6ea5")
            ax.set_yticks(positions, [chart_label(n) for n in nodes])
            ax.set_title(f"{ty}: top {len(nodes)} by PageRank", fontsize=9)
            ax.tick_params(labelsize=7)
        out["top_entities.png"] = _png(fig)

        sizes = [len(c.members) for c in result.communities.communities][:40]
        fig = Figure(figsize=(8, 3.5), layout="constrained")
        ax = fig.add_subplot()
        ax.bar([str(i) for i in range(len(sizes))], sizes, color="#5a9e6f")
        ax.set_xlabel("community (largest first)")
        ax.set_ylabel("members")
        total = len(result.communities.communities)
        shown = f", largest {len(sizes)} shown" if len(sizes) < total else ""
        ax.set_title(f"Community sizes ({total} communities{shown})")
        ax.tick_params(axis="x", labelsize=6)
        out["community_sizes.png"] = _png(fig)

        degrees = sorted(int(s["degree"]) for s in t.scores.values())
        counts: dict[int, int] = {}
        for d in degrees:
            counts[d] = counts.get(d, 0) + 1
        fig = Figure(figsize=(6, 4), layout="constrained")
        ax = fig.add_subplot()
        xs = sorted(counts)
        ax.plot(xs, [counts[x] for x in xs], "o", color="#a5533b", markersize=4)
        if xs and xs[-1] >= 10 and xs[0] > 0:
            ax.set_xscale("log")
            ax.set_yscale("log")
        ax.set_xlabel("degree")
        ax.set_ylabel("number of nodes")
        ax.set_title("Degree distribution")
        out["degree_distribution.png"] = _png(fig)
    return out


# --- Markdown ----------------------------------------------------------------------------


def render_markdown(result: AnalysisResult, chart_names: Sequence[str]) -> str:
    """The Markdown report; links the CSV tables and the PNG charts written beside it."""
    t = Tables(result)
    top = result.options.top
    lines = [f"# Network analysis: projection `{markdown_cell(result.projection)}`", ""]
    lines += [f"- {markdown_cell(s)}" for s in t.summary_lines()]
    lines += [f"- note: {markdown_cell(n)}" for n in result.notes]
    lines += ["", "## Parameters", ""]
    for name, params in sorted(result.centralities.parameters.items()):
        shown = ", ".join(f"{k}={v}" for k, v in sorted(params.items())) or "-"
        lines.append(f"- {name}: {markdown_cell(shown)}")
    louvain = ", ".join(f"{k}={v}" for k, v in sorted(result.communities.parameters.items()))
    lines.append(f"- louvain: {markdown_cell(louvain)}")
    lines += ["", "## Most central entities per type (by PageRank)", ""]
    for etype in t.types:
        lines += [
            f"### {etype}",
            "",
            markdown_table(RANK_HEADERS, t.ranking_rows(etype, top, True), RANK_NUMERIC),
            "",
        ]
    lines += [
        "## Communities (Louvain)",
        "",
        markdown_table(COMMUNITY_HEADERS, t.community_rows(None), {0, 1}),
        "",
    ]
    lines += [
        "## Brokers",
        "",
        markdown_table(BROKER_HEADERS, t.broker_rows(top), {0, 3, 4, 5}),
        "",
    ]
    bridges = t.bridge_rows(top)
    if bridges:
        lines += [
            "### Non-trivial bridge edges",
            "",
            markdown_table(BRIDGE_HEADERS, bridges, set()),
            "",
        ]
    lines += ["## Charts", ""]
    lines += [f"![{name}]({name})" for name in chart_names]
    lines += [
        "",
        "## Tables",
        "",
        "[centrality.csv](centrality.csv) · [communities.csv](communities.csv) · "
        "[brokers.csv](brokers.csv) · [bridges.csv](bridges.csv) · "
        "[analysis.ttl](analysis.ttl)",
        "",
    ]
    return "\n".join(lines)


def write_report(result: AnalysisResult, out_dir: str | Path) -> list[Path]:
    """Write report.md, the CSV tables, the PNG charts and analysis.ttl; return the paths."""
    from .results import to_rdf

    out = Path(out_dir)
    written: list[Path] = []
    pngs = charts(result)
    for name, data in sorted(pngs.items()):
        atomic_write_bytes(out / name, data)
        written.append(out / name)
    texts = {
        "centrality.csv": centrality_csv(result),
        "communities.csv": communities_csv(result),
        "brokers.csv": brokers_csv(result),
        "bridges.csv": bridges_csv(result),
        "analysis.ttl": to_rdf(result).serialize(format="turtle"),
        "report.md": render_markdown(result, sorted(pngs)),
    }
    for name, text in texts.items():
        atomic_write_text(out / name, text)
        written.append(out / name)
    return sorted(written)
