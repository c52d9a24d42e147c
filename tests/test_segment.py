"""Sentence segmentation: protected spans stay whole, offsets are exact, nothing is lost."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.model import Paragraph
from app.core.pipeline import clean_file
from app.core.segment import mask_protected, segment_paragraphs, split_sentences


def sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Xem www.rdworldonline.com để biết thêm. Sau đó đọc tiếp.",
            ["Xem www.rdworldonline.com để biết thêm.", "Sau đó đọc tiếp."],
        ),
        ("Nguồn: natlawreview.com. Bài viết khác.", ["Nguồn: natlawreview.com.", "Bài viết khác."]),
        ("Xem https://example.com/a.b?x=1. Sau đó đọc.", ["Xem https://example.com/a.b?x=1.", "Sau đó đọc."]),
        ("Gửi thư tới a.b@c.edu.vn nhé. Cảm ơn.", ["Gửi thư tới a.b@c.edu.vn nhé.", "Cảm ơn."]),
        ("GDP tăng 3.5% năm 2023. Lạm phát 4,2%.", ["GDP tăng 3.5% năm 2023.", "Lạm phát 4,2%."]),
        ("Theo TS. Nguyễn Văn A, kết quả tốt. Hết.", ["Theo TS. Nguyễn Văn A, kết quả tốt.", "Hết."]),
        ("Các nước U.S. và EU đồng ý. Hết.", ["Các nước U.S. và EU đồng ý.", "Hết."]),
        ("Mỹ, EU, v.v. đều vậy. Hết.", ["Mỹ, EU, v.v. đều vậy.", "Hết."]),
        ("Họ dùng máy tính, v.v. Các nước khác cũng vậy.", ["Họ dùng máy tính, v.v.", "Các nước khác cũng vậy."]),
        (
            "1. THỐNG TRỊ VỀ SIÊU MÁY TÍNH: Cả hai. Siêu máy tính.",
            ["1. THỐNG TRỊ VỀ SIÊU MÁY TÍNH: Cả hai.", "Siêu máy tính."],
        ),
        ("Trụ sở ở TP.HCM và Hà Nội. Xong.", ["Trụ sở ở TP.HCM và Hà Nội.", "Xong."]),
        ("Thật sao? Đúng vậy! Tốt.", ["Thật sao?", "Đúng vậy!", "Tốt."]),
        ("   ", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_mask_keeps_length_and_only_touches_punctuation() -> None:
    text = "Xem www.a.com, TS. B và 3.5% v.v. Hết."
    masked = mask_protected(text)
    assert len(masked) == len(text)
    assert all(a == b or a in ".?!" for a, b in zip(text, masked, strict=True))


@pytest.mark.parametrize("name", ["forum_post_ai_race", "pdf_copy_supercomputers"])
def test_sample_offsets_slice_back_exactly(fixtures, name: str) -> None:
    result = clean_file(fixtures / f"{name}.vi.txt")
    seg = segment_paragraphs(result.paragraphs)
    assert [seg.cleaned_text[a:b] for a, b in seg.paragraph_spans] == [p.text for p in result.paragraphs]
    for s in seg.segments:
        assert seg.cleaned_text[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
    # every paragraph is fully covered: joining its sentences gives it back, up to spaces
    for p_idx, para in enumerate(result.paragraphs):
        own = [s.text for s in seg.segments if s.paragraph == p_idx]
        assert "".join(own).replace(" ", "") == para.text.replace(" ", "").strip()


def test_forum_post_sentences(fixtures) -> None:
    seg = segment_paragraphs(clean_file(fixtures / "forum_post_ai_race.vi.txt").paragraphs)
    texts = [s.text for s in seg.segments]
    assert "Năm 2023, theo GII của WIPO, Trung Quốc xếp thứ 12." in texts
    assert "- EU: chỉ 3, và cả 3 đều là Pháp." in texts
    assert "- Mỹ hơn ở các thuật toán (transformer, deep RL, safety, v.v.)." in texts
    assert "www.rdworldonline.com" in texts
    english = [s for s in seg.segments if s.lang == "en"]
    assert english and all(s.text for s in english)


def test_headings_and_sources_are_one_segment_each() -> None:
    paras = [
        Paragraph("Chương 1. Mở đầu. Giới thiệu", kind="heading"),
        Paragraph("www.example.com", kind="source", lang="en"),
        Paragraph("Câu một. Câu hai."),
    ]
    seg = segment_paragraphs(paras)
    assert [s.text for s in seg.segments] == ["Chương 1. Mở đầu. Giới thiệu", "www.example.com", "Câu một.", "Câu hai."]
    assert [s.lang for s in seg.segments] == ["vi", "en", "vi", "vi"]
    assert seg.cleaned_text == "Chương 1. Mở đầu. Giới thiệu\n\nwww.example.com\n\nCâu một. Câu hai."


_ALPHABET = st.sampled_from([*"aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạếềểễệ ABCĐ0123456789.,?!:;-()\"'/@%…", ". ", "? "])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=200).map("".join))
def test_spans_cover_every_character_in_order(text: str) -> None:
    spans = split_sentences(text)
    prev = 0
    for s in spans:
        assert prev <= s.start < s.end <= len(text)
        assert text[prev : s.start].strip() == ""  # nothing but spaces between sentences
        piece = text[s.start : s.end]
        assert piece == piece.strip()
        prev = s.end
    assert text[prev:].strip() == ""
