"""Other translations on demand: a document translated with beam 1 keeps only the best hypothesis, so
the reader's right-click offers "Ask the model for other translations"; the helper process translates
that one sentence again with a wider beam, the others appear under Other translations, and picking one
stores it as the user's English. The document's English is not changed by asking."""

from __future__ import annotations

from pathlib import Path

from app.core.pipeline import import_text
from app.core.store import Library
from app.core.translate import packages
from app.core.translate.engine import Engine
from app.core.translate.memory import translate_document
from app.core.translate.provenance import current_details
from tests.test_gui_responsive import shown_window

TEXT = "Các nhà khoa học công bố báo cáo mới về kinh tế.\n\nHôm nay trời rất đẹp và mọi người đi chơi."
WAIT_MS = 120_000


def test_reader_asks_the_model_for_other_translations(qtbot, data_dir: Path, tiny_model_path: Path) -> None:  # type: ignore[no-untyped-def]
    package = packages.install_package(tiny_model_path)
    with Library.open() as lib:
        doc = import_text(lib, TEXT, "others").document_id
        translate_document(lib, doc, Engine(package), beam_size=1)
        first = lib.segments(doc)[0].id
        before = lib.current_translations(doc)[first].text
        assert not current_details(lib, doc)[first].alternatives  # beam 1: the best one only

    win = shown_window(qtbot)
    win.open_document(doc)
    qtbot.waitUntil(lambda: not win.jobs.busy(), timeout=WAIT_MS)
    win.view.go_to_row(0, 2)
    assert win.view.machine_segment() == first
    assert win.view.alternative_actions(win) == []
    win.claiming.ask_alternatives()
    qtbot.waitUntil(lambda: "other translations" in win.statusBar().currentMessage(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(win.view.alternative_actions(win)), timeout=WAIT_MS)

    with Library.open() as lib:
        assert lib.current_translations(doc)[first].text == before  # asking changes nothing
        others = [t for t, _s in current_details(lib, doc)[first].alternatives]
    assert others and before not in others
    actions = win.view.alternative_actions(win)
    assert [a.toolTip() for a in actions] == others
    actions[0].trigger()  # picked: stored as the user's English
    with Library.open() as lib:
        current = lib.current_translations(doc)[first]
    assert (current.text, current.kind) == (others[0], "human")
    assert win.view.machine_segment() is None  # a human English has no machine alternatives to ask for
    win.close()
