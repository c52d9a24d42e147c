"""One mixed PDF for the OCR view tests (issue 17), read by OCR once per test run: page 1 has a text
layer (typed), pages 2 and 3 are scans without one (real Vietnamese prose drawn with Noto Sans and
rasterised at 200 dpi, the way tests/test_ocr.py builds its scans). Page 2 starts with a line of
typing slips, which OCR reads faithfully but with a low confidence: that paragraph is marked."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from app.core.pipeline import import_file
from app.core.store import Library
from app.core.store.claims import ClaimStore
from tests.test_ocr import prose, scan, scanned_pdf, text_page

TITLE_FILE = "bao-cao-scan.pdf"
_built: dict[str, Path] = {}


def ocr_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder whose library holds the mixed PDF (imported once; later calls return the same
    folder). Copy it before opening: tests must not share one library file."""
    if "folder" in _built:
        return _built["folder"]
    folder = tmp_path_factory.mktemp("ocr-view") / "data"
    typed, on_page_2, on_page_3 = prose(1, 0), prose(1, 1), prose(1, 4)
    page_2 = text_page(pymupdf.open(), on_page_2, junk=True)
    page_3 = text_page(pymupdf.open(), on_page_3)
    pdf = scanned_pdf(folder.parent / TITLE_FILE, [scan(page_2), scan(page_3)], first_text=typed)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DOICHIEU_DATA_DIR", str(folder))
        with Library.open() as lib:
            ClaimStore(lib).ensure_default_tags()
            outcome = import_file(lib, pdf)
            assert outcome.created and outcome.ocr_pages == 2
    _built["folder"] = folder
    return folder
