"""What every CLI module shares: writing a line of output and opening the library."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.core.store import Library


# Characters that a terminal obeys instead of showing: C0 controls but newline and tab (ESC starts
# colour, title and cursor sequences; CR and backspace overwrite what was printed), DEL, the C1 controls
# (0x9b is a one-byte CSI on some terminals) and the bidirectional overrides/isolates (they reorder what
# is shown). Text from the library or from a file (a title, a note, a tag) reaches the terminal only
# through for_terminal, which writes each as a visible `\uXXXX`: the same escape JSON uses, so a JSON
# output stays valid JSON holding the same string.
_TERMINAL_CONTROLS = {
    code: f"\\u{code:04x}"
    for code in [*range(0x20), 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
    if chr(code) not in "\n\t"
}


def for_terminal(text: str) -> str:
    """`text` safe to print: valid UTF-8 (see errors.printable), controls shown as `\\uXXXX`."""
    from app.core.errors import printable  # names that are not valid UTF-8 show U+FFFD

    return printable(text).replace("\r\n", "\n").translate(_TERMINAL_CONTROLS)


def write_line(text: str) -> None:
    # Always UTF-8, whatever the console's code page (Windows consoles default to cp1252).
    sys.stdout.buffer.write((for_terminal(text) + "\n").encode("utf-8"))
    sys.stdout.flush()


def write_error(text: str) -> None:
    """One line on stderr, made safe as write_line's are."""
    sys.stderr.write(for_terminal(text) + "\n")  # stderr's errors="backslashreplace" covers any code page
    sys.stderr.flush()


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
        write_error(f"note: {notice}")
    return lib


class ProgressBar:
    """A one-line bar on stderr, redrawn in place on a terminal, one line per tenth otherwise; counts
    are shown in `unit` (divided by `scale`: bytes as MB). Takes the core's progress(done, total, message)."""

    def __init__(self, label: str, unit: str, scale: float = 1) -> None:
        self.label, self.unit, self.scale = label, unit, scale
        self.tty = sys.stderr.isatty()
        self.last_tenth = -1

    def __call__(self, done: int, total: int, message: str = "") -> None:
        if total <= 0:
            return
        width = 30
        filled = width * min(done, total) // total
        amount = f"{done}/{total}" if self.scale == 1 else f"{done / self.scale:.1f}/{total / self.scale:.1f}"
        line = f"{self.label} [{'#' * filled}{'.' * (width - filled)}] {amount} {self.unit}"
        if self.tty:
            sys.stderr.write("\r" + line + ("\n" if done >= total else ""))
        elif (tenth := 10 * done // total) != self.last_tenth:
            self.last_tenth = tenth
            sys.stderr.write(line + "\n")
        sys.stderr.flush()
