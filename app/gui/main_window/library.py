"""The library list: loading it, its search and tag/verdict filters, opening and deleting documents."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.core.claims import workflow
from app.core.errors import DoiChieuError
from app.core.services.reading import reading_position, remember_reading_position
from app.core.services.search import LibraryMatches
from app.core.services.session import backups_folder, describe_backups, open_session, restore
from app.gui import jobs, settings
from app.gui.dialogs.backups import BackupsDialog, Choice
from app.gui.main_window.changes import Changes
from app.gui.main_window.controller import Controller
from app.gui.resources import sample_documents
from app.gui.wording import for_window

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow


FETCH_STEP = 400  # rows loaded per turn of the event loop on the way to a sentence far down


class LibraryController(Controller):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._pending: tuple[int, int, int] | None = None  # (document, row, column) being gone to
        self._filter_seq = 0  # only the newest library search's result is shown
        self.w.sidebar.document_chosen.connect(self.open_document)
        self.w.sidebar.filters_changed.connect(self.filter_library)
        self.w.sidebar.results.sentence_chosen.connect(self.open_at)
        self.w.sidebar.results.document_chosen.connect(self.open_document)

    # screens ------------------------------------------------------------------------------------------

    def on_changed(self, changes: Changes) -> None:
        if changes.documents or changes.library:
            self.reload_library()
        shown = self.w.view.doc_id()
        if changes.documents and changes.document_id is not None and changes.document_id == shown:
            self.open_document(shown)  # its text was re-cleaned: show the new sentences
        text, tag, verdict = self.w.sidebar.query()
        if text and (changes.documents or changes.library or changes.translations):
            self.w.sidebar.search_soon()  # the sentences listed may have changed
        elif (changes.claims or changes.tags) and (tag or verdict):
            self.filter_library()  # which documents hold such claims may just have changed

    def reload_library(self) -> None:
        w = self.w
        w.sidebar.model.reload(w.lib)
        w.sidebar.update_status()
        empty = not w.sidebar.model.document_ids()
        if empty:
            w.stack.setCurrentWidget(w.welcome)
            offered = settings.get(settings.SAMPLES_OFFERED)
            w.samples_button.setVisible(bool(sample_documents()))
            w.welcome_text.setText(
                "<h2>Welcome to DoiChieu</h2><p>Read Vietnamese sources side by side with English, offline, "
                "and keep track of the claims they make.</p><p>Drop .txt, .md, .pdf or image files (or folders) "
                "here, paste text, or start with the two sample documents.</p>"
                + ("" if offered else "<p><i>Your library is empty.</i></p>")
            )
        elif w.view.doc_id() is None:
            w.stack.setCurrentIndex(1)

    # search and filters ---------------------------------------------------------------------------------

    def filter_library(self) -> None:
        text, tag, verdict = self.w.sidebar.query()
        self._filter_seq += 1  # a search still running must not bring its old filter back
        if not (text or tag or verdict):
            self.w.sidebar.model.set_filter(None)
            self.w.sidebar.show_matches(None)
            self.w.sidebar.update_status()
            return
        self.w.jobs.start(
            "Searching the library",
            jobs.library_search(text, tag, verdict),
            on_done=partial(self._filtered, self._filter_seq),
            on_error=self.w.failed,
            cancellable=False,
        )

    def _filtered(self, seq: int, matches: LibraryMatches) -> None:
        if seq != self._filter_seq:
            return  # a newer search was asked for meanwhile
        self.w.sidebar.model.set_filter(matches.document_ids)
        self.w.sidebar.show_matches(matches)
        self.w.sidebar.update_status()
        shown = self.w.view.doc_id()
        if shown is not None:
            self.w.sidebar.select(shown)

    # documents ------------------------------------------------------------------------------------------

    def open_document(self, doc_id: int, at: tuple[int, int] | None = None) -> None:
        """Show `doc_id` at sentence row `at[0]` (column `at[1]`), else where the reader left it."""
        w = self.w
        try:
            info = w.lib.document(doc_id)
        except DoiChieuError as err:
            w.notify(for_window(err))
            return
        self.remember_reading()
        w.stack.setCurrentIndex(1)
        w.view.show_document(w.lib, doc_id)
        w.doc_title.setText(info.title)
        w.sidebar.select(doc_id)
        settings.put(settings.LAST_DOCUMENT, doc_id)
        w.document_opened.emit(doc_id)
        if at is None:
            row = reading_position(w.lib, doc_id)
            at = (row, 1) if row else None
        self._pending = None if at is None else (doc_id, *at)
        if at is not None:  # once the window has its size, and in steps (see _go_to)
            QTimer.singleShot(0, lambda d=doc_id, r=at[0], c=at[1]: self._go_to(d, r, c))

    def open_at(self, doc_id: int, row: int, column: int) -> None:
        """A sentence chosen in the search results: its document, that sentence selected and in view."""
        self.open_document(doc_id, (row, column))
        self.w.view.table.setFocus()

    def _go_to(self, doc_id: int, row: int, column: int) -> None:
        """Select and show a sentence of the document just opened. The rows before it are loaded
        FETCH_STEP at a time, one step per turn of the event loop, so a sentence far down a long
        document never holds the window; a sentence the user chose meanwhile wins."""
        view = self.w.view
        model = view.model
        rows = view.table.viewport()
        if self._pending != (doc_id, row, column) or model is None or view.doc_id() != doc_id:
            rows.setUpdatesEnabled(True)
            return
        if view.table.currentIndex().isValid():  # the user went somewhere meanwhile
            self._pending = None
            rows.setUpdatesEnabled(True)
            return
        if row >= model.rowCount() and model.canFetchMore():
            rows.setUpdatesEnabled(False)  # the rows on screen stay the same: no repaint per step
            model.fetch_until(min(row, model.rowCount() + FETCH_STEP - 1))
            QTimer.singleShot(0, lambda: self._go_to(doc_id, row, column))
            return
        self._pending = None
        rows.setUpdatesEnabled(True)
        view.go_to_row(row, column)

    def reading_row(self) -> int | None:
        """Where the reader is in the open document: the current sentence when it is in view, else the
        sentence in the middle of the view."""
        view = self.w.view
        if view.model is None or view.model.rowCount() == 0:
            return None
        table = view.table
        current = table.currentIndex()
        if current.isValid() and table.visualRect(current).intersects(table.viewport().rect()):
            return current.row()
        if table.verticalScrollBar().value() == 0:
            return None  # at the start
        middle = table.rowAt(table.viewport().height() // 2)
        return middle if middle >= 0 else None

    def remember_reading(self) -> None:
        """Keep where the reader is in the open document (on leaving it, and when the window closes)."""
        doc_id = self.w.view.doc_id()
        if doc_id is None or self.w.library_closed:
            return
        going = self._pending is not None and self._pending[0] == doc_id
        if going and not self.w.view.table.currentIndex().isValid():
            return  # left before reaching where it was going, nothing chosen meanwhile: the stored place stays
        # a reading position is not worth a message (the library may be busy or read-only)
        with contextlib.suppress(DoiChieuError):
            remember_reading_position(self.w.lib, doc_id, self.reading_row())

    def open_last_document(self) -> None:
        """The document open when the window last closed, else the newest one."""
        last = settings.get(settings.LAST_DOCUMENT)
        ids = self.w.sidebar.model.document_ids()
        if last in ids:
            self.open_document(last)
        elif ids:
            self.open_document(ids[-1])

    def delete_document(self) -> None:
        w = self.w
        doc_id = w.view.doc_id()
        if doc_id is None:
            return
        answer = QMessageBox.question(
            w,
            "Delete document",
            f"Delete “{w.doc_title.text()}” from the library? Its claims are saved to the backups folder first.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        kept = workflow.delete_document(w.lib, doc_id)
        w.view.clear()
        w.document_opened.emit(None)
        w.report(Changes(documents=True, claims=True, document_id=doc_id))
        if kept is not None:
            w.statusBar().showMessage(f"Deleted; its claims were saved in {kept}", 10000)
        ids = w.sidebar.model.document_ids()
        if ids:
            self.open_document(ids[-1])

    # backups --------------------------------------------------------------------------------------------

    def back_up_now(self) -> None:
        """File › Back up now…: a copy of the library where the user says (the backups folder first,
        under a name the restore list shows), written with SQLite's backup API on a quick thread."""
        w = self.w
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%S")
        suggested = backups_folder(w.lib.path) / f"library-{stamp}.sqlite3"
        chosen, _ = QFileDialog.getSaveFileName(
            w, "Back up the library", str(suggested), "DoiChieu library (*.sqlite3)"
        )
        if not chosen:
            return
        target = Path(chosen)
        if target.suffix.lower() != ".sqlite3":
            target = target.with_name(target.name + ".sqlite3")
        w.jobs.start(
            "Backing up the library",
            jobs.back_up(target),
            on_done=lambda p: w.statusBar().showMessage(f"Library backed up to {p}", 10000),
            on_error=lambda e: w.failed(e, "The backup was not made: "),
            cancellable=False,
        )

    def restore_from_backup(self) -> None:
        """File › Restore from backup…: choose, confirm, close the window's connection, restore, reopen."""
        w = self.w
        if w.jobs.busy():
            w.notify("Background work is still running; wait for it to end (or cancel it), then restore.")
            return
        dialog = BackupsDialog(
            "Choose the backup to put in place of the library. The library as it is now is kept beside it "
            "(library.sqlite3.before-restore-…), so this can be undone.",
            describe_backups(backups_folder(w.lib.path)),
            at_start=False,
            parent=w,
        )
        dialog.exec()
        chosen = dialog.chosen
        if dialog.choice is not Choice.RESTORE or chosen is None:
            return
        when = chosen.date.astimezone().strftime("%Y-%m-%d %H:%M")
        answer = QMessageBox.question(
            w,
            "Restore from backup",
            f"Replace the library with the backup of {when} ({chosen.documents} documents)? "
            "What changed since then stays only in the library set aside.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        path = w.lib.path
        w.close_dialogs()
        w.view.clear()
        w.lib.close()  # restore moves files: no connection of this process may be open on them
        try:
            restore(chosen.path, path)
        except DoiChieuError as err:
            w.notify(f"The backup could not be restored: {for_window(err)}")
        else:
            w.statusBar().showMessage(f"Restored the backup of {when}", 10000)
        try:
            library = open_session(path)
        except DoiChieuError as err:
            w.library_closed = True
            QMessageBox.critical(w, "DoiChieu", f"The library could not be opened again: {for_window(err)}")
            w.close()
            return
        w.set_library(library)
        self.open_last_document()
