"""A rebuild does only what changed: unchanged articles are not extracted again, and an
unchanged store is not analysed and published again, while any change, of an article, of
the store, of the published files or of the software, is still picked up."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import aigraph.publish as publishing
from aigraph import pipeline
from aigraph.store import EXTRACTED_RECORD, PUBLISHED_RECORD, open_store
from conftest import SEEDS

A = "成都星辰智算股份有限公司落户成都天府软件园，聚焦人工智能、集成电路等领域。"
B = "四川省人民政府印发《四川省人工智能产业发展规划》，支持成都天府软件园建设。"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(A, encoding="utf-8")
    (folder / "b.txt").write_text(B, encoding="utf-8")
    seed = sorted(SEEDS.glob("*.txt"))[1]
    (folder / seed.name).write_bytes(seed.read_bytes())
    return folder


@pytest.fixture()
def spy(monkeypatch) -> dict[str, list]:
    """Which files were extracted, and which stores were published, by later builds."""
    calls: dict[str, list] = {"extracted": [], "published": []}
    read_one = pipeline._read_one

    def extracting(path, settings):  # noqa: ANN001, ANN202
        calls["extracted"].append(Path(path).name)  # every file read is extracted
        return read_one(path, settings)

    real_publish = publishing.publish

    def publishing_spy(store, out_dir, name, *a, **k):  # noqa: ANN001, ANN202
        calls["published"].append(name)
        return real_publish(store, out_dir, name, *a, **k)

    monkeypatch.setattr(pipeline, "_read_one", extracting)
    monkeypatch.setattr(publishing, "publish", publishing_spy)
    return calls


def _build(corpus: Path, tmp_path: Path, **options) -> pipeline.BuildSummary:
    return pipeline.build(
        [corpus], store_dir=tmp_path / "store", out_dir=tmp_path / "out", name="g", **options
    )


def _published(tmp_path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((tmp_path / "out").iterdir())}


def test_an_unchanged_rebuild_extracts_and_publishes_nothing(corpus, tmp_path, spy) -> None:
    first = _build(corpus, tmp_path)
    assert sorted(spy["extracted"]) == sorted(p.name for p in corpus.iterdir())
    assert spy["published"] == ["g"]
    files = _published(tmp_path)
    stamps = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "out").iterdir()}
    spy["extracted"].clear()
    spy["published"].clear()

    again = _build(corpus, tmp_path)
    assert spy == {"extracted": [], "published": []}
    assert (again.articles, again.added, again.unchanged) == (3, 0, 3)
    # the counts come from the record: the same as the store's
    assert again.entities_by_type == first.entities_by_type
    assert again.relations_by_type == first.relations_by_type and again.relations_by_type
    assert again.facts == first.facts
    assert any("up to date" in note for note in again.notes)
    assert _published(tmp_path) == files
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "out").iterdir()} == stamps


def test_a_changed_article_alone_is_extracted_and_the_graph_published(
    corpus, tmp_path, spy
) -> None:
    _build(corpus, tmp_path)
    spy["extracted"].clear()
    spy["published"].clear()
    (corpus / "b.txt").write_text(B.replace("支持", "大力支持"), encoding="utf-8")
    summary = _build(corpus, tmp_path)
    assert spy == {"extracted": ["b.txt"], "published": ["g"]}
    assert (summary.added, summary.unchanged) == (1, 2)
    # the same graph as a first build of the changed folder
    _build(corpus, tmp_path / "fresh")
    assert _published(tmp_path) == _published(tmp_path / "fresh")


def test_a_published_file_changed_or_removed_is_written_again(corpus, tmp_path, spy) -> None:
    _build(corpus, tmp_path)
    files = _published(tmp_path)
    spy["extracted"].clear()
    spy["published"].clear()
    (tmp_path / "out" / "g.ttl").unlink()
    _build(corpus, tmp_path)
    assert spy == {"extracted": [], "published": ["g"]}
    assert _published(tmp_path) == files

    spy["published"].clear()
    (tmp_path / "out" / "g.trig").write_text("edited", encoding="utf-8")
    _build(corpus, tmp_path)
    assert spy["published"] == ["g"]
    assert _published(tmp_path) == files


def test_other_options_or_another_output_publish_again(corpus, tmp_path, spy) -> None:
    _build(corpus, tmp_path)
    spy["published"].clear()
    _build(corpus, tmp_path, explorer=False)
    _build(corpus, tmp_path, explorer=False)  # now recorded: nothing to do
    pipeline.build([corpus], store_dir=tmp_path / "store", out_dir=tmp_path / "elsewhere")
    assert spy["published"] == ["g", "graph"]
    assert spy["extracted"][3:] == []


def test_new_software_extracts_everything_again(corpus, tmp_path, spy, monkeypatch) -> None:
    _build(corpus, tmp_path)
    files = _published(tmp_path)
    spy["extracted"].clear()
    spy["published"].clear()
    monkeypatch.setattr(pipeline, "software_fingerprint", lambda settings: "another version")
    summary = _build(corpus, tmp_path)
    assert sorted(spy["extracted"]) == sorted(p.name for p in corpus.iterdir())
    assert spy["published"] == ["g"]
    assert (summary.added, summary.unchanged) == (0, 3)  # the same triples: the store kept them
    assert _published(tmp_path) == files


def test_any_change_to_the_store_withdraws_the_published_record_first(corpus, tmp_path) -> None:
    """The record is deleted before the store is written, so a command killed half-way
    cannot leave a record that says the published files are current."""
    _build(corpus, tmp_path)
    folder = tmp_path / "store"
    assert (folder / PUBLISHED_RECORD).is_file() and (folder / EXTRACTED_RECORD).is_file()
    with open_store(folder) as store:
        assert not store.changed
        store.recompute_places()  # nothing to change: the records stand
        assert (folder / PUBLISHED_RECORD).is_file()
        inner_remove = store.inner.remove_graph

        def remove_graph(graph):  # noqa: ANN001, ANN202
            assert not (folder / PUBLISHED_RECORD).exists()
            assert not (folder / EXTRACTED_RECORD).exists()
            return inner_remove(graph)

        # pyoxigraph's methods are read-only attributes: the store is wrapped instead
        store._ox = _Wrapped(store.inner, remove_graph=remove_graph)
        store.remove_article("a.txt")
        assert store.changed
    assert not (folder / PUBLISHED_RECORD).exists()


class _Wrapped:
    """A pyoxigraph store with some methods replaced."""

    def __init__(self, inner, **methods) -> None:  # noqa: ANN001
        self._inner, self._methods = inner, methods

    def __getattr__(self, name: str):  # noqa: ANN204
        return self._methods.get(name) or getattr(self._inner, name)


def test_a_removed_article_comes_back_on_the_next_build(corpus, tmp_path, spy) -> None:
    _build(corpus, tmp_path)
    files = _published(tmp_path)
    with open_store(tmp_path / "store") as store:
        store.remove_article("b.txt")
    spy["extracted"].clear()
    spy["published"].clear()
    summary = _build(corpus, tmp_path)
    assert spy == {"extracted": ["b.txt"], "published": ["g"]}
    assert (summary.added, summary.unchanged) == (1, 2)
    assert _published(tmp_path) == files


def test_an_unreadable_record_is_ignored(corpus, tmp_path, spy) -> None:
    _build(corpus, tmp_path)
    for record in (EXTRACTED_RECORD, PUBLISHED_RECORD):
        (tmp_path / "store" / record).write_bytes(b"\xff not json")
    spy["extracted"].clear()
    spy["published"].clear()
    _build(corpus, tmp_path)
    assert len(spy["extracted"]) == 3 and spy["published"] == ["g"]
    os.utime(tmp_path / "out" / "g.trig")  # touched, same bytes: written again, to be safe
    spy["published"].clear()
    _build(corpus, tmp_path)
    assert spy["published"] == ["g"]


def test_two_files_with_the_same_bytes_give_the_same_graph_on_every_build(corpus, tmp_path) -> None:
    """They share one article graph (named by the content): skipping whichever holds it
    would let the other take it over on every build."""
    (corpus / "copy.txt").write_bytes((corpus / "a.txt").read_bytes())
    _build(corpus, tmp_path)
    first = _published(tmp_path)
    for _ in range(2):
        _build(corpus, tmp_path)
        assert _published(tmp_path) == first


def test_a_build_that_analysed_nothing_is_not_taken_for_one_that_did(corpus, tmp_path, spy) -> None:
    _build(corpus, tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    with open_store(tmp_path / "store") as store:
        store.remove_article("a.txt")
    _build(empty, tmp_path)  # no article read: no analysis, the old one published
    spy["published"].clear()
    _build(corpus, tmp_path)
    assert spy["published"] == ["g"]
    _build(corpus, tmp_path / "fresh")
    assert _published(tmp_path) == _published(tmp_path / "fresh")
