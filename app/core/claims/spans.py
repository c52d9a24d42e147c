"""Two rules about a span a user marks, one definition for the window and the command line.

`snap_to_words`: a selection made by mouse often starts or ends inside a word ("Q dẫn đầu" for
"TQ dẫn đầu"); it is widened to whole words (Vietnamese writes one syllable per word, so a word here is
a run of letters, digits and combining marks; "1,5" and "3.000" are one word; "sáng-chế" is two).

`claims_over`: which claims already cover a span, the closest first. The window
uses it so that Ctrl+T or a tag key on a claimed sentence edits that claim instead of making a second
one, and asks before a second claim over the same words; `main.py claims add` refuses such a second
claim unless told --allow-duplicate. Orphaned claims (their words gone from the text) cover nothing."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Protocol, TypeVar


class _Spanned(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def status(self) -> str: ...


S = TypeVar("S", bound=_Spanned)

_JOINERS = ".,"  # inside a number: 1,5  3.000
_INNER = "'’"  # inside an English word: don't, China’s


def _is_word_char(text: str, i: int) -> bool:
    """Whether text[i] belongs to a word (letters, digits, combining marks, and a joiner between two
    digits or an apostrophe between two letters)."""
    if not 0 <= i < len(text):
        return False
    c = text[i]
    if c.isalnum() or unicodedata.category(c).startswith("M"):
        return True
    if 0 < i < len(text) - 1:
        before, after = text[i - 1], text[i + 1]
        if c in _JOINERS:
            return before.isdigit() and after.isdigit()
        if c in _INNER:
            return before.isalpha() and after.isalpha()
    return False


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) widened so that it neither starts nor ends inside a word of `text`. A span that
    already starts and ends at word boundaries (or holds no word) is returned as it is."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    if start == end:
        return start, end
    # starts inside a word: the character before it and the first one are both word characters
    while start > 0 and _is_word_char(text, start - 1) and _is_word_char(text, start):
        start -= 1
    while end < len(text) and _is_word_char(text, end - 1) and _is_word_char(text, end):
        end += 1
    return start, end


def claims_over(claims: Sequence[S], start: int, end: int) -> list[S]:
    """The attached claims whose words overlap [start, end), the one sharing the most characters
    with it first (ties: the shorter claim, the closer fit, then the earlier one)."""
    found = [c for c in claims if c.status == "attached" and c.start < end and start < c.end]
    return sorted(found, key=lambda c: (-(min(end, c.end) - max(start, c.start)), c.end - c.start, c.start))


def same_words(claim: _Spanned, start: int, end: int) -> bool:
    """Whether the claim covers exactly [start, end)."""
    return claim.status == "attached" and (claim.start, claim.end) == (start, end)


def is_claimed(claims: Sequence[_Spanned], start: int, end: int) -> bool:
    """Whether some attached claim overlaps [start, end) (such a sentence is not suggested again)."""
    return any(c.status == "attached" and c.start < end and start < c.end for c in claims)
