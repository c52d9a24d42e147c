"""The library file: import, duplicates, bad batches, translations, search, backups, damage."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.core.errors import DoiChieuError, InputTooLargeError, LibraryCorruptError, LibraryError, NotFoundError
from app.core.pipeline import import_file, import_text
from app.core.store import Library, NewTranslation
from app.core.store.schema import SCHEMA_VERSION
from tests import pdf_factory


@pytest.fixture
def lib(data_dir: Path):
    with Library.open() as library:
        yield library


@pytest.fixture
def samples(lib: Library, fixtures: Path) -> dict[str, int]:
    return {
        name: import_file(lib, fixtures / f"{name}.vi.txt").document_id
        for name in ("forum_post_ai_race", "pdf_copy_supercomputers")
    }


def snapshot(path: Path) -> list[tuple]:
    """Every row of every user table, to prove that nothing changed."""
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return [(t, *row) for t in tables for row in sorted(con.execute(f'SELECT * FROM "{t}"'), key=repr)]
    finally:
        con.close()


def test_samples_import(lib: Library, samples: dict[str, int], data_dir: Path) -> None:
    assert (data_dir / "library.sqlite3").is_file()
    docs = lib.documents()
    assert len(docs) == 2
    pdf_copy = lib.document(samples["pdf_copy_supercomputers"])
    assert pdf_copy.paragraph_count == 10 == len(lib.paragraphs(pdf_copy.id))
    for doc in docs:
        _raw, cleaned = lib.document_texts(doc.id)
        segments = lib.segments(doc.id)
        assert len(segments) == doc.segment_count > 0
        assert [s.idx for s in segments] == list(range(len(segments)))
        for s in segments:
            assert cleaned[s.start_char : s.end_char] == s.text
        for p in lib.paragraphs(doc.id):
            assert cleaned[p.start_char : p.end_char] == p.text
    hits = lib.search("bang sang che")
    assert hits and {h.document_id for h in hits} == {samples["forum_post_ai_race"]}
    assert all("bằng sáng chế" in h.text for h in hits[:3])
    assert lib.integrity() == "ok"
    assert lib.journal_mode() == "wal"
    assert lib.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert lib.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_search_folds_d_and_case_and_finds_english(lib: Library, samples: dict[str, int]) -> None:
    assert lib.search("DAU TU")  # đầu tư
    assert lib.search("Đầu tư") and lib.search("dau tu")[0].segment_id == lib.search("Đầu tư")[0].segment_id
    english = lib.search("patents")
    assert english and english[0].lang == "en"  # the pasted English preview
    assert lib.search("") == [] and lib.search("*:()") == []
    assert lib.search('NEAR AND OR "') == []  # user text never reaches FTS syntax


def test_search_in_translations_follows_the_current_one(lib: Library, samples: dict[str, int]) -> None:
    doc = samples["pdf_copy_supercomputers"]
    seg = lib.segments(doc)[2]
    lib.add_translations([NewTranslation(seg.id, "Machine zebra output", "machine", "tiny")])
    assert [h.segment_id for h in lib.search("zebra")] == [seg.id]
    lib.add_translations([NewTranslation(seg.id, "Human giraffe edit", "human")])
    lib.add_translations([NewTranslation(seg.id, "Later machine okapi", "machine", "tiny")])
    current = lib.current_translations(doc)[seg.id]
    assert current.kind == "human" and current.text == "Human giraffe edit"  # human edits always win
    assert lib.search("zebra") == [] and lib.search("okapi") == []
    assert [h.lang for h in lib.search("giraffe")] == ["en"]
    assert [t.kind for t in lib.translation_history(seg.id)] == ["machine", "human", "machine"]


def test_reimport_same_bytes_reports_existing(lib: Library, fixtures: Path, tmp_path: Path) -> None:
    first = import_file(lib, fixtures / "forum_post_ai_race.vi.txt")
    copy = tmp_path / "renamed copy.txt"
    copy.write_bytes((fixtures / "forum_post_ai_race.vi.txt").read_bytes())
    again = import_file(lib, copy)
    assert first.created and not again.created
    assert again.document_id == first.document_id
    assert len(lib.documents()) == 1


def test_bad_files_in_a_batch_change_nothing(lib: Library, fixtures: Path, tmp_path: Path, data_dir: Path) -> None:
    import_file(lib, fixtures / "pdf_copy_supercomputers.vi.txt")
    before = snapshot(data_dir / "library.sqlite3")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 64)
    corrupt = tmp_path / "corrupt.pdf"
    pdf_factory.garbage_pdf(corrupt)
    for bad in (empty, binary, corrupt):
        with pytest.raises(DoiChieuError):
            import_file(lib, bad)
    assert snapshot(data_dir / "library.sqlite3") == before
    good = import_file(lib, fixtures / "forum_post_ai_race.vi.txt")
    assert good.created and len(lib.documents()) == 2


def test_pdf_import_keeps_page_texts(lib: Library, tmp_path: Path) -> None:
    pdf = tmp_path / "báo cáo.pdf"
    pdf_factory.flow_pdf(pdf, ["Đoạn một có câu. Câu thứ hai.", "Đoạn hai nói về bằng sáng chế."], columns=1)
    out = import_file(lib, pdf)
    info = lib.document(out.document_id)
    raw, _ = lib.document_texts(out.document_id)
    assert info.kind == "pdf" and info.page_count == raw.count("\f") + 1
    assert "bằng sáng chế" in raw
    assert lib.search("bang sang che")[0].document_id == out.document_id


def test_paste_import_and_title(lib: Library) -> None:
    out = import_text(lib, "Năm 2023, theo GII của WIPO, Trung Quốc xếp thứ 12.\n\nĐoạn hai.")
    assert out.created and out.title.startswith("Năm 2023, theo GII")
    assert lib.resolve_document("GII") == out.document_id
    assert not import_text(lib, "Năm 2023, theo GII của WIPO, Trung Quốc xếp thứ 12.\n\nĐoạn hai.").created
    with pytest.raises(DoiChieuError):
        import_text(lib, "   \n")
    before = len(lib.documents())
    with pytest.raises(InputTooLargeError, match="paste it in parts"):  # the limit of a text file
        import_text(lib, "Một câu. " * (33 * 1024 * 1024 // 10))
    assert len(lib.documents()) == before


def test_delete_document_cascades_and_cleans_the_index(lib: Library, samples: dict[str, int]) -> None:
    doc = samples["forum_post_ai_race"]
    seg = lib.segments(doc)[0]
    lib.add_translations([NewTranslation(seg.id, "wombat", "machine")])
    lib.delete_document(doc)
    assert lib.search("bang sang che") == [] and lib.search("wombat") == []
    for table in ("paragraphs", "segments", "translations", "repairs"):
        assert lib.db.execute(f"SELECT count(*) FROM {table} t").fetchone()[0] >= 0
    assert lib.db.execute("SELECT count(*) FROM segments WHERE document_id = ?", [doc]).fetchone()[0] == 0
    assert lib.db.execute("SELECT count(*) FROM translations").fetchone()[0] == 0
    assert lib.db.execute("INSERT INTO segments_fts(segments_fts) VALUES('integrity-check')").rowcount != 0
    with pytest.raises(NotFoundError):
        lib.document(doc)


def test_resolve_document(lib: Library, samples: dict[str, int]) -> None:
    assert lib.resolve_document(str(samples["forum_post_ai_race"])) == samples["forum_post_ai_race"]
    assert lib.resolve_document("supercomputers") == samples["pdf_copy_supercomputers"]
    with pytest.raises(NotFoundError, match="matches 2 documents"):
        lib.resolve_document("vi")
    with pytest.raises(NotFoundError):
        lib.resolve_document("999")


def test_failed_transaction_leaves_nothing(lib: Library, samples: dict[str, int], data_dir: Path) -> None:
    before = snapshot(data_dir / "library.sqlite3")
    seg = lib.segments(samples["forum_post_ai_race"])[0]
    with pytest.raises(RuntimeError), lib.transaction():
        lib.add_translations([NewTranslation(seg.id, "half", "machine")])  # nested: a savepoint
        raise RuntimeError("power cut")
    assert snapshot(data_dir / "library.sqlite3") == before


def test_backup_is_a_complete_library(lib: Library, samples: dict[str, int], tmp_path: Path) -> None:
    dest = lib.backup(tmp_path / "backups" / "copy.sqlite3")
    with Library.open(dest) as copy:
        assert [d.sha256 for d in copy.documents()] == [d.sha256 for d in lib.documents()]
        assert copy.integrity() == "ok"
        assert copy.search("bang sang che")
    assert not list((tmp_path / "backups").glob("*.partial"))


def test_damaged_file_is_refused_and_kept(data_dir: Path, fixtures: Path) -> None:
    with Library.open() as lib:
        import_file(lib, fixtures / "forum_post_ai_race.vi.txt")
        lib.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path = data_dir / "library.sqlite3"
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(2 * page, len(data) - page, page):  # scribble over every page but the header
        data[offset + 100 : offset + 400] = b"\xff" * 300
    path.write_bytes(bytes(data))
    with pytest.raises(LibraryCorruptError, match="damaged"):
        Library.open()
    assert list(data_dir.glob("library.sqlite3.damaged-*"))


def test_not_a_database(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "library.sqlite3").write_text("hello, I am a text file")
    with pytest.raises(LibraryCorruptError, match="not a DoiChieu library"):
        Library.open()


def test_newer_schema_is_refused(data_dir: Path) -> None:
    with Library.open() as lib:
        lib.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(LibraryError, match="newer DoiChieu"):
        Library.open()


def test_rows_written_by_other_programs_are_indexed(lib: Library, samples: dict[str, int], data_dir: Path) -> None:
    assert lib.db.execute("SELECT deferred FROM search_state").fetchone()[0] == 0
    doc = samples["pdf_copy_supercomputers"]
    para = lib.paragraphs(doc)[0]
    con = sqlite3.connect(data_dir / "library.sqlite3")  # a plain sqlite3 client, none of our code
    with con:
        con.execute(
            "INSERT INTO segments (document_id, paragraph_id, idx, text, start_char, end_char)"
            " VALUES (?, ?, 999, 'Thêm một câu về đà điểu.', 0, 0)",
            [doc, para.id],
        )
        con.execute("UPDATE segments SET text = 'Câu về chim cánh cụt.' WHERE idx = 0 AND document_id = ?", [doc])
    con.close()
    assert [h.segment_idx for h in lib.search("da dieu")] == [999]
    assert [h.segment_idx for h in lib.search("chim canh cut")] == [0]
    assert lib.search("nhìn chung tiên tiến", document_id=doc)[0].segment_idx != 0  # the old text left the index


def test_backup_while_another_connection_is_writing(lib: Library, samples: dict[str, int], tmp_path: Path) -> None:
    writer = Library.open(lib.path)  # the app, mid-import
    try:
        writer.db.conn.execute("BEGIN IMMEDIATE")
        writer.db.conn.execute(
            "INSERT INTO documents (title, sha256, kind, imported_at, raw_text, cleaned_text)"
            " VALUES ('dở dang', 'half', 'text', 'now', '', '')"
        )
        dest = lib.backup(tmp_path / "during-write.sqlite3")  # must neither block nor copy the uncommitted row
        writer.db.conn.execute("COMMIT")
    finally:
        writer.close()
    with Library.open(dest) as copy:
        assert sorted(d.id for d in copy.documents()) == sorted(samples.values())
        assert copy.integrity() == "ok"
    assert len(lib.documents()) == 3
