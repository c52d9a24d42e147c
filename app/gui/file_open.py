"""Files handed to the app by the desktop rather than dropped on its window: `main.py --open FILE...`
(the Linux .desktop entry) and, on macOS, QFileOpenEvent (files dropped on the Dock icon or opened with
the app; Info.plist declares the document types). They are imported like dropped files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer


class FileOpenFilter(QObject):
    """Installed on the application before the window exists: macOS sends the launch files first."""

    def __init__(self, app: QObject) -> None:
        super().__init__(app)
        self._window: Any = None
        self._pending: list[Path] = []
        app.installEventFilter(self)

    def attach(self, window: Any, files: list[Path]) -> None:
        self._window = window
        pending, self._pending = [*self._pending, *files], []
        if pending:
            QTimer.singleShot(0, lambda: window.import_paths(pending))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen:
            path = Path(event.file())  # type: ignore[attr-defined]
            if self._window is None:
                self._pending.append(path)
            else:
                self._window.import_paths([path])
            return True
        return super().eventFilter(watched, event)
