"""Shared by the whole-session tests (`tests/test_session_*.py`) and `bench/session_soak.py`: unique
copies of the real samples, the command line run as a user runs it, and a look at the library file from
outside the app once every connection is closed.

`APP_ROOT` is the tree whose `app` package is imported, so the same scenario can be run against an
older checkout (a `git worktree` of an earlier commit) to show that it fails there."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import re
import select
import signal
import sqlite3
import subprocess
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import app

APP_ROOT = Path(app.__file__).resolve().parent.parent
TESTS_ROOT = Path(__file__).resolve().parent.parent  # holds the `tests` package the children import
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE_FILES = ("forum_post_ai_race.vi.txt", "pdf_copy_supercomputers.vi.txt")
CLI_TIMEOUT_S = 300  # a bounded wait on a child: far above what an import takes on a loaded machine


def sample_copy(folder: Path, n: int, tag: str = "") -> Path:
    """A real sample (alternating between the two) under a heading of its own, so its bytes, and so
    its sha256, differ from every other copy: each import is a new document."""
    folder.mkdir(parents=True, exist_ok=True)
    base = (FIXTURES / SAMPLE_FILES[n % len(SAMPLE_FILES)]).read_text(encoding="utf-8")
    path = folder / f"ban-{tag}{n}.txt"
    path.write_text(f"Bản sao số {tag}{n} của tài liệu.\n\n{base}", encoding="utf-8")
    return path


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def child_env(data_dir: Path) -> dict[str, str]:
    """The environment of a DoiChieu process on this data folder, running the tree under test."""
    threads = {k: "1" for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    return {
        **os.environ,
        **threads,
        "DOICHIEU_DATA_DIR": str(data_dir),
        "PYTHONPATH": str(APP_ROOT),
        "QT_QPA_PLATFORM": "offscreen",
    }


def cli_command(*args: str) -> list[str]:
    return [sys.executable, str(APP_ROOT / "main.py"), *args]


def run_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`main.py ARGS...` in its own process, as a user or a script runs it."""
    return subprocess.run(
        cli_command(*args),
        env=child_env(data_dir),
        cwd=APP_ROOT,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_S,
        check=False,
    )


@dataclass
class LibraryState:
    """What an outside SQLite client finds in the library file."""

    integrity: str
    shas: set[str] = field(default_factory=set)
    tags: set[str] = field(default_factory=set)
    notes: set[str] = field(default_factory=set)
    claims: set[tuple[int, int, str]] = field(default_factory=set)  # (start, end, document sha256)
    human_english: set[str] = field(default_factory=set)  # post-edits, any version
    claim_ids: set[int] = field(default_factory=set)
    untranslated: dict[int, int] = field(default_factory=dict)  # document id -> sentences without English

    @property
    def ok(self) -> bool:
        return self.integrity == "ok"


def inspect_library(path: Path) -> LibraryState:
    """`integrity_check` and the rows we look for, read with plain SQLite (not through the app, which
    would refuse a damaged file). Call it only when no connection of this process is open on `path`."""
    try:
        con = sqlite3.connect(str(path), timeout=30)
    except sqlite3.Error as err:
        return LibraryState(f"cannot open: {err}")
    try:
        con.text_factory = lambda b: b.decode("utf-8", "replace")
        try:
            rows = [str(r[0]) for r in con.execute("PRAGMA integrity_check").fetchall()]
        except sqlite3.DatabaseError as err:
            return LibraryState(f"{type(err).__name__}: {err}")
        state = LibraryState("ok" if rows == ["ok"] else "; ".join(rows[:5]))
        state.shas = {r[0] for r in con.execute("SELECT sha256 FROM documents")}
        state.tags = {r[0] for r in con.execute("SELECT name FROM tags")}
        state.notes = {r[0] for r in con.execute("SELECT text FROM notes")}
        state.claims = {
            (r[0], r[1], r[2])
            for r in con.execute(
                "SELECT c.start_char, c.end_char, d.sha256 FROM claims c JOIN documents d ON d.id = c.document_id"
            )
        }
        state.human_english = {r[0] for r in con.execute("SELECT text FROM translations WHERE kind = 'human'")}
        state.claim_ids = {int(r[0]) for r in con.execute("SELECT id FROM claims")}
        state.untranslated = {
            int(r[0]): int(r[1])
            for r in con.execute(
                "SELECT d.id, (SELECT count(*) FROM segments s WHERE s.document_id = d.id"
                " AND NOT EXISTS (SELECT 1 FROM translations t WHERE t.segment_id = s.id)) FROM documents d"
            )
        }
        return state
    except sqlite3.DatabaseError as err:  # a damaged table can fail a read even when the check ran
        state.integrity += f"; reading the rows: {type(err).__name__}: {err}"
        return state
    finally:
        con.close()


# --- the soak: the window's process, the helper process and two command lines on one library at once ---
#
# Every child reports on stdout, one JSON object or one CLI line per os.write, so a SIGKILL never
# leaves half a line; an operation is acknowledged only once its line has been read.


def say(obj: object) -> None:
    os.write(1, (json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8"))


def _serve(handle: Callable[[str, dict[str, Any]], object]) -> None:
    """Read one JSON command a line, answer `{"id", "ok", "result"}` or `{"id", "ok": false, "error"}`."""
    say({"ready": os.getpid()})
    for line in sys.stdin:
        cmd = json.loads(line)
        try:
            result = handle(cmd["op"], cmd["args"])
        except Exception as err:
            trace = traceback.format_exc()[-1500:]
            say({"id": cmd["id"], "ok": False, "error": f"{type(err).__name__}: {err}"[:1000], "trace": trace})
        else:
            say({"id": cmd["id"], "ok": True, "result": result})


def window_role() -> None:
    """The window's process: `open` starts a session as the window does (its connection, held until
    `quit`; today's backup; the default tags); reads run on short connections as the window's pool jobs
    do (library search and filters, Ctrl+F, the library list); edits go through the session's
    connection as the window's do (tags, claims, notes, post-edits)."""
    from app.core.claims.workflow import create_claim
    from app.core.store import Library, NewTranslation
    from app.core.store.claims import ClaimStore

    try:
        from app.core.services.session import open_session
    except ImportError:  # the code before issue 15 (to show the soak fails there): what the window did

        def open_session(path: Path | str | None = None) -> Library:
            lib = Library.open(path)
            ClaimStore(lib).ensure_default_tags()
            return lib

    session: list[Library] = []

    def lib() -> Library:
        if not session:
            raise RuntimeError("no session open")
        return session[0]

    def handle(op: str, a: dict[str, Any]) -> object:
        if op == "open":
            session.append(open_session())
            return len(lib().documents())
        if op == "quit":
            session.pop().close()
            return None
        if op == "search":  # the library's search box: titles, then sentences in either language
            with Library.open() as job:
                return len(job.search(a["q"], limit=500)) + len(job.documents())
        if op == "filter":  # a tag filter in the library
            with Library.open() as job:
                return len(ClaimStore(job).search(tag=a["tag"]))
        if op == "find":  # Ctrl+F in the open document
            with Library.open() as job:
                return len(job.search(a["q"], limit=1000, document_id=a["doc"]))
        if op == "list":
            with Library.open() as job:
                return len(job.documents())
        if op == "show":  # opening a document: its sentences, English and claims
            info = lib().document(a["doc"])
            lib().segments(a["doc"], 0, 200)
            lib().current_translations(a["doc"])
            ClaimStore(lib()).for_document(a["doc"])
            return info.segment_count
        if op == "tag":
            return ClaimStore(lib()).add_tag(a["name"]).id
        if op == "claim":
            return create_claim(lib(), a["doc"], a["start"], a["end"], tags=["statistic"], note=a["note"])
        if op == "note":
            ClaimStore(lib()).set_note(a["claim"], a["text"])
            return None
        if op == "postedit":
            seg = lib().segments(a["doc"], offset=a["k"], limit=1)[0]
            return lib().add_translations([NewTranslation(seg.id, a["text"], kind="human")])
        raise ValueError(f"unknown op {op}")

    _serve(handle)


def helper_role() -> None:
    """The GUI's helper process: the same `app.gui.child` functions, run one job at a time."""
    from app.gui import child

    child.init(None, None)  # no progress queue, no cancel event: nobody watches

    def handle(op: str, a: dict[str, Any]) -> object:
        if op == "import":
            done, refused, locked = child.import_files([Path(a["path"])])
            if refused or locked:
                raise RuntimeError(f"refused: {(refused or locked)[0][1]}")
            return done[0].document_id
        if op == "paste":
            return child.import_text(a["text"]).document_id
        if op == "translate":
            return child.translate(a["doc"], 1, False).total
        if op == "suggest":
            return len(child.suggestions(a["doc"]))
        raise ValueError(f"unknown op {op}")

    _serve(handle)


ROLE_MAIN = "import sys; from tests.support_session import {role}_role as r; r()"
EVENT_TIMEOUT_S = 300  # a bounded wait: no child reported for this long means it hangs


class SoakError(AssertionError):
    pass


@dataclass
class Op:
    id: int
    role: str  # window | helper | cli
    op: str
    args: dict[str, Any]
    sha: str = ""  # an import's or a paste's sha256
    outcome: str = ""  # acked | failed | killed
    detail: str = ""


class Child:
    """A child process whose stdout is read line by line without blocking."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], stderr: Path, stdin: bool) -> None:
        self.name = name
        self.stderr_path = stderr
        with stderr.open("wb") as err:
            self.proc = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=err,
                env=env,
                cwd=APP_ROOT,
            )
        assert self.proc.stdout is not None
        self.fd = self.proc.stdout.fileno()
        self._buf = b""
        self.eof = False
        self.killed = False

    def read_lines(self) -> list[str]:
        """The complete lines now readable (call when select says the pipe is ready)."""
        data = os.read(self.fd, 65536)
        if not data:
            self.eof = True
        self._buf += data
        *lines, self._buf = self._buf.split(b"\n")
        return [line.decode("utf-8", "replace") for line in lines]

    def send(self, obj: object) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8"))
        self.proc.stdin.flush()

    def kill(self) -> None:
        self.killed = True
        self.proc.send_signal(signal.SIGKILL)

    def finish(self) -> int:
        """Exit status, after reading what is left."""
        if self.proc.stdin is not None:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
        code = self.proc.wait(timeout=EVENT_TIMEOUT_S)
        assert self.proc.stdout is not None
        self.proc.stdout.close()
        return code

    def stderr_tail(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")[-1500:]


@dataclass
class Worker:
    """A slot: the window and the helper are long-lived servers; a CLI slot runs one command at a time."""

    name: str
    role: str
    child: Child | None = None
    op: Op | None = None  # in flight
    ready: bool = False
    lines: list[str] = field(default_factory=list)  # a CLI command's stdout so far


@dataclass
class SoakReport:
    operations: int = 0
    acked: int = 0
    failed: int = 0
    killed: int = 0
    kills: dict[str, int] = field(default_factory=dict)
    by_role: dict[str, int] = field(default_factory=dict)
    rounds: int = 0
    checks: list[str] = field(default_factory=list)  # one integrity result per check
    failures: list[str] = field(default_factory=list)

    def summary(self) -> str:
        kills = ", ".join(f"{k} {v}" for k, v in sorted(self.kills.items())) or "none"
        roles = ", ".join(f"{k} {v}" for k, v in sorted(self.by_role.items()))
        results = sorted(set(self.checks))
        return (
            f"{self.operations} operations ({roles}): {self.acked} acknowledged, {self.failed} failed, "
            f"{self.killed} cut by a kill; {sum(self.kills.values())} SIGKILLs ({kills}); {self.rounds} rounds; "
            f"{len(self.checks)} integrity checks: {results}"
        )


# A Vietnamese query set from the samples' own words (with and without diacritics).
QUERIES = ("máy tính", "sieu may tinh", "Trung Quốc", "AI", "bang sang che", "công nghệ", "Mỹ")


def _cli_ack(op: Op, lines: list[str], code: int, killed: bool) -> tuple[bool, int | None]:
    """(acknowledged, the id it printed). A line on stdout is the acknowledgement, even when a kill
    came after it: the command said it was done."""
    patterns = {
        "import": r"#(\d+)  ",
        "claim": r"claim #(\d+) ",
        "translate": rf"#{op.args.get('doc')}  .*: \d+ sentences;",
    }
    if op.op in patterns:
        for line in lines:
            if m := re.match(patterns[op.op], line):
                return True, int(m.group(1)) if m.groups() else None
        return False, None
    return code in (0, 1) and not killed, None  # search (1: nothing found) and list


class Soak:
    """Rounds of concurrent work on one library: per round `window_ops` operations of the window's
    process (paced to run alongside the others), `helper_ops` of the helper process and `cli_ops`
    commands in each of two CLI slots; each event may SIGKILL a busy non-window process (`kill_chance`),
    which is restarted. After each round, with the window's session open and again after it quit:
    `integrity_check` and every acknowledged write."""

    def __init__(
        self,
        data_dir: Path,
        work: Path,
        *,
        seed: int = 15,
        rounds: int = 6,
        window_ops: int = 36,
        helper_ops: int = 8,
        cli_ops: int = 5,
        kill_chance: float = 0.06,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.data_dir, self.work = data_dir, work
        self.library = data_dir / "library.sqlite3"
        self.rounds, self.window_ops, self.helper_ops, self.cli_ops = rounds, window_ops, helper_ops, cli_ops
        self.kill_chance = kill_chance
        self.progress = progress or (lambda _line: None)
        self.rng = random.Random(seed)  # which operations, with what arguments
        self.kill_rng = random.Random(seed + 1)  # when to kill whom
        self.env = {**child_env(data_dir), "PYTHONPATH": os.pathsep.join([str(APP_ROOT), str(TESTS_ROOT)])}
        self.report = SoakReport()
        self.next_id = 0
        self.files = 0
        self.cli_runs = 0
        # acknowledged writes
        self.docs: dict[int, str] = {}  # document id -> sha256
        self.tags: set[str] = set()
        self.notes: set[str] = set()
        self.human: set[str] = set()
        self.claims: set[int] = set()
        self.translated: set[int] = set()
        self.window = Worker("window", "window")
        self.helper = Worker("helper", "helper")
        self.clis = [Worker("cli1", "cli"), Worker("cli2", "cli")]
        self.workers = [self.window, self.helper, *self.clis]

    # processes --------------------------------------------------------------------------------

    def _start_server(self, w: Worker) -> None:
        w.child = Child(
            w.name,
            [sys.executable, "-c", ROLE_MAIN.format(role=w.role)],
            self.env,
            self.work / f"{w.name}.stderr",
            stdin=True,
        )
        w.ready = False

    def _start_cli(self, w: Worker, op: Op) -> None:
        self.cli_runs += 1
        args = {
            "import": lambda: ["import", op.args["path"]],
            "claim": lambda: [
                "claims",
                "add",
                str(op.args["doc"]),
                "--start",
                str(op.args["start"]),
                "--end",
                str(op.args["end"]),
                "--note",
                op.args["note"],
                "--tag",
                "ranking",
                "--allow-duplicate",  # the soak's spans may fall on claimed words: it tests writes, not that rule
            ],
            "translate": lambda: ["translate", str(op.args["doc"]), "--beam", "1"],
            "search": lambda: ["search", op.args["q"]],
            "list": lambda: ["list"],
        }[op.op]()
        w.child = Child(
            w.name, cli_command(*args), self.env, self.work / f"{w.name}-{self.cli_runs}.stderr", stdin=False
        )
        w.lines = []
        w.op = op

    # choosing operations ------------------------------------------------------------------------

    def _op(self, role: str, op: str, **args: Any) -> Op:
        self.next_id += 1
        return Op(self.next_id, role, op, args)

    def _new_file(self) -> tuple[str, str]:
        self.files += 1
        path = sample_copy(self.work / "in", self.files, "f")
        return str(path), sha256_of(path)

    def _pasted_text(self) -> str:
        self.files += 1
        base = (FIXTURES / SAMPLE_FILES[self.files % 2]).read_text(encoding="utf-8")
        return f"Văn bản dán số {self.files}.\n\n{base}"

    def _pick(self, choices: list[tuple[str, int, bool]]) -> str:
        usable = [(name, weight) for name, weight, ok in choices if ok]
        return self.rng.choices([n for n, _ in usable], [w for _, w in usable])[0]

    def _doc(self) -> int:
        return self.rng.choice(sorted(self.docs))

    def _span(self) -> dict[str, int]:
        start = self.rng.randrange(0, 400)
        return {"start": start, "end": start + self.rng.randrange(10, 60)}

    def _window_op(self) -> Op:
        have = bool(self.docs)
        name = self._pick(
            [
                ("search", 3, True),
                ("filter", 1, True),
                ("list", 1, True),
                ("find", 2, have),
                ("show", 2, have),
                ("tag", 1, True),
                ("claim", 2, have),
                ("note", 2, bool(self.claims)),
                ("postedit", 3, have),
            ]
        )
        n = self.next_id + 1
        if name in ("search", "find"):
            return self._op(
                "window", name, q=self.rng.choice(QUERIES), **({"doc": self._doc()} if name == "find" else {})
            )
        if name == "filter":
            return self._op("window", name, tag=self.rng.choice(("statistic", "ranking")))
        if name == "list":
            return self._op("window", name)
        if name == "show":
            return self._op("window", name, doc=self._doc())
        if name == "tag":
            return self._op("window", name, name=f"nhan-{n}")
        if name == "claim":
            return self._op("window", name, doc=self._doc(), note=f"ghi chú cửa sổ {n}", **self._span())
        if name == "note":
            return self._op("window", name, claim=self.rng.choice(sorted(self.claims)), text=f"ghi chú sửa {n}")
        return self._op("window", name, doc=self._doc(), k=self.rng.randrange(0, 15), text=f"Bản dịch tay số {n}.")

    def _helper_op(self) -> Op:
        have = bool(self.docs)
        name = self._pick([("import", 3, True), ("paste", 2, True), ("translate", 2, have), ("suggest", 1, have)])
        if name == "import":
            path, sha = self._new_file()
            op = self._op("helper", name, path=path)
            op.sha = sha
            return op
        if name == "paste":
            text = self._pasted_text()
            op = self._op("helper", name, text=text)
            op.sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
            return op
        return self._op("helper", name, doc=self._doc())

    def _cli_op(self) -> Op:
        have = bool(self.docs)
        name = self._pick(
            [("import", 3, True), ("claim", 3, have), ("translate", 2, have), ("search", 1, True), ("list", 1, True)]
        )
        if name == "import":
            path, sha = self._new_file()
            op = self._op("cli", name, path=path)
            op.sha = sha
            return op
        if name == "claim":
            return self._op("cli", name, doc=self._doc(), note=f"ghi chú dòng lệnh {self.next_id + 1}", **self._span())
        if name == "translate":
            return self._op("cli", name, doc=self._doc())
        if name == "search":
            return self._op("cli", name, q=self.rng.choice(QUERIES))
        return self._op("cli", name)

    # results --------------------------------------------------------------------------------------

    def _record(self, op: Op, outcome: str, result: object = None, detail: str = "") -> None:
        op.outcome, op.detail = outcome, detail
        self.report.operations += 1
        self.report.by_role[op.role] = self.report.by_role.get(op.role, 0) + 1
        if outcome == "killed":
            self.report.killed += 1
            return
        if outcome == "failed":
            self.report.failed += 1
            args = {k: v if len(str(v)) < 80 else f"{str(v)[:40]}..." for k, v in op.args.items()}
            self.report.failures.append(f"{op.role} {op.op} {args}: {detail}")
            return
        self.report.acked += 1
        if op.op in ("import", "paste"):
            assert isinstance(result, int)
            self.docs[result] = op.sha
        elif op.op == "tag":
            self.tags.add(op.args["name"])
        elif op.op == "claim":
            assert isinstance(result, int)
            self.claims.add(result)
            self.notes.add(op.args["note"])
        elif op.op == "note":
            self.notes.add(op.args["text"])
        elif op.op == "postedit":
            self.human.add(op.args["text"])
        elif op.op == "translate":
            self.translated.add(op.args["doc"])

    def _server_line(self, w: Worker, line: str) -> None:
        msg = json.loads(line)
        if "ready" in msg:
            w.ready = True
            return
        op = w.op
        assert op is not None and msg["id"] == op.id, f"{w.name}: answer {msg} for {op}"
        w.op = None
        if msg["ok"]:
            self._record(op, "acked", msg["result"])
        else:
            self._record(op, "failed", detail=f"{msg['error']}\n{msg.get('trace', '')}")

    def _cli_done(self, w: Worker) -> None:
        assert w.child is not None and w.op is not None
        code = w.child.finish()
        op, lines, killed = w.op, w.lines, w.child.killed
        w.op, w.child = None, None
        acked, result = _cli_ack(op, lines, code, killed)
        if acked:
            self._record(op, "acked", result)
        elif killed:
            self._record(op, "killed")
        else:
            self._record(op, "failed", detail=f"exit {code}: {' | '.join(lines)[-300:]} {self._stderr(w, op)}")

    def _stderr(self, w: Worker, op: Op) -> str:
        path = self.work / f"{w.name}-{self.cli_runs}.stderr"
        return path.read_text(encoding="utf-8", errors="replace")[-1500:] if path.exists() else ""

    # the loop -------------------------------------------------------------------------------------

    def _maybe_kill(self) -> None:
        if self.kill_rng.random() >= self.kill_chance:
            return
        busy = [w for w in (self.helper, *self.clis) if w.op is not None and w.child is not None and not w.child.killed]
        if not busy:
            return
        victim = self.kill_rng.choice(busy)
        assert victim.child is not None
        victim.child.kill()
        self.report.kills[victim.role] = self.report.kills.get(victim.role, 0) + 1

    def _handle(self, w: Worker) -> None:
        assert w.child is not None
        lines = w.child.read_lines()
        if w.role == "cli":
            w.lines.extend(lines)
            if w.child.eof:
                self._cli_done(w)
            return
        for line in lines:
            self._server_line(w, line)
        if w.child.eof:
            child = w.child
            code = child.finish()
            if w is self.window or not child.killed:
                raise SoakError(f"the {w.name} process ended (exit {code}):\n{child.stderr_tail()}")
            if w.op is not None:  # killed before it answered
                self._record(w.op, "killed")
                w.op = None
            self._start_server(w)  # the window starts a new helper process on its next job

    def _wait(self) -> None:
        fds = {w.child.fd: w for w in self.workers if w.child is not None}
        ready, _, _ = select.select(list(fds), [], [], EVENT_TIMEOUT_S)
        if not ready:
            busy = [f"{w.name}: {w.op}" for w in self.workers if w.op is not None]
            raise SoakError(f"no process reported for {EVENT_TIMEOUT_S} s; in flight: {busy}")
        for fd in ready:
            self._handle(fds[fd])
            self._maybe_kill()

    def _server_op(self, w: Worker, op: Op) -> None:
        assert w.child is not None
        w.op = op
        w.child.send({"id": op.id, "op": op.op, "args": op.args})

    def _window_call(self, name: str) -> None:
        """Open or quit the window's session, with nothing else running."""
        while not self.window.ready:
            self._wait()
        self._server_op(self.window, self._op("window", name))
        while self.window.op is not None:
            self._wait()

    def _round(self) -> None:
        left = {"helper": self.helper_ops, "cli1": self.cli_ops, "cli2": self.cli_ops}
        others = sum(left.values())
        window_done = 0
        while True:
            for w in (self.helper, *self.clis):
                if w.op is None and left[w.name] > 0 and (w.role == "cli" or w.ready):
                    left[w.name] -= 1
                    if w.role == "cli":
                        self._start_cli(w, self._cli_op())
                    else:
                        self._server_op(w, self._helper_op())
            # The window works alongside: its share of operations grows with the others' progress.
            others_done = others - sum(left.values()) - sum(1 for w in (self.helper, *self.clis) if w.op is not None)
            allowed = -(-self.window_ops * (others_done + 1) // (others + 1))
            if self.window.op is None and self.window.ready and window_done < min(allowed, self.window_ops):
                window_done += 1
                self._server_op(self.window, self._window_op())
            idle = all(w.op is None for w in self.workers)
            if idle and not any(left.values()) and window_done >= self.window_ops:
                return
            self._wait()

    def check(self, when: str) -> None:
        state = inspect_library(self.library)
        self.report.checks.append(state.integrity)
        problems = []
        if not state.ok:
            problems.append(f"integrity_check: {state.integrity}")
        lost_docs = {i: sha for i, sha in self.docs.items() if sha not in state.shas}
        if lost_docs:
            problems.append(f"{len(lost_docs)} acknowledged documents lost: {sorted(lost_docs)}")
        for what, acked, found in (
            ("tags", self.tags, state.tags),
            ("notes", self.notes, state.notes),
            ("post-edits", self.human, state.human_english),
            ("claims", self.claims, state.claim_ids),
        ):
            if not acked <= found:
                problems.append(f"acknowledged {what} lost: {sorted(acked - found)[:5]}")
        half = {d: state.untranslated.get(d) for d in self.translated if state.untranslated.get(d, 1) != 0}
        if half:
            problems.append(f"translated documents with sentences missing English (or gone): {half}")
        if problems:
            failed = "".join(f"\n  failed: {f.splitlines()[0][:300]}" for f in self.report.failures[:10])
            raise SoakError(f"{when}: " + "; ".join(problems) + f"\n{self.report.summary()}{failed}")

    def run(self) -> SoakReport:
        (self.work / "in").mkdir(parents=True, exist_ok=True)
        self._start_server(self.window)
        self._start_server(self.helper)
        try:
            for n in range(1, self.rounds + 1):
                self._window_call("open")
                self._round()
                self.check(f"round {n}, the window open")
                self._window_call("quit")
                self.check(f"round {n}, after the window quit")
                self.report.rounds = n
                self.progress(f"round {n}: {self.report.summary()}")
        finally:
            for w in self.workers:
                if w.child is not None:
                    if w.role == "cli" or w.op is not None:
                        w.child.kill()
                    w.child.finish()
        for failure in self.report.failures:
            self.progress("failed: " + failure)
        return self.report
