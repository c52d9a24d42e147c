"""A `-wal` that does not belong to the library is set aside, never replayed; a live or crashed
session's `-wal` is always replayed (issue 20). Real CLI processes, real SQLite files, and a real
second process holding the library open."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_cli_library import run

FOREIGN = "pdf_copy_supercomputers.vi.txt"
OURS = "forum_post_ai_race.vi.txt"

# A second program on a library: opens it, writes, says "ready", then waits for a line on stdin.
# "doichieu": through Library.open (a DoiChieu process); "raw": plain sqlite3 (another program,
# which knows nothing of our state file). On "exit" it closes cleanly; on "vanish" it ends without
# closing anything (as a killed process does), leaving its -wal behind.
HOLDER = """
import os, sqlite3, sys
from pathlib import Path
mode, library, document = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
if mode == "doichieu":
    from app.core.pipeline import import_file
    from app.core.store import Library
    lib = Library.open(library)
    import_file(lib, document)
    close = lib.close
else:
    con = sqlite3.connect(library, isolation_level=None)
    con.execute("INSERT INTO tags (name, created_at) VALUES ('written-by-another-program', '2026-11-29')")
    close = con.close
print("ready", flush=True)
if sys.stdin.readline().strip() == "vanish":
    os._exit(0)
close()
print("closed", flush=True)
"""


class Holder:
    def __init__(self, mode: str, library: Path, document: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, mode, str(library), str(document)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert self.proc.stdout is not None and self.proc.stdout.readline().strip() == "ready"

    def end(self, how: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(how + "\n")
        self.proc.stdin.flush()
        assert self.proc.wait(timeout=120) == 0


def _integrity(library: Path) -> str:
    con = sqlite3.connect(library)
    try:
        return str(con.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        con.close()


def _titles(data: Path) -> list[str]:
    res = run(data, "list")
    assert res.returncode == 0, res.stderr
    return [line.split()[1] for line in res.stdout.splitlines()]


def _our_library(tmp_path: Path, fixtures: Path) -> Path:
    data = tmp_path / "ours"
    res = run(data, "import", fixtures / OURS)
    assert res.returncode == 0, res.stderr
    library = data / "library.sqlite3"
    assert not Path(f"{library}-wal").exists()  # closed cleanly: SQLite removed its WAL
    return library


def _foreign_wal(tmp_path: Path, fixtures: Path) -> Path:
    """The -wal of another library whose session ended without closing (frames not checkpointed)."""
    other = tmp_path / "other" / "library.sqlite3"
    other.parent.mkdir()
    Holder("doichieu", other, fixtures / FOREIGN).end("vanish")
    wal = Path(f"{other}-wal")
    assert wal.stat().st_size > 4096
    return wal


def test_a_foreign_wal_beside_a_cleanly_closed_library_is_set_aside(tmp_path: Path, fixtures: Path) -> None:
    library = _our_library(tmp_path, fixtures)
    foreign = _foreign_wal(tmp_path, fixtures)
    shutil.copyfile(foreign, f"{library}-wal")  # what a sync client or a copied folder leaves

    res = run(library.parent, "list")
    assert res.returncode == 0, res.stderr
    assert [line.split()[1] for line in res.stdout.splitlines()] == ["forum_post_ai_race.vi"]
    aside = list(library.parent.glob("library.sqlite3-wal.set-aside-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == foreign.read_bytes()  # kept, not deleted
    assert "set aside" in res.stderr and aside[0].name in res.stderr
    assert _integrity(library) == "ok"
    # Later sessions carry on normally with nothing more set aside.
    assert _titles(library.parent) == ["forum_post_ai_race.vi"]
    assert len(list(library.parent.glob("library.sqlite3-wal.set-aside-*"))) == 1


def test_a_wal_beside_a_missing_library_is_not_replayed_into_a_new_one(tmp_path: Path, fixtures: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(_foreign_wal(tmp_path, fixtures), data / "library.sqlite3-wal")
    res = run(data, "list")
    assert res.returncode == 0, res.stderr
    assert "the library is empty" in res.stdout and "set aside" in res.stderr
    assert _integrity(data / "library.sqlite3") == "ok"


@pytest.mark.parametrize("mode", ["doichieu", "raw"])
def test_a_live_wal_of_another_process_is_never_set_aside(tmp_path: Path, fixtures: Path, mode: str) -> None:
    """Another process has the library open and has written (its writes are in the -wal only).
    "raw" is the hardest case: another program that never marks the library in use, so the state
    file still says the last session closed cleanly; only SQLite's own lock tells the WAL is live."""
    library = _our_library(tmp_path, fixtures)
    holder = Holder(mode, library, fixtures / FOREIGN)
    try:
        assert Path(f"{library}-wal").stat().st_size > 0
        if mode == "raw":
            assert (library.parent / "library.sqlite3.state").read_text().strip() == "closed-cleanly"
        titles = _titles(library.parent)  # a second DoiChieu process opens, reads and closes
        assert not list(library.parent.glob("*set-aside*"))
        if mode == "doichieu":
            assert titles == ["forum_post_ai_race.vi", "pdf_copy_supercomputers.vi"]
    finally:
        holder.end("exit")
    assert not list(library.parent.glob("*set-aside*"))
    assert _integrity(library) == "ok"
    con = sqlite3.connect(library)
    try:
        tags = {row[0] for row in con.execute("SELECT name FROM tags")}
        docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        con.close()
    if mode == "raw":
        assert "written-by-another-program" in tags and docs == 1
    else:
        assert docs == 2


def test_the_wal_of_a_session_that_ended_without_closing_is_replayed(tmp_path: Path, fixtures: Path) -> None:
    """A killed DoiChieu process leaves acknowledged writes in the -wal only: they must come back."""
    library = _our_library(tmp_path, fixtures)
    Holder("doichieu", library, fixtures / FOREIGN).end("vanish")
    assert Path(f"{library}-wal").stat().st_size > 4096
    assert (library.parent / "library.sqlite3.state").read_text().strip() == "in-use"
    assert _titles(library.parent) == ["forum_post_ai_race.vi", "pdf_copy_supercomputers.vi"]
    assert not list(library.parent.glob("*set-aside*"))
    assert _integrity(library) == "ok"


@pytest.mark.parametrize("side,kind", [("-wal", "folder"), ("-wal", "link to /dev/null"), ("-shm", "folder")])
def test_a_side_file_that_is_not_a_regular_file_is_set_aside(
    tmp_path: Path, fixtures: Path, side: str, kind: str
) -> None:
    """A -wal linked to /dev/null swallowed every write (and the library was then refused as
    damaged); a folder in its place made every command fail. Neither is ever SQLite's own."""
    library = _our_library(tmp_path, fixtures)
    odd = Path(f"{library}{side}")
    if kind == "folder":
        odd.mkdir()
    else:
        odd.symlink_to("/dev/null")
    res = run(library.parent, "import", fixtures / FOREIGN)
    assert res.returncode == 0, res.stderr
    assert "set aside" in res.stderr and "not a regular file" in res.stderr
    assert len(list(library.parent.glob(f"library.sqlite3{side}.set-aside-*"))) == 1
    assert _titles(library.parent) == ["forum_post_ai_race.vi", "pdf_copy_supercomputers.vi"]
    assert _integrity(library) == "ok"


@pytest.mark.parametrize("kind", ["folder", "pipe"])
def test_a_library_that_is_not_a_file_is_refused_in_one_line(tmp_path: Path, kind: str) -> None:
    data = tmp_path / "data"
    data.mkdir()
    library = data / "library.sqlite3"
    if kind == "folder":
        library.mkdir()
    else:
        os.mkfifo(library)
    res = run(data, "list")
    assert res.returncode != 0 and f"is a {kind}, not a library file" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


# A program in rollback-journal mode killed inside a transaction whose pages already reached its file.
HOT_JOURNAL = """
import os, sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("PRAGMA journal_mode = DELETE")
con.execute("CREATE TABLE u (y)")
con.executemany("INSERT INTO u VALUES (?)", [("b" * 100,) for _ in range(3000)])
con.execute("PRAGMA cache_size = 1")  # pages spill to the file before the commit
con.execute("BEGIN")
con.execute("UPDATE u SET y = 'changed'")
os._exit(0)
"""


def test_a_foreign_rollback_journal_is_set_aside_not_played_back(tmp_path: Path, fixtures: Path) -> None:
    library = _our_library(tmp_path, fixtures)
    other = tmp_path / "other.sqlite3"
    subprocess.run([sys.executable, "-c", HOT_JOURNAL, str(other)], check=True)
    journal = Path(f"{other}-journal")
    assert journal.stat().st_size > 0
    shutil.copyfile(journal, f"{library}-journal")  # SQLite would roll it back into our library

    res = run(library.parent, "list")
    assert res.returncode == 0, res.stderr
    assert "rollback journal" in res.stderr and "set aside" in res.stderr
    assert len(list(library.parent.glob("library.sqlite3-journal.set-aside-*"))) == 1
    assert [line.split()[1] for line in res.stdout.splitlines()] == ["forum_post_ai_race.vi"]
    assert _integrity(library) == "ok"


def test_restoring_a_backup_with_its_wal_reads_the_wal_and_leaves_its_folder_as_it_was(
    tmp_path: Path, fixtures: Path
) -> None:
    """A copy kept with its -wal (a library set aside by an earlier restore, or copied by hand) is
    restored with what its WAL holds; SQLite's -shm is made in a private folder, not beside it."""
    from app.core.store import backups

    kept = tmp_path / "kept" / "copy.sqlite3"
    kept.parent.mkdir()
    Holder("doichieu", kept, fixtures / FOREIGN).end("vanish")  # its import lives only in the -wal
    Path(f"{kept}-shm").unlink()  # as a user copies it: the file and its -wal
    before = sorted(p.name for p in kept.parent.iterdir())
    assert "copy.sqlite3-wal" in before and "copy.sqlite3-shm" not in before

    data = tmp_path / "data"
    data.mkdir()
    backups.restore(kept, data / "library.sqlite3")

    assert sorted(p.name for p in kept.parent.iterdir()) == before
    assert _integrity(data / "library.sqlite3") == "ok"
    assert len(_titles(data)) == 1  # the document the WAL held
