"""``docs/benchmarks.md``, where the benchmarks append their results: one writer for all."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "docs" / "benchmarks.md"


def append_section(section: str) -> Path:
    """Append ``section`` (a blank line, a ``##`` heading, the results) to :data:`REPORT`,
    atomically; a missing report starts as ``# Benchmarks``. Returns the report's path."""
    from aigraph.fsutil import atomic_write_text

    old = REPORT.read_text(encoding="utf-8") if REPORT.exists() else "# Benchmarks\n"
    atomic_write_text(REPORT, old.rstrip("\n") + "\n" + section)
    return REPORT
