"""Reports and data out of the library: HTML, PDF, DOCX, Markdown, claims CSV/JSONL and TMX.

`export(library, doc_ids, fmt, out, options)` builds one `Report` (plain data) and hands it to the
writer of the format; the CLI and the GUI both call it."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from app.core import paths
from app.core.errors import DoiChieuError, InputError
from app.core.export.options import EXPORT_FORMATS, FORMATS, PAGE_SIZES, ExportFormat, ExportOptions
from app.core.export.report import Report, build_report, select_documents
from app.core.safe_write import UnsafeTargetError, check_target
from app.core.store import Library

__all__ = ["EXPORT_FORMATS", "FORMATS", "PAGE_SIZES", "ExportError", "ExportFormat", "ExportOptions", "Report",
           "build_report", "export", "select_documents", "write_report"]  # fmt: skip


class ExportError(DoiChieuError):
    """The report could not be written where the user asked."""


def _writer(fmt: str) -> Callable[[Report, Path], Path]:
    # Imported on demand: python-docx and Qt are only loaded for the formats that need them.
    if fmt == "html":
        from app.core.export.html import write_html as w
    elif fmt == "pdf":
        from app.core.export.pdf import write_pdf as w
    elif fmt == "docx":
        from app.core.export.docx import write_docx as w
    elif fmt == "md":
        from app.core.export.markdown import write_markdown as w
    elif fmt == "csv":
        from app.core.export.tabular import write_csv as w
    elif fmt == "jsonl":
        from app.core.export.tabular import write_jsonl as w
    elif fmt == "tmx":
        from app.core.export.tmx import write_tmx as w
    else:
        raise InputError(f"unknown export format {fmt!r}; use one of: {', '.join(FORMATS)}")
    return w


def _checked(path: Path, fmt: str, libraries: Sequence[Path | str]) -> Path:
    try:
        real = check_target(path, libraries=libraries)
    except UnsafeTargetError as err:
        if path.is_dir() and not path.is_symlink():
            raise ExportError(f"{path} is a folder; give a file name, e.g. {path / ('report.' + fmt)}") from err
        raise ExportError(str(err)) from err
    data = Path(os.path.realpath(paths.data_dir()))
    if real.exists() and Path(os.path.realpath(real)).is_relative_to(data):
        # a backup, a model file, a log: a report written over one of them would destroy it
        raise ExportError(
            f"{path} is a file in DoiChieu's data folder; a report may not replace it, choose another place"
        )
    return path


def write_report(report: Report, fmt: str, out: Path | str, *, libraries: Sequence[Path | str] = ()) -> Path:
    """Writes the report through `app.core.safe_write`: never over the library (its -wal/-shm, or
    one of `libraries`), a folder or a device; on any failure nothing is left at `out`."""
    writer = _writer(fmt)
    path = _checked(Path(out), fmt, libraries)
    try:
        return writer(report, path)
    except UnsafeTargetError as err:
        raise ExportError(str(err)) from err
    except PermissionError as err:
        raise ExportError(f"cannot write {path}: permission denied; choose another place") from err
    except OSError as err:
        raise ExportError(f"cannot write {path}: {err.strerror or err}") from err
    except (ValueError, UnicodeError) as err:  # a writer's refusal of some text: say it, in one line
        raise ExportError(f"cannot write {path}: {err}") from err


def export(
    library: Library, doc_ids: Sequence[int], fmt: str, out: Path | str, options: ExportOptions | None = None
) -> Path:
    """Write the report of these documents in format `fmt` (one of FORMATS) to `out`; returns the path."""
    _writer(fmt)  # an unknown format fails before any work
    _checked(Path(out), fmt, [library.path])  # a wrong place fails before any work too
    return write_report(build_report(library, doc_ids, options or ExportOptions()), fmt, out, libraries=[library.path])
