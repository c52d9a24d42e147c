"""The library: documents, a search box (titles and text, either language) with the matching sentences
under the list, and tag/verdict filters."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QListView, QSplitter, QVBoxLayout, QWidget

from app.core.services.search import LibraryMatches
from app.core.store.claims import VERDICTS
from app.gui.models import ID_ROLE, DocumentListModel
from app.gui.search_results import SearchResults

ANY_TAG = "any tag"
ANY_VERDICT = "any verdict"


class LibrarySidebar(QWidget):
    document_chosen = Signal(int)
    filters_changed = Signal()  # the window computes the matching ids (search in a worker)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DocumentListModel(self)
        self.search = QLineEdit()
        self.search.setObjectName("librarySearch")
        self.search.setPlaceholderText("Search titles and sentences (accents optional)")
        self.search.setClearButtonEnabled(True)
        self.tag = QComboBox()
        self.tag.addItem(ANY_TAG)
        self.verdict = QComboBox()
        self.verdict.addItems([ANY_VERDICT, *VERDICTS])
        self.list = QListView()
        self.list.setObjectName("documentList")
        self.list.setModel(self.model)
        self.list.setUniformItemSizes(True)
        self.list.activated.connect(self._chosen)
        self.list.clicked.connect(self._chosen)
        self.results = SearchResults()  # the matching sentences, while the search box holds words
        self.results_label = QLabel()  # "12 sentences in 2 documents"
        self.results_label.setObjectName("searchResultsLabel")
        self.results_box = QWidget()
        rl = QVBoxLayout(self.results_box)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.results_label)
        rl.addWidget(self.results, 1)
        self.results_box.hide()
        self.status = QLabel()
        self.status.setObjectName("libraryStatus")
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #707070;")
        # typing waits for a pause before searching
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.filters_changed)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self._search_now)
        self.search.installEventFilter(self)
        self._focus_results = False  # Enter was pressed before the results came
        self.tag.currentIndexChanged.connect(self.filters_changed)
        self.verdict.currentIndexChanged.connect(self.filters_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(QLabel("<b>Library</b>"))
        layout.addWidget(self.search)
        filters = QHBoxLayout()
        filters.addWidget(self.tag, 1)
        filters.addWidget(self.verdict, 1)
        layout.addLayout(filters)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("librarySplitter")
        self.splitter.addWidget(self.list)
        self.splitter.addWidget(self.results_box)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.status)

    # the search box: Enter searches at once and goes to the sentences, Down goes to them ---------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (
            obj is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and self.results_box.isVisible()
        ):
            self.results.focus_first()
            return True
        return super().eventFilter(obj, event)

    def _search_now(self) -> None:
        if self._debounce.isActive():
            self._debounce.stop()
            self._focus_results = True
            self.filters_changed.emit()
        elif self.results_box.isVisible():
            self.results.focus_first()

    def search_soon(self) -> None:
        """Search again after the typing pause (the library changed under the listed sentences)."""
        self._debounce.start()

    def show_matches(self, matches: LibraryMatches | None) -> None:
        """The sentences the search found (None: no words searched for)."""
        if matches is None or not matches.query:
            self.results.clear()
            self.results_box.hide()
            self._focus_results = False
            return
        self.results.show_matches(matches)
        n, docs = matches.sentence_count, len(matches.groups)
        more = "+" if matches.truncated else ""
        found = f"{n}{more} sentence{'s' if n != 1 else ''} in {docs} document{'s' if docs != 1 else ''}"
        self.results_label.setText(f"<b>Sentences</b>: {found}" if n else "<b>Sentences</b>: none match")
        self.results_box.show()
        if self._focus_results:
            self._focus_results = False
            self.results.focus_first()

    def set_tags(self, names: list[str]) -> None:
        current = self.tag.currentText()
        self.tag.blockSignals(True)
        self.tag.clear()
        self.tag.addItems([ANY_TAG, *names])
        self.tag.setCurrentText(current if current in names else ANY_TAG)
        self.tag.blockSignals(False)

    def query(self) -> tuple[str, str | None, str | None]:
        tag = self.tag.currentText()
        verdict = self.verdict.currentText()
        return (
            self.search.text().strip(),
            None if tag in ("", ANY_TAG) else tag,
            None if verdict in ("", ANY_VERDICT) else verdict,
        )

    def select(self, doc_id: int) -> None:
        row = self.model.row_of(doc_id)
        if row >= 0:
            self.list.setCurrentIndex(self.model.index(row, 0))

    def _chosen(self, index: QModelIndex) -> None:
        doc_id = self.model.data(index, ID_ROLE)
        if doc_id is not None:
            self.document_chosen.emit(int(doc_id))

    def update_status(self) -> None:
        shown, total = self.model.rowCount(), len(self.model._all)
        self.status.setText(f"{total} documents" if shown == total else f"{shown} of {total} documents")
