"""Layout review: the text as imported beside the repaired text, the list of repairs, and undo/redo of
one repair or all of them. Changes are computed and stored by the window's background jobs
(`app.core.services.layout_review.set_undone`); this dialog keeps the undo stack of undone-sets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.gui.models import USER, RepairsModel

SELECTED_BG = QColor("#f9e79f")
REMOVED_BG = QColor("#f5b7b1")
MARK_BATCH = 250
MAX_MARKS = 1500  # light marks for every repair: a 300-page PDF has thousands; the first ones are enough


class LayoutReviewDialog(QDialog):
    apply_requested = Signal(object)  # the set of repair indexes to have undone

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Layout review — {title}")
        self.setObjectName("layoutReview")
        self.model = RepairsModel(self)
        self.raw = self._pane()
        self.cleaned = self._pane()
        self.list = QListView()
        self.list.setObjectName("repairList")
        self.list.setModel(self.model)
        self.list.setWordWrap(True)
        # word-wrapped rows are measured one by one: thousands of repairs in batches, between events
        self.list.setLayoutMode(QListView.LayoutMode.Batched)
        self.list.setBatchSize(50)
        self.list.selectionModel().currentChanged.connect(lambda cur, _prev: self._show_repair(cur.row()))
        self.summary = QLabel()
        self.summary.setWordWrap(True)

        self.undo_one = QPushButton("Undo this repair")
        self.redo_one = QPushButton("Redo this repair")
        self.undo_all = QPushButton("Undo all")
        self.redo_all = QPushButton("Redo all")
        self.back = QPushButton("↶ Undo")
        self.forward = QPushButton("↷ Redo")
        self.undo_one.clicked.connect(lambda: self._toggle(True))
        self.redo_one.clicked.connect(lambda: self._toggle(False))
        self.undo_all.clicked.connect(lambda: self.request({s.index for s in self.model.rows if s.undoable}))
        self.redo_all.clicked.connect(lambda: self.request(set()))
        self.back.clicked.connect(self.step_back)
        self.forward.clicked.connect(self.step_forward)
        QShortcut(QKeySequence.StandardKey.Undo, self, self.step_back)
        QShortcut(QKeySequence.StandardKey.Redo, self, self.step_forward)

        left = self._titled("As imported", self.raw)
        right = self._titled("Repaired (what DoiChieu reads and translates)", self.cleaned)
        texts = QSplitter(Qt.Orientation.Horizontal)
        texts.addWidget(left)
        texts.addWidget(right)
        repairs = self._titled("Repairs", self.list)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(texts)
        split.addWidget(repairs)
        split.setSizes([760, 300])
        buttons = QHBoxLayout()
        for b in (self.undo_one, self.redo_one, self.undo_all, self.redo_all):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.back)
        buttons.addWidget(self.forward)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        self.resize(1100, 640)

        self.undone: set[int] = set()
        self._raw_marks: list[QTextEdit.ExtraSelection] = []
        self._raw_selected: list[QTextEdit.ExtraSelection] = []
        self._pending_marks: list[tuple[int, int]] = []
        self._mark_timer = QTimer(self)
        self._mark_timer.setInterval(0)
        self._mark_timer.timeout.connect(self._mark_batch)
        self._raw_source: str | None = None
        self._past: list[set[int]] = []
        self._future: list[set[int]] = []
        self._para_starts: list[int] = []
        self.busy = False
        self._update_buttons()

    @staticmethod
    def _pane() -> QPlainTextEdit:
        pane = QPlainTextEdit()
        pane.setReadOnly(True)
        pane.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        return pane

    @staticmethod
    def _titled(title: str, widget: QWidget) -> QWidget:
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(QLabel(f"<b>{title}</b>"))
        lay.addWidget(widget, 1)
        return box

    # loading ---------------------------------------------------------------------------------------

    def load(self, review: Any, message: str = "") -> None:
        """Show a `LayoutReview` (computed in a worker)."""
        self.busy = False
        self.undone = {s.index for s in review.repairs if s.undone}
        # Extra selections hold cursors that Qt moves on every edit: drop them before replacing the text.
        self.cleaned.setExtraSelections([])
        fresh = review.raw_text != self._raw_source  # undoing repairs leaves the imported text as it was
        if fresh:
            self._mark_timer.stop()
            self.raw.setExtraSelections([])
            self._raw_marks, self._raw_selected, self._pending_marks = [], [], []
            self.raw.setPlainText(review.raw_text.replace("\f", "\n\n──── page break ────\n\n"))
            self._raw_source = review.raw_text
        texts = [p.text for p in review.paragraphs]
        self._para_starts = []
        pos = 0
        for t in texts:
            self._para_starts.append(pos)
            pos += len(t) + 2
        self.cleaned.setPlainText("\n\n".join(texts))
        self.model.set_rows(review.repairs, self.undone)
        undoable = sum(s.undoable for s in review.repairs)
        self.summary.setText(
            f"{len(review.repairs)} repairs ({undoable} can be undone), {len(self.undone)} undone. {message}"
        )
        if fresh:
            self._mark_all()
        self._update_buttons()

    def _mark_all(self) -> None:
        """Light marks on what the repairs removed, as extra selections (merging a char format into the
        document per mark re-laid it out each time: 120 ms for a 300-page PDF). Positions are found at
        once; the cursors are made MARK_BATCH at a time between events, so the window keeps painting."""
        text = self.raw.toPlainText()
        utf16 = _utf16_offsets(text)
        spans: list[tuple[int, int]] = []
        seen: set[str] = set()
        for state in self.model.rows:
            removed = state.repair.removed.strip()
            if not removed or removed in seen or len(spans) >= MAX_MARKS:
                continue
            seen.add(removed)
            at = text.find(removed)
            while at >= 0 and len(spans) < MAX_MARKS:
                spans.append((utf16(at), utf16(at + len(removed))))
                at = text.find(removed, at + len(removed))
        self._pending_marks = spans
        self._mark_timer.start()

    def _mark_batch(self) -> None:
        doc = self.raw.document()
        batch, self._pending_marks = self._pending_marks[:MARK_BATCH], self._pending_marks[MARK_BATCH:]
        for start, end in batch:
            cursor = QTextCursor(doc)
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            sel = QTextEdit.ExtraSelection()
            sel.cursor = cursor
            sel.format.setBackground(REMOVED_BG)
            self._raw_marks.append(sel)
        if not self._pending_marks:
            self._mark_timer.stop()
            self.raw.setExtraSelections(self._raw_marks + self._raw_selected)

    def _show_repair(self, row: int) -> None:
        if not 0 <= row < len(self.model.rows):
            return
        repair = self.model.rows[row].repair
        extra = []
        if 0 <= repair.paragraph < len(self._para_starts):
            start = self._para_starts[repair.paragraph]
            cursor = QTextCursor(self.cleaned.document())
            cursor.setPosition(start)
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
            sel = QTextEdit.ExtraSelection()
            sel.cursor = cursor
            sel.format.setBackground(SELECTED_BG)
            extra.append(sel)
            moved = QTextCursor(self.cleaned.document())
            moved.setPosition(start)
            self.cleaned.setTextCursor(moved)
            self.cleaned.centerCursor()
        self.cleaned.setExtraSelections(extra)
        needle = repair.removed.strip() or (self._paragraph_head(repair.paragraph))
        raw_extra = []
        if needle:
            found = self.raw.document().find(needle)
            if not found.isNull():
                sel = QTextEdit.ExtraSelection()
                sel.cursor = found
                sel.format.setBackground(SELECTED_BG)
                raw_extra.append(sel)
                moved = QTextCursor(found)
                moved.clearSelection()
                self.raw.setTextCursor(moved)
                self.raw.centerCursor()
        self._raw_selected = raw_extra
        self.raw.setExtraSelections(self._raw_marks + raw_extra)
        self._update_buttons()

    def _paragraph_head(self, index: int) -> str:
        if not 0 <= index < len(self._para_starts):
            return ""
        block = self.cleaned.document().findBlock(self._para_starts[index])
        return " ".join(block.text().split()[:4])

    # undo / redo -------------------------------------------------------------------------------------

    def _current_state(self) -> Any:
        index = self.list.currentIndex()
        return self.model.data(index, USER) if index.isValid() else None

    def _toggle(self, undo: bool) -> None:
        state = self._current_state()
        if state is None or not state.undoable:
            return
        wanted = set(self.undone)
        if undo:
            wanted.add(state.index)
        else:
            wanted.discard(state.index)
        self.request(wanted)

    def request(self, wanted: set[int], *, record: bool = True) -> None:
        if wanted == self.undone or self.busy:
            return
        if record:
            self._past.append(set(self.undone))
            self._future.clear()
        self.busy = True
        self._update_buttons()
        self.summary.setText("applying…")
        self.apply_requested.emit(set(wanted))

    def step_back(self) -> None:
        if self._past and not self.busy:
            self._future.append(set(self.undone))
            self.request(self._past.pop(), record=False)

    def step_forward(self) -> None:
        if self._future and not self.busy:
            self._past.append(set(self.undone))
            self.request(self._future.pop(), record=False)

    def failed(self, message: str) -> None:
        self.busy = False
        self.summary.setText(message)
        self._update_buttons()

    def _update_buttons(self) -> None:
        state = self._current_state()
        idle = not self.busy
        self.undo_one.setEnabled(idle and state is not None and state.undoable and state.index not in self.undone)
        self.redo_one.setEnabled(idle and state is not None and state.index in self.undone)
        self.undo_all.setEnabled(idle and any(s.undoable and s.index not in self.undone for s in self.model.rows))
        self.redo_all.setEnabled(idle and bool(self.undone))
        self.back.setEnabled(idle and bool(self._past))
        self.forward.setEnabled(idle and bool(self._future))


def _utf16_offsets(text: str) -> Callable[[int], int]:
    """Python string index -> Qt document position (UTF-16 units: a character beyond the BMP, such as an
    emoji, counts twice)."""
    if not text or max(text) < "\U00010000":
        return lambda i: i
    extra = [0]
    for c in text:
        extra.append(extra[-1] + (ord(c) >= 0x10000))
    return lambda i: i + extra[i]
