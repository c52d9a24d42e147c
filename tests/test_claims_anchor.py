"""Anchors re-attach to the same words after the text around them changes, or report them gone."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.claims.anchor import make_anchor, reattach

TEXT = "Năm 2023, theo GII của WIPO, Trung Quốc xếp thứ 12. Năm 2024, Trung Quốc lên thứ 11. Hết."


def span_of(text: str, words: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(words, start + 1)
    return start, start + len(words)


def test_unchanged_text_keeps_offsets() -> None:
    a = make_anchor(TEXT, *span_of(TEXT, "xếp thứ 12"))
    assert reattach(a, TEXT) == (a.start, a.end)


@pytest.mark.parametrize(
    "changed",
    [
        "Mở đầu mới được thêm vào. " + TEXT,  # text inserted before
        TEXT.replace("Trung Quốc xếp", "Trung Quốc\nxếp"),  # a join undone: space -> line break
        TEXT.replace(", Trung Quốc xếp thứ 12", ",\n\nTrung Quốc xếp thứ 12"),  # a paragraph split
        TEXT.replace("xếp thứ 12", "xếp thứ\n12"),  # a line break inside the words
        TEXT.replace("xếp thứ 12", "xếp thứ 1-\n2"),  # de-hyphenation undone inside the words
    ],
)
def test_reattaches_to_the_same_words(changed: str) -> None:
    a = make_anchor(TEXT, *span_of(TEXT, "Trung Quốc xếp thứ 12"))
    found = reattach(a, changed)
    assert found is not None
    words = changed[found[0] : found[1]]
    assert " ".join(words.replace("-\n", "").split()) == "Trung Quốc xếp thứ 12"


def test_picks_the_occurrence_with_the_same_context() -> None:
    text = "Trung Quốc lên thứ 11. Sau đó Trung Quốc lên thứ 11 lần nữa."
    second = make_anchor(text, *span_of(text, "Trung Quốc lên thứ 11", 1))
    moved = "Thêm câu đầu. " + text
    found = reattach(second, moved)
    assert found == span_of(moved, "Trung Quốc lên thứ 11", 1)


def test_words_gone_means_orphaned() -> None:
    a = make_anchor(TEXT, *span_of(TEXT, "xếp thứ 12"))
    assert reattach(a, TEXT.replace("xếp thứ 12", "đứng thứ mười hai")) is None


def test_span_must_be_inside_the_text() -> None:
    with pytest.raises(ValueError):
        make_anchor(TEXT, 5, 5)
    with pytest.raises(ValueError):
        make_anchor(TEXT, 0, len(TEXT) + 1)


@settings(max_examples=200, deadline=None)
@given(
    before=st.text(alphabet="abc xyz\n.,", max_size=40),
    after=st.text(alphabet="abc xyz\n.,", max_size=40),
)
def test_edits_around_the_words_never_lose_them(before: str, after: str) -> None:
    a = make_anchor(TEXT, *span_of(TEXT, "xếp thứ 12"))
    changed = before + TEXT + after
    found = reattach(a, changed)
    assert found is not None and changed[found[0] : found[1]] == "xếp thứ 12"
