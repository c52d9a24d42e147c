"""The window from the keyboard and across sessions, in the real window on a real library: Tab and
Shift+Tab reach every pane (and leave the sentence table), Help › Keyboard shortcuts lists every key
the actions have, each document reopens where the reader left it (also after the window is closed
and started again), and a dropped file is copied, never moved."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from app.core.pipeline import import_file
from app.core.services.reading import reading_position
from app.core.store import Library
from app.core.store.claims import ClaimStore
from app.gui import settings
from app.gui.dialogs.shortcuts import ShortcutsDialog
from app.gui.main_window import Key, MainWindow
from app.gui.main_window.actions import PANE_KEYS

FIXTURES = Path(__file__).parent / "fixtures"
SUPERCOMPUTERS = "pdf_copy_supercomputers.vi"
FORUM = "forum_post_ai_race.vi"
LONG = "bao-cao-dai"
WAIT_MS = 20_000


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with both samples and a long report (both samples' paragraphs eight times over,
    a few hundred sentences) imported, copied by every test."""
    folder = tmp_path_factory.mktemp("template") / "data"
    samples = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.vi.txt"))]
    long_text = "\n\n".join(f"Phần {i + 1}.\n\n{text}" for i in range(8) for text in samples)
    long_file = folder.parent / f"{LONG}.txt"
    long_file.write_text(long_text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DOICHIEU_DATA_DIR", str(folder))
        with Library.open() as lib:
            ClaimStore(lib).ensure_default_tags()
            for path in [*sorted(FIXTURES.glob("*.vi.txt")), long_file]:
                import_file(lib, path)
    return folder


@pytest.fixture
def docs(template: Path, data_dir: Path) -> dict[str, int]:
    shutil.copytree(template, data_dir, dirs_exist_ok=True)
    with Library.open() as lib:
        return {d.title: d.id for d in lib.documents()}


def start_window(qtbot) -> MainWindow:  # type: ignore[no-untyped-def]
    """The window as a user starts it (it opens the document it had open last)."""
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitActive(win)
    qtbot.waitUntil(lambda: not win.jobs.busy(), timeout=WAIT_MS)
    return win


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def row_in_view(win: MainWindow, row: int) -> bool:
    table = win.view.table
    assert win.view.model is not None
    rect = table.visualRect(win.view.model.index(row, 1))
    return rect.isValid() and table.viewport().rect().contains(rect.center())


# Tab order -----------------------------------------------------------------------------------------------


def test_tab_and_shift_tab_reach_every_pane_and_leave_the_table(qtbot, docs: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    settings.put(settings.LAST_DOCUMENT, docs[SUPERCOMPUTERS])
    win = start_window(qtbot)
    side, view, panel = win.sidebar, win.view, win.panel
    # search results are a pane too while the search box holds words
    side.search.setFocus()
    qtbot.waitUntil(side.search.hasFocus)
    qtbot.keyClicks(side.search, "sieu may tinh")
    qtbot.waitUntil(lambda: side.results.isVisible() and not win.jobs.busy(), timeout=WAIT_MS)
    panes = {
        "library search": side.search,
        "document list": side.list,
        "search results": side.results,
        "sentence table": view.table,
        "Vietnamese pane": view.vi_text,
        "English pane": view.en_text,
        "claims list": panel.table,
    }

    def walk(key: Qt.Key) -> list[QWidget]:
        side.search.setFocus()
        qtbot.waitUntil(side.search.hasFocus)
        seen: list[QWidget] = []
        for _ in range(60):
            widget = focused()
            assert widget is not None
            seen.append(widget)
            qtbot.keyClick(widget, key)
            if focused() is side.search:
                break
        return seen

    forward = walk(Qt.Key.Key_Tab)
    missing = [name for name, w in panes.items() if w not in forward]
    assert not missing, f"Tab never reaches {missing}"
    backward = walk(Qt.Key.Key_Backtab)
    missing = [name for name, w in panes.items() if w not in backward]
    assert not missing, f"Shift+Tab never reaches {missing}"

    # in the table, Tab goes to the next pane at once (the current sentence stays where it is)
    view.go_to_row(3)
    view.table.setFocus()
    qtbot.waitUntil(view.table.hasFocus)
    qtbot.keyClick(view.table, Qt.Key.Key_Tab)
    assert focused() is not view.table
    assert forward.index(focused()) == forward.index(view.table) + 1
    assert view.table.currentIndex().row() == 3 and view.table.currentIndex().column() == 1
    view.table.setFocus()
    qtbot.waitUntil(view.table.hasFocus)
    qtbot.keyClick(view.table, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is not view.table
    assert view.table.currentIndex().row() == 3 and view.table.currentIndex().column() == 1


# Help › Keyboard shortcuts --------------------------------------------------------------------------------


def test_keyboard_shortcuts_lists_every_key_the_actions_have(qtbot, docs: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    win = start_window(qtbot)
    help_menu = next(a.menu() for a in win.menuBar().actions() if a.text() == "&Help")
    assert win.action(Key.KEYBOARD_SHORTCUTS) in help_menu.actions()
    win.action(Key.KEYBOARD_SHORTCUTS).trigger()
    dialog = win.findChild(ShortcutsDialog)
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    rows = dialog.rows()
    listed = {(what, keys) for _where, what, keys in rows}

    with_keys = [key for key in Key if not win.action(key).shortcut().isEmpty()]
    assert Key.FIND_NEXT in with_keys and Key.FIND_PREVIOUS in with_keys and Key.FIND in with_keys
    for key in with_keys:
        action = win.action(key)
        keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts())
        what = action.text().replace("&", "").rstrip("…").strip()
        assert (what, keys) in listed, f"{key} ({what}, {keys}) is not listed"
    assert ("Find next", "F3") in listed and ("Find previous", "Shift+F3") in listed
    for where, what, keys in PANE_KEYS:
        assert (where, what, keys) in rows
    # nothing listed twice, and nothing listed that no action or pane has
    assert len(rows) == len(with_keys) + len(PANE_KEYS)
    # the same key never does two things
    all_keys = [win.action(k).shortcut().toString() for k in with_keys]
    assert len(all_keys) == len(set(all_keys)), all_keys
    dialog.close()


# reading position ---------------------------------------------------------------------------------------


def test_each_document_reopens_where_the_reader_left_it_also_after_a_restart(qtbot, docs: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    long_doc, other = docs[LONG], docs[FORUM]
    settings.put(settings.LAST_DOCUMENT, long_doc)
    win = start_window(qtbot)
    total = win.lib.document(long_doc).segment_count
    assert total > 100
    far, further = total * 2 // 3, total - 5
    assert win.view.doc_id() == long_doc
    assert win.view.table.currentIndex().row() <= 0  # never read: opens at the start

    # leaving a document keeps its place; coming back restores it
    win.view.go_to_row(far)
    win.open_document(other)
    assert win.view.doc_id() == other
    win.open_document(long_doc)
    qtbot.waitUntil(lambda: win.view.table.currentIndex().row() == far)
    assert win.view.selected_rows() == [far]
    # left again at once, before the sentence was reached: its place is kept all the same
    win.open_document(other)
    win.open_document(long_doc)  # on its way to `far`
    win.open_document(other)
    win.open_document(long_doc)
    qtbot.waitUntil(lambda: win.view.table.currentIndex().row() == far)
    qtbot.waitUntil(lambda: row_in_view(win, far))
    # the other document was never moved in: it opens at its start
    win.open_document(other)
    assert win.view.table.currentIndex().row() <= 0
    win.open_document(long_doc)

    # closing the window keeps the place; a new window on the same library opens there
    win.view.go_to_row(further)
    win.close()
    assert win.library_closed
    with Library.open() as lib:
        assert reading_position(lib, long_doc) == further
    again = start_window(qtbot)
    assert again.view.doc_id() == long_doc
    qtbot.waitUntil(lambda: again.view.table.currentIndex().row() == further)
    qtbot.waitUntil(lambda: row_in_view(again, further))
    again.close()


def test_a_reading_position_past_the_end_reopens_at_the_last_sentence(docs: dict[str, int]) -> None:
    """The document was re-cleaned into fewer sentences since: its last sentence, not an error."""
    from app.core.services.reading import remember_reading_position

    with Library.open() as lib:
        doc = docs[FORUM]
        assert reading_position(lib, doc) is None  # never read
        last = lib.document(doc).segment_count - 1
        remember_reading_position(lib, doc, last + 50)
        assert reading_position(lib, doc) == last
        remember_reading_position(lib, doc, None)
        assert reading_position(lib, doc) is None
        remember_reading_position(lib, 9999, 3)  # a deleted document: nothing to keep, no error


# drops ----------------------------------------------------------------------------------------------------


def test_a_dropped_file_is_copied_never_moved(qtbot, docs: dict[str, int], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    win = start_window(qtbot)
    before = len(win.sidebar.model.document_ids())
    dropped = tmp_path / "ghi-chu.txt"
    dropped.write_text("Báo cáo năm 2024 cho thấy số bằng sáng chế tăng 12%.\n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(dropped))])
    both = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    move, left, none = Qt.DropAction.MoveAction, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    # the file manager proposes a move (as with Shift held); the window takes a copy
    with warnings.catch_warnings():  # PySide flags QDragEnterEvent's only constructor as deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(QPoint(200, 200), both, mime, left, none)
        enter.setDropAction(move)
        moving = QDragMoveEvent(QPoint(210, 210), both, mime, left, none)
        moving.setDropAction(move)
    QApplication.sendEvent(win, enter)
    assert enter.isAccepted() and enter.dropAction() == Qt.DropAction.CopyAction
    QApplication.sendEvent(win, moving)
    assert moving.isAccepted() and moving.dropAction() == Qt.DropAction.CopyAction
    drop = QDropEvent(QPointF(210, 210), both, mime, left, none)
    drop.setDropAction(move)
    QApplication.sendEvent(win, drop)
    assert drop.isAccepted() and drop.dropAction() == Qt.DropAction.CopyAction
    qtbot.waitUntil(
        lambda: len(win.sidebar.model.document_ids()) == before + 1 and not win.jobs.busy(), timeout=WAIT_MS
    )
    assert dropped.read_text(encoding="utf-8").startswith("Báo cáo năm 2024")  # the user's file is still there

    # a drag that can only be a move is refused: the window never takes the user's file away
    only_move = QDropEvent(QPointF(210, 210), move, mime, left, none)
    only_move.setAccepted(False)
    QApplication.sendEvent(win, only_move)
    assert not only_move.isAccepted()
