"""The commands ``aigraph extract``, ``aigraph eval`` and ``aigraph build`` (CliRunner)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aigraph.cli import app, main
from conftest import SEEDS, SHARED

runner = CliRunner()
GOLD = SHARED / "eval" / "seeds.gold.jsonl"
#: The development gold sits beside the repository (../shared), not in it: a checkout
#: elsewhere skips the tests that score against it, as tests/test_evaluate.py does.
needs_gold = pytest.mark.skipif(
    not GOLD.exists(), reason="shared/eval/seeds.gold.jsonl not present"
)
INVENTED = "成都星辰智算股份有限公司落户成都天府软件园，聚焦人工智能、集成电路等领域。"


@pytest.fixture(scope="module")
def two_seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("two_seeds")
    for seed in sorted(SEEDS.glob("*.txt"))[1:3]:
        shutil.copy(seed, d / seed.name)
    return d


@pytest.fixture(scope="module")
def invented(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("invented") / "chengdu.txt"
    path.write_text(INVENTED, encoding="utf-8")
    return path


def _main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, *args: str
) -> tuple[int, str, str]:
    """Run the console entry point (which turns AigraphError into one line and exit 1)."""
    monkeypatch.setattr(sys, "argv", ["aigraph", *args])
    with pytest.raises(SystemExit) as info:
        main()
    out = capsys.readouterr()
    code = info.value.code if isinstance(info.value.code, int) else 1
    return code, out.out, out.err


def test_extract_jsonl_to_stdout(invented: Path) -> None:
    result = runner.invoke(app, ["extract", str(invented)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(records) == 1
    rec = records[0]
    assert rec["doc"] == "chengdu.txt" and set(rec) == {"doc", "entities", "relations", "facts"}
    names = {(e["name"], e["type"]) for e in rec["entities"]}
    assert ("成都星辰智算股份有限公司", "Firm") in names and ("成都天府软件园", "Park") in names
    assert {
        "head": "成都星辰智算股份有限公司",
        "relation": "locatedIn",
        "tail": "成都天府软件园",
    }.items() <= next(
        r
        for r in rec["relations"]
        if r["relation"] == "locatedIn" and r["head"].startswith("成都星辰")
    ).items()
    assert "1 articles extracted, 0 files skipped" in result.stderr


def test_extract_table_format(invented: Path) -> None:
    result = runner.invoke(app, ["extract", str(invented), "--format", "table"])
    assert result.exit_code == 0
    assert result.stdout.startswith("== chengdu.txt:")
    assert "Firm" in result.stdout and "--locatedIn-->" in result.stdout


def test_extract_to_file(invented: Path, two_seeds: Path, tmp_path: Path) -> None:
    out = tmp_path / "pred.jsonl"
    result = runner.invoke(app, ["extract", str(invented), str(two_seeds), "-o", str(out)])
    assert result.exit_code == 0
    assert result.stdout.strip() == ""
    lines = out.read_text(encoding="utf-8").splitlines()
    # one line an article, in sorted path order
    paths = sorted([invented, *two_seeds.iterdir()])
    assert [json.loads(line)["doc"] for line in lines] == [p.name for p in paths]


def test_extract_bad_format_is_rejected(invented: Path) -> None:
    result = runner.invoke(app, ["extract", str(invented), "--format", "xml"])
    assert result.exit_code != 0 and "jsonl or table" in result.output


def test_extract_skips_bad_file_and_exits_1_when_nothing_read(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = runner.invoke(app, ["extract", str(tmp_path)])
    assert result.exit_code == 1
    assert "skipped" in result.stderr and "empty.txt" in result.stderr


def test_extract_missing_path_is_one_line_exit_1(monkeypatch, capsys, tmp_path: Path) -> None:
    code, out, err = _main(monkeypatch, capsys, "extract", str(tmp_path / "nope.txt"))
    assert code == 1 and out == ""
    assert err.startswith("aigraph: error:") and len(err.strip().splitlines()) == 1
    assert "nope.txt" in err


@needs_gold
def test_eval_prints_the_table(two_seeds: Path) -> None:
    result = runner.invoke(app, ["eval", str(GOLD), str(two_seeds)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["P", "R", "F1", "tp", "pred", "gold"]
    assert any(line.startswith("ENTITIES") for line in lines)
    assert any(line.startswith("FACTS") for line in lines)
    # documents of the gold file without a prediction are named
    assert "no prediction for:" in result.stdout


@needs_gold
def test_eval_json(two_seeds: Path) -> None:
    result = runner.invoke(app, ["eval", str(GOLD), str(two_seeds), "--json"])
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["documents"] == 5 and len(report["missing_predictions"]) == 3
    assert 0 < report["entities"]["f1"] <= 1


def test_eval_malformed_gold_is_one_line_exit_1(
    monkeypatch, capsys, tmp_path: Path, invented: Path
) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"doc": "chengdu.txt", "entities": []}\n{oops\n', encoding="utf-8")
    code, out, err = _main(monkeypatch, capsys, "eval", str(gold), str(invented))
    assert code == 1 and out == ""
    assert err.startswith("aigraph: error:") and len(err.strip().splitlines()) == 1
    assert "gold.jsonl:2" in err


def test_eval_missing_path_is_one_line_exit_1(monkeypatch, capsys, tmp_path: Path) -> None:
    code, _, err = _main(monkeypatch, capsys, "eval", str(GOLD), str(tmp_path / "nowhere"))
    assert code == 1 and err.startswith("aigraph: error:") and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("command", ["extract", "eval", "build"])
def test_help_has_an_example(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.stdout


def test_build_twice_changes_nothing(two_seeds: Path, tmp_path: Path) -> None:
    store, out = tmp_path / "store", tmp_path / "out"
    args = ["build", str(two_seeds), "--store", str(store), "--out", str(out), "--name", "kg"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "2 articles read (2 added or changed, 0 unchanged), 0 files skipped" in first.stdout
    assert "entities in the store:" in first.stdout and "relations in the store:" in first.stdout
    published = sorted(p.name for p in out.iterdir())
    assert published == ["kg.html", "kg.jsonld", "kg.trig", "kg.ttl"]
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert all(before.values())

    second = runner.invoke(app, args)
    assert second.exit_code == 0, second.output
    assert "2 articles read (0 added or changed, 2 unchanged)" in second.stdout
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before
