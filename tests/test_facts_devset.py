"""Fact F1 of aigraph.facts on the development set (the five seeds and their gold).

Mentions come from the gold entities (tests/data/facts/devset.py), so this measures the fact
rules alone, not the recogniser in front of them.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from conftest import DATA, SHARED

GOLD = SHARED / "eval" / "seeds.gold.jsonl"
SCORER = SHARED / "eval" / "score.py"

pytestmark = pytest.mark.skipif(
    not (GOLD.exists() and SCORER.exists()), reason="shared/eval is not available"
)


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def predictions() -> list[dict]:
    return _load("facts_devset", DATA / "facts" / "devset.py").predictions()


def test_fact_f1_on_the_development_set(predictions, tmp_path):
    score = _load("facts_score", SCORER)
    gold = score.load(str(GOLD))
    pred = {p["doc"]: p for p in predictions}
    tally = score.Tally()
    for doc in sorted(gold):
        score.score_doc(
            gold[doc], pred[doc], score.defaultdict(score.Tally), score.defaultdict(score.Tally),
            score.Tally(), score.Tally(), tally,
        )  # fmt: skip
    result = tally.prf()
    assert result["f1"] >= 0.85, result


def test_development_predictions_are_deterministic(predictions):
    again = _load("facts_devset_again", DATA / "facts" / "devset.py").predictions()
    assert json.dumps(again, ensure_ascii=False) == json.dumps(predictions, ensure_ascii=False)


def test_no_fact_in_the_policy_plan(predictions):
    # seed 004 is a plan full of targets (到2022年..., 80%以上): none of them is a fact
    [plan] = [p for p in predictions if p["doc"].startswith("004_")]
    assert plan["facts"] == []
