"""New or edit a claim: its words in both languages, tags, verdict, note and evidence; an existing
claim's evidence can be corrected or removed, and its history (every verdict, tag, note and evidence
change, `app.core.claims.history`) is on the History tab."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.claims.evidence import normalize_evidence
from app.core.claims.history import HistoryEntry
from app.core.store.claims import VERDICTS, Evidence, Tag


@dataclass(frozen=True)
class EvidenceEdit:
    """Existing evidence as corrected in the dialog (only http(s) links stay links)."""

    id: int
    url: str
    citation: str
    quote: str


@dataclass
class ClaimForm:
    tags: list[str] = field(default_factory=list)
    verdict: str = "unchecked"
    note: str = ""
    evidence_url: str = ""
    evidence_citation: str = ""
    evidence_quote: str = ""
    evidence_edits: list[EvidenceEdit] = field(default_factory=list)  # existing evidence that changed
    evidence_removed: list[int] = field(default_factory=list)  # ids of existing evidence removed

    def has_evidence(self) -> bool:
        return bool(self.evidence_url or self.evidence_citation or self.evidence_quote)


class ClaimDialog(QDialog):
    def __init__(
        self,
        vietnamese: str,
        english: str,
        tags: list[Tag],
        form: ClaimForm | None = None,
        evidence: tuple[Evidence, ...] = (),
        parent: QWidget | None = None,
        title: str = "New claim",
        history: list[HistoryEntry] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("claimDialog")
        form = form or ClaimForm()
        vi = QLabel(vietnamese)
        vi.setWordWrap(True)
        vi.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        vi.setStyleSheet("font-size: 11pt;")
        en = QLabel(english or "<i>no English yet: translate the document to see it</i>")
        en.setWordWrap(True)
        en.setStyleSheet("color: #34495e;")

        self.tag_list = QListWidget()
        self.tag_list.setObjectName("tagList")
        for tag in tags:
            label = f"{tag.shortcut}  {tag.name}" if tag.shortcut else tag.name
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, tag.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if tag.name in form.tags else Qt.CheckState.Unchecked)
            item.setBackground(QColor(tag.color))
            self.tag_list.addItem(item)
        if tags:  # exactly as tall as its tags (up to 9), no empty box under them
            rows = min(len(tags), 9) * self.tag_list.sizeHintForRow(0)
            self.tag_list.setFixedHeight(rows + 2 * self.tag_list.frameWidth() + 2)

        self.verdict = QComboBox()
        self.verdict.setObjectName("verdict")
        self.verdict.addItems(list(VERDICTS))
        self.verdict.setCurrentText(form.verdict)
        self.note = QPlainTextEdit(form.note)
        self.note.setObjectName("note")
        self.note.setPlaceholderText("Why it matters, what to check…")
        self.note.setMaximumHeight(80)

        self.evidence = list(evidence)
        self._row_ids = [e.id for e in evidence]  # the evidence id of each row of the table
        self.removed: list[int] = []
        self.evidence_table = QTableWidget(0, 3)
        self.evidence_table.setObjectName("evidenceTable")
        self.evidence_table.setHorizontalHeaderLabels(["Link", "Citation", "Quote"])
        self.evidence_table.verticalHeader().hide()
        self.evidence_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.evidence_table.setWordWrap(True)
        self.evidence_table.setToolTip("Double-click a cell to correct it")
        for column in range(3):
            self.evidence_table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        for e in evidence:
            row = self.evidence_table.rowCount()
            self.evidence_table.insertRow(row)
            for column, text in enumerate((e.url, e.citation, e.quote)):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                self.evidence_table.setItem(row, column, cell)
        self.evidence_table.resizeRowsToContents()
        self.remove_evidence = QPushButton("Remove evidence")
        self.remove_evidence.setObjectName("removeEvidence")
        self.remove_evidence.clicked.connect(self._remove_evidence)
        self.remove_evidence.setEnabled(False)
        self.evidence_table.itemSelectionChanged.connect(
            lambda: self.remove_evidence.setEnabled(bool(self.evidence_table.selectedItems()))
        )

        box = QGroupBox("Add evidence (optional)")
        ev = QFormLayout(box)
        self.url = QLineEdit(form.evidence_url)
        self.url.setPlaceholderText("https://…")
        self.url.setToolTip("An http(s) link; anything else typed here is kept as citation text, not as a link")
        self.citation = QLineEdit(form.evidence_citation)
        self.citation.setPlaceholderText("Author, title, date")
        self.quote = QLineEdit(form.evidence_quote)
        self.quote.setPlaceholderText("The passage that supports or refutes it")
        ev.addRow("Link", self.url)
        ev.addRow("Citation", self.citation)
        ev.addRow("Quote", self.quote)

        fields = QFormLayout()
        fields.addRow("Tiếng Việt", vi)
        fields.addRow("English", en)
        fields.addRow("Tags", self.tag_list)
        fields.addRow("Verdict", self.verdict)
        fields.addRow("Note", self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        claim_page = QWidget()
        cl = QVBoxLayout(claim_page)
        cl.addLayout(fields)
        if evidence:
            known = QGroupBox("Evidence")
            kl = QVBoxLayout(known)
            kl.addWidget(self.evidence_table)
            row_buttons = QHBoxLayout()
            row_buttons.addStretch(1)
            row_buttons.addWidget(self.remove_evidence)
            kl.addLayout(row_buttons)
            rows = sum(self.evidence_table.rowHeight(r) for r in range(min(4, len(evidence))))
            self.evidence_table.setFixedHeight(rows + self.evidence_table.horizontalHeader().sizeHint().height() + 6)
            cl.addWidget(known)
        cl.addWidget(box)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("claimTabs")
        self.tabs.addTab(claim_page, "Claim")
        self.history_list = QListWidget()
        self.history_list.setObjectName("claimHistory")
        self.history_list.setWordWrap(True)
        self.history_list.setAlternatingRowColors(True)
        for entry in history or []:
            item = QListWidgetItem(entry.line())
            item.setToolTip(entry.line())
            self.history_list.addItem(item)
        if history is not None:
            self.tabs.addTab(self.history_list, f"History ({len(history)})")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.resize(600, self.sizeHint().height())

    def _remove_evidence(self) -> None:
        rows = sorted({i.row() for i in self.evidence_table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.removed.append(self._row_ids.pop(row))
            self.evidence_table.removeRow(row)

    def evidence_edits(self) -> list[EvidenceEdit]:
        """The existing evidence whose cells were changed (each as it would be stored)."""
        before = {e.id: e for e in self.evidence}
        out = []
        for row in range(self.evidence_table.rowCount()):
            cells = [self.evidence_table.item(row, c) for c in range(3)]
            evidence_id = self._row_ids[row]
            link, citation, quote = (c.text().strip() if c is not None else "" for c in cells)
            ref = normalize_evidence(link, citation)
            old = before[evidence_id]
            if (ref.url, ref.citation, quote) != (old.url, old.citation, old.quote):
                out.append(EvidenceEdit(evidence_id, ref.url, ref.citation, quote))
        return out

    def set_tag(self, name: str, checked: bool = True) -> None:
        for i in range(self.tag_list.count()):
            item = self.tag_list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == name:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def result_form(self) -> ClaimForm:
        tags = [
            self.tag_list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.tag_list.count())
            if self.tag_list.item(i).checkState() == Qt.CheckState.Checked
        ]
        evidence = normalize_evidence(self.url.text(), self.citation.text())  # only http(s) stays a link
        return ClaimForm(
            tags=tags,
            verdict=self.verdict.currentText(),
            note=self.note.toPlainText().strip(),
            evidence_url=evidence.url,
            evidence_citation=evidence.citation,
            evidence_quote=self.quote.text().strip(),
            evidence_edits=self.evidence_edits(),
            evidence_removed=list(self.removed),
        )
