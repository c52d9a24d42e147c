"""Scanned PDFs, mixed PDFs and photos imported end to end through the PDF child and its OCR
(issue 17). The pages are real Vietnamese prose (tests/fixtures) drawn with Noto Sans and rasterised,
so Tesseract reads what a scanner would give it; each file is read once (module-scoped fixtures)."""

from __future__ import annotations

import difflib
import re
import struct
import tempfile
import unicodedata
import zlib
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pymupdf_fonts
import pytest
from PySide6.QtCore import Qt

from app.core.errors import CorruptPdfError, InputTooLargeError
from app.core.ingest import images, ocr
from app.core.ingest.ocr import diacritic_share
from app.core.layout.undo import undo_repairs
from app.core.model import Paragraph
from app.core.pipeline import ImportOutcome, clean_file, import_file
from app.core.store import Library

FIXTURES = Path(__file__).parent / "fixtures"
# A paragraph of malformed syllables (typing slips): read faithfully, but not well-formed Vietnamese.
JUNK = "Cưộc hơpj đã bàn vêf nhiềuu vấnd đề quan trongj nhưngg chuaw cos kết luậnn gìf"


def prose(n: int, start: int = 0) -> list[str]:
    """Paragraphs of real Vietnamese prose (two fixtures, repaired by layout repair), without their
    list numbers, 110-400 characters each."""
    paras: list[str] = []
    for name in ("pdf_copy_supercomputers.vi.txt", "forum_post_ai_race.vi.txt"):
        for p in clean_file(FIXTURES / name).paragraphs:
            text = re.sub(r"^\W*(\d+\.\s*)?", "", p.text)
            if 110 <= len(text) <= 400 and diacritic_share(text) > 0.3 and text[:40] not in {q[:40] for q in paras}:
                paras.append(text)
    return paras[start : start + n]


def text_page(doc: pymupdf.Document, paragraphs: list[str], junk: bool = False) -> pymupdf.Page:
    page = doc.new_page(width=420, height=300 + 60 * junk)
    page.insert_font(fontname="noto", fontbuffer=pymupdf_fonts.myfont("notos"))
    y = 20.0
    if junk:  # first, where there is room: what OCR reads but is not well-formed Vietnamese
        page.insert_textbox(pymupdf.Rect(20, y, 400, y + 40), JUNK, fontname="noto", fontsize=10)
        y += 40
    for text in paragraphs:
        box = pymupdf.Rect(20, y, 400, y + 200)
        left = page.insert_textbox(box, text, fontname="noto", fontsize=10)
        y += 200 - left + 14  # a blank line between paragraphs
    return page


def scan(page: pymupdf.Page, dpi: int = 200, rotate: float = 0, kind: str = "png") -> bytes:
    zoom = dpi / 72
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom).prerotate(rotate), colorspace=pymupdf.csGRAY)
    return bytes(pix.tobytes(kind))


def scanned_pdf(path: Path, pages: list[bytes], first_text: list[str] | None = None) -> Path:
    doc = pymupdf.open()
    if first_text:
        text_page(doc, first_text)
    for png in pages:
        pix = pymupdf.Pixmap(png)
        page = doc.new_page(width=pix.width * 72 / 200, height=pix.height * 72 / 200)
        page.insert_image(page.rect, stream=png)
    doc.save(path)
    return path


def similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, " ".join(a.split()), " ".join(b.split()), autojunk=False).ratio()


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    lib = Library.open(tmp_path_factory.mktemp("ocr") / "library.sqlite3")
    yield lib
    lib.close()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("scans")


@pytest.fixture(scope="module")
def scanned(library: Library, folder: Path) -> tuple[ImportOutcome, list[str]]:
    src = prose(2)
    page = text_page(pymupdf.open(), src, junk=True)
    path = scanned_pdf(folder / "scanned.pdf", [scan(page)])
    return import_file(library, path), src


@pytest.fixture(scope="module")
def mixed(library: Library, folder: Path) -> tuple[ImportOutcome, list[str], list[str]]:
    typed, scanned_text = prose(1, 2), prose(1, 3)
    page = text_page(pymupdf.open(), scanned_text)
    path = scanned_pdf(folder / "mixed.pdf", [scan(page)], first_text=typed)
    return import_file(library, path), typed, scanned_text


def test_scanned_pdf_is_read_by_ocr(library: Library, scanned: tuple[ImportOutcome, list[str]]) -> None:
    outcome, src = scanned
    assert outcome.created and outcome.ocr_pages == 1
    paras = library.paragraphs(outcome.document_id)
    texts = [p.text for p in paras]
    assert len(texts) == 3  # the line of slips, then the two paragraphs
    for n, want in enumerate(src, start=1):  # each paragraph rebuilt whole, its spaces back
        assert similar(texts[n], want) > 0.97, (texts[n], want)
        assert paras[n].page == 1
    assert library.page_image_numbers(outcome.document_id) == [1]
    found = library.page_image(outcome.document_id, 1)
    assert found is not None and found[0] == "image/jpeg" and found[1].startswith(b"\xff\xd8")


def test_ocr_fixes_are_repairs_that_undo(library: Library, scanned: tuple[ImportOutcome, list[str]]) -> None:
    outcome, _src = scanned
    stored = library.repairs(outcome.document_id)
    splits = [(n, r) for n, (_id, r, _undone) in enumerate(stored) if r.kind == "split_glued"]
    assert splits, "Tesseract's vie model glues syllables: some spaces must have been put back"
    paras = [Paragraph(p.text, p.kind, p.lang, p.page) for p in library.paragraphs(outcome.document_id)]
    n, split = splits[0]
    assert split.at is not None and paras[split.paragraph].text[split.at] == " "
    glued, spaced = split.detail.split(" → ")
    assert spaced in paras[split.paragraph].text
    undone = undo_repairs(paras, [r for _id, r, _u in stored], {n})
    assert glued in undone[split.paragraph].text  # the one space taken out again
    assert len(undone[split.paragraph].text) == len(paras[split.paragraph].text) - 1


def test_low_confidence_paragraphs_are_marked(library: Library, scanned: tuple[ImportOutcome, list[str]]) -> None:
    outcome, _src = scanned
    conf = library.ocr_confidences(outcome.document_id)
    paras = library.paragraphs(outcome.document_id)
    assert set(conf) == {p.idx for p in paras}
    assert conf[0] < ocr.LOW_CONFIDENCE, (conf, paras[0].text)  # the slips: marked
    assert conf[1] >= ocr.LOW_CONFIDENCE and conf[2] >= ocr.LOW_CONFIDENCE  # the prose reads well


def test_mixed_pdf_reads_only_the_scanned_page(
    library: Library, mixed: tuple[ImportOutcome, list[str], list[str]]
) -> None:
    outcome, typed, scanned_text = mixed
    assert outcome.ocr_pages == 1
    paras = library.paragraphs(outcome.document_id)
    conf = library.ocr_confidences(outcome.document_id)
    first = [p for p in paras if p.page == 1]
    second = [p for p in paras if p.page == 2]
    assert " ".join(p.text for p in first) == " ".join(typed[0].split())  # the text layer, untouched
    assert similar(" ".join(p.text for p in second), scanned_text[0]) > 0.97
    assert all(p.idx not in conf for p in first) and all(p.idx in conf for p in second)
    assert library.page_image_numbers(outcome.document_id) == [2]


def test_photo_upside_down_is_turned_and_read(library: Library, folder: Path) -> None:
    src = prose(1, 4)
    page = text_page(pymupdf.open(), src)
    photo = folder / "photo.jpg"
    photo.write_bytes(scan(page, rotate=180, kind="jpeg"))
    outcome = import_file(library, photo)
    assert outcome.ocr_pages == 1
    text = " ".join(p.text for p in library.paragraphs(outcome.document_id))
    assert similar(text, src[0]) > 0.95, text
    assert library.document(outcome.document_id).kind == "image"


def tiff(pages: list[pymupdf.Pixmap]) -> bytes:
    """A multi-page uncompressed 8-bit grey TIFF (MuPDF reads TIFF but does not write it)."""
    out = bytearray(b"II*\x00" + struct.pack("<I", 0))
    link = 4
    for pix in pages:
        data_at = len(out)
        out += pix.samples
        ifd_at = len(out)
        struct.pack_into("<I", out, link, ifd_at)
        tags = [(256, 4, pix.width), (257, 4, pix.height), (258, 3, 8), (259, 3, 1), (262, 3, 1)]
        tags += [(273, 4, data_at), (277, 3, 1), (278, 4, pix.height), (279, 4, len(pix.samples))]
        out += struct.pack("<H", len(tags))
        for tag, typ, value in tags:
            out += struct.pack("<HHI", tag, typ, 1) + (
                struct.pack("<HH", value, 0) if typ == 3 else struct.pack("<I", value)
            )
        link = len(out)
        out += struct.pack("<I", 0)
    return bytes(out)


def test_multi_page_tiff_is_one_document(library: Library, folder: Path) -> None:
    src = prose(2, 5)
    doc = pymupdf.open()
    pixes = [text_page(doc, [t]).get_pixmap(dpi=200, colorspace=pymupdf.csGRAY) for t in src]
    path = folder / "two pages.tif"
    path.write_bytes(tiff(pixes))
    assert images.check_image(path) == [(p.width, p.height) for p in pixes]
    outcome = import_file(library, path)
    assert outcome.ocr_pages == 2
    paras = library.paragraphs(outcome.document_id)
    for number, want in enumerate(src, start=1):
        assert similar(" ".join(p.text for p in paras if p.page == number), want) > 0.95


def test_a_layer_that_lost_its_diacritics_is_read_again(library: Library, folder: Path) -> None:
    """Like ../shared/real-pdfs/kq_gspgs_2020_scan_ocr.pdf: a scan carrying a scanner's invisible OCR
    layer without diacritics ("CONG HOA.xA HOI cnu NGHiA")."""
    src = prose(1, 7)
    png = scan(text_page(pymupdf.open(), src))
    doc = pymupdf.open()
    pix = pymupdf.Pixmap(png)
    page = doc.new_page(width=pix.width * 72 / 200, height=pix.height * 72 / 200)
    page.insert_image(page.rect, stream=png)
    bad = "".join(c for c in unicodedata.normalize("NFD", src[0]) if ord(c) < 0x300)
    box = pymupdf.Rect(20, 20, page.rect.width - 20, page.rect.height - 20)
    page.insert_textbox(box, bad.replace("đ", "d"), fontsize=10, render_mode=3)
    path = folder / "bad layer.pdf"
    doc.save(path)
    outcome = import_file(library, path)
    assert outcome.ocr_pages == 1
    text = " ".join(p.text for p in library.paragraphs(outcome.document_id))
    assert similar(text, src[0]) > 0.95, text


# --------------------------------------------------------------------------- hostile inputs (no OCR runs)


def _png_header_only(width: int, height: int) -> bytes:
    """A valid PNG of width x height grey pixels, all zero, compressed in chunks (a few hundred KB)."""
    comp = zlib.compressobj(9)
    row = b"\x00" * (width + 1)
    body = b"".join(comp.compress(row) for _ in range(height)) + comp.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def _count(library: Library) -> tuple[int, int]:
    docs = library.db.execute("SELECT count(*) FROM documents").fetchone()[0]
    imgs = library.db.execute("SELECT count(*) FROM page_images").fetchone()[0]
    return int(docs), int(imgs)


def test_hostile_images_and_scans_are_refused_cleanly(tmp_path: Path) -> None:
    with Library.open(tmp_path / "library.sqlite3") as lib:
        page = text_page(pymupdf.open(), prose(1))
        png = scan(page, dpi=100)
        cut = tmp_path / "cut.png"
        cut.write_bytes(png[: len(png) // 2])
        with pytest.raises(CorruptPdfError, match="cut short"):
            import_file(lib, cut)
        jpeg = scan(page, dpi=100, kind="jpeg")
        cut_jpg = tmp_path / "cut.jpg"
        cut_jpg.write_bytes(jpeg[: len(jpeg) * 2 // 3])
        with pytest.raises(CorruptPdfError, match="cut short"):
            import_file(lib, cut_jpg)
        huge = tmp_path / "huge.png"
        huge.write_bytes(_png_header_only(20_000, 20_000))
        with pytest.raises(InputTooLargeError, match="20,000 x 20,000 pixels"):
            import_file(lib, huge)
        doc = pymupdf.open()  # 500 scanned pages that all show ONE small image
        xref = 0
        for _ in range(500):
            p = doc.new_page(width=200, height=200)
            xref = p.insert_image(p.rect, stream=png) if not xref else p.insert_image(p.rect, xref=xref)
        many = tmp_path / "500 pages.pdf"
        doc.save(many)
        with pytest.raises(InputTooLargeError, match="500 scanned pages to read by OCR"):
            import_file(lib, many)
        assert _count(lib) == (0, 0)


def test_reader_marks_low_confidence_and_shows_the_page(
    qtbot, library: Library, scanned: tuple[ImportOutcome, list[str]]
) -> None:
    from app.gui.document_view import DocumentView
    from app.gui.models import OCR_LOW_BG

    outcome, _src = scanned
    view = DocumentView()
    qtbot.addWidget(view)
    view.show()
    view.show_document(library, outcome.document_id)
    assert view.model is not None
    view.go_to_row(0)  # the line of slips: low confidence
    assert view.ocr_pane.isVisible()
    assert ocr.CHECK.lower() in view.ocr_pane.label.text().lower() and "Page 1" in view.ocr_pane.label.text()
    index = view.model.index(0, 1)
    assert view.model.data(index, Qt.ItemDataRole.BackgroundRole) == OCR_LOW_BG
    assert ocr.CHECK in view.model.data(index, Qt.ItemDataRole.ToolTipRole)
    last = view.model.rowCount() - 1  # the prose: read by OCR, no warning
    view.go_to_row(last)
    assert view.ocr_pane.isVisible() and ocr.CHECK.lower() not in view.ocr_pane.label.text().lower()
    assert view.model.data(view.model.index(last, 1), Qt.ItemDataRole.BackgroundRole) is None
    view.ocr_pane.button.click()  # the page image beside the text (app/gui/page_image.PageImagePane)
    assert view.page_pane.isVisible()
    qtbot.waitUntil(lambda: view.page_pane.shown_page == 1)
    assert view.page_pane.canvas.image.width() > 300  # the JPEG kept at import, decoded by Qt


def test_reports_mark_low_confidence_paragraphs(
    library: Library, scanned: tuple[ImportOutcome, list[str]], tmp_path: Path
) -> None:
    from app.core.export import build_report, export
    from app.core.export.options import ExportOptions

    outcome, _src = scanned
    rows = build_report(library, [outcome.document_id], ExportOptions()).sections[0].rows
    marked = [r for r in rows if r.ocr]
    assert marked and all(r.vi_text in library.paragraphs(outcome.document_id)[0].text for r in marked)
    html = export(library, [outcome.document_id], "html", tmp_path / "report.html").read_text(encoding="utf-8")
    assert ocr.CHECK in html


def test_about_names_the_ocr_data_and_its_licence(qtbot, data_dir: Path) -> None:
    from app.gui.dialogs.about import OCR_DATA, AboutDialog

    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    rows = {name: licence for name, _version, licence in dialog.rows()}
    assert rows[OCR_DATA] == "Apache-2.0"
    assert ((ocr.tessdata_dir() or Path("/nonexistent")) / "LICENSE-Apache-2.0.txt").is_file()


def test_ocr_reports_each_page_and_stops_on_cancel(library: Library, folder: Path) -> None:
    from app.core.errors import CancelledError
    from app.core.ingest.pdf import read_pdf

    page = text_page(pymupdf.open(), prose(1, 8))
    path = scanned_pdf(folder / "three pages.pdf", [scan(page, dpi=150)] * 3)
    heard: list[tuple[int, int, str]] = []
    with pytest.raises(CancelledError):
        read_pdf(path, progress=lambda d, t, m: heard.append((d, t, m)), cancel=lambda: bool(heard))
    assert heard[0] == (0, 3, "reading page 1 by OCR (1/3)")  # stopped at once: the child was killed
    before = _count(library)
    with pytest.raises(CancelledError):
        import_file(library, path, cancel=lambda: True)
    assert _count(library) == before  # nothing stored


def test_small_skew_is_measured_before_reading() -> None:
    page = text_page(pymupdf.open(), prose(2, 9))
    for turned in (0.0, 2.0, -3.0):
        doc = pymupdf.open()
        png = scan(page, dpi=150, rotate=turned)
        pix = pymupdf.Pixmap(png)
        target = doc.new_page(width=pix.width * 72 / 150, height=pix.height * 72 / 150)
        target.insert_image(target.rect, stream=png)
        assert abs(ocr.skew(target) + turned) <= 0.25, turned  # the turn that levels it back


def test_images_with_trailers_are_not_taken_for_cut_short(tmp_path: Path) -> None:
    """Phones append data after a JPEG's end (motion photos) and tools after a PNG's: still whole."""
    page = text_page(pymupdf.open(), prose(1))
    jpeg, png = scan(page, dpi=50, kind="jpeg"), scan(page, dpi=50)
    (tmp_path / "motion.jpg").write_bytes(jpeg + b"MotionPhoto_Data" + b"\xff\xda\x00" * 1000)
    (tmp_path / "tail.png").write_bytes(png + b"\x00" * 64 + b"trailing")
    assert images.check_image(tmp_path / "motion.jpg") == images.check_image(tmp_path / "tail.png")


def test_cli_import_of_a_scan_says_it_was_read_by_ocr(data_dir: Path, folder: Path) -> None:
    import subprocess
    import sys

    src = prose(1, 10)
    path = folder / "scan for the cli.png"
    path.write_bytes(scan(text_page(pymupdf.open(), src), dpi=200))
    root = Path(__file__).resolve().parents[1]
    run = subprocess.run(
        [sys.executable, str(root / "main.py"), "import", str(path)], capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().endswith("1 page read by OCR)"), run.stdout
    assert "reading page 1 by OCR (1/1)" in run.stderr


def test_pages_read_in_parallel_processes_are_the_same_as_read_in_turn(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three scanned pages: two read by extra OCR worker processes (`_ocr-worker`), one by the PDF
    child; the document is exactly the one the child gives reading every page itself."""
    from app.core.ingest.pdf import read_pdf

    pages = [scan(text_page(pymupdf.open(), prose(1, k)), dpi=150) for k in (4, 5, 6)]
    path = scanned_pdf(folder / "parallel.pdf", pages)
    monkeypatch.setenv(ocr.WORKERS_ENV, "0")
    serial = read_pdf(path)
    monkeypatch.setenv(ocr.WORKERS_ENV, "2")
    heard: list[str] = []
    parallel = read_pdf(path, progress=lambda d, t, m: heard.append(m))
    assert "page 2 read by OCR" in " ".join(heard) and "page 3 read by OCR" in " ".join(heard)  # by workers
    assert [p.lines for p in parallel.pages] == [p.lines for p in serial.pages]
    assert parallel.ocr_pages == serial.ocr_pages == (1, 2, 3)
    assert parallel.page_images == serial.page_images
    assert all(p.lines for p in parallel.pages)


def test_cancel_during_parallel_ocr_stores_nothing(
    library: Library, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.core.errors import CancelledError

    page = text_page(pymupdf.open(), prose(1, 7))
    path = scanned_pdf(folder / "parallel cancel.pdf", [scan(page, dpi=150)] * 4)
    monkeypatch.setenv(ocr.WORKERS_ENV, "2")
    temp = folder / "temp"  # where the workers hand pages over (read_pdf's spool folder)
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setenv("TMPDIR", str(temp))  # the child's and the workers' too
    heard: list[str] = []
    before = _count(library)
    with pytest.raises(CancelledError):  # cancelled once a worker has answered a page
        import_file(
            library, path, progress=lambda d, t, m: heard.append(m), cancel=lambda: "read by OCR" in " ".join(heard)
        )
    assert "read by OCR" in " ".join(heard)
    assert _count(library) == before  # nothing stored
    assert not list(temp.iterdir())  # and no page of the document left behind in the temporary folder
