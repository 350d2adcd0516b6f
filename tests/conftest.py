"""Shared fixtures. Each feature area adds its fixtures in its own clearly marked section."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The five seed articles."""
    return SEEDS


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """Small test files under tests/data/."""
    return DATA
