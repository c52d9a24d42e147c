"""Searching the library for sentences: the one query the command line's `search`, the window's library
search and its in-document find (Ctrl+F) all run.

A sentence matches when it holds every word of the query, in either language (the Vietnamese source or
its current English), ignoring case and diacritics ("bang sang che" finds "bằng sáng chế"); sentences
holding the words side by side come first (`Library.search`, FTS5 with diacritics folded). The words a
match holds are given as character spans of its text, so each front-end marks them its own way
([brackets] on a terminal, a coloured background in the window)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from app.core.store import Library, SearchHit
from app.core.store.claims import ClaimStore
from app.core.store.library import fold, fts_query

__all__ = [
    "DocumentMatches",
    "LibraryMatches",
    "SearchHit",
    "find_in_document",
    "group_by_document",
    "match_spans",
    "search_library",
    "search_sentences",
]

SENTENCE_LIMIT = 200  # sentences the library search lists (a bounded query: the window stays quick)
FIND_LIMIT = 5000  # matches found in one document
_WORD = re.compile(r"\w+")


Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class DocumentMatches:
    """The matching sentences of one document, in reading order; `spans[i]`: where the query's words
    are in `hits[i].text` (found with the search, off the window's thread)."""

    document_id: int
    title: str
    hits: tuple[SearchHit, ...]
    spans: tuple[Spans, ...] = ()


@dataclass(frozen=True)
class LibraryMatches:
    """What the library search shows: the documents listed (None: all of them) and the sentences."""

    query: str
    document_ids: set[int] | None
    groups: tuple[DocumentMatches, ...]
    truncated: bool  # more sentences matched than were listed

    @property
    def sentence_count(self) -> int:
        return sum(len(g.hits) for g in self.groups)


def search_sentences(library: Library, query: str, limit: int = 50, document_id: int | None = None) -> list[SearchHit]:
    """Sentences holding every word of `query` (either language, accents optional), words side by side
    first, then newest documents first; at most `limit`."""
    return library.search(query, limit=limit, document_id=document_id)


def find_in_document(library: Library, document_id: int, query: str, limit: int = FIND_LIMIT) -> list[SearchHit]:
    """Every match in one document in reading order: by sentence, the Vietnamese before the English."""
    hits = search_sentences(library, query, limit=limit, document_id=document_id)
    return sorted(hits, key=lambda h: (h.segment_idx, is_english_column(h)))


def is_english_column(hit: SearchHit) -> bool:
    """True when the match is in the sentence's translation (not in its source text)."""
    return hit.lang == "en" and hit.text != hit.source_text


def group_by_document(hits: list[SearchHit], query: str = "") -> list[DocumentMatches]:
    """Hits grouped by document (documents in the order their first hit came), each in reading order,
    with the spans of `query`'s words in each."""
    by_doc: dict[int, list[SearchHit]] = {}
    titles: dict[int, str] = {}
    for hit in hits:
        by_doc.setdefault(hit.document_id, []).append(hit)
        titles[hit.document_id] = hit.title
    groups = []
    for doc, found in by_doc.items():
        ordered = tuple(sorted(found, key=lambda h: (h.segment_idx, is_english_column(h))))
        spans = tuple(tuple(match_spans(h.text, query)) for h in ordered) if query else ()
        groups.append(DocumentMatches(doc, titles[doc], ordered, spans))
    return groups


def search_library(
    library: Library,
    text: str,
    tag: str | None = None,
    verdict: str | None = None,
    limit: int = SENTENCE_LIMIT,
) -> LibraryMatches:
    """The library search: sentences matching `text` grouped by document, and the documents to list —
    those whose title or sentences match, and that hold a claim with `tag`/`verdict` when given."""
    text = text.strip()
    ids: set[int] | None = None
    hits: list[SearchHit] = []
    if text:
        wanted = fold(text)
        hits = search_sentences(library, text, limit=limit + 1)
        ids = {d.id for d in library.documents() if wanted in fold(d.title)}
        ids |= matching_documents(library, text)
    truncated = len(hits) > limit
    hits = hits[:limit]
    if tag or verdict:
        with_claims = {c.document_id for c in ClaimStore(library).search(tag=tag, verdict=verdict)}
        ids = with_claims if ids is None else ids & with_claims
        hits = [h for h in hits if h.document_id in with_claims]
    return LibraryMatches(text, ids, tuple(group_by_document(hits, text)), truncated)


@lru_cache(maxsize=65536)
def _folded_word(word: str) -> str:
    return fold(word)


def matching_documents(library: Library, text: str) -> set[int]:
    """Every document with a sentence (either language) holding all the words of `text` (one SQL
    query per index: SQLite does the work, not Python)."""
    match = fts_query(text)
    if not match:
        return set()
    found: set[int] = set()
    for table in ("segments_fts", "translations_fts"):
        rows = library.db.execute(
            f"SELECT DISTINCT s.document_id FROM {table} f JOIN segments s ON s.id = f.rowid WHERE {table} MATCH ?",
            [match],
        ).fetchall()
        found |= {int(r[0]) for r in rows}
    return found


def match_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Where the words of `query` are in `text` (start, end), compared without case and diacritics."""
    wanted = set(_WORD.findall(fold(query)))
    if not wanted:
        return []
    return [(m.start(), m.end()) for m in _WORD.finditer(text) if _folded_word(m.group(0)) in wanted]


def marked(text: str, query: str, left: str = "[", right: str = "]") -> str:
    """`text` with each word of `query` between `left` and `right`."""
    out: list[str] = []
    pos = 0
    for start, end in match_spans(text, query):
        out += [text[pos:start], left, text[start:end], right]
        pos = end
    out.append(text[pos:])
    return "".join(out)
