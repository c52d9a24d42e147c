"""Faults around the library: a full disk, a database locked by another program, a read-only data
folder. After each: a one-line message, and the library exactly as it was."""

from __future__ import annotations

import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.hostile import make_inputs as mk

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX resource limits and permissions")


def main_py(data: Path, *args: str | Path, preexec=None, timeout: float = 120) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env={**os.environ, "DOICHIEU_DATA_DIR": str(data)},
        preexec_fn=preexec,
    )


def state(db: Path) -> tuple[str, list[tuple]]:
    con = sqlite3.connect(db)
    try:
        check = con.execute("PRAGMA integrity_check").fetchone()[0]
        docs = con.execute("SELECT id, sha256, segment_count FROM documents ORDER BY id").fetchall()
        return check, docs
    finally:
        con.close()


@pytest.fixture
def library(tmp_path: Path, fixtures: Path) -> Path:
    data = tmp_path / "data"
    assert main_py(data, "import", fixtures / "pdf_copy_supercomputers.vi.txt").returncode == 0
    assert main_py(data, "list").returncode == 0  # makes today's backup now, not during the fault
    return data


def test_full_disk(library: Path, tmp_path: Path) -> None:
    db = library / "library.sqlite3"
    before = state(db)
    doc = tmp_path / "lớn.txt"
    doc.write_text((mk.SAMPLE + "\n\n") * 300, encoding="utf-8")  # ~2 MB of sentences to store
    limit = db.stat().st_size + 256 * 1024  # files may not grow past this: the disk is "full"

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    res = main_py(library, "import", doc, preexec=small_disk)
    assert res.returncode != 0
    lines = (res.stdout + res.stderr).strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in res.stderr
    assert "full" in lines[0] and "nothing was saved" in lines[0]
    assert state(db) == before
    assert main_py(library, "import", doc).returncode == 0  # with room again, it works


def test_library_locked_by_another_program(library: Path, fixtures: Path) -> None:
    db = library / "library.sqlite3"
    before = state(db)
    other = sqlite3.connect(db, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock and does not let go
        res = main_py(library, "import", fixtures / "forum_post_ai_race.vi.txt", timeout=60)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert res.returncode != 0
    message = (res.stdout + res.stderr).strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in res.stderr
    assert "busy in another program" in message or "locked by another program" in message
    assert state(db) == before


def _as_nobody() -> None:
    """Root ignores permissions, so as root the import runs as the unprivileged user `nobody`."""
    if os.geteuid() == 0:
        os.setgid(65534)
        os.setuid(65534)


def test_read_only_data_folder(fixtures: Path) -> None:
    if os.geteuid() == 0:
        probe = main_py(Path(tempfile.gettempdir()), "--help", preexec=_as_nobody)
        if probe.returncode != 0:  # e.g. a checkout under /root: `nobody` cannot even read the program
            pytest.skip("the unprivileged user cannot read this checkout, so a read-only folder cannot be tried")
    base = Path(tempfile.mkdtemp())  # not under pytest's tmp dir: that one is private to its owner
    try:
        base.chmod(0o755)
        data = base / "data"
        assert main_py(data, "import", fixtures / "pdf_copy_supercomputers.vi.txt").returncode == 0
        db = data / "library.sqlite3"
        before = state(db)
        for p in [data, *data.rglob("*")]:
            p.chmod(0o555 if p.is_dir() else 0o444)
        res = main_py(data, "import", fixtures / "forum_post_ai_race.vi.txt", preexec=_as_nobody)
        assert res.returncode != 0 and "Traceback" not in res.stderr
        message = (res.stdout + res.stderr).strip()
        assert len(message.splitlines()) == 1 and "read-only" in message and "damaged" not in message
        for p in [data, *data.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        assert state(db) == before
    finally:
        shutil.rmtree(base, ignore_errors=True)
