"""Background work that never starves: a library search asked for while a long translation runs in
the helper process (with another helper job waiting behind it) is answered before the translation
ends. With one shared pool the waiting helper job held the second thread and the search ran only
after the translation (issue 15: asked at 0.7 s, answered at 4.4 s)."""

from __future__ import annotations

from pathlib import Path

from app.core.pipeline import import_text
from app.core.store import Library
from app.core.translate import packages
from app.gui.main_window import Key
from tests.test_gui_responsive import long_text, shown_window

WAIT_MS = 120_000


def test_library_search_does_not_wait_for_a_running_translation(qtbot, data_dir: Path, tiny_model_path: Path) -> None:  # type: ignore[no-untyped-def]
    packages.install_package(tiny_model_path)
    with Library.open() as lib:
        long_doc = import_text(lib, long_text(), title="Báo cáo dài").document_id
        import_text(lib, "Ngân hàng Nhà nước công bố lãi suất mới.\n\nĐây là tin ngắn.", title="Tin ngắn")
        sentences = lib.document(long_doc).segment_count
    win = shown_window(qtbot)
    win.open_document(long_doc)
    qtbot.waitUntil(lambda: not win.jobs.busy(), timeout=WAIT_MS)

    # at the moment the search's result reaches the list: is the translation still running?
    running_when_found: list[bool] = []
    win.sidebar.model.modelReset.connect(lambda: running_when_found.append(win.translation.running))

    win.action(Key.TRANSLATE).trigger()
    qtbot.waitUntil(lambda: win.job_label.text().startswith("Translating:"), timeout=WAIT_MS)  # under way
    win.action(Key.SUGGEST).trigger()  # a second helper job, waiting for the helper behind it
    win.sidebar.search.setText("lãi suất")
    qtbot.waitUntil(lambda: win.sidebar.model.rowCount() == 1, timeout=WAIT_MS)
    assert running_when_found == [True]
    assert win.sidebar.status.text() == "1 of 2 documents"
    assert {job.title for job in win.jobs.jobs} >= {"Translating", "Looking for likely claims"}

    # the translation itself was not disturbed: cancelled now, it keeps what it translated
    win.jobs.cancel_all()
    qtbot.waitUntil(lambda: not win.jobs.busy(), timeout=WAIT_MS)
    done = len(win.lib.current_translations(long_doc))
    assert 0 < done < sentences
    win.close()
