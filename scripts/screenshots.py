"""Screenshots of the desktop app's main states, rendered offscreen into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [OUT_DIR]

Uses a throwaway data folder. No real translation model ships with the repository, so the English of
the first sentences is written here (stored as machine output, one marked for checking, one as a
human edit) to show what the columns look like; everything else is the app as it runs."""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"

ENGLISH = {
    0: '"Overall, the combination of advanced computing infrastructure, huge data sources, outstanding research '
    "capacity, large markets, state support policies and industry leadership has made the United States and "
    'China the pioneers of global AI development".',
    1: "China and the United States are considered countries that play an important role in the global field of AI.",
    2: "This is a natural story, beyond dispute, for the following reasons:",
    3: "1. DOMINANCE IN SUPERCOMPUTERS: Both China and the United States have invested heavily in researching and "
    "developing supercomputer systems, especially quantum computers, able to compute millions of times faster "
    "than today's most powerful supercomputers.",
    4: "Supercomputers play a particularly important role in training complex AI models and processing data at "
    "scale, which gives them an outstanding competitive edge in AI research.",
    5: "2. HUGE AMOUNTS OF DATA: Billions of people in the world using English and Chinese have given the United "
    "States and China huge amounts of data, an important input fuel for AI algorithms.",
    6: "With large populations and vast digital ecosystems, this creates huge volumes of data used to train and "
    "improve AI models.",
    7: "3. LARGE LANGUAGE MODELS WITH HIGH INTERACTIVITY: Both countries have made significant progress in "
    "developing large interactive language models such as OpenAI's GPT-3 and China's Wu Dao.",
    8: "These models can understand and generate human-like language, opening up possibilities for more advanced "
    "communication and natural language processing technologies.",
    9: "4. DEEP SCIENTIFIC AND RESEARCH FOUNDATIONS: The United States and China have many of the world's leading "
    "scientists, strong research centres and prestigious universities.",
    10: "This gives them deep research resources, contributing to the advances of AI.",
    11: "Both the United States and China invest heavily in basic AI research, leading to breakthroughs in fields "
    "such as computer vision, machine learning and robotics.",
}


def main() -> int:
    global OUT
    if len(sys.argv) > 1:
        OUT = Path(sys.argv[1]).resolve()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["DOICHIEU_DATA_DIR"] = tempfile.mkdtemp(prefix="doichieu-shots-")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication, QWidget

    from app.core.claims import workflow
    from app.core.pipeline import import_file
    from app.core.store import Library, NewTranslation
    from app.core.store.claims import ClaimStore
    from app.gui.main_window import Key, MainWindow
    from app.gui.resources import sample_documents

    app = QApplication.instance() or QApplication([])
    app.setFont(QFont("Noto Sans", 10))
    OUT.mkdir(parents=True, exist_ok=True)

    def settle(ms: int = 300) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait_jobs(window: MainWindow) -> None:
        while window.jobs.busy():
            settle(50)
        settle()

    def shot(widget: QWidget, name: str) -> None:
        settle()
        path = OUT / f"{name}.png"
        widget.grab().save(str(path), "PNG", 9)  # type: ignore[call-overload]
        print(f"{path}  {path.stat().st_size // 1024} KB")

    # 1. empty library
    window = MainWindow()
    window.resize(1280, 760)
    window.show()
    shot(window, "empty-library")
    window.close()

    # 2. the samples, English for the first sentences, claims
    with Library.open() as lib:
        ClaimStore(lib).ensure_default_tags()
        ids = [import_file(lib, p).document_id for p in sample_documents()]
        doc_id = next(i for i in ids if "supercomputers" in lib.document(i).title)
        segs = lib.segments(doc_id)
        lib.add_translations(
            NewTranslation(s.id, ENGLISH[s.idx], "machine", "argos:vi_en:1.9", ("length_ratio",) if s.idx == 6 else ())
            for s in segs
            if s.idx in ENGLISH
        )
        edited = "This is self-evident and beyond dispute, for these reasons:"
        lib.add_translations([NewTranslation(segs[2].id, edited, "human")])
        s3 = segs[3]
        start = s3.text.index("đã đầu tư")
        workflow.create_claim(
            lib,
            doc_id,
            s3.start_char + start,
            s3.end_char - 1,
            tags=["statistic"],
            note="'millions of times faster': find the source",
        )
        workflow.create_claim(lib, doc_id, segs[1].start_char, segs[1].end_char, tags=["opinion"], verdict="disputed")
        workflow.create_claim(lib, doc_id, segs[9].start_char, segs[9].end_char, tags=["ranking"])
    window = MainWindow()
    window.resize(1280, 760)
    window.show()
    window.open_document(doc_id)
    wait_jobs(window)
    window.view.go_to_row(3)
    window.view.go_to_row(4, 2)  # a plain sentence selected: its partner tinted
    shot(window, "document-side-by-side")

    # 3. the claim dialog, from words selected in the Vietnamese pane
    window.view.go_to_row(5)
    pane = window.view.vi_text
    cursor = pane.textCursor()
    text = pane.toPlainText()
    cursor.setPosition(text.index("hàng tỷ"))
    cursor.setPosition(text.index("tiếng Trung") + len("tiếng Trung"), cursor.MoveMode.KeepAnchor)
    pane.setTextCursor(cursor)
    window.action(Key.NEW_CLAIM).trigger()
    settle()
    dialog = window.claim_dialog
    assert dialog is not None
    dialog.set_tag("statistic")
    dialog.note.setPlainText("Check the population figures behind 'billions'.")
    shot(dialog, "claim-dialog")
    dialog.reject()

    # 4. model manager (no model installed: it says how to get one)
    window.translation.show_model_manager()
    assert window.translation.model_manager is not None
    shot(window.translation.model_manager, "model-manager")
    window.translation.model_manager.close()

    # 5. layout review, one repair selected
    window.tools.show_layout_review()
    wait_jobs(window)
    review = window.tools.review_dialog
    assert review is not None
    row = next((i for i, s in enumerate(review.model.rows) if s.undoable), 0)
    review.list.setCurrentIndex(review.model.index(row, 0))
    shot(review, "layout-review")
    review.close()

    # 5a. the tag manager (Claims › Manage tags…), one tag selected
    window.action(Key.TAG_MANAGER).trigger()
    manager = window.tag_manager  # type: ignore[attr-defined]
    manager.select("statistic")
    shot(manager, "tag-manager")
    manager.close()

    # 5b. library search: the matching sentences by document, words highlighted (typed without accents);
    # then Ctrl+F in the document: every match marked, the current one in orange
    window.sidebar.search.setText("bang sang che")
    settle(400)
    wait_jobs(window)
    shot(window, "library-search")
    window.sidebar.search.clear()
    settle(400)
    wait_jobs(window)
    window.open_document(doc_id)
    window.view.open_find()
    window.view.find_edit.setText("du lieu")
    window.view.find_next()
    wait_jobs(window)
    window.view.find_next()
    shot(window, "find-in-document")
    window.view.close_find()
    from app.gui.dialogs.shortcuts import ShortcutsDialog

    window.action(Key.KEYBOARD_SHORTCUTS).trigger()
    shortcuts = window.findChild(ShortcutsDialog)
    assert shortcuts is not None
    shortcuts.resize(640, 760)
    shot(shortcuts, "keyboard-shortcuts")
    shortcuts.close()

    # 5c. review (issue 18): the first sentence's machine English accepted unchanged (✓ reviewed), the third
    # edited by hand (✎); the one filter above the table set to list only the machine English nobody reviewed
    from app.core.translate import review as review_rules

    review_rules.accept(window.lib, segs[0].id)
    window.open_document(doc_id)
    wait_jobs(window)
    window.view.set_filter("all")
    window.view.go_to_row(1, 1)  # sentence 1 (✓) and 3 (✎) unselected, so their marks show
    window.view.table.scrollToTop()
    shot(window, "review-states")
    window.view.set_filter("unreviewed")
    window.view.go_to_row(1, 2)
    shot(window, "review-filter")
    window.view.set_filter("all")
    window.close()

    # 5d. a scanned PDF read by OCR (issue 17): page 1 typed, page 2 a scan (the sample's words drawn and
    # rasterised, a first line of typing slips that OCR reads with a low confidence); the tinted paragraph,
    # the filter bar's "1 of 2 pages read by OCR" and View › Show page image beside the text
    with Library.open() as lib:
        scanned_id = _import_scan(lib, sample_documents()[0])
    window = MainWindow()
    window.resize(1600, 860)
    window.show()
    window.open_document(scanned_id)
    wait_jobs(window)
    window.action(Key.PAGE_IMAGE).trigger()
    model = window.view.model
    assert model is not None
    pages = {p.id: p.page for p in window.lib.paragraphs(scanned_id)}
    low = window.view.ocr_pane.marks
    row = next(
        r
        for r, seg in enumerate(model.segments)
        if pages[seg.paragraph_id] == 2 and seg.paragraph_id in low and low[seg.paragraph_id][1] >= 80
    )
    window.view.go_to_row(row)
    wait_jobs(window)
    settle(600)
    shot(window, "ocr-page-image")
    window.close()

    # 6. the recovery dialog a damaged library opens at start (real backups of this library)
    from app.core.errors import LibraryCorruptError
    from app.core.services.session import backup_now, describe_backups, open_session
    from app.core.store.backups import daily_backup
    from app.gui.dialogs.backups import BackupsDialog
    from app.gui.recovery import start_message

    with open_session() as lib:  # today's daily backup
        backup_now(lib)
        older = daily_backup(lib, today=datetime(2026, 11, 2, tzinfo=UTC))
    if older is not None:  # dated as if it had been made that day
        stamp = datetime(2026, 11, 2, 9, 41, tzinfo=UTC).timestamp()
        os.utime(older, (stamp, stamp))
    library = Path(os.environ["DOICHIEU_DATA_DIR"]) / "library.sqlite3"
    error = LibraryCorruptError(
        f"the library {library} is damaged (database disk image is malformed); a copy was kept as "
        "library.sqlite3.damaged-20261129-101500",
        path=library,
    )
    dialog = BackupsDialog(start_message(error), describe_backups(), at_start=True)
    dialog.show()
    shot(dialog, "recovery-dialog")
    dialog.close()
    return 0


SLIPS = "Cưộc hơpj đã bàn vêf nhiềuu vấnd đề quan trongj nhưngg chuaw cos kết luậnn gìf"


def _import_scan(lib: object, sample: Path) -> int:
    """A two-page PDF of the sample: page 1 with a text layer, page 2 an image only (200 dpi, grey)."""
    import pymupdf
    import pymupdf_fonts

    from app.core.pipeline import clean_file, import_file

    paragraphs = [p.text for p in clean_file(sample).paragraphs]
    src = pymupdf.open()

    def page_of(doc: pymupdf.Document, texts: list[str]) -> pymupdf.Page:
        page = doc.new_page(width=420, height=595)
        page.insert_font(fontname="noto", fontbuffer=pymupdf_fonts.myfont("notos"))
        y = 30.0
        for text in texts:
            left = page.insert_textbox(pymupdf.Rect(30, y, 390, y + 260), text, fontname="noto", fontsize=10)
            y += 260 - left + 12
        return page

    page_of(src, paragraphs[:3])
    scan = page_of(pymupdf.open(), [SLIPS, *paragraphs[3:6]])
    png = scan.get_pixmap(matrix=pymupdf.Matrix(200 / 72, 200 / 72), colorspace=pymupdf.csGRAY).tobytes("png")
    image_page = src.new_page(width=420, height=595)
    image_page.insert_image(image_page.rect, stream=png)
    path = Path(tempfile.mkdtemp(prefix="doichieu-scan-")) / "bao-cao-scan.pdf"
    src.save(path)
    return import_file(lib, path).document_id  # type: ignore[arg-type]


if __name__ == "__main__":
    sys.exit(main())
