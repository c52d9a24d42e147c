"""A fact-checker's whole session in the window alone, three times on one library, as a new user works
(issue 18): drop a document in, find it with the library search and open it at the sentence, translate
it with the (tiny, real) model, review a sentence, claim words, export the HTML report, close the
window. Each round starts a new window on the same data folder. At the end the library passes SQLite's
integrity check, a backup exists, and every round's work is still there."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from app.core import paths
from app.core.store import Library
from app.core.store.claims import ClaimStore
from app.core.store.library import fold
from app.core.translate import review
from app.gui.main_window import Key, MainWindow
from tests.test_gui import drop
from tests.test_gui_review import _ctrl_enter, _open_editor

WAIT_MS = 60_000

# Three short reports; each holds a word the others do not (the search finds only its own).
ROUNDS = (
    (
        "bao_cao_lua_gao.txt",
        "cao nhất từ trước đến nay",
        "Năm 2023, Việt Nam xuất khẩu 8,1 triệu tấn gạo, cao nhất từ trước đến nay. "
        "Giá gạo xuất khẩu bình quân đạt 575 đô la Mỹ mỗi tấn.\n\nBộ Nông nghiệp cho biết sản lượng lúa không giảm "
        "dù thời tiết bất lợi.",
    ),
    (
        "tin_dien_gio.txt",
        "điện gió ngoài khơi",
        "Quy hoạch điện VIII đặt mục tiêu 6.000 MW điện gió ngoài khơi vào năm "
        "2030. Các nhà đầu tư nước ngoài chưa được cấp phép khảo sát.\n\nChính phủ khẳng định sẽ không tăng giá điện "
        "trong quý IV.",
    ),
    (
        "bai_giao_duc.txt",
        "đại học công lập",
        "Học phí đại học công lập tăng trung bình 15% trong năm học mới. "
        "Nhiều sinh viên phải làm thêm để trang trải chi phí.\n\nBộ Giáo dục không đồng ý bỏ kỳ thi tốt nghiệp.",
    ),
)


def _one_session(qtbot, folder: Path, out: Path, round_no: int, model: Path | None) -> None:  # type: ignore[no-untyped-def]
    name, words, text = ROUNDS[round_no]
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: not win.jobs.busy(), timeout=WAIT_MS)
    if model is not None:  # the first time: the model package dropped on the window too
        drop(win, [model])
        qtbot.waitUntil(lambda: not win.banner.isVisible() and not win.jobs.busy(), timeout=WAIT_MS)

    # import: the file dropped on the window
    source = folder / name
    source.write_text(text, encoding="utf-8")
    drop(win, [source])
    qtbot.waitUntil(
        lambda: len(win.sidebar.model.document_ids()) == round_no + 1 and not win.jobs.busy(), timeout=WAIT_MS
    )
    assert source.is_file()  # copied in, never moved

    # search: the words typed without accents, Enter, Enter again opens the document at the sentence
    side = win.sidebar
    side.search.setFocus()
    qtbot.keyClicks(side.search, fold(words))  # typed without accents
    qtbot.keyClick(side.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: side.results.isVisible() and not win.jobs.busy(), timeout=WAIT_MS)
    assert side.results.sentence_count() >= 1
    qtbot.waitUntil(side.results.hasFocus)
    qtbot.keyClick(side.results, Qt.Key.Key_Return)
    doc_id = max(win.sidebar.model.document_ids())
    qtbot.waitUntil(lambda: win.view.doc_id() == doc_id and not win.jobs.busy(), timeout=WAIT_MS)
    model_view = win.view.model
    assert model_view is not None
    row = win.view.table.currentIndex().row()
    assert words in model_view.segments[row].text

    # translate with the model
    win.action(Key.TRANSLATE).trigger()
    qtbot.waitUntil(lambda: win.translation.running, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not win.translation.running and not win.jobs.busy(), timeout=WAIT_MS)
    assert len(model_view.translations) == model_view.rowCount()

    # review: Ctrl+Enter on the untouched machine English of the first sentence
    _ctrl_enter(qtbot, _open_editor(win, qtbot, 0))
    win.view.close_editor()
    first = model_view.translations[model_view.segments[0].id]
    assert review.state_of(first) == review.REVIEWED

    # claim: the searched words selected in the Vietnamese pane, Ctrl+T, a tag, OK
    win.view.go_to_row(row)
    pane = win.view.vi_text
    start = pane.toPlainText().index(words)
    cursor = QTextCursor(pane.document())
    cursor.setPosition(start)
    cursor.setPosition(start + len(words), QTextCursor.MoveMode.KeepAnchor)
    pane.setTextCursor(cursor)
    win.action(Key.NEW_CLAIM).trigger()
    qtbot.waitUntil(lambda: win.claim_dialog is not None and win.claim_dialog.isVisible())
    dialog = win.claim_dialog
    assert dialog is not None
    dialog.set_tag("statistic")
    dialog.note.setPlainText(f"round {round_no + 1}: find the source")
    dialog.accept()
    qtbot.waitUntil(lambda: win.panel.model.rowCount() >= 1)

    # export: File › Export…, HTML
    win.action(Key.EXPORT).trigger()
    exporter = win.tools.export_dialog
    assert exporter is not None
    qtbot.waitUntil(lambda: words in exporter.preview.toPlainText(), timeout=WAIT_MS)
    exporter.format.setCurrentIndex(exporter.format.findData("html"))
    exporter.save_to(out / f"round{round_no + 1}")
    report = out / f"round{round_no + 1}.html"
    qtbot.waitUntil(lambda: report.is_file() and exporter.status.text().startswith("Saved"), timeout=WAIT_MS)
    exporter.close()
    html = report.read_text(encoding="utf-8")
    assert words in html and f"round {round_no + 1}: find the source" in html and 'data-review="reviewed"' in html
    win.close()


def test_three_window_sessions_on_one_library(qtbot, data_dir: Path, tiny_model_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "documents"
    folder.mkdir()
    out = tmp_path / "reports"
    out.mkdir()
    for round_no in range(3):
        _one_session(qtbot, folder, out, round_no, tiny_model_path if round_no == 0 else None)

    # every window is closed: the file may be checked now
    library = data_dir / "library.sqlite3"
    con = sqlite3.connect(library)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()
    assert list(paths.backups_dir().glob("*.sqlite3")), "the window made today's backup"
    with Library.open() as lib:
        docs = lib.documents()
        assert len(docs) == 3
        for doc in docs:
            kept = ClaimStore(lib).for_document(doc.id)
            assert len(kept) == 1 and kept[0].tags == ("statistic",)
            states = [review.state_of(t) for t in lib.current_translations(doc.id).values()]
            assert states.count(review.REVIEWED) == 1 and len(states) == doc.segment_count
    assert sorted(p.name for p in out.iterdir()) == ["round1.html", "round2.html", "round3.html"]
