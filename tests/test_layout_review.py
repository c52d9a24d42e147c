"""Undoing and redoing layout repairs on a stored document: text, translations and claims follow."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.claims.workflow import create_claim
from app.core.pipeline import import_file
from app.core.services.layout_review import review, set_undone
from app.core.store import Library
from app.core.store.claims import ClaimStore
from app.core.translate import packages
from app.core.translate.engine import Engine
from app.core.translate.memory import post_edit, translate_document


@pytest.fixture
def lib(data_dir: Path):
    with Library.open() as library:
        ClaimStore(library).ensure_default_tags()
        yield library


def test_undo_redo_keeps_claims_translations_and_edits(lib: Library, fixtures: Path, tiny_model_path: Path) -> None:
    doc = import_file(lib, fixtures / "pdf_copy_supercomputers.vi.txt").document_id
    translate_document(lib, doc, Engine(packages.install_package(tiny_model_path)))
    _raw, cleaned = lib.document_texts(doc)
    words = "gấp hàng triệu lần"
    start = cleaned.index(words)
    claim = create_claim(lib, doc, start, start + len(words), tags=["statistic"], note="Nguồn?")
    seg = next(s for s in lib.segments(doc) if s.text.startswith("Đây là câu chuyện"))
    post_edit(lib, seg.id, "This is an obvious story.")
    before = review(lib, doc)
    assert before.raw_text.lstrip().startswith('" Nhìn chung') and len(before.paragraphs) == 10
    assert all(r.undoable and not r.undone for r in before.repairs)

    # undo every join inside the list item holding the claim
    item = next(i for i, p in enumerate(before.paragraphs) if words in p.text)
    undo = {r.index for r in before.repairs if r.repair.paragraph == item}
    assert set_undone(lib, doc, undo) == (1, 0)
    after = review(lib, doc)
    assert len(after.paragraphs) == 10 + len(undo)
    assert {r.index for r in after.repairs if r.undone} == undo
    row = ClaimStore(lib).get(claim)
    _raw, cleaned = lib.document_texts(doc)
    assert row.status == "attached" and " ".join(cleaned[row.start : row.end].split()) == words
    assert lib.current_translations(doc)[next(s.id for s in lib.segments(doc) if s.text == seg.text)].kind == "human"

    # redo all: back to the original paragraphs, claim and edit still there
    assert set_undone(lib, doc, set()) == (1, 0)
    assert [p.text for p in review(lib, doc).paragraphs] == [p.text for p in before.paragraphs]
    current = lib.current_translations(doc)
    assert {t.text for t in current.values() if t.kind == "human"} == {"This is an obvious story."}
    assert len(current) == len(lib.segments(doc))  # every sentence still has its English
    assert lib.integrity() == "ok"


def test_undone_state_survives_reopening(data_dir: Path, fixtures: Path) -> None:
    with Library.open() as lib:
        doc = import_file(lib, fixtures / "forum_post_ai_race.vi.txt").document_id
        set_undone(lib, doc, {0})
    with Library.open() as lib:
        state = review(lib, doc)
        assert [r.undone for r in state.repairs] == [True] + [False] * (len(state.repairs) - 1)
        assert len(state.paragraphs) == 28
