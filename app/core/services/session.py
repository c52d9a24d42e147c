"""Opening a working session on the library: the one way both the window and the command line start.

`open_session()` opens (creating if needed) and checks the library, makes the day's backup if there
is none yet, and makes sure the default tags exist. A damaged library raises `LibraryCorruptError`
carrying its path and backups (newest first) so each front-end can offer a restore in its own words;
`backups.describe_backups()` gives what a recovery dialog lists, `backups.restore()` puts one back."""

from __future__ import annotations

from pathlib import Path

from app.core import paths
from app.core.store import Library
from app.core.store.backups import backup_now, backups_folder, daily_backup, describe_backups, restore
from app.core.store.claims import ClaimStore

__all__ = ["backup_now", "backups_folder", "describe_backups", "open_session", "restore"]


def open_session(path: Path | str | None = None) -> Library:
    """The library at `path` (default: the data folder's), open and ready: today's backup made
    (at most one a day, none while the library is empty) and the default tags present.

    Raises LibraryCorruptError (damaged / not a library: `.path`, `.backups`), LibraryLockedError,
    DiskFullError or LibraryError, each with a one-line message. The caller closes the Library and
    shows `lib.notices` (what opening did to the library's files, e.g. a stale -wal set aside)."""
    target = Path(path) if path is not None else paths.library_path()
    lib = Library.open(target)
    try:
        daily_backup(lib, folder=backups_folder(target))
        ClaimStore(lib).ensure_default_tags()
    except BaseException:
        lib.close()
        raise
    return lib
