"""Explorer benchmark: build time and page-ready time at 1k and 5k nodes, pyvis's default as baseline.

Run: ``.venv/bin/python benchmarks/bench_explorer.py [--sizes 1000 5000] [--baseline-wait 30]``

For each size, one seeded synthetic graph (about two relations per entity) is turned into
(a) aigraph's explorer and (b) pyvis's default page (``cdn_resources="in_line"``, default
options: physics stabilisation, ``smooth: dynamic``), built the fast way for both (``add_nodes``
plus edge dicts appended). Each page is opened in headless Chromium (Debian's package, flags of
:mod:`aigraph.explorer.headless`): time to first draw (ms since navigation start), then for the
explorer the time for a search to select and redraw. The baseline's wait is capped. A table is
printed and appended to ``docs/benchmarks.md`` with the machine described. Goal: 5,000 nodes
drawn and responding in under 5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from benchreport import append_section  # noqa: E402
from pyvis.network import Network  # noqa: E402

from aigraph.explorer import render_explorer  # noqa: E402
from aigraph.explorer.headless import (  # noqa: E402
    CHROMIUM,
    EXPLORER_READY,
    PYVIS_READY,
    chromium,
    chromium_missing,
    open_page,
    search_ms,
)
from aigraph.export.model import build_view  # noqa: E402
from aigraph.export.synthetic import synthetic_graph  # noqa: E402
from aigraph.fsutil import atomic_write_text  # noqa: E402

GOAL_S = 5.0


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        mem = f"{mem_kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        mem = "unknown memory"
    try:
        browser = subprocess.run(
            [CHROMIUM, "--version"], capture_output=True, text=True, timeout=20
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        browser = "no chromium"
    return f"{cpu}, {os.cpu_count()} cores, {mem}; {platform.system()} {platform.release()}; Python {platform.python_version()}; {browser}"


def pyvis_default_page(view, path: Path) -> float:
    """pyvis's own template and default options; returns the build time in seconds."""
    started = time.perf_counter()
    net = Network(directed=True, notebook=False, cdn_resources="in_line")
    index = {n.iri: i for i, n in enumerate(view.nodes)}
    net.add_nodes(list(range(len(view.nodes))), label=[n.label for n in view.nodes])
    for k, e in enumerate(view.edges):
        net.edges.append(
            {
                "id": k,
                "from": index[e.head],
                "to": index[e.tail],
                "label": e.relation,
                "arrows": "to",
            }
        )
    html = net.generate_html(str(path))
    atomic_write_text(path, html)
    return time.perf_counter() - started


def run(sizes: list[int], baseline_wait: float, explorer_wait: float) -> list[dict[str, object]]:
    rows = []
    folder = Path(tempfile.mkdtemp(prefix="bench-explorer-"))
    for n in sizes:
        graph = synthetic_graph(n, seed=11)
        t0 = time.perf_counter()
        view = build_view(graph)
        html = render_explorer(view, title=f"bench {n}")
        page = folder / f"explorer-{n}.html"
        atomic_write_text(page, html)
        build_s = time.perf_counter() - t0
        # a fresh browser per page: a page still stabilising would hold up the next one
        with chromium() as driver:
            load = open_page(driver, page, EXPLORER_READY, timeout_s=explorer_wait)
            search = search_ms(driver, "Entity 42") if load.first_draw_s is not None else None
        offsite = [u for u in load.requests if not u.startswith("data:") and u != page.as_uri()]
        rows.append(
            {
                "page": "aigraph explorer",
                "nodes": n,
                "edges": len(view.edges),
                "build_s": build_s,
                "draw_s": load.first_draw_s,
                "search_ms": search,
                "errors": len(load.console_errors),
                "requests": len(offsite),
                "bytes": page.stat().st_size,
                "wait": explorer_wait,
            }
        )
        base = folder / f"pyvis-{n}.html"
        base_build = pyvis_default_page(view, base)
        with chromium() as driver:
            load = open_page(driver, base, PYVIS_READY, timeout_s=baseline_wait)
        offsite = [u for u in load.requests if not u.startswith("data:") and u != base.as_uri()]
        rows.append(
            {
                "page": "pyvis default",
                "nodes": n,
                "edges": len(view.edges),
                "build_s": base_build,
                "draw_s": load.first_draw_s,
                "search_ms": None,
                "errors": len(load.console_errors),
                "requests": len(offsite),
                "bytes": base.stat().st_size,
                "wait": baseline_wait,
            }
        )
        print(rows[-2], rows[-1], sep="\n", flush=True)
    return rows


def table(rows: list[dict[str, object]]) -> str:
    lines = [
        "| page | nodes | edges | build (s) | first draw (s) | search + redraw (ms) | ready (s) | console errors | off-page requests | size (MB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        draw = (
            "did not draw within {:.0f} s".format(r["wait"])
            if r["draw_s"] is None
            else f"{r['draw_s']:.2f}"
        )
        search = "—" if r["search_ms"] is None else f"{r['search_ms']:.0f}"
        ready = "—"
        if r["draw_s"] is not None and r["search_ms"] is not None:
            ready = f"{r['draw_s'] + r['search_ms'] / 1000:.2f}"
        lines.append(
            f"| {r['page']} | {r['nodes']} | {r['edges']} | {r['build_s']:.2f} | {draw} | {search} | {ready} | "
            f"{r['errors']} | {r['requests']} | {r['bytes'] / 1e6:.1f} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument(
        "--baseline-wait", type=float, default=30.0, help="seconds to wait for pyvis's page"
    )
    parser.add_argument("--explorer-wait", type=float, default=60.0)
    parser.add_argument(
        "--no-append", action="store_true", help="print only; do not append to docs/benchmarks.md"
    )
    args = parser.parse_args()
    reason = chromium_missing()
    if reason:
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2
    rows = run(args.sizes, args.baseline_wait, args.explorer_wait)
    text = table(rows)
    big = [r for r in rows if r["page"] == "aigraph explorer" and r["nodes"] == max(args.sizes)]
    verdict = ""
    if big and big[0]["draw_s"] is not None and big[0]["search_ms"] is not None:
        ready = big[0]["draw_s"] + big[0]["search_ms"] / 1000
        verdict = f"Goal ({max(args.sizes)} nodes drawn and responding < {GOAL_S:.0f} s): {'met' if ready < GOAL_S else 'NOT met'} ({ready:.2f} s)."
    print(text)
    print(verdict)
    if not args.no_append:
        section = (
            f"\n## Explorer ({dt.date.today().isoformat()})\n\n"
            f"Machine: {machine()}.\n\n"
            "`benchmarks/bench_explorer.py`: synthetic graph (seed 11, about two relations per entity), "
            "headless Chromium; first draw = ms since navigation start to the first drawn frame (pyvis: its "
            "loading bar gone, i.e. physics stabilised); ready = first draw + a search selecting, focusing and "
            "redrawing. The pyvis baseline uses its own template and default options, built with `add_nodes` "
            "and appended edge dicts; its requests are to CDNs, which fail offline.\n\n"
            f"{text}\n\n{verdict}\n"
        )
        print(f"appended to {append_section(section)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
