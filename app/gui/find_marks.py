"""In-document find (Ctrl+F) marks: every match's words on a highlight in the sentence table, the
current match in a stronger colour (as browsers and editors do), drawn over what the sentence
delegate lays out (claims, ✎ and ⚠ stay as they are)."""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QStyleOptionViewItem

from app.core.services.search import match_spans
from app.gui.delegates import SentenceDelegate

Index = QModelIndex | QPersistentModelIndex
MATCH_BG = QColor("#fff176")
CURRENT_BG = QColor("#ff9632")
CACHE_SIZE = 200


class FindDelegate(SentenceDelegate):
    """The sentence delegate, with the find's matches marked. `set_matches(query, cells, current)`:
    the words of `query` are marked in each (row, column) of `cells`; `current` is the one shown."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.find_query = ""
        self.find_cells: set[tuple[int, int]] = set()
        self.find_current: tuple[int, int] | None = None
        self._marked: OrderedDict[tuple[int, bool, str], tuple[QTextDocument, QTextDocument]] = OrderedDict()

    def set_matches(self, query: str, cells: set[tuple[int, int]], current: tuple[int, int] | None) -> None:
        if query != self.find_query or cells != self.find_cells:
            self._marked.clear()
        self.find_query, self.find_cells, self.find_current = query, cells, current

    def clear_matches(self) -> None:
        self.set_matches("", set(), None)

    def marked_words(self, row: int, column: int, text: str) -> list[str]:
        """The words marked in a cell (what a test or a screen reader can check)."""
        if not self.find_query or (row, column) not in self.find_cells:
            return []
        return [text[a:b] for a, b in match_spans(text, self.find_query)]

    def _document(self, option: QStyleOptionViewItem, index: Index, width: int) -> QTextDocument:
        doc = super()._document(option, index, width)
        cell = (index.row(), index.column())
        if not self.find_query or cell not in self.find_cells:
            return doc
        key = (id(doc), cell == self.find_current, self.find_query)
        cached = self._marked.get(key)
        if cached is not None and cached[0] is doc:
            self._marked.move_to_end(key)
            return cached[1]
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        marked = doc.clone()
        marked.setDefaultFont(doc.defaultFont())
        marked.setDocumentMargin(doc.documentMargin())
        fmt = QTextCharFormat()
        fmt.setBackground(CURRENT_BG if cell == self.find_current else MATCH_BG)
        plain = marked.toPlainText()
        pos = 0
        for start, end in match_spans(text, self.find_query):
            word = text[start:end]
            at = plain.find(word, pos)  # the cell's text may follow a marker (✎, ⚠) in the layout
            if at < 0:
                continue
            cursor = QTextCursor(marked)
            cursor.setPosition(at)
            cursor.setPosition(at + len(word), QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(fmt)
            pos = at + len(word)
        marked.setTextWidth(doc.textWidth())
        self._marked[key] = (doc, marked)
        if len(self._marked) > CACHE_SIZE:
            self._marked.popitem(last=False)
        return marked
