"""Daily backups, and getting a damaged library back from one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.core.errors import InputError, LibraryCorruptError
from app.core.pipeline import import_file
from app.core.store import Library
from app.core.store.backups import KEEP, daily_backup, list_backups, restore
from tests.test_cli_library import run


def test_one_backup_a_day_and_only_the_last_seven(data_dir: Path, fixtures: Path) -> None:
    with Library.open() as lib:
        assert daily_backup(lib) is None  # nothing to lose yet
        import_file(lib, fixtures / "forum_post_ai_race.vi.txt")
        day = datetime(2026, 11, 1, tzinfo=UTC)
        first = daily_backup(lib, today=day)
        assert first is not None and first.name == "library-2026-11-01.sqlite3"
        assert daily_backup(lib, today=day + timedelta(hours=5)) is None  # same day
        for n in range(1, 10):
            daily_backup(lib, today=day + timedelta(days=n))
    kept = list_backups()
    assert len(kept) == KEEP and kept[-1].name == "library-2026-11-10.sqlite3"
    with Library.open(kept[0]) as copy:
        assert copy.integrity() == "ok" and len(copy.documents()) == 1


def _scribble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for offset in range(8192, len(data) - 4096, 4096):
        data[offset + 100 : offset + 400] = b"\xff" * 300
    path.write_bytes(bytes(data))


def test_damaged_library_points_to_its_backup_and_restore_brings_it_back(tmp_path: Path, fixtures: Path) -> None:
    data = tmp_path / "data"
    assert run(data, "import", fixtures / "forum_post_ai_race.vi.txt").returncode == 0
    assert run(data, "list").returncode == 0  # the first open of a non-empty library makes today's backup
    backups = sorted((data / "backups").glob("library-*.sqlite3"))
    assert len(backups) == 1
    with Library.open(data / "library.sqlite3") as lib:
        lib.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _scribble(data / "library.sqlite3")

    broken = run(data, "list")
    assert broken.returncode != 0
    assert "damaged" in broken.stderr and f"main.py restore {backups[0]}" in broken.stderr
    assert len(broken.stderr.strip().splitlines()) == 1

    res = run(data, "restore", backups[0])
    assert res.returncode == 0, res.stderr
    assert "the previous library was kept as" in res.stdout
    listed = run(data, "list")
    assert listed.returncode == 0 and "forum_post_ai_race.vi" in listed.stdout
    assert list(data.glob("library.sqlite3.before-restore-*"))  # the damaged file was not thrown away


def test_restore_refuses_a_bad_backup(data_dir: Path, tmp_path: Path, fixtures: Path) -> None:
    with Library.open() as lib:
        import_file(lib, fixtures / "forum_post_ai_race.vi.txt")
    bad = tmp_path / "not-a-backup.sqlite3"
    bad.write_text("hello")
    with pytest.raises(InputError, match="not a usable"):
        restore(bad)
    with pytest.raises(InputError, match="no such backup"):
        restore(tmp_path / "missing.sqlite3")
    with Library.open() as lib:  # the library was left alone
        assert len(lib.documents()) == 1


def test_corrupt_library_error_without_backups(data_dir: Path, fixtures: Path) -> None:
    with Library.open() as lib:
        import_file(lib, fixtures / "forum_post_ai_race.vi.txt")
        lib.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _scribble(data_dir / "library.sqlite3")
    with pytest.raises(LibraryCorruptError, match="no backup yet"):
        Library.open()
