"""The main window: library sidebar | document (bilingual view) | claims panel, menus, drag and drop,
and a status bar showing background jobs with a cancel button.

This module only composes and runs the window's life (start, settings, close). The work is done by
one controller per concern, each in its own module:

  library.py         the library list, its search and filters, opening and deleting documents, backups
  importing.py       files, folders, drops, pasted text, samples, password-protected PDFs
  translating.py     translation, post-editing, translation models
  claims.py          claims, tags, suggestions, the context menu
  document_tools.py  find, layout review, export

Menu commands are registered by key in `actions.py`. An operation that changes the library ends with
`window.report(Changes(...))` (see `changes.py`); every screen listening on `changed` decides whether
to refresh, so no operation has to know which screens show what it changed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import DoiChieuError
from app.core.store import Library
from app.core.store.claims import ClaimStore, Tag
from app.gui import settings, warm_up
from app.gui.claims_panel import ClaimsPanel
from app.gui.dialogs.document_properties import DocumentActions
from app.gui.dialogs.model_manager import NO_MODEL_TEXT
from app.gui.document_view import DocumentView
from app.gui.helper_process import HelperProcess
from app.gui.imports import has_paths, paths_from_urls
from app.gui.library_sidebar import LibrarySidebar
from app.gui.main_window import actions as actions_mod
from app.gui.main_window.actions import Key
from app.gui.main_window.changes import Changes
from app.gui.main_window.claims import ClaimsController
from app.gui.main_window.document_tools import DocumentTools
from app.gui.main_window.importing import ImportController
from app.gui.main_window.library import LibraryController
from app.gui.main_window.translating import TranslationController
from app.gui.wording import for_window
from app.gui.workers import Job, JobRunner

if TYPE_CHECKING:
    from app.gui.dialogs.claim_dialog import ClaimDialog

__all__ = ["Changes", "Key", "MainWindow"]


class MainWindow(QMainWindow):
    changed = Signal(object)  # Changes: what an operation changed
    document_opened = Signal(object)  # the document now shown (int), or None

    def __init__(self, library: Library | None = None) -> None:
        super().__init__()
        self.setWindowTitle("DoiChieu — Đối chiếu")
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        if library is None:
            from app.core.services.session import open_session

            library = open_session()  # today's backup and the default tags, as the command line does
        self.lib = library
        self.store = ClaimStore(self.lib)
        self.jobs = JobRunner(self)
        self.helper = HelperProcess()  # heavy core work runs there, off this process's GIL
        self.messages: list[QMessageBox] = []  # non-modal messages still open
        self.library_closed = False  # a restore could not reopen the library
        self._shown_job: Job | None = None  # the job whose progress the status bar shows

        self.sidebar: LibrarySidebar = LibrarySidebar()
        self.view: DocumentView = DocumentView()
        self.panel: ClaimsPanel = ClaimsPanel()
        self.banner = self._model_banner()
        self.doc_title = QLabel()
        self.doc_title.setObjectName("documentTitle")
        self.doc_title.setStyleSheet("font-size: 12pt; font-weight: bold; padding: 2px 4px;")
        self.welcome = self._welcome_page()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self._document_page())
        self.splitter = self._splitter()
        self.setCentralWidget(self.splitter)
        self._status_bar()

        self.library: LibraryController = LibraryController(self)
        self.importing: ImportController = ImportController(self)
        self.translation: TranslationController = TranslationController(self)
        self.claiming: ClaimsController = ClaimsController(self)
        self.tools: DocumentTools = DocumentTools(self)
        self.documents: DocumentActions = DocumentActions(self)  # rename, properties (library list F2, menu)
        self._actions = actions_mod.create_actions(self)  # by key; QWidget.actions() stays Qt's
        actions_mod.build_menus(self, self._actions, self.claiming.tag_menu)
        actions_mod.add_tag_keys(self)
        self._wire()

        self.claiming.reload_tags()
        self.library.reload_library()
        self.translation.refresh_model_state()
        self._jobs_changed()
        self._restore()
        self.show_notices()
        warm_up.start()

    # building ------------------------------------------------------------------------------------

    def _model_banner(self) -> QFrame:
        frame = QFrame()
        frame.setObjectName("noModelBanner")
        frame.setStyleSheet("#noModelBanner { background: #fef5e7; border: 1px solid #f0b27a; border-radius: 4px; }")
        text = QLabel(NO_MODEL_TEXT)
        text.setWordWrap(True)
        button = QPushButton("Models…")
        button.clicked.connect(lambda: self.translation.show_model_manager())
        lay = QHBoxLayout(frame)
        lay.addWidget(text, 1)
        lay.addWidget(button)
        return frame

    def _welcome_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("welcomePage")
        self.welcome_text = QLabel()
        self.welcome_text.setWordWrap(True)
        self.welcome_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.samples_button = QPushButton("Open the two sample documents")
        self.samples_button.setObjectName("openSamples")
        self.samples_button.clicked.connect(lambda: self.importing.open_samples())
        import_button = QPushButton("Import files…")
        import_button.clicked.connect(lambda: self.importing.choose_files())
        paste_button = QPushButton("Paste text as a new document")
        paste_button.clicked.connect(lambda: self.importing.paste_document())
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.samples_button, import_button, paste_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        lay = QVBoxLayout(page)
        lay.addStretch(1)
        lay.addWidget(self.welcome_text)
        lay.addLayout(buttons)
        lay.addStretch(2)
        return page

    def _document_page(self) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.doc_title)
        lay.addWidget(self.view, 1)
        return page

    def _splitter(self) -> QSplitter:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("mainSplitter")
        splitter.addWidget(self.sidebar)
        middle = QWidget()
        lay = QVBoxLayout(middle)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.banner)
        lay.addWidget(self.stack, 1)
        splitter.addWidget(middle)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(1, 2)  # a wider window widens the document, and the claims panel half as much
        splitter.setStretchFactor(2, 1)
        splitter.setSizes([210, 700, 410])  # the claims panel wide enough to read a claim (issue 18)
        return splitter

    def _status_bar(self) -> None:
        self.job_label = QLabel()
        self.job_bar = QProgressBar()
        self.job_bar.setMaximumWidth(220)
        self.job_bar.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.jobs.cancel_all)
        sb = self.statusBar()
        sb.addPermanentWidget(self.job_label)
        sb.addPermanentWidget(self.job_bar)
        sb.addPermanentWidget(self.cancel_button)

    def _wire(self) -> None:
        """Who hears what. Screens refresh on `changed` in this order: the library list (and tags)
        first, as the claims panel reads the tags it loads."""
        self.jobs.changed.connect(self._jobs_changed)
        self.view.selection_changed.connect(self.update_actions)
        self.view.page_pane.shown_changed.connect(self._actions[Key.PAGE_IMAGE].setChecked)
        for controller in (self.library, self.claiming, self.translation):
            self.changed.connect(controller.on_changed)
            self.document_opened.connect(controller.on_document_opened)
        self.changed.connect(lambda _c: self.update_actions())
        self.document_opened.connect(lambda _d: self.update_actions())

    # operations report what they changed ------------------------------------------------------------

    def report(self, changes: Changes) -> None:
        self.changed.emit(changes)

    def set_library(self, library: Library) -> None:
        """Work on another library from now on (after a restore); the caller closed the old one."""
        self.lib = library
        self.store = ClaimStore(library)
        self.report(Changes(library=True))
        self.show_notices()

    def show_notices(self) -> None:
        """What opening the library did to its files (e.g. a write-ahead log that did not belong to it,
        set aside), said once, without blocking."""
        if self.lib.notices:
            self.notify("\n\n".join(self.lib.notices), "Library opened", QMessageBox.Icon.Information)

    # the facade tests and the start-up code use ---------------------------------------------------------

    def open_document(self, doc_id: int) -> None:
        self.library.open_document(doc_id)

    def import_paths(self, paths: list[Any]) -> None:
        self.importing.import_paths(paths)

    def refresh_claims(self) -> None:
        """The library's claims were changed behind the window's back (a test, a script)."""
        self.report(Changes(claims=True))

    @property
    def tags(self) -> list[Tag]:
        return self.claiming.tags

    @property
    def claim_dialog(self) -> ClaimDialog | None:
        return self.claiming.dialog

    def action(self, key: Key) -> QAction:
        return self._actions[key]

    def update_actions(self) -> None:
        if not hasattr(self, "_actions"):
            return
        has_doc = self.view.doc_id() is not None
        actions_mod.update_enabled(
            self._actions,
            has_document=has_doc,
            has_selection=has_doc and bool(self.view.selected_rows()),
            translating=self.translation.running,
        )
        self.translation.update_review_actions()

    # settings --------------------------------------------------------------------------------------

    def _restore(self) -> None:
        geometry = settings.get(settings.WINDOW_GEOMETRY)
        if geometry and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1320, 820)
        for setting, splitter in (
            (settings.MAIN_SPLITTER, self.splitter),
            (settings.DOC_SPLITTER, self.view.splitter),
        ):
            state = settings.get(setting)
            if state and not state.isEmpty():
                splitter.restoreState(state)
        self.view.page_image_wanted = settings.get(settings.PAGE_IMAGE)  # shown again for a scan
        self.view.page_pane.set_zoom(settings.get(settings.PAGE_ZOOM))
        self.library.open_last_document()

    def _save(self) -> None:
        self.library.remember_reading()  # the open document reopens at this sentence
        settings.put(settings.WINDOW_GEOMETRY, self.saveGeometry())
        settings.put(settings.MAIN_SPLITTER, self.splitter.saveState())
        settings.put(settings.DOC_SPLITTER, self.view.splitter.saveState())
        settings.put(settings.PAGE_IMAGE, self.view.page_image_wanted)
        settings.put(settings.PAGE_ZOOM, self.view.page_pane.zoom_mode())
        settings.put(settings.LAST_DOCUMENT, self.view.doc_id() or 0)

    def close_dialogs(self) -> None:
        for box in list(self.messages):
            box.close()
        self.documents.close_dialogs()
        for controller in (self.claiming, self.translation, self.tools):
            controller.close_dialogs()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save()
        self.jobs.cancel_all()
        self.jobs.wait(10_000)  # translation stops after its current batch; imports finish their file
        self.helper.shutdown()
        self.close_dialogs()
        self.view.clear()  # no more lazy fetches from a closed library
        if not self.library_closed:
            self.lib.close()
            self.library_closed = True
        super().closeEvent(event)

    # messages and jobs ----------------------------------------------------------------------------

    def notify(self, text: str, title: str = "DoiChieu", icon: QMessageBox.Icon = QMessageBox.Icon.Warning) -> None:
        """A message that does not block: the user keeps working while it is open."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Close, self)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _r, b=box: self.messages.remove(b) if b in self.messages else None)
        self.messages.append(box)
        box.show()
        self.statusBar().showMessage(text.splitlines()[0], 8000)

    def failed(self, err: BaseException, what: str = "") -> None:
        if isinstance(err, DoiChieuError):
            self.notify(f"{what}{for_window(err)}")
        else:
            raise err  # a bug: the global exception hook logs it and shows the log's path

    def _jobs_changed(self) -> None:
        running = [job for job in self.jobs.jobs if job.shown]
        self.job_bar.setVisible(bool(running))
        self.cancel_button.setVisible(any(j.cancellable for j in running))
        self.job_label.setVisible(bool(running))
        if running:
            self.job_label.setText(running[-1].title)
            if self._shown_job is not running[-1]:
                if self._shown_job in running:
                    self._shown_job.signals.progress.disconnect(self._job_progress)
                self._shown_job = running[-1]
                self._shown_job.signals.progress.connect(self._job_progress)
        else:
            self._shown_job = None
        self.update_actions()

    def _job_progress(self, done: int, total: int, message: str) -> None:
        self.job_label.setText(message)
        self.job_bar.setRange(0, total if total > 0 else 0)
        if total > 0:
            self.job_bar.setValue(done)

    # drag and drop ------------------------------------------------------------------------------------

    # A drop is always a copy: the library keeps its own copy of the text, and accepting the *move*
    # a file manager proposes (Shift held) would let it delete the user's file.

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if has_paths(event.mimeData()) and event.possibleActions() & Qt.DropAction.CopyAction:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()

    def dragMoveEvent(self, event: Any) -> None:
        if has_paths(event.mimeData()) and event.possibleActions() & Qt.DropAction.CopyAction:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = paths_from_urls(event.mimeData().urls())
        if paths and event.possibleActions() & Qt.DropAction.CopyAction:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            self.importing.import_paths(paths)

    # help -------------------------------------------------------------------------------------------

    def show_about(self) -> None:
        from app.gui.dialogs.about import AboutDialog

        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
