"""Where the reader left each document (`documents.reading_segment`, schema 8): the sentence, by its
number in the document (0-based), so a long report reopens where the user stopped reading, also
after the window was closed. A number past the end (the document was re-cleaned into fewer
sentences since) reopens at its last sentence."""

from __future__ import annotations

from app.core.store import Library


def reading_position(library: Library, doc_id: int) -> int | None:
    """The sentence number the reader left `doc_id` at, or None (never opened, or at its start)."""
    row = library.db.execute("SELECT reading_segment, segment_count FROM documents WHERE id = ?", [doc_id]).fetchone()
    if row is None or row[0] is None:
        return None
    last = max(int(row[1]) - 1, 0)
    return min(max(int(row[0]), 0), last)


def remember_reading_position(library: Library, doc_id: int, segment_idx: int | None) -> None:
    """Keep where the reader is in `doc_id` (None forgets it). A deleted document is not an error."""
    value = None if segment_idx is None else max(int(segment_idx), 0)
    with library.transaction():
        library.db.execute("UPDATE documents SET reading_segment = ? WHERE id = ?", [value, doc_id])
