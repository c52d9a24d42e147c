"""Validators for command-line arguments, one definition for every command: ids, offsets, counts,
seconds and free text are checked at the edge, so a bad value is one clear line from argparse
(`error: argument --limit: ...`, exit code 2) and never an OverflowError from SQLite or a
UnicodeEncodeError halfway through a command.

Each is an argparse `type=` function: it returns the parsed value or raises ArgumentTypeError.
File names are not validated here: a file name that is not valid UTF-8 is still a file the user can
import; `printable` makes such a name safe to print (its undecodable bytes shown as U+FFFD).
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

from app.core.errors import printable

__all__ = [
    "MAX_ID",
    "count",
    "document_ref",
    "offset",
    "output_file",
    "printable",
    "record_id",
    "seconds",
    "text",
]

MAX_ID = 2**63 - 1  # SQLite's largest INTEGER: no row id can be larger
MAX_TITLE_REF = 1_000  # characters of a title typed to find a document
MAX_OFFSET = 2**53  # character offsets: far beyond any document, still exact in every JSON reader
_SHOWN = 40  # characters of a bad value repeated in the error


def _short(value: str) -> str:
    shown = printable(value)
    return repr(shown if len(shown) <= _SHOWN else shown[: _SHOWN - 1] + "…")


def _int(value: str, what: str) -> int:
    raw = value.strip()
    if not raw.isascii() or not raw.lstrip("+-").isdigit() or len(raw) > 40:
        raise argparse.ArgumentTypeError(f"{_short(value)} is not {what}")
    return int(raw)


def text(value: str) -> str:
    """Free text (a note, a tag, a query): refused when it is not valid UTF-8. On POSIX, argv bytes
    that are not UTF-8 arrive as lone surrogates, which SQLite and every export would reject later."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        raise argparse.ArgumentTypeError(
            f"{_short(value)} is not valid UTF-8 text (character {err.start + 1} cannot be read); "
            "set the terminal to UTF-8 and type it again"
        ) from None
    return value


def record_id(value: str) -> int:
    """A claim's or document's number: 1 to 2**63-1 (a leading '#' is allowed)."""
    number = _int(value.strip().removeprefix("#"), "an id (a whole number such as 12)")
    if not 1 <= number <= MAX_ID:
        raise argparse.ArgumentTypeError(f"{_short(value)} is not an id: ids are whole numbers from 1 up")
    return number


def document_ref(value: str) -> str:
    """A document's id or part of its title. Digits must be an id SQLite can hold; other text must
    be valid UTF-8. Returned as typed, for `Library.resolve_document`."""
    text(value)
    ref = value.strip().removeprefix("#")
    if not ref:
        raise argparse.ArgumentTypeError("give a document id or part of its title (`main.py list` shows them)")
    if len(ref) > MAX_TITLE_REF:  # SQLite refuses LIKE patterns over 50,000 bytes; no title is that long
        raise argparse.ArgumentTypeError(
            f"{_short(value)} is too long for part of a title ({len(ref):,} characters; at most {MAX_TITLE_REF:,})"
        )
    if ref.isdigit() and (not ref.isascii() or not 1 <= int(ref) <= MAX_ID):
        raise argparse.ArgumentTypeError(
            f"{_short(value)} is not a document id; `main.py list` shows the ids (whole numbers from 1 up)"
        )
    return value


def offset(value: str) -> int:
    """A character offset in a document's cleaned text: 0 or more."""
    number = _int(value, "an offset (a whole number, 0 or more)")
    if not 0 <= number <= MAX_OFFSET:
        raise argparse.ArgumentTypeError(f"{_short(value)} is not an offset: offsets are whole numbers from 0 up")
    return number


def count(low: int = 1, high: int = 10_000) -> Callable[[str], int]:
    """A whole number from `low` to `high`, e.g. `--limit`."""

    def parse(value: str) -> int:
        number = _int(value, f"a whole number from {low:,} to {high:,}")
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"{_short(value)} is out of range: give a number from {low:,} to {high:,}")
        return number

    parse.__name__ = "number"  # argparse names the type in its own messages
    return parse


def seconds(low: float = 0.1, high: float = 3600.0) -> Callable[[str], float]:
    """A duration in seconds, finite, from `low` to `high`."""

    def parse(value: str) -> float:
        try:
            number = float(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{_short(value)} is not a number of seconds") from None
        if not math.isfinite(number) or not low <= number <= high:
            raise argparse.ArgumentTypeError(f"{_short(value)} is out of range: give {low:g} to {high:g} seconds")
        return number

    parse.__name__ = "seconds"
    return parse


def output_file(value: str) -> str:
    """A file to write (an export, a backup): not empty, and not a name ending in a separator, which
    names a folder (`-o out/` once wrote a file called `out`: pathlib drops the trailing slash)."""
    import os

    if not value.strip():
        raise argparse.ArgumentTypeError("give a file name to write")
    if value.endswith(("/", os.sep)) or value in {".", ".."} or value.endswith(("/.", "/..")):
        raise argparse.ArgumentTypeError(
            f"{_short(value)} is a folder; give a file name, e.g. {value.rstrip('/')}/report"
        )
    return value
