"""Claim notes are Markdown; reports show a small safe subset of it: paragraphs, line breaks,
**bold**, *italic* and [links](https://...) to http(s) only. Everything else stays literal text, so
a note can never inject markup into a report (no raw HTML, no images, no javascript: links)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from app.core.claims.evidence import safe_url
from app.core.export.encode import link_target


@dataclass(frozen=True)
class Inline:
    text: str  # may hold "\n": a line break inside the paragraph
    bold: bool = False
    italic: bool = False
    href: str = ""  # a safe http(s) URL, or ""


_TOKEN = re.compile(
    r"\[(?P<label>[^\]\n]+)\]\((?P<url>[^)\s]+)\)"  # [label](url)
    r"|\*\*(?P<bold>[^*\n](?:.*?[^*\n])?)\*\*"  # **bold**
    r"|(?<![*\w])\*(?P<italic>[^*\s](?:[^*\n]*?[^*\s])?)\*(?![*\w])"  # *italic*
    r"|(?<![\w*])_(?P<uitalic>[^_\s](?:[^_\n]*?[^_\s])?)_(?!\w)",  # _italic_
    re.DOTALL,
)


def parse(text: str) -> list[list[Inline]]:
    """Paragraphs (split on blank lines) of inline runs."""
    paragraphs = [p.strip("\n") for p in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").strip())]
    return [_inlines(p) for p in paragraphs if p.strip()]


def _inlines(text: str) -> list[Inline]:
    out: list[Inline] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() > pos:
            out.append(Inline(text[pos : m.start()]))
        if m.group("label") is not None:
            url = safe_url(m.group("url"))
            out.append(Inline(m.group("label"), href=url) if url else Inline(m.group(0)))
        elif m.group("bold") is not None:
            out.append(Inline(m.group("bold"), bold=True))
        else:
            out.append(Inline(m.group("italic") or m.group("uitalic"), italic=True))
        pos = m.end()
    if pos < len(text):
        out.append(Inline(text[pos:]))
    return out


def to_html(text: str) -> Markup:
    """The note as escaped HTML paragraphs."""
    html = []
    for para in parse(text):
        parts = []
        for run in para:
            inner = Markup("<br>").join(escape(line) for line in run.text.split("\n"))
            if run.bold:
                inner = Markup("<strong>%s</strong>") % inner
            if run.italic:
                inner = Markup("<em>%s</em>") % inner
            target = link_target(run.href)
            if target:
                inner = Markup('<a href="%s" rel="noopener noreferrer">%s</a>') % (target, inner)
            parts.append(inner)
        html.append(Markup("<p>%s</p>") % Markup("").join(parts))
    return Markup("\n").join(html)


def to_plain(text: str) -> str:
    """The note without Markdown syntax (links as "label <url>")."""
    return "\n\n".join("".join(f"{r.text} <{r.href}>" if r.href else r.text for r in para) for para in parse(text))
