"""Every kind of broken or hostile input through `main.py import`, as a user would run it: each is
imported or refused with a one-line reason, within a time bound, under 1.5 GB of memory, and a
refused file leaves the library exactly as it was."""

from __future__ import annotations

import os
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import pdf_factory
from tests.hostile import make_inputs as mk

ROOT = Path(__file__).resolve().parents[2]
MEMORY_LIMIT_KB = 1_500_000


def run_import(data: Path, path: Path, *extra: str) -> tuple[subprocess.CompletedProcess[str], float]:
    start = time.perf_counter()
    res = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "import", str(path), *extra],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        env={**os.environ, "DOICHIEU_DATA_DIR": str(data)},
    )
    return res, time.perf_counter() - start


def rows(data: Path) -> list[tuple]:
    con = sqlite3.connect(data / "library.sqlite3")
    try:
        return [
            (t, con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0])
            for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        ]
    finally:
        con.close()


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("hostile") / "data"
    seed = ROOT / "tests" / "fixtures" / "forum_post_ai_race.vi.txt"
    res, _ = run_import(data, seed)
    assert res.returncode == 0, res.stderr
    return data


def build(name: str, folder: Path) -> Path:
    makers = {
        "empty.txt": lambda p: (p.write_bytes(b""), p)[1],
        "zero-pages.pdf": mk.zero_page_pdf,
        "blank-page.pdf": mk.blank_page_pdf,
        "bad-xref.pdf": mk.bad_xref_pdf,
        "user-password.pdf": pdf_factory.encrypted_pdf,
        "owner-password-only.pdf": mk.owner_only_pdf,
        "scanned.pdf": pdf_factory.image_only_pdf,
        "10000-pages.pdf": mk.many_pages_pdf,
        "200MB.txt": mk.huge_text,
        "binary.txt": mk.binary_txt,
        "utf16-no-bom.txt": mk.utf16_without_bom,
        "mixed-encodings.txt": mk.mixed_encodings,
        "nul-bytes.txt": mk.nul_bytes,
        "10MB-one-line.txt": mk.long_line,
        "rtl-emoji.txt": mk.rtl_and_emoji,
    }
    if name == "awkward name":
        return mk.awkward_name(folder)
    return makers[name](folder / name)


# name, expected outcome ("imported", "refused" or "either"), words the reason must hold, time bound (s)
CASES = [
    ("empty.txt", "refused", "empty", 20),
    ("zero-pages.pdf", "refused", "", 20),
    ("blank-page.pdf", "refused", "OCR", 20),
    ("bad-xref.pdf", "either", "", 30),
    ("user-password.pdf", "refused", "password", 20),
    ("owner-password-only.pdf", "imported", "", 20),
    ("scanned.pdf", "refused", "OCR", 20),
    ("10000-pages.pdf", "refused", "split", 60),
    ("200MB.txt", "refused", "split", 20),
    ("binary.txt", "refused", "binary", 20),
    ("utf16-no-bom.txt", "either", "", 20),
    ("mixed-encodings.txt", "either", "", 20),
    ("nul-bytes.txt", "either", "", 20),
    ("10MB-one-line.txt", "imported", "", 180),
    ("rtl-emoji.txt", "imported", "", 20),
    ("awkward name", "imported", "", 20),
]


@pytest.mark.parametrize(("name", "expected", "reason", "bound"), CASES, ids=[c[0] for c in CASES])
def test_hostile_input(library: Path, tmp_path: Path, name: str, expected: str, reason: str, bound: float) -> None:
    path = build(name, tmp_path)
    before = rows(library)
    res, took = run_import(library, path)
    out = res.stdout.strip().splitlines()
    assert took < bound, f"{name} took {took:.1f} s"
    assert len(out) == 1, res.stdout + res.stderr
    assert "Traceback" not in res.stderr
    if out[0].startswith("refused"):
        assert expected in {"refused", "either"}, out[0]
        assert res.returncode != 0
        assert out[0].startswith(f"refused  {path}: ") and len(out[0]) < 400
        assert reason.lower() in out[0].lower()
        assert rows(library) == before  # nothing changed
    else:
        assert expected in {"imported", "either"}, out[0]
        assert res.returncode == 0 and out[0].startswith("#")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KB on Linux: every import so far
    assert peak < MEMORY_LIMIT_KB, f"peak memory {peak / 1000:.0f} MB"


def test_truncated_pdfs(library: Path, tmp_path: Path) -> None:
    outcomes = []
    for path in mk.truncated_pdfs(tmp_path):
        before = rows(library)
        res, took = run_import(library, path)
        line = res.stdout.strip()
        assert took < 30 and "Traceback" not in res.stderr and len(line.splitlines()) == 1
        if line.startswith("refused"):
            assert rows(library) == before
        outcomes.append(line.split()[0])
    assert "refused" in outcomes  # the shortest cuts cannot be read


def test_password_given(library: Path, tmp_path: Path) -> None:
    path = pdf_factory.encrypted_pdf(tmp_path / "mật.pdf")
    wrong, _ = run_import(library, path, "--password", "nope")
    assert wrong.returncode != 0 and "password is wrong" in wrong.stdout
    right, _ = run_import(library, path, "--password", "secret")
    assert right.returncode == 0 and right.stdout.startswith("#")
