"""`main.py import/list/show/search/backup` as a user runs them, on a real library file."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.pdf_factory import garbage_pdf

ROOT = Path(__file__).parent.parent


def run(data_dir: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
        env={**os.environ, "DOICHIEU_DATA_DIR": str(data_dir)},
    )


def test_import_batch_with_bad_files(tmp_path: Path, fixtures: Path) -> None:
    data = tmp_path / "data"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "tệp nhị phân.txt"
    binary.write_bytes(bytes(range(256)) * 16)
    corrupt = garbage_pdf(tmp_path / "hỏng.pdf")
    forum = fixtures / "forum_post_ai_race.vi.txt"
    pdf_copy = fixtures / "pdf_copy_supercomputers.vi.txt"
    res = run(data, "import", forum, empty, binary, corrupt, pdf_copy)
    assert res.returncode != 0  # some files failed ...
    lines = res.stdout.splitlines()
    assert len(lines) == 5
    assert lines[0].startswith("#1  forum_post_ai_race.vi  (27 paragraphs, ")
    assert lines[4].startswith("#2  pdf_copy_supercomputers.vi  (10 paragraphs, ")
    for line, bad in zip(lines[1:4], (empty, binary, corrupt), strict=True):
        assert line.startswith(f"refused  {bad}: ")
    # ... and the good ones are in
    listed = json.loads(run(data, "list", "--json").stdout)
    assert [d["id"] for d in listed] == [1, 2] and listed[1]["paragraph_count"] == 10
    again = run(data, "import", forum)
    assert again.returncode == 0 and again.stdout.strip() == "#1  forum_post_ai_race.vi  (already in the library)"


def test_show_search_backup(tmp_path: Path, fixtures: Path) -> None:
    data = tmp_path / "data"
    assert run(data, "import", *sorted(fixtures.glob("*.vi.txt"))).returncode == 0
    search = run(data, "search", "bang sang che")
    assert search.returncode == 0, search.stderr
    lines = search.stdout.splitlines()  # grouped by document, as the window lists them
    assert lines[0].startswith("#1  forum_post_ai_race.vi  (") and lines[0].endswith(")")
    assert len(lines) > 1 and all(line.startswith("  sentence ") for line in lines[1:])
    numbers = [int(line.split()[1]) for line in lines[1:]]
    assert numbers == sorted(numbers)  # in reading order
    assert "[bằng] [sáng] [chế]" in search.stdout
    hits = json.loads(run(data, "search", "thứ 12", "--json").stdout)
    assert hits[0]["text"] == "Năm 2023, theo GII của WIPO, Trung Quốc xếp thứ 12." and hits[0]["lang"] == "vi"
    missing = run(data, "search", "không có từ này xyzzy")
    assert missing.returncode == 1 and "no sentence contains" in missing.stdout

    show = json.loads(run(data, "show", "supercomputers", "--json").stdout)
    assert len(show["paragraphs"]) == 10
    assert show["paragraphs"][2]["sentences"][0]["text"].startswith("1. THỐNG TRỊ VỀ SIÊU MÁY TÍNH")
    assert run(data, "show", "1").stdout.startswith("#1  forum_post_ai_race.vi")
    bad = run(data, "show", "42")
    assert bad.returncode != 0 and bad.stderr.startswith("doichieu: no document #42")

    backup = tmp_path / "sao lưu" / "library-copy.sqlite3"
    res = run(data, "backup", backup)
    assert res.returncode == 0 and backup.is_file()
    con = sqlite3.connect(backup)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
    finally:
        con.close()


def test_list_on_empty_library_says_how_to_start(tmp_path: Path) -> None:
    res = run(tmp_path / "data", "list")
    assert res.returncode == 0 and "main.py import" in res.stdout
    assert json.loads(run(tmp_path / "data", "list", "--json").stdout) == []
