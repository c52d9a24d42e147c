"""Exports on a real library: both samples imported and translated with the tiny model, claims with
tags, notes and evidence (one English span chosen by hand, one human post-edit), a third document
left untranslated. Every format is written once and read back with an independent reader."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import docx
import pymupdf
import pymupdf_fonts
import pytest

from app.core.claims.workflow import create_claim, set_english_span
from app.core.export import ExportOptions, build_report, export, select_documents
from app.core.pipeline import import_file, import_text
from app.core.store import Library
from app.core.store.claims import ClaimStore
from app.core.translate import packages
from app.core.translate.engine import Engine
from app.core.translate.memory import post_edit, translate_document
from tests.conftest import FIXTURES, ROOT, SAMPLES

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
EDIT = "In 2023, according to WIPO's GII, China ranked 12th."
NOTE = "**Nguồn?** Xem *Nature* [bài gốc](https://nature.com/x) và [xấu](javascript:alert(1))\n\n<script>x</script>"
VI_LETTERS = "ăâđêôơưĂÂĐÊÔƠƯáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"


@dataclass(frozen=True)
class Built:
    data: Path
    docs: list[int]  # supercomputers, forum post, untranslated
    claims: list[int]
    out: Path


def _span(lib: Library, doc: int, words: str) -> tuple[int, int]:
    start = lib.document_texts(doc)[1].index(words)
    return start, start + len(words)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    from tests.make_fixtures import ensure_tiny_model

    root = tmp_path_factory.mktemp("export")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DOICHIEU_DATA_DIR", str(root / "data"))
        with Library.open() as lib:
            store = ClaimStore(lib)
            store.ensure_default_tags()
            engine = Engine(packages.install_package(ensure_tiny_model()))
            docs = [import_file(lib, FIXTURES / f"{name}.vi.txt").document_id for name in SAMPLES]
            for doc in docs:
                translate_document(lib, doc, engine)
            d1, d2 = docs
            c1 = create_claim(lib, d1, *_span(lib, d1, "gấp hàng triệu lần"), tags=["statistic"], note=NOTE)
            store.add_evidence(c1, url="javascript:alert(1)", quote="bad", note="not a link")
            store.add_evidence(c1, url="https://example.org/a?b=1&c=2", quote="million times", note="checked")
            # a claim over two sentences
            segs = lib.segments(d1)
            c2 = create_claim(lib, d1, segs[1].start_char + 5, segs[2].start_char + 12, tags=["prediction"])
            c3 = create_claim(
                lib, d2, *_span(lib, d2, "Trung Quốc xếp thứ 12"), tags=["ranking", "source-cited"], verdict="supported"
            )
            seg = next(s for s in lib.segments(d2) if "xếp thứ 12" in s.text)
            post_edit(lib, seg.id, EDIT)
            set_english_span(lib, c3, EDIT.index("China"), EDIT.index("China") + len("China ranked 12th"))
            c4 = create_claim(
                lib,
                d2,
                *_span(lib, d2, "TQ dẫn đầu thế giới về số lượng bằng sáng chế AI"),
                tags=["needs-source"],
                verdict="disputed",
                note="Theo WIPO 2024.",
            )
            d3 = import_text(lib, "Năm 2024, GDP tăng 7,09%. Hết.", title="Chưa dịch").document_id
            c5 = create_claim(lib, d3, 0, 24, tags=["statistic"], note="GSO")
            out = root / "out"
            out.mkdir()
            everything = [d1, d2, d3]
            for fmt in ("html", "pdf", "docx", "md", "csv", "jsonl", "tmx"):
                export(lib, everything, fmt, out / f"report.{fmt}")
            export(lib, everything, "pdf", out / "letter.pdf", ExportOptions(page_size="letter", only_claims=True))
            export(lib, [d2], "html", out / "only.html", ExportOptions(only_claims=True, include_notes=False))
        yield Built(root / "data", [d1, d2, d3], [c1, c2, c3, c4, c5], out)


@pytest.fixture
def lib(built: Built, monkeypatch: pytest.MonkeyPatch) -> Iterator[Library]:
    monkeypatch.setenv("DOICHIEU_DATA_DIR", str(built.data))
    with Library.open() as library:
        yield library


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- HTML ---------------------------------------------------------------------------------------


class Cells(HTMLParser):
    """Text of every <td> (footnote markers left out), highlighted spans, links and meta tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[tuple[str, str]] = []  # (class, text)
        self.highlights: list[str] = []
        self.hrefs: list[str] = []
        self.metas: list[dict[str, str | None]] = []
        self.ids: set[str] = set()
        self._cell: list[str] | None = None
        self._class = ""
        self._sup = 0
        self._hl: list[str] | None = None
        self.text: list[str] = []
        self._style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if tag == "td":
            self._cell, self._class = [], a.get("class") or ""
        elif tag == "sup":
            self._sup += 1
        elif tag == "span" and "hl" in (a.get("class") or "").split():
            self._hl = []
        elif tag == "a" and "href" in a:
            self.hrefs.append(a["href"] or "")
        elif tag == "meta":
            self.metas.append(a)
        elif tag == "style":
            self._style = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.cells.append((self._class, "".join(self._cell)))
            self._cell = None
        elif tag == "sup":
            self._sup -= 1
        elif tag == "span" and self._hl is not None:
            self.highlights.append("".join(self._hl))
            self._hl = None
        elif tag == "style":
            self._style = False

    def handle_data(self, data: str) -> None:
        if not self._style:
            self.text.append(data)
        if self._sup:
            return
        if self._cell is not None:
            self._cell.append(data)
        if self._hl is not None:
            self._hl.append(data)


def _parse(path: Path) -> Cells:
    parser = Cells()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_html_holds_every_sentence_and_claim_safely(built: Built, lib: Library) -> None:
    raw = (built.out / "report.html").read_text(encoding="utf-8")
    page = _parse(built.out / "report.html")
    assert "<script" not in raw.lower()
    assert {"http-equiv": "Content-Security-Policy", "content": CSP} in page.metas
    vi_cells = [text for cls, text in page.cells if cls.startswith("vi")]
    assert vi_cells == [s.text for doc in built.docs for s in lib.segments(doc)]
    english = {t.text for doc in built.docs for t in lib.current_translations(doc).values()}
    en_cells = [text for cls, text in page.cells if cls.startswith("en")]
    assert all(any(cell.startswith(e) for cell in en_cells) for e in english)
    store = ClaimStore(lib)
    for claim in built.claims:
        row = store.get(claim)
        assert row.quote in page.highlights
    assert {f"note-{n}" for n in range(1, 6)} <= page.ids
    # links: only http(s) and the report's own anchors; javascript: stays visible text
    assert all(h.startswith(("#", "https://", "http://")) for h in page.hrefs)
    assert "https://example.org/a?b=1&c=2" in page.hrefs and "https://nature.com/x" in page.hrefs
    text = "".join(page.text)
    assert "javascript:alert(1)" in text and "[xấu](javascript:alert(1))" in text
    assert "<script>x</script>" in text  # the note's tag is shown as text, escaped
    # the English span chosen by hand is what is highlighted in the English cell, and the row is marked edited
    edited = [text for cls, text in page.cells if "human" in cls.split()]
    assert edited == [EDIT + " ✎"]
    assert "China ranked 12th" in page.highlights
    assert "not translated yet" in text


def test_html_only_claims_without_notes(built: Built, lib: Library) -> None:
    page = _parse(built.out / "only.html")
    text = "".join(page.text)
    vi_cells = [t for cls, t in page.cells if cls.startswith("vi")]
    assert len(vi_cells) == 2 and any("xếp thứ 12" in c for c in vi_cells)
    assert "Theo WIPO 2024." not in text and "Trung Quốc xếp thứ 12" in page.highlights


def test_preview_is_the_first_rows_of_the_same_report(built: Built, lib: Library) -> None:
    from app.core.export.report import preview_of

    full = build_report(lib, built.docs, ExportOptions())
    cut = build_report(lib, built.docs, ExportOptions(), max_rows=5)
    preview, shown, total = preview_of(cut, 7)  # 5 rows of the first document, 2 of the second
    assert (shown, total) == (7, sum(len(s.rows) for s in full.sections))
    assert [len(s.rows) for s in preview.sections] == [5, 2] + [0] * (len(built.docs) - 2)
    assert preview.sections[0].rows == full.sections[0].rows[:5]  # the same rows, marks and notes
    assert preview.sections[1].rows == full.sections[1].rows[:2]
    assert len(preview.claims) == min(7, len(full.claims))
    assert preview_of(full, 10_000)[1:] == (total, total)


# --- PDF ----------------------------------------------------------------------------------------


def _vietnamese_column(page: pymupdf.Page) -> list[str]:
    """Words of the sentence table's Vietnamese column on this page, top to bottom, found from the
    table's (repeated) header row "# | Tiếng Việt | English"."""
    words = page.get_text("words", sort=True)
    for a, b, c in zip(words, words[1:], words[3:], strict=False):
        if (a[4], b[4], c[4]) == ("#", "Tiếng", "English"):
            return [w[4] for w in words if w[1] > b[3] and b[0] - 2 <= w[0] < c[0] - 2]
    return []


def test_pdf_text_complete_with_vietnamese_fonts_and_page_numbers(built: Built, lib: Library) -> None:
    with pymupdf.open(built.out / "report.pdf") as pdf:
        assert pdf[0].rect.width == pytest.approx(595, abs=1) and pdf[0].rect.height == pytest.approx(842, abs=1)
        pages = [page.get_text() for page in pdf]
        text = "".join(pages)
        for number, page_text in enumerate(pages, start=1):
            assert page_text.split()[-1] == str(number)  # the page number, last on the page
        # every Vietnamese sentence, in order (nothing dropped at a page break): read the Vietnamese column
        # alone (a row split over two pages interleaves with its English in plain text extraction)
        column = [w for page in pdf for w in _vietnamese_column(page)]
        flat = squash(re.sub(r"\[\d+\]", "", "".join(column)))  # without the note markers inside sentences
        pos = 0
        for doc in built.docs:
            for seg in lib.segments(doc):
                found = flat.find(squash(seg.text), pos)
                assert found >= 0, seg.text
                pos = found
        for claim in built.claims:
            assert squash(ClaimStore(lib).get(claim).quote) in squash(text)
        assert "bằng sáng chế" in text and "gấp hàng triệu lần" in text
        assert not re.search("[\ufb00-\ufb06]", text)  # no ligature glyphs: copied text reads "five", not "ﬁve"
        # every Vietnamese letter is drawn with a real glyph (not .notdef, "tofu") of embedded Noto Sans,
        # which has them all
        noto = pymupdf.Font(fontbuffer=pymupdf_fonts.myfont("notos"))
        assert all(noto.has_glyph(ord(c)) for c in VI_LETTERS)
        drawn = set()
        for page in pdf:
            assert all(f[1] == "ttf" for f in page.get_fonts())  # embedded TrueType, no reference to system fonts
            for span in page.get_texttrace():
                for uc, glyph, *_ in span["chars"]:
                    if chr(uc) in VI_LETTERS:
                        assert glyph > 0 and span["font"].split("+")[-1].startswith("NotoSans"), (chr(uc), span["font"])
                        drawn.add(chr(uc))
        assert len(drawn) > 40
        # ✎ and ⚠ come from the shipped Noto Sans Symbols2, not from whatever the system has (DejaVu here)
        fonts = {f[3].split("+")[-1] for page in pdf for f in page.get_fonts()}
        assert "NotoSansSymbols2-Regular" in fonts
        assert all(name.startswith("NotoSans") for name in fonts), fonts
    with pymupdf.open(built.out / "letter.pdf") as letter:
        assert (letter[0].rect.width, letter[0].rect.height) == pytest.approx((612, 792), abs=1)
        assert "Trung Quốc xếp thứ 12" in "".join(p.get_text() for p in letter)


# --- DOCX ---------------------------------------------------------------------------------------


def _shaded_runs(document: docx.document.Document) -> list[tuple[str, str]]:
    out = []
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for para in cell.paragraphs:
                    for run in para.runs:
                        shd = run._r.find(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}shd")
                        if shd is not None:
                            fill = shd.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}fill")
                            out.append((run.text, fill))
    return out


def test_docx_tables_highlights_and_notes(built: Built, lib: Library) -> None:
    document = docx.Document(str(built.out / "report.docx"))
    tables = document.tables
    assert len(tables) == 4  # the claims summary and one table per document
    sizes = [len(lib.segments(d)) for d in built.docs]
    assert [len(t.rows) - 1 for t in tables[1:]] == sizes
    assert tables[1].rows[0].cells[1].text == "Tiếng Việt"
    shaded = _shaded_runs(document)
    colors = {t.name: t.color.lstrip("#").upper() for t in ClaimStore(lib).tags()}
    assert ("gấp hàng triệu lần", colors["statistic"]) in shaded
    assert ("China ranked 12th", colors["ranking"]) in shaded
    text = "\n".join(p.text for p in document.paragraphs)
    assert "[1] " in text and "Theo WIPO 2024." in text and "javascript:alert(1)" in text
    assert any(
        r.font.superscript and r.text == "[3]"
        for t in tables
        for c in t.rows[-1].cells
        for p in c.paragraphs
        for r in p.runs
    ) or "[3]" in "".join(c.text for t in tables for row in t.rows for c in row.cells)
    footer = document.sections[0].footer.paragraphs[0]._p.xml
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer  # "Page N of M" on every page


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed here")
def test_docx_opens_in_libreoffice(built: Built, tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path)}  # a fresh LibreOffice profile, never the user's
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(built.out / "report.docx")],
        check=True,
        capture_output=True,
        timeout=120,
        env=env,
    )
    with pymupdf.open(tmp_path / "report.pdf") as pdf:
        text = "".join(p.get_text() for p in pdf)
        pages = len(pdf)
        footers = [p.get_text().split() for p in pdf]
    # (LibreOffice may draw some Vietnamese letters from a fallback font, which breaks words apart
    # in extracted text; so look for whole ASCII phrases and for the letters themselves)
    assert pages > 2 and "Claims (5)" in text and "Notes" in text and "javascript:alert(1)" in text
    assert {"ấ", "ộ", "ư", "ị"} <= set(text)
    for number, words in enumerate(footers, start=1):  # the footer's fields, computed by LibreOffice
        assert words[-4:] == ["Page", str(number), "of", str(pages)], words[-6:]


# --- Markdown, CSV, JSONL, TMX ------------------------------------------------------------------


def test_markdown_table_and_footnotes(built: Built, lib: Library) -> None:
    md = (built.out / "report.md").read_text(encoding="utf-8")
    for n in range(1, 6):
        assert f"[^{n}]:" in md and md.count(f"[^{n}]") >= 2
    assert "| # | Tiếng Việt | English |" in md
    assert re.search(r"\*\*gấp hàng triệu lần\*\*\[\^\d\]", md)
    assert not re.search(r"(?<!\\)\]\(javascript:", md) and "<script>" not in md
    assert "[bài gốc](https://nature.com/x)" in md


def test_claims_csv_and_jsonl(built: Built, lib: Library) -> None:
    raw = (built.out / "report.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel then reads Vietnamese correctly
    rows = list(csv.DictReader((built.out / "report.csv").open(encoding="utf-8-sig", newline="")))
    records = [json.loads(line) for line in (built.out / "report.jsonl").read_text(encoding="utf-8").splitlines()]
    store = ClaimStore(lib)
    in_order = [r.id for doc in built.docs for r in store.for_document(doc)]
    assert [int(r["claim_id"]) for r in rows] == [r["claim_id"] for r in records] == in_order
    assert sorted(in_order) == sorted(built.claims)
    for row, rec in zip(rows, records, strict=True):
        claim = store.get(rec["claim_id"])
        assert row["vi"] == rec["vi"] == claim.quote
        assert (int(row["start"]), int(row["end"])) == (rec["start"], rec["end"]) == (claim.start, claim.end)
        assert rec["tags"] == list(claim.tags) and row["tags"] == ", ".join(claim.tags)
        assert claim.quote in rec["vi_sentences"]
    ranked = next(r for r in records if r["vi"] == "Trung Quốc xếp thứ 12")
    assert ranked["en"] == "China ranked 12th" and ranked["en_sentences"] == EDIT and ranked["verdict"] == "supported"
    first = next(r for r in records if r["vi"] == "gấp hàng triệu lần")
    assert first["evidence"][1] == {
        "url": "https://example.org/a?b=1&c=2",
        "citation": "",
        "quote": "million times",
        "note": "checked",
    }
    assert first["evidence"][0]["url"] == "" and first["evidence"][0]["citation"] == "javascript:alert(1)"
    untranslated = next(r for r in records if r["document"] == "Chưa dịch")
    assert untranslated["en"] == "" and untranslated["en_status"] == "untranslated"


def test_tmx_one_unit_per_translated_pair(built: Built, lib: Library) -> None:
    tree = ET.parse(built.out / "report.tmx")
    root = tree.getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert header is not None
    assert {k: header.get(k) for k in ("srclang", "adminlang", "segtype", "o-tmf", "creationtool", "datatype")} == {
        "srclang": "vi", "adminlang": "en", "segtype": "sentence", "o-tmf": "DoiChieu", "creationtool": "DoiChieu",
        "datatype": "plaintext",
    }  # fmt: skip
    units = root.findall("body/tu")
    pairs = [
        (seg.text, tr.text)
        for doc in built.docs
        for seg in lib.segments(doc)
        if (tr := lib.current_translations(doc).get(seg.id)) is not None and tr.kind != "copy"
    ]
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    got = []
    for tu in units:
        tuvs = tu.findall("tuv")
        assert [t.get(lang) for t in tuvs] == ["vi", "en"]
        got.append(tuple(t.findtext("seg") for t in tuvs))
    assert got == pairs
    human = [tu for tu in units if tu.findtext("prop[@type='x-doichieu-kind']") == "human"]
    assert [tu.find("tuv/seg").text for tu in human] == [  # type: ignore[union-attr]
        next(s.text for s in lib.segments(built.docs[1]) if "xếp thứ 12" in s.text)
    ]
    assert human[0].get("changeid") == "doichieu-user"


def test_tmx_marks_characters_xml_forbids() -> None:
    from app.core.export.tmx import xml_text

    assert xml_text("a\x00b\x0bc\td\ue000\U0001f600") == "a\ufffdb\ufffdc\td\ue000\U0001f600"


# --- options, documents by tag, CLI -------------------------------------------------------------


def test_documents_by_tag_each_its_own_section(built: Built, lib: Library) -> None:
    d1, _d2, d3 = built.docs
    assert select_documents(lib, None, "statistic") == [d1, d3]
    report = build_report(lib, [d1, d3], ExportOptions(tag="statistic"))
    assert [s.document_id for s in report.sections] == [d1, d3]
    assert [c.vi for c in report.claims] == ["gấp hàng triệu lần", "Năm 2024, GDP tăng 7,09%"]
    assert report.sections[1].untranslated


def test_cli_export_end_to_end(built: Built, tmp_path: Path) -> None:
    env = {**os.environ, "DOICHIEU_DATA_DIR": str(built.data), "QT_QPA_PLATFORM": "offscreen"}
    out = tmp_path / "ranking.html"
    res = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "export", "--tag", "RANKING", "--format", "html", "-o", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == str(out)
    page = _parse(out)
    assert page.highlights.count("Trung Quốc xếp thứ 12") >= 1 and "gấp hàng triệu lần" not in page.highlights
    bad = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "export", "999", "--format", "md", "-o", str(tmp_path / "x.md")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert bad.returncode != 0 and bad.stderr.startswith("doichieu: no document #999")
