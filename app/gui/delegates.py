"""Painting sentence cells: wrapped text, claims highlighted in their tag's colour, and markers for
the English column (✓ machine English you accepted, ✎ your edit, ⚠ a translation to check)."""

from __future__ import annotations

import html
from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QPlainTextEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app.core.translate import review
from app.core.translate.checks import describe
from app.gui.models import SPANS_ROLE, TRANSLATION_ROLE, Span

Index = QModelIndex | QPersistentModelIndex
PAD = 4
CACHE_SIZE = 600  # cells: a few screens' worth
PARTNER_BG = QColor("#e3eefa")


def span_html(text: str, spans: list[Span]) -> str:
    """`text` as HTML with each claim span on its tag's colour (overlaps: the later claim wins)."""
    if not spans:
        return html.escape(text)
    colors: list[str | None] = [None] * len(text)
    for sp in spans:
        for i in range(max(sp.start, 0), min(sp.end, len(text))):
            colors[i] = sp.color
    out: list[str] = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and colors[j] == colors[i]:
            j += 1
        chunk = html.escape(text[i:j])
        out.append(f'<span style="background-color:{colors[i]}">{chunk}</span>' if colors[i] else chunk)
        i = j
    return "".join(out)


def draw_document(painter: QPainter, opt: QStyleOptionViewItem, doc: QTextDocument) -> None:
    """Draws a cell's rich text in the cell, in the text colour of a selected or plain row."""
    ctx = QAbstractTextDocumentLayout.PaintContext()
    selected = bool(opt.state & QStyle.StateFlag.State_Selected)
    role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
    ctx.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(QPalette.ColorGroup.Active, role))
    painter.save()
    painter.translate(opt.rect.topLeft())
    painter.setClipRect(QRectF(0, 0, opt.rect.width(), opt.rect.height()))
    doc.documentLayout().draw(painter, ctx)
    painter.restore()


class SentenceDelegate(QStyledItemDelegate):
    """`accept_requested`: Ctrl+Enter in the post-edit editor (commit, then go to the next sentence).
    `revert_requested`: Ctrl+Z in the editor with nothing left to undo there (back to the machine English)."""

    accept_requested = Signal()
    revert_requested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.partner_row = -1  # the current sentence: its other-language cell is tinted
        self._cache: OrderedDict[tuple[Any, ...], QTextDocument] = OrderedDict()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (
            isinstance(obj, QPlainTextEdit)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.commitData.emit(obj)
            self.closeEditor.emit(obj, QAbstractItemDelegate.EndEditHint.NoHint)
            self.accept_requested.emit()
            return True
        if (
            isinstance(obj, QPlainTextEdit)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Undo)
            and not obj.document().isUndoAvailable()
        ):
            self.revert_requested.emit()  # the window reverts if the English is an edit (else nothing)
            return True
        return super().eventFilter(obj, event)

    def _document(self, option: QStyleOptionViewItem, index: Index, width: int) -> QTextDocument:
        """Laid-out text of a cell; cached, since sizing and painting both need it (layout is the
        expensive part of showing a screenful of sentences)."""
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        spans = index.data(SPANS_ROLE) or []
        tr = index.data(TRANSLATION_ROLE) if index.column() == 2 else None
        key = (
            text,
            tuple(spans),
            tr.kind if tr else None,
            tr.reviewed if tr else False,
            tuple(tr.flags) if tr else (),
            str(index.sibling(index.row(), 1).data(Qt.ItemDataRole.DisplayRole) or "") if tr and tr.flags else "",
            index.column(),
            width,
            option.font.key(),
        )
        doc = self._cache.get(key)
        if doc is not None:
            self._cache.move_to_end(key)
            return doc
        doc = self._layout(option, index, text, spans, tr, width)
        self._cache[key] = doc
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return doc

    def _layout(
        self, option: QStyleOptionViewItem, index: Index, text: str, spans: list[Span], tr: Any, width: int
    ) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(PAD)
        state = review.state_of(tr)
        plain = not spans and (tr is None or (state not in {review.EDITED, review.REVIEWED} and not tr.flags))
        if plain and (tr is not None or index.column() != 2):
            doc.setPlainText(text)  # most cells: no markup to parse
            doc.setTextWidth(max(width, 20))
            return doc
        body = span_html(text, spans)
        if tr is not None:
            if state == review.EDITED:
                body = f'<span style="color:#1a5276">✎ </span><i style="color:#1a5276">{body}</i>'
            elif state == review.REVIEWED:  # machine English the user accepted unchanged
                body = f'<span style="color:#1e8449">✓ </span>{body}'
            if tr.flags:  # the reason in words under the English (checks.describe: one formatter)
                vi = str(index.sibling(index.row(), 1).data(Qt.ItemDataRole.DisplayRole) or "")
                why = html.escape(describe(vi, tr.text, tr.flags))
                body = f'<span style="color:#b9770e">⚠ </span>{body}<br><small style="color:#b9770e">{why}</small>'
        elif index.column() == 2:
            body = '<span style="color:#a0a0a0">…</span>'
        doc.setHtml(body)
        doc.setTextWidth(max(width, 20))
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if index.row() == self.partner_row and not opt.state & QStyle.StateFlag.State_Selected and index.column():
            painter.fillRect(opt.rect, PARTNER_BG)
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        opt.text = text
        draw_document(painter, opt, self._document(opt, index, opt.rect.width()))

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        view = opt.widget
        width = view.columnWidth(index.column()) if hasattr(view, "columnWidth") else opt.rect.width()
        doc = self._document(opt, index, width)
        return QSize(width, int(doc.size().height()) + 1)

    # post-editing the English: a multi-line editor, Ctrl+Enter handled by the view ------------------

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QPlainTextEdit(parent)
        editor.setTabChangesFocus(True)
        editor.setObjectName("postEditor")
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QPlainTextEdit)
        editor.setPlainText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        editor.selectAll()

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QPlainTextEdit)
        model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: Index) -> None:
        rect = option.rect
        editor.setGeometry(rect.adjusted(0, 0, 0, max(0, 60 - rect.height())))
