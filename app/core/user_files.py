"""Files the user names as input (a TSV to check, a glossary to import...): one check before any open.

Opening a FIFO blocks until a writer comes (forever, for a stray `mkfifo`), and reading /dev/zero or a
link to it never ends. So a named input must be an ordinary file before it is opened, and it is opened
with O_NONBLOCK (a FIFO swapped in after the check still does not block) and checked again on the open
descriptor. Each refusal is one line naming the file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from app.core.errors import FileMissingError, InputError, printable

__all__ = ["MAX_INPUT_BYTES", "read_input", "regular_file"]

MAX_INPUT_BYTES = 256 * 1024**2  # a TSV, TMX or glossary far larger than any real one


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not an ordinary file"


def regular_file(path: str | os.PathLike[str], what: str = "a file") -> Path:
    """`path` if it is (or links to) an ordinary file; else FileMissingError/InputError in one line."""
    p = Path(path)
    shown = printable(str(p))
    try:
        st = p.stat()
    except FileNotFoundError:
        raise FileMissingError(f"File not found: {shown}; check the path") from None
    except OSError as err:
        raise InputError(f"Cannot read {shown}: {err.strerror or err}") from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{shown} is {_kind(st.st_mode)}, not a file; give {what}")
    return p


def read_input(path: str | os.PathLike[str], what: str = "a file", max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of an ordinary file named by the user, at most `max_bytes` (else InputError)."""
    p = regular_file(path, what)
    shown = printable(str(p))
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        raise InputError(f"Cannot read {shown}: {err.strerror or err}") from None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):  # replaced between the check and the open
            raise InputError(f"{shown} is {_kind(st.st_mode)}, not a file; give {what}")
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(f"{shown} is larger than {max_bytes // 1024**2:,} MB; split it into smaller files")
    return data
