"""Claims in the window, driven as a user would on a real library: Ctrl+T or a tag key on a claimed
sentence edits that claim (a second claim over the same words only when asked for), selections snap to
whole words, the claims panel is readable (wrapped, coloured, sortable, a Document column for the whole
library), the claim dialog shows the history and edits or removes evidence, suggestion counts follow
Accept/Dismiss and claims, and F8 / Shift+F8 / Ctrl+Shift+A / Ctrl+Shift+D work."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QStyleOptionViewItem, QTableWidget

from app.core.claims import workflow
from app.core.store import Library
from app.core.store.claims import ClaimStore
from app.core.store.library import fold
from app.gui.claims_panel import (
    CHIPS_ROLE,
    COMPACT,
    DOCUMENT,
    DOCUMENT_ROLE,
    DOCUMENT_WIDE,
    ENGLISH_ROLE,
    TAGS,
    VERDICT,
    VERDICT_COLORS,
    VIETNAMESE,
)
from app.gui.dialogs.claim_dialog import ClaimDialog
from app.gui.main_window import Key, MainWindow
from tests import test_gui_panels as panels
from tests.test_gui_panels import (
    FORUM,
    SUPERCOMPUTERS,
    WAIT_MS,
    answer_next_question,
    button,
    click,
    click_cell,
    open_window,
    stored,
    view_row,
)

template = panels.template  # the fixtures: one library with both samples, copied by each test
docs = panels.docs

SHOTS = Path("/tmp")


def press(qtbot, win: MainWindow, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    focus(qtbot, win, win.view.table)
    qtbot.keyClick(win.view.table, key, modifiers)


def focus(qtbot, win: MainWindow, widget) -> None:  # type: ignore[no-untyped-def]
    if not win.isActiveWindow():  # a question or dialog was closed just now
        win.activateWindow()
        qtbot.waitActive(win)
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def answer_duplicate(win: MainWindow, choice: str, seen: list[str]) -> QTimer:
    """Click `choice` in the "already a claim" question the window is about to ask (it blocks in its own
    event loop, where this timer keeps looking). Keep the timer until it has fired."""
    timer = QTimer()

    def look() -> None:
        box = win.claiming.question
        if box is None or not box.isVisible():
            return
        timer.stop()
        seen.append(box.text() + " " + box.informativeText())
        (wanted,) = [b for b in box.buttons() if b.text().replace("&", "") == choice]
        wanted.click()

    timer.timeout.connect(look)
    timer.start(10)
    return timer


def dialog_open(qtbot, win: MainWindow) -> ClaimDialog:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: win.claim_dialog is not None and win.claim_dialog.isVisible(), timeout=WAIT_MS)
    dialog = win.claim_dialog
    assert dialog is not None
    return dialog


def ok(qtbot, dialog: ClaimDialog) -> None:  # type: ignore[no-untyped-def]
    click(qtbot, dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok))


def select_in_pane(win: MainWindow, start: int, end: int) -> str:
    pane = win.view.vi_text
    cursor = QTextCursor(pane.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    pane.setTextCursor(cursor)
    return cursor.selectedText()


# 1. editing instead of duplicating ------------------------------------------------------------------------


def test_ctrl_t_and_tag_keys_on_a_claimed_sentence_edit_its_claim(qtbot, docs: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    doc = docs[SUPERCOMPUTERS]
    with Library.open() as lib:
        seg = lib.segments(doc)[4]
        claim_id = workflow.create_claim(lib, doc, seg.start_char, seg.end_char, tags=["statistic"])
    win = open_window(qtbot, doc)
    win.view.go_to_row(4)

    # Ctrl+T on the claimed sentence: that claim's dialog, not an empty "New claim"
    press(qtbot, win, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    dialog = dialog_open(qtbot, win)
    assert dialog.windowTitle() == f"Claim #{claim_id}"
    assert dialog.result_form().tags == ["statistic"]
    dialog.set_tag("ranking")
    dialog.verdict.setCurrentText("disputed")
    ok(qtbot, dialog)
    assert stored(win, doc) == [(seg.text, ("ranking", "statistic"), "disputed")]
    assert win.panel.current_claim() == claim_id

    # Ctrl+M (New claim) on it asks; Cancel does nothing, "Edit the existing claim" opens it
    seen: list[str] = []
    asking = answer_duplicate(win, "Cancel", seen)
    press(qtbot, win, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert not asking.isActive() and f"Claim #{claim_id} already covers these words" in seen[0]
    assert win.claim_dialog is None and len(stored(win, doc)) == 1
    asking = answer_duplicate(win, "Edit the existing claim", seen)
    press(qtbot, win, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    dialog = dialog_open(qtbot, win)
    assert dialog.windowTitle() == f"Claim #{claim_id}"
    click(qtbot, dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel))
    # "Add another claim": the user asked for a second one
    asking = answer_duplicate(win, "Add another claim", seen)
    press(qtbot, win, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    dialog = dialog_open(qtbot, win)
    assert dialog.windowTitle() == "New claim"
    ok(qtbot, dialog)
    assert len(stored(win, doc)) == 2 and len(seen) == 3
    # the sentence's context menu offers its claims to edit
    menu = win.claiming.context_menu()
    edits = [a for a in menu.actions() if a.objectName() == "editClaim"]
    assert [a.text().split(" ")[2] for a in edits] == [f"#{claim_id}", f"#{claim_id + 1}"]
    edits[0].trigger()
    dialog = dialog_open(qtbot, win)
    assert dialog.windowTitle() == f"Claim #{claim_id}"
    click(qtbot, dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel))

    # words selected in the pane, exactly a claim's words: the tag key tags that claim
    win.view.go_to_row(6)
    pane_text = win.view.vi_text.toPlainText()
    words = pane_text.split(" ")[0] + " " + pane_text.split(" ")[1]
    with Library.open() as lib:
        base = lib.segments(doc)[6].start_char
        exact = workflow.create_claim(lib, doc, base, base + len(words))
    win.refresh_claims()
    win.view.go_to_row(6)
    select_in_pane(win, 0, len(words))
    focus(qtbot, win, win.view.vi_text)
    qtbot.keyClick(win.view.vi_text, Qt.Key.Key_2)
    assert ClaimStore(win.lib).get(exact).tags == ("ranking",) and len(stored(win, doc)) == 3
    # words overlapping it but not the same: asked; Cancel marks nothing
    asking = answer_duplicate(win, "Cancel", seen)
    select_in_pane(win, 1, len(words) + 4)
    qtbot.keyClick(win.view.vi_text, Qt.Key.Key_1)
    assert not asking.isActive() and len(seen) == 4 and len(stored(win, doc)) == 3
    assert ClaimStore(win.lib).get(exact).tags == ("ranking",)


# 2. whole words ------------------------------------------------------------------------------------------


def test_a_selection_cut_inside_a_word_takes_the_whole_word(qtbot, docs: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    doc = docs[FORUM]
    win = open_window(qtbot, doc)
    row = next(s.idx for s in win.lib.segments(doc) if "TQ dẫn đầu" in s.text)
    win.view.go_to_row(row)
    text = win.view.vi_text.toPlainText()
    at = text.index("TQ dẫn đầu") + 1
    assert select_in_pane(win, at, at + len("Q dẫn đầ")) == "Q dẫn đầ"  # the T and the u left out
    qtbot.keyClick(win.view.vi_text, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    dialog = dialog_open(qtbot, win)
    assert dialog.findChildren(type(dialog.note))  # the dialog is up
    assert win.view.vi_text.textCursor().selectedText() == "TQ dẫn đầu"  # the pane shows what is claimed
    ok(qtbot, dialog)
    assert [c.quote for c in ClaimStore(win.lib).for_document(doc)] == ["TQ dẫn đầu"]


# 3. the claims panel --------------------------------------------------------------------------------------


def _many_claims(docs: dict[str, int]) -> dict[str, int]:
    """Claims of every verdict and several tags in both documents; ids by verdict (supercomputers)."""
    verdicts = ("unchecked", "supported", "disputed", "false", "unverifiable")
    tags = (["statistic"], ["ranking", "needs-source"], [], ["prediction"], ["opinion"])
    ids: dict[str, int] = {}
    with Library.open() as lib:
        for title, first in ((SUPERCOMPUTERS, 2), (FORUM, 1)):
            segs = lib.segments(docs[title])[first : first + 5]
            for seg, verdict, tag in zip(segs, verdicts, tags, strict=True):
                claim = workflow.create_claim(lib, docs[title], seg.start_char, seg.end_char, tags=tag, verdict=verdict)
                if title == SUPERCOMPUTERS:
                    ids[verdict] = claim
    return ids


def _fits(qtbot, win: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Every claim's words are shown whole once scrolled to: its row is as tall as its wrapped text needs."""
    panel = win.panel
    table, model = panel.table, panel.model
    QApplication.processEvents()
    assert table.columnWidth(VIETNAMESE) >= 200
    for row in range(model.rowCount()):
        index = model.index(row, VIETNAMESE)
        table.scrollTo(index)
        qtbot.waitUntil(lambda: not panel._sizing.isActive())  # rows are measured as they come into view
        option = QStyleOptionViewItem()
        option.initFrom(table)
        option.rect = table.visualRect(index)
        option.rect.setWidth(table.columnWidth(VIETNAMESE))
        needed = panel.text_delegate.sizeHint(option, index).height()
        assert table.rowHeight(row) >= needed, (row, table.rowHeight(row), needed)
        if table.fontMetrics().horizontalAdvance(model.rows[row].row.quote) > table.columnWidth(VIETNAMESE):
            assert needed > table.fontMetrics().height() * 2  # wrapped over lines, not cut to "Một b…"


@pytest.mark.parametrize("size", [(1024, 700), (1600, 1000)])
def test_claims_panel_is_readable_coloured_and_sortable(qtbot, docs: dict[str, int], size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    ids = _many_claims(docs)
    win = open_window(qtbot, docs[SUPERCOMPUTERS])
    win.resize(*size)
    qtbot.waitUntil(lambda: win.width() == size[0])
    panel, model, table = win.panel, win.panel.model, win.panel.table
    assert model.rowCount() == 5 and table.isColumnHidden(DOCUMENT)
    _fits(qtbot, win)
    # the English is under the Vietnamese in a narrow panel; a very narrow one shows tags and verdict
    # above the words instead of in their own columns
    assert table.isColumnHidden(3) and model.index(0, VIETNAMESE).data(ENGLISH_ROLE) is not None
    compact = table.width() < COMPACT
    assert compact == (size[0] == 1024) and table.isColumnHidden(TAGS) == compact == table.isColumnHidden(VERDICT)
    chips = [model.index(r, VIETNAMESE).data(CHIPS_ROLE) for r in range(model.rowCount())]
    if compact:
        assert [c[-1] for c in chips] == [(v, VERDICT_COLORS[v]) for v in VERDICT_COLORS]
        assert [n for n, _c in chips[1][:-1]] == ["needs-source", "ranking"]
    else:
        assert chips == [[]] * 5

    # one colour per verdict
    colours = {
        model.index(r, VERDICT).data(): model.index(r, VERDICT).data(Qt.ItemDataRole.BackgroundRole).name()
        for r in range(model.rowCount())
    }
    assert colours == VERDICT_COLORS

    panel.grab().save(str(SHOTS / f"claims_panel_{size[0]}x{size[1]}.png"))
    # all documents: each claim's document is named, in a Document column (first) when the panel is
    # wide enough, else above the claim's words
    panel.whole_library.click()
    assert model.rowCount() == 10
    wide = table.width() >= DOCUMENT_WIDE
    assert table.isColumnHidden(DOCUMENT) != wide and (size[0] == 1600) == wide
    assert table.horizontalHeader().visualIndex(DOCUMENT) == 0
    assert {model.index(r, DOCUMENT).data() for r in range(10)} == {SUPERCOMPUTERS, FORUM}
    above = {model.index(r, VIETNAMESE).data(DOCUMENT_ROLE) for r in range(10)}
    assert above == ({""} if wide else {SUPERCOMPUTERS, FORUM})
    _fits(qtbot, win)
    panel.grab().save(str(SHOTS / f"claims_panel_all_{size[0]}x{size[1]}.png"))

    # every column sorts, both ways; a third click is document order again
    natural = [v.row.id for v in model.rows]
    header = table.horizontalHeader()
    for column, key in (
        (VERDICT, lambda v: ("unchecked", "supported", "disputed", "false", "unverifiable").index(v.row.verdict)),
        (TAGS, lambda v: (not v.row.tags, ", ".join(v.row.tags))),
        (VIETNAMESE, lambda v: fold(v.row.quote)),  # accents and case aside, đ as d
        (DOCUMENT, lambda v: v.row.document_title),
    ):
        choice = panel.sort_by.findData(column)
        panel.sort_by.setCurrentIndex(choice)  # the Sort by list: also the columns a narrow panel hides
        assert [key(v) for v in model.rows] == sorted(key(v) for v in model.rows), column
        panel.sort_by.setCurrentIndex(0)
        assert [v.row.id for v in model.rows] == natural
        if table.isColumnHidden(column):
            continue
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_section_centre(header, column))
        assert [key(v) for v in model.rows] == sorted(key(v) for v in model.rows), column
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_section_centre(header, column))
        assert [key(v) for v in model.rows] == sorted((key(v) for v in model.rows), reverse=True), column
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_section_centre(header, column))
        assert [v.row.id for v in model.rows] == natural and panel.sort_by.currentIndex() == 0
    # sorted, the selected claim stays selected and Edit… opens that one
    panel.sort_by.setCurrentIndex(panel.sort_by.findData(VERDICT))
    panel.select_claim(ids["false"])
    panel.sort_by.setCurrentIndex(panel.sort_by.findData(VIETNAMESE))
    assert panel.current_claim() == ids["false"]

    if size[0] < 1600:
        return  # the document needs its room: a 1024-px window has none for a wide panel
    # the panel dragged wide: the English gets its own column, nothing is stacked above or under the words
    sizes = win.splitter.sizes()
    win.splitter.setSizes([sizes[0], sum(sizes[1:]) - 720, 720])
    qtbot.waitUntil(lambda: table.width() >= 620)
    assert not any(table.isColumnHidden(c) for c in (TAGS, VERDICT, VIETNAMESE, 3, DOCUMENT))
    index = model.index(0, VIETNAMESE)
    assert (index.data(ENGLISH_ROLE), index.data(DOCUMENT_ROLE), index.data(CHIPS_ROLE)) == ("", "", [])
    assert model.headerData(VIETNAMESE, Qt.Orientation.Horizontal) == "Tiếng Việt"


def _section_centre(header, column: int):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QPoint

    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    return QPoint(x, header.height() // 2)


# 4. history and evidence in the claim dialog ---------------------------------------------------------------


def test_claim_dialog_shows_history_and_edits_and_removes_evidence(qtbot, docs: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    doc = docs[SUPERCOMPUTERS]
    with Library.open() as lib:
        seg = lib.segments(doc)[4]
        store = ClaimStore(lib)
        claim_id = workflow.create_claim(lib, doc, seg.start_char, seg.end_char, tags=["statistic"], note="cần nguồn")
        first = store.add_evidence(claim_id, url="https://top500.org/lists", quote="#1")
        second = store.add_evidence(claim_id, citation="Báo Nhân Dân, 2024")
        store.set_verdict(claim_id, "disputed")
    win = open_window(qtbot, doc)
    click_cell(qtbot, win.panel.table, 0, VIETNAMESE)
    click(qtbot, button(win.panel, "Edit…"))
    dialog = dialog_open(qtbot, win)

    # History: what happened to the claim, oldest first
    assert dialog.tabs.tabText(1) == "History (5)"
    lines = [dialog.history_list.item(i).text() for i in range(dialog.history_list.count())]
    assert [line.split("  ", 1)[1] for line in lines] == [
        f"Marked: “{seg.text[:79] + '…' if len(seg.text) > 80 else seg.text}”",
        "Note: added: cần nguồn",
        "Evidence: added: https://top500.org/lists",
        "Evidence: added: Báo Nhân Dân, 2024",
        "Verdict: unchecked → disputed",
    ]

    # evidence: a cell corrected, the other piece removed
    table = dialog.findChild(QTableWidget, "evidenceTable")
    assert table.rowCount() == 2 and table.item(0, 0).text() == "https://top500.org/lists"
    table.item(0, 2).setText("hạng 1, tháng 6/2024")
    table.selectRow(1)
    click(qtbot, dialog.remove_evidence)
    assert table.rowCount() == 1
    ok(qtbot, dialog)
    row = ClaimStore(win.lib).get(claim_id)
    assert [(e.id, e.url, e.quote) for e in row.evidence] == [
        (first, "https://top500.org/lists", "hạng 1, tháng 6/2024")
    ]
    assert second not in [e.id for e in row.evidence]

    # the next time, the History tab holds those two changes too
    click(qtbot, button(win.panel, "Edit…"))
    dialog = dialog_open(qtbot, win)
    assert dialog.tabs.tabText(1) == "History (7)"
    last = [dialog.history_list.item(i).text() for i in (5, 6)]
    assert "Evidence: https://top500.org/lists — “#1” → https://top500.org/lists — “hạng 1, tháng 6/2024”" in last[0]
    assert "Evidence: removed: Báo Nhân Dân, 2024" in last[1]
    click(qtbot, dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel))


# 5. suggestions and keys ---------------------------------------------------------------------------------


def test_suggestion_counts_follow_and_keys_accept_dismiss_and_step_through_claims(qtbot, docs: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    doc = docs[FORUM]
    win = open_window(qtbot, doc)
    panel = win.panel

    def label_count() -> int:
        return int(panel.suggestion_label.text().split("(")[1].split(")")[0])

    offered = list(panel.suggestions.rows)
    assert len(offered) >= 4 and label_count() == len(offered)
    assert win.action(Key.ACCEPT_SUGGESTION).shortcut().toString() == "Ctrl+Shift+A"

    # Ctrl+Shift+A accepts the chosen suggestion; the count follows at once, the next one is chosen
    click_cell(qtbot, panel.suggestion_list, 0)
    press(qtbot, win, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert [c.start for c in ClaimStore(win.lib).for_document(doc)] == [offered[0].start]
    assert label_count() == len(offered) - 1 == panel.suggestions.rowCount()
    assert panel.current_suggestion() == offered[1]
    # Ctrl+Shift+D dismisses it
    press(qtbot, win, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert label_count() == len(offered) - 2 and offered[1] not in panel.suggestions.rows
    assert len(ClaimStore(win.lib).for_document(doc)) == 1

    # a suggested sentence claimed another way (key 1 on it) leaves the list, and the count follows
    third = offered[2]
    win.view.go_to_offset(third.start)
    press(qtbot, win, Qt.Key.Key_1)
    assert third not in panel.suggestions.rows and label_count() == len(offered) - 3
    # ...and comes back when that claim is deleted
    claim = next(c for c in ClaimStore(win.lib).for_document(doc) if c.start == third.start)
    panel.select_claim(claim.id)
    asked: list[str] = []
    answering = answer_next_question(QMessageBox.StandardButton.Yes, asked)
    click(qtbot, button(panel, "Delete"))
    assert not answering.isActive()
    qtbot.waitUntil(lambda: not win.jobs.busy() and third.text in [s.text for s in panel.suggestions.rows])
    assert label_count() == len(offered) - 2

    # F8 / Shift+F8: next and previous claim in the document
    with Library.open() as lib:
        segs = lib.segments(doc)
        for i in (2, 6, 9):
            workflow.create_claim(lib, doc, segs[i].start_char, segs[i].end_char, allow_duplicate=True)
    win.refresh_claims()
    starts = sorted(c.start for c in ClaimStore(win.lib).for_document(doc))
    win.view.go_to_row(0)
    visited = []
    for _ in starts:
        press(qtbot, win, Qt.Key.Key_F8)
        visited.append(win.view.model.segments[view_row(win)].start_char)
        assert panel.current_claim() is not None
    assert visited == [win.view.model.segments[win.view.model.row_of_offset(s)].start_char for s in starts]
    press(qtbot, win, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert win.view.model.segments[view_row(win)].start_char == visited[-2]
    assert panel.table.currentIndex() != QModelIndex()
