"""The first translation checks (empty, repeated, length_ratio, untranslated), kept for callers and
libraries that use these names. The checks themselves live in app/core/translate/checks.py, the one
place for them: `quality_flags` is a view of `checks.check_pair` in the old names."""

from __future__ import annotations

from app.core.translate.checks import (
    MIN_CHARS_FOR_RATIO,
    RATIO_RANGE,
    has_repetition,
    is_untranslated,
    length_odd,
)

FLAGS = ("empty", "repeated", "length_ratio", "untranslated")
__all__ = ["FLAGS", "MIN_CHARS_FOR_RATIO", "RATIO_RANGE", "has_repetition", "is_untranslated", "quality_flags"]


def quality_flags(source: str, target: str) -> list[str]:
    """Flag names from FLAGS, in that order; [] when nothing looks wrong (or the source is empty)."""
    if not source.strip():
        return []
    if not target.strip():
        return ["empty"]
    flags = []
    if has_repetition(target) and not has_repetition(source):
        flags.append("repeated")
    if length_odd(source, target):
        flags.append("length_ratio")
    if is_untranslated(source, target):
        flags.append("untranslated")
    return flags
