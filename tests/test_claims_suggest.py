"""Claim suggestions: cue table, acceptance on the two user samples, offsets, determinism, span property."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.claims.suggest import Suggestion, find_cues, score_sentence, suggest, suggestion_key
from app.core.model import Segment
from app.core.pipeline import clean_file
from app.core.segment import segment_paragraphs
from tests.conftest import FIXTURES


def cues(text: str) -> set[tuple[str, str]]:
    return {(c.kind, c.text) for c in find_cues(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GDP tăng 7,4% năm 2023.", {("percent", "7,4%"), ("year", "năm 2023")}),
        ("Dân số đạt 1.500.000 người.", {("number", "1.500.000")}),
        ("Xuất khẩu đạt 299,63 tỷ USD.", {("number", "299,63 tỷ USD")}),
        ("Có 40 mô hình AI.", {("number", "40")}),
        ("Hàng triệu người dùng, hàng tỷ USD.", {("number", "Hàng triệu"), ("number", "hàng tỷ")}),
        ("Khoảng một nửa dân số thế giới.", {("number", "một nửa")}),
        ("Tỷ lệ đạt 40 phần trăm.", {("percent", "40 phần trăm")}),
        ("Lạm phát từ 6,5-7%.", {("percent", "6,5-7%")}),
        ("Sau 2019 thì khác.", {("year", "2019")}),
        ("Ban hành tháng 7/2025.", {("date", "tháng 7/2025")}),
        ("Cấm từ ngày 1/7/2026.", {("date", "ngày 1/7/2026")}),
        ("GDP quý III/2024 tăng.", {("date", "quý III/2024")}),
        ("LONDON, July 10, 2025 (GLOBE NEWSWIRE)", {("date", "July 10, 2025"), ("attribution", "GLOBE NEWSWIRE")}),
        ("Trung Quốc xếp thứ 10, đẩy Đức xuống thứ 11.", {("ranking", "xếp thứ 10"), ("ranking", "xuống thứ 11")}),
        ("Nằm trong top 10 quốc gia.", {("ranking", "top 10")}),
        ("TQ dẫn đầu, Mỹ đứng đầu về vốn.", {("ranking", "dẫn đầu"), ("ranking", "đứng đầu")}),
        ("Đội tuyển đứng hạng 3 châu Á.", {("ranking", "đứng hạng 3")}),
        ("Nhật Bản xếp thứ hai.", {("ranking", "xếp thứ hai")}),
        ("Tính toán gấp hàng triệu lần.", {("comparison", "gấp hàng triệu lần")}),
        ("Doanh thu tăng gấp đôi.", {("comparison", "gấp đôi")}),
        ("TQ và Mỹ vượt xa phần còn lại.", {("comparison", "vượt xa")}),
        ("Hai nền kinh tế lớn nhất thế giới.", {("comparison", "lớn nhất thế giới")}),
        ("Nộp nhiều patent nhất.", {("comparison", "nhiều patent nhất")}),
        ("Mỹ mạnh hơn, EU kém, TQ thua.", {("comparison", "hơn"), ("comparison", "kém"), ("comparison", "thua")}),
        ("Theo Tổng cục Thống kê, GDP tăng.", {("attribution", "Theo Tổng cục Thống kê")}),
        (
            "Báo cáo 2024 của WIPO cho thấy vậy.",
            {("attribution", "Báo cáo 2024 của WIPO"), ("attribution", "cho thấy")},
        ),
        (
            "Global Innovation Index (GII) 2025 do WIPO công bố.",
            {("attribution", "(GII) 2025"), ("attribution", "công bố")},
        ),
        ("Bản tin Reuters cũng đưa tin.", {("attribution", "Reuters"), ("attribution", "đưa tin")}),
        ("Phân tích của CSET (Georgetown) chỉ ra:", {("attribution", "Phân tích của CSET"), ("organisation", "CSET")}),
        ("WIPO là cơ quan của LHQ và UN.", {("organisation", "WIPO"), ("organisation", "LHQ"), ("organisation", "UN")}),
        ("Stanford AI Index 2025 cho số rõ.", {("organisation", "Stanford AI Index")}),
        ("Ông ấy nói “đây là năm tăng trưởng mạnh nhất”.", {("attribution", "“đây là năm tăng trưởng mạnh nhất”")}),
        ("Germany rounds out the top five and leads.", {("ranking", "top five"), ("ranking", "leads")}),
        ("China dominates, with the most patents since 2019.", {("ranking", "dominates"), ("comparison", "most")}),
        ("New report shows sales doubled.", {("attribution", "report shows")}),
    ],
)
def test_find_cues_table(text: str, expected: set[tuple[str, str]]) -> None:
    assert expected <= cues(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Mua VinFast Evo200 hay xe GPT-3 chuẩn IP67.", "number"),
        ("1. THỐNG TRỊ VỀ SIÊU MÁY TÍNH: Cả hai quốc gia.", "number"),
        ("1. THỐNG TRỊ VỀ SIÊU MÁY TÍNH: Cả hai quốc gia.", "organisation"),
        ("Theo tôi, chính sách cần rà soát.", "attribution"),
        ("Giá tăng, nhất là tiền thuê nhà.", "comparison"),
        ("Em đạt 42/42 điểm.", "date"),
        ("AI và LLM phát triển nhanh.", "organisation"),
        ("Thuật toán Faster R-CNN cho detection.", "attribution"),
        ("Việc điều trị cần theo dõi sát.", "attribution"),
    ],
)
def test_find_cues_ignores(text: str, kind: str) -> None:
    assert not [c for c in find_cues(text) if c.kind == kind]


def test_score_combines_cue_kinds() -> None:
    def score(text: str) -> float:
        return score_sentence(text, find_cues(text))

    strong = score("Năm 2023, theo GII của WIPO, Trung Quốc xếp thứ 12.")
    number_only = score("Trung Quốc có 15 mô hình.")
    weak = score("Mỹ mạnh hơn một chút.")
    year_chat = score("Hồi 2019 bọn mình đi chơi vui lắm.")
    assert strong > number_only > weak
    assert year_chat < 0.2
    assert score("Mỹ có 40 mô hình AI?") < number_only  # a question
    assert score("Theo tôi, Mỹ có 40 mô hình AI.") < number_only  # an opinion
    assert score("Có lẽ Mỹ có 40 mô hình AI.") < number_only
    assert score("Không có gì ở đây.") == 0.0
    assert all(0.0 <= score(t) <= 1.0 for t in ("", "2019", "theo WIPO, top 10, 40%, gấp đôi, lớn nhất thế giới"))


@cache
def sample(name: str) -> tuple[Segment, ...]:
    return segment_paragraphs(clean_file(FIXTURES / f"{name}.vi.txt").paragraphs).segments


FORUM_MUST = ("40 mô hình", "Trung Quốc: 15", "EU: chỉ 3", "WIPO", "xếp thứ 10", "thứ 11", "thứ 12")


def _ranked_above_cueless(segments: tuple[Segment, ...], needles: tuple[str, ...]) -> None:
    ranking = suggest(segments, threshold=0.0)
    suggested = {s.text for s in suggest(segments)}
    cueless = [s for s in segments if not find_cues(s.text)]
    assert cueless, "the sample should have sentences without checkable content"
    floor = max((r.score for r in ranking if r.text in {c.text for c in cueless}), default=0.0)
    for needle in needles:
        hits = [r for r in ranking if needle in r.text]
        assert hits, f"no suggestion contains {needle!r}"
        for hit in hits:
            assert hit.text in suggested
            assert hit.score > floor
    # In the ranked list, all of them come before the first sentence without cues (those are never listed).
    assert not {r.text for r in ranking} & {c.text for c in cueless}


def test_forum_acceptance() -> None:
    segments = sample("forum_post_ai_race")
    _ranked_above_cueless(segments, FORUM_MUST)
    # Stronger: each listed sentence outranks every sentence our gold calls non-checkable.
    found = suggest(segments)
    texts = [s.text for s in found]
    for needle in FORUM_MUST:
        assert any(needle in t for t in texts)
    non_claims = (
        'Về mặt thuật toán, bức tranh US-TQ hiện nay vẫn là "song mã" dẫn đầu.',
        "Con ngựa Mỹ to hơn một chút, nhưng EU thì chưa xứng xếp vào đây.",
        "TQ giờ không còn là người dùng cuối về AI nữa.",
    )
    assert not set(texts) & set(non_claims)


def test_pdf_acceptance() -> None:
    segments = sample("pdf_copy_supercomputers")
    _ranked_above_cueless(segments, ("gấp hàng triệu lần",))


def test_offsets_are_the_segments() -> None:
    for name in ("forum_post_ai_race", "pdf_copy_supercomputers"):
        by_idx = {s.idx: s for s in sample(name)}
        for sug in suggest(sample(name), threshold=0.0):
            seg = by_idx[sug.segment_idx]
            assert (sug.start, sug.end, sug.text) == (seg.start, seg.end, seg.text)


def test_order_limit_and_determinism() -> None:
    segments = sample("forum_post_ai_race")
    first = suggest(segments)
    assert first == suggest(segments)
    assert first == suggest(tuple(reversed(segments)))  # ties break by document order, not input order
    assert [(-s.score, s.segment_idx) for s in first] == sorted((-s.score, s.segment_idx) for s in first)
    assert suggest(segments, limit=3) == first[:3]
    assert all(isinstance(s, Suggestion) and s.cues for s in first)
    assert any(c.startswith("ranking: ") and "xếp thứ 10" in c for s in first for c in s.cues)


def test_english_segments_are_scored() -> None:
    english = [s for s in sample("forum_post_ai_race") if s.lang == "en" and "top five" in s.text]
    assert english and suggest(english)


def test_suggestion_key_survives_resegmentation() -> None:
    key = suggestion_key("Năm 2023, theo GII của WIPO, Trung Quốc xếp thứ 12.")
    assert key == suggestion_key("  Năm 2023,  theo GII của WIPO,\nTrung Quốc xếp thứ 12. ")
    assert key == suggestion_key("- năm 2023, theo GII của WIPO, Trung Quốc xếp thứ 12")
    assert key != suggestion_key("Năm 2023, theo GII của WIPO, Trung Quốc xếp thứ 11.")
    assert len(key) == 40


# Pieces that start and end cues, glued at random, to reach the span logic more often than random text does.
_PIECES = (
    "năm |tháng |thứ |top |theo |của |WIPO|Reuters |hàng triệu |gấp |lần |"
    "nhất |hơn |July |Evo|TQ |THỐNG TRỊ VỀ |Tổ chức "
)
_ALPHABET = st.sampled_from([*'0123456789 .,/%-–:()"“”?!', *_PIECES.split("|")])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=80), st.lists(_ALPHABET, max_size=25).map("".join)))
def test_cue_spans_are_exact(text: str) -> None:
    for c in find_cues(text):
        assert 0 <= c.start < c.end <= len(text)
        assert text[c.start : c.end] == c.text
        assert c.text == c.text.strip()
    assert 0.0 <= score_sentence(text, find_cues(text)) <= 1.0
