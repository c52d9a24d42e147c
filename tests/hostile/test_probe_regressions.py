"""Regressions found by bench/hostile_probe.py (issue 20's probe of hostile inputs through the CLI),
one test per class: terminal control sequences from the library or a file, a data folder that is not
a folder, a title reference too long for SQLite, a glossary id too large for SQLite, FIFOs and
/dev/zero given as input files, a report or glossary written over a kept backup, tag colours and a
tag moved onto itself. In-process `app.cli.main` where nothing can block; a subprocess with a timeout
where the old code blocked forever (a FIFO)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "fixtures" / "forum_post_ai_race.vi.txt"
ESC_NAME = "tin \x1b]0;owned\x07\x1b[31mđỏ\x1b[0m.txt"  # sets the terminal's title, then red
CONTROLS = [chr(c) for c in range(32) if chr(c) not in "\n\t"] + ["\x7f", "\x9b", "\u202e"]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A real library: the sample, a document whose name holds escape sequences, a claim whose note
    holds them, a tag; DOICHIEU_DATA_DIR points at it for the module."""
    base = tmp_path_factory.mktemp("probe")
    data, work = base / "data", base / "work"
    work.mkdir()
    (work / ESC_NAME).write_text("Tin đỏ: có 12 người bị thương.\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DOICHIEU_DATA_DIR", str(data))
        mp.chdir(work)
        assert main(["import", str(SAMPLE), ESC_NAME]) == 0
        assert main(["claims", "add", "1", "--start", "0", "--end", "30", "--note", "a\x1b[2Jb\rc\x9bd"]) == 0
        assert main(["tags", "add", "\x1b[5mnhấp nháy"]) == 0
        assert main(["glossary", "add", "Bộ Y tế", "Ministry of Health"]) == 0
        yield data


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith(("usage:", " "))]
    assert len(lines) == 1, err
    assert "unexpected error" not in err and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize(
    "argv",
    [
        ("list",),
        ("show", "2"),
        ("search", "đỏ"),
        ("claims", "list"),
        ("tags", "list"),
        ("show", "t"),  # ambiguous: the error line lists the titles
    ],
    ids=lambda argv: "-".join(argv),
)
def test_no_control_character_reaches_the_terminal(
    library: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    _, out, err = _run(capsys, *argv)
    for ch in CONTROLS:
        assert ch not in out + err, (repr(ch), out, err)
    assert "\\u001b" in out + err  # shown, not hidden: the user sees that the name holds an escape


def test_json_output_stays_the_same_string(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    code, out, _ = _run(capsys, "claims", "list", "--json")
    assert code == 0
    assert "\x9b" not in out
    assert json.loads(out)[0]["note"] == "a\x1b[2Jb\rc\x9bd"


@pytest.mark.parametrize("kind", ["file", "fifo"])
def test_a_data_folder_that_is_not_a_folder_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    where = tmp_path / "data"
    if kind == "file":
        where.write_text("x")
    else:
        os.mkfifo(where)
    monkeypatch.setenv("DOICHIEU_DATA_DIR", str(where))
    code, _, err = _run(capsys, "list")
    assert code == 3
    assert "is not a folder" in _one_line(err)


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (("show", "a" * 100_000), "too long"),
        (("claims", "suggest", "x" * 60_000), "too long"),
        (("glossary", "remove", "#99999999999999999999"), "no glossary entry"),
        (("tags", "add", "màu", "--color", "not a colour"), "not a colour"),
        (("tags", "add", "màu", "--color", "red; drop"), "not a colour"),
        (("export", "1", "-f", "md", "-o", "out/"), "is a folder"),
        (("backup", "copies/"), "is a folder"),
        (("glossary", "export", "terms/"), "is a folder"),
    ],
    ids=[
        "show-100k",
        "suggest-60k",
        "glossary-huge-id",
        "colour-words",
        "colour-junk",
        "export-dir/",
        "backup-dir/",
        "glossary-dir/",
    ],
)
def test_refused_in_one_line(
    library: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], says: str
) -> None:
    code = None
    try:
        code, _, err = _run(capsys, *argv)
    except SystemExit as exit_:  # argparse's refusal
        code, err = exit_.code, capsys.readouterr().err
    assert code not in (0, 70)
    assert says in _one_line(err)


def test_a_tag_named_twice_is_one_tag(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--tag prediction --tag PREDICTION` (the same tag, as tag names ignore case) was an IntegrityError."""
    code, out, err = _run(
        capsys, "claims", "add", "1", "--start", "40", "--end", "60", "--tag", "prediction", "--tag", "PREDICTION"
    )
    assert code == 0, err
    assert out.count("prediction") == 1, out


def test_a_tag_is_not_moved_onto_itself(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["claims", "edit", "1", "--tag", "statistic"]) == 0
    code, _, err = _run(capsys, "tags", "delete", "statistic", "--reassign", "statistic")
    assert code != 0
    assert "another tag" in _one_line(err)
    _, out, _ = _run(capsys, "tags", "list")
    assert "statistic" in out
    _, out, _ = _run(capsys, "claims", "list", "--tag", "statistic")
    assert "claim #1" in out


@pytest.mark.parametrize(
    ("argv", "name", "make"),
    [
        (("check", "{p}"), "pairs.tsv", "fifo"),
        (("check", "{p}"), "pairs.tmx", "fifo"),
        (("check", "{p}"), "pairs.tmx", "zero"),
        (("glossary", "import", "{p}"), "terms.csv", "fifo"),
        (("glossary", "import", "{p}"), "terms.csv", "zero"),
    ],
    ids=["check-tsv-fifo", "check-tmx-fifo", "check-tmx-devzero", "glossary-fifo", "glossary-devzero"],
)
def test_an_input_that_is_a_pipe_or_a_device_is_refused_without_blocking(
    tmp_path: Path, argv: tuple[str, ...], name: str, make: str
) -> None:
    path = tmp_path / name
    if make == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    res = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *(a.format(p=path) for a in argv)],
        capture_output=True,
        timeout=120,  # the old code blocked in open() (FIFO) or read forever (/dev/zero)
        env={**os.environ, "DOICHIEU_DATA_DIR": str(tmp_path / "data")},
    )
    err = res.stderr.decode("utf-8")
    assert res.returncode not in (0, 70)
    assert "not a file" in _one_line(err)


@pytest.mark.parametrize(
    "argv",
    [
        ("export", "1", "-f", "md", "-o", "{backup}"),
        ("export", "1", "-f", "csv", "-o", "{backup}"),
        ("export", "1", "-f", "pdf", "-o", "{backup}"),
        ("glossary", "export", "{backup}"),
        ("export", "1", "-f", "html", "-o", "{aside}"),
    ],
    ids=["md", "csv", "pdf", "glossary", "set-aside-copy"],
)
def test_no_output_replaces_a_kept_backup(
    library: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    backup = sorted((library / "backups").glob("*.sqlite3"))[0]
    aside = library / "library.sqlite3.damaged-20260101-000000-000001"
    aside.write_bytes(b"SQLite format 3\0kept")
    before = {p: p.read_bytes() for p in (backup, aside)}
    code, _, err = _run(capsys, *(a.format(backup=backup, aside=aside) for a in argv))
    assert code != 0
    assert "kept" in _one_line(err) or "keeps" in err
    assert {p: p.read_bytes() for p in (backup, aside)} == before
