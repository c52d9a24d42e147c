"""The surface checks of `checks.check_pair` (empty, repetition, length, untranslated) on short pairs:
each case names the flags among those four it must raise, and no other of them."""

from __future__ import annotations

import pytest

from app.core.layout.cues import has_vietnamese_letter
from app.core.translate.checks import KINDS, check_pair

SURFACE = ("empty", "repetition", "length", "untranslated")

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
        (SRC, "A report.", ["length"]),
        (SRC, GOOD * 4, ["length"]),
        (SRC, "China leads the the the the world in patents and in papers and in money.", ["repetition"]),
        (SRC, "China leads in patents, in patents, in patents, and papers too, says the report.", ["repetition"]),
        (SRC, "of the of the of the of the of the", ["repetition"]),
        ("Ha ha ha ha, anh ấy cười mãi không thôi.", "Ha ha ha ha, he kept laughing.", []),  # source repeats too
        (SRC, SRC, ["untranslated"]),
        (SRC, "  " + SRC.upper() + " ", ["untranslated"]),
        (SRC, "Một báo cáo năm 2024 cho thấy China dẫn đầu thế giới về số lượng patents.", ["untranslated"]),
        ("Thành phố Hồ Chí Minh rất đông.", "Hồ Chí Minh City is very crowded.", []),  # names keep marks
        ("Windows 11", "Windows 11", []),  # no Vietnamese marks: copying is fine
        ("Very very very good", "Very very very good", []),
    ],
)
def test_surface_checks(source: str, target: str, flags: list[str]) -> None:
    kinds = [f.kind for f in check_pair(source, target)]
    assert [k for k in kinds if k in SURFACE] == flags


def test_flags_are_known_and_ordered() -> None:
    kinds = [f.kind for f in check_pair(SRC, "of the of the of the of the of the")]
    assert set(kinds) <= set(KINDS)
    assert kinds == sorted(kinds, key=KINDS.index)


@pytest.mark.parametrize(
    ("text", "marked"),
    [("Việt Nam", True), ("đi", True), ("Đà", True), ("cafe", False), ("Hello world", False), ("nghiên cứu", True)],
)
def test_has_vietnamese_marks(text: str, marked: bool) -> None:
    assert has_vietnamese_letter(text) is marked
