"""The Word report (python-docx): per document a three-column table (# | Tiếng Việt | English), claims
as runs shaded in their tag colour with a superscript note number, and the numbered notes at the end
(Word's own footnotes are not reachable from python-docx; numbered end notes read the same).

Rows, cells, paragraphs and runs are built as WordprocessingML elements directly: python-docx's
`add_paragraph`/`add_row`/`add_run` look for their place among all earlier siblings each time, which
made a 3,000-claim report take minutes (quadratic). Text goes through `encode.visible` first: XML
forbids control characters, and python-docx refused them with a ValueError."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from app.core.export.encode import visible, visible_report
from app.core.export.notes import parse
from app.core.export.pieces import Piece
from app.core.export.report import ClaimNote, Report, Row, Section
from app.core.safe_write import atomic_path

PAGE_MM = {"a4": (210, 297), "letter": (215.9, 279.4)}
EDITED_FILL = "EAF2FB"
GREY = RGBColor(0x77, 0x77, 0x77)
WARN = RGBColor(0xB0, 0x3A, 0x00)
LINK = RGBColor(0x1F, 0x4E, 0x8C)
OK = RGBColor(0x1E, 0x7B, 0x45)


def _el(tag: str, **attrs: str) -> BaseOxmlElement:
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    return element


def _shade(parent: BaseOxmlElement, fill: str) -> None:
    parent.append(_el("w:shd", val="clear", color="auto", fill=fill.lstrip("#").upper()))


def _fill(color: str) -> str:
    """#rgb -> RRGGBB (colours were checked by `safe_color`)."""
    c = color.lstrip("#")
    return (c if len(c) == 6 else "".join(ch * 2 for ch in c)).upper()


def _r(
    text: str,
    *,
    fill: str | None = None,
    bold: bool = False,
    italic: bool = False,
    color: RGBColor | None = None,
    size: float | None = None,
    superscript: bool = False,
) -> BaseOxmlElement:
    """A run (w:r): its properties in the schema's order, then the text (tabs and line breaks as
    w:tab and w:br, as python-docx's `run.text` writes them)."""
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    if bold:
        props.append(_el("w:b"))
    if italic:
        props.append(_el("w:i"))
    if color is not None:
        props.append(_el("w:color", val=str(color)))
    if size is not None:
        half_points = str(round(size * 2))
        props.append(_el("w:sz", val=half_points))
        props.append(_el("w:szCs", val=half_points))
    if fill:
        _shade(props, _fill(fill))
    if superscript:
        props.append(_el("w:vertAlign", val="superscript"))
    if len(props):
        run.append(props)
    for i, line in enumerate(visible(text).split("\n")):
        if i:
            run.append(OxmlElement("w:br"))
        for j, chunk in enumerate(line.split("\t")):
            if j:
                run.append(OxmlElement("w:tab"))
            if chunk:
                t = OxmlElement("w:t")
                t.text = chunk
                if chunk != chunk.strip():
                    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                run.append(t)
    return run


def _run(
    para: Paragraph | BaseOxmlElement,
    text: str,
    *,
    fill: str | None = None,
    bold: bool = False,
    italic: bool = False,
    color: RGBColor | None = None,
    size: float | None = None,
    superscript: bool = False,
) -> None:
    p = para._p if isinstance(para, Paragraph) else para
    p.append(_r(text, fill=fill, bold=bold, italic=italic, color=color, size=size, superscript=superscript))


def _line_break(p: BaseOxmlElement) -> None:
    run = OxmlElement("w:r")
    run.append(OxmlElement("w:br"))
    p.append(run)


class _Body:
    """Appends paragraphs to the document body in O(1) each (before its final w:sectPr)."""

    def __init__(self, doc: object) -> None:
        self.body = doc.element.body  # type: ignore[attr-defined]
        self.anchor = self.body.sectPr

    def add(self, element: BaseOxmlElement) -> BaseOxmlElement:
        if self.anchor is not None:
            self.anchor.addprevious(element)
        else:
            self.body.append(element)
        return element

    def paragraph(self) -> BaseOxmlElement:
        return self.add(OxmlElement("w:p"))


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


def _pieces(p: BaseOxmlElement, pieces: tuple[Piece, ...], bold: bool = False) -> None:
    for piece in pieces:
        if piece.text:
            _run(p, piece.text, fill=piece.color, bold=bold)
        for n in piece.notes:
            _run(p, f"[{n}]", superscript=True, color=LINK)


def _twips(mm: float) -> str:
    return str(round(mm * 1440 / 25.4))


def _cell(
    tr: BaseOxmlElement, width_mm: float, *, fill: str | None = None, top: bool = False, span: int = 1
) -> BaseOxmlElement:
    """A new cell at the end of the row; returns its paragraph."""
    tc = OxmlElement("w:tc")
    props = OxmlElement("w:tcPr")
    props.append(_el("w:tcW", w=_twips(width_mm), type="dxa"))
    if span > 1:
        props.append(_el("w:gridSpan", val=str(span)))
    if top:  # a heavier line above the first sentence of each paragraph
        borders = OxmlElement("w:tcBorders")
        borders.append(_el("w:top", val="single", sz="12", space="0", color="8C8C8C"))
        props.append(borders)
    if fill:
        _shade(props, fill)
    tc.append(props)
    p = OxmlElement("w:p")
    tc.append(p)
    tr.append(tc)
    return p


def _table(doc: object, labels: Sequence[str], widths: Sequence[float], size: float | None = None) -> BaseOxmlElement:
    """A "Table Grid" table with fixed column widths and a header row repeated on every page."""
    table = doc.add_table(rows=0, cols=len(labels))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
    tbl = table._tbl
    tr = OxmlElement("w:tr")
    tr_pr = OxmlElement("w:trPr")
    tr_pr.append(_el("w:tblHeader", val="true"))
    tr.append(tr_pr)
    for label, width in zip(labels, widths, strict=True):
        _run(_cell(tr, width, fill="ECECEC"), label, bold=True, size=size)
    tbl.append(tr)
    return tbl


def _row(tbl: BaseOxmlElement, row: Row, widths: Sequence[float]) -> None:
    tr = OxmlElement("w:tr")
    top = row.new_paragraph
    _run(_cell(tr, widths[0], top=top), str(row.number), color=GREY, size=8)
    vi = _cell(tr, widths[1], top=top)
    _pieces(vi, row.vi, bold=row.paragraph_kind == "heading")
    if row.ocr:  # read by OCR with low confidence (issue 17)
        _run(vi, " ⚠ " + row.ocr, color=WARN, size=8)
    en = _cell(tr, widths[2], top=top, fill=EDITED_FILL if row.edited else None)
    if row.en_text:
        _pieces(en, row.en)
    else:
        _run(en, "not translated yet", italic=True, color=GREY)
    if row.reviewed:
        _run(en, " ✓ reviewed", color=OK, size=8)
    if row.edited:
        _run(en, " ✎ edited by hand", color=LINK, size=8)
    if row.kind == "copy":
        _run(en, " (English in the source)", color=GREY, size=8)
    if row.flags:
        _run(en, " ⚠ " + "; ".join(row.flags), color=WARN, size=8)
    tbl.append(tr)


def _section(doc: object, body: _Body, section: Section, index: int | None, text_mm: float) -> None:
    title = f"{index}. {section.title}" if index else section.title
    doc.add_heading(visible(title), level=1)  # type: ignore[attr-defined]
    meta = body.paragraph()
    _run(
        meta,
        f"Source file: {section.source_path or '(pasted text)'} · imported {section.imported_at[:10]} · "
        f"{section.sentence_count} sentences",
        color=GREY,
        size=8,
    )
    _line_break(meta)
    known = (("Source", section.source_url), ("Author", section.author), ("Published", section.published))
    facts = [f"{label}: {value}" for label, value in known if value]
    if facts:
        _run(meta, " · ".join(facts), color=GREY, size=8)
        _line_break(meta)
    if section.untranslated:
        _run(meta, "Not translated yet: the English column is empty.", color=WARN, size=9)
    else:
        models = ", ".join(section.models) or "no machine translation"
        extra = f" · {section.unreviewed} machine, not reviewed" if section.unreviewed else ""
        extra += f" · ✓ {section.reviewed} reviewed" if section.reviewed else ""
        extra += f" · ✎ {section.human} edited by hand" if section.human else ""
        extra += f" · ⚠ {section.flagged} flagged" if section.flagged else ""
        _run(
            meta,
            f"Translation: {models} · {section.translated} of {section.sentence_count} in English{extra}",
            color=GREY,
            size=8,
        )
    if section.ocr:  # read by OCR (issue 17)
        _line_break(meta)
        _run(meta, section.ocr, color=WARN, size=8)
    half = (text_mm - 10) / 2
    widths = [10, half, half]
    tbl = _table(doc, ("#", "Tiếng Việt", "English"), widths)
    previous = 0
    for row in section.rows:
        if row.number != previous + 1 and previous:
            gap = OxmlElement("w:tr")
            _run(_cell(gap, text_mm, span=3), "⋯")
            tbl.append(gap)
        _row(tbl, row, widths)
        previous = row.number


def _summary(doc: object, body: _Body, report: Report, text_mm: float) -> None:
    doc.add_heading(f"Claims ({len(report.claims)})", level=1)  # type: ignore[attr-defined]
    if not report.claims:
        _run(body.paragraph(), "No claims.")
        return
    rest = text_mm - 10 - 30 - 22 - 20
    widths = [10, 30, rest / 2, rest / 2, 22, 20]
    tbl = _table(doc, ("#", "Document", "Tiếng Việt", "English", "Tags", "Verdict"), widths, size=9)
    for c in report.claims:
        tr = OxmlElement("w:tr")
        _run(_cell(tr, widths[0]), str(c.number), size=9)
        _run(_cell(tr, widths[1]), c.document_title + (f" (sentence {c.sentences})" if c.sentences else ""), size=8)
        _run(_cell(tr, widths[2]), c.vi, fill=c.color, size=9)
        _run(_cell(tr, widths[3]), c.en or "not translated yet", size=9, italic=not c.en)
        tags = _cell(tr, widths[4])
        for i, tag in enumerate(c.tags):
            _run(tags, (" " if i else "") + tag.name, fill=tag.color, size=8)
        _run(_cell(tr, widths[5]), c.verdict, bold=True, size=9)
        tbl.append(tr)


def _note(body: _Body, c: ClaimNote) -> None:
    head = body.paragraph()
    _run(head, f"[{c.number}] ", bold=True)
    _run(head, f"{c.document_title}" + (f", sentence {c.sentences}" if c.sentences else "") + " · ", color=GREY)
    _run(head, c.verdict, bold=True)
    for tag in c.tags:
        _run(head, " ")
        _run(head, tag.name, fill=tag.color, size=9)
    if c.status != "attached":
        _run(head, " · its words are gone from the current text", color=WARN)
    if c.ocr:  # quoted from text read by OCR with low confidence (issue 17)
        _run(head, " · ⚠ " + c.ocr, color=WARN)
    quote = body.paragraph()
    _run(quote, "“")
    _run(quote, c.vi, fill=c.color)
    _run(quote, "”")
    _line_break(quote)
    if c.en:
        _run(quote, f"“{c.en}”" + (" (English span chosen by hand)" if c.en_custom else ""))
    else:
        _run(quote, "not translated yet", italic=True, color=GREY)
    if c.en_status == "orphaned":
        _run(quote, " — the English changed since this span was chosen: check it", color=WARN)
    for para in parse(c.note):
        p = body.paragraph()
        for r in para:
            _run(p, f"{r.text} <{r.href}>" if r.href else r.text, bold=r.bold, italic=r.italic)
    for e in c.evidence:
        p = body.paragraph()
        _run(p, "Evidence: ", bold=True)
        _run(p, " · ".join(x for x in (e.url, e.citation) if x))
        if e.quote:
            _run(p, f" — “{e.quote}”", italic=True)
        if e.note:
            _run(p, f" ({e.note})", color=GREY)


def write_docx(report: Report, out: Path) -> Path:
    """The report as a Word document at `out`, written through `safe_write` (no partial file)."""
    report = visible_report(report)
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
    doc.core_properties.title = report.title[:255]
    doc.core_properties.author = "DoiChieu"
    doc.add_heading(report.title, level=0)
    body = _Body(doc)
    options = report.options
    meta = f"Bilingual report made by DoiChieu on {report.generated}"
    meta += " · only sentences with claims" if options.only_claims else ""
    meta += " · notes left out" if not options.include_notes else ""
    _run(body.paragraph(), meta, color=GREY, size=9)
    _run(
        body.paragraph(),
        "Shaded: a claim, in its tag’s colour, with its note number. "
        "English with no mark: machine translation, not reviewed. ✓ machine translation reviewed (accepted "
        "unchanged). ✎ English edited by hand (cell shaded blue). ⚠ machine translation flagged for review."
        + (
            " ⚠ beside the Vietnamese: read by OCR with a low confidence, compare it with the scan."
            if report.read_by_ocr
            else ""
        ),
        size=9,
    )
    text_mm = width - 2 * margin
    _summary(doc, body, report, text_mm)
    many = len(report.sections) > 1
    for i, section in enumerate(report.sections, start=1):
        _section(doc, body, section, i if many else None, text_mm)
    if report.claims:
        doc.add_heading("Notes", level=1)
        for c in report.claims:
            _note(body, c)
    with atomic_path(out) as tmp:
        doc.save(str(tmp))
    return out
