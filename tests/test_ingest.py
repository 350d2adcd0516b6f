"""Reading and cleaning: seeds, fixtures, bad input, the command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aigraph.cli import app
from aigraph.config import Settings
from aigraph.errors import (
    BinaryFileError,
    EmptyFileError,
    EncodingError,
    FileTooLargeError,
    NoArticleBodyError,
    NoInputError,
    UnsupportedFileTypeError,
)
from aigraph.fsutil import atomic_write_bytes, atomic_write_text
from aigraph.ingest import (
    decode_bytes,
    find_article_files,
    normalise_name,
    parse_date,
    read_article,
    read_articles,
    split_sentences,
    to_simplified,
)
from aigraph.records import BatchReport

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GOLD = ROOT.parent / "shared" / "eval" / "seeds.gold.jsonl"
DATA = Path(__file__).resolve().parent / "data" / "ingest"


def seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


@pytest.fixture(scope="module")
def seed_articles():
    return {p.name[:3]: read_article(p) for p in sorted(SEEDS.glob("*.txt"))}


def body_lines(article) -> list[str]:
    return article.body.split("\n")


# ---------------------------------------------------------------------------------------
# Seeds: no chrome survives, every article sentence does
# ---------------------------------------------------------------------------------------


def test_seed_001_tail_and_header_are_gone(seed_articles):
    art = seed_articles["001"]
    original_lines = [ln.strip(" •") for ln in art.original.splitlines()]
    tail_start = original_lines.index("相关阅读")
    tail = {ln for ln in original_lines[tail_start:] if ln}
    assert tail, "the seed's tail must not be empty"
    lines = set(body_lines(art))
    assert not tail & lines
    for chrome in ("服务粉丝", "我们一直在努力", "当前位置:首页 > 财经 >", "作者 董捷 吕依"):
        assert chrome not in lines
    assert not any(ln.startswith("日期:") for ln in lines)
    assert "中飞院" not in art.body and "京东" not in art.body and "沙坪坝" not in art.body
    # the article's own short subheadings stay
    assert "打造一流创新平台,推进核心技术攻关" in lines
    assert "营造优良创新生态,培育产业热带雨林" in lines
    assert art.published == "2023-02-22"


def test_seed_002_site_menu_is_gone(seed_articles):
    art = seed_articles["002"]
    head = art.original.split("横贯东西的滚滚长江")[0]
    menu_lines = {ln.strip(" •\u00a0") for ln in head.splitlines()} - {""}
    title = "来武汉!看长江主轴,唱长江之歌,赞智能产业云集"
    lines = body_lines(art)
    assert lines.count(title) == 1 and lines[0] == title
    assert not (menu_lines - {title}) & set(lines)
    assert "武汉经济技术开发区通用航空及卫星产业园" not in art.body
    assert "机场核心功能区" not in art.body
    assert art.title == title and art.published == "2022-11-29"
    for heading in ("光谷拥有产业基础", "高校云集人才济济", "大数据平台有优势", "行业大佬陆续加盟"):
        assert heading in lines
    # the short poem lines at the start of the article are article text
    assert "横贯东西的滚滚长江," in lines


def test_seed_003_hot_news_list_is_gone(seed_articles):
    art = seed_articles["003"]
    original_lines = [ln.strip() for ln in art.original.splitlines()]
    tail = {ln for ln in original_lines[original_lines.index("相关推荐") :] if ln}
    lines = set(body_lines(art))
    assert not tail & lines
    for chrome in (
        "网易首页 > 网易安徽 > 正文",
        "0",
        "分享至",
        "(文/经济参考报记者 郭倩 北京报道)",
    ):
        assert chrome not in lines
    assert "王思聪" not in art.body and "无障碍浏览" not in art.body
    assert body_lines(art)[0] == "数字产业集聚成“群” 增添发展新动能"
    for heading in ("创新活力持续释放", "构筑增长新引擎", "打造世界级数字产业集群"):
        assert heading in lines


def test_seed_000_is_simplified_without_glosses_or_tags(seed_articles):
    art = seed_articles["000"]
    assert art.body == to_simplified(art.body)
    assert not re.search(
        r"\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü ]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]", art.body
    )
    assert "<" not in art.body and ">" not in art.body
    assert "style=" not in art.body and "br style" not in art.body
    assert "实现入驻企业1024户" in art.body
    # real parentheses are untouched; the 延伸阅读 section is article content
    assert "首台(套)" in art.body
    assert "延伸阅读" in body_lines(art)
    assert "著作权数突破10000件" in art.body.split("延伸阅读")[1]
    # the original keeps the file's text for quoting
    assert "實現(xiàn)" in art.original


def test_seed_004_policy_document_is_whole(seed_articles):
    art = seed_articles["004"]
    original = [ln.strip() for ln in art.original.splitlines() if ln.strip()]
    assert body_lines(art) == original
    assert art.title == "安徽省新一代人工智能产业基地建设实施方案"


def _gold_evidence() -> list[tuple[str, str]]:
    out = set()
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        for item in record.get("relations", []) + record.get("facts", []):
            if item.get("evidence"):
                for fragment in re.split(r"……|\.\.\.", item["evidence"]):
                    if normalise_name(fragment):
                        out.add((record["doc"], fragment))
    return sorted(out)


@pytest.mark.skipif(not GOLD.exists(), reason="shared gold file not present")
def test_every_gold_evidence_sentence_survives(seed_articles):
    checked = 0
    for doc, fragment in _gold_evidence():
        art = seed_articles[doc[:3]]
        wanted = normalise_name(fragment)
        # Evidence that is not verbatim in the file (mangled bytes in seed 000) cannot be
        # checked against the body; everything verbatim must be kept.
        from aigraph.textclean import Traced, remove_pinyin_glosses

        raw = normalise_name(remove_pinyin_glosses(Traced.from_text(art.original)).text)
        if wanted not in raw:
            continue
        checked += 1
        assert wanted in normalise_name(art.body), (doc, fragment)
    assert checked >= 100


def test_seed_offsets_quote_the_original(seed_articles):
    for art in seed_articles.values():
        assert len(art.offsets) == len(art.body)
        assert list(art.offsets) == sorted(art.offsets)
        assert all(0 <= o < len(art.original) for o in art.offsets)
        for sentence in art.sentences:
            assert art.body[sentence.start : sentence.end] == sentence.text
        for i, ch in enumerate(art.body):
            if ch != "\n":
                source = art.original[art.offsets[i]]
                assert to_simplified(source) == ch or normalise_name(source) == normalise_name(
                    ch
                ), (
                    art.doc,
                    i,
                    ch,
                    source,
                )


def test_seed_000_evidence_quote_maps_to_traditional(seed_articles):
    art = seed_articles["000"]
    start = art.body.index("中国声谷成功实现")
    quote = art.quote(start, start + len("中国声谷成功实现"))
    assert quote == "中國聲谷成功實現"
    start = art.body.index("实现“双千”")
    assert art.quote(start, start + 3) == "實現(xiàn)“"


# ---------------------------------------------------------------------------------------
# Fixtures: HTML page, GBK, Big5, PDF-like text
# ---------------------------------------------------------------------------------------


def test_html_page_body_title_date():
    art = read_article(DATA / "news_page.html")
    assert art.kind == "html"
    assert art.title == "合肥高新区发布人工智能产业新政"
    assert art.published == "2023-05-18"
    lines = body_lines(art)
    assert lines[0] == "合肥高新区发布人工智能产业新政"
    assert "“中国声谷”核心区内企业优先享受" in art.body
    assert "企业 500余家" in art.body  # &nbsp; decoded (and folded to a space)
    assert "明显；2022年" in art.body  # &#xff1b; decoded
    assert "专家表示，这将进一步提升区域竞争力。" in lines  # <br> is a line break
    for chrome in (
        "脚本",
        "首页",
        "相关阅读",
        "芜湖机器人",
        "苏州工业园区",
        "网友评论",
        "侧栏",
        "版权",
        "分享",
        "发布时间",
    ):
        assert chrome not in art.body, chrome


def test_html_offsets_point_into_the_page():
    art = read_article(DATA / "news_page.html")
    assert list(art.offsets) == sorted(art.offsets)
    for i, ch in enumerate(art.body):
        if ch in "\n":
            continue
        source = art.original[art.offsets[i]]
        if source == "&":  # a character reference: the decoded char maps to its '&'
            assert re.match(r"&(#x?[0-9a-fA-F]+|[a-z]+);", art.original[art.offsets[i] :])
        else:
            assert source == ch or to_simplified(source) == ch or (ch == " " and source.isspace())


def test_html_detected_inside_txt(tmp_path):
    page = (DATA / "news_page.html").read_text(encoding="utf-8")
    atomic_write_text(tmp_path / "saved.txt", page)
    art = read_article(tmp_path / "saved.txt")
    assert art.kind == "html" and "脚本" not in art.body
    assert art.body == read_article(DATA / "news_page.html").body


def test_gbk_and_big5_fixtures():
    gbk = read_article(DATA / "gbk_article.txt")
    assert gbk.encoding == "gb18030"
    assert gbk.body == "合肥市人工智能产业发展迅速，新增企业一百余家。"
    big5 = read_article(DATA / "big5_article.txt")
    assert big5.encoding == "big5"
    assert big5.body == "中国声谷是安徽省的人工智能产业基地，营业收入突破一千亿元。"
    assert big5.original.startswith("中國聲谷")


def test_utf8_bom_fixture():
    art = read_article(DATA / "utf8_bom.txt")
    assert art.encoding == "utf-8-sig"
    assert art.body.startswith("苏州工业园区")
    assert art.original[art.offsets[0]] == "苏"


def test_pdf_wrapped_lines_are_joined():
    art = read_article(DATA / "pdf_wrapped.txt")
    lines = body_lines(art)
    assert lines[0] == "安徽省新一代人工智能产业基地建设实施方案"
    assert "一、总体思路" in lines
    assert "依托科大讯飞股份有限公司等龙头企业" in art.body  # a name broken across lines
    assert "市场导向" in art.body
    assert len(lines) == 4
    assert [s.text for s in art.sentences][-1] == (
        "以推动人工智能与实体经济深度融合为主线，坚持创新引领、市场导向，聚焦重点领域，"
        "优化资源配置，突破关键技术，打造智能产品，培育龙头企业。"
    )


def test_stray_tags_and_fullwidth_in_text(tmp_path):
    atomic_write_text(
        tmp_path / "a.txt",
        "ＡＩ产业园区２０２２年营收１２０亿元，同比增长３０％。</p>\n"
        '企业数量超过５００家。<br style="margin: 0px;">园区　发展</span>\n',
    )
    art = read_article(tmp_path / "a.txt")
    assert art.body == "AI产业园区2022年营收120亿元，同比增长30％。\n企业数量超过500家。\n园区 发展"


def test_markdown_headings(tmp_path):
    atomic_write_text(
        tmp_path / "a.md",
        "# 合肥人工智能产业\n\n**合肥市**人工智能产业规模持续扩大，新增企业一百余家，[详见](http://x.cn)报告。\n",
    )
    art = read_article(tmp_path / "a.md")
    assert (
        art.body == "合肥人工智能产业\n合肥市人工智能产业规模持续扩大，新增企业一百余家，详见报告。"
    )


# ---------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------


def test_empty_file():
    with pytest.raises(EmptyFileError, match="empty.txt: empty file"):
        read_article(DATA / "empty.txt")


def test_whitespace_only_file(tmp_path):
    atomic_write_text(tmp_path / "blank.txt", " \n\u3000\n")
    with pytest.raises(EmptyFileError):
        read_article(tmp_path / "blank.txt")


def test_binary_png_renamed():
    with pytest.raises(BinaryFileError, match=r"image_renamed.txt: binary file.*PNG"):
        read_article(DATA / "image_renamed.txt")


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n%...",
        b"PK\x03\x04rest",
        b"\xff\xd8\xff\xe0JFIF",
        b"GIF89a...",
        b"abc\x00def" * 10,
        bytes(range(1, 32)) * 5,
    ],
)
def test_binary_kinds(tmp_path, data):
    atomic_write_bytes(tmp_path / "x.txt", data)
    with pytest.raises(BinaryFileError):
        read_article(tmp_path / "x.txt")


def test_too_large(tmp_path):
    atomic_write_text(tmp_path / "big.txt", "合肥市人工智能产业发展迅速。" * 50)
    with pytest.raises(FileTooLargeError, match="big.txt: file is larger than the size limit"):
        read_article(tmp_path / "big.txt", Settings(max_file_bytes=100))
    assert read_article(tmp_path / "big.txt", Settings(max_file_bytes=10_000)).body


def test_undecodable():
    with pytest.raises(EncodingError, match="undecodable.txt"):
        read_article(DATA / "undecodable.txt")


def test_mojibake_is_an_error(tmp_path):
    # Valid GB18030 bytes that decode only to rare characters, never to real text.
    rare = "".join(chr(c) for c in range(0x9F80, 0x9FA0))
    atomic_write_bytes(tmp_path / "m.txt", rare.encode("gb18030"))
    with pytest.raises(EncodingError, match="mojibake"):
        read_article(tmp_path / "m.txt")


def test_utf8_read_as_gbk_is_mojibake(tmp_path):
    # UTF-8 bytes of these words happen to be valid GB18030; the trailing GBK pair makes the
    # file invalid UTF-8, so only the mojibake decodings remain.
    data = ("人工智能产业园区中国发展" * 3).encode("utf-8") + "啊".encode("gbk")
    assert data.decode("gb18030")
    atomic_write_bytes(tmp_path / "m.txt", data)
    with pytest.raises(EncodingError, match="mojibake"):
        read_article(tmp_path / "m.txt")


def test_html_without_body():
    with pytest.raises(NoArticleBodyError, match="nobody.html: no article body"):
        read_article(DATA / "nobody.html")


def test_unsupported_suffix(tmp_path):
    atomic_write_text(tmp_path / "a.docx", "合肥")
    with pytest.raises(UnsupportedFileTypeError):
        read_article(tmp_path / "a.docx")


def test_missing_path_raises_no_input(tmp_path):
    with pytest.raises(NoInputError):
        find_article_files([tmp_path / "nope"])


def test_batch_goes_on_and_counts():
    report = BatchReport()
    docs = [a.doc for a in read_articles([DATA], report=report)]
    assert docs == sorted(docs)
    assert docs == [
        "big5_article.txt",
        "gbk_article.txt",
        "news_page.html",
        "pdf_wrapped.txt",
        "utf8_bom.txt",
    ]
    skipped = {Path(s.path).name: s.reason for s in report.skipped}
    assert set(skipped) == {"empty.txt", "image_renamed.txt", "nobody.html", "undecodable.txt"}
    assert report.articles == 5
    assert all("\n" not in reason for reason in skipped.values())


def test_find_article_files_sorted_and_deduplicated(tmp_path):
    for name in ("b/z.htm", "a.md", "c.txt", "d.pdf", "b/y.TXT"):
        path = tmp_path / name
        atomic_write_text(path, "x")
    found = find_article_files([tmp_path, tmp_path / "c.txt", str(tmp_path / "b")])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a.md",
        "b/y.TXT",
        "b/z.htm",
        "c.txt",
    ]


# ---------------------------------------------------------------------------------------
# Small units
# ---------------------------------------------------------------------------------------


def test_split_sentences_keeps_closing_quotes():
    body = "他说:“项目顺利签约。”随后离开!\n  \n小标题\n第三句;第四句？"
    sentences = split_sentences(body)
    assert [s.text for s in sentences] == [
        "他说:“项目顺利签约。”",
        "随后离开!",
        "小标题",
        "第三句;",
        "第四句？",
    ]
    assert all(body[s.start : s.end] == s.text for s in sentences)
    assert [s.index for s in sentences] == list(range(5))


def test_parse_date_forms():
    assert parse_date("2023-05-18 09:30:00") == "2023-05-18"
    assert parse_date("2021年3月5日") == "2021-03-05"
    assert parse_date("2021/13/40") is None


def test_decode_prefers_utf8():
    assert decode_bytes("合肥".encode()) == ("合肥", "utf-8")


def test_normalise_name_matches_eval():
    assert normalise_name("“中國聲谷”") == "中国声谷"
    assert normalise_name("ＩＴ＋ＢＴ 融合") == "it+bt融合"


# ---------------------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------------------

runner = CliRunner()


def test_cli_ingest_summary_and_skips():
    result = runner.invoke(app, ["ingest", str(DATA)])
    assert result.exit_code == 0
    assert "news_page.html\tutf-8" in result.stdout
    assert "2023-05-18" in result.stdout
    assert "skipped" in result.stderr and "image_renamed.txt" in result.stderr
    assert "5 articles read, 4 files skipped" in result.stderr


def test_cli_ingest_show_and_json():
    result = runner.invoke(app, ["ingest", str(DATA / "big5_article.txt"), "--show"])
    assert result.exit_code == 0
    assert "中国声谷是安徽省的人工智能产业基地" in result.stdout
    result = runner.invoke(app, ["ingest", str(DATA / "big5_article.txt"), "--json"])
    record = json.loads(result.stdout.splitlines()[0])
    assert record["encoding"] == "big5" and "offsets" not in record
    assert record["sentences"][0]["text"].startswith("中国声谷")
    result = runner.invoke(app, ["ingest", str(DATA / "big5_article.txt"), "--json", "--offsets"])
    assert len(json.loads(result.stdout)["offsets"]) == len(record["body"])


def test_cli_ingest_nothing_read_exits_1():
    result = runner.invoke(app, ["ingest", str(DATA / "empty.txt")])
    assert result.exit_code == 1
    assert "0 articles read, 1 files skipped" in result.stderr


def test_cli_ingest_help_has_example():
    result = runner.invoke(app, ["ingest", "--help"])
    assert result.exit_code == 0 and "Example:" in result.stdout


def test_simplified_text_is_not_converted_again(tmp_path) -> None:
    """t2s would turn the valid Simplified 著 into 着 (显著 → 显着): Simplified text stays as is."""
    f = tmp_path / "s.txt"
    f.write_text(
        "苏州工业园区成效显著,著作权数突破10000件,吸引了大量人工智能企业入驻园区。",
        encoding="utf-8",
    )
    body = read_article(f).body
    assert "显著" in body and "著作权" in body


def test_traditional_page_chrome_is_recognised(tmp_path) -> None:
    f = tmp_path / "t.txt"
    f.write_text(
        "中國聲谷實現營業收入1060億元,入駐企業超過一千戶,產業規模持續壯大。\n相關閱讀\n• 別的新聞標題\n",
        encoding="utf-8",
    )
    body = read_article(f).body
    assert "中国声谷" in body
    assert "相关阅读" not in body and "别的新闻" not in body
