"""Plain data passed between the core stages (ingest -> layout -> segment -> ...)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PdfLine:
    """One text line as PyMuPDF reports it, with its box in PDF points (y grows downwards)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float  # dominant font size of the line
    bold: bool = False
    font: str = ""
    block: int = 0  # PyMuPDF block number on the page


@dataclass(frozen=True)
class PdfPage:
    number: int  # 1-based
    width: float
    height: float
    lines: tuple[PdfLine, ...]


@dataclass(frozen=True)
class PdfDocument:
    pages: tuple[PdfPage, ...]
    title: str = ""
    ocr_pages: tuple[int, ...] = ()  # numbers of the pages whose text was read by OCR (scans)
    page_images: tuple[tuple[int, str, bytes], ...] = ()  # (page, mime, image) of those pages
    repairs: tuple[Repair, ...] = ()  # what reading the pages changed (legacy fonts, glyph lines...)


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: str = "paragraph"  # paragraph | heading | list_item | source
    lang: str = "vi"  # vi | en
    page: int | None = None  # 1-based page where it starts (PDF only)


@dataclass(frozen=True)
class Repair:
    """One change made by layout repair, enough to show it and to undo it.

    `kind` is one of: join_lines, join_page_break, dehyphenate, drop_header, drop_footer,
    drop_page_number, attach_bullet, split_heading, drop_blank, strip_space.
    `removed` holds text that repair deleted (headers, page numbers, inserted hyphens).
    `at` says where, so the repair can be undone: for joins, de-hyphenation and attached bullets the
    offset in the resulting paragraph's text where the second line starts; for dropped lines the index
    of the paragraph they stood before. None: not undoable (e.g. reading order)."""

    kind: str
    paragraph: int  # index of the resulting paragraph it concerns (-1: none, e.g. a dropped header)
    detail: str = ""
    removed: str = ""
    page: int | None = None
    at: int | None = None


@dataclass
class CleanResult:
    encoding: str
    paragraphs: list[Paragraph]
    repairs: list[Repair] = field(default_factory=list)
    source_kind: str = "text"  # text | markdown | pdf


@dataclass(frozen=True)
class Segment:
    """One sentence. Offsets point into the document's cleaned text (paragraphs joined by blank lines)."""

    paragraph: int  # index of its paragraph
    idx: int  # position in the document
    text: str
    start: int
    end: int
    lang: str = "vi"


@dataclass(frozen=True)
class SegmentedText:
    cleaned_text: str
    paragraph_spans: tuple[tuple[int, int], ...]  # (start, end) of each paragraph in cleaned_text
    segments: tuple[Segment, ...]
