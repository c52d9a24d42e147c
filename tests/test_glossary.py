"""Glossary and do-not-translate list (issue 19): matching on normalised Vietnamese, the check,
storage in a real library file, CSV/TSV round trip, the CLI and the reader's hint."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.core.errors import InputError
from app.core.store import Library
from app.core.translate import glossary
from app.core.translate.glossary import Entry, Glossary, glossary_misses

ROOT = Path(__file__).parent.parent

ENTRIES = [
    Entry("hòa bình", "peace"),  # old tone placement
    Entry("thuỷ điện", "hydropower"),  # new tone placement
    Entry("Đà Nẵng", "", keep=True),  # do not translate
    Entry("Bộ Y tế", "Ministry of Health|Health Ministry"),
    Entry("Bộ", "ministry"),
]


@pytest.fixture
def lib(data_dir: Path):
    with Library.open() as library:
        yield library


def found(text: str) -> list[tuple[str, str]]:
    nfc = unicodedata.normalize("NFC", text)  # match offsets are in the NFC form
    return [(m.entry.vi, nfc[m.start : m.end]) for m in Glossary(ENTRIES).find(text)]


def test_tone_placement_is_ignored_both_ways() -> None:
    assert found("Hoà bình lập lại") == [("hòa bình", "Hoà bình")]
    assert found("nhà máy thủy điện Sơn La") == [("thuỷ điện", "thủy điện")]
    # decomposed input (NFD) matches too
    assert found(unicodedata.normalize("NFD", "hòa bình")) == [("hòa bình", "hòa bình")]
    # a different tone is a different word
    assert found("hỏa bình") == []


def test_case_and_d_with_stroke() -> None:
    assert found("ĐÀ NẴNG và đà nẵng") == [("Đà Nẵng", "ĐÀ NẴNG"), ("Đà Nẵng", "đà nẵng")]
    assert found("Da Nang và Dà Nẵng") == []  # đ is its own letter, not d
    assert found("bộ y tế") == [("Bộ Y tế", "bộ y tế")]


def test_whole_syllables_and_longest_match() -> None:
    assert found("Bộ Y tế và Bộ Tài chính") == [("Bộ Y tế", "Bộ Y tế"), ("Bộ", "Bộ")]
    assert found("Bội chi ngân sách") == []  # "Bộ" is not a prefix match of "Bội"
    assert found("hòa bìnhh") == []


def test_check_flags_english_missing_the_agreed_term() -> None:
    vi = "Bộ Y tế họp ở Đà Nẵng về hòa bình."
    assert glossary_misses(vi, "The Health Ministry met in Đà Nẵng about peace.", ENTRIES) == []
    assert glossary_misses(vi, "The ministry  of HEALTH met in da nang about peace.", ENTRIES) == [
        '"Đà Nẵng" should stay as is (do not translate)'
    ]
    assert glossary_misses(vi, "The health department met in Danang about calm.", ENTRIES) == [
        '"Bộ Y tế" should be "Ministry of Health or Health Ministry"',
        '"Đà Nẵng" should stay as is (do not translate)',
        '"hòa bình" should be "peace"',
    ]
    assert glossary_misses(vi, "", ENTRIES) == []  # empty English is another check's business
    assert glossary_misses("Không có thuật ngữ.", "No terms.", ENTRIES) == []


def test_n_best_preference_picks_the_first_hypothesis_using_the_terms() -> None:
    g = Glossary(ENTRIES)
    assert g.prefer("Bộ Y tế nói", ["the health office said", "Ministry of Health said", "Health Ministry"]) == 1
    assert g.prefer("Bộ Y tế nói", ["the health office said", "the office"]) == 0
    assert g.prefer("Không có", ["a", "b"]) == 0


def test_storage_document_entries_and_csv_tsv_round_trip(lib: Library, tmp_path: Path) -> None:
    from app.core.pipeline import import_text

    doc = import_text(lib, "Bộ Y tế họp ở Đà Nẵng.", "doc").document_id
    glossary.add_entries(lib, ENTRIES)
    glossary.add_entry(lib, "bộ y tế", "Department of Health", "this report's usage", document_id=doc)
    # re-adding the same term with another tone placement/case replaces it
    glossary.add_entry(lib, "HOÀ BÌNH", "peace", "agreed 2024")
    library_wide = glossary.entries(lib)
    assert len(library_wide) == 5
    assert {e.vi: e.note for e in library_wide}["HOÀ BÌNH"] == "agreed 2024"
    assert {e.vi: e.en for e in glossary.entries(lib, doc)}["bộ y tế"] == "Department of Health"

    tricky = Entry('Ủy ban "Nhân dân", TP', "People's Committee, city\ttab", "note, with comma", False)
    glossary.add_entries(lib, [tricky])
    for name in ("g.csv", "g.tsv", "g.tbx"):
        out = tmp_path / name
        assert glossary.export_file(lib, out) == 6
        with Library.open(tmp_path / f"other-{name}.sqlite3") as other:
            assert glossary.import_file(other, out) == 6
            assert [(e.vi, e.en, e.note, e.keep) for e in glossary.entries(other)] == [
                (e.vi, e.en, e.note, e.keep) for e in glossary.entries(lib)
            ]
    text = (tmp_path / "g.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "vi,en,note,do_not_translate"

    removed = glossary.remove_entry(lib, "hòa bình")
    assert removed.vi == "HOÀ BÌNH"
    assert len(glossary.entries(lib)) == 5


def test_import_rejects_rows_without_english(lib: Library, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("vi,en\nBộ Y tế,\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2"):
        glossary.import_file(lib, bad)
    assert glossary.entries(lib) == []


def run_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DOICHIEU_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "glossary", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=ROOT,
    )


def test_cli_add_list_export_import_remove(data_dir: Path, tmp_path: Path) -> None:
    assert run_cli(data_dir, "add", "Bộ Y tế", "Ministry of Health", "--note", "official").returncode == 0
    assert run_cli(data_dir, "add", "Đà Nẵng", "--keep").returncode == 0
    listed = run_cli(data_dir, "list")
    assert listed.returncode == 0
    assert "Bộ Y tế" in listed.stdout and "Ministry of Health" in listed.stdout
    assert "do not translate" in listed.stdout
    out = tmp_path / "g.tsv"
    assert run_cli(data_dir, "export", str(out)).returncode == 0
    assert "Bộ Y tế\tMinistry of Health\tofficial\t" in out.read_text(encoding="utf-8")
    assert run_cli(data_dir, "remove", "bộ y tế").returncode == 0
    assert "Bộ Y tế" not in run_cli(data_dir, "list").stdout
    assert run_cli(data_dir, "import", str(out)).returncode == 0
    assert "Bộ Y tế" in run_cli(data_dir, "list").stdout
    bad = run_cli(data_dir, "remove", "không có")
    assert bad.returncode != 0 and bad.stderr.count("\n") == 1


# --- the reader: hint, confidence, alternatives, the dialog (real widgets, offscreen) -------------------


def test_reader_hint_confidence_alternatives_and_dialog(qtbot, data_dir: Path, tiny_model_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.core.pipeline import import_text
    from app.core.translate import packages
    from app.core.translate.engine import Engine
    from app.core.translate.memory import translate_document
    from app.gui.dialogs.glossary_dialog import GlossaryDialog
    from app.gui.document_view import DocumentView

    with Library.open() as lib:
        doc = import_text(lib, "Bộ Y tế họp ở ĐÀ NẴNG hôm qua.\n\nTrời hôm nay rất đẹp.", "hint").document_id
        glossary.add_entries(
            lib, [Entry("bộ y tế", "Ministry of Health", "official name"), Entry("Đà Nẵng", keep=True)]
        )
        translate_document(lib, doc, Engine(packages.install_package(tiny_model_path)), beam_size=4)

        view = DocumentView()
        qtbot.addWidget(view)
        view.show()
        view.show_document(lib, doc)
        assert view.model is not None
        view.go_to_row(0)
        assert view.glossary_hint.isVisible()
        hint = view.glossary_hint.text()
        assert "bộ y tế → Ministry of Health (official name)" in hint
        assert "Đà Nẵng → keep as is (do not translate)" in hint
        view.go_to_row(1)
        assert not view.glossary_hint.isVisible()

        # an entry added in the dialog shows up in the hint at once
        dialog = GlossaryDialog(lib, doc, "hint")
        qtbot.addWidget(dialog)
        dialog.changed.connect(view.reload_glossary)
        dialog.vi.setText("trời")
        dialog.en.setText("sky")
        dialog.only_document.setChecked(True)
        assert dialog.add_from_form()
        assert dialog.table.rowCount() == 3
        assert "trời → sky" in view.glossary_hint.text() and view.glossary_hint.isVisible()
        assert [e.document_id for e in glossary.entries(lib, doc) if e.vi == "trời"] == [doc]

        # confidence: tooltip and the "below X" filter
        model = view.model
        confidence = model.confidence(0)
        assert confidence is not None and 0 < confidence <= 1
        assert f"confidence {confidence:.0%}" in model.data(model.index(0, 2), Qt.ItemDataRole.ToolTipRole)
        view.confidence_limit.setValue(100)
        view.set_filter("low-confidence")
        assert not view.table.isRowHidden(0) and not view.table.isRowHidden(1)
        assert view.confidence_status.text() == "2 sentences"
        below = int(confidence * 100)  # just under the first sentence's confidence: it is hidden
        view.confidence_limit.setValue(max(1, below))
        assert view.table.isRowHidden(0)
        view.set_filter("all")
        assert not view.table.isRowHidden(0)

        # the engine's other translations, offered to pick from: the pick is stored as the user's English
        view.go_to_row(1, 2)
        actions = view.alternative_actions(view)
        assert actions
        seg = model.segments[1]
        alternative = model.details[seg.id].alternatives[0][0]
        actions[0].trigger()
        assert model.translations[seg.id].text == alternative
        assert lib.current_translations(doc)[seg.id].kind == "human"
        view.clear()


def test_window_menu_opens_the_glossary(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialog

    from app.gui.main_window import Key, MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.action(Key.GLOSSARY).trigger()
    dialog = win.findChild(QDialog, "glossaryDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.close()
