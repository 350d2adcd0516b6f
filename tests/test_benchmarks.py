"""The synthetic corpus of the build benchmarks: deterministic, decodable, seed-shaped."""

from __future__ import annotations

import hashlib
import sys
from collections import Counter
from pathlib import Path

import pytest

from aigraph.ingest import read_article

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402  (benchmarks/ is not a package)


def _digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def names() -> corpus.Names:
    return corpus.gazetteer_names()


@pytest.fixture(scope="module")
def sample(tmp_path_factory, names) -> list[Path]:
    return corpus.write_corpus(tmp_path_factory.mktemp("corpus"), n=40, seed=7, names=names)


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path, names, sample):
    again = corpus.write_corpus(tmp_path / "again", n=40, seed=7, names=names)
    other = corpus.write_corpus(tmp_path / "other", n=40, seed=8, names=names)
    assert [p.name for p in again] == [p.name for p in sample]
    assert _digest(again) == _digest(sample)
    assert _digest(other) != _digest(sample)


def test_several_encodings_and_html_all_decode(sample):
    kinds = Counter()
    for path in sample:
        article = read_article(path)
        kinds[(article.encoding, article.kind)] += 1
        assert len(article.body) > 300, path.name
    encodings = {enc for enc, _ in kinds}
    assert {"utf-8", "gb18030", "big5"} <= encodings, kinds
    assert any(kind == "html" for _, kind in kinds), kinds


def test_traditional_articles_decode_back_to_simplified_names(sample):
    big5 = [p for p in sample if read_article(p).encoding == "big5"]
    assert big5
    raw = big5[0].read_bytes().decode("big5")
    body = read_article(big5[0]).body
    assert "產業" in raw or "發展" in raw  # the file really is Traditional
    assert "产业" in body or "发展" in body  # and ingest gives Simplified back


def test_pages_carry_chrome_and_names_from_the_gazetteers(sample, names):
    texts = [
        p.read_bytes().decode("utf-8")
        for p in sample
        if p.suffix == ".txt" and read_article(p).encoding == "utf-8"
    ]
    assert texts
    assert all("相关阅读" in t for t in texts)
    assert any(line in t for t in texts for line in corpus._NAV_LINES)
    joined = "\n".join(texts)
    assert any(f in joined for f in names.firms), "gazetteer firms are used"
    assert any(u in joined for u in names.universities), "gazetteer universities are used"
    assert any(s in joined for s in corpus._FIRM_SUFFIXES), "invented firms are used"


def test_city_and_province_agree(names):
    import random

    writer = corpus.ArticleWriter(random.Random(1), names)
    for _ in range(50):
        sentence = writer._located("某园区", "常州市", "江苏省", "人工智能", 2020)
        assert "江苏省常州市" in sentence
    assert names.province_of["常州市"] == "江苏省"


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("合肥市", "合肥"),
        ("安徽省", "安徽"),
        ("宁夏回族自治区", "宁夏"),
        ("新疆维吾尔自治区", "新疆"),
        ("北京市", "北京"),
        ("沙市", "沙市"),
    ],
)
def test_short_place(name, short):
    assert corpus._short_place(name) == short


def test_bench_build_parses_its_sizes_and_describes_the_machine():
    import bench_build

    described = bench_build.machine()
    assert "cores" in described and "Python" in described and "spacy" in described
    assert bench_build._rate(100, 4.0) == "25"


def test_bench_store_spools_each_article_as_named_graph_then_merged_copy(tmp_path, names):
    import bench_store
    import pyoxigraph as ox

    articles = tmp_path / "corpus"
    corpus.write_corpus(articles, n=3, seed=7, names=names)
    spool = tmp_path / "spool.nq"
    index = bench_store.spool(articles, spool, jobs=1)
    data = spool.read_bytes()
    assert len(index) == 3
    for start, split, end, quads in index:
        named = list(ox.parse(data[start:split], ox.RdfFormat.N_QUADS))
        merged = list(ox.parse(data[split:end], ox.RdfFormat.N_QUADS))
        assert quads == len(named) == len(merged) > 0
        assert all(isinstance(q.graph_name, ox.NamedNode) for q in named)
        assert [q.triple for q in named] == [q.triple for q in merged]
        assert all(q.graph_name == ox.DefaultGraph() for q in merged)
    # one chunk of everything when the chunk size is large, one per article when it is 1
    (whole, counted), *rest = bench_store._chunks(spool, index, True, 10**9)
    assert not rest and whole == data and counted == 2 * sum(e[3] for e in index)
    alone = list(bench_store._chunks(spool, index, False, 1))
    assert [n for _, n in alone] == [e[3] for e in index]
    assert b"".join(chunk for chunk, _ in alone) == b"".join(data[s:m] for s, m, _, _ in index)
    loaded = bench_store.load(None, spool, index, merged=False)
    expected = {q for s, m, _, _ in index for q in ox.parse(data[s:m], ox.RdfFormat.N_QUADS)}
    assert len(loaded["store"]) == len(expected)
