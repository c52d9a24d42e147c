"""A long PDF's later pages read by a second process (app/core/ingest/pdf_pages.py): the same pages,
lines and repairs as one process reading them all, including what is only found by sampling
(/ActualText, glued words) on the other side of the split. Real PDFs, a real worker process."""

from __future__ import annotations

import os
from pathlib import Path

import pymupdf
import pytest

from app.core.ingest import pdf_glyphs, pdf_pages, workers
from tests.glyph_pdfs import actual_text_pdf, variant_pdf
from tests.pdf_factory import flow_pdf

TEXT = (
    "Việc viết lại tài liệu này với các nội dung mới được thực hiện bởi nhóm dịch thuật của dự án, "
    "những người đã dành nhiều thời gian để kiểm tra từng chương một cách cẩn thận."
)
GLUED = [
    "Tổ chức Y tế thế giới ghi nhận một số thành tựu đáng kể trong việc phòng chống dịch bệnh, "
    "nhưng sự phát triển mạnh mẽ của các bệnh không lây nhiễm vẫn là thách thức lớn."
]


@pytest.fixture
def split_early(monkeypatch: pytest.MonkeyPatch) -> None:
    """Short test documents are shared as a long one would be: the worker reads the second half."""
    monkeypatch.setattr(pdf_pages, "MIN_PAGES", 2)
    monkeypatch.setattr(pdf_pages, "HEAD_START", 0)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)  # a worker even on a one-core runner
    monkeypatch.delenv(pdf_pages.WORKERS_ENV, raising=False)


def _read(path: Path, *, parallel: bool, given: str | None = None) -> pdf_pages.Pages:
    with pymupdf.open(path) as doc:
        return pdf_pages.read_pages(doc, str(given or path), False, parallel=parallel)


def _repairs(read: pdf_pages.Pages) -> list[tuple[str, str]]:
    return [(r.kind, r.detail) for r in pdf_glyphs.document_repairs(read[1])]


def test_split_gives_long_documents_a_second_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(pdf_pages.WORKERS_ENV, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert pdf_pages._split(300) == 300  # one core: nothing to gain
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert pdf_pages._split(10) == 10  # too short to be worth a process
    long = pdf_pages._split(300)
    assert long < 300 and long > 150  # the child reads more: the worker starts later
    monkeypatch.setenv(pdf_pages.WORKERS_ENV, "0")
    assert pdf_pages._split(300) == 300


def test_worker_reads_its_pages_as_the_child_would(tmp_path: Path) -> None:
    pdf = flow_pdf(tmp_path / "flow.pdf", [TEXT] * 120, columns=2, header="Báo cáo", page_numbers=True)
    serial_pages, _notes = _read(pdf, parallel=False)
    assert len(serial_pages) >= 4
    proc = pdf_pages._start_worker({"path": str(pdf), "strip": False, "password": "", "start": 2, "stop": 4})
    assert proc is not None
    try:
        answer = pdf_pages._answer(proc)
    finally:
        workers.stop(proc)
    assert answer is not None
    pages, notes, _reader = answer
    assert pages == serial_pages[2:4] and len(notes) == 2


@pytest.mark.usefixtures("split_early")
def test_two_processes_give_the_same_pages_as_one(tmp_path: Path) -> None:
    pdf = flow_pdf(tmp_path / "flow.pdf", [TEXT] * 120, columns=2, header="Báo cáo", page_numbers=True)
    assert _read(pdf, parallel=True) == _read(pdf, parallel=False)


# 12 pages split 6/6. The child samples pages 1-3, the worker page 11 (0-based 10). (5, 10): the worker
# finds the sign and page 6, the child's and never sampled, must be read again; (1, 7): the child
# finds it and the worker's page 8 must be.
SIGNS = [(5, 10), (1, 7)]


@pytest.mark.usefixtures("split_early")
@pytest.mark.parametrize("on", SIGNS)
def test_actual_text_seen_on_one_side_is_looked_for_on_the_other(tmp_path: Path, on: tuple[int, int]) -> None:
    drawn = "Sổ tay sinh viên năm học 2024 hướng dẫn đầy đủ các quy định"
    pdf = actual_text_pdf(tmp_path / "at12.pdf", drawn, "Sổ", pages=12, on=on)
    pages, notes = _read(pdf, parallel=True)
    assert [page.lines[0].text for page in pages] == [f"{drawn} {n}" for n in range(1, 13)]
    assert [r.page for r in pdf_glyphs.document_repairs(notes) if r.kind == "drawn_text"] == [n + 1 for n in on]
    assert _repairs((pages, notes)) == _repairs(_read(pdf, parallel=False))


@pytest.mark.usefixtures("split_early")
@pytest.mark.parametrize("on", SIGNS)
def test_glued_words_seen_on_one_side_are_looked_for_on_the_other(tmp_path: Path, on: tuple[int, int]) -> None:
    plain = variant_pdf(tmp_path / "plain.pdf", [TEXT], "unicode")
    glued = variant_pdf(tmp_path / "glued.pdf", GLUED, "nospace")
    with pymupdf.open() as doc, pymupdf.open(plain) as a, pymupdf.open(glued) as b:
        for n in range(12):  # the pages `on` come from a producer that writes no spaces
            doc.insert_pdf(b if n in on else a)
        doc.save(tmp_path / "mixed.pdf")
    pages, notes = _read(tmp_path / "mixed.pdf", parallel=True)
    for n in on:  # both read from their glyphs, spaces and all
        assert "Tổ chức Y tế thế giới" in pages[n].lines[0].text
    serial = _read(tmp_path / "mixed.pdf", parallel=False)
    assert (pages, _repairs((pages, notes))) == (serial[0], _repairs(serial))


@pytest.mark.usefixtures("split_early")
def test_a_worker_that_fails_leaves_its_pages_to_the_child(tmp_path: Path) -> None:
    pdf = flow_pdf(tmp_path / "flow.pdf", [TEXT] * 120, columns=2, header="Báo cáo", page_numbers=True)
    # The worker is told a path it cannot open: it answers an error, and the child reads on alone.
    assert _read(pdf, parallel=True, given=str(tmp_path / "gone.pdf")) == _read(pdf, parallel=False)


def test_the_frozen_apps_hidden_command_runs_the_worker(tmp_path: Path) -> None:
    """`main.py _pages-worker` (what the frozen binary is started as) answers like the module does."""
    import pickle
    import subprocess
    import sys

    pdf = flow_pdf(tmp_path / "flow.pdf", [TEXT] * 120, columns=2, header="Báo cáo", page_numbers=True)
    task = {"path": str(pdf), "strip": False, "password": "", "start": 1, "stop": 3}
    main = Path(__file__).resolve().parents[1] / "main.py"
    proc = subprocess.Popen(
        [sys.executable, str(main), pdf_pages.WORKER_COMMAND], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert proc.stdin is not None
    proc.stdin.write(pickle.dumps(task))
    proc.stdin.flush()
    try:
        answer = pdf_pages._answer(proc)
    finally:
        workers.stop(proc)
    assert answer is not None
    assert answer[0] == _read(pdf, parallel=False)[0][1:3]
