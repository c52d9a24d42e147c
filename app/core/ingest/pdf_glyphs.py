"""Text from the glyphs a PDF page draws: lines rebuilt from character boxes, legacy-font spans
decoded, odd code points normalised.

PyMuPDF's `get_text("dict")` is right for most pages and fast; this module decides which pages it is
not right for and rebuilds those from `get_text("rawdict")` character boxes:
- letters drawn from a fallback font (the document's font lacks a Vietnamese glyph) come out as
  separate lines on the same baseline: "Lu ng làm vi c" + "ồ ệ";
- combining marks drawn as glyphs of their own;
- text layers without space characters (pdfTeX, XeTeX, WPS, Microsoft Print to PDF): "Tổchức".
On those pages the characters sharing a baseline are merged, ordered by x, marks attached to their
letter, and a space is put where the gap between two glyphs says so and only there; then NFC.

It also decodes spans set in legacy Vietnamese fonts (TCVN3 `.VnTime`…, VNI `VNI-Times`…), whose
text layer holds the 8-bit codes as Windows-1252 letters ("Céng hßa"), with the decoder of
`app.core.ingest.legacy_vn` (the one place for those tables), and maps look-alike, zero-width and
private-use code points. Every change is counted so that the import can show it as a repair.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from app.core import syllables
from app.core.ingest.legacy_vn import TCVN3_DECODE, VIETNAMESE_LETTERS, VNI_DECODE
from app.core.model import PdfLine, PdfPage, Repair

# ---------------------------------------------------------------- odd code points

LOOKALIKES = {"\u01a3": "ư", "\u01a2": "Ư"}  # ƣ Ƣ (Latin oi/OI) in fonts that map ư/Ư to them
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e")
BULLET = "•"


def is_private_use(ch: str) -> bool:
    o = ord(ch)
    return 0xE000 <= o <= 0xF8FF or o >= 0xF0000


def is_odd(ch: str) -> bool:
    """A character the user should never see in our output: a look-alike, zero-width or private-use."""
    return ch in LOOKALIKES or ch in ZERO_WIDTH or is_private_use(ch)


_ODD_RE = re.compile("[\u01a2\u01a3\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\ue000-\uf8ff\U000f0000-\U0010ffff]")


def normalise_odd(text: str, vietnamese: bool = True) -> tuple[str, Counter[str]]:
    """`text` with look-alikes mapped (only when `vietnamese`), zero-width characters removed and
    private-use characters mapped to a bullet when they open the line, else removed. Returns the
    text and counts per kind: lookalike, zero_width, private_use."""
    counts: Counter[str] = Counter()
    if not _ODD_RE.search(text):
        return text, counts
    out: list[str] = []
    for ch in text:
        if ch in LOOKALIKES and vietnamese:
            out.append(LOOKALIKES[ch])
            counts["lookalike"] += 1
        elif ch in ZERO_WIDTH:
            counts["zero_width"] += 1
        elif is_private_use(ch):
            counts["private_use"] += 1
            if not "".join(out).strip():
                out.append(BULLET)
        else:
            out.append(ch)
    return "".join(out), counts


# ---------------------------------------------------------------- legacy fonts

_SUBSET = re.compile(r"^[A-Z]{6}\+")
_TCVN3_FONT = re.compile(r"^\.?vn[a-z]|^vk ?(sans|times|arial)|^abc", re.IGNORECASE)
_VNI_FONT = re.compile(r"^vni[-_ ]", re.IGNORECASE)
# .VnTime, VnTimeH (some producers drop the dot), VK Sans / VKSans / VK Times (the ABC font sets)
_TCVN3_NAME = re.compile(r"^(?:\.?Vn[A-Z]|VK ?(?:Sans|Times|Arial|Helvetica|Courier))")
_VI_LETTERS = frozenset(VIETNAMESE_LETTERS)


@functools.lru_cache(maxsize=1024)  # asked for every span; a document has a handful of fonts
def font_encoding(font: str) -> str | None:
    """The legacy encoding a font's name announces: "tcvn3" (.VnTime, .VnArialH, VK Sans…), "vni"
    (VNI-Times…), else None."""
    name = _SUBSET.sub("", font).strip()
    if _VNI_FONT.match(name):
        return "vni"
    if (name.startswith(".") and _TCVN3_FONT.match(name)) or _TCVN3_NAME.match(name):
        return "tcvn3"
    return None


@functools.lru_cache(maxsize=1024)
def _capitals_font(font: str) -> bool:
    """TCVN3 capitals fonts (.VnTimeH, .VnArialH): lower-case codes drawn as capitals."""
    name = _SUBSET.sub("", font).split(",")[0].split("-")[0].strip()
    return font_encoding(font) == "tcvn3" and name.endswith("H")


def _byte(ch: str) -> int | None:
    """The 8-bit code a legacy font's character stands for, as the text layer shows it."""
    o = ord(ch)
    if o < 0x80:
        return o
    if 0xF000 <= o <= 0xF0FF:  # symbolic TrueType without ToUnicode: codes in the private-use page
        return o - 0xF000
    try:
        return ch.encode("cp1252")[0]
    except UnicodeEncodeError:
        return o if o <= 0xFF else None


def _decode_chars(text: str, encoding: str) -> str | None:
    table = TCVN3_DECODE if encoding == "tcvn3" else VNI_DECODE
    out = []
    for ch in text:
        b = _byte(ch)
        if b is None:
            return None  # a character no 8-bit font holds: this span is Unicode already
        decoded = table[b] if b >= 0x80 else ch
        out.append(ch if decoded == "\ufffe" else decoded)  # a byte no Windows font defines: as shown
    return "".join(out)


_LEGACY_RE = re.compile(
    "["
    + re.escape("".join(chr(o) for o in range(0x80, 0x100) if chr(o) not in _VI_LETTERS))
    + "\uf080-\uf0ff"
    + re.escape("ŒœŠšŸŽžƒ")
    + "]"
)
_VI_RE = re.compile(
    "["
    + re.escape("".join(ch for ch in _VI_LETTERS if not ch.isascii() and ch not in "àáâèéêìíòóôõùúýÀÁÂÈÉÊÌÍÒÓÔÕÙÚÝ"))
    + "]"
)


# In a span whose font names a legacy encoding any non-ASCII character is a code ("ChuÈn" is "Chuẩn").
_HIGH = re.compile("[^\x00-\x7f]")


def _legacy_bytes_present(text: str) -> bool:
    """Characters an 8-bit legacy layer shows and Vietnamese Unicode text does not: Latin-1 letters
    and signs that are no Vietnamese letter (ö ß © ¸ × …), or private-use codes."""
    return _LEGACY_RE.search(text) is not None


def decode_span_text(text: str, font: str, legacy_page: bool = False) -> tuple[str, str | None]:
    """`text` of one span decoded when its font announces a legacy encoding and the characters fit
    it. Returns (text, encoding used or None). NFC. `legacy_page`: other legacy-font spans of the
    page hold codes no Vietnamese text has, so capitals words ("VÝ") are codes too."""
    encoding = font_encoding(font)
    if encoding is None or not _HIGH.search(text):
        return text, None
    decoded = _decode_chars(text, encoding)
    if decoded is None:
        return text, None
    decoded = unicodedata.normalize("NFC", decoded)
    if _capitals_font(font):
        decoded = decoded.upper()
    elif not legacy_page and _case_broken(text, decoded):
        return text, None
    return decoded, encoding


def _case_broken(text: str, decoded: str) -> bool:
    """Decoding would turn a capitals word into mixed case ("LÝ" -> "Lí") and nothing else in the span
    is a code no Vietnamese text holds: the span holds Unicode capitals in a font that only bears a
    legacy name (Word maps some .Vn fonts to Unicode). "VÝ dô" (ô, no capital) stays a code."""
    if _legacy_bytes_present(text):
        return False
    for raw, new in zip(text.split(), decoded.split(), strict=False):
        high = [ch for ch in raw if not ch.isascii()]
        # "VÜ" is a code (Ü is no Vietnamese letter: "Vĩ"); "LÝ" reads as Vietnamese capitals already
        if len(raw) > 1 and raw.isupper() and high and all(ch in _VI_LETTERS for ch in high) and not new.isupper():
            return True
    return False


def guess_legacy(text: str) -> tuple[str, str | None]:
    """For text whose font name says nothing: decode it as TCVN3 or VNI when its characters are a
    legacy layer's and the decoded text is clearly better Vietnamese (more well-formed syllables)."""
    if not _legacy_bytes_present(text):
        return text, None
    # Words with a legacy code inside them ("Céng", "hßa"); a lone sign (2 × 3) is no evidence.
    words = [w for w in text.split() if _legacy_bytes_present(w) and any(c.isascii() and c.isalpha() for c in w)]
    if len(words) < 2:
        return text, None
    best: tuple[str, str | None] = (text, None)
    best_good = sum(1 for w in words if _is_word_syllable(w))
    for encoding in ("tcvn3", "vni"):
        decoded_words = [_decode_chars(w, encoding) for w in words]
        if any(d is None for d in decoded_words):
            return text, None
        good = sum(1 for d in decoded_words if d is not None and _is_word_syllable(unicodedata.normalize("NFC", d)))
        if good >= 0.7 * len(words) and good > best_good:
            decoded = _decode_chars(text, encoding)
            assert decoded is not None
            best, best_good = (unicodedata.normalize("NFC", decoded), encoding), good
    return best


def _is_word_syllable(word: str) -> bool:
    tokens = syllables.word_tokens(word)
    return bool(tokens) and all(syllables.is_syllable(t) for t in tokens)


# ---------------------------------------------------------------- which pages need the glyphs

_COMBINING = re.compile("[\u0300-\u036f]")
_SPACED = re.compile(r"(?<!\S)(?:[^\W\d_] ){3,}[^\W\d_](?!\S)")
_LOOSE_MARK = re.compile(r"(?:^|[^\w\u0300-\u036f])[\u0300-\u036f]|[\u0300-\u036f]{3,}", re.MULTILINE)
GLUED_SHARE = 0.03  # a page with more glued syllables than this is rebuilt from its glyphs
GLUED_SAMPLE = 2500  # characters of a page enough to tell: a glued text layer is glued throughout


def _horizontal(line: dict) -> bool:
    return line.get("wmode", 0) == 0 and abs(line["dir"][1]) <= 0.1


def _baseline(line: dict) -> float:
    return float(line["spans"][0]["origin"][1]) if line["spans"] else float(line["bbox"][3])


def page_needs_glyphs(page_text: str, boxes: list[tuple[float, float, float, float]]) -> str | None:
    """Why a page's dict lines cannot be trusted ("marks", "spaced", "fallback"), or None (glued
    words: `glued_share`). `page_text`: the lines as read (legacy fonts decoded); `boxes`: (baseline,
    x0, x1, size) of each line."""
    if _COMBINING.search(page_text) and _LOOSE_MARK.search(unicodedata.normalize("NFC", page_text)):
        return "marks"  # marks that follow no letter: drawn apart, and put at the line's end by MuPDF
    if _SPACED.search(page_text):
        return "spaced"  # letter-spaced words: MuPDF puts a space between the letters
    # Lines on one baseline that overlap: letters of another font drawn into a line's gaps.
    keyed = sorted(boxes)
    for i, (y, x0, x1, size) in enumerate(keyed):
        for y2, a0, a1, _s in keyed[i + 1 :]:
            if y2 - y > 0.25 * size:
                break
            if a0 < x1 - 0.3 and x0 < a1 - 0.3:
                return "fallback"
    return None


def _glued(token: str, vocab: Counter[str] | None = None) -> list[str] | None:
    """The syllables a Vietnamese-looking token that is no syllable is glued from, else None."""
    if syllables.is_syllable(token) or not syllables.looks_vietnamese(token):
        return None
    pieces = syllables.split_glued(token, vocab)
    if not 1 < len(pieces) <= 4:  # "Patrocínio" is no five glued syllables
        return None
    if vocab is not None and not all(vocab.get(p.lower(), 0) for p in pieces):
        return None  # split only into syllables the document also writes on their own
    return pieces


def glued_share(text: str) -> float:
    """Share of the Vietnamese-looking tokens that are syllables glued together ("Tổchức"); foreign
    names with accents ("César") are malformed but not glued. 0 with under 10 such tokens."""
    counted = glued = 0
    for token, n in Counter(syllables.word_tokens(text)).items():
        if syllables.is_syllable(token):
            counted += n
        elif syllables.looks_vietnamese(token):
            counted += n
            glued += n if _glued(token) is not None else 0
    return glued / counted if counted >= 10 else 0.0


# ---------------------------------------------------------------- rebuilding lines from glyphs

SPACE_GAP = 0.15  # a gap wider than this share of the font size between two glyphs is a space
SPLIT_GAP = 1.5  # a gap wider than this many font sizes starts a separate line fragment (columns, tables)
_BOLD_FLAG = 16


@dataclass
class _Glyph:
    c: str
    x0: float
    x1: float
    y0: float
    y1: float
    size: float
    font: str
    bold: bool
    marks: str = ""
    legacy: bool = False  # decoded from a legacy font: a mark byte belongs to the glyph before it


@dataclass
class _Unit:
    """One MuPDF line: its glyphs in stream order."""

    order: int
    block: int
    baseline: float
    x0: float
    x1: float
    size: float
    glyphs: list[_Glyph] = field(default_factory=list)


@dataclass
class RebuiltLine:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    bold: bool
    font: str
    block: int


@dataclass
class PageNotes:
    """What reading one page changed, counted for the repairs list."""

    legacy: Counter[str] = field(default_factory=Counter)  # encoding -> spans decoded
    odd: Counter[str] = field(default_factory=Counter)  # lookalike / zero_width / private_use -> chars
    rebuilt: str | None = None  # why the page was rebuilt from glyphs
    actual_text: tuple[int, int] | None = None  # (characters /ActualText gave, characters drawn)
    glued: int = 0  # glued syllables split as a last resort
    glued_example: str = ""
    glued_share: float = 0.0  # of the text as read (`glued_share`, on the page's first characters)
    has_actual_text: bool = False  # the page's contents use /ActualText (whether or not it hid glyphs)
    legacy_page: bool = False  # a legacy-font span of the page holds codes no Vietnamese text has


def _units(blocks: list[dict], notes: PageNotes) -> list[_Unit]:
    units: list[_Unit] = []
    for block_no, block in enumerate(blocks):
        if block.get("type") != 0:
            continue
        for line in block["lines"]:
            if not _horizontal(line):
                continue
            glyphs: list[_Glyph] = []
            origins: list[float] = []
            for span in line["spans"]:
                chars = span["chars"]
                if not chars:
                    continue
                font = span["font"]
                text = "".join(ch["c"] for ch in chars)
                encoding = font_encoding(font)
                table = None
                if encoding and decode_span_text(text, font, notes.legacy_page)[1]:
                    table = TCVN3_DECODE if encoding == "tcvn3" else VNI_DECODE
                    notes.legacy[encoding] += 1
                upper = table is not None and _capitals_font(font)
                bold = bool(span["flags"] & _BOLD_FLAG) or "bold" in font.lower()
                size = float(span["size"])
                for ch in chars:
                    c = ch["c"]
                    if table is not None:
                        b = _byte(c)
                        if b is not None and b >= 0x80:
                            c = table[b]
                        if upper:
                            c = c.upper()
                    x0, y0, x1, y1 = ch["bbox"]
                    glyphs.append(_Glyph(c, x0, x1, y0, y1, size, font, bold, legacy=table is not None))
                    origins.append(ch["origin"][1])
            if not glyphs:
                continue
            units.append(
                _Unit(
                    len(units),
                    block_no,
                    statistics.median(origins),
                    min(g.x0 for g in glyphs),
                    max(g.x1 for g in glyphs),
                    max(g.size for g in glyphs),
                    glyphs,
                )
            )
    return units


def _group_units(units: list[_Unit]) -> list[list[_Unit]]:
    """Units on one baseline that overlap or lie closer than SPLIT_GAP in x belong to one visual line."""
    parent = list(range(len(units)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    order = sorted(range(len(units)), key=lambda i: units[i].baseline)
    for k, i in enumerate(order):
        a = units[i]
        for j in order[k + 1 :]:
            b = units[j]
            tol = 0.25 * min(a.size, b.size)
            if b.baseline - a.baseline > tol:
                break
            touch = SPLIT_GAP * min(a.size, b.size)
            if b.x0 < a.x1 + touch and a.x0 < b.x1 + touch:
                parent[find(j)] = find(i)
    groups: dict[int, list[_Unit]] = {}
    for i in range(len(units)):
        groups.setdefault(find(i), []).append(units[i])
    return sorted(groups.values(), key=lambda g: min(u.order for u in g))


def _is_mark(c: str) -> bool:
    return bool(unicodedata.combining(c))


def _over(mark: _Glyph, letter: _Glyph) -> bool:
    """Whether a mark glyph sits over (or just beside) a letter."""
    centre = (mark.x0 + mark.x1) / 2
    slack = 0.15 * letter.size
    return letter.x0 - slack <= centre <= letter.x1 + slack


def _without_doubles(glyphs: list[_Glyph]) -> list[_Glyph]:
    """x-ordered glyphs without the copies drawn again a hair to the side (fake bold, shadows):
    the same character starting within half its width and a fifth of the size of another."""
    out: list[_Glyph] = []
    for g in glyphs:
        if not g.c.isspace():
            twin = next(
                (h for h in out[-4:] if h.c == g.c and abs(g.x0 - h.x0) < min(0.2 * g.size, 0.5 * (h.x1 - h.x0))),
                None,
            )
            if twin is not None:
                twin.marks = twin.marks or g.marks
                continue
        out.append(g)
    return out


def _attach_marks(group: list[_Unit], extra: list[_Glyph]) -> list[_Glyph]:
    """Glyphs of a visual line in x order with every combining mark attached to its letter: the one
    it follows in its own span, else the letter under it."""
    bases: list[_Glyph] = []
    loose: list[_Glyph] = []
    for unit in group:
        prev: _Glyph | None = None
        for g in unit.glyphs:
            if _is_mark(g.c[0]) if g.c else False:
                if prev is not None and (g.legacy or _over(g, prev)):
                    prev.marks += g.c
                    if g.legacy:  # the mark glyph's advance belongs to the letter: no gap after it
                        prev.x1 = max(prev.x1, g.x1)
                else:
                    loose.append(g)
                continue
            bases.append(g)
            prev = g if not g.c.isspace() else None
    bases = _without_doubles(sorted(bases, key=lambda g: g.x0))
    loose += extra
    if loose:
        letters = [g for g in bases if not g.c.isspace()]
        starts = [g.x0 for g in letters]
        for m in loose:
            if not letters:
                break
            centre = (m.x0 + m.x1) / 2
            k = max(0, bisect.bisect_right(starts, centre) - 1)
            candidates = letters[max(0, k - 1) : k + 2]
            best = min(candidates, key=lambda g: abs((g.x0 + g.x1) / 2 - centre))
            best.marks += m.c
    return bases


def _tracking(glyphs: list[_Glyph]) -> float:
    """Letter spacing of a letter-spaced line ("C H Ư Ơ N G" drawn without space characters), in
    font sizes: the narrowest gap between glyphs with no space character between them, when every
    such gap is wide; else 0."""
    gaps: list[float] = []
    prev: _Glyph | None = None
    for g in glyphs:
        if g.c.isspace() or not g.c:
            prev = None
            continue
        if prev is not None:
            gap = (g.x0 - prev.x1) / max(prev.size, g.size)
            if gap < SPLIT_GAP:
                gaps.append(gap)
        prev = g
    if len(gaps) < 3 or min(gaps) <= 0.5 * SPACE_GAP:
        return 0.0
    return min(gaps)


def _line_from_glyphs(glyphs: list[_Glyph], block: int) -> list[RebuiltLine]:
    """Text of x-ordered glyphs, spaces from the gaps; split where the gap is a column's."""
    out: list[RebuiltLine] = []
    current: list[_Glyph] = []
    text: list[str] = []
    prev: _Glyph | None = None
    space_char = False

    def flush() -> None:
        if current and "".join(text).strip():
            weight: Counter[tuple[float, bool, str]] = Counter()
            for g in current:
                weight[(round(g.size, 1), g.bold, g.font)] += 1
            size, bold, font = weight.most_common(1)[0][0]
            out.append(
                RebuiltLine(
                    unicodedata.normalize("NFC", "".join(text).strip()),
                    min(g.x0 for g in current),
                    min(g.y0 for g in current),
                    max(g.x1 for g in current),
                    max(g.y1 for g in current),
                    size,
                    bold,
                    font,
                    block,
                )
            )

    tracking = _tracking(glyphs)
    for g in glyphs:
        if g.c.isspace() or not g.c:
            space_char = True
            continue
        if prev is not None:
            size = max(prev.size, g.size)
            gap = g.x0 - prev.x1
            if gap > SPLIT_GAP * size:
                flush()
                current, text = [], []
            elif gap > max(SPACE_GAP, tracking + 0.12) * size or (space_char and gap > 0.5 * SPACE_GAP * size):
                text.append(" ")
        current.append(g)
        text.append(g.c + g.marks)
        prev = g
        space_char = False
    flush()
    return out


def _drawn_twice(mark: _Glyph, baseline: float, traced: list[_Glyph]) -> bool:
    """Whether the page draws rawdict's `mark` where rawdict has it: then texttrace's copy is taken
    out of `traced` and True."""
    centre = (mark.x0 + mark.x1) / 2
    for i, g in enumerate(traced):
        if (
            g.c == mark.c
            and abs((g.x0 + g.x1) / 2 - centre) <= 0.3 * mark.size
            and abs(g.y0 - baseline) <= 0.3 * mark.size
        ):
            del traced[i]
            return True
    return False


def trace_marks(trace: list[dict]) -> list[_Glyph]:
    """Combining marks where the page draws them (`page.get_texttrace()`): rawdict moves marks drawn
    apart from their letters to the end of the line."""
    marks = []
    for span in trace:
        size = float(span["size"])
        for code, _glyph, origin, bbox in span["chars"]:
            if code > 0 and unicodedata.combining(chr(code)):
                x0, x1 = min(bbox[0], origin[0]), max(bbox[2], origin[0])
                marks.append(_Glyph(chr(code), x0, x1, origin[1], origin[1], size, span["font"], False))
    return marks


def rebuild_lines(blocks: list[dict], notes: PageNotes, marks: list[_Glyph] | None = None) -> list[RebuiltLine]:
    """A page's lines rebuilt from rawdict blocks (extracted with TEXT_INHIBIT_SPACES). `marks`: the
    page's combining marks at their drawn places (`trace_marks`), used instead of rawdict's."""
    units = _units(blocks, notes)
    if marks is not None:
        # rawdict's marks stay where the page draws that mark there (then texttrace's copy goes);
        # the others were moved by MuPDF to the line's end and are placed from texttrace instead.
        marks = list(marks)
        for unit in units:
            glyphs: list[_Glyph] = []
            for g in unit.glyphs:
                if g.c and _is_mark(g.c[0]) and not g.legacy:
                    after_letter = bool(glyphs) and not _is_mark(glyphs[-1].c[:1] or " ")
                    if not (after_letter and _drawn_twice(g, unit.baseline, marks)):
                        continue
                glyphs.append(g)
            unit.glyphs = glyphs
    groups = _group_units(units)
    loose: list[list[_Glyph]] = [[] for _ in groups]
    if marks:
        spans = [
            (
                statistics.median(u.baseline for u in g),
                min(u.x0 for u in g),
                max(u.x1 for u in g),
                max(u.size for u in g),
            )
            for g in groups
        ]
        for m in marks:  # m.y0 holds the mark's baseline
            centre = (m.x0 + m.x1) / 2
            for k, (base, x0, x1, size) in enumerate(spans):
                if abs(base - m.y0) <= 0.4 * size and x0 - 0.2 * size <= centre <= x1 + 0.2 * size:
                    loose[k].append(m)
                    break
    lines: list[RebuiltLine] = []
    for group, extra in zip(groups, loose, strict=True):
        glyphs = _attach_marks(group, extra)
        lines.extend(_line_from_glyphs(glyphs, group[0].block))
    return lines


# ---------------------------------------------------------------- one page, one document

_SPACELESS = re.compile(r"\s+")


def _count_chars(blocks: list[dict]) -> int:
    return sum(
        len(_SPACELESS.sub("", s["text"]))
        for b in blocks
        if b.get("type") == 0
        for ln in b["lines"]
        for s in ln["spans"]
    )


def _has_actual_text(page: object) -> bool:
    try:
        return b"ActualText" in page.read_contents()  # type: ignore[attr-defined]
    except Exception:  # unreadable contents: MuPDF's own reading decides
        return False


def _dict_line(line: dict, block_no: int, notes: PageNotes) -> PdfLine | None:
    """One dict line, its legacy-font spans decoded (the font of most characters decides size and
    weight: a bold word does not make a bold line)."""
    spans = line["spans"]
    if len(spans) == 1 and not font_encoding(spans[0]["font"]):  # most lines: one span, nothing to weigh
        s = spans[0]
        if not s["text"].strip():
            return None
        bold = bool(s["flags"] & _BOLD_FLAG) or "bold" in s["font"].lower()
        x0, y0, x1, y1 = line["bbox"]
        return PdfLine(s["text"], x0, y0, x1, y1, round(s["size"], 1), bold, s["font"], block_no)
    texts: list[str] = []
    weight: dict[tuple[float, bool, str], int] = {}
    for s in spans:
        text = s["text"]
        if not text:
            continue
        if font_encoding(s["font"]):
            decoded, encoding = decode_span_text(text, s["font"], notes.legacy_page)
            if encoding:
                notes.legacy[encoding] += 1
                text = decoded
        texts.append(text)
        key = (round(s["size"], 1), bool(s["flags"] & _BOLD_FLAG) or "bold" in s["font"].lower(), s["font"])
        weight[key] = weight.get(key, 0) + len(text.strip())
    text = "".join(texts)
    if not text.strip():
        return None
    size, bold, font = max(weight, key=lambda k: weight[k])
    x0, y0, x1, y1 = line["bbox"]
    return PdfLine(text, x0, y0, x1, y1, size, bold, font, block_no)


class PageReader:
    """Reads the pages of one document in order (`read`), deciding which pages to search for
    /ActualText and for glued words: reading a page's content streams costs a third of its text
    extraction, and counting glued syllables a tenth, while both are properties of the producer, the
    same on every page. So the first pages and every tenth one are searched; once one shows either,
    every later page is, and `reread` names the pages read before that which must be read again."""

    SAMPLE_FIRST = 3
    SAMPLE_EVERY = 10

    def __init__(self) -> None:
        self.actual_text_seen = False
        self.glue_seen = False
        self.unsearched: list[int] = []  # 0-based pages read without searching for /ActualText
        self.unglued: list[int] = []  # 0-based pages whose glued words were not counted

    def read(self, page: object) -> tuple[list[PdfLine], PageNotes]:
        number = page.number  # type: ignore[attr-defined]
        sampled = number < self.SAMPLE_FIRST or number % self.SAMPLE_EVERY == 0
        search, glue = self.actual_text_seen or sampled, self.glue_seen or sampled
        if not search:
            self.unsearched.append(number)
        if not glue:
            self.unglued.append(number)
        lines, notes = read_page(page, actual_text=search, glue=glue)
        self.actual_text_seen = self.actual_text_seen or notes.has_actual_text
        self.glue_seen = self.glue_seen or notes.rebuilt == "glued" or notes.glued_share > GLUED_SHARE
        return lines, notes

    def absorb(self, later: PageReader) -> None:
        """Take in what a reader of this document's later pages (another process) saw and skipped."""
        self.actual_text_seen = self.actual_text_seen or later.actual_text_seen
        self.glue_seen = self.glue_seen or later.glue_seen
        self.unsearched += later.unsearched
        self.unglued += later.unglued

    def reread(self) -> list[int]:
        """Pages to read again with `read_page(page)`, in order."""
        pages = set(self.unsearched) if self.actual_text_seen else set()
        if self.glue_seen:
            pages.update(self.unglued)
        return sorted(pages)


def read_page(page: object, *, actual_text: bool = True, glue: bool = True) -> tuple[list[PdfLine], PageNotes]:
    """A page's horizontal text lines with geometry, and what reading them changed.

    `get_text("dict")` first; the drawn glyphs instead when /ActualText hides some of them (not
    looked for with `actual_text=False`); lines rebuilt from character boxes when `page_needs_glyphs`
    says the dict lines are wrong, or when the words are glued (not counted with `glue=False`);
    legacy-font text decoded; odd code points normalised."""
    import pymupdf

    assert isinstance(page, pymupdf.Page)
    # Ligatures (ﬁ, ﬀ) are expanded to their letters: users search and translate words, not glyphs.
    flags = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP
    notes = PageNotes()
    blocks = page.get_text("dict", flags=flags)["blocks"]
    notes.has_actual_text = actual_text and _has_actual_text(page)
    if notes.has_actual_text:
        drawn_flags = flags | pymupdf.TEXT_IGNORE_ACTUALTEXT
        drawn = page.get_text("dict", flags=drawn_flags)["blocks"]
        said, shown = _count_chars(blocks), _count_chars(drawn)
        if shown > said * 1.05 + 5:  # the replacement text swallows glyphs the page draws
            blocks, flags = drawn, drawn_flags
            notes.actual_text = (said, shown)
    notes.legacy_page = any(
        font_encoding(s["font"]) and _legacy_bytes_present(s["text"])
        for b in blocks
        if b.get("type") == 0
        for ln in b["lines"]
        for s in ln["spans"]
    )
    lines: list[PdfLine] = []
    boxes: list[tuple[float, float, float, float]] = []
    for block_no, block in enumerate(blocks):
        if block.get("type") != 0:
            continue
        for raw_line in block["lines"]:
            if not _horizontal(raw_line):
                continue  # vertical or rotated text: margin notes, stamps
            line = _dict_line(raw_line, block_no, notes)
            if line is not None:
                lines.append(line)
                boxes.append((_baseline(raw_line), line.x0, line.x1, raw_line["spans"][0]["size"]))
    page_text = "\n".join(ln.text for ln in lines)
    notes.rebuilt = page_needs_glyphs(page_text, boxes)
    if notes.rebuilt is None and glue:
        notes.glued_share = glued_share(normalise_odd(page_text[:GLUED_SAMPLE])[0])
        notes.rebuilt = "glued" if notes.glued_share > GLUED_SHARE else None
    if notes.rebuilt:
        notes.legacy.clear()  # counted again from the glyphs
        raw = page.get_text("rawdict", flags=flags | pymupdf.TEXT_INHIBIT_SPACES)["blocks"]
        marks = trace_marks(page.get_texttrace()) if notes.rebuilt == "marks" else None
        lines = [
            PdfLine(r.text, r.x0, r.y0, r.x1, r.y1, r.size, r.bold, r.font, r.block)
            for r in rebuild_lines(raw, notes, marks)
        ]
        page_text = "\n".join(ln.text for ln in lines)
        notes.glued_share = glued_share(normalise_odd(page_text[:GLUED_SAMPLE])[0])
    if _COMBINING.search(page_text):  # marks that follow their letters: composed
        lines = [dataclasses.replace(ln, text=unicodedata.normalize("NFC", ln.text)) for ln in lines]
        page_text = unicodedata.normalize("NFC", page_text)
    legacy = _LEGACY_RE.search(page_text) is not None
    odd = _ODD_RE.search(page_text) is not None
    if not (legacy or odd):
        return lines, notes
    vietnamese = _VI_RE.search(page_text) is not None
    out: list[PdfLine] = []
    for ln in lines:
        text = ln.text
        if legacy and not font_encoding(ln.font):
            decoded, encoding = guess_legacy(text)
            if encoding:
                notes.legacy[encoding] += 1
                text = decoded
        if odd:
            text, found = normalise_odd(text, vietnamese)
            notes.odd.update(found)
        if text != ln.text:
            if not text.strip():
                continue
            ln = dataclasses.replace(ln, text=text)
        out.append(ln)
    return out, notes


def split_glued_pages(pages: list[PdfPage], notes: list[PageNotes]) -> list[PdfPage]:
    """Last resort for text layers whose glyph gaps do not show the spaces either: on pages still
    full of malformed syllables, split glued tokens into syllables (`syllables.split_glued`, with the
    document's own syllables as evidence)."""
    todo = [i for i, note in enumerate(notes) if note.glued_share > GLUED_SHARE]
    if not todo:
        return pages
    vocab = syllables.vocabulary(ln.text for p in pages for ln in p.lines)
    out = list(pages)
    for i in todo:
        lines = []
        for ln in pages[i].lines:
            text = _WORD.sub(functools.partial(_split_match, vocab=vocab, note=notes[i]), ln.text)
            if text != ln.text:
                ln = dataclasses.replace(ln, text=text)
            lines.append(ln)
        out[i] = dataclasses.replace(pages[i], lines=tuple(lines))
    return out


_WORD = re.compile(r"[^\W\d_]+")


def _split_match(match: re.Match[str], vocab: Counter[str], note: PageNotes) -> str:
    token = match.group()
    pieces = _glued(token, vocab)
    if pieces is None:
        return token
    note.glued += 1
    joined = " ".join(pieces)
    if not note.glued_example:
        note.glued_example = f"{token} → {joined}"
    return joined


def _pages(numbers: list[int]) -> str:
    """1, 2, 3, 7 -> "pages 1–3, 7"."""
    if not numbers:
        return ""
    runs: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        runs.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    label = "page" if len(numbers) == 1 else "pages"
    shown = ", ".join(runs[:12]) + (", …" if len(runs) > 12 else "")
    return f"{label} {shown}"


_REBUILT = {
    "fallback": "letters drawn from a second font",
    "marks": "accent marks drawn apart from their letters",
    "glued": "no space characters in the text layer",
    "spaced": "letter-spaced words",
}
_ENCODINGS = {"tcvn3": "TCVN3 (.Vn fonts)", "vni": "VNI"}


def document_repairs(notes: list[PageNotes]) -> list[Repair]:
    """One repair per kind of change reading the PDF made, naming the pages (shown to the user; they
    change characters, not paragraphs, so they are not undone one by one)."""
    repairs: list[Repair] = []

    def add(kind: str, pages: list[int], detail: str) -> None:
        if pages:
            repairs.append(Repair(kind, -1, f"{detail} ({_pages(pages)})", page=pages[0]))

    for n, note in enumerate(notes, start=1):
        if note.actual_text:
            said, shown = note.actual_text
            add("drawn_text", [n], f"text hidden by /ActualText: {shown:,} drawn characters read instead of {said:,}")
    for encoding, label in _ENCODINGS.items():
        pages = [n for n, note in enumerate(notes, start=1) if note.legacy.get(encoding)]
        spans = sum(note.legacy.get(encoding, 0) for note in notes)
        add("legacy_font", pages, f"{spans:,} text runs in {label} legacy fonts decoded to Unicode")
    for reason, label in _REBUILT.items():
        pages = [n for n, note in enumerate(notes, start=1) if note.rebuilt == reason]
        add("glyph_lines", pages, f"lines rebuilt from glyph positions ({label})")
    odd_labels = {
        "lookalike": "look-alike letters ƣ/Ƣ read as ư/Ư",
        "zero_width": "zero-width characters removed",
        "private_use": "private-use symbols removed (bullets shown as •)",
    }
    for kind, label in odd_labels.items():
        pages = [n for n, note in enumerate(notes, start=1) if note.odd.get(kind)]
        count = sum(note.odd.get(kind, 0) for note in notes)
        add("normalise_chars", pages, f"{label}: {count:,}")
    pages = [n for n, note in enumerate(notes, start=1) if note.glued]
    example = next((note.glued_example for note in notes if note.glued_example), "")
    count = sum(note.glued for note in notes)
    add("glued_syllables", pages, f"glued syllables split: {count:,}" + (f", e.g. {example}" if example else ""))
    return repairs
