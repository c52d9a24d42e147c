"""A claim's history in words, one list for the claim dialog's History tab and `main.py claims history`.

Every change to a verdict, tags, evidence, span or English words is kept in `claim_history`, and every
version of a note in `notes` (`store/claims.py`); here they are merged, oldest first, and named as a user
names them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.core.store import Library
from app.core.store.claims import ClaimStore

_FIELDS = {
    "verdict": "Verdict",
    "tags": "Tags",
    "evidence": "Evidence",
    "english": "English words",
    "anchor": "Place in the text",
    "note": "Note",
    "created": "Marked",
}


@dataclass(frozen=True)
class HistoryEntry:
    when: str  # ISO 8601, UTC, as stored
    field: str  # verdict | tags | evidence | english | anchor | note | created
    old: str
    new: str

    @property
    def what(self) -> str:
        return _FIELDS.get(self.field, self.field)

    @property
    def change(self) -> str:
        """The change in a few words: "unchecked → disputed", "added: …", "removed: …"."""
        if self.field == "created":
            return self.new
        if not self.old:
            return f"added: {self.new}" if self.field in {"evidence", "english", "note"} else f"(none) → {self.new}"
        if not self.new:
            return f"removed: {self.old}" if self.field in {"evidence", "note"} else f"{self.old} → (none)"
        return f"{self.old} → {self.new}"

    def line(self) -> str:
        """One line: the local date and time, what changed and how."""
        try:
            when = datetime.fromisoformat(self.when).astimezone().strftime("%Y-%m-%d %H:%M")
        except ValueError:
            when = self.when[:16].replace("T", " ")
        return f"{when}  {self.what}: {self.change}"


def claim_history(library: Library, claim_id: int) -> list[HistoryEntry]:
    """Everything that happened to the claim, oldest first (raises NotFoundError for no such claim)."""
    store = ClaimStore(library)
    row = store.get(claim_id)
    quote = row.quote if len(row.quote) <= 80 else row.quote[:79] + "…"
    how = " (a suggestion you accepted)" if row.origin == "suggestion" else ""
    entries = [HistoryEntry(row.created_at, "created", "", f"“{quote}”{how}")]
    changes = store.history(claim_id)
    entries += [HistoryEntry(when, field, old or "", new or "") for field, old, new, when in changes]
    versions = store.note_versions(claim_id)
    if len(versions) == sum(1 for field, *_ in changes if field == "note"):
        return entries  # every note is in claim_history, in the order it was written
    # a library from before notes were recorded there: its note versions merged in by time
    entries = [e for e in entries if e.field != "note"]
    previous = ""
    for text, when in versions:
        entries.append(HistoryEntry(when, "note", previous, text))
        previous = text
    return sorted(entries, key=lambda e: e.when)  # stable: same-second entries keep their order
