"""The PDF report: the HTML report laid out by Qt's rich-text engine (QTextDocument) onto A4 or
Letter pages by QPdfWriter, with Noto Sans embedded (full Vietnamese coverage) and page numbers.

Why Qt and not PyMuPDF Story: Story drops or repeats text at page breaks in narrow table cells; Qt
splits long tables across pages cleanly and repeats their header row. Qt is imported only inside
`write_pdf`, so the core stays free of Qt at import time, and it runs headless (offscreen)."""

from __future__ import annotations

import os
from pathlib import Path

from app.core.errors import DoiChieuError
from app.core.export.html import render_html
from app.core.export.report import Report

# pymupdf-fonts: Noto Sans, and "Noto Sans Symbols2" for ✎ and ⚠ (the family name has no space)
FONTS = ("notos", "notosbo", "notosit", "notosbi", "symbol2")


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


def write_pdf(report: Report, out: Path) -> Path:
    from PySide6.QtCore import QMarginsF, QSizeF
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

    _qt_app()
    _load_fonts()
    size = QPageSize(QPageSize.PageSizeId.Letter if report.options.page_size == "letter" else QPageSize.PageSizeId.A4)
    writer = QPdfWriter(str(out))
    writer.setTitle(report.title)
    writer.setCreator("DoiChieu")
    writer.setResolution(300)
    # No margins of the writer's own: QTextDocument.print_ keeps 2 cm around the text and prints
    # the page number in the bottom one.
    writer.setPageLayout(
        QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    )
    doc = QTextDocument()
    font = QFont("Noto Sans")
    font.setPointSizeF(9)
    # No "ﬁ"/"ﬂ" ligatures: text copied or searched in the PDF must read "five", not "ﬁve".
    for tag in ("liga", "clig", "dlig"):
        font.setFeature(QFont.Tag(tag), 0)
    doc.setDefaultFont(font)
    doc.setHtml(render_html(report, print_layout=True))
    # Not paginated beforehand: QTextDocument.print_ then lays the text out on the writer's pages
    # itself and prints each page's number at the bottom.
    doc.setPageSize(QSizeF())
    doc.print_(writer)
    del writer  # closes the file
    if not out.exists() or out.stat().st_size == 0:
        raise PdfExportError(f"could not write {out}; check that the folder is writable")
    return out
