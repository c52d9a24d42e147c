"""The window stays responsive while a 300-page PDF is imported and translated: a heartbeat timer
on the GUI thread never waits more than 100 ms."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import QTimer

from app.core.translate import packages
from app.gui.main_window import MainWindow
from tests.test_gui import drop

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = 300
MAX_GAP_MS = 100


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
    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.max_gap = 0.0
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self.beat)

    def beat(self) -> None:
        now = time.perf_counter()
        self.max_gap = max(self.max_gap, now - self.last)
        self.last = now


def test_import_and_translate_300_pages_keeps_the_window_responsive(
    qtbot, data_dir: Path, tiny_model_path: Path, big_pdf: Path
) -> None:  # type: ignore[no-untyped-def]
    packages.install_package(tiny_model_path)
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    beat = Heartbeat()
    beat.timer.start()
    beat.last = time.perf_counter()

    drop(win, [big_pdf])
    qtbot.waitUntil(lambda: bool(win.sidebar.model.document_ids()) and not win.jobs.busy(), timeout=60_000)
    doc_id = win.view.doc_id()
    assert doc_id is not None and win.lib.document(doc_id).page_count == PAGES
    win.translate_action.trigger()
    qtbot.waitUntil(lambda: not win.translating and not win.jobs.busy(), timeout=60_000)
    beat.timer.stop()
    assert len(win.view.model.translations) == win.lib.document(doc_id).segment_count
    print(f"heartbeat: longest event-loop gap {beat.max_gap * 1000:.0f} ms")
    assert beat.max_gap * 1000 < MAX_GAP_MS
    win.close()
