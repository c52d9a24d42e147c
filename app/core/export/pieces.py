"""Cutting a sentence into highlighted pieces: pure functions of text and claim spans."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_COLOR = "#f9e79f"
_HEX_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")


def safe_color(color: str | None) -> str:
    """A tag colour fit to go into a style attribute: `#rgb`/`#rrggbb` only, else the default yellow."""
    return color.lower() if color and _HEX_COLOR.fullmatch(color.strip()) else DEFAULT_COLOR


@dataclass(frozen=True)
class Mark:
    """One claim's span inside one text: [start, end) with its footnote number and colour."""

    start: int
    end: int
    number: int
    color: str
    ends_here: bool = True  # False when the claim goes on into the next sentence (its marker comes later)


@dataclass(frozen=True)
class Piece:
    text: str
    claims: tuple[int, ...] = ()  # footnote numbers of the claims covering this text
    color: str | None = None  # highlight: the colour of the narrowest covering claim
    notes: tuple[int, ...] = ()  # footnote markers to print right after this piece


def split(text: str, marks: Sequence[Mark]) -> tuple[Piece, ...]:
    """`text` as consecutive pieces; joining their texts gives `text` back, nothing lost or doubled."""
    spans = [m for m in marks if m.start < m.end and m.end > 0 and m.start < len(text)]
    cuts = sorted({0, len(text), *(max(0, m.start) for m in spans), *(min(len(text), m.end) for m in spans)})
    pieces: list[Piece] = []
    for a, b in itertools.pairwise(cuts):
        covering = [m for m in spans if m.start <= a and m.end >= b]
        narrowest = min(covering, key=lambda m: (m.end - m.start, -m.number), default=None)
        notes = tuple(m.number for m in covering if m.ends_here and min(len(text), m.end) == b)
        pieces.append(
            Piece(
                text[a:b],
                tuple(m.number for m in covering),
                narrowest.color if narrowest else None,
                notes,
            )
        )
    return tuple(pieces) if pieces else (Piece(text),)
