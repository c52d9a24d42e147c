"""Reading the text pages of a PDF in the child process, and in a second process for long documents.

MuPDF's text extraction and our per-line work cost ~6 ms a page; a 300-page report spends most of its
import here. MuPDF is not thread-safe from Python, so on a machine with two cores or more a long
document's later pages are read by one extra process (`worker_main`: it opens the file itself and
answers its pages, their notes and its `PageReader` on a pipe) while the child reads the first ones.
The result is the same as reading every page in turn: the readers' samples are merged and the pages
either reader skipped are read again (`PageReader.absorb`, `reread`). A worker that cannot start or
fails leaves its pages to the child. DOICHIEU_PDF_WORKERS=0 reads every page in the child.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import subprocess
import sys
from typing import TYPE_CHECKING

from app.core.ingest import pdf_glyphs, workers
from app.core.model import PdfPage

if TYPE_CHECKING:
    import pymupdf

WORKER_COMMAND = "_pages-worker"  # the frozen app's hidden subcommand (app/cli) for the extra reader
WORKERS_ENV = "DOICHIEU_PDF_WORKERS"  # "0": every page read in the child
MIN_PAGES = 80  # below this the extra process's start (~0.3 s) costs more than it saves
HEAD_START = 40  # pages the child reads while the worker starts: the worker's share is that much smaller

Pages = tuple[list[PdfPage], list[pdf_glyphs.PageNotes]]
Answer = tuple[list[PdfPage], list[pdf_glyphs.PageNotes], pdf_glyphs.PageReader]


def read_pages(doc: pymupdf.Document, path: str, strip: bool, password: str = "", *, parallel: bool = True) -> Pages:
    """Every page's lines (`pdf_glyphs`) and what reading it changed, in page order. Errors from
    MuPDF propagate (the caller refuses the file as damaged)."""
    count = doc.page_count
    split = _split(count) if parallel else count
    task = {"path": path, "strip": strip, "password": password, "start": split, "stop": count}
    worker = _start_worker(task) if split < count else None
    reader = pdf_glyphs.PageReader()
    pages: list[PdfPage] = []
    notes: list[pdf_glyphs.PageNotes] = []
    try:
        _read_range(doc, 0, split, reader, pages, notes)
        answer = _answer(worker) if worker else None
    finally:
        if worker:
            workers.stop(worker)
    if answer is not None:
        more_pages, more_notes, later = answer
        pages += more_pages
        notes += more_notes
        reader.absorb(later)
    else:  # no worker, or it failed: the child reads the rest itself, as if alone
        _read_range(doc, split, count, reader, pages, notes)
    for index in reader.reread():  # /ActualText or glued words found on a later page: look on these too
        lines, notes[index] = pdf_glyphs.read_page(doc[index])
        pages[index] = dataclasses.replace(pages[index], lines=tuple(lines))
    return pages, notes


def _split(count: int) -> int:
    """The first page the worker reads (`count`: none)."""
    env = os.environ.get(WORKERS_ENV, "")
    if env == "0" or count < MIN_PAGES or (os.cpu_count() or 1) < 2:
        return count
    return min(count, (count + HEAD_START) // 2)


def _read_range(
    doc: pymupdf.Document,
    start: int,
    stop: int,
    reader: pdf_glyphs.PageReader,
    pages: list[PdfPage],
    notes: list[pdf_glyphs.PageNotes],
) -> None:
    for index in range(start, stop):
        page = doc[index]
        lines, page_notes = reader.read(page)  # dict lines, or glyphs where those are wrong
        notes.append(page_notes)
        rect = page.rect
        pages.append(PdfPage(page.number + 1, rect.width, rect.height, tuple(lines)))


# --------------------------------------------------------------------------- the extra process


def _start_worker(task: dict[str, object]) -> subprocess.Popen[bytes] | None:
    return workers.start(workers.command(WORKER_COMMAND, "app.core.ingest.pdf_pages"), task)


def _answer(proc: subprocess.Popen[bytes]) -> Answer | None:
    """The worker's pages, notes and reader, or None when it failed (died, or could not read a page)."""
    assert proc.stdout is not None
    try:
        answer = pickle.load(proc.stdout)
    except Exception:  # EOF: it died (memory, a MuPDF crash)
        return None
    if not (isinstance(answer, tuple) and answer and answer[0] == "ok"):
        return None
    return answer[1], answer[2], answer[3]


def worker_main() -> int:
    """Entry point of the extra reader: read pages start..stop-1 of the task's file with a
    `PageReader` of their own, answer one pickled ("ok", pages, notes, reader) or ("err",)."""
    answer, task = workers.begin()
    try:
        doc = workers.open_document(task)
        reader = pdf_glyphs.PageReader()
        pages: list[PdfPage] = []
        notes: list[pdf_glyphs.PageNotes] = []
        _read_range(doc, task["start"], task["stop"], reader, pages, notes)
        result: tuple = ("ok", pages, notes, reader)
    except Exception:  # the child reads these pages itself and reports what fails
        result = ("err",)
    answer.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    workers.finish(answer)
    return 0


if __name__ == "__main__":
    sys.exit(worker_main())
