"""The desktop app (PySide6). `run()` starts it; `app.core` does all the work, in background jobs."""

from __future__ import annotations

import sys


def run(argv: list[str] | None = None) -> int:
    from PySide6.QtWidgets import QApplication

    from app.core.errors import DoiChieuError
    from app.gui import crash

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("DoiChieu")
    app.setOrganizationName("DoiChieu")
    crash.install()
    from app.gui.main_window import MainWindow

    try:
        window = MainWindow()
    except DoiChieuError as err:  # e.g. the library file is damaged or locked
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, "DoiChieu", str(err))
        return err.exit_code
    window.show()
    return app.exec()
