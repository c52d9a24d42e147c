"""Slips of the hand that used to destroy or silently replace the user's data (issue 20): restoring
the library onto itself, a backup written over a device or the library, an empty library file
taken for a new one, kept copies overwriting each other or piling up without end. Real CLI
processes and real SQLite files."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest

from app.core.claims.workflow import create_claim, delete_document
from app.core.errors import LibraryError
from app.core.pipeline import import_file, import_text
from app.core.store import Library
from app.core.store.backups import restore
from app.core.store.claims import ClaimStore
from app.core.store.keep import LIBRARY_COPIES_KEEP
from tests.test_cli_library import run
from tests.test_stale_wal import Holder

DOC = "forum_post_ai_race.vi.txt"


def _library_with_a_backup(tmp_path: Path, fixtures: Path) -> tuple[Path, Path]:
    data = tmp_path / "data"
    assert run(data, "import", fixtures / DOC).returncode == 0
    assert run(data, "list").returncode == 0  # the first open of a non-empty library makes today's backup
    (backup,) = (data / "backups").glob("library-*.sqlite3")
    return data / "library.sqlite3", backup


def _one_line_refusal(res: subprocess.CompletedProcess[str]) -> str:
    assert res.returncode != 0
    err = res.stderr
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err


def _titles(data: Path) -> list[str]:
    res = run(data, "list")
    assert res.returncode == 0, res.stderr
    return [line.split()[1] for line in res.stdout.splitlines()]


def _scribble(path: Path, seed: int) -> None:
    data = bytearray(path.read_bytes())
    for offset in range(8192, len(data) - 4096, 4096):
        data[offset + 100 : offset + 400] = bytes([seed]) * 300
    path.write_bytes(bytes(data))


# restore -----------------------------------------------------------------------------------------


def test_restore_given_the_library_itself_is_refused_and_the_library_kept(tmp_path: Path, fixtures: Path) -> None:
    library, _backup = _library_with_a_backup(tmp_path, fixtures)
    link = tmp_path / "looks-like-a-backup.sqlite3"
    link.symlink_to(library)
    for given in (library, Path(f"{library}-wal"), link, library.parent / "." / library.name):
        err = _one_line_refusal(run(library.parent, "restore", given))
        assert "not a backup" in err
        assert _titles(library.parent) == ["forum_post_ai_race.vi"]
    assert not list(library.parent.glob("*before-restore*"))


def test_restore_while_another_process_has_the_library_open_is_refused(tmp_path: Path, fixtures: Path) -> None:
    library, backup = _library_with_a_backup(tmp_path, fixtures)
    holder = Holder("doichieu", library, fixtures / "pdf_copy_supercomputers.vi.txt")  # open, has written
    try:
        err = _one_line_refusal(run(library.parent, "restore", backup))
        assert "open in another program" in err
        assert not list(library.parent.glob("*before-restore*"))
    finally:
        holder.end("exit")
    assert _titles(library.parent) == ["forum_post_ai_race.vi", "pdf_copy_supercomputers.vi"]
    res = run(library.parent, "restore", backup)  # once it is closed
    assert res.returncode == 0, res.stderr
    assert _titles(library.parent) == ["forum_post_ai_race.vi"]


def test_a_restore_can_be_undone_even_when_the_replaced_library_had_a_wal(tmp_path: Path, fixtures: Path) -> None:
    """The library replaced had acknowledged writes in its -wal only (its last session was killed):
    restoring the copy kept aside brings them back, not just its main file."""
    library, backup = _library_with_a_backup(tmp_path, fixtures)
    Holder("doichieu", library, fixtures / "pdf_copy_supercomputers.vi.txt").end("vanish")
    assert Path(f"{library}-wal").stat().st_size > 0
    res = run(library.parent, "restore", backup)
    assert res.returncode == 0, res.stderr
    (kept,) = [p for p in library.parent.glob("library.sqlite3.before-restore-*") if p.name[-1].isdigit()]
    assert Path(f"{kept}-wal").exists()  # the WAL went aside with its file
    assert _titles(library.parent) == ["forum_post_ai_race.vi"]
    res = run(library.parent, "restore", kept)
    assert res.returncode == 0, res.stderr
    assert _titles(library.parent) == ["forum_post_ai_race.vi", "pdf_copy_supercomputers.vi"]
    con = sqlite3.connect(library)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_each_restore_keeps_what_it_replaced_under_its_own_name_and_the_copies_are_bounded(
    data_dir: Path, fixtures: Path, tmp_path: Path
) -> None:
    with Library.open() as lib:
        import_file(lib, fixtures / DOC)
        backup = lib.backup(tmp_path / "one.sqlite3")
    library = data_dir / "library.sqlite3"
    replaced = []
    for n in range(LIBRARY_COPIES_KEEP + 2):  # back to back: several within the same second
        with Library.open() as lib:  # each library restored over is a different one
            import_text(lib, f"Văn bản số {n} để phân biệt các thư viện.", title=f"marker {n}")
        kept = restore(backup)
        assert kept is not None
        replaced.append(kept.name)
        with Library.open(kept) as old:  # what was replaced is there, whole
            assert f"marker {n}" in [d.title for d in old.documents()]
    assert len(set(replaced)) == len(replaced)  # never one name for two copies
    left = sorted(p.name for p in data_dir.glob("library.sqlite3.before-restore-*") if p.name[-1].isdigit())
    assert left == replaced[-LIBRARY_COPIES_KEEP:]  # the newest kept, the oldest pruned
    with Library.open(library) as lib:
        assert [d.title for d in lib.documents()] == ["forum_post_ai_race.vi"]


# backup -------------------------------------------------------------------------------------------


def test_backup_never_replaces_a_device_a_pipe_the_library_or_a_folder(tmp_path: Path, fixtures: Path) -> None:
    library, _backup = _library_with_a_backup(tmp_path, fixtures)
    data = library.parent
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    targets: list[tuple[Path, str]] = [
        (fifo, "not a regular file"),
        (library, "the library"),
        (Path(f"{library}-wal"), "the library"),
        (tmp_path, "folder"),
        (fifo / "inside" / "b.sqlite3", "cannot create the folder"),  # a missing folder is made, not this one
    ]
    if os.geteuid() == 0:  # as root a rename replaced /dev/full itself; a node of our own shows it safely
        device = tmp_path / "full"
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
        targets.append((device, "not a regular file"))
    for target, why in targets:
        err = _one_line_refusal(run(data, "backup", target))
        assert why in err, err
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    if os.geteuid() == 0:
        assert stat.S_ISCHR((tmp_path / "full").lstat().st_mode)
    assert _titles(data) == ["forum_post_ai_race.vi"]
    good = run(data, "backup", tmp_path / "new folder" / "copy.sqlite3")
    assert good.returncode == 0, good.stderr
    con = sqlite3.connect(tmp_path / "new folder" / "copy.sqlite3")
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    con.close()


# an empty library file ------------------------------------------------------------------------------


def test_an_empty_library_file_with_backups_is_refused_not_started_afresh(tmp_path: Path, fixtures: Path) -> None:
    library, backup = _library_with_a_backup(tmp_path, fixtures)
    library.write_bytes(b"")  # a sync client or a failed copy emptied it
    for _ in range(2):
        err = _one_line_refusal(run(library.parent, "list"))
        assert "damaged" in err and "empty" in err and str(backup) in err
        assert library.stat().st_size == 0  # nothing was written into it
    res = run(library.parent, "restore", backup)
    assert res.returncode == 0, res.stderr
    assert _titles(library.parent) == ["forum_post_ai_race.vi"]


def test_an_empty_new_library_file_without_history_still_starts(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "library.sqlite3").write_bytes(b"")
    res = run(data, "list")
    assert res.returncode == 0 and "the library is empty" in res.stdout, res.stderr


# damaged copies -------------------------------------------------------------------------------------


def test_a_damaged_library_refused_again_and_again_is_copied_once(tmp_path: Path, fixtures: Path) -> None:
    library, backup = _library_with_a_backup(tmp_path, fixtures)
    data = library.parent
    _scribble(library, 0xFF)
    for _ in range(3):
        assert "damaged" in _one_line_refusal(run(data, "list"))
    copies = [p for p in data.glob("library.sqlite3.damaged-*") if p.name[-1].isdigit()]
    assert len(copies) == 1 and copies[0].read_bytes() == library.read_bytes()
    # Distinct damage is each kept, up to the bound; the newest always.
    for seed in range(1, LIBRARY_COPIES_KEEP + 2):
        _scribble(library, seed)
        assert "damaged" in _one_line_refusal(run(data, "list"))
    copies = sorted(p for p in data.glob("library.sqlite3.damaged-*") if p.name[-1].isdigit())
    assert len(copies) == LIBRARY_COPIES_KEEP and copies[-1].read_bytes() == library.read_bytes()
    assert run(data, "restore", backup).returncode == 0
    assert _titles(data) == ["forum_post_ai_race.vi"]


# claims kept on deletion ------------------------------------------------------------------------------


def test_deletions_in_the_same_second_each_keep_their_claims(data_dir: Path) -> None:
    """Ids are reused after a deletion, so the same document number is deleted again and again
    within a second: each deletion's claims must land in a file of its own."""
    kept: list[tuple[Path, str]] = []
    with Library.open() as lib:
        ClaimStore(lib).ensure_default_tags()
        import_text(lib, "Tài liệu giữ lại.", title="stays")
        for n in range(6):
            doc = import_text(lib, f"Câu khẳng định số {n} của tài liệu.", title=f"doc {n}").document_id
            _raw, cleaned = lib.document_texts(doc)
            create_claim(lib, doc, 0, len(cleaned), note=f"note {n}")
            path = delete_document(lib, doc)
            assert path is not None
            kept.append((path, f"note {n}"))
    assert len({p for p, _ in kept}) == len(kept)
    for path, note in kept:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        assert [r["note"] for r in rows] == [note]


def test_export_over_the_library_from_the_command_line_is_refused(tmp_path: Path, fixtures: Path) -> None:
    library, _backup = _library_with_a_backup(tmp_path, fixtures)
    for target in (library, library.parent / "." / library.name):
        err = _one_line_refusal(run(library.parent, "export", "1", "--format", "html", "-o", target))
        assert "the library" in err
    assert _titles(library.parent) == ["forum_post_ai_race.vi"]


def test_a_document_whose_claims_cannot_be_kept_is_not_deleted(data_dir: Path) -> None:
    with Library.open() as lib:
        doc = import_text(lib, "Câu khẳng định của tài liệu.", title="doc").document_id
        _raw, cleaned = lib.document_texts(doc)
        create_claim(lib, doc, 0, len(cleaned))
        backups = data_dir / "backups"
        if backups.exists():
            backups.rmdir()
        backups.write_text("a file where the backups folder should be")
        with pytest.raises(LibraryError, match="so it was not deleted") as err:
            delete_document(lib, doc)
        assert "\n" not in str(err.value)
        assert [d.id for d in lib.documents()] == [doc]
