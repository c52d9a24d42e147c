"""A claim's span: widened to whole words, and the one rule for "a claim already covers these words",
on real stored documents (window and command line both use it); evidence edited and removed, and a
claim's history in words."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from app.core.claims.history import claim_history
from app.core.claims.spans import claims_over, snap_to_words
from app.core.claims.workflow import DuplicateClaimError, claims_covering, create_claim
from app.core.pipeline import import_text
from app.core.services.suggestions import suggestions_for_reading
from app.core.store import Library
from app.core.store.claims import ClaimStore
from tests.test_cli_library import run

TEXT = "Theo WIPO, TQ dẫn đầu thế giới với 1,5 triệu bằng sáng chế năm 2023. Mỹ đứng thứ hai."


@pytest.fixture
def lib(data_dir: Path):
    with Library.open() as library:
        ClaimStore(library).ensure_default_tags()
        yield library


def cut(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


@pytest.mark.parametrize(
    ("selected", "expected"),
    [
        ("Q dẫn đầu", "TQ dẫn đầu"),  # the T of TQ was lost
        ("Q dẫn đ", "TQ dẫn đầu"),
        ("ẫn đầu thế", "dẫn đầu thế"),
        (",5 triệu", "1,5 triệu"),  # a number is one word
        ("1,", "1,5"),
        ("TQ dẫn đầu", "TQ dẫn đầu"),  # already whole words: unchanged
        (" TQ dẫn ", " TQ dẫn "),  # spaces are left for the caller to trim
        ("2023.", "2023."),
    ],
)
def test_snap_to_words(selected: str, expected: str) -> None:
    start, end = snap_to_words(TEXT, *cut(TEXT, selected))
    assert TEXT[start:end] == expected


def test_snap_to_words_in_decomposed_text_and_at_the_edges() -> None:
    nfd = unicodedata.normalize("NFD", "Việt Nam tăng trưởng")
    i = nfd.index("t")  # inside "Việt" (its ệ is three code points)
    assert nfd[slice(*snap_to_words(nfd, i, i + 1))] == nfd.split()[0]
    assert snap_to_words("abc", 0, 3) == (0, 3)
    assert snap_to_words("abc", 1, 1) == (1, 1)
    assert snap_to_words("China’s lead", 2, 9) == (0, 12)  # an apostrophe inside a word


def test_create_claim_takes_whole_words(lib: Library) -> None:
    doc = import_text(lib, TEXT).document_id
    claim = create_claim(lib, doc, *cut(TEXT, "Q dẫn đầu"))
    assert ClaimStore(lib).get(claim).quote == "TQ dẫn đầu"


def test_claims_covering_the_same_words(lib: Library) -> None:
    doc = import_text(lib, TEXT).document_id
    sentence = cut(TEXT, TEXT.split(". ")[0] + ".")
    words = create_claim(lib, doc, *cut(TEXT, "TQ dẫn đầu thế giới"))
    whole = create_claim(lib, doc, *sentence)
    # the most overlapping claim first
    assert [c.id for c in claims_covering(lib, doc, *sentence)] == [whole, words]
    assert [c.id for c in claims_covering(lib, doc, *cut(TEXT, "dẫn đầu"))] == [words, whole]
    assert claims_covering(lib, doc, *cut(TEXT, "Mỹ đứng thứ hai")) == []
    with pytest.raises(DuplicateClaimError, match=f"claim #{words} already covers"):
        create_claim(lib, doc, *cut(TEXT, "Q dẫn"), allow_duplicate=False)
    third = create_claim(lib, doc, *cut(TEXT, "Mỹ đứng thứ hai"), allow_duplicate=False)
    # an orphaned claim covers nothing
    rows = ClaimStore(lib).for_document(doc)
    assert [c.id for c in claims_over(rows, *cut(TEXT, "Mỹ"))] == [third]


def test_claimed_sentence_is_not_suggested(lib: Library) -> None:
    doc = import_text(lib, TEXT).document_id
    suggested = suggestions_for_reading(lib, doc)
    assert any("1,5 triệu" in s.text for s in suggested)
    create_claim(lib, doc, *cut(TEXT, "1,5 triệu"))
    assert not any("1,5 triệu" in s.text for s in suggestions_for_reading(lib, doc))


def test_evidence_edited_and_removed_with_history(lib: Library) -> None:
    doc = import_text(lib, TEXT).document_id
    store = ClaimStore(lib)
    claim = create_claim(lib, doc, *cut(TEXT, "TQ dẫn đầu"), note="cần nguồn")
    first = store.add_evidence(claim, url="https://www.wipo.int/gii", quote="1st")
    second = store.add_evidence(claim, citation="Báo cáo WIPO 2023")
    assert store.update_evidence(first, url="https://www.wipo.int/pct", citation="", quote="first") is True
    assert store.update_evidence(first, url="https://www.wipo.int/pct", citation="", quote="first") is False
    store.delete_evidence(second)
    store.set_verdict(claim, "supported")
    store.set_note(claim, "nguồn: WIPO")
    assert [(e.url, e.quote) for e in store.get(claim).evidence] == [("https://www.wipo.int/pct", "first")]
    lines = [(e.what, e.change) for e in claim_history(lib, claim)]
    assert lines == [
        ("Marked", "“TQ dẫn đầu”"),
        ("Note", "added: cần nguồn"),
        ("Evidence", "added: https://www.wipo.int/gii"),
        ("Evidence", "added: Báo cáo WIPO 2023"),
        ("Evidence", "https://www.wipo.int/gii — “1st” → https://www.wipo.int/pct — “first”"),
        ("Evidence", "removed: Báo cáo WIPO 2023"),
        ("Verdict", "unchecked → supported"),
        ("Note", "cần nguồn → nguồn: WIPO"),
    ]


def test_cli_refuses_a_duplicate_and_shows_history(tmp_path: Path) -> None:
    data = tmp_path / "data"
    source = tmp_path / "bai.txt"
    source.write_text(TEXT, encoding="utf-8")
    assert run(data, "import", source).returncode == 0
    start, end = cut(TEXT, "Q dẫn đầu")
    added = run(data, "claims", "add", "bai", "--start", str(start), "--end", str(end))
    assert added.returncode == 0, added.stderr
    assert "taken as whole words" in added.stdout and "vi: TQ dẫn đầu" in added.stdout
    again = run(data, "claims", "add", "bai", "--start", str(start + 3), "--end", str(end + 6), "--json")
    assert again.returncode == 2 and "claim #1 already covers" in again.stderr and "--allow-duplicate" in again.stderr
    forced = run(data, "claims", "add", "bai", "--start", str(start), "--end", str(end), "--allow-duplicate", "--json")
    assert forced.returncode == 0 and json.loads(forced.stdout)["id"] == 2
    assert run(data, "claims", "edit", "1", "--evidence", "https://www.wipo.int", "--verdict", "false").returncode == 0
    evidence_id = json.loads(run(data, "claims", "list", "--json").stdout)[0]["evidence"][0]["id"]
    assert run(data, "claims", "edit", "2", "--remove-evidence", str(evidence_id)).returncode != 0
    assert run(data, "claims", "edit", "1", "--remove-evidence", str(evidence_id)).returncode == 0
    history = run(data, "claims", "history", "1")
    assert history.returncode == 0, history.stderr
    assert (
        "Verdict: unchecked → false" in history.stdout and "Evidence: removed: https://www.wipo.int" in history.stdout
    )


def test_english_span_takes_whole_words(lib: Library) -> None:
    from app.core.claims.workflow import set_english_span, view
    from app.core.translate.memory import post_edit

    doc = import_text(lib, TEXT).document_id
    seg = lib.segments(doc)[0]
    english = "According to WIPO, China leads the world with 1.5 million patents in 2023."
    post_edit(lib, seg.id, english)
    claim = create_claim(lib, doc, *cut(TEXT, "TQ dẫn đầu"))
    start = english.index("hina")
    set_english_span(lib, claim, start, start + len("hina lea"))
    assert view(lib, ClaimStore(lib).get(claim)).english == "China leads"
