"""The page image beside the text (issue 17): does moving through a scanned document hold the window?

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/gui_page_image.py [--pages 3] [--rounds 3]

A throwaway library gets a PDF of `--pages` A4 pages of real Vietnamese prose (tests/fixtures),
rendered at 300 dpi and put back without a text layer, imported through the real OCR path (which
keeps a JPEG of each page). A DocumentView shows it with View › Show page image on (Fit width), and
the selection moves to a sentence of each page in turn, `--rounds` times, waiting each time until the
page is on screen. Printed:

  show     time on the window's thread from the selection's move to show_page returning (the JPEG
           row read from SQLite; the decode runs on a pool thread); median and slowest
  shown    from the move to the decoded page on screen; median
  stall    longest gap between two beats of a 5 ms timer on the window's thread while paging, next
           to the same figure with nothing happening (the machine's own noise); target < 100 ms

Exit status 1 when the stall target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
STALL_TARGET_S = 0.100


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["DOICHIEU_DATA_DIR"] = tempfile.mkdtemp(prefix="doichieu-bench-page-")
    import pymupdf
    import pymupdf_fonts
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from app.core.pipeline import import_file
    from app.core.store import Library
    from app.gui.document_view import DocumentView
    from app.gui.page_image import FIT_WIDTH
    from tests.test_ocr import prose, scan

    app = QApplication.instance() or QApplication([])
    pdf = pymupdf.open()
    for i in range(args.pages):
        page = pymupdf.open().new_page(width=595, height=842)
        page.insert_font(fontname="noto", fontbuffer=pymupdf_fonts.myfont("notos"))
        y = 60.0
        for text in prose(4, (3 * i) % 12):
            left = page.insert_textbox(pymupdf.Rect(60, y, 535, y + 300), text, fontname="noto", fontsize=11)
            y += 300 - left + 14
        png = scan(page, dpi=300)
        out = pdf.new_page(width=595, height=842)
        out.insert_image(out.rect, stream=png)
    path = Path(os.environ["DOICHIEU_DATA_DIR"]).parent / "scan.pdf"
    pdf.save(path)
    started = time.perf_counter()
    with Library.open() as lib:
        doc_id = import_file(lib, path).document_id
    print(f"import with OCR: {args.pages} pages in {time.perf_counter() - started:.1f} s")

    lib = Library.open()
    view = DocumentView()
    view.resize(1400, 850)
    view.show()
    view.show_document(lib, doc_id)
    view.show_page_image(True)
    view.page_pane.set_zoom(FIT_WIDTH)
    assert view.model is not None
    view.model.fetch_until(view.model.total)
    pages = {p.id: p.page for p in lib.paragraphs(doc_id)}
    first_row = {}
    for row, seg in enumerate(view.model.segments):
        first_row.setdefault(pages[seg.paragraph_id], row)
    pane = view.page_pane

    beats: list[float] = []
    last = [time.perf_counter()]

    def beat() -> None:
        now = time.perf_counter()
        beats.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(beat)

    def run_for(seconds: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()

    timer.start()
    run_for(1.5)
    idle = max(beats)
    beats.clear()
    shows: list[float] = []
    shown: list[float] = []
    for _ in range(args.rounds):
        for page, row in sorted(first_row.items()):
            if page == pane.shown_page:
                continue
            t = time.perf_counter()
            view.go_to_row(row)
            shows.append(time.perf_counter() - t)
            while pane.shown_page != page:
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            shown.append(time.perf_counter() - t)
            run_for(0.1)
    timer.stop()
    stall = max(beats)
    print(f"show   median {1000 * statistics.median(shows):.0f} ms, slowest {1000 * max(shows):.0f} ms")
    print(f"shown  median {1000 * statistics.median(shown):.0f} ms ({len(shown)} page changes)")
    print(f"stall  {1000 * stall:.0f} ms while paging (idle: {1000 * idle:.0f} ms); target < 100 ms")
    lib.close()
    return 0 if stall < STALL_TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
