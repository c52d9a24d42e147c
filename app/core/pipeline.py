"""Strings the core stages together: ingest -> layout repair -> segmentation -> store."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import (
    EmptyInputError,
    FileMissingError,
    InputError,
    InputTooLargeError,
    UnsupportedFormatError,
    printable,
)
from app.core.ingest import markdown as markdown_ingest
from app.core.ingest import pdf as pdf_ingest
from app.core.ingest import text as text_ingest
from app.core.ingest import web
from app.core.ingest.images import is_image
from app.core.ingest.ocr import repair_ocr
from app.core.layout import repair_pdf, repair_text
from app.core.model import CleanResult, Paragraph, PdfDocument, PdfLine
from app.core.progress import Cancel, Progress, null_progress
from app.core.segment import segment_paragraphs
from app.core.store import Library, NewDocument
from app.core.store import db as dbmod

UNSUPPORTED_SUFFIXES = {".doc", ".docx", ".odt", ".rtf", ".epub", ".zip"}
TITLE_MAX = 90  # pasted text named by its first words
HEADING_MAX = 200  # a heading the document shows is kept whole up to a title's limit (services.documents)


def source_kind(path: Path, head: bytes) -> str:
    if head.startswith(b"%PDF") or path.suffix.lower() == ".pdf":
        return "pdf"
    if is_image(path):  # read by OCR in the PDF child (issue 17)
        return "image"
    if path.suffix.lower() in {".md", ".markdown"}:
        return "markdown"
    if path.suffix.lower() in UNSUPPORTED_SUFFIXES:
        raise UnsupportedFormatError(
            f"{path.name}: {path.suffix} files are not supported; save it as PDF or plain text and import that"
        )
    return "text"


@dataclass(frozen=True)
class Ingested:
    """A cleaned input with what the library keeps about its source."""

    clean: CleanResult
    raw_text: str
    title: str
    page_count: int | None = None
    ocr_confidence: tuple[float | None, ...] = ()  # per paragraph: text read by OCR (issue 17)
    page_images: tuple[tuple[int, str, bytes], ...] = ()  # (page, mime, image) of the pages read by OCR
    ocr_pages: tuple[int, ...] = ()
    links: tuple[tuple[str, str], ...] = ()  # (text, url) a Markdown file links to, in reading order
    source_url: str = ""  # a pasted page's own address, author and date, when it says
    author: str = ""
    published: str = ""


def clean_text(text: str, encoding: str = "utf-8", kind: str = "text") -> CleanResult:
    paragraphs, repairs = repair_text(text)
    return CleanResult(encoding=encoding, paragraphs=paragraphs, repairs=repairs, source_kind=kind)


def _check_importable(p: Path) -> None:
    """An existing regular file, else FileMissingError naming what it is (folder, device...)."""
    if not p.exists():
        raise FileMissingError(f"{p}: no such file; check the path and try again")
    if not p.is_file():  # a folder or a device: the text reader says which, naming it
        text_ingest.read_text_file(p)
        raise FileMissingError(f"{p} is not a regular file; choose a .txt, .md or .pdf file")


def ingest_file(
    path: str | os.PathLike[str],
    password: str = "",
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> Ingested:
    """Read a .txt/.md/.pdf file and rebuild its paragraphs. Raises a DoiChieuError on bad input."""
    p = Path(path)
    _check_importable(p)
    with p.open("rb") as fh:
        head = fh.read(1024)
    kind = source_kind(p, head)
    if kind in ("pdf", "image"):
        doc = pdf_ingest.read_pdf(p, password=password, progress=progress, cancel=cancel)
        paragraphs, repairs = repair_pdf(doc)
        confidence: list[float | None] = []
        if doc.ocr_pages:  # scanned pages: glued syllables split, NFC, each fix an undoable repair
            paragraphs, repairs, confidence = repair_ocr(paragraphs, repairs, doc.ocr_pages)
        clean = CleanResult(encoding=kind, paragraphs=paragraphs, repairs=repairs, source_kind=kind)
        heading = "" if doc.ocr_pages else pdf_heading(doc)  # OCR's type sizes are guesses: the file's name
        title = heading or _pdf_title(doc.title) or _title(paragraphs, p)
        return Ingested(
            clean,
            pdf_page_texts(doc),
            title,
            len(doc.pages),
            ocr_confidence=tuple(confidence),
            page_images=doc.page_images,
            ocr_pages=doc.ocr_pages,
        )
    decoded = text_ingest.read_text_file(p)
    if kind == "markdown":
        parsed = markdown_ingest.parse(decoded.text)
        clean = clean_text(parsed.text, decoded.encoding, kind)
        links = tuple((link.text, link.url) for link in parsed.links)
        return Ingested(clean, decoded.text, parsed.title or _title(clean.paragraphs, p), links=links)
    clean = clean_text(decoded.text, decoded.encoding, kind)
    return Ingested(clean, decoded.text, _title(clean.paragraphs, p))


def clean_file(path: str | os.PathLike[str], password: str = "") -> CleanResult:
    return ingest_file(path, password).clean


def pdf_page_texts(doc: PdfDocument) -> str:
    """The PDF's text as extracted, one page per form-feed-separated block."""
    return "\f".join("\n".join(line.text for line in page.lines) for page in doc.pages)


def pdf_heading(doc: PdfDocument) -> str:
    """The first page's heading: its largest type (at least 15% over the page's body text), read in
    order and joined when it runs over several lines; running headers and footers (a line that comes
    back on other pages) and page numbers are not headings. "" when the page has none."""
    if not doc.pages or not doc.pages[0].lines:
        return ""
    first = doc.pages[0]
    chars: dict[float, int] = {}
    for line in first.lines:
        chars[line.size] = chars.get(line.size, 0) + len(line.text)
    body = max(chars, key=lambda size: chars[size])
    repeated = _running_lines(doc)
    lines = [
        line
        for line in first.lines
        if sum(c.isalpha() for c in line.text) >= 2
        and not (_in_margin(line, first.height) and _line_key(line.text) in repeated)
    ]
    if not lines:
        return ""
    ordered = sorted(lines, key=lambda ln: (ln.y0, ln.x0))
    for top in sorted({line.size for line in lines if line.size >= body * 1.15}, reverse=True):
        heading = _heading_at(ordered, top)
        # a logo or a section number in the largest type ("VIỆN", "01") is not a title: the next size down
        if len(heading.split()) >= 2 and sum(c.isalpha() for c in heading) >= 6:
            return heading if len(heading) <= HEADING_MAX else heading[: HEADING_MAX - 1].rsplit(" ", 1)[0] + "…"
    return ""


def _heading_at(ordered: list[PdfLine], size: float) -> str:
    """The first run of lines in type of `size` (top to bottom), joined: one heading over lines."""
    picked: list[str] = []
    last = None
    for line in ordered:
        if abs(line.size - size) > 0.5:
            if picked:
                break
            continue
        if last is not None and line.y0 - last.y1 > 1.5 * size:
            break  # a second heading of the same size further down
        picked.append(" ".join(line.text.split()))
        last = line
    return " ".join(picked).strip()


def _line_key(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalpha())


def _in_margin(line: PdfLine, height: float) -> bool:
    return line.y1 < height * 0.15 or line.y0 > height * 0.85


def _running_lines(doc: PdfDocument) -> set[str]:
    """Lines in the top or bottom margin (letters only, digits ignored) found on two or more pages:
    running headers and footers."""
    if len(doc.pages) < 2:
        return set()
    seen: dict[str, int] = {}
    for page in doc.pages[:20]:
        for key in {_line_key(line.text) for line in page.lines if _in_margin(line, page.height)}:
            if key:
                seen[key] = seen.get(key, 0) + 1
    return {key for key, n in seen.items() if n >= 2}


def _pdf_title(title: str) -> str:
    """The PDF's own title, unless it is a producer's placeholder like "Microsoft Word - draft.docx"."""
    title = " ".join(title.split())
    lowered = title.lower()
    if len(title) < 4 or lowered.startswith(("microsoft ", "untitled")) or lowered.endswith((".doc", ".docx", ".pdf")):
        return ""
    return title[:TITLE_MAX]


def _title(paragraphs: list[Paragraph], path: Path | None) -> str:
    """The file's name is what the user recognises; pasted text is named by its first words."""
    if path is not None:
        return printable(path.stem)  # a name that is not valid UTF-8 cannot be stored as text
    for para in paragraphs:
        if para.text.strip():
            text = " ".join(para.text.split())
            return text if len(text) <= TITLE_MAX else text[: TITLE_MAX - 1].rsplit(" ", 1)[0] + "…"
    return "Untitled"


@dataclass(frozen=True)
class ImportOutcome:
    document_id: int
    title: str
    paragraphs: int
    sentences: int
    created: bool  # False: the same bytes were already in the library
    ocr_pages: int = 0  # pages whose text was read by OCR (scans, photos)


def sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


IMPORT_STAGES = ("reading", "cleaning", "segmenting", "storing")


def import_file(
    library: Library,
    path: str | os.PathLike[str],
    progress: Progress = null_progress,
    password: str = "",
    cancel: Cancel | None = None,
) -> ImportOutcome:
    """Clean, segment and store one file, in one transaction; the same bytes twice are stored once.

    `progress` hears each stage of IMPORT_STAGES as it starts."""
    p = Path(path)
    if dbmod.connections_open(p):  # reading it would drop this process's SQLite locks (store/db.py)
        raise UnsupportedFormatError(f"{p.name} is the library itself, not a document; choose a file to import")
    _check_importable(p)
    sha = sha256_of_file(p)
    progress(0, len(IMPORT_STAGES), "reading")
    existing = library.find_by_sha256(sha)
    if existing is not None:
        return _existing(library, existing)
    progress(1, len(IMPORT_STAGES), "cleaning")

    def reading(done: int, total: int, what: str) -> None:  # OCR pages, within the "cleaning" stage
        progress(1, len(IMPORT_STAGES), f"cleaning: {what}")

    ingested = ingest_file(p, password, reading, cancel)
    source = printable(str(p.resolve()))
    return _store(library, ingested, sha, source_path=source, size=p.stat().st_size, progress=progress)


def import_text(library: Library, text: str, title: str | None = None, html: str = "") -> ImportOutcome:
    """Store pasted text as a new document.

    A web page is reduced to its article (app/core/ingest/web.py): from `html` (the clipboard's
    text/html) when given, else from `text` when it is HTML source or plain text with a page's menus
    and footers. The title is the article's headline when one is found, else the first words."""
    markup = html if html.strip() else text if web.looks_like_html(text) else ""
    if len(markup.encode("utf-8")) > 2 * text_ingest.MAX_BYTES:
        raise InputTooLargeError(
            f"the pasted page is over {2 * text_ingest.MAX_BYTES // (1024 * 1024)} MB of HTML; "
            "select the article's text and paste that"
        )
    if markup:
        article = web.extract_html(markup)
        if article.paragraphs:
            return _import_paste(
                library,
                markup.encode("utf-8"),
                article.text,
                title or article.title or None,
                facts=(article.source_url, article.author, article.published),
                links=article.links,
            )
    if not text.strip():
        raise EmptyInputError("the clipboard holds no text; copy some text and paste again")
    data = text.encode("utf-8")
    _check_paste_size(data)  # before the page's chrome is looked for: that reads every line
    reduced = web.article_text(text)
    if reduced and reduced != text.strip():
        return _import_paste(library, data, reduced, title or web.plain_text_title(reduced) or None)
    return _import_paste(library, data, text, title)


def _check_paste_size(data: bytes) -> None:
    if len(data) > text_ingest.MAX_BYTES:  # the same limit as a text file: beyond it cleaning takes minutes
        raise InputTooLargeError(
            f"the pasted text is {len(data) // (1024 * 1024)} MB, over the {text_ingest.MAX_BYTES // (1024 * 1024)} MB "
            "limit; paste it in parts, or save it as files and import those"
        )


def _import_paste(
    library: Library,
    data: bytes,
    text: str,
    title: str | None,
    facts: tuple[str, str, str] = ("", "", ""),
    links: tuple[tuple[str, str], ...] = (),
) -> ImportOutcome:
    """`data`: what was pasted (the same paste twice is one document); `text`: what is kept of it."""
    _check_paste_size(data)
    sha = hashlib.sha256(data).hexdigest()
    existing = library.find_by_sha256(sha)
    if existing is not None:
        return _existing(library, existing)
    decoded = text_ingest.decode_bytes(text.encode("utf-8"))
    clean = clean_text(decoded.text, "utf-8", "paste")
    url, author, published = _page_facts(*facts)
    ingested = Ingested(
        clean,
        decoded.text,
        title or _title(clean.paragraphs, None),
        source_url=url,
        author=author,
        published=published,
        links=links,
    )
    return _store(library, ingested, sha, source_path=None, size=len(data))


def _page_facts(url: str, author: str, published: str) -> tuple[str, str, str]:
    """What a page says of itself, kept only where it passes the rules the user's own edits pass
    (app/core/services/documents.py): an odd og:url or date is left out, never an import error."""
    from app.core.services import documents as rules

    def valid(check: Callable[[str], str], value: str) -> str:
        try:
            return check(value)
        except InputError:
            return ""

    return (
        valid(rules.check_source_url, url),
        valid(rules.check_author, author),
        valid(rules.check_published, published),
    )


def _existing(library: Library, doc_id: int) -> ImportOutcome:
    info = library.document(doc_id)
    return ImportOutcome(doc_id, info.title, info.paragraph_count, info.segment_count, created=False)


def _store(
    library: Library,
    ingested: Ingested,
    sha: str,
    *,
    source_path: str | None,
    size: int,
    progress: Progress = null_progress,
) -> ImportOutcome:
    clean = ingested.clean
    if not clean.paragraphs:
        raise EmptyInputError("no text was found after cleaning; check the file's content")
    progress(2, len(IMPORT_STAGES), "segmenting")
    segmented = segment_paragraphs(clean.paragraphs)
    progress(3, len(IMPORT_STAGES), "storing")
    doc_id, created = library.add_document_if_new(
        NewDocument(
            title=ingested.title,
            sha256=sha,
            kind=clean.source_kind,
            raw_text=ingested.raw_text,
            paragraphs=clean.paragraphs,
            segmented=segmented,
            repairs=clean.repairs,
            source_path=source_path,
            encoding=clean.encoding,
            size_bytes=size,
            page_count=ingested.page_count,
            ocr_confidence=ingested.ocr_confidence,
            page_images=ingested.page_images,
            source_url=ingested.source_url,
            author=ingested.author,
            published=ingested.published,
            links=ingested.links,
        )
    )
    progress(4, len(IMPORT_STAGES), "done")
    if not created:  # another process stored the same bytes while this one was cleaning them
        return _existing(library, doc_id)
    return ImportOutcome(
        doc_id,
        ingested.title,
        len(clean.paragraphs),
        len(segmented.segments),
        created=True,
        ocr_pages=len(ingested.ocr_pages),
    )
