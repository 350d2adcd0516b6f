"""Every command explains itself with an example; errors are one line with exit code 1."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from aigraph.cli import app

COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands)


def test_all_the_commands_are_there() -> None:
    assert {
        "ingest",
        "extract",
        "eval",
        "build",
        "validate",
        "remove",
        "query",
        "serve",
        "push",
        "analyze",
        "export",
    } <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_an_example(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output, result.output


def test_top_level_help_has_an_example() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "Example" in result.output


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "aigraph", "--help"], capture_output=True, text=True
    )
    assert done.returncode == 0
    assert "build" in done.stdout


def test_an_aigraph_error_is_one_line_and_exit_1(tmp_path) -> None:
    missing = tmp_path / "nowhere"
    done = subprocess.run(
        [sys.executable, "-m", "aigraph", "query", "city_cooperation", "--store", str(missing)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("aigraph: error:"), done.stderr
    assert "Traceback" not in done.stderr
