"""The claims panel with many claims (issue 18): the time to show 1,000 claims of a real library and to
re-fit them when the panel is resized, with the rows measured as they come into view (the panel's way)
against all rows measured at once (QHeaderView.ResizeToContents, the obvious way). Wrapped text is
measured with a QTextDocument per cell, so measuring every row is what made the window wait.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/claims_panel.py [N]

Prints milliseconds per step and the ratio all-rows / visible-rows (target: showing 1,000 claims
under 200 ms)."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = "Năm 2023, Trung Quốc nộp {i} đơn bằng sáng chế về AI, gấp {i} lần Mỹ và chiếm 70% số đơn theo WIPO. "


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["DOICHIEU_DATA_DIR"] = str(Path(tempfile.mkdtemp(prefix="doichieu-bench-")) / "data")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication, QHeaderView

    app = QApplication.instance() or QApplication([])
    from app.core.claims import workflow
    from app.core.pipeline import import_text
    from app.core.store import Library
    from app.core.store.claims import ClaimStore
    from app.gui.claims_panel import ClaimsPanel

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with Library.open() as lib:
        ClaimStore(lib).ensure_default_tags()
        doc = import_text(lib, "".join(SENTENCE.format(i=i) for i in range(n)), title="many claims").document_id
        for seg in lib.segments(doc)[:n]:
            workflow.create_claim(lib, doc, seg.start_char, seg.end_char, tags=["statistic"])
        rows = workflow.views(lib, ClaimStore(lib).search())

    def run(width: int, all_rows: bool) -> tuple[float, float]:
        panel = ClaimsPanel()
        if all_rows:
            panel.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        panel.resize(width, 900)
        panel.show()
        app.processEvents()
        t0 = time.perf_counter()
        panel.set_claims(rows, {"statistic": "#f9e79f"})
        app.processEvents()
        t1 = time.perf_counter()
        panel.resize(width + 40, 900)
        app.processEvents()
        t2 = time.perf_counter()
        panel.close()
        return 1000 * (t1 - t0), 1000 * (t2 - t1)

    for width in (300, 520):
        shown, resized = run(width, all_rows=False)
        shown_all, resized_all = run(width, all_rows=True)
        print(
            f"{len(rows)} claims, panel {width} px: show {shown:.0f} ms (all rows measured: {shown_all:.0f} ms, "
            f"x{shown_all / shown:.0f}), resize {resized:.0f} ms (all rows: {resized_all:.0f} ms)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
