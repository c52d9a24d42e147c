"""The window stays responsive while a 300-page PDF is imported and translated, while all of its
layout repairs are undone, while a long text is pasted and while a long report is exported.

A heartbeat timer (every 10 ms) on the window's thread counts how often the event loop gets round to
it. The check is relative, so it holds on a loaded machine: during the work the loop must still turn
at least MIN_SHARE of the rate measured just before, idle, in the same process. Heavy work on the
window's thread (instead of the helper process) stops the heartbeat and fails it. The absolute target
(no event-loop stall over 100 ms) is measured by bench/gui_responsive.py, on a quiet machine."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import QTimer

from app.core.translate import packages
from app.gui import tune_for_latency, untune
from app.gui.main_window import Key, MainWindow
from tests.test_gui import drop

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = 300
MIN_SHARE = 0.25  # of the idle heartbeat rate; measured 0.6-1.0 on a loaded 2-core machine
BASELINE_BEATS = 30


@pytest.fixture(scope="module")
def big_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 pages from the samples' paragraphs. Small pages in a large font: flow_pdf measures every
    line word by word, so this keeps building the file to a few seconds."""
    from tests.pdf_factory import flow_pdf

    paras: list[str] = []
    for name in ("pdf_copy_supercomputers", "forum_post_ai_race"):
        paras += [p["text"] for p in json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))]
    path = tmp_path_factory.mktemp("pdf") / "bao_cao_300.pdf"
    flow_pdf(path, paras * 7, page="a6", fontsize=22, header="Báo cáo tổng hợp", page_numbers=True)
    with pymupdf.open(path) as doc:
        assert len(doc) >= PAGES
        doc.select(list(range(PAGES)))
        doc.save(path.with_suffix(".cut.pdf"))
    return path.with_suffix(".cut.pdf")


class Heartbeat:
    """Beats of a 10 ms timer on the window's thread: how many, and the longest gap between two."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self.beat)
        self.baseline = 0.0  # beats per second, idle
        self.reset()

    def reset(self) -> None:
        self.start = self.last = time.perf_counter()
        self.beats = 0
        self.max_gap = 0.0

    def beat(self) -> None:
        now = time.perf_counter()
        self.max_gap = max(self.max_gap, now - self.last)
        self.last = now
        self.beats += 1

    def rate(self) -> float:
        return self.beats / max(time.perf_counter() - self.start, 1e-6)

    def check(self, what: str) -> None:
        """The loop kept turning during `what` (relative to the idle rate); prints the figures."""
        share = self.rate() / self.baseline
        gap = max(self.max_gap, time.perf_counter() - self.last)
        print(f"heartbeat {what}: {share:.0%} of the idle rate, longest gap {gap * 1000:.0f} ms")
        assert share >= MIN_SHARE, f"{what}: the event loop turned at {share:.0%} of its idle rate"


def shown_window(qtbot) -> MainWindow:  # type: ignore[no-untyped-def]
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def start_heartbeat(qtbot, request: pytest.FixtureRequest) -> Heartbeat:  # type: ignore[no-untyped-def]
    """As app.gui.run() does once the window is up; its gc.freeze also keeps the earlier tests' objects
    out of the measurement. The idle rate is measured first, then counting starts afresh."""
    tune_for_latency()
    request.addfinalizer(untune)
    beat = Heartbeat()
    beat.timer.start()
    qtbot.waitUntil(lambda: beat.beats >= BASELINE_BEATS, timeout=60_000)
    beat.baseline = beat.rate()
    beat.reset()
    return beat


def long_text(parts: int = 60) -> str:
    """~0.5 MB copied out of a long report: both samples, again and again."""
    names = ("pdf_copy_supercomputers", "forum_post_ai_race")
    raw = "\n\n".join((FIXTURES / f"{n}.vi.txt").read_text(encoding="utf-8") for n in names)
    return "\n\n".join(f"Phần {i}.\n\n{raw}" for i in range(parts))


def test_import_and_translate_300_pages_keeps_the_window_responsive(
    qtbot, data_dir: Path, tiny_model_path: Path, big_pdf: Path, request: pytest.FixtureRequest
) -> None:  # type: ignore[no-untyped-def]
    packages.install_package(tiny_model_path)
    win = shown_window(qtbot)
    beat = start_heartbeat(qtbot, request)

    drop(win, [big_pdf])
    qtbot.waitUntil(lambda: bool(win.sidebar.model.document_ids()) and not win.jobs.busy(), timeout=60_000)
    doc_id = win.view.doc_id()
    assert doc_id is not None and win.lib.document(doc_id).page_count == PAGES
    win.action(Key.TRANSLATE).trigger()
    qtbot.waitUntil(lambda: not win.translation.running and not win.jobs.busy(), timeout=60_000)
    beat.check("importing and translating 300 pages")
    assert len(win.view.model.translations) == win.lib.document(doc_id).segment_count

    # undoing every layout repair re-cleans, re-segments and re-stores all 300 pages
    from app.core.services.layout_review import review

    undoable = {r.index for r in review(win.lib, doc_id).repairs if r.undoable}
    assert len(undoable) > 100
    segments_before = win.lib.document(doc_id).segment_count
    beat.reset()
    win.tools.show_layout_review()  # the imported text with its repairs marked, beside the repaired text
    qtbot.waitUntil(lambda: not win.jobs.busy(), timeout=60_000)
    dialog = win.tools.review_dialog
    assert dialog.model.rowCount() == len(review(win.lib, doc_id).repairs)
    removed = {r.repair.removed.strip() for r in dialog.model.rows} - {""}
    # what the repairs removed (running headers, page numbers) is marked in the imported text
    qtbot.waitUntil(lambda: len(dialog.raw.extraSelections()) >= PAGES)
    assert {sel.cursor.selectedText() for sel in dialog.raw.extraSelections()} <= removed
    dialog.request(undoable)
    qtbot.waitUntil(lambda: not win.jobs.busy(), timeout=120_000)
    beat.check(f"in the layout review, undoing {len(undoable)} repairs")
    beat.timer.stop()
    assert {r.index for r in review(win.lib, doc_id).repairs if r.undone} == undoable
    assert len(dialog.raw.extraSelections()) >= PAGES  # the imported text and its marks stay
    assert win.lib.document(doc_id).segment_count != segments_before
    win.close()


def test_pasting_a_long_text_keeps_the_window_responsive(qtbot, data_dir: Path, request: pytest.FixtureRequest) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    text = long_text()
    win = shown_window(qtbot)
    beat = start_heartbeat(qtbot, request)
    QApplication.clipboard().setText(text)
    win.importing.paste_document()
    qtbot.waitUntil(lambda: win.view.doc_id() is not None and not win.jobs.busy(), timeout=60_000)
    beat.check(f"importing {len(text) // 1024} KB of pasted text")
    beat.timer.stop()
    QApplication.clipboard().clear()
    info = win.lib.document(win.view.doc_id())
    assert info.segment_count > 60 * 50
    win.close()


def test_exporting_a_long_document_keeps_the_window_responsive(  # type: ignore[no-untyped-def]
    qtbot, data_dir: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    from app.core.pipeline import import_text
    from app.core.store import Library

    with Library.open() as lib:
        doc = import_text(lib, long_text()).document_id
        sentences = lib.document(doc).segment_count
    win = shown_window(qtbot)
    win.open_document(doc)
    qtbot.waitUntil(lambda: not win.jobs.busy(), timeout=60_000)
    beat = start_heartbeat(qtbot, request)

    win.action(Key.EXPORT).trigger()  # the preview shows the first rows, and says so
    dialog = win.tools.export_dialog
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Preview"), timeout=60_000)
    assert f"first 40 of {sentences:,} sentences" in dialog.status.text()
    shown = dialog.preview.toPlainText()
    assert win.lib.segments(doc)[39].text[:40] in shown and "Phần 59." not in shown
    for fmt in ("pdf", "docx"):  # the whole report is written
        out = tmp_path / f"report.{fmt}"
        dialog.format.setCurrentIndex(dialog.format.findData(fmt))
        dialog.save_to(out)
        qtbot.waitUntil(lambda out=out: out.is_file() and not win.jobs.busy(), timeout=120_000)
    beat.check(f"previewing and exporting {sentences} sentences to PDF and DOCX")
    beat.timer.stop()
    with pymupdf.open(tmp_path / "report.pdf") as pdf:
        assert "Phần 59." in "".join(page.get_text() for page in pdf[-40:])
    win.close()
