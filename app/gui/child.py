"""Work that runs in a helper process, so CPU-bound core code (PDF layout, segmentation, the
translation engine, claim cues) never holds this process's GIL and the window never stalls.

Imported in the child: no Qt here. Progress goes back through a queue; cancellation comes in as an
event; both are handed over once, when the process starts (`init`). The engine stays loaded in the
child between translation jobs."""

from __future__ import annotations

import contextlib
import os
import queue as queue_mod
import sys
from pathlib import Path
from typing import Any

_progress: Any = None
_cancel: Any = None
_engine: Any = None


def init(progress: Any, cancel: Any) -> None:
    global _progress, _cancel
    _progress, _cancel = progress, cancel
    _lower_priority()


def _lower_priority() -> None:
    """Background work yields the CPU to the window: translation keeps every core busy, and at
    normal priority the GUI thread then waited up to ~100 ms for a time slice on 2 cores."""
    if sys.platform == "win32":
        import ctypes

        below_normal = 0x4000
        with contextlib.suppress(AttributeError, OSError):
            ctypes.windll.kernel32.SetPriorityClass(ctypes.windll.kernel32.GetCurrentProcess(), below_normal)
    else:
        with contextlib.suppress(OSError):
            os.nice(10)


def _report(done: int, total: int, message: str) -> None:
    with contextlib.suppress(queue_mod.Full, AttributeError):
        _progress.put_nowait((done, total, message))


def _cancelled() -> bool:
    return bool(_cancel is not None and _cancel.is_set())


def import_files(
    files: list[Path], password: str = ""
) -> tuple[list[Any], list[tuple[Path, str]], list[tuple[Path, str]]]:
    """(imported, refused with reason, password-protected PDFs with the reason to show when asking).
    Folders are expanded here, as `main.py import` does (`services.imports.import_batch`)."""
    from app.core.services.imports import import_batch
    from app.core.store import Library

    with Library.open() as lib:
        result = import_batch(lib, files, password=password, progress=_report, cancel=_cancelled)
    return result.imported, result.refused, result.locked


def translate(doc_id: int, beam_size: int, reload: bool) -> Any:
    global _engine
    from app.core.store import Library
    from app.core.translate.engine import Engine
    from app.core.translate.memory import translate_document

    if _engine is None or reload:
        _report(0, 0, "Loading the translation model")
        _engine = Engine()
    with Library.open() as lib:
        return translate_document(
            lib,
            doc_id,
            _engine,
            beam_size=beam_size,
            progress=lambda d, t, _m: _report(d, t, f"Translating: {d} of {t} sentences"),
            cancel=_cancelled,
        )


def alternatives(segment_id: int) -> Any:
    """The loaded engine's other translations of one sentence (a wider beam, that sentence only)."""
    global _engine
    from app.core.store import Library
    from app.core.translate.engine import Engine
    from app.core.translate.provenance import ask_alternatives

    if _engine is None:
        _report(0, 0, "Loading the translation model")
        _engine = Engine()
    with Library.open() as lib:
        return ask_alternatives(lib, _engine, segment_id)


def translate_compare(doc_id: int, model: str, beam_size: int) -> Any:
    """Another installed model's translation, into the comparison table (never the current English);
    that engine is loaded for this job only, so the main one stays loaded."""
    from app.core.store import Library
    from app.core.translate.compare import translate_for_comparison
    from app.core.translate.engine import Engine
    from app.core.translate.packages import find_model

    _report(0, 0, f"Loading {model}")
    engine = Engine(find_model(model))
    with Library.open() as lib:
        return translate_for_comparison(
            lib,
            doc_id,
            engine,
            beam_size=beam_size,
            progress=lambda d, t, _m: _report(d, t, f"Comparing with {model}: {d} of {t} sentences"),
            cancel=_cancelled,
        )


def suggestions(doc_id: int) -> list[Any]:
    from app.core.services.suggestions import suggestions_for_reading
    from app.core.store import Library

    with Library.open() as lib:
        return list(suggestions_for_reading(lib, doc_id))


def layout_review(doc_id: int, undone: set[int] | None) -> tuple[Any, tuple[int, int] | None]:
    """The document's repairs; with `undone`, first store exactly those undone (re-cleaning, segmenting
    and storing the whole document: seconds of CPU for a long PDF)."""
    from app.core.services.layout_review import review, set_undone
    from app.core.store import Library

    with Library.open() as lib:
        claims = None
        if undone is not None:
            _report(0, 0, "Re-cleaning the document")
            claims = set_undone(lib, doc_id, undone)
        return review(lib, doc_id), claims


def import_text(text: str, html: str = "") -> Any:
    """A pasted page of a long report is cleaned, segmented and stored here, not on a thread of the
    window's process (a copied web page, `html`, is reduced to its article there too). Errors reach
    the window as they are: the core's typed errors pickle."""
    from app.core.pipeline import import_text as core_import_text
    from app.core.store import Library

    _report(0, 0, "Importing pasted text")
    with Library.open() as lib:
        return core_import_text(lib, text, html=html)


def export_report(doc_id: int, fmt: str, out: Path, options: Any) -> Path:
    """The written file. A PDF is laid out by Qt here, headless."""
    from app.core.export import export
    from app.core.store import Library

    _report(0, 0, f"Writing {out.name}")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # this process shows nothing
    with Library.open() as lib:
        return export(lib, [doc_id], fmt, out, options)
