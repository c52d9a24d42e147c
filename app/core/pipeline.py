"""Strings the core stages together for one input: ingest -> layout repair (more stages later)."""

from __future__ import annotations

import os
from pathlib import Path

from app.core.errors import FileMissingError, UnsupportedFormatError
from app.core.ingest import pdf as pdf_ingest
from app.core.ingest import text as text_ingest
from app.core.layout import repair_pdf, repair_text
from app.core.model import CleanResult

UNSUPPORTED_SUFFIXES = {".doc", ".docx", ".odt", ".rtf", ".epub", ".png", ".jpg", ".jpeg", ".zip"}


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


def clean_text(text: str, encoding: str = "utf-8", kind: str = "text") -> CleanResult:
    paragraphs, repairs = repair_text(text)
    return CleanResult(encoding=encoding, paragraphs=paragraphs, repairs=repairs, source_kind=kind)


def clean_file(path: str | os.PathLike[str]) -> CleanResult:
    """Read a .txt/.md/.pdf file and rebuild its paragraphs. Raises a DoiChieuError on bad input."""
    p = Path(path)
    if not p.is_file():
        raise FileMissingError(f"{p}: no such file; check the path and try again")
    with p.open("rb") as fh:
        head = fh.read(1024)
    kind = source_kind(p, head)
    if kind == "pdf":
        doc = pdf_ingest.read_pdf(p)
        paragraphs, repairs = repair_pdf(doc)
        return CleanResult(encoding="pdf", paragraphs=paragraphs, repairs=repairs, source_kind="pdf")
    decoded = text_ingest.read_text_file(p)
    return clean_text(decoded.text, decoded.encoding, kind)
