"""PDFs whose annotations upset MuPDF: read through the real child process (`read_pdf`) and through
`main.py import`. MuPDF's messages on stdout must not corrupt the child's answer, and a PDF whose
annotation makes MuPDF fail is read without its annotations before it is refused."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest

from app.core.errors import CorruptPdfError
from app.core.ingest.pdf import read_pdf
from tests import pdf_factory

ROOT = Path(__file__).resolve().parents[1]
LINES = [f"Dòng {i + 1}: Việt Nam đầu tư vào siêu máy tính năm nay." for i in range(20)]


def with_annotation(path: Path, annot: str, appearance: bytes | None = None) -> Path:
    """The 20-line PDF with one annotation written as raw PDF objects (and its appearance stream)."""
    pdf_factory.lines_pdf(path, LINES)
    doc = pymupdf.open(path)
    page = doc[0]
    if appearance is not None:
        ap = doc.get_new_xref()
        doc.update_object(ap, "<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] >>")
        doc.update_stream(ap, appearance)
        annot = annot.replace("APREF", f"{ap} 0 R")
    xref = doc.get_new_xref()
    doc.update_object(xref, annot)
    doc.xref_set_key(page.xref, "Annots", f"[{xref} 0 R]")
    out = path.with_name("annotated-" + path.name)
    doc.save(out)
    return out


def screen_pdf(tmp_path: Path) -> Path:
    """A multimedia (/Screen) annotation: MuPDF prints "cannot create appearance stream" on stdout."""
    return with_annotation(tmp_path / "screen.pdf", "<< /Type /Annot /Subtype /Screen /Rect [100 100 200 200] >>")


def nested_states_pdf(tmp_path: Path) -> Path:
    """An annotation whose appearance opens 100,000 graphics states: MuPDF's text extraction fails
    with "too many nested graphics states" although the page itself is fine."""
    return with_annotation(
        tmp_path / "nested.pdf",
        "<< /Type /Annot /Subtype /Square /Rect [100 100 200 200] /AP << /N APREF >> >>",
        b"q " * 100_000 + b"BT ET",
    )


def texts(path: Path) -> list[str]:
    return [line.text for page in read_pdf(path).pages for line in page.lines]


def test_screen_annotation_pdf_is_read(tmp_path: Path) -> None:
    assert texts(screen_pdf(tmp_path)) == LINES


def test_pdf_failing_in_an_annotation_is_read_without_it(tmp_path: Path) -> None:
    assert texts(nested_states_pdf(tmp_path)) == LINES


def test_pdf_failing_in_its_page_is_still_refused(tmp_path: Path) -> None:
    """The second try drops annotations only: a page whose own content fails is refused as before."""
    pdf_factory.lines_pdf(tmp_path / "page.pdf", LINES)
    doc = pymupdf.open(tmp_path / "page.pdf")
    doc[0].clean_contents()
    doc.update_stream(doc[0].get_contents()[0], b"q " * 100_000 + b"BT ET")
    doc.save(tmp_path / "bad-page.pdf")
    with pytest.raises(CorruptPdfError, match="damaged"):
        read_pdf(tmp_path / "bad-page.pdf")


@pytest.mark.parametrize("make", [screen_pdf, nested_states_pdf], ids=["screen", "nested-states"])
def test_cli_imports_annotated_pdfs(make, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pdf = make(tmp_path)
    res = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "import", str(pdf)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        env={**os.environ, "DOICHIEU_DATA_DIR": str(tmp_path / "data")},
    )
    assert res.returncode == 0, res.stdout + res.stderr
    assert "20 paragraphs" in res.stdout or "sentences" in res.stdout
    assert "crashed" not in res.stdout + res.stderr
