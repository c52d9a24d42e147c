"""The Word report (python-docx): per document a three-column table (# | Tiếng Việt | English), claims
as runs shaded in their tag colour with a superscript note number, and the numbered notes at the end
(Word's own footnotes are not reachable from python-docx; numbered end notes read the same)."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from app.core.export.notes import parse
from app.core.export.pieces import Piece
from app.core.export.report import ClaimNote, Report, Row, Section

PAGE_MM = {"a4": (210, 297), "letter": (215.9, 279.4)}
EDITED_FILL = "EAF2FB"
GREY = RGBColor(0x77, 0x77, 0x77)
WARN = RGBColor(0xB0, 0x3A, 0x00)


def _shade(parent: OxmlElement, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill.lstrip("#").upper())
    parent.append(shd)


def _fill(color: str) -> str:
    """#rgb -> RRGGBB (colours were checked by `safe_color`)."""
    c = color.lstrip("#")
    return (c if len(c) == 6 else "".join(ch * 2 for ch in c)).upper()


def _run(
    para: Paragraph,
    text: str,
    *,
    fill: str | None = None,
    bold: bool = False,
    italic: bool = False,
    color: RGBColor | None = None,
    size: float | None = None,
    superscript: bool = False,
) -> None:
    run = para.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    run.font.superscript = superscript or None
    if color is not None:
        run.font.color.rgb = color
    if size is not None:
        run.font.size = Pt(size)
    if fill:
        _shade(run._r.get_or_add_rPr(), _fill(fill))


def _field(para: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice compute when they lay the pages out."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    for tag, value in (("w:color", "777777"), ("w:sz", "16")):
        prop = OxmlElement(tag)
        prop.set(qn("w:val"), value)
        props.append(prop)
    text = OxmlElement("w:t")
    text.text = "1"  # shown until the reader updates fields
    run.append(props)
    run.append(text)
    field.append(run)
    para._p.append(field)


def _page_numbers(section: object) -> None:
    para = section.footer.paragraphs[0]  # type: ignore[attr-defined]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(para, "Page ", color=GREY, size=8)
    _field(para, "PAGE")
    _run(para, " of ", color=GREY, size=8)
    _field(para, "NUMPAGES")


def _pieces(para: Paragraph, pieces: tuple[Piece, ...], bold: bool = False) -> None:
    for p in pieces:
        if p.text:
            _run(para, p.text, fill=p.color, bold=bold)
        for n in p.notes:
            _run(para, f"[{n}]", superscript=True, color=RGBColor(0x1F, 0x4E, 0x8C))


def _cell_fill(cell: _Cell, fill: str) -> None:
    _shade(cell._tc.get_or_add_tcPr(), fill)


def _top_border(cell: _Cell) -> None:
    """A heavier line above the first sentence of each paragraph."""
    borders = OxmlElement("w:tcBorders")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "0"), ("w:color", "8C8C8C")):
        top.set(qn(key), value)
    borders.append(top)
    cell._tc.get_or_add_tcPr().append(borders)


def _repeat_header(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _widths(table: object, mm: list[float]) -> None:
    """Column widths for Word (cell widths) and LibreOffice (the table grid)."""
    table.autofit = False  # type: ignore[attr-defined]
    for column, width in zip(table.columns, mm, strict=True):  # type: ignore[attr-defined]
        column.width = Mm(width)
    for row in table.rows:  # type: ignore[attr-defined]
        for cell, width in zip(row.cells, mm, strict=True):
            cell.width = Mm(width)


def _row(table: object, row: Row) -> None:
    cells = table.add_row().cells  # type: ignore[attr-defined]
    num = cells[0].paragraphs[0]
    _run(num, str(row.number), color=GREY, size=8)
    _pieces(cells[1].paragraphs[0], row.vi, bold=row.paragraph_kind == "heading")
    en = cells[2].paragraphs[0]
    if row.en_text:
        _pieces(en, row.en)
    else:
        _run(en, "not translated yet", italic=True, color=GREY)
    if row.edited:
        _run(en, " ✎ edited by hand", color=RGBColor(0x1F, 0x4E, 0x8C), size=8)
        _cell_fill(cells[2], EDITED_FILL)
    if row.kind == "copy":
        _run(en, " (English in the source)", color=GREY, size=8)
    if row.flags:
        _run(en, " ⚠ " + ", ".join(row.flags), color=WARN, size=8)
    if row.new_paragraph:
        for cell in cells:
            _top_border(cell)


def _section(doc: object, section: Section, index: int | None, text_mm: float) -> None:
    title = f"{index}. {section.title}" if index else section.title
    doc.add_heading(title, level=1)  # type: ignore[attr-defined]
    meta = doc.add_paragraph()  # type: ignore[attr-defined]
    _run(
        meta,
        f"Source file: {section.source_path or '(pasted text)'} · imported {section.imported_at[:10]} · "
        f"{section.sentence_count} sentences",
        color=GREY,
        size=8,
    )
    meta.add_run().add_break(WD_BREAK.LINE)
    if section.untranslated:
        _run(meta, "Not translated yet: the English column is empty.", color=WARN, size=9)
    else:
        models = ", ".join(section.models) or "no machine translation"
        extra = f" · ✎ {section.human} edited by hand" if section.human else ""
        extra += f" · ⚠ {section.flagged} flagged" if section.flagged else ""
        _run(
            meta,
            f"Translation: {models} · {section.translated} of {section.sentence_count} in English{extra}",
            color=GREY,
            size=8,
        )
    table = doc.add_table(rows=1, cols=3)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, ("#", "Tiếng Việt", "English"), strict=True):
        _run(cell.paragraphs[0], label, bold=True)
        _cell_fill(cell, "ECECEC")
    _repeat_header(table.rows[0])
    previous = 0
    for row in section.rows:
        if row.number != previous + 1 and previous:
            gap = table.add_row().cells
            gap[0].merge(gap[2]).paragraphs[0].add_run("⋯")
        _row(table, row)
        previous = row.number
    half = (text_mm - 10) / 2
    _widths(table, [10, half, half])


def _summary(doc: object, report: Report, text_mm: float) -> None:
    doc.add_heading(f"Claims ({len(report.claims)})", level=1)  # type: ignore[attr-defined]
    if not report.claims:
        doc.add_paragraph("No claims.")  # type: ignore[attr-defined]
        return
    table = doc.add_table(rows=1, cols=6)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for cell, label in zip(
        table.rows[0].cells, ("#", "Document", "Tiếng Việt", "English", "Tags", "Verdict"), strict=True
    ):
        _run(cell.paragraphs[0], label, bold=True, size=9)
        _cell_fill(cell, "ECECEC")
    _repeat_header(table.rows[0])
    for c in report.claims:
        cells = table.add_row().cells
        _run(cells[0].paragraphs[0], str(c.number), size=9)
        _run(cells[1].paragraphs[0], c.document_title + (f" (sentence {c.sentences})" if c.sentences else ""), size=8)
        _run(cells[2].paragraphs[0], c.vi, fill=c.color, size=9)
        _run(cells[3].paragraphs[0], c.en or "not translated yet", size=9, italic=not c.en)
        for i, tag in enumerate(c.tags):
            _run(cells[4].paragraphs[0], (" " if i else "") + tag.name, fill=tag.color, size=8)
        _run(cells[5].paragraphs[0], c.verdict, bold=True, size=9)
    rest = text_mm - 10 - 30 - 22 - 20
    _widths(table, [10, 30, rest / 2, rest / 2, 22, 20])


def _note(doc: object, c: ClaimNote) -> None:
    head = doc.add_paragraph()  # type: ignore[attr-defined]
    _run(head, f"[{c.number}] ", bold=True)
    _run(head, f"{c.document_title}" + (f", sentence {c.sentences}" if c.sentences else "") + " · ", color=GREY)
    _run(head, c.verdict, bold=True)
    for tag in c.tags:
        _run(head, " ")
        _run(head, tag.name, fill=tag.color, size=9)
    if c.status != "attached":
        _run(head, " · its words are gone from the current text", color=WARN)
    quote = doc.add_paragraph()  # type: ignore[attr-defined]
    _run(quote, "“")
    _run(quote, c.vi, fill=c.color)
    _run(quote, "”")
    quote.add_run().add_break(WD_BREAK.LINE)
    if c.en:
        _run(quote, f"“{c.en}”" + (" (English span chosen by hand)" if c.en_custom else ""))
    else:
        _run(quote, "not translated yet", italic=True, color=GREY)
    if c.en_status == "orphaned":
        _run(quote, " — the English changed since this span was chosen: check it", color=WARN)
    for para in parse(c.note):
        p = doc.add_paragraph()  # type: ignore[attr-defined]
        for r in para:
            _run(p, f"{r.text} <{r.href}>" if r.href else r.text, bold=r.bold, italic=r.italic)
    for e in c.evidence:
        p = doc.add_paragraph()  # type: ignore[attr-defined]
        _run(p, "Evidence: ", bold=True)
        _run(p, " · ".join(x for x in (e.url, e.citation) if x))
        if e.quote:
            _run(p, f" — “{e.quote}”", italic=True)
        if e.note:
            _run(p, f" ({e.note})", color=GREY)


def write_docx(report: Report, out: Path) -> Path:
    doc = Document()
    width, height = PAGE_MM[report.options.page_size]
    margin = 15
    for sec in doc.sections:
        sec.page_width, sec.page_height = Mm(width), Mm(height)
        sec.left_margin = sec.right_margin = sec.top_margin = sec.bottom_margin = Mm(margin)
        _page_numbers(sec)
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"  # on every Windows/macOS, with all Vietnamese letters; LibreOffice maps it
    normal.font.size = Pt(10)
    doc.core_properties.title = report.title
    doc.core_properties.author = "DoiChieu"
    doc.add_heading(report.title, level=0)
    options = report.options
    meta = f"Bilingual report made by DoiChieu on {report.generated}"
    meta += " · only sentences with claims" if options.only_claims else ""
    meta += " · notes left out" if not options.include_notes else ""
    _run(doc.add_paragraph(), meta, color=GREY, size=9)
    _run(
        doc.add_paragraph(),
        "Shaded: a claim, in its tag’s colour, with its note number. "
        "✎ English edited by hand (cell shaded blue). ⚠ machine translation flagged for review.",
        size=9,
    )
    text_mm = width - 2 * margin
    _summary(doc, report, text_mm)
    many = len(report.sections) > 1
    for i, section in enumerate(report.sections, start=1):
        _section(doc, section, i if many else None, text_mm)
    if report.claims:
        doc.add_heading("Notes", level=1)
        for c in report.claims:
            _note(doc, c)
    doc.save(str(out))
    return out
