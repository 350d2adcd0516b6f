"""Synthetic graphs in the shape of ``docs/graph-model.md``, for tests and benchmarks.

Seeded: the same size and seed always give the same graph. Names are random Chinese strings
(with an English and a pinyin-like label for some), edges follow preferential attachment like
real industry graphs, and one edge in ten carries a statement with quoted evidence.

Examples
--------
>>> g = synthetic_graph(50, seed=1)
>>> from aigraph.export.model import entity_types
>>> len(entity_types(g))
50
>>> synthetic_graph(50, seed=1).isomorphic(g)
True
"""

from __future__ import annotations

import random
from decimal import Decimal

from rdflib import RDF, Graph, Literal
from rdflib.namespace import SKOS

from .. import iris
from ..records import ENTITY_TYPES, RELATION_TYPES
from ..vocab import AIG

_CHARS = (
    "智能语音科技创新产业园区合肥苏州深圳北京上海数据云计算芯片机器人视觉软件研究院集团中心发展"
)


def synthetic_graph(
    n_nodes: int, seed: int = 42, edges_per_node: int = 2, evidence_share: float = 0.1
) -> Graph:
    """A graph of ``n_nodes`` entities and about ``edges_per_node * n_nodes`` relations."""
    rng = random.Random(seed)
    g = Graph()
    g.bind("aig", str(AIG._NS))
    g.bind("skos", str(SKOS))
    nodes = []
    for i in range(n_nodes):
        etype = ENTITY_TYPES[rng.randrange(len(ENTITY_TYPES))]
        name = "".join(rng.choice(_CHARS) for _ in range(rng.randint(2, 6))) + str(i)
        iri = iris.entity_iri(f"{etype}:{name}")
        g.add((iri, RDF.type, AIG[etype]))
        g.add((iri, SKOS.prefLabel, Literal(name, lang="zh")))
        g.add((iri, SKOS.prefLabel, Literal(f"syn {i}", lang="zh-Latn-pinyin")))
        if i % 3 == 0:
            g.add((iri, SKOS.prefLabel, Literal(f"Entity {i}", lang="en")))
        if i % 5 == 0:
            g.add((iri, SKOS.altLabel, Literal(f"别名{i}", lang="zh")))
        nodes.append((iri, f"{etype}:{name}"))
    # preferential attachment: pick ends in proportion to degree, as in real industry graphs
    ends: list[int] = []
    for i in range(1, n_nodes):
        for _ in range(min(edges_per_node, i)):
            j = rng.choice(ends) if ends and rng.random() < 0.7 else rng.randrange(i)
            if j == i:
                continue
            rel = RELATION_TYPES[rng.randrange(len(RELATION_TYPES))]
            (head, hkey), (tail, tkey) = nodes[i], nodes[j]
            g.add((head, AIG[rel], tail))
            if rel == "cooperatesWith":
                g.add((tail, AIG[rel], head))
            ends.extend((i, j))
            if rng.random() < evidence_share:
                st = iris.statement_iri(hkey, rel, tkey)
                h, t = (tail, head) if rel == "cooperatesWith" and tkey < hkey else (head, tail)
                ev = iris.evidence_iri("0" * 64, i, j, "synthetic.v1", str(st))
                g.add((st, RDF.type, AIG.RelationStatement))
                g.add((st, AIG.head, h))
                g.add((st, AIG.relation, AIG[rel]))
                g.add((st, AIG.tail, t))
                g.add((st, AIG.hasEvidence, ev))
                g.add((ev, RDF.type, AIG.Evidence))
                g.add((ev, AIG.quote, Literal(f"第{i}句：两者存在{rel}关系。", lang="zh")))
                g.add((ev, AIG.confidence, Literal(Decimal("0.8"))))
    return g
