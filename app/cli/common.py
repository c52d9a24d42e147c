"""What every CLI module shares: writing a line of output and opening the library."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.core.store import Library


def write_line(text: str) -> None:
    # Always UTF-8, whatever the console's code page (Windows consoles default to cp1252).
    sys.stdout.buffer.write((text + "\n").encode("utf-8"))
    sys.stdout.flush()


def open_library() -> Library:
    # Imported here: `clean` and the PDF child process start through app.cli and need no database.
    from app.core.store import Library
    from app.core.store.backups import daily_backup

    lib = Library.open()
    daily_backup(lib)  # at most once a day; cheap otherwise
    return lib
