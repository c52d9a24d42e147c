"""The Vietnamese syllable grammar (app/core/syllables.py) on real words and real glued tokens."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from app.core.syllables import is_syllable, malformed_share, repair_glued, split_glued, vocabulary

FIXTURES = Path(__file__).parent / "fixtures"

_REAL_TEXT = (
    "Tổ chức Y tế thế giới một số thành tựu đáng kể trong Dự báo sự phát triển mạnh mẽ của nghiêng giếng gì "
    "quyết khuya Nguyễn Việt Nam nghĩa Cộng hòa hoà xã hội Độc lập Tự do Hạnh phúc uống oanh thuở khuỷu huỳnh "
    "yêu người được chương những điều kiện luật quốc gia bệnh viện khoa học công nghệ thông tin xoong CỘNG"
)
REAL_WORDS = _REAL_TEXT.split()


@pytest.mark.parametrize("word", REAL_WORDS)
def test_real_syllables_are_well_formed(word: str) -> None:
    assert is_syllable(word)


@pytest.mark.parametrize(
    "word",
    ["tổc", "hoá1", "Debian", "tỔ", "chủnghĩa", "đƣợc", "kểt", "ngha", "quo", "kan"],
)
def test_non_syllables_are_refused(word: str) -> None:
    assert not is_syllable(word)


# Glued tokens seen in real PDFs without space characters and in Tesseract output.
@pytest.mark.parametrize(
    ("token", "pieces"),
    [
        ("Tổchức", ["Tổ", "chức"]),
        ("tếthếgiới", ["tế", "thế", "giới"]),
        ("kểtrong", ["kể", "trong"]),
        ("mẽcủa", ["mẽ", "của"]),
        ("chủnghĩa", ["chủ", "nghĩa"]),
        ("Nghịđịnh", ["Nghị", "định"]),
        ("sửdụng", ["sử", "dụng"]),
        ("CỘNGHÒA", ["CỘNG", "HÒA"]),
        ("chủyếu", ["chủ", "yếu"]),  # y- is a common start, ế- is not
    ],
)
def test_glued_syllables_split(token: str, pieces: list[str]) -> None:
    assert split_glued(token) == pieces


def test_ascii_and_foreign_words_stay_whole_without_evidence() -> None:
    for word in ("banana", "Debian", "internet", "thanhcong", "ĐHQGHN"):
        assert split_glued(word) == [word]
    # the document's own vocabulary is the evidence an ASCII token needs
    assert split_glued("thanhcong", Counter({"thanh": 5, "cong": 4})) == ["thanh", "cong"]
    # English words fall into open two-letter syllables; a Vietnamese document uses those too
    common = Counter({"vo": 9, "lu": 9, "me": 9, "ge": 9, "ne": 9, "ra": 9, "ti": 9, "ve": 9})
    assert split_glued("volume", common) == ["volume"]
    assert split_glued("generative", common) == ["generative"]


def test_repair_glued_reports_each_edit() -> None:
    text = "Tổchức Y tếthếgiới công bố"
    fixed, edits = repair_glued(text, vocabulary([text]))
    assert fixed == "Tổ chức Y tế thế giới công bố"
    assert [(text[s:e], r) for s, e, r in edits] == [("Tổchức", "Tổ chức"), ("tếthếgiới", "tế thế giới")]


def test_samples_have_no_malformed_syllables_and_glued_text_has() -> None:
    for name in ("pdf_copy_supercomputers.vi.txt", "forum_post_ai_race.vi.txt"):
        assert malformed_share((FIXTURES / name).read_text(encoding="utf-8")) == 0.0
    assert malformed_share("Tổchức Y tếthếgiới một sốthành tựu ĐHQGHN Debian") == pytest.approx(3 / 6)
