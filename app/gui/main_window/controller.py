"""The base of the window's controllers: each owns one concern and reaches the widgets through the
window that composed it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow
    from app.gui.main_window.changes import Changes


class Controller(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window

    def on_changed(self, changes: Changes) -> None:
        """An operation changed the library: refresh what this controller shows, if concerned."""

    def on_document_opened(self, doc_id: int | None) -> None:
        """Another document (or none) is shown now."""

    def close_dialogs(self) -> None:
        """The window closes, or its library is replaced: close the dialogs this controller opened."""
