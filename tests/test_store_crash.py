"""Crash safety: a child process importing a large document is killed with SIGKILL at random
moments; after each kill the library passes integrity_check and the document is absent or complete."""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

KILLS = 50
LINE_TIMEOUT_S = 60
# A fork server: it imports the app once, then forks one importer per request, so each of the 50
# kills costs an import, not a Python start-up (underthesea alone takes most of a second to load).
ZYGOTE = """
import os, sys
def say(*words):  # one write per line: print() writes text and newline apart, and a kill between
    os.write(1, (" ".join(map(str, words)) + "\\n").encode())  # them ran two lines into one
from app.core.pipeline import import_file
from app.core.segment import split_sentences
from app.core.store import Library
split_sentences("Nạp trước. Bộ tách câu.")
for line in sys.stdin:
    pid = os.fork()
    if pid == 0:
        try:
          with Library.open() as lib:
            # A tick every few thousand SQLite instructions: the test kills us at a random tick,
            # so kills land at random points inside the write transaction, with no timers.
            lib.db.conn.set_progress_handler(lambda: say("tick") or 0, 5000)
            import_file(lib, line.strip(), progress=lambda d, t, m: say(m))
        except BaseException:
            import traceback
            traceback.print_exc()
            os._exit(1)  # never fall through into the server's loop
        os._exit(0)
    say("pid", pid)
    _, status = os.waitpid(pid, 0)
    say("exit", status)
"""


def big_document(path: Path, fixtures: Path, variant: int) -> Path:
    base = (fixtures / "forum_post_ai_race.vi.txt").read_text(encoding="utf-8")
    path.write_text("\n\n".join(f"Phần {variant}-{i}.\n\n{base}" for i in range(80)), encoding="utf-8")
    return path


class Zygote:
    def __init__(self, data_dir: Path) -> None:
        # One BLAS/OpenMP thread: underthesea loads numpy, and forking while its thread pool exists is
        # asking for trouble. (The hang once blamed on it, about one run in three, was a torn line.)
        threads = {k: "1" for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
        env = {**os.environ, **threads, "DOICHIEU_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", ZYGOTE], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=ROOT, bufsize=0
        )
        self._pending = b""
        self._early: list[str] = []  # lines read while waiting for "pid N", not yet handed out
        self.seen: list[str] = []  # the last lines read, for a failure's message

    def start(self, doc: Path) -> int:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{doc}\n".encode())
        self.proc.stdin.flush()
        # The forked importer may write its first progress lines before the server writes "pid N" (on
        # a busy machine it often does): those are kept, in order, for the reads that follow.
        early: list[str] = []
        while not (line := self.line()).startswith("pid "):
            early.append(line)
        self._early = early + self._early
        return int(line.split()[1])

    def line(self) -> str:
        """The next line from the server; fails with the last lines read if none comes within a minute."""
        if self._early:
            return self._early.pop(0)
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._pending:
            ready, _, _ = select.select([fd], [], [], LINE_TIMEOUT_S)
            assert ready, f"no line from the fork server in {LINE_TIMEOUT_S} s; last lines: {self.seen[-12:]}"
            chunk = os.read(fd, 65536)
            assert chunk, f"the fork server died; last lines: {self.seen[-12:]}"
            self._pending += chunk
        raw, self._pending = self._pending.split(b"\n", 1)
        line = raw.decode("utf-8", "replace").strip()
        self.seen = [*self.seen[-40:], line]
        return line

    def until(self, wanted: str) -> str:
        """Read progress lines until `wanted` or the importer's exit line; returns the line read."""
        while True:
            line = self.line()
            if line == wanted or line.startswith("exit"):
                return line

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


def check_library(db_path: Path) -> dict[str, int]:
    """integrity_check passes and every stored document is complete: its counts match its rows."""
    con = sqlite3.connect(db_path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("INSERT INTO segments_fts(segments_fts) VALUES('integrity-check')") is not None
        docs = con.execute("SELECT id, sha256, paragraph_count, segment_count FROM documents").fetchall()
        for doc_id, _sha, n_par, n_seg in docs:
            assert con.execute("SELECT count(*) FROM paragraphs WHERE document_id=?", [doc_id]).fetchone()[0] == n_par
            assert con.execute("SELECT count(*) FROM segments WHERE document_id=?", [doc_id]).fetchone()[0] == n_seg
            indexed = con.execute(
                "SELECT count(*) FROM segments_fts WHERE rowid IN (SELECT id FROM segments WHERE document_id=?)",
                [doc_id],
            ).fetchone()[0]
            assert indexed == n_seg
        return {sha: doc_id for doc_id, sha, _p, _s in docs}
    finally:
        con.close()


def test_sigkill_during_import_never_leaves_half_a_document(tmp_path: Path, fixtures: Path) -> None:
    data_dir = tmp_path / "data"
    db_path = data_dir / "library.sqlite3"
    zygote = Zygote(data_dir)
    try:
        # Calibrate: how long the storing stage takes here, from its start to the importer's exit.
        zygote.start(big_document(tmp_path / "calibrate.txt", fixtures, -1))
        assert zygote.until("storing") == "storing"
        ticks = 0
        while (line := zygote.line()) == "tick" or line == "done":
            ticks += line == "tick"
        assert line == "exit 0" and ticks > 20
        assert len(check_library(db_path)) == 1

        rng = random.Random(20261125)
        outcomes = {"complete": 0, "absent": 0, "absent_while_storing": 0}
        for i in range(KILLS):
            doc = big_document(tmp_path / f"doc{i}.txt", fixtures, i)
            pid = zygote.start(doc)
            while_storing = rng.random() < 0.75  # most kills aim at the write transaction itself
            if while_storing:
                line = zygote.until("storing")
                for _ in range(rng.randint(0, int(ticks * 1.1))):
                    if (line := zygote.until("tick")) != "tick":
                        break
            else:
                line = zygote.until(rng.choice(["reading", "cleaning", "segmenting"]))
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            while not line.startswith("exit"):
                line = zygote.line()
            assert line in {"exit 0", f"exit {signal.SIGKILL}"}, f"the importer failed: {line}"
            stored = check_library(db_path)
            if hashlib.sha256(doc.read_bytes()).hexdigest() in stored:
                outcomes["complete"] += 1
            else:
                outcomes["absent"] += 1
                outcomes["absent_while_storing"] += while_storing
    finally:
        zygote.close()
    print(f"store stage: {ticks} ticks; after {KILLS} kills: {outcomes}")
    assert outcomes["complete"] + outcomes["absent"] == KILLS
    assert outcomes["absent_while_storing"] >= 1  # some kills really landed inside the transaction
