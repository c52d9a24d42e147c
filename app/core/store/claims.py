"""Claims, tags, notes, evidence and dismissed suggestions in the library file.

Every change to a claim's verdict, tags, span or note is also written to `claim_history` (notes keep
every version as rows of `notes`), in the same transaction, so nothing a user wrote is lost."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.core.errors import InputError, NotFoundError
from app.core.store import db as dbmod
from app.core.store.library import Library, fts_query

VERDICTS = ("unchecked", "supported", "disputed", "false", "unverifiable")
# The default tags: name, colour (light enough to highlight text on), shortcut key.
DEFAULT_TAGS = (
    ("statistic", "#f9e79f", "1"),
    ("ranking", "#aed6f1", "2"),
    ("prediction", "#d7bde2", "3"),
    ("source-cited", "#a9dfbf", "4"),
    ("needs-source", "#f5b7b1", "5"),
    ("opinion", "#d5dbdb", "6"),
)


@dataclass(frozen=True)
class Tag:
    id: int
    name: str
    color: str
    shortcut: str | None
    claims: int = 0  # how many claims carry it


@dataclass(frozen=True)
class Evidence:
    id: int
    url: str
    citation: str
    quote: str
    note: str
    created_at: str


@dataclass(frozen=True)
class ClaimRow:
    """A claim as stored (the English side is resolved against current translations by the caller)."""

    id: int
    document_id: int
    document_title: str
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    segment_first: int | None
    segment_last: int | None
    en_start: int | None
    en_end: int | None
    en_quote: str | None
    en_prefix: str
    en_suffix: str
    en_custom: bool
    verdict: str
    status: str  # attached | orphaned
    origin: str  # user | suggestion
    created_at: str
    edited_at: str
    tags: tuple[str, ...]
    note: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class NewClaim:
    document_id: int
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    segment_first: int | None
    segment_last: int | None
    tags: Sequence[str] = ()
    note: str = ""
    verdict: str = "unchecked"
    origin: str = "user"
    en_start: int | None = None
    en_end: int | None = None
    en_quote: str | None = None
    en_prefix: str = ""
    en_suffix: str = ""
    en_custom: bool = False


_CLAIM_COLUMNS = (
    "c.id, c.document_id, d.title, c.start_char, c.end_char, c.quote, c.prefix, c.suffix, c.segment_first,"
    " c.segment_last, c.en_start, c.en_end, c.en_quote, c.en_prefix, c.en_suffix, c.en_custom, c.verdict,"
    " c.status, c.origin, c.created_at, c.edited_at"
)


def check_verdict(verdict: str) -> str:
    if verdict not in VERDICTS:
        raise InputError(f"unknown verdict {verdict!r}; use one of: {', '.join(VERDICTS)}")
    return verdict


class ClaimStore:
    """Claims of one library; `Library.claims` is not a thing: build one with `ClaimStore(library)`."""

    def __init__(self, library: Library) -> None:
        self.lib = library
        self.db = library.db

    # tags ----------------------------------------------------------------------------------------

    def ensure_default_tags(self) -> None:
        if self.db.execute("SELECT count(*) FROM tags").fetchone()[0]:
            return
        with self.lib.transaction():
            if self.db.execute("SELECT count(*) FROM tags").fetchone()[0]:
                return  # another process made them meanwhile (checked again under the write lock)
            for name, color, key in DEFAULT_TAGS:
                self.db.conn.execute(
                    "INSERT INTO tags (name, color, shortcut, created_at) VALUES (?, ?, ?, ?)",
                    (name, color, key, dbmod.utc_now()),
                )

    def tags(self) -> list[Tag]:
        rows = self.db.execute(
            "SELECT t.id, t.name, t.color, t.shortcut, count(ct.claim_id) FROM tags t "
            "LEFT JOIN claim_tags ct ON ct.tag_id = t.id GROUP BY t.id ORDER BY t.shortcut IS NULL, t.shortcut, t.name"
        ).fetchall()
        return [Tag(*row) for row in rows]

    def tag(self, name: str) -> Tag:
        for tag in self.tags():
            if tag.name.lower() == name.strip().lower():
                return tag
        raise NotFoundError(f"no tag named {name!r}; `main.py tags list` shows them")

    # The rules for tags (names, colours, keys, delete with reassign) live in app/core/claims/tags.py,
    # the one place both front-ends call; these methods are that module under the store's names.

    def add_tag(self, name: str, color: str | None = None, shortcut: str | None = None) -> Tag:
        from app.core.claims import tags as rules

        return rules.create_tag(self.lib, name, color, shortcut)

    def rename_tag(self, old: str, new: str) -> Tag:
        from app.core.claims import tags as rules

        return rules.rename_tag(self.lib, old, new)

    def delete_tag(self, name: str, *, reassign: str | None = None, force: bool = False) -> int:
        """Delete a tag. Its claims are moved to `reassign`, or just lose the tag with `force`;
        with neither, a tag still in use is refused. Returns how many claims carried it."""
        from app.core.claims import tags as rules

        return rules.delete_tag(self.lib, name, reassign=reassign, untag=force)

    # claims --------------------------------------------------------------------------------------

    def add(self, claim: NewClaim) -> int:
        check_verdict(claim.verdict)
        tags = [self.tag(t) for t in claim.tags]
        now = dbmod.utc_now()
        with self.lib.transaction():
            cur = self.db.conn.execute(
                "INSERT INTO claims (document_id, start_char, end_char, quote, prefix, suffix, segment_first,"
                " segment_last, en_start, en_end, en_quote, en_prefix, en_suffix, en_custom, verdict, origin,"
                " created_at, edited_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    claim.document_id,
                    claim.start,
                    claim.end,
                    claim.quote,
                    claim.prefix,
                    claim.suffix,
                    claim.segment_first,
                    claim.segment_last,
                    claim.en_start,
                    claim.en_end,
                    claim.en_quote,
                    claim.en_prefix,
                    claim.en_suffix,
                    int(claim.en_custom),
                    claim.verdict,
                    claim.origin,
                    now,
                    now,
                ),
            )
            claim_id = int(cur.lastrowid or 0)
            for tag in {t.id: t for t in tags}.values():  # a tag named twice ('x', 'X') is one tag
                self.db.conn.execute("INSERT INTO claim_tags (claim_id, tag_id) VALUES (?, ?)", (claim_id, tag.id))
            if claim.note:
                self.db.conn.execute(
                    "INSERT INTO notes (claim_id, text, created_at) VALUES (?, ?, ?)", (claim_id, claim.note, now)
                )
                self._history(claim_id, "note", None, claim.note)  # in order with the other changes
        return claim_id

    def get(self, claim_id: int) -> ClaimRow:
        rows = self._select("WHERE c.id = ?", [claim_id])
        if not rows:
            what = f"no claim #{claim_id} (it may have been deleted)"
            raise NotFoundError(f"no claim #{claim_id}; `main.py claims list` shows them", neutral=what)
        return rows[0]

    def for_document(self, doc_id: int) -> list[ClaimRow]:
        return self._select("WHERE c.document_id = ?", [doc_id])

    def search(
        self,
        *,
        tag: str | None = None,
        verdict: str | None = None,
        document_id: int | None = None,
        text: str | None = None,
        status: str | None = None,
    ) -> list[ClaimRow]:
        """Claims across the library, filtered; `text` matches the quoted Vietnamese, its English,
        the note or the evidence, ignoring case and diacritics."""
        where: list[str] = []
        params: list[object] = []
        if tag is not None:
            where.append("c.id IN (SELECT claim_id FROM claim_tags WHERE tag_id = ?)")
            params.append(self.tag(tag).id)
        if verdict is not None:
            where.append("c.verdict = ?")
            params.append(check_verdict(verdict))
        if document_id is not None:
            where.append("c.document_id = ?")
            params.append(document_id)
        if status is not None:
            where.append("c.status = ?")
            params.append(status)
        rows = self._select(("WHERE " + " AND ".join(where)) if where else "", params)
        if text:
            wanted = fts_query(text).replace('"', "").split()
            rows = [r for r in rows if _matches(r, wanted, self._english_of(r))]
        return rows

    def aligned_english(self, row: ClaimRow) -> str:
        """The current English of the sentences the claim covers ("" when they are unknown)."""
        if row.segment_first is None or row.segment_last is None:
            return ""
        return " ".join(self.lib.english_between(row.segment_first, row.segment_last))

    def _english_of(self, row: ClaimRow) -> str:
        if row.segment_first is None or row.segment_last is None:
            return row.en_quote or ""  # orphaned: the English the user last saw
        return self.aligned_english(row)

    def _select(self, where: str, params: Sequence[object]) -> list[ClaimRow]:
        rows = self.db.execute(
            f"SELECT {_CLAIM_COLUMNS} FROM claims c JOIN documents d ON d.id = c.document_id {where} "
            "ORDER BY c.document_id, c.start_char, c.id",
            list(params),
        ).fetchall()
        if not rows:
            return []
        ids = [r[0] for r in rows]
        marks = ",".join("?" * len(ids))
        tags: dict[int, list[str]] = {}
        for claim_id, name in self.db.execute(
            f"SELECT ct.claim_id, t.name FROM claim_tags ct JOIN tags t ON t.id = ct.tag_id "
            f"WHERE ct.claim_id IN ({marks}) ORDER BY t.name",
            ids,
        ):
            tags.setdefault(claim_id, []).append(name)
        notes: dict[int, str] = {}
        for claim_id, text in self.db.execute(
            f"SELECT claim_id, text FROM notes WHERE claim_id IN ({marks}) ORDER BY id", ids
        ):
            notes[claim_id] = text  # the latest row wins
        evidence: dict[int, list[Evidence]] = {}
        for row in self.db.execute(
            f"SELECT claim_id, id, url, citation, quote, note, created_at FROM evidence "
            f"WHERE claim_id IN ({marks}) ORDER BY id",
            ids,
        ):
            evidence.setdefault(row[0], []).append(Evidence(*row[1:]))
        return [
            ClaimRow(
                *r[:15],  # type: ignore[misc, call-arg]  # mypy cannot count fields through a slice
                bool(r[15]),
                *r[16:],
                tags=tuple(tags.get(r[0], ())),
                note=notes.get(r[0], ""),
                evidence=tuple(evidence.get(r[0], ())),
            )
            for r in rows
        ]

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """(claims per tag, claims per verdict) over the whole library; every tag and verdict listed."""
        per_tag = {t.name: t.claims for t in self.tags()}
        per_verdict = dict.fromkeys(VERDICTS, 0)
        for verdict, n in self.db.execute("SELECT verdict, count(*) FROM claims GROUP BY verdict"):
            per_verdict[verdict] = n
        return per_tag, per_verdict

    # edits (each one recorded in claim_history) --------------------------------------------------

    def set_verdict(self, claim_id: int, verdict: str) -> None:
        old = self.get(claim_id).verdict
        check_verdict(verdict)
        if old == verdict:
            return
        with self.lib.transaction():
            self.db.conn.execute(
                "UPDATE claims SET verdict = ?, edited_at = ? WHERE id = ?", (verdict, dbmod.utc_now(), claim_id)
            )
            self._history(claim_id, "verdict", old, verdict)

    def set_note(self, claim_id: int, text: str) -> None:
        old = self.get(claim_id).note
        if old == text:
            return
        now = dbmod.utc_now()
        with self.lib.transaction():
            self.db.conn.execute(
                "INSERT INTO notes (claim_id, text, created_at) VALUES (?, ?, ?)", (claim_id, text, now)
            )
            self.db.conn.execute("UPDATE claims SET edited_at = ? WHERE id = ?", (now, claim_id))
            self._history(claim_id, "note", old or None, text)

    def note_history(self, claim_id: int) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT text FROM notes WHERE claim_id = ? ORDER BY id", [claim_id])]

    def note_versions(self, claim_id: int) -> list[tuple[str, str]]:
        """(text, written at) of every version of the claim's note, oldest first."""
        return [
            (str(r[0]), str(r[1]))
            for r in self.db.execute("SELECT text, created_at FROM notes WHERE claim_id = ? ORDER BY id", [claim_id])
        ]

    def set_tags(self, claim_id: int, names: Iterable[str]) -> None:
        old = self.get(claim_id).tags
        tags = list({t.id: t for t in (self.tag(n) for n in names)}.values())  # each tag once
        new = tuple(sorted(t.name for t in tags))
        if tuple(sorted(old)) == new:
            return
        with self.lib.transaction():
            self.db.conn.execute("DELETE FROM claim_tags WHERE claim_id = ?", (claim_id,))
            for tag in tags:
                self.db.conn.execute(
                    "INSERT OR IGNORE INTO claim_tags (claim_id, tag_id) VALUES (?, ?)", (claim_id, tag.id)
                )
            self.db.conn.execute("UPDATE claims SET edited_at = ? WHERE id = ?", (dbmod.utc_now(), claim_id))
            self._history(claim_id, "tags", ", ".join(sorted(old)), ", ".join(new))

    def add_evidence(self, claim_id: int, *, url: str = "", citation: str = "", quote: str = "", note: str = "") -> int:
        self.get(claim_id)
        if not (url or citation):
            raise InputError("evidence needs a URL or a citation")
        with self.lib.transaction():
            cur = self.db.conn.execute(
                "INSERT INTO evidence (claim_id, url, citation, quote, note, created_at) VALUES (?,?,?,?,?,?)",
                (claim_id, url, citation, quote, note, dbmod.utc_now()),
            )
            self._history(claim_id, "evidence", None, url or citation)
        return int(cur.lastrowid or 0)

    def evidence(self, evidence_id: int) -> tuple[int, Evidence]:
        """(claim id, evidence) of one piece of evidence."""
        row = self.db.execute(
            "SELECT claim_id, id, url, citation, quote, note, created_at FROM evidence WHERE id = ?", [evidence_id]
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no evidence #{evidence_id} (it may have been removed)")
        return int(row[0]), Evidence(*row[1:])

    def update_evidence(
        self, evidence_id: int, *, url: str, citation: str, quote: str = "", note: str | None = None
    ) -> bool:
        """Change one piece of evidence (recorded in claim_history); returns whether anything changed."""
        claim_id, old = self.evidence(evidence_id)
        if not (url or citation):
            raise InputError("evidence needs a URL or a citation; remove it instead")
        note = old.note if note is None else note
        if (old.url, old.citation, old.quote, old.note) == (url, citation, quote, note):
            return False
        with self.lib.transaction():
            self.db.conn.execute(
                "UPDATE evidence SET url = ?, citation = ?, quote = ?, note = ? WHERE id = ?",
                (url, citation, quote, note, evidence_id),
            )
            self.db.conn.execute("UPDATE claims SET edited_at = ? WHERE id = ?", (dbmod.utc_now(), claim_id))
            self._history(claim_id, "evidence", _evidence_text(old), _evidence_text(self.evidence(evidence_id)[1]))
        return True

    def delete_evidence(self, evidence_id: int) -> None:
        """Remove one piece of evidence (what it said stays in claim_history)."""
        claim_id, old = self.evidence(evidence_id)
        with self.lib.transaction():
            self.db.conn.execute("DELETE FROM evidence WHERE id = ?", (evidence_id,))
            self.db.conn.execute("UPDATE claims SET edited_at = ? WHERE id = ?", (dbmod.utc_now(), claim_id))
            self._history(claim_id, "evidence", _evidence_text(old), None)

    def move_anchor(
        self,
        claim_id: int,
        *,
        start: int,
        end: int,
        status: str,
        segment_first: int | None,
        segment_last: int | None,
        quote: str | None = None,
        prefix: str | None = None,
        suffix: str | None = None,
    ) -> None:
        """Record where a claim's words are now (after re-cleaning), or that they are gone."""
        old = self.get(claim_id)
        with self.lib.transaction():
            self.db.conn.execute(
                "UPDATE claims SET start_char = ?, end_char = ?, status = ?, segment_first = ?, segment_last = ?,"
                " quote = ?, prefix = ?, suffix = ? WHERE id = ?",
                (
                    start,
                    end,
                    status,
                    segment_first,
                    segment_last,
                    old.quote if quote is None else quote,
                    old.prefix if prefix is None else prefix,
                    old.suffix if suffix is None else suffix,
                    claim_id,
                ),
            )
            if (old.start, old.end, old.status) != (start, end, status):
                self._history(claim_id, "anchor", f"{old.start}-{old.end} {old.status}", f"{start}-{end} {status}")

    def set_english_span(self, claim_id: int, *, start: int, end: int, quote: str, prefix: str, suffix: str) -> None:
        old = self.get(claim_id)
        with self.lib.transaction():
            self.db.conn.execute(
                "UPDATE claims SET en_start = ?, en_end = ?, en_quote = ?, en_prefix = ?, en_suffix = ?, en_custom = 1,"
                " edited_at = ? WHERE id = ?",
                (start, end, quote, prefix, suffix, dbmod.utc_now(), claim_id),
            )
            self._history(claim_id, "english", old.en_quote, quote)

    def history(self, claim_id: int) -> list[tuple[str, str | None, str | None, str]]:
        return [
            (str(r[0]), r[1], r[2], str(r[3]))
            for r in self.db.execute(
                "SELECT field, old_value, new_value, changed_at FROM claim_history WHERE claim_id = ? ORDER BY id",
                [claim_id],
            )
        ]

    def delete(self, claim_id: int) -> None:
        self.get(claim_id)
        with self.lib.transaction():
            self.db.conn.execute("DELETE FROM claims WHERE id = ?", (claim_id,))

    def _history(self, claim_id: int, field: str, old: str | None, new: str | None) -> None:
        self.db.conn.execute(
            "INSERT INTO claim_history (claim_id, field, old_value, new_value, changed_at) VALUES (?,?,?,?,?)",
            (claim_id, field, old, new, dbmod.utc_now()),
        )

    # suggestions ---------------------------------------------------------------------------------

    def dismiss_suggestion(self, doc_id: int, key: str, text: str) -> None:
        with self.lib.transaction():
            self.db.conn.execute(
                "INSERT OR IGNORE INTO dismissed_suggestions (document_id, key, text, dismissed_at) VALUES (?,?,?,?)",
                (doc_id, key, text, dbmod.utc_now()),
            )

    def dismissed_keys(self, doc_id: int) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT key FROM dismissed_suggestions WHERE document_id = ?", [doc_id])}

    def export_rows(self, rows: Sequence[ClaimRow]) -> str:
        """JSON Lines with the text itself, not only ids (kept before a document is deleted)."""
        return "".join(
            json.dumps(
                {
                    "id": r.id,
                    "document": r.document_title,
                    "vi": r.quote,
                    "en": self._english_of(r),
                    "tags": list(r.tags),
                    "verdict": r.verdict,
                    "note": r.note,
                    "evidence": [e.__dict__ for e in r.evidence],
                    "start": r.start,
                    "end": r.end,
                    "status": r.status,
                },
                ensure_ascii=False,
            )
            + "\n"
            for r in rows
        )


def _evidence_text(e: Evidence) -> str:
    """One line for claim_history: the link or citation, and the quote."""
    return (e.url or e.citation) + (f" — “{e.quote}”" if e.quote else "")


def _matches(row: ClaimRow, words: list[str], english: str) -> bool:
    from app.core.store.library import fold

    haystack = fold(" ".join([row.quote, english, row.note, *(e.quote + " " + e.note for e in row.evidence)]))
    return all(w in haystack for w in words)
