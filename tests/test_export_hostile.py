"""Hostile text through every export format, on a real library (a document translated with the tiny
model, claims with hostile notes, evidence and English): every file is read back with an independent
reader (PyMuPDF, python-docx, ElementTree, the csv module, an HTML parser, a CommonMark renderer when
one is installed). Issue 20: a URL became a JavaScript action in the PDF, a parenthesis made the PDF
unreadable, Markdown passed raw HTML, DOCX raised on control characters, CSV cells starting with "-"
ran as formulas, and the library itself could be overwritten by an export."""

from __future__ import annotations

import csv
import dataclasses
import os
import re
import signal
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import docx
import pymupdf
import pytest

from app.core.claims.workflow import create_claim
from app.core.export import ExportError, ExportOptions, build_report, export, write_report
from app.core.export.encode import URI_SAFE, csv_cell, link_target, visible
from app.core.export.markdown import escape_md
from app.core.pipeline import import_text
from app.core.store import Library
from app.core.store.claims import ClaimStore
from app.core.translate import packages
from app.core.translate.engine import Engine
from app.core.translate.memory import post_edit, translate_document
from tests.conftest import ROOT

JS_URL = "https://a.example/)/S/JavaScript/JS(app.launchURL('http://127.0.0.1:1/',true);"
WIKI_URL = "https://en.wikipedia.org/wiki/Hanoi_(disambiguation)"
GT_URL = "https://x.example/a>\"<style>@import'http://127.0.0.1:1/y.css';</style>"
NOT_LINKS = ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,<script>alert(1)</script>")
STYLE_NOTE = (
    "Xem <style>@import url(http://127.0.0.1:1/x.css)</style> và [nhấn](https://a.example/>)<script>alert(1)</script>"
)
CONTROL = "\x00\x01\x07\x08\x0b\x0c\x0e\x1b\x1f\ufffe\uffff"
CONTROL_EN = f"The economy grew{CONTROL}fast <b>bold</b> & more."
FORMULAS = ("-2+3+cmd|' /C calc'!A0", '=HYPERLINK("http://127.0.0.1:1")', "+1+1", "@SUM(A1)", "\t=1", "\r=1")
PLAIN_NUMBER = "-2"
TEXT = (
    "Năm 2024, GDP của Việt Nam tăng 7,09%. Xuất khẩu đạt 405 tỷ USD.\n\n"
    "Trung Quốc xếp thứ 12 về đổi mới sáng tạo. Hà Nội có nhiều hồ đẹp."
)
SCHEMES = ("http://", "https://")


@dataclass(frozen=True)
class Hostile:
    data: Path
    lib_path: Path
    doc: int
    out: Path


def _span(lib: Library, doc: int, words: str) -> tuple[int, int]:
    start = lib.document_texts(doc)[1].index(words)
    return start, start + len(words)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hostile]:
    from tests.make_fixtures import ensure_tiny_model

    root = tmp_path_factory.mktemp("hostile-export")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DOICHIEU_DATA_DIR", str(root / "data"))
        with Library.open() as lib:
            store = ClaimStore(lib)
            store.ensure_default_tags()
            doc = import_text(lib, TEXT, title="Báo cáo\x01 <i>thử</i>").document_id
            translate_document(lib, doc, Engine(packages.install_package(ensure_tiny_model())))
            seg = next(s for s in lib.segments(doc) if "7,09%" in s.text)
            post_edit(lib, seg.id, CONTROL_EN)
            c1 = create_claim(
                lib, doc, *_span(lib, doc, "GDP của Việt Nam tăng 7,09%"), tags=["statistic"], note=STYLE_NOTE
            )
            for url in (JS_URL, WIKI_URL, GT_URL, *NOT_LINKS):
                store.add_evidence(c1, url=url, quote=f"quote{CONTROL}", note="note\x07")
            c2 = create_claim(lib, doc, *_span(lib, doc, "Xuất khẩu đạt 405 tỷ USD"), tags=["ranking"], note=CONTROL)
            store.add_evidence(c2, url="https://example.org/ok", citation=FORMULAS[1])
            for note, words in zip(
                (*FORMULAS, PLAIN_NUMBER),
                ("Trung Quốc", "xếp thứ 12", "đổi mới", "sáng tạo", "Hà Nội", "nhiều hồ", "hồ đẹp"),
                strict=True,
            ):
                create_claim(lib, doc, *_span(lib, doc, words), tags=["prediction"], note=note)
            out = root / "out"
            out.mkdir()
            for fmt in ("html", "pdf", "docx", "md", "csv", "jsonl", "tmx"):
                export(lib, [doc], fmt, out / f"report.{fmt}")
            export(lib, [doc], "pdf", out / "letter.pdf", ExportOptions(page_size="letter", only_claims=True))
            lib_path = lib.path
        yield Hostile(root / "data", lib_path, doc, out)


@pytest.fixture
def lib(hostile: Hostile, monkeypatch: pytest.MonkeyPatch) -> Iterator[Library]:
    monkeypatch.setenv("DOICHIEU_DATA_DIR", str(hostile.data))
    with Library.open() as library:
        yield library


# --- PDF ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["report.pdf", "letter.pdf"])
def test_pdf_links_are_http_uri_actions_and_mupdf_reads_it(hostile: Hostile, name: str) -> None:
    pymupdf.TOOLS.reset_mupdf_warnings()
    with pymupdf.open(hostile.out / name) as pdf:
        links = [link for page in pdf for link in page.get_links()]
        text = "".join(page.get_text() for page in pdf)
        annots = [xref for page in pdf for xref, *_ in page.annot_xrefs()]
        actions = [
            (pdf.xref_get_key(x, "A/S"), pdf.xref_get_key(x, "A/URI")[0], pdf.xref_get_key(x, "A/JS")[0])
            for x in annots
        ]
        kinds = {pdf.xref_get_key(x, "S") for x in range(1, pdf.xref_length())}
        javascript = [pdf.xref_get_key(x, k) for x in range(1, pdf.xref_length()) for k in ("JS", "OpenAction", "AA")]
        catalog_names = pdf.xref_get_key(pdf.pdf_catalog(), "Names/JavaScript")
    warnings = [
        w
        for w in pymupdf.TOOLS.mupdf_warnings().splitlines()
        if not re.fullmatch(r"\.\.\. repeated \d+ times\.\.\.", w)
    ]
    assert warnings == []  # MuPDF read the whole file without a complaint (a count of earlier tests' aside)
    assert "GDP của Việt Nam tăng 7,09%" in text and "Xuất khẩu" in text  # text extractable
    assert links, "the evidence links are links"
    for link in links:
        assert link["kind"] == pymupdf.LINK_URI, link
        assert link["uri"].startswith(SCHEMES) and set(link["uri"]) <= set(URI_SAFE), link
    assert len(annots) == len(links)
    assert actions == [(("name", "/URI"), "string", "null")] * len(annots)  # each a /URI action, nothing else
    assert not kinds & {("name", "/JavaScript"), ("name", "/Launch")}
    assert all(kind == "null" for kind, _value in javascript) and catalog_names[0] == "null"
    uris = {link["uri"] for link in links}
    assert "https://en.wikipedia.org/wiki/Hanoi_%28disambiguation%29" in uris
    assert link_target(JS_URL) in uris  # the same host and path, its parentheses and quotes encoded
    assert not any(u.startswith(("javascript", "file", "data")) for u in uris)


# --- Markdown -------------------------------------------------------------------------------------


def test_markdown_escapes_html_and_links_cannot_break_out(hostile: Hostile) -> None:
    md = (hostile.out / "report.md").read_text(encoding="utf-8")
    assert "<" not in md and ">" not in md  # no tag can start, whatever the renderer
    assert r"&lt;style&gt;\@import url(http:\/\/127.0.0.1:1/x.css)&lt;/style&gt;" in md  # the note, inert text
    # no autolink can form in text either (GFM/linkify: user@host, ftp://…, //host)
    assert escape_md("a@b.org ftp://x //y") == r"a\@b.org ftp:\/\/x /\/y"
    destinations = re.findall(r"\]\(([^)]*)\)", md)
    assert destinations and all(d.startswith(SCHEMES) and set(d) <= set(URI_SAFE) for d in destinations)
    assert "https://en.wikipedia.org/wiki/Hanoi_%28disambiguation%29" in destinations
    assert not re.search(r"(?i)\]\((?:javascript|file|data):", md)
    assert not re.search(f"[{re.escape(CONTROL)}]", md)


def test_markdown_rendered_by_commonmark_has_no_raw_html(hostile: Hostile) -> None:
    import markdown_it  # test extra

    html = (
        markdown_it.MarkdownIt("commonmark", {"html": True})
        .enable("table")
        .render((hostile.out / "report.md").read_text(encoding="utf-8"))
    )
    tags = {m.lower() for m in re.findall(r"<\s*([a-zA-Z][a-zA-Z0-9]*)", html)}
    # only what Markdown itself makes (an indented line of a note becomes an inert code block)
    made = {
        "h1",
        "h2",
        "h3",
        "p",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "strong",
        "em",
        "a",
        "br",
        "pre",
        "code",
    }
    assert tags <= made, tags
    assert all(h.startswith(SCHEMES) for h in re.findall(r'href="([^"]*)"', html))


# --- DOCX, TMX, HTML: characters XML forbids ------------------------------------------------------


def test_docx_shows_control_characters_visibly(hostile: Hostile) -> None:
    document = docx.Document(str(hostile.out / "report.docx"))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for row in t.rows for c in row.cells
    )
    assert "\ufffd" * len(CONTROL) in text  # one visible mark per character XML forbids
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", text)
    assert "The economy grew" in text and "<b>bold</b> & more." in text
    assert "<style>@import url(http://127.0.0.1:1/x.css)</style>" in text  # a note is text in Word


def test_tmx_is_well_formed_and_marks_forbidden_characters(hostile: Hostile, lib: Library) -> None:
    root = ET.parse(hostile.out / "report.tmx").getroot()
    english = [seg.text or "" for seg in root.iter("seg")]
    assert visible(CONTROL_EN) in english and "\ufffd" * len(CONTROL) in visible(CONTROL_EN)
    assert len(root.findall("body/tu")) == len(lib.segments(hostile.doc))


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.csp: list[str] = []
        self.tags: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        a = dict(attrs)
        if tag == "a" and a.get("href") is not None:
            self.hrefs.append(a["href"] or "")
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp.append(a.get("content") or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_keeps_csp_links_only_http_and_text_visible(hostile: Hostile) -> None:
    raw = (hostile.out / "report.html").read_text(encoding="utf-8")
    page = _Html()
    page.feed(raw)
    assert page.csp == ["default-src 'none'; style-src 'unsafe-inline'; img-src data:"]
    assert not page.tags & {"script", "img", "iframe", "object", "embed", "link", "base", "form"}
    assert sum(1 for t in re.findall(r"<style", raw)) == 1  # the report's own stylesheet only
    external = [h for h in page.hrefs if not h.startswith("#note-")]
    assert external and all(h.startswith(SCHEMES) and set(h) <= set(URI_SAFE) for h in external), external
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", raw)
    text = "".join(page.text)
    assert "\ufffd" * len(CONTROL) in text and "javascript:alert(1)" in text  # kept, as text


def test_lone_surrogates_and_controls_in_any_text_are_written_by_every_format(
    hostile: Hostile, lib: Library, tmp_path: Path
) -> None:
    """SQLite cannot store a lone surrogate, but a report is plain data: one reaching a writer is
    marked like any other character XML forbids, and no format raises."""
    report = build_report(lib, [hostile.doc], ExportOptions())
    section = report.sections[0]
    claim = dataclasses.replace(section.claims[0], note="bad \ud800 note\x07", vi=section.claims[0].vi)
    report = dataclasses.replace(
        report,
        title="Tiêu đề \udfff",
        sections=(dataclasses.replace(section, claims=(claim, *section.claims[1:]), title="x\x00y"),),
    )
    for fmt in ("html", "pdf", "docx", "md", "csv", "jsonl", "tmx"):
        out = write_report(report, fmt, tmp_path / f"s.{fmt}")
        assert out.stat().st_size > 0
    assert "bad \ufffd note\ufffd" in (tmp_path / "s.md").read_text(encoding="utf-8")
    assert "bad \ufffd note\ufffd" in (tmp_path / "s.csv").read_text(encoding="utf-8-sig")
    assert "Tiêu đề \ufffd" in (tmp_path / "s.html").read_text(encoding="utf-8")
    assert ET.parse(tmp_path / "s.tmx").getroot().tag == "tmx"
    assert "x\ufffdy" in "\n".join(p.text for p in docx.Document(str(tmp_path / "s.docx")).paragraphs)


# --- CSV ------------------------------------------------------------------------------------------


def test_csv_formula_triggers_are_neutralised(hostile: Hostile) -> None:
    rows = list(csv.DictReader((hostile.out / "report.csv").open(encoding="utf-8-sig", newline="")))
    notes = [r["note"] for r in rows]
    for formula in FORMULAS:
        assert "'" + formula in notes, formula
    assert PLAIN_NUMBER in notes  # a plain number is left readable (see README, Exports)
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "@", "\t", "\r")) and (
                not value.startswith("-") or value == PLAIN_NUMBER
            ), value
    assert csv_cell("-2") == "-2" and csv_cell("-2+3") == "'-2+3" and csv_cell("- list item") == "'- list item"


# --- where an export may be written --------------------------------------------------------------


def _stat(path: Path) -> tuple[int, int, int]:
    st = os.stat(path)  # a stat, never an open: SQLite holds the library
    return st.st_ino, st.st_size, st.st_mtime_ns


def test_export_refuses_the_library_its_side_files_folders_and_devices(
    hostile: Hostile, lib: Library, tmp_path: Path
) -> None:
    before = _stat(lib.path)
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    link = tmp_path / "innocent.pdf"
    link.symlink_to(lib.path)
    targets = [
        lib.path,
        Path(str(lib.path) + "-wal"),
        Path(str(lib.path) + "-shm"),
        lib.path.parent / ".." / lib.path.parent.name / lib.path.name,
        link,
        lib.path.parent,
        fifo,
        tmp_path / "missing" / "r.pdf",
    ]
    if Path("/dev/full").exists():
        targets.append(Path("/dev/full"))
    for target in targets:
        for fmt in ("pdf", "html", "csv"):
            with pytest.raises(ExportError) as err:
                export(lib, [hostile.doc], fmt, target)
            assert "\n" not in str(err.value) and (
                str(target) in str(err.value) or target.parent.name in str(err.value)
            )
    assert _stat(lib.path) == before
    assert [d.id for d in lib.documents()] == [hostile.doc]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and os.path.islink(link)
    if Path("/dev/full").exists():
        assert stat.S_ISCHR(os.stat("/dev/full").st_mode)  # the device node is still a device node
    assert sorted(p.name for p in tmp_path.iterdir()) == ["innocent.pdf", "pipe.html"]
    assert sorted(p.name for p in lib.path.parent.iterdir() if p.name.endswith(".partial")) == []


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html", "md", "csv", "tmx"])
def test_a_failed_export_leaves_no_partial_file(hostile: Hostile, tmp_path: Path, fmt: str) -> None:
    """A real write failure (the process may write only 1 KB per file): the old file at the output
    path stays as it was, and no temporary file is left beside it."""
    out = tmp_path / f"report.{fmt}"
    out.write_bytes(b"previous report")
    script = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "from app.core.store import Library\n"
        "from app.core.export import export\n"
        "from app.core.errors import DoiChieuError\n"
        "lib = Library.open()\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (1024, resource.RLIM_INFINITY))\n"
        "try:\n"
        f"    export(lib, [{hostile.doc}], {fmt!r}, {str(out)!r})\n"
        "except DoiChieuError as err:\n"
        "    print('refused:', err)\n"
        "    sys.exit(3)\n"
    )
    env = {**os.environ, "DOICHIEU_DATA_DIR": str(hostile.data), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 3, (done.stdout, done.stderr)
    assert done.stdout.count("\n") == 1 and "refused:" in done.stdout
    assert out.read_bytes() == b"previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]
    assert signal.SIGXFSZ  # (the child ignored it, so the write failed with an error instead of a kill)


def test_link_targets_are_plain_http_uris_or_nothing() -> None:
    assert link_target(WIKI_URL) == "https://en.wikipedia.org/wiki/Hanoi_%28disambiguation%29"
    assert (
        link_target(JS_URL)
        == "https://a.example/%29/S/JavaScript/JS%28app.launchURL%28%27http://127.0.0.1:1/%27,true%29;"
    )
    assert link_target("https://x.example/a>b<c") == "https://x.example/a%3Eb%3Cc"
    assert link_target("https://vi.wikipedia.org/wiki/Hà_Nội") == "https://vi.wikipedia.org/wiki/H%C3%A0_N%E1%BB%99i"
    assert link_target("https://hà.example/") == "https://" + "hà".encode("idna").decode() + ".example/"  # IDNA host
    assert link_target("HTTPS://x.org:8080/a%2Fb%zz?q=1&r=2#f") == "https://x.org:8080/a%2Fb%25zz?q=1&r=2#f"
    for bad in (*NOT_LINKS, "https://x.org/a b", "https://", "ftp://x.org/", "https://x.org:99999/", "www.x.org", ""):
        assert link_target(bad) == "", bad


def test_pdf_in_parts_keeps_every_sentence_note_and_page_number(hostile: Hostile, lib: Library, tmp_path: Path) -> None:
    """The PDF writer lays a long report out in parts (every `chunk` rows or notes, each part on a new
    page); with parts of 2 rows here: nothing lost or doubled, page numbers run on, headers repeat."""
    from app.core.export.html import PAGE_CHUNK, render_html
    from app.core.export.pdf import _print, chunks

    report = build_report(lib, [hostile.doc], ExportOptions())
    html = render_html(report, print_layout=True, chunk=2)
    parts = chunks(html)
    assert len(parts) == html.count(PAGE_CHUNK) + 1 > 3
    assert all(p.count("<body>") == 1 and p.rstrip().endswith("</html>") for p in parts)
    out = tmp_path / "parts.pdf"
    _print(html, report.title, "a4", out)
    with pymupdf.open(out) as pdf:
        pages = [page.get_text() for page in pdf]
    assert len(pages) >= len(parts)
    for number, text in enumerate(pages, start=1):
        assert text.split()[-1] == str(number)
    flat = re.sub(r"\s+", "", "".join(pages))
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]", flat) and "\u2426" in flat  # Báo cáo\x01 -> ␦
    for claim in report.claims:
        assert f"[{claim.number}]" in flat
    flat = re.sub(r"\[\d+\]", "", flat)  # the note markers inside sentences
    for seg in lib.segments(hostile.doc):
        assert flat.count(re.sub(r"\s+", "", seg.text)) >= 1, seg.text
    assert sum(p.count("Tiếng Việt") for p in pages) >= 3  # each part's table starts with its header


def test_export_never_replaces_a_file_in_the_data_folder(hostile: Hostile, lib: Library, tmp_path: Path) -> None:
    backups = hostile.data / "backups"
    backups.mkdir(exist_ok=True)
    kept = backups / "library-2026-01-01.sqlite3"
    kept.write_bytes(b"SQLite format 3\x00 a day's backup")
    with pytest.raises(ExportError, match="data folder"):
        export(lib, [hostile.doc], "html", kept)
    assert kept.read_bytes() == b"SQLite format 3\x00 a day's backup"
    assert [p.name for p in backups.iterdir()] == [kept.name]
    fresh = export(lib, [hostile.doc], "md", tmp_path / "elsewhere.md")  # anywhere else: written
    assert fresh.read_text(encoding="utf-8").startswith("# ")
