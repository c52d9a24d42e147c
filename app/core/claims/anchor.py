"""Anchoring a claim to its words so it survives changes to the text around it.

An anchor is the span's offsets plus the quoted words and a little context before and after (the
W3C Web Annotation "TextQuoteSelector + TextPositionSelector" pair, as Hypothesis uses it). When the
text changes (a layout repair undone, a re-clean, a new translation) the quote is looked up again:
first at the old offsets, then everywhere, comparing whitespace-insensitively (undoing a join turns a
space into a line break; undoing de-hyphenation brings back "sáng-\\nchế"), and the occurrence whose
context matches best, nearest the old place, wins. If the quote is gone, the anchor is orphaned."""

from __future__ import annotations

import re
from dataclasses import dataclass

CONTEXT = 32  # characters of context kept on each side


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    quote: str
    prefix: str = ""
    suffix: str = ""


def make_anchor(text: str, start: int, end: int, context: int = CONTEXT) -> Anchor:
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span {start}-{end} is outside the text (length {len(text)})")
    return Anchor(start, end, text[start:end], text[max(0, start - context) : start], text[end : end + context])


# Characters dropped before comparing: soft hyphens, and a hyphen that ends a line (de-hyphenation).
_IGNORABLE = re.compile(r"\u00ad|-[ \t]*\n")
_SPACE = re.compile(r"\s+")


def _normalise(text: str) -> tuple[str, list[int]]:
    """`text` with whitespace runs as one space and line-end hyphens removed, and for each
    character of the result its offset in `text` (plus one final entry for the end)."""
    out: list[str] = []
    where: list[int] = []
    i = 0
    n = len(text)
    while i < n:
        m = _IGNORABLE.match(text, i)
        if m:
            i = m.end()
            continue
        if text[i].isspace():
            m = _SPACE.match(text, i)
            assert m is not None
            if out and out[-1] != " ":
                out.append(" ")
                where.append(i)
            i = m.end()
            continue
        out.append(text[i])
        where.append(i)
        i += 1
    where.append(n)
    return "".join(out), where


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def reattach(anchor: Anchor, text: str) -> tuple[int, int] | None:
    """Where the anchor's words are in `text` now, or None when they are gone (orphaned)."""
    if text[anchor.start : anchor.end] == anchor.quote and _context_fits(anchor, text, anchor.start, anchor.end):
        return anchor.start, anchor.end
    norm_text, where = _normalise(text)
    quote = _normalise(anchor.quote)[0].strip()
    if not quote:
        return None
    prefix = _normalise(anchor.prefix)[0]
    suffix = _normalise(anchor.suffix)[0]
    best: tuple[tuple[int, int], tuple[int, int]] | None = None
    pos = norm_text.find(quote)
    while pos >= 0:
        end = pos + len(quote)
        context = _common_suffix(norm_text[max(0, pos - len(prefix)) : pos], prefix) + _common_prefix(
            norm_text[end : end + len(suffix)], suffix
        )
        start_orig = where[pos]
        end_orig = where[end - 1] + 1
        rank = (context, -abs(start_orig - anchor.start))
        if best is None or rank > best[0]:
            best = (rank, (start_orig, end_orig))
        pos = norm_text.find(quote, pos + 1)
    return best[1] if best else None


def _context_fits(anchor: Anchor, text: str, start: int, end: int) -> bool:
    before = text[max(0, start - len(anchor.prefix)) : start]
    after = text[end : end + len(anchor.suffix)]
    return _normalise(before)[0].strip() == _normalise(anchor.prefix)[0].strip() and (
        _normalise(after)[0].strip() == _normalise(anchor.suffix)[0].strip()
    )
