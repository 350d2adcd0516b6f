"""The main job: read → extract → map → store → analyse → publish, for a folder of articles.

``aigraph build`` is a thin layer over :func:`build`; a notebook calls the same function.

Examples
--------
>>> summary = build(["seeds"], store_dir=Path(tempfile.mkdtemp()) / "store",
...                 out_dir=Path(tempfile.mkdtemp()), name="seeds")  # doctest: +SKIP
>>> summary.articles  # doctest: +SKIP
5
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import importlib.metadata
import itertools
import json
import os
import shutil
import sys
import tempfile
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path

from .config import Settings
from .errors import IngestError, StoreError
from .ingest import find_article_files, read_article
from .records import Article, BatchReport, Extraction, Skipped

#: Default input of ``aigraph build``: the project's seed articles.
DEFAULT_INPUT = Path("seeds")

#: From this many entities the build draws the explorer in a second process while it
#: publishes (below, starting the process costs more than drawing the page).
PARALLEL_EXPLORER_MIN_ENTITIES = 1000


#: Python's collector thresholds during a build: a collection of the youngest objects every
#: 50,000 allocations instead of 700, and of all of them 2,000 times less often. A build makes
#: tens of millions of small objects that live until the bulk writer takes them (quads,
#: extraction records), and the default thresholds walked them again and again: a third of
#: a 300-article build's time (61 s with the defaults, 43 s with these, 42 s with no
#: collection at all). Reference cycles are still collected.
BUILD_GC_THRESHOLDS = (50_000, 20, 100)


@contextlib.contextmanager
def fewer_collections(thresholds: tuple[int, int, int] = BUILD_GC_THRESHOLDS) -> Iterator[None]:
    """Run a block with Python's garbage collector triggered less often (see
    :data:`BUILD_GC_THRESHOLDS`), restoring the thresholds after it.

    >>> import gc
    >>> before = gc.get_threshold()
    >>> with fewer_collections():
    ...     gc.get_threshold()
    (50000, 20, 100)
    >>> gc.get_threshold() == before
    True
    """
    before = gc.get_threshold()
    gc.set_threshold(*thresholds)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@dataclass
class BuildSummary:
    """What a build did, for the closing summary."""

    articles: int = 0
    added: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    entities_by_type: Counter = field(default_factory=Counter)
    relations_by_type: Counter = field(default_factory=Counter)
    facts: int = 0
    written: list[Path] = field(default_factory=list)
    store_dir: Path | None = None
    notes: list[str] = field(default_factory=list)

    def text(self) -> str:
        """A readable multi-line summary."""
        lines = [
            f"{self.articles} articles read ({self.added} added or changed, {self.unchanged} unchanged), "
            f"{len(self.skipped)} files skipped",
        ]
        if self.entities_by_type:
            total = sum(self.entities_by_type.values())
            parts = ", ".join(f"{k} {v}" for k, v in sorted(self.entities_by_type.items()))
            lines.append(f"entities in the store: {total} ({parts})")
        if self.relations_by_type:
            total = sum(self.relations_by_type.values())
            parts = ", ".join(f"{k} {v}" for k, v in sorted(self.relations_by_type.items()))
            lines.append(f"relations in the store: {total} ({parts})")
        lines.append(f"facts (observations) in the store: {self.facts}")
        for s in self.skipped:
            lines.append(f"skipped {s.path}: {s.reason}")
        if self.store_dir is not None:
            lines.append(f"store: {self.store_dir}")
        for p in self.written:
            lines.append(f"wrote {p}")
        lines.extend(self.notes)
        return "\n".join(lines)


# --------------------------------------------------------------------------------------
# Extraction, in this process or in worker processes
# --------------------------------------------------------------------------------------


def _read_one(path: str, settings: Settings) -> Article | Skipped:
    try:
        return read_article(path, settings)
    except IngestError as exc:
        reason = exc.reason + (f" ({exc.detail})" if exc.detail else "")
        return Skipped(path=Path(path).as_posix(), reason=reason)


def extract_files(
    paths: Sequence[str | Path],
    settings: Settings | None = None,
    report: BatchReport | None = None,
    jobs: int = 1,
    progress: Callable[[str], None] | None = None,
) -> Iterator[Extraction]:
    """Extract every article under ``paths``, in sorted path order, with ``jobs`` processes.

    Files that cannot be read are recorded in ``report.skipped`` and the batch goes on. The
    output is the same whatever ``jobs`` is: workers only change how fast it arrives.
    """
    settings = settings or Settings()
    report = report if report is not None else BatchReport()
    files = [str(p) for p in find_article_files(paths)]
    if jobs <= 1 or len(files) < 2:
        results = (result for task in _tasks(files) for result in _extract_task(task, settings))
        yield from _collect(results, files, report, progress)
        return
    # Build the pipeline before the workers start: forked workers share it instead of each
    # spending seconds loading the gazetteers and jieba's dictionary again.
    from .nlp import get_nlp
    from .recognise import warm_up

    get_nlp()
    warm_up()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from _collect(_in_order(pool, files, settings, jobs), files, report, progress)


#: Files a worker extracts per task, and tasks per worker sent ahead of the one being
#: consumed. ``Executor.map`` sent every task at once: when storing is slower than extracting
#: (it is, from a few hundred articles on) finished extractions piled up in the building
#: process, most of its memory at 10,000 articles. This window holds at most
#: ``jobs * WINDOW_TASKS * TASK_FILES`` of them.
TASK_FILES = 16
WINDOW_TASKS = 4


def _tasks(files: list[str]) -> list[list[str]]:
    """``files`` in tasks of :data:`TASK_FILES`, in order."""
    return [files[i : i + TASK_FILES] for i in range(0, len(files), TASK_FILES)]


def _extract_task(paths: list[str], settings: Settings) -> list[Extraction | Skipped]:
    """Read and extract ``paths`` (in a worker process with ``--jobs``): the files that read
    are extracted as one batch (:data:`aigraph.extract.BATCH_SIZE`), in order."""
    from .extract import extract_articles

    read = [_read_one(path, settings) for path in paths]
    extracted = iter(extract_articles([r for r in read if not isinstance(r, Skipped)]))
    return [r if isinstance(r, Skipped) else next(extracted) for r in read]


def _in_order(
    pool: ProcessPoolExecutor, files: list[str], settings: Settings, jobs: int
) -> Iterator[Extraction | Skipped]:
    """The results of ``files`` in their order, a bounded window of tasks ahead."""
    tasks = iter(_tasks(files))
    window: deque = deque(
        pool.submit(_extract_task, task, settings)
        for task in itertools.islice(tasks, jobs * WINDOW_TASKS)
    )
    while window:
        done = window.popleft().result()
        following = next(tasks, None)
        if following is not None:
            window.append(pool.submit(_extract_task, following, settings))
        yield from done


def _collect(results, files, report: BatchReport, progress) -> Iterator[Extraction]:
    for path, result in zip(files, results, strict=True):
        if progress:
            progress(path)
        if isinstance(result, Skipped):
            report.skipped.append(result)
            continue
        report.articles += 1
        yield result


def default_jobs() -> int:
    """Worker processes to use by default: one per core, at most 8."""
    return max(1, min(8, os.cpu_count() or 1))


# --------------------------------------------------------------------------------------
# What a rebuild can skip
# --------------------------------------------------------------------------------------

#: The libraries whose versions change what is extracted or written.
_FINGERPRINT_PACKAGES = (
    "jieba",
    "spacy",
    "opencc-purepy",
    "pypinyin",
    "pyahocorasick",
    "pyoxigraph",
    "rdflib",
    "networkx",
    "igraph",
    "numpy",
    "scipy",
    "jinja2",
    "pyvis",
)


@functools.lru_cache(maxsize=1)
def _software_digest() -> str:
    """A digest of aigraph's own files (code, gazetteers, templates) and of the versions of
    the libraries it extracts and writes with. Any edit, not only a release, changes it."""
    digest = hashlib.sha256()
    root = Path(__file__).parent
    for path in sorted(root.rglob("*"), key=lambda p: p.as_posix()):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    for package in _FINGERPRINT_PACKAGES:
        try:
            version = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{package}={version}\0".encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def software_fingerprint(settings: Settings) -> str:
    """What an article's graph depends on besides the article: aigraph's files, its
    libraries' versions and the settings (folders left out: they do not change a graph).

    >>> software_fingerprint(Settings()) == software_fingerprint(Settings(store_dir=Path("x")))
    True
    >>> software_fingerprint(Settings()) == software_fingerprint(Settings(min_body_chars=5))
    False
    """
    fields = {k: v for k, v in asdict(settings).items() if not isinstance(v, Path)}
    text = json.dumps(fields, sort_keys=True, default=str)
    return hashlib.sha256(f"{_software_digest()}\0{text}".encode()).hexdigest()


def _already_stored(
    files: list[Path],
    versions: dict,
    written_by: dict,
    fingerprint: str,
    max_bytes: int,
) -> set[Path]:
    """The files the store holds unchanged, in a graph this same software wrote: nothing to
    extract (reading and comparing them again was most of an unchanged rebuild).

    ``versions``: the store's :meth:`~aigraph.store.Store.stored_versions`; ``written_by``:
    the software fingerprint of each article graph, from the store's extraction record.
    Files with the same bytes as another file of the build are always extracted: they share
    one graph (named by the content), and skipping whichever holds it now would let the other
    take it over on every build.
    """
    digests: dict[Path, str | None] = {}
    for path in files:
        held = versions.get(path.as_posix(), [])
        if len(held) == 1 and written_by.get(held[0][0]) == fingerprint:
            digests[path] = _file_digest(path, max_bytes)
    candidates = {p for p, d in digests.items() if d == versions[p.as_posix()][0][1]}
    if not candidates:
        return set()
    # the other files' contents, to find copies of a candidate among them
    seen = Counter(digests[p] if p in digests else _file_digest(p, max_bytes) for p in files)
    return {p for p in candidates if seen[digests[p]] == 1}


def _file_digest(path: Path, max_bytes: int) -> str | None:
    """The SHA-256 of a file's bytes, None when it is too large or cannot be read (reading
    it for extraction reports why)."""
    try:
        if path.stat().st_size > max_bytes:
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _record_extracted(store, written_by: dict, sources: set[str], fingerprint: str) -> None:  # noqa: ANN001
    """Record which software wrote each stored article graph: this one for the files this
    build stored or found unchanged, the earlier record's word for the others."""
    from .store import EXTRACTED_RECORD

    graphs = {}
    for source, held in store.stored_versions().items():
        for graph, _ in held:
            if source in sources:
                graphs[graph] = fingerprint
            elif graph in written_by:
                graphs[graph] = written_by[graph]
    store.write_record(EXTRACTED_RECORD, {"graphs": dict(sorted(graphs.items()))})


def _file_stamps(paths: Sequence[Path]) -> dict[str, list[int]] | None:
    stamps = {}
    for path in paths:
        try:
            stat = Path(path).stat()
        except OSError:
            return None
        stamps[Path(path).resolve().as_posix()] = [stat.st_size, stat.st_mtime_ns]
    return stamps


# --------------------------------------------------------------------------------------
# The build
# --------------------------------------------------------------------------------------


@fewer_collections()
def build(
    paths: Sequence[str | Path] | None = None,
    settings: Settings | None = None,
    store_dir: Path | None = None,
    out_dir: Path | None = None,
    name: str | None = None,
    jobs: int = 1,
    analyse: bool = True,
    explorer: bool = True,
    progress: Callable[[str], None] | None = None,
    jsonld: bool | None = None,
) -> BuildSummary:
    """Build (or grow) the store from ``paths`` and publish the graph.

    Parameters
    ----------
    paths
        Article files or folders; ``seeds/`` when omitted.
    store_dir
        The persistent store (``Settings.store_dir`` by default). A file it already holds,
        byte for byte, in a graph written by this same software (see
        :func:`software_fingerprint`) is not extracted again; a changed one replaces its
        graph. When the store does not change and the files published from it last time,
        with the same options, are still there untouched, they are kept as they are: the
        analysis and the publishing would give the same bytes.
    out_dir, name
        Where to publish ``{name}.trig``, ``{name}.ttl``, ``{name}.jsonld`` and
        ``{name}.html`` (the explorer): ``graphs/`` and ``seeds`` by default.
    jobs
        Worker processes for extraction.
    analyse
        Run the network analysis and store its results (centralities, communities) so the
        published graph and the explorer carry them.
    jsonld
        Write ``{name}.jsonld``: always (True), never (False), or when the graph has at most
        :data:`aigraph.publish.JSONLD_MAX_QUADS` quads (None, the default).
    """
    from .publish import JSONLD_MAX_QUADS, publish
    from .store import EXTRACTED_RECORD, PUBLISHED_RECORD, open_store

    settings = settings or Settings()
    paths = list(paths) if paths else [DEFAULT_INPUT]
    store_dir = Path(store_dir or settings.store_dir)
    out_dir = Path(out_dir or settings.graphs_dir)
    name = name or ("seeds" if [Path(p) for p in paths] == [DEFAULT_INPUT] else "graph")
    summary = BuildSummary(store_dir=store_dir)
    report = BatchReport()
    fingerprint = software_fingerprint(settings)
    files = find_article_files(paths)
    with open_store(store_dir, create=True, settings=settings) as store:
        written_by = store.read_record(EXTRACTED_RECORD).get("graphs")
        if not isinstance(written_by, dict):  # none, or not written by this code
            written_by = {}
        published_before = store.read_record(PUBLISHED_RECORD)
        unchanged = _already_stored(
            files, store.stored_versions(), written_by, fingerprint, settings.max_file_bytes
        )
        stored_sources = {path.as_posix() for path in unchanged}
        if progress:
            for path in files:
                if path in unchanged:
                    progress(str(path))
        to_extract = [path for path in files if path not in unchanged]
        with store.batch():
            extracted = (
                extract_files(to_extract, settings, report, jobs=jobs, progress=progress)
                if to_extract
                else ()
            )
            for ex in extracted:
                stored_sources.add(ex.article.source)
                if store.replace_article(ex):
                    summary.added += 1
                else:
                    summary.unchanged += 1
        summary.unchanged += len(unchanged)
        summary.articles = report.articles + len(unchanged)
        summary.skipped = list(report.skipped)
        _record_extracted(store, written_by, stored_sources, fingerprint)
        this_build = {
            "software": fingerprint,
            "out": out_dir.resolve().as_posix(),
            "name": name,
            "analyse": bool(analyse and summary.articles),  # what ran, not what was asked
            "explorer": explorer,
            "jsonld": jsonld,
        }
        files_before = published_before.get("files") or {}
        if (
            not store.changed
            and published_before.get("build") == this_build
            and files_before
            and _file_stamps([Path(f) for f in files_before]) == files_before
        ):
            # the store is what it was when these files were written from it: analysing and
            # publishing again would give the same bytes (minutes for thousands of articles)
            _restore_counts(summary, published_before.get("counts")) or _count(store, summary)
            names = ", ".join(Path(f).name for f in sorted(files_before))
            summary.notes.append(
                f"the store has not changed since {names} were written: they are up to date"
            )
            summary.notes.extend(_explorer_note(explorer, sum(summary.entities_by_type.values())))
            return summary
        if analyse and summary.articles:
            summary.notes.extend(_analyse_into(store, settings))
        _count(store, summary)
        entities = sum(summary.entities_by_type.values())
        html, title = out_dir / f"{name}.html", f"aigraph: {name}"
        # A large graph's explorer is drawn in a second process, from a snapshot of the store,
        # while this one publishes: drawing is Python work and publishing is mostly Oxigraph
        # reading its store, so on two cores the page costs no time (1,000 articles: 55 s).
        # A small one is drawn here: starting a process costs more than it saves.
        drawing = snapshot = None
        if explorer and entities >= PARALLEL_EXPLORER_MIN_ENTITIES:
            # not the live store: opening it read-only while this process still compacts it is
            # undefined, and failed a 10,000-article build (files deleted under the reader)
            snapshot = Path(tempfile.mkdtemp(prefix=".explorer-snapshot-", dir=store_dir.parent))
            try:
                store.snapshot(snapshot / "store")
            except StoreError as exc:  # no room for it, say: the page is drawn here instead
                shutil.rmtree(snapshot, ignore_errors=True)
                snapshot = None
                summary.notes.append(f"explorer drawn after publishing: {exc}")
            else:
                drawing = ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"))
                page = drawing.submit(_draw_explorer, snapshot / "store", html, settings, title)
        try:
            written = publish(store, out_dir, name, jsonld=jsonld)
            summary.written.extend(sorted(written.values()))
            if jsonld is None and "jsonld" not in written:
                summary.notes.append(
                    f"JSON-LD not written: the graph has more than {JSONLD_MAX_QUADS:,} quads "
                    f"and a JSON-LD file is read whole; {name}.trig holds the same dataset "
                    "(`aigraph build --jsonld` writes it anyway)"
                )
            if drawing is not None:
                summary.written.extend(page.result())
            elif explorer:
                from .explorer import write_explorer

                summary.written.extend(write_explorer(store, html, seed=settings.seed, title=title))
        finally:
            if drawing is not None:
                drawing.shutdown(cancel_futures=True)
            if snapshot is not None:
                shutil.rmtree(snapshot, ignore_errors=True)
        stamps = _file_stamps(summary.written)
        if stamps:
            counts = {
                "entities": dict(summary.entities_by_type),
                "relations": dict(summary.relations_by_type),
                "facts": summary.facts,
            }
            store.write_record(
                PUBLISHED_RECORD, {"build": this_build, "files": stamps, "counts": counts}
            )
        summary.notes.extend(_explorer_note(explorer, entities))
    return summary


def _explorer_note(explorer: bool, entities: int) -> list[str]:
    from .explorer import EXPLORER_MAX_NODES

    if explorer and entities > EXPLORER_MAX_NODES:
        return [
            f"explorer: the {EXPLORER_MAX_NODES:,} most central of {entities:,} entities; "
            "write one of any part with `aigraph export --place … --format html` or "
            "`--ego … --radius 2`"
        ]
    return []


@fewer_collections()
def _draw_explorer(store_dir: Path, html: Path, settings: Settings, title: str) -> list[Path]:
    """Write the explorer of the store at ``store_dir`` (run in a worker process)."""
    from .explorer import write_explorer
    from .store import open_store

    with open_store(store_dir, read_only=True, settings=settings) as store:
        return write_explorer(store, html, seed=settings.seed, title=title)


def _analyse_into(store, settings: Settings) -> list[str]:
    """Analyse the whole graph and store the results as the analysis named graph."""
    from .analysis import AnalysisOptions, analyse
    from .analysis.results import analysis_triples

    result = analyse(store, AnalysisOptions(projection="all", seed=settings.seed))
    store.write_analysis(analysis_triples(result))
    modularity = result.communities.modularity
    return [
        f"analysis: {len(result.communities.communities)} communities"
        + (f", modularity {modularity:.3f}" if modularity is not None else "")
    ]


def _count(store, summary: BuildSummary) -> None:
    from .records import ENTITY_TYPES, RELATION_TYPES

    for etype in ENTITY_TYPES:
        n = _scalar(
            store,
            f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a <https://w3id.org/aigraph/ontology#{etype}> }}",
        )
        if n:
            summary.entities_by_type[etype] = n
    for rel in RELATION_TYPES:
        n = _scalar(
            store,
            "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a <https://w3id.org/aigraph/ontology#RelationStatement> ; "
            f"<https://w3id.org/aigraph/ontology#relation> <https://w3id.org/aigraph/ontology#{rel}> }}",
        )
        if n:
            summary.relations_by_type[rel] = n
    summary.facts = _scalar(
        store,
        "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a <https://w3id.org/aigraph/ontology#Observation> }",
    )


def _restore_counts(summary: BuildSummary, counts: object) -> bool:
    """The summary's counts from the published record (the store has not changed since they
    were counted: 10 s at 10,000 articles); False when the record has none."""
    try:
        entities, relations = dict(counts["entities"]), dict(counts["relations"])  # type: ignore[index]
        facts = int(counts["facts"])  # type: ignore[index]
    except (TypeError, KeyError, ValueError):
        return False
    summary.entities_by_type.update({str(k): int(v) for k, v in entities.items()})
    summary.relations_by_type.update({str(k): int(v) for k, v in relations.items()})
    summary.facts = facts
    return True


def _scalar(store, sparql: str) -> int:
    for row in store.query(sparql):
        return int(row[0])
    return 0
