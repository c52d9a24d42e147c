"""Where DoiChieu keeps its files: one data folder per user (the OS convention, or
`DOICHIEU_DATA_DIR` for tests and portable use), holding the library, backups, logs and models."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "DoiChieu"
DATA_DIR_ENV = "DOICHIEU_DATA_DIR"
LIBRARY_FILE = "library.sqlite3"


def _folder(path: Path, what: str) -> Path:
    """`path` created if missing; a file, pipe or link to one in the way is one line (LibraryError)."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        from app.core.errors import LibraryError

        raise LibraryError(
            f"{what} {path} is not a folder; move that file away, or set {DATA_DIR_ENV} to another folder"
        ) from None
    except OSError as err:
        from app.core.errors import LibraryError

        raise LibraryError(f"cannot create {what} {path}: {err.strerror or err}") from None
    return path


def data_dir() -> Path:
    """The data folder, created on first use."""
    override = os.environ.get(DATA_DIR_ENV)
    path = Path(override).expanduser() if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return _folder(path, "the data folder")


def library_path() -> Path:
    return data_dir() / LIBRARY_FILE


def backups_dir() -> Path:
    return _folder(data_dir() / "backups", "the backups folder")


def logs_dir() -> Path:
    return _folder(data_dir() / "logs", "the logs folder")


def packages_dir() -> Path:
    """Installed Argos packages live here, never in the user's global Argos folder."""
    return _folder(data_dir() / "models", "the models folder")
