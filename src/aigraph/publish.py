"""Canonical, byte-stable serialisations of graphs and datasets, and publishing a store.

rdflib's serialisers do not promise an order, so a rebuilt graph could come out with other
bytes. These writers sort everything (graphs, subjects, predicates with ``rdf:type`` first,
objects) by the N-Triples form of the terms, so the same graph always gives the same bytes.

Examples
--------
>>> from rdflib import Literal, URIRef
>>> q = [(URIRef("https://w3id.org/aigraph/id/park/1"), RDFS.label, Literal("园区", lang="zh"), None)]
>>> text = turtle_text((s, p, o) for s, p, o, _ in q)
>>> print(text[text.index("park:1"):].rstrip())
park:1
    rdfs:label "园区"@zh .
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import RDF, RDFS, XSD, BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS

from .config import BASE_IRI
from .fsutil import atomic_path, atomic_write_text, atomic_writer
from .records import ENTITY_TYPES
from .vocab import AIG, AIGM, OA, ORG, SDO, WD

if TYPE_CHECKING:
    from .store import Store

#: Prefixes written at the top of every published file (longest namespace wins).
PREFIXES: dict[str, str] = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "oa": str(OA),
    "sdo": str(SDO),
    "org": str(ORG),
    "wd": str(WD),
    "aig": str(AIG),
    "aigm": str(AIGM),
    "article": f"{BASE_IRI}article/",
    "statement": f"{BASE_IRI}statement/",
    "evidence": f"{BASE_IRI}evidence/",
    "passage": f"{BASE_IRI}passage/",
    "mention": f"{BASE_IRI}mention/",
    "observation": f"{BASE_IRI}observation/",
    "graph": f"{BASE_IRI}graph/",
    **{t.lower(): f"{BASE_IRI}id/{t.lower()}/" for t in ENTITY_TYPES},
}

_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: (-len(kv[1]), kv[0]))
# A local name that is safe to write after a prefix in Turtle, TriG and JSON-LD compact IRIs.
_SAFE_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*\Z")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=1 << 20)
def compact(iri: str) -> str | None:
    """``prefix:local`` for an IRI under a known prefix, else ``None``.

    >>> compact("https://w3id.org/aigraph/ontology#locatedIn")
    'aig:locatedIn'
    >>> compact("https://w3id.org/aigraph/passage/ab#quote") is None
    True
    """
    for prefix, ns in _BY_LENGTH:
        if iri.startswith(ns) and _SAFE_LOCAL.match(iri[len(ns) :]):
            return f"{prefix}:{iri[len(ns) :]}"
    return None


@lru_cache(maxsize=1 << 20)
def term_text(term: object) -> str:
    """The Turtle form of a term, using :data:`PREFIXES`.

    >>> term_text(Literal('say "hi"\\n'))
    '"say \\\\"hi\\\\"\\\\n"'
    >>> term_text(Literal("2020", datatype=XSD.gYear))
    '"2020"^^xsd:gYear'
    """
    if isinstance(term, URIRef):
        return compact(str(term)) or f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        text = f'"{_escape(str(term))}"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{text}^^{term_text(term.datatype)}"
        return text
    raise TypeError(f"not an RDF term: {term!r}")


@lru_cache(maxsize=1 << 20)
def _nt(term: object) -> str:
    # Sort key: full N-Triples form, so sorting does not depend on the prefix table.
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return term.n3()  # type: ignore[union-attr]


def _grouped(triples: Iterable[tuple]) -> list[tuple[object, list[tuple[object, list[object]]]]]:
    by_subject: dict[object, dict[object, set[object]]] = defaultdict(lambda: defaultdict(set))
    for s, p, o in triples:
        by_subject[s][p].add(o)
    out = []
    for s in sorted(by_subject, key=_nt):
        preds = sorted(by_subject[s], key=lambda p: (p != RDF.type, _nt(p)))
        out.append((s, [(p, sorted(by_subject[s][p], key=_nt)) for p in preds]))
    return out


def _prefix_lines() -> list[str]:
    return [f"@prefix {p}: <{ns}> ." for p, ns in sorted(PREFIXES.items())]


def _block(triples: Iterable[tuple], indent: str) -> list[str]:
    lines: list[str] = []
    for s, preds in _grouped(triples):
        lines.append(f"{indent}{term_text(s)}")
        for i, (p, objects) in enumerate(preds):
            verb = "a" if p == RDF.type else term_text(p)
            end = " ." if i == len(preds) - 1 else " ;"
            objs = f" ,\n{indent}        ".join(term_text(o) for o in objects)
            lines.append(f"{indent}    {verb} {objs}{end}")
        lines.append("")
    return lines


def turtle_text(triples: Iterable[tuple]) -> str:
    """Canonical Turtle of some triples: same triples, same bytes."""
    return "\n".join([*_prefix_lines(), "", *_block(triples, "")])


def trig_text(quads: Iterable[tuple]) -> str:
    """Canonical TriG of ``(s, p, o, graph)`` quads (``graph`` ``None`` = default graph)."""
    graphs: dict[object, list[tuple]] = defaultdict(list)
    for s, p, o, g in quads:
        graphs[g].append((s, p, o))
    lines = [*_prefix_lines(), ""]
    if None in graphs:
        lines += _block(graphs.pop(None), "")
    for g in sorted(graphs, key=_nt):
        lines.append(f"{term_text(g)} {{")
        lines += _block(graphs[g], "    ")[:-1]
        lines += ["}", ""]
    return "\n".join(lines)


def _jsonld_value(term: object) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"@id": compact(str(term)) or str(term)}
    if isinstance(term, BNode):
        return {"@id": f"_:{term}"}
    value: dict[str, str] = {"@value": str(term)}
    if term.language:  # type: ignore[union-attr]
        value["@language"] = term.language  # type: ignore[union-attr]
    elif term.datatype is not None and term.datatype != XSD.string:  # type: ignore[union-attr]
        value["@type"] = compact(str(term.datatype)) or str(term.datatype)  # type: ignore[union-attr]
    return value


def _jsonld_nodes(triples: Iterable[tuple]) -> list[dict]:
    nodes = []
    for s, preds in _grouped(triples):
        node: dict[str, object] = {"@id": _jsonld_value(s)["@id"]}
        for p, objects in preds:
            if p == RDF.type and all(isinstance(o, URIRef) for o in objects):
                node["@type"] = [compact(str(o)) or str(o) for o in objects]
            else:
                node[compact(str(p)) or str(p)] = [_jsonld_value(o) for o in objects]
        nodes.append(node)
    return nodes


def jsonld_text(quads: Iterable[tuple]) -> str:
    """Canonical JSON-LD of a dataset: one ``@graph`` entry per named graph, all sorted."""
    graphs: dict[object, list[tuple]] = defaultdict(list)
    for s, p, o, g in quads:
        graphs[g].append((s, p, o))
    top = _jsonld_nodes(graphs.pop(None, []))
    for g in sorted(graphs, key=_nt):
        top.append({"@id": _jsonld_value(g)["@id"], "@graph": _jsonld_nodes(graphs[g])})
    doc = {"@context": dict(sorted(PREFIXES.items())), "@graph": top}
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def nquads_text(quads: Iterable[tuple]) -> str:
    """Sorted N-Quads lines: a canonical text for comparing datasets."""
    lines = set()
    for s, p, o, g in quads:
        tail = "" if g is None else f" {_nt(g)}"
        lines.add(f"{_nt(s)} {_nt(p)} {_nt(o)}{tail} .")
    return "".join(f"{line}\n" for line in sorted(lines))


#: Up to this many quads (the seeds' graph has about 23,000) the published files are the
#: canonical sorted texts above, written from Python. Above it they are streamed by Oxigraph's
#: serialisers straight from the store: the canonical writers hold every term in memory and
#: wrote 1.4M quads (300 synthetic articles) in 161 s; Oxigraph streams in the order of its
#: on-disk indexes, which depends only on the content, so the bytes are still the same for the
#: same graph. (Its in-memory store keeps insertion order: a memory store is always written
#: canonically.)
CANONICAL_MAX_QUADS = 200_000

#: Above this many quads (about 200 articles) ``publish`` writes no JSON-LD unless asked: a
#: JSON-LD document is parsed whole, so a reader needs several times its size in memory
#: (1,000 articles made 611 MB of it, 10,000 about 6 GB), and writing it was a third of the
#: publishing work. TriG holds the same dataset and streams.
JSONLD_MAX_QUADS = 1_000_000


def publish(
    store: Store,
    graphs_dir: Path,
    name: str = "seeds",
    canonical_max_quads: int = CANONICAL_MAX_QUADS,
    jsonld: bool | None = None,
) -> dict[str, Path]:
    """Write ``{name}.trig`` (full dataset), ``{name}.ttl`` (merged), ``{name}.jsonld``.

    Byte-identical for the same store content; every file is written atomically. Graphs of
    more than ``canonical_max_quads`` quads in an on-disk store are streamed by Oxigraph
    (see :data:`CANONICAL_MAX_QUADS`); its writers lower-case language tags
    (``zh-latn-pinyin``), which RDF compares without case.

    ``jsonld``: True writes the JSON-LD whatever the size, False never; None (the default)
    writes it for graphs of at most :data:`JSONLD_MAX_QUADS` quads. When it is not written,
    a ``{name}.jsonld`` of an earlier build is removed (it would describe another graph).
    Returns the files written, by format.

    Examples
    --------
    >>> import tempfile
    >>> from aigraph.store import open_store
    >>> tmp = Path(tempfile.mkdtemp())
    >>> with open_store(tmp / "store", create=True) as st:
    ...     sorted(p.name for p in publish(st, tmp / "graphs").values())
    ['seeds.jsonld', 'seeds.trig', 'seeds.ttl']
    """
    paths = {
        "trig": graphs_dir / f"{name}.trig",
        "ttl": graphs_dir / f"{name}.ttl",
        "jsonld": graphs_dir / f"{name}.jsonld",
    }
    # one bounded count for both sizes (each read up to a million quads at 10,000 articles)
    size = store.named_quad_count_up_to(max(JSONLD_MAX_QUADS, canonical_max_quads))
    if jsonld is None:
        jsonld = size <= JSONLD_MAX_QUADS
    if not jsonld:
        paths["jsonld"].unlink(missing_ok=True)
        del paths["jsonld"]
    if store.path is not None and size > canonical_max_quads:
        _publish_streaming(store, paths)
        return paths
    quads = list(store.quads())
    atomic_write_text(paths["trig"], trig_text(quads))
    atomic_write_text(paths["ttl"], turtle_text({(s, p, o) for s, p, o, _ in quads}))
    if "jsonld" in paths:
        atomic_write_text(paths["jsonld"], jsonld_text(quads))
    return paths


def _publish_streaming(store: Store, paths: dict[str, Path]) -> None:
    import pyoxigraph as ox

    inner = store.inner
    prefixes = dict(sorted(PREFIXES.items()))
    graphs = sorted(
        (g for g in inner.named_graphs() if isinstance(g, ox.NamedNode)), key=lambda g: g.value
    )

    # The Turtle of the merged graph is Oxigraph's own dump to a path, which runs without
    # Python's lock: a thread writes it while this one reads the named graphs once for both
    # the TriG and the JSON-LD writers (reading the store is most of the cost of writing).
    failed: list[BaseException] = []

    def write_turtle() -> None:
        try:
            with atomic_path(paths["ttl"]) as tmp:
                inner.dump(
                    str(tmp), ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=prefixes
                )
        except BaseException as exc:  # re-raised below, in the caller's thread
            failed.append(exc)

    turtle = threading.Thread(target=write_turtle, name="aigraph-publish-turtle")
    turtle.start()
    try:
        with contextlib.ExitStack() as files:
            targets = [
                (files.enter_context(atomic_writer(paths[key])), rdf_format)
                for key, rdf_format in (
                    ("trig", ox.RdfFormat.TRIG),
                    ("jsonld", ox.RdfFormat.JSON_LD),
                )
                if key in paths
            ]
            serialise_to_all(
                (list(inner.quads_for_pattern(None, None, None, g)) for g in graphs),
                targets,
                prefixes,
            )
    finally:
        turtle.join()
    if failed:
        raise failed[0]


_END = object()


def serialise_to_all(
    chunks: Iterable[list], targets: list[tuple], prefixes: dict[str, str]
) -> None:
    """Write the quads of ``chunks`` to every ``(file, pyoxigraph format)`` target, reading
    them once.

    Each target's serialiser runs in a thread and takes the chunks from a short queue of its
    own; this thread reads. A serialiser that fails drains its queue, so reading never waits
    on it, and its error is raised here once every thread has finished.
    """
    import queue

    import pyoxigraph as ox

    queues: list[queue.Queue] = [queue.Queue(maxsize=8) for _ in targets]
    errors: list[BaseException] = []

    def serialise(chunk_queue: queue.Queue, fh, rdf_format) -> None:  # noqa: ANN001
        ended = False

        def quads() -> Iterable:
            nonlocal ended
            while (chunk := chunk_queue.get()) is not _END:
                yield from chunk
            ended = True

        try:
            ox.serialize(quads(), fh, rdf_format, prefixes=prefixes)
        except BaseException as exc:
            errors.append(exc)
            while not ended and chunk_queue.get() is not _END:
                pass

    threads = [
        threading.Thread(target=serialise, args=(q, fh, fmt), name=f"aigraph-publish-{i}")
        for i, (q, (fh, fmt)) in enumerate(zip(queues, targets, strict=True))
    ]
    for thread in threads:
        thread.start()
    try:
        for chunk in chunks:
            if errors:
                break
            for chunk_queue in queues:
                chunk_queue.put(chunk)
    finally:
        for chunk_queue in queues:
            chunk_queue.put(_END)
        for thread in threads:
            thread.join()
    if errors:
        raise errors[0]


__all__ = [
    "CANONICAL_MAX_QUADS",
    "JSONLD_MAX_QUADS",
    "PREFIXES",
    "compact",
    "jsonld_text",
    "nquads_text",
    "publish",
    "term_text",
    "trig_text",
    "turtle_text",
]
