"""Reviewing translations, OmegaT-style: the state of each sentence's English, accepting machine output
unchanged, reverting a human edit to the machine translation, clearing ⚠ flags, and which sentences a
review filter shows. The window and the command line both call these; nothing here knows about Qt.

States of a sentence's current English (`state_of`):
- untranslated: no English yet;
- machine: the model's output (or a sentence reused from the model's output elsewhere), untouched;
- reviewed: machine output the user accepted unchanged (Ctrl+Enter on it);
- edited: the user's own English (a post-edit, or their earlier edit of an identical sentence);
- copy: a sentence that was English in the source, kept as is.

Nothing the user wrote is ever lost: a reverted edit stays in the `translations` table (with
`reverted_at`), cleared flags stay in `flags` (listed in `flags_cleared`), and `review_log` records
each action with its time."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from app.core.errors import NotFoundError
from app.core.store import Library, StoredSegment, StoredTranslation
from app.core.store import db as dbmod

UNTRANSLATED = "untranslated"
MACHINE = "machine"
REVIEWED = "reviewed"
EDITED = "edited"
COPY = "copy"
STATES = (UNTRANSLATED, MACHINE, REVIEWED, EDITED, COPY)

# How each state reads in the window and the reports.
LABELS = {
    UNTRANSLATED: "not translated yet",
    MACHINE: "machine translation",
    REVIEWED: "machine translation, reviewed",
    EDITED: "edited by hand",
    COPY: "English in the source",
}
MARKS = {MACHINE: "", REVIEWED: "✓", EDITED: "✎", COPY: "", UNTRANSLATED: ""}

# The document view's filter: which sentences stay listed.
ALL = "all"
ONLY_UNTRANSLATED = "untranslated"
ONLY_FLAGGED = "flagged"
ONLY_UNREVIEWED = "unreviewed"
ONLY_CLAIMED = "claimed"
ONLY_LOW_CONFIDENCE = "low-confidence"
FILTERS: dict[str, str] = {
    ALL: "All sentences",
    ONLY_UNTRANSLATED: "Untranslated",
    ONLY_FLAGGED: "To check (⚠)",
    ONLY_UNREVIEWED: "Unreviewed machine English",
    ONLY_CLAIMED: "Claimed",
    ONLY_LOW_CONFIDENCE: "Machine English with confidence below",
}


def state_of(tr: StoredTranslation | None) -> str:
    """The review state of a sentence whose current translation is `tr`."""
    if tr is None:
        return UNTRANSLATED
    if tr.kind in {"human", "memory"}:
        return EDITED
    if tr.kind == "copy":
        return COPY
    return REVIEWED if tr.reviewed else MACHINE


def unchanged(tr: StoredTranslation | None, typed: str) -> bool:
    """Whether what the user typed is the current English as it was (spaces and line breaks aside): then
    nothing is stored as an edit, and Ctrl+Enter accepts the machine English instead."""
    return tr is not None and " ".join(tr.text.split()) == " ".join(typed.split())


def needs_review(tr: StoredTranslation | None) -> bool:
    """What Ctrl+Enter's walk stops at: no English yet, or machine English nobody accepted or edited."""
    return state_of(tr) in {UNTRANSLATED, MACHINE}


def shown_by(
    mode: str,
    tr: StoredTranslation | None,
    *,
    claimed: bool = False,
    confidence: float | None = None,
    limit: float = 0.5,
) -> bool:
    """Whether the filter `mode` (a key of FILTERS) keeps a sentence listed."""
    if mode == ONLY_UNTRANSLATED:
        return tr is None
    if mode == ONLY_FLAGGED:
        return bool(tr is not None and tr.flags)
    if mode == ONLY_UNREVIEWED:
        return state_of(tr) == MACHINE
    if mode == ONLY_CLAIMED:
        return claimed
    if mode == ONLY_LOW_CONFIDENCE:
        return state_of(tr) in {MACHINE, REVIEWED} and confidence is not None and confidence < limit
    return True


@dataclass(frozen=True)
class LogEntry:
    segment_id: int
    translation_id: int | None
    action: str  # accepted | flags-cleared | reverted
    detail: str
    created_at: str


def _current(library: Library, segment_id: int) -> StoredTranslation:
    tr = library.current_translation(segment_id)
    if tr is None:
        what = "this sentence has no English yet"
        raise NotFoundError(what, neutral=what)
    return tr


def _log(library: Library, segment_id: int, translation_id: int, action: str, detail: str, now: str) -> None:
    library.db.conn.execute(
        "INSERT INTO review_log (segment_id, translation_id, action, detail, created_at) VALUES (?, ?, ?, ?, ?)",
        (segment_id, translation_id, action, detail, now),
    )


def accept(library: Library, segment_id: int) -> bool:
    """The user accepts the sentence's English as it is (Ctrl+Enter on untouched text): machine output
    becomes `reviewed`; its text, kind and ⚠ flags stay. Returns False when there was nothing to accept
    (already reviewed, or the user's own words)."""
    with library.transaction():
        tr = _current(library, segment_id)
        if state_of(tr) != MACHINE:
            return False
        now = dbmod.utc_now()
        library.db.conn.execute("UPDATE translations SET reviewed_at = ? WHERE id = ?", (now, tr.id))
        _log(library, segment_id, tr.id, "accepted", "", now)
    return True


def clear_flags(library: Library, segment_id: int) -> tuple[str, ...]:
    """The user has looked at the ⚠ and clears it: the flags shown now are listed as cleared (the stored
    flags are kept, for the record). Returns the kinds cleared (empty: nothing was flagged)."""
    with library.transaction():
        tr = _current(library, segment_id)
        if not tr.flags:
            return ()
        cleared = tuple(dict.fromkeys((*tr.cleared, *tr.flags)))
        now = dbmod.utc_now()
        library.db.conn.execute("UPDATE translations SET flags_cleared = ? WHERE id = ?", (" ".join(cleared), tr.id))
        _log(library, segment_id, tr.id, "flags-cleared", " ".join(tr.flags), now)
    return tr.flags


def machine_translation(library: Library, segment_id: int) -> StoredTranslation | None:
    """The machine translation a revert goes back to: the latest one of the sentence as it reads now
    (else the latest one)."""
    machine = [t for t in library.translation_history(segment_id) if t.kind == "machine"]
    if not machine:
        return None
    row = library.db.execute("SELECT text FROM segments WHERE id = ?", [segment_id]).fetchone()
    sources = dict(
        library.db.execute("SELECT id, source FROM translations WHERE segment_id = ?", [segment_id]).fetchall()
    )
    fitting = [t for t in machine if row is not None and sources.get(t.id) in (None, row[0])]
    return (fitting or machine)[-1]


def can_revert(tr: StoredTranslation | None, library: Library | None = None) -> bool:
    """Whether `tr` is the user's own English (and, given the library, a machine translation exists)."""
    if state_of(tr) != EDITED or tr is None:
        return False
    return library is None or machine_translation(library, tr.segment_id) is not None


def revert_to_machine(library: Library, segment_id: int) -> StoredTranslation:
    """Back to the machine translation: every edit of the sentence not yet reverted is marked reverted
    (its row stays, as history) and is never shown or reused again; the machine translation is current.
    Raises NotFoundError when the English is not an edit, or no machine translation exists."""
    with library.transaction():
        tr = _current(library, segment_id)
        if state_of(tr) != EDITED:
            what = "this sentence's English is not an edit: there is nothing to revert"
            raise NotFoundError(what, neutral=what)
        machine = machine_translation(library, segment_id)
        if machine is None:
            what = "this sentence has no machine translation to go back to; translate the document first"
            raise NotFoundError(what, neutral=what)
        now = dbmod.utc_now()
        # what outranks the machine translation in `current_translations`: every human edit, and a
        # reused edit made after it
        edits = library.db.conn.execute(
            "SELECT id FROM translations WHERE segment_id = ? AND reverted_at IS NULL"
            " AND (kind = 'human' OR (kind = 'memory' AND id > ?)) ORDER BY id",
            (segment_id, machine.id),
        ).fetchall()
        for (tid,) in edits:
            library.db.conn.execute("UPDATE translations SET reverted_at = ? WHERE id = ?", (now, tid))
            _log(library, segment_id, int(tid), "reverted", f"back to translation #{machine.id}", now)
        current = library.current_translation(segment_id)
    assert current is not None
    return current


def log(library: Library, segment_ids: Collection[int] | None = None) -> list[LogEntry]:
    """The review actions, oldest first (of the given sentences, or all)."""
    sql = "SELECT segment_id, translation_id, action, detail, created_at FROM review_log"
    params: list[int] = []
    if segment_ids is not None:
        ids = list(segment_ids)
        sql += f" WHERE segment_id IN ({','.join('?' * len(ids))})"
        params = ids
    rows = library.db.execute(sql + " ORDER BY id", params).fetchall()
    return [LogEntry(int(r[0]), r[1], str(r[2]), str(r[3]), str(r[4])) for r in rows]


@dataclass(frozen=True)
class Sentence:
    """A sentence of a document with its current English and review state."""

    number: int  # 1-based position in the document
    segment: StoredSegment
    translation: StoredTranslation | None
    state: str
    claimed: bool


def claimed_segments(library: Library, doc_id: int, segments: list[StoredSegment] | None = None) -> set[int]:
    """Ids of the sentences a claim covers (attached claims; the sentences `alignment.covered_segments`
    gives, as the window's table shows them)."""
    from app.core.claims.alignment import covered_segments
    from app.core.store.claims import ClaimStore

    segs = segments if segments is not None else library.segments(doc_id)
    return {s.id for row in ClaimStore(library).for_document(doc_id) for s in covered_segments(row, segs)}


def sentences(library: Library, doc_id: int, mode: str = ALL) -> list[Sentence]:
    """The document's sentences the filter `mode` keeps (a key of FILTERS but the confidence one, which
    needs the engine's scores: app.core.translate.provenance)."""
    segs = library.segments(doc_id)
    english = library.current_translations(doc_id)
    claimed = claimed_segments(library, doc_id, segs)
    out = []
    for i, seg in enumerate(segs):
        tr = english.get(seg.id)
        if shown_by(mode, tr, claimed=seg.id in claimed):
            out.append(Sentence(i + 1, seg, tr, state_of(tr), seg.id in claimed))
    return out


def segment_at(library: Library, doc_id: int, number: int) -> StoredSegment:
    """The document's sentence at 1-based position `number` (as `main.py show` and reports number them)."""
    found = library.segments(doc_id, number - 1, 1) if number >= 1 else []
    if not found:
        count = library.document(doc_id).segment_count
        what = f"document #{doc_id} has no sentence {number} (it has {count})"
        raise NotFoundError(what, neutral=what)
    return found[0]
