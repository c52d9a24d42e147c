"""Import a batch of files and folders: the window (drop, File › Import…, the helper process) and
`main.py import` both call this, so both take the same files from a folder and say the same things.

Each item is imported, found already in the library, or refused with its reason; a bad item never
stops the rest. A password-protected PDF is set aside (`locked`) so the window can ask for it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.errors import DoiChieuError, EncryptedPdfError
from app.core.progress import Cancel, Progress, null_progress

if TYPE_CHECKING:  # the window imports this module at start-up: the pipeline loads when a batch runs
    from app.core.pipeline import ImportOutcome
    from app.core.store import Library

# What a folder gives: the kinds the importer reads (its file dialog shows these too).
# Images (scans, photos of pages) are read by OCR (issue 17: app/core/ingest/ocr.py).
IMPORTABLE_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff")
MAX_FOLDER_FILES = 500  # a home folder named by mistake must not start thousands of imports


def importable(path: Path) -> bool:
    return path.suffix.lower() in IMPORTABLE_SUFFIXES


def file_dialog_filter() -> str:
    """The file dialog's filter for importable documents (Qt's "Name (*.a *.b)" form)."""
    return "Documents (" + " ".join(f"*{s}" for s in IMPORTABLE_SUFFIXES) + ")"


@dataclass
class Expanded:
    files: list[Path] = field(default_factory=list)
    refused: list[tuple[Path, str]] = field(default_factory=list)


def expand_paths(paths: Iterable[Path | str]) -> Expanded:
    """Files as named, and for each folder the importable files inside it (and its subfolders), in
    name order, up to MAX_FOLDER_FILES. A file of another kind is kept: the importer says why it
    refuses it (.docx, .odt...)."""
    out = Expanded()
    for item in paths:
        path = Path(item)
        if not path.is_dir():
            out.files.append(path)
            continue
        found = sorted(p for p in path.rglob("*") if importable(p) and p.is_file())
        if not found:
            out.refused.append((path, "the folder holds no text, Markdown, PDF or image files"))
        out.files.extend(found[:MAX_FOLDER_FILES])
        if len(found) > MAX_FOLDER_FILES:
            out.refused.append((path, f"only the first {MAX_FOLDER_FILES} files of the folder were taken"))
    return out


@dataclass
class BatchResult:
    imported: list[ImportOutcome] = field(default_factory=list)  # new documents and ones already there
    refused: list[tuple[Path, str]] = field(default_factory=list)  # with the reason, one line each
    locked: list[tuple[Path, str]] = field(default_factory=list)  # PDFs that need their password

    @property
    def created(self) -> int:
        return sum(o.created for o in self.imported)


def import_batch(
    library: Library,
    paths: Iterable[Path | str],
    *,
    password: str = "",
    progress: Progress = null_progress,
    cancel: Cancel = lambda: False,
    on_item: Callable[[Path, ImportOutcome | None, str], None] | None = None,
) -> BatchResult:
    """Import files and folders (see `expand_paths`). `progress(done, total, message)` reports each
    file's stages, prefixed with its name and place in the batch; `on_item(path, outcome, why)` is
    called after each item (outcome None: refused or locked, for `why`)."""
    from app.core.pipeline import import_file

    expanded = expand_paths(paths)
    result = BatchResult(refused=list(expanded.refused))
    for path, why in expanded.refused:
        if on_item:
            on_item(path, None, why)
    files = expanded.files
    for n, path in enumerate(files, start=1):
        if cancel():
            result.refused.extend((p, "not imported: cancelled") for p in files[n - 1 :])
            break
        label = f"Importing {path.name} ({n}/{len(files)})"

        def stage(done: int, total: int, message: str, label: str = label) -> None:
            progress(done, total, f"{label}: {message}")

        try:
            outcome = import_file(library, path, stage, password, cancel)
        except EncryptedPdfError as err:
            result.locked.append((path, err.neutral or str(err)))  # on_item gets the CLI's words
            if on_item:
                on_item(path, None, str(err))
            continue
        except DoiChieuError as err:
            result.refused.append((path, err.neutral or str(err)))
            if on_item:
                on_item(path, None, str(err))
            continue
        result.imported.append(outcome)
        if on_item:
            on_item(path, outcome, "")
    return result
