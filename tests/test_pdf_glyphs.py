"""Words from glyph geometry (issue 16): PDFs whose text layers are drawn the way real producers draw
them — letters from a fallback font, accents drawn apart, no space characters — and text that
/ActualText hides, look-alike letters, zero-width and private-use characters. Real PDFs built in
tests/glyph_pdfs.py, read through the import path (child process + layout repair)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from app.core.ingest import pdf_glyphs
from app.core.ingest.pdf import read_pdf
from app.core.model import CleanResult
from app.core.pipeline import clean_file
from tests.glyph_pdfs import actual_text_pdf, letter_spaced_pdf, odd_chars_pdf, variant_pdf

PARAGRAPHS = [
    "2.1. Luồng làm việc tạo ra gói Debian",
    "Việc viết lại tài liệu này với các nội dung mới được thực hiện bởi nhóm dịch thuật của dự án, "
    "những người đã dành nhiều thời gian để kiểm tra từng chương một cách cẩn thận.",
    "Tổ chức Y tế thế giới ghi nhận một số thành tựu đáng kể trong việc phòng chống dịch bệnh, "
    "nhưng sự phát triển mạnh mẽ của các bệnh không lây nhiễm vẫn là thách thức lớn.",
    "Dự báo thời tiết cho thấy mưa lớn sẽ kéo dài ở các tỉnh miền Trung trong tuần tới, người dân cần chủ động.",
]


def _texts(result: CleanResult) -> list[str]:
    return [p.text for p in result.paragraphs]


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    pdf = variant_pdf(tmp_path_factory.mktemp("uni") / "unicode.pdf", PARAGRAPHS, "unicode")
    texts = _texts(clean_file(pdf))
    assert texts == PARAGRAPHS  # the Unicode original reads back exactly
    return texts


@pytest.mark.parametrize("variant", ["fallback", "marks", "nospace"])
def test_producer_variants_give_the_unicode_originals_paragraphs(
    tmp_path: Path, original: list[str], variant: str
) -> None:
    result = clean_file(variant_pdf(tmp_path / f"{variant}.pdf", PARAGRAPHS, variant))
    assert _texts(result) == original
    assert all(unicodedata.is_normalized("NFC", t) for t in _texts(result))
    shown = [r for r in result.repairs if r.kind == "glyph_lines"]
    assert shown and "page 1" in shown[0].detail  # the user sees that the lines were rebuilt


def test_glyphs_drawn_twice_a_hair_apart_are_read_once(tmp_path: Path, original: list[str]) -> None:
    result = clean_file(variant_pdf(tmp_path / "shadow.pdf", PARAGRAPHS, "nospace", shadow=True))
    assert _texts(result) == original


def test_decomposed_text_is_composed_without_rebuilding_the_lines(tmp_path: Path, original: list[str]) -> None:
    result = clean_file(variant_pdf(tmp_path / "nfd.pdf", PARAGRAPHS, "nfd"))
    assert _texts(result) == original
    assert not [r for r in result.repairs if r.kind == "glyph_lines"]


def test_letter_spaced_heading_reads_as_words(tmp_path: Path) -> None:
    heading = "CHƯƠNG MỘT: TỔNG QUAN VỀ HỆ ĐIỀU HÀNH"
    result = clean_file(letter_spaced_pdf(tmp_path / "ls.pdf", heading, PARAGRAPHS[1:3]))
    assert _texts(result) == [heading, *PARAGRAPHS[1:3]]


def test_actual_text_that_swallows_drawn_glyphs_is_replaced_by_the_glyphs(tmp_path: Path) -> None:
    drawn = "Sổ tay sinh viên năm học 2024 hướng dẫn đầy đủ các quy định"
    result = clean_file(actual_text_pdf(tmp_path / "at.pdf", drawn, "Sổ"))
    assert _texts(result) == [f"{drawn} 1", "Dòng này không bị thay thế."]
    repair = next(r for r in result.repairs if r.kind == "drawn_text")
    assert repair.page == 1 and "/ActualText" in repair.detail


def test_actual_text_is_found_on_pages_between_the_sampled_ones(tmp_path: Path) -> None:
    drawn = "Sổ tay sinh viên năm học 2024 hướng dẫn đầy đủ các quy định"
    # Pages 1-3 and every tenth are searched first; page 11 holds /ActualText, so page 6 is read again.
    pdf = actual_text_pdf(tmp_path / "at12.pdf", drawn, "Sổ", pages=12, on=(5, 10))
    doc = read_pdf(pdf)  # the lines as read (layout would drop lines repeated on every page)
    assert [page.lines[0].text for page in doc.pages] == [f"{drawn} {n}" for n in range(1, 13)]
    assert [r.page for r in doc.repairs if r.kind == "drawn_text"] == [6, 11]


def test_look_alike_zero_width_and_private_use_characters_are_normalised_and_listed(tmp_path: Path) -> None:
    lines = ["Chƣơng 1: đƣợc\u200b viết bằng tiếng Việt", "• Mục một của chƣơng", "Ƣu tiên hàng đầu"]
    result = clean_file(odd_chars_pdf(tmp_path / "odd.pdf", lines, remap={"•": "\uf0b7"}))
    text = "\n".join(_texts(result))
    assert not [ch for ch in text if pdf_glyphs.is_odd(ch)]
    assert "Chương 1: được viết bằng tiếng Việt" in text
    assert "• Mục một của chương" in text
    assert "Ưu tiên hàng đầu" in text
    details = " | ".join(r.detail for r in result.repairs if r.kind == "normalise_chars")
    assert "ƣ/Ƣ read as ư/Ư: 4" in details
    assert "zero-width characters removed: 1" in details
    assert "private-use symbols removed (bullets shown as •): 1" in details


def test_glued_share_counts_glued_syllables_not_foreign_names() -> None:
    glued = "Tổchức Y tếthếgiới ghi nhận một sốthành tựu đáng kểtrong việc phòng chống dịch bệnh"
    names = "Fátima Júlio César Cláudia Patrocínio và các cộng sự đã công bố kết quả nghiên cứu"
    assert pdf_glyphs.glued_share(glued) > 0.2
    assert pdf_glyphs.glued_share(names) == 0.0


def test_pages_read_right_by_mupdf_are_not_rebuilt(tmp_path: Path) -> None:
    result = clean_file(variant_pdf(tmp_path / "u.pdf", PARAGRAPHS, "unicode"))
    assert not [r for r in result.repairs if r.kind in ("glyph_lines", "glued_syllables", "legacy_font")]
