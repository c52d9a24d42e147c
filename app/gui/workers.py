"""The one way the GUI runs background work: a job function on a QThreadPool, results back by signal.

Two lanes, as Anki's `taskman` has one serial executor for the collection and one parallel for the
rest: a job that drives the helper process (import, translation, suggestions, layout review, writing
a report) is a `SerialJob` and waits its turn on a pool of ONE thread; every other job (library
search, Ctrl+F, the export preview, installing a model) runs at once on the parallel pool. A job
waiting for the helper therefore never holds a thread a library search needs (it did with one shared
pool: a search asked for at 0.7 s ran at 4.4 s, after the translation).

A job is a plain function `fn(ctx) -> result` that never touches widgets. It reports progress with
`ctx.progress(done, total, message)` and polls `ctx.cancelled()`; it opens its own `Library` (SQLite
connections belong to one thread) through `ctx.library()`, closed when the job ends. The GUI hears
`progress`, `finished(result)` and `failed(exception)` on the main thread through `JobSignals`."""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from app.core.errors import CancelledError, DoiChieuError
from app.core.store import Library

log = logging.getLogger(__name__)


class JobSignals(QObject):
    progress = Signal(int, int, str)  # done, total (0: unknown), message
    finished = Signal(object)  # the job's result
    failed = Signal(object)  # the exception (DoiChieuError: str(err) is for the user)
    ended = Signal()  # after finished or failed: the job is gone


class JobContext:
    """What a job function may use: progress, cancellation and its own library connection."""

    def __init__(self, signals: JobSignals) -> None:
        self._signals = signals
        self._cancel = threading.Event()
        self._library: Library | None = None

    def progress(self, done: int, total: int, message: str) -> None:
        self._signals.progress.emit(done, total, message)

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def library(self) -> Library:
        if self._library is None:
            self._library = Library.open()
        return self._library

    def close(self) -> None:
        if self._library is not None:
            self._library.close()
            self._library = None


JobFn = Callable[[JobContext], Any]


class SerialJob:
    """A job function for the serial lane: it drives the helper process, which runs one job at a time."""

    def __init__(self, fn: JobFn) -> None:
        self.fn = fn

    def __call__(self, ctx: JobContext) -> Any:
        return self.fn(ctx)


class Job(QRunnable):
    def __init__(
        self, title: str, fn: Callable[[JobContext], Any], *, cancellable: bool = True, shown: bool = True
    ) -> None:
        super().__init__()
        self.shown = shown  # False: a short read the status bar need not show
        self.setAutoDelete(False)  # the runner keeps it until `ended`, so its signals outlive run()
        self.title = title
        self.fn = fn
        self.cancellable = cancellable
        self.signals = JobSignals()
        self.ctx = JobContext(self.signals)

    def run(self) -> None:
        try:
            if self.cancellable and self.ctx.cancelled():  # cancelled while it waited for its turn
                raise CancelledError("cancelled before it started")
            result = self.fn(self.ctx)
        except DoiChieuError as err:
            self.signals.failed.emit(err)
        except Exception as err:  # a bug: log it with its traceback, the GUI shows a crash dialog
            log.error("job %r failed:\n%s", self.title, traceback.format_exc())
            self.signals.failed.emit(err)
        else:
            self.signals.finished.emit(result)
        finally:
            self.ctx.close()
            self.signals.ended.emit()


class _Relay(QObject):
    """Lives on the main thread: the worker's signals reach these slots queued, so the callbacks
    (which touch widgets) always run on the GUI thread, whatever PySide does with plain lambdas."""

    def __init__(
        self,
        job: Job,
        on_done: Callable[[Any], None] | None,
        on_error: Callable[[BaseException], None] | None,
        on_progress: Callable[[int, int, str], None] | None,
        on_ended: Callable[[Job], None],
    ) -> None:
        super().__init__()
        self.job = job
        self._done, self._error, self._progress, self._ended = on_done, on_error, on_progress, on_ended
        job.signals.finished.connect(self.finished)
        job.signals.failed.connect(self.failed)
        job.signals.progress.connect(self.progress)
        job.signals.ended.connect(self.ended)

    @Slot(object)
    def finished(self, result: object) -> None:
        if self._done is not None:
            self._done(result)

    @Slot(object)
    def failed(self, err: object) -> None:
        if self._error is not None:
            self._error(err)  # type: ignore[arg-type]
        elif isinstance(err, BaseException):
            raise err  # no handler: the global exception hook shows it

    @Slot(int, int, str)
    def progress(self, done: int, total: int, message: str) -> None:
        if self._progress is not None:
            self._progress(done, total, message)

    @Slot()
    def ended(self) -> None:
        self._ended(self.job)


class JobRunner(QObject):
    """Starts jobs on their lane and tracks them (running or waiting), so the status bar can show them
    and cancel them."""

    changed = Signal()  # a job started or ended

    def __init__(self, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self.serial = QThreadPool(self)  # SerialJob: one at a time, in order
        self.serial.setMaxThreadCount(1)
        self.pool = QThreadPool(self)  # everything else, in parallel
        self.pool.setMaxThreadCount(max_threads)
        self.jobs: list[Job] = []
        self._relays: dict[Job, _Relay] = {}

    def start(
        self,
        title: str,
        fn: Callable[[JobContext], Any],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        cancellable: bool = True,
        shown: bool = True,
    ) -> Job:
        job = Job(title, fn, cancellable=cancellable, shown=shown)
        self._relays[job] = _Relay(job, on_done, on_error, on_progress, self._ended)
        self.jobs.append(job)
        (self.serial if isinstance(fn, SerialJob) else self.pool).start(job)
        self.changed.emit()
        return job

    def _ended(self, job: Job) -> None:
        if job in self.jobs:
            self.jobs.remove(job)
        self._relays.pop(job, None)
        self.changed.emit()

    def cancel_all(self) -> None:
        for job in self.jobs:
            if job.cancellable:
                job.ctx.cancel()

    def busy(self) -> bool:
        return bool(self.jobs)

    def wait(self, msecs: int = -1) -> bool:
        """Block until every job is done (on quit, after cancelling them)."""
        serial_done = self.serial.waitForDone(msecs)
        return self.pool.waitForDone(msecs) and serial_done
