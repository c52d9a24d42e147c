"""Layout review of a stored document: what repair changed, and undoing or redoing any of it.

The paragraphs as repair made them are kept at import; any set of undone repairs is recomputed from
them (`layout.undo`), stored as the document's new cleaned text, with translations carried over and
claims re-attached to their words (`claims.workflow.reclean_document`)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from app.core.claims.workflow import reclean_document
from app.core.layout.undo import is_undoable, undo_repairs
from app.core.model import Paragraph, Repair
from app.core.store import Library


@dataclass(frozen=True)
class RepairState:
    index: int  # position in the document's list of repairs
    repair: Repair
    undone: bool
    undoable: bool


@dataclass(frozen=True)
class LayoutReview:
    raw_text: str  # the text as imported (a PDF's pages separated by form feeds)
    paragraphs: list[Paragraph]  # the document's paragraphs now
    repairs: list[RepairState]


def review(library: Library, doc_id: int) -> LayoutReview:
    raw, _cleaned = library.document_texts(doc_id)
    states = [
        RepairState(i, repair, undone, is_undoable(repair))
        for i, (_id, repair, undone) in enumerate(library.repairs(doc_id))
    ]
    current = [Paragraph(p.text, p.kind, p.lang, p.page) for p in library.paragraphs(doc_id)]
    return LayoutReview(raw, current, states)


def set_undone(library: Library, doc_id: int, undone: Collection[int]) -> tuple[int, int]:
    """Make exactly the repairs in `undone` undone (the others applied) and store the result.

    Returns the claims (attached, orphaned) after re-attaching them to the new text."""
    repairs = [repair for _id, repair, _undone in library.repairs(doc_id)]
    wanted = {i for i in undone if 0 <= i < len(repairs) and is_undoable(repairs[i])}
    paragraphs = undo_repairs(library.repaired_paragraphs(doc_id), repairs, wanted)
    return reclean_document(library, doc_id, paragraphs, [(r, i in wanted) for i, r in enumerate(repairs)])
