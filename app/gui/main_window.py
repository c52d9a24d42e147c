"""The main window: library sidebar | document (bilingual view) | claims panel, menus, drag and drop,
and a status bar showing background jobs with a cancel button."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.claims import workflow
from app.core.errors import CancelledError, DoiChieuError, ModelMissingError
from app.core.store import Library
from app.core.store.claims import ClaimStore, Tag
from app.core.translate.packages import list_packages
from app.gui import jobs, settings, warm_up
from app.gui.claims_panel import ClaimsPanel
from app.gui.dialogs.claim_dialog import ClaimDialog, ClaimForm
from app.gui.dialogs.layout_review import LayoutReviewDialog
from app.gui.dialogs.model_manager import NO_MODEL_TEXT, ModelManager
from app.gui.document_view import DocumentView
from app.gui.helper_process import HelperProcess
from app.gui.imports import clipboard_text, has_paths, paths_from_urls, sort_paths
from app.gui.library_sidebar import LibrarySidebar
from app.gui.resources import sample_documents
from app.gui.workers import Job, JobRunner

TRANSLATION_REFRESH_S = 0.5  # reload the English column at most this often while translating


class MainWindow(QMainWindow):
    def __init__(self, library: Library | None = None) -> None:
        super().__init__()
        self.setWindowTitle("DoiChieu — Đối chiếu")
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self.lib = library or Library.open()
        self.claims = ClaimStore(self.lib)
        self.claims.ensure_default_tags()
        self.jobs = JobRunner(self)
        self.jobs.changed.connect(self._jobs_changed)
        self.helper = HelperProcess()  # heavy core work runs there, off this process's GIL
        self.reload_engine = False  # a model was installed or removed: the helper reloads it
        self._filter_seq = 0  # library searches run on pool threads: only the newest one's result is shown
        self.translating = False
        self.messages: list[QMessageBox] = []  # non-modal messages still open
        self.export_dialog: Any = None
        self.claim_dialog: ClaimDialog | None = None
        self.review_dialog: LayoutReviewDialog | None = None
        self.model_manager: ModelManager | None = None
        self._last_refresh = 0.0
        self.tags: list[Tag] = []
        self._shown_job: Job | None = None  # the job whose progress the status bar shows

        self.sidebar = LibrarySidebar()
        self.sidebar.document_chosen.connect(self.open_document)
        self.sidebar.filters_changed.connect(self._filter_library)
        self.view = DocumentView()
        self.view.selection_changed.connect(self._update_actions)
        self.view.find_requested.connect(self._find)
        self.view.delegate.accept_requested.connect(lambda: QTimer.singleShot(0, self.accept_and_next))
        self.view.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.table.customContextMenuRequested.connect(lambda pos: self._context_menu(self.view.table, pos))
        for pane in (self.view.vi_text, self.view.en_text):
            pane.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            pane.customContextMenuRequested.connect(lambda pos, p=pane: self._context_menu(p, pos))
        self.panel = ClaimsPanel()
        self.panel.filters_changed.connect(self.refresh_claims)
        self.panel.claim_activated.connect(self.go_to_claim)
        self.panel.edit_requested.connect(self.edit_claim)
        self.panel.delete_requested.connect(self.delete_claim)
        self.panel.suggestion_activated.connect(lambda s: self.view.go_to_offset(s.start))
        self.panel.suggestion_accepted.connect(self.accept_suggestion)
        self.panel.suggestion_dismissed.connect(self.dismiss_suggestion)

        self.banner = self._model_banner()
        self.doc_title = QLabel()
        self.doc_title.setObjectName("documentTitle")
        self.doc_title.setStyleSheet("font-size: 12pt; font-weight: bold; padding: 2px 4px;")
        doc_page = QWidget()
        dl = QVBoxLayout(doc_page)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.addWidget(self.doc_title)
        dl.addWidget(self.view, 1)
        self.stack = QStackedWidget()
        self.welcome = self._welcome_page()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(doc_page)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.sidebar)
        middle = QWidget()
        ml = QVBoxLayout(middle)
        ml.setContentsMargins(0, 0, 0, 0)
        ml.addWidget(self.banner)
        ml.addWidget(self.stack, 1)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([220, 760, 340])
        self.setCentralWidget(self.splitter)

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
        self._jobs_changed()

        self._build_actions()
        self.reload_library()
        self.refresh_model_state()
        self._restore()
        warm_up.start()

    # building ------------------------------------------------------------------------------------

    def _model_banner(self) -> QFrame:
        frame = QFrame()
        frame.setObjectName("noModelBanner")
        frame.setStyleSheet("#noModelBanner { background: #fef5e7; border: 1px solid #f0b27a; border-radius: 4px; }")
        text = QLabel(NO_MODEL_TEXT)
        text.setWordWrap(True)
        button = QPushButton("Models…")
        button.clicked.connect(self.show_model_manager)
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
        self.samples_button.clicked.connect(self.open_samples)
        import_button = QPushButton("Import files…")
        import_button.clicked.connect(self.choose_files)
        paste_button = QPushButton("Paste text as a new document")
        paste_button.clicked.connect(self.paste_document)
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

    def _action(self, menu: QMenu, text: str, slot: Any, shortcut: Any = None, name: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        if name:
            action.setObjectName(name)
        menu.addAction(action)
        return action

    def _build_actions(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self._action(file, "&Import files…", self.choose_files, QKeySequence.StandardKey.Open, "importFiles")
        self._action(file, "Import a &folder…", self.choose_folder)
        self.export_action = self._action(file, "&Export…", self.show_export, "Ctrl+E", "export")
        file.addSeparator()
        self._action(file, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        edit = bar.addMenu("&Edit")
        self._action(edit, "&Paste as new document", self.paste_document, "Ctrl+Shift+V", "pasteDocument")
        self.find_action = self._action(edit, "&Find in document", self.view.open_find, QKeySequence.StandardKey.Find)
        doc = bar.addMenu("&Document")
        self.translate_action = self._action(doc, "&Translate", self.translate_document, "Ctrl+R", "translate")
        self.accept_action = self._action(doc, "&Accept and go to next", self.accept_and_next, "Ctrl+Return")
        self.post_edit_action = self._action(doc, "&Edit English", self.edit_english, "F2")
        self.review_action = self._action(doc, "&Layout review…", self.show_layout_review, "Ctrl+L", "layoutReview")
        doc.addSeparator()
        self.delete_doc_action = self._action(doc, "&Delete document…", self.delete_document)
        claims = bar.addMenu("&Claims")
        self.new_claim_action = self._action(claims, "&New claim…", self.new_claim, "Ctrl+M", "newClaim")
        self.tag_action = self._action(claims, "&Tag…", self.new_claim, "Ctrl+T", "tagClaim")
        self.suggest_action = self._action(claims, "&Suggest claims", self.load_suggestions)
        self.tag_menu = claims.addMenu("Apply tag")
        self.tag_actions: list[QAction] = []
        models = bar.addMenu("&Models")
        self._action(models, "&Manage translation models…", self.show_model_manager, None, "modelManager")
        help_menu = bar.addMenu("&Help")
        about = self._action(help_menu, "&About DoiChieu", self.show_about, None, "about")
        about.setMenuRole(QAction.MenuRole.AboutRole)  # macOS: in the application menu
        # the table-only keys: 1–9 apply a tag to the selection
        for key in "123456789":
            action = QAction(self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _=False, k=key: self.apply_tag_key(k))
            self.view.addAction(action)
        self._update_actions()

    def _context_menu(self, widget: QWidget, pos: Any) -> None:
        menu = QMenu(self)
        menu.addAction(self.new_claim_action)
        menu.addMenu(self.tag_menu)
        menu.addSeparator()
        menu.addAction(self.post_edit_action)
        menu.addAction(self.accept_action)
        menu.exec(widget.mapToGlobal(pos))

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
        last = settings.get(settings.LAST_DOCUMENT)
        ids = self.sidebar.model.document_ids()
        if last in ids:
            self.open_document(last)
        elif ids:
            self.open_document(ids[-1])

    def _save(self) -> None:
        settings.put(settings.WINDOW_GEOMETRY, self.saveGeometry())
        settings.put(settings.MAIN_SPLITTER, self.splitter.saveState())
        settings.put(settings.DOC_SPLITTER, self.view.splitter.saveState())
        settings.put(settings.LAST_DOCUMENT, self.view.doc_id() or 0)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save()
        self.jobs.cancel_all()
        self.jobs.wait(10_000)  # translation stops after its current batch; imports finish their file
        self.helper.shutdown()
        for box in self.messages:
            box.close()
        for dialog in (self.review_dialog, self.model_manager, self.claim_dialog):
            if dialog is not None:
                dialog.close()
        self.view.clear()  # no more lazy fetches from a closed library
        self.lib.close()
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

    def _failed(self, err: BaseException, what: str = "") -> None:
        if isinstance(err, DoiChieuError):
            self.notify(f"{what}{err}")
        else:
            raise err  # a bug: the global exception hook logs it and shows the log's path

    def _jobs_changed(self) -> None:
        running = self.jobs.jobs
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
        self._update_actions()

    def _job_progress(self, done: int, total: int, message: str) -> None:
        self.job_label.setText(message)
        self.job_bar.setRange(0, total if total > 0 else 0)
        if total > 0:
            self.job_bar.setValue(done)

    # library ------------------------------------------------------------------------------------------

    def reload_library(self) -> None:
        self.sidebar.model.reload(self.lib)
        self.tags = self.claims.tags()
        names = [t.name for t in self.tags]
        self.sidebar.set_tags(names)
        self.panel.set_tags(names)
        self._rebuild_tag_menu()
        self.sidebar.update_status()
        empty = not self.sidebar.model.document_ids()
        if empty:
            self.stack.setCurrentWidget(self.welcome)
            offered = settings.get(settings.SAMPLES_OFFERED)
            self.samples_button.setVisible(bool(sample_documents()))
            self.welcome_text.setText(
                "<h2>Welcome to DoiChieu</h2><p>Read Vietnamese sources side by side with English, offline, "
                "and keep track of the claims they make.</p><p>Drop .txt, .md or .pdf files (or folders) "
                "here, paste text, or start with the two sample documents.</p>"
                + ("" if offered else "<p><i>Your library is empty.</i></p>")
            )
        elif self.view.doc_id() is None:
            self.stack.setCurrentIndex(1)

    def _rebuild_tag_menu(self) -> None:
        self.tag_menu.clear()
        for tag in self.tags:
            label = f"&{tag.shortcut}  {tag.name}" if tag.shortcut else tag.name
            action = self.tag_menu.addAction(label)
            action.triggered.connect(lambda _=False, name=tag.name: self.apply_tag(name))

    def _filter_library(self) -> None:
        text, tag, verdict = self.sidebar.query()
        if not (text or tag or verdict):
            self._filter_seq += 1  # a search still running must not bring its old filter back
            self.sidebar.model.set_filter(None)
            self.sidebar.update_status()
            return
        self._filter_seq += 1
        self.jobs.start(
            "Searching the library",
            jobs.library_filter(text, tag, verdict),
            on_done=lambda ids, seq=self._filter_seq: self._library_filtered(ids) if seq == self._filter_seq else None,
            on_error=self._failed,
            cancellable=False,
        )

    def _library_filtered(self, ids: set[int] | None) -> None:
        self.sidebar.model.set_filter(ids)
        self.sidebar.update_status()
        if self.view.doc_id() is not None:
            self.sidebar.select(self.view.doc_id())  # type: ignore[arg-type]

    def open_document(self, doc_id: int) -> None:
        try:
            info = self.lib.document(doc_id)
        except DoiChieuError as err:
            self.notify(str(err))
            return
        self.stack.setCurrentIndex(1)
        self.view.show_document(self.lib, doc_id)
        self.doc_title.setText(info.title)
        self.sidebar.select(doc_id)
        settings.put(settings.LAST_DOCUMENT, doc_id)
        self.refresh_claims()
        self.panel.set_suggestions([])
        self.load_suggestions()
        self._update_actions()

    # import -----------------------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if has_paths(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: Any) -> None:
        if has_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = paths_from_urls(event.mimeData().urls())
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    def import_paths(self, paths: list[Path]) -> None:
        dropped = sort_paths(paths)
        if dropped.packages:
            self.install_packages(dropped.packages)
        if dropped.refused:
            self.notify("\n".join(f"{p.name}: {why}" for p, why in dropped.refused), "Not imported")
        if dropped.files:
            self.jobs.start(
                f"Importing {len(dropped.files)} file(s)",
                jobs.import_files(self.helper, dropped.files),
                on_done=self._imported,
                on_error=self._failed,
            )

    def choose_files(self) -> None:
        start = settings.get(settings.LAST_IMPORT_DIR)
        files, _ = QFileDialog.getOpenFileNames(
            self, "Import documents", start, "Documents (*.txt *.md *.pdf);;All files (*)"
        )
        if files:
            settings.put(settings.LAST_IMPORT_DIR, str(Path(files[0]).parent))
            self.import_paths([Path(f) for f in files])

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a folder", settings.get(settings.LAST_IMPORT_DIR))
        if folder:
            self.import_paths([Path(folder)])

    def paste_document(self) -> None:
        text = clipboard_text(QGuiApplication.clipboard().mimeData())
        if not text.strip():
            self.notify("The clipboard holds no text; copy some text and paste again.")
            return
        self.jobs.start(
            "Importing pasted text", jobs.import_text(self.helper, text), on_done=self._imported, on_error=self._failed
        )

    def open_samples(self) -> None:
        settings.put(settings.SAMPLES_OFFERED, True)
        self.import_paths(sample_documents())

    def _imported(self, result: jobs.ImportResult) -> None:
        self.reload_library()
        if result.done:
            self.open_document(result.done[-1].document_id)
            new = sum(o.created for o in result.done)
            again = len(result.done) - new
            msg = f"Imported {new} document(s)" + (f"; {again} already in the library" if again else "")
            self.statusBar().showMessage(msg, 8000)
        if result.refused:
            self.notify("\n\n".join(f"{p.name}: {why}" for p, why in result.refused), "Not imported")
        for path, why in result.locked:
            self.ask_password(path, why)

    def ask_password(self, path: Path, why: str) -> None:
        """A protected PDF: ask for its password and import it again, or say it was left out."""
        from PySide6.QtWidgets import QInputDialog, QLineEdit

        text = f"{path.name} is protected by a password.\n{why}\n\nPassword:"
        password, ok = QInputDialog.getText(self, "Password needed", text, QLineEdit.EchoMode.Password)
        if not ok or not password:
            self.notify(f"{path.name}: not imported (it needs its password)", "Not imported")
            return
        self.jobs.start(
            f"Importing {path.name}",
            jobs.import_files(self.helper, [path], password),
            on_done=self._imported,
            on_error=self._failed,
        )

    # translation ------------------------------------------------------------------------------------

    def refresh_model_state(self) -> None:
        has = any((p.from_code, p.to_code) == ("vi", "en") for p in list_packages())
        self.banner.setVisible(not has)
        if self.model_manager is not None:
            self.model_manager.refresh()

    def translate_document(self) -> None:
        doc_id = self.view.doc_id()
        if doc_id is None or self.translating:
            return
        self.translating = True
        self._update_actions()
        self.jobs.start(
            "Translating",
            jobs.translate(self.helper, doc_id, settings.get(settings.BEAM_SIZE), self.reload_engine),
            on_done=lambda r, d=doc_id: self._translated(d, r),
            on_error=lambda e, d=doc_id: self._translate_failed(d, e),
            on_progress=lambda *_a, d=doc_id: self._translation_progress(d),
        )

    def _translation_progress(self, doc_id: int) -> None:
        now = time.monotonic()
        showing = self.view.model is not None and self.view.doc_id() == doc_id
        if showing and now - self._last_refresh > TRANSLATION_REFRESH_S:
            self._last_refresh = now
            self.view.model.reload_translations()  # type: ignore[union-attr]

    def _translated(self, doc_id: int, r: Any) -> None:
        self.translating = False
        self.reload_engine = False
        if self.view.model is not None and self.view.doc_id() == doc_id:
            self.view.model.reload_translations()
            self.refresh_claims()
        parts = [f"{r.translated} translated", f"{r.from_memory} from memory", f"{r.kept_human} edits kept"]
        if r.flagged:
            parts.append(f"{r.flagged} to check (⚠)")
        self.statusBar().showMessage("Translation done: " + ", ".join(parts), 10000)
        self._update_actions()

    def _translate_failed(self, doc_id: int, err: BaseException) -> None:
        self.translating = False
        self._update_actions()
        if self.view.model is not None and self.view.doc_id() == doc_id:
            self.view.model.reload_translations()
        if isinstance(err, CancelledError):
            self.statusBar().showMessage(f"{err}; what was translated is kept; Translate again to go on", 10000)
        elif isinstance(err, ModelMissingError):
            self.banner.show()
            self.notify(str(err), "No translation model")
        else:
            self._failed(err)

    # post-editing ----------------------------------------------------------------------------------

    def edit_english(self) -> None:
        index = self.view.table.currentIndex()
        if index.isValid():
            self.view.table.edit(index.siblingAtColumn(2))

    def accept_and_next(self) -> None:
        """Ctrl+Enter: the current English is accepted (kept as your own: reviewed), then the next
        sentence that is untranslated or only machine-translated is selected."""
        model = self.view.model
        if model is None:
            return
        self.view.commit_editor()  # the window's shortcut fires before the editor sees Ctrl+Enter
        index = self.view.table.currentIndex()
        row = index.row() if index.isValid() else -1
        if row >= 0:
            seg = model.segments[row]
            tr = model.translations.get(seg.id)
            if tr is not None and tr.kind == "machine":
                from app.core.translate.memory import post_edit

                post_edit(self.lib, seg.id, tr.text)
                model.reload_translations()
        nxt = self.view.next_unreviewed(row)
        if nxt >= 0:
            self.view.go_to_row(nxt, 2)
        else:
            self.statusBar().showMessage("Every sentence has been reviewed", 5000)

    # claims -----------------------------------------------------------------------------------------

    def tag_colors(self) -> dict[str, str]:
        return {t.name: t.color for t in self.tags}

    def refresh_claims(self) -> None:
        doc_id = self.view.doc_id()
        f = self.panel.filters()
        whole = self.panel.whole_library.isChecked()
        try:
            rows = self.claims.search(
                tag=f["tag"], verdict=f["verdict"], text=f["text"], document_id=None if whole else doc_id
            )
            if doc_id is None and not whole:
                rows = []
            shown = [workflow.view(self.lib, r) for r in rows]
            in_doc = [workflow.view(self.lib, r) for r in self.claims.for_document(doc_id)] if doc_id else []
        except DoiChieuError as err:
            self.notify(str(err))
            return
        self.tags = self.claims.tags()
        self.panel.set_claims(shown, self.tag_colors())
        self.view.set_claims(in_doc, self.tag_colors())
        _text, tag, verdict = self.sidebar.query()
        if tag or verdict:  # which documents hold such claims may just have changed
            self._filter_library()

    def _claim_target(self) -> tuple[int, int, str, str, tuple[int, int] | None] | None:
        """(start, end, Vietnamese, English, English span or None) for what is selected now."""
        target = self.view.selection_target()
        model = self.view.model
        if target is None or model is None:
            self.statusBar().showMessage("Select a sentence, or words in the panes under the table, first", 6000)
            return None
        kind, a, b = target
        if kind == "en":
            start, end = model.segments[a].start_char, model.segments[b].end_char
            en_span = self.view.english_selection()
            english = self.view.en_text.toPlainText()[en_span[0] : en_span[1]]
            return start, end, self.view.cleaned[start:end], english, en_span
        segs = [s for s in model.segments if s.start_char < b and s.end_char > a]
        english = " ".join(model.translations[s.id].text for s in segs if s.id in model.translations)
        return a, b, self.view.cleaned[a:b], english, None

    def new_claim(self, tag: str | None = None) -> None:
        target = self._claim_target()
        if target is None:
            return
        start, end, vi, en, en_span = target
        form = ClaimForm(tags=[tag] if isinstance(tag, str) else [])
        dialog = ClaimDialog(vi.strip(), en, self.tags, form, parent=self)
        self.claim_dialog = dialog
        dialog.finished.connect(lambda code: self._claim_dialog_done(dialog, code, start, end, en_span))
        dialog.open()
        if self.sender() is self.tag_action:
            dialog.tag_list.setFocus()

    def _claim_dialog_done(
        self, dialog: ClaimDialog, code: int, start: int, end: int, en_span: tuple[int, int] | None
    ) -> None:
        self.claim_dialog = None
        if code != ClaimDialog.DialogCode.Accepted:
            return
        form = dialog.result_form()
        doc_id = self.view.doc_id()
        if doc_id is None:
            return
        try:
            claim_id = workflow.create_claim(
                self.lib, doc_id, start, end, tags=form.tags, note=form.note, verdict=form.verdict
            )
            self._after_claim_saved(claim_id, form, en_span)
        except DoiChieuError as err:
            self.notify(str(err))
        self.refresh_claims()

    def _after_claim_saved(self, claim_id: int, form: ClaimForm, en_span: tuple[int, int] | None) -> None:
        if en_span is not None and en_span[0] < en_span[1]:
            workflow.set_english_span(self.lib, claim_id, *en_span)
        if form.has_evidence():
            self.claims.add_evidence(
                claim_id, url=form.evidence_url, citation=form.evidence_citation, quote=form.evidence_quote
            )

    def edit_claim(self, claim_id: int) -> None:
        try:
            row = self.claims.get(claim_id)
        except DoiChieuError as err:
            self.notify(str(err))
            return
        shown = workflow.view(self.lib, row)
        form = ClaimForm(tags=list(row.tags), verdict=row.verdict, note=row.note)
        dialog = ClaimDialog(row.quote, shown.english, self.tags, form, row.evidence, self, f"Claim #{claim_id}")
        self.claim_dialog = dialog

        def done(code: int) -> None:
            self.claim_dialog = None
            if code != ClaimDialog.DialogCode.Accepted:
                return
            new = dialog.result_form()
            try:
                self.claims.set_tags(claim_id, new.tags)
                self.claims.set_verdict(claim_id, new.verdict)
                if new.note != row.note:
                    self.claims.set_note(claim_id, new.note)
                self._after_claim_saved(claim_id, new, None)
            except DoiChieuError as err:
                self.notify(str(err))
            self.refresh_claims()

        dialog.finished.connect(done)
        dialog.open()

    def delete_claim(self, claim_id: int) -> None:
        answer = QMessageBox.question(self, "Delete claim", f"Delete claim #{claim_id} with its note and evidence?")
        if answer == QMessageBox.StandardButton.Yes:
            self.claims.delete(claim_id)
            self.refresh_claims()

    def go_to_claim(self, claim_id: int) -> None:
        try:
            row = self.claims.get(claim_id)
        except DoiChieuError as err:
            self.notify(str(err))
            return
        if row.document_id != self.view.doc_id():
            self.open_document(row.document_id)
        self.view.go_to_offset(row.start)

    def apply_tag_key(self, key: str) -> None:
        tag = next((t for t in self.tags if t.shortcut == key), None)
        if tag is not None:
            self.apply_tag(tag.name)

    def apply_tag(self, name: str) -> None:
        """Add the tag to the claims on the selected sentence; with no claim there (or words selected
        in a pane), mark the selection as a new claim with that tag, without a dialog."""
        model = self.view.model
        doc_id = self.view.doc_id()
        if model is None or doc_id is None:
            return
        target = self.view.selection_target()
        if target is None:
            return
        panes = (self.view.vi_text, self.view.en_text)
        words_selected = any(p.textCursor().hasSelection() for p in panes)
        rows = self.view.selected_rows()
        segs = [model.segments[r] for r in rows]
        on_rows = [
            c.row for c in model.claims if any(c.row.start < s.end_char and c.row.end > s.start_char for s in segs)
        ]
        try:
            if on_rows and not words_selected:
                for row in on_rows:
                    if name not in row.tags:
                        self.claims.set_tags(row.id, [*row.tags, name])
            else:
                found = self._claim_target()
                if found is None:
                    return
                start, end, _vi, _en, en_span = found
                claim_id = workflow.create_claim(self.lib, doc_id, start, end, tags=[name])
                self._after_claim_saved(claim_id, ClaimForm(), en_span)
        except DoiChieuError as err:
            self.notify(str(err))
        self.statusBar().showMessage(f"Tagged: {name}", 4000)
        self.refresh_claims()

    # suggestions --------------------------------------------------------------------------------------

    def load_suggestions(self) -> None:
        doc_id = self.view.doc_id()
        if doc_id is None:
            return
        self.jobs.start(
            "Looking for likely claims",
            jobs.suggestions(self.helper, doc_id),
            on_done=lambda rows, d=doc_id: self.panel.set_suggestions(rows) if self.view.doc_id() == d else None,
            on_error=lambda e: self.panel.set_suggestions([], f"({e})"),
            cancellable=False,
        )

    def accept_suggestion(self, suggestion: Any) -> None:
        doc_id = self.view.doc_id()
        if doc_id is None or suggestion is None:
            return
        try:
            workflow.create_claim(self.lib, doc_id, suggestion.start, suggestion.end, origin="suggestion")
        except DoiChieuError as err:
            self.notify(str(err))
            return
        self.panel.remove_suggestion(suggestion)
        self.refresh_claims()

    def dismiss_suggestion(self, suggestion: Any) -> None:
        doc_id = self.view.doc_id()
        if doc_id is None or suggestion is None:
            return
        from app.core.claims.suggest import suggestion_key

        self.claims.dismiss_suggestion(doc_id, suggestion_key(suggestion.text), suggestion.text)
        self.panel.remove_suggestion(suggestion)

    # find -----------------------------------------------------------------------------------------------

    def _find(self, query: str) -> None:
        doc_id = self.view.doc_id()
        if doc_id is None:
            return
        self.jobs.start(
            "Searching",
            jobs.find(doc_id, query),
            on_done=lambda r: self.view.set_hits(*r),
            on_error=self._failed,
            cancellable=False,
        )

    # layout review --------------------------------------------------------------------------------

    def show_layout_review(self) -> None:
        doc_id = self.view.doc_id()
        if doc_id is None:
            return
        if self.review_dialog is not None:
            self.review_dialog.close()
        dialog = LayoutReviewDialog(self.doc_title.text(), self)
        dialog.apply_requested.connect(lambda undone, d=doc_id: self._apply_repairs(d, undone))
        dialog.busy = True
        self.review_dialog = dialog
        dialog.show()
        self.jobs.start(
            "Loading the layout review",
            jobs.layout_review(self.helper, doc_id),
            on_done=lambda r: dialog.load(r[0]),
            on_error=lambda e: dialog.failed(str(e)),
            cancellable=False,
        )

    def _apply_repairs(self, doc_id: int, undone: set[int]) -> None:
        dialog = self.review_dialog
        self.jobs.start(
            "Re-cleaning the document",
            jobs.layout_review(self.helper, doc_id, undone),
            on_done=lambda r, d=doc_id: self._repairs_applied(d, r),
            on_error=lambda e: dialog.failed(str(e)) if dialog else self._failed(e),
            cancellable=False,
        )

    def _repairs_applied(self, doc_id: int, result: tuple[Any, tuple[int, int] | None]) -> None:
        review, claims = result
        message = ""
        if claims is not None and claims[1]:
            message = f"{claims[1]} claim(s) lost their words and are marked ⚠ in the claims panel."
        if self.review_dialog is not None:
            self.review_dialog.load(review, message)
        if self.view.doc_id() == doc_id:
            self.open_document(doc_id)

    # models -----------------------------------------------------------------------------------------

    def show_export(self) -> None:
        from app.gui.dialogs.export_dialog import ExportDialog

        doc_id = self.view.doc_id()
        if doc_id is None:
            self.notify(
                "Open a document first; File > Export writes the open document.", icon=QMessageBox.Icon.Information
            )
            return
        dialog = ExportDialog(self.lib.document(doc_id).title, self)
        self.export_dialog = dialog

        def preview(only_claims: bool, notes: bool) -> None:
            self.jobs.start(
                "Preparing the report",
                jobs.export_preview(doc_id, only_claims, notes),
                on_done=lambda r: dialog.show_preview(*r),
                on_error=self._failed,
                cancellable=False,
            )

        def save(fmt: str, path: Path, options: object) -> None:
            self.jobs.start(
                f"Exporting {path.name}",
                jobs.export_report(self.helper, doc_id, fmt, path, options),
                on_done=dialog.exported,
                on_error=lambda e: self._failed(e, "Export failed: "),
                cancellable=False,
            )

        dialog.preview_wanted.connect(preview)
        dialog.export_wanted.connect(save)
        dialog.show()
        dialog.refresh()

    def show_about(self) -> None:
        from app.gui.dialogs.about import AboutDialog

        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def show_model_manager(self) -> None:
        if self.model_manager is None:
            self.model_manager = ModelManager(self)
            self.model_manager.install_requested.connect(lambda p: self.install_packages([Path(p)]))
            self.model_manager.download_requested.connect(self.download_model)
            self.model_manager.remove_requested.connect(self.remove_model)
        self.model_manager.refresh()
        self.model_manager.show()
        self.model_manager.raise_()

    def install_packages(self, paths: list[Path]) -> None:
        self.jobs.start(
            "Installing a translation model",
            jobs.install_packages(paths),
            on_done=self._models_changed,
            on_error=lambda e: self._model_failed(e),
            cancellable=False,
        )

    def download_model(self) -> None:
        self.jobs.start(
            "Downloading a translation model",
            jobs.download_package(),
            on_done=lambda p: self._models_changed([p]),
            on_error=lambda e: self._model_failed(e),
            cancellable=False,
        )

    def remove_model(self, name: str) -> None:
        from app.core.translate.packages import remove_package

        try:
            remove_package(name)
        except DoiChieuError as err:
            self._model_failed(err)
            return
        self.reload_engine = True
        self._models_changed([])

    def _models_changed(self, installed: list[Any]) -> None:
        self.reload_engine = True  # the next translation loads the newest package
        self.refresh_model_state()
        if installed:
            names = ", ".join(f"{p.name} {p.version}" for p in installed)
            self.statusBar().showMessage(f"Installed {names}", 8000)
            if self.model_manager is not None:
                self.model_manager.refresh(f"Installed {names}.")

    def _model_failed(self, err: BaseException) -> None:
        if self.model_manager is not None and self.model_manager.isVisible() and isinstance(err, DoiChieuError):
            self.model_manager.refresh(str(err))
        self._failed(err)

    # documents -----------------------------------------------------------------------------------------

    def delete_document(self) -> None:
        doc_id = self.view.doc_id()
        if doc_id is None:
            return
        answer = QMessageBox.question(
            self,
            "Delete document",
            f"Delete “{self.doc_title.text()}” from the library? Its claims are saved to the backups folder first.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        kept = workflow.delete_document(self.lib, doc_id)
        self.view.clear()
        self.reload_library()
        if kept is not None:
            self.statusBar().showMessage(f"Deleted; its claims were saved in {kept}", 10000)
        ids = self.sidebar.model.document_ids()
        if ids:
            self.open_document(ids[-1])

    # actions ----------------------------------------------------------------------------------------

    def _update_actions(self) -> None:
        if not hasattr(self, "translate_action"):
            return
        has_doc = self.view.doc_id() is not None
        self.translate_action.setEnabled(has_doc and not self.translating)
        for action in (self.review_action, self.delete_doc_action, self.find_action, self.suggest_action):
            action.setEnabled(has_doc)
        has_sel = has_doc and bool(self.view.selected_rows())
        for action in (self.new_claim_action, self.tag_action, self.post_edit_action, self.accept_action):
            action.setEnabled(has_sel or (action is self.accept_action and has_doc))
