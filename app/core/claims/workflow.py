"""What a user does with claims, on a stored document: mark a span, see it in both languages, keep it
attached when the text is re-cleaned or re-translated, and never lose it."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.core import paths
from app.core.claims.alignment import ClaimSpans, aligned_english, claim_spans, covered_sentences
from app.core.claims.anchor import Anchor, make_anchor, reattach
from app.core.claims.spans import claims_over, snap_to_words
from app.core.errors import InputError
from app.core.model import Paragraph, Repair, Segment
from app.core.segment import segment_paragraphs
from app.core.store import Library, StoredSegment, keep
from app.core.store.claims import ClaimRow, ClaimStore, NewClaim


@dataclass(frozen=True)
class ClaimView:
    """A claim with both sides resolved against the document as it is now (`alignment.claim_spans`)."""

    row: ClaimRow
    spans: ClaimSpans
    segments: tuple[StoredSegment, ...]  # the sentences it covers, in order (none when orphaned)

    @property
    def id(self) -> int:
        return self.row.id

    @property
    def english(self) -> str:
        """The English counterpart (the aligned sentences, or the user's own span)."""
        return self.spans.english

    @property
    def english_status(self) -> str:
        """attached | orphaned (the user's English span is gone) | untranslated"""
        return self.spans.english_status


def _segments_covering(segments: Sequence[StoredSegment], start: int, end: int) -> tuple[int | None, int | None]:
    """Ids of the first and last segments that overlap [start, end)."""
    hits = [s.id for s in segments if s.start_char < end and s.end_char > start]
    return (hits[0], hits[-1]) if hits else (None, None)


def create_claim(
    library: Library,
    doc_id: int,
    start: int,
    end: int,
    *,
    tags: Sequence[str] = (),
    note: str = "",
    verdict: str = "unchecked",
    origin: str = "user",
    allow_duplicate: bool = True,
) -> int:
    """Mark the Vietnamese span [start, end) of the document's cleaned text as a claim; the span is
    widened to whole words (`spans.snap_to_words`) and trimmed of spaces (`claim_span`). With
    `allow_duplicate=False`, words some claim already covers are refused (DuplicateClaimError)."""
    _raw, cleaned = library.document_texts(doc_id)
    start, end = claim_span(cleaned, start, end)
    if not allow_duplicate:
        existing = claims_over(ClaimStore(library).for_document(doc_id), start, end)
        if existing:
            raise DuplicateClaimError(existing[0], start, end)
    anchor = make_anchor(cleaned, start, end)
    first, last = _segments_covering(library.segments(doc_id), start, end)
    return ClaimStore(library).add(
        NewClaim(
            document_id=doc_id,
            start=anchor.start,
            end=anchor.end,
            quote=anchor.quote,
            prefix=anchor.prefix,
            suffix=anchor.suffix,
            segment_first=first,
            segment_last=last,
            tags=tags,
            note=note,
            verdict=verdict,
            origin=origin,
        )
    )


def claim_span(cleaned: str, start: int, end: int) -> tuple[int, int]:
    """The span a selection [start, end) of the cleaned text marks: whole words, no spaces at its ends."""
    if not 0 <= start < end <= len(cleaned):
        raise InputError(f"the span {start}-{end} is outside the document (0-{len(cleaned)})")
    start, end = snap_to_words(cleaned, start, end)
    # Trim spaces the user's selection caught at either end.
    while start < end and cleaned[start].isspace():
        start += 1
    while end > start and cleaned[end - 1].isspace():
        end -= 1
    if start == end:
        raise InputError("the selection holds only spaces; select the words of the claim")
    return start, end


class DuplicateClaimError(InputError):
    """A new claim over words an existing claim already covers."""

    def __init__(self, existing: ClaimRow, start: int, end: int) -> None:
        self.existing = existing
        quote = existing.quote if len(existing.quote) <= 60 else existing.quote[:59] + "…"
        what = f"claim #{existing.id} already covers these words ({existing.start}-{existing.end}: “{quote}”)"
        super().__init__(
            f"{what}; edit it with `main.py claims edit {existing.id}`,"
            " or add --allow-duplicate to mark a second claim",
            neutral=what,
        )

    def __reduce__(self) -> tuple[type, tuple[ClaimRow, int, int]]:  # type: ignore[override]
        return (type(self), (self.existing, self.existing.start, self.existing.end))


def claims_covering(library: Library, doc_id: int, start: int, end: int) -> list[ClaimRow]:
    """The document's claims over the words [start, end), the most overlapping first (`spans.claims_over`)."""
    return claims_over(ClaimStore(library).for_document(doc_id), start, end)


def views(library: Library, rows: Sequence[ClaimRow]) -> list[ClaimView]:
    """The claims resolved against their documents as they are now (only their own sentences are read:
    0.1 ms a claim, where loading a 5,000-sentence document takes 130 ms)."""
    out = []
    for row in rows:
        covered, english = covered_sentences(library, row)
        out.append(ClaimView(row, claim_spans(row, covered, english), tuple(covered)))
    return out


def view(library: Library, row: ClaimRow) -> ClaimView:
    return views(library, [row])[0]


def set_english_span(library: Library, claim_id: int, start: int, end: int) -> None:
    """Narrow the English side to [start, end) of the claim's aligned English sentences."""
    store = ClaimStore(library)
    row = store.get(claim_id)
    aligned = aligned_english(*covered_sentences(library, row))
    if not aligned:
        raise InputError("this claim's sentences have no English yet; translate the document first")
    start, end = snap_to_words(aligned, start, end)  # "hina leads" is "China leads"
    anchor = make_anchor(aligned, start, end)
    store.set_english_span(
        claim_id, start=anchor.start, end=anchor.end, quote=anchor.quote, prefix=anchor.prefix, suffix=anchor.suffix
    )


def reanchor_claims(library: Library, doc_id: int) -> tuple[int, int]:
    """Find every claim's words in the document's current text; returns (attached, orphaned)."""
    store = ClaimStore(library)
    _raw, cleaned = library.document_texts(doc_id)
    segments = library.segments(doc_id)
    attached = orphaned = 0
    for row in store.for_document(doc_id):
        found = reattach(Anchor(row.start, row.end, row.quote, row.prefix, row.suffix), cleaned)
        if found is None:
            orphaned += 1
            store.move_anchor(
                row.id, start=row.start, end=row.end, status="orphaned", segment_first=None, segment_last=None
            )
            continue
        attached += 1
        first, last = _segments_covering(segments, *found)
        fresh = make_anchor(cleaned, *found)
        store.move_anchor(
            row.id,
            start=fresh.start,
            end=fresh.end,
            status="attached",
            segment_first=first,
            segment_last=last,
            quote=fresh.quote,
            prefix=fresh.prefix,
            suffix=fresh.suffix,
        )
    return attached, orphaned


def reclean_document(
    library: Library, doc_id: int, paragraphs: Sequence[Paragraph], repairs: Sequence[tuple[Repair, bool]] = ()
) -> tuple[int, int]:
    """Store a new cleaning of the document (e.g. with a layout repair undone): new paragraphs and
    sentences, translations carried over to the same sentences, claims re-attached to their words.
    All in one transaction. Returns (claims attached, claims orphaned)."""
    _raw, old_cleaned = library.document_texts(doc_id)
    segmented = segment_paragraphs(list(paragraphs))
    starts = [s.start for s in segmented.segments]

    def new_home(old: StoredSegment) -> int | None:
        found = reattach(make_anchor(old_cleaned, old.start_char, old.end_char), segmented.cleaned_text)
        if found is None:
            return None
        # the new sentence holding the start of the old one's words
        return max(0, bisect.bisect_right(starts, found[0]) - 1) if starts else None

    with library.transaction():
        library.replace_text(doc_id, paragraphs, segmented, repairs, new_home)
        return reanchor_claims(library, doc_id)


def document_segments(library: Library, doc_id: int) -> list[Segment]:
    """The stored sentences as the pure core functions take them."""
    paragraph_idx = {p.id: p.idx for p in library.paragraphs(doc_id)}
    return [
        Segment(paragraph_idx[s.paragraph_id], s.idx, s.text, s.start_char, s.end_char, s.lang)
        for s in library.segments(doc_id)
    ]


def delete_document(library: Library, doc_id: int) -> Path | None:
    """Delete a document; first its claims (with their text, notes and evidence) are written to the
    backups folder, so deleting the wrong document never loses the work done on it."""
    store = ClaimStore(library)
    rows = store.for_document(doc_id)
    kept: Path | None = None
    if rows:  # a unique name (two deletions in one second once shared one); bounded (store/keep.py)
        kept = keep.write_claims_backup(paths.data_dir() / "backups", doc_id, store.export_rows(rows))
    library.delete_document(doc_id)
    return kept
