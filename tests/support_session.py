"""Shared by the whole-session tests (`tests/test_session_*.py`) and `bench/session_soak.py`: unique
copies of the real samples, the command line run as a user runs it, and a look at the library file from
outside the app once every connection is closed.

`APP_ROOT` is the tree whose `app` package is imported, so the same scenario can be run against an
older checkout (a `git worktree` of an earlier commit) to show that it fails there."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import app

APP_ROOT = Path(app.__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE_FILES = ("forum_post_ai_race.vi.txt", "pdf_copy_supercomputers.vi.txt")
CLI_TIMEOUT_S = 300  # a bounded wait on a child: far above what an import takes on a loaded machine


def sample_copy(folder: Path, n: int, tag: str = "") -> Path:
    """A real sample (alternating between the two) under a heading of its own, so its bytes, and so
    its sha256, differ from every other copy: each import is a new document."""
    folder.mkdir(parents=True, exist_ok=True)
    base = (FIXTURES / SAMPLE_FILES[n % len(SAMPLE_FILES)]).read_text(encoding="utf-8")
    path = folder / f"ban-{tag}{n}.txt"
    path.write_text(f"Bản sao số {tag}{n} của tài liệu.\n\n{base}", encoding="utf-8")
    return path


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def child_env(data_dir: Path) -> dict[str, str]:
    """The environment of a DoiChieu process on this data folder, running the tree under test."""
    threads = {k: "1" for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    return {
        **os.environ,
        **threads,
        "DOICHIEU_DATA_DIR": str(data_dir),
        "PYTHONPATH": str(APP_ROOT),
        "QT_QPA_PLATFORM": "offscreen",
    }


def cli_command(*args: str) -> list[str]:
    return [sys.executable, str(APP_ROOT / "main.py"), *args]


def run_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`main.py ARGS...` in its own process, as a user or a script runs it."""
    return subprocess.run(
        cli_command(*args),
        env=child_env(data_dir),
        cwd=APP_ROOT,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_S,
        check=False,
    )


@dataclass
class LibraryState:
    """What an outside SQLite client finds in the library file."""

    integrity: str
    shas: set[str] = field(default_factory=set)
    tags: set[str] = field(default_factory=set)
    notes: set[str] = field(default_factory=set)
    claims: set[tuple[int, int, str]] = field(default_factory=set)  # (start, end, document sha256)
    human_english: set[str] = field(default_factory=set)  # post-edits, any version
    translated_segments: int = 0

    @property
    def ok(self) -> bool:
        return self.integrity == "ok"


def inspect_library(path: Path) -> LibraryState:
    """`integrity_check` and the rows we look for, read with plain SQLite (not through the app, which
    would refuse a damaged file). Call it only when no connection of this process is open on `path`."""
    try:
        con = sqlite3.connect(str(path), timeout=30)
    except sqlite3.Error as err:
        return LibraryState(f"cannot open: {err}")
    try:
        con.text_factory = lambda b: b.decode("utf-8", "replace")
        try:
            rows = [str(r[0]) for r in con.execute("PRAGMA integrity_check").fetchall()]
        except sqlite3.DatabaseError as err:
            return LibraryState(f"{type(err).__name__}: {err}")
        state = LibraryState("ok" if rows == ["ok"] else "; ".join(rows[:5]))
        state.shas = {r[0] for r in con.execute("SELECT sha256 FROM documents")}
        state.tags = {r[0] for r in con.execute("SELECT name FROM tags")}
        state.notes = {r[0] for r in con.execute("SELECT text FROM notes")}
        state.claims = {
            (r[0], r[1], r[2])
            for r in con.execute(
                "SELECT c.start_char, c.end_char, d.sha256 FROM claims c JOIN documents d ON d.id = c.document_id"
            )
        }
        state.human_english = {r[0] for r in con.execute("SELECT text FROM translations WHERE kind = 'human'")}
        state.translated_segments = int(
            con.execute("SELECT count(DISTINCT segment_id) FROM translations WHERE kind = 'machine'").fetchone()[0]
        )
        return state
    except sqlite3.DatabaseError as err:  # a damaged table can fail a read even when the check ran
        state.integrity += f"; reading the rows: {type(err).__name__}: {err}"
        return state
    finally:
        con.close()
