"""A claim's spans per sentence in both languages (`claims/alignment.py`), the evidence link policy
(`claims/evidence.py`) and the import of a batch (`services/imports.py`): tables of inputs and the
answers every front-end now shares."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.claims.alignment import claim_spans, covered_segments
from app.core.claims.anchor import make_anchor
from app.core.claims.evidence import EvidenceRef, is_linkable, normalize_evidence, safe_url
from app.core.services.imports import expand_paths, import_batch
from app.core.store import Library, StoredSegment
from app.core.store.claims import ClaimRow

FIXTURES = Path(__file__).parent / "fixtures"

# Two sentences of a cleaned text: "Năm 2023, Việt Nam xếp thứ 46. Trung Quốc xếp thứ 12."
VI = "Năm 2023, Việt Nam xếp thứ 46. Trung Quốc xếp thứ 12."
S1 = StoredSegment(10, 1, 0, VI[:30], 0, 30, "vi")
S2 = StoredSegment(11, 1, 1, VI[31:], 31, len(VI), "vi")
EN = {10: "In 2023, Vietnam ranked 46th.", 11: "China ranks 12th."}


def claim(start: int, end: int, *, en: tuple[str, int, int] | None = None, status: str = "attached") -> ClaimRow:
    """A stored claim over VI[start:end]; `en` = (aligned English, start, end) of the user's own span."""
    first = S1.id if start < S1.end_char else S2.id
    last = S2.id if end > S2.start_char else S1.id
    anchor = make_anchor(en[0], en[1], en[2]) if en else None
    return ClaimRow(
        id=1, document_id=1, document_title="t", start=start, end=end, quote=VI[start:end], prefix="", suffix="",
        segment_first=first if status == "attached" else None, segment_last=last if status == "attached" else None,
        en_start=anchor.start if anchor else None, en_end=anchor.end if anchor else None,
        en_quote=anchor.quote if anchor else None, en_prefix=anchor.prefix if anchor else "",
        en_suffix=anchor.suffix if anchor else "", en_custom=anchor is not None, verdict="unchecked",
        status=status, origin="user", created_at="", edited_at="", tags=(), note="", evidence=(),
    )  # fmt: skip


def test_a_whole_sentence_claim_has_the_whole_english() -> None:
    spans = claim_spans(claim(31, len(VI)), [S2], EN)
    assert (spans.english, spans.english_status) == ("China ranks 12th.", "attached")
    assert [(s.segment_id, s.vi, s.en) for s in spans.sentences] == [(11, (0, len(S2.text)), (0, 17))]


def test_a_claim_over_two_sentences_is_cut_per_sentence_on_both_sides() -> None:
    row = claim(19, 46, en=(EN[10] + " " + EN[11], 17, 46))  # "xếp thứ 46. Trung Quốc xếp"; "ranked 46th. China ranks"
    spans = claim_spans(row, covered_segments(row, [S1, S2]), EN)
    assert spans.english == "ranked 46th. China ranks 12th"
    assert spans.vi(10) == (19, 30) and spans.vi(11) == (0, 15)
    assert EN[10][slice(*spans.en(10))] == "ranked 46th." and EN[11][slice(*spans.en(11))] == "China ranks 12th"


def test_the_users_english_span_is_found_again_after_words_are_added_before_it() -> None:
    row = claim(31, len(VI), en=(EN[11], 12, 16))  # "12th"
    edited = {**EN, 11: "According to WIPO, China ranks 12th."}
    spans = claim_spans(row, [S2], edited)
    assert spans.english == "12th" and spans.english_status == "attached"
    assert edited[11][slice(*spans.en(11))] == "12th"


def test_gone_english_words_keep_their_text_flagged_and_highlight_nothing() -> None:
    row = claim(31, len(VI), en=(EN[11], 12, 16))
    spans = claim_spans(row, [S2], {11: "China is twelfth."})
    assert (spans.english, spans.english_status, spans.en(11)) == ("12th", "orphaned", None)
    assert spans.vi(11) == (0, len(S2.text))


def test_untranslated_and_orphaned_claims() -> None:
    spans = claim_spans(claim(31, len(VI)), [S2], {})
    assert (spans.english, spans.english_status, spans.en(11)) == ("", "untranslated", None)
    gone = claim(31, len(VI), status="orphaned")
    assert covered_segments(gone, [S1, S2]) == []
    assert claim_spans(gone, [], EN).english_status == "orphaned"


@pytest.mark.parametrize(
    ("typed", "citation", "stored", "linkable"),
    [
        ("https://a.example/x", "", EvidenceRef("https://a.example/x", ""), True),
        ("HTTP://A.example", "WIPO 2023", EvidenceRef("HTTP://A.example", "WIPO 2023"), True),
        ("  www.example.com/x ", "", EvidenceRef("https://www.example.com/x", ""), False),
        ("javascript:alert(1)", "", EvidenceRef("", "javascript:alert(1)"), False),
        ("data:text/html,<b>x</b>", "note", EvidenceRef("", "data:text/html,<b>x</b> note"), False),
        ("file:///etc/passwd", "", EvidenceRef("", "file:///etc/passwd"), False),
        ("https://", "", EvidenceRef("", "https://"), False),
        ("https://a.example/x y", "", EvidenceRef("", "https://a.example/x y"), False),
        ("WIPO, Global Innovation Index 2023", "", EvidenceRef("", "WIPO, Global Innovation Index 2023"), False),
        ("", "Báo Nhân Dân, 2023", EvidenceRef("", "Báo Nhân Dân, 2023"), False),
        ("", "", EvidenceRef("", ""), False),
    ],
)
def test_evidence_link_policy(typed: str, citation: str, stored: EvidenceRef, linkable: bool) -> None:
    assert normalize_evidence(typed, citation) == stored
    assert is_linkable(typed) is linkable
    assert safe_url(typed) == (typed.strip() if linkable else "")
    assert not stored.url or is_linkable(stored.url)


def test_a_batch_expands_folders_and_a_bad_item_never_stops_the_rest(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "deeper").mkdir(parents=True)
    (folder / "b.txt").write_text("Năm 2023, Việt Nam xếp thứ 46.\n", encoding="utf-8")
    (folder / "deeper" / "a.markdown").write_text("Trung Quốc xếp thứ 12.\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "x.png").write_bytes(b"\x89PNG")  # an image is taken (OCR), this one is cut short
    (folder / "notes.docx").write_bytes(b"PK")  # not a kind the importer reads: left in the folder
    (tmp_path / "nothing").mkdir()
    expanded = expand_paths([folder, tmp_path / "nothing"])
    assert [p.relative_to(folder).as_posix() for p in expanded.files] == [
        "b.txt",
        "deeper/a.markdown",
        "empty.txt",
        "x.png",
    ]
    assert [(p.name, why) for p, why in expanded.refused] == [
        ("nothing", "the folder holds no text, Markdown, PDF or image files")
    ]

    seen: list[str] = []
    with Library.open() as lib:
        result = import_batch(
            lib,
            [tmp_path / "missing.txt", folder, folder / "b.txt"],
            on_item=lambda p, out, why: seen.append(p.name + (" ok" if out else " refused")),
        )
    assert [o.title for o in result.imported] == ["b", "a", "b"] and result.created == 2
    assert [p.name for p, _why in result.refused] == ["missing.txt", "empty.txt", "x.png"]
    assert seen == [
        "missing.txt refused",
        "b.txt ok",
        "a.markdown ok",
        "empty.txt refused",
        "x.png refused",
        "b.txt ok",
    ]
