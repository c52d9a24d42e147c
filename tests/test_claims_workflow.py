"""Claims on real stored documents: both languages, tags, verdicts, notes, evidence, history,
re-cleaning and re-translating, deletion — on a real library file with the real tiny model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.claims.workflow import (
    create_claim,
    delete_document,
    reclean_document,
    set_english_span,
    view,
)
from app.core.errors import InputError
from app.core.model import Paragraph
from app.core.pipeline import import_file, import_text
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


@pytest.fixture
def engine(data_dir: Path, tiny_model_path: Path) -> Engine:
    return Engine(packages.install_package(tiny_model_path))


def span(lib: Library, doc: int, words: str) -> tuple[int, int]:
    _raw, cleaned = lib.document_texts(doc)
    start = cleaned.index(words)
    return start, start + len(words)


def test_claim_fields_history_and_english(lib: Library, engine: Engine, fixtures: Path) -> None:
    doc = import_file(lib, fixtures / "forum_post_ai_race.vi.txt").document_id
    store = ClaimStore(lib)
    claim = create_claim(lib, doc, *span(lib, doc, "Trung Quốc xếp thứ 12"), tags=["ranking"], note="GII 2023?")
    row = store.get(claim)
    assert (row.quote, row.tags, row.note, row.verdict, row.status) == (
        "Trung Quốc xếp thứ 12",
        ("ranking",),
        "GII 2023?",
        "unchecked",
        "attached",
    )
    assert view(lib, row).english_status == "untranslated"

    translate_document(lib, doc, engine)
    seg = next(s for s in lib.segments(doc) if "xếp thứ 12" in s.text)
    english = lib.current_translations(doc)[seg.id].text
    assert view(lib, store.get(claim)).english == english  # the aligned sentence's English

    store.set_verdict(claim, "supported")
    store.set_note(claim, "Đúng: **GII 2023** xếp Trung Quốc thứ 12.")
    store.set_tags(claim, ["ranking", "source-cited"])
    store.add_evidence(claim, url="https://www.wipo.int/gii", quote="China 12th", note="GII 2023 table")
    row = store.get(claim)
    assert row.verdict == "supported" and row.tags == ("ranking", "source-cited")
    assert row.evidence[0].url == "https://www.wipo.int/gii"
    assert store.note_history(claim) == ["GII 2023?", "Đúng: **GII 2023** xếp Trung Quốc thứ 12."]
    # every note version is in claim_history too, in order with the other changes
    assert [h[0] for h in store.history(claim)] == ["note", "verdict", "note", "tags", "evidence"]
    with pytest.raises(InputError):
        store.set_verdict(claim, "maybe")

    # a post-edit shows up on the English side; the user narrows the English span to two words
    post_edit(lib, seg.id, "In 2023, according to WIPO's GII, China ranked 12th.")
    assert view(lib, store.get(claim)).english == "In 2023, according to WIPO's GII, China ranked 12th."
    edit = "In 2023, according to WIPO's GII, China ranked 12th."
    set_english_span(lib, claim, edit.index("China"), edit.index("China") + len("China ranked 12th"))
    assert view(lib, store.get(claim)).english == "China ranked 12th"
    # re-translating keeps the human edit, so the English span stays attached
    translate_document(lib, doc, engine, retranslate=True, beam_size=4)
    shown = view(lib, store.get(claim))
    assert (shown.english, shown.english_status) == ("China ranked 12th", "attached")


def test_english_span_orphaned_when_translation_changes(lib: Library, engine: Engine) -> None:
    doc = import_text(lib, "Năm 2023, Trung Quốc xếp thứ 12 trên thế giới.").document_id
    translate_document(lib, doc, engine)
    claim = create_claim(lib, doc, *span(lib, doc, "xếp thứ 12"))
    seg = lib.segments(doc)[0]
    post_edit(lib, seg.id, "In 2023 China ranked 12th in the world.")
    set_english_span(lib, claim, 14, 25)
    assert view(lib, ClaimStore(lib).get(claim)).english == "ranked 12th"
    post_edit(lib, seg.id, "China was twelfth in 2023.")  # the words the user picked are gone
    shown = view(lib, ClaimStore(lib).get(claim))
    assert shown.english_status == "orphaned" and shown.english == "ranked 12th"  # kept, and flagged


def test_claim_survives_recleaning_and_keeps_translations(lib: Library, engine: Engine, fixtures: Path) -> None:
    doc = import_file(lib, fixtures / "pdf_copy_supercomputers.vi.txt").document_id
    translate_document(lib, doc, engine)
    words = "gấp hàng triệu lần so với các loại siêu máy tính mạnh nhất hiện nay"
    claim = create_claim(lib, doc, *span(lib, doc, words), tags=["statistic"], note="nguồn?")
    edited = next(s for s in lib.segments(doc) if words in s.text)
    post_edit(lib, edited.id, "My careful English for the supercomputer sentence.")

    # Undo a join: the list item's paragraph comes back as the lines it was joined from.
    paras = [Paragraph(p.text, p.kind, p.lang, p.page) for p in lib.paragraphs(doc)]
    item = next(i for i, p in enumerate(paras) if words in p.text)
    head, tail = paras[item].text.split(" có khả năng tính toán ", 1)
    paras[item : item + 1] = [
        Paragraph(head + " có khả năng", "list_item"),
        Paragraph("tính toán " + tail.replace("siêu máy tính mạnh", "siêu máy tính\nmạnh")),
    ]
    attached, orphaned = reclean_document(lib, doc, paras)
    assert (attached, orphaned) == (1, 0)
    row = ClaimStore(lib).get(claim)
    _raw, cleaned = lib.document_texts(doc)
    assert " ".join(cleaned[row.start : row.end].split()) == words and row.status == "attached"
    assert row.segment_first is not None and row.note == "nguồn?"
    # sentences that did not change kept their translations; the edited one kept the human edit
    current = lib.current_translations(doc)
    assert len(current) >= len(lib.segments(doc)) - 2
    assert "My careful English for the supercomputer sentence." in {t.text for t in current.values()}
    moved = next(t for t in current.values() if t.text.startswith("My careful"))
    assert moved.kind == "human" and "source-changed" in moved.flags

    # An edit that removes the words: the claim is orphaned, visible, and keeps its note.
    paras = [Paragraph(p.text.replace("gấp hàng triệu lần", "nhanh hơn nhiều"), p.kind) for p in lib.paragraphs(doc)]
    assert reclean_document(lib, doc, paras) == (0, 1)
    row = ClaimStore(lib).get(claim)
    assert (row.status, row.note, " ".join(row.quote.split())) == ("orphaned", "nguồn?", words)
    assert [r.id for r in ClaimStore(lib).search(status="orphaned")] == [claim]
    assert ClaimStore(lib).history(claim)[-1][0] == "anchor"


def test_same_tag_across_three_documents(lib: Library, engine: Engine) -> None:
    texts = [
        "Năm 2024, GDP tăng 7,09%. Đây là mức cao.",
        "Xuất khẩu đạt 405 tỷ USD trong năm 2024. Rất tốt.",
        "Dân số Việt Nam vượt 100 triệu người. Thành phố đông đúc.",
    ]
    store = ClaimStore(lib)
    for i, text in enumerate(texts):
        doc = import_text(lib, text, title=f"Tin {i + 1}").document_id
        translate_document(lib, doc, engine)
        first = text.split(". ")[0]
        create_claim(lib, doc, 0, len(first), tags=["statistic"], verdict="supported" if i else "disputed")
    create_claim(lib, 3, *span(lib, 3, "Thành phố đông đúc"), tags=["opinion"])
    found = store.search(tag="statistic")
    assert [(r.document_title, r.quote) for r in found] == [
        ("Tin 1", "Năm 2024, GDP tăng 7,09%"),
        ("Tin 2", "Xuất khẩu đạt 405 tỷ USD trong năm 2024"),
        ("Tin 3", "Dân số Việt Nam vượt 100 triệu người"),
    ]
    assert all(view(lib, r).english for r in found)  # each with its English
    assert [r.document_title for r in store.search(tag="statistic", verdict="supported")] == ["Tin 2", "Tin 3"]
    assert [r.document_title for r in store.search(text="dan so")] == ["Tin 3"]
    per_tag, per_verdict = store.counts()
    assert per_tag["statistic"] == 3 and per_tag["opinion"] == 1 and per_tag["ranking"] == 0
    assert per_verdict == {"unchecked": 1, "supported": 2, "disputed": 1, "false": 0, "unverifiable": 0}


def test_deleting_a_tag_asks_what_to_do(lib: Library) -> None:
    doc = import_text(lib, "Năm 2024, GDP tăng 7,09%.").document_id
    store = ClaimStore(lib)
    claim = create_claim(lib, doc, 0, 9, tags=["prediction"])
    with pytest.raises(InputError, match="--reassign"):
        store.delete_tag("prediction")
    assert store.delete_tag("prediction", reassign="statistic") == 1
    assert store.get(claim).tags == ("statistic",)
    store.add_tag("tạm", shortcut="7")
    store.set_tags(claim, ["statistic", "tạm"])
    assert store.delete_tag("tạm", force=True) == 1
    assert store.get(claim).tags == ("statistic",)
    with pytest.raises(InputError, match="already applies the tag"):
        store.add_tag("khác", shortcut="1")
    assert store.rename_tag("statistic", "số liệu").name == "số liệu"
    assert store.get(claim).tags == ("số liệu",)


def test_deleting_a_document_keeps_its_claims_in_backups(lib: Library, data_dir: Path) -> None:
    doc = import_text(lib, "Năm 2024, GDP tăng 7,09%. Hết.").document_id
    claim = create_claim(lib, doc, 0, 24, tags=["statistic"], note="Theo GSO")
    ClaimStore(lib).add_evidence(claim, citation="Tổng cục Thống kê, 2025")
    kept = delete_document(lib, doc)
    assert kept is not None and kept.parent == data_dir / "backups"
    saved = [json.loads(line) for line in kept.read_text(encoding="utf-8").splitlines()]
    assert saved[0]["vi"] == "Năm 2024, GDP tăng 7,09%" and saved[0]["note"] == "Theo GSO"
    assert saved[0]["evidence"][0]["citation"] == "Tổng cục Thống kê, 2025"
    assert ClaimStore(lib).search() == []


def test_selection_is_trimmed_and_checked(lib: Library) -> None:
    doc = import_text(lib, "Năm 2024, GDP tăng 7,09%. Hết.").document_id
    claim = create_claim(lib, doc, 0, 26)  # the selection caught the space after the full stop
    assert ClaimStore(lib).get(claim).quote == "Năm 2024, GDP tăng 7,09%."
    with pytest.raises(InputError):
        create_claim(lib, doc, 25, 26)
    with pytest.raises(InputError):
        create_claim(lib, doc, 0, 999)
