"""The HTML explorer, checked without a browser: escaping, self-containment, CSP, layout."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.namespace import SKOS

import aigraph.explorer as explorer
from aigraph.errors import ExportError
from aigraph.export import export_graph, union_graph
from aigraph.export.model import build_view, view_patterns
from aigraph.export.synthetic import synthetic_graph
from aigraph.iris import entity_iri
from aigraph.store import memory_store
from aigraph.vocab import AIG

MINI = Path(__file__).parent / "data" / "export" / "mini.trig"
XSS_NAMES = ("<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>", "a&b\u2028<!--")


class _Scripts(HTMLParser):
    """Collects every element, the scripts' text and the CSP of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._open: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._open, self._text = dict(attrs), []

    def handle_data(self, data):
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._open is not None:
            self.scripts.append((self._open, "".join(self._text)))
            self._open = None


def parse_page(html: str) -> _Scripts:
    parser = _Scripts()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def mini() -> Dataset:
    ds = Dataset()
    ds.parse(MINI, format="trig")
    return ds


def xss_graph() -> Graph:
    g = Graph()
    previous = None
    for i, name in enumerate(XSS_NAMES):
        iri = entity_iri(f"Firm:{i}")
        g.add((iri, RDF.type, AIG.Firm))
        g.add((iri, SKOS.prefLabel, Literal(name, lang="zh")))
        g.add((iri, SKOS.altLabel, Literal(name + " alias", lang="zh")))
        if previous is not None:
            g.add((iri, AIG.cooperatesWith, previous))
        previous = iri
    return g


@given(st.text(max_size=40))
@settings(max_examples=200, deadline=None)
def test_json_for_script_round_trips_and_cannot_close_the_script(text: str) -> None:
    encoded = explorer.json_for_script({"name": text, "list": [text]})
    assert json.loads(encoded) == {"list": [text], "name": text}
    for forbidden in ("<", ">", "&", "\u2028", "\u2029"):
        assert forbidden not in encoded


def test_xss_names_stay_inside_the_json_block(tmp_path: Path) -> None:
    page = tmp_path / "xss.html"
    explorer.write_explorer(xss_graph(), page)
    html = page.read_text(encoding="utf-8")
    parsed = parse_page(html)
    # exactly the three scripts of the template; nothing a name could have added
    assert [a.get("type") for a, _ in parsed.scripts] == ["application/json", None, None]
    assert [t for t, _ in parsed.tags if t == "img"] == []
    data = json.loads(parsed.scripts[0][1])
    assert sorted(n["zh"] for n in data["nodes"]) == sorted(XSS_NAMES)
    # the title (HTML-escaped by Jinja) and the data are the only places names appear
    assert "<img src=x" not in html


def test_page_is_self_contained_and_pins_vis_network(mini: Dataset, tmp_path: Path) -> None:
    page = tmp_path / "mini.html"
    explorer.write_explorer(mini, page, title="<b>标题</b>")
    raw = page.read_bytes()
    html = raw.decode("utf-8")  # UTF-8 whatever the platform default
    parsed = parse_page(html)
    assert '<meta charset="utf-8">' in html and "Noto Sans CJK SC" in html
    assert "&lt;b&gt;标题&lt;/b&gt;" in html  # autoescaped title
    for tag, attrs in parsed.tags:
        assert tag not in ("link", "iframe", "img", "object", "embed"), tag
        if tag == "script":
            assert "src" not in attrs
        for name in ("src", "href", "action", "data"):
            assert not re.match(r"\s*(https?:|//|file:)", attrs.get(name) or ""), (tag, attrs)
    assert f"vis-network {explorer.VIS_NETWORK_VERSION}" in html
    assert f"@version {explorer.VIS_NETWORK_VERSION}" in parsed.scripts[1][1][:400]
    assert "sourceMappingURL" not in html


def test_csp_allows_exactly_the_page_scripts(mini: Dataset, tmp_path: Path) -> None:
    page = tmp_path / "mini.html"
    explorer.write_explorer(mini, page)
    html = page.read_text(encoding="utf-8")
    parsed = parse_page(html)
    csp = next(
        a["content"]
        for t, a in parsed.tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    assert (
        "default-src 'none'" in csp
        and "connect-src 'none'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    executable = [text for attrs, text in parsed.scripts if attrs.get("type") is None]
    for text in executable:
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_vendored_version_matches_the_note() -> None:
    folder = Path(explorer.__file__).parent
    head = (folder / "vis-network.min.js").read_text(encoding="utf-8")[:400]
    assert f"@version {explorer.VIS_NETWORK_VERSION}" in head
    assert f"vis-network {explorer.VIS_NETWORK_VERSION}" in (folder / "VENDORED.md").read_text(
        encoding="utf-8"
    )
    assert "</script" not in (folder / "vis-network.min.js").read_text(encoding="utf-8").lower()


def test_page_data_carries_the_why(mini: Dataset) -> None:
    html = explorer.render_explorer(build_view(union_graph(mini)))
    data = json.loads(parse_page(html).scripts[0][1])
    by_name = {n["zh"]: n for n in data["nodes"]}
    park = by_name["中国声谷"]
    assert park["en"] == "China Speech Valley" and park["py"] == "zhōng guó shēng gǔ"
    assert park["aliases"] == ["合肥智能语音集群"]
    assert [(o["year"], o["value"]) for o in park["observations"] if o["metric"] == "营收"] == [
        (2019, 850.0),
        (2020, 1060.0),
    ]
    assert by_name["科大讯飞"]["wikidata"] == ["Q1068596"]
    edge = next(e for e in data["edges"] if e["relation"] == "worksFor")
    assert (
        edge["roles"] == ["董事长"] and edge["evidence"][0]["quote"] == "科大讯飞董事长刘庆峰表示。"
    )
    assert data["sizeBy"] == "pageRank"
    assert {item["type"] for item in data["legend"]} == {n["type"] for n in data["nodes"]}
    # physics off, straight edges: what makes large graphs draw at once
    js = parse_page(html).scripts[2][1]
    assert (
        "physics: { enabled: false }" in js
        and "smooth: false" in js
        and "improvedLayout: false" in js
    )


def test_sizes_follow_the_chosen_centrality(mini: Dataset) -> None:
    view = build_view(union_graph(mini))
    measure, sizes = explorer.node_sizes(view)
    assert measure == "pageRank"
    biggest = max(sizes, key=sizes.get)
    assert view.node(biggest).label == "科大讯飞" and sizes[biggest] == explorer.MAX_SIZE
    measure, by_degree = explorer.node_sizes(view, "degree")
    assert measure == "degree"
    assert view.node(max(by_degree, key=by_degree.get)).label == "科大讯飞"
    with pytest.raises(ExportError):
        explorer.node_sizes(view, "fame")
    # without analysis results, degree is computed here
    plain = build_view(synthetic_graph(30, seed=3))
    assert explorer.node_sizes(plain)[0] == "degree"


def test_build_network_uses_pyvis_and_precomputed_positions() -> None:
    view = build_view(synthetic_graph(200, seed=5))
    net, _ = explorer.build_network(view)
    assert len(net.nodes) == 200 and len(net.edges) == len(view.edges)
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in net.nodes)
    assert len({(n["x"], n["y"]) for n in net.nodes}) == 200


def test_output_is_deterministic(mini: Dataset, tmp_path: Path) -> None:
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    explorer.write_explorer(mini, a, title="t")
    explorer.write_explorer(mini, b, title="t")
    assert a.read_bytes() == b.read_bytes()


def test_html_export_and_store_like_source(mini: Dataset, tmp_path: Path) -> None:
    result = export_graph(mini, tmp_path / "hefei.html", title="合肥")
    assert result.format == "html" and result.paths[0].exists()

    class StoreLike:
        def construct_union(self, patterns=None) -> Graph:
            return union_graph(mini)

    explorer.write_explorer(StoreLike(), tmp_path / "store.html")
    data = json.loads(
        parse_page((tmp_path / "store.html").read_text(encoding="utf-8")).scripts[0][1]
    )
    assert len(data["nodes"]) == 11


def test_a_store_gives_the_view_only_what_it_reads(mini: Dataset) -> None:
    """The explorer reads a store's triples matching view_patterns() only: same view as all."""
    store = memory_store()
    store.load_quads(
        (s, p, o, getattr(g, "identifier", g) or URIRef("urn:x-test:default"))
        for s, p, o, g in mini.quads((None, None, None, None))
    )
    whole = store.construct_union()
    restricted = store.construct_union(patterns=view_patterns())
    assert len(restricted) < len(whole)
    assert build_view(restricted) == build_view(whole)
    assert len(build_view(whole).nodes) == 11


def _mini_store(mini: Dataset):
    store = memory_store()
    store.load_quads(
        (s, p, o, getattr(g, "identifier", g) or URIRef("urn:x-test:default"))
        for s, p, o, g in mini.quads((None, None, None, None))
    )
    return store


def _page_data(path: Path) -> dict:
    return json.loads(parse_page(path.read_text(encoding="utf-8")).scripts[0][1])


def test_a_large_graph_shows_its_most_central_entities(mini: Dataset, tmp_path: Path) -> None:
    """Above max_nodes the whole-graph page keeps the most connected entities and says so;
    from a store it reads only what those need, and shows what the full graph would."""
    store = _mini_store(mini)
    explorer.write_explorer(store, tmp_path / "capped.html", max_nodes=4)
    data = _page_data(tmp_path / "capped.html")
    assert len(data["nodes"]) == 4
    page = (tmp_path / "capped.html").read_text(encoding="utf-8")
    assert "showing the 4 most central of 11 entities" in page

    # the fixture carries the analysis: the four highest PageRanks
    whole = store.construct_union()
    rank = {str(s): float(o) for s, o in whole.subject_objects(AIG.pageRank)}
    expected = sorted(sorted(rank, key=lambda iri: (-rank[iri], iri))[:4])
    assert sorted(n["iri"] for n in data["nodes"]) == expected

    # the store's shortcut gives the page the full graph gives for the same entities
    explorer.write_explorer(whole, tmp_path / "from_graph.html", max_nodes=4)
    assert _page_data(tmp_path / "from_graph.html")["nodes"] == data["nodes"]
    assert _page_data(tmp_path / "from_graph.html")["edges"] == data["edges"]


def test_a_graph_within_the_limit_is_shown_whole_without_a_note(mini: Dataset, tmp_path) -> None:
    explorer.write_explorer(_mini_store(mini), tmp_path / "all.html")
    assert len(_page_data(tmp_path / "all.html")["nodes"]) == 11
    assert 'id="note"' not in (tmp_path / "all.html").read_text(encoding="utf-8")


def test_quotes_are_cut_with_their_count_kept(mini: Dataset, tmp_path: Path) -> None:
    """At most max_quotes per statement on the page; the count and the edge width stay."""
    graph = union_graph(mini)
    full, cut = build_view(graph), build_view(graph, max_evidence=1)
    assert [(e.head, e.relation, e.tail) for e in full.edges] == [
        (e.head, e.relation, e.tail) for e in cut.edges
    ]
    shortened = [
        (a, b) for a, b in zip(full.edges, cut.edges, strict=True) if b.evidence_count is not None
    ]
    assert shortened, "the fixture has a statement with two quotes"
    for whole, shown in shortened:
        assert len(shown.evidence) == 1 and shown.evidence[0] in whole.evidence
        assert shown.evidence_count == len(whole.evidence) and shown.weight == whole.weight
    explorer.write_explorer(_mini_store(mini), tmp_path / "cut.html", max_quotes=1)
    edges = _page_data(tmp_path / "cut.html")["edges"]
    assert [e["evidenceCount"] for e in edges if "evidenceCount" in e] == [2]
    assert all(len(e["evidence"]) <= 1 for e in edges)


def _edge_with_many_statements() -> Dataset:
    """A firm in a park stated by three statements (two roles), two quotes each, in a graph
    of four entities."""
    ds = Dataset()
    g = ds.graph(URIRef("urn:x-test:article-graph"))
    firm, park, city, field = (URIRef(f"urn:x-test:{n}") for n in ("firm", "park", "city", "ai"))
    for node, cls in ((firm, AIG.Firm), (park, AIG.Park), (city, AIG.City), (field, AIG.Industry)):
        g.add((node, RDF.type, cls))
        g.add((node, SKOS.prefLabel, Literal(str(node).rsplit(":", 1)[-1], lang="zh")))
    g.add((firm, AIG.locatedIn, park))
    g.add((firm, AIG.focusesOn, field))
    g.add((park, AIG.locatedIn, city))
    article = URIRef("urn:x-test:article")
    g.add((article, RDF.type, AIG.Article))
    g.add((article, AIG.fileName, Literal("a.txt")))
    for n, role in enumerate(("入驻", "落户", None)):
        statement = URIRef(f"urn:x-test:statement{n}")
        g.add((statement, RDF.type, AIG.RelationStatement))
        g.add((statement, AIG.head, firm))
        g.add((statement, AIG.relation, AIG.locatedIn))
        g.add((statement, AIG.tail, park))
        if role:
            g.add((statement, AIG.role, Literal(role, lang="zh")))
        for k in range(2):
            evidence = URIRef(f"urn:x-test:evidence{n}{k}")
            g.add((statement, AIG.hasEvidence, evidence))
            g.add((evidence, AIG.article, article))
            g.add((evidence, AIG.quote, Literal(f"第{n}条第{k}句", lang="zh")))
            g.add((evidence, AIG.startOffset, Literal(10 * n + k)))
    return ds


def test_an_edge_shows_at_most_max_quotes_over_all_its_statements(tmp_path: Path) -> None:
    """An edge stated many times shows its first quotes (statements by IRI, then quotes by
    IRI) up to max_quotes in all, with the full count and every role; a store's explorer,
    which reads only the statements those quotes come from, shows the same edge."""
    ds = _edge_with_many_statements()
    store = memory_store()
    store.load_quads(ds.quads((None, None, None, None)))
    explorer.write_explorer(store, tmp_path / "store.html", max_nodes=2, max_quotes=3)
    explorer.write_explorer(union_graph(ds), tmp_path / "graph.html", max_nodes=2, max_quotes=3)
    edges = _page_data(tmp_path / "store.html")["edges"]
    assert edges == _page_data(tmp_path / "graph.html")["edges"]
    (located,) = edges  # firm → park, the only edge between the two shown
    assert [q["quote"] for q in located["evidence"]] == ["第0条第0句", "第0条第1句", "第1条第0句"]
    assert located["evidenceCount"] == 6
    assert sorted(located["roles"]) == ["入驻", "落户"]


def test_the_edges_drawn_are_capped_to_the_heaviest(mini: Dataset, tmp_path: Path) -> None:
    """Above max_edges the page draws the edges with the most evidence (ties by key) and
    says how many there are; a store's explorer, which reads only those, draws the same."""
    store = _mini_store(mini)
    whole = store.construct_union()
    explorer.write_explorer(whole, tmp_path / "all.html", max_nodes=6)
    every = _page_data(tmp_path / "all.html")["edges"]
    assert len(every) > 2

    explorer.write_explorer(store, tmp_path / "store.html", max_nodes=6, max_edges=2)
    explorer.write_explorer(whole, tmp_path / "graph.html", max_nodes=6, max_edges=2)
    drawn = _page_data(tmp_path / "store.html")["edges"]
    assert drawn == _page_data(tmp_path / "graph.html")["edges"]
    assert len(drawn) == 2

    def weight(edge: dict) -> int:
        return edge.get("evidenceCount", len(edge["evidence"])) or 1

    assert sorted(map(weight, drawn)) == sorted(map(weight, every))[-2:]
    page = (tmp_path / "store.html").read_text(encoding="utf-8")
    assert f"the 2 relations with the most evidence of {len(every)}" in page
