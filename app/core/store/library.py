"""The library: documents with their text, sentences and translations, in one SQLite file.

Every write is one transaction, so a document is stored completely or not at all even when the process
is killed mid-way (WAL rolls an unfinished transaction back on the next open)."""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import sqlite_utils

from app.core import paths
from app.core.errors import NotFoundError
from app.core.model import Paragraph, Repair, SegmentedText
from app.core.store import db as dbmod
from app.core.store.schema import INDEX_DOCUMENT_SEGMENTS


@dataclass(frozen=True)
class NewDocument:
    title: str
    sha256: str
    kind: str
    raw_text: str
    paragraphs: Sequence[Paragraph]
    segmented: SegmentedText
    repairs: Sequence[Repair] = ()
    source_path: str | None = None
    encoding: str | None = None
    size_bytes: int = 0
    page_count: int | None = None
    ocr_confidence: Sequence[float | None] = ()  # per paragraph, for text read by OCR (issue 17)
    page_images: Sequence[tuple[int, str, bytes]] = ()  # (page, mime, image) of the pages read by OCR
    # what the source says of itself (a pasted page's address, author, date) and the link targets it
    # carried, (text, url) in reading order (Markdown): stored in the same transaction as the text
    source_url: str = ""
    author: str = ""
    published: str = ""
    links: Sequence[tuple[str, str]] = ()


@dataclass(frozen=True)
class DocumentInfo:
    id: int
    title: str
    source_path: str | None
    sha256: str
    kind: str
    encoding: str | None
    imported_at: str
    size_bytes: int
    page_count: int | None
    paragraph_count: int
    segment_count: int
    status: str


@dataclass(frozen=True)
class StoredParagraph:
    id: int
    idx: int
    text: str
    kind: str
    lang: str
    page: int | None
    start_char: int
    end_char: int


@dataclass(frozen=True)
class StoredSegment:
    id: int
    paragraph_id: int
    idx: int
    text: str
    start_char: int
    end_char: int
    lang: str


@dataclass(frozen=True)
class StoredTranslation:
    id: int
    segment_id: int
    text: str
    kind: str  # machine | human | copy | memory
    model: str | None
    flags: tuple[str, ...]  # quality flags shown (⚠); "source-changed" when the sentence changed since
    created_at: str
    reviewed: bool = False  # the user accepted it unchanged (app.core.translate.review)
    cleared: tuple[str, ...] = ()  # ⚠ kinds the user cleared: stored, no longer in `flags`
    reverted: bool = False  # a human edit the user reverted to the machine translation (history only)


@dataclass(frozen=True)
class NewTranslation:
    segment_id: int
    text: str
    kind: str = "machine"
    model: str | None = None
    flags: Sequence[str] = field(default_factory=tuple)
    source: str | None = None  # the sentence translated; None: the segment's text now


@dataclass(frozen=True)
class SearchHit:
    document_id: int
    title: str
    segment_id: int
    segment_idx: int
    lang: str  # language of the matched text: vi for the source sentence, en for English
    text: str  # the matched sentence (source or its English)
    snippet: str  # the sentence with matched words in [brackets]
    source_text: str  # the source sentence, for context when the hit is in English


_DOC_COLUMNS = (
    "id, title, source_path, sha256, kind, encoding, imported_at, size_bytes, page_count, "
    "paragraph_count, segment_count, status"
)


def fold(text: str) -> str:
    """Lowercase without diacritics, đ as d: what the search index compares."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


_QUERY_TERM = re.compile(r'"([^"]+)"|(\S+)')
_WORD = re.compile(r"\w+")


def fts_query(query: str) -> str:
    """A safe FTS5 MATCH expression: every word must appear; "quoted words" must appear together.

    User text never reaches FTS5's syntax (no AND/OR/NEAR/column filters), so no query can fail."""
    parts: list[str] = []
    for m in _QUERY_TERM.finditer(query):
        words = _WORD.findall(fold(m.group(1) or m.group(2)))
        if words:
            parts.append('"' + " ".join(words) + '"')
    return " ".join(parts)


def fts_phrase(query: str) -> str:
    """The whole query as one phrase, when it has several words and no quotes of its own."""
    words = _WORD.findall(fold(query))
    return '"' + " ".join(words) + '"' if len(words) > 1 and '"' not in query else ""


class Library:
    """An open library file. Use as a context manager, or call `close()`."""

    def __init__(self, db: sqlite_utils.Database, path: Path) -> None:
        self.db = db
        self.path = path
        # What opening did to the library's files that the user should hear of (e.g. a stale -wal
        # set aside); each front-end shows these after opening.
        self.notices: list[str] = []

    @classmethod
    def open(cls, path: Path | str | None = None) -> Library:
        from app.core.store import wal_guard

        p = Path(path) if path is not None else paths.library_path()
        lib = cls(dbmod.open_database(p), p)
        lib.notices = wal_guard.take_notices(p)
        return lib

    def close(self) -> None:
        self.db.close()
        from app.core.store import wal_guard

        wal_guard.mark_closed(self.path)  # the last close anywhere records a clean shutdown

    def __enter__(self) -> Library:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything inside commits together or not at all (nested blocks use savepoints).
        Starts with BEGIN IMMEDIATE, so it waits for another writer up to the busy timeout."""
        try:
            with dbmod.write_transaction(self.db.conn):
                yield
        except sqlite3.Error as err:
            mapped = dbmod.library_error(err, self.path)
            if mapped is None:
                raise  # a bug (SQL error) or a constraint the caller handles (IntegrityError)
            raise mapped from err

    # documents -----------------------------------------------------------------------------------

    def find_by_sha256(self, sha256: str) -> int | None:
        row = self.db.execute("SELECT id FROM documents WHERE sha256 = ?", [sha256]).fetchone()
        return int(row[0]) if row else None

    def add_document(self, doc: NewDocument) -> int:
        """Store a document with its paragraphs, sentences and repairs in one transaction."""
        seg = doc.segmented
        with self.transaction():
            doc_id = (
                self.db.table("documents")
                .insert(
                    {
                        "title": doc.title,
                        "source_path": doc.source_path,
                        "sha256": doc.sha256,
                        "kind": doc.kind,
                        "encoding": doc.encoding,
                        "imported_at": dbmod.utc_now(),
                        "raw_text": doc.raw_text,
                        "cleaned_text": seg.cleaned_text,
                        "size_bytes": doc.size_bytes,
                        "page_count": doc.page_count,
                        "paragraph_count": len(doc.paragraphs),
                        "segment_count": len(seg.segments),
                        "status": "ready",
                        "repaired_json": paragraphs_json(doc.paragraphs),
                        "source_url": doc.source_url,
                        "author": doc.author,
                        "published": doc.published,
                    }
                )
                .last_pk
            )
            assert doc_id is not None  # the row was just inserted
            para_ids = self._insert_paragraphs(doc_id, doc.paragraphs, seg)
            self.db.conn.executemany(
                "UPDATE paragraphs SET ocr_confidence = ? WHERE id = ?",
                ((c, pid) for c, pid in zip(doc.ocr_confidence, para_ids, strict=False) if c is not None),
            )
            self.db.conn.executemany(
                "INSERT INTO page_images (document_id, page, mime, image) VALUES (?, ?, ?, ?)",
                ((doc_id, page, mime, image) for page, mime, image in doc.page_images),
            )
            self.db.conn.execute("UPDATE search_state SET deferred = 1")  # see schema: index in one go below
            # executemany, not insert_all: sqlite-utils' per-value checks took half the import time.
            self.db.conn.executemany(
                "INSERT INTO segments (document_id, paragraph_id, idx, text, start_char, end_char, lang)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                ((doc_id, para_ids[s.paragraph], s.idx, s.text, s.start, s.end, s.lang) for s in seg.segments),
            )
            self.db.conn.execute(INDEX_DOCUMENT_SEGMENTS, (doc_id,))
            self.db.conn.execute("UPDATE search_state SET deferred = 0")
            self.db.conn.executemany(
                "INSERT INTO repairs (document_id, idx, kind, paragraph, detail, removed, page, at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (doc_id, i, r.kind, r.paragraph, r.detail, r.removed, r.page, r.at)
                    for i, r in enumerate(doc.repairs)
                ),
            )
            self.db.conn.executemany(
                "INSERT INTO document_links (document_id, idx, text, url) VALUES (?, ?, ?, ?)",
                ((doc_id, i, text, url) for i, (text, url) in enumerate(doc.links)),
            )
        return int(doc_id)

    def add_document_if_new(self, doc: NewDocument) -> tuple[int, bool]:
        """(document id, True) after storing `doc`, or (the id of the document with the same bytes,
        False). Checked under the write lock, so processes importing the same file at once store it
        once and the others get the existing document, never a UNIQUE constraint failure."""
        with self.transaction():
            existing = self.find_by_sha256(doc.sha256)
            if existing is not None:
                return existing, False
            return self.add_document(doc), True

    def _insert_paragraphs(self, doc_id: int, paragraphs: Sequence[Paragraph], seg: SegmentedText) -> list[int]:
        ids: list[int] = []
        insert = (
            "INSERT INTO paragraphs (document_id, idx, text, kind, lang, page, start_char, end_char) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        )
        for idx, (para, (start, end)) in enumerate(zip(paragraphs, seg.paragraph_spans, strict=True)):
            cur = self.db.conn.execute(insert, (doc_id, idx, para.text, para.kind, para.lang, para.page, start, end))
            ids.append(int(cur.lastrowid or 0))
        return ids

    def documents(self) -> list[DocumentInfo]:
        rows = self.db.execute(f"SELECT {_DOC_COLUMNS} FROM documents ORDER BY id").fetchall()
        return [DocumentInfo(*row) for row in rows]

    def document(self, doc_id: int) -> DocumentInfo:
        row = self.db.execute(f"SELECT {_DOC_COLUMNS} FROM documents WHERE id = ?", [doc_id]).fetchone()
        if row is None:
            what = f"no document #{doc_id} in the library (it may have been deleted)"
            cli = f"no document #{doc_id} in the library; `main.py list` shows what is there"
            raise NotFoundError(cli, neutral=what)
        return DocumentInfo(*row)

    def resolve_document(self, ref: str) -> int:
        """A document from what a user types: its id, or a unique part of its title."""
        ref = ref.strip().lstrip("#")
        if ref.isdigit():
            return self.document(int(ref)).id
        rows = self.db.execute(
            "SELECT id, title FROM documents WHERE title LIKE ? ESCAPE '\\' ORDER BY id",
            ["%" + ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"],
        ).fetchall()
        if len(rows) == 1:
            return int(rows[0][0])
        if not rows:
            raise NotFoundError(f"no document matches {ref!r}; `main.py list` shows ids and titles")
        choices = ", ".join(f"#{r[0]} {r[1][:40]}" for r in rows[:5])
        raise NotFoundError(f"{ref!r} matches {len(rows)} documents ({choices}); give the id")

    def document_links(self, doc_id: int) -> list[tuple[str, str]]:
        """The link targets the document's source carried, (text, url) in reading order (a Markdown
        file's links; empty for other kinds)."""
        rows = self.db.execute(
            "SELECT text, url FROM document_links WHERE document_id = ? ORDER BY idx", [doc_id]
        ).fetchall()
        return [(str(r[0]), str(r[1])) for r in rows]

    def ocr_confidences(self, doc_id: int) -> dict[int, float]:
        """Paragraph index -> confidence (0-100) of the paragraphs read by OCR; empty for others."""
        rows = self.db.execute(
            "SELECT idx, ocr_confidence FROM paragraphs WHERE document_id = ? AND ocr_confidence IS NOT NULL",
            [doc_id],
        ).fetchall()
        return {int(r[0]): float(r[1]) for r in rows}

    def ocr_marks(self, doc_id: int) -> dict[int, tuple[int | None, float]]:
        """Paragraph id -> (page, confidence) of the paragraphs read by OCR."""
        rows = self.db.execute(
            "SELECT id, page, ocr_confidence FROM paragraphs WHERE document_id = ? AND ocr_confidence IS NOT NULL",
            [doc_id],
        ).fetchall()
        return {int(r[0]): (None if r[1] is None else int(r[1]), float(r[2])) for r in rows}

    def page_image_numbers(self, doc_id: int) -> list[int]:
        """Pages of the document kept as images (the pages read by OCR)."""
        rows = self.db.execute("SELECT page FROM page_images WHERE document_id = ? ORDER BY page", [doc_id])
        return [int(r[0]) for r in rows.fetchall()]

    def page_image(self, doc_id: int, page: int) -> tuple[str, bytes] | None:
        """(mime, image bytes) of a page read by OCR, or None."""
        row = self.db.execute(
            "SELECT mime, image FROM page_images WHERE document_id = ? AND page = ?", [doc_id, page]
        ).fetchone()
        return (str(row[0]), bytes(row[1])) if row else None

    def document_texts(self, doc_id: int) -> tuple[str, str]:
        """(raw_text, cleaned_text) of a document."""
        self.document(doc_id)
        row = self.db.execute("SELECT raw_text, cleaned_text FROM documents WHERE id = ?", [doc_id]).fetchone()
        return row[0], row[1]

    def delete_document(self, doc_id: int) -> None:
        self.document(doc_id)
        with self.transaction():
            self.db.execute("DELETE FROM documents WHERE id = ?", [doc_id])

    def paragraphs(self, doc_id: int) -> list[StoredParagraph]:
        rows = self.db.execute(
            "SELECT id, idx, text, kind, lang, page, start_char, end_char FROM paragraphs "
            "WHERE document_id = ? ORDER BY idx",
            [doc_id],
        ).fetchall()
        return [StoredParagraph(*row) for row in rows]

    def segments(self, doc_id: int, offset: int = 0, limit: int = -1) -> list[StoredSegment]:
        rows = self.db.execute(
            "SELECT id, paragraph_id, idx, text, start_char, end_char, lang FROM segments "
            "WHERE document_id = ? ORDER BY idx LIMIT ? OFFSET ?",
            [doc_id, limit, offset],
        ).fetchall()
        return [StoredSegment(*row) for row in rows]

    def repairs(self, doc_id: int) -> list[tuple[int, Repair, bool]]:
        """(repair id, repair, undone) in the order layout repair made them."""
        rows = self.db.execute(
            "SELECT id, kind, paragraph, detail, removed, page, at, undone FROM repairs WHERE document_id = ?"
            " ORDER BY idx",
            [doc_id],
        ).fetchall()
        return [(r[0], Repair(r[1], r[2], r[3], r[4], r[5], r[6]), bool(r[7])) for r in rows]

    def repaired_paragraphs(self, doc_id: int) -> list[Paragraph]:
        """The paragraphs as layout repair made them at import (before any repair was undone)."""
        row = self.db.execute("SELECT repaired_json FROM documents WHERE id = ?", [doc_id]).fetchone()
        if row is None:
            self.document(doc_id)  # raises NotFoundError
        if row and row[0]:
            return [Paragraph(**p) for p in json.loads(row[0])]
        # Imported before layout review existed: its stored paragraphs are the repaired ones.
        return [Paragraph(p.text, p.kind, p.lang, p.page) for p in self.paragraphs(doc_id)]

    # translations --------------------------------------------------------------------------------

    def add_translations(self, rows: Iterable[NewTranslation]) -> int:
        """Append translations (history is kept; the current one is chosen by `current_translations`)."""
        now = dbmod.utc_now()
        count = 0
        with self.transaction():
            for t in rows:
                self.db.conn.execute(
                    "INSERT INTO translations (segment_id, text, kind, model, flags, created_at, source)"
                    " VALUES (?, ?, ?, ?, ?, ?, coalesce(?, (SELECT text FROM segments WHERE id = ?)))",
                    (t.segment_id, t.text, t.kind, t.model, " ".join(t.flags), now, t.source, t.segment_id),
                )
                count += 1
        return count

    def current_translations(self, doc_id: int) -> dict[int, StoredTranslation]:
        """Segment id -> the translation a reader sees (latest human edit not reverted, else latest machine)."""
        rows = self.db.execute(
            "SELECT c.id, c.segment_id, c.text, c.kind, c.model, c.flags, c.created_at, c.source, s.text,"
            " c.flags_cleared, c.reviewed_at, c.reverted_at"
            " FROM current_translations c JOIN segments s ON s.id = c.segment_id WHERE s.document_id = ?",
            [doc_id],
        ).fetchall()
        return {r[1]: _translation(r[:9], r[9:]) for r in rows}

    def current_translation(self, segment_id: int) -> StoredTranslation | None:
        """The translation a reader sees for one sentence (None: not translated)."""
        r = self.db.execute(
            "SELECT c.id, c.segment_id, c.text, c.kind, c.model, c.flags, c.created_at, c.source, s.text,"
            " c.flags_cleared, c.reviewed_at, c.reverted_at"
            " FROM current_translations c JOIN segments s ON s.id = c.segment_id WHERE c.segment_id = ?",
            [segment_id],
        ).fetchone()
        return _translation(r[:9], r[9:]) if r else None

    def memory_lookup(self, texts: Sequence[str], model: str | None) -> dict[str, StoredTranslation]:
        """Translation memory: for each sentence text, the best earlier translation of an identical
        sentence anywhere in the library: a human edit (latest) first, else this model's output."""
        best: dict[str, tuple[tuple[int, int], StoredTranslation]] = {}
        unique = list(dict.fromkeys(texts))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            rows = self.db.execute(
                "SELECT s.text, t.id, t.segment_id, t.text, t.kind, t.model, t.flags, t.created_at "
                "FROM segments s JOIN translations t ON t.segment_id = s.id "
                f"WHERE s.text IN ({','.join('?' * len(chunk))}) AND (t.kind = 'human' OR t.model = ?)"
                " AND (t.source IS NULL OR t.source = s.text) AND t.reverted_at IS NULL",
                [*chunk, model],
            ).fetchall()
            for row in rows:
                found = _translation(row[1:])
                if found.kind == "memory" and found.model != "human":
                    continue
                rank = (2 if found.kind in {"human", "memory"} else 1, found.id)
                if row[0] not in best or rank > best[row[0]][0]:
                    best[row[0]] = (rank, found)
        return {text: found for text, (_rank, found) in best.items()}

    def english_between(self, first_segment: int, last_segment: int) -> list[str]:
        """Current English of the segments from `first_segment` to `last_segment`, in document order."""
        rows = self.db.execute(
            "SELECT c.text FROM segments s JOIN segments a ON a.id = ? JOIN segments b ON b.id = ? "
            "JOIN current_translations c ON c.segment_id = s.id "
            "WHERE s.document_id = a.document_id AND s.idx BETWEEN a.idx AND b.idx ORDER BY s.idx",
            [first_segment, last_segment],
        ).fetchall()
        return [r[0] for r in rows]

    def sentences_between(self, first_segment: int, last_segment: int) -> list[tuple[StoredSegment, str | None]]:
        """The segments from `first_segment` to `last_segment` in document order, each with its current
        English (None: not translated). What a claim's alignment needs, without loading its document."""
        rows = self.db.execute(
            "SELECT s.id, s.paragraph_id, s.idx, s.text, s.start_char, s.end_char, s.lang, c.text "
            "FROM segments s JOIN segments a ON a.id = ? JOIN segments b ON b.id = ? "
            "LEFT JOIN current_translations c ON c.segment_id = s.id "
            "WHERE s.document_id = a.document_id AND s.idx BETWEEN a.idx AND b.idx ORDER BY s.idx",
            [first_segment, last_segment],
        ).fetchall()
        return [(StoredSegment(*r[:7]), r[7]) for r in rows]

    def replace_text(
        self,
        doc_id: int,
        paragraphs: Sequence[Paragraph],
        segmented: SegmentedText,
        repairs: Sequence[tuple[Repair, bool]],
        segment_map: Callable[[StoredSegment], int | None],
    ) -> dict[int, int]:
        """Swap in newly cleaned text (a repair undone or redone), keeping translations.

        Each old segment's translation history moves to the new segment `segment_map` picks for it
        (an index into `segmented.segments`, or None), keeping the sentence it translated; one whose
        sentence now reads differently shows the flag `source-changed`. Returns old segment id ->
        new segment id.
        Runs inside the caller's transaction if there is one."""
        with self.transaction():
            # Read under the write lock: a translation another process adds meanwhile moves too.
            old_segments = self.segments(doc_id)
            history = self.db.execute(
                "SELECT t.id, t.segment_id, t.text, t.kind, t.model, t.flags, t.created_at, coalesce(t.source, s.text),"
                " t.reviewed_at, t.flags_cleared, t.reverted_at FROM translations t "
                "JOIN segments s ON s.id = t.segment_id WHERE s.document_id = ? ORDER BY t.id",
                [doc_id],
            ).fetchall()
            review_log = self.db.execute(
                "SELECT l.segment_id, l.translation_id, l.action, l.detail, l.created_at FROM review_log l"
                " JOIN segments s ON s.id = l.segment_id WHERE s.document_id = ? ORDER BY l.id",
                [doc_id],
            ).fetchall()
            self.db.conn.execute("DELETE FROM paragraphs WHERE document_id = ?", (doc_id,))  # cascades to segments
            self.db.conn.execute("DELETE FROM repairs WHERE document_id = ?", (doc_id,))
            self.db.conn.execute(
                "UPDATE documents SET cleaned_text = ?, paragraph_count = ?, segment_count = ? WHERE id = ?",
                (segmented.cleaned_text, len(paragraphs), len(segmented.segments), doc_id),
            )
            para_ids = self._insert_paragraphs(doc_id, paragraphs, segmented)
            new_ids: list[int] = []
            for seg in segmented.segments:
                cur = self.db.conn.execute(
                    "INSERT INTO segments (document_id, paragraph_id, idx, text, start_char, end_char, lang)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (doc_id, para_ids[seg.paragraph], seg.idx, seg.text, seg.start, seg.end, seg.lang),
                )
                new_ids.append(int(cur.lastrowid or 0))
            self.db.conn.executemany(
                "INSERT INTO repairs (document_id, idx, kind, paragraph, detail, removed, page, at, undone)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (doc_id, i, r.kind, r.paragraph, r.detail, r.removed, r.page, r.at, int(undone))
                    for i, (r, undone) in enumerate(repairs)
                ),
            )
            moved: dict[int, int] = {}
            for old in old_segments:
                target = segment_map(old)
                if target is not None:
                    moved[old.id] = new_ids[target]
            moved_translations: dict[int, int] = {}
            for old_tid, seg_id, text, kind, model, flags, created_at, source, *review in history:
                new_id = moved.get(seg_id)
                if new_id is None:
                    continue
                # Every translation moves, human or machine, with the sentence it translated: the
                # reader is shown the one that fits the sentence as it reads now (see the view), and
                # undoing a change later finds the old translation again.
                cur = self.db.conn.execute(
                    "INSERT INTO translations (segment_id, text, kind, model, flags, created_at, source,"
                    " reviewed_at, flags_cleared, reverted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (new_id, text, kind, model, flags, created_at, source, *review),
                )
                moved_translations[old_tid] = int(cur.lastrowid or 0)
            # the review log moves with its translations (what was accepted, cleared or reverted, and when)
            self.db.conn.executemany(
                "INSERT INTO review_log (segment_id, translation_id, action, detail, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    (moved[seg_id], moved_translations.get(tid) if tid is not None else None, *rest)
                    for seg_id, tid, *rest in review_log
                    if seg_id in moved
                ),
            )
        return moved

    def translation_history(self, segment_id: int) -> list[StoredTranslation]:
        rows = self.db.execute(
            "SELECT id, segment_id, text, kind, model, flags, created_at, flags_cleared, reviewed_at, reverted_at"
            " FROM translations WHERE segment_id = ? ORDER BY id",
            [segment_id],
        ).fetchall()
        return [_translation(r[:7], r[7:]) for r in rows]

    # search --------------------------------------------------------------------------------------

    def search(self, query: str, limit: int = 50, document_id: int | None = None) -> list[SearchHit]:
        """Sentences in either language containing every word of `query`, ignoring case and diacritics.

        Sentences holding the words side by side, as typed, come first; then newest documents first.
        (Not bm25: ranking must score every match, which took 100+ ms for common words at 1 M sentences,
        while rowid order lets FTS5 stop at `limit`.)"""
        hits: list[SearchHit] = []
        seen: set[tuple[int, str]] = set()
        for match in dict.fromkeys((fts_phrase(query), fts_query(query))):
            if not match:
                continue
            for hit in self._search(match, query, limit, document_id):
                key = (hit.segment_id, "en" if hit.text != hit.source_text else hit.lang)
                if key not in seen and len(hits) < limit:
                    seen.add(key)
                    hits.append(hit)
        return hits

    def _search(self, match: str, query: str, limit: int, document_id: int | None) -> Iterator[SearchHit]:
        doc_filter = "AND s.document_id = ?" if document_id is not None else ""
        for table, lang_expr, text_expr in (
            ("segments_fts", "s.lang", "s.text"),
            ("translations_fts", "'en'", "(SELECT text FROM current_translations c WHERE c.segment_id = s.id)"),
        ):
            params: list[object] = [match]
            if document_id is not None:
                params.append(document_id)
            params.append(limit)
            rows = self.db.execute(
                f"SELECT s.document_id, d.title, s.id, s.idx, {lang_expr}, {text_expr}, s.text "
                f"FROM {table} f JOIN segments s ON s.id = f.rowid JOIN documents d ON d.id = s.document_id "
                f"WHERE {table} MATCH ? {doc_filter} ORDER BY f.rowid DESC LIMIT ?",
                params,
            ).fetchall()
            for r in rows:
                yield SearchHit(r[0], r[1], r[2], r[3], r[4], r[5] or "", highlight(r[5] or "", query), r[6])

    # maintenance ---------------------------------------------------------------------------------

    def backup(self, dest: Path | str) -> Path:
        written = dbmod.backup_to(self.db, Path(dest), replace=True)
        assert written is not None  # with replace=True the copy always lands at dest
        return written

    def integrity(self) -> str:
        return str(self.db.execute("PRAGMA integrity_check").fetchone()[0])

    def journal_mode(self) -> str:
        return str(self.db.execute("PRAGMA journal_mode").fetchone()[0])


def paragraphs_json(paragraphs: Sequence[Paragraph]) -> str:
    return json.dumps(
        [{"text": p.text, "kind": p.kind, "lang": p.lang, "page": p.page} for p in paragraphs], ensure_ascii=False
    )


def _translation(r: Sequence[Any], review: Sequence[Any] = ()) -> StoredTranslation:
    """From (id, segment_id, text, kind, model, flags, created_at[, source, segment text]) and
    optionally (flags_cleared, reviewed_at, reverted_at): the flags the user cleared are not shown."""
    flags = tuple(str(r[5]).split()) if r[5] else ()
    if len(r) > 8 and r[7] is not None and r[7] != r[8]:
        flags = (*flags, "source-changed")
    if not review:
        return StoredTranslation(int(r[0]), int(r[1]), str(r[2]), str(r[3]), r[4], flags, str(r[6]))
    cleared = tuple(str(review[0] or "").split())
    return StoredTranslation(
        int(r[0]),
        int(r[1]),
        str(r[2]),
        str(r[3]),
        r[4],
        tuple(f for f in flags if f not in cleared),
        str(r[6]),
        reviewed=review[1] is not None,
        cleared=cleared,
        reverted=review[2] is not None,
    )


def highlight(text: str, query: str) -> str:
    """`text` with the words of `query` in [brackets], matched without diacritics."""
    wanted = set(_WORD.findall(fold(query)))
    if not wanted:
        return text
    out: list[str] = []
    pos = 0
    for m in _WORD.finditer(text):
        if fold(m.group(0)) in wanted:
            out.append(text[pos : m.start()])
            out.append(f"[{m.group(0)}]")
            pos = m.end()
    out.append(text[pos:])
    return "".join(out)
