"""Translating a stored document: English kept as is, translation memory first, the model for the
rest, human post-edits never overwritten. Each engine batch is stored in its own transaction, so an
interrupted run keeps what it finished and the next run translates only what is missing."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core.errors import CancelledError
from app.core.progress import Cancel, Progress, null_progress
from app.core.store import Library, NewTranslation, StoredSegment
from app.core.translate import glossary, provenance
from app.core.translate.checks import stored_flags
from app.core.translate.provenance import Detail

if TYPE_CHECKING:
    from app.core.translate.engine import Engine


@dataclass(frozen=True)
class TranslateReport:
    total: int  # segments in the document
    translated: int  # sent to the model (unique sentences count once per segment using them)
    from_memory: int  # reused from an identical sentence
    copied: int  # English segments kept as they are
    kept_human: int  # segments whose human edit was left alone
    already_done: int  # segments that had a translation and were not redone
    flagged: int  # new translations with quality flags


def normalize(text: str) -> str:
    """The key under which identical sentences share one translation."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def translate_document(
    library: Library,
    doc_id: int,
    engine: Engine,
    *,
    beam_size: int = 1,
    retranslate: bool = False,
    progress: Progress = null_progress,
    cancel: Cancel | None = None,
    num_hypotheses: int | None = None,
) -> TranslateReport:
    """Give every segment of the document a current English translation.

    `retranslate` runs the model again on machine translations (human edits, and machine English the
    user accepted unchanged, are still kept)."""
    segments = library.segments(doc_id)
    current = library.current_translations(doc_id)
    kept_human = already = 0
    copies: list[NewTranslation] = []
    todo: list[StoredSegment] = []
    for seg in segments:
        have = current.get(seg.id)
        stale = have is not None and "source-changed" in have.flags  # the sentence was re-cleaned since
        if have is not None and (have.kind == "human" or (have.kind == "memory" and not stale)):
            kept_human += 1  # a person's words: never replaced, only flagged when the sentence changed
        elif have is not None and have.reviewed and not stale:
            already += 1  # machine English a person accepted (review.accept): kept like their own words
        elif have is not None and not retranslate and not stale:
            already += 1
        elif seg.lang == "en":
            copies.append(NewTranslation(seg.id, seg.text, "copy"))
        else:
            todo.append(seg)
    if copies:
        library.add_translations(copies)

    # Human edits of the same sentence anywhere in the library win over the model; the model's own
    # earlier output is reused unless the user asked for a fresh run.
    memory = library.memory_lookup([s.text for s in todo], engine.model_id)
    terms = glossary.load(library, doc_id)  # the agreed terms: checked, and preferred among hypotheses
    reused: list[NewTranslation] = []
    groups: dict[str, list[StoredSegment]] = {}
    for seg in todo:
        found = memory.get(seg.text)
        if found is not None and (found.kind in {"human", "memory"} or not retranslate) and found.segment_id != seg.id:
            kind = "memory" if found.kind in {"human", "memory"} else "machine"
            model = "human" if kind == "memory" else found.model
            reused.append(NewTranslation(seg.id, found.text, kind, model, stored_flags(seg.text, found.text, terms)))
        else:
            groups.setdefault(normalize(seg.text), []).append(seg)
    if reused:
        library.add_translations(reused)

    keys = list(groups)
    total = len(keys)
    pending: list[tuple[NewTranslation, Detail]] = []
    flagged = 0
    run_id = provenance.record_run(library, engine, beam_size, num_hypotheses) if keys else None

    def flush() -> None:
        if pending:
            provenance.add_machine_translations(library, pending)
            pending.clear()

    def on_batch(done: int, _total: int, _message: str) -> None:
        flush()  # one transaction per engine batch: what is done survives an interruption
        progress(done, total, "translating")

    progress(0, total, "translating")
    try:
        for index, hyps in engine.translate_nbest_iter(
            keys, beam_size=beam_size, num_hypotheses=num_hypotheses, progress=on_batch, cancel=cancel
        ):
            best = terms.prefer(keys[index], [h.text for h in hyps]) if hyps else 0
            chosen = hyps[best] if hyps else None
            english = chosen.text if chosen else ""
            others = tuple((h.text, h.score) for i, h in enumerate(hyps) if i != best)
            detail = Detail(chosen.score, chosen.confidence, others, run_id) if chosen else Detail(run_id=run_id)
            for seg in groups[keys[index]]:
                flags = stored_flags(seg.text, english, terms)
                flagged += bool(flags)
                pending.append((NewTranslation(seg.id, english, "machine", engine.model_id, flags), detail))
    except CancelledError:
        flush()
        raise
    flush()
    return TranslateReport(
        total=len(segments),
        translated=sum(len(g) for g in groups.values()),
        from_memory=len(reused),
        copied=len(copies),
        kept_human=kept_human,
        already_done=already,
        flagged=flagged,
    )


def post_edit(library: Library, segment_id: int, text: str) -> None:
    """Store the user's own English for a sentence; it wins over any machine output, now and later.
    A person's English gets the same checks as the model's (a typo in a number is as wrong)."""
    row = library.db.execute("SELECT text, document_id FROM segments WHERE id = ?", [segment_id]).fetchone()
    flags = stored_flags(str(row[0]), text, glossary.load(library, int(row[1]))) if row else ()
    library.add_translations([NewTranslation(segment_id, text, "human", flags=flags)])
