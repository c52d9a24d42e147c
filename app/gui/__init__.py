"""The desktop app (PySide6). `run()` starts it; `app.core` does all the work, in background jobs."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

OPEN_FLAG = "--open"  # `main.py --open FILE...`: the window, importing FILEs (the Linux .desktop entry's Exec)
# Save a PNG of the main window once it is shown, then quit: the packaged app's smoke test
# (scripts/package_smoke.py) and start-up timing, where no one can look at the screen.
SCREENSHOT_ENV = "DOICHIEU_SCREENSHOT"


def run(argv: list[str] | None = None) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from app.core.errors import DoiChieuError
    from app.gui import crash
    from app.gui.file_open import FileOpenFilter
    from app.gui.wording import for_window
    from app.resources import resource_path

    argv = list(sys.argv if argv is None else argv)
    files = [Path(a) for a in argv[2:]] if argv[1:2] == [OPEN_FLAG] else []
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv[:1])
    app.setApplicationName("DoiChieu")
    app.setOrganizationName("DoiChieu")
    app.setDesktopFileName("doichieu")  # matches packaging/linux/doichieu.desktop (Wayland/X11 task bars)
    icon = resource_path("icons", "doichieu.png")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    opener = FileOpenFilter(app)  # installed before the window: macOS sends launch files first
    crash.install()
    from app.gui.main_window import MainWindow
    from app.gui.recovery import open_library

    try:
        library = open_library()  # a damaged library: the recovery dialog (restore, another folder, quit)
        if library is None:
            return 0
        window = MainWindow(library)
    except DoiChieuError as err:  # e.g. the data folder cannot be created
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, "DoiChieu", for_window(err))
        return err.exit_code
    window.show()
    tune_for_latency()
    opener.attach(window, files)
    shot = os.environ.get(SCREENSHOT_ENV)
    if shot:
        QTimer.singleShot(0, lambda: _screenshot_and_quit(window, Path(shot)))
    return app.exec()


def tune_for_latency() -> None:
    """Once the window is up: (1) what start-up made (modules, Qt wrappers, the first document: ~58,000
    objects) is moved out of the cyclic garbage collector's reach, so a full collection scans only what
    came later: 1-3 ms instead of ~40 ms, and ~100 ms in a longer session, each a pause of the window;
    (2) a pool thread running Python hands the GIL over every 1 ms instead of 5, so the window's thread,
    which needs it for every Python slot and paint, waits less behind it."""
    import gc

    gc.collect()
    gc.freeze()
    sys.setswitchinterval(0.001)


def untune() -> None:
    """Undo `tune_for_latency` (tests that share one process)."""
    import gc

    gc.unfreeze()
    sys.setswitchinterval(0.005)


def _screenshot_and_quit(window: Any, out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(out)):
        print(f"could not save the screenshot to {out}", file=sys.stderr)
    window.close()
    QApplication.quit()
