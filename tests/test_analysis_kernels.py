"""The scipy kernels give networkx's betweenness and closeness (differential tests)."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aigraph.analysis import AnalysisOptions, analyse_graph, kernels


@st.composite
def graphs(draw) -> nx.Graph:
    n = draw(st.integers(1, 25))
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
    graph = nx.Graph()
    graph.add_nodes_from(f"n{i:02d}" for i in range(n))
    graph.add_edges_from((f"n{u:02d}", f"n{v:02d}") for u, v in draw(st.lists(pairs, max_size=60)))
    return graph


@given(graphs())
@settings(max_examples=120, deadline=None)
def test_exact_betweenness_equals_networkx(graph):
    fast, slow = kernels.betweenness(graph), nx.betweenness_centrality(graph)
    assert fast.keys() == slow.keys()
    assert all(fast[v] == pytest.approx(slow[v], abs=1e-12) for v in graph)


@given(graphs(), st.integers(1, 25), st.integers(0, 10**6))
@settings(max_examples=120, deadline=None)
def test_sampled_betweenness_equals_networkx_for_the_same_seed(graph, k, seed):
    k = min(k, graph.number_of_nodes())
    fast = kernels.betweenness(graph, k=k, seed=seed)
    slow = nx.betweenness_centrality(graph, k=k, seed=seed)
    for v in graph:
        if slow[v] != slow[v]:  # networkx gives NaN for a sampled source when k == 1
            assert fast[v] != fast[v]
        else:
            assert fast[v] == pytest.approx(slow[v], abs=1e-12)


@given(graphs())
@settings(max_examples=120, deadline=None)
def test_exact_closeness_equals_networkx(graph):
    fast, slow = kernels.closeness(graph), nx.closeness_centrality(graph)
    assert fast.keys() == slow.keys()
    assert all(fast[v] == pytest.approx(slow[v], abs=1e-12) for v in graph)


@given(graphs())
@settings(max_examples=60, deadline=None)
def test_closeness_with_every_node_as_pivot_is_exact(graph):
    assert kernels.closeness(graph, sorted(graph)) == pytest.approx(
        nx.closeness_centrality(graph), abs=1e-12
    )


def test_analysis_with_and_without_kernels_agrees():
    graph = nx.relabel_nodes(nx.les_miserables_graph(), str)
    nx.set_node_attributes(graph, "Person", "type")
    for options in (AnalysisOptions(), AnalysisOptions(exact_betweenness_max_nodes=10)):
        fast = analyse_graph(graph, options).centralities.scores
        slow = analyse_graph(graph, options.with_changes(sparse_kernels=False)).centralities
        for node in graph:
            for measure in ("betweenness", "closeness"):
                assert fast[node][measure] == pytest.approx(slow.scores[node][measure], abs=1e-12)


def test_directed_graphs_are_refused():
    with pytest.raises(ValueError, match="undirected"):
        kernels.betweenness(nx.DiGraph([("a", "b")]))


@given(graphs())
@settings(max_examples=150, deadline=None)
def test_bridge_edges_equal_networkx_bridges(graph):
    from aigraph.analysis.brokers import bridge_edges

    def canonical(edges):
        return sorted(tuple(sorted(e)) for e in edges)

    assert canonical(bridge_edges(graph)) == canonical(nx.bridges(graph))
