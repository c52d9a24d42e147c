"""Bringing documents in: files, folders, drops, pasted text, the samples, password-protected PDFs.
Imports run in the helper process; model packages dropped with them go to the translation controller."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit

from app.core.services.imports import file_dialog_filter
from app.gui import jobs, settings
from app.gui.imports import clipboard_html, clipboard_text, sort_paths
from app.gui.main_window.changes import Changes
from app.gui.main_window.controller import Controller
from app.gui.resources import sample_documents


class ImportController(Controller):
    def import_paths(self, paths: list[Path]) -> None:
        dropped = sort_paths(paths)
        if dropped.packages:
            self.w.translation.install_packages(dropped.packages)
        if dropped.files:
            what = dropped.files[0].name if len(dropped.files) == 1 else f"{len(dropped.files)} items"
            self.w.jobs.start(
                f"Importing {what}",
                jobs.import_files(self.w.helper, dropped.files),
                on_done=self._imported,
                on_error=self.w.failed,
            )

    def choose_files(self) -> None:
        start = settings.get(settings.LAST_IMPORT_DIR)
        files, _ = QFileDialog.getOpenFileNames(
            self.w, "Import documents", start, f"{file_dialog_filter()};;All files (*)"
        )
        if files:
            settings.put(settings.LAST_IMPORT_DIR, str(Path(files[0]).parent))
            self.import_paths([Path(f) for f in files])

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.w, "Import a folder", settings.get(settings.LAST_IMPORT_DIR))
        if folder:
            self.import_paths([Path(folder)])

    def paste_document(self) -> None:
        mime = QGuiApplication.clipboard().mimeData()
        text, html = clipboard_text(mime), clipboard_html(mime)
        if not text.strip():
            self.w.notify("The clipboard holds no text; copy some text and paste again.")
            return
        self.w.jobs.start(
            "Importing pasted text",
            jobs.import_text(self.w.helper, text, html),
            on_done=self._imported,
            on_error=self.w.failed,
        )

    def open_samples(self) -> None:
        settings.put(settings.SAMPLES_OFFERED, True)
        self.import_paths(sample_documents())

    def _imported(self, result: jobs.ImportResult) -> None:
        self.w.report(Changes(documents=True))
        if result.done:
            self.w.library.open_document(result.done[-1].document_id)
            new = sum(o.created for o in result.done)
            again = len(result.done) - new
            msg = f"Imported {new} document(s)" + (f"; {again} already in the library" if again else "")
            self.w.statusBar().showMessage(msg, 8000)
        if result.refused:
            self.w.notify("\n\n".join(f"{p.name}: {why}" for p, why in result.refused), "Not imported")
        for path, why in result.locked:
            self.ask_password(path, why)

    def ask_password(self, path: Path, why: str) -> None:
        """A protected PDF: ask for its password and import it again, or say it was left out."""
        text = f"{path.name} is protected by a password.\n{why}\n\nPassword:"
        password, ok = QInputDialog.getText(self.w, "Password needed", text, QLineEdit.EchoMode.Password)
        if not ok or not password:
            self.w.notify(f"{path.name}: not imported (it needs its password)", "Not imported")
            return
        self.w.jobs.start(
            f"Importing {path.name}",
            jobs.import_files(self.w.helper, [path], password),
            on_done=self._imported,
            on_error=self.w.failed,
        )
