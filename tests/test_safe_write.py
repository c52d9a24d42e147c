"""app.core.safe_write, the one way the app writes a file: temporary file beside the target, fsync,
rename; refusals for the library and its side files, a file being read, folders and non-regular
files. Real files, a real library, real device nodes and FIFOs; failures are real (a file size
limit in a child process), never mocked."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.errors import InputError
from app.core.safe_write import (
    UnsafeTargetError,
    atomic_open,
    atomic_path,
    check_target,
    reading,
    write_bytes,
    write_text,
    write_with,
)
from app.core.store import Library
from tests.conftest import ROOT


def _stat(path: Path) -> tuple[int, int, int]:
    st = os.stat(path)  # stat only: SQLite holds the library open
    return st.st_ino, st.st_size, st.st_mtime_ns


def test_replaces_a_file_whole_keeping_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    assert write_text(target, "new ✓") == target
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert write_bytes(tmp_path / "fresh.bin", b"\x00\x01") == tmp_path / "fresh.bin"
    assert (tmp_path / "fresh.bin").read_bytes() == b"\x00\x01"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.bin", "report.md"]  # no temporary file left


def test_a_writer_by_path_and_a_failing_writer(tmp_path: Path) -> None:
    """A writer that wants a file name (SQLite's backup here) writes the temporary file; a writer
    that fails leaves the old file as it was and nothing beside it."""
    source = sqlite3.connect(tmp_path / "src.sqlite3")
    source.execute("CREATE TABLE t (x)")
    source.execute("INSERT INTO t VALUES (42)")
    source.commit()
    target = tmp_path / "copy.sqlite3"

    def backup(tmp: Path) -> None:
        dest = sqlite3.connect(tmp)
        source.backup(dest)
        dest.close()

    assert write_with(target, backup) == target
    source.close()
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT x FROM t").fetchall() == [(42,)]
    copy.close()
    before = target.read_bytes()
    with pytest.raises(RuntimeError), atomic_open(target, "wb") as fh:
        fh.write(b"half a file")
        raise RuntimeError("the writer broke")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_bytes(b"half a file")
        raise RuntimeError("the writer broke")
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.sqlite3", "src.sqlite3"]


def test_a_real_write_failure_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "big.txt"
    target.write_text("old", encoding="utf-8")
    script = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.RLIM_INFINITY))\n"
        "from app.core.safe_write import write_text\n"
        "try:\n"
        f"    write_text({str(target)!r}, 'x' * 100_000)\n"
        "except OSError as err:\n"
        "    print(err.errno)\n"
        "    sys.exit(3)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 3, (done.stdout, done.stderr)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["big.txt"]


def test_refuses_the_library_and_its_side_files(data_dir: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / "mine.sqlite3"
    other.parent.mkdir()
    with Library.open() as lib, Library.open(other) as second:
        before = _stat(lib.path)
        hard = tmp_path / "hard-link.html"
        os.link(lib.path, hard)  # the same file under another name
        soft = tmp_path / "soft-link.pdf"
        soft.symlink_to(lib.path)
        for target in (
            lib.path,
            Path(f"{lib.path}-wal"),
            Path(f"{lib.path}-shm"),
            Path(f"{lib.path}-journal"),
            lib.path.parent / "." / lib.path.name,
            hard,
            soft,
        ):
            with pytest.raises(UnsafeTargetError, match="the library") as err:
                write_text(target, "a report")
            assert "\n" not in str(err.value)
        with pytest.raises(UnsafeTargetError, match="the library"):
            write_text(Path(f"{second.path}-wal"), "x", libraries=[second.path])
        write_text(tmp_path / "report.html", "fine", libraries=[second.path])
        assert _stat(lib.path) == before
        assert os.path.islink(soft)
        assert [d.id for d in lib.documents()] == []  # the library still opens and reads
        assert issubclass(UnsafeTargetError, InputError)
    assert not list(data_dir.glob("*.partial")) and not list(data_dir.glob(".*.partial"))


def test_refuses_folders_missing_folders_and_non_regular_files(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    cases = [(tmp_path, "is a folder"), (tmp_path / "no" / "x.txt", "does not exist"), (fifo, "not a regular file")]
    for device in ("/dev/full", "/dev/null"):
        if Path(device).exists():
            cases.append((Path(device), "not a regular file"))
    for target, why in cases:
        with pytest.raises(UnsafeTargetError, match=why):
            write_bytes(target, b"data")  # a FIFO is never opened: this does not hang
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    if Path("/dev/full").exists():
        assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_refuses_a_file_being_read_and_protected_files(tmp_path: Path) -> None:
    backup = tmp_path / "backup.sqlite3"
    backup.write_bytes(b"backup")
    with reading(backup):
        with pytest.raises(UnsafeTargetError, match="being read"):
            write_bytes(tmp_path / "." / "backup.sqlite3", b"x")
        with reading(backup), pytest.raises(UnsafeTargetError):  # nested readers count
            check_target(backup)
        with pytest.raises(UnsafeTargetError):
            check_target(backup)
    write_bytes(backup, b"new")  # read no more: may be replaced
    assert backup.read_bytes() == b"new"
    with pytest.raises(UnsafeTargetError, match="being read"):
        write_bytes(backup, b"x", protect=[backup])


def test_a_symlink_to_a_regular_file_replaces_the_file_and_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert write_text(link, "new") == real
    assert os.path.islink(link) and real.read_text(encoding="utf-8") == "new"


def test_a_killed_writers_temporary_file_is_removed_by_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(child.stdout)  # a process that has ended
    stale = tmp_path / f".report.pdf.{dead}-0123abcd.partial"
    stale.write_bytes(b"half a report")
    live = tmp_path / f".report.pdf.{os.getpid()}-89abcdef.partial"  # a writer still running: kept
    live.write_bytes(b"being written")
    other = tmp_path / f".notes.md.{dead}-0123abcd.partial"  # another target's: not ours to clean now
    other.write_bytes(b"x")
    write_bytes(target, b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, live.name, other.name])
