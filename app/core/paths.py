"""Where DoiChieu keeps its files: one data folder per user (the OS convention, or
`DOICHIEU_DATA_DIR` for tests and portable use), holding the library, backups, logs and models."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "DoiChieu"
DATA_DIR_ENV = "DOICHIEU_DATA_DIR"
LIBRARY_FILE = "library.sqlite3"


def data_dir() -> Path:
    """The data folder, created on first use."""
    override = os.environ.get(DATA_DIR_ENV)
    path = Path(override).expanduser() if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def library_path() -> Path:
    return data_dir() / LIBRARY_FILE


def backups_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def logs_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def packages_dir() -> Path:
    """Installed Argos packages live here, never in the user's global Argos folder."""
    path = data_dir() / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path
