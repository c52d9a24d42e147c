"""A claim's spans per sentence, in both languages: one definition for the reader table, the claims
panel, the command line and every report.

The Vietnamese side is the claim's stored span of the cleaned text (kept current by re-anchoring).
The English side is found in the *current* English of the sentences the claim covers, joined by
single spaces: either all of it, or the user's own English span, looked up again by its words and
context (`anchor.reattach`), so a post-edit that adds words before it does not shift the highlight.
When the user's English words are gone, the claim keeps its last English (flagged "orphaned") and no
English words are highlighted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.core.claims.anchor import Anchor, reattach
from app.core.store import Library, StoredSegment
from app.core.store.claims import ClaimRow

Span = tuple[int, int]


@dataclass(frozen=True)
class SentenceSpans:
    """The claim's words inside one sentence: offsets into its Vietnamese and into its English."""

    segment_id: int
    vi: Span | None  # None when the claim's Vietnamese words are gone (orphaned)
    en: Span | None  # None when the sentence has no English, or the claim's English words are elsewhere


@dataclass(frozen=True)
class ClaimSpans:
    english: str  # the claim's English words as a user sees them
    english_status: str  # attached | orphaned (the user's English span is gone) | untranslated
    sentences: tuple[SentenceSpans, ...]  # the covered sentences, in document order

    def vi(self, segment_id: int) -> Span | None:
        return next((s.vi for s in self.sentences if s.segment_id == segment_id), None)

    def en(self, segment_id: int) -> Span | None:
        return next((s.en for s in self.sentences if s.segment_id == segment_id), None)


def covered_segments(row: ClaimRow, segments: Sequence[StoredSegment]) -> list[StoredSegment]:
    """The document's sentences from the claim's first to its last (none when it is orphaned)."""
    if row.segment_first is None:
        return []
    last = row.segment_last if row.segment_last is not None else row.segment_first
    ids = [s.id for s in segments]
    if row.segment_first not in ids or last not in ids:
        return []
    return list(segments[ids.index(row.segment_first) : ids.index(last) + 1])


def claim_spans(row: ClaimRow, covered: Sequence[StoredSegment], english: Mapping[int, str]) -> ClaimSpans:
    """The claim's spans in the covered sentences, given each sentence's current English by segment
    id (a sentence missing from `english` is untranslated)."""
    vi: dict[int, Span] = {}
    if row.status == "attached":
        for seg in covered:
            if row.start < seg.end_char and row.end > seg.start_char:
                vi[seg.id] = (
                    max(row.start, seg.start_char) - seg.start_char,
                    min(row.end, seg.end_char) - seg.start_char,
                )
    translated = [(s.id, english[s.id]) for s in covered if s.id in english]
    aligned = " ".join(text for _sid, text in translated)
    en: dict[int, Span] = {}
    if not aligned:
        status = "untranslated" if row.status == "attached" else "orphaned"
        shown = row.en_quote or ""
    elif not row.en_custom or row.en_quote is None:
        status, shown = "attached", aligned
        en = {sid: (0, len(text)) for sid, text in translated}
    else:
        anchor = Anchor(row.en_start or 0, row.en_end or 0, row.en_quote, row.en_prefix, row.en_suffix)
        found = reattach(anchor, aligned)
        if found is None:  # the English changed under the user's span: keep their words, flag it
            status, shown = "orphaned", row.en_quote
        else:
            status, shown = "attached", aligned[found[0] : found[1]]
            offset = 0
            for sid, text in translated:
                a, b = max(found[0] - offset, 0), min(found[1] - offset, len(text))
                if a < b:
                    en[sid] = (a, b)
                offset += len(text) + 1
    return ClaimSpans(
        english=shown,
        english_status=status,
        sentences=tuple(SentenceSpans(s.id, vi.get(s.id), en.get(s.id)) for s in covered),
    )


def aligned_english(covered: Sequence[StoredSegment], english: Mapping[int, str]) -> str:
    """The covered sentences' current English joined by single spaces: what an English span's offsets
    (`ClaimStore.set_english_span`) count in."""
    return " ".join(english[s.id] for s in covered if s.id in english)


def covered_sentences(library: Library, row: ClaimRow) -> tuple[list[StoredSegment], dict[int, str]]:
    """The claim's sentences and their current English (by segment id), read for this claim alone."""
    if row.segment_first is None:
        return [], {}
    last = row.segment_last if row.segment_last is not None else row.segment_first
    pairs = library.sentences_between(row.segment_first, last)
    return [s for s, _en in pairs], {s.id: en for s, en in pairs if en is not None}
