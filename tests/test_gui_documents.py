"""Renaming a document and giving it a source URL, author and publication date, through the real
window on a real library: F2 in the library list, its context menu, the Document menu. A refused
value is said in the dialog (which stays open) and nothing is stored; the rules are the core's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMenu

from app.core.errors import InputError
from app.core.export import export
from app.core.pipeline import import_file
from app.core.services import documents as rules
from app.core.services.session import open_session
from app.gui.dialogs.document_properties import DocumentPropertiesDialog, RenameDialog
from app.gui.main_window import Key, MainWindow
from tests.conftest import FIXTURES


@pytest.fixture
def window(qtbot, data_dir: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    with open_session() as lib:
        for name in ("pdf_copy_supercomputers", "forum_post_ai_race"):
            import_file(lib, FIXTURES / f"{name}.vi.txt")
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.open_document(1)
    yield win
    win.close()


def _titles(win: MainWindow) -> list[str]:
    model = win.sidebar.model
    return [str(model.data(model.index(r, 0))) for r in range(model.rowCount())]


def test_f2_in_the_library_list_renames(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    lst = window.sidebar.list
    window.activateWindow()
    lst.setFocus()
    qtbot.waitUntil(lst.hasFocus, timeout=5_000)
    lst.setCurrentIndex(window.sidebar.model.index(window.sidebar.model.row_of(1), 0))
    qtbot.keyClick(lst, Qt.Key.Key_F2)
    dialog = window.documents.dialog
    assert isinstance(dialog, RenameDialog) and dialog.isVisible()
    assert window.view.table.state() != QAbstractItemView.State.EditingState  # F2 did not edit the English
    # an empty title is refused in the dialog; nothing is stored
    dialog.title.setText("   ")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.isVisible() and "needs a title" in dialog.error.text()
    assert window.lib.document(1).title == "pdf_copy_supercomputers.vi"
    dialog.title.setText("  Siêu máy tính\n lượng tử  ")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert not dialog.isVisible()
    assert window.lib.document(1).title == "Siêu máy tính lượng tử"
    assert "Siêu máy tính lượng tử" in _titles(window) and window.doc_title.text() == "Siêu máy tính lượng tử"


def test_document_menu_rename_refuses_a_too_long_title(window: MainWindow) -> None:
    window.action(Key.RENAME_DOCUMENT).trigger()
    dialog = window.documents.dialog
    assert isinstance(dialog, RenameDialog)
    dialog.title.setText("x" * (rules.TITLE_MAX + 1))
    dialog.accept()
    assert dialog.isVisible() and f"at most {rules.TITLE_MAX}" in dialog.error.text()
    dialog.title.setText("y" * rules.TITLE_MAX)
    dialog.accept()
    assert window.lib.document(1).title == "y" * rules.TITLE_MAX


def test_properties_from_the_list_context_menu(window: MainWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lst = window.sidebar.list
    rect = lst.visualRect(window.sidebar.model.index(window.sidebar.model.row_of(2), 0))
    chosen: list[str] = []

    def pick() -> None:  # the context menu is open (its own event loop): choose "Document properties…"
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        chosen.extend(a.text() for a in menu.actions())
        action = next(a for a in menu.actions() if a.text().startswith("Document &properties"))
        menu.close()
        action.trigger()

    QTimer.singleShot(0, pick)
    lst.customContextMenuRequested.emit(rect.center() + QPoint(1, 1))
    qtbot.waitUntil(lambda: isinstance(window.documents.dialog, DocumentPropertiesDialog), timeout=5_000)
    assert any(t.startswith("&Rename") for t in chosen)
    dialog = window.documents.dialog
    assert isinstance(dialog, DocumentPropertiesDialog) and "forum_post_ai_race" in dialog.windowTitle()
    # a local path is not a source address: refused, the dialog stays, nothing stored
    dialog.url.setText("file:///home/me/bai.html")
    dialog.author.setText("Lê Văn Tám")
    dialog.published.setText("2024-03-15")
    dialog.accept()
    assert dialog.isVisible() and "not a web address" in dialog.error.text()
    assert rules.document_facts(window.lib, 2).empty
    dialog.url.setText("www.example.vn/bai-viet")
    dialog.published.setText("2024-02-30")
    dialog.accept()
    assert dialog.isVisible() and "not a day" in dialog.error.text()
    dialog.published.setText("2024-02")
    dialog.accept()
    assert not dialog.isVisible()
    facts = rules.document_facts(window.lib, 2)
    assert facts == rules.DocumentFacts("https://www.example.vn/bai-viet", "Lê Văn Tám", "2024-02")
    window.open_document(2)  # the title's tooltip says them
    assert "Author: Lê Văn Tám" in window.doc_title.toolTip() and "Published: 2024-02" in window.doc_title.toolTip()
    # reopened, the dialog shows what is stored; the report's header carries it
    window.documents.edit_properties(2)
    again = window.documents.dialog
    assert isinstance(again, DocumentPropertiesDialog) and again.author.text() == "Lê Văn Tám"
    again.reject()
    html = export(window.lib, [2], "html", tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Author: Lê Văn Tám" in html and 'href="https://www.example.vn/bai-viet"' in html


def test_rules(data_dir: Path) -> None:
    assert rules.check_published("2024") == "2024" and rules.check_published(" 2024-12-31 ") == "2024-12-31"
    for bad in ("24", "2024-1", "2024/01/02", "2024-00", "0000"):
        with pytest.raises(InputError):
            rules.check_published(bad)
    for bad in ("javascript:alert(1)", "ftp://x.org/a", "/home/me/a.pdf", "http://", "https://a b.org"):
        with pytest.raises(InputError):
            rules.check_source_url(bad)
    assert rules.source_shown("/home/me/Tài liệu/a.pdf", False) == "a.pdf"
    assert rules.source_shown("C:\\Users\\me\\a.pdf", False) == "a.pdf"
    assert rules.source_shown(None, False) is None
