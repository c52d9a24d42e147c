"""Automatic daily backups of the library and restoring one.

A backup is a consistent copy made with SQLite's backup API (safe while the app writes). At most one
a day is made when the app or a command opens the library; the last `KEEP` are kept."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from app.core import paths
from app.core.errors import InputError, LibraryError
from app.core.store.library import Library
from app.core.store.schema import SCHEMA_VERSION

KEEP = 7
PREFIX = "library-"
SUFFIX = ".sqlite3"


def list_backups(folder: Path | None = None) -> list[Path]:
    """Daily backups, oldest first."""
    folder = folder or paths.backups_dir()
    return sorted(p for p in folder.glob(f"{PREFIX}*{SUFFIX}") if p.is_file())


def latest_backup(folder: Path | None = None) -> Path | None:
    found = list_backups(folder)
    return found[-1] if found else None


def daily_backup(library: Library, *, today: datetime | None = None, folder: Path | None = None) -> Path | None:
    """Back the library up unless today's backup exists; keep the last KEEP. Returns the new file."""
    folder = folder or paths.backups_dir()
    stamp = (today or datetime.now(UTC)).strftime("%Y-%m-%d")
    target = folder / f"{PREFIX}{stamp}{SUFFIX}"
    if target.exists() or not library.documents():
        return None  # an empty library has nothing to lose
    library.backup(target)
    for old in list_backups(folder)[:-KEEP]:
        old.unlink(missing_ok=True)
    return target


def check_backup(path: Path) -> int:
    """Open a backup read-only and check it; returns its schema version. Raises InputError."""
    if not path.is_file():
        raise InputError(f"{path}: no such backup; the backups are in {paths.backups_dir()}")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
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
    Close every open Library on the file first."""
    target = target or paths.library_path()
    check_backup(backup)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    kept: Path | None = None
    if target.exists():
        kept = target.with_name(f"{target.name}.before-restore-{stamp}")
        try:
            target.replace(kept)
        except OSError as err:
            raise LibraryError(f"cannot move the current library aside ({err}); close DoiChieu and try again") from err
    for side in ("-wal", "-shm"):  # they belong to the old file; with the new one they would corrupt it
        old = target.with_name(target.name + side)
        if old.exists():
            old.replace(old.with_name(f"{target.name}.before-restore-{stamp}{side}"))
    tmp = target.with_name(target.name + ".restoring")
    shutil.copyfile(backup, tmp)
    tmp.replace(target)
    return kept
