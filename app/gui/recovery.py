"""Opening the library at start without a terminal: a damaged or unreadable library opens a dialog
listing its backups (date, size, documents) with Restore, Open another data folder… and Quit, and the
window opens on what the user chose. The backups themselves are the core's (`services.session`)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.core import paths
from app.core.errors import DoiChieuError, LibraryCorruptError, LibraryError, LibraryLockedError
from app.core.services.session import backups_folder, describe_backups, open_session, restore
from app.core.store import Library
from app.gui.dialogs.backups import BackupsDialog, Choice
from app.gui.wording import for_window


def start_message(err: LibraryError) -> str:
    """What the dialog says about the error, in the window's words."""
    if isinstance(err, LibraryCorruptError):
        advice = "Restore a backup, open another data folder, or quit and keep the files as they are."
    elif isinstance(err, LibraryLockedError):
        advice = "Close the other DoiChieu windows or commands using it, then start again, or open another data folder."
    else:
        advice = "Open another data folder, or quit; restoring a backup may help if the file itself is damaged."
    return f"<b>The library could not be opened.</b><br>{for_window(err)}<br><br>{advice}"


def open_library(parent: QWidget | None = None) -> Library | None:
    """The session the window works on (today's backup made, default tags present), or None when the
    user chose Quit."""
    while True:
        try:
            return open_session()
        except LibraryError as err:
            target = err.path if isinstance(err, LibraryCorruptError) and err.path else paths.library_path()
            dialog = BackupsDialog(
                start_message(err), describe_backups(backups_folder(target)), at_start=True, parent=parent
            )
            dialog.exec()
            if dialog.choice is Choice.RESTORE and dialog.chosen is not None:
                try:
                    restore(dialog.chosen.path, target)
                except DoiChieuError as failed:
                    QMessageBox.warning(parent, "DoiChieu", f"The backup could not be restored: {failed}")
            elif dialog.choice is Choice.OTHER_FOLDER:
                folder = QFileDialog.getExistingDirectory(parent, "Open another data folder", str(Path.home()))
                if folder:
                    os.environ[paths.DATA_DIR_ENV] = folder  # the library, backups, models and settings there
            else:
                return None
