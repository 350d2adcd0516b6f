"""The command line: a thin layer over the library.

Each command parses its arguments, calls one library function and prints. Any
:class:`aigraph.errors.AigraphError` becomes a one-line message on stderr and exit code 1.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .config import Settings
from .errors import AigraphError

app = typer.Typer(
    name="aigraph",
    help=(
        "Build an evidence-backed knowledge graph of AI industrial parks, firms, policies and "
        "platforms from Chinese news and policy articles.\n\n"
        "Example:\n\n"
        "    aigraph build seeds/\n\n"
        "    aigraph query --list"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _err(message: str) -> None:
    typer.echo(message, err=True)


PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(help="Article files or folders (searched recursively for .txt .md .html .htm)."),
]


# ---------------------------------------------------------------------------------------
# Commands. Each is short: parse, call the library, print.
# ---------------------------------------------------------------------------------------


@app.command()
def analyze(
    projection: Annotated[
        str,
        typer.Option(
            help="all, colocation, cooperation, policy, firm-park, policy-park, or a "
            "one-mode view: firm-park:firms, firm-park:parks, policy-park:policies, "
            "policy-park:parks."
        ),
    ] = "all",
    top: Annotated[int, typer.Option(min=1, help="Rows per ranking table.")] = 10,
    out: Annotated[
        Path, typer.Option(help="Folder for report.md, CSV tables and PNG charts.")
    ] = Path("analysis"),
    store: Annotated[
        Path | None, typer.Option(help="Store folder (default .aigraph/store).")
    ] = None,
    graph: Annotated[
        Path | None,
        typer.Option(
            help="Analyse an RDF file (.trig .ttl .nt .nq) instead of the store; "
            "nothing is written back."
        ),
    ] = None,
) -> None:
    """Centralities per entity type, Louvain communities and brokers of a network projection.

    Prints the rankings and communities, writes OUT/report.md with CSV tables and PNG charts,
    and stores the scores and communities as the analysis named graph.

    Example:

        aigraph analyze --projection colocation --top 5 --out analysis/

        aigraph analyze --graph graphs/seeds.trig --projection firm-park:firms
    """
    from .analysis import AnalysisOptions, run_analysis

    settings = Settings()
    options = AnalysisOptions(projection=projection, top=top, seed=settings.seed)
    run = run_analysis(
        options, out, store_dir=None if graph else (store or settings.store_dir), graph_file=graph
    )
    typer.echo(run.text, nl=False)
    where = "the store's analysis graph and " if run.stored else ""
    typer.echo(f"\nwrote {where}{len(run.files)} files to {out}/")


@app.command()
def ingest(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Article files or folders (searched recursively for .txt .md .html .htm)."
        ),
    ],
    show: Annotated[bool, typer.Option("--show", help="Print each clean body.")] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the records as JSON Lines.")
    ] = False,
    offsets: Annotated[
        bool, typer.Option("--offsets", help="With --json: include the body-to-original offsets.")
    ] = False,
) -> None:
    """Read and clean article files: one line per article, or the clean bodies, or JSON.

    Bad files are reported on stderr, one line each, and the rest are read; the exit code is
    1 when no article could be read.

    Example:

        aigraph ingest seeds/

        aigraph ingest seeds/000_5fbfcb4e14e682fa.txt --show

        aigraph ingest page.html --json
    """
    from .ingest import article_json, article_summary, read_articles
    from .records import BatchReport

    report = BatchReport()
    for article in read_articles(paths, Settings(), report):
        if as_json:
            typer.echo(article_json(article, offsets=offsets))
        else:
            typer.echo(article_summary(article))
            if show:
                typer.echo(article.body + "\n")
    for skipped in report.skipped:
        _err(f"skipped {skipped.path}: {skipped.reason}")
    _err(f"{report.articles} articles read, {len(report.skipped)} files skipped")
    if report.articles == 0:
        raise typer.Exit(1)


@app.command()
def validate(
    store: Annotated[
        Path | None, typer.Option(help="Store folder (default .aigraph/store).")
    ] = None,
) -> None:
    """Check the built graph against the SHACL shapes (ontology/shapes.ttl).

    Prints one line per violation (focus node label and IRI, property, message) and exits
    with 1 when there is any.

    Example:

        aigraph validate

        aigraph validate --store /tmp/kg/store
    """
    from .validation import validate_store

    report = validate_store(store or Settings().store_dir)
    typer.echo(report.text())
    if not report.conforms:
        raise typer.Exit(1)


@app.command()
def remove(
    article: Annotated[str, typer.Argument(help="File name, source path or SHA-256 (prefix).")],
    store: Annotated[
        Path | None, typer.Option(help="Store folder (default .aigraph/store).")
    ] = None,
) -> None:
    """Take one article's graph out of the store and re-merge the entities it mentioned.

    Example:

        aigraph remove 002_e8f21e8878007edf.txt

        aigraph remove e8f21e88 --store /tmp/kg/store
    """
    from .store import remove_from_store

    removed = remove_from_store(store or Settings().store_dir, article)
    typer.echo(f"removed {removed.doc} ({removed.sha256[:16]}) from the store")


@app.command()
def query(
    name: Annotated[
        str | None, typer.Argument(help="A saved question's name or a .rq file.")
    ] = None,
    sparql: Annotated[str | None, typer.Option(help="SPARQL text instead of NAME.")] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(help="NAME=VALUE, repeatable; entity names in Chinese, pinyin or English."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, tsv, json or srj.")] = "table",
    store: Annotated[
        Path | None, typer.Option(help="Store folder (default .aigraph/store) or an RDF file.")
    ] = None,
    endpoint: Annotated[
        str | None, typer.Option(help="Run on a remote SPARQL 1.1 query endpoint instead.")
    ] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the saved questions.")] = False,
) -> None:
    """Ask the graph a saved question (or your own SPARQL); parameters are bound, never pasted.

    Queries that reach outside the graph (SERVICE, LOAD, updates, FROM <file:...>) are refused.

    Example:

        aigraph query --list

        aigraph query firms_in_park --param park=苏州工业园区

        aigraph query parks_in_place --param place=Anhui --format csv

        aigraph query --sparql "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

        aigraph query city_cooperation --endpoint http://127.0.0.1:7878/query
    """
    from .queries import answer, describe_queries

    if list_:
        typer.echo(describe_queries())
        return
    typer.echo(answer(name, sparql, param or [], fmt, store, endpoint).rstrip("\n"))


@app.command()
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 7878,
    store: Annotated[
        Path | None, typer.Option(help="Store folder (default .aigraph/store) or an RDF file.")
    ] = None,
    timeout: Annotated[
        float, typer.Option(min=1, help="Seconds after which a query is stopped.")
    ] = 30.0,
) -> None:
    """Serve the graph as a read-only SPARQL 1.1 endpoint (updates are refused with 403).

    The server runs over a snapshot of the store, deleted when it stops (Ctrl-C).

    Example:

        aigraph serve --port 7878

        curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 3' http://127.0.0.1:7878/query
    """
    from .serve import serve as serve_graph

    serve_graph(
        store or Settings().store_dir, host=host, port=port, timeout_s=timeout, announce=typer.echo
    )


@app.command()
def push(
    endpoint: Annotated[
        str,
        typer.Option(help="The server's Graph Store Protocol URL, e.g. http://host:7878/store."),
    ],
    store: Annotated[
        Path | None, typer.Option(help="Store folder (default .aigraph/store) or a .trig file.")
    ] = None,
) -> None:
    """Upload every named graph to a SPARQL 1.1 server (Graph Store Protocol, one PUT each).

    PUT replaces each graph, so pushing again updates the server in place.

    Example:

        aigraph push --endpoint http://127.0.0.1:7878/store

        aigraph push --endpoint http://localhost:3030/aigraph/data --store graphs/seeds.trig
    """
    from .remote import push_path

    typer.echo(push_path(store or Settings().store_dir, endpoint).summary())


def _names(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


@app.command("export")
def export_command(
    output: Annotated[Path, typer.Argument(help="Output file; for CSV a folder or a prefix.")],
    store: Annotated[
        Path | None,
        typer.Option(help="Store folder (default .aigraph/store) or an RDF file (.trig .ttl ...)."),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="turtle, trig, nt, json-ld, graphml, gexf, csv or html; default: from OUTPUT's suffix.",
        ),
    ] = None,
    ego: Annotated[
        str | None,
        typer.Option(
            help="Keep the neighbourhood of this entity (Chinese, pinyin, English or alias)."
        ),
    ] = None,
    radius: Annotated[int, typer.Option(help="Hops around --ego.")] = 1,
    types: Annotated[
        str | None, typer.Option("--type", help="Entity types, comma-separated: Park,Firm")
    ] = None,
    relations: Annotated[
        str | None,
        typer.Option("--relation", help="Relations, comma-separated: locatedIn,supports"),
    ] = None,
    place: Annotated[
        str | None, typer.Option(help="A city, province or park: everything located in it.")
    ] = None,
    community: Annotated[
        int | None, typer.Option(help="Community index from `aigraph analyze`.")
    ] = None,
    article: Annotated[
        str | None, typer.Option(help="An article file: what it mentions and states.")
    ] = None,
    since: Annotated[int | None, typer.Option(help="Keep observations from this year on.")] = None,
    until: Annotated[int | None, typer.Option(help="Keep observations up to this year.")] = None,
    query: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            help="A SPARQL CONSTRUCT (.rq); keeps the entities it returns.",
        ),
    ] = None,
    min_evidence: Annotated[
        int, typer.Option(help="Relations need at least this many pieces of evidence.")
    ] = 0,
    size_by: Annotated[
        str | None,
        typer.Option(help="HTML: centrality sizing the nodes (pageRank, degree, betweenness ...)."),
    ] = None,
    title: Annotated[str | None, typer.Option(help="HTML: page title.")] = None,
) -> None:
    """Export part of the graph as RDF, GraphML/GEXF (Gephi), CSV tables or the offline HTML explorer.

    Filters combine (intersection; the ego network first).

    Example:

        aigraph export iflytek.html --ego 科大讯飞 --radius 2

        aigraph export hefei.gexf --place 合肥 --type Park,Firm

        aigraph export tables/ --relation locatedIn,supports --min-evidence 2
    """
    from .export import Selection, export_path

    selection = Selection(
        ego=ego, radius=radius, types=_names(types), relations=_names(relations), place=place,
        community=community, article=article, since=since, until=until,
        query=query.read_text(encoding="utf-8") if query else None, min_evidence=min_evidence,
    )  # fmt: skip
    result = export_path(
        store or Settings().store_dir, output, selection, fmt=fmt, size_by=size_by, title=title
    )
    paths = ", ".join(str(p) for p in result.paths)
    typer.echo(f"{result.format}: {result.nodes} entities, {result.edges} relations -> {paths}")


@app.command()
def build(
    paths: PathsArg = None,
    store: Annotated[
        Path | None, typer.Option(help="Store folder (default .aigraph/store).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Where to publish the graph (default graphs/).")
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(
            help="File name stem of the published graph (default: seeds for seeds/, else graph)."
        ),
    ] = None,
    jobs: Annotated[int, typer.Option(min=1, help="Worker processes for extraction.")] = 1,
    no_analysis: Annotated[
        bool, typer.Option("--no-analysis", help="Skip the network analysis.")
    ] = False,
    no_explorer: Annotated[
        bool, typer.Option("--no-explorer", help="Do not write the HTML explorer.")
    ] = False,
    jsonld: Annotated[
        bool | None,
        typer.Option(
            "--jsonld/--no-jsonld",
            help="Write the .jsonld always / never (default: for graphs up to 1,000,000 quads, "
            "about 200 articles).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """The main job: read, extract, map and store articles, then publish the graph.

    With no path it builds from seeds/ and publishes graphs/seeds.trig, .ttl, .jsonld and
    .html (the offline explorer). Re-running on the same files changes nothing and takes
    seconds: unchanged files are not extracted again, and an unchanged store is not
    analysed and published again. New articles add their graph and merge their entities
    into the store. Above about 200
    articles the JSON-LD is left out unless --jsonld is given (it is read whole; the .trig
    holds the same dataset).

    Example:

        aigraph build

        aigraph build my_articles/ --out out/ --name kg --jobs 2

        aigraph build big_corpus/ --jobs 2 --no-explorer --no-jsonld
    """
    from .ingest import find_article_files
    from .pipeline import build as run_build

    paths = paths or None
    files = find_article_files(paths or [Path("seeds")])
    with typer.progressbar(length=len(files), label="extracting", file=sys.stderr) as bar:
        summary = run_build(
            paths,
            Settings(),
            store_dir=store,
            out_dir=out,
            name=name,
            jobs=jobs,
            analyse=not no_analysis,
            explorer=not no_explorer,
            progress=lambda _p: bar.update(1),
            jsonld=jsonld,
        )
    typer.echo(summary.text())
    if summary.articles == 0:
        raise typer.Exit(1)


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Article files or folders.")],
    fmt: Annotated[
        str, typer.Option("--format", help="jsonl (the extraction contract) or table.")
    ] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.")
    ] = None,
    jobs: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
) -> None:
    """Extract entities, relations and facts, one JSON object per article (the contract format).

    Example:

        aigraph extract seeds/ --format jsonl -o predictions.jsonl

        aigraph extract seeds/002_e8f21e8878007edf.txt --format table
    """
    from .extract import contract_lines, extraction_table
    from .fsutil import atomic_write_text
    from .pipeline import extract_files, fewer_collections
    from .records import BatchReport

    if fmt not in ("jsonl", "table"):
        raise typer.BadParameter("--format must be jsonl or table")
    report = BatchReport()
    with fewer_collections():
        extractions = list(extract_files(paths, Settings(), report, jobs=jobs))
    text = (
        "\n".join(contract_lines(extractions)) if fmt == "jsonl" else extraction_table(extractions)
    )
    if output:
        atomic_write_text(output, text + "\n")
    else:
        typer.echo(text)
    for skipped in report.skipped:
        _err(f"skipped {skipped.path}: {skipped.reason}")
    _err(f"{report.articles} articles extracted, {len(report.skipped)} files skipped")
    if report.articles == 0:
        raise typer.Exit(1)


@app.command("eval")
def evaluate_command(
    gold: Annotated[Path, typer.Argument(help="Gold JSON Lines file (the extraction contract).")],
    paths: Annotated[list[Path], typer.Argument(help="The annotated articles (files or folders).")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the scores as one JSON object.")
    ] = False,
) -> None:
    """Extract the articles and print precision, recall and F1 against a gold file.

    Only the gold file's documents are scored (matched by file name).

    Example:

        aigraph eval ../shared/eval/seeds.gold.jsonl seeds/
    """
    import json

    from .evaluate import format_scores, load_jsonl, score
    from .extract import to_contract
    from .pipeline import extract_files

    gold_docs = load_jsonl(gold)
    pred = {ex.article.doc: to_contract(ex) for ex in extract_files(paths, Settings())}
    scores = score(gold_docs, pred)
    typer.echo(
        json.dumps(scores.to_dict(), ensure_ascii=False) if as_json else format_scores(scores)
    )


def main() -> None:
    """Console entry point: run the app, turning aigraph errors into one line and exit 1."""
    try:
        app()
    except AigraphError as exc:
        _err(f"aigraph: error: {exc}")
        sys.exit(1)


__all__ = ["app", "main", "Settings"]
