from __future__ import annotations

import pytest

from app.core.layout.cues import has_vietnamese_letter
from app.core.translate.quality import FLAGS, quality_flags

SRC = "Một báo cáo năm 2024 cho thấy Trung Quốc dẫn đầu thế giới về số lượng bằng sáng chế AI."
GOOD = "A 2024 report shows that China leads the world in the number of AI patents."


@pytest.mark.parametrize(
    ("source", "target", "flags"),
    [
        (SRC, GOOD, []),
        ("", "", []),
        ("   ", "anything", []),
        (SRC, "", ["empty"]),
        (SRC, "  \n", ["empty"]),
        ("Có.", "Yes.", []),  # short: no length judgement
        (SRC, "A report.", ["length_ratio"]),
        (SRC, GOOD * 4, ["length_ratio"]),
        (SRC, "China leads the the the the world in patents and in papers and in money.", ["repeated"]),
        (SRC, "China leads in patents, in patents, in patents, and papers too, says the report.", ["repeated"]),
        (SRC, "of the of the of the of the of the", ["repeated"]),
        ("Ha ha ha ha, anh ấy cười mãi không thôi.", "Ha ha ha ha, he kept laughing.", []),  # source repeats too
        (SRC, SRC, ["untranslated"]),
        (SRC, "  " + SRC.upper() + " ", ["untranslated"]),
        (SRC, "Một báo cáo năm 2024 cho thấy China dẫn đầu thế giới về số lượng patents.", ["untranslated"]),
        ("Thành phố Hồ Chí Minh rất đông.", "Hồ Chí Minh City is very crowded.", []),  # names keep marks
        ("Windows 11", "Windows 11", []),  # no Vietnamese marks: copying is fine
        ("Very very very good", "Very very very good", []),
    ],
)
def test_quality_flags(source: str, target: str, flags: list[str]) -> None:
    assert quality_flags(source, target) == flags


def test_flags_are_known_and_ordered() -> None:
    got = quality_flags(SRC, "")
    assert set(got) <= set(FLAGS)


@pytest.mark.parametrize(
    ("text", "marked"),
    [("Việt Nam", True), ("đi", True), ("Đà", True), ("cafe", False), ("Hello world", False), ("nghiên cứu", True)],
)
def test_has_vietnamese_marks(text: str, marked: bool) -> None:
    assert has_vietnamese_letter(text) is marked
