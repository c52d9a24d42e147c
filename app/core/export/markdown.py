"""The Markdown report: per document a table (# | Tiếng Việt | English) with claims in bold and
`[^n]` footnote references, and the footnotes after the table. Readable as plain text too.

Every text is literal: `&`, `<` and `>` are written as the entities `&amp;`, `&lt;` and `&gt;` (so no
renderer, CommonMark or not, ever sees an HTML tag: a backslash before `<` is not an escape for all
of them), Markdown's own signs are backslash-escaped, and a link's target is `encode.link_target`
(http(s) only, percent-encoded: no space, parenthesis, `<` or `>` can end it early)."""

from __future__ import annotations

import re
from pathlib import Path

from app.core.export.encode import link_target, visible, visible_report
from app.core.export.notes import parse
from app.core.export.pieces import Piece
from app.core.export.report import ClaimNote, Report, Row, Section
from app.core.safe_write import write_text

_SPECIAL = re.compile(r"([\\`*_\[\]|~])")  # enough once [ ] are escaped: no link can form
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_AUTOLINK = re.compile(r"(@|(?<=[:/])/)")


def escape_md(text: str) -> str:
    """Literal text inside Markdown (and inside a table cell): no markup, no raw HTML, one line, and
    no autolink either (GFM and linkify turn `user@host`, `ftp://…` or `//host` in text into links):
    `@` and the slashes of `://` and `//` are backslash-escaped."""
    text = re.sub(r"\s+", " ", visible(text))
    text = _SPECIAL.sub(r"\\\1", re.sub(r"[&<>]", lambda m: _HTML[m.group(0)], text))
    return _AUTOLINK.sub(r"\\\1", text)


def _link(label: str, url: str) -> str:
    """[label](target) when `url` may be a link, else the label alone; `label` is escaped already."""
    target = link_target(url)
    return f"[{label}]({target.replace('&', '&amp;')})" if target else label


def _pieces(pieces: tuple[Piece, ...]) -> str:
    out = []
    for p in pieces:
        text = escape_md(p.text)
        if p.color and text.strip():
            lead, core, trail = re.match(r"(\s*)(.*?)(\s*)$", text).groups()  # type: ignore[union-attr]
            text = f"{lead}**{core}**{trail}"
        out.append(text + "".join(f"[^{n}]" for n in p.notes))
    return "".join(out)


def _english(row: Row) -> str:
    cell = _pieces(row.en) if row.en_text else "*not translated yet*"
    if row.reviewed:
        cell += " ✓"
    if row.edited:
        cell += " ✎"
    if row.kind == "copy":
        cell += " *(English in the source)*"
    if row.flags:
        cell += " ⚠ " + escape_md("; ".join(row.flags))
    return cell


def note_markdown(text: str) -> list[str]:
    """A note rebuilt from its safe subset: bold, italic, http(s) links; everything else escaped."""
    paragraphs = []
    for para in parse(text):
        parts = []
        for r in para:
            s = " ".join(escape_md(line) for line in r.text.split("\n"))
            if r.bold:
                s = f"**{s}**"
            if r.italic:
                s = f"*{s}*"
            if r.href:
                s = _link(s, r.href)
            parts.append(s)
        paragraphs.append("".join(parts))
    return paragraphs


def _footnote(c: ClaimNote) -> list[str]:
    tags = ", ".join(t.name for t in c.tags) or "no tag"
    where = f"sentence {c.sentences}" if c.sentences else "its words are gone from the current text"
    head = f"[^{c.number}]: **{escape_md(c.verdict)}** · {escape_md(tags)} · {where} — “{escape_md(c.vi)}”"
    if c.en:
        head += f" → “{escape_md(c.en)}”"
    if c.en_status == "orphaned":
        head += " *(the English changed since this span was chosen: check it)*"
    if c.ocr:  # quoted from text read by OCR with low confidence (issue 17)
        head += f" ⚠ *{escape_md(c.ocr)}*"
    lines = [head]
    for para in note_markdown(c.note):
        lines += ["", "    " + para]
    for e in c.evidence:
        ev = _link(escape_md(e.url), e.url) if e.url else ""
        ev += (" · " if ev and e.citation else "") + escape_md(e.citation)
        ev += f" — “{escape_md(e.quote)}”" if e.quote else ""
        ev += f" ({escape_md(e.note)})" if e.note else ""
        lines += ["", f"    Evidence: {ev}"]
    return lines


def _facts(section: Section) -> str:
    """Source address, author and publication date, as the user gave them ("" when none is known)."""
    parts = []
    if section.source_url:
        parts.append("Source: " + _link(escape_md(section.source_url), section.source_url))
    if section.author:
        parts.append("Author: " + escape_md(section.author))
    if section.published:
        parts.append("Published: " + escape_md(section.published))
    return " · ".join(parts)


def _section(section: Section, heading: str) -> list[str]:
    lines = [f"## {heading}", ""]
    lines.append(
        f"Source file: {escape_md(section.source_path or '(pasted text)')} · imported "
        f"{escape_md(section.imported_at[:10])} · {section.sentence_count} sentences  "
    )
    facts = _facts(section)
    if facts:
        lines.append(facts + "  ")
    if section.untranslated:
        lines.append("Translation: **not translated yet** (the English column is empty)")
    else:
        lines.append(
            f"Translation: {escape_md(', '.join(section.models) or 'no machine translation')} · "
            f"{section.unreviewed} machine, not reviewed · ✓ {section.reviewed} reviewed · "
            f"✎ {section.human} edited by hand · ⚠ {section.flagged} flagged"
        )
    if section.ocr:  # read by OCR (issue 17), on its own line
        lines[-1] += "  "
        lines.append(escape_md(section.ocr))
    lines += ["", "| # | Tiếng Việt | English |", "|---:|---|---|"]
    for row in section.rows:
        if row.gap_before and row.number > 1:
            lines.append("| ⋯ | | |")
        number = f"¶ {row.number}" if row.new_paragraph else str(row.number)
        vi = _pieces(row.vi) + (f" ⚠ *{escape_md(row.ocr)}*" if row.ocr else "")
        lines.append(f"| {number} | {vi} | {_english(row)} |")
    lines.append("")
    for c in section.claims:
        lines += [*_footnote(c), ""]
    return lines


def render_markdown(report: Report) -> str:
    report = visible_report(report)
    lines = [f"# {escape_md(report.title)}", "", f"Bilingual report made by DoiChieu on {report.generated}.  "]
    lines.append(
        "**Bold**: a claim, with its footnote. ¶ a new paragraph. English with no mark: machine translation, "
        "not reviewed. ✓ machine translation reviewed (accepted unchanged). ✎ English edited by hand. "
        "⚠ machine translation flagged for review."
        + (
            " ⚠ *beside the Vietnamese*: read by OCR with a low confidence, compare it with the scan."
            if report.read_by_ocr
            else ""
        )
    )
    lines += ["", f"## Claims ({len(report.claims)})", ""]
    if report.claims:
        lines += ["| # | Document | Sentence | Tiếng Việt | English | Tags | Verdict |"]
        lines += ["|---:|---|---:|---|---|---|---|"]
        for c in report.claims:
            lines.append(
                f"| {c.number} | {escape_md(c.document_title)} | {c.sentences or '—'} | {escape_md(c.vi)} | "
                f"{escape_md(c.en) or '*not translated yet*'} | {escape_md(', '.join(t.name for t in c.tags))} | "
                f"{escape_md(c.verdict)} |"
            )
    else:
        lines.append("No claims.")
    lines.append("")
    many = len(report.sections) > 1
    for i, section in enumerate(report.sections, start=1):
        lines += _section(section, f"{i}. {escape_md(section.title)}" if many else escape_md(section.title))
    return "\n".join(lines).rstrip() + "\n"


def write_markdown(report: Report, out: Path) -> Path:
    return write_text(out, render_markdown(report), encoding="utf-8")
