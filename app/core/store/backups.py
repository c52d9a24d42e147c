"""Automatic daily backups of the library, backups on demand, and restoring one.

A backup is a consistent copy made with SQLite's backup API (safe while the app writes), written under
a temporary name of its own and then put in place in one step, so processes backing up at the same
moment never see each other's half-written files. At most one daily backup a day is made when the
app or a command opens the library; the last `KEEP` backups are kept.

Backups are read only through SQLite (read-only URIs); the library itself is never copied with plain
file I/O while this process holds a connection to it (see the rule in `store/db.py`)."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.core import paths, safe_write
from app.core.errors import InputError, LibraryError, LibraryLockedError
from app.core.store import db as dbmod
from app.core.store import keep, wal_guard
from app.core.store.library import Library
from app.core.store.schema import SCHEMA_VERSION

KEEP = 7
PREFIX = "library-"
SUFFIX = ".sqlite3"


@dataclass(frozen=True)
class BackupInfo:
    """One backup as a recovery dialog lists it."""

    path: Path
    date: datetime  # when the file was written (UTC)
    size: int  # bytes
    documents: int | None  # None: the backup cannot be read (damaged, or not a library)


def backups_folder(library: Path | None = None) -> Path:
    """Where the backups of the library at `library` (default: the data folder's) live."""
    if library is None:
        return paths.backups_dir()
    folder = Path(library).parent / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def list_backups(folder: Path | None = None) -> list[Path]:
    """Backups, oldest first (names sort by date; one made on demand sorts after that day's daily one)."""
    folder = folder or paths.backups_dir()
    return sorted(p for p in folder.glob(f"{PREFIX}*{SUFFIX}") if p.is_file())


def daily_backup(library: Library, *, today: datetime | None = None, folder: Path | None = None) -> Path | None:
    """Back the library up unless today's backup exists; keep the last KEEP. Returns the new file,
    or None when there was nothing to do (already made today, by this or another process, or the
    library is empty)."""
    folder = folder or backups_folder(library.path)
    stamp = (today or datetime.now(UTC)).strftime("%Y-%m-%d")
    target = folder / f"{PREFIX}{stamp}{SUFFIX}"
    if target.exists() or not library.documents():
        return None  # an empty library has nothing to lose
    if dbmod.backup_to(library.db, target, replace=False) is None:
        return None  # another process made today's backup at the same moment
    for old in list_backups(folder)[:-KEEP]:
        old.unlink(missing_ok=True)
    _remove_stale_partials(folder)
    return target


def _remove_stale_partials(folder: Path, older_than_s: float = 24 * 3600) -> None:
    """Half-written backups left by a process killed while copying (`backup_to` writes under
    `.<name>.<pid>-<random>.partial`); a day old, no copy can still be running."""
    limit = datetime.now(UTC).timestamp() - older_than_s
    for partial in folder.glob(f".{PREFIX}*.partial"):
        with contextlib.suppress(OSError):
            if partial.stat().st_mtime < limit:
                partial.unlink()


def backup_now(library: Library, *, folder: Path | None = None) -> Path:
    """A backup on demand (File › Back up now…), named by the time: library-YYYY-MM-DDTHHMMSS.sqlite3."""
    folder = folder or backups_folder(library.path)
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%S")
    target = folder / f"{PREFIX}{stamp}{SUFFIX}"
    dbmod.backup_to(library.db, target, replace=True)
    return target


def _open_read_only(path: Path) -> sqlite3.Connection:
    # A URI built by pathlib escapes '?', '#' and '%' in folder names.
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)


def describe_backups(folder: Path | None = None) -> list[BackupInfo]:
    """Backups newest first with their date, size and document count, for a recovery dialog.
    Each is opened read-only through SQLite; one that cannot be read has `documents=None`."""
    found: list[BackupInfo] = []
    for path in reversed(list_backups(folder)):
        try:
            info = path.stat()
        except OSError:
            continue  # deleted meanwhile (another process pruned it)
        documents: int | None
        try:
            con = _open_read_only(path)
            try:
                documents = int(con.execute("SELECT count(*) FROM documents").fetchone()[0])
            finally:
                con.close()
        except (sqlite3.Error, UnicodeDecodeError):
            documents = None
        found.append(BackupInfo(path, datetime.fromtimestamp(info.st_mtime, UTC), info.st_size, documents))
    return found


def check_backup(path: Path) -> int:
    """Open a backup read-only and check it; returns its schema version. Raises InputError."""
    if not path.is_file():
        raise InputError(f"{path}: no such backup; the backups are in {paths.backups_dir()}")
    try:
        con = _open_read_only(path)
        try:
            ok = con.execute("PRAGMA integrity_check").fetchone()[0]
            version = int(con.execute("PRAGMA user_version").fetchone()[0])
            con.execute("SELECT count(*) FROM documents").fetchone()
        finally:
            con.close()
    except (sqlite3.DatabaseError, UnicodeDecodeError) as err:
        raise InputError(f"{path.name} is not a usable DoiChieu library backup ({err})") from err
    if ok != "ok":
        raise InputError(f"{path.name} is damaged itself ({ok}); pick an older backup")
    if version > SCHEMA_VERSION:
        raise InputError(f"{path.name} was written by a newer DoiChieu; update the app to restore it")
    return version


def restore(backup: Path, target: Path | None = None) -> Path | None:
    """Put `backup` in place of the library. The current file, if any, is kept next to it as
    `library.sqlite3.before-restore-<time>` (returned), so a restore can itself be undone.

    Every Library on the file in this process must be closed first (LibraryError otherwise): the
    files are moved with plain file operations. Other DoiChieu programs should be closed too."""
    target = target or paths.library_path()
    dbmod.require_no_connection(target, "restore a backup")
    dbmod.require_no_connection(backup, "restore from it")
    _refuse_library_files(backup, target)
    with safe_write.reading(backup), _readable_copy(backup, target.parent) as readable:
        check_backup(readable)
        safe_write.check_target(target, allow_library=True, protect=[backup])
        # The backup is copied beside the library first, and only then is the library swapped for
        # it: a copy that fails (disk full) leaves the library as it was.
        for stale in target.parent.glob(f".{target.name}.restoring-*"):  # left by a restore that was killed
            with contextlib.suppress(OSError):
                if stale.stat().st_mtime < datetime.now(UTC).timestamp() - 24 * 3600:
                    stale.unlink()
        tmp = keep.unique_path(target.parent, f".{target.name}.restoring-")
        try:
            _copy_through_sqlite(readable, tmp)
            _fsync(tmp)
            # No other process may have the library open while its files are swapped (their next
            # write would land in the file moved aside, or corrupt the new one); while we hold the
            # lock, none can start reading it.
            with wal_guard.exclusive_use(target) as alone:
                if not alone:
                    raise LibraryLockedError(
                        f"the library {target} is open in another program (a DoiChieu window or command); "
                        "close it and restore again"
                    )
                moved = _move_library_aside(target)
                try:
                    os.replace(tmp, target)
                except OSError:
                    _put_back(moved)
                    raise
            _fsync(target.parent)
        except (OSError, sqlite3.Error) as err:
            why = err.strerror if isinstance(err, OSError) and err.strerror else err
            raise LibraryError(f"cannot restore {backup.name} ({why}); the library was left as it was") from err
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
    keep.prune_library_copies(target, "before-restore")
    return moved[0][1] if moved else None


@contextlib.contextmanager
def _readable_copy(backup: Path, near: Path) -> Iterator[Path]:
    """The file to read `backup` through. SQLite makes a -shm beside a WAL it reads, so a backup with a
    -wal beside it is first copied with its -wal into a private folder (no connection to it is open
    yet: THE RULE) and read there; the user's folder gets no new file."""
    wal = Path(f"{backup}-wal")
    if not wal.exists():
        yield backup
        return
    with tempfile.TemporaryDirectory(prefix=".restoring-", dir=near if near.is_dir() else None) as folder:
        copy = Path(folder) / backup.name
        shutil.copyfile(backup, copy)
        shutil.copyfile(wal, f"{copy}-wal")
        yield copy


def _copy_through_sqlite(backup: Path, dest: Path) -> None:
    """A consistent copy of `backup` made by SQLite, read-only: a copy that has its own -wal beside
    it (a library kept aside by an earlier restore, say) comes with what its WAL holds, which a
    copy of the file alone would lose. The result is one self-contained file."""
    source = _open_read_only(backup)
    try:
        target = sqlite3.connect(str(dest), isolation_level=None)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
    finally:
        source.close()


def _fsync(path: Path) -> None:
    with contextlib.suppress(OSError):  # some systems cannot sync a folder
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _refuse_library_files(backup: Path, library: Path) -> None:
    """`restore` given the library itself (or its -wal/-shm, or a link to it) would move it aside
    and then find nothing to copy. (Compared by name and `stat` only: THE RULE.)"""
    for side in ("", "-wal", "-shm", "-journal"):
        other = Path(f"{library}{side}")
        same = os.path.realpath(backup) == os.path.realpath(other)
        if not same:
            with contextlib.suppress(OSError):
                same = os.path.samefile(backup, other)
        if same:
            what = "the library itself" if not side else f"the library's {side} file"
            raise InputError(f"{backup} is {what}, not a backup; choose a backup from {library.parent / 'backups'}")


def _move_library_aside(library: Path) -> list[tuple[Path, Path]]:
    """Rename the library to `<name>.before-restore-<stamp>` (a name no other restore can take) and
    its -wal/-shm beside it: they belong to the old file; with the new one they would corrupt it.
    Returns the (original, kept) pairs, the library's first."""
    kept: Path | None = None
    moved: list[tuple[Path, Path]] = []
    try:
        if library.exists():
            kept = keep.move_aside(library, f"{library.name}.before-restore-")
            moved.append((library, kept))
        for side in ("-wal", "-shm"):
            old = Path(f"{library}{side}")
            if old.exists():
                if kept is None:
                    kept = keep.unique_path(library.parent, f"{library.name}.before-restore-")
                os.replace(old, Path(f"{kept}{side}"))
                moved.append((old, Path(f"{kept}{side}")))
    except OSError as err:
        _put_back(moved)
        raise LibraryError(f"cannot move the current library aside ({err}); close DoiChieu and try again") from err
    return moved


def _put_back(moved: list[tuple[Path, Path]]) -> None:
    for original, aside in reversed(moved):  # never leave no library
        with contextlib.suppress(OSError):
            os.replace(aside, original)
