"""A second model's translation of a document, for comparison (issue 19: "the reader can translate a
document with a second model").

The output goes to `comparison_translations` (one row per sentence and model), never to
`translations`, so the sentence's current translation (a person's edit, or the default model's) stays
what the reader, the reports and the exports use; the reader shows the other models' output for the
current sentence in its detail pane."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core.progress import Cancel, Progress

if TYPE_CHECKING:
    from app.core.store import Library
    from app.core.translate.engine import Engine


@dataclass(frozen=True)
class Comparison:
    segment_id: int
    model: str
    text: str
    stale: bool  # the sentence changed (re-cleaned) since this was translated


@dataclass(frozen=True)
class CompareReport:
    model: str
    total: int  # sentences in the document
    translated: int  # sentences sent to the model
    kept: int  # already translated by this model from the same text
    copied: int  # English sentences kept as they are


def translate_for_comparison(
    library: Library,
    doc_id: int,
    engine: Engine,
    *,
    beam_size: int = 1,
    retranslate: bool = False,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> CompareReport:
    """Translate the document's sentences with `engine` into the comparison table. Sentences this
    model already translated from the same text are kept unless `retranslate`. Each engine batch is
    stored in its own transaction, so a cancelled run keeps what was done."""
    from app.core.store.db import utc_now
    from app.core.translate import provenance

    segments = library.segments(doc_id)
    have = {c.segment_id: c for c in document_comparisons(library, doc_id).get(engine.model_id, [])}
    todo = [s for s in segments if s.lang != "en" and (retranslate or s.id not in have or have[s.id].stale)]
    copies = [s for s in segments if s.lang == "en" and s.id not in have]
    kept = sum(1 for s in segments if s.lang != "en" and s.id in have and not have[s.id].stale and not retranslate)
    run_id = provenance.record_run(library, engine, beam_size, 1) if todo else None
    model = engine.model_id

    def store(rows: list[tuple[int, str, str]]) -> None:
        now = utc_now()
        with library.transaction():
            library.db.conn.executemany(
                "INSERT OR REPLACE INTO comparison_translations (segment_id, model, text, source, run_id, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(sid, model, text, source, run_id, now) for sid, text, source in rows],
            )

    if copies:
        store([(s.id, s.text, s.text) for s in copies])
    texts = [s.text for s in todo]
    batch: list[tuple[int, str, str]] = []

    def on_batch(done: int, total: int, message: str) -> None:
        store(batch)
        batch.clear()
        if progress is not None:
            progress(done, total, message)

    try:
        for index, english in engine.translate_iter(texts, beam_size=beam_size, progress=on_batch, cancel=cancel):
            batch.append((todo[index].id, english, todo[index].text))
    finally:
        if batch:
            store(batch)
    return CompareReport(model, len(segments), len(todo), kept, len(copies))


def document_comparisons(library: Library, doc_id: int) -> dict[str, list[Comparison]]:
    """Model id -> its comparison translations of the document's sentences, in sentence order."""
    rows = library.db.execute(
        "SELECT c.segment_id, c.model, c.text, c.source IS NOT NULL AND c.source != s.text"
        " FROM comparison_translations c JOIN segments s ON s.id = c.segment_id"
        " WHERE s.document_id = ? ORDER BY c.model, s.idx",
        [doc_id],
    ).fetchall()
    out: dict[str, list[Comparison]] = {}
    for sid, model, text, stale in rows:
        out.setdefault(str(model), []).append(Comparison(int(sid), str(model), str(text), bool(stale)))
    return out


def for_segment(library: Library, segment_id: int) -> list[Comparison]:
    """The other models' translations of one sentence (for the reader's detail pane), by model id."""
    rows = library.db.execute(
        "SELECT c.segment_id, c.model, c.text, c.source IS NOT NULL AND c.source != s.text"
        " FROM comparison_translations c JOIN segments s ON s.id = c.segment_id"
        " WHERE c.segment_id = ? ORDER BY c.model",
        [segment_id],
    ).fetchall()
    return [Comparison(int(r[0]), str(r[1]), str(r[2]), bool(r[3])) for r in rows]
