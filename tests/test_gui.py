"""The real window, driven end to end: drop files, translate, mark a claim, post-edit, undo a repair,
restart on the same data folder and find everything again."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget

from app.core.store import Library
from app.core.store.claims import ClaimStore
from app.gui.main_window import Key, MainWindow

FIXTURES = Path(__file__).parent / "fixtures"


def drop(window: QWidget, paths: list[Path]) -> None:
    """What the OS does when files are dropped: a drag enters the window, then the drop."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    copy, left, none = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    with warnings.catch_warnings():  # PySide flags QDragEnterEvent's only constructor as deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(QPoint(200, 200), copy, mime, left, none)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(window, QDropEvent(QPointF(200, 200), copy, mime, left, none))


def idle(window: MainWindow) -> bool:
    return not window.jobs.busy()


@pytest.fixture
def window(qtbot, data_dir: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    return win


def test_empty_library_offers_samples_and_explains_models(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert window.stack.currentWidget() is window.welcome
    assert window.samples_button.isVisible()
    assert window.banner.isVisible()
    assert "translate-vi_en-1_9.argosmodel" in window.banner.findChild(type(window.doc_title)).text()
    window.samples_button.click()
    qtbot.waitUntil(lambda: len(window.sidebar.model.document_ids()) == 2 and idle(window), timeout=30_000)
    assert window.view.model is not None and window.view.model.rowCount() > 0


def test_refused_file_says_why_without_blocking(window: MainWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "report.docx"
    bad.write_bytes(b"PK\x03\x04 not really")
    drop(window, [bad])
    qtbot.waitUntil(lambda: bool(window.messages) and idle(window), timeout=10_000)
    box = window.messages[-1]
    assert "docx" in box.text() and not box.isModal()


def test_full_round_trip(qtbot, data_dir: Path, tiny_model_path: Path) -> None:  # type: ignore[no-untyped-def]
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()

    # 1. drop both samples and the model package
    drop(win, sorted(FIXTURES.glob("*.vi.txt")))
    qtbot.waitUntil(lambda: len(win.sidebar.model.document_ids()) == 2 and idle(win), timeout=30_000)
    drop(win, [tiny_model_path])
    qtbot.waitUntil(lambda: not win.banner.isVisible() and idle(win), timeout=30_000)

    ids = win.sidebar.model.document_ids()
    titles = {win.lib.document(i).title: i for i in ids}
    doc_id = titles["pdf_copy_supercomputers.vi"]
    win.open_document(doc_id)
    model = win.view.model
    assert model is not None and model.doc_id == doc_id

    # 2. translate with the tiny model
    win.action(Key.TRANSLATE).trigger()
    qtbot.waitUntil(lambda: not win.translation.running, timeout=60_000)
    assert len(model.translations) == win.lib.document(doc_id).segment_count

    # 3. a claim from words selected in the Vietnamese pane
    win.view.go_to_row(1)
    pane = win.view.vi_text
    cursor = QTextCursor(pane.document())
    cursor.setPosition(0)
    cursor.setPosition(12, QTextCursor.MoveMode.KeepAnchor)
    pane.setTextCursor(cursor)
    words = cursor.selectedText()
    win.action(Key.NEW_CLAIM).trigger()
    qtbot.waitUntil(lambda: win.claim_dialog is not None and win.claim_dialog.isVisible())
    dialog = win.claim_dialog
    dialog.set_tag("statistic")
    dialog.note.setPlainText("check the source")
    dialog.url.setText("https://example.org/report")
    dialog.accept()
    claims = ClaimStore(win.lib).for_document(doc_id)
    assert words == "Trung Quốc v"  # cut inside "và": the claim takes the whole word
    assert len(claims) == 1 and claims[0].quote == "Trung Quốc và" and claims[0].tags == ("statistic",)
    assert claims[0].evidence[0].url == "https://example.org/report"
    assert win.panel.model.rowCount() == 1
    spans = model.data(model.index(1, 1), role=_spans_role())
    assert spans and spans[0].color == "#f9e79f"

    # 4. post-edit the English of sentence 3, Ctrl+Enter commits and moves on
    index = model.index(2, 2)
    win.view.table.setCurrentIndex(index)
    win.view.table.edit(index)
    editor = win.view.table.findChild(QPlainTextEdit, "postEditor")
    assert editor is not None
    editor.setPlainText("My own English for this sentence.")
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: win.view.table.currentIndex().row() != 2)
    seg_id = model.segments[2].id
    assert model.translations[seg_id].kind == "human"
    assert model.data(index, Qt.ItemDataRole.FontRole).italic()

    # 5. undo a layout repair through the review dialog
    win.action(Key.LAYOUT_REVIEW).trigger()
    qtbot.waitUntil(lambda: win.tools.review_dialog is not None and not win.tools.review_dialog.busy, timeout=20_000)
    review = win.tools.review_dialog
    undoable = [i for i, s in enumerate(review.model.rows) if s.undoable]
    assert undoable, "the sample has repairs to undo"
    review.list.setCurrentIndex(review.model.index(undoable[0], 0))
    assert review.undo_one.isEnabled()
    review.undo_one.click()
    qtbot.waitUntil(lambda: not review.busy and idle(win), timeout=20_000)
    undone_index = review.model.rows[undoable[0]].index
    assert review.undone == {undone_index}
    assert [u for _id, _r, u in win.lib.repairs(doc_id)].count(True) == 1
    review.close()

    # 6. restart on the same data folder: everything is still there
    win.close()
    again = MainWindow()
    qtbot.addWidget(again)
    again.show()
    assert again.view.doc_id() == doc_id
    assert again.panel.model.rowCount() == 1
    with Library.open() as lib:
        claim = ClaimStore(lib).for_document(doc_id)[0]
        assert claim.status == "attached" and claim.note == "check the source"
        current = lib.current_translations(doc_id)
        assert any(t.kind == "human" and t.text == "My own English for this sentence." for t in current.values())
        assert [u for _id, _r, u in lib.repairs(doc_id)].count(True) == 1
    again.close()


def _spans_role() -> int:
    from app.gui.models import SPANS_ROLE

    return SPANS_ROLE
