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


def main() -> None:
    """Console entry point: run the app, turning aigraph errors into one line and exit 1."""
    try:
        app()
    except AigraphError as exc:
        _err(f"aigraph: error: {exc}")
        sys.exit(1)


__all__ = ["app", "main", "Settings"]
