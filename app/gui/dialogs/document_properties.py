"""A document's title (Rename…, F2 in the library list) and its source address, author and
publication date (Document properties…). The rules are `app.core.services.documents` (the command
line's `main.py rename` and `main.py properties` follow the same); a refused value is said in the
dialog, which stays open, and nothing is stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import DoiChieuError
from app.core.services import documents as rules
from app.gui.models import ID_ROLE
from app.gui.wording import for_window

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow


class _CheckedDialog(QDialog):
    """OK runs `apply`; a refusal (DoiChieuError) is shown in the dialog, which stays open."""

    def __init__(self, apply: Callable[[], object], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._apply = apply
        self.error = QLabel()
        self.error.setObjectName("documentError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b03a2e;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def accept(self) -> None:
        try:
            self._apply()
        except DoiChieuError as err:
            self.error.setText(for_window(err))
            return
        super().accept()


class RenameDialog(_CheckedDialog):
    def __init__(self, title: str, apply: Callable[[str], object], parent: QWidget | None = None) -> None:
        super().__init__(lambda: apply(self.title.text()), parent)
        self.setWindowTitle("Rename document")
        self.setObjectName("renameDocument")
        self.resize(520, 0)
        self.title = QLineEdit(title)
        self.title.setObjectName("documentTitleEdit")
        self.title.setMaxLength(rules.TITLE_MAX + 50)  # a longer one is refused with the reason, not cut silently
        self.title.selectAll()
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("Title"))
        lay.addWidget(self.title)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)


class DocumentPropertiesDialog(_CheckedDialog):
    def __init__(
        self,
        title: str,
        facts: rules.DocumentFacts,
        apply: Callable[[str, str, str], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(lambda: apply(self.url.text(), self.author.text(), self.published.text()), parent)
        self.setWindowTitle(f"Document properties — {title}")
        self.setObjectName("documentProperties")
        self.resize(560, 0)
        self.url = QLineEdit(facts.source_url)
        self.url.setObjectName("sourceUrl")
        self.url.setPlaceholderText("https://… (where the document comes from)")
        self.author = QLineEdit(facts.author)
        self.author.setObjectName("author")
        self.published = QLineEdit(facts.published)
        self.published.setObjectName("published")
        self.published.setPlaceholderText("YYYY, YYYY-MM or YYYY-MM-DD")
        form = QFormLayout()
        form.addRow("Source URL", self.url)
        form.addRow("Author", self.author)
        form.addRow("Published", self.published)
        note = QLabel("Shown in the header of every report of this document.")
        note.setStyleSheet("color: #707070;")
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(note)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)


class DocumentActions(QObject):
    """Rename… and Document properties… for the window: from the Document menu (the open document),
    from the library list's context menu and with F2 there (the document under the cursor / current)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.dialog: QDialog | None = None
        lst = window.sidebar.list
        lst.installEventFilter(self)
        lst.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        lst.customContextMenuRequested.connect(self._context_menu)
        window.document_opened.connect(self.show_facts)

    def show_facts(self, doc_id: int | None) -> None:
        """The open document's source URL, author and date as the title's tooltip (as reports print them)."""
        tip = ""
        if doc_id is not None:
            try:
                facts = rules.document_facts(self.w.lib, doc_id)
            except DoiChieuError:
                facts = rules.DocumentFacts()
            known = (("Source", facts.source_url), ("Author", facts.author), ("Published", facts.published))
            tip = "\n".join(f"{label}: {value}" for label, value in known if value)
        self.w.doc_title.setToolTip(tip or "No source URL, author or date yet: Document › Document properties…")

    # F2 in the list: its own key there (elsewhere F2 edits the English) ------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_F2 and not event.modifiers():
            if event.type() == QEvent.Type.ShortcutOverride:
                event.accept()  # the list takes F2 before the window's Edit English shortcut
                return True
            if event.type() == QEvent.Type.KeyPress:
                doc_id = self._list_document()
                if doc_id is not None:
                    self.rename(doc_id)
                return True
        return super().eventFilter(obj, event)

    def _list_document(self, pos: QPoint | None = None) -> int | None:
        lst = self.w.sidebar.list
        index = lst.indexAt(pos) if pos is not None else lst.currentIndex()
        if not index.isValid():
            return None
        doc_id = index.data(ID_ROLE)
        return int(doc_id) if doc_id is not None else None

    def _context_menu(self, pos: QPoint) -> None:
        doc_id = self._list_document(pos)
        if doc_id is None:
            return
        menu = QMenu(self.w)
        menu.addAction("&Rename…\tF2", lambda: self.rename(doc_id))
        menu.addAction("Document &properties…", lambda: self.edit_properties(doc_id))
        menu.exec(self.w.sidebar.list.viewport().mapToGlobal(pos))

    # the dialogs -------------------------------------------------------------------------------------

    def rename_current(self) -> None:
        doc_id = self.w.view.doc_id()
        if doc_id is not None:
            self.rename(doc_id)

    def properties_current(self) -> None:
        doc_id = self.w.view.doc_id()
        if doc_id is not None:
            self.edit_properties(doc_id)

    def rename(self, doc_id: int) -> RenameDialog | None:
        try:
            title = self.w.lib.document(doc_id).title
        except DoiChieuError as err:
            self.w.notify(for_window(err))
            return None
        dialog = RenameDialog(title, lambda new: self._renamed(doc_id, rules.rename_document(self.w.lib, doc_id, new)))
        self._show(dialog)
        return dialog

    def _renamed(self, doc_id: int, title: str) -> None:
        from app.gui.main_window.changes import Changes

        if self.w.view.doc_id() == doc_id:
            self.w.doc_title.setText(title)
        self.w.report(Changes(documents=True))  # the list shows the new title (the text is unchanged)
        if self.w.view.doc_id() == doc_id:
            self.w.sidebar.select(doc_id)

    def edit_properties(self, doc_id: int) -> DocumentPropertiesDialog | None:
        try:
            title = self.w.lib.document(doc_id).title
            facts = rules.document_facts(self.w.lib, doc_id)
        except DoiChieuError as err:
            self.w.notify(for_window(err))
            return None

        def apply(url: str, author: str, published: str) -> None:
            rules.set_document_facts(self.w.lib, doc_id, source_url=url, author=author, published=published)
            if self.w.view.doc_id() == doc_id:
                self.show_facts(doc_id)
            self.w.statusBar().showMessage(f"Saved the properties of “{title}”", 5000)

        dialog = DocumentPropertiesDialog(title, facts, apply)
        self._show(dialog)
        return dialog

    def _show(self, dialog: QDialog) -> None:
        if self.dialog is not None:
            self.dialog.close()
        dialog.setParent(self.w, dialog.windowFlags())
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog = dialog
        dialog.finished.connect(lambda _r, d=dialog: setattr(self, "dialog", None) if self.dialog is d else None)
        dialog.open()

    def close_dialogs(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
