"""Cheap checks on one machine translation, to point a reader at outputs worth a second look.

Pure functions of the two strings; no model needed. The flags are hints, not verdicts: neural MT
fails in a few typical ways (empty output, a loop repeating a phrase, a hallucinated or truncated
length, the source copied through), and each has a plain textual symptom.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from app.core.layout.cues import has_vietnamese_letter

FLAGS = ("empty", "repeated", "length_ratio", "untranslated")
MIN_CHARS_FOR_RATIO = 20  # short strings ("Có.", "Điều 5") vary too much in length to judge
RATIO_RANGE = (0.3, 3.0)  # English is usually 0.9-1.4x the characters of its Vietnamese source
_PUNCT = re.compile(r"^\W+|\W+$")


def _words(text: str) -> list[str]:
    return [w for w in (_PUNCT.sub("", t).casefold() for t in text.split()) if w]


def has_repetition(text: str) -> bool:
    """A word said 4+ times in a row, or a 2-8 word phrase 3+ times in a row: the decoder looping."""
    words = _words(text)
    run = 1
    for prev, word in itertools.pairwise(words):
        run = run + 1 if word == prev else 1
        if run >= 4:
            return True
    for n in range(2, min(8, len(words) // 3) + 1):
        for i in range(len(words) - 3 * n + 1):
            if words[i : i + n] == words[i + n : i + 2 * n] == words[i + 2 * n : i + 3 * n]:
                return True
    return False


def _normalize(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def is_untranslated(source: str, target: str) -> bool:
    """The Vietnamese came through unchanged, or the output is mostly Vietnamese words."""
    if not has_vietnamese_letter(source):
        return False
    if _normalize(source) == _normalize(target):
        return True
    marked = [w for w in _words(target) if has_vietnamese_letter(w)]
    # Names keep their marks in English ("Hồ Chí Minh City"), so only a long run of them counts.
    return len(marked) >= 4 and len(marked) >= 0.5 * len(_words(target))


def quality_flags(source: str, target: str) -> list[str]:
    """Flag names from FLAGS, in that order; [] when nothing looks wrong (or the source is empty)."""
    if not source.strip():
        return []
    if not target.strip():
        return ["empty"]
    flags = []
    if has_repetition(target) and not has_repetition(source):
        flags.append("repeated")
    src_len, tgt_len = len(source.strip()), len(target.strip())
    if src_len >= MIN_CHARS_FOR_RATIO and not RATIO_RANGE[0] <= tgt_len / src_len <= RATIO_RANGE[1]:
        flags.append("length_ratio")
    if is_untranslated(source, target):
        flags.append("untranslated")
    return flags
