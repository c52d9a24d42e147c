"""Undoing layout repairs, on the real samples and real PDFs."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.ingest.text import read_text_file
from app.core.layout import cues, repair_pdf, repair_text
from app.core.layout.undo import is_undoable, undo_repairs
from app.core.pipeline import clean_file
from tests.pdf_factory import flow_pdf


def raw_lines(path: Path) -> list[str]:
    return [cues.collapse_spaces(line) for line in read_text_file(path).text.split("\n") if line.strip()]


def test_undoing_every_repair_gives_back_the_lines(fixtures: Path, sample_name: str) -> None:
    path = fixtures / f"{sample_name}.vi.txt"
    result = clean_file(path)
    assert all(is_undoable(r) for r in result.repairs)
    undone = undo_repairs(result.paragraphs, result.repairs, range(len(result.repairs)))
    assert [p.text for p in undone] == raw_lines(path)


def test_undoing_nothing_changes_nothing(fixtures: Path, sample_name: str) -> None:
    result = clean_file(fixtures / f"{sample_name}.vi.txt")
    assert undo_repairs(result.paragraphs, result.repairs, []) == result.paragraphs


def test_one_join_undone_splits_one_paragraph(fixtures: Path) -> None:
    result = clean_file(fixtures / "pdf_copy_supercomputers.vi.txt")
    i = next(k for k, r in enumerate(result.repairs) if r.kind == "join_lines" and r.paragraph == 2)
    undone = undo_repairs(result.paragraphs, result.repairs, [i])
    assert len(undone) == len(result.paragraphs) + 1
    first, second = undone[2], undone[3]
    assert first.text + " " + second.text == result.paragraphs[2].text
    assert first.kind == "list_item" and undone[4:] == result.paragraphs[3:]


def test_dehyphenation_and_dropped_lines_come_back() -> None:
    # The document writes "algorithm" whole on page 2: only then is the line-end hyphen the break's.
    text = "Báo cáo\n\nCâu đầu tiên nói về algo-\nrithm mới.\nTrang 1\n\fBáo cáo\n\nCâu hai: algorithm.\nTrang 2\n"
    paragraphs, repairs = repair_text(text)
    kinds = [r.kind for r in repairs]
    assert "dehyphenate" in kinds
    joined = next(p.text for p in paragraphs if "algorithm" in p.text)
    assert "algorithm mới" in joined
    dehyph = kinds.index("dehyphenate")
    back = undo_repairs(paragraphs, repairs, [dehyph])
    assert any("algo-rithm" in p.text for p in back)
    every = undo_repairs(paragraphs, repairs, range(len(repairs)))
    lines = [cues.collapse_spaces(x) for x in text.replace("\f", "\n").split("\n") if x.strip()]
    assert [p.text for p in every] == lines


def test_pdf_page_break_join_undone(tmp_path: Path) -> None:
    from app.core.ingest.pdf import read_pdf

    long = " ".join(f"Câu số {i} nói về bằng sáng chế và siêu máy tính." for i in range(160))
    pdf = flow_pdf(tmp_path / "a.pdf", [long, "Đoạn cuối."], header="Báo cáo", page_numbers=True)
    paragraphs, repairs = repair_pdf(read_pdf(pdf))
    breaks = [i for i, r in enumerate(repairs) if r.kind == "join_page_break"]
    assert breaks and all(is_undoable(repairs[i]) for i in breaks)
    undone = undo_repairs(paragraphs, repairs, breaks[:1])
    assert len(undone) == len(paragraphs) + 1
    assert undone[0].text + " " + undone[1].text == paragraphs[0].text
    drops = [i for i, r in enumerate(repairs) if r.kind.startswith("drop_")]
    assert drops and not any(is_undoable(repairs[i]) for i in drops)  # PDFs: where a header stood is unknown


_PDF_COPY = clean_file(Path(__file__).parent / "fixtures" / "pdf_copy_supercomputers.vi.txt")


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_any_subset_keeps_every_word(data: st.DataObject) -> None:
    result = _PDF_COPY
    subset = data.draw(st.sets(st.integers(0, len(result.repairs) - 1)))
    undone = undo_repairs(result.paragraphs, result.repairs, subset)
    assert " ".join(p.text for p in undone).split() == " ".join(p.text for p in result.paragraphs).split()
    assert len(undone) == len(result.paragraphs) + len(subset)
