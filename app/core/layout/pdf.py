"""Layout repair for PDFs read with geometry: reading order, running headers, paragraphs.

Steps: drop running headers/footers and page numbers (lines at the page edges that repeat across
pages); find the columns of each page from the empty vertical gutters between lines; read each column
top to bottom; then cut the line stream into paragraphs from the geometry (extra line gap, first-line
indent, font size or weight change, list markers, a last line with room left for the next word),
continuing paragraphs across column and page breaks.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass

from app.core.layout import cues
from app.core.model import Paragraph, PdfDocument, PdfLine, PdfPage, Repair

_EDGE_BAND = 0.12  # top/bottom share of the page where running headers and footers live


@dataclass
class _VLine:
    """A visual line: PyMuPDF line fragments on one baseline within one column."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    bold: bool
    page: int
    column: int  # running column number over the whole document
    url: bool = dataclasses.field(init=False)  # a bare source line (cues.is_url_line), asked once

    def __post_init__(self) -> None:
        self.url = cues.is_url_line(self.text)


def _running_line_ids(doc: PdfDocument) -> dict[tuple[int, int], str]:
    """(page index, line index) -> repair kind, for running headers/footers and page numbers."""
    n_pages = len(doc.pages)
    candidates: list[tuple[int, int, str, str]] = []  # page, line, band, key
    for pi, page in enumerate(doc.pages):
        if not page.lines:
            continue
        top_limit = page.height * _EDGE_BAND
        bottom_limit = page.height * (1 - _EDGE_BAND)
        ys = sorted(ln.y0 for ln in page.lines)
        first_y, last_y = ys[0], ys[-1]
        for li, ln in enumerate(page.lines):
            in_top = ln.y1 <= top_limit or ln.y0 <= first_y + 0.5
            in_bottom = ln.y0 >= bottom_limit or ln.y0 >= last_y - 0.5
            if in_top or in_bottom:
                # A running line repeats at one place in one size: the chapter title under a running
                # header that repeats it (Chromium, Word) is bigger, or lower, and is kept.
                where = f"{round((ln.y0 if in_top else ln.y1) / 4)}:{round(ln.size)}"
                candidates.append((pi, li, "top" if in_top else "bottom", f"{where}:{cues.edge_key(ln.text)}"))
    pages_with: dict[tuple[str, str], set[int]] = defaultdict(set)
    for pi, _li, band, key in candidates:
        pages_with[(band, key)].add(pi)
    needed = max(2, round(0.3 * n_pages))
    repeated = {(pi, li) for pi, li, band, key in candidates if len(pages_with[(band, key)]) >= needed}
    out: dict[tuple[int, int], str] = {}
    for pi, li, band, _key in candidates:
        page = doc.pages[pi]
        line = page.lines[li]
        if cues.is_lone_marker(line.text) and not line.text.strip().isdigit():
            continue  # a bullet torn from its item, never furniture
        at_edge = line.y1 <= page.height * _EDGE_BAND or line.y0 >= page.height * 0.85
        if at_edge and cues.is_page_number(line.text, roman=True):
            if not _numbers_a_heading(page, li):
                out[(pi, li)] = "drop_page_number"
        elif (
            n_pages >= 2
            and (pi, li) in repeated
            and len(line.text) <= 150
            and not _in_text_flow(page, li, band, repeated, pi)
        ):
            out[(pi, li)] = "drop_header" if band == "top" else "drop_footer"
    return out


def _in_text_flow(page: PdfPage, li: int, band: str, repeated: set[tuple[int, int]], pi: int) -> bool:
    """The line is body text at the page's edge: the next line into the page (below a top line, above a
    bottom one) has its size and follows at ordinary leading, and does not repeat itself. A running
    header or footer stands apart from the text by more than the leading, or comes with its own
    repeated lines (a three-line slide footer)."""
    line = page.lines[li]
    best: tuple[float, int] | None = None
    for k, other in enumerate(page.lines):
        if k == li or abs(other.size - line.size) > 0.6:
            continue
        gap = other.y0 - line.y1 if band == "top" else line.y0 - other.y1
        overlap = min(line.x1, other.x1) - max(line.x0, other.x0)
        if -0.5 * line.size < gap and overlap > 0 and (best is None or gap < best[0]):
            best = (gap, k)
    return best is not None and best[0] < line.size and (pi, best[1]) not in repeated


def _numbers_a_heading(page: PdfPage, li: int) -> bool:
    """A number that starts a heading ("3" + "Tổng quan tài liệu" on one baseline) is not a page number."""
    line = page.lines[li]
    for k, other in enumerate(page.lines):
        if k == li or abs(other.y1 - line.y1) > 0.35 * max(line.size, other.size):
            continue
        gap = other.x0 - line.x1
        if -1 < gap < 3 * line.size and other.text.strip()[:1].isalpha():
            return True
    return False


def _gutters(lines: list[PdfLine], left: float, right: float) -> list[float]:
    """x positions of empty vertical gutters that split the page's lines into columns."""
    width = right - left
    if width <= 0 or len(lines) < 4:
        return []
    bins = int(width) + 1
    # How many lines cover each 1-pt column: a difference array, then a running sum.
    diff = [0] * (bins + 1)
    for ln in lines:
        diff[max(0, int(ln.x0 - left))] += 1
        diff[min(bins, int(ln.x1 - left) + 1)] -= 1
    cover = list(itertools.accumulate(diff[:bins]))
    tolerance = max(1, len(lines) // 25)  # a few headings may span the columns
    gutters: list[float] = []
    i = int(0.15 * width)
    stop = int(0.85 * width)
    while i < stop:
        if cover[i] <= tolerance:
            j = i
            while j < stop and cover[j] <= tolerance:
                j += 1
            if j - i >= 6:
                mid = left + (i + j) / 2
                lefts = sum(1 for ln in lines if ln.x1 <= mid)
                rights = sum(1 for ln in lines if ln.x0 >= mid)
                if min(lefts, rights) >= max(2, len(lines) // 8):
                    gutters.append(mid)
            i = j
        else:
            i += 1
    return gutters


def _merge_fragments(lines: list[PdfLine]) -> list[list[PdfLine]]:
    """Group fragments that sit on one baseline (bullet + text, justified pieces) into visual lines."""
    rows: list[list[PdfLine]] = []
    for ln in sorted(lines, key=lambda x: (round(x.y1, 0), x.x0)):
        if rows:
            last = rows[-1][-1]
            same_base = abs(ln.y1 - last.y1) <= 0.35 * max(ln.size, last.size)
            if same_base and ln.x0 >= last.x1 - 1:
                rows[-1].append(ln)
                continue
        rows.append([ln])
    # Sorting by rounded baseline can interleave near-equal rows; keep rows in y order.
    rows.sort(key=lambda r: (min(x.y0 for x in r), r[0].x0))
    return rows


def _visual_line(frags: list[PdfLine], page: int, column: int) -> _VLine:
    if len(frags) == 1:  # most lines: one fragment, nothing to order or join
        f = frags[0]
        return _VLine(" ".join(f.text.split()), f.x0, f.y0, f.x1, f.y1, f.size, f.bold, page, column)
    frags = sorted(frags, key=lambda f: f.x0)
    text = frags[0].text.strip()
    for prev, frag in itertools.pairwise(frags):
        gap = frag.x0 - prev.x1
        sep = " " if gap > 0.12 * frag.size or prev.text.endswith(" ") or frag.text.startswith(" ") else ""
        text += sep + frag.text.strip()
    main = max(frags, key=lambda f: len(f.text.strip()))
    return _VLine(
        text=" ".join(text.split()),
        x0=min(f.x0 for f in frags),
        y0=min(f.y0 for f in frags),
        x1=max(f.x1 for f in frags),
        y1=max(f.y1 for f in frags),
        size=main.size,
        bold=main.bold,
        page=page,
        column=column,
    )


def _page_columns(page: PdfPage, keep: list[PdfLine]) -> list[list[PdfLine]]:
    """Lines of a page in reading order, as a list of columns (full-width lines split the flow)."""
    if not keep:
        return []
    left = min(ln.x0 for ln in keep)
    right = max(ln.x1 for ln in keep)
    gutters = _gutters(keep, left, right)
    if not gutters:
        return [keep]
    bounds = [left - 1, *gutters, right + 1]
    spanning = sorted((ln for ln in keep if any(ln.x0 < g < ln.x1 for g in gutters)), key=lambda x: x.y0)
    # Bands between spanning lines; each band is read column by column.
    cuts = [ln.y0 for ln in spanning]  # sorted
    spanning_ids = {id(ln) for ln in spanning}  # a set: a page of thousands of lines stays linear
    bands: dict[int, list[PdfLine]] = defaultdict(list)
    for ln in keep:
        if id(ln) in spanning_ids:
            continue
        bands[bisect.bisect_right(cuts, ln.y0)].append(ln)
    out: list[list[PdfLine]] = []
    for band in range(len(cuts) + 1):
        members = bands.get(band, [])
        for c in range(len(bounds) - 1):
            col = [ln for ln in members if bounds[c] <= (ln.x0 + ln.x1) / 2 < bounds[c + 1]]
            if col:
                out.append(col)
        if band < len(spanning):
            out.append([spanning[band]])
    return out


@dataclass(frozen=True)
class _Metrics:
    pitch: dict[float, float]  # font size -> usual baseline distance inside a paragraph
    body_size: float
    col_right: dict[int, float]  # column -> right edge of its text
    col_left: dict[int, float]
    char_width: float  # average advance per character of body text


def _metrics(vlines: list[_VLine]) -> _Metrics:
    sizes: Counter[float] = Counter()
    for v in vlines:  # each size weighed by its text (a line counts once per 20 characters)
        sizes[round(v.size, 1)] += max(1, len(v.text) // 20)
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    dists: dict[float, list[float]] = defaultdict(list)
    rounded = [round(v.size, 1) for v in vlines]
    for k in range(len(vlines) - 1):
        a, b = vlines[k], vlines[k + 1]
        if a.column == b.column and rounded[k] == rounded[k + 1]:
            d = b.y1 - a.y1
            if 0 < d < 4 * a.size:
                dists[rounded[k]].append(round(d * 2) / 2)
    # The usual line pitch per size; with too few lines to tell (headings), assume the body text's
    # leading (line height / size), at least ordinary leading (1.2 em).
    body_ds = dists.get(body, [])
    leading = max(1.2, Counter(body_ds).most_common(1)[0][0] / body) if len(body_ds) >= 4 else 1.2
    pitch = {
        s: Counter(ds).most_common(1)[0][0] if len(ds) >= 4 else min(min(ds), s * leading) for s, ds in dists.items()
    }
    by_col: dict[int, list[_VLine]] = defaultdict(list)
    for v in vlines:
        by_col[v.column].append(v)
    col_left = {
        c: statistics.median_low(sorted(v.x0 for v in vs)) if len(vs) > 2 else min(v.x0 for v in vs)
        for c, vs in by_col.items()
    }
    # Columns at the same place on different pages share their right margin: pool them, so that a
    # column with few lines still knows how far a full line reaches.
    slot_right: dict[int, list[float]] = defaultdict(list)
    for c, vs in by_col.items():
        slot_right[round(col_left[c] / 12)] += [v.x1 for v in vs]
    slot_edge = {}
    for slot, xs in slot_right.items():
        xs.sort()
        slot_edge[slot] = xs[int(0.98 * (len(xs) - 1))]
    col_right = {c: slot_edge[round(col_left[c] / 12)] for c in by_col}
    body_lines = [v for v in vlines if round(v.size, 1) == body and len(v.text) > 20]
    char_width = statistics.median((v.x1 - v.x0) / len(v.text) for v in body_lines) if body_lines else body * 0.5
    return _Metrics(pitch, body, col_right, col_left, char_width)


def _same_font(a: _VLine, b: _VLine) -> bool:
    return abs(a.size - b.size) <= 0.6 and a.bold == b.bold


def _room_left(a: _VLine, b: _VLine, m: _Metrics) -> bool:
    """Would the next line's first word have fitted on line a? Then a is a paragraph's last line."""
    word = cues.first_word(b.text)
    # Capitals run wider than the average character; leave a margin for the estimate's error.
    units = 1 + sum(1.35 if c.isupper() else 1.0 for c in word)
    need = units * m.char_width * (b.size / m.body_size if m.body_size else 1)
    right = m.col_right.get(a.column, a.x1)
    return right - a.x1 > need * 1.15 + m.char_width


def _indented(v: _VLine, m: _Metrics) -> bool:
    return v.x0 - m.col_left.get(v.column, v.x0) > 0.8 * v.size


def _breaks(a: _VLine, b: _VLine, nxt: _VLine | None, m: _Metrics, in_item: bool) -> bool:
    if a.url or b.url:
        return True
    # Whether a had room left is measured only where it decides (a list marker, or further down).
    if cues.is_list_start(b.text) and cues.opens_item(a.text, b.text, in_item, not _room_left(a, b, m)):
        return True
    if not _same_font(a, b):
        return True
    same_column = a.column == b.column
    if same_column:
        pitch = m.pitch.get(round(a.size, 1), a.size * 1.2)
        if b.y1 - a.y1 > pitch * 1.15 + 0.5:
            return True
    if (cues.ends_soft(a.text) or not cues.ends_sentence(a.text)) and cues.starts_lower(b.text):
        return False
    # First-line indent: b starts further right than the lines around it (a list item's hanging
    # indent is the opposite shape: its later lines are the indented ones).
    if (
        not in_item
        and _indented(b, m)
        and not _indented(a, m)
        and (nxt is None or not _indented(nxt, m) or nxt.column != b.column or cues.ends_full_stop(a.text))
    ):
        return True
    if _room_left(a, b, m):
        if not cues.ends_sentence(a.text) and cues.goes_on(a.text, b.text) and a.size <= m.body_size + 0.6:
            return False
        return cues.ends_sentence(a.text) or not cues.starts_lower(b.text) or a.size > m.body_size + 0.6
    return False


def _kind(text: str, first: _VLine, m: _Metrics) -> str:
    if cues.is_url_line(text):
        return "source"
    if cues.is_list_start(text):
        return "list_item"
    bigger = first.size > m.body_size + 0.6
    if (bigger or (first.bold and len(text) < 200)) and not text.endswith((".", ",")):
        return "heading"
    return "paragraph"


def repair_pdf(doc: PdfDocument) -> tuple[list[Paragraph], list[Repair]]:
    """Rebuild the paragraphs of a PDF from its lines with geometry. Pure."""
    repairs: list[Repair] = list(doc.repairs)  # what reading the PDF changed comes first
    dropped = _running_line_ids(doc)
    vlines: list[_VLine] = []
    column = 0
    for pi, page in enumerate(doc.pages):
        keep = []
        for li, ln in enumerate(page.lines):
            kind = dropped.get((pi, li))
            if kind:
                repairs.append(Repair(kind, -1, f"page {page.number}", removed=ln.text.strip(), page=page.number))
            else:
                keep.append(ln)
        columns = _page_columns(page, keep)
        if len(columns) > 1 and any(len(c) > 1 for c in columns[1:]):
            repairs.append(
                Repair("reading_order", -1, f"page {page.number}: {len(columns)} columns/blocks", page=page.number)
            )
        for col in columns:
            for frags in _merge_fragments(col):
                vlines.append(_visual_line(frags, page.number, column))
            column += 1
    if not vlines:
        return [], repairs
    m = _metrics(vlines)
    known = cues.known_words(v.text for v in vlines)
    firsts: list[_VLine] = []  # the first line of each paragraph: its font and page describe it
    texts: list[cues.ParagraphBuilder] = []
    in_item = False
    joins: list[tuple[int, Repair]] = []  # `at` is an offset in texts[paragraph] until collapsed below
    for i, v in enumerate(vlines):
        a = vlines[i - 1]
        nxt = vlines[i + 1] if i + 1 < len(vlines) else None
        if not firsts or _breaks(a, v, nxt, m, in_item):
            firsts.append(v)
            texts.append(cues.ParagraphBuilder(v.text))
            in_item = cues.is_list_start(v.text)
            continue
        removed = texts[-1].join(v.text, known)
        at = texts[-1].length - len(v.text)  # the joined line is appended verbatim
        n = len(texts) - 1
        if removed:
            joins.append((at, Repair("dehyphenate", n, f"page {v.page}", removed=removed, page=v.page)))
        if v.page != a.page:
            joins.append((at, Repair("join_page_break", n, f"page {a.page} → {v.page}", page=v.page)))
        elif v.column != a.column:
            joins.append((at, Repair("join_column_break", n, f"page {v.page}", page=v.page)))
    wanted: dict[int, list[int]] = {}
    for at, r in joins:
        wanted.setdefault(r.paragraph, []).append(at)
    paragraphs = []
    by_paragraph: dict[int, list[int]] = {}
    for n, (first, built) in enumerate(zip(firsts, texts, strict=True)):
        text, by_paragraph[n] = cues.collapse_spaces_keeping(built.text(), wanted.get(n, []))
        paragraphs.append(Paragraph(text, _kind(text, first, m), cues.detect_lang(text), first.page))
    seen: dict[int, int] = {}
    for _at, r in joins:
        k = seen.get(r.paragraph, 0)
        seen[r.paragraph] = k + 1
        repairs.append(dataclasses.replace(r, at=by_paragraph[r.paragraph][k]))
    return paragraphs, repairs
