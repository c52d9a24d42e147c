"""The pure parts of exports: cutting sentences into highlighted pieces, safe notes and links."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.export.notes import parse, to_html, to_plain
from app.core.export.pieces import DEFAULT_COLOR, Mark, Piece, safe_color, split
from app.core.export.report import safe_url


def test_split_overlapping_marks() -> None:
    pieces = split("Năm 2023 Trung Quốc xếp thứ 12.", [Mark(9, 30, 1, "#aaa"), Mark(20, 30, 2, "#bbb")])
    assert pieces == (
        Piece("Năm 2023 "),
        Piece("Trung Quốc ", (1,), "#aaa"),
        Piece("xếp thứ 12", (1, 2), "#bbb", (1, 2)),  # the narrower claim's colour wins
        Piece("."),
    )


def test_split_claim_going_on_into_the_next_sentence() -> None:
    assert split("abc", [Mark(1, 99, 3, "#ccc", ends_here=False)]) == (Piece("a"), Piece("bc", (3,), "#ccc"))


@given(st.text(max_size=40), st.lists(st.tuples(st.integers(-5, 50), st.integers(-5, 50)), max_size=5))
def test_split_loses_nothing(text: str, spans: list[tuple[int, int]]) -> None:
    pieces = split(text, [Mark(a, b, i + 1, "#fff") for i, (a, b) in enumerate(spans)])
    assert "".join(p.text for p in pieces) == text


@pytest.mark.parametrize(
    ("color", "expected"),
    [("#AED6F1", "#aed6f1"), ("#abc", "#abc"), ("red; background: url(x)", DEFAULT_COLOR), ("", DEFAULT_COLOR)],
)
def test_safe_color(color: str, expected: str) -> None:
    assert safe_color(color) == expected


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://wipo.int/gii?a=1&b=2", True),
        ("http://example.org", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html,<b>x</b>", False),
        ("file:///etc/passwd", False),
        ("//evil.example", False),
        ("https://exa mple.org", False),
    ],
)
def test_only_http_links(url: str, ok: bool) -> None:
    assert (safe_url(url) == url) is ok


def test_note_subset_rendered_safely() -> None:
    note = 'Đúng: **GII 2023**, *xem* [WIPO](https://wipo.int/gii) [x](javascript:alert(1)) <img src=x onerror=y> "q"'
    html = str(to_html(note + "\n\ndòng 1\ndòng 2"))
    assert "<strong>GII 2023</strong>" in html and "<em>xem</em>" in html
    assert '<a href="https://wipo.int/gii" rel="noopener noreferrer">WIPO</a>' in html
    assert "javascript" in html and 'href="javascript' not in html
    assert "<img" not in html and "&lt;img src=x onerror=y&gt;" in html and "&#34;q&#34;" in html
    assert html.endswith("<p>dòng 1<br>dòng 2</p>")
    assert len(parse(note + "\n\n\n")) == 1
    assert to_plain("**a** [b](https://c.org)") == "a b <https://c.org>"
