"""Reports of a document read by OCR (issue 17): the mixed PDF of tests/ocr_scans.py (page 1 typed,
pages 2-3 scanned, one low-confidence paragraph) exported to HTML, Markdown, DOCX and PDF. Each
header says the document was partly read by OCR, and the sentences of the low-confidence paragraph,
and only those, carry "read by OCR — check against the page" by their Vietnamese; the mark is not a
flag on the translation (it does not count as a flagged translation)."""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest

from app.core import ocr_marks
from app.core.export import ExportOptions, build_report, export
from app.core.store import Library
from tests.ocr_scans import ocr_template

HEADER = "This document was partly read by OCR (2 of 3 pages read by OCR)"
LEGEND = "⚠ beside the Vietnamese: read by OCR with a low confidence, compare it with the scan"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    copy = tmp_path_factory.mktemp("ocr-export") / "data"
    shutil.copytree(ocr_template(tmp_path_factory), copy)
    lib = Library.open(copy / "library.sqlite3")
    yield lib
    lib.close()


@pytest.fixture(scope="module")
def doc_id(library: Library) -> int:
    (doc,) = library.documents()
    return doc.id


@pytest.fixture(scope="module")
def marked(library: Library, doc_id: int) -> list[str]:
    """The Vietnamese of the sentences that must carry the mark."""
    low = ocr_marks.low_paragraphs(library, doc_id)
    assert len(low) == 1
    return [s.text for s in library.segments(doc_id) if s.paragraph_id in low]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_report_rows_and_header_carry_the_ocr_mark(library: Library, doc_id: int, marked: list[str]) -> None:
    section = build_report(library, [doc_id], ExportOptions()).sections[0]
    assert section.ocr.startswith(HEADER) and "1 paragraph is marked" in section.ocr
    with_mark = [r.vi_text for r in section.rows if r.ocr]
    assert with_mark == marked
    assert all(r.ocr.startswith(ocr_marks.CHECK + " (confidence ") for r in section.rows if r.ocr)
    assert section.flagged == 0 and not any(r.flags for r in section.rows)  # not a translation flag


def test_html_and_markdown_mark_the_vietnamese(
    library: Library, doc_id: int, marked: list[str], tmp_path: Path
) -> None:
    page = export(library, [doc_id], "html", tmp_path / "r.html").read_text(encoding="utf-8")
    assert HEADER in page
    cells = re.findall(r'<td class="vi"[^>]*>(.*?)</td>', page, flags=re.S)
    with_mark = [c for c in cells if ocr_marks.CHECK in c]
    assert len(with_mark) == len(marked) and len(cells) > len(marked)
    for cell, vi in zip(with_mark, marked, strict=True):
        assert flat(vi) in flat(html.unescape(re.sub(r"<[^>]+>", "", cell)))
    english = re.findall(r'<td class="en[^"]*"[^>]*>(.*?)</td>', page, flags=re.S)
    assert not any(ocr_marks.CHECK in c for c in english)

    md = export(library, [doc_id], "md", tmp_path / "r.md").read_text(encoding="utf-8")
    assert HEADER in md
    assert LEGEND in html.unescape(re.sub(r"<[^>]+>", "", page)) and LEGEND in md.replace("*", "")
    rows = [line for line in md.splitlines() if line.startswith("| ")]
    with_mark = [line for line in rows if ocr_marks.CHECK in line]
    assert len(with_mark) == len(marked)
    for line in with_mark:  # in the Vietnamese column, before the English one
        vi_cell = line.split(" | ")[1]
        assert ocr_marks.CHECK in vi_cell


def test_docx_and_pdf_say_it_too(library: Library, doc_id: int, marked: list[str], tmp_path: Path) -> None:
    docx = export(library, [doc_id], "docx", tmp_path / "r.docx")
    with zipfile.ZipFile(docx) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))
    assert HEADER in text and LEGEND in text
    assert text.count(ocr_marks.CHECK) == len(marked) + 1  # the rows and the header's quote

    pdf = export(library, [doc_id], "pdf", tmp_path / "r.pdf")
    with pymupdf.open(pdf) as doc:
        words = flat(" ".join(page.get_text() for page in doc))
    assert HEADER in words
    assert words.count("check against the page") == len(marked) + 1  # the rows and the header's quote


def test_cli_show_says_the_same(tmp_path_factory: pytest.TempPathFactory, library: Library, doc_id: int) -> None:
    """`main.py show` (the other front-end) says what the reader and the reports say, by the same rule."""
    data = tmp_path_factory.mktemp("ocr-cli") / "data"
    shutil.copytree(ocr_template(tmp_path_factory), data)

    def show(*extra: str) -> str:
        done = subprocess.run(
            [sys.executable, str(Path(__file__).parent.parent / "main.py"), "show", str(doc_id), *extra],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
            env={**os.environ, "DOICHIEU_DATA_DIR": str(data)},
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    low = ocr_marks.low_paragraphs(library, doc_id)
    text = show()
    assert HEADER in text
    heads = [line for line in text.splitlines() if line.startswith("¶")]
    assert [ocr_marks.CHECK in line for line in heads] == [p.id in low for p in library.paragraphs(doc_id)]
    out = json.loads(show("--json"))
    assert out["ocr"].startswith(HEADER)
    assert [p["ocr_mark"] is not None for p in out["paragraphs"]] == [p["id"] in low for p in out["paragraphs"]]


def test_a_claim_quoted_from_ocr_text_says_so(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> None:
    """A claim over words of the low-confidence paragraph carries the mark in the claims CSV/JSONL and
    in the report's note; a claim on the typed page does not."""
    from app.core.claims import workflow

    data = tmp_path_factory.mktemp("ocr-claims") / "data"
    shutil.copytree(ocr_template(tmp_path_factory), data)
    with Library.open(data / "library.sqlite3") as lib:
        (doc,) = lib.documents()
        low = ocr_marks.low_paragraphs(lib, doc.id)
        pages = {p.id: p.page for p in lib.paragraphs(doc.id)}
        segments = lib.segments(doc.id)
        on_scan = next(s for s in segments if s.paragraph_id in low)
        typed = next(s for s in segments if pages[s.paragraph_id] == 1)
        for s in (typed, on_scan):
            workflow.create_claim(lib, doc.id, s.start_char, s.end_char, tags=["statistic"])
        rows = list(csv.DictReader(export(lib, [doc.id], "csv", tmp_path / "c.csv").open(encoding="utf-8-sig")))
        records = [json.loads(line) for line in export(lib, [doc.id], "jsonl", tmp_path / "c.jsonl").open()]
        page = export(lib, [doc.id], "html", tmp_path / "r.html").read_text(encoding="utf-8")
        md = export(lib, [doc.id], "md", tmp_path / "r.md").read_text(encoding="utf-8")
    for found in (rows, records):
        by_vi = {r["vi"]: r["ocr"] for r in found}
        assert by_vi[typed.text] == "" and by_vi[on_scan.text].startswith(ocr_marks.CHECK + " (confidence ")
    heads = re.findall(r'<p class="note-head">(.*?)</p>', page, flags=re.S)
    assert [ocr_marks.CHECK in h for h in heads] == [False, True]
    notes = [line for line in md.splitlines() if line.startswith("[^")]
    assert [ocr_marks.CHECK in n for n in notes] == [False, True]
