"""What the reader and the reports say of text read by OCR (issue 17): one rule for both front-ends
and every report format. A paragraph read by OCR with an estimated confidence under
`ocr.LOW_CONFIDENCE` carries the mark `ocr.CHECK` ("read by OCR — check against the page"); a
document with pages read by OCR says how many ("2 pages read by OCR", "1 of 3 pages read by OCR")."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.ingest.ocr import CHECK, LOW_CONFIDENCE
from app.core.store import Library

__all__ = ["CHECK", "LOW_CONFIDENCE", "OcrSummary", "is_low", "low_paragraphs", "mark", "summary"]


def is_low(confidence: float | None) -> bool:
    """True for a paragraph read by OCR whose text should be checked against the page."""
    return confidence is not None and confidence < LOW_CONFIDENCE


def mark(confidence: float) -> str:
    """The words shown on a low-confidence paragraph, e.g. "read by OCR — check against the page
    (confidence 62 %)"."""
    return f"{CHECK} (confidence {confidence:.0f} %)"


def low_paragraphs(lib: Library, doc_id: int) -> dict[int, float]:
    """Paragraph id -> confidence, for the document's paragraphs read by OCR below the threshold."""
    return {p: c for p, (_page, c) in lib.ocr_marks(doc_id).items() if is_low(c)}


@dataclass(frozen=True)
class OcrSummary:
    """How much of a document was read by OCR."""

    pages: tuple[int, ...]  # the page numbers read by OCR
    page_count: int | None  # pages in the document (None when unknown)
    low: int  # paragraphs marked CHECK

    @property
    def partly(self) -> bool:
        """Only some of the pages were read by OCR (a mixed PDF: text layer + scans)."""
        return self.page_count is not None and len(self.pages) < self.page_count

    def pages_line(self) -> str:
        """ "2 pages read by OCR" or "1 of 3 pages read by OCR" (the reader's header)."""
        n = len(self.pages)
        if self.partly:
            return f"{n} of {self.page_count} pages read by OCR"
        return f"{n} page read by OCR" if n == 1 else f"{n} pages read by OCR"

    def report_line(self) -> str:
        """The report header's sentence on OCR."""
        how = "partly read by OCR" if self.partly else "read by OCR"
        line = f"This document was {how} ({self.pages_line()})"
        if self.low:
            s = "paragraph is" if self.low == 1 else "paragraphs are"
            line += f"; {self.low} {s} marked “{CHECK}”"
        return line + "."


def summary(lib: Library, doc_id: int) -> OcrSummary | None:
    """None for a document without a page read by OCR."""
    marks = lib.ocr_marks(doc_id)
    pages = set(lib.page_image_numbers(doc_id)) | {page for page, _c in marks.values() if page is not None}
    if not pages and not marks:
        return None
    if not pages:  # OCR text without page numbers: count it as one page
        pages = {1}
    info = lib.document(doc_id)
    return OcrSummary(
        pages=tuple(sorted(pages)),
        page_count=info.page_count,
        low=sum(is_low(c) for _page, c in marks.values()),
    )
