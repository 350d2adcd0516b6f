"""The knobs of an analysis run, in one frozen record (recorded as provenance)."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class AnalysisOptions:
    """What an analysis run may be tuned with; every value ends up in the report.

    Examples
    --------
    >>> AnalysisOptions().betweenness_samples
    128
    >>> AnalysisOptions().with_changes(top=3).top
    3
    """

    #: Which projection to analyse (see :func:`aigraph.analysis.projection.projection_names`).
    projection: str = "all"
    #: Rows per ranking table.
    top: int = 10
    #: Seed of Louvain and of betweenness sampling (``Settings.seed`` by default).
    seed: int = 42
    #: Louvain resolution (above 1: smaller communities).
    resolution: float = 1.0
    #: Betweenness is exact up to this many nodes, sampled above.
    exact_betweenness_max_nodes: int = 2_000
    #: Compute betweenness and closeness with the batched scipy kernels of
    #: :mod:`aigraph.analysis.kernels` (same results as networkx, many times faster); False
    #: runs networkx's own functions.
    sparse_kernels: bool = True
    #: Number of sampled source nodes (``k``) when betweenness is sampled.
    betweenness_samples: int = 128
    #: Closeness is exact up to this many nodes (one traversal per node), estimated from
    #: ``k`` sampled pivots above (the same ``k`` as betweenness).
    exact_closeness_max_nodes: int = 5_000
    #: Sampled source nodes on large graphs (above ``large_graph_nodes``): each one costs a
    #: full traversal in pure Python, so fewer are drawn; the report states ``k``.
    betweenness_samples_large: int = 64
    #: Above this many nodes the graph counts as large: fewer samples are drawn and
    #: eigenvector uses the sparse eigensolver (unless aigraph's backend runs it).
    large_graph_nodes: int = 20_000
    #: From this many nodes up, run PageRank, eigenvector, Louvain, modularity and bridges on
    #: aigraph's networkx dispatch backend (:mod:`aigraph.analysis.nxbackend`). networkx's
    #: own Louvain and eigenvector iteration take tenths of a second at a thousand nodes and
    #: minutes at 100k; below this size they take hundredths, and small graphs (the seeds')
    #: keep networkx's reference Louvain partition.
    backend_min_nodes: int = 1_000
    #: Decimal places of every score written to files and RDF (byte-stable output).
    precision: int = 8
    #: Community members and places listed per community in the report.
    members_shown: int = 5

    def betweenness_samples_for(self, nodes: int) -> int:
        """``k`` for sampled betweenness on a graph of ``nodes`` nodes.

        Examples
        --------
        >>> AnalysisOptions().betweenness_samples_for(5_000), AnalysisOptions().betweenness_samples_for(10**5)
        (128, 64)
        """
        k = (
            self.betweenness_samples_large
            if nodes > self.large_graph_nodes
            else self.betweenness_samples
        )
        return min(k, nodes)

    def with_changes(self, **changes: object) -> AnalysisOptions:
        return replace(self, **changes)
