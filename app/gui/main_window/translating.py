"""Translation of the open document (in the helper process), post-editing and review (accept, revert to
the machine English, clear ⚠: the rules are app.core.translate.review's), and translation models."""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractItemView, QFileDialog, QInputDialog, QMenu

from app.core.errors import CancelledError, DoiChieuError, ModelMissingError
from app.core.translate import review
from app.core.translate.packages import list_packages
from app.gui import jobs, settings
from app.gui.dialogs.model_manager import FILE_FILTER, ModelManager, licence_confirmed
from app.gui.main_window.changes import Changes
from app.gui.main_window.controller import Controller
from app.gui.wording import for_window

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow

TRANSLATION_REFRESH_S = 0.5  # reload the English column at most this often while translating


class TranslationController(Controller):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.running = False  # a translation job is under way (one at a time)
        self.reload_engine = False  # a model was installed or removed: the helper process reloads it
        self.model_manager: ModelManager | None = None
        self._last_refresh = 0.0
        self._reading = False  # the English column's translations are being read on a quick thread
        self._reads = 0  # reads started; only the newest one's result is shown
        self._finish_after_read = False
        window.view.delegate.revert_requested.connect(lambda: QTimer.singleShot(0, self.revert_to_machine))

    # screens ------------------------------------------------------------------------------------------

    def on_changed(self, changes: Changes) -> None:
        view = self.w.view
        doc_id = view.doc_id()
        if changes.translations and doc_id is not None and changes.concerns(doc_id) and view.model is not None:
            self._read_translations(doc_id)
        if changes.models:
            self.reload_engine = True  # the next translation loads the newest package
            self.refresh_model_state()

    def close_dialogs(self) -> None:
        if self.model_manager is not None:
            self.model_manager.close()

    # translation ------------------------------------------------------------------------------------

    def translate_document(self) -> None:
        doc_id = self.w.view.doc_id()
        if doc_id is None or self.running:
            return
        self.running = True
        self.w.update_actions()
        self.w.jobs.start(
            "Translating",
            jobs.translate(self.w.helper, doc_id, settings.get(settings.BEAM_SIZE), self.reload_engine),
            on_done=partial(self._translated, doc_id),
            on_error=partial(self._translate_failed, doc_id),
            on_progress=partial(self._progress, doc_id),
        )

    def translate_with_another_model(self) -> None:
        """Document › Translate with another model…: the chosen model's English is kept for comparison
        and shown under the sentence; the document's own translation is not touched."""
        doc_id = self.w.view.doc_id()
        if doc_id is None or self.running:
            return
        names = [f"{p.name}  ({p.kind})" for p in list_packages() if (p.from_code, p.to_code) == ("vi", "en")]
        if len(names) < 2:
            self.w.notify(
                "Comparing needs a second Vietnamese→English model: install one with Models › Install from file…",
                "Translate with another model",
            )
            return
        choice, ok = QInputDialog.getItem(
            self.w, "Translate with another model", "Model to compare with:", names, 0, False
        )
        if not ok:
            return
        model = choice.split("  (", 1)[0]
        self.running = True
        self.w.update_actions()
        self.w.jobs.start(
            f"Comparing with {model}",
            jobs.translate_compare(self.w.helper, doc_id, model, settings.get(settings.BEAM_SIZE)),
            on_done=partial(self._compared, doc_id),
            on_error=partial(self._translate_failed, doc_id),
        )

    def _compared(self, doc_id: int, r: Any) -> None:
        self.running = False
        self.w.report(Changes(translations=True, document_id=doc_id))
        self.w.statusBar().showMessage(
            f"Compared with {r.model}: {r.translated} translated, {r.kept} already done; "
            "the other model's English shows under each sentence",
            10000,
        )

    def _progress(self, doc_id: int, *_progress: object) -> None:
        """Show the English as it comes: at most every TRANSLATION_REFRESH_S, read on a quick thread."""
        now = time.monotonic()
        if self._reading or self.w.view.doc_id() != doc_id or now - self._last_refresh <= TRANSLATION_REFRESH_S:
            return
        self._last_refresh = now
        self._read_translations(doc_id)

    def _read_translations(self, doc_id: int) -> None:
        """The English column's translations, read on a quick thread; the newest read wins."""
        self._reading = True
        self._reads += 1
        self.w.jobs.start(
            "Reading the translations",
            jobs.translations(doc_id),
            on_done=partial(self._translations_read, self._reads),
            on_error=self._translations_not_read,
            cancellable=False,
            shown=False,
        )

    def _translations_read(self, read: int, result: tuple[int, dict[int, Any], dict[int, Any]]) -> None:
        if read != self._reads:
            return  # a newer read is under way (e.g. the final one after a translation)
        self._reading = False
        doc_id, translations, details = result
        model = self.w.view.model
        if model is not None and model.doc_id == doc_id:
            model.set_translations(translations, details)
        self._end_after_read()

    def _end_after_read(self) -> None:
        if self._finish_after_read:
            self._finish_after_read = False
            self.running = False
            self.w.update_actions()

    def _translations_not_read(self, err: BaseException) -> None:
        self._reading = False  # the final reload shows them; a bug still reaches the crash dialog
        self._end_after_read()
        if not isinstance(err, DoiChieuError):
            raise err

    def _translated(self, doc_id: int, r: Any) -> None:
        self.reload_engine = False
        if self.w.view.doc_id() == doc_id:
            self._finish_after_read = True  # the translation ends once its English is shown (read off-thread)
        else:
            self.running = False
        self.w.report(Changes(translations=True, document_id=doc_id))
        parts = [f"{r.translated} translated", f"{r.from_memory} from memory", f"{r.kept_human} edits kept"]
        if r.flagged:
            parts.append(f"{r.flagged} to check (⚠)")
        self.w.statusBar().showMessage("Translation done: " + ", ".join(parts), 10000)

    def _translate_failed(self, doc_id: int, err: BaseException) -> None:
        self.running = False
        self.w.report(Changes(translations=True, document_id=doc_id))  # what was translated is kept
        if isinstance(err, CancelledError):
            self.w.statusBar().showMessage(
                f"{for_window(err)}; what was translated is kept; Translate again to go on", 10000
            )
        elif isinstance(err, ModelMissingError):
            self.w.banner.show()
            self.w.notify(for_window(err), "No translation model")
        else:
            self.w.failed(err)

    # post-editing ----------------------------------------------------------------------------------

    def edit_english(self) -> None:
        index = self.w.view.table.currentIndex()
        if index.isValid():
            self.w.view.table.edit(index.siblingAtColumn(2))

    def accept_and_next(self) -> None:
        """Ctrl+Enter (OmegaT's flow): what the editor holds is stored (an edit becomes your English),
        untouched machine English is accepted as it is (reviewed: still machine output, ⚠ kept), then the
        editor opens on the next sentence that is untranslated or unreviewed."""
        view = self.w.view
        model = view.model
        if model is None:
            return
        view.commit_editor()  # the window's shortcut fires before the editor sees Ctrl+Enter
        index = view.table.currentIndex()
        row = index.row() if index.isValid() else -1
        if row >= 0:
            seg = model.segments[row]
            if review.state_of(model.translations.get(seg.id)) == review.MACHINE:
                try:
                    review.accept(self.w.lib, seg.id)
                except DoiChieuError as err:
                    self.w.failed(err)
                    return
                self._reviewed(row)
        nxt = view.next_unreviewed(row)
        if nxt >= 0:
            view.go_to_row(nxt, 2)
            view.table.edit(model.index(nxt, 2))
        else:
            self.w.statusBar().showMessage("Every sentence has been reviewed", 5000)

    def _current_row(self) -> int:
        index = self.w.view.table.currentIndex()
        rows = self.w.view.selected_rows()
        return index.row() if index.isValid() else (rows[0] if rows else -1)

    def _reviewed(self, *rows: int) -> None:
        """Rows whose review state changed in the library: shown at once, and told to the other panes."""
        model = self.w.view.model
        if model is None:
            return
        for row in rows:
            model.refresh_row(row)
        self.w.report(Changes(translations=True, document_id=model.doc_id))

    def revert_to_machine(self) -> None:
        """Back to the machine English of the current sentence (context menu, or Ctrl+Z in the editor with
        nothing left to undo there). The edit is kept in the library's history; an open editor reopens on
        the machine English."""
        view = self.w.view
        model = view.model
        row = self._current_row()
        if model is None or row < 0:
            return
        seg = model.segments[row]
        if not review.can_revert(model.translations.get(seg.id)):
            self.w.statusBar().showMessage("This sentence's English is not your edit: nothing to revert", 5000)
            return
        editing = view.table.state() == QAbstractItemView.State.EditingState
        try:
            back = review.revert_to_machine(self.w.lib, seg.id)
        except DoiChieuError as err:
            self.w.statusBar().showMessage(for_window(err), 8000)
            return
        if editing:
            view.close_editor()  # what it holds is the edit just reverted: not stored again
        self._reviewed(row)
        self.w.statusBar().showMessage(
            f"Back to the machine translation (your edit is kept in the history): {back.text[:60]}", 8000
        )
        if editing:
            view.go_to_row(row, 2)
            view.table.edit(model.index(row, 2))

    def clear_warning(self) -> None:
        """Clear the ⚠ of the selected sentences: you have checked them (recorded in the library)."""
        view = self.w.view
        model = view.model
        if model is None:
            return
        cleared: list[int] = []
        try:
            for row in view.selected_rows():
                if model.flagged(row) and review.clear_flags(self.w.lib, model.segments[row].id):
                    cleared.append(row)
        except DoiChieuError as err:
            self.w.failed(err)
        if cleared:
            self._reviewed(*cleared)
            self.w.statusBar().showMessage(f"Warning cleared on {len(cleared)} sentence(s)", 5000)
        else:
            self.w.statusBar().showMessage("No warning (⚠) on the selected sentences", 5000)

    def update_review_actions(self) -> None:
        """Revert and Clear warning are enabled for what the selected sentences allow."""
        from app.gui.main_window.actions import Key

        model = self.w.view.model
        row = self._current_row()
        tr = (
            model.translations.get(model.segments[row].id)
            if model is not None and 0 <= row < model.rowCount()
            else None
        )
        lib = None if self.w.library_closed else self.w.lib
        self.w.action(Key.REVERT_MACHINE).setEnabled(review.can_revert(tr, lib) and lib is not None)
        flagged = model is not None and any(model.flagged(r) for r in self.w.view.selected_rows())
        self.w.action(Key.CLEAR_WARNING).setEnabled(flagged)

    def add_review_actions(self, menu: QMenu) -> None:
        """The sentence context menu's review entries."""
        from app.gui.main_window.actions import Key

        self.update_review_actions()
        menu.addAction(self.w.action(Key.REVERT_MACHINE))
        menu.addAction(self.w.action(Key.CLEAR_WARNING))

    # models -----------------------------------------------------------------------------------------

    def refresh_model_state(self) -> None:
        has = any((p.from_code, p.to_code) == ("vi", "en") for p in list_packages())
        self.w.banner.setVisible(not has)
        if self.model_manager is not None:
            self.model_manager.refresh()

    def show_model_manager(self) -> None:
        if self.model_manager is None:
            self.model_manager = ModelManager(self.w)
            self.model_manager.install_requested.connect(lambda p: self.install_packages([Path(p)]))
            self.model_manager.download_requested.connect(self.download_model)
            self.model_manager.remove_requested.connect(self.remove_model)
        self.model_manager.refresh()
        self.model_manager.show()
        self.model_manager.raise_()

    def choose_package(self) -> None:
        """Models › Install from file…"""
        path, _ = QFileDialog.getOpenFileName(self.w, "Install a translation model", "", FILE_FILTER)
        if path and licence_confirmed(self.w, Path(path)):
            self.install_packages([Path(path)])

    def install_packages(self, paths: list[Path]) -> None:
        self.w.jobs.start(
            "Installing a translation model",
            jobs.install_packages(paths),
            on_done=self._installed,
            on_error=self._model_failed,
            cancellable=False,
        )

    def download_model(self) -> None:
        self.w.jobs.start(
            "Downloading a translation model",
            jobs.download_package(),
            on_done=lambda p: self._installed([p]),
            on_error=self._model_failed,
            cancellable=False,
        )

    def remove_model(self, name: str) -> None:
        from app.core.translate.packages import remove_package

        try:
            remove_package(name)
        except DoiChieuError as err:
            self._model_failed(err)
            return
        self.w.report(Changes(models=True))

    def _installed(self, installed: list[Any]) -> None:
        self.w.report(Changes(models=True))
        if installed:
            names = ", ".join(f"{p.name} {p.version}" for p in installed)
            self.w.statusBar().showMessage(f"Installed {names}", 8000)
            if self.model_manager is not None:
                self.model_manager.refresh(f"Installed {names}.")

    def _model_failed(self, err: BaseException) -> None:
        manager = self.model_manager
        if manager is not None and manager.isVisible() and isinstance(err, DoiChieuError):
            manager.refresh(for_window(err))
        self.w.failed(err)
