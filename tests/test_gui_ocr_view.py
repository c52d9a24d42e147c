"""The reader of a document read by OCR (issue 17), in the real window on a real library: a mixed PDF
(page 1 typed, pages 2-3 scanned, tests/ocr_scans.py) read by OCR once. The header says how many
pages were read by OCR, the sentences of the low-confidence paragraph are tinted on screen with the
words "read by OCR — check against the page", and View › Show page image shows, beside the text,
the page of the selected sentence as scanned, following the selection."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage

from app.core import ocr_marks
from app.core.pipeline import import_file
from app.core.store import Library
from app.gui.main_window import Key, MainWindow
from app.gui.models import OCR_LOW_BG
from tests.ocr_scans import ocr_template

WAIT_MS = 20_000


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ocr_template(tmp_path_factory)


@pytest.fixture
def doc_id(template: Path, data_dir: Path) -> int:
    shutil.copytree(template, data_dir, dirs_exist_ok=True)
    with Library.open() as lib:
        (doc,) = lib.documents()
        return doc.id


def open_window(qtbot, doc_id: int) -> MainWindow:  # type: ignore[no-untyped-def]
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitUntil(lambda: not win.jobs.busy(), timeout=WAIT_MS)
    win.open_document(doc_id)
    qtbot.waitUntil(lambda: win.view.model is not None and win.view.doc_id() == doc_id, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not win.jobs.busy(), timeout=WAIT_MS)
    assert win.view.model is not None
    win.view.model.fetch_until(win.view.model.total)
    return win


def rows_by_page(win: MainWindow) -> dict[int | None, list[int]]:
    assert win.view.model is not None and win.view.lib is not None
    pages = {p.id: p.page for p in win.view.lib.paragraphs(win.view.model.doc_id)}
    out: dict[int | None, list[int]] = {}
    for row, seg in enumerate(win.view.model.segments):
        out.setdefault(pages[seg.paragraph_id], []).append(row)
    return out


def test_header_counts_the_pages_read_by_ocr_and_low_sentences_are_tinted(qtbot, doc_id: int) -> None:  # type: ignore[no-untyped-def]
    win = open_window(qtbot, doc_id)
    view, model = win.view, win.view.model
    assert model is not None and view.lib is not None
    header = view.ocr_header
    assert header.isVisible()
    assert header.text() == "2 of 3 pages read by OCR · 1 paragraph to check (tinted)"
    assert ocr_marks.CHECK in header.toolTip()

    low = ocr_marks.low_paragraphs(view.lib, doc_id)
    marked = [r for r, s in enumerate(model.segments) if s.paragraph_id in low]
    by_page = rows_by_page(win)
    assert marked and set(marked) <= set(by_page[2])  # the slips on page 2, nothing typed on page 1
    for row in range(model.rowCount()):
        tip = model.data(model.index(row, 1), Qt.ItemDataRole.ToolTipRole) or ""
        assert (ocr_marks.CHECK in tip) == (row in marked), row

    # on screen: the Vietnamese cell of a marked sentence is painted in the tint (not selected: the
    # selection colour would cover it), an unmarked one is not
    view.go_to_row(by_page[1][0])
    view.table.scrollTo(model.index(marked[0], 1))
    viewport = view.table.viewport()

    def in_view(row: int) -> bool:
        return viewport.rect().contains(view.table.visualRect(model.index(row, 1)))

    qtbot.waitUntil(lambda: in_view(marked[0]))
    shot = viewport.grab().toImage()

    def corner(row: int) -> QColor:
        rect = view.table.visualRect(model.index(row, 1))
        return shot.pixelColor(QPoint(rect.right() - 2, rect.bottom() - 2) * shot.devicePixelRatio())

    assert corner(marked[0]) == OCR_LOW_BG
    selected = set(view.selected_rows())
    unmarked = next(r for r in range(model.rowCount()) if r not in marked and r not in selected and in_view(r))
    assert corner(unmarked) != OCR_LOW_BG


def test_page_image_beside_the_text_follows_the_selection(qtbot, doc_id: int) -> None:  # type: ignore[no-untyped-def]
    win = open_window(qtbot, doc_id)
    view = win.view
    assert view.lib is not None
    by_page = rows_by_page(win)
    stored = {page: QImage.fromData(view.lib.page_image(doc_id, page)[1]) for page in (2, 3)}  # type: ignore[index]
    assert stored[2] != stored[3]
    action = win.action(Key.PAGE_IMAGE)
    view_menu = next(a.menu() for a in win.menuBar().actions() if a.text() == "&View")
    assert action in view_menu.actions() and action.isEnabled() and not action.isChecked()
    assert not view.page_pane.isVisible()

    view.go_to_row(by_page[2][0])
    action.trigger()  # View › Show page image
    pane = view.page_pane
    assert pane.isVisible() and action.isChecked()
    text_width, page_width = view.side_splitter.sizes()
    assert page_width >= text_width * 0.6  # beside the text, with room (2/5 of it)
    qtbot.waitUntil(lambda: pane.shown_page == 2, timeout=WAIT_MS)
    assert pane.canvas.image == stored[2]  # the right page, as kept at import
    assert pane.title.text() == "Page 2 as scanned"
    fitted = pane.canvas.shown_size()  # scaled to fit the pane, its shape kept
    assert fitted.width() <= pane.canvas.width() and fitted.height() <= pane.canvas.height()
    assert fitted.width() == pane.canvas.width() or fitted.height() == pane.canvas.height()
    shot = pane.canvas.grab().toImage()
    middle = shot.pixelColor(shot.rect().center())
    assert middle != QColor("#e5e7e9")  # the page is drawn there, not the empty background

    view.go_to_row(by_page[3][-1])  # the selection moves to page 3: so does the image
    qtbot.waitUntil(lambda: pane.shown_page == 3, timeout=WAIT_MS)
    assert pane.canvas.image == stored[3] and pane.title.text() == "Page 3 as scanned"

    view.go_to_row(by_page[1][0])  # the typed page: no image, and says why
    assert pane.shown_page is None and "not read by OCR" in pane.canvas.text
    assert not pane.previous.isEnabled()  # from page 1: no earlier scan; ▶ goes to page 2
    pane.next.click()
    qtbot.waitUntil(lambda: pane.shown_page == 2, timeout=WAIT_MS)

    # zoom: fit width fills the pane's width; at 100 % the page is scrolled to the selected sentence
    pane.set_zoom("width")
    assert abs(pane.canvas.width() - pane.scroller.viewport().width()) <= 1
    assert pane.canvas.shown_size().width() == pane.canvas.width()
    win.resize(1400, 560)
    pane.set_zoom("actual")
    assert pane.canvas.shown_size() == stored[2].size()
    bar = pane.scroller.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    view.go_to_row(by_page[2][0])  # the first line of page 2: the top of the page in view
    top = bar.value()
    view.go_to_row(by_page[2][-1])  # its last sentence: scrolled down the same page, no new decode
    assert pane.shown_page == 2 and bar.value() > top
    pane.set_zoom("page")

    action.trigger()  # and hides it again
    assert not pane.isVisible() and not action.isChecked()
    win.action(Key.PAGE_IMAGE).trigger()
    assert pane.isVisible() and action.isChecked()
    pane.close_button.click()  # its × button
    assert not pane.isVisible() and not action.isChecked()


def test_page_image_comes_back_for_scans_only_and_after_a_restart(qtbot, doc_id: int, fixtures: Path) -> None:  # type: ignore[no-untyped-def]
    with Library.open() as lib:
        text_id = import_file(lib, fixtures / "forum_post_ai_race.vi.txt").document_id
    win = open_window(qtbot, doc_id)
    win.action(Key.PAGE_IMAGE).trigger()
    win.view.page_pane.set_zoom("width")
    assert win.view.page_pane.isVisible()

    win.open_document(text_id)  # a typed document: nothing to show beside it, the pane steps aside
    qtbot.waitUntil(lambda: win.view.doc_id() == text_id, timeout=WAIT_MS)
    assert not win.view.page_pane.isVisible() and not win.action(Key.PAGE_IMAGE).isChecked()
    assert not win.view.ocr_header.isVisible()
    win.open_document(doc_id)  # a scan again: back beside the text
    qtbot.waitUntil(lambda: win.view.doc_id() == doc_id, timeout=WAIT_MS)
    assert win.view.page_pane.isVisible() and win.action(Key.PAGE_IMAGE).isChecked()
    win.close()

    again = MainWindow()  # a restart: the scan reopens with its page beside it, at the same zoom
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.view.doc_id() == doc_id and not again.jobs.busy(), timeout=WAIT_MS)
    pane = again.view.page_pane
    assert pane.isVisible() and again.action(Key.PAGE_IMAGE).isChecked() and pane.zoom_mode() == "width"
    qtbot.waitUntil(lambda: pane.shown_page is not None, timeout=WAIT_MS)
    pane.close_button.click()  # the user's × is a choice too: not shown for the next scan
    again.open_document(text_id)
    qtbot.waitUntil(lambda: again.view.doc_id() == text_id, timeout=WAIT_MS)
    again.open_document(doc_id)
    qtbot.waitUntil(lambda: again.view.doc_id() == doc_id, timeout=WAIT_MS)
    assert not pane.isVisible() and not again.action(Key.PAGE_IMAGE).isChecked()
