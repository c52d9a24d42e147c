"""What a drop or a paste brings in: files and folders to import, model packages to install, and
clipboard text (HTML reduced to its text). Folders are expanded in the helper process, by the import
itself (`services.imports.import_batch`), not here: a dropped home folder would walk the disk on the
window's thread."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMimeData, QUrl
from PySide6.QtGui import QTextDocument

PACKAGE_SUFFIX = ".argosmodel"


@dataclass
class Dropped:
    files: list[Path] = field(default_factory=list)  # files and folders, for the import
    packages: list[Path] = field(default_factory=list)


def sort_paths(paths: Iterable[Path]) -> Dropped:
    """Model packages apart from what goes to the import (one `stat` per dropped path, no walk)."""
    out = Dropped()
    for path in paths:
        is_package = path.suffix.lower() == PACKAGE_SUFFIX and not path.is_dir()
        (out.packages if is_package else out.files).append(path)
    return out


def paths_from_urls(urls: Iterable[QUrl]) -> list[Path]:
    return [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]


def has_paths(mime: QMimeData) -> bool:
    return mime.hasUrls() and any(u.isLocalFile() for u in mime.urls())


def clipboard_html(mime: QMimeData | None) -> str:
    """The clipboard's HTML (a copied web page or part of one), "" when it holds none: the import
    reduces a page to its article (app/core/ingest/web.py)."""
    return mime.html() if mime is not None and mime.hasHtml() else ""


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
