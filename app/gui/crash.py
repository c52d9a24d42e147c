"""The global exception hook: an unexpected error is logged to the data folder's logs/ and shown in
a dialog with the log's path; the app keeps running."""

from __future__ import annotations

import logging
import sys
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from app.core import paths
from app.core.errors import DoiChieuError
from app.gui.wording import for_window

log = logging.getLogger("doichieu")
_showing = False  # an error inside the dialog must not open dialogs forever


def log_file() -> Path:
    return paths.logs_dir() / f"doichieu-{datetime.now():%Y%m%d}.log"


def setup_logging() -> None:
    root = logging.getLogger()
    if any(getattr(h, "_doichieu", False) for h in root.handlers):
        return
    handler = logging.FileHandler(log_file(), encoding="utf-8")
    handler._doichieu = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def excepthook(kind: type[BaseException], err: BaseException, tb: TracebackType | None) -> None:
    global _showing
    if isinstance(err, KeyboardInterrupt):
        sys.__excepthook__(kind, err, tb)
        return
    text = "".join(traceback.format_exception(kind, err, tb))
    path = log_file()
    try:
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"\n{datetime.now().isoformat(timespec='seconds')} unexpected error\n{text}")
    except OSError:
        path = Path("(could not write the log)")
    log.debug("crash logged to %s", path)
    if _showing or QApplication.instance() is None:
        sys.__excepthook__(kind, err, tb)
        return
    _showing = True
    try:
        if isinstance(err, DoiChieuError):  # a user-facing error nobody caught: no "bug" wording
            QMessageBox.warning(None, "DoiChieu", for_window(err))
        else:
            box = QMessageBox(QMessageBox.Icon.Critical, "DoiChieu: unexpected error", "")
            box.setText(
                f"Something went wrong: {err}\n\nYour work is saved; the app keeps running. The details are in:\n{path}"
            )
            box.setDetailedText(text)
            box.setTextInteractionFlags(box.textInteractionFlags())
            box.exec()
    finally:
        _showing = False


def install() -> None:
    setup_logging()
    sys.excepthook = excepthook
