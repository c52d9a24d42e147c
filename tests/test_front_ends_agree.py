"""The window and the command line run one core (issue 15): where they used to disagree, each test here
goes through both front-ends on a real library and checks they say the same thing.

(a) a claim's English after a post-edit that adds words before it: reader table, its detail pane,
    the claims panel, `claims list` and the HTML report highlight the same English words;
(b) `main.py import FOLDER` imports the folder's files, as the window's import of that folder does;
(c) a sentence holding a claim is not suggested, neither by `claims suggest` nor in the window;
(d) evidence links: the claim dialog and `claims edit --evidence` store the same thing for the same
    input, and the report links only http(s)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from PySide6.QtGui import QTextCursor, QTextFormat
from PySide6.QtWidgets import QDialogButtonBox, QPushButton

from app.core.claims import workflow
from app.core.pipeline import import_file
from app.core.store import Library, NewTranslation
from app.core.store.claims import ClaimStore
from app.gui import settings
from app.gui.main_window import MainWindow
from app.gui.models import ID_ROLE, SPANS_ROLE
from tests.test_cli_library import run

FIXTURES = Path(__file__).parent / "fixtures"
FORUM = FIXTURES / "forum_post_ai_race.vi.txt"
WAIT_MS = 20_000

MACHINE = "China ranks 12th in the Global Innovation Index."
EDITED = "According to WIPO in 2023, China ranks 12th in the Global Innovation Index."
WORDS = "12th"


def open_window(qtbot, doc_id: int) -> MainWindow:  # type: ignore[no-untyped-def]
    settings.put(settings.LAST_DOCUMENT, doc_id)
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.view.doc_id() == doc_id and not win.jobs.busy(), timeout=WAIT_MS)
    return win


def highlighted(pane_text: str, pane) -> str:  # type: ignore[no-untyped-def]
    """The characters of a QPlainTextEdit painted with a background (the claims' highlight)."""
    cursor = QTextCursor(pane.document())
    out = []
    for i in range(len(pane_text)):
        cursor.setPosition(i + 1)
        if cursor.charFormat().hasProperty(QTextFormat.Property.BackgroundBrush):
            out.append(pane_text[i])
        elif out and out[-1] != "|":
            out.append("|")
    return "".join(out).strip("|")


def report_english_highlights(path: Path) -> list[str]:
    """The highlighted words in the English column of an HTML report."""
    page = path.read_text(encoding="utf-8")
    cells = re.findall(r'<td class="en[^"]*"[^>]*>(.*?)</td>', page, flags=re.S)
    return [html.unescape(w) for cell in cells for w in re.findall(r'<span class="hl"[^>]*>(.*?)</span>', cell)]


def test_english_highlight_after_a_post_edit_is_the_same_everywhere(qtbot, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with Library.open() as lib:
        ClaimStore(lib).ensure_default_tags()
        doc = import_file(lib, FORUM).document_id
        segs = lib.segments(doc)
        seg, whole = segs[2], segs[4]
        lib.add_translations([NewTranslation(s.id, MACHINE if s.id == seg.id else f"Sentence {s.idx}.") for s in segs])
        claim = workflow.create_claim(lib, doc, seg.start_char, seg.end_char, tags=["ranking"])
        at = MACHINE.index(WORDS)
        workflow.set_english_span(lib, claim, at, at + len(WORDS))  # the user narrowed the English to "12th"
        other = workflow.create_claim(lib, doc, whole.start_char, whole.end_char)  # English: its whole sentence
    other_english = "The fifth sentence, edited by hand."

    # the user post-edits both sentences in the reader table, adding words before "12th"
    win = open_window(qtbot, doc)
    model = win.view.model
    assert model is not None
    model.fetch_until(whole.idx)
    cell = model.index(seg.idx, 2)
    assert model.setData(cell, EDITED) and model.setData(model.index(whole.idx, 2), other_english)
    assert model.data(cell) == EDITED
    table = [EDITED[s.start : s.end] for s in model.data(cell, SPANS_ROLE) if s.claim_id == claim]
    assert table == [WORDS]
    whole_spans = [(s.start, s.end) for s in model.data(model.index(whole.idx, 2), SPANS_ROLE) if s.claim_id == other]
    assert whole_spans == [(0, len(other_english))]
    win.view.go_to_row(seg.idx, 2)  # the detail panes under the table
    assert highlighted(win.view.en_text.toPlainText(), win.view.en_text) == WORDS
    # the claims panel follows the post-edits at once
    panel = win.panel.model
    assert [panel.index(r, 3).data() for r in range(panel.rowCount())] == [WORDS, other_english]
    win.close()

    # a window opened on the edited library
    win = open_window(qtbot, doc)
    panel = win.panel.model
    assert [panel.index(r, 3).data() for r in range(panel.rowCount())] == [WORDS, other_english]
    model = win.view.model
    assert model is not None
    model.fetch_until(seg.idx)
    cell = model.index(seg.idx, 2)
    assert [EDITED[s.start : s.end] for s in model.data(cell, SPANS_ROLE) if s.claim_id == claim] == [WORDS]
    win.close()

    # the command line and the report
    listed = run(data_dir, "claims", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    first, second = json.loads(listed.stdout)
    assert (first["en"], first["en_status"], second["en"]) == (WORDS, "attached", other_english)
    assert [EDITED[a:b] for s in first["sentences"] if s["en"] for a, b in [s["en"]]] == [WORDS]
    out = tmp_path / "report.html"
    exported = run(data_dir, "export", str(doc), "--format", "html", "-o", out)
    assert exported.returncode == 0, exported.stderr
    assert report_english_highlights(out) == [WORDS, other_english]


def test_import_folder_from_the_cli_and_the_window_gives_the_same_documents(  # type: ignore[no-untyped-def]
    qtbot, data_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "reports"
    (folder / "2023").mkdir(parents=True)
    (folder / "a.txt").write_text(FORUM.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "2023" / "b.md").write_text("# Báo cáo\n\nNăm 2023, Việt Nam xếp thứ 46 trên 132 nền kinh tế.\n")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")  # not a kind the importer reads: left out of a folder

    cli_data = tmp_path / "cli-data"
    done = run(cli_data, "import", folder)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no such file" not in done.stdout + done.stderr
    listed = json.loads(run(cli_data, "list", "--json").stdout)
    from_cli = sorted((d["title"], d["segment_count"]) for d in listed)
    assert sorted(t for t, _n in from_cli) == ["Báo cáo", "a"]  # the Markdown file titled by its heading

    win = MainWindow()
    qtbot.addWidget(win)
    win.import_paths([folder])
    qtbot.waitUntil(lambda: len(win.sidebar.model.document_ids()) == 2 and not win.jobs.busy(), timeout=WAIT_MS)
    from_window = sorted((d.title, d.segment_count) for d in win.lib.documents())
    win.close()
    assert from_window == from_cli

    again = run(cli_data, "import", folder)  # the same folder again: each file is already there
    assert again.returncode == 0 and again.stdout.count("already in the library") == 2
    cleaned = run(cli_data, "clean", folder)  # one file's paragraphs: a folder is named as such
    assert cleaned.returncode != 0 and "is a folder, not a file" in cleaned.stderr


def test_a_sentence_holding_a_claim_is_not_suggested_anywhere(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    with Library.open() as lib:
        ClaimStore(lib).ensure_default_tags()
        doc = import_file(lib, FORUM).document_id
    listed = run(data_dir, "claims", "suggest", str(doc), "--json")
    offered = json.loads(listed.stdout)
    assert len(offered) >= 2
    best = offered[0]
    added = run(data_dir, "claims", "add", str(doc), "--start", str(best["start"]), "--end", str(best["end"]))
    assert added.returncode == 0, added.stderr

    from_cli = [s["text"] for s in json.loads(run(data_dir, "claims", "suggest", str(doc), "--json").stdout)]
    win = open_window(qtbot, doc)
    from_window = [s.text for s in win.panel.suggestions.rows]
    win.close()
    assert best["text"] not in from_cli
    assert from_window == from_cli == [s["text"] for s in offered[1:]]


LINKS = {
    "javascript:alert(1)": ("", "javascript:alert(1)"),
    "www.example.com/x": ("https://www.example.com/x", ""),
    "https://a.example/x": ("https://a.example/x", ""),
}


@pytest.mark.parametrize("typed", list(LINKS))
def test_evidence_link_policy_is_the_same_in_the_dialog_the_cli_and_the_report(  # type: ignore[no-untyped-def]
    qtbot, data_dir: Path, tmp_path: Path, typed: str
) -> None:
    with Library.open() as lib:
        ClaimStore(lib).ensure_default_tags()
        doc = import_file(lib, FORUM).document_id
        a, b = lib.segments(doc)[1:3]
        by_window = workflow.create_claim(lib, doc, a.start_char, a.end_char)
        by_cli = workflow.create_claim(lib, doc, b.start_char, b.end_char)

    # the window: Edit… on the claim, the link typed into the dialog's Link field, OK
    win = open_window(qtbot, doc)
    panel = win.panel
    row = next(r for r in range(panel.model.rowCount()) if panel.model.index(r, 0).data(ID_ROLE) == by_window)
    panel.table.setCurrentIndex(panel.model.index(row, 0))
    (edit,) = [b for b in panel.findChildren(QPushButton) if b.text() == "Edit…"]
    edit.click()
    qtbot.waitUntil(lambda: win.claim_dialog is not None and win.claim_dialog.isVisible(), timeout=WAIT_MS)
    dialog = win.claim_dialog
    dialog.url.setText(typed)
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: win.claim_dialog is None, timeout=WAIT_MS)
    win.close()

    edited = run(data_dir, "claims", "edit", str(by_cli), "--evidence", typed)
    assert edited.returncode == 0, edited.stderr

    with Library.open() as lib:
        store = ClaimStore(lib)
        stored = [(e.url, e.citation) for c in (by_window, by_cli) for e in store.get(c).evidence]
    assert stored == [LINKS[typed], LINKS[typed]]

    out = tmp_path / "report.html"
    assert run(data_dir, "export", str(doc), "--format", "html", "-o", out).returncode == 0
    hrefs = [html.unescape(h) for h in re.findall(r'<a href="([^"#][^"]*)"', out.read_text(encoding="utf-8"))]
    assert all(h.startswith(("http://", "https://")) for h in hrefs)
    assert hrefs == ([LINKS[typed][0]] * 2 if LINKS[typed][0] else [])
