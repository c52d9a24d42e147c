"""Opening the library file: connection settings, integrity check, migrations, transactions, backups.

    ┌────────────────────────────────────────────────────────────────────────────────────────────┐
    │ THE RULE: never open, read, copy, move or check the library file, or its -wal / -shm, with │
    │ plain file I/O (open(), shutil, Path.read_bytes...) while this process holds ANY SQLite      │
    │ connection to it. On POSIX, closing any descriptor of a file drops every lock the process   │
    │ holds on it; another process then thinks it is alone, checkpoints and deletes the WAL under │
    │ us, and our next write corrupts the library ("How To Corrupt An SQLite Database File" 2.2). │
    │ Let SQLite read the file (it reports SQLITE_NOTADB / SQLITE_CORRUPT itself). Code that must │
    │ touch the files (restore, keeping a damaged copy) first calls `require_no_connection()`:    │
    │ every connection made here is counted per file in a process-wide registry.                 │
    └────────────────────────────────────────────────────────────────────────────────────────────┘

This package is the only code that writes SQL. Settings follow qutebrowser's `misc/sql.py`: WAL so
readers never block the writer and a killed process leaves a consistent file, foreign keys on, a busy
timeout instead of instant "database is locked" errors, `quick_check` before anything is written, and
SQLite errors told apart by their result code (`library_error`), never by their message text.
Write transactions start with BEGIN IMMEDIATE: a deferred one that read first and then writes gets
SQLITE_BUSY at once when another process wrote meanwhile, without waiting for the busy timeout."""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn, Self

import sqlite_utils

from app.core.errors import DiskFullError, LibraryCorruptError, LibraryError, LibraryLockedError
from app.core.store.schema import MIGRATIONS, SCHEMA_VERSION

BUSY_TIMEOUT_MS = 5000


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# The registry of open connections -----------------------------------------------------------------

_registry_lock = threading.Lock()
_open_counts: dict[str, int] = {}


def _key(path: Path | str) -> str:
    return os.path.normcase(os.path.realpath(os.path.abspath(path)))


class _Registration:
    """One counted connection; released exactly once (by close() or when the connection is collected)."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.released = False
        with _registry_lock:
            _open_counts[key] = _open_counts.get(key, 0) + 1

    def release(self) -> None:
        with _registry_lock:
            if self.released:
                return
            self.released = True
            left = _open_counts.get(self.key, 0) - 1
            if left > 0:
                _open_counts[self.key] = left
            else:
                _open_counts.pop(self.key, None)


class TrackedConnection(sqlite3.Connection):
    """A connection that counts itself in the registry while open. Once `open_database` has checked
    the library it sets `library`: from then on every statement and fetch reports SQLite errors the
    user can act on as our typed errors (`library_error`), reads included."""

    _registration: _Registration | None = None
    library: Path | None = None

    def cursor(self, factory: Any = None) -> Any:
        return super().cursor(factory or _LibraryCursor)

    # Connection.execute() and executemany() make their cursor in C, not through cursor().
    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> Any:
        return self.cursor().executemany(sql, seq_of_parameters)

    def track(self, path: Path | str) -> None:
        reg = _Registration(_key(path))
        self._registration = reg
        weakref.finalize(self, reg.release)  # a connection dropped without close() closes when collected

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self._registration is not None:
                self._registration.release()


def _raise_mapped(conn: sqlite3.Connection, err: sqlite3.Error) -> NoReturn:
    library = getattr(conn, "library", None)
    mapped = library_error(err, library) if library is not None else None
    if mapped is None:
        raise err
    raise mapped from err


class _LibraryCursor(sqlite3.Cursor):
    """A cursor whose SQLite errors go through `library_error` (see TrackedConnection)."""

    def execute(self, sql: str, parameters: Any = (), /) -> Self:
        try:
            return super().execute(sql, parameters)
        except sqlite3.Error as err:
            _raise_mapped(self.connection, err)

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> Self:
        try:
            return super().executemany(sql, seq_of_parameters)
        except sqlite3.Error as err:
            _raise_mapped(self.connection, err)

    def fetchone(self) -> Any:
        try:
            return super().fetchone()
        except sqlite3.Error as err:
            _raise_mapped(self.connection, err)

    def fetchmany(self, size: int | None = None) -> list[Any]:
        try:
            return super().fetchmany(self.arraysize if size is None else size)
        except sqlite3.Error as err:
            _raise_mapped(self.connection, err)

    def fetchall(self) -> list[Any]:
        try:
            return super().fetchall()
        except sqlite3.Error as err:
            _raise_mapped(self.connection, err)

    def __next__(self) -> Any:
        try:
            return super().__next__()
        except sqlite3.Error as err:
            _raise_mapped(self.connection, err)


def connections_open(path: Path | str) -> int:
    """How many connections this process holds to the library at `path` (its -wal/-shm count too)."""
    key = _key(path)
    for side in ("-wal", "-shm"):
        if key.endswith(side):
            key = key[: -len(side)]
    with _registry_lock:
        return _open_counts.get(key, 0)


def require_no_connection(path: Path | str, doing: str) -> None:
    """Refuse plain file I/O on `path` while this process holds a connection to it (see THE RULE)."""
    if connections_open(path):
        raise LibraryError(
            f"cannot {doing} while the library {path} is open in this program; close it first and try again"
        )


# Errors by result code ----------------------------------------------------------------------------

# Primary result codes (https://sqlite.org/rescode.html).
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_NOMEM = 7
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_PROTOCOL = 15
SQLITE_AUTH = 23
SQLITE_NOTADB = 26
# Extended I/O error codes that mean a write or a file's growth was cut short: a full disk or quota.
_WRITE_CUT_SHORT = {
    SQLITE_IOERR | (3 << 8),  # IOERR_WRITE
    SQLITE_IOERR | (4 << 8),  # IOERR_FSYNC
    SQLITE_IOERR | (6 << 8),  # IOERR_TRUNCATE
    SQLITE_IOERR | (19 << 8),  # IOERR_SHMSIZE
}


def error_code(err: sqlite3.Error) -> int:
    """The extended result code of an SQLite error (0 when Python made the error itself)."""
    return int(getattr(err, "sqlite_errorcode", 0) or 0)


def is_damage(err: sqlite3.Error) -> bool:
    return error_code(err) & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB)


def library_error(err: sqlite3.Error, path: Path) -> LibraryError | None:
    """Our typed error for an SQLite error the user can do something about, by result code.
    None for errors that are bugs in our code (constraint violations, SQL errors, misuse): those
    propagate as they are."""
    code = error_code(err)
    primary = code & 0xFF
    if primary in (SQLITE_BUSY, SQLITE_LOCKED, SQLITE_PROTOCOL):
        return LibraryLockedError(
            f"the library {path} is busy in another program (waited {BUSY_TIMEOUT_MS // 1000} s); "
            "close it and try again"
        )
    if primary == SQLITE_FULL or code in _WRITE_CUT_SHORT:
        # A full disk shows as SQLITE_FULL, or as a cut-short write (quota, file size limit).
        return DiskFullError(
            f"could not write to the library {path} ({err}): the disk may be full; free some space and try "
            "again (nothing was saved)"
        )
    if primary == SQLITE_READONLY:
        return LibraryError(f"the library {path} is read-only here; check the folder's permissions")
    if primary in (SQLITE_PERM, SQLITE_AUTH):
        return LibraryError(f"no permission to use the library {path}; check the folder's permissions")
    if primary == SQLITE_CANTOPEN:
        return LibraryError(f"{path}: cannot open the library ({err}); check that the folder exists and is writable")
    if primary == SQLITE_IOERR:
        return LibraryError(f"could not read or write the library {path} (disk I/O error {err.sqlite_errorname})")
    if primary == SQLITE_NOMEM:
        return LibraryError(f"out of memory while using the library {path}; close other programs and try again")
    if primary in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return corrupt_error(path, str(err), keep_copy=False)
    return None


def corrupt_error(path: Path, detail: str, *, keep_copy: bool, not_a_library: bool = False) -> LibraryCorruptError:
    """The error for a damaged library, with its backups (newest first) and, if asked and allowed
    (no connection to it left in this process), a copy of the damaged file kept next to it."""
    backups = sorted((path.parent / "backups").glob("library-*.sqlite3"), reverse=True)
    if not_a_library:
        message = f"{path} is not a DoiChieu library (not an SQLite file)"
        copy = None
    else:
        copy = _keep_damaged_copy(path) if keep_copy else None
        message = f"the library {path} is damaged ({detail})"
        if copy is not None:
            message += f"; a copy was kept as {copy.name}"
    if not backups:
        message += "; there is no backup yet: move the damaged file away to start a new library"
    return LibraryCorruptError(message, path=path, backups=backups, damaged_copy=copy)


def _keep_damaged_copy(path: Path) -> Path | None:
    """Copy the damaged file (and its WAL) aside; None when this process still holds a connection
    to it (THE RULE) or the copy failed."""
    if connections_open(path):
        return None
    from app.core.store import keep

    return keep.keep_damaged_copy(path)  # one copy per distinct damaged file, bounded (store/keep.py)


# Connections ---------------------------------------------------------------------------------------


def connect(path: Path) -> sqlite_utils.Database:
    """A raw connection with our settings, counted in the registry; no checks, no migrations."""
    try:
        conn = sqlite3.connect(
            str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, factory=TrackedConnection
        )
    except sqlite3.Error as err:
        raise library_error(err, path) or LibraryError(
            f"{path}: cannot open the library ({err}); check that the folder exists and is writable"
        ) from err
    assert isinstance(conn, TrackedConnection)
    conn.track(path)
    try:
        db = sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        conn.close()
        raise
    return db


def schema_version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


@contextlib.contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """A write transaction: BEGIN IMMEDIATE (takes the write lock up front, waiting up to the busy
    timeout), or a savepoint when one is already open. Commits together or not at all."""
    if conn.in_transaction:
        name = f"sp_{secrets.token_hex(8)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            if conn.in_transaction:  # an error may already have rolled everything back
                conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        conn.execute(f"RELEASE SAVEPOINT {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def migrate(db: sqlite_utils.Database, target: int = SCHEMA_VERSION) -> int:
    """Run migrations up to `target`, each in its own transaction; returns the version reached.

    Race-free when several processes open a new library at once: each step takes the write lock
    first and re-reads the version under it, so a migration another process ran is not run twice."""
    version = _check_version(schema_version(db))
    while version < target:
        with write_transaction(db.conn):
            version = _check_version(schema_version(db))  # under the write lock now
            if version >= target:
                break
            number = version + 1
            # executescript() would COMMIT first; run the statements one by one inside our transaction.
            for statement in _statements(MIGRATIONS[number - 1]):
                db.conn.execute(statement)
            db.conn.execute(f"PRAGMA user_version = {number}")
            version = number
    return schema_version(db)


def _check_version(version: int) -> int:
    if version > SCHEMA_VERSION:
        raise LibraryError(
            f"this library was written by a newer DoiChieu (schema {version}, this app knows {SCHEMA_VERSION}); "
            "update the app to open it"
        )
    return version


def _statements(script: str) -> Iterator[str]:
    buf = ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--") and not buf.strip():
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                yield buf.strip()
            buf = ""
    if buf.strip():
        raise ValueError(f"incomplete SQL statement in migration: {buf[:60]!r}")


class _Damaged(Exception):
    def __init__(self, detail: str, not_a_library: bool = False) -> None:
        super().__init__(detail)
        self.detail = detail
        self.not_a_library = not_a_library


def _quick_check(db: sqlite_utils.Database) -> None:
    """`quick_check`, SQLite's own reading of the file: it reports a file that is not a database
    (NOTADB) or is damaged (CORRUPT) on the first read. Other errors (busy...) propagate."""
    conn = db.conn
    conn.text_factory = lambda b: b.decode("utf-8", "replace")  # damage can garble the report itself
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as err:
        if not is_damage(err):
            raise
        raise _Damaged(str(err), not_a_library=error_code(err) & 0xFF == SQLITE_NOTADB) from err
    except UnicodeDecodeError as err:  # SQLite's own error message quoted garbage bytes from the file
        raise _Damaged("the file's internal structure is damaged") from err
    finally:
        conn.text_factory = str
    if rows != ["ok"]:
        raise _Damaged(str(rows[0]))


def set_wal(db: sqlite_utils.Database) -> None:
    """WAL journal. Switching a new file to WAL needs a moment alone with it; when processes create
    the library at once SQLite may answer BUSY without waiting, so retry up to the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            break
        except sqlite3.OperationalError as err:
            if error_code(err) & 0xFF not in (SQLITE_BUSY, SQLITE_LOCKED) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)
    if str(mode).lower() != "wal":  # e.g. a read-only folder or a network drive without shared memory
        raise LibraryError(f"cannot use write-ahead logging here (journal mode {mode}); move the data folder")
    # FULL, not WAL's usual NORMAL: a commit then survives a power cut too (NORMAL may lose the last
    # ones). It costs one fsync per transaction, which a user's edit or a whole import pays once.
    db.execute("PRAGMA synchronous = FULL")


def open_database(path: Path) -> sqlite_utils.Database:
    """Open (creating if needed) and check the library file, then bring its schema up to date."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise LibraryError(
            f"cannot create the data folder {path.parent} ({err.strerror}); set DOICHIEU_DATA_DIR to a writable folder",
            neutral=f"cannot create the data folder {path.parent} ({err.strerror})",
        ) from err
    _check_writable(path)
    from app.core.store import wal_guard  # here: wal_guard uses this module

    with wal_guard.opening(path):  # an empty file with backups, a stale -wal: before any connection
        db = connect(path)
    try:
        _quick_check(db)
        set_wal(db)
        wal_guard.mark_in_use(path, db.conn)  # before the first write (migrations)
        migrate(db)
    except _Damaged as damage:
        db.close()  # first: the copy kept aside is plain file I/O (THE RULE)
        raise corrupt_error(path, damage.detail, keep_copy=True, not_a_library=damage.not_a_library) from damage
    except sqlite3.Error as err:
        db.close()
        raise library_error(err, path) or LibraryError(f"cannot open the library {path}: {err}") from err
    except BaseException:
        db.close()
        raise
    if isinstance(db.conn, TrackedConnection):  # checked: from now on SQLite errors reach callers typed
        db.conn.library = path
    return db


def _check_writable(path: Path) -> None:
    """A read-only library would otherwise fail deep inside SQLite (WAL needs its -shm file) and
    look damaged; say what it is instead. (os.access opens nothing: allowed by THE RULE.)"""
    where = path if path.exists() else path.parent
    if not os.access(where, os.W_OK) or not os.access(path.parent, os.W_OK | os.X_OK):
        raise LibraryError(
            f"the library {path} is read-only here (no permission to write to {where}); give yourself write "
            "access to that folder, or set DOICHIEU_DATA_DIR to a writable folder",
            neutral=f"the library {path} is read-only here (no permission to write to {where})",
        )


def backup_to(db: sqlite_utils.Database, dest: Path, *, replace: bool = True) -> Path | None:
    """A consistent copy through SQLite's backup API, safe while other connections write.

    Written under a temporary name unique to this call, then put at `dest` in one step: with
    `replace`, over any file there; without, only if `dest` does not exist yet (returns None when
    another process got there first). Nobody ever sees a half-written backup under `dest`.
    Refused with one line (safe_write's policy): the library and its -wal/-shm, a folder, a
    folder that cannot be created, a device or pipe (a rename would replace `/dev/full` with a
    regular file). A missing folder is created, as a backup always could go to a new folder."""
    from app.core import safe_write

    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise safe_write.UnsafeTargetError(
            f"cannot create the folder {dest.parent} ({err.strerror or err}); choose another place"
        ) from err
    library = str(db.conn.execute("PRAGMA database_list").fetchone()[2] or "")
    dest = safe_write.check_target(dest, libraries=[library] if library else [], allow_kept=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}-{secrets.token_hex(4)}.partial")
    try:
        target = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            db.conn.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
        finally:
            target.close()
        if replace:
            # still a file we may replace
            safe_write.check_target(dest, libraries=[library] if library else [], allow_kept=True)
            os.replace(tmp, dest)
            return dest
        try:
            os.link(tmp, dest)  # atomic and never overwrites: exactly one process wins the name
        except FileExistsError:
            return None
        except OSError:  # a file system without hard links: replacing is still atomic
            if dest.exists():
                return None
            os.replace(tmp, dest)
        return dest
    except sqlite3.Error as err:
        raise _backup_error(err, dest) from err
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def _backup_error(err: sqlite3.Error, dest: Path) -> LibraryError:
    mapped = library_error(err, dest)
    if isinstance(mapped, DiskFullError):
        return DiskFullError(f"could not write the backup {dest.name}: the disk may be full; free some space")
    return LibraryError(f"could not write the backup {dest} ({err})")
