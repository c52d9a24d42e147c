"""Sentence segmentation of one paragraph with `underthesea.sent_tokenize`.

Spans the splitter must not cut (URLs, e-mail addresses, domains, decimal numbers, abbreviations,
list markers) are masked first: their sentence punctuation is replaced by a neutral character of the
same length, so every offset in the masked text is an offset in the original. The splitter returns
substrings of the masked text; we locate them in order and slice the original by those offsets, so
`text[start:end]` is always exactly the segment."""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from app.core.model import Paragraph, Segment, SegmentedText

# A letter: never a sentence end or a space, and it keeps a masked "v.v" from looking like the
# one-letter abbreviation "v" to the splitter.
MASK = "x"
_SENT_PUNCT = re.compile(r"[.?!]")

_TLDS = (
    "com|net|org|edu|gov|int|mil|info|biz|io|ai|co|vn|uk|us|cn|jp|kr|fr|de|eu|ru|in|au|ca|tv|me|app|dev|news|"
    "asia|online|site|xyz|tech|ly|gl|be|nl|ch|se|no|it|es|sg|tw|hk|th|my|id|ph"
)
_URL = r"(?:https?://|ftp://|www\.)[^\s<>\"“”]+"
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_DOMAIN = rf"(?<![\w@.])(?:[A-Za-z0-9-]+\.)+(?:{_TLDS})(?![\w])(?:/[^\s<>\"“”]*)?"
# Starts only where a digit run starts (exact: a decimal found mid-run would have been found at the
# run's start; from every digit of a long run the scan was quadratic).
_DECIMAL = r"(?<!\d)\d+(?:[.,]\d+)+"
# Titles and abbreviations that end with a dot inside a sentence.
_TITLES = (
    "TS|ThS|PGS|GS|BS|KS|CN|NCS|TTƯT|NSƯT|NSND|TP|Tp|tp|Q|P|TT|TX|Th|St|Mr|Mrs|Ms|Dr|Prof|Sr|Jr|No|Vol|Fig|pp|tr|"
    "Co|Corp|Inc|Ltd|vs|cf|al|ed|eds|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_TITLE = rf"(?<![\w.])(?:{_TITLES})\.(?=\s*\S)"
# Dotted initialisms: U.S., U.K., v.v., e.g., i.e., a.m., TP.HCM
_INITIALISM = r"(?<![\w.])(?:[^\W\d_]{1,2}\.){2,3}(?:[^\W\d_]{1,3}\.?)?(?=[\s,;:)\]]|$)"
_LIST_MARKER = r"^\s*(?:\d{1,3}|[A-Za-z]|[IVXLivxl]{1,5})[.)](?=\s)"
_ELLIPSIS_INNER = r"\.{3,}|…"

_PROTECTED = re.compile("|".join(f"(?:{p})" for p in (_URL, _EMAIL, _DOMAIN, _DECIMAL, _TITLE, _LIST_MARKER)))
_INITIALS = re.compile(_INITIALISM)
_TRAILING_URL_PUNCT = ".,;:!?)]}'\"”’"
# A run of non-space characters longer than this is not prose (a hash, base64, a pasted blob, a very
# long URL): it is one protected unit, like a URL, and never reaches the regexes below or the splitter
# as something to cut. It bounds every regex's rescan to LONG_TOKEN characters, so masking is linear.
LONG_TOKEN = 200
_LONG_RUN = re.compile(rf"(?<!\S)\S{{{LONG_TOKEN + 1},}}")
_NEXT_NON_SPACE = re.compile(r"\s*")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def _mask_span(chars: list[str], start: int, end: int, text: str) -> None:
    for m in _SENT_PUNCT.finditer(text, start, end):
        chars[m.start()] = MASK


def mask_protected(text: str) -> str:
    """Replace sentence punctuation inside protected spans; same length as `text`."""
    chars = list(text)
    for pos, endpos in _short_regions(text, chars):
        for m in _PROTECTED.finditer(text, pos, endpos):
            start, end = m.span()
            token = m.group(0)
            urlish = token[0] in "hwfHWF" or "@" in token or "/" in token or "." in token
            if urlish and not _is_list_marker(m):
                # URLs and domains swallow trailing punctuation that belongs to the sentence.
                end = _trim_trailing(text, start, end)
            _mask_span(chars, start, end, text)
        for m in _INITIALS.finditer(text, pos, endpos):
            start, end = m.span()
            # An initialism that ends the sentence ("... the U.S. The ...") keeps its last dot as a boundary.
            after = _skip_spaces(text, end)
            upper_next = after < len(text) and text[after].isupper()
            last = end - 1 if text[end - 1] == "." and upper_next and _looks_sentence_final(text, start) else end
            _mask_span(chars, start, last, text)
    return "".join(chars)


def _skip_spaces(text: str, pos: int) -> int:
    m = _NEXT_NON_SPACE.match(text, pos)
    return m.end() if m else pos


def _trim_trailing(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in _TRAILING_URL_PUNCT:
        end -= 1
    return end


def _long_runs(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _LONG_RUN.finditer(text)]


def _short_regions(text: str, chars: list[str]) -> list[tuple[int, int]]:
    """Mask each run longer than LONG_TOKEN as one unit (all but its trailing punctuation, which may end
    the sentence) and return the (pos, endpos) regions between those runs, for the regexes. A region
    ends one character into the next run: no pattern can match that lone character, and "TS. <run>"
    still sees a word after the title."""
    regions: list[tuple[int, int]] = []
    prev = 0
    for start, end in _long_runs(text):
        _mask_span(chars, start, _trim_trailing(text, start, end), text)
        regions.append((prev, start + 1))
        prev = end
    regions.append((prev, len(text)))
    return regions


def _is_list_marker(m: re.Match[str]) -> bool:
    return m.start() == 0 and m.group(0).rstrip(".)").strip().isalnum() and len(m.group(0).strip()) <= 6


def _looks_sentence_final(text: str, start: int) -> bool:
    """Only lowercase closers like "v.v." or "etc." end sentences; "U.S. Army" does not."""
    return text[start].islower()


@cache
def _tokenizer() -> Callable[[str], list[str]]:
    from underthesea import sent_tokenize

    return sent_tokenize


def _locate(masked: str, pieces: list[str]) -> list[Span]:
    spans: list[Span] = []
    pos = 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        at = masked.find(piece, pos)
        if at < 0:  # the splitter changed whitespace: walk both strings skipping it
            at, end = _fuzzy_find(masked, piece, pos)
        else:
            end = at + len(piece)
        spans.append(Span(at, end))
        pos = end
    return spans


def _fuzzy_find(text: str, piece: str, pos: int) -> tuple[int, int]:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    start = pos
    i = pos
    for ch in piece:
        if ch.isspace():
            continue
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text) or text[i] != ch:
            raise ValueError(f"segment not found in paragraph: {piece[:40]!r}")
        i += 1
    return start, i


def split_sentences(text: str) -> list[Span]:
    """Sentence spans of one paragraph; `text[s.start:s.end]` is the sentence, stripped.

    Together the spans cover every non-space character of `text`, in order."""
    if not text.strip():
        return []
    masked = mask_protected(text)
    short, cuts = _shorten_long_runs(masked)
    spans = _locate(short, _tokenizer()(short))
    if cuts:
        spans = [Span(_unshorten(cuts, s.start), _unshorten(cuts, s.end)) for s in spans]
    return _cover_gaps(text, spans)


_KEEP = LONG_TOKEN // 2


def _shorten_long_runs(masked: str) -> tuple[str, list[tuple[int, int]]]:
    """`masked` without the middle of each long run, for the splitter (a Python loop per character):
    the middle is masked, so holds no sentence end, and what is kept on each side (_KEEP characters) is
    more than the splitter ever looks at. Returns the text and the cuts: (position in the shortened
    text, characters removed there)."""
    pieces: list[str] = []
    cuts: list[tuple[int, int]] = []
    prev = removed = 0
    for start, end in _long_runs(masked):
        stop = _trim_trailing(masked, start, end) - _KEEP  # the masked part ends at the trailing punctuation
        if stop - (start + _KEEP) <= _KEEP:  # not worth a cut
            continue
        keep_end = start + _KEEP
        pieces.append(masked[prev:keep_end])
        cut_at = keep_end - removed  # in the shortened text
        removed += stop - keep_end
        cuts.append((cut_at, removed))
        prev = stop
    if not cuts:
        return masked, []
    pieces.append(masked[prev:])
    return "".join(pieces), cuts


def _unshorten(cuts: list[tuple[int, int]], pos: int) -> int:
    """A position in the shortened text -> the same position in the full text."""
    k = bisect.bisect_right(cuts, (pos, sys.maxsize)) - 1  # the last cut at or before pos
    return pos if k < 0 else pos + cuts[k][1]


def _cover_gaps(text: str, spans: list[Span]) -> list[Span]:
    """Glue any non-space text the splitter dropped onto the neighbouring sentence, so nothing is lost."""
    if not spans:
        stripped_start = len(text) - len(text.lstrip())
        return [Span(stripped_start, len(text.rstrip()))]
    out: list[Span] = []
    prev_end = 0
    for span in spans:
        gap = text[prev_end : span.start]
        if gap.strip():
            if out:
                last = out.pop()
                span = Span(last.start, span.end)
            else:
                span = Span(prev_end + len(gap) - len(gap.lstrip()), span.end)
        out.append(span)
        prev_end = span.end
    tail = text[prev_end:]
    if tail.strip():
        last = out.pop()
        out.append(Span(last.start, len(text.rstrip())))
    return out


PARAGRAPH_SEPARATOR = "\n\n"


def segment_paragraphs(paragraphs: Sequence[Paragraph]) -> SegmentedText:
    """Join paragraphs into the cleaned text and split each into sentences with offsets into it."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    segments: list[Segment] = []
    pos = 0
    for p_idx, para in enumerate(paragraphs):
        if p_idx:
            pos += len(PARAGRAPH_SEPARATOR)
            parts.append(PARAGRAPH_SEPARATOR)
        spans.append((pos, pos + len(para.text)))
        parts.append(para.text)
        # Headings, sources and English lines are one unit each: splitting a URL line or a pasted
        # English preview into "sentences" helps no one.
        pieces = split_sentences(para.text) if para.kind in {"paragraph", "list_item"} else _whole(para.text)
        for span in pieces:
            segments.append(
                Segment(
                    paragraph=p_idx,
                    idx=len(segments),
                    text=para.text[span.start : span.end],
                    start=pos + span.start,
                    end=pos + span.end,
                    lang=para.lang,
                )
            )
        pos += len(para.text)
    return SegmentedText("".join(parts), tuple(spans), tuple(segments))


def _whole(text: str) -> list[Span]:
    stripped = text.strip()
    if not stripped:
        return []
    start = text.index(stripped)
    return [Span(start, start + len(stripped))]
