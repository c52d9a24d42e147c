"""What every CLI module shares: writing a line of output and opening the library."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.core.store import Library


def write_line(text: str) -> None:
    # Always UTF-8, whatever the console's code page (Windows consoles default to cp1252).
    from app.core.errors import printable  # names that are not valid UTF-8 show U+FFFD

    sys.stdout.buffer.write((printable(text) + "\n").encode("utf-8"))
    sys.stdout.flush()


def open_library() -> Library:
    """The session's library (open + today's backup + default tags), as the window opens it."""
    # Imported here: `clean` and the PDF child process start through app.cli and need no database.
    from app.core.errors import LibraryCorruptError
    from app.core.services.session import open_session

    try:
        lib = open_session()
    except LibraryCorruptError as err:
        if not err.backups:
            raise
        hint = f"; restore the last backup with `main.py restore {err.backups[0]}`"
        raise LibraryCorruptError(str(err) + hint, err.path, err.backups, err.damaged_copy) from err
    for notice in lib.notices:  # e.g. a stale -wal set aside: on stderr, the output stays the command's
        sys.stderr.write(f"note: {notice}\n")
    return lib
