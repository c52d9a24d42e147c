"""PDFs whose text layers hold what real producers write, for the glyph and legacy-font tests.

Every builder lays the same paragraphs out the same way (fixed words per line, a blank line between
paragraphs) so that each variant must give the same paragraphs as the Unicode original:
- `unicode`: each line drawn in one run of Noto Sans (the original);
- `nfd`: the same, decomposed (every accent a combining mark after its letter, as Canva writes);
- `fallback`: the main font (Times-Roman, built in, no Vietnamese letters) draws what it can and
  leaves gaps; the letters it lacks are drawn afterwards from Noto Sans at their places, as Word and
  LibreOffice do with a font that has no Vietnamese glyphs;
- `marks`: letters drawn without their accents, each accent drawn afterwards as a combining mark glyph;
- `nospace`: every glyph placed by position, no space characters in the text layer (pdfTeX, WPS,
  Microsoft Print to PDF);
- `tcvn3` / `vni`: the text encoded to TCVN3 / VNI bytes and drawn as the Windows-1252 characters
  those bytes are, in a font renamed ".VnTime" / "VNI-Times" (what a legacy-font PDF's text layer
  holds: "Céng hßa", "Coäng hoøa").
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pymupdf

from app.core.ingest.legacy_vn import encode_tcvn3, encode_vni

SIZE = 11.0
LEFT = 60.0
TOP = 80.0
PITCH = SIZE * 1.3
WORDS_PER_LINE = 8

_NOTO = pymupdf.Font("notos")
_TIMES = pymupdf.Font("tiro")


def _lines(paragraphs: list[str]) -> list[str | None]:
    """Lines of WORDS_PER_LINE words; None between paragraphs (a blank line)."""
    out: list[str | None] = []
    for para in paragraphs:
        words = para.split()
        for i in range(0, len(words), WORDS_PER_LINE):
            out.append(" ".join(words[i : i + WORDS_PER_LINE]))
        out.append(None)
    return out


def _put(page: pymupdf.Page, x: float, y: float, text: str, font: pymupdf.Font) -> None:
    tw = pymupdf.TextWriter(page.rect)
    tw.append((x, y), text, font=font, fontsize=SIZE)
    tw.write_text(page)


def _draw_line(page: pymupdf.Page, y: float, line: str, variant: str, left: float = LEFT) -> None:
    if variant == "unicode":
        _put(page, left, y, line, _NOTO)
        return
    if variant == "nfd":  # decomposed text: each mark follows its letter in the stream
        _put(page, left, y, unicodedata.normalize("NFD", line), _NOTO)
        return
    if variant == "fallback":
        later: list[tuple[float, str]] = []
        run, run_x, x = "", left, left
        for ch in line:
            if _TIMES.has_glyph(ord(ch)):
                if not run:
                    run_x = x
                run += ch
                x += _TIMES.text_length(ch, fontsize=SIZE)
            else:
                if run:
                    _put(page, run_x, y, run, _TIMES)
                    run = ""
                later.append((x, ch))
                x += _NOTO.text_length(ch, fontsize=SIZE)
        if run:
            _put(page, run_x, y, run, _TIMES)
        for fx, ch in later:  # drawn after the line: PyMuPDF reads them as lines of their own
            _put(page, fx, y, ch, _NOTO)
        return
    if variant == "marks":
        later = []
        x = left
        base_text = ""
        for ch in line:
            decomposed = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))
            marks = [c for c in decomposed if unicodedata.combining(c)]
            width = _NOTO.text_length(base, fontsize=SIZE)
            for mark in marks:
                later.append((x + width * 0.25, mark))
            base_text += base
            x += width
        _put(page, left, y, base_text, _NOTO)
        for fx, mark in later:
            _put(page, fx, y, mark, _NOTO)
        return
    if variant == "nospace":
        x = left
        tw = pymupdf.TextWriter(page.rect)
        for ch in line:
            width = _NOTO.text_length(ch, fontsize=SIZE)
            if not ch.isspace():
                tw.append((x, y), ch, font=_NOTO, fontsize=SIZE)
            x += width
        tw.write_text(page)
        return
    encode = {"tcvn3": encode_tcvn3, "vni": encode_vni}[variant]
    _put(page, left, y, encode(line).decode("cp1252"), _NOTO)


def _rename_fonts(path: Path, name: str) -> None:
    """Give every font in the file the PostScript name `name` (what the text layer reports)."""
    doc = pymupdf.open(path)
    for xref in range(1, doc.xref_length()):
        kind = doc.xref_get_key(xref, "Type")
        if kind == ("name", "/Font"):
            doc.xref_set_key(xref, "BaseFont", f"/ABCDEF+{name}")
        elif kind == ("name", "/FontDescriptor"):
            doc.xref_set_key(xref, "FontName", f"/ABCDEF+{name}")
    doc.save(path.with_suffix(".tmp.pdf"))
    doc.close()
    path.with_suffix(".tmp.pdf").replace(path)


def variant_pdf(
    path: Path, paragraphs: list[str], variant: str, *, font_name: str | None = None, shadow: bool = False
) -> Path:
    """`paragraphs` drawn as `variant` (see the module doc); `font_name` renames the fonts (legacy
    variants default to .VnTime / VNI-Times); `shadow` draws every line twice, the second time
    0.6 pt to the right (Word's fake bold and shadow effects)."""
    doc = pymupdf.open()
    page = doc.new_page()
    y = TOP
    for line in _lines(paragraphs):
        if y > page.rect.height - 80:
            page = doc.new_page()
            y = TOP
        if line is not None:
            _draw_line(page, y, line, variant)
            if shadow:
                _draw_line(page, y, line, variant, LEFT + 0.6)
        y += PITCH
    doc.save(path)
    doc.close()
    name = font_name or {"tcvn3": ".VnTime", "vni": "VNI-Times"}.get(variant)
    if name:
        _rename_fonts(path, name)
    return path


def actual_text_pdf(path: Path, drawn: str, actual: str, *, pages: int = 1, on: tuple[int, ...] = (0,)) -> Path:
    """`pages` pages, each with one line drawn as `drawn` (+ its page number) and a plain line below;
    on the pages in `on` (0-based) the first line is wrapped in marked content whose /ActualText says
    `actual` (what an Illustrator file does to whole pages)."""
    doc = pymupdf.open()
    for n in range(pages):
        page = doc.new_page()
        _put(page, LEFT, TOP, f"{drawn} {n + 1}", _NOTO)
        _put(page, LEFT, TOP + 3 * PITCH, "Dòng này không bị thay thế.", _NOTO)
        if n not in on:
            continue
        xrefs = page.get_contents()
        first = doc.xref_stream(xrefs[0])
        hex_actual = (b"\xfe\xff" + actual.encode("utf-16-be")).hex().upper().encode()
        wrapped = b"/Span <</ActualText <" + hex_actual + b">>> BDC\n" + first + b"\nEMC\n"
        doc.update_stream(xrefs[0], wrapped)
    doc.save(path)
    doc.close()
    return path


def odd_chars_pdf(path: Path, lines: list[str], remap: dict[str, str] | None = None) -> Path:
    """Lines drawn with Noto Sans as given (look-alikes and zero-width code points go into the text
    layer as they are); `remap` changes what the font's ToUnicode map says a drawn character is
    (e.g. "•" -> U+F0B7, the private-use code a Wingdings/Symbol bullet has in Word's PDFs)."""
    doc = pymupdf.open()
    page = doc.new_page()
    for i, line in enumerate(lines):
        _put(page, LEFT, TOP + i * 2 * PITCH, line, _NOTO)
    for drawn, said in (remap or {}).items():
        for xref in range(1, doc.xref_length()):
            kind, value = doc.xref_get_key(xref, "ToUnicode")
            if kind != "xref":
                continue
            cmap_xref = int(value.split()[0])
            gid = _NOTO.has_glyph(ord(drawn))
            entry = f"1 beginbfchar\n<{gid:04x}> <{ord(said):04x}>\nendbfchar\nendcmap".encode()
            cmap = doc.xref_stream(cmap_xref).replace(b"endcmap", entry, 1)  # a later entry wins
            doc.update_stream(cmap_xref, cmap)
    doc.save(path)
    doc.close()
    return path


def letter_spaced_pdf(path: Path, heading: str, paragraphs: list[str], *, tracking: float = 0.3) -> Path:
    """A heading drawn letter by letter with `tracking` font sizes between the letters and no space
    characters (Word's expanded character spacing), then `paragraphs` as in `variant_pdf`."""
    doc = pymupdf.open()
    page = doc.new_page()
    size = 14.0
    tw = pymupdf.TextWriter(page.rect)
    x = LEFT
    for ch in heading:
        if not ch.isspace():
            tw.append((x, TOP), ch, font=_NOTO, fontsize=size)
        x += _NOTO.text_length(ch, fontsize=size) + tracking * size
    tw.write_text(page)
    y = TOP + 3 * PITCH
    for line in _lines(paragraphs):
        if line is not None:
            _draw_line(page, y, line, "unicode")
        y += PITCH
    doc.save(path)
    doc.close()
    return path
