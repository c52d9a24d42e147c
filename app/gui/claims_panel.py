"""The claims of the open document (or the whole library), filtered by tag, verdict and words, and the
suggested claims to accept or dismiss.

The table is read, not glanced at: the claim's words wrap (a narrow panel shows the English under the
Vietnamese, a wide one in its own column), verdicts have a colour each, the document is named when all
documents are listed, and every column sorts (a third click on a header goes back to document order)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QColor, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.claims.spans import is_claimed
from app.core.claims.tags import UNTAGGED_COLOR
from app.core.claims.workflow import ClaimView
from app.core.store.claims import VERDICTS, ClaimRow
from app.core.store.library import fold
from app.gui.models import ID_ROLE, USER, ClaimsModel, SuggestionsModel

ANY = "any"
TAGS, VERDICT, VIETNAMESE, ENGLISH, DOCUMENT = range(5)
# one colour per verdict, light enough for black text; the word is always written too
VERDICT_COLORS = {
    "unchecked": "#eaecee",
    "supported": "#abebc6",
    "disputed": "#fad7a0",
    "false": "#f1948a",
    "unverifiable": "#d6eaf8",
}
ENGLISH_ROLE = USER + 20  # the English shown under the Vietnamese when the English column is hidden
DOCUMENT_ROLE = USER + 21  # the document's title shown above the words when the Document column is hidden
WIDE = 620  # table width (px) from which the English gets its own column
DOCUMENT_WIDE = 460  # ...and from which the document (all documents listed) gets its own column
CHIPS_ROLE = USER + 22  # [(text, colour)]: tags and verdict shown above the words when their columns are hidden
COMPACT = 400  # under this table width the Tags and Verdict columns give their room to the words
SORT_CHOICES: tuple[tuple[str, int], ...] = (
    ("Document order", -1),
    ("Tags", TAGS),
    ("Verdict", VERDICT),
    ("Tiếng Việt", VIETNAMESE),
    ("English", ENGLISH),
    ("Document", DOCUMENT),
)


class ClaimsTableModel(ClaimsModel):
    """The panel's claims: the reader's ClaimsModel with a Document column, verdict colours and sorting."""

    HEADERS = ("Tags", "Verdict", "Tiếng Việt", "English", "Document")  # type: ignore[assignment]  # one more

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.english_under = True  # the English is shown under the Vietnamese (narrow panel)
        self.document_above = False  # the document's title is shown above the words (narrow, all documents)
        self.chips_above = False  # tags and verdict are shown above the words (very narrow panel)
        self._sort: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)

    def set_rows(self, rows: Sequence[ClaimView], tag_colors: dict[str, str]) -> None:
        self.beginResetModel()
        self.rows = self._sorted(list(rows))
        self.tag_colors = dict(tag_colors)
        self.endResetModel()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and section == VIETNAMESE
            and self.english_under
        ):
            return "Tiếng Việt / English"
        return super().headerData(section, orientation, role)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        view = self.rows[index.row()]
        col = index.column()
        if col == DOCUMENT:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return view.row.document_title
            return view.row.id if role == ID_ROLE else None
        if role == Qt.ItemDataRole.BackgroundRole and col == VERDICT:
            return QColor(VERDICT_COLORS.get(view.row.verdict, "#ffffff"))
        if role == ENGLISH_ROLE and col == VIETNAMESE:
            return view.english if self.english_under else ""
        if role == DOCUMENT_ROLE and col == VIETNAMESE:
            return view.row.document_title if self.document_above else ""
        if role == CHIPS_ROLE and col == VIETNAMESE:
            if not self.chips_above:
                return []
            tags = [(t, self.tag_colors.get(t, UNTAGGED_COLOR)) for t in view.row.tags] or [("no tag", UNTAGGED_COLOR)]
            return [*tags, (view.row.verdict, VERDICT_COLORS.get(view.row.verdict, "#ffffff"))]
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (TAGS, VERDICT):
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return super().data(index, role)

    # sorting: by any column; column -1 is the library's order (document, then place in it)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        old = [r.row.id for r in self.rows]
        self.rows = self._sorted(self.rows)
        where = {r.row.id: i for i, r in enumerate(self.rows)}
        for persistent in self.persistentIndexList():
            if persistent.isValid():
                new_row = where[old[persistent.row()]]
                self.changePersistentIndex(persistent, self.index(new_row, persistent.column()))
        self.layoutChanged.emit()

    def _sorted(self, rows: list[ClaimView]) -> list[ClaimView]:
        column, order = self._sort
        natural = sorted(rows, key=lambda v: (v.row.document_id, v.row.start, v.row.id))
        if column < 0:
            return natural
        key = _SORT_KEYS.get(column)
        if key is None:
            return natural
        return sorted(natural, key=key, reverse=order == Qt.SortOrder.DescendingOrder)


def _tags_key(v: ClaimView) -> tuple[int, str]:
    return (0 if v.row.tags else 1, ", ".join(fold(t) for t in v.row.tags))


_SORT_KEYS: dict[int, Any] = {
    TAGS: _tags_key,
    VERDICT: lambda v: VERDICTS.index(v.row.verdict) if v.row.verdict in VERDICTS else len(VERDICTS),
    VIETNAMESE: lambda v: fold(v.row.quote),
    ENGLISH: lambda v: (0 if v.english else 1, v.english.casefold()),
    DOCUMENT: lambda v: (fold(v.row.document_title), v.row.document_id, v.row.start),
}


class WrappedTextDelegate(QStyledItemDelegate):
    """A cell's text wrapped to the column, with the English (ENGLISH_ROLE) in grey under it."""

    MARGIN = 4

    def _document(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(self.MARGIN)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        fg = option.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        text = html.escape(str(index.data(Qt.ItemDataRole.DisplayRole) or ""))
        english = str(index.data(ENGLISH_ROLE) or "")
        document = str(index.data(DOCUMENT_ROLE) or "")
        chips = index.data(CHIPS_ROLE) or []
        body = f'<div style="color:{fg.name()}">{text}</div>'
        if chips:  # black on the tag's or verdict's colour, as in their columns
            spans = "&nbsp;".join(
                f'<span style="background-color:{colour}; color:#1b2631">&nbsp;{html.escape(name)}&nbsp;</span>'
                for name, colour in chips
            )
            body = f'<div style="margin-bottom:2px">{spans}</div>' + body
        if document:
            grey = fg.name() if selected else "#566573"
            body = f'<div style="color:{grey}; font-style:italic">{html.escape(document)}</div>' + body
        if english:  # set apart from the Vietnamese: grey, or on a selected row the highlight text faded
            grey = QColor(fg).darker(118).name() if selected else "#566573"
            body += f'<div style="color:{grey}; margin-top:3px; font-style:italic">{html.escape(english)}</div>'
        doc.setHtml(body)
        doc.setTextWidth(max(40, option.rect.width()))
        return doc

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._document(option, index)
        painter.save()
        painter.translate(option.rect.topLeft())
        painter.setClipRect(option.rect.translated(-option.rect.topLeft()))
        doc.drawContents(painter)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        doc = self._document(option, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()) + 1)


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
        self.model = ClaimsTableModel(self)
        self.suggestions = SuggestionsModel(self)
        self._suggestion_note = ""

        self.tag_filter = QComboBox()
        self.tag_filter.setObjectName("claimTagFilter")
        self.verdict_filter = QComboBox()
        self.verdict_filter.setObjectName("claimVerdictFilter")
        self.verdict_filter.addItems([ANY, *VERDICTS])
        for i, verdict in enumerate(VERDICTS, start=1):
            self.verdict_filter.setItemData(i, QColor(VERDICT_COLORS[verdict]), Qt.ItemDataRole.BackgroundRole)
        self.text_filter = QLineEdit()
        self.text_filter.setPlaceholderText("Filter claims by words")
        self.text_filter.setClearButtonEnabled(True)
        self.whole_library = QCheckBox("All documents")
        for w in (self.tag_filter, self.verdict_filter):
            w.currentIndexChanged.connect(self.filters_changed)
        self.text_filter.textChanged.connect(self.filters_changed)
        self.whole_library.toggled.connect(self._show_document_column)
        self.whole_library.toggled.connect(self.filters_changed)

        self.table = QTableView()
        self.table.setObjectName("claimsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.text_delegate = WrappedTextDelegate(self.table)
        for column in (TAGS, VIETNAMESE, ENGLISH, DOCUMENT):
            self.table.setItemDelegateForColumn(column, self.text_delegate)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(40)
        header.setSectionResizeMode(TAGS, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(VERDICT, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(VIETNAMESE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ENGLISH, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(DOCUMENT, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(TAGS, 72)
        header.resizeSection(VERDICT, self.table.fontMetrics().horizontalAdvance("unverifiable") + 14)
        header.resizeSection(DOCUMENT, 96)
        header.moveSection(header.visualIndex(DOCUMENT), 0)  # the document first, when it is shown
        header.setSortIndicatorClearable(True)  # a third click: back to document order
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        # rows as tall as their wrapped text, measured when they come into view (all 1,000 claims of a
        # library at once held the window 2-5 s) and again when a column's width changes
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.verticalHeader().setDefaultSectionSize(3 * self.table.fontMetrics().height())
        self._sized: set[int] = set()  # rows measured at the current column widths
        self._sizing = QTimer(self)
        self._sizing.setSingleShot(True)
        self._sizing.setInterval(0)
        self._sizing.timeout.connect(self._size_visible_rows)
        self.table.verticalScrollBar().valueChanged.connect(self._sizing.start)
        header.sectionResized.connect(self._widths_changed)
        for changed in (self.model.modelReset, self.model.layoutChanged):
            changed.connect(self._widths_changed)
        self.table.setColumnHidden(DOCUMENT, True)
        self.table.setColumnHidden(ENGLISH, True)
        self.table.activated.connect(self._activated)
        self.table.clicked.connect(self._activated)
        self.table.installEventFilter(self)

        edit = QPushButton("Edit…")
        edit.clicked.connect(lambda: self._emit_current(self.edit_requested))
        delete = QPushButton("Delete")
        delete.clicked.connect(lambda: self._emit_current(self.delete_requested))
        self.count = QLabel()
        # sorting by any column, also by the ones a narrow panel hides (header clicks do the same)
        self.sort_by = QComboBox()
        self.sort_by.setObjectName("claimSort")
        for text, column in SORT_CHOICES:
            self.sort_by.addItem(text, column)
        self.sort_by.currentIndexChanged.connect(self._sort_chosen)
        header.sortIndicatorChanged.connect(self._sorted_by_header)

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
        row3 = QHBoxLayout()
        row3.addWidget(QLabel("Sort by"))
        row3.addWidget(self.sort_by, 1)
        tl.addLayout(row3)
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
        accept.setToolTip("Ctrl+Shift+A")
        accept.clicked.connect(lambda: self._emit_suggestion(self.suggestion_accepted))
        dismiss = QPushButton("Dismiss")
        dismiss.setToolTip("Ctrl+Shift+D")
        dismiss.clicked.connect(lambda: self._emit_suggestion(self.suggestion_dismissed))
        self.suggestion_label = QLabel("<b>Suggested claims</b>")
        # the count follows the list: accepted, dismissed or claimed suggestions leave it at once
        for changed in (self.suggestions.modelReset, self.suggestions.rowsRemoved, self.suggestions.rowsInserted):
            changed.connect(self._count_suggestions)
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

    # layout ---------------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.Resize:
            self._place_english()
        return super().eventFilter(watched, event)

    def _show_document_column(self, _shown: bool) -> None:
        self._place_english()

    def _sort_chosen(self, _index: int) -> None:
        column = int(self.sort_by.currentData())
        header = self.table.horizontalHeader()
        if header.sortIndicatorSection() != column or column < 0:
            self.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)

    def _sorted_by_header(self, column: int, _order: Qt.SortOrder) -> None:
        at = self.sort_by.findData(column if column in {c for _t, c in SORT_CHOICES} else -1)
        self.sort_by.blockSignals(True)
        self.sort_by.setCurrentIndex(max(0, at))
        self.sort_by.blockSignals(False)

    def _place_english(self) -> None:
        """A wide table gives the English its own column, a narrow one shows it under the Vietnamese;
        with all documents listed, the document's title gets its own column or is shown above the words;
        a very narrow one shows tags and verdict above the words too."""
        width = self.table.width()
        under = width < WIDE
        above = self.whole_library.isChecked() and width < DOCUMENT_WIDE
        chips = width < COMPACT
        document_column = self.whole_library.isChecked() and not above
        if (
            under == self.model.english_under
            and above == self.model.document_above
            and chips == self.model.chips_above
            and self.table.isColumnHidden(ENGLISH) == under
            and self.table.isColumnHidden(DOCUMENT) != document_column
            and self.table.isColumnHidden(TAGS) == chips
        ):
            return
        self.model.english_under = under
        self.model.document_above = above
        self.model.chips_above = chips
        self.table.setColumnHidden(ENGLISH, under)
        self.table.setColumnHidden(DOCUMENT, not document_column)
        self.table.setColumnHidden(TAGS, chips)
        self.table.setColumnHidden(VERDICT, chips)
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, VIETNAMESE, VIETNAMESE)
        if self.model.rows:
            last = self.model.index(len(self.model.rows) - 1, DOCUMENT)
            self.model.dataChanged.emit(self.model.index(0, 0), last)
        self._widths_changed()

    def _widths_changed(self) -> None:
        self._sized.clear()
        self._sizing.start()

    def _size_visible_rows(self) -> None:
        """Fit the rows on screen (and a few more) to their wrapped text."""
        rows = self.model.rowCount()
        if not rows:
            return
        viewport = self.table.viewport()
        for _ in range(3):  # rows grown to their height push others out of view: at most a few rounds
            first = max(0, self.table.rowAt(0))
            last = self.table.rowAt(viewport.height() - 1)
            if last < 0:
                last = first + viewport.height() // max(1, self.table.verticalHeader().minimumSectionSize())
            todo = [r for r in range(first, min(rows, last + 3)) if r not in self._sized]
            if not todo:
                return
            for row in todo:
                self._sized.add(row)
                self.table.resizeRowToContents(row)

    # contents -------------------------------------------------------------------------------------------

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
        if current is not None:
            self.select_claim(current)

    def select_claim(self, claim_id: int) -> bool:
        """Make the claim the table's current row (scrolled to); False when it is not listed."""
        row = next((i for i, v in enumerate(self.model.rows) if v.row.id == claim_id), -1)
        if row < 0:
            return False
        index = self.model.index(row, VIETNAMESE)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def set_suggestions(self, rows: Sequence[object], note: str = "") -> None:
        self._suggestion_note = note
        self.suggestions.set_rows(rows)

    def _count_suggestions(self) -> None:
        n = self.suggestions.rowCount()
        self.suggestion_label.setText(f"<b>Suggested claims</b> ({n}) {self._suggestion_note}".rstrip())

    def remove_suggestion(self, suggestion: object) -> int:
        """Take the suggestion off the list; returns the row it had (-1 when it was not listed)."""
        if suggestion in self.suggestions.rows:
            row = self.suggestions.rows.index(suggestion)
            self.suggestions.remove(row)
            return row
        return -1

    def drop_claimed_suggestions(self, claims: Sequence[ClaimRow]) -> None:
        """Suggestions over words the user has claimed meanwhile leave the list (`spans.is_claimed`)."""
        for row in reversed(range(len(self.suggestions.rows))):
            s = self.suggestions.rows[row]
            if is_claimed(claims, s.start, s.end):
                self.suggestions.remove(row)

    def current_suggestion(self) -> Any:
        index = self.suggestion_list.currentIndex()
        return self.suggestions.data(index, USER) if index.isValid() else None

    def select_suggestion(self, row: int) -> None:
        if 0 <= row < self.suggestions.rowCount():
            index = self.suggestions.index(row, 0)
            self.suggestion_list.setCurrentIndex(index)
            self.suggestion_list.scrollTo(index)

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
        suggestion = self.current_suggestion()
        if suggestion is not None:
            signal.emit(suggestion)
