"""The library search's sentences: grouped by document, the matched words highlighted; Enter or a
double-click on a sentence opens its document at that sentence (`sentence_chosen`)."""

from __future__ import annotations

import html
from collections import OrderedDict

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import (
    QPainter,
    QResizeEvent,
    QStandardItem,
    QStandardItemModel,
    QTextDocument,
)
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeView, QWidget

from app.core.services.search import LibraryMatches, is_english_column
from app.gui.delegates import draw_document

DOC_ROLE = Qt.ItemDataRole.UserRole + 1  # the document id (every item)
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the sentence's row in the document (sentence items only)
COLUMN_ROLE = Qt.ItemDataRole.UserRole + 3  # 1: matched in the Vietnamese, 2: in the English
MATCH_ROLE = Qt.ItemDataRole.UserRole + 4  # [(start, end)] of the matched words in the item's text
MATCH_BG = "#f9e154"
CACHE_SIZE = 400
Index = QModelIndex | QPersistentModelIndex


def highlighted_html(text: str, spans: list[tuple[int, int]], background: str = MATCH_BG) -> str:
    """`text` as HTML, each span on `background`."""
    out: list[str] = []
    pos = 0
    for start, end in spans:
        out.append(html.escape(text[pos:start]))
        out.append(f'<span style="background-color:{background}">{html.escape(text[start:end])}</span>')
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


class MatchDelegate(QStyledItemDelegate):
    """Items wrapped (a long title too), the sentences' matched words on a highlight.
    Laid-out sentences are cached: sizing and painting both need them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cache: OrderedDict[tuple[str, tuple[tuple[int, int], ...], int, str], QTextDocument] = OrderedDict()

    def _document(self, option: QStyleOptionViewItem, index: Index, width: int) -> QTextDocument:
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        spans = tuple(index.data(MATCH_ROLE) or ())
        key = (text, spans, max(width, 40), option.font.key())
        doc = self._cache.get(key)
        if doc is not None:
            self._cache.move_to_end(key)
            return doc
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(3)
        doc.setHtml(highlighted_html(text, list(spans)))
        doc.setTextWidth(max(width, 40))
        self._cache[key] = doc
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        draw_document(painter, opt, self._document(opt, index, opt.rect.width()))

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        view = opt.widget
        width = opt.rect.width()
        if isinstance(view, QTreeView):  # the item's width: the view's, less its indentation
            depth = 1 if view.rootIsDecorated() else 0
            parent = index.parent()
            while parent.isValid():
                depth, parent = depth + 1, parent.parent()
            width = view.viewport().width() - view.indentation() * depth - 2
        doc = self._document(opt, index, width)
        return QSize(width, int(doc.size().height()) + 1)


class SearchResults(QTreeView):
    """`sentence_chosen(document_id, row, column)`: open that document at that sentence;
    `document_chosen(document_id)`: a document's heading was activated."""

    sentence_chosen = Signal(int, int, int)
    document_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchResults")
        self.setAccessibleName("Sentences matching the library search")
        self.results = QStandardItemModel(self)
        self.setModel(self.results)
        self.setHeaderHidden(True)
        self.setIndentation(12)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # by item: only the sentences on screen are laid out (by pixel, every one is, to know the height)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        self.setItemDelegate(MatchDelegate(self))
        self.activated.connect(self._activated)  # Enter, and a double-click
        self.matches: LibraryMatches | None = None

    def show_matches(self, matches: LibraryMatches) -> None:
        self.matches = matches
        self.results.clear()
        root = self.results.invisibleRootItem()
        for group in matches.groups:
            n = len(group.hits)
            heading = QStandardItem(f"{group.title} ({n} sentence{'s' if n != 1 else ''})")
            heading.setData(group.document_id, DOC_ROLE)
            font = heading.font()
            font.setBold(True)
            heading.setFont(font)
            heading.setToolTip(group.title)
            for hit, found in zip(group.hits, group.spans, strict=True):
                english = is_english_column(hit)
                item = QStandardItem(f"{hit.segment_idx + 1}. {hit.text}")
                prefix = len(str(hit.segment_idx + 1)) + 2
                spans = [(prefix + a, prefix + b) for a, b in found]
                item.setData(group.document_id, DOC_ROLE)
                item.setData(hit.segment_idx, ROW_ROLE)
                item.setData(2 if english else 1, COLUMN_ROLE)
                item.setData(spans, MATCH_ROLE)
                item.setToolTip(f"English of: {hit.source_text}" if english else "")
                heading.appendRow(item)
            root.appendRow(heading)
            self.setExpanded(heading.index(), True)

    def clear(self) -> None:
        self.matches = None
        self.results.clear()

    def sentence_count(self) -> int:
        return self.matches.sentence_count if self.matches is not None else 0

    def focus_first(self) -> None:
        """Select the first sentence and take the keyboard (from the search box: Enter or Down)."""
        first = self.results.index(0, 0)
        if first.isValid():
            child = self.results.index(0, 0, first)
            self.setCurrentIndex(child if child.isValid() else first)
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _activated(self, index: QModelIndex) -> None:
        doc = index.data(DOC_ROLE)
        if doc is None:
            return
        row = index.data(ROW_ROLE)
        if row is None:
            self.document_chosen.emit(int(doc))
        else:
            self.sentence_chosen.emit(int(doc), int(row), int(index.data(COLUMN_ROLE)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.scheduleDelayedItemsLayout()  # wrapped sentences: heights follow the width
