"""The window's panels and keys, driven as a user would: number keys tag, Ctrl+F finds, suggested claims
are accepted or dismissed, claims are edited and deleted, and the library and claims filters narrow
their lists. Each test gets its own copy of one library holding the two samples (imported once)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QPushButton, QWidget

from app.core.claims import workflow
from app.core.claims.suggest import suggestion_key
from app.core.pipeline import import_file
from app.core.store import Library
from app.core.store.claims import ClaimStore
from app.core.store.library import fold
from app.gui import settings
from app.gui.main_window import MainWindow

FIXTURES = Path(__file__).parent / "fixtures"
SUPERCOMPUTERS = "pdf_copy_supercomputers.vi"
FORUM = "forum_post_ai_race.vi"
WAIT_MS = 20_000


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with both samples imported, copied by every test (importing takes a second)."""
    folder = tmp_path_factory.mktemp("template") / "data"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DOICHIEU_DATA_DIR", str(folder))
        with Library.open() as lib:
            ClaimStore(lib).ensure_default_tags()
            for path in sorted(FIXTURES.glob("*.vi.txt")):
                import_file(lib, path)
    return folder


@pytest.fixture
def docs(template: Path, data_dir: Path) -> dict[str, int]:
    """This test's own copy of the library; document ids by title."""
    shutil.copytree(template, data_dir, dirs_exist_ok=True)
    with Library.open() as lib:
        return {d.title: d.id for d in lib.documents()}


def open_window(qtbot, doc_id: int) -> MainWindow:  # type: ignore[no-untyped-def]
    """The window as it starts, showing `doc_id` (the last document it had open), once its start-up
    jobs (the suggested claims) are done."""
    settings.put(settings.LAST_DOCUMENT, doc_id)
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitActive(win)  # shortcuts only fire in the active window
    qtbot.waitUntil(lambda: not win.jobs.busy(), timeout=WAIT_MS)
    assert win.view.doc_id() == doc_id
    return win


def button(parent: QWidget, text: str) -> QPushButton:
    found = [b for b in parent.findChildren(QPushButton) if b.text() == text]
    assert len(found) == 1, f"one {text!r} button expected, found {len(found)}"
    return found[0]


def click(qtbot, button: QPushButton) -> None:  # type: ignore[no-untyped-def]
    assert button.isVisible() and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def click_cell(qtbot, view, row: int, column: int = 0) -> None:  # type: ignore[no-untyped-def]
    index = view.model().index(row, column)
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())
    assert view.currentIndex().row() == row


def answer_next_question(choice: QMessageBox.StandardButton, seen: list[str]) -> QTimer:
    """Click `choice` in the next message box the window shows (QMessageBox.question blocks in its
    own event loop, where this timer keeps looking for the box). Keep the timer until it has fired."""
    timer = QTimer()

    def look() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            box = next(
                (w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()), None
            )
        if box is None:
            return
        timer.stop()
        seen.append(box.text())
        box.button(choice).click()

    timer.timeout.connect(look)
    timer.start(10)
    return timer


def view_row(win: MainWindow) -> int:
    """The sentence the document table shows as current."""
    return win.view.table.currentIndex().row()


def claims_table(win: MainWindow) -> list[tuple[str, ...]]:
    """The claims panel's table as shown: (tags, verdict, Vietnamese) per row."""
    model = win.panel.model
    return [tuple(str(model.index(r, c).data()) for c in range(3)) for r in range(model.rowCount())]


def stored(win: MainWindow, doc_id: int) -> list[tuple[str, tuple[str, ...], str]]:
    return [(c.quote, c.tags, c.verdict) for c in ClaimStore(win.lib).for_document(doc_id)]


def wait_filtered(qtbot, win: MainWindow, done: Callable[[], bool]) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: done() and not win.jobs.busy() and not win.sidebar._debounce.isActive(), timeout=WAIT_MS)


# 1. keys 1–9 -------------------------------------------------------------------------------------------


def test_number_keys_tag_the_selected_sentence_or_words(qtbot, docs: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    doc = docs[SUPERCOMPUTERS]
    win = open_window(qtbot, doc)
    view = win.view
    tags = {t.shortcut: t.name for t in win.tags}
    assert tags["1"] == "statistic" and tags["2"] == "ranking" and tags["3"] == "prediction" and "9" not in tags

    # a sentence selected in the table, no claim on it yet: 1 marks it as a claim tagged "statistic"
    view.go_to_row(3)
    view.table.setFocus()
    qtbot.waitUntil(view.table.hasFocus)
    sentence = view.model.segments[3].text
    qtbot.keyClick(view.table, Qt.Key.Key_1)
    assert stored(win, doc) == [(sentence, ("statistic",), "unchecked")]
    assert claims_table(win) == [("statistic", "unchecked", sentence)]

    # the same sentence again: 2 adds its tag to that claim, no second claim
    qtbot.keyClick(view.table, Qt.Key.Key_2)
    assert stored(win, doc) == [(sentence, ("ranking", "statistic"), "unchecked")]
    assert claims_table(win)[0][0] == "ranking, statistic"

    # no tag has the key 9: nothing happens
    qtbot.keyClick(view.table, Qt.Key.Key_9)
    assert stored(win, doc) == [(sentence, ("ranking", "statistic"), "unchecked")]

    # words selected in the Vietnamese pane under the table: 3 marks just those words
    view.go_to_row(5)
    pane = view.vi_text
    assert pane.toPlainText().startswith("2. LƯỢNG DỮ LIỆU KHỔNG LỒ")
    cursor = QTextCursor(pane.document())
    cursor.setPosition(3)
    cursor.setPosition(25, QTextCursor.MoveMode.KeepAnchor)
    pane.setTextCursor(cursor)
    words = cursor.selectedText()
    assert words == "LƯỢNG DỮ LIỆU KHỔNG LỒ"
    pane.setFocus()
    qtbot.waitUntil(pane.hasFocus)
    qtbot.keyClick(pane, Qt.Key.Key_3)
    assert stored(win, doc) == [
        (sentence, ("ranking", "statistic"), "unchecked"),
        (words, ("prediction",), "unchecked"),
    ]
    assert win.panel.model.rowCount() == 2

    # outside the document view, digits are just typed
    filter_box = win.panel.text_filter
    filter_box.setFocus()
    qtbot.waitUntil(filter_box.hasFocus)
    qtbot.keyClick(filter_box, Qt.Key.Key_4)
    assert filter_box.text() == "4"
    assert len(stored(win, doc)) == 2


# 2. Ctrl+F ---------------------------------------------------------------------------------------------


def test_ctrl_f_opens_the_find_bar_and_enter_steps_through_hits(qtbot, docs: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    doc = docs[SUPERCOMPUTERS]
    win = open_window(qtbot, doc)
    view = win.view
    view.go_to_row(0)
    view.table.setFocus()
    qtbot.waitUntil(view.table.hasFocus)
    assert not view.find_bar.isVisible()

    qtbot.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.find_bar.isVisible()
    qtbot.waitUntil(view.find_edit.hasFocus)

    # typed without diacritics, found with them; hits in sentence order, Enter goes to the next one
    qtbot.keyClicks(view.find_edit, "du lieu")
    qtbot.keyClick(view.find_edit, Qt.Key.Key_Return)
    expected = [s.idx for s in win.lib.segments(doc) if "du lieu" in fold(s.text)]
    assert len(expected) >= 3
    qtbot.waitUntil(lambda: view.find_status.text() == f"1 of {len(expected)}", timeout=WAIT_MS)
    assert view.table.currentIndex().row() == expected[0]
    assert "dữ liệu" in view.vi_text.toPlainText().lower()
    qtbot.keyClick(view.find_edit, Qt.Key.Key_Return)
    assert view.find_status.text() == f"2 of {len(expected)}"
    assert view.table.currentIndex().row() == expected[1]

    # Escape closes the bar; Ctrl+F again selects the old words, so typing replaces them. Digits typed
    # there are words to find, not the tag keys of the document view.
    qtbot.keyClick(view.find_edit, Qt.Key.Key_Escape)
    assert not view.find_bar.isVisible()
    view.table.setFocus()
    qtbot.waitUntil(view.table.hasFocus)
    qtbot.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(view.find_edit.hasFocus)
    assert view.find_edit.selectedText() == "du lieu"
    qtbot.keyClicks(view.find_edit, "zqx 1234")
    assert view.find_edit.text() == "zqx 1234"
    qtbot.keyClick(view.find_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.find_status.text() == "not found", timeout=WAIT_MS)
    assert view.table.currentIndex().row() == expected[1]
    assert stored(win, doc) == []


# 3. suggested claims -------------------------------------------------------------------------------------


def test_accepted_suggestion_becomes_a_claim_and_dismissed_one_stays_gone(qtbot, docs: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    doc = docs[FORUM]
    win = open_window(qtbot, doc)
    panel = win.panel
    offered = list(panel.suggestions.rows)
    assert len(offered) >= 3
    assert panel.suggestion_label.text().startswith(f"<b>Suggested claims</b> ({len(offered)})")
    accepted, dismissed = offered[0], offered[1]

    # clicking a suggestion shows its sentence; Accept as claim marks it
    click_cell(qtbot, panel.suggestion_list, 0)
    assert view_row(win) == win.view.model.row_of_offset(accepted.start)
    click(qtbot, button(panel, "Accept as claim"))
    claims = ClaimStore(win.lib).for_document(doc)
    assert [(c.start, c.end, c.origin) for c in claims] == [(accepted.start, accepted.end, "suggestion")]
    assert claims_table(win) == [("—", "unchecked", claims[0].quote)]
    assert accepted not in panel.suggestions.rows and panel.suggestions.rowCount() == len(offered) - 1

    # Dismiss takes it off the list, remembers it for this document, and marks nothing
    row = panel.suggestions.rows.index(dismissed)
    click_cell(qtbot, panel.suggestion_list, row)
    click(qtbot, button(panel, "Dismiss"))
    assert dismissed not in panel.suggestions.rows and panel.suggestions.rowCount() == len(offered) - 2
    assert suggestion_key(dismissed.text) in ClaimStore(win.lib).dismissed_keys(doc)
    assert len(ClaimStore(win.lib).for_document(doc)) == 1

    # with nothing selected, the buttons do nothing
    panel.suggestion_list.clearSelection()
    panel.suggestion_list.setCurrentIndex(QModelIndex())
    click(qtbot, button(panel, "Dismiss"))
    assert panel.suggestions.rowCount() == len(offered) - 2

    # the window again, on the same data folder: neither comes back, the claim is there
    win.close()
    again = open_window(qtbot, doc)
    texts = [s.text for s in again.panel.suggestions.rows]
    assert dismissed.text not in texts and accepted.text not in texts
    assert len(texts) == len(offered) - 2
    assert again.panel.model.rowCount() == 1


# 4. editing and deleting a claim ------------------------------------------------------------------------


def test_edit_and_delete_a_claim_from_the_claims_panel(qtbot, docs: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    doc = docs[SUPERCOMPUTERS]
    with Library.open() as lib:
        seg = lib.segments(doc)[4]
        claim_id = workflow.create_claim(lib, doc, seg.start_char, seg.end_char, tags=["statistic"], note="ghi chú cũ")
    win = open_window(qtbot, doc)
    panel = win.panel
    assert claims_table(win) == [("statistic", "unchecked", seg.text)]

    # clicking the claim goes to its sentence; Edit… opens it
    win.view.go_to_row(0)
    click_cell(qtbot, panel.table, 0, 2)
    assert view_row(win) == 4
    click(qtbot, button(panel, "Edit…"))
    qtbot.waitUntil(lambda: win.claim_dialog is not None and win.claim_dialog.isVisible())
    dialog = win.claim_dialog
    assert dialog.windowTitle() == f"Claim #{claim_id}"
    assert dialog.note.toPlainText() == "ghi chú cũ" and dialog.verdict.currentText() == "unchecked"
    assert dialog.result_form().tags == ["statistic"]
    dialog.note.setPlainText("Số liệu cần nguồn")
    dialog.verdict.setCurrentText("disputed")
    dialog.set_tag("statistic", False)
    dialog.set_tag("needs-source")
    click(qtbot, dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok))
    assert win.claim_dialog is None and not dialog.isVisible()
    row = ClaimStore(win.lib).get(claim_id)
    assert (row.note, row.verdict, row.tags) == ("Số liệu cần nguồn", "disputed", ("needs-source",))
    assert claims_table(win) == [("needs-source", "disputed", seg.text)]
    assert "Số liệu cần nguồn" in panel.model.index(0, 2).data(Qt.ItemDataRole.ToolTipRole)
    assert panel.current_claim() == claim_id  # still selected after the table was refreshed

    # Cancel keeps the claim as it was
    click(qtbot, button(panel, "Edit…"))
    qtbot.waitUntil(lambda: win.claim_dialog is not None and win.claim_dialog.isVisible())
    dialog = win.claim_dialog
    dialog.verdict.setCurrentText("false")
    dialog.note.setPlainText("không lưu")
    click(qtbot, dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel))
    assert win.claim_dialog is None
    row = ClaimStore(win.lib).get(claim_id)
    assert (row.note, row.verdict) == ("Số liệu cần nguồn", "disputed")

    # Delete asks first: No keeps it, Yes deletes it
    asked: list[str] = []
    answering = answer_next_question(QMessageBox.StandardButton.No, asked)
    click(qtbot, button(panel, "Delete"))
    assert len(asked) == 1 and f"#{claim_id}" in asked[0]
    assert len(ClaimStore(win.lib).for_document(doc)) == 1 and panel.model.rowCount() == 1
    answering = answer_next_question(QMessageBox.StandardButton.Yes, asked)
    click(qtbot, button(panel, "Delete"))
    assert len(asked) == 2 and not answering.isActive()
    assert ClaimStore(win.lib).for_document(doc) == []
    assert panel.model.rowCount() == 0 and panel.count.text() == "0 claims"
    assert win.view.model.claims == []


# 5. filters ----------------------------------------------------------------------------------------------


def _three_claims(docs: dict[str, int]) -> None:
    """Supercomputers: a disputed statistic with a note and an unchecked ranking; forum: an opinion."""
    with Library.open() as lib:
        a, b = lib.segments(docs[SUPERCOMPUTERS])[3:5]
        workflow.create_claim(
            lib, docs[SUPERCOMPUTERS], a.start_char, a.end_char, tags=["statistic"], verdict="disputed", note="số liệu"
        )
        workflow.create_claim(lib, docs[SUPERCOMPUTERS], b.start_char, b.end_char, tags=["ranking"])
        c = lib.segments(docs[FORUM])[1]
        workflow.create_claim(lib, docs[FORUM], c.start_char, c.end_char, tags=["opinion"])


def test_library_search_and_tag_and_verdict_filters(qtbot, docs: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    _three_claims(docs)
    win = open_window(qtbot, docs[SUPERCOMPUTERS])
    side = win.sidebar
    model = side.model

    def titles() -> list[str]:
        return [model.index(r, 0).data() for r in range(model.rowCount())]

    assert sorted(titles()) == sorted([SUPERCOMPUTERS, FORUM]) and side.status.text() == "2 documents"
    assert [side.tag.itemText(i) for i in range(side.tag.count())][:3] == ["any tag", "statistic", "ranking"]

    # words of the text, typed without diacritics
    side.search.setFocus()
    qtbot.keyClicks(side.search, "sieu may tinh")
    wait_filtered(qtbot, win, lambda: titles() == [SUPERCOMPUTERS])
    assert side.status.text() == "1 of 2 documents"
    assert side.list.currentIndex().data() == SUPERCOMPUTERS  # the open document stays selected
    # words of a title
    side.search.setText("forum")
    wait_filtered(qtbot, win, lambda: titles() == [FORUM])
    side.search.clear()
    wait_filtered(qtbot, win, lambda: len(titles()) == 2)
    assert side.status.text() == "2 documents"

    # documents with a claim of that tag, of that verdict, of both
    side.tag.setCurrentText("opinion")
    wait_filtered(qtbot, win, lambda: titles() == [FORUM])
    side.tag.setCurrentText("statistic")
    wait_filtered(qtbot, win, lambda: titles() == [SUPERCOMPUTERS])
    side.tag.setCurrentText("any tag")
    side.verdict.setCurrentText("disputed")
    wait_filtered(qtbot, win, lambda: titles() == [SUPERCOMPUTERS])
    side.tag.setCurrentText("opinion")
    wait_filtered(qtbot, win, lambda: titles() == [])
    assert side.status.text() == "0 of 2 documents"
    # text and tag together
    side.verdict.setCurrentText("any verdict")
    side.search.setText("WIPO")
    wait_filtered(qtbot, win, lambda: titles() == [FORUM])
    side.tag.setCurrentText("ranking")
    wait_filtered(qtbot, win, lambda: titles() == [])

    # everything back to "any": the whole library again
    side.search.clear()
    side.tag.setCurrentText("any tag")
    wait_filtered(qtbot, win, lambda: len(titles()) == 2)

    # a document chosen in the filtered list opens
    side.search.setText("WIPO")
    wait_filtered(qtbot, win, lambda: titles() == [FORUM])
    click_cell(qtbot, side.list, 0)
    qtbot.waitUntil(lambda: win.view.doc_id() == docs[FORUM] and not win.jobs.busy(), timeout=WAIT_MS)
    assert win.doc_title.text() == FORUM


def test_claims_panel_filters(qtbot, docs: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    _three_claims(docs)
    win = open_window(qtbot, docs[SUPERCOMPUTERS])
    panel = win.panel
    with Library.open() as lib:
        a, b = (s.text for s in lib.segments(docs[SUPERCOMPUTERS])[3:5])
        c = lib.segments(docs[FORUM])[1].text

    def quotes() -> list[str]:
        return [row[2] for row in claims_table(win)]

    # the open document's claims only
    assert quotes() == [a, b] and panel.count.text() == "2 claims"
    assert [panel.tag_filter.itemText(i) for i in range(panel.tag_filter.count())][:2] == ["any", "statistic"]
    panel.tag_filter.setCurrentText("ranking")
    assert quotes() == [b] and panel.count.text() == "1 claim"
    panel.tag_filter.setCurrentText("opinion")
    assert quotes() == []
    panel.tag_filter.setCurrentText("any")
    panel.verdict_filter.setCurrentText("disputed")
    assert quotes() == [a]
    panel.verdict_filter.setCurrentText("any")
    assert quotes() == [a, b]

    # words of the quote or the note, diacritics optional
    panel.text_filter.setFocus()
    qtbot.keyClicks(panel.text_filter, "so lieu")
    assert quotes() == [a]
    panel.text_filter.clear()
    qtbot.keyClicks(panel.text_filter, "huan luyen")
    assert quotes() == [b]
    panel.text_filter.clear()

    # All documents: the forum's claim too, and the filters still apply
    panel.whole_library.click()
    assert sorted(quotes()) == sorted([a, b, c]) and panel.count.text() == "3 claims"
    panel.tag_filter.setCurrentText("opinion")
    assert quotes() == [c]
    # choosing a claim of another document opens that document at the claim
    click_cell(qtbot, panel.table, 0, 2)
    qtbot.waitUntil(lambda: win.view.doc_id() == docs[FORUM] and not win.jobs.busy(), timeout=WAIT_MS)
    assert view_row(win) == 1 and quotes() == [c]
    assert panel.current_claim() is not None  # still selected: Edit… and Delete act on it
    panel.whole_library.click()
    assert quotes() == [c]  # the forum post is open now, and the filter is still "opinion"
    panel.tag_filter.setCurrentText("statistic")
    assert quotes() == []


def test_library_tag_filter_follows_claim_changes(qtbot, docs: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    """A document gains or loses its place in a tag-filtered library list as its claims change."""
    _three_claims(docs)
    win = open_window(qtbot, docs[FORUM])
    side, model = win.sidebar, win.sidebar.model

    def titles() -> list[str]:
        return [model.index(r, 0).data() for r in range(model.rowCount())]

    side.tag.setCurrentText("statistic")
    wait_filtered(qtbot, win, lambda: titles() == [SUPERCOMPUTERS])
    # key 1 tags a sentence of the open forum post "statistic": it joins the list
    win.view.go_to_row(5)
    win.view.table.setFocus()
    qtbot.waitUntil(win.view.table.hasFocus)
    qtbot.keyClick(win.view.table, Qt.Key.Key_1)
    wait_filtered(qtbot, win, lambda: sorted(titles()) == sorted([SUPERCOMPUTERS, FORUM]))
    # deleting that claim takes it out again
    claim = next(c for c in ClaimStore(win.lib).for_document(docs[FORUM]) if "statistic" in c.tags)
    ClaimStore(win.lib).delete(claim.id)
    win.refresh_claims()
    wait_filtered(qtbot, win, lambda: titles() == [SUPERCOMPUTERS])


def test_find_skips_sentences_the_show_filter_hides(qtbot, docs: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    doc = docs[SUPERCOMPUTERS]
    with Library.open() as lib:
        segments = lib.segments(doc)
        matching = [s for s in segments if "du lieu" in fold(s.text)]
        assert len(matching) >= 3
        claimed = matching[1]
        workflow.create_claim(lib, doc, claimed.start_char, claimed.end_char, tags=["statistic"])
    win = open_window(qtbot, doc)
    view = win.view
    view.set_filter("claimed")  # only the claimed sentence is listed
    qtbot.waitUntil(lambda: not win.jobs.busy(), timeout=WAIT_MS)
    view.table.setFocus()
    qtbot.waitUntil(view.table.hasFocus)
    qtbot.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(view.find_edit.hasFocus)
    qtbot.keyClicks(view.find_edit, "du lieu")
    qtbot.keyClick(view.find_edit, Qt.Key.Key_Return)
    hidden = len(matching) - 1
    qtbot.waitUntil(lambda: view.find_status.text() == f"1 of 1 ({hidden} in hidden sentences)", timeout=WAIT_MS)
    assert view.table.currentIndex().row() == claimed.idx
    qtbot.keyClick(view.find_edit, Qt.Key.Key_Return)  # the next match listed is the same one
    assert view.table.currentIndex().row() == claimed.idx
    assert not view.table.isRowHidden(view.table.currentIndex().row())

    view.set_filter("all")  # every sentence listed again: every match is found
    qtbot.keyClick(view.find_edit, Qt.Key.Key_Return)
    assert view.find_status.text().endswith(f"of {len(matching)}")
