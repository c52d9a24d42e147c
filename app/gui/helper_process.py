"""One helper process for heavy core work, driven from the serial lane's one thread (see `workers`):
the thread submits a function of `child`, forwards its progress to the job's signals and passes
cancellation on, waiting without holding the GIL. Only `SerialJob`s call `run`, so a job never waits
for the lock on a thread the quick jobs need."""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from app.core import paths
from app.core.errors import DoiChieuError
from app.gui import child
from app.gui.workers import JobContext

POLL_S = 0.05


class HelperProcess:
    """Started on first use; jobs run one at a time in it (the engine stays loaded there)."""

    def __init__(self) -> None:
        self._ctx = multiprocessing.get_context("spawn")  # no fork: Qt's threads must not be copied
        self._pool: ProcessPoolExecutor | None = None
        self._progress: Any = None
        self._cancel: Any = None
        # One job at a time: they share the progress queue. The serial lane already runs them one by
        # one; the lock only guards a caller outside it.
        self._lock = threading.Lock()

    def _ensure(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._progress = self._ctx.Queue(1000)
            self._cancel = self._ctx.Event()
            # the child finds the same data folder
            os.environ[paths.DATA_DIR_ENV] = str(paths.data_dir())
            self._pool = ProcessPoolExecutor(
                1, mp_context=self._ctx, initializer=child.init, initargs=(self._progress, self._cancel)
            )
        return self._pool

    def run(self, ctx: JobContext, fn: Callable[..., Any], *args: Any) -> Any:
        with self._lock:
            pool = self._ensure()
            self._cancel.clear()
            while True:  # drop progress left over from an earlier job
                try:
                    self._progress.get_nowait()
                except queue.Empty:
                    break
            future: Future[Any] = pool.submit(fn, *args)
            while True:
                try:
                    done, total, message = self._progress.get(timeout=POLL_S)
                    ctx.progress(done, total, message)
                except queue.Empty:
                    pass
                if ctx.cancelled():
                    self._cancel.set()
                if future.done():
                    break
            try:
                return future.result()
            except BrokenProcessPool as err:
                self._pool = None
                raise DoiChieuError("the helper process stopped unexpectedly; try again") from err

    def shutdown(self) -> None:
        if self._pool is not None:
            self._cancel.set()
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
