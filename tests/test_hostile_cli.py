"""Honest mistakes and hostile arguments on the command line, run as a user runs them (`main.py ...`
in a subprocess, real library): each ends in one clear line and an exit code, never a traceback,
and one bad item in an import batch never stops the rest."""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "fixtures" / "forum_post_ai_race.vi.txt"
BAD_NAME = b"b\xe1o c\xe1o \xff.txt"  # Latin-1 bytes: not valid UTF-8
HUGE = "99999999999999999999"


def run(data: Path, *argv: str | bytes, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *argv],
        capture_output=True,
        timeout=300,
        env={**os.environ, "DOICHIEU_DATA_DIR": str(data), **(env or {})},
        cwd=data.parent,
    )


def err_line(res: subprocess.CompletedProcess[bytes]) -> str:
    """The one error line (argparse's usage line before it is allowed); no traceback anywhere."""
    out = (res.stdout + res.stderr).decode("utf-8")
    assert "Traceback" not in out, out
    lines = [line for line in res.stderr.decode("utf-8").splitlines() if line.strip()]
    assert lines, out
    assert len([line for line in lines if not line.startswith(("usage:", " "))]) == 1, out
    return lines[-1]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (("show", HUGE), "not a document id"),
        (("show", "#" + HUGE), "not a document id"),
        (("claims", "edit", HUGE, "--note", "x"), "not an id"),
        (("claims", "edit", "0", "--verdict", "true"), "not an id"),
        (("claims", "add", "1", "--start", "0", "--end", HUGE + HUGE), "offset"),
        (("search", "x", "--limit", HUGE), "out of range"),
        (("search", "x", "--limit", "-1"), "out of range"),
        (("search", "x", "--limit", "0"), "out of range"),
        (("search", "x", "--doc", HUGE), "not a document id"),
        (("translate", HUGE), "not a document id"),
        (("delete", HUGE), "not a document id"),
        (("export", HUGE, "-f", "html", "-o", "out.html"), "not a document id"),
        (("models", "download", "vi", "en", "--timeout", "-1"), "out of range"),
        (("models", "download", "vi", "en", "--timeout", "nan"), "out of range"),
    ],
    ids=lambda v: "-".join(v) if isinstance(v, tuple) else v,
)
def test_numbers_are_checked_at_the_edge(argv: tuple[str, ...], says: str, data: Path) -> None:
    res = run(data, *argv)
    assert res.returncode == 2
    assert says in err_line(res)


@pytest.mark.parametrize(
    "argv",
    [
        ("claims", "edit", "1", "--note", b"ghi ch\xff"),
        ("claims", "add", "1", "--start", "0", "--end", "5", "--note", b"\xff"),
        ("claims", "add", "1", "--start", "0", "--end", "5", "--tag", b"t\xff"),
        ("search", b"Vi\xe1t"),
        ("show", b"ti\xeau \xff"),
        ("tags", "add", b"nh\xe3n"),
    ],
    ids=["edit-note", "add-note", "add-tag", "search", "show", "tag"],
)
def test_text_that_is_not_utf8_is_refused(argv: tuple[str | bytes, ...], data: Path) -> None:
    """On POSIX such bytes reach Python as lone surrogates, which SQLite cannot store."""
    res = run(data, *argv)
    assert res.returncode == 2
    line = err_line(res)
    assert "not valid UTF-8" in line and "\ufffd" in line


def test_import_batch_goes_on_past_bad_names_and_odd_files(tmp_path: Path, data: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    bad = os.path.join(os.fsencode(folder), BAD_NAME)
    with open(bad, "wb") as fh:
        fh.write(SAMPLE.read_bytes())
    (folder / "good.txt").write_text("Một câu tiếng Việt để nhập.\n", encoding="utf-8")
    (folder / "folder.txt").mkdir()
    os.mkfifo(folder / "fifo.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    names: list[str | bytes] = [bad, *(str(folder / n) for n in ("fifo.txt", "zero.txt", "folder.txt", "good.txt"))]
    res = run(data, "import", *names)
    out = res.stdout.decode("utf-8")  # valid UTF-8 whatever the names
    assert "Traceback" not in out + res.stderr.decode("utf-8", "replace")
    assert res.returncode == 2  # something was refused
    assert "b\ufffdo c\ufffdo \ufffd" in out  # the bad name, imported, shown with U+FFFD
    assert "#2  good" in out  # the batch went on
    refused = {line.split(":")[0].split("/")[-1]: line for line in out.splitlines() if line.startswith("refused")}
    assert "not a regular file" in refused["fifo.txt"] and "not a regular file" in refused["zero.txt"]
    assert "folder" in refused["folder.txt"]
    con = sqlite3.connect(data / "library.sqlite3")
    try:
        titles = [t for (t,) in con.execute("SELECT title FROM documents ORDER BY id")]
    finally:
        con.close()
    assert titles == ["b\ufffdo c\ufffdo \ufffd", "good"]


@pytest.mark.parametrize(
    ("target", "says"),
    [(".", "is a folder"), ("a-file/copy.sqlite3", "a-file")],
    ids=["folder", "under-a-file"],
)
def test_backup_to_a_folder_or_nowhere(target: str, says: str, data: Path) -> None:
    """A folder, or a place that cannot exist (its parent is a file): one line naming it."""
    assert run(data, "import", str(SAMPLE)).returncode == 0
    (data.parent / "a-file").write_text("not a folder")
    res = run(data, "backup", str(data.parent / target))
    assert res.returncode != 0
    assert says in err_line(res)


def test_a_data_folder_that_is_a_file_is_refused_in_one_line(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("a file, not a folder")
    res = run(not_a_folder, "list")
    assert res.returncode == 3
    assert "is not a folder" in err_line(res)


def test_unexpected_error_is_one_line_unless_debugging(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bug in a command (here `list` made to fail: every real trigger found has been fixed): one line
    that says it is a bug and where the details are; the traceback only with DOICHIEU_DEBUG."""
    import app.cli as cli

    def broken(args: argparse.Namespace) -> int:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setenv("DOICHIEU_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(cli, "_cmd_list", broken)
    assert cli.main(["list"]) == 70
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "a bug in DoiChieu (RuntimeError: boom)" in lines[0], err
    assert "logs" in lines[0] and "Traceback" in next((tmp_path / "data" / "logs").glob("*.log")).read_text()
    monkeypatch.setenv("DOICHIEU_DEBUG", "1")
    with pytest.raises(RuntimeError):
        cli.main(["list"])


def test_validators() -> None:
    from app.cli import args as valid

    assert valid.record_id("#12") == 12
    assert valid.count(1, 10)("10") == 10
    assert valid.document_ref("Báo cáo 2024") == "Báo cáo 2024"
    assert valid.document_ref(str(valid.MAX_ID)) == str(valid.MAX_ID)
    assert valid.printable(os.fsdecode(BAD_NAME)) == "b\ufffdo c\ufffdo \ufffd.txt"
    for parse, value in [
        (valid.record_id, str(valid.MAX_ID + 1)),
        (valid.record_id, "1e3"),
        (valid.record_id, "١٢"),  # Arabic-Indic digits: int() takes them, SQLite ids are ASCII
        (valid.offset, "-3"),
        (valid.count(1, 10), "11"),
        (valid.seconds(0.1, 60), "inf"),
        (valid.text, "\udcff"),
        (valid.document_ref, "²"),
        (valid.document_ref, "  "),
    ]:
        with pytest.raises(argparse.ArgumentTypeError):
            parse(value)
