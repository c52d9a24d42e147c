"""Tools on the open document: Ctrl+F find, the layout review (undoing repairs re-cleans the document
in the helper process) and File › Export (a preview on a quick thread, the report written in the
helper process)."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMessageBox

from app.gui import jobs
from app.gui.dialogs.layout_review import LayoutReviewDialog
from app.gui.main_window.changes import Changes
from app.gui.main_window.controller import Controller
from app.gui.wording import for_window

if TYPE_CHECKING:
    from app.gui.dialogs.export_dialog import ExportDialog
    from app.gui.main_window import MainWindow


class DocumentTools(Controller):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.review_dialog: LayoutReviewDialog | None = None
        self.export_dialog: ExportDialog | None = None
        window.view.find_requested.connect(self.find)

    def close_dialogs(self) -> None:
        for dialog in (self.review_dialog, self.export_dialog):
            if dialog is not None:
                dialog.close()

    # find -----------------------------------------------------------------------------------------------

    def find(self, query: str) -> None:
        doc_id = self.w.view.doc_id()
        if doc_id is None:
            return
        self.w.jobs.start(
            "Searching",
            jobs.find(doc_id, query),
            on_done=lambda r: self.w.view.set_hits(*r),
            on_error=self.w.failed,
            cancellable=False,
        )

    # layout review --------------------------------------------------------------------------------

    def show_layout_review(self) -> None:
        doc_id = self.w.view.doc_id()
        if doc_id is None:
            return
        if self.review_dialog is not None:
            self.review_dialog.close()
        dialog = LayoutReviewDialog(self.w.doc_title.text(), self.w)
        dialog.apply_requested.connect(lambda undone, d=doc_id: self._apply_repairs(d, undone))
        dialog.busy = True
        self.review_dialog = dialog
        dialog.show()
        self.w.jobs.start(
            "Loading the layout review",
            jobs.layout_review(self.w.helper, doc_id),
            on_done=lambda r: dialog.load(r[0]),
            on_error=lambda e: dialog.failed(for_window(e)),
            cancellable=False,
        )

    def _apply_repairs(self, doc_id: int, undone: set[int]) -> None:
        dialog = self.review_dialog
        self.w.jobs.start(
            "Re-cleaning the document",
            jobs.layout_review(self.w.helper, doc_id, undone),
            on_done=partial(self._repairs_applied, doc_id),
            on_error=lambda e: dialog.failed(for_window(e)) if dialog else self.w.failed(e),
            cancellable=False,
        )

    def _repairs_applied(self, doc_id: int, result: tuple[Any, tuple[int, int] | None]) -> None:
        review, claims = result
        message = ""
        if claims is not None and claims[1]:
            message = f"{claims[1]} claim(s) lost their words and are marked ⚠ in the claims panel."
        if self.review_dialog is not None:
            self.review_dialog.load(review, message)
        self.w.report(Changes(documents=True, claims=True, document_id=doc_id))

    # export -----------------------------------------------------------------------------------------

    def show_export(self) -> None:
        from app.gui.dialogs.export_dialog import ExportDialog

        w = self.w
        doc_id = w.view.doc_id()
        if doc_id is None:
            info = QMessageBox.Icon.Information
            w.notify("Open a document first; File › Export writes the open document.", icon=info)
            return
        dialog = ExportDialog(w.lib.document(doc_id).title, w)
        self.export_dialog = dialog

        def preview(only_claims: bool, notes: bool, source_path: bool = False) -> None:
            w.jobs.start(
                "Preparing the report",
                jobs.export_preview(doc_id, only_claims, notes, source_path),
                on_done=lambda r: dialog.show_preview(*r),
                on_error=w.failed,
                cancellable=False,
            )

        def save(fmt: str, path: Path, options: object) -> None:
            w.jobs.start(
                f"Exporting {path.name}",
                jobs.export_report(w.helper, doc_id, fmt, path, options),
                on_done=dialog.exported,
                on_error=lambda e: w.failed(e, "Export failed: "),
                cancellable=False,
            )

        dialog.preview_wanted.connect(preview)
        dialog.export_wanted.connect(save)
        dialog.show()
        dialog.refresh()
