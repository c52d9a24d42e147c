"""SIGKILL during translation, 50 times at random moments: every stored batch is whole, nothing is
translated twice, and a final run finishes exactly what is missing."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.pipeline import import_text
from app.core.store import Library
from app.core.translate import packages
from tests.conftest import ROOT
from tests.test_translate_document import _unique_sentences

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and fork are POSIX")
KILLS = int(os.environ.get("DOICHIEU_TEST_KILLS", "50"))
# A fork server (see test_store_crash.py): imports once, forks one translator per request. The
# Engine is made after the fork: CTranslate2's worker threads do not survive fork().
ZYGOTE = """
import os, sys
def say(*words):  # one write per line (see test_store_crash.py)
    os.write(1, (" ".join(map(str, words)) + "\\n").encode())
from app.core.store import Library
for line in sys.stdin:
    pid = os.fork()
    if pid == 0:
        from app.core.translate.engine import Engine  # after fork: no inherited thread pools or locks
        from app.core.translate.memory import translate_document
        with Library.open() as lib:
            lib.db.conn.set_progress_handler(lambda: say("tick") or 0, 2000)
            engine = Engine(max_batch_tokens=256)
            translate_document(lib, 1, engine, progress=lambda d, t, m: say("batch"))
        os._exit(0)
    say("pid", pid)
    _, status = os.waitpid(pid, 0)
    say("exit", status)
"""


def check(db: Path) -> tuple[int, int]:
    """Integrity, and no sentence translated twice; returns (translated sentences, all sentences)."""
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        twice = con.execute(
            "SELECT count(*) FROM (SELECT segment_id FROM translations GROUP BY segment_id HAVING count(*) > 1)"
        ).fetchone()[0]
        assert twice == 0
        assert con.execute("SELECT count(*) FROM translations WHERE text IS NULL OR model IS NULL").fetchone()[0] == 0
        done = con.execute("SELECT count(DISTINCT segment_id) FROM translations").fetchone()[0]
        total = con.execute("SELECT count(*) FROM segments").fetchone()[0]
        return done, total
    finally:
        con.close()


def test_sigkill_during_translation(data_dir: Path, tiny_model_path: Path) -> None:
    packages.install_package(tiny_model_path)
    with Library.open() as lib:
        import_text(lib, _unique_sentences(1200))
    db = data_dir / "library.sqlite3"
    env = {**os.environ, "DOICHIEU_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", ZYGOTE], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    assert proc.stdin is not None and proc.stdout is not None
    rng = random.Random(20261126)
    progress = []
    try:
        for _ in range(KILLS):
            proc.stdin.write("go\n")
            proc.stdin.flush()
            kind, pid = proc.stdout.readline().split()
            assert kind == "pid"
            line = ""
            for _ in range(rng.randint(1, 40)):  # a random number of events (batches, SQL ticks) in
                line = proc.stdout.readline().strip()
                if line.startswith("exit"):
                    break
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGKILL)
            while not line.startswith("exit"):
                line = proc.stdout.readline().strip()
            progress.append(check(db)[0])
        proc.stdin.write("go\n")  # and one run left alone finishes the rest
        proc.stdin.flush()
        while not (line := proc.stdout.readline().strip()).startswith("exit"):
            pass
        assert line == "exit 0"
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)
    done, total = check(db)
    assert done == total
    assert progress == sorted(progress) and progress[-1] < total  # work kept across kills, never lost
    print(f"after {KILLS} kills: {progress[-1]} of {total} sentences were done; the last run finished them")
