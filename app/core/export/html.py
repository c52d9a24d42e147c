"""The HTML report: one self-contained file (inline CSS, no script, no network), rendered by Jinja2
with autoescaping from `resources/templates/report.html.j2`."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from app.core.export.encode import link_target, visible_report
from app.core.export.notes import to_html
from app.core.export.report import Report
from app.core.safe_write import write_text
from app.resources import resource_path

TEMPLATE = "report.html.j2"
# In print layout, every CHUNK table rows or notes the template leaves `<!--page-chunk-->` (closing
# and reopening a table) and the PDF writer lays out each part as its own Qt document, starting on a
# new page: a bound on what one Qt layout holds. (Measured, 10,000 claims: 34.8 s CPU as one document,
# 33.2 s in parts of 400; what made the PDF fast was laying it out once, without collapsed borders or
# internal anchors, see pdf.py.)
CHUNK = 1000
PAGE_CHUNK = "<!--page-chunk-->"


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(resource_path("templates")),
        autoescape=True,  # every template, whatever its name: no text from a document or note is trusted
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["note_html"] = to_html
    env.filters["link_target"] = link_target
    return env


def render_html(report: Report, *, print_layout: bool = False, chunk: int = CHUNK) -> str:
    """The report as an HTML document. `print_layout` tunes sizes for paper (the PDF export)."""
    return _environment().get_template(TEMPLATE).render(report=visible_report(report), print=print_layout, chunk=chunk)


def write_html(report: Report, out: Path) -> Path:
    return write_text(out, render_html(report), encoding="utf-8")
