"""THE RULE of store/db.py (no plain file I/O on the library while this process holds a connection to
it), SQLite errors told apart by result code, the structured damaged-library error, and the session
both front-ends open."""

from __future__ import annotations

import os
import pickle
import sqlite3
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.core.errors import (
    DiskFullError,
    LibraryCorruptError,
    LibraryError,
    LibraryLockedError,
    UnsupportedFormatError,
)
from app.core.pipeline import import_file
from app.core.services.session import backup_now, describe_backups, open_session, restore
from app.core.store import Library
from app.core.store import db as dbmod
from app.core.store.backups import backups_folder, daily_backup, list_backups
from app.core.store.claims import DEFAULT_TAGS, ClaimStore

# Plain opens of files, recorded by an audit hook (Python reports every open(), os.open() and the
# opens inside shutil; SQLite's own opens are not Python's and are not reported).
_opened: list[str] | None = None


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event == "open" and _opened is not None and isinstance(args[0], str | Path):
        _opened.append(str(args[0]))


sys.addaudithook(_audit)


@pytest.fixture
def plain_opens() -> Iterator[list[str]]:
    global _opened
    _opened = []
    try:
        yield _opened
    finally:
        _opened = None


def _library_files(opened: list[str], library: Path) -> list[str]:
    names = {library.name, library.name + "-wal", library.name + "-shm", library.name + "-journal"}
    return [p for p in opened if Path(p).name in names and Path(p).resolve().parent == library.resolve().parent]


def test_no_plain_file_io_on_the_library_while_a_connection_is_open(
    data_dir: Path, fixtures: Path, plain_opens: list[str]
) -> None:
    """The window holds a connection; its jobs open and close short ones, back up, describe the
    backups. Not one plain open of the library or its -wal/-shm may happen meanwhile: closing such a
    descriptor drops the process's POSIX locks and lets another process delete the WAL under us."""
    with Library.open() as window:
        import_file(window, fixtures / "forum_post_ai_race.vi.txt")
        del plain_opens[:]  # from here on the window's connection is open
        for _ in range(3):
            with Library.open() as job:  # a short connection of a background job
                job.search("trí tuệ")
        with open_session() as other:
            ClaimStore(other).tags()
        daily_backup(window)
        backup_now(window)
        describe_backups()
        assert dbmod.connections_open(window.path) == 1
        found = _library_files(plain_opens, window.path)
    assert found == []


def test_the_registry_counts_connections_per_file(data_dir: Path) -> None:
    with Library.open() as one:
        path = one.path
        assert dbmod.connections_open(path) == 1
        assert dbmod.connections_open(Path(str(path) + "-wal")) == 1  # its side files are the same file
        with Library.open(path.parent / "." / path.name):
            assert dbmod.connections_open(path) == 2
        assert dbmod.connections_open(path) == 1
        with pytest.raises(LibraryError, match="open in this program"):
            dbmod.require_no_connection(path, "copy it")
    assert dbmod.connections_open(path) == 0
    dbmod.require_no_connection(path, "copy it")


def test_restore_is_refused_while_the_library_is_open_here(data_dir: Path, fixtures: Path) -> None:
    with open_session() as lib:
        import_file(lib, fixtures / "forum_post_ai_race.vi.txt")
        backup = backup_now(lib)
        with pytest.raises(LibraryError, match="open in this program"):
            restore(backup, lib.path)
        assert lib.integrity() == "ok" and len(lib.documents()) == 1
        path = lib.path
    kept = restore(backup, path)
    assert kept is not None
    with open_session(path) as lib:
        assert len(lib.documents()) == 1


def test_a_text_file_is_reported_by_sqlite_as_not_a_library(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    path = data_dir / "library.sqlite3"
    path.write_text("hello, I am a text file, long enough to hold a whole header of one")
    with pytest.raises(LibraryCorruptError, match="not a DoiChieu library") as caught:
        Library.open()
    err = caught.value
    assert err.path == path and err.backups == [] and err.damaged_copy is None
    assert "main.py" not in str(err)
    assert dbmod.connections_open(path) == 0  # the failed open left no connection behind


def _scribble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for offset in range(8192, len(data) - 4096, 4096):
        data[offset + 100 : offset + 400] = b"\xff" * 300
    path.write_bytes(bytes(data))


def test_a_damaged_library_error_carries_its_path_and_backups(data_dir: Path, fixtures: Path) -> None:
    with open_session() as lib:
        import_file(lib, fixtures / "forum_post_ai_race.vi.txt")
        older = daily_backup(lib, today=datetime(2026, 1, 1, tzinfo=UTC))
        import_file(lib, fixtures / "pdf_copy_supercomputers.vi.txt")
        newer = backup_now(lib)
        lib.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        path = lib.path
    _scribble(path)
    with pytest.raises(LibraryCorruptError) as caught:
        open_session()
    err = caught.value
    assert err.path == path
    assert err.backups == [newer, older]  # newest first
    assert err.damaged_copy is not None and err.damaged_copy.is_file()
    assert "damaged" in str(err) and "main.py" not in str(err)
    again = pickle.loads(pickle.dumps(err))  # the helper process sends it through a pipe
    assert isinstance(again, LibraryCorruptError)
    assert (str(again), again.path, again.backups, again.damaged_copy) == (
        str(err),
        err.path,
        err.backups,
        err.damaged_copy,
    )
    listed = describe_backups()
    assert [b.path for b in listed] == err.backups
    by_path = {b.path: b for b in listed}
    assert by_path[older].documents == 1 and by_path[newer].documents == 2
    assert all(b.size > 0 for b in listed)


def test_describe_backups_reads_an_unusable_backup_as_unknown(data_dir: Path, fixtures: Path) -> None:
    with open_session() as lib:
        import_file(lib, fixtures / "forum_post_ai_race.vi.txt")
        good = backup_now(lib)
    bad = good.with_name("library-2000-01-01.sqlite3")
    bad.write_text("not a database")
    listed = describe_backups()
    assert [b.path for b in listed] == [good, bad]
    assert listed[0].documents == 1 and listed[1].documents is None


def test_the_session_makes_todays_backup_and_the_default_tags(data_dir: Path, fixtures: Path) -> None:
    with open_session() as lib:
        assert [t.name for t in ClaimStore(lib).tags()] == [name for name, _c, _k in DEFAULT_TAGS]
        assert list_backups() == []  # an empty library has nothing to lose
        import_file(lib, fixtures / "forum_post_ai_race.vi.txt")
    with open_session() as lib:
        made = list_backups()
        assert len(made) == 1
    with open_session():
        assert list_backups() == made  # once a day


def test_a_writer_holding_the_lock_past_the_timeout_is_reported_as_busy(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_MS", 200)  # the timeout a connection is made with
    with open_session() as lib:
        other = sqlite3.connect(lib.path, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
            with pytest.raises(LibraryLockedError, match="busy in another program"):
                ClaimStore(lib).add_tag("mới")
        finally:
            other.execute("ROLLBACK")
            other.close()
        ClaimStore(lib).add_tag("mới")  # let go: it works
        assert "mới" in [t.name for t in ClaimStore(lib).tags()]


def test_errors_are_told_apart_by_result_code_not_by_message(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    ro = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        with pytest.raises(sqlite3.OperationalError) as caught:
            ro.execute("INSERT INTO t VALUES (1)")
    finally:
        ro.close()
    mapped = dbmod.library_error(caught.value, path)
    assert isinstance(mapped, LibraryError) and "read-only" in str(mapped)
    # The same words in the message, another code: the code decides.
    fake = sqlite3.OperationalError("database is locked (but really the disk is full)")
    fake.sqlite_errorcode = dbmod.SQLITE_FULL  # type: ignore[attr-defined]
    fake.sqlite_errorname = "SQLITE_FULL"  # type: ignore[attr-defined]
    assert isinstance(dbmod.library_error(fake, path), DiskFullError)
    # A constraint violation is a bug or the caller's to handle: no friendly error hides it.
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE u (x UNIQUE)")
    con.execute("INSERT INTO u VALUES (1)")
    with pytest.raises(sqlite3.IntegrityError) as dup:
        con.execute("INSERT INTO u VALUES (1)")
    con.close()
    assert dbmod.library_error(dup.value, path) is None


def test_importing_the_open_library_itself_is_refused_without_reading_it(
    data_dir: Path, fixtures: Path, plain_opens: list[str]
) -> None:
    """A user drops library.sqlite3 on the window: hashing it would open and close it with plain I/O."""
    with open_session() as lib:
        import_file(lib, fixtures / "forum_post_ai_race.vi.txt")
        del plain_opens[:]
        for name in (lib.path, Path(f"{lib.path}-wal")):
            with pytest.raises(UnsupportedFormatError, match="library itself"):
                import_file(lib, name)
        assert _library_files(plain_opens, lib.path) == []
        assert len(lib.documents()) == 1


def test_a_half_written_backup_left_by_a_killed_process_is_cleared(data_dir: Path, fixtures: Path) -> None:
    with open_session() as lib:
        import_file(lib, fixtures / "forum_post_ai_race.vi.txt")
        folder = backups_folder(lib.path)
        old = folder / ".library-2026-01-01.sqlite3.4242-deadbeef.partial"
        recent = folder / ".library-2026-01-02.sqlite3.4243-deadbeef.partial"
        for partial in (old, recent):
            partial.write_bytes(b"SQLite format 3\x00 cut short")
        two_days_ago = datetime.now(UTC).timestamp() - 2 * 24 * 3600
        os.utime(old, (two_days_ago, two_days_ago))
        made = daily_backup(lib)
    assert made is not None and made.is_file()
    assert not old.exists()
    assert recent.exists()  # it may be a copy another process is writing right now


def test_every_statement_reports_sqlite_errors_typed_not_only_transactions(data_dir: Path, fixtures: Path) -> None:
    """A statement run outside `Library.transaction()` (sqlite-utils, a PRAGMA, a read) reports an
    error the user can act on as our typed error too, never a bare sqlite3 error."""
    with open_session() as lib:
        lib.db.execute("PRAGMA query_only = 1")  # SQLite itself now refuses every write: SQLITE_READONLY
        with pytest.raises(LibraryError, match="read-only"):
            lib.db.execute("INSERT INTO tags (name, created_at) VALUES ('mới', 'x')")
        with pytest.raises(LibraryError, match="read-only"):
            lib.db.conn.executemany("INSERT INTO tags (name, created_at) VALUES (?, 'x')", [("a",), ("b",)])
        with pytest.raises(LibraryError, match="read-only"):
            ClaimStore(lib).add_tag("mới")
        lib.db.execute("PRAGMA query_only = 0")
        ClaimStore(lib).add_tag("mới")
        with pytest.raises(sqlite3.IntegrityError):  # a constraint is the caller's to handle: not hidden
            lib.db.execute("INSERT INTO tags (name, created_at) VALUES ('mới', 'x')")
        with pytest.raises(sqlite3.OperationalError, match="no such table"):  # a bug stays a bug
            lib.db.execute("SELECT * FROM no_such_table")


def test_a_data_folder_that_cannot_be_made_is_said_without_cli_words_for_the_window(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    with pytest.raises(LibraryError) as caught:
        open_session(blocker / "library.sqlite3")
    err = caught.value
    assert "DOICHIEU_DATA_DIR" in str(err)  # the command line's words
    assert err.neutral is not None and "cannot create the data folder" in err.neutral
    assert "DOICHIEU_DATA_DIR" not in err.neutral and "main.py" not in err.neutral
