"""Every migration, from every earlier schema version, with data written by that version."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.store import Library
from app.core.store import db as dbmod
from app.core.store.schema import MIGRATIONS, SCHEMA_VERSION


def seed_v1(db) -> None:  # type: ignore[no-untyped-def]
    """Rows as a version-1 app wrote them (raw SQL: the app's own code always writes the latest schema)."""
    with db.atomic():
        db.execute(
            "INSERT INTO documents (id, title, sha256, kind, imported_at, raw_text, cleaned_text, paragraph_count,"
            " segment_count) VALUES (1, 'cũ', 'abc', 'text', '2026-01-01T00:00:00+00:00', 'Bằng sáng chế.',"
            " 'Bằng sáng chế.', 1, 1)"
        )
        db.execute(
            "INSERT INTO paragraphs (id, document_id, idx, text, start_char, end_char)"
            " VALUES (1, 1, 0, 'Bằng sáng chế.', 0, 14)"
        )
        db.execute(
            "INSERT INTO segments (id, document_id, paragraph_id, idx, text, start_char, end_char)"
            " VALUES (1, 1, 1, 0, 'Bằng sáng chế.', 0, 14)"
        )
        db.execute(
            "INSERT INTO translations (segment_id, text, kind, created_at) VALUES (1, 'Patent filing.', 'machine', 'x')"
        )
        db.execute("INSERT INTO tags (name, created_at) VALUES ('statistic', 'x')")
        db.execute(
            "INSERT INTO claims (document_id, start_char, end_char, quote, created_at, edited_at)"
            " VALUES (1, 0, 13, 'Bằng sáng chế', 'x', 'x')"
        )
        db.execute("INSERT INTO claim_tags (claim_id, tag_id) VALUES (1, 1)")


SEEDS = {1: seed_v1}


def build_at(path: Path, version: int) -> None:
    db = dbmod.connect(path)
    try:
        dbmod.migrate(db, target=version)
        seeds = [v for v in SEEDS if v <= version]
        if seeds:  # the data the newest app at or below this version would have written
            SEEDS[max(seeds)](db)
        assert dbmod.schema_version(db) == version
    finally:
        db.close()


def test_schema_version_counts_the_migrations() -> None:
    assert len(MIGRATIONS) == SCHEMA_VERSION >= 2
    assert 1 in SEEDS


@pytest.mark.parametrize("start", range(SCHEMA_VERSION))
def test_migrate_from(start: int, tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    build_at(path, start)
    with Library.open(path) as lib:
        assert lib.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert lib.integrity() == "ok"
        if start >= 1:
            assert [d.title for d in lib.documents()] == ["cũ"]
            assert [h.segment_id for h in lib.search("bang sang che")] == [1]
            assert [h.lang for h in lib.search("patent filing")] == ["en"]
            assert lib.current_translations(1)[1].text == "Patent filing."
            from app.core.store.claims import ClaimStore

            claim = ClaimStore(lib).get(1)
            assert (claim.quote, claim.tags, claim.en_custom, claim.segment_first) == (
                "Bằng sáng chế",
                ("statistic",),
                False,
                None,
            )
        else:
            assert lib.documents() == []


def test_reopening_runs_nothing_again(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    Library.open(path).close()
    with Library.open(path) as lib:
        assert lib.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_failed_migration_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "library.sqlite3"
    build_at(path, 1)
    from app.core.store import schema

    broken = (*schema.MIGRATIONS[:1], schema.MIGRATIONS[1] + "\nTHIS IS NOT SQL;")
    monkeypatch.setattr(dbmod, "MIGRATIONS", broken)
    with pytest.raises(Exception, match="syntax"):
        Library.open(path)
    monkeypatch.undo()
    db = dbmod.connect(path)
    try:
        assert dbmod.schema_version(db) == 1
        assert "segments_fts" not in db.table_names()
    finally:
        db.close()
