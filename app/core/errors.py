"""Typed errors raised by the core. Each carries a one-line message for the user that says what is
wrong and what to do; the CLI prints it on stderr, the GUI shows it in a dialog."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any


class DoiChieuError(Exception):
    """Base class: `str(err)` is the user message. `neutral`, when set, is that message without the
    instructions only one front-end can follow (`main.py models install`, `--password`): the window
    shows it with its own words (Models › Install from file…, the password prompt)."""

    exit_code = 1

    def __init__(self, message: str = "", neutral: str | None = None) -> None:
        super().__init__(message)
        self.neutral = neutral

    def __reduce__(self) -> tuple[type[DoiChieuError], tuple[str, str | None]]:
        return (type(self), (str(self), self.neutral))  # helper-process jobs pickle errors


class InputError(DoiChieuError):
    """The file or text given to us cannot be used as it is."""

    exit_code = 2


class FileMissingError(InputError):
    pass


class EmptyInputError(InputError):
    pass


class BinaryInputError(InputError):
    pass


class UndecodableTextError(InputError):
    pass


class InputTooLargeError(InputError):
    pass


class UnsupportedFormatError(InputError):
    pass


class PdfError(InputError):
    """Base for PDF problems."""


class CorruptPdfError(PdfError):
    pass


class EncryptedPdfError(PdfError):
    pass


class NoTextLayerError(PdfError):
    pass


class PdfTimeoutError(PdfError):
    pass


class LibraryError(DoiChieuError):
    """The library database cannot be opened or written."""

    exit_code = 3


class LibraryCorruptError(LibraryError):
    """The library file is damaged or is not a library at all.

    Carries what a front-end needs to offer a way out, and no front-end wording: `path` is the
    library, `backups` the daily backups next to it (newest first, possibly empty), `damaged_copy`
    the copy of the damaged file kept aside (None when none was made). The CLI adds its
    `main.py restore` hint, the window a recovery dialog."""

    def __init__(
        self,
        message: str,
        path: Path | None = None,
        backups: Sequence[Path] = (),
        damaged_copy: Path | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.backups: list[Path] = list(backups)
        self.damaged_copy = damaged_copy

    def __reduce__(self) -> tuple[type[DoiChieuError], tuple[Any, ...]]:
        # Helper-process jobs pickle errors: keep the structured fields across the pipe.
        return (type(self), (str(self), self.path, self.backups, self.damaged_copy))


class LibraryLockedError(LibraryError):
    """Another program holds the library's lock past the busy timeout."""


class DiskFullError(LibraryError):
    """A write to the library failed for lack of space (nothing of it was saved)."""


class NotFoundError(DoiChieuError):
    """A document, claim, tag or package the user named does not exist."""

    exit_code = 4


class ModelError(DoiChieuError):
    """Translation models: missing, invalid, or failing."""

    exit_code = 5


class ModelMissingError(ModelError):
    pass


class BadPackageError(ModelError):
    pass


class CancelledError(DoiChieuError):
    """The user cancelled a long job; work done so far is kept."""

    exit_code = 130


def printable(text: str) -> str:
    """`text` as valid UTF-8 for a message, a title or a terminal: a name that is not valid UTF-8
    (argv and file names on POSIX carry its bytes as lone surrogates) shows those bytes as U+FFFD."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate that no byte produced
        return text.encode("utf-8", "replace").decode("utf-8")
