"""aigraph's networkx dispatch backend against networkx itself (differential tests).

PageRank, eigenvector, modularity and bridges must give networkx's results (to rounding) on
random graphs; Louvain (igraph's multilevel algorithm) must be seeded-deterministic, return a
partition, and reach a modularity comparable to networkx's Louvain.
"""

from __future__ import annotations

import random

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aigraph.analysis import AnalysisOptions, analyse_graph, nxbackend
from aigraph.analysis.brokers import (
    find_bridges,
    inter_community_edges,
    participation_coefficients,
)
from aigraph.analysis.nxbackend import from_networkx

pytestmark = [
    pytest.mark.skipif(
        not nxbackend.registered(),
        reason="aigraph is not installed with its entry points (pip install -e .)",
    ),
    # networkx notes each reuse of a converted graph it cached; the tests never mutate one.
    pytest.mark.filterwarnings("ignore:Note. conversions to backend graphs"),
]


@st.composite
def weighted_graphs(draw, loops: bool = True) -> nx.Graph:
    n = draw(st.integers(1, 30))
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.sampled_from([1, 2, 3]))
    graph = nx.Graph()
    graph.add_nodes_from(f"n{i:02d}" for i in range(n))
    for u, v, w in draw(st.lists(pairs, max_size=80)):
        if u != v or loops:
            graph.add_edge(f"n{u:02d}", f"n{v:02d}", weight=w)
    return graph


def test_the_backend_is_registered_under_its_name():
    assert "aigraph" in nx.utils.backends.backends
    assert nxbackend.backend_interface.pagerank is not None


@given(weighted_graphs())
@settings(max_examples=120, deadline=None)
def test_conversion_keeps_networkx_edge_order_and_weights(graph):
    fast = from_networkx(graph, {"weight": 1})
    rebuilt = [
        (fast.nodes[u], fast.nodes[v], w)
        for u, v, w in zip(fast.source, fast.target, fast.weights["weight"], strict=True)
    ]
    assert rebuilt == list(graph.edges(data="weight"))
    assert fast.degrees("weight").tolist() == [float(d) for _, d in graph.degree(weight="weight")]


@given(weighted_graphs())
@settings(max_examples=120, deadline=None)
def test_pagerank_equals_networkx(graph):
    slow = nx.pagerank(graph, weight="weight", tol=1e-9, max_iter=1000)
    fast = nx.pagerank(graph, weight="weight", tol=1e-9, max_iter=1000, backend="aigraph")
    assert fast.keys() == slow.keys()
    assert all(fast[v] == pytest.approx(slow[v], abs=1e-12) for v in graph)


@given(weighted_graphs(), st.integers(0, 10**6))
@settings(max_examples=60, deadline=None)
def test_personalised_pagerank_equals_networkx(graph, seed):
    rng = random.Random(seed)
    personal = {v: rng.random() for v in graph}
    slow = nx.pagerank(graph, personalization=personal, nstart=personal, dangling=personal)
    fast = nx.pagerank(
        graph, personalization=personal, nstart=personal, dangling=personal, backend="aigraph"
    )
    assert all(fast[v] == pytest.approx(slow[v], abs=1e-12) for v in graph)


@given(weighted_graphs(), st.sampled_from([None, "weight"]))
@settings(max_examples=120, deadline=None)
def test_eigenvector_equals_networkx_or_fails_the_same_way(graph, weight):
    try:
        slow = nx.eigenvector_centrality(graph, weight=weight, max_iter=200, tol=1e-8)
    except nx.PowerIterationFailedConvergence:
        with pytest.raises(nx.PowerIterationFailedConvergence):
            nx.eigenvector_centrality(
                graph, weight=weight, max_iter=200, tol=1e-8, backend="aigraph"
            )
        return
    fast = nx.eigenvector_centrality(
        graph, weight=weight, max_iter=200, tol=1e-8, backend="aigraph"
    )
    assert all(fast[v] == pytest.approx(slow[v], abs=1e-9) for v in graph)


def test_eigenvector_of_the_null_graph_is_refused_like_networkx():
    with pytest.raises(nx.NetworkXPointlessConcept):
        nx.eigenvector_centrality(nx.Graph(), backend="aigraph")


@given(weighted_graphs(), st.integers(1, 6), st.integers(0, 10**6))
@settings(max_examples=120, deadline=None)
def test_modularity_equals_networkx(graph, parts, seed):
    if graph.number_of_edges() == 0:
        return
    rng = random.Random(seed)
    groups: list[set] = [set() for _ in range(parts)]
    for node in graph:
        groups[rng.randrange(parts)].add(node)
    for resolution in (0.5, 1.0, 2.0):
        slow = nx.community.modularity(graph, groups, resolution=resolution)
        fast = nx.community.modularity(graph, groups, resolution=resolution, backend="aigraph")
        assert fast == pytest.approx(slow, abs=1e-12)


def test_modularity_refuses_what_is_not_a_partition():
    graph = nx.path_graph(4)
    for bad in ([{0, 1}, {2}], [{0, 1}, {1, 2, 3}], [{0, 1}, {2, 3, 9}]):
        with pytest.raises(nx.NetworkXError):
            nx.community.modularity(graph, bad, backend="aigraph")


@given(weighted_graphs())
@settings(max_examples=150, deadline=None)
def test_bridges_equal_networkx_in_order(graph):
    assert list(nx.bridges(graph, backend="aigraph")) == list(nx.bridges(graph))
    # With a root networkx lists the edges of a subgraph copy, in set order: compare sets.
    root = next(iter(graph))
    assert {frozenset(e) for e in nx.bridges(graph, root=root, backend="aigraph")} == {
        frozenset(e) for e in nx.bridges(graph, root=root)
    }


def _reference_graphs() -> list[nx.Graph]:
    graphs = [
        nx.karate_club_graph(),
        nx.les_miserables_graph(),
        nx.planted_partition_graph(8, 30, 0.3, 0.01, seed=3),
        nx.barabasi_albert_graph(1_000, 4, seed=5),
        nx.connected_caveman_graph(12, 8),
    ]
    rng = random.Random(11)
    for g in graphs:
        for u, v in g.edges:
            g[u][v].setdefault("weight", rng.choice((1, 1, 2, 3)))
    return graphs


@pytest.mark.parametrize("graph", _reference_graphs(), ids=lambda g: f"{len(g)}-nodes")
def test_louvain_is_seeded_and_as_good_as_networkx(graph):
    fast = nx.community.louvain_communities(graph, weight="weight", seed=42, backend="aigraph")
    again = nx.community.louvain_communities(graph, weight="weight", seed=42, backend="aigraph")
    assert fast == again
    assert nx.community.is_partition(graph, fast)
    slow = nx.community.louvain_communities(graph, weight="weight", seed=42)
    q_fast = nx.community.modularity(graph, fast, weight="weight")
    q_slow = nx.community.modularity(graph, slow, weight="weight")
    # Louvain is a heuristic: the two visit nodes in different orders; neither may fall far
    # behind the other.
    assert q_fast == pytest.approx(q_slow, abs=0.02)


def test_louvain_levels_resolution_and_edge_cases():
    graph = nx.connected_caveman_graph(6, 5)
    one = nx.community.louvain_communities(graph, max_level=1, seed=1, backend="aigraph")
    assert nx.community.is_partition(graph, one)
    small = nx.community.louvain_communities(graph, resolution=0.05, seed=1, backend="aigraph")
    big = nx.community.louvain_communities(graph, resolution=5.0, seed=1, backend="aigraph")
    assert len(small) < len(big)
    with pytest.raises(ValueError, match="max_level"):
        nx.community.louvain_communities(graph, max_level=0, backend="aigraph")
    empty = nx.empty_graph(["a", "b"])
    assert nx.community.louvain_communities(empty, backend="aigraph") == [{"a"}, {"b"}]
    assert nx.community.louvain_communities(nx.Graph(), backend="aigraph") == []


def test_louvain_leaves_igraphs_random_generator_as_it_was():
    import igraph

    graph = nx.karate_club_graph()
    nx.community.louvain_communities(graph, seed=3, backend="aigraph")
    random.seed(5)
    first = igraph.Graph.Erdos_Renyi(30, 0.2).get_edgelist()
    random.seed(5)
    assert igraph.Graph.Erdos_Renyi(30, 0.2).get_edgelist() == first


def test_what_the_backend_cannot_run_is_declined_with_networkx_error():
    with pytest.raises(NotImplementedError, match="aigraph"):
        nx.community.louvain_communities(nx.karate_club_graph(), threshold=0.1, backend="aigraph")
    with pytest.raises(NotImplementedError, match="aigraph"):
        nx.pagerank(nx.DiGraph([(0, 1)]), backend="aigraph")
    with pytest.raises(NotImplementedError, match="aigraph"):
        nx.pagerank(nx.MultiGraph([(0, 1), (0, 1)]), backend="aigraph")


def test_converted_graph_is_cached_and_dropped_when_the_graph_changes():
    graph = nx.path_graph(5)
    first = nxbackend.converted(graph)
    assert nxbackend.converted(graph) is first
    graph.add_edge(4, 0)
    assert nxbackend.converted(graph) is not first
    assert nxbackend.converted(graph).number_of_edges() == 5


@given(weighted_graphs(), st.integers(1, 5), st.integers(0, 10**6))
@settings(max_examples=100, deadline=None)
def test_broker_measures_from_edge_arrays_equal_the_dictionary_versions(graph, parts, seed):
    rng = random.Random(seed)
    membership = {node: rng.randrange(parts) for node in graph}
    fast = from_networkx(graph, {"weight": 1})
    slow_p = participation_coefficients(graph, membership)
    fast_p = participation_coefficients(graph, membership, fast)
    assert all(fast_p[v] == pytest.approx(slow_p[v], abs=1e-12) for v in graph)
    assert inter_community_edges(graph, membership, fast) == inter_community_edges(
        graph, membership
    )
    assert find_bridges(graph, membership, fast) == find_bridges(graph, membership)


def _typed(graph: nx.Graph) -> nx.Graph:
    graph = nx.relabel_nodes(graph, lambda n: f"n{n}" if isinstance(n, int) else str(n))
    nx.set_node_attributes(graph, "Firm", "type")
    return graph


def test_analysis_on_the_backend_agrees_with_networkx_and_records_it():
    graph = _typed(nx.les_miserables_graph())
    graph.add_edge("isolated-a", "isolated-b", weight=1)  # a second component
    with_backend = analyse_graph(graph, AnalysisOptions(backend_min_nodes=1))
    plain = analyse_graph(graph.copy())
    assert with_backend.centralities.parameters["pagerank"]["backend"] == "aigraph"
    assert with_backend.centralities.parameters["eigenvector"]["backend"] == "aigraph"
    assert with_backend.communities.parameters["backend"] == "aigraph (igraph multilevel)"
    assert "backend" not in plain.communities.parameters
    for node in graph:
        fast, slow = with_backend.centralities.scores[node], plain.centralities.scores[node]
        assert fast.keys() == slow.keys()
        for measure, value in slow.items():
            assert fast[measure] == pytest.approx(value, abs=1e-6), (node, measure)
    assert with_backend.communities.components == plain.communities.components
    assert with_backend.communities.modularity == pytest.approx(
        plain.communities.modularity, abs=0.02
    )


def test_analysis_on_the_backend_is_deterministic():
    graph = _typed(nx.barabasi_albert_graph(600, 3, seed=2))
    options = AnalysisOptions(backend_min_nodes=1)
    first, second = analyse_graph(graph, options), analyse_graph(graph.copy(), options)
    assert first.communities.membership == second.communities.membership
    assert first.communities.modularity == second.communities.modularity
    assert first.centralities.scores == second.centralities.scores
    assert first.participation == second.participation


@pytest.mark.parametrize("module", ["__init__", "graph", "link_analysis", "community", "bridges"])
def test_docstring_examples_run(module):
    import doctest
    import importlib

    name = "aigraph.analysis.nxbackend" + ("" if module == "__init__" else f".{module}")
    failures, tried = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert tried > 0 and failures == 0


def test_the_analysis_benchmark_runs_its_rows_on_a_small_graph():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import bench_analysis

    rows = bench_analysis.bench_size(400, AnalysisOptions(backend_min_nodes=100))
    measures = [row[1] for row in rows]
    assert measures[0] == "conversion" and measures[-1] == "whole analyse_graph"
    assert any("aigraph backend (igraph multilevel" in row[2] for row in rows)
    assert "| 400 nodes" in bench_analysis.table(rows)
