"""A document translated with a second model for comparison: the tiny Argos package gives the current
translations, the tiny OPUS-MT-style model the comparison, which never replaces them; the CLI's
`translate --compare NAME` and `--model NAME`; the reader's detail pane shows the other model."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.pipeline import import_text
from app.core.store import Library
from app.core.translate import packages
from app.core.translate.compare import document_comparisons, for_segment, translate_for_comparison
from app.core.translate.engine import Engine
from app.core.translate.memory import translate_document
from tests.make_tiny_model import build_ct2_model

TEXT = "Hôm nay trời rất đẹp.\n\nCác nhà khoa học công bố báo cáo mới.\n\nThe report is in English."


@pytest.fixture(scope="session")
def marian_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_ct2_model(tmp_path_factory.mktemp("cmp") / "opus-mt-vi-en", "marian")


def test_comparison_is_stored_beside_the_current_translation(
    data_dir: Path, tiny_model_path: Path, marian_folder: Path
) -> None:
    argos = packages.install_package(tiny_model_path)
    marian = packages.install_package(marian_folder)
    with Library.open() as lib:
        doc = import_text(lib, TEXT, "compare").document_id
        translate_document(lib, doc, Engine(argos))
        before = {sid: (t.text, t.model) for sid, t in lib.current_translations(doc).items()}
        engine = Engine(marian)
        report = translate_for_comparison(lib, doc, engine)
        segments = lib.segments(doc)
        assert report.total == len(segments) and report.translated + report.copied == len(segments)
        assert report.copied >= 1  # the English sentence is kept as it is
        after = {sid: (t.text, t.model) for sid, t in lib.current_translations(doc).items()}
        assert after == before  # the reader's, reports' and exports' translation did not change
        assert {m for _, m in after.values() if m} == {argos.model_id}
        rows = document_comparisons(lib, doc)
        assert list(rows) == [marian.model_id]
        assert [c.segment_id for c in rows[marian.model_id]] == [s.id for s in segments]
        first = for_segment(lib, segments[0].id)
        assert [(c.model, bool(c.text), c.stale) for c in first] == [(marian.model_id, True, False)]
        assert first[0].text != before[segments[0].id][0]
        # a second run keeps what this model did; --retranslate runs it again
        again = translate_for_comparison(lib, doc, engine)
        assert again.translated == 0 and again.kept == report.translated
        assert translate_for_comparison(lib, doc, engine, retranslate=True).translated == report.translated


def test_cli_translate_with_a_named_model_and_for_comparison(
    data_dir: Path,
    tmp_path: Path,
    tiny_model_path: Path,
    marian_folder: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from app.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    doc_file = tmp_path / "bai.txt"
    doc_file.write_text(TEXT, encoding="utf-8")
    assert run("models", "install", str(tiny_model_path))[0] == 0
    assert run("models", "install", str(marian_folder))[0] == 0
    assert run("import", str(doc_file))[0] == 0
    assert run("translate", "1")[0] == 0
    code, out, err = run("translate", "1", "--compare", "opus-mt-vi-en")
    assert code == 0, err
    assert "compared with marian:vi_en:opus-mt-vi-en" in out
    code, _, err = run("translate", "1", "--compare", "no-such-model")
    assert code != 0 and "no installed translation model 'no-such-model'" in err
    with Library.open() as lib:
        models = {t.model for t in lib.current_translations(1).values() if t.kind == "machine"}
        assert models == {"argos:vi_en:0.1"}
        assert list(document_comparisons(lib, 1)) == ["marian:vi_en:opus-mt-vi-en"]
    code, _, err = run("translate", "1", "--model", "opus-mt-vi-en", "--retranslate")
    assert code == 0, err
    with Library.open() as lib:
        models = {t.model for t in lib.current_translations(1).values() if t.kind == "machine"}
        assert models == {"marian:vi_en:opus-mt-vi-en"}


def test_reader_shows_the_other_models_translation(  # type: ignore[no-untyped-def]
    qtbot, data_dir: Path, tiny_model_path: Path, marian_folder: Path
) -> None:
    from app.gui.document_view import DocumentView

    argos = packages.install_package(tiny_model_path)
    marian = packages.install_package(marian_folder)
    with Library.open() as lib:
        doc = import_text(lib, TEXT, "compare").document_id
        translate_document(lib, doc, Engine(argos))
        view = DocumentView()
        qtbot.addWidget(view)
        view.show()
        view.show_document(lib, doc)
        view.go_to_row(0)
        assert not view.compare_hint.isVisible()  # no second model yet
        translate_for_comparison(lib, doc, Engine(marian))
        view.go_to_row(1)
        first = lib.segments(doc)[1].id
        expected = for_segment(lib, first)[0].text
        assert view.compare_hint.isVisible()
        assert view.compare_hint.text() == f"Other model — {marian.model_id}: {expected}"
        assert expected not in view.en_text.toPlainText()  # the pane keeps the current translation


def test_window_translates_with_another_model_for_comparison(  # type: ignore[no-untyped-def]
    qtbot, monkeypatch: pytest.MonkeyPatch, data_dir: Path, tiny_model_path: Path, marian_folder: Path
) -> None:
    """Document › Translate with another model…: the chosen model runs in the helper process, its
    English lands in the comparison table and under the sentence; the document's own stays."""
    from PySide6.QtWidgets import QInputDialog

    from app.gui.main_window import Key
    from tests.test_gui_responsive import shown_window

    argos = packages.install_package(tiny_model_path)
    marian = packages.install_package(marian_folder)
    with Library.open() as lib:
        doc = import_text(lib, TEXT, "compare").document_id
        translate_document(lib, doc, Engine(argos))
        before = {sid: t.text for sid, t in lib.current_translations(doc).items()}
    offered: list[list[str]] = []

    def choose(_parent, _title, _label, items, *_rest):  # type: ignore[no-untyped-def]
        offered.append(list(items))  # Qt's modal picker, answered as a user would
        return next(i for i in items if i.startswith(marian.name)), True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(choose))
    win = shown_window(qtbot)
    win.open_document(doc)
    qtbot.waitUntil(lambda: not win.jobs.busy(), timeout=60_000)
    action = win.action(Key.TRANSLATE_COMPARE)
    assert action.isEnabled()
    action.trigger()
    qtbot.waitUntil(lambda: not win.translation.running and not win.jobs.busy(), timeout=120_000)
    assert offered and len(offered[0]) == 2  # both installed vi→en models, each with its kind
    assert "Compared with marian:vi_en:opus-mt-vi-en" in win.statusBar().currentMessage()
    with Library.open() as lib:
        assert list(document_comparisons(lib, doc)) == [marian.model_id]
        assert {sid: t.text for sid, t in lib.current_translations(doc).items()} == before
        second = lib.segments(doc)[1].id
        expected = for_segment(lib, second)[0].text
    win.view.go_to_row(1)
    assert win.view.compare_hint.text() == f"Other model — {marian.model_id}: {expected}"
    win.close()
