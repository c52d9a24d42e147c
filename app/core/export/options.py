"""What a report holds: one set of choices shared by every export format."""

from __future__ import annotations

from dataclasses import dataclass

FORMATS = ("html", "pdf", "docx", "md", "csv", "jsonl", "tmx")
PAGE_SIZES = ("a4", "letter")


@dataclass(frozen=True)
class ExportOptions:
    only_claims: bool = False  # only the sentences a claim touches (the # column keeps their numbers)
    include_notes: bool = True  # claim notes and evidence notes; verdicts, tags and sources always stay
    tag: str | None = None  # only claims carrying this tag (and, with no document given, their documents)
    page_size: str = "a4"  # a4 | letter: PDF and DOCX pages

    def __post_init__(self) -> None:
        if self.page_size not in PAGE_SIZES:
            from app.core.errors import InputError

            raise InputError(f"unknown page size {self.page_size!r}; use one of: {', '.join(PAGE_SIZES)}")
