"""New or edit a claim: its words in both languages, tags, verdict, note and evidence."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.claims.evidence import normalize_evidence
from app.core.store.claims import VERDICTS, Evidence, Tag


@dataclass
class ClaimForm:
    tags: list[str] = field(default_factory=list)
    verdict: str = "unchecked"
    note: str = ""
    evidence_url: str = ""
    evidence_citation: str = ""
    evidence_quote: str = ""

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
        if evidence:
            known = "\n".join(f"• {e.url or e.citation}" + (f" — “{e.quote}”" if e.quote else "") for e in evidence)
            ev.addRow("Already", QLabel(known))

        fields = QFormLayout()
        fields.addRow("Tiếng Việt", vi)
        fields.addRow("English", en)
        fields.addRow("Tags", self.tag_list)
        fields.addRow("Verdict", self.verdict)
        fields.addRow("Note", self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(fields)
        layout.addWidget(box)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

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
        )
