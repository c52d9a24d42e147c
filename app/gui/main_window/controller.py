"""The base of the window's controllers: each owns one concern and reaches the widgets through the
window that composed it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow


class Controller(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
