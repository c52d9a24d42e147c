"""The HTML report: one self-contained file (inline CSS, no script, no network), rendered by Jinja2
with autoescaping from `resources/templates/report.html.j2`."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import jinja2

from app.core.export.notes import to_html
from app.core.export.report import Report

TEMPLATE = "report.html.j2"


def resources_dir() -> Path:
    """`resources/` from a source checkout, or from a PyInstaller bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) / "resources" if frozen else Path(__file__).resolve().parents[3] / "resources"


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(resources_dir() / "templates"),
        autoescape=True,  # every template, whatever its name: no text from a document or note is trusted
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["note_html"] = to_html
    return env


def render_html(report: Report, *, print_layout: bool = False) -> str:
    """The report as an HTML document. `print_layout` tunes sizes for paper (the PDF export)."""
    return _environment().get_template(TEMPLATE).render(report=report, print=print_layout)


def write_html(report: Report, out: Path) -> Path:
    out.write_text(render_html(report), encoding="utf-8")
    return out
