"""Claims › Manage tags… through the real window on a real library: create a tag with a key, refuse a
name taken in another case and a key another tag holds, recolour (the colour reaches the claims
panel and the sentence highlights), rename, delete moving the claims to another tag, delete leaving
them untagged. Untagged claims have their own neutral colour. The command line follows the same rules."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog

from app.core.claims import tags as rules
from app.core.claims.workflow import create_claim
from app.core.errors import InputError
from app.core.pipeline import import_file
from app.core.services.session import open_session
from app.core.store.claims import ClaimStore
from app.gui.dialogs.tag_manager import DeleteTagDialog, TagManagerDialog
from app.gui.main_window import Key, MainWindow
from tests.conftest import FIXTURES, ROOT


@pytest.fixture
def window(qtbot, data_dir: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    with open_session() as lib:  # the default tags, as the window and the CLI open a library
        doc = import_file(lib, FIXTURES / "forum_post_ai_race.vi.txt").document_id
        text = lib.document_texts(doc)[1]
        a = text.index("Trung Quốc xếp thứ 12")
        create_claim(lib, doc, a, a + len("Trung Quốc xếp thứ 12"), tags=["statistic"])
        b = text.index("bằng sáng chế AI")
        create_claim(lib, doc, b, b + len("bằng sáng chế AI"))  # no tag
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.open_document(doc)
    yield win
    win.close()


def _manager(win: MainWindow) -> TagManagerDialog:
    win.action(Key.TAG_MANAGER).trigger()
    dialog = getattr(win, "tag_manager", None)
    assert isinstance(dialog, TagManagerDialog) and dialog.isVisible()
    return dialog


def _panel_color(win: MainWindow, quote_part: str) -> str:
    model = win.panel.model
    row = next(i for i, v in enumerate(model.rows) if quote_part in v.row.quote)
    color = model.data(model.index(row, 0), Qt.ItemDataRole.BackgroundRole)
    return QColor(color).name() if color is not None else ""


def _claim_tags(win: MainWindow, quote_part: str) -> tuple[str, ...]:
    return next(c.tags for c in ClaimStore(win.lib).search() if quote_part in c.quote)


def test_untagged_claims_have_their_own_neutral_colour(window: MainWindow) -> None:
    statistic = ClaimStore(window.lib).tag("statistic").color
    assert _panel_color(window, "bằng sáng chế") == rules.UNTAGGED_COLOR != statistic
    untagged = next(v for v in window.view.model.claims if not v.row.tags)
    assert window.view.model._color(untagged) == rules.UNTAGGED_COLOR  # the sentence highlight too
    assert rules.UNTAGGED_COLOR not in {t.color for t in ClaimStore(window.lib).tags()}


def test_create_refuse_recolour_rename_and_delete_with_reassign(
    window: MainWindow, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    dialog = _manager(window)
    # create, with a key
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    dialog.name.setText("  kinh   tế ")
    dialog.key.setCurrentIndex(dialog.key.findData("7"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == ""
    made = ClaimStore(window.lib).tag("kinh tế")
    assert made.shortcut == "7" and made.name == "kinh tế"
    assert any("kinh tế" in a.text() for a in window.claiming.tag_menu.actions())  # the window heard it
    assert window.sidebar.tag.findText("kinh tế") >= 0
    # a name taken in another case, then a key another tag holds: said, nothing stored
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    dialog.name.setText("STATISTIC")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "already exists" in dialog.error.text()
    assert len(ClaimStore(window.lib).tags()) == 7
    dialog.select("kinh tế")
    dialog.key.setCurrentIndex(dialog.key.findData("1"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "statistic" in dialog.error.text() and ClaimStore(window.lib).tag("kinh tế").shortcut == "7"
    # recolour "statistic" (QColorDialog answers #123456): the panel and the highlight follow
    dialog.select("statistic")
    monkeypatch.setattr(QColorDialog, "getColor", staticmethod(lambda *a, **k: QColor("#123456")))
    qtbot.mouseClick(dialog.color_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert ClaimStore(window.lib).tag("statistic").color == "#123456"
    assert _panel_color(window, "xếp thứ 12") == "#123456"
    tagged = next(v for v in window.view.model.claims if v.row.tags)
    assert window.view.model._color(tagged) == "#123456"
    # rename: the claim carries the new name
    dialog.name.setText("số liệu")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert _claim_tags(window, "xếp thứ 12") == ("số liệu",)
    assert window.panel.model.data(window.panel.model.index(0, 0)) is not None
    # delete "số liệu", moving its claim to "kinh tế"
    dialog.select("số liệu")
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    ask = dialog.delete_dialog
    assert isinstance(ask, DeleteTagDialog) and ask.isVisible()
    ask.target.setCurrentIndex(ask.target.findData("kinh tế"))
    ask.accept()
    assert _claim_tags(window, "xếp thứ 12") == ("kinh tế",)
    assert all(t.name != "số liệu" for t in ClaimStore(window.lib).tags())
    claim = next(c for c in ClaimStore(window.lib).search() if "xếp thứ 12" in c.quote)
    assert ("tags", "-số liệu", "+kinh tế") in [h[:3] for h in ClaimStore(window.lib).history(claim.id)]
    # delete "kinh tế" leaving its claim untagged (the Delete key asks too)
    dialog.select("kinh tế")
    dialog.activateWindow()
    dialog.table.setFocus()
    qtbot.waitUntil(dialog.table.hasFocus, timeout=5_000)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)
    ask = dialog.delete_dialog
    assert ask is not None
    ask.target.setCurrentIndex(ask.target.findData(None))
    ask.accept()
    assert _claim_tags(window, "xếp thứ 12") == ()
    assert _panel_color(window, "xếp thứ 12") == rules.UNTAGGED_COLOR
    dialog.close()


def test_a_new_key_applies_its_tag_in_the_table(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = _manager(window)
    dialog.select("opinion")
    dialog.key.setCurrentIndex(0)  # "none": frees 6
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    dialog.select("prediction")
    dialog.key.setCurrentIndex(dialog.key.findData("6"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == "" and ClaimStore(window.lib).tag("prediction").shortcut == "6"
    assert ClaimStore(window.lib).tag("opinion").shortcut is None
    dialog.name.setText("dự báo")  # typed, not saved yet: tagging in the window meanwhile keeps it
    doc = window.view.doc_id()
    assert doc is not None
    window.view.go_to_offset(window.lib.document_texts(doc)[1].index("bằng sáng chế AI"))  # selects its row
    assert window.view.selected_rows()
    window.activateWindow()
    window.view.table.setFocus()
    qtbot.waitUntil(window.view.table.hasFocus, timeout=5_000)
    qtbot.keyClick(window.view.table, Qt.Key.Key_6)  # the table's tag keys follow the new key
    assert _claim_tags(window, "bằng sáng chế AI") == ("prediction",)
    row = next(i for i, t in enumerate(dialog.tags) if t.name == "prediction")
    assert dialog.table.item(row, 2).text() == "1" and dialog.name.text() == "dự báo"
    dialog.close()


def test_rules_refuse_what_the_window_and_other_tags_hold(data_dir: Path) -> None:
    with open_session() as lib:
        with pytest.raises(InputError, match="already does “Find next”"):
            rules.create_tag(lib, "x", shortcut="3", reserved={"3": "Find next"})
        with pytest.raises(InputError, match="one digit"):
            rules.create_tag(lib, "x", shortcut="F2")
        with pytest.raises(InputError, match="not a colour"):
            rules.recolor_tag(lib, "statistic", "red")
        with pytest.raises(InputError, match="comma"):
            rules.rename_tag(lib, "statistic", "a, b")
        assert rules.recolor_tag(lib, "statistic", "#ABC").color == "#aabbcc"
        assert rules.create_tag(lib, "mới").color not in {t.color for t in ClaimStore(lib).tags() if t.name != "mới"}


def test_command_line_uses_the_same_rules(data_dir: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, encoding="utf-8", cwd=ROOT
        )

    assert run("tags", "edit", "statistic", "--color", "#0a0B0c", "--shortcut", "none").returncode == 0
    refused = run("tags", "edit", "ranking", "--shortcut", "3")
    assert refused.returncode == 2 and "prediction" in refused.stderr
    assert run("tags", "add", "Opinion").returncode == 2
    tags = {t["name"]: t for t in json.loads(run("tags", "list", "--json").stdout)}
    assert tags["statistic"]["color"] == "#0a0b0c" and tags["statistic"]["shortcut"] is None
    assert tags["ranking"]["shortcut"] == "2"
