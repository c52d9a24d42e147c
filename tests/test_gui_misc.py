"""The crash hook, pasting HTML as a document, and the settings registry."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QApplication, QMessageBox

from app.gui import crash, settings
from app.gui.imports import clipboard_text, sort_paths
from app.gui.main_window import Key, MainWindow


def test_crash_hook_logs_and_shows_the_log_path(qtbot, data_dir: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    try:
        raise ValueError("boom")
    except ValueError:
        crash.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    log = crash.log_file()
    assert log.parent == data_dir / "logs" and "ValueError: boom" in log.read_text(encoding="utf-8")
    assert shown and str(log) in shown[0]


def test_html_clipboard_becomes_text_and_a_document(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    mime = QMimeData()
    mime.setHtml("<p>Năm 2024, GDP tăng <b>7%</b>.</p><p>Đây là đoạn thứ hai.</p>")
    text = clipboard_text(mime)
    assert "GDP tăng 7%." in text and "\n" in text and "<b>" not in text
    win = MainWindow()
    qtbot.addWidget(win)
    QApplication.clipboard().setMimeData(mime)
    win.importing.paste_document()
    qtbot.waitUntil(lambda: len(win.sidebar.model.document_ids()) == 1 and not win.jobs.busy(), timeout=20_000)
    assert win.view.model is not None and win.view.model.total >= 2
    QApplication.clipboard().clear()  # the clipboard owns the mime data: freed now, not at exit
    win.close()


def test_dropped_packages_are_set_apart_and_folders_go_to_the_import(qtbot, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Folders are not walked on the window's thread: the import in the helper process expands them,
    and what it refuses (a folder with nothing to import) comes back with the reason."""
    from tests.test_gui import drop

    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "sub" / "a.txt").write_text("Năm 2023, GDP tăng 5%.", encoding="utf-8")
    (tmp_path / "sub" / "deeper" / "b.md").write_text("Đoạn văn thứ hai.", encoding="utf-8")
    (tmp_path / "sub" / "c.png").write_bytes(b"")
    (tmp_path / "empty").mkdir()
    (tmp_path / "m.argosmodel").write_bytes(b"")
    dropped = sort_paths([tmp_path / "sub", tmp_path / "empty", tmp_path / "m.argosmodel"])
    assert [p.name for p in dropped.files] == ["sub", "empty"]
    assert [p.name for p in dropped.packages] == ["m.argosmodel"]

    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    drop(win, [tmp_path / "sub", tmp_path / "empty"])
    qtbot.waitUntil(lambda: len(win.sidebar.model.document_ids()) == 2 and not win.jobs.busy(), timeout=30_000)
    assert any("empty" in box.text() for box in win.messages)  # the reason, from the helper process
    win.close()


def test_settings_round_trip(data_dir: Path) -> None:
    assert settings.get(settings.LAST_DOCUMENT) == 0
    settings.put(settings.LAST_DOCUMENT, 7)
    settings.put(settings.SAMPLES_OFFERED, True)
    assert settings.get(settings.LAST_DOCUMENT) == 7 and settings.get(settings.SAMPLES_OFFERED) is True
    assert (data_dir / "settings.ini").is_file()


def test_file_export_previews_and_writes(qtbot, data_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    win = MainWindow()
    qtbot.addWidget(win)
    QApplication.clipboard().setText(
        "Năm 2023, theo GII của WIPO, Trung Quốc xếp thứ 12.\n\nĐoạn hai nói về bằng sáng chế."
    )
    win.importing.paste_document()
    qtbot.waitUntil(lambda: win.view.doc_id() is not None and not win.jobs.busy(), timeout=20_000)
    QApplication.clipboard().clear()
    win.action(Key.EXPORT).trigger()
    dialog = win.tools.export_dialog
    qtbot.waitUntil(lambda: "xếp thứ 12" in dialog.preview.toPlainText(), timeout=20_000)
    dialog.format.setCurrentIndex(dialog.format.findData("md"))
    with qtbot.waitSignal(dialog.export_wanted, timeout=5_000):
        dialog.save_to(tmp_path / "báo cáo")
    qtbot.waitUntil(
        lambda: (tmp_path / "báo cáo.md").is_file() and dialog.status.text().startswith("Saved"), timeout=20_000
    )
    assert "bằng sáng chế" in (tmp_path / "báo cáo.md").read_text(encoding="utf-8")
    # a folder that does not exist: the helper process refuses, the window says why, nothing is written
    missing = tmp_path / "no such folder" / "report.pdf"
    dialog.format.setCurrentIndex(dialog.format.findData("pdf"))
    dialog.save_to(missing)
    qtbot.waitUntil(lambda: bool(win.messages) and not win.jobs.busy(), timeout=20_000)
    assert "Export failed: the folder" in win.messages[-1].text() and "does not exist" in win.messages[-1].text()
    assert not missing.parent.exists()
    dialog.close()
    win.close()


def test_protected_pdf_asks_for_its_password(qtbot, data_dir: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QInputDialog

    from tests.pdf_factory import encrypted_pdf
    from tests.test_gui import drop

    answers = iter([("wrong", True), ("secret", True)])
    asked: list[str] = []

    def answer(parent, title, label, echo):  # type: ignore[no-untyped-def]
        asked.append(label)
        return next(answers)

    monkeypatch.setattr(QInputDialog, "getText", answer)
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    drop(win, [encrypted_pdf(tmp_path / "mật.pdf")])
    qtbot.waitUntil(lambda: len(win.sidebar.model.document_ids()) == 1 and not win.jobs.busy(), timeout=30_000)
    assert len(asked) == 2 and "password-protected" in asked[0] and "password is wrong" in asked[1]
    assert not any("--password" in a or "main.py" in a for a in asked)  # the window's words, not the CLI's
    assert win.lib.document_texts(win.sidebar.model.document_ids()[0])[1].startswith("Tài li")  # Helvetica: no ệ
    win.close()


def test_translating_without_a_model_says_which_menu_installs_one(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """The error comes from the helper process (pickled with its neutral text); the window adds its
    own words: a menu and a drop, never `main.py models install`."""
    from app.core.pipeline import import_text
    from app.core.store import Library

    with Library.open() as lib:
        doc = import_text(lib, "Năm 2023, GDP tăng 5%.\n\nĐoạn hai.").document_id
    win = MainWindow()
    qtbot.addWidget(win)
    win.open_document(doc)
    win.action(Key.TRANSLATE).trigger()
    qtbot.waitUntil(lambda: bool(win.messages) and not win.jobs.busy(), timeout=60_000)
    text = win.messages[-1].text()
    assert "no vi→en translation model is installed" in text and "Models › Install from file…" in text
    assert "main.py" not in text and "`" not in text
    banner = win.banner.findChild(type(win.doc_title)).text()
    assert "Models › Install from file…" in banner and "main.py" not in banner
    win.close()
