"""Hostile inputs and honest mistakes through the real CLI, classified (issue 20's "hidden probe").

    .venv/bin/python bench/hostile_probe.py [--jobs 3] [--only SUBSTRING] [--timeout 90] [--verbose]

Every input is made here, in a temporary folder: a small real library (the two samples of
tests/fixtures imported, a claim, a tag, a title with an escape sequence, an NFC title), files of
every awkward kind (folders, FIFOs, symbolic links to /dev/zero, binary garbage, 100 KB words, names
that are not UTF-8, zip bombs, XML bombs...). Each case runs `main.py ...` in a subprocess with
DOICHIEU_DATA_DIR set to its own copy of that library, then is judged:

OK    exit 0 with sane output, or a refusal: non-zero exit and one clear line on stderr.
FAIL  by class:
  traceback        "Traceback" or "unexpected error, a bug" in the output
  hang             still running after --timeout seconds
  integrity        PRAGMA integrity_check of the library is not "ok" afterwards
  library-lost     the library file is gone or is no longer a library
  changed-refused  a refused command changed the library's rows (or replaced a backup)
  backup-replaced  a backup in the data folder's backups/ was overwritten or removed
  stray-file       a file appeared outside the data folder and the output the case names
  partial-output   a refused command left (or changed) the output file it was asked to write
  no-output        exit 0 but the named output file is missing or empty
  accepted-bad     a command that must be refused exited 0
  not-one-line     a refusal said nothing, or more than one line (argparse's usage lines aside)
  terminal-escape  text from the library or a file reached the terminal with raw control
                   characters (ESC, BEL, backspace, carriage return...): terminal injection
  leaked           the output holds text from a file the command had no business reading
  unsafe-output    an export read back by a reader of its format is unreadable, or carries active
                   content (a PDF link that is not http(s), /JavaScript, <script> in HTML/Markdown,
                   a CSV cell starting a formula)

Run as root (as here), permission checks are meaningless (root writes into read-only folders);
those cases are listed as "skipped (root)" and not run.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import hashlib
import io
import os
import random
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
if not PYTHON.exists():
    PYTHON = Path(sys.executable)
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLES = [FIXTURES / "forum_post_ai_race.vi.txt", FIXTURES / "pdf_copy_supercomputers.vi.txt"]
TINY_MODEL = FIXTURES / "generated" / "tiny-vi_en.argosmodel"
LIB = "library.sqlite3"
HUGE = "99999999999999999999"
LONG = "a" * 100_000  # 100 KB of one word (1 MB would pass the kernel's argv limit)
ESC_TITLE = "tin \x1b[31mđỏ\x1b[0m\x07"  # a title with an ANSI colour and a bell
NFC_TITLE = "Báo cáo tài chính"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
FAIL_CLASSES = (
    "traceback",
    "hang",
    "integrity",
    "library-lost",
    "changed-refused",
    "backup-replaced",
    "stray-file",
    "partial-output",
    "no-output",
    "accepted-bad",
    "not-one-line",
    "terminal-escape",
    "leaked",
    "unsafe-output",
)
CONTROL = {chr(c) for c in range(32) if chr(c) not in "\n\t"} | {"\x7f"} | {chr(c) for c in range(0x80, 0xA0)}
Arg = str | bytes


@dataclasses.dataclass
class Ctx:
    root: Path  # the case's folder
    data: Path  # its DOICHIEU_DATA_DIR
    work: Path  # the current directory of the command, where its inputs are

    @property
    def lib(self) -> Path:
        return self.data / LIB


@dataclasses.dataclass
class Case:
    name: str
    argv: Sequence[Arg]
    expect: str = "any"  # "ok" | "refuse" | "any"
    setup: Callable[[Ctx], None] | None = None
    output: str | None = None  # the file the command is asked to write ({work}/{data} expanded)
    pre: Sequence[Sequence[Arg]] = ()  # commands run first (their outcome is not judged)
    may_change: bool = False  # a refusal may still have changed the library (a batch's good items)
    damaged: bool = False  # the setup damages the library on purpose: no integrity/rows checks
    env: dict[str, str] | None = None
    json_out: bool = False  # stdout is JSON: control characters are escaped there
    forbid: str | None = None  # text that must not appear in the output (leaked file contents)
    validate: bool = False  # the written file is read back by a reader of its format (see read_back)
    root_moot: bool = False  # meaningless as root: skipped


@dataclasses.dataclass
class Outcome:
    case: Case
    code: int | None
    seconds: float
    fails: list[tuple[str, str]]
    stderr: str


# ---------------------------------------------------------------- inputs


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def garbage(n: int = 20_000, seed: int = 1) -> bytes:
    rnd = random.Random(seed)
    return bytes(rnd.randrange(1, 256) for _ in range(n))  # no NUL


def fifo(name: str) -> Callable[[Ctx], None]:
    return lambda c: os.mkfifo(c.work / name)


def link(name: str, target: str) -> Callable[[Ctx], None]:
    def make(c: Ctx) -> None:
        os.symlink(target.format(work=c.work, data=c.data, lib=c.lib), c.work / name)

    return make


def folder(name: str) -> Callable[[Ctx], None]:
    return lambda c: (c.work / name).mkdir(parents=True)


def text_file(name: str | bytes, content: bytes | str) -> Callable[[Ctx], None]:
    def make(c: Ctx) -> None:
        path = os.path.join(os.fsencode(c.work), name) if isinstance(name, bytes) else c.work / name
        with open(path, "wb") as fh:
            fh.write(content.encode("utf-8") if isinstance(content, str) else content)

    return make


def both(*steps: Callable[[Ctx], None]) -> Callable[[Ctx], None]:
    def make(c: Ctx) -> None:
        for step in steps:
            step(c)

    return make


def zip_file(name: str, entries: dict[str, bytes], lie: bool = False) -> Callable[[Ctx], None]:
    def make(c: Ctx) -> None:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for entry, data in entries.items():
                zf.writestr(entry, data)
        raw = buf.getvalue()
        if lie:  # every declared uncompressed size says 100 bytes (local and central headers)
            raw = bytearray(raw)
            for sig, off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
                at = raw.find(sig)
                while at >= 0:
                    raw[at + off : at + off + 4] = (100).to_bytes(4, "little")
                    at = raw.find(sig, at + 4)
            raw = bytes(raw)
        write(c.work / name, raw)

    return make


def zip_bomb(name: str, size: int = 256 * 1024**2) -> Callable[[Ctx], None]:
    def make(c: Ctx) -> None:
        with zipfile.ZipFile(c.work / name, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("metadata.json", '{"package_version": "1.0", "from_code": "vi", "to_code": "en"}')
            with zf.open("model/model.bin", "w", force_zip64=True) as fh:
                block = b"\0" * (1024**2)
                for _ in range(size // len(block)):
                    fh.write(block)

    return make


def truncated_backup(c: Ctx) -> None:
    backup = sorted((c.data / "backups").glob("*.sqlite3"))[0]
    data = backup.read_bytes()
    write(c.work / "half.sqlite3", data[: len(data) // 2])


def copy_backup(name: str) -> Callable[[Ctx], None]:
    def make(c: Ctx) -> None:
        backup = sorted((c.data / "backups").glob("*.sqlite3"))[0]
        shutil.copyfile(backup, c.work / name)

    return make


def damage_library(how: str) -> Callable[[Ctx], None]:
    def make(c: Ctx) -> None:
        if how == "empty":
            c.lib.write_bytes(b"")
        elif how == "garbage":
            c.lib.write_bytes(garbage(50_000))
        elif how == "folder":
            c.lib.unlink()
            c.lib.mkdir()
        elif how == "wal-zero":
            os.symlink("/dev/zero", str(c.lib) + "-wal")
        elif how == "wal-garbage":
            write(Path(str(c.lib) + "-wal"), garbage(40_000))
        elif how == "half":
            data = c.lib.read_bytes()
            c.lib.write_bytes(data[: len(data) // 2])
        elif how == "state-garbage":
            write(Path(str(c.lib) + ".state"), garbage(300))

    return make


XML_BOMB = (
    '<?xml version="1.0"?>\n<!DOCTYPE tmx [\n<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">\n'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(9))
    + ']>\n<tmx version="1.4"><header/><body><tu><tuv xml:lang="vi"><seg>&j;</seg></tuv>'
    '<tuv xml:lang="en"><seg>x</seg></tuv></tu></body></tmx>\n'
)
XXE = (
    '<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    '<tmx version="1.4"><header/><body><tu><tuv xml:lang="vi"><seg>&x;</seg></tuv>'
    '<tuv xml:lang="en"><seg>x</seg></tuv></tu></body></tmx>\n'
)


# ---------------------------------------------------------------- the cases


def cases() -> list[Case]:
    out: list[Case] = []
    add = out.append
    fmts = ("html", "pdf", "docx", "md", "csv", "jsonl", "tmx")
    nfd = unicodedata.normalize("NFD", NFC_TITLE)

    # --- no command / unknown things
    add(Case("help", ["--help"], "ok"))
    add(Case("unknown-command", ["frobnicate"], "refuse"))
    add(Case("unknown-option", ["list", "--frob"], "refuse"))

    # --- clean: every kind of file that is not a document
    add(Case("clean-missing", ["clean", "nope.txt"], "refuse"))
    add(Case("clean-folder", ["clean", "x.txt"], "refuse", setup=folder("x.txt")))
    add(Case("clean-fifo", ["clean", "x.txt"], "refuse", setup=fifo("x.txt")))
    add(Case("clean-devzero-link", ["clean", "x.txt"], "refuse", setup=link("x.txt", "/dev/zero")))
    add(Case("clean-dev-null", ["clean", "/dev/null"], "refuse"))
    add(Case("clean-dev-zero", ["clean", "/dev/zero"], "refuse"))
    add(Case("clean-garbage-txt", ["clean", "g.txt"], setup=text_file("g.txt", garbage())))
    add(Case("clean-garbage-pdf", ["clean", "g.pdf"], "refuse", setup=text_file("g.pdf", garbage())))
    add(Case("clean-pdf-header-only", ["clean", "h.pdf"], "refuse", setup=text_file("h.pdf", b"%PDF-1.7\n%%EOF\n")))
    add(Case("clean-empty", ["clean", "e.txt"], setup=text_file("e.txt", b"")))
    add(Case("clean-spaceless-100k", ["clean", "w.txt"], "ok", setup=text_file("w.txt", "Đ" + "ạ" * 100_000)))
    add(Case("clean-hex-line", ["clean", "h.txt"], "ok", setup=text_file("h.txt", os.urandom(60_000).hex())))
    add(Case("clean-ansi", ["clean", "a.txt"], "ok", setup=text_file("a.txt", "Tin \x1b[2J\x1b]0;owned\x07 nóng.\r\n")))
    add(
        Case(
            "clean-ansi-json",
            ["clean", "--json", "a.txt"],
            "ok",
            setup=text_file("a.txt", "Tin \x1b[2J nóng."),
            json_out=True,
        )
    )
    add(
        Case(
            "clean-bad-utf8-name", ["clean", b"b\xe1o \xff.txt"], "ok", setup=text_file(b"b\xe1o \xff.txt", "Xin chào.")
        )
    )
    add(Case("clean-the-library", ["clean", "{lib}"], "refuse"))
    add(Case("clean-missing-parent", ["clean", "no/such/dir/x.txt"], "refuse"))
    add(Case("clean-dash", ["clean", "-"], "refuse"))
    add(Case("clean-utf16", ["clean", "u.txt"], "ok", setup=text_file("u.txt", "Xin chào thế giới.".encode("utf-16"))))
    add(Case("clean-zip-as-pdf", ["clean", "z.pdf"], "refuse", setup=zip_file("z.pdf", {"a": b"b"})))
    add(Case("clean-password-on-txt", ["clean", "--password", "", "t.txt"], "ok", setup=text_file("t.txt", "Chào.")))

    # --- import
    add(Case("import-missing", ["import", "nope.txt"], "refuse"))
    add(Case("import-none", ["import"], "refuse"))
    add(Case("import-fifo", ["import", "x.txt"], "refuse", setup=fifo("x.txt")))
    add(Case("import-devzero-link", ["import", "x.txt"], "refuse", setup=link("x.txt", "/dev/zero")))
    add(Case("import-dev-null", ["import", "/dev/null"], "refuse"))
    add(Case("import-the-library", ["import", "{lib}"], "refuse"))
    add(Case("import-link-to-library", ["import", "l.txt"], "refuse", setup=link("l.txt", "{lib}")))
    add(Case("import-data-folder", ["import", "{data}"], "refuse"))
    add(Case("import-empty-folder", ["import", "d"], "refuse", setup=folder("d")))
    add(
        Case(
            "import-symlink-loop",
            ["import", "d"],
            "any",
            setup=both(folder("d"), lambda c: os.symlink(".", c.work / "d" / "loop")),
            may_change=True,
        )
    )
    add(Case("import-garbage", ["import", "g.txt"], "any", setup=text_file("g.txt", garbage()), may_change=True))
    add(Case("import-garbage-pdf", ["import", "g.pdf"], "refuse", setup=text_file("g.pdf", garbage())))
    add(Case("import-empty-file", ["import", "e.txt"], "refuse", setup=text_file("e.txt", b"")))
    add(
        Case(
            "import-batch-bad-first",
            ["import", "nope.txt", "x.txt", "ok.txt"],
            "refuse",
            setup=both(fifo("x.txt"), text_file("ok.txt", "Một câu mới hoàn toàn khác.")),
            may_change=True,
        )
    )
    add(
        Case(
            "import-bad-utf8-name",
            ["import", b"t\xe9p \xff.txt"],
            "ok",
            setup=text_file(b"t\xe9p \xff.txt", "Câu thử nghiệm."),
            may_change=True,
        )
    )
    add(
        Case(
            "import-nfd-title-twice",
            ["import", nfd + ".txt"],
            "any",
            setup=text_file(nfd + ".txt", "Doanh thu tăng 5% trong năm 2023."),
            may_change=True,
        )
    )
    add(
        Case(
            "import-ansi-name",
            ["import", "\x1b[31mred\x1b[0m.txt"],
            "ok",
            setup=text_file("\x1b[31mred\x1b[0m.txt", "Nội dung."),
            may_change=True,
        )
    )
    add(
        Case(
            "import-newline-name",
            ["import", "a\nb.txt"],
            "ok",
            setup=text_file("a\nb.txt", "Nội dung khác."),
            may_change=True,
        )
    )
    add(
        Case(
            "import-spaceless-100k", ["import", "w.txt"], "ok", setup=text_file("w.txt", "x" * 100_000), may_change=True
        )
    )
    add(
        Case(
            "import-same-twice",
            ["import", "s.txt", "s.txt"],
            "ok",
            setup=text_file("s.txt", "Câu lặp lại."),
            may_change=True,
        )
    )
    add(
        Case(
            "import-password-empty",
            ["import", "--password", "", "t.txt"],
            "ok",
            setup=text_file("t.txt", "Câu."),
            may_change=True,
        )
    )

    # --- list / show
    add(Case("list", ["list"], "ok"))
    add(Case("list-json", ["list", "--json"], "ok", json_out=True))
    add(Case("list-extra-arg", ["list", "x"], "refuse"))
    for name, ref in (
        ("zero", "0"),
        ("negative", "-1"),
        ("huge", HUGE),
        ("empty", ""),
        ("blank", "   "),
        ("sql", "x'; DROP TABLE documents;--"),
        ("percent", "%"),
        ("underscore", "_"),
        ("missing-id", "999"),
        ("ambiguous", "vi"),
        ("long", LONG),
        ("float", "1.5"),
        ("hex", "0x1"),
        ("fullwidth-digit", "１"),
        ("arabic-digit", "٣"),
        ("hash-only", "#"),
        ("surrogate", b"\xff\xfe"),
    ):
        add(Case(f"show-{name}", ["show", ref], "refuse"))
    add(Case("show-ansi", ["show", "\x1b[31m"], "any"))
    add(Case("show-nfd-title", ["show", nfd], "ok"))
    add(Case("show-title-with-escape", ["show", "tin"], "ok"))
    add(Case("show-json-escape", ["show", "--json", "tin"], "ok", json_out=True))

    # --- search: FTS syntax and friends
    for name, query in (
        ("or-dangling", "a OR"),
        ("quote", '"'),
        ("near", "NEAR("),
        ("star", "*"),
        ("caret", "^"),
        ("and-alone", "AND"),
        ("minus", "-x"),
        ("parens", "((("),
        ("column", "text:x"),
        ("sql", "'; DROP TABLE segments;--"),
        ("backslash", "\\"),
        ("percent", "%"),
        ("empty", ""),
        ("blank", " \t\n"),
        ("long", LONG),
        ("combining", "\u0301\u0301"),
        ("emoji", "🤖"),
        ("ansi", "\x1b[2J"),
    ):
        add(Case(f"search-{name}", ["search", query], "any"))
    add(Case("search-surrogate", ["search", b"Vi\xe1t"], "refuse"))
    add(Case("search-garbage-bytes", ["search", garbage(300, 2)], "refuse"))
    for name, lim in (
        ("zero", "0"),
        ("neg", "-1"),
        ("huge", HUGE),
        ("float", "1.5"),
        ("word", "ten"),
        ("max+1", "10001"),
    ):
        add(Case(f"search-limit-{name}", ["search", "x", "--limit", lim], "refuse"))
    add(Case("search-limit-twice", ["search", "năm", "--limit", "5", "--limit", "7"], "any"))
    add(Case("search-doc-missing", ["search", "x", "--doc", "999"], "refuse"))
    add(Case("search-json-escape", ["search", "--json", "đỏ"], "any", json_out=True))
    add(Case("search-escape-title", ["search", "đỏ"], "any"))

    # --- translate (no model installed in the library copy)
    add(Case("translate-no-model", ["translate", "1"], "refuse"))
    add(Case("translate-nothing", ["translate"], "refuse"))
    add(Case("translate-all-no-model", ["translate", "--all"], "refuse"))
    add(Case("translate-huge", ["translate", HUGE], "refuse"))
    add(Case("translate-beam-0", ["translate", "1", "--beam", "0"], "refuse"))
    add(Case("translate-beam-huge", ["translate", "1", "--beam", HUGE], "refuse"))
    add(Case("translate-beam-word", ["translate", "1", "--beam", "four"], "refuse"))
    add(Case("translate-doc-and-all", ["translate", "1", "--all"], "refuse"))
    if TINY_MODEL.exists():
        add(
            Case(
                "translate-tiny",
                ["translate", "2"],
                "ok",
                pre=[["models", "install", str(TINY_MODEL)]],
                may_change=True,
            )
        )

    # --- claims
    c_add = ["claims", "add", "1", "--allow-duplicate"]  # the template holds a claim over 0-30
    for name, start, end in (
        ("zero-width", "10", "10"),
        ("end-before-start", "40", "10"),
        ("beyond-text", "50000", "50010"),
        ("end-beyond", "0", "50000"),
        ("neg", "-1", "5"),
        ("huge", HUGE, HUGE),
        ("word", "abc", "5"),
        ("float", "1.5", "5"),
    ):
        add(Case(f"claims-add-{name}", [*c_add, "--start", start, "--end", end], "refuse"))
    add(Case("claims-add-duplicate", ["claims", "add", "1", "--start", "5", "--end", "20"], "refuse"))
    add(Case("claims-add-spaces-only", ["claims", "add", "1", "--start", "0", "--end", "0"], "refuse"))
    add(Case("claims-add-whitespace-span", [*c_add, "--start", "{ws}", "--end", "{ws1}"], "any", may_change=True))
    add(Case("claims-add-doc-missing", ["claims", "add", "999", "--start", "0", "--end", "5"], "refuse"))
    add(Case("claims-add-bad-verdict", [*c_add, "--start", "0", "--end", "5", "--verdict", "true"], "refuse"))
    add(
        Case(
            "claims-add-note-ansi",
            [*c_add, "--start", "0", "--end", "20", "--note", "a\nb\tc\x1b[2J\x1b]0;x\x07\rd"],
            "ok",
            may_change=True,
        )
    )
    add(Case("claims-add-note-long", [*c_add, "--start", "0", "--end", "20", "--note", LONG], "any", may_change=True))
    add(Case("claims-add-note-surrogate", [*c_add, "--start", "0", "--end", "20", "--note", b"\xed\xa0\x80"], "refuse"))
    add(
        Case(
            "claims-add-tag-missing",
            [*c_add, "--start", "0", "--end", "20", "--tag", "no-such-tag"],
            "any",
            may_change=True,
        )
    )
    add(Case("claims-add-tag-empty", [*c_add, "--start", "0", "--end", "20", "--tag", ""], "any", may_change=True))
    add(Case("claims-add-start-twice", [*c_add, "--start", "0", "--start", "5", "--end", "20"], "any", may_change=True))
    add(Case("claims-add-nfd-doc", ["claims", "add", nfd, "--start", "0", "--end", "9"], "ok", may_change=True))
    add(Case("claims-suggest", ["claims", "suggest", "1"], "ok"))
    add(Case("claims-suggest-missing", ["claims", "suggest", "999"], "refuse"))
    add(
        Case(
            "claims-suggest-spaceless",
            ["claims", "suggest", "w"],
            "ok",
            pre=[["import", "w.txt"]],
            setup=text_file("w.txt", os.urandom(50_000).hex()),
            may_change=True,
        )
    )
    add(Case("claims-dismiss-beyond", ["claims", "dismiss", "1", "--start", "50000"], "refuse"))
    add(Case("claims-dismiss-neg", ["claims", "dismiss", "1", "--start", "-1"], "refuse"))
    add(Case("claims-dismiss-0", ["claims", "dismiss", "1", "--start", "0"], "ok", may_change=True))
    add(Case("claims-list", ["claims", "list"], "ok"))
    add(Case("claims-list-json", ["claims", "list", "--json"], "ok", json_out=True))
    add(Case("claims-list-tag-missing", ["claims", "list", "--tag", "no-such"], "any"))
    for name, text in (("or", "a OR"), ("quote", '"'), ("near", "NEAR("), ("star", "*"), ("long", LONG)):
        add(Case(f"claims-list-text-{name}", ["claims", "list", "--text", text], "any"))
    add(Case("claims-list-status-bad", ["claims", "list", "--status", "lost"], "refuse"))
    add(Case("claims-list-doc-huge", ["claims", "list", "--doc", HUGE], "refuse"))
    for name, cid in (("missing", "50000"), ("zero", "0"), ("neg", "-3"), ("huge", HUGE), ("word", "one")):
        add(Case(f"claims-edit-{name}", ["claims", "edit", cid, "--note", "x"], "refuse"))
    add(
        Case(
            "claims-edit-js-evidence",
            ["claims", "edit", "1", "--evidence", "javascript:alert(1)"],
            "ok",
            may_change=True,
        )
    )
    add(
        Case(
            "claims-edit-pdf-js-evidence",
            ["claims", "edit", "1", "--evidence", "https://a.example/)/S/JavaScript/JS(app.alert(1));"],
            "ok",
            may_change=True,
        )
    )
    add(
        Case(
            "claims-edit-evidence-long",
            ["claims", "edit", "1", "--evidence", "https://a.example/" + LONG],
            "any",
            may_change=True,
        )
    )
    add(
        Case(
            "claims-edit-quote-ansi",
            ["claims", "edit", "1", "--evidence", "sách", "--quote", "\x1b[2Jq"],
            "ok",
            may_change=True,
        )
    )
    add(Case("claims-edit-delete-and-note", ["claims", "edit", "1", "--note", "x", "--delete"], "any", may_change=True))
    add(Case("claims-edit-delete-missing", ["claims", "edit", "50000", "--delete"], "refuse"))
    add(Case("claims-edit-tag-missing", ["claims", "edit", "1", "--tag", "no-such"], "any", may_change=True))
    add(Case("claims-edit-nothing", ["claims", "edit", "1"], "any"))
    add(Case("claims-no-action", ["claims"], "refuse"))

    # --- tags
    add(Case("tags-list", ["tags", "list"], "ok"))
    add(Case("tags-add-empty", ["tags", "add", ""], "refuse"))
    add(Case("tags-add-blank", ["tags", "add", "   "], "refuse"))
    add(Case("tags-add-long", ["tags", "add", LONG], "any", may_change=True))
    add(Case("tags-add-ansi", ["tags", "add", "x\x1b[2Jy\nz"], "any", may_change=True))
    add(Case("tags-add-surrogate", ["tags", "add", b"t\xff"], "refuse"))
    add(Case("tags-add-bad-color", ["tags", "add", "t1", "--color", "not a colour"], "refuse"))
    add(Case("tags-add-bad-shortcut", ["tags", "add", "t2", "--shortcut", "ctrl+alt+del"], "refuse"))
    add(Case("tags-add-duplicate", ["tags", "add", "Probe"], "refuse"))
    add(Case("tags-rename-missing", ["tags", "rename", "no-such", "x"], "refuse"))
    add(Case("tags-rename-onto-existing", ["tags", "rename", "Probe", "{other_tag}"], "refuse"))
    add(Case("tags-rename-to-empty", ["tags", "rename", "Probe", ""], "refuse"))
    add(Case("tags-delete-missing", ["tags", "delete", "no-such"], "refuse"))
    add(Case("tags-delete-reassign-self", ["tags", "delete", "Probe", "--reassign", "Probe"], "refuse"))
    add(
        Case(
            "tags-delete-reassign-and-force",
            ["tags", "delete", "Probe", "--reassign", "{other_tag}", "--force"],
            "any",
            may_change=True,
        )
    )
    add(Case("tags-bad-action", ["tags", "explode"], "refuse"))

    # --- delete
    for name, ref in (("zero", "0"), ("huge", HUGE), ("missing", "999"), ("ambiguous", "vi"), ("empty", "")):
        add(Case(f"delete-{name}", ["delete", ref], "refuse"))
    add(Case("delete-twice-fast", ["delete", "2"], "ok", pre=[["delete", "1"]], may_change=True))

    # --- export, every format
    for f in fmts:
        add(Case(f"export-{f}-ok", ["export", "1", "-f", f, "-o", "out." + f], "ok", output="{work}/out." + f))
        add(Case(f"export-{f}-over-library", ["export", "1", "-f", f, "-o", "{lib}"], "refuse"))
        add(Case(f"export-{f}-into-folder", ["export", "1", "-f", f, "-o", "d"], "refuse", setup=folder("d")))
        add(Case(f"export-{f}-over-backup", ["export", "1", "-f", f, "-o", "{backup}"], "refuse"))
    add(Case("export-over-wal", ["export", "1", "-f", "html", "-o", "{lib}-wal"], "refuse", output="{lib}-wal"))
    add(Case("export-over-shm", ["export", "1", "-f", "csv", "-o", "{lib}-shm"], "refuse", output="{lib}-shm"))
    add(Case("export-over-state", ["export", "1", "-f", "csv", "-o", "{lib}.state"], "refuse"))
    add(
        Case("export-link-to-library", ["export", "1", "-f", "md", "-o", "l.md"], "refuse", setup=link("l.md", "{lib}"))
    )
    add(Case("export-data-folder", ["export", "1", "-f", "md", "-o", "{data}"], "refuse"))
    add(
        Case(
            "export-missing-parent",
            ["export", "1", "-f", "md", "-o", "no/such/x.md"],
            "any",
            output="{work}/no/such/x.md",
        )
    )
    add(
        Case(
            "export-parent-is-file",
            ["export", "1", "-f", "md", "-o", "f.txt/x.md"],
            "refuse",
            setup=text_file("f.txt", "x"),
        )
    )
    add(Case("export-fifo", ["export", "1", "-f", "csv", "-o", "p.csv"], "refuse", setup=fifo("p.csv")))
    add(
        Case(
            "export-devnull-link",
            ["export", "1", "-f", "csv", "-o", "n.csv"],
            "refuse",
            setup=link("n.csv", "/dev/null"),
        )
    )
    add(Case("export-empty-output", ["export", "1", "-f", "md", "-o", ""], "refuse"))
    add(Case("export-no-doc", ["export", "-f", "md", "-o", "x.md"], "refuse", output="{work}/x.md"))
    add(Case("export-doc-missing", ["export", "999", "-f", "md", "-o", "x.md"], "refuse", output="{work}/x.md"))
    add(
        Case(
            "export-tag-missing",
            ["export", "--tag", "no-such", "-f", "md", "-o", "x.md"],
            "refuse",
            output="{work}/x.md",
        )
    )
    add(Case("export-all", ["export", "all", "-f", "docx", "-o", "all.docx"], "ok", output="{work}/all.docx"))
    add(
        Case(
            "export-format-twice",
            ["export", "1", "-f", "html", "-f", "csv", "-o", "x.html"],
            "any",
            output="{work}/x.html",
        )
    )
    add(Case("export-bad-format", ["export", "1", "-f", "exe", "-o", "x.exe"], "refuse", output="{work}/x.exe"))
    add(
        Case(
            "export-bad-page",
            ["export", "1", "-f", "pdf", "--page", "a0", "-o", "x.pdf"],
            "refuse",
            output="{work}/x.pdf",
        )
    )
    add(Case("export-ansi-name", ["export", "1", "-f", "md", "-o", "\x1b[2J.md"], "any", output="{work}/\x1b[2J.md"))
    add(
        Case(
            "export-existing-kept-on-refusal",
            ["export", "999", "-f", "md", "-o", "keep.md"],
            "refuse",
            setup=text_file("keep.md", "mine"),
            output="{work}/keep.md",
        )
    )
    add(Case("export-readonly-folder", ["export", "1", "-f", "md", "-o", "ro/x.md"], "refuse", root_moot=True))
    for f in ("pdf", "docx", "md", "csv", "tmx", "html", "jsonl"):
        add(
            Case(
                f"export-{f}-hostile-claims",
                ["export", "1", "-f", f, "-o", "h." + f],
                "ok",
                output="{work}/h." + f,
                pre=[
                    [
                        "claims",
                        "edit",
                        "1",
                        "--note",
                        "=cmd|' /C calc'!A0\x0b\x1b<script>alert(1)</script>",
                        "--evidence",
                        "https://a.example/)/S/JavaScript/JS(app.alert(1));",
                        "--quote",
                        "\x01\x02>x",
                    ]
                ],
                may_change=True,
                validate=True,
            )
        )
    hostile_name = "<style>@import url(evil.css) [x](javascript:alert(1)) (a).txt"
    for f in ("pdf", "docx", "md", "csv", "tmx", "html", "jsonl"):
        add(
            Case(
                f"export-{f}-hostile-title",
                ["export", "style", "-f", f, "-o", "t." + f],
                "ok",
                output="{work}/t." + f,
                setup=text_file(hostile_name, "Doanh thu tăng 5% (ước tính) <b>đậm</b> & [link](javascript:x).\n"),
                pre=[
                    ["import", hostile_name],
                    ["claims", "add", "style", "--start", "0", "--end", "20", "--note", "-2+3+cmd|' /C calc'!A0"],
                    [
                        "claims",
                        "edit",
                        "2",
                        "--evidence",
                        "https://a.example/x>y<script>alert(1)</script>",
                        "--evidence-note",
                        "@SUM(A1)\tx",
                    ],
                ],
                may_change=True,
                validate=True,
            )
        )
    # --- more honest mistakes: duplicates, ids typed with decoration, what was already taken
    add(
        Case(
            "claims-add-tag-twice",
            [*c_add, "--start", "0", "--end", "20", "--tag", "statistic", "--tag", "STATISTIC"],
            "any",
            may_change=True,
        )
    )
    add(Case("claims-edit-quote-alone", ["claims", "edit", "1", "--quote", "q"], "any", may_change=True))
    add(Case("claims-edit-evidence-empty", ["claims", "edit", "1", "--evidence", ""], "any", may_change=True))
    add(Case("claims-dismiss-mid-sentence", ["claims", "dismiss", "1", "--start", "3"], "any", may_change=True))
    add(
        Case(
            "export-page-twice",
            ["export", "1", "-f", "pdf", "--page", "letter", "--page", "a4", "-o", "x.pdf"],
            "ok",
            output="{work}/x.pdf",
            validate=True,
        )
    )
    add(Case("show-spaced-id", ["show", " 1 "], "ok"))
    add(Case("show-hash-id", ["show", "#1"], "ok"))
    add(Case("delete-hash-id", ["delete", "#2"], "ok", may_change=True))
    add(
        Case(
            "import-base64-md",
            ["import", "b.md"],
            "ok",
            setup=text_file("b.md", "# Ảnh\n\n" + "QUJD" * 30_000 + "\n"),
            may_change=True,
        )
    )
    add(Case("models-remove-pair-none", ["models", "remove", "vi_en"], "refuse"))
    add(Case("tags-add-shortcut-taken", ["tags", "add", "mới", "--shortcut", "1"], "refuse"))
    add(
        Case(
            "glossary-add-keep-note-empty",
            ["glossary", "add", "Đổi Mới", "--keep", "--note", ""],
            "ok",
            may_change=True,
        )
    )
    add(
        Case(
            "glossary-add-twice",
            ["glossary", "add", "Bộ Y tế", "MoH"],
            "any",
            may_change=True,
            pre=[["glossary", "add", "Bộ Y tế", "Ministry of Health"]],
        )
    )
    add(
        Case(
            "restore-backup-with-wal",
            ["restore", "c.sqlite3"],
            "any",  # restore takes what a -wal beside the backup holds (H8's choice); this one is not valid
            setup=both(copy_backup("c.sqlite3"), text_file("c.sqlite3-wal", garbage(4000))),
        )
    )
    add(Case("search-doc-ambiguous", ["search", "x", "--doc", "vi"], "refuse"))
    add(Case("env-ascii-stdout", ["list"], "ok", env={"PYTHONIOENCODING": "ascii"}))
    add(Case("env-c-locale", ["show", "2"], "ok", env={"LC_ALL": "C", "LANG": "C"}))
    add(Case("import-2000-missing", ["import", *[f"missing-{i}.txt" for i in range(2000)]], "refuse"))
    add(Case("export-trailing-slash", ["export", "1", "-f", "md", "-o", "out/"], "refuse"))
    add(Case("backup-trailing-slash", ["backup", "out/"], "refuse"))

    # --- backup / restore
    add(Case("backup-ok", ["backup", "b.sqlite3"], "ok", output="{work}/b.sqlite3"))
    add(Case("backup-to-library", ["backup", "{lib}"], "refuse"))
    add(Case("backup-to-wal", ["backup", "{lib}-wal"], "refuse", output="{lib}-wal"))
    add(Case("backup-to-folder", ["backup", "."], "refuse"))
    add(Case("backup-to-data-folder", ["backup", "{data}"], "refuse"))
    add(Case("backup-missing-parent", ["backup", "new/dir/b.sqlite3"], "any", output="{work}/new/dir/b.sqlite3"))
    add(Case("backup-parent-is-file", ["backup", "f.txt/b.sqlite3"], "refuse", setup=text_file("f.txt", "x")))
    add(Case("backup-fifo", ["backup", "p.sqlite3"], "refuse", setup=fifo("p.sqlite3")))
    add(Case("backup-devnull-link", ["backup", "n.sqlite3"], "refuse", setup=link("n.sqlite3", "/dev/null")))
    add(Case("backup-link-to-library", ["backup", "l.sqlite3"], "refuse", setup=link("l.sqlite3", "{lib}")))
    add(Case("backup-empty", ["backup", ""], "refuse"))
    add(Case("backup-over-backup", ["backup", "{backup}"], "any"))
    add(Case("restore-library", ["restore", "{lib}"], "refuse"))
    add(Case("restore-link-to-library", ["restore", "l.sqlite3"], "refuse", setup=link("l.sqlite3", "{lib}")))
    add(Case("restore-wal", ["restore", "{lib}-wal"], "refuse"))
    add(Case("restore-folder", ["restore", "."], "refuse"))
    add(Case("restore-garbage", ["restore", "g.sqlite3"], "refuse", setup=text_file("g.sqlite3", garbage())))
    add(Case("restore-empty", ["restore", "e.sqlite3"], "refuse", setup=text_file("e.sqlite3", b"")))
    add(Case("restore-fifo", ["restore", "p.sqlite3"], "refuse", setup=fifo("p.sqlite3")))
    add(Case("restore-devzero-link", ["restore", "z.sqlite3"], "refuse", setup=link("z.sqlite3", "/dev/zero")))
    add(Case("restore-text", ["restore", "t.sqlite3"], "refuse", setup=text_file("t.sqlite3", "SQLite format 3\0 no")))
    add(Case("restore-half-backup", ["restore", "half.sqlite3"], "refuse", setup=truncated_backup))
    add(Case("restore-missing", ["restore", "nope.sqlite3"], "refuse"))
    add(Case("restore-state-file", ["restore", "{lib}.state"], "refuse"))
    add(
        Case(
            "restore-other-sqlite",
            ["restore", "o.sqlite3"],
            "refuse",
            setup=lambda c: sqlite3.connect(c.work / "o.sqlite3").executescript(
                "create table t(x); insert into t values(1);"
            ),
        )
    )
    add(Case("restore-good", ["restore", "{backup}"], "ok", may_change=True))
    add(Case("restore-copy", ["restore", "c.sqlite3"], "ok", setup=copy_backup("c.sqlite3"), may_change=True))

    # --- a damaged or odd library when a command starts
    for how in ("empty", "garbage", "folder", "wal-zero", "wal-garbage", "half", "state-garbage"):
        add(Case(f"library-{how}-list", ["list"], "any", setup=damage_library(how), damaged=True))
    add(
        Case(
            "data-dir-is-file",
            ["list"],
            "refuse",
            env={"DOICHIEU_DATA_DIR": "{work}/f.txt"},
            setup=text_file("f.txt", "x"),
        )
    )
    add(Case("data-dir-missing-deep", ["list"], "ok", env={"DOICHIEU_DATA_DIR": "{work}/a/b/c"}, output="{work}/a"))
    add(Case("data-dir-fifo", ["list"], "refuse", env={"DOICHIEU_DATA_DIR": "{work}/p"}, setup=fifo("p")))

    # --- models
    add(Case("models-list", ["models", "list"], "ok"))
    add(Case("models-list-json", ["models", "list", "--json"], "ok", json_out=True))
    add(Case("models-install-missing", ["models", "install", "nope.argosmodel"], "refuse"))
    add(Case("models-install-folder", ["models", "install", "d"], "refuse", setup=folder("d")))
    add(
        Case(
            "models-install-garbage",
            ["models", "install", "g.argosmodel"],
            "refuse",
            setup=text_file("g.argosmodel", garbage()),
        )
    )
    add(Case("models-install-fifo", ["models", "install", "p.argosmodel"], "refuse", setup=fifo("p.argosmodel")))
    add(
        Case(
            "models-install-devzero",
            ["models", "install", "z.argosmodel"],
            "refuse",
            setup=link("z.argosmodel", "/dev/zero"),
        )
    )
    add(Case("models-install-library", ["models", "install", "{lib}"], "refuse"))
    add(Case("models-install-bomb", ["models", "install", "b.argosmodel"], "refuse", setup=zip_bomb("b.argosmodel")))
    add(
        Case(
            "models-install-lying-sizes",
            ["models", "install", "l.argosmodel"],
            "refuse",
            setup=zip_file(
                "l.argosmodel",
                {"metadata.json": b'{"from_code":"vi","to_code":"en"}', "model/model.bin": b"\0" * 5_000_000},
                lie=True,
            ),
        )
    )
    add(
        Case(
            "models-install-traversal",
            ["models", "install", "t.argosmodel"],
            "refuse",
            setup=zip_file(
                "t.argosmodel", {"../../../../evil.txt": b"x", "/abs-evil.txt": b"y", "metadata.json": b"{}"}
            ),
        )
    )
    add(
        Case(
            "models-install-deep-json",
            ["models", "install", "j.argosmodel"],
            "refuse",
            setup=zip_file(
                "j.argosmodel", {"p/metadata.json": b"[" * 100_000 + b"]" * 100_000, "p/model/model.bin": b"x"}
            ),
        )
    )
    add(
        Case(
            "models-install-huge-version",
            ["models", "install", "v.argosmodel"],
            "refuse",
            setup=zip_file(
                "v.argosmodel",
                {
                    "p/metadata.json": b'{"package_version": ' + b"9" * 5000 + b', "from_code": "vi", "to_code": "en"}',
                    "p/model/model.bin": b"x",
                },
            ),
        )
    )
    add(
        Case(
            "models-install-many-entries",
            ["models", "install", "m.argosmodel"],
            "refuse",
            setup=zip_file("m.argosmodel", {f"p/{i}": b"" for i in range(6000)}),
        )
    )
    for name, arg in (("missing", "no-such"), ("empty", ""), ("traversal", "../../etc"), ("star", "*"), ("long", LONG)):
        add(Case(f"models-remove-{name}", ["models", "remove", arg], "refuse"))
    add(Case("models-remove-surrogate", ["models", "remove", b"\xff"], "refuse"))
    add(Case("models-download-bogus", ["models", "download", "xx", "yy", "--timeout", "0.5"], "refuse"))
    add(Case("models-download-timeout-0", ["models", "download", "vi", "en", "--timeout", "0"], "refuse"))
    add(Case("models-download-timeout-inf", ["models", "download", "vi", "en", "--timeout", "inf"], "refuse"))
    add(Case("models-download-surrogate", ["models", "download", b"\xff", "en", "--timeout", "0.5"], "refuse"))
    add(Case("models-download-traversal", ["models", "download", "../..", "en", "--timeout", "0.5"], "refuse"))

    # --- check (sentence pairs made elsewhere)
    add(Case("check-missing", ["check", "nope.tsv"], "refuse"))
    add(Case("check-folder", ["check", "d"], "refuse", setup=folder("d")))
    add(Case("check-fifo", ["check", "p.tsv"], "refuse", setup=fifo("p.tsv")))
    add(Case("check-devzero", ["check", "z.tsv"], "refuse", setup=link("z.tsv", "/dev/zero")))
    add(Case("check-garbage", ["check", "g.tsv"], "any", setup=text_file("g.tsv", garbage())))
    add(Case("check-empty", ["check", "e.tsv"], "any", setup=text_file("e.tsv", b"")))
    add(
        Case(
            "check-long-line", ["check", "l.tsv"], "any", setup=text_file("l.tsv", "x" * 100_000 + "\t" + "y" * 100_000)
        )
    )
    add(Case("check-no-tab", ["check", "n.tsv"], "any", setup=text_file("n.tsv", "chỉ một cột\n")))
    add(
        Case(
            "check-ansi",
            ["check", "a.tsv"],
            "any",
            setup=text_file("a.tsv", "Có 5 người\x1b[2J\tThere are 6\x1b]0;x\x07 people\n"),
        )
    )
    add(Case("check-xml-bomb", ["check", "b.tmx"], "any", setup=text_file("b.tmx", XML_BOMB)))
    add(Case("check-xxe", ["check", "x.tmx"], "any", setup=text_file("x.tmx", XXE), forbid="root:x:0"))
    add(Case("check-garbage-tmx", ["check", "g.tmx"], "refuse", setup=text_file("g.tmx", garbage())))
    add(Case("check-the-library", ["check", "{lib}"], "refuse"))

    # --- glossary
    add(Case("glossary-list", ["glossary", "list"], "ok"))
    add(Case("glossary-add-empty", ["glossary", "add", "", ""], "refuse"))
    add(Case("glossary-add-blank", ["glossary", "add", "  ", "x"], "refuse"))
    add(Case("glossary-add-long", ["glossary", "add", LONG, "x"], "any", may_change=True))
    add(Case("glossary-add-ansi", ["glossary", "add", "Bộ\x1b[2J", "Min\x07istry"], "any", may_change=True))
    add(
        Case("glossary-add-keep-and-en", ["glossary", "add", "Đổi Mới", "Renovation", "--keep"], "any", may_change=True)
    )
    add(Case("glossary-add-doc-huge", ["glossary", "add", "a", "b", "--doc", HUGE], "refuse"))
    add(Case("glossary-add-doc-missing", ["glossary", "add", "a", "b", "--doc", "999"], "refuse"))
    add(Case("glossary-remove-missing", ["glossary", "remove", "không có"], "refuse"))
    add(Case("glossary-remove-id-huge", ["glossary", "remove", "#" + HUGE], "refuse"))
    add(Case("glossary-import-garbage", ["glossary", "import", "g.csv"], "refuse", setup=text_file("g.csv", garbage())))
    add(Case("glossary-import-fifo", ["glossary", "import", "p.csv"], "refuse", setup=fifo("p.csv")))
    add(Case("glossary-import-devzero", ["glossary", "import", "z.csv"], "refuse", setup=link("z.csv", "/dev/zero")))
    add(Case("glossary-import-library", ["glossary", "import", "{lib}"], "refuse"))
    add(
        Case(
            "glossary-import-formula",
            ["glossary", "import", "f.csv"],
            "any",
            setup=text_file("f.csv", "vi,en\n=1+1,=cmd|' /C calc'!A0\n"),
            may_change=True,
        )
    )
    add(Case("glossary-export-ok", ["glossary", "export", "g.csv"], "ok", output="{work}/g.csv"))
    add(Case("glossary-export-library", ["glossary", "export", "{lib}"], "refuse"))
    add(Case("glossary-export-backup", ["glossary", "export", "{backup}"], "refuse"))
    add(Case("glossary-export-folder", ["glossary", "export", "."], "refuse"))
    add(Case("glossary-export-fifo", ["glossary", "export", "p.csv"], "refuse", setup=fifo("p.csv")))
    add(
        Case(
            "glossary-export-parent-file",
            ["glossary", "export", "f.txt/g.csv"],
            "refuse",
            setup=text_file("f.txt", "x"),
        )
    )
    return out


# ---------------------------------------------------------------- running and judging


def make_template(base: Path) -> Path:
    """A small real library: the two samples, an NFC title, a title with an escape sequence, a claim, a tag."""
    data = base / "template" / "data"
    work = base / "template" / "work"
    work.mkdir(parents=True)
    for sample in SAMPLES:
        shutil.copyfile(sample, work / sample.name)
    (work / f"{NFC_TITLE}.txt").write_text(
        "Doanh thu tăng 5% trong năm 2023. Lợi nhuận giảm 3 tỷ đồng.\n", encoding="utf-8"
    )
    (work / f"{ESC_TITLE}.txt").write_text("Tin đỏ: có 12 người bị thương.\n", encoding="utf-8")
    env = {**os.environ, "DOICHIEU_DATA_DIR": str(data), "QT_QPA_PLATFORM": "offscreen"}
    steps = [
        ["import", *[p.name for p in SAMPLES], f"{NFC_TITLE}.txt", f"{ESC_TITLE}.txt"],
        ["claims", "add", "1", "--start", "0", "--end", "30", "--note", "ghi chú"],
        ["tags", "add", "Probe"],
    ]
    for argv in steps:
        res = subprocess.run(
            [str(PYTHON), str(ROOT / "main.py"), *argv], cwd=work, env=env, capture_output=True, timeout=300
        )
        if res.returncode:
            raise SystemExit(f"template step {argv} failed: {res.stderr.decode(errors='replace')}")
    return data


def lib_rows(path: Path) -> str | None:
    """A digest of every row of every ordinary table (what the user would lose), or None if unreadable."""
    if not path.is_file():
        return None
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            h = hashlib.sha256()
            names = [r[0] for r in con.execute("select name from sqlite_master where type='table' order by name")]
            for name in names:
                if (
                    name.startswith("sqlite_")
                    or "_fts" in name
                    or name.endswith(("_data", "_idx", "_docsize", "_config", "_content"))
                ):
                    continue
                h.update(name.encode())
                for row in con.execute(f'select * from "{name}" order by rowid'):
                    h.update(repr(row).encode())
            return h.hexdigest()
        finally:
            con.close()
    except sqlite3.Error:
        return None


def integrity(path: Path) -> str:
    if not path.exists():
        return "missing"
    if not path.is_file():
        return "not a file"
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return str(con.execute("pragma integrity_check").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error as err:
        return f"error: {err}"


def snapshot(folder: Path) -> dict[str, tuple[int, int, str]]:
    """relative path -> (mode type, size, sha256 of the first MB) for every entry (links not followed)."""
    out: dict[str, tuple[int, int, str]] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            p = Path(dirpath, name)
            st = p.lstat()
            digest = ""
            if stat.S_ISREG(st.st_mode):
                with open(p, "rb") as fh:
                    digest = hashlib.sha256(fh.read(1 << 20)).hexdigest()
            out[str(p.relative_to(folder))] = (stat.S_IFMT(st.st_mode), st.st_size, digest)
    return out


def expand(value: Arg, c: Ctx, extra: dict[str, str]) -> Arg:
    if isinstance(value, bytes) or "{" not in value or len(value) > 1000:
        return value
    backups = sorted((c.data / "backups").glob("*.sqlite3")) if (c.data / "backups").is_dir() else []
    return value.format(
        work=c.work, data=c.data, lib=c.lib, backup=backups[0] if backups else c.data / "nobackup", **extra
    )


def read_back(path: Path) -> str | None:
    """Why a written export is unsafe or unreadable, or None: each format read by a real reader of it."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".pdf":
            import pymupdf

            with pymupdf.open(path) as doc:
                for page in doc:
                    page.get_text()
                    for link in page.get_links():
                        uri = link.get("uri", "")
                        if link.get("kind") not in (pymupdf.LINK_URI, pymupdf.LINK_GOTO, pymupdf.LINK_NAMED):
                            return f"PDF link of kind {link.get('kind')}"
                        if uri and not uri.startswith(("http://", "https://")):
                            return f"PDF link to {uri[:60]!r}"
                for xref in range(1, doc.xref_length()):  # an action is a dictionary key, not text
                    kind, value = doc.xref_get_key(xref, "S")
                    if kind == "name" and value in ("/JavaScript", "/Launch", "/ImportData", "/SubmitForm"):
                        return f"a PDF action {value}"
                    if doc.xref_get_key(xref, "JS")[0] != "null":
                        return "a PDF object with /JS"
        elif suffix == ".docx":
            import docx

            docx.Document(str(path))
        elif suffix in {".html", ".md"}:
            text = path.read_text(encoding="utf-8").lower()
            active = ["<script", 'href="javascript:', "onerror=", "<iframe"]
            if suffix == ".md":
                active.append("<style")  # the HTML report has its own stylesheet; a Markdown file has none
                import re

                if re.search(r"(?<!\\)\]\((?!https?://)", text):  # an unescaped link to anything but http(s)
                    return "Markdown link that is not http(s)"
            for bad in active:
                if bad in text:
                    return f"{suffix} holds {bad!r}"
        elif suffix == ".csv":
            import csv

            with path.open(encoding="utf-8-sig", newline="") as fh:
                for row in csv.reader(fh):
                    for cell in row:
                        if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not _plain_number(cell):
                            return f"CSV cell starts a formula: {cell[:40]!r}"
        elif suffix == ".jsonl":
            import json

            for line in path.read_text(encoding="utf-8").splitlines():
                json.loads(line)
        elif suffix == ".tmx":
            import xml.etree.ElementTree as ET

            ET.parse(path)
    except Exception as exc:  # any reader's failure is the finding
        return f"{suffix} unreadable: {type(exc).__name__}: {str(exc)[:80]}"
    return None


def _plain_number(cell: str) -> bool:
    try:
        float(cell)
        return True
    except ValueError:
        return False


def allowed_in_data(rel: str) -> bool:
    return rel.startswith(("backups", "logs", "models", "packages", LIB)) or rel in {"", "."}


def run_case(case: Case, template: Path, base: Path, index: int, timeout: float) -> Outcome:
    root = base / f"case{index:03d}"
    c = Ctx(root=root, data=root / "data", work=root / "work")
    c.work.mkdir(parents=True)
    shutil.copytree(template, c.data, symlinks=True)
    if case.setup:
        case.setup(c)
    extra = {"ws": "", "ws1": "", "other_tag": ""}
    text = SAMPLES[0].read_text(encoding="utf-8")
    gap = next((i for i, ch in enumerate(text) if ch.isspace() and i > 0), 1)
    extra.update(ws=str(gap), ws1=str(gap + 1), other_tag="statistic")
    env = {**os.environ, "DOICHIEU_DATA_DIR": str(c.data), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("DOICHIEU_DEBUG", None)
    for k, v in (case.env or {}).items():
        env[k] = str(expand(v, c, extra))
    argv = [expand(a, c, extra) for a in case.argv]
    output = Path(str(expand(case.output, c, extra))) if case.output else None
    for pre in case.pre:
        subprocess.run(
            [str(PYTHON), str(ROOT / "main.py"), *[expand(a, c, extra) for a in pre]],
            cwd=c.work,
            env=env,
            capture_output=True,
            timeout=timeout,
        )
    rows_before = None if case.damaged else lib_rows(c.lib)
    backups_before = {k: v for k, v in snapshot(c.data / "backups").items()} if (c.data / "backups").is_dir() else {}
    work_before = snapshot(c.work)
    data_before = snapshot(c.data)
    out_before = snapshot(output.parent).get(output.name) if output and output.parent.is_dir() else None
    fails: list[tuple[str, str]] = []
    start = time.monotonic()
    proc = subprocess.Popen(
        [str(PYTHON), str(ROOT / "main.py"), *argv],
        cwd=c.work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        raw_out, raw_err = proc.communicate(timeout=timeout)
        code: int | None = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        raw_out, raw_err = proc.communicate()
        code = None
        fails.append(("hang", f"still running after {timeout:.0f} s"))
    seconds = time.monotonic() - start
    out = raw_out.decode("utf-8", "replace")
    err = raw_err.decode("utf-8", "replace")
    both_out = out + err
    if "Traceback" in both_out or "unexpected error, a bug" in both_out:
        line = next((ln for ln in reversed(err.splitlines()) if ln.strip()), "")
        fails.append(("traceback", line[:200]))
    refused = code not in (0, None)
    if code == 0 and case.expect == "refuse":
        fails.append(("accepted-bad", (out.strip().splitlines() or [""])[-1][:160]))
    if refused:
        lines = [ln for ln in err.splitlines() if ln.strip() and not ln.startswith(("usage:", " ", "note:"))]
        if not lines and out.strip():  # a batch's or a search's own report on stdout ("refused  x.txt: ...")
            lines = ["(stdout)"]
        if len(lines) != 1 and not fails:
            fails.append(("not-one-line", f"{len(lines)} lines: {' | '.join(lines)[:200]}"))
    if not case.json_out:
        bad = sorted({repr(ch) for ch in out + err if ch in CONTROL})
        if bad:
            fails.append(("terminal-escape", " ".join(bad)))
    if case.validate and code == 0 and output and output.is_file() and (why := read_back(output)):
        fails.append(("unsafe-output", why))
    if case.forbid and case.forbid in both_out:
        fails.append(("leaked", case.forbid))
    # the library
    if not case.damaged:
        state = integrity(c.lib)
        if state == "missing" or state == "not a file" or state.startswith("error"):
            fails.append(("library-lost", state))
        elif state != "ok":
            fails.append(("integrity", state[:160]))
        elif refused and not case.may_change and rows_before is not None and lib_rows(c.lib) != rows_before:
            fails.append(("changed-refused", "the library's rows changed"))
    backups_after = snapshot(c.data / "backups") if (c.data / "backups").is_dir() else {}
    for rel, info in backups_before.items():
        if rel not in backups_after or backups_after[rel] != info:
            if case.name.startswith(("restore", "backup-over-backup")):
                continue  # restore may keep/prune; backup over a backup of the same library rewrites it
            fails.append(("backup-replaced", f"backups/{rel}"))
    # files outside the data folder and the named output
    work_after = snapshot(c.work)
    for rel, info in work_after.items():
        p = c.work / rel
        if output and (p == output or output.is_relative_to(p) or p.is_relative_to(output)):
            continue
        if rel not in work_before:
            fails.append(("stray-file", str(rel)[:120]))
        elif work_before[rel] != info:
            fails.append(("stray-file", f"{rel} changed"[:120]))
    for rel in snapshot(c.data):
        if rel not in data_before and not allowed_in_data(rel):
            fails.append(("stray-file", f"data/{rel}"[:120]))
    for p in [*root.iterdir()]:
        if p.name not in {"data", "work"}:
            fails.append(("stray-file", p.name))
    if output:
        now = snapshot(output.parent).get(output.name) if output.parent.is_dir() else None
        if refused and now != out_before:
            fails.append(("partial-output", f"{output.name} {'left' if out_before is None else 'changed'}"))
        if code == 0 and (now is None or now[1] == 0):
            fails.append(("no-output", output.name))
    leftovers = [
        p
        for p in ([output.parent] if output and output.parent.is_dir() else []) + [c.work]
        for p in p.iterdir()
        if p.name.endswith((".partial", ".tmp")) or ".tmp" in p.name
    ]
    for p in leftovers:
        fails.append(("stray-file", p.name))
    return Outcome(
        case, code, seconds, list(dict.fromkeys(fails)), err.strip().splitlines()[-1][:200] if err.strip() else ""
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=3)
    ap.add_argument("--only", default="")
    ap.add_argument("--timeout", type=float, default=90.0)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    opts = ap.parse_args(argv)
    all_cases = [c for c in cases() if opts.only in c.name]
    skipped = [c for c in all_cases if c.root_moot and IS_ROOT]
    todo = [c for c in all_cases if c not in skipped]
    base = Path(tempfile.mkdtemp(prefix="doichieu-probe-"))
    began = time.monotonic()
    try:
        template = make_template(base)
        results: list[Outcome] = []
        with concurrent.futures.ThreadPoolExecutor(max_workers=opts.jobs) as pool:
            futures = {
                pool.submit(run_case, case, template, base, i, opts.timeout): case for i, case in enumerate(todo)
            }
            for fut in concurrent.futures.as_completed(futures):
                try:
                    res = fut.result()
                except Exception as exc:  # the probe's own error: counted, never hidden
                    res = Outcome(futures[fut], None, 0.0, [("probe-error", f"{type(exc).__name__}: {exc}"[:200])], "")
                results.append(res)
                if opts.verbose or res.fails:
                    mark = "FAIL" if res.fails else "ok  "
                    print(
                        f"{mark} {res.case.name:<40} exit={res.code} {res.seconds:5.1f}s "
                        + "; ".join(f"{k}: {v}" for k, v in res.fails)
                        + (f"   [{res.stderr}]" if opts.verbose else ""),
                        flush=True,
                    )
    finally:
        if not opts.keep:
            shutil.rmtree(base, ignore_errors=True)
        else:
            print(f"kept {base}")
    results.sort(key=lambda r: r.case.name)
    failed = [r for r in results if r.fails]
    by_class = Counter(k for r in failed for k in dict(r.fails))
    print()
    print(
        f"hostile probe: {len(results)} cases, {len(results) - len(failed)} OK, {len(failed)} FAIL "
        f"({time.monotonic() - began:.0f} s, {opts.jobs} jobs)"
    )
    print(f"{'class':<18}{'cases':>6}")
    for k in (*FAIL_CLASSES, "probe-error"):
        if by_class.get(k):
            print(f"{k:<18}{by_class[k]:>6}")
    if skipped:
        print(f"skipped (root: permission checks are meaningless): {', '.join(c.name for c in skipped)}")
    slow = sorted(results, key=lambda r: -r.seconds)[:3]
    print("slowest: " + ", ".join(f"{r.case.name} {r.seconds:.1f}s" for r in slow))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
