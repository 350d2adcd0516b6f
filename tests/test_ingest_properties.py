"""Property tests (hypothesis) for decoding, pinyin glosses, chrome removal and offsets."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from aigraph.config import Settings
from aigraph.fsutil import atomic_write_bytes, atomic_write_text
from aigraph.ingest import clean_text_lines, decode_bytes, read_article
from aigraph.textclean import Traced, normalise_name, remove_pinyin_glosses

#: Real phrases of the domain (Simplified); texts are built from them.
PHRASES = [
    "人工智能",
    "产业园区",
    "合肥市",
    "中国声谷",
    "科技创新",
    "龙头企业",
    "营业收入",
    "突破",
    "发展规划",
    "智能语音",
    "集成电路",
    "投资合作",
    "数字经济",
    "实验室",
    "高新区",
    "建设",
    "国家级",
    "开放平台",
    "培育",
    "企业集聚",
    "长江经济带",
    "苏州工业园区",
    "武汉光谷",
    "研究院",
    "推动",
    "产业链",
    "核心技术",
    "新一代",
    "示范应用",
    "公共服务",
]
PUNCT = ["，", "。", "、", "；"]

sim_text = st.lists(st.sampled_from(PHRASES), min_size=3, max_size=12).map("".join)


@functools.cache
def _s2t(text: str) -> str:
    from opencc_purepy import OpenCC

    return OpenCC("s2t").convert(text)


@settings(max_examples=60, deadline=None)
@given(sim_text)
def test_gb18030_round_trip(text):
    decoded, encoding = decode_bytes(text.encode("gb18030"))
    assert decoded == text and encoding == "gb18030"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(PHRASES), min_size=3, max_size=12))
def test_big5_round_trip(phrases):
    traditional = "".join(_s2t(p) for p in phrases)
    decoded, encoding = decode_bytes(traditional.encode("big5"))
    assert decoded == traditional and encoding == "big5"


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=80), st.booleans())
def test_utf8_round_trip(text, bom):
    data = ("\ufeff" if bom else "").encode() + text.encode("utf-8")
    decoded, encoding = decode_bytes(data)
    assert decoded == text
    assert encoding == ("utf-8-sig" if bom else "utf-8")


# ---------------------------------------------------------------------------------------
# Pinyin glosses
# ---------------------------------------------------------------------------------------

han = st.sampled_from(list("中國聲谷實現產業發展創新首臺套蘇州"))
not_pinyin = st.one_of(
    st.text(alphabet="中国声谷以下简称人工智能试验区套苏州", min_size=1, max_size=8),
    st.text(alphabet="0123456789—-年", min_size=1, max_size=10),
    st.text(
        alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz +", min_size=1, max_size=8
    ),
    st.text(alphabet="aeiouüxyzh甲乙", min_size=1, max_size=6).filter(
        lambda s: any(c >= "\u4e00" for c in s)
    ),
)
TONED = ["xiàn", "fā", "chǎn", "lǐng", "dǎo", "chuàng", "jì", "wù", "yè", "lǜ", "shù", "jù"]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(han, not_pinyin, st.sampled_from("()（）")), min_size=1, max_size=5))
def test_pinyin_removal_never_touches_other_parentheses(parts):
    text = "".join(
        f"{h}{'(' if p in '()' else '（'}{c}{')' if p in '()' else '）'}" for h, c, p in parts
    )
    assert remove_pinyin_glosses(Traced.from_text(text)).text == text


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(han, st.lists(st.sampled_from(TONED), min_size=1, max_size=2)),
        min_size=1,
        max_size=6,
    )
)
def test_pinyin_glosses_are_removed(parts):
    text = "".join(f"{h}({' '.join(syl)})" for h, syl in parts)
    cleaned = remove_pinyin_glosses(Traced.from_text(text))
    assert cleaned.text == "".join(h for h, _ in parts)
    assert all(text[o] == ch for ch, o in zip(cleaned.text, cleaned.offsets, strict=True))


# ---------------------------------------------------------------------------------------
# Chrome removal
# ---------------------------------------------------------------------------------------

paragraph = st.lists(
    st.tuples(st.sampled_from(PHRASES), st.sampled_from(PUNCT)), min_size=12, max_size=24
).map(lambda parts: "".join(p + q for p, q in parts).rstrip("，、；") + "。")
subheading = st.lists(st.sampled_from(PHRASES), min_size=2, max_size=3).map("".join)
header_chrome = st.lists(
    st.sampled_from(
        [
            "首页 > 新闻 > 正文",
            "当前位置:首页 > 财经 >",
            "新闻分类",
            "站内搜索",
            "友情链接",
            "• 暂无分类",
            "返回主站|会员中心|保存桌面|手机浏览",
            "分享至",
            "0",
            "我们一直在努力",
            "合肥高新区产业园",
        ]
    ),
    min_size=1,
    max_size=6,
)
tail_heading = st.sampled_from(["相关阅读", "热门文章", "相关推荐", "热点推荐", "最新文章"])
tail_items = st.lists(paragraph.map(lambda p: "  • " + p[:40]), min_size=1, max_size=4)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header_chrome,
    st.lists(st.tuples(paragraph, st.one_of(st.none(), subheading)), min_size=1, max_size=5),
    tail_heading,
    tail_items,
    st.dates().map(lambda d: d.isoformat()),
)
def test_chrome_removed_and_article_kept(header, body, heading, items, date):
    title = "园区人工智能产业蓄势待发"
    article_lines = [title]
    for para, sub in body:
        article_lines.append(para)
        if sub:
            article_lines.append(sub)
    if article_lines[-1] != body[-1][0]:
        article_lines.pop()  # a heading is not the last line of an article
    text = "\n".join(
        [
            *header,
            "",
            title,
            f"发布时间:{date}  浏览次数:18",
            "",
            *article_lines[1:],
            " 作者 张三 李四",
            heading,
            *items,
        ]
    )
    kept = clean_text_lines(Traced.from_text(text).lines())
    assert [ln.content.text for ln in kept] == article_lines


# ---------------------------------------------------------------------------------------
# The offset map
# ---------------------------------------------------------------------------------------

trad_phrase = st.sampled_from(PHRASES).map(_s2t)
glossed = st.tuples(trad_phrase, st.sampled_from(TONED)).map(lambda t: f"{t[0]}({t[1]})")
fullwidth = st.integers(0, 9999).map(
    lambda n: "".join(chr(0xFF10 + int(d)) for d in str(n)) + "億元"
)
piece = st.one_of(
    trad_phrase, glossed, fullwidth, st.sampled_from(["，", "、", "　", " ", "“", "”"])
)
line_text = st.lists(piece, min_size=10, max_size=30).map(lambda ps: "".join(ps) + "。")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(line_text, st.sampled_from(["", "<br>", "</p>", '<br style="margin: 0px;">'])),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from(["utf-8", "gb18030", "big5"]),
    st.data(),
)
def test_offsets_quote_the_original(lines, encoding, data):
    text = "\n".join(line + tag for line, tag in lines) + "\n"
    try:
        raw = text.encode(encoding)
    except UnicodeEncodeError:
        raw = text.encode("utf-8")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.txt"
        atomic_write_bytes(path, raw)
        art = read_article(path, Settings(min_body_chars=1))
    assert len(art.offsets) == len(art.body)
    assert list(art.offsets) == sorted(art.offsets)
    for i, ch in enumerate(art.body):
        if ch != "\n":
            assert normalise_name(art.original[art.offsets[i]]) == normalise_name(ch)
    # any span inside a body line quotes original text that, glosses dropped and normalised,
    # equals the body text under the same normalisation
    line_starts = [0] + [i + 1 for i, c in enumerate(art.body) if c == "\n"]
    line_index = data.draw(st.integers(0, len(line_starts) - 1))
    start_of_line = line_starts[line_index]
    end_of_line = art.body.find("\n", start_of_line)
    end_of_line = len(art.body) if end_of_line < 0 else end_of_line
    if end_of_line - start_of_line < 1:
        return
    s = data.draw(st.integers(start_of_line, end_of_line - 1))
    e = data.draw(st.integers(s + 1, end_of_line))
    quote = art.quote(s, e)
    cleaned = remove_pinyin_glosses(Traced.from_text(quote)).text
    assert normalise_name(cleaned) == normalise_name(art.body[s:e])


def test_offsets_in_a_text_file_written_as_text(tmp_path):
    atomic_write_text(
        tmp_path / "a.txt", "發(fā)展中國聲谷，實現(xiàn)營收１０６０億元，入駐企業超過一千戶。\n"
    )
    art = read_article(tmp_path / "a.txt")
    assert art.body == "发展中国声谷，实现营收1060亿元，入驻企业超过一千户。"
    start = art.body.index("实现")
    assert art.quote(start, start + 2) == "實現"
    assert art.quote(0, 2) == "發(fā)展"


#: Characters t2s changes (alone or in phrases), characters it keeps, and characters of
#: other scripts; texts mix them so both the converter and its shortcut are exercised.
_T2S_ALPHABET = (
    "國聲實現發著乾於麼臺灣後裡反覆瞭解中国声谷人工智能园区合肥市苏州ＡＩai-()（）·《》 \n"
)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_T2S_ALPHABET, max_size=30) | st.text(max_size=20))
@example("反覆")  # a phrase that changes although its characters alone do not
@example("一目瞭然的中國")
def test_simplified_conversion_shortcut_agrees_with_opencc(text):
    # to_simplified skips OpenCC for text where none of its changing keys (characters or
    # phrases such as 反覆) occurs; the result must be what OpenCC itself gives
    from opencc_purepy import OpenCC

    from aigraph.textclean import to_simplified

    assert to_simplified(text) == OpenCC("t2s").convert(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_T2S_ALPHABET, max_size=40) | st.text(max_size=30))
@example("中國聲谷實現發展")  # Traditional
@example("中国声谷成效显著")  # Simplified with 著, which t2s would change
def test_traditional_detection_counts_what_opencc_changes(text):
    # looks_traditional counts from a precomputed set of characters; the count must be that of
    # asking OpenCC about each basic-block Han character alone (ambiguous ones left out)
    from opencc_purepy import OpenCC

    from aigraph.textclean import _AMBIGUOUS, looks_traditional

    convert = OpenCC("t2s").convert
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    changed = sum(1 for ch in han if ch not in _AMBIGUOUS and convert(ch) != ch)
    expected = bool(han) and changed >= max(1, 0.02 * len(han))
    assert looks_traditional(text) == expected
