"""Small pure predicates over a line or paragraph of text, shared by the text and PDF layout repair."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from app.core.ingest.legacy_vn import TONE_MARKS

# Bullets and numbering that start a list item: "-", "•", "1.", "1)", "a)", "IV.", "(2)".
_BULLET_CHARS = "-–—•●○◦▪▫■□*+·►▶➢✓✔"
_BULLET_RE = re.compile(
    rf"^(?:[{re.escape(_BULLET_CHARS)}](?=\s|$)|\(?\d{{1,3}}[.)](?=\s|$)|\(?\d{{1,2}}(?:\.\d{{1,2}})+\.?(?=\s|$)"
    r"|\(?[a-zđ][.)](?=\s)|\(?(?:[IVX]{1,5})[.)](?=\s))"
)
_LONE_MARKER_RE = re.compile(rf"^(?:[{re.escape(_BULLET_CHARS)}]|\(?\d{{1,3}}[.)]|\(?[a-zđ]\)|[IVX]{{1,5}}\.)$")
_URL_START_RE = re.compile(r"https?://", re.IGNORECASE)  # the only way _URL_RE matches without a dot
_URL_RE = re.compile(r"^(?:(?:https?://|www\.)\S+|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,12}(?:/\S*)?)$", re.IGNORECASE)
_SENTENCE_END = ".!?…:;\"'”’»)]"
_CLOSERS = "\"'”’»)]*"

# Letters that only Vietnamese writes: any base letter with a Vietnamese tone or the
# đ/ă/ơ/ư family. Used to tell Vietnamese from pasted English.
_VI_ONLY = set("ăâđêôơưĂÂĐÊÔƠƯ")
_TONES = frozenset(TONE_MARKS[1:])
_EN_STOPWORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "is",
        "are",
        "was",
        "were",
        "for",
        "on",
        "with",
        "as",
        "by",
        "at",
        "from",
        "that",
        "this",
        "it",
        "its",
        "be",
        "has",
        "have",
        "had",
        "an",
        "or",
        "not",
        "but",
        "which",
        "while",
        "their",
        "they",
        "leads",
        "rounds",
        "shows",
        "reveals",
        "all",
        "into",
        "than",
        "more",
    ]
)
_VI_ASCII_WORDS = frozenset(
    [
        "va",
        "cua",
        "la",
        "trong",
        "cac",
        "nhung",
        "cho",
        "mot",
        "khong",
        "co",
        "nay",
        "duoc",
        "voi",
        "theo",
        "thi",
        "ma",
        "nhu",
        "de",
        "tu",
        "ve",
    ]
)


def is_list_start(line: str) -> bool:
    """True when the line opens a bulleted or numbered item."""
    return bool(_BULLET_RE.match(line.lstrip()))


def opens_item(prev: str, line: str, prev_in_item: bool, prev_full: bool) -> bool:
    """Does `line` open a new list item after `prev`?

    A number or dash at the start of a line that follows a *full* line stopping mid-phrase
    ("... xếp thứ" / "12. Trước đó", "... toàn cầu" / "- tức là", "US + UK" / "+ EU") is the sentence
    wrapping on."""
    if not is_list_start(line):
        return False
    marker = line.lstrip()[0]
    if marker not in "-–—+(0123456789" and not marker.isalpha():
        return True  # a real bullet glyph ("+" is also the plus sign: "US + UK" / "+ EU" wraps on)
    p = prev.rstrip()
    return prev_in_item or not p or not p[-1].isalnum() or not prev_full


def is_lone_marker(line: str) -> bool:
    """A bullet or number torn from its text: "-" or "3." alone on a line."""
    return bool(_LONE_MARKER_RE.match(line.strip()))


def is_url_line(line: str) -> bool:
    """A bare source line: a URL or a domain such as "www.rdworldonline.com" (bulleted or not)."""
    s = _BULLET_RE.sub("", line.strip(), count=1).strip()
    if not s or " " in s or ("." not in s and not _URL_START_RE.match(s)):
        return False  # every URL or domain has a dot or a scheme: no regex run over a long word without
    return bool(_URL_RE.match(s)) and not s.replace(".", "").isdigit()


def ends_sentence(line: str) -> bool:
    s = line.rstrip().rstrip(_CLOSERS)
    if not s:
        return False
    return s[-1] in _SENTENCE_END or line.rstrip()[-1] in _SENTENCE_END


def ends_full_stop(line: str) -> bool:
    """The line ends a sentence with a full stop, "!", "?" or "…" (closing quotes and brackets aside);
    a colon or semicolon may go on with a list or a clause."""
    s = line.rstrip().rstrip(_CLOSERS)
    return bool(s) and s[-1] in ".!?…"


def ends_soft(line: str) -> bool:
    """The line clearly continues: it stops on a comma, a hyphen or a conjunction-like dangling word."""
    s = line.rstrip()
    return bool(s) and s[-1] in ",-–(/&"


# Words that cannot end a heading or a paragraph: the line goes on (Vietnamese and English).
# Words that cannot end a heading or a paragraph: the line goes on. Not "theo", "từ", "về", "cho",
# "với", "trong": Vietnamese labels end on them ("Sắp xếp theo"). The English words count only on a
# line without Vietnamese letters ("Máy in" is a printer).
_DANGLING_VI = frozenset(
    ["và", "hoặc", "hay", "của", "các", "những", "để", "là", "mà", "thì", "nếu", "rằng", "bởi", "vì", "một"]
)
_DANGLING_EN = frozenset(
    ["and", "or", "of", "the", "a", "an", "to", "in", "for", "with", "by", "from", "on", "at", "as", "that", "which"]
)


def dangling(line: str) -> bool:
    """The line cannot end there: a bracket left open, or a last word that joins ("và", "of")."""
    s = line.rstrip()
    if not s:
        return False
    if s.count("(") > s.count(")") or s.count("[") > s.count("]"):
        return True
    last = s.rsplit(maxsplit=1)[-1].lower()
    return last in _DANGLING_VI or (last in _DANGLING_EN and not has_vietnamese_letter(s))


_NARROW = frozenset("ijlIft.,;:'!|()[]\"`’‘")
_WIDE = frozenset("mwMW")


def text_width(text: str) -> float:
    """The printed width of a line in average-letter units, from the shapes of its letters (a proportional
    font sets "iiii" narrower than "mmmm"): judges how full a copied line was better than its length.
    Counted with C-level string methods (one translate, a few counts), never a Python loop per character."""
    base = unicodedata.normalize("NFD", text)
    if not base.isascii():
        base = _COMBINING.sub("", base)
    classes = base.translate(_WIDTH_CLASSES)
    capitals = sum(map(str.isupper, base)) - base.count("I") - base.count("M") - base.count("W")
    return (
        len(base)
        - 0.45 * classes.count("\x03")
        - 0.5 * classes.count("\x01")
        + 0.6 * classes.count("\x02")
        + 0.3 * capitals
    )


_WIDTH_CLASSES = str.maketrans({**dict.fromkeys(_NARROW, "\x01"), **dict.fromkeys(_WIDE, "\x02"), " ": "\x03"})
_COMBINING = re.compile("[\u0300-\u036f]")


def goes_on(a: str, b: str) -> bool:
    """Line b continues line a's sentence although it starts with a digit or a capital: a stops on a
    joining word or an open bracket ("… giữa các đoạn văn là" + "6pt và thụt dòng đầu"), or b starts
    with a number that is not a list marker ("6pt", "13,")."""
    if dangling(a):
        return True
    first = first_word(b)
    return bool(first) and first[0].isdigit() and not is_list_start(b)


def starts_lower(line: str) -> bool:
    """The first word (past opening quotes or brackets) begins with a lower-case letter."""
    s = first_word(line).lstrip("\"'“‘(«[")
    return bool(s) and s[0].islower()


def first_word(line: str) -> str:
    parts = line.split(maxsplit=1)
    return parts[0] if parts else ""


def is_upper_heading(line: str) -> bool:
    """An ALL-CAPS line of a few words, as section titles are often set."""
    if not line.isupper():  # no lower-case letter (a quick refusal for almost every line)
        return False
    letters = "".join(filter(str.isalpha, line))  # filter/map with str methods: no Python loop per character
    return len(letters) >= 4 and sum(map(str.isupper, letters)) == len(letters) and len(line.split()) <= 16


def _vi_letters() -> str:
    """Every precomposed letter that only Vietnamese writes (tone marks, ă â đ ê ô ơ ư)."""
    out = set(_VI_ONLY)
    for cp in range(0x00C0, 0x1EFA):
        ch = chr(cp)
        if ch.isalpha() and any(m in _TONES for m in unicodedata.normalize("NFD", ch)):
            out.add(ch)
    return "".join(sorted(out))


VI_LETTERS = _vi_letters()
_VI_LETTER_RE = re.compile(f"[{VI_LETTERS}]")


def has_vietnamese_letter(text: str) -> bool:
    """True if the text has a letter only Vietnamese spelling gives (a tone mark, ă â đ ê ô ơ ư)."""
    return _VI_LETTER_RE.search(unicodedata.normalize("NFC", text)) is not None


_WORD_RE = re.compile(r"[^\W\d_]+")


def detect_lang(text: str) -> str:
    """'vi' or 'en' for a paragraph; URLs and domains count as 'en' (they are never translated)."""
    if is_url_line(text):
        return "en"
    words = _WORD_RE.findall(text)
    if not words:
        return "vi"
    need = 0.12 * len(words)
    vi = 0
    for w in words[:200]:  # a paragraph's first words: Vietnamese prose passes the share within a few
        if not w.isascii() and _VI_LETTER_RE.search(w):
            vi += 1
            if vi >= need:
                return "vi"
    # Each distinct word is judged once (Counter counts in C): a paragraph of millions of words costs
    # a pass, not millions of Python calls. (A regex "letters* vi-letter letters*" used to count the
    # Vietnamese words; retried from every position of a long word without one, it was quadratic.)
    counts = Counter(words)
    vi = 0
    for w, n in counts.items():  # ASCII words cannot hold a Vietnamese letter: no regex for them
        if not w.isascii() and _VI_LETTER_RE.search(w):
            vi += n
            if vi >= need:
                return "vi"
    en = vi_ascii = 0
    for w, n in counts.items():
        lower = w.lower()
        en += n if lower in _EN_STOPWORDS else 0
        vi_ascii += n if lower in _VI_ASCII_WORDS else 0
    if vi == 0 and en >= max(1, vi_ascii) and len(words) >= 3:
        return "en"
    if vi == 0 and len(words) >= 6 and vi_ascii == 0:
        return "en"
    return "vi"


_PAGE_NUMBER_RE = re.compile(
    r"^[\s\-–—|•·]*(?:(?:trang|page|tr\.)\s*)?(?:\d{1,4}|(?P<roman>[ivxlc]{1,6}))"
    r"(?:\s*(?:/|of|trên)\s*\d{1,4})?[\s\-–—|•·]*$",
    re.IGNORECASE,
)


def is_page_number(line: str, *, roman: bool = False) -> bool:
    """A page number as printed in a header or footer: "12", "- 12 -", "Trang 3", "3 / 10" (and,
    with `roman`, "iv"). Plain text keeps roman numerals: there "vi" or "I" at a page edge is a word."""
    m = _PAGE_NUMBER_RE.match(line)
    return m is not None and (roman or m.group("roman") is None)


def edge_key(line: str) -> str:
    """What a running header or footer keeps from page to page: case, spacing and numbers aside."""
    return re.sub(r"\d+", "#", " ".join(line.lower().split()))


def collapse_spaces(text: str) -> str:
    return " ".join(text.split())


def collapse_spaces_keeping(text: str, positions: list[int]) -> tuple[str, list[int]]:
    """`collapse_spaces(text)` and where each of `positions` (offsets in `text`) lands in it.

    One pass over the words, whatever the number of positions: a paragraph joined from thousands of
    lines has thousands of positions, and collapsing the prefix for each one was quadratic."""
    out = collapse_spaces(text)
    if not positions:
        return out, []
    lead = len(text) - len(text.lstrip())
    words = [m.span() for m in _NON_SPACE.finditer(text)]
    moved = [0] * len(positions)
    w = 0  # words[:w] end at or before pos
    done = 0  # non-space characters in words[:w]
    for k in sorted(range(len(positions)), key=positions.__getitem__):
        pos = min(positions[k], len(text))
        if pos <= lead:
            continue  # an empty prefix collapses to ""
        while w < len(words) and words[w][1] <= pos:
            done += words[w][1] - words[w][0]
            w += 1
        chars, count = done, w
        if w < len(words) and words[w][0] < pos:  # pos cuts a word
            chars += pos - words[w][0]
            count += 1
        # the collapsed prefix keeps one space before pos when the prefix ends in whitespace
        size = chars + max(count - 1, 0) + (1 if text[pos - 1].isspace() else 0)
        moved[k] = min(size, len(out))
    return out, moved


_NON_SPACE = re.compile(r"\S+")


_COMPOUND_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def known_words(lines: Iterable[str]) -> set[str]:
    """Lower-cased words (hyphenated compounds kept whole) of a document, to judge line-end hyphens."""
    # One regex pass over the whole text (no word runs across "\n"); each distinct word lowered once.
    return {w.lower() for w in set(_COMPOUND_RE.findall("\n".join(lines)))}


JOIN_CONTEXT = 80  # characters at the end of line a that decide how line b joins it


def join_hyphenated(a: str, b: str, known: set[str]) -> tuple[str, str] | None:
    """Join line a, which ends in a hyphen, with line b, without a space.

    Returns (joined text, removed hyphen or ""), or None when a does not end in a word-hyphen.
    The hyphen goes only when the line break inserted it: a soft hyphen, or a word seen whole
    elsewhere in the document, or an English-looking word never seen hyphenated ("algo-rithm").
    It stays for real compounds ("real-time", "Xô-viết") seen with their hyphen."""
    how = _hyphen_join(a[-JOIN_CONTEXT:], b, known)
    if how is None:
        return None
    drop, removed = how
    return a[: len(a) - drop] + b, removed


def _hyphen_join(a: str, b: str, known: set[str]) -> tuple[int, str] | None:
    """(characters dropped from the end of a, removed text) for `join_hyphenated`; reads a[-80:] only."""
    if a.endswith("\u00ad"):
        return 1, "\u00ad"
    if not a.endswith("-"):
        return None
    m = re.search(r"([^\W\d_]+)-$", a[-JOIN_CONTEXT:])
    n = re.match(r"([^\W\d_]+)", b)
    if not m or not n:
        return None
    left, right = m.group(1), n.group(1)
    if not b[0].islower():
        return 0, ""  # "Squeeze-and-" + "Excitation": a compound, never a break hyphen
    if f"{left}-{right}".lower() in known:
        return 0, ""
    if _in_identifier(a, b):
        return 0, ""  # "--save-" + "after-login", "debian-" + "legal@lists.debian.org", "binary-" + "arch,"
    if (left + right).lower() in known:
        return 1, "-"  # the document writes the word whole elsewhere
    # Layout engines do not hyphenate Vietnamese syllables: next to Vietnamese text a line-end hyphen
    # is a real one. In English text an ASCII word never seen hyphenated was cut by the break.
    if left.isascii() and right.isascii() and not has_vietnamese_letter(a[-JOIN_CONTEXT:] + b[:JOIN_CONTEXT]):
        return 1, "-"
    return 0, ""


_IDENTIFIER_CHARS = frozenset("@./_:=\\<>#~%+0123456789")


def _in_identifier(a: str, b: str) -> bool:
    """The hyphen at the end of a sits inside an identifier, option, address, code or compound: the
    token it ends starts with "-" or holds another hyphen or one of @ . / _ : = digits, or the
    token that b starts with does."""
    parts = a.rsplit(maxsplit=1)
    left = parts[-1].strip("\"'“‘(«[") if parts else ""
    right = b.split(maxsplit=1)[0].rstrip("\"'”’)»],;.:!?") if b.strip() else ""
    if left.startswith("-") or "-" in left[:-1]:
        return True
    return any(c in _IDENTIFIER_CHARS for c in left) or any(c in _IDENTIFIER_CHARS or c == "-" for c in right)


def join_parts(a_tail: str, b: str, known: set[str]) -> tuple[int, str, str]:
    """How line b joins a paragraph whose text ends with `a_tail` (its last JOIN_CONTEXT characters
    suffice): (characters dropped from the paragraph's end, separator, removed characters). The joined
    text is `a[: len(a) - dropped] + separator + b`; callers that build a long paragraph line by line
    keep a list of pieces and never copy the whole paragraph per line."""
    hyphen = _hyphen_join(a_tail[-JOIN_CONTEXT:], b, known)
    if hyphen is not None:
        return hyphen[0], "", hyphen[1]
    if len(a_tail) >= 2 and a_tail[-1] == "/" and not a_tail[-2].isspace():
        return 0, "", ""
    return 0, " ", ""


def join_lines(a: str, b: str, known: set[str]) -> tuple[str, str]:
    """Join two lines of one paragraph: (text, removed characters).

    A space goes between them, except after a word-hyphen (see `join_hyphenated`) or a slash that
    ends a word ("chất lượng/" + "citation": the line broke after the slash, not at a space)."""
    drop, sep, removed = join_parts(a[-JOIN_CONTEXT:], b, known)
    return a[: len(a) - drop] + sep + b, removed


class ParagraphBuilder:
    """A paragraph's text built line by line in linear time (pieces joined once at the end)."""

    def __init__(self, first: str) -> None:
        self._pieces = [first]
        self._tail = first[-JOIN_CONTEXT:]
        self.length = len(first)

    def join(self, line: str, known: set[str]) -> str:
        """Append `line` as `join_lines` would; returns the removed characters."""
        drop, sep, removed = join_parts(self._tail, line, known)
        if drop:
            self._pieces[-1] = self._pieces[-1][: len(self._pieces[-1]) - drop]
        self._pieces.append(sep + line)
        self.length += len(sep) + len(line) - drop
        self._tail = (self._tail[: len(self._tail) - drop] + sep + line)[-JOIN_CONTEXT:]
        return removed

    def text(self) -> str:
        return "".join(self._pieces)
