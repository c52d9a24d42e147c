"""Recovery without a terminal, on real files: the window makes the day's backup as the command line
does; a damaged library at start opens the backups dialog and Restore brings the window up on the
newest backup; File › Back up now… and File › Restore from backup… work from the window."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from app.core import paths
from app.core.pipeline import import_text
from app.core.services.session import backup_now, describe_backups
from app.core.store import Library
from app.core.store.backups import daily_backup
from app.gui.dialogs.backups import BackupsDialog
from app.gui.main_window import Changes, Key, MainWindow
from app.gui.recovery import open_library

FIRST = "Năm 2023, Việt Nam xuất khẩu 3,6 triệu tấn cà phê.\n\nĐây là đoạn thứ hai."
SECOND = "Ngân hàng Nhà nước công bố lãi suất mới.\n\nĐây là tin ngắn."
THIRD = "Tin thêm sau bản sao lưu.\n\nKhông có trong bản sao."


def answer_dialog(act: Callable[[BackupsDialog], None], seen: list[BackupsDialog]) -> None:
    """Once the backups dialog is up (it runs its own event loop), act on it as a user would."""

    def look() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, BackupsDialog) and w.isVisible()]
        if not shown:
            QTimer.singleShot(10, look)
            return
        seen.append(shown[0])
        act(shown[0])

    QTimer.singleShot(0, look)


def damage(path: Path) -> None:
    """Garbage over the pages after the first: the header still says SQLite, the tables do not hold."""
    data = bytearray(path.read_bytes())
    assert len(data) > 8192
    data[4096:] = bytes([0xA5]) * (len(data) - 4096)
    path.write_bytes(bytes(data))


def test_opening_the_window_makes_todays_backup(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    with Library.open() as lib:
        import_text(lib, FIRST)
    assert describe_backups() == []
    win = MainWindow()
    qtbot.addWidget(win)
    backups = describe_backups()
    assert len(backups) == 1 and backups[0].documents == 1
    assert backups[0].path.name == f"library-{datetime.now(UTC):%Y-%m-%d}.sqlite3"
    win.close()


def test_damaged_library_at_start_restores_the_newest_backup(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    with Library.open() as lib:
        import_text(lib, FIRST, title="Cà phê")
        daily_backup(lib, today=datetime(2026, 1, 1, tzinfo=UTC))  # an older backup: one document
        import_text(lib, SECOND, title="Lãi suất")
        newest = backup_now(lib)  # two documents
    library = paths.library_path()
    damage(library)

    seen: list[BackupsDialog] = []
    answer_dialog(lambda d: d.restore_button.click(), seen)
    lib = open_library()
    assert lib is not None and len(seen) == 1
    listed = seen[0].backups
    assert [b.documents for b in listed] == [2, 1] and seen[0].chosen == listed[0] and listed[0].path == newest
    assert seen[0].folder_button is not None and seen[0].quit_button.text() == "Quit"
    assert "could not be opened" in seen[0].windowTitle()
    assert lib.integrity() == "ok"
    assert list(library.parent.glob("library.sqlite3.before-restore-*"))  # the damaged file, set aside

    win = MainWindow(lib)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: not win.jobs.busy(), timeout=30_000)
    titles = sorted(win.lib.document(i).title for i in win.sidebar.model.document_ids())
    assert titles == ["Cà phê", "Lãi suất"] and win.view.doc_id() is not None
    win.close()


def test_damaged_library_at_start_quit_leaves_the_files_alone(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    with Library.open() as lib:
        import_text(lib, FIRST)
        backup_now(lib)
    library = paths.library_path()
    damage(library)
    damaged = library.read_bytes()
    seen: list[BackupsDialog] = []
    answer_dialog(lambda d: d.quit_button.click(), seen)
    assert open_library() is None and len(seen) == 1
    assert library.read_bytes() == damaged  # nothing restored, nothing moved


def test_back_up_now_and_restore_from_the_window(
    qtbot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    with Library.open() as lib:
        import_text(lib, FIRST, title="Cà phê")
        import_text(lib, SECOND, title="Lãi suất")
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: not win.jobs.busy(), timeout=30_000)

    # File › Back up now…: the save dialog proposes the backups folder; the copy is a whole library
    proposed: list[str] = []
    target = paths.backups_dir() / "library-before-the-third.sqlite3"

    def save_as(parent, title, start, filters):  # type: ignore[no-untyped-def]
        proposed.append(start)
        return str(target), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    win.action(Key.BACKUP_NOW).trigger()
    qtbot.waitUntil(lambda: target.is_file() and not win.jobs.busy(), timeout=30_000)
    assert Path(proposed[0]).parent == paths.backups_dir()
    assert [b.documents for b in describe_backups() if b.path == target] == [2]  # read-only, through SQLite

    # a document added after the backup, then File › Restore from backup…, confirmed
    import_text(win.lib, THIRD, title="Sau")
    win.report(Changes(documents=True))
    assert len(win.sidebar.model.document_ids()) == 3
    questions: list[str] = []
    yes = QMessageBox.StandardButton.Yes
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text, *a: questions.append(text) or yes)
    seen: list[BackupsDialog] = []

    def pick_mine(dialog: BackupsDialog) -> None:
        row = next(i for i, b in enumerate(dialog.backups) if b.path == target)
        dialog.table.selectRow(row)
        dialog.restore_button.click()

    answer_dialog(pick_mine, seen)
    old = win.lib
    win.action(Key.RESTORE_BACKUP).trigger()
    assert len(seen) == 1 and seen[0].folder_button is None and seen[0].quit_button.text() == "Cancel"
    assert questions and "2 documents" in questions[0]
    assert [m.text() for m in win.messages] == []
    assert win.lib is not old and win.lib.integrity() == "ok"
    titles = sorted(win.lib.document(i).title for i in win.sidebar.model.document_ids())
    assert titles == ["Cà phê", "Lãi suất"]
    assert win.view.doc_id() in win.sidebar.model.document_ids()
    assert list(paths.library_path().parent.glob("library.sqlite3.before-restore-*"))
    win.close()


def test_damaged_library_at_start_can_open_another_data_folder(
    qtbot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    with Library.open() as lib:
        import_text(lib, FIRST)
    damage(paths.library_path())
    other = tmp_path / "other data"
    other.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a: str(other))
    seen: list[BackupsDialog] = []
    answer_dialog(lambda d: d.folder_button.click() if d.folder_button else None, seen)
    lib = open_library()
    assert lib is not None and len(seen) == 1 and not seen[0].backups  # no backup there: nothing listed
    assert not seen[0].restore_button.isEnabled()
    assert lib.path == other / "library.sqlite3" and paths.data_dir() == other
    win = MainWindow(lib)
    qtbot.addWidget(win)
    assert win.stack.currentWidget() is win.welcome  # a new, empty library there
    win.close()


def test_what_opening_did_to_the_library_files_is_said_once(
    qtbot, data_dir: Path, tmp_path: Path, fixtures: Path
) -> None:  # type: ignore[no-untyped-def]
    """A write-ahead log that does not belong to the library is set aside by the core; the window
    says so in a message that does not block (the CLI prints it as a note)."""
    from tests.test_stale_wal import _foreign_wal

    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_foreign_wal(tmp_path, fixtures), data_dir / "library.sqlite3-wal")
    win = MainWindow()
    qtbot.addWidget(win)
    notes = [box.text() for box in win.messages]
    assert len(notes) == 1 and "set aside" in notes[0] and not win.messages[0].isModal()
    assert list(data_dir.glob("library.sqlite3-wal.set-aside-*"))
    win.close()
