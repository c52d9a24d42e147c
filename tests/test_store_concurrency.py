"""Several `main.py` processes on one library at the same moment, as a user meets it when a folder is
dropped on the window while a script runs: a library created by four at once, the day's first backup
made by four at once, one new file imported by four at once, five importers of different files.

Each process loads the program, says it is ready and waits at a gate; the test opens the gate for all
of them at once (a byte on each one's stdin), so their work overlaps on any machine, busy or not.
Every file must end up imported or reported as already there, with no traceback, no "busy" refusal
before the busy timeout, and `integrity_check` = ok."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The child: load what the command needs before the gate, so only the command itself races.
CHILD = """
import sys
import app.cli
import app.core.pipeline
import app.core.store.backups
sys.stdout.write("ready\\n")
sys.stdout.flush()
sys.stdin.buffer.read(1)
sys.exit(app.cli.main(sys.argv[1:]))
"""


def run_at_once(data: Path, commands: Sequence[Sequence[str | Path]]) -> list[subprocess.CompletedProcess[str]]:
    """Run `main.py` commands in separate processes, all released at the same moment."""
    env = {**os.environ, "DOICHIEU_DATA_DIR": str(data)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, *map(str, cmd)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        for cmd in commands
    ]
    try:
        for proc in procs:  # wait until every one is loaded and waiting at the gate
            assert proc.stdout is not None
            assert proc.stdout.readline() == "ready\n", proc.stderr.read() if proc.stderr else ""
        for proc in procs:  # then open the gate for all
            assert proc.stdin is not None
            proc.stdin.write("go")
            proc.stdin.close()
            proc.stdin = None  # communicate() below must not flush it
        results = []
        for cmd, proc in zip(commands, procs, strict=True):
            out, err = proc.communicate(timeout=300)
            results.append(subprocess.CompletedProcess([str(c) for c in cmd], proc.returncode, out, err))
        return results
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def texts(folder: Path, fixtures: Path, count: int, tag: str) -> list[Path]:
    """`count` different files (the forum post with a line of its own appended)."""
    folder.mkdir(parents=True, exist_ok=True)
    base = (fixtures / "forum_post_ai_race.vi.txt").read_text(encoding="utf-8")
    made = []
    for i in range(count):
        path = folder / f"bài-{tag}-{i}.txt"
        path.write_text(f"{base}\n\nGhi chú số {i} của lượt {tag}: bản này khác các bản kia.\n", encoding="utf-8")
        made.append(path)
    return made


def library_state(data: Path) -> tuple[str, list[str]]:
    con = sqlite3.connect(data / "library.sqlite3")
    try:
        check = con.execute("PRAGMA integrity_check").fetchone()[0]
        titles = [r[0] for r in con.execute("SELECT title FROM documents ORDER BY title")]
        return check, titles
    finally:
        con.close()


def assert_clean(results: Sequence[subprocess.CompletedProcess[str]]) -> None:
    for res in results:
        assert "Traceback" not in res.stderr, res.stderr
        assert res.stderr == "", f"{res.args}: {res.stderr}"
        assert "busy" not in res.stdout and "cannot open" not in res.stdout, res.stdout
        assert res.returncode == 0, f"{res.args}: {res.stdout} {res.stderr}"


def test_four_processes_create_a_new_library_at_once(tmp_path: Path, fixtures: Path) -> None:
    data = tmp_path / "data"  # does not exist yet: the four processes create it together
    files = texts(tmp_path / "in", fixtures, 12, "new")
    results = run_at_once(data, [["import", *files[i::4]] for i in range(4)])
    assert_clean(results)
    check, titles = library_state(data)
    assert check == "ok"
    assert titles == sorted(f.stem for f in files)  # every file imported, each once


def test_four_processes_make_the_days_first_backup_at_once(tmp_path: Path, fixtures: Path) -> None:
    data = tmp_path / "data"
    first = run_at_once(data, [["import", fixtures / "forum_post_ai_race.vi.txt"]])  # an empty library: no backup
    assert_clean(first)
    assert not list((data / "backups").glob("library-*"))
    results = run_at_once(data, [["list"]] * 4)
    assert_clean(results)
    assert all("forum_post_ai_race.vi" in r.stdout for r in results)
    made = sorted((data / "backups").iterdir())
    assert len(made) == 1 and made[0].name.startswith("library-"), made  # one backup, no leftovers
    con = sqlite3.connect(f"{made[0].resolve().as_uri()}?mode=ro", uri=True)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    finally:
        con.close()
    assert library_state(data)[0] == "ok"


def test_four_processes_import_the_same_new_file_at_once(tmp_path: Path, fixtures: Path) -> None:
    data = tmp_path / "data"
    assert_clean(run_at_once(data, [["import", fixtures / "pdf_copy_supercomputers.vi.txt"]]))
    assert_clean(run_at_once(data, [["list"]]))  # today's backup made now, not by the racing processes
    for round_, new in enumerate(texts(tmp_path / "in", fixtures, 2, "same")):
        results = run_at_once(data, [["import", new]] * 4)
        assert_clean(results)
        lines = [r.stdout.strip() for r in results]
        created = [line for line in lines if "sentences)" in line]
        already = [line for line in lines if line.endswith("(already in the library)")]
        assert len(created) == 1 and len(already) == 3, lines
        check, titles = library_state(data)
        assert check == "ok" and len(titles) == round_ + 2 and titles.count(new.stem) == 1


def test_five_importers_of_different_files_at_once(tmp_path: Path, fixtures: Path) -> None:
    data = tmp_path / "data"
    assert_clean(run_at_once(data, [["import", fixtures / "pdf_copy_supercomputers.vi.txt"]]))
    assert_clean(run_at_once(data, [["list"]]))  # today's backup made now, not by the racing processes
    files = texts(tmp_path / "in", fixtures, 15, "five")
    results = run_at_once(data, [["import", *files[i::5]] for i in range(5)])
    assert_clean(results)
    check, titles = library_state(data)
    assert check == "ok"
    assert sorted(set(titles) - {"pdf_copy_supercomputers.vi"}) == sorted(f.stem for f in files)
