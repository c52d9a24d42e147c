"""File > Export: choose a format and options, see the report, save it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.core.export import EXPORT_FORMATS, ExportOptions


class ExportDialog(QDialog):
    """Emits `preview_wanted(only_claims, include_notes, include_source_path)` when the options change
    and `export_wanted(format, path, options)` when the user saves; the window runs both as jobs."""

    preview_wanted = Signal(bool, bool, bool)
    export_wanted = Signal(str, object, object)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Export — {title}")
        self.setObjectName("exportDialog")
        self.resize(900, 700)
        self.title = title
        self.format = QComboBox()
        for fmt in EXPORT_FORMATS:
            self.format.addItem(fmt.label, fmt.code)
        self.only_claims = QCheckBox("Only sentences with claims")
        self.notes = QCheckBox("Include notes")
        self.notes.setChecked(True)
        # off by default: a report sent out must not show the folders of this computer ("/home/<you>/…")
        self.source_path = QCheckBox("Include the source path")
        self.source_path.setObjectName("includeSourcePath")
        self.source_path.setToolTip(
            "Print the whole path of the imported file (its folders on this computer). "
            "Left unticked, reports name the file only."
        )
        self.page = QComboBox()
        self.page.addItem("A4", "a4")
        self.page.addItem("Letter", "letter")
        self.preview = QTextBrowser()
        self.preview.setOpenLinks(False)  # a preview: nothing in a report may open or fetch anything
        self.status = QLabel("Preparing the preview…")
        form = QFormLayout()
        form.addRow("Format", self.format)
        form.addRow("Page size (PDF)", self.page)
        options = QHBoxLayout()
        options.addWidget(self.only_claims)
        options.addWidget(self.notes)
        options.addWidget(self.source_path)
        options.addStretch(1)
        form.addRow("", options)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.choose_path)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.preview, 1)
        lay.addWidget(self.status)
        lay.addWidget(buttons)
        self.only_claims.toggled.connect(self.refresh)
        self.notes.toggled.connect(self.refresh)
        self.source_path.toggled.connect(self.refresh)

    def options(self) -> ExportOptions:
        return ExportOptions(
            only_claims=self.only_claims.isChecked(),
            include_notes=self.notes.isChecked(),
            page_size=str(self.page.currentData()),
            include_source_path=self.source_path.isChecked(),
        )

    def refresh(self) -> None:
        self.status.setText("Preparing the preview…")
        self.preview_wanted.emit(self.only_claims.isChecked(), self.notes.isChecked(), self.source_path.isChecked())

    def show_preview(self, html: str, shown: int, total: int) -> None:
        self.preview.setHtml(html)
        part = f"its first {shown:,} of {total:,} sentences" if shown < total else "all of it"
        self.status.setText(f"Preview of the HTML report ({part}). Save writes the whole report in the chosen format.")

    def choose_path(self) -> None:
        code = str(self.format.currentData())
        pattern = next(f.file_filter for f in EXPORT_FORMATS if f.code == code)
        suggested = str(Path.home() / f"{self.title}.{code}")
        path, _ = QFileDialog.getSaveFileName(self, "Export", suggested, pattern)
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        code = str(self.format.currentData())
        if path.suffix.lower() != f".{code}":
            path = path.with_name(path.name + f".{code}")
        self.status.setText(f"Writing {path.name}…")
        self.export_wanted.emit(code, path, self.options())

    def exported(self, path: Path) -> None:
        self.status.setText(f"Saved {path}")
