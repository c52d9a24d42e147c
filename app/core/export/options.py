"""What a report holds: one set of choices shared by every export format."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExportFormat:
    code: str  # what `main.py export --format` takes, and the file's suffix
    label: str  # as File › Export lists it
    file_filter: str  # the save dialog's filter


# The one list of formats: the CLI's choices, the export dialog and `export()` all read it.
EXPORT_FORMATS = (
    ExportFormat("html", "HTML report (one file, opens in any browser)", "HTML (*.html)"),
    ExportFormat("pdf", "PDF report", "PDF (*.pdf)"),
    ExportFormat("docx", "Word document (.docx)", "Word (*.docx)"),
    ExportFormat("md", "Markdown", "Markdown (*.md)"),
    ExportFormat("csv", "Claims as CSV (Excel)", "CSV (*.csv)"),
    ExportFormat("jsonl", "Claims as JSON Lines", "JSON Lines (*.jsonl)"),
    ExportFormat("tmx", "Translation memory (TMX 1.4)", "TMX (*.tmx)"),
)
FORMATS = tuple(f.code for f in EXPORT_FORMATS)
PAGE_SIZES = ("a4", "letter")


@dataclass(frozen=True)
class ExportOptions:
    only_claims: bool = False  # only the sentences a claim touches (the # column keeps their numbers)
    include_notes: bool = True  # claim notes and evidence notes; verdicts, tags and sources always stay
    tag: str | None = None  # only claims carrying this tag (and, with no document given, their documents)
    page_size: str = "a4"  # a4 | letter: PDF and DOCX pages
    include_source_path: bool = False  # the source file's whole path; by default its name only (no /home/<user>/)

    def __post_init__(self) -> None:
        if self.page_size not in PAGE_SIZES:
            from app.core.errors import InputError

            raise InputError(f"unknown page size {self.page_size!r}; use one of: {', '.join(PAGE_SIZES)}")
