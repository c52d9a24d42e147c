"""What a drop or a paste brings in: files to import (folders expanded), model packages to install,
and clipboard text (HTML reduced to its text)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMimeData, QUrl
from PySide6.QtGui import QTextDocument

from app.core.services.imports import expand_paths

PACKAGE_SUFFIX = ".argosmodel"


@dataclass
class Dropped:
    files: list[Path] = field(default_factory=list)
    packages: list[Path] = field(default_factory=list)
    refused: list[tuple[Path, str]] = field(default_factory=list)


def sort_paths(paths: Iterable[Path]) -> Dropped:
    """Model packages apart; files and folders expanded as `main.py import` expands them."""
    out = Dropped()
    paths = list(paths)
    out.packages = [p for p in paths if not p.is_dir() and p.suffix.lower() == PACKAGE_SUFFIX]
    expanded = expand_paths(p for p in paths if p not in out.packages)
    out.files, out.refused = expanded.files, expanded.refused
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
