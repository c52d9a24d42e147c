"""Extra processes of the PDF child: how one is started and stopped, and how one begins.

The child reads a long PDF's later pages (`pdf_pages`) and scanned pages (`ocr`) with the help of
worker processes. Each gets its task pickled on stdin, which stays open: a worker ends as soon as it
closes, so a child killed on cancel or past its time limit takes its workers along. A worker opens
the file itself and answers on a copy of its stdout (`pdf._answer_channel`); the password travels in
the task, never in argv. Workers inherit the child's memory limit (an rlimit passes to children).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
import threading
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    import pymupdf


def command(frozen_name: str, module: str) -> list[str]:
    """How to start a worker: the frozen app answers a hidden subcommand (app/cli), a source tree
    runs the module."""
    if getattr(sys, "frozen", False):
        return [sys.executable, frozen_name]
    return [sys.executable, "-m", module]


def start(argv: list[str], task: dict[str, Any]) -> subprocess.Popen[bytes] | None:
    """A worker given `task` on its stdin; None if it cannot start (the child then does its work)."""
    try:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # MuPDF's warnings
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )
        assert proc.stdin is not None
        proc.stdin.write(pickle.dumps(task, protocol=pickle.HIGHEST_PROTOCOL))
        proc.stdin.flush()
    except (OSError, ValueError):
        return None
    return proc


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Close its pipes (it exits), kill it if it has not, and reap it."""
    for stream in (proc.stdin, proc.stdout):
        if stream:
            with contextlib.suppress(OSError):
                stream.close()
    if proc.poll() is None:
        proc.kill()
    proc.wait()


def begin() -> tuple[BinaryIO, dict[str, Any]]:
    """In a worker: its answer channel and its task; from now on it exits as soon as stdin closes."""
    from app.core.ingest.pdf import _answer_channel

    answer = _answer_channel()
    task = pickle.load(sys.stdin.buffer)

    def watch() -> None:  # the child closed our stdin (done, killed, cancelled): stop now
        with contextlib.suppress(Exception):
            sys.stdin.buffer.read()
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()
    return answer, task


def open_document(task: dict[str, Any]) -> pymupdf.Document:
    """The task's file as the child opened it: an image as a PDF, unlocked, stripped if asked."""
    import pymupdf

    from app.core.ingest import images
    from app.core.ingest.pdf import PASSWORD_ENV, strip_extras

    with contextlib.suppress(Exception):
        pymupdf.TOOLS.mupdf_display_errors(False)
        pymupdf.TOOLS.mupdf_display_warnings(False)
    path = str(task["path"])
    doc = images.open_as_pdf(path) if images.is_image(path) else pymupdf.open(path, filetype="pdf")
    if doc.needs_pass:
        doc.authenticate(task.get("password") or os.environ.get(PASSWORD_ENV, ""))
    if task.get("strip"):
        strip_extras(doc)
    return doc


def finish(answer: BinaryIO) -> None:
    """Close the answer channel and exit at once: a return would abort at shutdown on the thread that
    sits in a read of stdin (`begin`)."""
    answer.close()
    os._exit(0)
