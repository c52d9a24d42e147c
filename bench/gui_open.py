"""Opening a 5,000-sentence document in the desktop app, and scrolling it.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/gui_open.py

Builds (once, cached in bench/corpus/gui_5000/) a library holding one document of 5,000 translated
sentences made from the sample texts, then times, on a real MainWindow:
  open     from choosing the document to its first screen painted; target < 1 s
  scroll   paging down 20 screens, then jumping to the middle: how many rows the lazy model fetched
           (target: far fewer than 5,000), and the slowest step
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "bench" / "corpus" / "gui_5000"
os.environ["DOICHIEU_DATA_DIR"] = str(DATA)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
SENTENCES = 5000


def build() -> int:
    from app.core.pipeline import import_text
    from app.core.store import Library, NewTranslation

    with Library.open() as lib:
        docs = lib.documents()
        if docs and docs[0].segment_count >= SENTENCES * 0.95:
            return docs[0].id
        text = " ".join(
            (ROOT / "resources" / "samples" / n).read_text(encoding="utf-8")
            for n in sorted(os.listdir(ROOT / "resources" / "samples"))
        )
        pool = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) > 4]
        paras = []
        for i in range(SENTENCES * 77 // 100):  # the segmenter splits some of them further
            sentence = pool[i % len(pool)].rstrip(".!?") + f" (mục {i + 1})."
            paras.append(sentence if i % 4 else "\n\n" + sentence)
        outcome = import_text(lib, " ".join(paras), title="5,000 câu")
        segs = lib.segments(outcome.document_id)
        lib.add_translations(NewTranslation(s.id, f"English of sentence {s.idx + 1}.") for s in segs)
        print(f"built a document of {len(segs)} sentences", file=sys.stderr)
        return outcome.document_id


def main() -> int:
    doc_id = build()
    from PySide6.QtWidgets import QApplication

    from app.gui import settings
    from app.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    settings.put(settings.LAST_DOCUMENT, 0)
    window = MainWindow()
    window.resize(1320, 820)
    window.show()
    app.processEvents()
    start = time.perf_counter()
    window.open_document(doc_id)
    window.view.table.viewport().repaint()  # the first screen, painted
    app.processEvents()
    opened = time.perf_counter() - start
    model = window.view.model
    assert model is not None
    print(
        f"open:   {opened * 1000:.0f} ms for {model.total} sentences; rows fetched {model.rowCount()} "
        f"({model.fetches} chunks of {model.CHUNK}) {'OK' if opened < 1 else 'SLOW'} (target < 1 s)"
    )
    bar = window.view.table.verticalScrollBar()
    worst = 0.0
    for _ in range(20):
        t = time.perf_counter()
        bar.setValue(bar.value() + bar.pageStep())
        window.view.table.viewport().repaint()
        app.processEvents()
        worst = max(worst, time.perf_counter() - t)
        if os.environ.get("DEBUG_GUI_OPEN"):
            print("  step", bar.value(), bar.maximum(), model.rowCount(), file=sys.stderr)
    print(
        f"scroll: 20 pages down, slowest step {worst * 1000:.0f} ms; rows fetched {model.rowCount()} of {model.total}"
    )
    t = time.perf_counter()
    window.view.go_to_row(model.total // 2)
    window.view.table.viewport().repaint()
    app.processEvents()
    jump = time.perf_counter() - t
    print(f"jump:   to sentence {model.total // 2} in {jump * 1000:.0f} ms; rows fetched {model.rowCount()}")
    window.close()
    return 0 if opened < 1 else 1


if __name__ == "__main__":
    sys.exit(main())
