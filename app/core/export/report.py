"""The report as plain data: documents, their aligned sentences cut into highlighted pieces, and
numbered claim notes. Every export format renders this one structure, so they all agree."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from app.core import ocr_marks
from app.core.claims.alignment import ClaimSpans, claim_spans, covered_segments
from app.core.claims.evidence import safe_url  # the one evidence link policy (re-exported here)
from app.core.claims.tags import UNTAGGED_COLOR
from app.core.errors import NotFoundError
from app.core.export.options import ExportOptions
from app.core.export.pieces import Mark, Piece, safe_color, split
from app.core.services.documents import document_facts, source_shown
from app.core.store import Library, StoredSegment, StoredTranslation
from app.core.store.claims import ClaimRow, ClaimStore
from app.core.translate import review
from app.core.translate.checks import explain


@dataclass(frozen=True)
class Row:
    """One sentence and its English."""

    number: int  # 1-based position in the document
    segment_id: int
    new_paragraph: bool  # the first sentence of a paragraph
    paragraph_kind: str  # paragraph | heading | list_item | source
    gap_before: bool  # sentences were left out before this one (only-claims reports)
    vi_text: str
    en_text: str  # "" when not translated yet
    vi: tuple[Piece, ...]
    en: tuple[Piece, ...]
    kind: str  # machine | human | memory (your edit of an identical sentence) | copy (English source) | none
    model: str | None
    flags: tuple[str, ...]  # checks on the pair, each "kind: reason in words" (translate.checks.explain)
    # review state (app.core.translate.review): machine (untouched) | reviewed (machine output accepted
    # unchanged) | edited (by hand) | copy | untranslated
    review: str = "machine"
    # the Vietnamese was read by OCR with low confidence: "read by OCR — check against the page (confidence
    # 62 %)" (app.core.ocr_marks.mark); "" otherwise
    ocr: str = ""

    @property
    def edited(self) -> bool:
        return self.kind in {"human", "memory"}

    @property
    def reviewed(self) -> bool:
        return self.review == "reviewed"


@dataclass(frozen=True)
class TagChip:
    name: str
    color: str


@dataclass(frozen=True)
class EvidenceItem:
    url: str  # only http(s); anything else is kept as text in `citation`
    citation: str
    quote: str
    note: str


@dataclass(frozen=True)
class ClaimNote:
    number: int  # footnote number, running through the whole report
    claim_id: int
    document_id: int
    document_title: str
    vi: str
    en: str
    en_status: str  # attached | orphaned (the English span changed) | untranslated
    en_custom: bool  # the English side is the user's own span, not the whole aligned sentence
    tags: tuple[TagChip, ...]
    color: str
    verdict: str
    status: str  # attached | orphaned (its Vietnamese words are gone from the text)
    note: str  # Markdown source; "" when notes are left out
    evidence: tuple[EvidenceItem, ...]
    start: int
    end: int
    first_sentence: int | None
    last_sentence: int | None
    vi_context: str  # the whole sentence(s) the claim sits in ("" when orphaned)
    en_context: str  # their current English
    checks: tuple[str, ...] = ()  # the checks flagged on those sentences, "kind: reason in words"
    ocr: str = ""  # its words were read by OCR with low confidence: ocr_marks.mark of the least confident

    @property
    def sentences(self) -> str:
        if self.first_sentence is None:
            return ""
        last = self.last_sentence or self.first_sentence
        return str(self.first_sentence) if last == self.first_sentence else f"{self.first_sentence}–{last}"


@dataclass(frozen=True)
class Section:
    """One document of the report."""

    document_id: int
    title: str
    source_path: str | None  # as the report shows it: the file name only unless options.include_source_path
    kind: str
    imported_at: str
    sentence_count: int
    models: tuple[str, ...]
    translated: int  # sentences with English
    human: int  # sentences whose English is a human edit
    flagged: int
    copied: int
    rows: tuple[Row, ...]
    claims: tuple[ClaimNote, ...]
    rows_total: int  # rows of the whole report, also when `rows` was cut short (build_report max_rows)
    source_url: str = ""  # what the user said of the document (Document properties / `main.py properties`)
    author: str = ""
    published: str = ""  # YYYY, YYYY-MM or YYYY-MM-DD
    reviewed: int = 0  # sentences whose machine English the user accepted unchanged
    ocr: str = ""  # "This document was (partly) read by OCR (…)." (app.core.ocr_marks); "" when not

    @property
    def untranslated(self) -> bool:
        return self.translated == 0

    @property
    def unreviewed(self) -> int:
        """Sentences whose English is machine output nobody accepted or edited."""
        return self.translated - self.human - self.reviewed - self.copied


@dataclass(frozen=True)
class Report:
    title: str
    generated: str  # local date and time, minutes
    options: ExportOptions
    sections: tuple[Section, ...]

    @property
    def read_by_ocr(self) -> bool:
        """Some document of the report was read by OCR (the legend explains the mark)."""
        return any(s.ocr for s in self.sections)

    @property
    def claims(self) -> tuple[ClaimNote, ...]:
        return tuple(c for s in self.sections for c in s.claims)


def preview_of(report: Report, max_rows: int) -> tuple[Report, int, int]:
    """The report cut to its first `max_rows` sentence rows and first `max_rows` claims, with how many
    rows it shows and how many the whole report has. Qt lays a preview out on the window's thread,
    and its rich-text tables grow worse than linearly: 300 rows took 257 ms there, a whole
    3,000-sentence report 4.4 s. (Build it with `build_report(..., max_rows=...)`: rows are most of
    the work of building.)"""
    total = sum(s.rows_total for s in report.sections)
    rows_left, claims_left, sections = max_rows, max_rows, []
    for section in report.sections:
        rows, claims = section.rows[: max(rows_left, 0)], section.claims[: max(claims_left, 0)]
        sections.append(replace(section, rows=rows, claims=claims))
        rows_left, claims_left = rows_left - len(rows), claims_left - len(claims)
    shown = sum(len(s.rows) for s in sections)
    return replace(report, sections=tuple(sections)), shown, total


def select_documents(library: Library, ref: str | None, tag: str | None) -> list[int]:
    """Documents for a report: DOC (id or part of its title), "all", or, with only a tag, every
    document having claims with that tag."""
    if ref and ref.strip().lower() != "all":
        return [library.resolve_document(ref)]
    if tag:
        ids = sorted({r.document_id for r in ClaimStore(library).search(tag=tag)})
        if not ids:
            raise NotFoundError(f"no claim carries the tag {tag!r}; `main.py claims list` shows the claims")
        return ids
    ids = [d.id for d in library.documents()]
    if not ids:
        raise NotFoundError("the library has no documents yet; `main.py import FILE` adds one")
    return ids


def build_report(
    library: Library,
    doc_ids: Sequence[int],
    options: ExportOptions,
    *,
    now: datetime | None = None,
    max_rows: int | None = None,
) -> Report:
    """The report of these documents; `max_rows` stops each document's rows after that many (a preview:
    the rows are most of the work)."""
    store = ClaimStore(library)
    colors = {t.name: safe_color(t.color) for t in store.tags()}
    if options.tag:
        store.tag(options.tag)  # an unknown tag is an error, not an empty report
    sections: list[Section] = []
    number = 0
    for doc_id in doc_ids:
        rows = store.search(tag=options.tag, document_id=doc_id) if options.tag else store.for_document(doc_id)
        section = _section(library, doc_id, rows, colors, options, number, max_rows)
        number += len(section.claims)
        sections.append(section)
    title = sections[0].title if len(sections) == 1 else f"{len(sections)} documents"
    if options.tag:
        title += f" — claims tagged “{options.tag}”"
    stamp = (now or datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M")
    return Report(title=title, generated=stamp, options=options, sections=tuple(sections))


def _section(
    library: Library,
    doc_id: int,
    claim_rows: Sequence[ClaimRow],
    colors: dict[str, str],
    options: ExportOptions,
    numbered_before: int,
    max_rows: int | None = None,
) -> Section:
    info = library.document(doc_id)
    segments = library.segments(doc_id)
    english = library.current_translations(doc_id)
    kinds = {p.id: p.kind for p in library.paragraphs(doc_id)}
    ocr_low = ocr_marks.low_paragraphs(library, doc_id)  # read by OCR, to check against the page (issue 17)
    ocr_summary = ocr_marks.summary(library, doc_id)
    position = {s.id: i for i, s in enumerate(segments)}
    english_text = {sid: t.text for sid, t in english.items()}
    spans = [claim_spans(row, covered_segments(row, segments), english_text) for row in claim_rows]
    notes = [
        _claim_note(row, shown, numbered_before + i + 1, colors, options, position, segments, english, ocr_low)
        for i, (row, shown) in enumerate(zip(claim_rows, spans, strict=True))
    ]
    vi_marks, en_marks = _marks(spans, notes)
    keep = _kept_segments(notes, len(segments)) if options.only_claims else None
    rows: list[Row] = []
    previous: StoredSegment | None = None
    last_kept = -1
    for i, seg in enumerate(segments):
        if keep is not None and i not in keep:
            previous = seg
            continue
        if max_rows is not None and len(rows) >= max_rows:
            break
        tr = english.get(seg.id)
        en_text = tr.text if tr else ""
        rows.append(
            Row(
                number=i + 1,
                segment_id=seg.id,
                new_paragraph=previous is None or previous.paragraph_id != seg.paragraph_id,
                paragraph_kind=kinds.get(seg.paragraph_id, "paragraph"),
                gap_before=i != last_kept + 1,
                vi_text=seg.text,
                en_text=en_text,
                vi=split(seg.text, vi_marks.get(seg.id, [])),
                en=split(en_text, en_marks.get(seg.id, [])),
                kind=tr.kind if tr else "none",
                model=tr.model if tr else None,
                flags=tuple(explain(seg.text, en_text, tr.flags)) if tr else (),  # "kind: reason in words"
                ocr=ocr_marks.mark(ocr_low[seg.paragraph_id]) if seg.paragraph_id in ocr_low else "",
                review=review.state_of(tr),
            )
        )
        previous, last_kept = seg, i
    translations = list(english.values())
    facts = document_facts(library, doc_id)
    return Section(
        document_id=doc_id,
        title=info.title,
        source_path=source_shown(info.source_path, options.include_source_path),
        kind=info.kind,
        imported_at=info.imported_at,
        sentence_count=len(segments),
        models=_models(translations, library, doc_id),
        translated=len(translations),
        human=sum(t.kind in {"human", "memory"} for t in translations),
        flagged=sum(bool(t.flags) for t in translations),
        copied=sum(t.kind == "copy" for t in translations),
        reviewed=sum(review.state_of(t) == review.REVIEWED for t in translations),
        rows=tuple(rows),
        claims=tuple(notes),
        rows_total=len(keep) if keep is not None else len(segments),
        source_url=facts.source_url,
        author=facts.author,
        published=facts.published,
        ocr=ocr_summary.report_line() if ocr_summary else "",
    )


def _models(
    translations: Sequence[StoredTranslation], library: Library | None = None, doc_id: int | None = None
) -> tuple[str, ...]:
    """The models of the current machine English; each with its file hash and decoding settings when
    the translation recorded them (issue 19, reproducible output), e.g. "argos:vi_en:1.9 (…, model.bin
    sha256 ebd5…); beam 4, 4 hypotheses, length penalty 0.2, cpu int8"."""
    plain = sorted({t.model for t in translations if t.kind == "machine" and t.model})
    if library is None or doc_id is None:
        return tuple(plain)
    from app.core.translate.provenance import document_runs

    runs = document_runs(library, doc_id)
    described = list(dict.fromkeys(r.describe() for r in runs))
    return (*described, *(m for m in plain if m not in {r.model for r in runs}))


def _claim_note(
    row: ClaimRow,
    shown: ClaimSpans,
    number: int,
    colors: dict[str, str],
    options: ExportOptions,
    position: dict[int, int],
    segments: Sequence[StoredSegment],
    english: dict[int, StoredTranslation],
    ocr_low: dict[int, float] | None = None,
) -> ClaimNote:
    tags = tuple(TagChip(t, colors.get(t, safe_color(None))) for t in row.tags)
    color = colors.get(options.tag, "") if options.tag in row.tags else ""
    first = position.get(row.segment_first) if row.segment_first is not None else None
    last = position.get(row.segment_last) if row.segment_last is not None else None
    if row.status != "attached" or first is None:
        first = last = None
    covered = segments[first : (last if last is not None else first) + 1] if first is not None else []
    read_low = [ocr_low[s.paragraph_id] for s in covered if ocr_low and s.paragraph_id in ocr_low]
    return ClaimNote(
        number=number,
        claim_id=row.id,
        document_id=row.document_id,
        document_title=row.document_title,
        vi=row.quote,
        en=shown.english,
        en_status=shown.english_status,
        en_custom=row.en_custom,
        tags=tags,
        color=color or (tags[0].color if tags else UNTAGGED_COLOR),
        verdict=row.verdict,
        status=row.status,
        note=row.note if options.include_notes else "",
        evidence=tuple(
            EvidenceItem(
                url=safe_url(e.url),
                citation=e.citation if safe_url(e.url) or not e.url else " ".join(x for x in (e.url, e.citation) if x),
                quote=e.quote,
                note=e.note if options.include_notes else "",
            )
            for e in row.evidence
        ),
        start=row.start,
        end=row.end,
        first_sentence=None if first is None else first + 1,
        last_sentence=None if first is None else (last if last is not None else first) + 1,
        vi_context=" ".join(s.text for s in covered),
        en_context=" ".join(english[s.id].text for s in covered if s.id in english),
        checks=tuple(
            why for s in covered if s.id in english for why in explain(s.text, english[s.id].text, english[s.id].flags)
        ),
        ocr=ocr_marks.mark(min(read_low)) if read_low else "",
    )


def _kept_segments(notes: Sequence[ClaimNote], count: int) -> set[int]:
    keep: set[int] = set()
    for n in notes:
        if n.first_sentence is not None:
            keep.update(range(n.first_sentence - 1, min(count, n.last_sentence or n.first_sentence)))
    return keep


def _marks(
    spans: Sequence[ClaimSpans], notes: Sequence[ClaimNote]
) -> tuple[dict[int, list[Mark]], dict[int, list[Mark]]]:
    """Per segment id, the claim spans to highlight on each side (in that sentence's own offsets), as
    `alignment.claim_spans` finds them: the same words the window and the command line show."""
    vi: dict[int, list[Mark]] = {}
    en: dict[int, list[Mark]] = {}
    for shown, note in zip(spans, notes, strict=True):
        if note.first_sentence is None or note.last_sentence is None:
            continue  # orphaned: its words are gone, it is listed in the notes only
        for side, out in (("vi", vi), ("en", en)):
            hits = [(s.segment_id, getattr(s, side)) for s in shown.sentences if getattr(s, side) is not None]
            for n, (sid, (a, b)) in enumerate(hits):
                out.setdefault(sid, []).append(Mark(a, b, note.number, note.color, n == len(hits) - 1))
    return vi, en
