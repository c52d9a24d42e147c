"""The reader's OCR parts (issue 17).

`OcrPane`: under the sentence panes, for a paragraph read by OCR, a line giving its confidence and page
(below `ocr.LOW_CONFIDENCE`: "read by OCR — check against the page") and a button that opens the
page image beside the text.

`PageImagePane`: beside the text (View › Show page image), the page kept at import (`page_images`)
of the selected sentence, scaled to fit, following the selection. The JPEG is read from the library
on the window's thread (one indexed row) and decoded on a pool thread, so moving through a long scan
never holds the window; a decode that arrives after the selection moved on is dropped."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QRect, QRunnable, QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QColor, QImage, QImageReader, QPainter, QPaintEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core import ocr_marks
from app.core.store import Library


class _Decoded(QObject):
    done = Signal(int, int, QImage)  # request number, page, the image (null when it could not be read)


class _Decode(QRunnable):
    def __init__(self, token: int, page: int, data: bytes, signals: _Decoded) -> None:
        super().__init__()
        self.token, self.page, self.data, self.signals = token, page, data, signals

    def run(self) -> None:  # a pool thread: QImage (not QPixmap) may be made here
        # QImageReader.read lets go of Python's lock while it decodes; QImage.fromData holds it, so the
        # window's thread stood still for the whole decode (measured: QThreadPool.start took ~100 ms)
        buffer = QBuffer()
        buffer.setData(QByteArray(self.data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        image = QImageReader(buffer).read()
        with contextlib.suppress(RuntimeError):  # the pane was closed meanwhile (its signals are gone)
            self.signals.done.emit(self.token, self.page, image)


FIT_PAGE, FIT_WIDTH, ACTUAL_SIZE = "page", "width", "actual"
ZOOMS = {FIT_PAGE: "Fit page", FIT_WIDTH: "Fit width", ACTUAL_SIZE: "100 %"}


class PageCanvas(QWidget):
    """A page image scaled to fit the widget (aspect kept, centred) or at its own size (`actual`), or a
    line of text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pageCanvas")
        self.setMinimumSize(160, 200)
        self.image = QImage()
        self.text = ""
        self.actual = False
        self._scaled: QPixmap | None = None

    def set_image(self, image: QImage) -> None:
        self.image, self.text, self._scaled = image, "", None
        self.update()

    def set_text(self, text: str) -> None:
        self.image, self.text, self._scaled = QImage(), text, None
        self.update()

    def shown_size(self) -> QSize:
        """The size the page is drawn at (fits the widget)."""
        if self.image.isNull():
            return QSize()
        if self.actual:
            return self.image.size()
        return self.image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._scaled = None
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#e5e7e9"))
        if self.image.isNull():
            painter.setPen(QColor("#5d6d7e"))
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            painter.drawText(self.rect().adjusted(12, 12, -12, -12), int(flags), self.text)
            return
        size = self.shown_size()
        if self._scaled is None or self._scaled.size() != size:  # scaled once per size, not per paint
            self._scaled = QPixmap.fromImage(
                self.image.scaled(size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
            )
        x = (self.width() - size.width()) // 2
        y = (self.height() - size.height()) // 2
        painter.drawPixmap(QRect(x, y, size.width(), size.height()), self._scaled)


class _Scroll(QScrollArea):
    def __init__(self, resized: Callable[[], None]) -> None:
        super().__init__()
        self._resized = resized

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._resized()


class PageImagePane(QWidget):
    """The page image beside the text. `shown_changed(bool)` when it is shown or hidden (the View
    menu's check mark follows it); `shown_page` is the page whose image is on screen (None: none)."""

    shown_changed = Signal(bool)
    hide_requested = Signal()  # its × button: the user no longer wants the page image
    page_shown = Signal(int)  # a page's image is on screen (decoded)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pageImagePane")
        self.title = QLabel()
        self.title.setObjectName("pageImageTitle")
        self.title.setStyleSheet("font-weight: bold;")
        self.previous = QToolButton()
        self.previous.setText("◀")
        self.previous.setToolTip("Previous page read by OCR")
        self.next = QToolButton()
        self.next.setText("▶")
        self.next.setToolTip("Next page read by OCR")
        self.close_button = close = QToolButton()
        close.setObjectName("hidePageImage")
        close.setText("×")
        close.setToolTip("Hide the page image (View › Show page image)")
        close.setAutoRaise(True)
        self.previous.clicked.connect(lambda: self._step(-1))
        self.next.clicked.connect(lambda: self._step(1))
        close.clicked.connect(self.hide_requested)
        self.zoom = QComboBox()
        self.zoom.setObjectName("pageZoom")
        self.zoom.setToolTip("Fit the page, fit its width (scroll down the page) or show it at its own size")
        for mode, label in ZOOMS.items():
            self.zoom.addItem(label, mode)
        self.zoom.currentIndexChanged.connect(lambda _index: self._relayout())
        head = QHBoxLayout()
        head.setContentsMargins(4, 2, 2, 2)
        head.addWidget(self.title, 1)
        head.addWidget(self.zoom)
        head.addWidget(self.previous)
        head.addWidget(self.next)
        head.addWidget(close)
        self.canvas = PageCanvas()
        self.scroller = _Scroll(self._relayout)
        self.scroller.setObjectName("pageScroll")
        self.scroller.setWidget(self.canvas)
        self.scroller.setWidgetResizable(False)
        self.scroller.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addLayout(head)
        lay.addWidget(self.scroller, 1)
        self.where: float | None = None  # how far down its page the selected sentence is (0-1), if known
        self.lib: Library | None = None
        self.doc_id = 0
        self.pages: list[int] = []  # pages kept as images
        self.page: int | None = None  # the page asked for
        self.shown_page: int | None = None  # the page whose image is on screen
        self._token = 0
        self._decoded = _Decoded(self)
        self._decoded.done.connect(self._image_ready)
        self.hide()

    def load(self, lib: Library, doc_id: int) -> None:
        self.lib, self.doc_id = lib, doc_id
        self.pages = lib.page_image_numbers(doc_id)
        self.page = self.shown_page = None
        self._token += 1
        self._say("")
        self._show_first()

    def clear(self) -> None:
        self.lib, self.doc_id, self.pages = None, 0, []
        self.page = self.shown_page = None
        self._token += 1
        self._say("")
        self.title.clear()

    def set_shown(self, shown: bool) -> None:
        if shown != self.isHidden():
            return
        self.setVisible(shown)
        if shown and self.page is not None:
            wanted, self.page = self.page, None
            self.show_page(wanted)  # what was asked while hidden
        else:
            self._show_first()
        self.shown_changed.emit(shown)

    def _show_first(self) -> None:
        if self.page is None and not self.isHidden():
            if self.pages:
                self.show_page(self.pages[0])
            else:
                self.title.setText("No page image")
                self._say(
                    "This document was not read by OCR: its text came from the file itself, so no page image was kept."
                )
                self._buttons()

    def _say(self, text: str) -> None:
        self.canvas.set_text(text)
        self._relayout()

    def zoom_mode(self) -> str:
        return str(self.zoom.currentData() or FIT_PAGE)

    def set_zoom(self, mode: str) -> None:
        self.zoom.setCurrentIndex(max(0, self.zoom.findData(mode)))

    def show_page(self, page: int, where: float | None = None) -> None:
        """Show `page` (decoded off this thread), scrolled so that the point `where` (0-1 of the page's
        text) is in view when the page is larger than the pane; while hidden, only remember it."""
        self.where = where
        if page == self.page:
            self._scroll_to_where()
            return
        self.page = page
        if self.isHidden() or self.lib is None:
            return
        self._token += 1
        self.title.setText(f"Page {page} as scanned")
        self._buttons()
        found = self.lib.page_image(self.doc_id, page) if page in self.pages else None
        if found is None:
            self.shown_page = None
            self._say(f"Page {page} was not read by OCR (its text came from the PDF's text layer): no image was kept.")
            return
        self._say(f"Page {page}…")
        QThreadPool.globalInstance().start(_Decode(self._token, page, found[1], self._decoded))

    def _image_ready(self, token: int, page: int, image: QImage) -> None:
        if token != self._token:
            return  # the selection moved on
        if image.isNull():
            self.shown_page = None
            self._say(f"The image kept of page {page} could not be read.")
            return
        self.shown_page = page
        self.canvas.set_image(image)
        self._relayout()
        self.page_shown.emit(page)

    def _relayout(self) -> None:
        """Size the canvas for the zoom: the pane (fit page), the pane's width and the page's height
        (fit width) or the image's own size (100 %); then scroll to the selected sentence."""
        frame = 2 * self.scroller.frameWidth()
        inner = QSize(max(1, self.scroller.width() - frame), max(1, self.scroller.height() - frame))  # no scroll bars
        image = self.canvas.image
        mode = self.zoom_mode()
        self.canvas.actual = mode == ACTUAL_SIZE and not image.isNull()
        if image.isNull() or mode == FIT_PAGE:
            self.canvas.resize(inner)
        elif mode == FIT_WIDTH:
            width = inner.width()
            height = round(image.height() * width / max(1, image.width()))
            if height > inner.height():  # a vertical scroll bar takes its share of the width
                width -= self.scroller.verticalScrollBar().sizeHint().width()
                height = round(image.height() * width / max(1, image.width()))
            self.canvas.resize(width, max(height, 1))
        else:
            self.canvas.resize(image.width(), image.height())
        self._scroll_to_where()

    def _scroll_to_where(self) -> None:
        bar = self.scroller.verticalScrollBar()
        if self.where is None or self.canvas.image.isNull() or bar.maximum() <= 0:
            return
        shown = self.canvas.shown_size().height()
        top = (self.canvas.height() - shown) // 2
        bar.setValue(int(top + self.where * shown - self.scroller.viewport().height() / 3))

    def _neighbour(self, delta: int) -> int | None:
        """The nearest page kept as an image before (delta < 0) or after the page shown."""
        if self.page is None:
            return self.pages[0] if self.pages else None
        here = self.page
        found = [p for p in self.pages if (p > here if delta > 0 else p < here)]
        return (found[0] if delta > 0 else found[-1]) if found else None

    def _buttons(self) -> None:
        self.previous.setEnabled(self._neighbour(-1) is not None)
        self.next.setEnabled(self._neighbour(1) is not None)

    def _step(self, delta: int) -> None:
        page = self._neighbour(delta)
        if page is not None:
            self.show_page(page)


class OcrPane(QWidget):
    """The line "⚠ Read by OCR — check against the page (confidence 62 %). Page 1." and [Show the page];
    hidden for paragraphs not read by OCR."""

    page_requested = Signal()  # the button: show the page image beside the text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ocrPane")
        self.label = QLabel()
        self.label.setObjectName("ocrHint")
        self.label.setWordWrap(True)
        self.button = QPushButton("Show the page")
        self.button.setObjectName("showPageImage")
        self.button.setToolTip("The page as scanned, beside the text (View › Show page image)")
        self.button.clicked.connect(self.page_requested)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.button)
        self.marks: dict[int, tuple[int | None, float]] = {}
        self.pages: list[int] = []
        self.page: int | None = None
        self.hide()

    def load(self, lib: Library, doc_id: int) -> None:
        self.marks = lib.ocr_marks(doc_id)
        self.pages = lib.page_image_numbers(doc_id)
        self.page = None
        self.hide()

    def show_for(self, paragraph_ids: list[int]) -> None:
        """The OCR line for the paragraphs of the selected sentences (the least confident speaks)."""
        marked = [self.marks[p] for p in paragraph_ids if p in self.marks]
        if not marked:
            self.page = None
            self.hide()
            return
        page, confidence = min(marked, key=lambda m: m[1])
        self.page = page if page is not None else next(iter(self.pages), None)
        if ocr_marks.is_low(confidence):
            mark = ocr_marks.mark(confidence)
            text = f"⚠ {mark[0].upper()}{mark[1:]}."
        else:
            text = f"Read by OCR (confidence {confidence:.0f} %)."
        if page is not None:
            text += f" Page {page}."
        self.label.setText(text)
        self.button.setEnabled(self.page in self.pages)
        self.show()
