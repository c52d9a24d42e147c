"""What an operation changed, so every screen decides for itself whether to refresh (Anki's
`OpChanges` / `operation_did_execute`): an operation ends with `window.report(Changes(claims=True))`
instead of calling each screen's refresh by hand."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Changes:
    documents: bool = False  # a document was added, removed, renamed or re-cleaned
    claims: bool = False  # claims, their tags, verdicts, notes or evidence
    tags: bool = False  # the tag list itself
    translations: bool = False  # machine translations or post-edits
    models: bool = False  # a translation model was installed or removed
    library: bool = False  # the whole library was replaced (a restore): everything
    document_id: int | None = None  # the one document concerned; None: any or several

    def concerns(self, doc_id: int | None) -> bool:
        """True when the change may concern the document `doc_id` (shown on a screen)."""
        return doc_id is not None and (self.library or self.document_id is None or self.document_id == doc_id)
