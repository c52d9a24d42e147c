"""The PDF report: the HTML report laid out by Qt's rich-text engine (QTextDocument) onto A4 or
Letter pages by QPdfWriter, with Noto Sans embedded (full Vietnamese coverage) and page numbers.

Why Qt and not PyMuPDF Story: Story drops or repeats text at page breaks in narrow table cells; Qt
splits long tables across pages cleanly and repeats their header row. Qt is imported only inside
`write_pdf`, so the core stays free of Qt at import time, and it runs headless (offscreen)."""

from __future__ import annotations

import os
from pathlib import Path

from app.core.errors import DoiChieuError
from app.core.export.encode import REPLACEMENT, visible_report
from app.core.export.html import PAGE_CHUNK, render_html
from app.core.export.report import Report
from app.core.safe_write import atomic_path

# pymupdf-fonts: Noto Sans, and "Noto Sans Symbols2" for ✎ and ⚠ (the family name has no space)
FONTS = ("notos", "notosbo", "notosit", "notosbi", "symbol2")


PDF_REPLACEMENT = "\u2426"  # ␦, drawn from the shipped Noto Sans Symbols2


class PdfExportError(DoiChieuError):
    pass


def _qt_app() -> object:
    """The running Qt application, or a headless one for the CLI and tests.

    A QApplication, not a QGuiApplication: Qt allows one application object per process, and a
    later window (the GUI, or GUI tests in the same run) needs the widgets kind."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QApplication(["doichieu-export"])
    return app


def _load_fonts() -> None:
    import pymupdf_fonts
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QFontDatabase

    if "Noto Sans" in QFontDatabase.families() and "Noto Sans Symbols2" in QFontDatabase.families():
        return
    for name in FONTS:
        if QFontDatabase.addApplicationFontFromData(QByteArray(pymupdf_fonts.myfont(name))) < 0:
            raise PdfExportError(f"could not load the font {name!r} for the PDF; reinstall DoiChieu")


def _screen_dpi() -> float:
    from PySide6.QtGui import QGuiApplication

    screen = QGuiApplication.primaryScreen()
    return float(screen.logicalDotsPerInchY()) if screen is not None else 96.0


def write_pdf(report: Report, out: Path) -> Path:
    """The report as a PDF at `out`, written through `safe_write` (no partial file on failure)."""
    report = visible_report(report)
    html = render_html(report, print_layout=True)
    with atomic_path(out) as tmp:
        _print(html, report.title, report.options.page_size, tmp)
        _check_complete(tmp, out)
    return out


def _check_complete(path: Path, out: Path) -> None:
    """Qt reports no write error (a full disk, a file size limit): a PDF must end with %%EOF."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        fh.seek(max(0, size - 64))
        tail = fh.read()
    if size == 0 or b"%%EOF" not in tail:
        raise PdfExportError(f"could not write {out} completely; check the free space and that the folder is writable")


def chunks(html: str) -> list[str]:
    """The print HTML cut at its `<!--page-chunk-->` marks into standalone documents (each part gets
    the report's <head>, so the same styles apply)."""
    parts = html.split(PAGE_CHUNK)
    if len(parts) == 1:
        return parts
    head = html[: html.index("<body>") + len("<body>")]
    return [parts[0] + "</body></html>", *(head + p + "</body></html>" for p in parts[1:-1]), head + parts[-1]]


def _print(html: str, title: str, page_size: str, path: Path) -> None:
    """Lays the report out at the writer's resolution, on pages with 2 cm margins, and paints each
    page with its number at the bottom right, as `QTextDocument.print_` does, but part by part
    (`chunks`: each part starts on a new page) and without the copy of the whole document `print_`
    makes and lays out a second time. Without that copy, collapsed borders and internal anchors (the
    template leaves both out in print), 10,000 claims took 34.8 s of CPU instead of not finishing."""
    from PySide6.QtCore import QMarginsF, QRectF, Qt
    from PySide6.QtGui import (
        QAbstractTextDocumentLayout,
        QFont,
        QPageLayout,
        QPageSize,
        QPainter,
        QPalette,
        QPdfWriter,
        QTextDocument,
    )

    _qt_app()
    _load_fonts()
    size = QPageSize(QPageSize.PageSizeId.Letter if page_size == "letter" else QPageSize.PageSizeId.A4)
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("DoiChieu")
    writer.setResolution(300)
    writer.setPageLayout(
        QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    )
    font = QFont("Noto Sans")
    font.setPointSizeF(9)
    # No "ﬁ"/"ﬂ" ligatures: text copied or searched in the PDF must read "five", not "ﬁve".
    for tag in ("liga", "clig", "dlig"):
        font.setFeature(QFont.Tag(tag), 0)
    dpi = writer.logicalDpiY()
    # 2 cm, as QTextDocument.print_: given in screen units, the layout scales them to the writer's
    source_dpi = _screen_dpi()
    doc_margin = int(2 / 2.54 * source_dpi)
    margin = doc_margin * dpi / source_dpi
    body = QRectF(0, 0, writer.width(), writer.height())
    painter = QPainter()
    if not painter.begin(writer):
        raise PdfExportError(f"could not write {path.name}; check that the folder is writable")
    try:
        painter.setFont(font)
        number_y = body.height() - margin + painter.fontMetrics().ascent() + 5 * dpi / 72.0
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, Qt.GlobalColor.black)
        page = 0
        # Qt writes U+FFFD into the PDF's text layer as a control character: the PDF shows the
        # characters XML forbids (see encode.visible) as "␦" (U+2426, SYMBOL FOR SUBSTITUTE FORM TWO).
        for part in chunks(html.replace(REPLACEMENT, PDF_REPLACEMENT)):
            doc = QTextDocument()
            doc.setDefaultFont(font)
            layout = doc.documentLayout()
            layout.setPaintDevice(writer)
            # Page size and margin before the text: each change after it lays the whole part out again.
            doc.setPageSize(body.size())
            doc.setDocumentMargin(doc_margin)
            doc.setHtml(part)
            for index in range(doc.pageCount()):
                if page:
                    writer.newPage()
                page += 1
                view = QRectF(0, index * body.height(), body.width(), body.height())
                painter.save()
                painter.translate(0, -view.top())
                painter.setClipRect(view)
                context.clip = view
                layout.draw(painter, context)
                painter.setClipping(False)
                painter.setFont(font)
                label = str(page)
                painter.drawText(
                    round(body.width() - margin - painter.fontMetrics().horizontalAdvance(label)),
                    round(number_y + view.top()),
                    label,
                )
                painter.restore()
            del doc
    finally:
        painter.end()
    del writer  # closes the file
