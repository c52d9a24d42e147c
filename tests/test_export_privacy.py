"""Reports name the source FILE only: the folder it was imported from ("/home/<user>/…") is left out
of every format unless the user asks for it (export dialog's "Include the source path", the CLI's
`--include-source-path`). Each file is read back with an independent reader: PDF text with pymupdf,
DOCX as the XML of every part of its zip. The document's source URL, author and publication date
(Document properties…, `main.py properties`) are in every report format that has a header."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pymupdf
import pytest

from app.core.export import FORMATS, ExportOptions, export
from app.core.store import Library
from tests.conftest import FIXTURES, ROOT

SECRET = "reporter7f3a"  # a folder name that must not leave the machine
FILE_NAME = "bao-cao-mat.vi.txt"
URL = "https://vnexpress.net/bai-goc-4712"
AUTHOR = "Nguyễn Thị Hồng"
HEADER_FORMATS = ("html", "pdf", "docx", "md")


@dataclass(frozen=True)
class Exported:
    data: Path
    source: Path
    out: Path


def main(data: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {"DOICHIEU_DATA_DIR": str(data), "QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=180,
        env=env,
    )


def read_back(path: Path) -> str:
    """The text a reader of the file sees (and, for PDF and DOCX, their metadata), whitespace squashed."""
    if path.suffix == ".pdf":
        with pymupdf.open(path) as pdf:
            text = "".join(page.get_text() for page in pdf) + " ".join(str(v) for v in pdf.metadata.values())
    elif path.suffix == ".docx":
        with zipfile.ZipFile(path) as z:
            text = " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if not n.endswith("/"))
            text = re.sub(r"<[^>]+>", "", text)
    else:
        text = path.read_text(encoding="utf-8-sig")
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Exported]:
    root = tmp_path_factory.mktemp("privacy")
    folder = root / SECRET / "Tài liệu"
    folder.mkdir(parents=True)
    source = folder / FILE_NAME
    shutil.copy(FIXTURES / "pdf_copy_supercomputers.vi.txt", source)
    data = root / "data"
    assert main(data, "import", source).returncode == 0
    res = main(data, "properties", "1", "--url", URL, "--author", AUTHOR, "--published", "2024-03-15")
    assert res.returncode == 0, res.stderr
    added = main(data, "claims", "add", "1", "--start", "0", "--end", "20", "--tag", "statistic")
    assert added.returncode == 0, added.stderr
    out = root / "out"
    out.mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DOICHIEU_DATA_DIR", str(data))
        with Library.open() as lib:
            for fmt in FORMATS:
                export(lib, [1], fmt, out / f"name-only.{fmt}")
                export(lib, [1], fmt, out / f"with-path.{fmt}", ExportOptions(include_source_path=True))
    yield Exported(data, source, out)


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_report_carries_the_source_folder_by_default(exported: Exported, fmt: str) -> None:
    text = read_back(exported.out / f"name-only.{fmt}")
    assert SECRET not in text and "Tàiliệu" not in text
    assert str(exported.source.parent).replace(" ", "") not in text
    if fmt in HEADER_FORMATS:
        assert f"Sourcefile:{FILE_NAME}" in text


@pytest.mark.parametrize("fmt", HEADER_FORMATS)
def test_the_whole_path_when_asked(exported: Exported, fmt: str) -> None:
    text = read_back(exported.out / f"with-path.{fmt}")
    assert str(exported.source).replace(" ", "") in text


@pytest.mark.parametrize("fmt", HEADER_FORMATS)
def test_source_url_author_and_date_in_the_header(exported: Exported, fmt: str) -> None:
    text = read_back(exported.out / f"name-only.{fmt}")
    assert URL.replace("/", "") in text.replace("\\", "").replace("/", "")  # Markdown escapes the slashes
    assert AUTHOR.replace(" ", "") in text
    assert "Published:2024-03-15" in text


def test_command_line_flag(exported: Exported) -> None:
    plain, full = exported.out / "cli.md", exported.out / "cli-full.md"
    assert main(exported.data, "export", "1", "-f", "md", "-o", plain).returncode == 0
    res = main(exported.data, "export", "1", "-f", "md", "-o", full, "--include-source-path")
    assert res.returncode == 0, res.stderr
    assert SECRET not in plain.read_text(encoding="utf-8") and FILE_NAME in plain.read_text(encoding="utf-8")
    assert SECRET in full.read_text(encoding="utf-8")


def test_properties_are_checked_and_nothing_is_stored_on_a_bad_value(
    exported: Exported, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.cli import main as cli

    monkeypatch.setenv("DOICHIEU_DATA_DIR", str(exported.data))
    for args, words in (
        (("--url", "file:///etc/passwd"), "not a web address"),
        (("--url", "javascript:alert(1)"), "not a web address"),
        (("--published", "2024-02-30"), "not a day"),
        (("--published", "15/03/2024"), "YYYY-MM-DD"),
        (("--published", "2024-13"), "no month 13"),
    ):
        code = cli(["properties", "1", "--author", "Someone else", *args])
        err = capsys.readouterr().err
        assert code == 2 and words in err and len(err.strip().splitlines()) == 1, err
    assert cli(["properties", "1", "--json"]) == 0
    shown = capsys.readouterr().out
    assert AUTHOR in shown and URL in shown  # unchanged by the refused edits


def test_export_dialog_leaves_the_path_out_unless_ticked(  # type: ignore[no-untyped-def]
    exported: Exported, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.gui.main_window import Key, MainWindow

    monkeypatch.setenv("DOICHIEU_DATA_DIR", str(exported.data))
    win = MainWindow()
    qtbot.addWidget(win)
    win.open_document(1)
    win.action(Key.EXPORT).trigger()
    dialog = win.tools.export_dialog
    assert dialog is not None and not dialog.source_path.isChecked()
    qtbot.waitUntil(lambda: FILE_NAME in dialog.preview.toPlainText(), timeout=20_000)
    assert SECRET not in dialog.preview.toPlainText() and AUTHOR in dialog.preview.toPlainText()
    dialog.format.setCurrentIndex(dialog.format.findData("docx"))
    with qtbot.waitSignal(dialog.export_wanted, timeout=5_000):
        dialog.save_to(exported.out / "window")
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Saved"), timeout=30_000)
    plain = read_back(exported.out / "window.docx")
    assert FILE_NAME in plain and SECRET not in plain
    dialog.source_path.setChecked(True)  # the user asks for the path: the preview and the file show it
    qtbot.waitUntil(lambda: SECRET in dialog.preview.toPlainText(), timeout=20_000)
    with qtbot.waitSignal(dialog.export_wanted, timeout=5_000):
        dialog.save_to(exported.out / "window-full")
    qtbot.waitUntil(
        lambda: dialog.status.text().startswith("Saved") and "window-full" in dialog.status.text(), timeout=30_000
    )
    assert str(exported.source).replace(" ", "") in read_back(exported.out / "window-full.docx")
    dialog.close()
    win.close()
