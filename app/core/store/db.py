"""Opening the library file: connection settings, integrity check, migrations, transactions, backups.

This package is the only code that writes SQL. Settings follow qutebrowser's `misc/sql.py`: WAL so
readers never block the writer and a killed process leaves a consistent file, foreign keys on, a busy
timeout instead of instant "database is locked" errors, and `quick_check` before anything is written."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from app.core.errors import LibraryCorruptError, LibraryError, LibraryLockedError
from app.core.store.schema import MIGRATIONS, SCHEMA_VERSION

BUSY_TIMEOUT_MS = 5000


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def connect(path: Path) -> sqlite_utils.Database:
    """A raw connection with our settings; no checks, no migrations."""
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.OperationalError as err:
        raise LibraryError(
            f"{path}: cannot open the library ({err}); check that the folder exists and is writable"
        ) from err
    db = sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return db


def schema_version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite_utils.Database, target: int = SCHEMA_VERSION) -> int:
    """Run migrations up to `target`; returns the version reached."""
    version = schema_version(db)
    if version > SCHEMA_VERSION:
        raise LibraryError(
            f"this library was written by a newer DoiChieu (schema {version}, this app knows {SCHEMA_VERSION}); "
            "update the app to open it"
        )
    for number in range(version + 1, target + 1):
        with db.atomic():
            # executescript() would COMMIT first; run the statements one by one inside our transaction.
            for statement in _statements(MIGRATIONS[number - 1]):
                db.conn.execute(statement)
            db.conn.execute(f"PRAGMA user_version = {number}")
    return schema_version(db)


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


def check_integrity(db: sqlite_utils.Database, path: Path) -> None:
    """`quick_check`; on failure keep a copy of the damaged file next to it and raise."""
    conn = db.conn
    conn.text_factory = lambda b: b.decode("utf-8", "replace")  # damage can garble the report itself
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as err:
        rows = [str(err)]
    except UnicodeDecodeError:  # SQLite's own error message quoted garbage bytes from the file
        rows = ["the file's internal structure is damaged"]
    finally:
        conn.text_factory = str
    if rows == ["ok"]:
        return
    copy = _keep_damaged_copy(path)
    raise LibraryCorruptError(
        f"the library {path} is damaged ({rows[0]}); a copy was kept as {copy.name}. {_restore_hint(path)}"
    )


def _restore_hint(path: Path) -> str:
    backups = sorted((path.parent / "backups").glob("library-*.sqlite3"))
    if backups:
        return f"Restore the last backup with `main.py restore {backups[-1]}`"
    return "There is no backup yet: move the damaged file away to start a new library"


def _keep_damaged_copy(path: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    copy = path.with_name(f"{path.name}.damaged-{stamp}")
    with contextlib.suppress(OSError):
        shutil.copy2(path, copy)
        wal = path.with_name(path.name + "-wal")
        if wal.exists():
            shutil.copy2(wal, copy.with_name(copy.name + "-wal"))
    return copy


def set_wal(db: sqlite_utils.Database) -> None:
    mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
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
            f"cannot create the data folder {path.parent} ({err.strerror}); set DOICHIEU_DATA_DIR to a writable folder"
        ) from err
    _check_writable(path)
    db = connect(path)
    try:
        if not _looks_like_sqlite(path):
            raise LibraryCorruptError(f"{path} is not a DoiChieu library (not an SQLite file). {_restore_hint(path)}")
        check_integrity(db, path)
        set_wal(db)
        migrate(db)
    except sqlite3.OperationalError as err:
        db.close()
        if "locked" in str(err) or "busy" in str(err):
            raise LibraryLockedError(
                f"the library {path} is locked by another program; close other DoiChieu windows and try again"
            ) from err
        raise LibraryError(f"cannot open the library {path}: {err}") from err
    except sqlite3.DatabaseError as err:
        db.close()
        raise LibraryCorruptError(f"the library {path} is damaged ({err}). {_restore_hint(path)}") from err
    except BaseException:
        db.close()
        raise
    return db


def _check_writable(path: Path) -> None:
    """A read-only library would otherwise fail deep inside SQLite (WAL needs its -shm file) and
    look damaged; say what it is instead."""
    where = path if path.exists() else path.parent
    if not os.access(where, os.W_OK) or not os.access(path.parent, os.W_OK | os.X_OK):
        raise LibraryError(
            f"the library {path} is read-only here (no permission to write to {where}); give yourself write "
            "access to that folder, or set DOICHIEU_DATA_DIR to a writable folder"
        )


def _looks_like_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError:
        return True  # not created yet: sqlite will create it
    return not head or head == b"SQLite format 3\x00"


def backup_to(db: sqlite_utils.Database, dest: Path) -> Path:
    """A consistent copy through SQLite's backup API, safe while other connections write."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".partial")
    tmp.unlink(missing_ok=True)
    target = sqlite3.connect(str(tmp))
    try:
        db.conn.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
    finally:
        target.close()
    tmp.replace(dest)  # never leave a half-written file under the final name
    return dest
