"""What a drop or a paste brings in: files to import (folders expanded), model packages to install,
and clipboard text (HTML reduced to its text)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMimeData, QUrl
from PySide6.QtGui import QTextDocument

IMPORTABLE = {".txt", ".md", ".markdown", ".pdf", ".text"}
PACKAGE_SUFFIX = ".argosmodel"
MAX_FOLDER_FILES = 500  # a dropped home folder must not start thousands of imports


@dataclass
class Dropped:
    files: list[Path] = field(default_factory=list)
    packages: list[Path] = field(default_factory=list)
    refused: list[tuple[Path, str]] = field(default_factory=list)


def sort_paths(paths: Iterable[Path]) -> Dropped:
    out = Dropped()
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in IMPORTABLE)
            if not found:
                out.refused.append((path, "the folder holds no .txt, .md or .pdf files"))
            out.files.extend(found[:MAX_FOLDER_FILES])
            if len(found) > MAX_FOLDER_FILES:
                out.refused.append((path, f"only the first {MAX_FOLDER_FILES} files of the folder were taken"))
        elif path.suffix.lower() == PACKAGE_SUFFIX:
            out.packages.append(path)
        else:
            # Other files go to the importer too: it knows why it refuses them (.docx, images...).
            out.files.append(path)
    return out


def paths_from_urls(urls: Iterable[QUrl]) -> list[Path]:
    return [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]


def has_paths(mime: QMimeData) -> bool:
    return mime.hasUrls() and any(u.isLocalFile() for u in mime.urls())


def clipboard_text(mime: QMimeData | None) -> str:
    """Plain text of the clipboard; copied web pages come as HTML, reduced to their text with
    paragraph breaks (plain text from a browser often runs table cells and paragraphs together)."""
    if mime is None:
        return ""
    if mime.hasHtml():
        doc = QTextDocument()
        doc.setHtml(mime.html())
        text = doc.toPlainText().replace("\u2028", "\n").replace("\u00a0", " ")
        if text.strip():
            return text
    return mime.text() if mime.hasText() else ""
