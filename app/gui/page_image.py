"""The reader's OCR pane (issue 17): for a document read by OCR, under the sentence panes, a line that
says the selected paragraph was read by OCR (and, below `ocr.LOW_CONFIDENCE`, to check it against
the page) with a button that shows the page image kept at import (`page_images`) beside the text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.core.ingest.ocr import CHECK, LOW_CONFIDENCE
from app.core.store import Library


class PageImageDialog(QDialog):
    """One page image at a time, scrollable, with the previous/next page read by OCR."""

    def __init__(self, lib: Library, doc_id: int, page: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pageImageDialog")
        self.setModal(False)
        self.lib, self.doc_id = lib, doc_id
        self.pages = lib.page_image_numbers(doc_id)
        self.image = QLabel()
        self.image.setObjectName("pageImage")
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea()
        scroll.setWidget(self.image)
        scroll.setWidgetResizable(True)
        self.previous = QPushButton("◀ Previous page")
        self.next = QPushButton("Next page ▶")
        self.previous.clicked.connect(lambda: self.show_page(self._step(-1)))
        self.next.clicked.connect(lambda: self.show_page(self._step(1)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.previous)
        row.addWidget(self.next)
        row.addStretch(1)
        row.addWidget(buttons)
        lay = QVBoxLayout(self)
        lay.addWidget(scroll, 1)
        lay.addLayout(row)
        self.page = -1
        self.show_page(page)
        self.resize(720, 900)

    def _step(self, delta: int) -> int:
        if self.page not in self.pages:
            return self.page
        i = self.pages.index(self.page) + delta
        return self.pages[max(0, min(i, len(self.pages) - 1))]

    def show_page(self, page: int) -> None:
        found = self.lib.page_image(self.doc_id, page)
        pixmap = QPixmap()
        if found is None or not pixmap.loadFromData(found[1]):
            self.image.setText(f"No image was kept of page {page}.")
        else:
            self.image.setPixmap(pixmap)
        self.page = page
        self.setWindowTitle(f"Page {page} as scanned")
        at = self.pages.index(page) if page in self.pages else -1
        self.previous.setEnabled(at > 0)
        self.next.setEnabled(0 <= at < len(self.pages) - 1)


class OcrPane(QWidget):
    """The line "Read by OCR — check against the page (confidence 62 %)" and [Show the page]; hidden for
    paragraphs not read by OCR."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ocrPane")
        self.label = QLabel()
        self.label.setObjectName("ocrHint")
        self.label.setWordWrap(True)
        self.button = QPushButton("Show the page…")
        self.button.setObjectName("showPageImage")
        self.button.clicked.connect(self.open_page)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.button)
        self.lib: Library | None = None
        self.doc_id = 0
        self.marks: dict[int, tuple[int | None, float]] = {}
        self.pages: list[int] = []
        self.page: int | None = None
        self.dialog: PageImageDialog | None = None
        self.hide()

    def load(self, lib: Library, doc_id: int) -> None:
        self.lib, self.doc_id = lib, doc_id
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
        if confidence < LOW_CONFIDENCE:
            text = f"⚠ {CHECK[0].upper()}{CHECK[1:]} (confidence {confidence:.0f} %)."
        else:
            text = f"Read by OCR (confidence {confidence:.0f} %)."
        if page is not None:
            text += f" Page {page}."
        self.label.setText(text)
        self.button.setEnabled(self.page in self.pages)
        self.show()

    def open_page(self) -> None:
        if self.lib is None or self.page is None:
            return
        if self.dialog is None or self.dialog.doc_id != self.doc_id:
            self.dialog = PageImageDialog(self.lib, self.doc_id, self.page, self.window())
        else:
            self.dialog.show_page(self.page)
        self.dialog.show()
        self.dialog.raise_()
