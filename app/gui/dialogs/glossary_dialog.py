"""Edit › Glossary…: the library's agreed translations and do-not-translate terms (and the open
document's own), with import and export as CSV/TSV. Every change is stored at once."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import DoiChieuError
from app.core.store import Library
from app.core.translate import glossary

FILE_FILTER = "Glossary (*.csv *.tsv *.tab *.txt *.tbx);;All files (*)"


class GlossaryDialog(QDialog):
    changed = Signal()  # entries were added, replaced, removed or imported

    def __init__(
        self, lib: Library, document_id: int | None = None, document_title: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("glossaryDialog")
        self.setWindowTitle("Glossary")
        self.resize(760, 460)
        self.lib = lib
        self.document_id = document_id
        self.entries: list[glossary.Entry] = []

        self.table = QTableWidget(0, 5)
        self.table.setObjectName("glossaryTable")
        self.table.setHorizontalHeaderLabels(["Tiếng Việt", "English", "Note", "Do not translate", "Applies to"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.itemSelectionChanged.connect(self._selected)

        self.vi = QLineEdit()
        self.vi.setObjectName("glossaryVi")
        self.vi.setPlaceholderText("Vietnamese term (e.g. Bộ Y tế)")
        self.en = QLineEdit()
        self.en.setObjectName("glossaryEn")
        self.en.setPlaceholderText("agreed English (variants separated by |)")
        self.note = QLineEdit()
        self.note.setPlaceholderText("note")
        self.keep = QCheckBox("Do not translate")
        self.keep.setObjectName("glossaryKeep")
        self.only_document = QCheckBox(f"Only in “{document_title}”" if document_title else "Only in this document")
        self.only_document.setVisible(document_id is not None)
        self.add_button = QPushButton("Add / replace")
        self.add_button.setObjectName("glossaryAdd")
        self.add_button.clicked.connect(self.add_from_form)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_selected)
        import_button = QPushButton("Import…")
        import_button.clicked.connect(self.choose_import)
        export_button = QPushButton("Export…")
        export_button.clicked.connect(self.choose_export)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        self.status = QLabel()

        form = QHBoxLayout()
        form.addWidget(self.vi, 2)
        form.addWidget(self.en, 2)
        form.addWidget(self.note, 1)
        form.addWidget(self.keep)
        form.addWidget(self.only_document)
        form.addWidget(self.add_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.remove_button)
        buttons.addWidget(import_button)
        buttons.addWidget(export_button)
        buttons.addWidget(self.status, 1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        titles = {d.id: d.title for d in self.lib.documents()}
        self.entries = glossary.entries(self.lib, all_documents=True)
        self.table.setRowCount(len(self.entries))
        for row, e in enumerate(self.entries):
            where = titles.get(e.document_id, f"#{e.document_id}") if e.document_id else "whole library"
            cells = (e.vi, e.en, e.note, "yes" if e.keep else "", where)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, e.id)
                self.table.setItem(row, col, item)
        self.status.setText(f"{len(self.entries)} entries")

    def _selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        if len(rows) == 1:
            e = self.entries[rows[0]]
            self.vi.setText(e.vi)
            self.en.setText(e.en)
            self.note.setText(e.note)
            self.keep.setChecked(e.keep)
            self.only_document.setChecked(e.document_id is not None)

    def _fail(self, err: DoiChieuError) -> None:
        QMessageBox.warning(self, "Glossary", err.neutral or str(err))

    def add_from_form(self) -> bool:
        doc = self.document_id if self.only_document.isChecked() else None
        try:
            glossary.add_entry(
                self.lib, self.vi.text(), self.en.text(), self.note.text(), keep=self.keep.isChecked(), document_id=doc
            )
        except DoiChieuError as err:
            self._fail(err)
            return False
        self.vi.clear()
        self.en.clear()
        self.note.clear()
        self.keep.setChecked(False)
        self.reload()
        self.changed.emit()
        return True

    def remove_selected(self) -> None:
        ids = sorted({self.entries[i.row()].id or 0 for i in self.table.selectedIndexes()})
        try:
            for entry_id in ids:
                glossary.remove_entry(self.lib, entry_id)
        except DoiChieuError as err:
            self._fail(err)
        self.reload()
        self.changed.emit()

    def import_path(self, path: Path) -> None:
        doc = self.document_id if self.only_document.isChecked() else None
        try:
            count = glossary.import_file(self.lib, path, doc)
        except DoiChieuError as err:
            self._fail(err)
            return
        self.reload()
        self.status.setText(f"imported {count} entries from {path.name}")
        self.changed.emit()

    def choose_import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import a glossary", "", FILE_FILTER)
        if name:
            self.import_path(Path(name))

    def choose_export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export the glossary", "glossary.csv", FILE_FILTER)
        if not name:
            return
        try:
            count = glossary.export_file(self.lib, name)
        except DoiChieuError as err:
            self._fail(err)
            return
        self.status.setText(f"wrote {count} entries to {Path(name).name}")


def open_glossary(window: QWidget) -> GlossaryDialog:
    """Edit › Glossary…: a non-modal dialog on the window's library; the reader's hint follows edits."""
    lib: Library | None = getattr(window, "lib", None)
    view = window.view  # type: ignore[attr-defined]
    if lib is None:
        raise RuntimeError("the glossary needs an open library")
    doc_id = view.doc_id()
    title = lib.document(doc_id).title if doc_id is not None else ""
    dialog = GlossaryDialog(lib, doc_id, title, window)
    dialog.changed.connect(view.reload_glossary)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
