"""The library: documents, a search box (titles and text, either language) and tag/verdict filters."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from app.core.store.claims import VERDICTS
from app.gui.models import ID_ROLE, DocumentListModel

ANY_TAG = "any tag"
ANY_VERDICT = "any verdict"


class LibrarySidebar(QWidget):
    document_chosen = Signal(int)
    filters_changed = Signal()  # the window computes the matching ids (search in a worker)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DocumentListModel(self)
        self.search = QLineEdit()
        self.search.setObjectName("librarySearch")
        self.search.setPlaceholderText("Search titles and text")
        self.search.setClearButtonEnabled(True)
        self.tag = QComboBox()
        self.tag.addItem(ANY_TAG)
        self.verdict = QComboBox()
        self.verdict.addItems([ANY_VERDICT, *VERDICTS])
        self.list = QListView()
        self.list.setObjectName("documentList")
        self.list.setModel(self.model)
        self.list.setUniformItemSizes(True)
        self.list.activated.connect(self._chosen)
        self.list.clicked.connect(self._chosen)
        self.status = QLabel()
        self.status.setStyleSheet("color: #707070;")
        # typing waits for a pause before searching
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.filters_changed)
        self.search.textChanged.connect(self._debounce.start)
        self.tag.currentIndexChanged.connect(self.filters_changed)
        self.verdict.currentIndexChanged.connect(self.filters_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(QLabel("<b>Library</b>"))
        layout.addWidget(self.search)
        filters = QHBoxLayout()
        filters.addWidget(self.tag, 1)
        filters.addWidget(self.verdict, 1)
        layout.addLayout(filters)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)

    def set_tags(self, names: list[str]) -> None:
        current = self.tag.currentText()
        self.tag.blockSignals(True)
        self.tag.clear()
        self.tag.addItems([ANY_TAG, *names])
        self.tag.setCurrentText(current if current in names else ANY_TAG)
        self.tag.blockSignals(False)

    def query(self) -> tuple[str, str | None, str | None]:
        tag = self.tag.currentText()
        verdict = self.verdict.currentText()
        return (
            self.search.text().strip(),
            None if tag in ("", ANY_TAG) else tag,
            None if verdict in ("", ANY_VERDICT) else verdict,
        )

    def select(self, doc_id: int) -> None:
        row = self.model.row_of(doc_id)
        if row >= 0:
            self.list.setCurrentIndex(self.model.index(row, 0))

    def _chosen(self, index: QModelIndex) -> None:
        doc_id = self.model.data(index, ID_ROLE)
        if doc_id is not None:
            self.document_chosen.emit(int(doc_id))

    def update_status(self) -> None:
        shown, total = self.model.rowCount(), len(self.model._all)
        self.status.setText(f"{total} documents" if shown == total else f"{shown} of {total} documents")
