"""Review in the real window, OmegaT-style (issue 18), on a real library translated by the tiny real model:
Ctrl+Enter on untouched machine English marks it reviewed (still machine output, its ⚠ kept) and opens
the editor on the next sentence; an edit is "edited by hand"; a ⚠ goes only when cleared from the
context menu; the HTML report written from File › Export shows the three states. Ctrl+Z in the editor
with nothing left to undo, and the context menu, revert an edit to the machine English (the edit stays in
the library). The filter above the table lists only untranslated / flagged / unreviewed / claimed ones."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt as QtNS
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMenu, QPlainTextEdit

from app.core.claims.workflow import create_claim
from app.core.pipeline import import_file, import_text
from app.core.store import Library, NewTranslation
from app.core.translate import packages, review
from app.core.translate.engine import Engine
from app.core.translate.memory import translate_document
from app.gui.main_window import Key, MainWindow

Qt = QtNS
CLAIM_WORDS = "gấp hàng triệu lần"
ODD_SPACING = "Two  spaces\nand a line break."
UNTRANSLATED_TEXT = "Giá xăng tăng 5% trong tháng Ba.\n\nChính phủ không tăng thuế."


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, tiny_model_path: Path) -> Path:
    """A data folder with the tiny model installed, the supercomputer sample translated by it with a
    claim on one sentence, and a second, untranslated document. Built once; each test gets a copy."""
    root = tmp_path_factory.mktemp("review") / "data"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DOICHIEU_DATA_DIR", str(root))
        engine = Engine(packages.install_package(tiny_model_path))
        with Library.open() as lib:
            doc = import_file(lib, Path(__file__).parent / "fixtures" / "pdf_copy_supercomputers.vi.txt").document_id
            translate_document(lib, doc, engine)
            last = lib.segments(doc)[-1]  # machine English with a double space and a line break
            lib.add_translations([NewTranslation(last.id, ODD_SPACING, "machine", engine.model_id)])
            cleaned = lib.document_texts(doc)[1]
            start = cleaned.index(CLAIM_WORDS)
            create_claim(lib, doc, start, start + len(CLAIM_WORDS))
            import_text(lib, UNTRANSLATED_TEXT, title="not translated")
    return root


@pytest.fixture
def win(qtbot, data_dir: Path, template: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    shutil.copytree(template, data_dir)  # no connection is open on the template
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    docs = {window.lib.document(i).title: i for i in window.sidebar.model.document_ids()}
    window.open_document(docs["pdf_copy_supercomputers.vi"])
    assert window.view.model is not None
    window.view.model.fetch_until(window.view.model.total)
    yield window
    window.close()


def _editor(win: MainWindow) -> QPlainTextEdit:
    editors = [e for e in win.view.table.findChildren(QPlainTextEdit, "postEditor") if e.isVisible()]
    assert len(editors) == 1 and win.view.table.state() == QAbstractItemView.State.EditingState
    return editors[0]


def _editing_row(win: MainWindow, row: int) -> bool:
    editors = [e for e in win.view.table.findChildren(QPlainTextEdit, "postEditor") if e.isVisible()]
    return (
        len(editors) == 1
        and win.view.table.state() == QAbstractItemView.State.EditingState
        and win.view.table.currentIndex().row() == row
    )


def _open_editor(win: MainWindow, qtbot, row: int) -> QPlainTextEdit:  # type: ignore[no-untyped-def]
    win.view.close_editor()
    win.view.go_to_row(row, 2)
    win.action(Key.EDIT_ENGLISH).trigger()  # F2
    qtbot.waitUntil(lambda: _editing_row(win, row))
    return _editor(win)


def _ctrl_enter(qtbot, editor: QPlainTextEdit, win: MainWindow | None = None) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+Enter in the editor; with `win`, waits until the editor is open on the next sentence to review."""
    row = win.view.table.currentIndex().row() if win is not None else -1
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    if win is not None:
        qtbot.waitUntil(lambda: _editing_row(win, win.view.next_unreviewed(row)))


def _context_menu(win: MainWindow, qtbot, row: int, key: Key) -> bool:  # type: ignore[no-untyped-def]
    """Right-click the sentence's English; trigger `key`'s entry if enabled. Returns whether it was."""
    table = win.view.table
    win.view.go_to_row(row, 2)
    seen: dict[str, bool] = {}

    def pick() -> None:
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        action = next(a for a in menu.actions() if a.objectName() == key.value)
        seen["enabled"] = action.isEnabled()
        menu.close()
        if action.isEnabled():
            action.trigger()

    QTimer.singleShot(0, pick)
    table.customContextMenuRequested.emit(table.visualRect(win.view.model.index(row, 2)).center())
    qtbot.waitUntil(lambda: "enabled" in seen)
    return seen["enabled"]


def _report_rows(html: str) -> dict[int, tuple[str, str]]:
    """Sentence number -> (data-review, the English cell's HTML) of the report's bilingual table."""
    rows = re.findall(
        r'<td class="n"[^>]*>(\d+)</td>\s*<td class="vi".*?</td>\s*'
        r'<td class="en[^"]*" data-review="(\w+)"[^>]*>(.*?)</td>',
        html,
        re.S,
    )
    return {int(n): (state, cell) for n, state, cell in rows}


def test_three_review_states_reach_the_html_report(win: MainWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    view = win.view
    model = view.model
    assert model is not None
    seg_of = {r: model.segments[r] for r in range(model.rowCount())}
    flagged = [r for r in seg_of if model.flagged(r) and model.translations[seg_of[r].id].kind == "machine"]
    assert len(flagged) >= 3, "the tiny model's nonsense English is flagged on several sentences"
    a = flagged[0]
    flags_a = model.translations[seg_of[a].id].flags

    # 1. Ctrl+Enter on untouched machine English: reviewed, still machine output, ⚠ kept
    _ctrl_enter(qtbot, _open_editor(win, qtbot, a))
    b = view.next_unreviewed(a)
    qtbot.waitUntil(lambda: _editing_row(win, b))  # OmegaT's flow: the editor opens on the next one
    tr_a = model.translations[seg_of[a].id]
    assert (tr_a.kind, tr_a.reviewed, tr_a.flags) == ("machine", True, flags_a)
    assert review.state_of(tr_a) == review.REVIEWED
    assert [t.kind for t in win.lib.translation_history(seg_of[a].id)] == ["machine"]  # nothing stored as human
    assert "reviewed" in model.data(model.index(a, 2), Qt.ItemDataRole.ToolTipRole)

    # 2. typing in that editor, then Ctrl+Enter: edited by hand, and on to the next sentence
    editor = _editor(win)
    editor.setPlainText("My own English for this sentence.")
    _ctrl_enter(qtbot, editor)
    qtbot.waitUntil(
        lambda: view.table.currentIndex().row() not in (a, b) and _editing_row(win, view.table.currentIndex().row())
    )
    assert review.state_of(model.translations[seg_of[b].id]) == review.EDITED
    c = view.table.currentIndex().row()
    view.close_editor()
    assert review.state_of(model.translations[seg_of[c].id]) == review.MACHINE

    # 3. a ⚠ goes only when the user clears it (context menu), and that is recorded
    d = next(r for r in flagged if r not in (a, b, c))
    assert model.flagged(d)
    assert _context_menu(win, qtbot, d, Key.CLEAR_WARNING)
    assert not model.flagged(d) and model.translations[seg_of[d].id].cleared
    assert [e.action for e in review.log(win.lib, [seg_of[d].id])] == ["flags-cleared"]
    assert not _context_menu(win, qtbot, d, Key.CLEAR_WARNING)  # nothing left to clear
    assert model.flagged(a)  # accepting was not clearing

    # 4. File › Export as HTML: the three states, each sentence as the user left it
    win.action(Key.EXPORT).trigger()
    dialog = win.tools.export_dialog
    qtbot.waitUntil(lambda: "Tiếng Việt" in dialog.preview.toPlainText(), timeout=20_000)
    dialog.format.setCurrentIndex(dialog.format.findData("html"))
    dialog.save_to(tmp_path / "report")
    out = tmp_path / "report.html"
    qtbot.waitUntil(lambda: out.is_file() and dialog.status.text().startswith("Saved"), timeout=30_000)
    dialog.close()
    html = out.read_text(encoding="utf-8")
    rows = _report_rows(html)
    assert len(rows) == model.rowCount()
    state_a, cell_a = rows[a + 1]
    assert state_a == "reviewed" and "✓" in cell_a and "✎" not in cell_a and "⚠" in cell_a
    state_b, cell_b = rows[b + 1]
    assert state_b == "edited" and "✎" in cell_b and "My own English" in cell_b
    state_c, cell_c = rows[c + 1]
    assert state_c == "machine" and "✓" not in cell_c and "✎" not in cell_c
    assert "⚠" not in rows[d + 1][1]  # cleared
    assert "✓</span> machine translation reviewed (accepted unchanged)" in html  # the legend names them
    assert re.search(
        r"machine, not reviewed · <span class=\"ok\">✓</span> 1 reviewed · <span class=\"edit\">✎</span> 1 edited", html
    )


def test_revert_to_machine_with_ctrl_z_and_the_context_menu(win: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = win.view
    model = view.model
    assert model is not None
    rows = [r for r in range(model.rowCount()) if model.translations[model.segments[r].id].kind == "machine"]
    r, s = rows[1], rows[3]
    seg_r, seg_s = model.segments[r], model.segments[s]
    machine_r = model.translations[seg_r.id].text
    machine_s = model.translations[seg_s.id].text
    assert not _context_menu(win, qtbot, r, Key.REVERT_MACHINE)  # machine English: nothing to revert

    # an edit stored with Ctrl+Enter
    editor = _open_editor(win, qtbot, r)
    editor.setPlainText("Edited once.")
    _ctrl_enter(qtbot, editor, win)
    assert model.translations[seg_r.id].kind == "human"

    # Ctrl+Z first undoes what was typed in the editor, as any editor does...
    editor = _open_editor(win, qtbot, r)
    qtbot.keyClicks(editor, "typo")
    assert editor.toPlainText() == "typo"
    while editor.document().isUndoAvailable():
        qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == "Edited once." and model.translations[seg_r.id].kind == "human"
    # ...and with nothing left to undo, goes back to the machine English; the editor stays open on it
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: model.translations[seg_r.id].kind == "machine" and _editing_row(win, r))
    assert model.translations[seg_r.id].text == machine_r
    assert _editor(win).toPlainText() == machine_r
    view.close_editor()
    assert model.translations[seg_r.id].kind == "machine"  # closing the editor stored nothing
    history = win.lib.translation_history(seg_r.id)
    assert [(t.kind, t.text, t.reverted) for t in history] == [
        ("machine", machine_r, False),
        ("human", "Edited once.", True),
    ]

    # the context menu's "Revert to machine translation"
    editor = _open_editor(win, qtbot, s)
    editor.setPlainText("Edited by hand, then reverted.")
    _ctrl_enter(qtbot, editor, win)
    assert model.translations[seg_s.id].kind == "human"
    view.close_editor()
    assert _context_menu(win, qtbot, s, Key.REVERT_MACHINE)
    assert (model.translations[seg_s.id].kind, model.translations[seg_s.id].text) == ("machine", machine_s)
    assert win.lib.current_translations(model.doc_id)[seg_s.id].text == machine_s
    assert [e.action for e in review.log(win.lib, [seg_r.id, seg_s.id])] == ["reverted", "reverted"]
    assert "Edited by hand, then reverted." in [t.text for t in win.lib.translation_history(seg_s.id)]


def test_one_filter_lists_untranslated_flagged_unreviewed_or_claimed(win: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = win.view
    model = view.model
    assert model is not None
    combo = view.review_filter
    modes = [combo.itemData(i) for i in range(combo.count())]
    assert modes == ["all", "untranslated", "flagged", "unreviewed", "claimed", "low-confidence"]

    def listed() -> list[int]:
        return [r for r in range(model.rowCount()) if not view.table.isRowHidden(r)]

    total = model.rowCount()
    flagged = [r for r in range(total) if model.flagged(r)]
    machine = [r for r in range(total) if model.translations[model.segments[r].id].kind == "machine"]
    claimed = [r for r in range(total) if CLAIM_WORDS in " ".join(model.segments[r].text.split())]
    assert flagged and machine and len(claimed) == 1

    combo.setCurrentIndex(combo.findData("flagged"))
    assert listed() == flagged and view.confidence_status.text() == f"{len(flagged)} sentences"
    combo.setCurrentIndex(combo.findData("claimed"))
    assert listed() == claimed
    combo.setCurrentIndex(combo.findData("untranslated"))
    assert listed() == []  # every sentence has English
    combo.setCurrentIndex(combo.findData("unreviewed"))
    assert listed() == machine
    assert not view.confidence_limit.isEnabled()  # the limit belongs to the confidence filter

    # accepting a sentence takes it off the unreviewed list at once
    first = machine[0]
    _ctrl_enter(qtbot, _open_editor(win, qtbot, first), win)
    qtbot.waitUntil(lambda: listed() == machine[1:])
    view.close_editor()

    # with a filter on, Ctrl+Enter walks the sentences it lists: from one flagged sentence to the next
    combo.setCurrentIndex(combo.findData("flagged"))
    todo = [r for r in flagged if r != first and review.needs_review(model.translations[model.segments[r].id])]
    assert len(todo) >= 3
    here, hidden, there = todo[:3]
    view.go_to_row(hidden, 2)
    win.action(Key.CLEAR_WARNING).trigger()  # no longer flagged: the filter hides it, still unreviewed
    qtbot.waitUntil(lambda: view.table.isRowHidden(hidden))
    assert review.needs_review(model.translations[model.segments[hidden].id])
    _ctrl_enter(qtbot, _open_editor(win, qtbot, here))
    qtbot.waitUntil(lambda: _editing_row(win, there))
    view.close_editor()

    # the other document: nothing translated, so everything is listed as untranslated
    docs = {win.lib.document(i).title: i for i in win.sidebar.model.document_ids()}
    win.open_document(docs["not translated"])
    qtbot.waitUntil(lambda: win.view.model is not None and win.view.model.doc_id == docs["not translated"])
    other = win.view.model
    combo.setCurrentIndex(combo.findData("untranslated"))
    assert [r for r in range(other.rowCount()) if not view.table.isRowHidden(r)] == list(range(other.rowCount()))
    assert other.rowCount() == 2
    combo.setCurrentIndex(combo.findData("all"))
    assert view.confidence_status.text() == ""


def test_untouched_english_with_odd_spacing_is_accepted_not_edited(win: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    model = win.view.model
    assert model is not None
    last = model.rowCount() - 1
    seg = model.segments[last]
    assert model.translations[seg.id].text == ODD_SPACING
    editor = _open_editor(win, qtbot, last)
    assert editor.toPlainText() == ODD_SPACING
    _ctrl_enter(qtbot, editor)  # nothing typed: the editor's text is the machine English as shown
    qtbot.waitUntil(lambda: model.translations[seg.id].reviewed)
    assert review.state_of(model.translations[seg.id]) == review.REVIEWED
    assert {t.kind for t in win.lib.translation_history(seg.id)} == {"machine"}  # no "edit" was stored
