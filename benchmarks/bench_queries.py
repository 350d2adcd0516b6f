"""SPARQL latency of the saved questions: the embedded store (pyoxigraph) vs in-memory rdflib.

One command::

    .venv/bin/python benchmarks/bench_queries.py --sizes 10k,100k,1m --repeat 5

For each size it generates a synthetic graph in the shape of docs/graph-model.md (one named
graph per article, the entities graph, statements with evidence, observations, mentions;
deterministic with --seed), loads it into the aigraph store (in memory, same layout as on disk:
named graphs plus the merged default graph) and into an rdflib ``Dataset``, runs every saved
question --repeat times with its parameters bound, prints a table and appends it to
docs/benchmarks.md with the machine described. rdflib is skipped above --rdflib-max-triples
(its joins take minutes at 1M triples; see MEASURED.md).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import random
import statistics
import sys
import time
from datetime import datetime, timezone
from decimal import Decimal
from importlib.metadata import version

from benchreport import append_section
from rdflib import RDF, RDFS, XSD, Dataset, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from aigraph import iris
from aigraph.queries import bind_parameters, execute, list_queries
from aigraph.vocab import AIG, AIGM, OA, SDO

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
TRIPLES_PER_ARTICLE = 420  # measured on the generator below; sets the article count per size

RELATIONS = [
    ("Firm", "locatedIn", "Park"),
    ("Firm", "locatedIn", "Park"),
    ("Firm", "headquarteredIn", "City"),
    ("Park", "partOf", "Park"),
    ("Policy", "supports", "Park"),
    ("Policy", "supports", "Firm"),
    ("Policy", "issuedBy", "Agency"),
    ("Agency", "supports", "Park"),
    ("Park", "approvedBy", "Agency"),
    ("Platform", "operatedBy", "Firm"),
    ("Platform", "locatedIn", "Park"),
    ("Firm", "cooperatesWith", "Firm"),
    ("City", "cooperatesWith", "City"),
    ("Institution", "cooperatesWith", "Firm"),
    ("Firm", "focusesOn", "Industry"),
    ("Person", "worksFor", "Firm"),
]


def _n3(*terms: object) -> str:
    return " ".join(t.n3() for t in terms)  # type: ignore[attr-defined]


class Generator:
    """Deterministic synthetic corpus graph, written as N-Quads lines."""

    def __init__(self, target_triples: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.articles = max(4, target_triples // TRIPLES_PER_ARTICLE)
        a = self.articles
        self.counts = {
            "Province": 12,
            "City": 60,
            "Park": max(8, a // 3),
            "Firm": max(20, a * 3),
            "Policy": max(5, a // 2),
            "Agency": max(5, a // 5),
            "Platform": max(5, a // 2),
            "Institution": max(5, a // 4),
            "Person": max(5, a // 2),
            "Industry": 12,
        }
        self.names = {t: [f"{t}{i:06d}号" for i in range(n)] for t, n in self.counts.items()}
        self.lines: list[str] = []
        self.entity_lines: dict[URIRef, list[str]] = {}

    def iri(self, etype: str, i: int) -> URIRef:
        return iris.entity_iri(f"{etype}:{self.names[etype][i]}")

    def pick(self, etype: str) -> int:
        return self.rng.randrange(self.counts[etype])

    def relation(self, head: str, rel: str, tail: str) -> tuple[str, int, str, str, int]:
        """A random relation; containment stays a tree, as real containment is."""
        hi, ti = self.pick(head), self.pick(tail)
        if rel == "partOf":
            # A sub-park is part of the first park of its own city (parks 0..cities-1 are the
            # first of each city). Drawn at random, partOf made loops that joined most parks
            # into one containment cluster, which no real corpus has.
            ti = hi % self.counts["City"]
        return head, hi, rel, tail, ti

    def quad(self, s: object, p: object, o: object, g: URIRef) -> None:
        self.lines.append(f"{_n3(s, p, o)} {g.n3()} .\n")

    def generate(self) -> str:
        ent_graph = iris.entities_graph_iri()
        for etype, names in self.names.items():
            for i, name in enumerate(names):
                e = self.iri(etype, i)
                self.quad(e, RDF.type, AIG[etype], ent_graph)
                self.quad(e, SKOS.prefLabel, Literal(name, lang="zh"), ent_graph)
                self.quad(e, RDFS.label, Literal(name, lang="zh"), ent_graph)
                self.quad(
                    e, SKOS.prefLabel, Literal(f"pinyin {name}", lang="zh-Latn-pinyin"), ent_graph
                )
                self.quad(e, SKOS.altLabel, Literal(name[:-1], lang="zh"), ent_graph)
        # containment backbone: city -> province, park -> city, some parks are sub-parks
        backbone = []
        for i in range(self.counts["City"]):
            backbone.append(("City", i, "locatedIn", "Province", i % self.counts["Province"]))
        for i in range(self.counts["Park"]):
            backbone.append(("Park", i, "locatedIn", "City", i % self.counts["City"]))
        for article in range(self.articles):
            sha = hashlib.sha256(f"article {article}".encode()).hexdigest()
            graph = iris.article_graph_iri(sha)
            art = iris.article_iri(sha)
            self.quad(art, RDF.type, AIG.Article, graph)
            self.quad(art, SDO.headline, Literal(f"标题{article}", lang="zh"), graph)
            self.quad(art, SDO.datePublished, Literal("2022-11-29", datatype=XSD.date), graph)
            self.quad(art, AIG.fileName, Literal(f"{article:05d}.txt"), graph)
            self.quad(art, AIG.sourceFile, Literal(f"corpus/{article:05d}.txt"), graph)
            offset = 0
            mentioned: set[tuple[str, int]] = set()
            todo = [backbone.pop() for _ in range(min(6, len(backbone)))]
            todo += [self.relation(*self.rng.choice(RELATIONS)) for _ in range(9)]
            for head_t, hi, rel, tail_t, ti in todo:
                if (head_t, hi) == (tail_t, ti):
                    continue
                head, tail = self.iri(head_t, hi), self.iri(tail_t, ti)
                hk, tk = f"{head_t}:{self.names[head_t][hi]}", f"{tail_t}:{self.names[tail_t][ti]}"
                st = iris.statement_iri(hk, rel, tk)
                self.quad(head, AIG[rel], tail, graph)
                if rel == "cooperatesWith":
                    self.quad(tail, AIG[rel], head, graph)
                self.quad(st, RDF.type, AIG.RelationStatement, graph)
                self.quad(st, AIG.head, head, graph)
                self.quad(st, AIG.relation, AIG[rel], graph)
                self.quad(st, AIG.tail, tail, graph)
                self.evidence(sha, art, graph, st, offset)
                offset += 40
                mentioned |= {(head_t, hi), (tail_t, ti)}
            park = self.pick("Park")
            for metric in ("revenue", "firmCount"):
                year = 2018 + self.rng.randrange(6)
                value = float(self.rng.randrange(10, 2000))
                obs = iris.observation_iri(
                    f"Park:{self.names['Park'][park]}", metric, value, "亿元", year, None
                )
                self.quad(obs, RDF.type, AIG.Observation, graph)
                self.quad(obs, AIG.observedEntity, self.iri("Park", park), graph)
                self.quad(obs, AIG.metric, AIGM[metric], graph)
                self.quad(
                    obs, AIG.value, Literal(Decimal(repr(value)), datatype=XSD.decimal), graph
                )
                self.quad(obs, AIG.unit, Literal("亿元", lang="zh"), graph)
                self.quad(obs, AIG.year, Literal(str(year), datatype=XSD.gYear), graph)
                self.evidence(sha, art, graph, obs, offset)
                offset += 40
            for etype, i in sorted(mentioned):
                e = self.iri(etype, i)
                m = iris.mention_iri(sha, i, i + 4, f"{etype}:{i}")
                self.quad(e, RDF.type, AIG[etype], graph)
                self.quad(e, AIG.mentionedIn, art, graph)
                self.quad(e, AIG.hasMention, m, graph)
                self.quad(m, RDF.type, AIG.Mention, graph)
                self.quad(m, AIG.article, art, graph)
                self.quad(m, AIG.surfaceForm, Literal(self.names[etype][i], lang="zh"), graph)
        return "".join(self.lines)

    def evidence(self, sha: str, art: URIRef, graph: URIRef, about: URIRef, start: int) -> None:
        ev = iris.evidence_iri(sha, start, start + 30, "bench.v1", str(about))
        target, qsel, psel = URIRef(ev + "#target"), URIRef(ev + "#quote"), URIRef(ev + "#position")
        quote = Literal(f"原文句子{start}", lang="zh")
        self.quad(about, AIG.hasEvidence, ev, graph)
        for p, o in (
            (RDF.type, AIG.Evidence),
            (RDF.type, OA.Annotation),
            (AIG.article, art),
            (PROV.wasDerivedFrom, art),
            (AIG.quote, quote),
            (AIG.sentence, quote),
            (AIG.startOffset, Literal(start)),
            (AIG.endOffset, Literal(start + 30)),
            (AIG.rule, Literal("bench.v1")),
            (AIG.confidence, Literal(Decimal("0.8"))),
            (OA.hasTarget, target),
        ):
            self.quad(ev, p, o, graph)
        self.quad(target, OA.hasSource, art, graph)
        self.quad(target, OA.hasSelector, qsel, graph)
        self.quad(target, OA.hasSelector, psel, graph)
        self.quad(qsel, OA.exact, quote, graph)
        self.quad(psel, OA.start, Literal(start), graph)
        self.quad(psel, OA.end, Literal(start + 30), graph)


def parameters(gen: Generator) -> dict[str, dict[str, str]]:
    """Parameter values of the saved questions on the synthetic graph (IRIs: no lookup cost)."""
    return {
        "firms_in_park": {"park": str(gen.iri("Park", 0))},
        "parks_in_place": {"place": str(gen.iri("Province", 0))},
        "policies_supporting": {"target": str(gen.iri("Park", 1))},
        "agency_activity": {"agency": str(gen.iri("Agency", 0))},
        "platforms_by_park": {"park": str(gen.iri("Park", 2))},
        "park_metrics": {"park": str(gen.iri("Park", 3))},
        "evidence_between": {"a": str(gen.iri("Park", 0)), "b": str(gen.iri("City", 0))},
        "entities_in_article": {
            "article": str(iris.article_iri(hashlib.sha256(b"article 0").hexdigest()))
        },
        "most_connected": {"type": "Park", "min_degree": "3"},
        "firms_in_several_parks": {"min_parks": "2"},
    }


def timed(fn, repeat: int) -> tuple[float, int]:
    times, rows = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        rows = len(fn().rows)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), rows


def machine() -> str:
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        mem = float("nan")
    libs = ", ".join(f"{p} {version(p)}" for p in ("pyoxigraph", "rdflib"))
    return (
        f"{os.cpu_count()} cores, {mem:.0f} GiB RAM, {platform.machine()}, "
        f"Python {platform.python_version()}, {libs}"
    )


def run(size_name: str, repeat: int, seed: int, rdflib_max: int) -> list[str]:
    from aigraph.store import memory_store

    gen = Generator(SIZES[size_name], seed)
    nquads = gen.generate()
    # the store's layout: named graphs plus the merged default graph (each triple once)
    default = "".join(sorted({line.rsplit(" ", 2)[0] + " .\n" for line in gen.lines}))
    triples = len(gen.lines)
    import pyoxigraph as ox

    store = memory_store()
    t0 = time.perf_counter()
    store.inner.bulk_load(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    store.inner.bulk_load(default.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    ox_load = time.perf_counter() - t0
    # what `aigraph query FILE` does with a dump: the named graphs alone, queried over their
    # union (queries.open_source), so no merged default graph to write
    t0 = time.perf_counter()
    ox.Store().bulk_load(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    file_load = time.perf_counter() - t0
    # the places graph a build derives after its last article (aig:inProvince)
    t0 = time.perf_counter()
    places = store.recompute_places()
    derive = time.perf_counter() - t0
    use_rdflib = triples <= rdflib_max
    if use_rdflib:
        ds = Dataset(default_union=True)
        t0 = time.perf_counter()
        ds.parse(data=nquads, format="nquads")
        rd_load = time.perf_counter() - t0
        places_graph = iris.places_graph_iri()
        for s, p, o, g in store.quads():
            if g == places_graph:
                ds.add((s, p, o, places_graph))
    params = parameters(gen)
    out = [
        f"\n### {size_name}: {triples:,} quads in {gen.articles} article graphs (seed {seed})\n",
        f"Load: embedded store {ox_load:.2f} s (named graphs and the merged default graph;"
        f" the N-Quads file alone, as `aigraph query FILE` opens it, {file_load:.2f} s)"
        + (
            f", rdflib {rd_load:.2f} s (x{rd_load / ox_load:.0f})"
            if use_rdflib
            else f"; rdflib skipped above {rdflib_max:,} triples"
        )
        + f"; places derived in {derive:.2f} s ({places:,} aig:inProvince triples)\n",
        "| question | rows | store median ms | rdflib median ms | rdflib / store |",
        "|---|---:|---:|---:|---:|",
    ]
    for q in list_queries():
        bindings = bind_parameters(store, q, params.get(q.name, {}))
        ox_ms, rows = timed(lambda q=q, b=bindings: execute(store, q.text, b), repeat)
        if use_rdflib:
            rd_ms, rd_rows = timed(
                lambda q=q, b=bindings: execute(ds, q.text, b), max(1, repeat // 2)
            )
            cells = f"{rd_ms * 1000:.1f} | {rd_ms / ox_ms:.0f}x"
            if rd_rows != rows:
                cells += f" (rows {rd_rows})"
        else:
            cells = "skipped | -"
        out.append(f"| {q.name} | {rows} | {ox_ms * 1000:.1f} | {cells} |")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k", help="comma-separated: 10k,100k,1m")
    parser.add_argument("--repeat", type=int, default=5, help="runs per question (median)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--rdflib-max-triples",
        type=int,
        default=150_000,
        help="skip rdflib above this many quads (its joins take minutes at 1M)",
    )
    parser.add_argument("--no-append", action="store_true", help="print only")
    args = parser.parse_args(argv)
    lines = [
        f"\n## Saved SPARQL questions ({datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC)\n",
        f"Machine: {machine()}.\n",
        f"Command: `python benchmarks/bench_queries.py --sizes {args.sizes} --repeat {args.repeat}`"
        " (parameters bound as IRIs: name lookup not included).",
    ]
    for size in args.sizes.split(","):
        lines += run(size.strip().lower(), args.repeat, args.seed, args.rdflib_max_triples)
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_append:
        print(f"appended to {append_section(text)}")


if __name__ == "__main__":
    sys.exit(main())
