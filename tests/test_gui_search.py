"""Searching, as a fact-checker does it in the real window on a real library: the library search lists
the matching sentences (accents optional) grouped by document with the words highlighted, and Enter or
a double-click opens the document at that sentence; Ctrl+F marks every match in the table and F3 /
Shift+F3 / Enter / Shift+Enter step forward and back, wrapping. The command line's `search` runs the
same service."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

from app.core.pipeline import import_file
from app.core.services.search import match_spans, search_library, search_sentences
from app.core.store import Library, NewTranslation
from app.core.store.claims import ClaimStore
from app.core.store.library import fold
from app.gui import settings
from app.gui.find_marks import CURRENT_BG, MATCH_BG
from app.gui.main_window import Key, MainWindow
from app.gui.search_results import COLUMN_ROLE, DOC_ROLE, MATCH_ROLE, ROW_ROLE, highlighted_html

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent
SUPERCOMPUTERS = "pdf_copy_supercomputers.vi"
FORUM = "forum_post_ai_race.vi"
WAIT_MS = 20_000


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with both samples imported, copied by every test."""
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
    shutil.copytree(template, data_dir, dirs_exist_ok=True)
    with Library.open() as lib:
        return {d.title: d.id for d in lib.documents()}


def open_window(qtbot, doc_id: int) -> MainWindow:  # type: ignore[no-untyped-def]
    settings.put(settings.LAST_DOCUMENT, doc_id)
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitActive(win)  # shortcuts only fire in the active window
    qtbot.waitUntil(lambda: not win.jobs.busy(), timeout=WAIT_MS)
    assert win.view.doc_id() == doc_id
    return win


def row_in_view(win: MainWindow, row: int, column: int = 1) -> bool:
    table = win.view.table
    assert win.view.model is not None
    rect = table.visualRect(win.view.model.index(row, column))
    return rect.isValid() and table.viewport().rect().contains(rect.center())


# the service both front-ends call ------------------------------------------------------------------------


def test_one_search_service_for_the_command_line_and_the_window(docs: dict[str, int], data_dir: Path) -> None:
    with Library.open() as lib:
        hits = search_sentences(lib, "bang sang che")
        found = search_library(lib, "bang sang che")
    assert hits and all(h.document_id == docs[FORUM] for h in hits)
    assert all("bằng sáng chế" in h.text.lower() for h in hits)
    # grouped by document, in reading order, the same sentences
    assert [g.document_id for g in found.groups] == [docs[FORUM]]
    group = found.groups[0]
    assert [h.segment_idx for h in group.hits] == sorted(h.segment_idx for h in hits)
    assert found.document_ids == {docs[FORUM]}
    # the matched words, by position, without case or diacritics
    text = group.hits[0].text
    assert {fold(text[a:b]) for a, b in match_spans(text, "BANG sang che")} == {"bang", "sang", "che"}

    # a bounded list of sentences, but every document that holds the words is listed
    with Library.open() as lib:
        few = search_library(lib, "AI", limit=3)
        holding = {d.id for d in lib.documents() if any("AI" in s.text for s in lib.segments(d.id))}
    assert few.sentence_count == 3 and few.truncated
    assert few.document_ids == holding == {docs[FORUM], docs[SUPERCOMPUTERS]}

    # main.py search prints exactly those sentences
    out = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "search", "bang sang che", "--json"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DOICHIEU_DATA_DIR": str(data_dir)},
    )
    listed = json.loads(out.stdout)
    assert [(h["document_id"], h["segment_id"], h["lang"]) for h in listed] == [
        (h.document_id, h.segment_id, h.lang) for h in hits
    ]


# library search -> sentence --------------------------------------------------------------------------------


def test_library_search_lists_sentences_and_opens_the_document_at_one(
    qtbot, docs: dict[str, int], tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    win = open_window(qtbot, docs[SUPERCOMPUTERS])
    side = win.sidebar
    results = side.results
    assert not results.isVisible()

    side.search.setFocus()
    qtbot.waitUntil(side.search.hasFocus)
    qtbot.keyClicks(side.search, "bang sang che")  # typed without accents
    qtbot.keyClick(side.search, Qt.Key.Key_Return)  # search now, and go to the sentences
    qtbot.waitUntil(lambda: results.isVisible() and not win.jobs.busy(), timeout=WAIT_MS)

    # grouped by document: the forum post holds the words, the supercomputer report does not
    model = results.model()
    assert model.rowCount() == 1
    heading = model.index(0, 0)
    assert heading.data(DOC_ROLE) == docs[FORUM] and heading.data().startswith(FORUM)
    sentences = [model.index(r, 0, heading) for r in range(model.rowCount(heading))]
    assert len(sentences) >= 2
    with Library.open() as lib:
        segments = lib.segments(docs[FORUM])
    for item in sentences:
        text = item.data()
        spans = item.data(MATCH_ROLE)
        assert spans and {fold(text[a:b]) for a, b in spans} == {"bang", "sang", "che"}
        assert segments[item.data(ROW_ROLE)].text in text
        assert "background-color" in highlighted_html(text, spans)
    assert f"{len(sentences)} sentences in 1 document" in side.results_label.text()

    # Enter in the search box went to the first sentence; Enter there opens the forum post at it
    qtbot.waitUntil(results.hasFocus)
    assert results.currentIndex() == sentences[0]
    qtbot.keyClick(results, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.view.doc_id() == docs[FORUM] and not win.jobs.busy(), timeout=WAIT_MS)
    first = sentences[0].data(ROW_ROLE)
    qtbot.waitUntil(lambda: win.view.table.currentIndex().row() == first)
    assert win.view.table.currentIndex().column() == sentences[0].data(COLUMN_ROLE)
    assert win.view.selected_rows() == [first]
    assert row_in_view(win, first)
    assert win.doc_title.text() == FORUM

    # Down in the search box goes to the sentences too
    side.search.setFocus()
    qtbot.waitUntil(side.search.hasFocus)
    qtbot.keyClick(side.search, Qt.Key.Key_Down)
    assert results.hasFocus() and results.currentIndex() == sentences[0]

    # a double-click on another sentence opens it there (from another document first)
    win.open_document(docs[SUPERCOMPUTERS])
    last = sentences[-1]
    results.scrollTo(last)
    rect = results.visualRect(last)
    assert results.viewport().rect().contains(rect.center())
    # a real double-click: press and release, then the double-click event
    qtbot.mouseClick(results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.view.doc_id() == docs[SUPERCOMPUTERS]  # a single click only selects
    qtbot.mouseDClick(results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: win.view.doc_id() == docs[FORUM], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: win.view.table.currentIndex().row() == last.data(ROW_ROLE))
    assert row_in_view(win, last.data(ROW_ROLE))

    # a document imported meanwhile that holds the words is listed too
    new = tmp_path / "tin-moi.txt"
    new.write_text("Tin mới: số bằng sáng chế AI của Việt Nam tăng gấp đôi.\n", encoding="utf-8")
    win.import_paths([new])
    qtbot.waitUntil(lambda: model.rowCount() == 2 and not win.jobs.busy(), timeout=WAIT_MS)
    assert {model.index(r, 0).data(DOC_ROLE) for r in range(2)} == {docs[FORUM], max(win.sidebar.model.document_ids())}

    # clearing the box hides the sentences again
    side.search.clear()
    qtbot.waitUntil(lambda: not results.isVisible() and not win.jobs.busy(), timeout=WAIT_MS)


def test_english_matches_are_listed_and_open_at_the_english(qtbot, docs: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    doc = docs[SUPERCOMPUTERS]
    with Library.open() as lib:
        seg = lib.segments(doc)[4]
        lib.add_translations([NewTranslation(seg.id, "Supercomputers train complex AI models.", "machine", "test")])
    win = open_window(qtbot, docs[FORUM])
    side = win.sidebar
    side.search.setText("supercomputers TRAIN")
    qtbot.waitUntil(lambda: side.results.isVisible() and not win.jobs.busy(), timeout=WAIT_MS)
    model = side.results.model()
    heading = model.index(0, 0)
    assert model.rowCount() == 1 and heading.data(DOC_ROLE) == doc
    item = model.index(0, 0, heading)
    assert item.data(ROW_ROLE) == 4 and item.data(COLUMN_ROLE) == 2
    assert item.data().endswith("Supercomputers train complex AI models.")
    assert seg.text in item.data(Qt.ItemDataRole.ToolTipRole)  # the Vietnamese it translates
    text = item.data()
    assert [text[a:b] for a, b in item.data(MATCH_ROLE)] == ["Supercomputers", "train"]
    side.results.setFocus()
    side.results.setCurrentIndex(item)
    qtbot.keyClick(side.results, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.view.doc_id() == doc and not win.jobs.busy(), timeout=WAIT_MS)
    assert (win.view.table.currentIndex().row(), win.view.table.currentIndex().column()) == (4, 2)


# in-document find ----------------------------------------------------------------------------------------


def _background_at(win: MainWindow, row: int, column: int, word_start: int, word: str) -> object:
    """The background the table's delegate paints under `word` (at `word_start` in the cell's text)."""
    view = win.view
    assert view.model is not None
    index = view.model.index(row, column)
    option = QStyleOptionViewItem()
    option.font = view.table.font()
    option.widget = view.table
    doc = view.delegate._document(option, index, view.table.columnWidth(column))
    at = doc.toPlainText().find(word, word_start)
    assert at >= 0
    cursor = QTextCursor(doc)
    cursor.setPosition(at + 1)
    return cursor.charFormat().background().color()


def test_find_marks_every_match_and_steps_forward_and_back(qtbot, docs: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    doc = docs[SUPERCOMPUTERS]
    win = open_window(qtbot, doc)
    view = win.view
    view.go_to_row(0)
    view.table.setFocus()
    qtbot.waitUntil(view.table.hasFocus)
    qtbot.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(view.find_edit.hasFocus)
    qtbot.keyClicks(view.find_edit, "du lieu")
    qtbot.keyClick(view.find_edit, Qt.Key.Key_Return)
    expected = [s.idx for s in win.lib.segments(doc) if {"du", "lieu"} <= set(fold(s.text).split())]
    n = len(expected)
    assert n >= 3
    qtbot.waitUntil(lambda: view.find_status.text() == f"1 of {n}", timeout=WAIT_MS)

    # every match is marked, not only the current one
    assert view.delegate.find_cells == {(r, 1) for r in expected}
    for row in expected:
        text = view.model.segments[row].text
        words = view.delegate.marked_words(row, 1, text)
        assert words and {fold(w) for w in words} <= {"du", "lieu"}
        start = match_spans(text, "du lieu")[0][0]
        want = CURRENT_BG if row == expected[0] else MATCH_BG
        assert _background_at(win, row, 1, start, text[start : match_spans(text, "du lieu")[0][1]]) == want
    unmatched = next(r for r in range(view.model.rowCount()) if r not in expected)
    assert view.delegate.marked_words(unmatched, 1, view.model.segments[unmatched].text) == []

    def at(k: int) -> None:
        assert view.find_status.text() == f"{k} of {n}"
        assert view.table.currentIndex().row() == expected[k - 1]
        assert view.delegate.find_current == (expected[k - 1], 1)

    at(1)
    qtbot.keyClick(view.find_edit, Qt.Key.Key_Return)  # Enter: next
    at(2)
    qtbot.keyClick(view.find_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)  # Shift+Enter: back
    at(1)
    qtbot.keyClick(view.find_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)  # wraps to the last
    at(n)
    qtbot.keyClick(view.find_edit, Qt.Key.Key_Return)  # and from the last to the first
    at(1)

    # F3 and Shift+F3 do the same from anywhere in the window (the table here)
    view.table.setFocus()
    qtbot.waitUntil(view.table.hasFocus)
    qtbot.keyClick(view.table, Qt.Key.Key_F3)
    at(2)
    qtbot.keyClick(view.table, Qt.Key.Key_F3)
    at(3)
    qtbot.keyClick(view.table, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    at(2)
    win.action(Key.FIND_PREVIOUS).trigger()
    win.action(Key.FIND_PREVIOUS).trigger()
    at(n)
    assert row_in_view(win, expected[-1])

    # Escape closes the bar and the marks go with it
    view.find_edit.setFocus()
    qtbot.waitUntil(view.find_edit.hasFocus)
    qtbot.keyClick(view.find_edit, Qt.Key.Key_Escape)
    assert not view.find_bar.isVisible()
    assert view.delegate.marked_words(expected[0], 1, view.model.segments[expected[0]].text) == []
    # F3 afterwards goes on from there, the bar and the marks back
    view.table.setFocus()
    qtbot.waitUntil(view.table.hasFocus)
    qtbot.keyClick(view.table, Qt.Key.Key_F3)
    at(1)
    assert view.find_bar.isVisible() and view.delegate.find_cells == {(r, 1) for r in expected}
    QApplication.processEvents()
