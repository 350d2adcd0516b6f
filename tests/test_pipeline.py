"""pipeline.extract_files (issue 3/4): same output with one or two worker processes; bad
files are skipped with their reason while the rest of the batch is extracted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aigraph.errors import NoInputError
from aigraph.extract import contract_lines
from aigraph.pipeline import default_jobs, extract_files
from aigraph.records import BatchReport
from conftest import SEEDS

INVENTED = (
    "成都星辰智算股份有限公司落户成都天府软件园，聚焦人工智能、集成电路等领域。"
    "四川省人民政府印发《四川省人工智能产业发展规划》。"
)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two seeds, one invented article, and three files that cannot be read."""
    d = tmp_path_factory.mktemp("batch")
    for seed in sorted(SEEDS.glob("*.txt"))[1:3]:
        shutil.copy(seed, d / seed.name)
    (d / "invented.txt").write_text(INVENTED, encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (d / "tiny.txt").write_text("你好。", encoding="utf-8")
    return d


def _run(batch: Path, jobs: int) -> tuple[list[str], BatchReport]:
    report = BatchReport()
    lines = contract_lines(extract_files([batch], report=report, jobs=jobs))
    return lines, report


@pytest.fixture(scope="module")
def serial(batch: Path) -> tuple[list[str], BatchReport]:
    return _run(batch, 1)


def test_bad_files_are_skipped_with_reasons_and_the_rest_extracted(serial) -> None:
    lines, report = serial
    assert report.articles == 3 and len(lines) == 3
    skipped = {Path(s.path).name: s.reason for s in report.skipped}
    assert set(skipped) == {"empty.txt", "picture.txt", "tiny.txt"}
    assert all(reason and "\n" not in reason for reason in skipped.values())
    assert "empty" in skipped["empty.txt"]


def test_output_in_sorted_path_order(serial, batch: Path) -> None:
    import json

    lines, _ = serial
    docs = [json.loads(line)["doc"] for line in lines]
    assert (
        docs
        == sorted(docs)
        == sorted(
            p.name
            for p in batch.iterdir()
            if p.name not in ("empty.txt", "picture.txt", "tiny.txt")
        )
    )


def test_two_jobs_give_identical_output(serial, batch: Path) -> None:
    lines, report = serial
    lines2, report2 = _run(batch, 2)
    assert lines2 == lines
    assert report2.articles == report.articles
    assert sorted(report2.skipped, key=lambda s: s.path) == sorted(
        report.skipped, key=lambda s: s.path
    )


def test_full_records_identical_across_jobs(batch: Path) -> None:
    """Not only the contract: keys, mentions, evidence offsets and rules are the same."""
    files = [batch / "invented.txt", *sorted(batch.glob("00*.txt"))]
    one = list(extract_files(files, jobs=1))
    two = list(extract_files(files, jobs=2))
    assert [(e.entities, e.relations, e.facts) for e in one] == [
        (e.entities, e.relations, e.facts) for e in two
    ]


def test_progress_is_called_for_every_file(batch: Path) -> None:
    seen: list[str] = []
    list(extract_files([batch], progress=seen.append))
    assert len(seen) == 6


def test_missing_path_raises(tmp_path: Path) -> None:
    with pytest.raises(NoInputError):
        list(extract_files([tmp_path / "nope"]))


def test_default_jobs_is_bounded() -> None:
    assert 1 <= default_jobs() <= 8


def test_a_build_runs_with_fewer_collections_and_restores_them(tmp_path, monkeypatch) -> None:
    """The build raises Python's collector thresholds (a third of its time went to walking
    the quads waiting for the bulk writer) and puts them back afterwards, even on error."""
    import gc

    from aigraph import pipeline
    from aigraph.store import Store

    seen = []
    original = Store.replace_article

    def recording(self, extraction):
        seen.append(gc.get_threshold())
        return original(self, extraction)

    monkeypatch.setattr(Store, "replace_article", recording)
    before = gc.get_threshold()
    article = tmp_path / "in" / "a.txt"
    article.parent.mkdir()
    article.write_text(INVENTED, encoding="utf-8")
    pipeline.build([article.parent], store_dir=tmp_path / "store", out_dir=tmp_path / "out",
                   analyse=False, explorer=False)  # fmt: skip
    assert seen == [pipeline.BUILD_GC_THRESHOLDS]
    assert gc.get_threshold() == before

    monkeypatch.setattr(Store, "replace_article", lambda self, ex: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        pipeline.build([article.parent], store_dir=tmp_path / "store2", out_dir=tmp_path / "o2")
    assert gc.get_threshold() == before


def test_workers_run_a_bounded_window_ahead_of_the_consumer() -> None:
    """With --jobs, only a few tasks are sent ahead of the article being stored: finished
    extractions must not pile up in the building process when storing is slower."""
    from concurrent.futures import Future

    from aigraph import pipeline

    submitted: list[list[str]] = []

    class Recording:
        def submit(self, fn, task, settings):
            submitted.append(task)
            future: Future = Future()
            future.set_result([f"extracted {path}" for path in task])
            return future

    files = [f"a{i:03d}.txt" for i in range(200)]
    results = pipeline._in_order(Recording(), files, None, jobs=2)
    assert next(results) == "extracted a000.txt"
    ahead = 2 * pipeline.WINDOW_TASKS + 1
    assert len(submitted) == ahead < len(files) / pipeline.TASK_FILES
    assert list(results) == [f"extracted {f}" for f in files[1:]]  # all, in order
    assert [path for task in submitted for path in task] == files
