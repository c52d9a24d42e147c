"""Legacy-font text layers (issue 16): PDFs set in TCVN3 (.VnTime…) and VNI (VNI-Times…) fonts hold
the 8-bit codes as Windows-1252 letters ("Céng hßa", "Coäng hoøa"); import decodes them with the one
decoder in app/core/ingest/legacy_vn.py and lists the decoding as a repair."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.ingest import pdf_glyphs
from app.core.ingest.legacy_vn import encode_tcvn3, encode_vni, tcvn3_fold
from app.core.pipeline import clean_file
from tests.glyph_pdfs import odd_chars_pdf, variant_pdf

PARAGRAPHS = [
    "Cộng hòa xã hội chủ nghĩa Việt Nam",
    "Độc lập, tự do, hạnh phúc. Căn cứ luật tổ chức chính phủ ngày 19 tháng 6 năm 2015, "
    "bộ trưởng quyết định ban hành quy chế về việc quản lý hồ sơ của người lao động.",
    "Luồng làm việc tạo ra gói Debian được mô tả ở chương này, với các bước chuẩn bị mã nguồn "
    "và kiểm tra chất lượng trước khi phát hành.",
]


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    pdf = variant_pdf(tmp_path_factory.mktemp("uni") / "unicode.pdf", PARAGRAPHS, "unicode")
    return [p.text for p in clean_file(pdf).paragraphs]


@pytest.mark.parametrize(("variant", "label"), [("tcvn3", "TCVN3"), ("vni", "VNI")])
def test_legacy_font_pdfs_give_the_unicode_originals_paragraphs(
    tmp_path: Path, original: list[str], variant: str, label: str
) -> None:
    pdf = variant_pdf(tmp_path / f"{variant}.pdf", PARAGRAPHS, variant)
    result = clean_file(pdf)
    expected = [tcvn3_fold(t) for t in original] if variant == "tcvn3" else original
    assert [p.text for p in result.paragraphs] == expected
    repair = next(r for r in result.repairs if r.kind == "legacy_font")
    assert label in repair.detail and repair.page == 1


def test_tcvn3_capitals_font_gives_capitals(tmp_path: Path) -> None:
    heading = "cộng hòa xã hội chủ nghĩa việt nam"
    pdf = variant_pdf(tmp_path / "h.pdf", [heading], "tcvn3", font_name=".VnTimeH")
    assert [p.text for p in clean_file(pdf).paragraphs] == [heading.upper()]


def test_legacy_text_in_a_font_without_a_legacy_name_is_recognised_by_its_syllables(tmp_path: Path) -> None:
    pdf = variant_pdf(tmp_path / "n.pdf", PARAGRAPHS[1:], "tcvn3", font_name="TimesNewRomanPSMT")
    result = clean_file(pdf)
    assert [p.text for p in result.paragraphs] == [tcvn3_fold(t) for t in PARAGRAPHS[1:]]


def test_unicode_signs_are_not_taken_for_legacy_codes(tmp_path: Path) -> None:
    lines = ["F1 score = 2 × Recall × Precision / (Recall + Precision)", "Giá trị ±5 %, nhiệt độ 25 °C"]
    result = clean_file(odd_chars_pdf(tmp_path / "signs.pdf", lines))
    assert [p.text for p in result.paragraphs] == lines
    assert not [r for r in result.repairs if r.kind == "legacy_font"]


def test_span_decoding_follows_the_font_name() -> None:
    text = "Céng hßa x· héi chñ nghÜa ViÖt Nam"
    assert text == encode_tcvn3("Cộng hòa xã hội chủ nghĩa Việt Nam").decode("cp1252")
    assert pdf_glyphs.decode_span_text(text, "ABCDEF+.VnTime") == ("Cộng hòa xã hội chủ nghĩa Việt Nam", "tcvn3")
    assert pdf_glyphs.decode_span_text(text, ".VnArial,Bold")[1] == "tcvn3"
    assert pdf_glyphs.decode_span_text(text, "TimesNewRomanPSMT") == (text, None)
    vni = encode_vni("Cộng hòa xã hội").decode("cp1252")
    assert pdf_glyphs.decode_span_text(vni, "VNI-Times") == ("Cộng hòa xã hội", "vni")
    assert pdf_glyphs.font_encoding("VNI-Helve-Condense") == "vni"
    assert pdf_glyphs.font_encoding("Verdana") is None
    assert pdf_glyphs.font_encoding("VnTimeH") == pdf_glyphs.font_encoding("VK Sans Serif") == "tcvn3"
    assert pdf_glyphs.font_encoding("Vni") is None and pdf_glyphs.font_encoding("Vnexpress") is None
    assert pdf_glyphs.decode_span_text("Mục lục 1.2", ".VnTime") == ("Mục lục 1.2", None)  # Unicode already
    # A run whose codes all look like Latin-1 letters is still a code in a legacy font: "ChuÈn", "È" (.VnTimeH)
    assert pdf_glyphs.decode_span_text(" ChuÈn ", ".VnTime") == (" Chuẩn ", "tcvn3")
    assert pdf_glyphs.decode_span_text("È", "ABCDEF+.VnTimeH-Bold") == ("Ẩ", "tcvn3")
    # Unicode capitals in a font that only bears the name (Word 2010 textbook's table of contents)
    assert pdf_glyphs.decode_span_text("N LÝ FILE", ".VnArial,Bold") == ("N LÝ FILE", None)
    assert pdf_glyphs.decode_span_text("C«ng cô > VÜ lÖnh", ".VnTime") == ("Công cụ > Vĩ lệnh", "tcvn3")
    assert pdf_glyphs.decode_span_text("VÝ dô: ChÐp hµng", ".VnTime") == ("Ví dụ: Chép hàng", "tcvn3")
    assert pdf_glyphs.decode_span_text("VÝ dô", ".VnTime") == ("VÝ dô", None)  # alone it could be Unicode
    assert pdf_glyphs.decode_span_text("VÝ dô", ".VnTime", legacy_page=True) == ("Ví dụ", "tcvn3")
