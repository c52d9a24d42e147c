"""PDF layout repair on real PDFs laid out by PyMuPDF: columns, running headers, page numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.ingest.pdf import read_pdf
from app.core.layout.pdf import repair_pdf
from tests.pdf_factory import flow_pdf, lines_pdf, story_pdf

FIXTURES = Path(__file__).parent / "fixtures"


def _source_paragraphs() -> list[str]:
    paras: list[str] = []
    for name in ("pdf_copy_supercomputers", "forum_post_ai_race"):
        data = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
        paras += [p["text"] for p in data if p["lang"] == "vi"]
    return paras


@pytest.mark.parametrize(
    ("columns", "header", "page_numbers", "page"),
    [
        (1, None, False, "a4"),
        (2, "Báo cáo tổng hợp về trí tuệ nhân tạo", True, "a4"),
        (2, None, True, "letter"),
        (3, "Tạp chí Khoa học", True, "a4"),
    ],
)
def test_flowed_pdf_paragraphs_come_back_exactly(
    tmp_path: Path, columns: int, header: str | None, page_numbers: bool, page: str
) -> None:
    paras = _source_paragraphs() * 2
    pdf = flow_pdf(
        tmp_path / "doc.pdf",
        paras,
        title="Cuộc đua AI giữa Mỹ và Trung Quốc",
        columns=columns,
        header=header,
        page_numbers=page_numbers,
        page=page,
    )
    doc = read_pdf(pdf)
    assert len(doc.pages) >= 3
    got, repairs = repair_pdf(doc)
    assert [p.text for p in got] == ["Cuộc đua AI giữa Mỹ và Trung Quốc", *paras]
    assert got[0].kind == "heading"
    kinds = [r.kind for r in repairs]
    if header:
        assert kinds.count("drop_header") == len(doc.pages)
    if page_numbers:
        assert kinds.count("drop_page_number") == len(doc.pages)
    assert all(p.page is not None and 1 <= p.page <= len(doc.pages) for p in got)
    # Every kept character comes from the PDF, and what went is listed as a repair.
    source = "".join("".join(ln.text.split()) for pg in doc.pages for ln in pg.lines)
    out = "".join("".join(p.text.split()) for p in got) + "".join("".join(r.removed.split()) for r in repairs)
    assert sorted(out) == sorted(source)


def test_hyphenated_words_joined_only_where_the_break_made_the_hyphen(tmp_path: Path) -> None:
    # Set line by line, as a typesetter that hyphenates leaves it.
    lines = [
        "Real-time systems need a careful design of multilin-",
        "gual infrastructure and of every real-",
        "time component, from Squeeze-and-",
        "Excitation blocks to the final translation step.",
    ]
    pdf = lines_pdf(tmp_path / "hy.pdf", lines)
    got, repairs = repair_pdf(read_pdf(pdf))
    assert [p.text for p in got] == [
        "Real-time systems need a careful design of multilingual infrastructure and of every real-time "
        "component, from Squeeze-and-Excitation blocks to the final translation step."
    ]
    assert [(r.kind, r.removed) for r in repairs] == [("dehyphenate", "-")]


def test_story_pdf_justified_single_column(tmp_path: Path) -> None:
    paras = _source_paragraphs()[:12]
    pdf = story_pdf(tmp_path / "story.pdf", paras, title="Siêu máy tính và cuộc đua AI")
    got, _ = repair_pdf(read_pdf(pdf))
    assert [p.text for p in got] == ["Siêu máy tính và cuộc đua AI", *paras]
    assert got[0].kind == "heading"
    assert [p.kind for p in got[1:]].count("list_item") == 7
