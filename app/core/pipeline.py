"""Strings the core stages together: ingest -> layout repair -> segmentation -> store."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import EmptyInputError, FileMissingError, InputTooLargeError, UnsupportedFormatError, printable
from app.core.ingest import pdf as pdf_ingest
from app.core.ingest import text as text_ingest
from app.core.layout import repair_pdf, repair_text
from app.core.model import CleanResult, Paragraph, PdfDocument
from app.core.progress import Progress, null_progress
from app.core.segment import segment_paragraphs
from app.core.store import Library, NewDocument
from app.core.store import db as dbmod

UNSUPPORTED_SUFFIXES = {".doc", ".docx", ".odt", ".rtf", ".epub", ".png", ".jpg", ".jpeg", ".zip"}
TITLE_MAX = 90


def source_kind(path: Path, head: bytes) -> str:
    if head.startswith(b"%PDF") or path.suffix.lower() == ".pdf":
        return "pdf"
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


def ingest_file(path: str | os.PathLike[str], password: str = "") -> Ingested:
    """Read a .txt/.md/.pdf file and rebuild its paragraphs. Raises a DoiChieuError on bad input."""
    p = Path(path)
    _check_importable(p)
    with p.open("rb") as fh:
        head = fh.read(1024)
    kind = source_kind(p, head)
    if kind == "pdf":
        doc = pdf_ingest.read_pdf(p, password=password)
        paragraphs, repairs = repair_pdf(doc)
        clean = CleanResult(encoding="pdf", paragraphs=paragraphs, repairs=repairs, source_kind="pdf")
        return Ingested(clean, pdf_page_texts(doc), _pdf_title(doc.title) or _title(paragraphs, p), len(doc.pages))
    decoded = text_ingest.read_text_file(p)
    clean = clean_text(decoded.text, decoded.encoding, kind)
    return Ingested(clean, decoded.text, _title(clean.paragraphs, p))


def clean_file(path: str | os.PathLike[str], password: str = "") -> CleanResult:
    return ingest_file(path, password).clean


def pdf_page_texts(doc: PdfDocument) -> str:
    """The PDF's text as extracted, one page per form-feed-separated block."""
    return "\f".join("\n".join(line.text for line in page.lines) for page in doc.pages)


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


def sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


IMPORT_STAGES = ("reading", "cleaning", "segmenting", "storing")


def import_file(
    library: Library, path: str | os.PathLike[str], progress: Progress = null_progress, password: str = ""
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
    ingested = ingest_file(p, password)
    source = printable(str(p.resolve()))
    return _store(library, ingested, sha, source_path=source, size=p.stat().st_size, progress=progress)


def import_text(library: Library, text: str, title: str | None = None) -> ImportOutcome:
    """Store pasted text as a new document."""
    data = text.encode("utf-8")
    if not text.strip():
        raise EmptyInputError("the clipboard holds no text; copy some text and paste again")
    if len(data) > text_ingest.MAX_BYTES:  # the same limit as a text file: beyond it cleaning takes minutes
        raise InputTooLargeError(
            f"the pasted text is {len(data) // (1024 * 1024)} MB, over the {text_ingest.MAX_BYTES // (1024 * 1024)} MB "
            "limit; paste it in parts, or save it as files and import those"
        )
    sha = hashlib.sha256(data).hexdigest()
    existing = library.find_by_sha256(sha)
    if existing is not None:
        return _existing(library, existing)
    decoded = text_ingest.decode_bytes(data)
    clean = clean_text(decoded.text, "utf-8", "paste")
    ingested = Ingested(clean, decoded.text, title or _title(clean.paragraphs, None))
    return _store(library, ingested, sha, source_path=None, size=len(data))


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
        )
    )
    progress(4, len(IMPORT_STAGES), "done")
    if not created:  # another process stored the same bytes while this one was cleaning them
        return _existing(library, doc_id)
    return ImportOutcome(doc_id, ingested.title, len(clean.paragraphs), len(segmented.segments), created=True)
