"""evaluate.py (issue 3): the package's scorer agrees with the shared ``score.py``.

Both are run on the same prediction file (the seeds' predictions) and on small generated
gold/prediction pairs, and their JSON reports are compared number for number.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aigraph.errors import GoldFileError
from aigraph.evaluate import format_scores, load_jsonl, score
from aigraph.extract import contract_lines, extract_article
from aigraph.fsutil import atomic_write_text
from aigraph.ingest import read_article
from conftest import SEEDS, SHARED

SCORE_PY = SHARED / "eval" / "score.py"
GOLD = SHARED / "eval" / "seeds.gold.jsonl"

pytestmark = pytest.mark.skipif(not SCORE_PY.exists(), reason="shared/eval/score.py not present")


@pytest.fixture(scope="module")
def score_py():
    spec = importlib.util.spec_from_file_location("shared_score", SCORE_PY)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def _reference(score_py, gold: Path, pred: Path) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        score_py.main([str(gold), str(pred), "--json"])
    return json.loads(out.getvalue())


def _ours(gold: Path, pred: Path) -> dict:
    return score(load_jsonl(gold), load_jsonl(pred)).to_dict()


def test_agrees_with_score_py_on_seed_predictions(score_py, nlp, tmp_path: Path) -> None:
    extractions = [extract_article(read_article(p), nlp) for p in sorted(SEEDS.glob("*.txt"))]
    pred = tmp_path / "pred.jsonl"
    atomic_write_text(pred, "\n".join(contract_lines(extractions)) + "\n")
    ours, reference = _ours(GOLD, pred), _reference(score_py, GOLD, pred)
    assert ours == reference
    assert ours["documents"] == 5 and ours["entities"]["gold"] > 100


def test_agrees_with_score_py_on_the_gold_itself(score_py) -> None:
    ours, reference = _ours(GOLD, GOLD), _reference(score_py, GOLD, GOLD)
    assert ours == reference
    assert ours["entities"]["f1"] == ours["relations"]["f1"] == ours["facts"]["f1"] == 1.0


# Surface forms that differ only by script, width, quotes, dots and case, plus distinct ones.
_NAMES = [
    "合肥",
    "合肥市",
    "中國聲谷",
    "中国声谷",
    "“中国声谷”",
    "ＡＩ平台",
    "AI平台",
    "ai平台",
    "科大讯飞",
    "科大訊飛",
    "华为",
    "声谷·庐阳",
    "声谷庐阳",
    "工信部",
    "工业和信息化部",
    "  武汉 ",
]
_TYPES = ["Park", "Firm", "City", "Agency"]
_RELS = ["locatedIn", "cooperatesWith", "supports"]
_METRICS = ["revenue", "firmCount"]

_entity = st.fixed_dictionaries(
    {
        "name": st.sampled_from(_NAMES),
        "type": st.sampled_from(_TYPES),
        "aliases": st.lists(st.sampled_from(_NAMES), max_size=2),
    }
)
_relation = st.fixed_dictionaries(
    {
        "head": st.sampled_from(_NAMES),
        "relation": st.sampled_from(_RELS),
        "tail": st.sampled_from(_NAMES),
    }
)
_fact = st.fixed_dictionaries(
    {
        "subject": st.sampled_from(_NAMES),
        "metric": st.sampled_from(_METRICS),
        "value": st.sampled_from([100, 100.5, 101, 99.2, 1060]),
        "unit": st.just("亿元"),
        "year": st.sampled_from([None, 2019, 2020]),
    }
)
_doc = st.fixed_dictionaries(
    {
        "entities": st.lists(_entity, max_size=5),
        "relations": st.lists(_relation, max_size=4),
        "facts": st.lists(_fact, max_size=3),
    }
)


def _write(path: Path, docs: dict[str, dict]) -> None:
    lines = [json.dumps({"doc": d, **body}, ensure_ascii=False) for d, body in docs.items()]
    atomic_write_text(path, "\n".join(lines) + "\n")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    gold=st.dictionaries(st.sampled_from(["a.txt", "b.txt"]), _doc, min_size=1, max_size=2),
    pred=st.dictionaries(st.sampled_from(["a.txt", "b.txt", "c.txt"]), _doc, max_size=3),
)
def test_agrees_with_score_py_on_generated_pairs(score_py, gold: dict, pred: dict) -> None:
    with tempfile.TemporaryDirectory() as d:
        g, p = Path(d) / "gold.jsonl", Path(d) / "pred.jsonl"
        _write(g, gold)
        _write(p, pred)
        assert _ours(g, p) == _reference(score_py, g, p)


def test_one_to_one_matching_costs_precision() -> None:
    gold = {
        "d": {
            "doc": "d",
            "entities": [{"name": "科大讯飞股份有限公司", "type": "Firm", "aliases": ["科大讯飞"]}],
        }
    }
    pred = {
        "d": {
            "doc": "d",
            "entities": [
                {"name": "科大讯飞股份有限公司", "type": "Firm", "aliases": []},
                {"name": "科大訊飛", "type": "Firm", "aliases": []},
            ],
        }
    }
    s = score(gold, pred)
    assert (s.entities.tp, s.entities.pred, s.entities.gold) == (1, 2, 1)
    assert s.entities.precision == 0.5 and s.entities.recall == 1.0


def test_missing_prediction_is_listed_and_scored_empty() -> None:
    gold = {"d": {"doc": "d", "entities": [{"name": "合肥", "type": "City"}]}}
    s = score(gold, {})
    assert s.missing == ["d"] and s.entities.recall == 0.0
    assert "no prediction for: d" in format_scores(s)


def test_format_scores_has_one_row_per_category() -> None:
    gold = load_jsonl(GOLD)
    table = format_scores(score(gold, gold))
    lines = table.splitlines()
    assert lines[0].split() == ["P", "R", "F1", "tp", "pred", "gold"]
    labels = [ln[:22].strip() for ln in lines[1:]]
    assert labels[0] == "ENTITIES" and "RELATIONS" in labels and labels[-1] == "FACTS"
    assert "Park" in labels and "locatedIn" in labels


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"doc": "a.txt", "entities": []}\n{not json}\n', ":2: not JSON"),
        ('["a list"]\n', ":1: a line must be an object with a 'doc' key"),
        ('{"entities": []}\n', ":1: a line must be an object with a 'doc' key"),
    ],
)
def test_malformed_gold_file_raises_one_line_error(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GoldFileError) as info:
        load_jsonl(path)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_unreadable_gold_file_raises(tmp_path: Path) -> None:
    with pytest.raises(GoldFileError):
        load_jsonl(tmp_path / "missing.jsonl")
    bad = tmp_path / "latin1.jsonl"
    bad.write_bytes('{"doc": "é"}'.encode("latin-1"))
    with pytest.raises(GoldFileError):
        load_jsonl(bad)
