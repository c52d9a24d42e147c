"""Help › About DoiChieu: the version, the licence, the data folder, and the components the app ships
with, each with the version and licence its installed package declares (read at run time, so a
packaged build shows what it really bundles)."""

from __future__ import annotations

import importlib.metadata as metadata
import platform
import sqlite3
from dataclasses import dataclass

from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core import paths
from app.resources import build_info

# (shown name, distribution name): what the app imports at run time, the licences that bind the build.
COMPONENTS: tuple[tuple[str, str], ...] = (
    ("DoiChieu", "doichieu"),
    ("PySide6 (Qt for Python)", "PySide6_Essentials"),
    ("Shiboken6", "shiboken6"),
    ("PyMuPDF", "pymupdf-lite"),
    ("PyMuPDF fonts (Noto Sans)", "pymupdf-fonts"),
    ("underthesea", "underthesea"),
    ("underthesea-core", "underthesea_core"),
    ("Argos Translate", "argos-translate-lt"),
    ("CTranslate2", "ctranslate2"),
    ("SentencePiece", "sentencepiece"),
    ("sacremoses", "sacremoses"),
    ("sqlite-utils", "sqlite-utils"),
    ("Jinja2", "Jinja2"),
    ("python-docx", "python-docx"),
    ("lxml", "lxml"),
    ("platformdirs", "platformdirs"),
    ("markdown-it-py", "markdown-it-py"),
    ("mdurl", "mdurl"),
)
OCR_DATA = "Tesseract OCR data (vie, eng)"
# Metadata that names no licence, or one that is wrong for the build, is corrected here.
KNOWN_LICENCES = {"doichieu": "AGPL-3.0-or-later"}


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    licence: str


def licence_of(dist: metadata.Distribution) -> str:
    """The SPDX expression if declared, else the short License field, else the OSI classifiers."""
    meta = dist.metadata  # an email.message.Message underneath: .get() works, the protocol omits it
    expression = meta.get("License-Expression")  # type: ignore[attr-defined]
    if expression:
        return expression
    text = (meta.get("License") or "").strip()  # type: ignore[attr-defined]
    if text and "\n" not in text and len(text) <= 100:  # some packages paste the whole licence here
        return text
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    return "; ".join(classifiers) or (text.splitlines()[0].strip() if text else "unknown")


def components() -> list[Component]:
    found = []
    for shown, dist_name in COMPONENTS:
        try:
            dist = metadata.distribution(dist_name)
        except metadata.PackageNotFoundError:
            found.append(Component(shown, "not found", KNOWN_LICENCES.get(dist_name, "unknown")))
            continue
        found.append(Component(shown, dist.version, KNOWN_LICENCES.get(dist_name) or licence_of(dist)))
    found.insert(2, Component("Qt", qVersion(), "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only"))
    # OCR (issue 17): the Tesseract built into MuPDF reads the vie/eng data shipped in resources/tessdata
    found.append(Component(OCR_DATA, "tessdata_fast 4.1.0", "Apache-2.0"))
    found.append(Component("Python", platform.python_version(), "PSF-2.0"))
    found.append(Component("SQLite", sqlite3.sqlite_version, "Public domain"))
    return found


def source_line() -> str:
    """Which source this copy is: the commit a packaged build was made from, or a checkout."""
    info = build_info()
    if not info:
        return "Running from a source checkout."
    commit = info.get("commit", "unknown")
    return f"Built on {info.get('built', 'an unknown date')} from source commit <code>{commit}</code>."


def app_version() -> str:
    try:
        return metadata.version("doichieu")
    except metadata.PackageNotFoundError:
        return "unknown"


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About DoiChieu")
        self.setObjectName("aboutDialog")
        header = QLabel(
            f"<h2>DoiChieu {app_version()}</h2>"
            "<p>Read Vietnamese sources side by side with English, offline.</p>"
            "<p>Free software under the GNU Affero General Public License, version 3 or later "
            "(AGPL-3.0-or-later); you are entitled to its source code, from where you got this copy. "
            "PyMuPDF is used under the AGPL-3.0, Qt and PySide6 under the LGPL-3.0, the Tesseract OCR data "
            "under the Apache-2.0 (its text is in resources/tessdata); "
            "translation models are not part of the app and carry their own licences.</p>"
            f"<p>{source_line()}</p>"
        )
        header.setWordWrap(True)
        header.setOpenExternalLinks(True)
        header.setTextInteractionFlags(  # the commit can be copied into a request for the source
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.LinksAccessibleByMouse
        )
        self.data_folder = QLabel(f"Data folder: <code>{paths.data_dir()}</code>")
        self.data_folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.data_folder.setWordWrap(True)
        rows = components()
        self.table = QTableWidget(len(rows), 3)
        self.table.setObjectName("aboutComponents")
        self.table.setHorizontalHeaderLabels(["Component", "Version", "Licence"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for row, c in enumerate(rows):
            for col, text in enumerate((c.name, c.version, c.licence)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, col, item)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(header)
        lay.addWidget(self.data_folder)
        lay.addWidget(self.table, 1)
        lay.addWidget(buttons)
        self.resize(720, 560)

    def rows(self) -> list[tuple[str, str, str]]:
        """The table's text, for tests."""

        def text(r: int, c: int) -> str:
            item = self.table.item(r, c)
            return item.text() if item is not None else ""

        return [(text(r, 0), text(r, 1), text(r, 2)) for r in range(self.table.rowCount())]
