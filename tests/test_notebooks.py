"""The notebooks: committed without outputs, and they run top to bottom without an error.

The kernel is ``python3`` as the current environment provides it (ipykernel's own spec in the
virtual environment, which starts ``sys.executable``): nothing is registered globally. Each
notebook runs in ``notebooks/`` as its working folder, like a researcher opening it there.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
NAMES = ("walkthrough.ipynb", "evaluate.ipynb")
#: Per-cell limit; the walkthrough's build of the five seeds is the slowest cell.
CELL_TIMEOUT_S = 600


def _notebook(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / name, as_version=4)


def test_both_notebooks_exist_and_are_valid():
    for name in NAMES:
        book = _notebook(name)
        nbformat.validate(book)
        assert any(c.cell_type == "code" for c in book.cells), name


@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_has_no_outputs(name):
    raw = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))
    for index, cell in enumerate(raw["cells"]):
        if cell["cell_type"] != "code":
            continue
        assert cell.get("outputs") == [], f"{name} cell {index} carries outputs"
        assert cell.get("execution_count") is None, f"{name} cell {index} has an execution count"
    assert "widgets" not in raw.get("metadata", {}), f"{name} carries widget state"


def _run(name: str, scratch: Path) -> nbformat.NotebookNode:
    """Run a notebook; its kernel makes its temporary folders under ``scratch``.

    (The notebooks keep their work in ``tempfile.mkdtemp()``, so a researcher can look at it
    afterwards; a test run must not leave one behind in the system's temporary folder.)
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    book = _notebook(name)
    client = NotebookClient(
        book,
        timeout=CELL_TIMEOUT_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
        allow_errors=False,
    )
    try:
        with pytest.MonkeyPatch.context() as env:
            env.setenv("TMPDIR", str(scratch))  # the kernel process inherits it
            client.execute()
    except CellExecutionError as exc:  # show the cell's traceback, not nbclient's
        pytest.fail(f"{name} failed:\n{exc}")
    return book


def _errors(book: nbformat.NotebookNode) -> list[str]:
    return [
        f"{out.get('ename')}: {out.get('evalue')}"
        for cell in book.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]


def _text(book: nbformat.NotebookNode) -> str:
    parts = []
    for cell in book.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append(out.get("text", ""))
            data = out.get("data", {})
            parts.append(data.get("text/plain", ""))
            parts.append(data.get("text/markdown", ""))
    return "\n".join(parts)


def _has_image(book: nbformat.NotebookNode) -> int:
    return sum(
        1
        for cell in book.cells
        for out in cell.get("outputs", [])
        if "image/png" in out.get("data", {})
    )


@pytest.mark.slow
def test_walkthrough_runs_top_to_bottom(tmp_path):
    book = _run("walkthrough.ipynb", tmp_path)
    assert _errors(book) == []
    assert list(tmp_path.glob("aigraph-notebook-*")), "its work stays in the test's folder"
    text = _text(book)
    # The build summary, a saved question's answer and the park's metrics all reached the page.
    assert "articles read" in text
    assert "== parks_in_place" in text
    assert "revenue" in text
    assert _has_image(book) >= 3, "the centrality, community and metric charts"
    html_outputs = [
        out["data"]["text/html"]
        for cell in book.cells
        for out in cell.get("outputs", [])
        if "text/html" in out.get("data", {})
    ]
    assert any("<iframe srcdoc=" in h for h in html_outputs), "the explorer is shown inline"


@pytest.mark.slow
def test_evaluate_runs_and_scores(tmp_path):
    book = _run("evaluate.ipynb", tmp_path)
    assert _errors(book) == []
    assert list(tmp_path.glob("aigraph-notebook-*")), "its work stays in the test's folder"
    text = _text(book)
    assert "ENTITIES" in text and "RELATIONS" in text and "FACTS" in text
    assert "| entity: " in text, "the per-type table"
    assert _has_image(book) >= 1, "the bar chart"


def test_kernel_is_this_environment():
    """The ``python3`` kernel nbclient starts is this interpreter's, not a global one."""
    from jupyter_client import KernelManager

    command = KernelManager(kernel_name="python3").format_kernel_cmd()
    # jupyter_client turns a spec's bare "python" into sys.executable; a global spec would name
    # another interpreter.
    assert Path(command[0]) == Path(sys.executable), command
    assert command[1:3] == ["-m", "ipykernel_launcher"], command
