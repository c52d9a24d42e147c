#!/usr/bin/env python3
"""Build the paragraph-reconstruction corpus from real Vietnamese text installed by Debian packages.

    make_layout_corpus.py [OUT_DIR] [--chapters N]      (default OUT_DIR: bench/corpus)

Sources (apt-get install libreoffice-help-vi manpages-vi):
  /usr/share/libreoffice/help/vi/text/**.html   LibreOffice help, Vietnamese translation (HTML)
  /usr/share/man/vi/man1/*.1.gz                 Vietnamese man pages (roff)

A "chapter" is one man page, or one help page or a run of consecutive help pages of one folder
long enough to fill more than 1.5 A4 pages. Gold paragraphs come from the source markup: headings,
paragraphs and list items (each its own paragraph; its "• " or "1. " marker is written into the text,
so every producer renders the same characters), in reading order. Tables, images, navigation, code,
untranslated English paragraphs and the platform alternatives of the help are left out.

OUT_DIR/gold.json = {chapter: [paragraph, ...]}, and per chapter OUT_DIR/<chapter>/:
  lo.pdf         LibreOffice Writer, A4, DejaVu Serif 11pt justified, page number in the footer
  lo_big.pdf     LibreOffice Writer, Noto Sans 17pt ragged-right, odd margins, running header
  story2c.pdf    PyMuPDF Story, two columns, running header (chapter title) and page-number footer
  qt.pdf         Qt QTextDocument + QPdfWriter: Noto Serif 11pt, first-line indents, no paragraph
                 spacing, Qt's own page numbers bottom right
  pdftotext.txt  `pdftotext -enc UTF-8 lo.pdf` (default mode)
  pasted.txt     lo.pdf's lines as a PDF viewer's copy gives them (like shared/samples/pdf_copy_*.txt)
OUT_DIR/big300.pdf is a 300-page two-column Story PDF for the speed benchmark;
OUT_DIR/_sources/ keeps the generated HTML and FODT of every chapter.
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import html
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

BENCH = Path(__file__).resolve().parent
DEFAULT_OUT = BENCH / "corpus"
HELP_ROOT = Path("/usr/share/libreoffice/help/vi/text")
MAN_ROOT = Path("/usr/share/man/vi")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
NOTO = Path("/usr/share/fonts/truetype/noto")
APT_PACKAGES = [
    "libreoffice-writer-nogui",
    "libreoffice-help-vi",
    "manpages-vi",
    "poppler-utils",
    "fonts-dejavu-core",
    "fonts-noto-core",
]

SEED = 20240611
DEFAULT_CHAPTERS = 18
MAN_SHARE = 0.3  # part of the chapters taken from man pages
MIN_PAGES_HELP = 2.2  # estimated pages of lo.pdf (see est_pages) for a help chapter
MIN_PAGES_MAN = 1.6  # man pages are short: only ten reach 1.6
MIN_PARAGRAPHS = 8  # body paragraphs and list items
MIN_PROSE_SHARE = 0.5  # share of a help page's text in paragraphs of 8 words or more (skips menus)
MAX_TOKEN = 40  # longer unbreakable words overflow a story2c column and lose characters
MIN_VI_SHARE = 0.6  # share of a help page's text that must be Vietnamese
BIG_PAGES = 300
FIXED_DATE = "D:20240101000000Z"
PDF_VARIANTS = ["lo.pdf", "lo_big.pdf", "story2c.pdf", "qt.pdf"]
TEXT_VARIANTS = ["pdftotext.txt", "pasted.txt"]
VARIANTS = PDF_VARIANTS + TEXT_VARIANTS


@dataclass(frozen=True)
class Block:
    kind: str  # "h1" | "h2" | "p" | "li"
    text: str


@dataclass
class Chapter:
    name: str
    blocks: list[Block]
    sources: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return next((b.text for b in self.blocks if b.kind == "h1"), self.blocks[0].text)

    @property
    def gold(self) -> list[str]:
        return [b.text for b in self.blocks]

    @property
    def chars(self) -> int:
        return sum(len(b.text) for b in self.blocks)


# --------------------------------------------------------------------------- text helpers

_VI_MARK = re.compile(r"[đĐăĂơƠưƯ\u0300-\u0323]")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


def clean(text: str) -> str:
    """NFC, invisible characters removed, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return re.sub(r"\s+", " ", text).strip()


def vi_word_share(text: str) -> float:
    """Share of words carrying a Vietnamese letter or tone mark."""
    words = text.split()
    hits = sum(1 for w in words if _VI_MARK.search(unicodedata.normalize("NFD", w)))
    return hits / max(1, len(words))


def is_untranslated(text: str) -> bool:
    return len(text.split()) >= 4 and vi_word_share(text) < 0.15


_FONT_FILES = [
    DEJAVU / "DejaVuSerif.ttf",
    DEJAVU / "DejaVuSans.ttf",
    NOTO / "NotoSerif-Regular.ttf",
    NOTO / "NotoSans-Regular.ttf",
]
_glyph_cache: dict[str, bool] = {}
_font_cache: list = []


def renderable(text: str) -> bool:
    """True when every producer's font has a glyph for every character (no fallback, no tofu)."""
    for ch in set(text) - set(_glyph_cache):
        printable = ch == " " or unicodedata.category(ch)[0] != "C"
        _glyph_cache[ch] = printable and all(f.has_glyph(ord(ch)) for f in _fonts())
    return all(_glyph_cache[ch] for ch in text)


def _fonts() -> list:
    """pymupdf.Font objects of the body fonts used by the producers (loaded once)."""
    import pymupdf

    if not _font_cache:
        _font_cache.extend(pymupdf.Font(fontfile=str(p)) for p in _FONT_FILES)
    return _font_cache


def est_pages(blocks: list[Block]) -> float:
    """Pages the blocks fill in lo.pdf: ~82 characters a line, 55 lines a page, spacing and headings."""
    heading_lines = {"h1": 3.0, "h2": 2.2}
    lines = sum(heading_lines.get(b.kind) or math.ceil(len(b.text) / 82) + 0.45 for b in blocks)
    return lines / 55


def long_enough(blocks: list[Block], min_pages: float) -> bool:
    body = sum(b.kind in ("p", "li") for b in blocks)
    return body >= MIN_PARAGRAPHS and est_pages(blocks) >= min_pages


def drop_empty_sections(blocks: list[Block]) -> list[Block]:
    """Headings directly followed by another heading (or nothing) head no text: leave them out."""
    out: list[Block] = []
    for b, nxt in zip(blocks, [*blocks[1:], None], strict=False):
        if b.kind == "h2" and (nxt is None or nxt.kind.startswith("h")):
            continue
        out.append(b)
    return out


def keep_block(block: Block) -> bool:
    text = block.text
    if not re.search(r"\w", text) or "not found]" in text or not renderable(text):
        return False
    if max(map(len, text.split())) > MAX_TOKEN:
        return False
    return block.kind.startswith("h") or not is_untranslated(text)


# --------------------------------------------------------------------------- LibreOffice help

_SKIP_TAGS = {
    "table",
    "pre",
    "script",
    "style",
    "nav",
    "aside",
    "header",
    "footer",
    "img",
    "code",
    "button",
    "input",
    "label",
    "noscript",
    "select",
    "svg",
}
_SKIP_CLASSES = {
    "howtoget",
    "relatedtopics",
    "related",
    "icontable",
    "iconcell",
    "bascode",
    "pycode",
    "debug",
    "smathcode",
    "screenshot",
    "code",
    "codeintable",
    "MAC",
    "WIN",
    "UNIX",
    "CALC",
    "WRITER",
    "IMPRESS",
    "DRAW",
    "MATH",
    "BASE",
    "CHART",
    "widget",
}
_BLOCK_KIND = {"h1": "h1", "h2": "h2", "h3": "h2", "h4": "h2", "h5": "h2", "h6": "h2", "p": "p", "li": "li"}
_VOID = {"br", "img", "input", "meta", "link", "hr", "base", "source", "wbr", "col", "area"}


@dataclass
class _OpenBlock:
    kind: str
    depth: int
    parts: list[str]
    list_ref: tuple[str, int] | None = None  # ("ul" | "ol", list serial) for list items
    linked: int = 0
    total: int = 0


@dataclass(frozen=True)
class RawBlock:
    kind: str
    text: str
    navigation: bool  # all of its text is link text: a link list, not prose
    list_ref: tuple[str, int] | None


class HelpPageParser(HTMLParser):
    """Collects the headings, paragraphs and list items of a help page's DisplayArea."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[RawBlock] = []
        self._stack: list[tuple[str, bool, bool]] = []  # tag, skipped, is link
        self._skip = 0
        self._links = 0
        self._area_depth = 0
        self._lists: list[tuple[str, int]] = []  # open lists: (tag, serial)
        self._serial = 0
        self._cur: _OpenBlock | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag == "br" and self._cur is not None:
                self._cur.parts.append(" ")
            return
        a = dict(attrs)
        skipped = tag in _SKIP_TAGS or bool(set((a.get("class") or "").split()) & _SKIP_CLASSES)
        if a.get("id") == "DisplayArea":
            self._area_depth = len(self._stack) + 1
        is_link = tag == "a" and "href" in a
        self._stack.append((tag, skipped, is_link))
        self._skip += skipped
        self._links += is_link
        if skipped or not self._area_depth:
            return
        if tag in ("ul", "ol"):
            self._serial += 1
            self._lists.append((tag, self._serial))
        if tag in _BLOCK_KIND and self._cur is None:
            ref = self._lists[-1] if tag == "li" and self._lists else None
            self._cur = _OpenBlock(_BLOCK_KIND[tag], len(self._stack), [], ref)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in {t for t, _, _ in self._stack}:
            return
        while self._stack:
            name, skipped, is_link = self._stack.pop()
            self._skip -= skipped
            self._links -= is_link
            if self._cur is not None and len(self._stack) < self._cur.depth:
                c = self._cur
                nav = c.total > 0 and c.linked == c.total
                self.blocks.append(RawBlock(c.kind, "".join(c.parts), nav, c.list_ref))
                self._cur = None
            if name in ("ul", "ol") and not skipped and self._area_depth and self._lists:
                self._lists.pop()
            if self._area_depth and len(self._stack) < self._area_depth:
                self._area_depth = 0
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._cur is None or self._skip:
            return
        self._cur.parts.append(data)
        n = len(data.strip())
        self._cur.total += n
        if self._links:
            self._cur.linked += n


def help_page_blocks(path: Path) -> tuple[list[Block], int]:
    """Kept blocks of one help page and the length of all its text (to judge the translated share)."""
    parser = HelpPageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    raw = [RawBlock(r.kind, clean(r.text), r.navigation, r.list_ref) for r in parser.blocks]
    raw = [r for r in raw if r.text and not (r.navigation and r.kind in ("p", "li"))]
    total = sum(len(r.text) for r in raw)
    kept = [r for r in raw if keep_block(Block(r.kind, r.text))]
    return drop_empty_sections(with_list_markers(kept)), total


def with_list_markers(raw: list[RawBlock]) -> list[Block]:
    """Write the marker into each list item: "• " for <ul>, "1. ", "2. " … for <ol>, counting only
    the items kept, so the numbers a reader sees run on without gaps."""
    counts: dict[int, int] = {}
    out = []
    for r in raw:
        if r.list_ref is None:
            out.append(Block(r.kind, r.text))
            continue
        tag, serial = r.list_ref
        counts[serial] = counts.get(serial, 0) + 1
        out.append(Block("li", f"{'•' if tag == 'ul' else f'{counts[serial]}.'} {r.text}"))
    return out


def prose_share(blocks: list[Block]) -> float:
    prose = sum(len(b.text) for b in blocks if b.kind in ("p", "li") and len(b.text.split()) >= 8)
    return prose / max(1, sum(len(b.text) for b in blocks))


def help_chapters(root: Path = HELP_ROOT) -> list[Chapter]:
    """Runs of consecutive, mostly translated help pages of one folder, each run `long_enough`."""
    chapters: list[Chapter] = []
    folders: dict[Path, list[Path]] = {}
    for path in sorted(root.rglob("*.html")):
        if not path.name.startswith("main"):  # main*.html: a module's index and menu overview pages
            folders.setdefault(path.parent, []).append(path)
    for folder, pages in sorted(folders.items()):
        label = "_".join(folder.relative_to(root).parts)
        run: list[Block] = []
        sources: list[str] = []
        for page in pages:
            blocks, total = help_page_blocks(page)
            chars = sum(len(b.text) for b in blocks)
            if (
                len(blocks) < 4
                or chars < 600
                or chars < MIN_VI_SHARE * total
                or blocks[0].kind != "h1"
                or prose_share(blocks) < MIN_PROSE_SHARE
            ):
                continue
            run += blocks
            sources.append(str(page))
            if long_enough(run, MIN_PAGES_HELP):
                chapters.append(Chapter(f"help_{label}_{len(chapters):03d}", run, sources))
                run, sources = [], []
    return chapters


# --------------------------------------------------------------------------- man pages

_ROFF_NAMED = {
    "aq": "'",
    "co": "©",
    "em": "—",
    "en": "–",
    "lq": "“",
    "rq": "”",
    "bu": "•",
    "hy": "-",
    "oq": "‘",
    "cq": "’",
    "dq": '"',
    "mu": "×",
    "de": "°",
    "rs": "\\",
    "ti": "~",
}
_ROFF_SIMPLE = {
    "-": "-",
    "e": "\\",
    "&": "",
    ",": "",
    "/": "",
    "'": "´",
    "`": "`",
    " ": " ",
    "~": " ",
    "|": "",
    "^": "",
    "0": " ",
    ":": "",
    "c": "",
    '"': "",
}
_ROFF_ESC = re.compile(r"\\(f\(..|f\[[^]]*\]|f.|\(..|\[[^]]*\]|.)")
_MAN_SKIP_SECTIONS = {
    "DỊCH",
    "BẢN QUYỀN",
    "THÔNG BÁO LỖI",
    "BÁO CÁO LỖI",
    "XEM THÊM",
    "COPYRIGHT",
    "REPORTING BUGS",
    "SEE ALSO",
}


def roff_text(line: str) -> str:
    def repl(m: re.Match[str]) -> str:
        e = m.group(1)
        if e.startswith("f"):
            return ""
        if e.startswith("("):
            return _ROFF_NAMED.get(e[1:], "")
        if e.startswith("["):
            return _ROFF_NAMED.get(e[1:-1], "")
        return _ROFF_SIMPLE.get(e, e)

    return _ROFF_ESC.sub(repl, line)


def roff_args(rest: str) -> list[str]:
    return [a.strip('"') for a in re.findall(r'"[^"]*"|\S+', rest)]


class ManPageReader:
    """The subset of man(7) used by Debian's Vietnamese man pages (help2man + po4a output)."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.title = ""
        self._kind = "p"
        self._words: list[str] = []
        self._tag_pending = False
        self._skip_section = False

    def flush(self, kind: str = "p") -> None:
        text = clean(" ".join(self._words))
        if text and not self._skip_section:
            self.blocks.append(Block(self._kind, text))
        self._words, self._kind = [], kind

    def text_line(self, line: str) -> None:
        text = roff_text(line)
        if self._tag_pending:  # .TP: the first text line is the tag
            self._words.append(f"• {text.strip()}:")
            self._tag_pending = False
            return
        self._words.append(text)

    def macro(self, name: str, rest: str) -> None:
        args = [roff_text(a) for a in roff_args(rest)]
        if name == "TH":
            self.title = f"{args[0]}({args[1]})" if len(args) > 1 else args[0]
            self.blocks.append(Block("h1", self.title))
        elif name in ("SH", "SS"):
            self.flush()
            heading = clean(" ".join(args))
            if name == "SH":
                self._skip_section = heading.upper() in _MAN_SKIP_SECTIONS
            if not self._skip_section:
                self.blocks.append(Block("h2", heading))
        elif name in ("PP", "P", "LP", "HP", "br", "sp"):
            self.flush()
        elif name == "TP":
            self.flush("li")
            self._tag_pending = True
        elif name == "IP":
            self.flush("li" if args and args[0] else "p")
            if args and args[0]:
                self._words.append(f"• {args[0]}:" if args[0] not in "•*-" else "•")
        elif name in ("B", "I", "BR", "IR", "RB", "RI", "BI", "IB", "SM", "SB"):
            self.text_line(" ".join(args) if name in ("B", "I", "SM", "SB") else "".join(args))
        elif name in ("UE", "ME") and args:
            self._words.append(args[0])

    def feed(self, source: str) -> list[Block]:
        for line in source.splitlines():
            if line.startswith(('.\\"', "'\\\"")) or line.strip() in (".", ""):
                continue
            m = re.match(r"[.'](\w+)\s*(.*)", line)
            if m:
                self.macro(m.group(1), m.group(2))
            else:
                self.text_line(line)
        self.flush()
        return self.blocks


def man_chapters(root: Path = MAN_ROOT) -> list[Chapter]:
    """Long enough man pages; aliases (dir, vdir and ls; lex and flex; [ and test) count once."""
    chapters: list[Chapter] = []
    for path in sorted(root.rglob("*.gz")):
        stem = path.name.split(".")[0]
        if path.is_symlink() or not re.fullmatch(r"[\w+-]+", stem):
            continue
        reader = ManPageReader()
        blocks = reader.feed(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))
        kept = drop_empty_sections([b for b in blocks if keep_block(b)])
        if not long_enough(kept, MIN_PAGES_MAN) or any(_same_text(kept, c.blocks) for c in chapters):
            continue
        chapters.append(Chapter(f"man_{stem}", kept, [str(path)]))
    return chapters


def _same_text(a: list[Block], b: list[Block]) -> bool:
    sm = difflib.SequenceMatcher(None, [x.text for x in a], [x.text for x in b], autojunk=False)
    return sm.ratio() > 0.8


# --------------------------------------------------------------------------- selection


def select_chapters(n: int) -> list[Chapter]:
    rng = random.Random(SEED)
    helps, mans = help_chapters(), man_chapters()
    n_man = min(len(mans), round(n * MAN_SHARE))
    n_help = min(len(helps), n - n_man)
    picked = rng.sample(helps, n_help) + rng.sample(mans, n_man)
    return sorted(picked, key=lambda c: c.name)


# --------------------------------------------------------------------------- documents


def chapter_html(blocks: list[Block]) -> str:
    out = []
    for b in blocks:
        text = html.escape(b.text, quote=False)
        if b.kind in ("h1", "h2"):
            out.append(f"<{b.kind}>{text}</{b.kind}>")
        else:
            out.append(f'<p class="li">{text}</p>' if b.kind == "li" else f"<p>{text}</p>")
    return "\n".join(out)


def html_document(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>\n<body>\n{body}\n</body></html>\n"
    )


@dataclass(frozen=True)
class LoStyle:
    font: str
    head_font: str
    size: float
    align: str
    margins_cm: tuple[float, float, float, float]  # top, bottom, left, right
    space_cm: float
    list_indent_cm: float
    header: bool
    footer: bool


LO_STYLES = {
    "lo.pdf": LoStyle(
        "DejaVu Serif", "DejaVu Sans", 11, "justify", (2.0, 1.5, 2.5, 2.5), 0.21, 0.6, header=False, footer=True
    ),
    "lo_big.pdf": LoStyle(
        "Noto Sans", "Noto Serif", 17, "start", (2.6, 2.2, 1.6, 3.4), 0.35, 1.0, header=True, footer=False
    ),
}

_ODF_NS = " ".join(
    f'xmlns:{k}="urn:oasis:names:tc:opendocument:xmlns:{v}"'
    for k, v in {
        "office": "office:1.0",
        "style": "style:1.0",
        "text": "text:1.0",
        "fo": "xsl-fo-compatible:1.0",
        "svg": "svg-compatible:1.0",
    }.items()
)


def _odf_styles(s: LoStyle) -> str:
    fonts = "".join(f'<style:font-face style:name="{f}" svg:font-family="\'{f}\'"/>' for f in (s.font, s.head_font))
    hsize = [round(s.size * 1.6), round(s.size * 1.25)]
    return f"""<office:font-face-decls>{fonts}</office:font-face-decls>
<office:styles>
<style:default-style style:family="paragraph"><style:paragraph-properties fo:orphans="2" fo:widows="2"/>
<style:text-properties style:font-name="{s.font}" fo:font-size="{s.size}pt" fo:language="vi" fo:country="VN"
 fo:hyphenate="false"/></style:default-style>
<style:style style:name="Body" style:family="paragraph"><style:paragraph-properties fo:text-align="{s.align}"
 fo:margin-top="0cm" fo:margin-bottom="{s.space_cm}cm"/></style:style>
<style:style style:name="Item" style:family="paragraph" style:parent-style-name="Body">
<style:paragraph-properties fo:margin-left="{s.list_indent_cm}cm" fo:text-indent="-{s.list_indent_cm}cm"/>
</style:style>
<style:style style:name="H1" style:family="paragraph"><style:paragraph-properties fo:margin-top="0.3cm"
 fo:margin-bottom="0.35cm" fo:keep-with-next="always"/><style:text-properties style:font-name="{s.head_font}"
 fo:font-size="{hsize[0]}pt" fo:font-weight="bold"/></style:style>
<style:style style:name="H2" style:family="paragraph"><style:paragraph-properties fo:margin-top="0.35cm"
 fo:margin-bottom="0.2cm" fo:keep-with-next="always"/><style:text-properties style:font-name="{s.head_font}"
 fo:font-size="{hsize[1]}pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Band" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/>
<style:text-properties fo:font-size="9pt" fo:font-style="italic"/></style:style>
</office:styles>"""


def _odf_page(s: LoStyle, title: str) -> str:
    top, bottom, left, right = s.margins_cm
    band = '<style:header-footer-properties fo:min-height="0.5cm" fo:margin-{}="0.5cm"/>'
    header = f"<style:header-style>{band.format('bottom')}</style:header-style>" if s.header else ""
    footer = f"<style:footer-style>{band.format('top')}</style:footer-style>" if s.footer else ""
    page_no = '<text:page-number text:select-page="current">1</text:page-number>'
    header_p = f'<style:header><text:p text:style-name="Band">{xml_escape(title)}</text:p></style:header>'
    footer_p = f'<style:footer><text:p text:style-name="Band">{page_no}</text:p></style:footer>'
    return f"""<office:automatic-styles><style:page-layout style:name="pm1">
<style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="{top}cm"
 fo:margin-bottom="{bottom}cm" fo:margin-left="{left}cm" fo:margin-right="{right}cm"/>{header}{footer}
</style:page-layout></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">
{header_p if s.header else ""}{footer_p if s.footer else ""}</style:master-page></office:master-styles>"""


def fodt_document(chapter: Chapter, s: LoStyle) -> str:
    body = []
    for b in chapter.blocks:
        text = xml_escape(b.text)
        if b.kind in ("h1", "h2"):
            level = b.kind[1]
            body.append(f'<text:h text:style-name="H{level}" text:outline-level="{level}">{text}</text:h>')
        else:
            body.append(f'<text:p text:style-name="{"Item" if b.kind == "li" else "Body"}">{text}</text:p>')
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {_ODF_NS} office:version="1.3" '
        f'office:mimetype="application/vnd.oasis.opendocument.text">\n{_odf_styles(s)}\n'
        f"{_odf_page(s, chapter.title)}\n<office:body><office:text>\n"
        + "\n".join(body)
        + "\n</office:text></office:body></office:document>\n"
    )


def soffice_binary() -> str:
    for name in ("soffice", "libreoffice", "lowriter"):
        if shutil.which(name):
            return name
    sys.exit("LibreOffice not found: apt-get install -y libreoffice-writer-nogui")


def render_libreoffice(chapters: list[Chapter], out: Path, src: Path) -> None:
    """Both LibreOffice variants: one soffice run per style, with a private user profile."""
    with tempfile.TemporaryDirectory(prefix="lo-corpus-") as tmp:
        profile = Path(tmp, "profile").as_uri()
        for variant, style in LO_STYLES.items():
            indir, outdir = Path(tmp, variant, "in"), Path(tmp, variant, "out")
            indir.mkdir(parents=True)
            files = []
            for ch in chapters:
                fodt = fodt_document(ch, style)
                (src / f"{ch.name}.{variant.removesuffix('.pdf')}.fodt").write_text(fodt, encoding="utf-8")
                files.append(indir / f"{ch.name}.fodt")
                files[-1].write_text(fodt, encoding="utf-8")
            cmd = [
                soffice_binary(),
                f"-env:UserInstallation={profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf:writer_pdf_Export",
                "--outdir",
                str(outdir),
                *map(str, files),
            ]
            subprocess.run(cmd, check=True, capture_output=True, timeout=1800)
            for ch in chapters:
                shutil.move(outdir / f"{ch.name}.pdf", out / ch.name / variant)


# --------------------------------------------------------------------------- PyMuPDF Story, two columns

STORY_CSS = """
@font-face {font-family: vnserif; src: url(DejaVuSerif.ttf);}
@font-face {font-family: vnserif; src: url(DejaVuSerif-Bold.ttf); font-weight: bold;}
@font-face {font-family: vnsans; src: url(DejaVuSans-Bold.ttf); font-weight: bold;}
body {font-family: vnserif; font-size: 9.5pt; text-align: justify;}
p {margin: 0 0 3pt 0;}
p.li {margin-left: 11pt; text-indent: -11pt; text-align: left;}
h1 {font-family: vnsans; font-weight: bold; font-size: 14pt; margin: 4pt 0 6pt 0; text-align: left;}
h2 {font-family: vnsans; font-weight: bold; font-size: 11pt; margin: 6pt 0 3pt 0; text-align: left;}
"""
A4 = (595.28, 841.89)
COL_MARGIN, COL_GAP, COL_TOP, COL_BOTTOM = 48.0, 22.0, 62.0, 58.0
STORY_CHUNK = 60  # blocks per Story: MuPDF's layout time grows quadratically with one Story's size


def _columns() -> list[tuple[float, float]]:
    width = (A4[0] - 2 * COL_MARGIN - COL_GAP) / 2
    return [(COL_MARGIN, COL_MARGIN + width), (COL_MARGIN + width + COL_GAP, A4[0] - COL_MARGIN)]


def write_two_columns(path: Path, sections: list[tuple[str, list[Block]]]) -> list[str]:
    """Flow the sections through two columns per A4 page; return the running title of every page."""
    import pymupdf

    archive = pymupdf.Archive(str(DEJAVU))
    writer = pymupdf.DocumentWriter(str(path))
    mediabox = pymupdf.Rect(0, 0, *A4)
    titles: list[str] = []
    dev, col, y = None, 0, COL_TOP
    for title, blocks in sections:
        for start in range(0, len(blocks), STORY_CHUNK):
            story = pymupdf.Story(
                chapter_html(blocks[start : start + STORY_CHUNK]), user_css=STORY_CSS, archive=archive
            )
            more = True
            while more:
                if dev is None:
                    dev, col, y = writer.begin_page(mediabox), 0, COL_TOP
                    titles.append(title)
                x0, x1 = _columns()[col]
                more, filled = story.place(pymupdf.Rect(x0, y, x1, A4[1] - COL_BOTTOM))
                story.draw(dev)
                y = pymupdf.Rect(filled).y1 + 3
                if more or y > A4[1] - COL_BOTTOM - 20:
                    col, y = col + 1, COL_TOP
                    if col == 2:
                        writer.end_page()
                        dev = None
    if dev is not None:
        writer.end_page()
    writer.close()
    return titles


def stamp_header_footer(path: Path, titles: list[str], keep_pages: int | None = None) -> None:
    """Running header (page title, drawn first) and centred page number (drawn last); subset fonts."""
    import pymupdf

    doc = pymupdf.open(path)
    if keep_pages is not None:
        doc.delete_pages(keep_pages, len(doc) - 1)
    font = str(DEJAVU / "DejaVuSans.ttf")
    for i, page in enumerate(doc):
        title = titles[i]
        width = pymupdf.get_text_length(title, fontname="helv", fontsize=8) * 1.1
        page.insert_text(((A4[0] - width) / 2, 38), title, fontsize=8, fontname="vnsans", fontfile=font, overlay=False)
        page.draw_line((COL_MARGIN, 44), (A4[0] - COL_MARGIN, 44), width=0.4, overlay=False)
        number = str(i + 1)
        page.insert_text(
            (A4[0] / 2 - 3 * len(number), A4[1] - 30), number, fontsize=9, fontname="vnsans", fontfile=font
        )
    doc.subset_fonts()
    doc.set_metadata(
        {"title": titles[0] if titles else "", "creator": "DoiChieu bench (PyMuPDF Story)", "producer": "PyMuPDF"}
    )
    tmp = path.with_suffix(".tmp.pdf")
    doc.save(tmp, garbage=3, deflate=True)
    doc.close()
    tmp.replace(path)


def normalize_pdf(path: Path) -> None:
    """Same input, same bytes: fixed dates, no XMP packet, no random /ID; the producer's text is kept."""
    import pymupdf

    doc = pymupdf.open(path)
    meta = {k: v for k, v in doc.metadata.items() if k not in ("format", "encryption")}
    meta["creationDate"] = meta["modDate"] = FIXED_DATE
    doc.set_metadata(meta)
    doc.del_xml_metadata()
    doc.xref_set_key(-1, "ID", "null")
    data = doc.tobytes(garbage=1, no_new_id=True)
    doc.close()
    path.write_bytes(data)


def render_story(chapter: Chapter, out: Path) -> None:
    titles = write_two_columns(out, [(chapter.title, chapter.blocks)])
    stamp_header_footer(out, titles)


def render_big(chapters: list[Chapter], out: Path, pages: int = BIG_PAGES) -> int:
    """Two-column Story PDF of exactly `pages` pages, the chapters repeated as often as needed."""
    import pymupdf

    sections = [(c.title, c.blocks) for c in chapters]
    rounds = 1
    while True:
        titles = write_two_columns(out, sections * rounds)
        if len(titles) >= pages:
            break
        per_round = max(1, len(titles) // rounds)
        rounds = rounds + math.ceil((pages - len(titles)) / per_round) + (rounds > 1)
    stamp_header_footer(out, titles[:pages], keep_pages=pages)
    return len(pymupdf.open(out))


# --------------------------------------------------------------------------- Qt

QT_DPI = 300


def _px(pt: float) -> int:
    return round(pt * QT_DPI / 72)


def qt_css() -> str:
    return (
        f"p {{ margin-top: 0px; margin-bottom: 0px; text-indent: {_px(16)}px; text-align: justify; }}\n"
        f"p.li {{ margin-left: {_px(18)}px; text-indent: -{_px(12)}px; text-align: left; }}\n"
        f"h1 {{ margin-top: {_px(6)}px; margin-bottom: {_px(8)}px; }}\n"  # Qt's own sizes: 22pt, 16.6pt
        f"h2 {{ margin-top: {_px(8)}px; margin-bottom: {_px(3)}px; }}\n"
    )


def _qt_app() -> object:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.instance() or QGuiApplication(["make_layout_corpus"])


def render_qt(chapter: Chapter, out: Path) -> None:
    """QTextDocument printed to QPdfWriter (Qt adds page numbers bottom right when no page size is set)."""
    _qt_app()
    from PySide6.QtGui import QFont, QPageSize, QPdfWriter, QTextDocument

    doc = QTextDocument()
    doc.setDefaultFont(QFont("Noto Serif", 11))
    doc.setDefaultStyleSheet(qt_css())
    doc.setHtml(html_document(chapter.title, chapter_html(chapter.blocks)))
    writer = QPdfWriter(str(out))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(QT_DPI)
    writer.setTitle(chapter.title)
    writer.setCreator("DoiChieu bench (Qt QTextDocument)")
    doc.print_(writer)


# --------------------------------------------------------------------------- text variants


def render_pdftotext(pdf: Path, out: Path) -> None:
    subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), str(out)], check=True)


def pdf_visual_lines(pdf: Path) -> list[list[str]]:
    """Per page, the visual lines of a one-column PDF, top to bottom, without the page-number footer."""
    import pymupdf

    pages = []
    for page in pymupdf.open(pdf):
        rows: list[tuple[float, float, str]] = []
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                text = "".join(s["text"] for s in line["spans"])
                if text.strip():
                    rows.append((line["bbox"][3], line["bbox"][0], text))
        rows.sort()
        lines: list[tuple[float, str]] = []
        for y, _x, text in rows:
            if lines and abs(lines[-1][0] - y) < 2:
                lines[-1] = (lines[-1][0], lines[-1][1] + " " + text)
            else:
                lines.append((y, text))
        if lines and lines[-1][1].strip().isdigit() and lines[-1][0] > 0.9 * page.rect.height:
            lines.pop()
        pages.append([clean(t) for _, t in lines])
    return pages


def paragraph_end_flags(lines: list[str], gold: list[str]) -> list[bool]:
    """Mark the lines that end a gold paragraph, by counting non-space characters."""
    ends, pos = set(), 0
    for p in gold:
        pos += len(re.sub(r"\s", "", p))
        ends.add(pos)
    flags, pos = [], 0
    for line in lines:
        pos += len(re.sub(r"\s", "", line))
        flags.append(pos in ends)
    if pos != max(ends, default=0):
        raise ValueError(f"lines do not cover the gold text ({pos} vs {max(ends, default=0)} characters)")
    return flags


def pasted_copy(pages: list[list[str]], gold: list[str], rng: random.Random) -> str:
    """Imitate a PDF viewer's copy: every line, one trailing space and a blank line after it;
    a paragraph ends with two trailing spaces or with an extra line holding one space; a page break
    adds 2-3 blank lines (wherever it falls, mid-sentence too); no running header or footer."""
    flat = [line for page in pages for line in page]
    flags = paragraph_end_flags(flat, gold)
    page_last = set()
    count = 0
    for page in pages[:-1]:
        count += len(page)
        page_last.add(count - 1)
    out = []
    for i, (line, end) in enumerate(zip(flat, flags, strict=True)):
        last = i == len(flat) - 1
        if end and (last or rng.random() < 0.3):
            out.append(f"{line} \n\n \n\n")
        else:
            out.append(f"{line}{'  ' if end else ' '}\n\n")
        if i in page_last:
            out.append("\n" * rng.choice((2, 3)))
    return "".join(out).rstrip("\n")


# --------------------------------------------------------------------------- checks and summary


def extracted_text(path: Path) -> str:
    if path.suffix == ".pdf":
        import pymupdf

        return "\n".join(page.get_text() for page in pymupdf.open(path))
    return path.read_text(encoding="utf-8")


LIGATURES = str.maketrans(
    {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}
)


@dataclass(frozen=True)
class TextCheck:
    coverage: float  # share of the gold's non-space characters found, in order (ligatures expanded)
    ligatures: int  # ligature characters (U+FB00-FB06) in the extracted text
    split_tokens: int  # gold words broken in two by a line end without any hyphen added


def check_text(gold: list[str], text: str) -> TextCheck:
    g, t = " ".join(gold).split(), text.translate(LIGATURES).split()
    found = split = 0
    sm = difflib.SequenceMatcher(None, g, t, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            found += sum(map(len, g[i1:i2]))
        elif op == "replace":
            a, b = "".join(g[i1:i2]), "".join(t[j1:j2])
            chars = difflib.SequenceMatcher(None, a, b, autojunk=False)
            found += sum(m.size for m in chars.get_matching_blocks())
            split += max(0, (j2 - j1) - (i2 - i1)) if a == b else 0
    ligatures = sum(text.count(ch) for ch in "\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06")
    return TextCheck(found / max(1, sum(map(len, g))), ligatures, split)


def page_count(path: Path) -> int:
    import pymupdf

    with pymupdf.open(path) as doc:
        return len(doc)


def summarize(out: Path, chapters: list[Chapter], big_pages: int) -> bool:
    """Print chapters, paragraphs, pages per variant and gold coverage; False if a check failed."""
    paras = [len(c.blocks) for c in chapters]
    print(f"\ncorpus: {out}")
    print(
        f"chapters: {len(chapters)} ({sum(c.name.startswith('help_') for c in chapters)} LibreOffice help, "
        f"{sum(c.name.startswith('man_') for c in chapters)} man pages); paragraphs: {sum(paras)} "
        f"(per chapter {min(paras)}-{max(paras)}); gold characters: {sum(c.chars for c in chapters)}"
    )
    print(
        f"{'variant':15s} {'pages':>6s} {'min':>4s} {'max':>4s}  gold chars found (min / mean)"
        "  ligatures  words split at line ends"
    )
    ok = True
    for variant in VARIANTS:
        checks = [check_text(c.gold, extracted_text(out / c.name / variant)) for c in chapters]
        cov = [k.coverage for k in checks]
        pages = [page_count(out / c.name / variant) for c in chapters] if variant.endswith(".pdf") else []
        pcol = f"{sum(pages):6d} {min(pages):4d} {max(pages):4d}" if pages else f"{'-':>6} {'-':>4} {'-':>4}"
        flag = "" if min(cov) >= 0.99 else "   <-- below 0.99"
        ok &= not flag
        print(
            f"{variant:15s} {pcol}  {min(cov):.4f} / {sum(cov) / len(cov):.4f}            "
            f"{sum(k.ligatures for k in checks):9d}  {sum(k.split_tokens for k in checks):5d}{flag}"
        )
    print(f"big300.pdf: {big_pages} pages")
    for c in chapters:
        lo_pages = page_count(out / c.name / "lo.pdf")
        print(f"  {c.name:32s} {len(c.blocks):4d} paragraphs  lo.pdf {lo_pages} pages  {c.title[:60]}")
    return ok and big_pages == BIG_PAGES


# --------------------------------------------------------------------------- main


def check_tools() -> None:
    present = {
        "libreoffice-help-vi": HELP_ROOT.is_dir(),
        "manpages-vi": MAN_ROOT.is_dir(),
        "poppler-utils": bool(shutil.which("pdftotext")),
        "fonts-dejavu-core": (DEJAVU / "DejaVuSerif.ttf").exists(),
        "fonts-noto-core": (NOTO / "NotoSerif-Regular.ttf").exists(),
    }
    missing = [package for package, ok in present.items() if not ok]
    if missing:
        sys.exit(
            f"missing Debian packages: apt-get install -y {' '.join(missing)} (all needed: {' '.join(APT_PACKAGES)})"
        )
    soffice_binary()


def build(out: Path, n_chapters: int = DEFAULT_CHAPTERS) -> bool:
    check_tools()
    chapters = select_chapters(n_chapters)
    out.mkdir(parents=True, exist_ok=True)
    src = out / "_sources"
    src.mkdir(exist_ok=True)
    for ch in chapters:
        (out / ch.name).mkdir(exist_ok=True)
        page = html_document(ch.title, chapter_html(ch.blocks))
        (src / f"{ch.name}.html").write_text(page, encoding="utf-8")
    gold = {c.name: c.gold for c in chapters}
    (out / "gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (src / "sources.json").write_text(json.dumps({c.name: c.sources for c in chapters}, indent=1) + "\n")
    print(f"rendering {len(chapters)} chapters with LibreOffice ...", flush=True)
    render_libreoffice(chapters, out, src)
    print("rendering PyMuPDF Story, Qt, pdftotext, pasted copies ...", flush=True)
    for ch in chapters:
        d = out / ch.name
        render_story(ch, d / "story2c.pdf")
        render_qt(ch, d / "qt.pdf")
        render_pdftotext(d / "lo.pdf", d / "pdftotext.txt")
        pasted = pasted_copy(pdf_visual_lines(d / "lo.pdf"), ch.gold, random.Random(f"{SEED}:{ch.name}"))
        (d / "pasted.txt").write_text(pasted, encoding="utf-8")
    print(f"rendering big300.pdf ({BIG_PAGES} pages) ...", flush=True)
    big = render_big(chapters, out / "big300.pdf")
    for pdf in [out / "big300.pdf", *(out / c.name / v for c in chapters for v in PDF_VARIANTS)]:
        normalize_pdf(pdf)
    return summarize(out, chapters, big)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", nargs="?", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--chapters", type=int, default=DEFAULT_CHAPTERS)
    args = ap.parse_args(argv)
    return 0 if build(args.out_dir, args.chapters) else 1


if __name__ == "__main__":
    sys.exit(main())
