"""Layout repair: broken lines in, real paragraphs out, with a list of every change made.

Pure functions. Text copied from PDFs and web pages goes through `repair_text`; PDFs parsed with
geometry go through `repair_pdf`. Both return `(paragraphs, repairs)`.
"""

from __future__ import annotations

from app.core.layout.pdf import repair_pdf
from app.core.layout.text import repair_text
from app.core.model import Paragraph

__all__ = ["render_paragraphs", "repair_pdf", "repair_text"]


def render_paragraphs(paragraphs: list[Paragraph]) -> str:
    """The CLI's plain output: paragraphs separated by one blank line."""
    return "\n\n".join(p.text for p in paragraphs)
