"""The claims of the open document (or the whole library), filtered by tag, verdict and words, and the
suggested claims to accept or dismiss."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.claims.workflow import ClaimView
from app.core.store.claims import VERDICTS
from app.gui.models import ID_ROLE, USER, ClaimsModel, SuggestionsModel

ANY = "any"


class ClaimsPanel(QWidget):
    claim_activated = Signal(int)  # jump to it
    edit_requested = Signal(int)
    delete_requested = Signal(int)
    filters_changed = Signal()
    suggestion_activated = Signal(object)
    suggestion_accepted = Signal(object)
    suggestion_dismissed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ClaimsModel(self)
        self.suggestions = SuggestionsModel(self)

        self.tag_filter = QComboBox()
        self.tag_filter.setObjectName("claimTagFilter")
        self.verdict_filter = QComboBox()
        self.verdict_filter.setObjectName("claimVerdictFilter")
        self.verdict_filter.addItems([ANY, *VERDICTS])
        self.text_filter = QLineEdit()
        self.text_filter.setPlaceholderText("Filter claims by words")
        self.text_filter.setClearButtonEnabled(True)
        self.whole_library = QCheckBox("All documents")
        for w in (self.tag_filter, self.verdict_filter):
            w.currentIndexChanged.connect(self.filters_changed)
        self.text_filter.textChanged.connect(self.filters_changed)
        self.whole_library.toggled.connect(self.filters_changed)

        self.table = QTableView()
        self.table.setObjectName("claimsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        # a narrow panel: tags and verdict fit their text, both quotes share the rest
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._activated)
        self.table.clicked.connect(self._activated)

        edit = QPushButton("Edit…")
        edit.clicked.connect(lambda: self._emit_current(self.edit_requested))
        delete = QPushButton("Delete")
        delete.clicked.connect(lambda: self._emit_current(self.delete_requested))
        self.count = QLabel()

        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        title = QLabel("<b>Claims</b>")
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Tag"))
        filters.addWidget(self.tag_filter, 1)
        filters.addWidget(QLabel("Verdict"))
        filters.addWidget(self.verdict_filter, 1)
        tl.addWidget(title)
        tl.addLayout(filters)
        row2 = QHBoxLayout()
        row2.addWidget(self.text_filter, 1)
        row2.addWidget(self.whole_library)
        tl.addLayout(row2)
        tl.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count, 1)
        buttons.addWidget(edit)
        buttons.addWidget(delete)
        tl.addLayout(buttons)

        self.suggestion_list = QListView()
        self.suggestion_list.setObjectName("suggestionList")
        self.suggestion_list.setModel(self.suggestions)
        self.suggestion_list.setWordWrap(True)
        # a long report has a thousand suggestions: wrapped rows are measured in batches between events
        # (all at once held the window ~120 ms for 1,000)
        self.suggestion_list.setLayoutMode(QListView.LayoutMode.Batched)
        self.suggestion_list.setBatchSize(50)
        self.suggestion_list.setAlternatingRowColors(True)
        self.suggestion_list.clicked.connect(lambda i: self.suggestion_activated.emit(self.suggestions.data(i, USER)))
        accept = QPushButton("Accept as claim")
        accept.clicked.connect(lambda: self._emit_suggestion(self.suggestion_accepted))
        dismiss = QPushButton("Dismiss")
        dismiss.clicked.connect(lambda: self._emit_suggestion(self.suggestion_dismissed))
        self.suggestion_label = QLabel("<b>Suggested claims</b>")
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(self.suggestion_label)
        bl.addWidget(self.suggestion_list, 1)
        sb = QHBoxLayout()
        sb.addStretch(1)
        sb.addWidget(accept)
        sb.addWidget(dismiss)
        bl.addLayout(sb)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setSizes([400, 200])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.splitter)

    def set_tags(self, names: list[str]) -> None:
        current = self.tag_filter.currentText()
        self.tag_filter.blockSignals(True)
        self.tag_filter.clear()
        self.tag_filter.addItems([ANY, *names])
        self.tag_filter.setCurrentText(current if current in names else ANY)
        self.tag_filter.blockSignals(False)

    def filters(self) -> dict[str, str | None]:
        tag = self.tag_filter.currentText()
        verdict = self.verdict_filter.currentText()
        return {
            "tag": None if tag in ("", ANY) else tag,
            "verdict": None if verdict in ("", ANY) else verdict,
            "text": self.text_filter.text().strip() or None,
        }

    def set_claims(self, rows: list[ClaimView], tag_colors: dict[str, str]) -> None:
        current = self.current_claim()  # still selected after the reset: Edit…/Delete act on it again
        self.model.set_rows(rows, tag_colors)
        self.count.setText(f"{len(rows)} claim{'s' if len(rows) != 1 else ''}")
        row = next((i for i, v in enumerate(rows) if v.row.id == current), -1)
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, 0))

    def set_suggestions(self, rows: list[object], note: str = "") -> None:
        self.suggestions.set_rows(rows)
        self.suggestion_label.setText(f"<b>Suggested claims</b> ({len(rows)}) {note}")

    def remove_suggestion(self, suggestion: object) -> None:
        if suggestion in self.suggestions.rows:
            self.suggestions.remove(self.suggestions.rows.index(suggestion))

    def _activated(self, index: QModelIndex) -> None:
        claim_id = self.model.data(index, ID_ROLE)
        if claim_id is not None:
            self.claim_activated.emit(int(claim_id))

    def current_claim(self) -> int | None:
        index = self.table.currentIndex()
        value = self.model.data(index, ID_ROLE) if index.isValid() else None
        return int(value) if value is not None else None

    def _emit_current(self, signal: SignalInstance) -> None:
        claim_id = self.current_claim()
        if claim_id is not None:
            signal.emit(claim_id)

    def _emit_suggestion(self, signal: SignalInstance) -> None:
        index = self.suggestion_list.currentIndex()
        if index.isValid():
            signal.emit(self.suggestions.data(index, USER))
