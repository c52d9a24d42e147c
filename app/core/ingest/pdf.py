"""PDF ingest: PyMuPDF text lines with geometry, parsed in a child process.

MuPDF can crash or spin on hostile files, so the parse runs in a separate process with a time limit
(and, on POSIX, an address-space limit); every failure comes back as a typed `PdfError`.
"""

from __future__ import annotations

import functools
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import BinaryIO

from app.core.errors import (
    CorruptPdfError,
    EncryptedPdfError,
    FileMissingError,
    InputError,
    InputTooLargeError,
    NoTextLayerError,
    PdfError,
    PdfTimeoutError,
)
from app.core.model import PdfDocument, PdfLine, PdfPage

WORKER_COMMAND = "_pdf-worker"
_PROJECT_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_TIMEOUT_S = 120.0
MAX_PDF_BYTES = 1024 * 1024 * 1024
MAX_PAGES = 3000  # ~1,000 pages/10 s here; a longer PDF is refused with advice to split it
MEMORY_LIMIT_BYTES = 1536 * 1024 * 1024  # address space of the child: hostile files must not eat the machine
PASSWORD_ENV = "DOICHIEU_PDF_PASSWORD"  # the password reaches the child by environment, never argv
STRIP_ENV = "DOICHIEU_PDF_STRIP"  # "1": read without annotations and embedded objects (second try)
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


def extract_document(path: str, password: str = "", *, strip: bool = False) -> PdfDocument:
    """Open and read a PDF in this process. Raises PdfError subclasses; used inside the child.

    If MuPDF fails while reading the pages, the file is opened again and read without its
    annotations and embedded objects (`strip_extras`) before it is refused; `strip=True` reads it
    that way at once (the parent asks for it after the child crashed)."""
    try:
        return _extract(path, password, strip)
    except _ExtractFailed as first:
        if strip:
            raise CorruptPdfError(str(first)) from first
        try:
            return _extract(path, password, True)
        except PdfError:
            raise CorruptPdfError(str(first)) from first


def _extract(path: str, password: str, strip: bool) -> PdfDocument:
    import pymupdf

    try:
        doc = pymupdf.open(path, filetype="pdf")
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
    # Ligatures (ﬁ, ﬀ) are expanded to their letters: users search and translate words, not glyphs.
    flags = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP
    pages: list[PdfPage] = []
    try:
        for page in doc.pages():
            lines: list[PdfLine] = []
            for block_no, block in enumerate(page.get_text("dict", flags=flags)["blocks"]):
                if block.get("type") != 0:
                    continue
                for raw in block["lines"]:
                    if raw.get("wmode", 0) != 0 or abs(raw["dir"][1]) > 0.1:
                        continue  # vertical or rotated text: margins notes, stamps
                    line = _line_from_dict(raw, block_no)
                    if line is not None:
                        lines.append(line)
            rect = page.rect
            pages.append(PdfPage(page.number + 1, rect.width, rect.height, tuple(lines)))
    except Exception as err:
        raise _ExtractFailed(f"{Path(path).name}: this PDF is damaged and cannot be read ({err})") from err
    if not pages:
        raise CorruptPdfError(f"{Path(path).name}: this PDF has no pages")
    if not any(p.lines for p in pages) and doc.is_repaired:
        raise CorruptPdfError(
            f"{Path(path).name}: this PDF is damaged (perhaps cut short, as an interrupted download leaves it) "
            "and no text could be read from it; download or export it again"
        )
    if not any(p.lines for p in pages):
        raise NoTextLayerError(
            f"{Path(path).name}: this PDF has no text layer (it is scanned images); "
            "run OCR first (for example with ocrmypdf) and import the result"
        )
    title = (doc.metadata or {}).get("title") or ""
    return PdfDocument(tuple(pages), title=title)


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
    try:
        strip = os.environ.get(STRIP_ENV) == "1"
        result: tuple = ("ok", extract_document(path, os.environ.get(PASSWORD_ENV, ""), strip=strip))
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
) -> PdfDocument:
    """Parse a PDF in a child process; raise a typed PdfError on any failure, never hang."""
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
    for strip in ("0", "1"):  # a crash (MuPDF died on the file): once more without annotations
        env[STRIP_ENV] = strip
        try:
            proc = subprocess.run(
                _worker_command(str(p.resolve())),
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # MuPDF's warnings: possibly megabytes, never shown
                stdin=subprocess.DEVNULL,
                timeout=timeout,
                env=env,
                preexec_fn=preexec,
                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
            )
        except subprocess.TimeoutExpired:
            raise PdfTimeoutError(
                f"{p.name}: reading this PDF took longer than {timeout:.0f} s and was stopped; "
                "the file may be damaged: try printing it to a new PDF and import that"
            ) from None
        try:
            message = pickle.loads(proc.stdout) if proc.stdout else None
        except Exception:
            message = None
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


if __name__ == "__main__":
    sys.exit(worker_main(sys.argv[1]))
