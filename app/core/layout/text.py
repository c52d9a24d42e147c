"""Layout repair for plain text copied out of PDFs, web pages and forums.

The input is NFC text with '\\n' line ends ('\\f' marks a page break, as pdftotext writes it).
We first read the document's conventions (is every line followed by a blank line? are paragraph ends
marked by trailing spaces? is the text hard-wrapped, and at what width?), then decide for each pair of
neighbouring lines whether they belong to one paragraph. Every change is recorded as a `Repair`.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections import Counter
from dataclasses import dataclass

from app.core.layout import cues
from app.core.model import Paragraph, Repair

FIT_SHARE = 0.97  # chosen on the dev half and 12 further dev chapters (0.92-0.99 tried)
_MD_HEADING_RE = re.compile(r"^#{1,6}\s+\S")


@dataclass
class _Line:
    text: str  # without surrounding whitespace
    src: int  # 0-based line number in the input
    trailing: int  # trailing spaces in the input line
    blanks_before: int  # empty lines between this and the previous content line
    spacey_before: bool  # a whitespace-only (but not empty) line came before: a paragraph mark
    page_break_before: bool  # a form feed came before
    ink: float = -1.0  # cues.text_width(text), computed once when first needed (see _ink)


def _ink(line: _Line) -> float:
    if line.ink < 0:
        line.ink = cues.text_width(line.text)
    return line.ink


@dataclass(frozen=True)
class _Conventions:
    double_spaced: bool  # a blank line after (nearly) every line
    space_marks: bool  # one trailing space = line goes on, two or a lone-space line = paragraph end
    separated: bool  # some blank lines, and they separate paragraphs
    wrapped: bool  # hard-wrapped at a fixed width
    width: int  # typical full line length, in characters
    ink: float = 0.0  # typical full line width, in cues.text_width units


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    blanks = 0
    spacey = False
    page_break = False
    for i, raw in enumerate(text.split("\n")):
        if "\f" in raw:
            page_break = True
            raw = raw.replace("\f", "")
        body = raw.strip()
        if not body:
            if raw:
                spacey = True
            else:
                blanks += 1
            continue
        trailing = len(raw) - len(raw.rstrip(" \t\u00a0"))
        lines.append(_Line(body, i, trailing, blanks, spacey, page_break))
        blanks, spacey, page_break = 0, False, False
    return lines


def _read_conventions(lines: list[_Line]) -> _Conventions:
    n = len(lines)
    if n < 2:
        return _Conventions(False, False, False, False, max((len(x.text) for x in lines), default=0))
    gaps = [x.blanks_before + x.spacey_before for x in lines[1:]]
    blank_share = sum(1 for g in gaps if g >= 1) / len(gaps)
    double_spaced = blank_share >= 0.7
    ones = sum(1 for x in lines[:-1] if x.trailing == 1)
    # Copy marks: most lines carry trailing spaces (one = goes on, two = paragraph end).
    trailing = sum(1 for x in lines[:-1] if x.trailing >= 1)
    space_marks = ones / (n - 1) >= 0.4 or (ones > 0 and trailing / (n - 1) >= 0.6)
    lengths = sorted(len(x.text) for x in lines)
    width = lengths[min(n - 1, int(n * 0.9))]
    near_full = sum(1 for v in lengths if v >= 0.7 * width)
    # Wrapped lines mostly stop mid-sentence; a list of whole paragraphs mostly ends on a full stop.
    sentence_ends = sum(1 for x in lines[:-1] if cues.ends_sentence(x.text)) / (n - 1)
    wrapped = n >= 3 and 25 <= width <= 200 and near_full / n >= 0.45 and sentence_ends <= 0.5
    if double_spaced and not space_marks:
        # Blank-separated lines with no copy marks look like whole paragraphs (our own output among
        # them): call them wrapped only on strong evidence.
        wrapped = wrapped and n >= 8 and near_full / n >= 0.6
    inks = sorted(map(_ink, lines))
    ink = inks[min(n - 1, int(n * 0.9))]
    return _Conventions(double_spaced, space_marks, 0 < blank_share < 0.7, wrapped, width, ink)


def _page_chunks(lines: list[_Line]) -> list[list[int]]:
    chunks: list[list[int]] = [[]]
    for i, line in enumerate(lines):
        if line.page_break_before and chunks[-1]:
            chunks.append([])
        chunks[-1].append(i)
    return chunks


def _running_lines(lines: list[_Line]) -> set[int]:
    """Indices of running headers/footers and page numbers at page edges (pages from form feeds)."""
    chunks = _page_chunks(lines)
    if len(chunks) < 2:
        return set()
    edges: list[tuple[int, str]] = []
    for chunk in chunks:
        for i in sorted(set(chunk[:2] + chunk[-2:])):
            edges.append((i, cues.edge_key(lines[i].text)))
    counts = Counter(key for _, key in edges)
    drop: set[int] = set()
    needed = max(2, len(chunks) // 2)
    for i, key in edges:
        text = lines[i].text
        if cues.is_page_number(text) or (counts[key] >= needed and len(text) <= 120):
            drop.add(i)
    return drop


def _fits(a: _Line, b: _Line, conv: _Conventions) -> bool:
    """Would the first word of b have fitted at the end of line a? Then a ended its paragraph."""
    if conv.ink:
        # the next word counted as average letters: one width per line, not per pair of lines
        return _ink(a) + 0.55 + len(cues.first_word(b.text)) <= conv.ink * FIT_SHARE
    return len(a.text) + 1 + len(cues.first_word(b.text)) <= conv.width * 0.92


def _is_heading_line(line: str) -> bool:
    return bool(_MD_HEADING_RE.match(line)) or (cues.is_upper_heading(line) and not cues.ends_sentence(line))


def _breaks(a: _Line, b: _Line, conv: _Conventions, in_item: bool, nxt: _Line | None = None) -> bool:
    """Does a paragraph end between content lines a and b? (`in_item`: a's paragraph is a list item;
    `nxt`: the content line after b, if any)"""
    # Structure always wins: items, source lines and headings stand alone.
    full = conv.wrapped and not _fits(a, b, conv)
    if cues.opens_item(a.text, b.text, in_item, full) or cues.is_url_line(b.text) or cues.is_url_line(a.text):
        return True
    if _MD_HEADING_RE.match(a.text) or _MD_HEADING_RE.match(b.text):
        return True
    if conv.space_marks:
        # Copied from a PDF viewer: one trailing space = the line goes on; two, or a lone-space line = the end.
        if a.trailing >= 2 or b.spacey_before:
            return True
        if a.trailing == 1:
            # The viewer's own paragraph detection misses ends: a mark is evidence, not law. A line
            # with room left for the next word that ends a sentence, a heading line, or a sentence
            # end before a heading that stands alone still end here.
            if cues.ends_full_stop(a.text) and not cues.starts_lower(b.text):
                return _fits(a, b, conv) or _stands_alone(b, nxt, conv)
            return (
                not cues.dangling(a.text)
                and not (in_item and a.text.endswith(":"))  # "7. TINH THẦN…:" + the item's text
                and len(a.text) <= 0.75 * conv.width
                and not cues.starts_lower(b.text)
                and _fits(a, b, conv)
            )
    # A sentence that visibly goes on (no full stop, then a lower-case word) is not cut, unless
    # blank lines already separate every line of unwrapped text (as in our own output).
    if (
        (cues.ends_soft(a.text) or not cues.ends_sentence(a.text))
        and cues.starts_lower(b.text)
        and not (conv.double_spaced and not conv.wrapped)
    ):
        return False
    if b.spacey_before:
        return True
    if conv.double_spaced and b.blanks_before >= 2 and conv.wrapped:
        # A wider gap in double-spaced wrapped text is a page break: judge by the lines themselves.
        return _ends_paragraph(a, b, conv)
    if b.page_break_before:
        return _ends_paragraph(a, b, conv)
    if b.blanks_before:
        return True
    if conv.separated:
        # Blank lines separate some paragraphs (pdftotext, Markdown) but not all: a block may still
        # hold several, cut where a line stops short (headings, last lines).
        return _is_heading_line(a.text) or _ends_paragraph(a, b, conv)
    if not conv.wrapped:
        # One line per paragraph (forum posts, chat): only a dangling comma joins.
        return not cues.ends_soft(a.text)
    if _is_heading_line(a.text) and not cues.ends_soft(a.text):
        return True
    return _ends_paragraph(a, b, conv)


def _stands_alone(b: _Line, nxt: _Line | None, conv: _Conventions) -> bool:
    """b is a short line that is a paragraph of its own (a heading): it does not end a sentence or
    dangle, has room for the next line's first word, and the next line starts a new sentence."""
    if nxt is None or cues.ends_sentence(b.text) or cues.ends_soft(b.text) or cues.dangling(b.text):
        return False
    return len(b.text) <= 0.6 * conv.width and _fits(b, nxt, conv) and not cues.starts_lower(nxt.text)


def _ends_paragraph(a: _Line, b: _Line, conv: _Conventions) -> bool:
    """Hard-wrapped text with no explicit mark: judge by how full line a is and how it ends."""
    if (cues.starts_lower(b.text) or cues.goes_on(a.text, b.text)) and not cues.ends_sentence(a.text):
        return False
    if not _fits(a, b, conv):
        return False
    return cues.ends_sentence(a.text) or not cues.starts_lower(b.text)


def repair_text(text: str) -> tuple[list[Paragraph], list[Repair]]:
    """Rebuild the paragraphs of copied text. Pure: same input, same output."""
    lines = _split_lines(text)
    repairs: list[Repair] = []
    dropped = _running_lines(lines)
    for i in sorted(dropped):
        kind = "drop_page_number" if cues.is_page_number(lines[i].text) else "drop_header"
        repairs.append(Repair(kind, -1, f"line {lines[i].src + 1}", removed=lines[i].text))
    content = [x for i, x in enumerate(lines) if i not in dropped]
    conv = _read_conventions(content)
    known = cues.known_words(x.text for x in content)

    texts: list[cues.ParagraphBuilder] = []
    in_item = False  # the paragraph being built opened with a bullet or number
    pending_marker: str | None = None
    prev: _Line | None = None
    home: dict[int, int] = {}  # source line -> index of the paragraph it went into
    joins: list[tuple[int, Repair]] = []  # repairs whose `at` is an offset in texts[paragraph], set below
    for position, line in enumerate(content):
        if pending_marker is not None:
            repair = Repair("attach_bullet", len(texts), f"'{pending_marker}' + line {line.src + 1}")
            joins.append((len(pending_marker) + 1, repair))
            texts.append(cues.ParagraphBuilder(f"{pending_marker} {line.text}"))
            in_item = cues.is_list_start(texts[-1].text())
            pending_marker, prev = None, line
            home[line.src] = len(texts) - 1
            continue
        if cues.is_lone_marker(line.text) and line is not content[-1]:
            pending_marker = line.text
            home[line.src] = len(texts)
            continue
        following = content[position + 1] if position + 1 < len(content) else None
        if prev is None or _breaks(prev, line, conv, in_item, following):
            texts.append(cues.ParagraphBuilder(line.text))
            in_item = cues.is_list_start(line.text)
        else:
            removed = texts[-1].join(line.text, known)
            at = texts[-1].length - len(line.text)  # the joined line is appended verbatim
            if removed:
                joins.append((at, Repair("dehyphenate", len(texts) - 1, f"line {line.src + 1}", removed=removed)))
            kind = "join_page_break" if line.page_break_before or line.blanks_before > 1 else "join_lines"
            joins.append((at, Repair(kind, len(texts) - 1, f"line {prev.src + 1} + line {line.src + 1}")))
        home[line.src] = len(texts) - 1
        prev = line
    if pending_marker is not None:
        texts.append(cues.ParagraphBuilder(pending_marker))

    wanted: dict[int, list[int]] = {}
    for at, r in joins:
        wanted.setdefault(r.paragraph, []).append(at)
    paragraphs: list[Paragraph] = []
    where: dict[int, list[int]] = {}
    for i, built in enumerate(texts):
        collapsed, where[i] = cues.collapse_spaces_keeping(built.text(), wanted.get(i, []))
        paragraphs.append(_make_paragraph(collapsed, conv))
    seen: dict[int, int] = {}
    for _at, r in joins:
        k = seen.get(r.paragraph, 0)
        seen[r.paragraph] = k + 1
        repairs.append(dataclasses.replace(r, at=where[r.paragraph][k]))
    # A dropped running line goes back before the paragraph of the next line that was kept.
    kept = sorted(home)
    for i, r in enumerate(repairs):
        if r.paragraph == -1:
            nxt = bisect.bisect_right(kept, int(r.detail.split()[-1]) - 1)
            repairs[i] = dataclasses.replace(r, at=home[kept[nxt]] if nxt < len(kept) else len(texts))
    return paragraphs, repairs


def _make_paragraph(text: str, conv: _Conventions) -> Paragraph:
    text = cues.collapse_spaces(text)
    if cues.is_url_line(text):
        kind = "source"
    elif cues.is_list_start(text):
        kind = "list_item"
    elif _MD_HEADING_RE.match(text) or (
        len(text.split()) <= 14
        and not cues.ends_sentence(text)
        and not cues.ends_soft(text)
        and (cues.is_upper_heading(text) or conv.wrapped)
    ):
        kind = "heading"
    else:
        kind = "paragraph"
    return Paragraph(text=text, kind=kind, lang=cues.detect_lang(text))
