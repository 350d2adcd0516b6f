"""Records -> RDF: the graph-model shape, the golden mini dataset, entity descriptions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, BNode, Dataset, Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, SKOS

from aigraph import iris
from aigraph.mapping import (
    article_graph,
    entity_descriptions,
    extraction_to_quads,
    fullest_name,
    normalised_name,
    pinyin_of,
)
from aigraph.publish import nquads_text
from aigraph.vocab import AIG, AIGM, OA, SDO, WD
from conftest import build_article, entity_in, fact_in, mini_quads, relation_in


def _dataset(quads) -> Dataset:
    ds = Dataset()
    for s, p, o, g in quads:
        ds.graph(g).add((s, p, o))
    return ds


def test_mini_trig_is_what_the_mapping_produces(mini_trig_path) -> None:
    committed = Dataset().parse(mini_trig_path, format="trig")
    fresh = mini_quads()
    assert nquads_text(committed.quads()) == nquads_text(fresh), (
        "tests/data/graph/mini.trig is stale: regenerate it with conftest.write_mini_trig()"
    )
    for g in {q[3] for q in fresh}:
        expected = Graph()
        for s, p, o, gg in fresh:
            if gg == g:
                expected.add((s, p, o))
        assert isomorphic(committed.graph(g), expected)


def test_mini_dataset_has_the_promised_content(mini_extractions) -> None:
    quads = mini_quads()
    union = Graph()
    for s, p, o, _ in quads:
        union.add((s, p, o))
    types = {o for o in union.objects(None, RDF.type) if str(o).startswith(str(AIG._NS))}
    assert {AIG.Park, AIG.City, AIG.Province, AIG.Firm, AIG.Policy, AIG.Agency} <= types
    assert {AIG.Platform, AIG.Person, AIG.Region, AIG.Institution, AIG.Industry} <= types
    entities = {s for s in union.subjects(SKOS.prefLabel, None)}
    assert len(entities) == 17
    revenue = sorted(
        int(str(union.value(o, AIG.year))) for o in union.subjects(AIG.metric, AIGM.revenue)
    )
    assert revenue == [2018, 2019, 2020]
    assert len({q[3] for q in quads}) == 3  # two articles and the entities graph


def test_cooperates_with_is_written_both_ways_and_stated_once(mini_extractions) -> None:
    g = article_graph(mini_extractions[1])
    pairs = list(g.subject_objects(AIG.cooperatesWith))
    assert len(pairs) == 2 and pairs[0] == pairs[1][::-1]
    statements = list(g.subjects(AIG.relation, AIG.cooperatesWith))
    assert len(statements) == 1
    head, tail = g.value(statements[0], AIG.head), g.value(statements[0], AIG.tail)
    assert {(head, tail), (tail, head)} == set(pairs)


def test_works_for_carries_the_role(mini_extractions) -> None:
    g = article_graph(mini_extractions[0])
    (statement,) = g.subjects(AIG.relation, AIG.worksFor)
    assert g.value(statement, AIG.role) == Literal("董事长", lang="zh")
    assert g.value(statement, AIG.head) in set(g.subjects(AIG.worksFor, None))


def test_evidence_quotes_and_mentions_are_located_in_the_original(mini_extractions) -> None:
    for ext in mini_extractions:
        g = article_graph(ext)
        original = ext.article.original
        for ev in g.subjects(RDF.type, AIG.Evidence):
            start, end = int(g.value(ev, AIG.startOffset)), int(g.value(ev, AIG.endOffset))
            assert original[start:end] == str(g.value(ev, AIG.quote))
            article = iris.article_iri(ext.article.sha256)
            assert g.value(ev, PROV.wasDerivedFrom) == article
            target = g.value(ev, OA.hasTarget)
            assert g.value(target, OA.hasSource) == article
            selectors = set(g.objects(target, OA.hasSelector))
            kinds = {g.value(s, RDF.type) for s in selectors}
            assert kinds == {OA.TextQuoteSelector, OA.TextPositionSelector}
        for mention in g.subjects(RDF.type, AIG.Mention):
            start, end = (
                int(g.value(mention, AIG.startOffset)),
                int(g.value(mention, AIG.endOffset)),
            )
            assert original[start:end] == str(g.value(mention, AIG.surfaceForm))


def test_evidence_quoting_one_passage_shares_its_target(mini_extractions) -> None:
    """Each passage is described once however many statements cite it; every evidence node
    still reaches its own quote and offsets through the shared target."""
    for ext in mini_extractions:
        g = article_graph(ext)
        evidence = list(g.subjects(RDF.type, AIG.Evidence))
        spans = {
            (int(g.value(e, AIG.startOffset)), int(g.value(e, AIG.endOffset))) for e in evidence
        }
        targets = set(g.objects(None, OA.hasTarget))
        assert len(targets) == len(spans) < len(evidence)  # the mini articles reuse sentences
        assert len(list(g.subject_objects(OA.exact))) == len(spans)
        for e in evidence:
            start, end = int(g.value(e, AIG.startOffset)), int(g.value(e, AIG.endOffset))
            target = g.value(e, OA.hasTarget)
            assert target == iris.passage_iri(ext.article.sha256, start, end)
            (position,) = (
                s
                for s in g.objects(target, OA.hasSelector)
                if g.value(s, RDF.type) == OA.TextPositionSelector
            )
            assert (int(g.value(position, OA.start)), int(g.value(position, OA.end))) == (
                start,
                end,
            )


def test_traditional_article_keeps_its_original_surface_forms(mini_extractions) -> None:
    g = article_graph(mini_extractions[1])
    forms = {str(o) for o in g.objects(None, AIG.surfaceForm)}
    assert "中國聲谷" in forms and "中国声谷" not in forms
    quotes = {str(o) for o in g.objects(None, AIG.quote)}
    assert any("華中科技大學" in q for q in quotes)


def test_observations_with_and_without_year_and_bound(mini_extractions) -> None:
    g = article_graph(mini_extractions[0])
    obs = list(g.subjects(RDF.type, AIG.Observation))
    assert len(obs) == 4
    no_year = [o for o in obs if g.value(o, AIG.year) is None]
    assert len(no_year) == 1 and g.value(no_year[0], AIG.metric) == AIGM.firmCount
    bounds = sorted(str(g.value(o, AIG.bound)) for o in obs if g.value(o, AIG.bound))
    assert bounds == ["over", "over"]
    for o in obs:
        assert g.value(o, AIG.hasEvidence) is not None
        assert g.value(o, AIG.unit) is not None


def test_article_node_carries_its_metadata(mini_extractions) -> None:
    a = mini_extractions[1].article
    g = article_graph(mini_extractions[1])
    node = iris.article_iri(a.sha256)
    assert g.value(node, SDO.headline) == Literal(a.title, lang="zh")
    assert str(g.value(node, SDO.datePublished)) == "2022-06-01"
    assert str(g.value(node, AIG.encoding)) == "big5"
    assert str(g.value(node, AIG.sha256)) == a.sha256
    assert str(g.value(node, AIG.fileName)) == "mini_b.txt"


def test_no_blank_nodes_and_sorted_quads(mini_extractions) -> None:
    quads = extraction_to_quads(mini_extractions[0])
    assert quads == sorted(quads)
    assert not any(isinstance(t, BNode) for q in quads for t in q)


def test_entities_graph_merges_labels_across_articles(mini_extractions) -> None:
    graphs = [article_graph(e) for e in mini_extractions]
    desc = entity_descriptions(t for g in graphs for t in g)
    iflytek = iris.entity_iri("Firm:科大讯飞股份有限公司")
    assert set(desc.objects(iflytek, SKOS.prefLabel)) == {
        Literal("科大讯飞股份有限公司", lang="zh"),
        Literal("kē dà xùn fēi gǔ fèn yǒu xiàn gōng sī", lang="zh-Latn-pinyin"),
        Literal("iFLYTEK", lang="en"),
    }
    assert set(desc.objects(iflytek, SKOS.altLabel)) == {Literal("科大讯飞", lang="zh")}
    wuhan = iris.entity_iri("City:武汉")
    assert desc.value(wuhan, SKOS.exactMatch) == WD.Q11746
    assert desc.value(wuhan, RDFS.label) == Literal("武汉", lang="zh")
    # The article graphs never carry prefLabels (they would clash in the union).
    assert not any((None, SKOS.prefLabel, None) in g for g in graphs)


def test_entities_graph_does_not_depend_on_article_order(mini_extractions) -> None:
    graphs = [article_graph(e) for e in mini_extractions]
    forward = entity_descriptions(t for g in graphs for t in g)
    backward = entity_descriptions(t for g in reversed(graphs) for t in reversed(list(g)))
    assert isomorphic(forward, backward)


def test_relation_end_without_entity_record_is_still_named() -> None:
    a = build_article("x.txt", "甲公司位于乙市。")
    firm = entity_in(a, "Firm", "甲公司")
    city = entity_in(a, "City", "乙市")
    from aigraph.records import Extraction

    ext = Extraction(
        article=a, entities=(firm,), relations=(relation_in(a, firm, "locatedIn", city, "位于"),)
    )
    desc = entity_descriptions(article_graph(ext))
    assert desc.value(iris.entity_iri("City:乙市"), SKOS.prefLabel) == Literal("乙市", lang="zh")


def test_fullest_name_rules() -> None:
    assert fullest_name(["工信部", "工业和信息化部"]) == "工业和信息化部"
    assert fullest_name(["“长三角”", "长三角区"]) == "长三角区"  # quotes do not count
    assert fullest_name(["甲丙", "乙丙"]) == "乙丙"  # U+4E59 < U+7532
    with pytest.raises(ValueError):
        fullest_name([])


@given(st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=6))
def test_fullest_name_is_order_independent(names: list[str]) -> None:
    chosen = fullest_name(names)
    assert chosen in names
    assert chosen == fullest_name(list(reversed(names)))
    assert all(len(normalised_name(n)) <= len(normalised_name(chosen)) for n in names)


def test_pinyin_has_tone_marks_and_single_spaces() -> None:
    assert pinyin_of("中国声谷") == "zhōng guó shēng gǔ"
    assert "  " not in pinyin_of("合肥 AI  小镇")


HOSTILE = [
    '"引号"公司',
    "<script>alert(1)</script>园区",
    "😀科技",
    "𠀀𠀁研究院",
    "back\\slash\n新行",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_survive_as_plain_literals(name: str) -> None:
    from aigraph.publish import jsonld_text, trig_text
    from aigraph.records import Extraction

    a = build_article("h.txt", f"{name}位于合肥。")
    firm = entity_in(a, "Firm", name)
    city = entity_in(a, "City", "合肥")
    ext = Extraction(
        article=a,
        entities=(firm, city),
        relations=(relation_in(a, firm, "locatedIn", city, "位于"),),
        facts=(fact_in(a, firm, "revenue", 1.5, name, 2021, "位于"),),
    )
    g = article_graph(ext)
    desc = entity_descriptions(g)
    assert desc.value(iris.entity_iri(f"Firm:{name}"), SKOS.prefLabel) == Literal(name, lang="zh")
    quads = [(s, p, o, g.identifier) for s, p, o in g] + [
        (s, p, o, desc.identifier) for s, p, o in desc
    ]
    back = Dataset().parse(data=trig_text(quads), format="trig")
    assert nquads_text(back.quads()) == nquads_text(quads)
    back_json = Dataset().parse(data=jsonld_text(quads), format="json-ld")
    assert nquads_text(back_json.quads()) == nquads_text(quads)


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12))
def test_any_name_round_trips_through_trig(name: str) -> None:
    from aigraph.publish import trig_text

    node = iris.entity_iri(f"Firm:{name}")
    quads = [(node, SKOS.prefLabel, Literal(name, lang="zh"), iris.entities_graph_iri())]
    back = Dataset().parse(data=trig_text(quads), format="trig")
    labels = back.graph(iris.entities_graph_iri()).objects(node, SKOS.prefLabel)
    assert [str(o) for o in labels] == [name]
