"""PDF ingest: PyMuPDF text lines with geometry, parsed in a child process.

MuPDF can crash or spin on hostile files, so the parse runs in a separate process with a time limit
(and, on POSIX, an address-space limit); every failure comes back as a typed `PdfError`.
"""

from __future__ import annotations

import functools
import os
import pickle
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from app.core.errors import (
    CancelledError,
    CorruptPdfError,
    EncryptedPdfError,
    FileMissingError,
    InputError,
    InputTooLargeError,
    NoTextLayerError,
    PdfError,
    PdfTimeoutError,
)
from app.core.ingest import pdf_glyphs
from app.core.model import PdfDocument, PdfLine

WORKER_COMMAND = "_pdf-worker"
_PROJECT_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_TIMEOUT_S = 120.0
MAX_PDF_BYTES = 1024 * 1024 * 1024
MAX_PAGES = 3000  # ~1,000 pages/10 s here; a longer PDF is refused with advice to split it
MEMORY_LIMIT_BYTES = 1536 * 1024 * 1024  # address space of the child: hostile files must not eat the machine
PASSWORD_ENV = "DOICHIEU_PDF_PASSWORD"  # the password reaches the child by environment, never argv
STRIP_ENV = "DOICHIEU_PDF_STRIP"  # "1": read without annotations and embedded objects (second try)
SPOOL_ENV = "DOICHIEU_OCR_SPOOL"  # a folder for the OCR workers' pages (ocr._read_parallel)
_BOLD_FLAG = 16

_ERRORS: dict[str, type[InputError]] = {
    "corrupt": CorruptPdfError,
    "encrypted": EncryptedPdfError,
    "notext": NoTextLayerError,
    "toolarge": InputTooLargeError,
}


def _line_from_dict(line: dict, block_no: int) -> PdfLine | None:
    spans = [s for s in line["spans"] if s["text"]]
    text = "".join(s["text"] for s in spans)
    if not text.strip():
        return None
    # The font of most characters decides size and weight (a bold word does not make a bold line).
    weight: dict[tuple[float, bool, str], int] = {}
    for s in spans:
        key = (round(s["size"], 1), bool(s["flags"] & _BOLD_FLAG) or "bold" in s["font"].lower(), s["font"])
        weight[key] = weight.get(key, 0) + len(s["text"].strip())
    size, bold, font = max(weight, key=lambda k: weight[k])
    x0, y0, x1, y1 = line["bbox"]
    return PdfLine(text, x0, y0, x1, y1, size, bold, font, block_no)


class _ExtractFailed(CorruptPdfError):
    """MuPDF failed while reading the pages (not while opening the file): worth a second try without
    the annotations and embedded objects, which are what usually upsets it."""


def strip_extras(doc: object) -> None:
    """Remove, in memory only, what MuPDF may choke on and DoiChieu never reads: every page's
    annotations and form widgets, the form, embedded files, JavaScript and open actions. Keys are
    set to null through the xref table, without parsing the annotations themselves."""
    import pymupdf

    assert isinstance(doc, pymupdf.Document)
    for xref in range(1, doc.xref_length()):
        try:
            if doc.xref_get_key(xref, "Type") == ("name", "/Page") and doc.xref_get_key(xref, "Annots")[0] != "null":
                doc.xref_set_key(xref, "Annots", "null")
        except Exception:  # a damaged object: leave it, the next one may be fine
            continue
    try:
        catalog = doc.pdf_catalog()
        for key in ("AcroForm", "OpenAction", "AA", "Names"):
            if doc.xref_get_key(catalog, key)[0] != "null":
                doc.xref_set_key(catalog, key, "null")
    except Exception:  # no usable catalog: the pages are what matters
        pass


def extract_document(
    path: str, password: str = "", *, strip: bool = False, report: Callable[[int, int, str], None] | None = None
) -> PdfDocument:
    """Open and read a PDF in this process. Raises PdfError subclasses; used inside the child.

    If MuPDF fails while reading the pages, the file is opened again and read without its
    annotations and embedded objects (`strip_extras`) before it is refused; `strip=True` reads it
    that way at once (the parent asks for it after the child crashed)."""
    try:
        return _extract(path, password, strip, report)
    except _ExtractFailed as first:
        if strip:
            raise CorruptPdfError(str(first)) from first
        try:
            return _extract(path, password, True, report)
        except PdfError:
            raise CorruptPdfError(str(first)) from first


def _extract(
    path: str, password: str, strip: bool, report: Callable[[int, int, str], None] | None = None
) -> PdfDocument:
    import pymupdf

    from app.core.ingest import images, ocr, pdf_pages

    try:
        doc = images.open_as_pdf(path) if images.is_image(path) else pymupdf.open(path, filetype="pdf")
    except InputError:
        raise
    except Exception as err:  # MuPDF raises several types for damaged files
        raise CorruptPdfError(f"{Path(path).name}: this PDF is damaged and cannot be read ({err})") from err
    if doc.needs_pass and not doc.authenticate(password):
        if password:
            raise EncryptedPdfError(f"{Path(path).name}: the password is wrong; check it and try again")
        what = f"{Path(path).name}: this PDF is password-protected"
        raise EncryptedPdfError(f"{what}; give its password (--password in the command line)", neutral=what)
    if doc.page_count > MAX_PAGES:
        raise InputTooLargeError(
            f"{Path(path).name}: this PDF has {doc.page_count:,} pages, more than the {MAX_PAGES:,} DoiChieu "
            "reads at once; split it into parts (for example with `qpdf --split-pages=1000`) and import those"
        )
    if strip:
        strip_extras(doc)
    try:  # dict lines, or glyphs where those are wrong; long documents in two processes
        pages, notes = pdf_pages.read_pages(doc, path, strip, password, parallel=not images.is_image(path))
    except Exception as err:
        raise _ExtractFailed(f"{Path(path).name}: this PDF is damaged and cannot be read ({err})") from err
    pages = pdf_glyphs.split_glued_pages(pages, notes)
    if not pages:
        raise CorruptPdfError(f"{Path(path).name}: this PDF has no pages")
    scanned = ocr.read_scanned_pages(doc, pages, Path(path).name, report, source=(path, strip))  # issue 17
    pages = scanned.pages
    if not any(p.lines for p in pages) and doc.is_repaired:
        raise CorruptPdfError(
            f"{Path(path).name}: this PDF is damaged (perhaps cut short, as an interrupted download leaves it) "
            "and no text could be read from it; download or export it again"
        )
    if not any(p.lines for p in pages) and images.is_image(path):
        raise NoTextLayerError(f"{Path(path).name}: no text could be read from this image, even by OCR")
    if not any(p.lines for p in pages):
        raise NoTextLayerError(
            f"{Path(path).name}: this PDF has no text layer and OCR read no text from its pages; "
            "check that it holds text (not only pictures), or run another OCR program and import the result"
        )
    title = (doc.metadata or {}).get("title") or ""
    return PdfDocument(
        tuple(pages),
        title=title,
        ocr_pages=tuple(scanned.read),
        page_images=tuple(scanned.images),
        repairs=tuple(pdf_glyphs.document_repairs(notes)),
    )


def _answer_channel() -> BinaryIO:
    """The child's answer gets a channel of its own: a copy of the original stdout. File descriptor 1
    itself is pointed at stderr, so whatever MuPDF or a library prints ("cannot create appearance
    stream for Screen annotations") cannot corrupt the pickled answer."""
    sys.stdout.flush()
    answer = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    return answer


def worker_main(path: str) -> int:
    """Entry point of the child process: parse `path`, write a pickled result to the answer channel
    (the original stdout; anything printed goes to stderr)."""
    answer = _answer_channel()
    try:
        import pymupdf

        pymupdf.TOOLS.mupdf_display_errors(False)
        pymupdf.TOOLS.mupdf_display_warnings(False)
    except Exception:  # quieter is nicer, not needed
        pass

    def report(done: int, total: int, what: str) -> None:  # progress frames before the answer
        answer.write(pickle.dumps(("progress", done, total, what), protocol=pickle.HIGHEST_PROTOCOL))
        answer.flush()

    try:
        strip = os.environ.get(STRIP_ENV) == "1"
        password = os.environ.get(PASSWORD_ENV, "")
        result: tuple = ("ok", extract_document(path, password, strip=strip, report=report))
    except (PdfError, InputTooLargeError) as err:
        kind = next((k for k, cls in _ERRORS.items() if isinstance(err, cls)), "corrupt")
        result = ("err", kind, str(err), err.neutral)
    except MemoryError:
        result = ("err", "corrupt", f"{Path(path).name}: this PDF needs more memory than allowed to read")
    except Exception as err:
        result = ("err", "corrupt", f"{Path(path).name}: this PDF cannot be read ({err})")
    with answer:
        answer.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    return 0


def _worker_command(path: str) -> list[str]:
    if getattr(sys, "frozen", False):  # PyInstaller: the app binary itself answers this hidden command
        return [sys.executable, WORKER_COMMAND, path]
    return [sys.executable, "-m", "app.core.ingest.pdf", path]


def _limit_memory(limit: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def read_pdf(
    path: str | os.PathLike[str],
    *,
    timeout: float = DEFAULT_TIMEOUT_S,
    memory_limit: int = MEMORY_LIMIT_BYTES,
    password: str = "",
    progress: Callable[[int, int, str], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> PdfDocument:
    """Parse a PDF (or an image, see ingest/images.py) in a child process; raise a typed PdfError on
    any failure, never hang. Scanned pages are read by OCR there (ingest/ocr.py): `progress` hears each
    page, `cancel()` returning True stops the child (CancelledError), and the time limit grows by
    ocr.SECONDS_PER_PAGE for each page to read."""
    p = Path(path)
    if not p.is_file():
        raise FileMissingError(f"{p}: no such file; check the path and try again")
    size = p.stat().st_size
    if size == 0:
        raise CorruptPdfError(f"{p.name}: the file is empty; download or export the PDF again")
    if size > MAX_PDF_BYTES:
        raise InputTooLargeError(f"{p.name}: this PDF is over 1 GB; split it into smaller files and import those")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_PROJECT_ROOT), env.get("PYTHONPATH", "")]))
    env[PASSWORD_ENV] = password
    preexec = None
    if memory_limit and sys.platform != "win32":
        preexec = functools.partial(_limit_memory, memory_limit)
    message = None
    # The OCR workers hand their pages over in files here; made and removed by this process, so that a
    # child killed on cancel or timeout leaves no text of the document behind.
    with tempfile.TemporaryDirectory(prefix="doichieu-ocr-", ignore_cleanup_errors=True) as spool:
        env[SPOOL_ENV] = spool
        for strip in ("0", "1"):  # a crash (MuPDF died on the file): once more without annotations
            env[STRIP_ENV] = strip
            proc = subprocess.Popen(
                _worker_command(str(p.resolve())),
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # MuPDF's warnings: possibly megabytes, never shown
                stdin=subprocess.DEVNULL,
                env=env,
                preexec_fn=preexec,
                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
            )
            message = _child_answer(proc, p.name, timeout, progress, cancel)
            if message:
                break
    if not message:
        raise CorruptPdfError(
            f"{p.name}: the PDF reader crashed on this file; it is probably damaged: "
            "try printing it to a new PDF and import that"
        )
    if message[0] == "ok":
        return message[1]
    _, kind, text, *neutral = message
    raise _ERRORS[kind](text, neutral=neutral[0] if neutral else None)


def _read_frames(stream: BinaryIO, frames: queue.Queue[tuple | None]) -> None:
    """The child's pickled frames (progress, then the answer) into `frames`, None at the end."""
    try:
        while True:
            frames.put(pickle.load(stream))
    except Exception:  # EOF, or a child that died mid-frame
        pass
    finally:
        frames.put(None)


def _child_answer(
    proc: subprocess.Popen[bytes],
    name: str,
    timeout: float,
    progress: Callable[[int, int, str], None] | None,
    cancel: Callable[[], bool] | None,
) -> tuple | None:
    """Wait for the child's answer, passing its progress on; stop it on cancel or past the deadline."""
    from app.core.ingest.ocr import SECONDS_PER_PAGE

    assert proc.stdout is not None
    frames: queue.Queue[tuple | None] = queue.Queue()
    threading.Thread(target=_read_frames, args=(proc.stdout, frames), daemon=True).start()
    deadline = time.monotonic() + timeout
    ocr_pages = 0
    answer: tuple | None = None
    try:
        while True:
            if cancel is not None and cancel():
                raise CancelledError(f"{name}: not imported: cancelled")
            left = deadline - time.monotonic()
            if left <= 0:
                what = f"reading this PDF by OCR ({ocr_pages} scanned pages)" if ocr_pages else "reading this PDF"
                raise PdfTimeoutError(
                    f"{name}: {what} took longer than {timeout + ocr_pages * SECONDS_PER_PAGE:.0f} s and was "
                    "stopped; the file may be damaged: try printing it to a new PDF and import that"
                )
            try:
                frame = frames.get(timeout=min(left, 0.1))
            except queue.Empty:
                continue
            if frame is None:
                break
            if frame[0] == "progress":
                _, done, total, what = frame
                if total and not ocr_pages:  # the child is about to OCR `total` pages: allow for them
                    ocr_pages = total
                    deadline += total * SECONDS_PER_PAGE
                if progress is not None:
                    progress(done, total, what)
                continue
            answer = frame
    finally:
        if proc.poll() is None and answer is None:
            proc.kill()
        proc.wait()
        if proc.stdout:
            proc.stdout.close()
    return answer


if __name__ == "__main__":
    sys.exit(worker_main(sys.argv[1]))
