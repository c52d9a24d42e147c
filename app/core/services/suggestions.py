"""Suggestions for reading: the sentences likely to hold a checkable claim, best first. The window's
claims panel and `main.py claims suggest` both show exactly this list.

A sentence the user already marked a claim in is not suggested again (its claim is in the claims
list), and neither is one the user dismissed."""

from __future__ import annotations

from app.core.claims.spans import is_claimed
from app.core.claims.suggest import Suggestion, suggest, suggestion_key
from app.core.claims.workflow import document_segments
from app.core.store import Library
from app.core.store.claims import ClaimStore


def suggestions_for_reading(library: Library, doc_id: int) -> list[Suggestion]:
    store = ClaimStore(library)
    dismissed = store.dismissed_keys(doc_id)
    claims = store.for_document(doc_id)
    return [
        s
        for s in suggest(document_segments(library, doc_id))
        if suggestion_key(s.text) not in dismissed and not is_claimed(claims, s.start, s.end)
    ]
