"""The reader's OCR parts (issue 17).

`OcrPane`: under the sentence panes, for a paragraph read by OCR, a line giving its confidence and page
(below `ocr.LOW_CONFIDENCE`: "read by OCR — check against the page") and a button that opens the
page image beside the text.

`PageImagePane`: beside the text (View › Show page image), the page kept at import (`page_images`)
of the selected sentence, scaled to fit, following the selection. The JPEG is read from the library
on the window's thread (one indexed row) and decoded on a pool thread, so moving through a long scan
never holds the window; a decode that arrives after the selection moved on is dropped."""

from __future__ import annotations

from PySide6.QtCore import QObject, QRect, QRunnable, QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QToolButton, QVBoxLayout, QWidget

from app.core import ocr_marks
from app.core.store import Library


class _Decoded(QObject):
    done = Signal(int, int, QImage)  # request number, page, the image (null when it could not be read)


class _Decode(QRunnable):
    def __init__(self, token: int, page: int, data: bytes, signals: _Decoded) -> None:
        super().__init__()
        self.token, self.page, self.data, self.signals = token, page, data, signals

    def run(self) -> None:  # a pool thread: QImage (not QPixmap) may be made here
        image = QImage.fromData(self.data)
        self.signals.done.emit(self.token, self.page, image)


class PageCanvas(QWidget):
    """A page image scaled to fit the widget (aspect kept, centred), or a line of text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pageCanvas")
        self.setMinimumSize(160, 200)
        self.image = QImage()
        self.text = ""
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


class PageImagePane(QWidget):
    """The page image beside the text. `shown_changed(bool)` when it is shown or hidden (the View
    menu's check mark follows it); `shown_page` is the page whose image is on screen (None: none)."""

    shown_changed = Signal(bool)
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
        close.clicked.connect(lambda: self.set_shown(False))
        head = QHBoxLayout()
        head.setContentsMargins(4, 2, 2, 2)
        head.addWidget(self.title, 1)
        head.addWidget(self.previous)
        head.addWidget(self.next)
        head.addWidget(close)
        self.canvas = PageCanvas()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addLayout(head)
        lay.addWidget(self.canvas, 1)
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
        self.canvas.set_text("")
        self._show_first()

    def clear(self) -> None:
        self.lib, self.doc_id, self.pages = None, 0, []
        self.page = self.shown_page = None
        self._token += 1
        self.canvas.set_text("")
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
                self.canvas.set_text(
                    "This document was not read by OCR: its text came from the file itself, so no page image was kept."
                )
                self._buttons()

    def show_page(self, page: int) -> None:
        """Show `page` (decoded off this thread); while hidden, only remember it."""
        if page == self.page:
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
            self.canvas.set_text(
                f"Page {page} was not read by OCR (its text came from the PDF's text layer): no image was kept."
            )
            return
        self.canvas.set_text(f"Page {page}…")
        QThreadPool.globalInstance().start(_Decode(self._token, page, found[1], self._decoded))

    def _image_ready(self, token: int, page: int, image: QImage) -> None:
        if token != self._token:
            return  # the selection moved on
        if image.isNull():
            self.shown_page = None
            self.canvas.set_text(f"The image kept of page {page} could not be read.")
            return
        self.shown_page = page
        self.canvas.set_image(image)
        self.page_shown.emit(page)

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
