"""Every item model of the GUI passes Qt's model tester, filled with real library data."""

from __future__ import annotations

from pathlib import Path

from app.core.claims import workflow
from app.core.pipeline import import_file
from app.core.services.layout_review import review
from app.core.store import Library, NewTranslation
from app.core.store.claims import ClaimStore
from app.core.translate import packages
from app.gui.models import (
    ClaimsModel,
    DocumentListModel,
    PackagesModel,
    RepairsModel,
    SegmentTableModel,
    SuggestionsModel,
)

FIXTURES = Path(__file__).parent / "fixtures"


def _library() -> tuple[Library, int]:
    lib = Library.open()
    ClaimStore(lib).ensure_default_tags()
    doc_id = import_file(lib, FIXTURES / "pdf_copy_supercomputers.vi.txt").document_id
    import_file(lib, FIXTURES / "forum_post_ai_race.vi.txt")
    segs = lib.segments(doc_id)
    lib.add_translations(
        [NewTranslation(s.id, f"English {s.idx}", flags=("repeated",) if s.idx % 3 else ()) for s in segs]
    )
    workflow.create_claim(lib, doc_id, segs[1].start_char, segs[1].end_char, tags=["statistic"])
    return lib, doc_id


def test_segment_model_fetches_lazily(qtmodeltester, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    lib, doc_id = _library()
    model = SegmentTableModel(lib, doc_id, lib.document(doc_id).segment_count)
    model.CHUNK = 5
    rows = [workflow.view(lib, r) for r in ClaimStore(lib).for_document(doc_id)]
    model.set_claims(rows, {t.name: t.color for t in ClaimStore(lib).tags()})
    assert model.rowCount() == 0 and model.canFetchMore()
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == model.total or model.canFetchMore()
    model.fetch_until(model.total - 1)
    assert model.rowCount() == model.total and not model.canFetchMore()
    qtmodeltester.check(model, force_py=True)
    lib.close()


def test_list_and_table_models(qtmodeltester, data_dir: Path, tiny_model_path: Path) -> None:  # type: ignore[no-untyped-def]
    lib, doc_id = _library()
    docs = DocumentListModel()
    docs.reload(lib)
    qtmodeltester.check(docs, force_py=True)
    docs.set_filter({doc_id})
    assert docs.rowCount() == 1

    claims = ClaimsModel()
    claims.set_rows([workflow.view(lib, r) for r in ClaimStore(lib).search()], {"statistic": "#f9e79f"})
    qtmodeltester.check(claims, force_py=True)

    repairs = RepairsModel()
    r = review(lib, doc_id)
    repairs.set_rows(r.repairs, {0})
    qtmodeltester.check(repairs, force_py=True)

    packages.install_package(tiny_model_path)
    pk = PackagesModel()
    pk.set_rows(packages.list_packages())
    qtmodeltester.check(pk, force_py=True)

    sugg = SuggestionsModel()
    from app.core.services.suggestions import suggestions_for_reading

    sugg.set_rows(suggestions_for_reading(lib, doc_id))
    assert sugg.rowCount() > 0
    qtmodeltester.check(sugg, force_py=True)
    lib.close()
