"""Checks made before this process opens its first connection to the library: an empty library file
that should not be empty, and a `-wal` file that does not belong to the library.

## A stale -wal

SQLite replays whatever `library.sqlite3-wal` lies beside the library when it opens it. It checks
that the WAL's frames agree with the WAL's own header (salts, checksums), never that the WAL was
written for *this* database file. A WAL copied in from elsewhere (a cloud-sync client restoring
files of another device, a user copying files around) is therefore replayed into the library:
another library's pages mixed into ours, and `integrity_check` fails.

Nothing in a database file names its WAL (the salts are random per WAL), and a page-by-page
comparison cannot tell an old or foreign WAL from a legitimate one. So we record it ourselves, in a
small sidecar `library.sqlite3.state`, whether the library's last session **closed cleanly**:

- `in-use` is written (synced) by every process once the library is in WAL mode and before its
  first write, while SQLite's SHARED lock is already held;
- `closed-cleanly` is written when this process closes its last connection, only if no process has
  the library open any more (see the lock probe below) and SQLite deleted the WAL (a clean close by
  the last user checkpoints and deletes it).

A `-wal` with content found when the state is `closed-cleanly` was therefore not written by a
DoiChieu session of this library: it is renamed `library.sqlite3-wal.set-aside-<stamp>` (kept, never
deleted) and reported, never replayed. With any other state (`in-use`: the last session crashed or
is still running; no sidecar: a library older than this check) the WAL holds acknowledged writes and
SQLite replays it as before. A WAL beside a library file that does not exist is always set aside.

A WAL that another process is using right now must never be touched. While a connection has a
WAL-mode library open, SQLite holds a SHARED lock on the database file for the connection's whole
life (that is how SQLite itself tells the last connection, which checkpoints and deletes the WAL).
Before deciding, we take an exclusive lock on SQLite's SHARED byte range, without waiting: if we get
it, no process has the library open, and while we hold it none can start reading it (its SHARED lock
waits on ours, within its busy timeout), so the check and the rename are atomic for SQLite's users;
if we do not get it, someone has it open and we leave the files alone. The two sidecar writes are
ordered by the same lock: `closed-cleanly` only under our exclusive lock, `in-use` only under a
SHARED lock, so a session can never be running while the state says `closed-cleanly`.

The probe opens the database file with plain file I/O, which THE RULE in `store/db.py` forbids
while this process holds a connection to it (closing our descriptor would drop SQLite's POSIX
locks). So the checks run only when this process has no connection to the library, under a
process-wide lock that `open_database` also holds while it connects.

The same checks set aside, whatever the state: a `-wal`, `-shm` or `-journal` that is not a regular
file (a folder, a pipe, a link to /dev/null that would swallow every write), and a rollback journal
beside a library whose header says WAL (SQLite would play it back as a "hot journal"). A library
file that is a folder or a pipe is refused; an empty one where a library lived before (backups, or a
clean last close) is refused as damaged, never started afresh.

What this cannot catch: a WAL written by another program (the `sqlite3` shell) that then crashed,
after our last clean close: it is set aside, not replayed (it is kept, and reported). Data folders
in cloud-sync folders or on network shares remain unsupported (README).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from app.core.store import keep

STATE_SUFFIX = ".state"
IN_USE = "in-use"
CLEAN = "closed-cleanly"

# SQLite's lock bytes (os_unix.c / os_win.c): SHARED locks are taken on SHARED_SIZE bytes from
# SHARED_FIRST; an exclusive lock on that whole range conflicts with every SHARED lock.
PENDING_BYTE = 0x40000000
SHARED_FIRST = PENDING_BYTE + 2
SHARED_SIZE = 510

_guard = threading.RLock()
_notices_lock = threading.Lock()
_notices: dict[str, list[str]] = {}


def state_path(library: Path) -> Path:
    return library.with_name(library.name + STATE_SUFFIX)


def wal_path(library: Path) -> Path:
    return library.with_name(library.name + "-wal")


def read_state(library: Path) -> str:
    try:
        return state_path(library).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def _write_state(library: Path, state: str) -> None:
    """`in-use` is synced to disk before the session's first write (a power cut must not leave
    `closed-cleanly` beside a WAL of acknowledged writes). `closed-cleanly` is not: if it is lost,
    the state stays `in-use` or reads as garbage, both of which replay (the safe side); this saves
    two fsyncs (~12 ms) on every close."""
    from app.core import safe_write
    from app.core.errors import DoiChieuError

    # (And a WAL that a power cut brings back beside a durable `closed-cleanly` was checkpointed,
    # synced, before SQLite deleted it: setting it aside loses nothing.)
    target = state_path(library)
    tmp: Path | None = None
    try:
        if state == IN_USE:
            safe_write.write_text(target, state + "\n")
        else:
            tmp = keep.unique_path(target.parent, f".{target.name}.")
            tmp.write_text(state + "\n", encoding="utf-8")
            os.replace(tmp, target)
    except (OSError, DoiChieuError):
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
        # Not written (a full disk...): no state at all is the safe default (a -wal is replayed);
        # a `closed-cleanly` left in place while a session runs is not.
        with contextlib.suppress(OSError):
            state_path(library).unlink(missing_ok=True)


def _key(library: Path) -> str:
    return os.path.normcase(os.path.realpath(library))


def _real(library: Path) -> Path:
    """The file SQLite opens: it resolves symbolic links, and its -wal/-shm lie beside the target."""
    return Path(os.path.realpath(library))


def _notify(library: Path, message: str) -> None:
    with _notices_lock:
        _notices.setdefault(_key(library), []).append(message)


def take_notices(library: Path) -> list[str]:
    """Messages about what the checks did to the files of `library` (e.g. a -wal set aside),
    once each; a front-end shows them after opening the library."""
    with _notices_lock:
        return _notices.pop(_key(library), [])


@contextlib.contextmanager
def _nobody_has_it_open(library: Path) -> Iterator[bool]:
    """Yields True while holding an exclusive lock on SQLite's SHARED range of `library` (no
    process has it open, and none can start reading it meanwhile); False if another process
    holds the library, or the file cannot be locked (then nothing may be decided)."""
    with _probe(library) as fd:
        yield fd is not None


@contextlib.contextmanager
def _probe(library: Path) -> Iterator[int | None]:
    """`_nobody_has_it_open`, yielding the locked descriptor (None: not alone). Read the file only
    through this descriptor while it is held: closing any other descriptor of the file would drop
    the lock (POSIX)."""
    try:
        fd = os.open(library, os.O_RDWR | getattr(os, "O_BINARY", 0))
    except OSError:
        yield None
        return
    try:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, SHARED_FIRST, os.SEEK_SET)
            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, SHARED_SIZE)
            except OSError:
                yield None
                return
            try:
                yield fd
            finally:
                os.lseek(fd, SHARED_FIRST, os.SEEK_SET)
                with contextlib.suppress(OSError):
                    msvcrt.locking(fd, msvcrt.LK_UNLCK, SHARED_SIZE)
        else:
            import fcntl

            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, SHARED_SIZE, SHARED_FIRST, os.SEEK_SET)
            except OSError:
                yield None
                return
            yield fd  # closing the descriptor below releases the lock
    finally:
        os.close(fd)


def _has_earlier_use(library: Path) -> bool:
    """Signs that a library lived here before: backups, or a last session that closed cleanly."""
    backups = library.parent / "backups"
    with contextlib.suppress(OSError):
        if any(p.is_file() and p.stat().st_size > 0 for p in backups.iterdir()):
            return True
    return read_state(library) == CLEAN


def _is_regular(path: Path) -> bool | None:
    """True for a regular file, False for anything else (folder, pipe, device, symbolic link),
    None when there is nothing there. `lstat`: opens nothing."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return None


def _set_aside(library: Path, side: str, why: str) -> None:
    """Rename the library's `side` file ("-wal" or "-shm") to `<name>.set-aside-<stamp>` (kept,
    bounded) and say so. Setting the WAL aside removes its index, the -shm, too."""
    path = Path(f"{library}{side}")
    try:
        kept = keep.move_aside(path, f"{path.name}.set-aside-")
    except FileNotFoundError:
        return
    if side == "-wal":
        shm = Path(f"{library}-shm")
        if _is_regular(shm):
            with contextlib.suppress(FileNotFoundError):
                shm.unlink()  # an index of the WAL just moved; nobody has it open
        elif _is_regular(shm) is False:
            _set_aside(library, "-shm", "it is not a regular file")
    keep.prune(
        keep.kept_copies(library.parent, f"{path.name}.set-aside-"),
        keep=keep.LIBRARY_COPIES_KEEP,
        max_bytes=keep.LIBRARY_COPIES_MAX_BYTES,
    )
    what = {"-wal": "a write-ahead log", "-shm": "a shared-memory file"}.get(side, "a rollback journal")
    _notify(
        library,
        f"{what} that does not belong to this library ({why}) was set aside as {kept.name} and not "
        "used; the library is as it was when it was last closed",
    )


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _check_before_first_connection(given: Path) -> None:
    library = _real(given)
    wal = wal_path(library)
    try:
        st = os.stat(library)
    except FileNotFoundError:
        for side in ("-wal", "-shm"):  # a WAL alone would be replayed into a new, empty library
            if _is_regular(Path(f"{library}{side}")) is not None:
                _set_aside(library, side, "it lay beside a missing library file")
        return
    except OSError:
        return  # SQLite will say what is wrong
    if not stat.S_ISREG(st.st_mode):
        from app.core.errors import LibraryError

        raise LibraryError(
            f"{given} is {_kind(st.st_mode)}, not a library file; move it away, or set DOICHIEU_DATA_DIR "
            "to another folder"
        )
    if st.st_size == 0 and _has_earlier_use(library):
        from app.core.store import db as dbmod

        raise dbmod.corrupt_error(library, "the file is empty (0 bytes)", keep_copy=False)
    # A -wal or -shm that is a folder, a pipe, a device or a link (to /dev/zero, say: every write
    # acknowledged and lost) is never SQLite's own: set aside whatever the state says.
    odd = [side for side in ("-wal", "-shm", "-journal") if _is_regular(Path(f"{library}{side}")) is False]
    if odd:
        with _nobody_has_it_open(library) as alone:
            for side in odd if alone else ():
                _set_aside(library, side, "it is not a regular file")
    _check_journal(library)
    try:
        wal_size = os.stat(wal).st_size
    except OSError:
        return
    if wal_size == 0 or read_state(library) != CLEAN:
        return  # nothing to replay, or the last session did not close cleanly: SQLite replays it
    with _nobody_has_it_open(library) as alone:
        # Decided again under the lock: the state and the WAL may have changed since.
        if alone and read_state(library) == CLEAN and os.path.exists(wal):
            _set_aside(library, "-wal", "the library's last session had closed cleanly")


def _check_journal(library: Path) -> None:
    """A rollback journal (`-journal`) beside a library in WAL mode is not its own: SQLite would
    still play it back into the file as a "hot journal" (a foreign one made the library malformed).
    A library's own journal exists only while it is not in WAL mode yet (header bytes 18-19 = 1),
    or, beside a header saying WAL, for the one transaction that switched it, whose page is already
    complete in the file: setting that aside loses nothing either."""
    journal = Path(f"{library}-journal")
    try:
        if os.stat(journal).st_size == 0:
            return
    except OSError:
        return
    with _probe(library) as fd:
        if fd is None:
            return  # in use: SQLite's own locking decides
        os.lseek(fd, 0, os.SEEK_SET)
        header = os.read(fd, 20)
        if len(header) == 20 and header[:16] == b"SQLite format 3\x00" and header[18] == header[19] == 2:
            _set_aside(library, "-journal", "the library uses a write-ahead log, not a rollback journal")


@contextlib.contextmanager
def opening(library: Path) -> Iterator[None]:
    """Around the connect() of `open_database`: when this process has no connection to `library`
    yet, check the files first (may raise LibraryCorruptError for an empty file that had a life;
    may set a stale -wal aside). The process-wide lock keeps other threads from connecting while
    the probe's descriptor is open."""
    from app.core.store import db as dbmod

    with _guard:
        if dbmod.connections_open(library) == 0:
            _check_before_first_connection(library)
        yield


@contextlib.contextmanager
def exclusive_use(library: Path) -> Iterator[bool]:
    """For plain file operations on the library's files (restore): True while no process has it
    open and none can start reading it (our lock on SQLite's SHARED range, held for the block);
    False when another process has it open. A missing library is free. On Windows True without a
    lock: there, renaming a file that another process has open fails by itself. The caller holds
    no connection to it (THE RULE)."""
    library = _real(library)
    with _guard:
        if sys.platform == "win32" or not os.path.exists(library):
            yield True
            return
        with _nobody_has_it_open(library) as alone:
            yield alone


def mark_in_use(library: Path, conn: sqlite3.Connection) -> None:
    """Once the library is in WAL mode, before this connection's first write. The read first makes
    SQLite take (and, in WAL mode, keep) its SHARED lock, which orders this write after any
    `closed-cleanly` (see the module's docstring)."""
    library = _real(library)
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    if read_state(library) != IN_USE:
        _write_state(library, IN_USE)


def mark_closed(library: Path) -> None:
    """After this process closed a connection to `library`: if it was the last one anywhere and
    SQLite deleted the WAL, record that the library closed cleanly."""
    from app.core.store import db as dbmod

    library = _real(library)
    with _guard:
        if dbmod.connections_open(library) or os.path.exists(wal_path(library)):
            return
        if read_state(library) == CLEAN:
            return
        with _nobody_has_it_open(library) as alone:
            if alone and not os.path.exists(wal_path(library)):
                _write_state(library, CLEAN)
