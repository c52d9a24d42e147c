"""The bilingual view of one document: a lazily filled table (# | Tiếng Việt | English) and, under it,
the selected sentences in full, where a span of either language can be selected to mark a claim."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QKeyEvent, QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core import ocr_marks
from app.core.claims.workflow import ClaimView
from app.core.store import Library, SearchHit
from app.core.translate import glossary, review
from app.gui.find_marks import FindDelegate
from app.gui.models import ALTERNATIVES_ROLE, SPANS_ROLE, SegmentTableModel
from app.gui.page_image import OcrPane, PageImagePane

DEFAULT_ROW_HEIGHT = 46


class SentenceTable(QTableView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sized: set[int] = set()  # rows whose height was fitted to the current column widths


class DocumentView(QWidget):
    """Emits `selection_changed` when the selected sentences change (the window enables actions)."""

    selection_changed = Signal()
    find_requested = Signal(str)  # the window runs the search in a worker
    post_edited = Signal(int)  # a document id: a sentence's English was edited in the table and stored

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lib: Library | None = None
        self.model: SegmentTableModel | None = None
        self.cleaned = ""
        self.hits: list[SearchHit] = []
        self._hit = -1

        self.find_bar = QWidget()
        fl = QHBoxLayout(self.find_bar)
        fl.setContentsMargins(0, 0, 0, 0)
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText("Find in this document (either language, diacritics optional)")
        self.find_edit.setClearButtonEnabled(True)
        self.find_status = QLabel()
        close = QPushButton("×")
        close.setFlat(True)
        close.setFixedWidth(24)
        close.clicked.connect(self.close_find)
        fl.addWidget(self.find_edit, 1)
        fl.addWidget(self.find_status)
        fl.addWidget(close)
        self.find_bar.hide()
        self.find_edit.setObjectName("findEdit")
        self.find_status.setObjectName("findStatus")
        self.find_edit.returnPressed.connect(self.find_next)  # Shift+Enter: see eventFilter
        self.find_edit.installEventFilter(self)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self.find_bar, self.close_find)

        # one filter: all sentences, or only the untranslated / flagged (⚠) / unreviewed / claimed ones, or
        # machine English with a confidence below the limit (the rule: app.core.translate.review.shown_by)
        self.filter_bar = QWidget()
        cl = QHBoxLayout(self.filter_bar)
        cl.setContentsMargins(0, 0, 0, 0)
        show = QLabel("&Show:")
        self.review_filter = QComboBox()
        self.review_filter.setObjectName("reviewFilter")
        show.setBuddy(self.review_filter)
        for mode, label in review.FILTERS.items():
            self.review_filter.addItem(label, mode)
        self.confidence_limit = QSpinBox()
        self.confidence_limit.setObjectName("confidenceLimit")
        self.confidence_limit.setRange(1, 100)
        self.confidence_limit.setValue(50)
        self.confidence_limit.setSuffix(" %")
        self.confidence_limit.setEnabled(False)  # only for the confidence filter
        self.confidence_status = QLabel()  # "N sentences" while a filter is on
        self.confidence_status.setObjectName("filterStatus")
        cl.addWidget(show)
        cl.addWidget(self.review_filter)
        cl.addWidget(self.confidence_limit)
        cl.addWidget(self.confidence_status)
        cl.addStretch(1)
        # a document read by OCR: "2 pages read by OCR · 1 paragraph to check" (issue 17)
        self.ocr_header = QLabel()
        self.ocr_header.setObjectName("ocrHeader")
        self.ocr_header.setStyleSheet("color: #7d6608;")
        self.ocr_header.setWordWrap(True)  # wraps in a narrow window rather than widening the document's minimum
        self.ocr_header.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.ocr_header.hide()
        cl.addWidget(self.ocr_header)
        self.review_filter.currentIndexChanged.connect(self.apply_filter)
        self.confidence_limit.valueChanged.connect(self.apply_filter)
        self.glossary = glossary.Glossary([])

        self.table = SentenceTable()
        self.table.setObjectName("sentenceTable")
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the next pane (arrows move in it)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(DEFAULT_ROW_HEIGHT)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.delegate = FindDelegate(self.table)
        self.table.setItemDelegate(self.delegate)
        self.table.verticalScrollBar().valueChanged.connect(self._size_visible_rows)
        self.table.horizontalHeader().sectionResized.connect(self._widths_changed)
        self._resize_timer = QTimer(self, singleShot=True, interval=80)
        self._resize_timer.timeout.connect(self._refit)

        self.vi_text = self._pane("Tiếng Việt: select words to mark a claim")
        self.en_text = self._pane("English: select words to mark a claim")
        detail = QSplitter(Qt.Orientation.Horizontal)
        detail.addWidget(self.vi_text)
        detail.addWidget(self.en_text)
        # the glossary entries found in the selected sentences (Edit › Glossary… edits them)
        self.glossary_hint = QLabel()
        self.glossary_hint.setObjectName("glossaryHint")
        self.glossary_hint.setWordWrap(True)
        self.glossary_hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.glossary_hint.hide()
        # other models' translations of the current sentence (main.py translate DOC --compare NAME)
        self.compare_hint = QLabel()
        self.compare_hint.setObjectName("compareHint")
        self.compare_hint.setWordWrap(True)
        self.compare_hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.compare_hint.hide()
        lower = QWidget()
        ll = QVBoxLayout(lower)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(detail, 1)
        ll.addWidget(self.glossary_hint)
        ll.addWidget(self.compare_hint)
        self.ocr_pane = OcrPane(self)  # a paragraph read by OCR: its confidence, the page image (issue 17)
        ll.addWidget(self.ocr_pane)
        self.ocr_pane.page_requested.connect(lambda: self.show_page_image(True))
        self.page_pane = PageImagePane()  # beside the text: the page of the selected sentence, as scanned
        self.page_pane.hide_requested.connect(lambda: self.show_page_image(False))
        # the user's choice (View › Show page image; kept in the settings by the window): shown for each
        # document read by OCR, out of the way for the others
        self.page_image_wanted = False
        self._paragraph_pages: dict[int, int | None] = {}  # paragraph id -> page (documents read by OCR)
        self._page_chars: dict[int, tuple[int, int]] = {}
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("documentSplitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([500, 120])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.filter_bar)
        self.side_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.side_splitter.setObjectName("pageImageSplitter")
        self.side_splitter.addWidget(self.splitter)
        self.side_splitter.addWidget(self.page_pane)
        self.side_splitter.setStretchFactor(0, 3)
        self.side_splitter.setStretchFactor(1, 2)
        layout.addWidget(self.side_splitter, 1)
        self._span: tuple[int, int] = (-1, -1)  # first and last row shown in the panes

    def _pane(self, placeholder: str) -> QPlainTextEdit:
        pane = QPlainTextEdit()
        pane.setReadOnly(True)
        pane.setPlaceholderText(placeholder)
        flags = Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        pane.setTextInteractionFlags(flags)
        pane.selectionChanged.connect(self.selection_changed)
        return pane

    # loading -----------------------------------------------------------------------------------------

    def show_document(self, lib: Library, doc_id: int) -> None:
        info = lib.document(doc_id)
        self.lib = lib
        old = self.model
        self.model = SegmentTableModel(lib, doc_id, info.segment_count, self)
        self.cleaned = lib.document_texts(doc_id)[1]
        self.table.sized.clear()
        self.table.setModel(self.model)
        if old is not None:
            old.deleteLater()
        self.model.rowsInserted.connect(lambda *_: QTimer.singleShot(0, self._size_visible_rows))
        self.model.dataChanged.connect(self._data_changed)
        self.model.post_edited.connect(lambda _segment: self.post_edited.emit(doc_id))
        self.table.selectionModel().selectionChanged.connect(self._rows_selected)
        self.table.selectionModel().currentChanged.connect(self._current_changed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(0, 44)
        width = max(400, self.table.viewport().width() - 44)
        self.table.setColumnWidth(1, width // 2)
        self.hits, self._hit, self._hits_for = [], -1, ""
        self.delegate.clear_matches()
        self.find_status.clear()
        self.vi_text.clear()
        self.en_text.clear()
        self._span = (-1, -1)
        self.reload_glossary()
        self.ocr_pane.load(lib, doc_id)
        self._load_ocr(lib, doc_id)
        self.model.dataChanged.connect(self._translations_changed)
        if self.filter_mode() != review.ALL:
            self.apply_filter()
        QTimer.singleShot(0, self._size_visible_rows)

    def doc_id(self) -> int | None:
        return self.model.doc_id if self.model else None

    # read by OCR (issue 17): the header line and the page image beside the text ------------------

    def _load_ocr(self, lib: Library, doc_id: int) -> None:
        summary = ocr_marks.summary(lib, doc_id)
        paragraphs = lib.paragraphs(doc_id) if summary else []
        self._paragraph_pages = {p.id: p.page for p in paragraphs}
        self._page_chars = {}  # page -> (first, last) character of its text: where a sentence sits on it
        for p in paragraphs:
            if p.page is not None:
                first, last = self._page_chars.get(p.page, (p.start_char, p.end_char))
                self._page_chars[p.page] = (min(first, p.start_char), max(last, p.end_char))
        if summary is None:
            self.ocr_header.hide()
        else:
            text = summary.pages_line()
            if summary.low:
                text += f" · {summary.low} paragraph{'s' if summary.low != 1 else ''} to check (tinted)"
            self.ocr_header.setText(text)
            self.ocr_header.setToolTip(
                f"{summary.report_line()} Tinted sentences: {ocr_marks.CHECK}. "
                "View › Show page image shows the page beside the text."
            )
            self.ocr_header.show()
        self.page_pane.load(lib, doc_id)
        shown = self.page_image_wanted and bool(self.page_pane.pages)
        if shown != (not self.page_pane.isHidden()):
            self._place_page_pane(shown)

    def show_page_image(self, shown: bool | None = None) -> None:
        """Show (True), hide (False) or toggle (None) the page image beside the text."""
        shown = self.page_pane.isHidden() if shown is None else shown
        self.page_image_wanted = shown
        self._place_page_pane(shown)

    def _place_page_pane(self, shown: bool) -> None:
        self.page_pane.set_shown(shown)
        if shown:
            sizes = self.side_splitter.sizes()
            if sizes[1] < 160:  # first shown: give the page room, and the two languages half each of the rest
                total = sum(sizes) or self.width()
                self.side_splitter.setSizes([total - total * 2 // 5, total * 2 // 5])
                QTimer.singleShot(0, self._fit_language_columns)
            self._follow_page()

    def _fit_language_columns(self) -> None:
        if self.model is not None:
            self.table.setColumnWidth(1, max(120, (self.table.viewport().width() - self.table.columnWidth(0)) // 2))

    def toggle_page_image(self) -> None:
        self.show_page_image(None)

    def _follow_page(self) -> None:
        """The page image follows the first selected sentence."""
        rows = self.selected_rows()
        if not self._paragraph_pages or self.model is None or not rows or rows[0] >= len(self.model.segments):
            return
        seg = self.model.segments[rows[0]]
        page = self._paragraph_pages.get(seg.paragraph_id)
        if page is not None:  # how far down the page's text the sentence starts: roughly where it is drawn
            first, last = self._page_chars.get(page, (0, 0))
            where = min(1.0, max(0.0, (seg.start_char - first) / (last - first))) if last > first else None
            self.page_pane.show_page(page, where)

    # glossary hint, confidence filter, alternatives ----------------------------------------------

    def reload_glossary(self) -> None:
        """Read the glossary again (the library's entries and the open document's)."""
        self.glossary = glossary.load(self.lib, self.doc_id()) if self.lib is not None else glossary.Glossary([])
        self._show_glossary_hint()

    def _show_glossary_hint(self) -> None:
        rows = self.selected_rows()
        if self.model is None or not rows or not self.glossary:
            self.glossary_hint.clear()
            self.glossary_hint.hide()
            return
        text = " ".join(s.text for s in self.model.segments[rows[0] : rows[-1] + 1])
        seen: list[glossary.Entry] = []
        for m in self.glossary.find(text):
            if m.entry not in seen:
                seen.append(m.entry)
        parts = []
        for e in seen:
            target = "keep as is (do not translate)" if e.keep else " or ".join(e.expected)
            parts.append(f"{e.vi} → {target}" + (f" ({e.note})" if e.note else ""))
        self.glossary_hint.setText("Glossary: " + "; ".join(parts) if parts else "")
        self.glossary_hint.setVisible(bool(parts))

    def _show_comparison(self) -> None:
        """The other models' translations of the first selected sentence (one indexed read)."""
        from app.core.translate.compare import for_segment

        rows = self.selected_rows()
        found = for_segment(self.lib, self.model.segments[rows[0]].id) if self.model and self.lib and rows else []
        lines = [f"{c.model}{' (sentence changed since)' if c.stale else ''}: {c.text}" for c in found]
        self.compare_hint.setText("Other model — " + "\nOther model — ".join(lines) if lines else "")
        self.compare_hint.setVisible(bool(lines))

    def _translations_changed(self, top: QModelIndex, bottom: QModelIndex, roles: list[int] | None = None) -> None:
        if self.filter_mode() != review.ALL and top.column() <= 2 <= bottom.column():
            QTimer.singleShot(0, self.apply_filter)

    def filter_mode(self) -> str:
        """The filter's key in app.core.translate.review.FILTERS ("all": every sentence listed)."""
        return str(self.review_filter.currentData() or review.ALL)

    def set_filter(self, mode: str) -> None:
        self.review_filter.setCurrentIndex(max(0, self.review_filter.findData(mode)))

    def apply_filter(self) -> None:
        """List only the sentences the filter keeps (app.core.translate.review.shown_by), or all."""
        mode = self.filter_mode()
        self.confidence_limit.setEnabled(mode == review.ONLY_LOW_CONFIDENCE)
        if self.model is None:
            self.confidence_status.clear()
            return
        on = mode != review.ALL
        if on:
            self.model.fetch_until(self.model.total)
        limit = self.confidence_limit.value() / 100
        claimed = {s.id for c in self.model.claims for s in c.segments} if mode == review.ONLY_CLAIMED else set()
        shown = 0
        for row in range(self.model.rowCount()):
            seg = self.model.segments[row]
            keep = review.shown_by(
                mode,
                self.model.translations.get(seg.id),
                claimed=seg.id in claimed,
                confidence=self.model.confidence(row) if mode == review.ONLY_LOW_CONFIDENCE else None,
                limit=limit,
            )
            self.table.setRowHidden(row, not keep)
            shown += keep
        self.confidence_status.setText(f"{shown} sentence{'' if shown == 1 else 's'}" if on else "")

    def alternative_actions(self, parent: QObject) -> list[QAction]:
        """One action per other hypothesis of the current sentence's machine English; picking one
        stores it as your English (like a post-edit)."""
        rows = self.selected_rows()
        if self.model is None or not rows:
            return []
        index = self.model.index(rows[0], 2)
        out = []
        for text, _score in self.model.data(index, ALTERNATIVES_ROLE) or []:
            label = text if len(text) <= 80 else text[:77] + "…"
            action = QAction(f"Use: {label}", parent)
            action.setToolTip(text)
            action.triggered.connect(lambda _checked=False, t=text, i=index: self._use_alternative(i, t))
            out.append(action)
        return out

    def machine_segment(self) -> int | None:
        """The current sentence's id when its English is machine output (alternatives can be asked for)."""
        rows = self.selected_rows()
        if self.model is None or not rows:
            return None
        seg = self.model.segments[rows[0]]
        tr = self.model.translations.get(seg.id)
        return seg.id if tr is not None and tr.kind in ("machine", "memory") else None

    def _use_alternative(self, index: QModelIndex, text: str) -> None:
        if self.model is not None and index.isValid():
            self.model.setData(index, text)

    def clear(self) -> None:
        self.table.setModel(None)
        if self.model is not None:
            self.model.deleteLater()
        self.model = None
        self.vi_text.clear()
        self.en_text.clear()
        self.glossary_hint.clear()
        self.glossary_hint.hide()
        self.confidence_status.clear()
        self.ocr_pane.hide()
        self.ocr_header.hide()
        self.page_pane.clear()
        self._paragraph_pages, self._page_chars = {}, {}

    def set_claims(self, claims: list[ClaimView], tag_colors: dict[str, str]) -> None:
        if self.model is not None:
            self.model.set_claims(claims, tag_colors)
            self.table.sized.clear()
            self._size_visible_rows()
            self._fill_panes(force=True)

    # row heights: only rows on screen are measured, so a long document opens at once --------------------

    def _widths_changed(self) -> None:
        self._resize_timer.start()

    def _refit(self) -> None:
        self.table.sized.clear()
        self._size_visible_rows()

    def _data_changed(self, top: QModelIndex, bottom: QModelIndex, roles: list[int] | None = None) -> None:
        for row in range(top.row(), bottom.row() + 1):
            self.table.sized.discard(row)
        QTimer.singleShot(0, self._size_visible_rows)
        if self._span[0] <= bottom.row() and top.row() <= self._span[1]:
            self._fill_panes(force=True)

    def _size_visible_rows(self) -> None:
        if self.model is None:
            return
        vp = self.table.viewport()
        first = self.table.rowAt(0)
        if first < 0:
            first = 0
        last = self.table.rowAt(vp.height() - 1)
        if last < 0:  # rows end above the bottom, or are still at their default height
            last = first + vp.height() // 20
        last = min(last + 5, self.model.rowCount() - 1)
        for row in range(first, last + 1):
            if row not in self.table.sized:
                self.table.sized.add(row)
                self.table.resizeRowToContents(row)

    # selection, partner highlight and the detail panes ---------------------------------------------

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.delegate.partner_row = current.row() if current.isValid() else -1
        self.table.viewport().update()

    def selected_rows(self) -> list[int]:
        sm = self.table.selectionModel()
        if sm is None:
            return []
        rows = sorted({i.row() for i in sm.selectedIndexes()})
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        return rows

    def _rows_selected(self) -> None:
        self._fill_panes()
        self._show_glossary_hint()
        self._show_comparison()
        if self.model is not None and self.ocr_pane.marks:
            rows = self.selected_rows()
            self.ocr_pane.show_for([self.model.segments[r].paragraph_id for r in rows if r < len(self.model.segments)])
        self._follow_page()
        self.selection_changed.emit()

    def _fill_panes(self, force: bool = False) -> None:
        rows = self.selected_rows()
        if not rows or self.model is None:
            return
        span = (rows[0], rows[-1])
        if span == self._span and not force:
            return
        self._span = span
        segs = self.model.segments[span[0] : span[1] + 1]
        start, end = segs[0].start_char, segs[-1].end_char
        self.vi_text.setPlainText(self.cleaned[start:end])
        english = [self.model.translations[s.id].text for s in segs if s.id in self.model.translations]
        self.en_text.setPlainText(" ".join(english))
        # claims in the panes: the table's spans (`alignment.claim_spans`), in the same colours
        claims = {c.row.id: c for c in self.model.claims}
        for row in range(span[0], span[1] + 1):
            seg = self.model.segments[row]
            for column, pane, offset in (
                (1, self.vi_text, seg.start_char - start),
                (2, self.en_text, self._english_offset(row, span[0])),
            ):
                for sp in self.model.data(self.model.index(row, column), role=SPANS_ROLE) or []:
                    if sp.claim_id in claims:
                        self._paint(pane, offset + sp.start, offset + sp.end, claims[sp.claim_id])

    def _english_offset(self, row: int, first: int) -> int:
        assert self.model is not None
        offset = 0
        for seg in self.model.segments[first:row]:
            tr = self.model.translations.get(seg.id)
            if tr is not None:
                offset += len(tr.text) + 1
        return offset

    def _paint(self, pane: QPlainTextEdit, start: int, end: int, claim: ClaimView) -> None:
        assert self.model is not None
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(self.model._color(claim)))
        cursor = QTextCursor(pane.document())
        cursor.setPosition(max(0, start))
        cursor.setPosition(min(end, len(pane.toPlainText())), QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(fmt)

    def selection_target(self) -> tuple[str, int, int] | None:
        """What "New claim" would mark: ("vi", start, end) in the cleaned text, ("en", first_row,
        last_row) with the English span in `english_selection()`, or the selected rows ("rows")."""
        if self.model is None:
            return None
        rows = self.selected_rows()
        if not rows:
            return None
        segs = self.model.segments
        vi = self.vi_text.textCursor()
        en = self.en_text.textCursor()
        base = segs[self._span[0]].start_char if self._span[0] >= 0 else 0
        if vi.hasSelection() and self._span[0] >= 0:
            return ("vi", base + vi.selectionStart(), base + vi.selectionEnd())
        if en.hasSelection() and self._span[0] >= 0:
            return ("en", self._span[0], self._span[1])
        return ("rows", segs[rows[0]].start_char, segs[rows[-1]].end_char)

    def select_words(self, pane: str, start: int, end: int) -> None:
        """Show in a pane the words a claim takes when the selection was widened to whole words:
        `start`/`end` in the cleaned text for "vi", in the pane's own text for "en"."""
        edit = self.vi_text if pane == "vi" else self.en_text
        base = 0
        if pane == "vi":
            if self.model is None or self._span[0] < 0:
                return
            base = self.model.segments[self._span[0]].start_char
        length = len(edit.toPlainText())
        a, b = max(0, min(length, start - base)), max(0, min(length, end - base))
        cursor = edit.textCursor()
        if (cursor.selectionStart(), cursor.selectionEnd()) == (a, b):
            return
        cursor.setPosition(a)
        cursor.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
        blocked = edit.blockSignals(True)  # only drawn: what the selection is for is being done
        try:
            edit.setTextCursor(cursor)
        finally:
            edit.blockSignals(blocked)

    def english_selection(self) -> tuple[int, int]:
        cursor = self.en_text.textCursor()
        return cursor.selectionStart(), cursor.selectionEnd()

    def post_editor(self) -> QPlainTextEdit | None:
        """The open post-edit editor (closed ones linger, hidden, until Qt deletes them)."""
        if self.table.state() != QAbstractItemView.State.EditingState:
            return None
        return next((e for e in self.table.findChildren(QPlainTextEdit, "postEditor") if e.isVisible()), None)

    def commit_editor(self) -> None:
        """Store and close an open post-edit editor."""
        editor = self.post_editor()
        if editor is not None:
            self.delegate.commitData.emit(editor)
            self.delegate.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    # navigation ----------------------------------------------------------------------------------

    def go_to_row(self, row: int, column: int = 1) -> None:
        if self.model is None:
            return
        self.model.fetch_until(row)
        row = min(row, self.model.rowCount() - 1)
        if row < 0:
            return
        index = self.model.index(row, column)
        self.table.updateGeometries()  # the rows just fetched: the scroll range must reach them
        self.table.setCurrentIndex(index)
        self.table.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self._size_visible_rows()
        self.table.updateGeometries()  # the rows just measured: their heights set the scroll range
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self._size_visible_rows()

    def go_to_offset(self, offset: int) -> None:
        if self.model is not None:
            self.go_to_row(self.model.row_of_offset(offset))

    def close_editor(self) -> None:
        """Close an open post-edit editor without storing what it holds."""
        editor = self.post_editor()
        if editor is not None:
            self.delegate.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.RevertModelCache)

    def next_unreviewed(self, after: int) -> int:
        """The next row (fetching as needed) with no English or machine English nobody reviewed."""
        assert self.model is not None
        row = after + 1
        while True:
            self.model.fetch_until(row)
            if row >= self.model.rowCount():
                return -1
            seg = self.model.segments[row]
            listed = not self.table.isRowHidden(row)  # with a filter on, Ctrl+Enter walks what it lists
            if listed and review.needs_review(self.model.translations.get(seg.id)):
                return row
            row += 1

    # find ----------------------------------------------------------------------------------------

    def open_find(self) -> None:
        self.find_bar.show()
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def close_find(self) -> None:
        """Escape or ×: the bar closes and the matches are no longer marked."""
        self.find_bar.hide()
        self.delegate.clear_matches()
        self.table.viewport().update()
        if self.model is not None:
            self.table.setFocus()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (
            obj is self.find_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self.find_previous()
            return True
        return super().eventFilter(obj, event)

    def find_next(self) -> None:
        """Enter or F3: the next match (after the last one, the first again)."""
        self._find(1)

    def find_previous(self) -> None:
        """Shift+Enter or Shift+F3: the previous match (before the first one, the last)."""
        self._find(-1)

    _hits_for = ""
    _direction = 1

    def _find(self, step: int) -> None:
        query = self.find_edit.text().strip()
        if self.model is None:
            return
        if not query:
            self.open_find()
            return
        if self._hits_for == query:
            if self.hits:
                self.find_bar.show()  # F3 with the bar closed: the matches are marked again
                self._show_hit(self._hit + step, step)
            return
        self._direction = step
        self.find_status.setText("searching…")
        self.find_requested.emit(query)

    def set_hits(self, query: str, hits: list[SearchHit]) -> None:
        """The matches of `query` in this document (in reading order); shows the first one from the
        current sentence on (or, searching backwards, the last one before it)."""
        if query != self.find_edit.text().strip() and self.find_bar.isVisible():
            return  # the words were changed while searching; the next Enter searches again
        self.hits = sorted(hits, key=lambda h: (h.segment_idx, self._hit_column(h)))
        self._hits_for = query
        cells = {(h.segment_idx, self._hit_column(h)) for h in self.hits}
        self.delegate.set_matches(query, cells, None)
        self.table.viewport().update()
        if not self.hits:
            self.find_status.setText("not found")
            return
        here = self.table.currentIndex()
        at = (here.row(), here.column()) if here.isValid() else (0, 0)
        cells_in_order = [(h.segment_idx, self._hit_column(h)) for h in self.hits]
        if self._direction > 0:
            first = next((i for i, c in enumerate(cells_in_order) if c >= at), 0)
        else:
            first = next((i for i in reversed(range(len(cells_in_order))) if cells_in_order[i] < at), -1)
        self._show_hit(first, self._direction)
        if self.model is not None:  # the rows up to the last match load meanwhile, so F3 never waits for them
            QTimer.singleShot(0, lambda d=self.model.doc_id, r=self.hits[-1].segment_idx: self._load_rows(d, r))

    def _load_rows(self, doc_id: int, row: int, step: int = 400) -> None:
        """Load the table's rows up to `row`, `step` rows per turn of the event loop."""
        model = self.model
        if model is None or model.doc_id != doc_id or row < model.rowCount() or not model.canFetchMore():
            return
        model.fetch_until(min(row, model.rowCount() + step - 1))
        QTimer.singleShot(0, lambda: self._load_rows(doc_id, row, step))

    @staticmethod
    def _hit_column(hit: SearchHit) -> int:
        return 2 if hit.lang == "en" and hit.text != hit.source_text else 1

    def _show_hit(self, n: int, step: int = 1) -> None:
        """Go to match n, or the next one (in the direction of `step`) in a sentence the Show filter
        lists: a hidden row cannot be shown, and finding must not step onto it."""
        listed = [i for i, h in enumerate(self.hits) if not self.table.isRowHidden(h.segment_idx)]
        if not listed:
            self.find_status.setText(f"{len(self.hits)} found, in sentences the Show filter hides")
            return
        count, shown = len(self.hits), set(listed)
        self._hit = next((n + k * step) % count for k in range(count) if (n + k * step) % count in shown)
        hit = self.hits[self._hit]
        column = self._hit_column(hit)
        hidden = count - len(listed)
        more = f" ({hidden} in hidden sentences)" if hidden else ""
        self.find_status.setText(f"{listed.index(self._hit) + 1} of {len(listed)}{more}")
        cells = {(h.segment_idx, self._hit_column(h)) for h in self.hits}
        self.delegate.set_matches(self._hits_for, cells, (hit.segment_idx, column))
        self.go_to_row(hit.segment_idx, column)
        self.table.viewport().update()
