"""Typed errors raised by the core. Each carries a one-line message for the user that says what is
wrong and what to do; the CLI prints it on stderr, the GUI shows it in a dialog."""

from __future__ import annotations


class DoiChieuError(Exception):
    """Base class: `str(err)` is the user message."""

    exit_code = 1


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
    pass


class LibraryLockedError(LibraryError):
    pass


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
