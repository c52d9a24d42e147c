"""Checks on one sentence pair (Vietnamese source, English translation), machine or human.

Pure functions of the two strings; no model. Each finding is a `Flag(kind, detail)`: `kind` is one of
KINDS, `detail` says the reason in words ("15 in Vietnamese, 50 in English"). The flags are hints for a
reviewer, not verdicts. What is checked:

- number: the numbers of both sides compared as multisets of values, read with each language's
  conventions (Vietnamese `1.000` = 1000 and `2,5` = 2.5; `nghìn`/`ngàn`, `triệu`, `tỷ`/`tỉ`, `vạn`;
  English `1,000`, `2.5 billion`, `$1.5m`, number words, ordinals, month names, `10 pm`), so that
  `2,5 tỷ` = `2.5 billion` = `2,500 million`. Dates, ranges and fractions are read as their parts
  (`5/3/2024` -> 5, 3, 2024 = `5 March 2024`). A number written in digits that has no equal on the
  other side is flagged; a number written in words ("one", "first", "hai") only when the other side
  also has a number left over, since words like these are often not numbers at all.
- negation: negation words on each side (không, chưa, chẳng, chả, đâu có, đừng, chớ, cấm, thiếu ...
  against not, n't, no, never, without, nothing, fail to, lack, yet to, unless, ban, prohibited,
  unchanged, unprecedented ...), leaving out words that only look negative (không khí, không gian,
  hàng không, không quân, số không, "có ... không?" and "... chưa?" questions, "hay không" = whether,
  không chỉ / not only, chưa đến = fewer than, không ít = quite a few, No. 3, no matter). Flagged when
  one side negates and the other does not, or when their counts differ by two or more (a count that
  differs by one is left alone: "đừng ký khi chưa đọc" = "do not sign before reading").
- name: URLs, e-mail addresses, acronyms (WHO, FDI: or spelled out, "foreign direct investment"),
  foreign names (Samsung, Pfizer), runs of capitalised syllables that are names of people and places
  (Nguyễn Văn Bình = Nguyen Van Binh, Bạch Mai, Cần Giờ; titles and kinds of body such as Ông, Bộ,
  Bệnh viện, Nhi are not names), provinces, well-known places and bodies with their English names
  (Hà Nội = Hanoi, Bộ Tài chính = Ministry of Finance, Tổng cục Thống kê = GSO) of the Vietnamese that
  the English lacks, compared without diacritics, case or spaces.
- untranslated (Vietnamese left in the English, or the English identical to the source),
  repetition (the decoder looping), length (an odd length ratio), empty.

Stored flags (translations.flags) keep the kinds as space-separated tokens; the details are computed
again from the two texts by `explain`, the one formatter every reader (window, reports, exports) uses.
Older libraries stored `repeated` and `length_ratio`: they read as repetition and length.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core.layout.cues import has_vietnamese_letter

if TYPE_CHECKING:
    from app.core.translate.glossary import Entry, Glossary

KINDS = ("empty", "number", "negation", "name", "untranslated", "repetition", "length", "glossary")
LEGACY = {"repeated": "repetition", "length_ratio": "length"}  # stored by earlier versions
MIN_CHARS_FOR_RATIO = 20  # short strings ("Có.", "Điều 5") vary too much in length to judge
RATIO_RANGE = (0.3, 3.0)  # English is usually 0.9-1.4x the characters of its Vietnamese source


@dataclass(frozen=True)
class Flag:
    kind: str  # one of KINDS
    detail: str  # the reason in words


# --------------------------------------------------------------------------- text helpers

_PUNCT = re.compile(r"^\W+|\W+$")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower case without diacritics (đ -> d): 'Nguyễn Văn Bình' -> 'nguyen van binh'."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def _squash(text: str) -> str:
    """fold() with everything but letters and digits removed: 'Da Nang' and 'Đà Nẵng' -> 'danang'."""
    return "".join(c for c in fold(text) if c.isalnum())


def _words(text: str) -> list[str]:
    return [w for w in (_PUNCT.sub("", t).casefold() for t in text.split()) if w]


# --------------------------------------------------------------------------- existing checks


def has_repetition(text: str) -> bool:
    """A word said 4+ times in a row, or a 2-8 word phrase 3+ times in a row: the decoder looping."""
    words = _words(text)
    run = 1
    for prev, word in itertools.pairwise(words):
        run = run + 1 if word == prev else 1
        if run >= 4:
            return True
    for n in range(2, min(8, len(words) // 3) + 1):
        for i in range(len(words) - 3 * n + 1):
            if words[i : i + n] == words[i + n : i + 2 * n] == words[i + 2 * n : i + 3 * n]:
                return True
    return False


def _normalize(text: str) -> str:
    return " ".join(_nfc(text).casefold().split())


def is_identical(source: str, target: str) -> bool:
    return has_vietnamese_letter(source) and _normalize(source) == _normalize(target)


def is_untranslated(source: str, target: str) -> bool:
    """The Vietnamese came through unchanged, or the output is mostly Vietnamese words."""
    if not has_vietnamese_letter(source):
        return False
    if is_identical(source, target):
        return True
    marked = [w for w in _words(target) if has_vietnamese_letter(w)]
    # Names keep their marks in English ("Hồ Chí Minh City"), so only a long run of them counts.
    return len(marked) >= 4 and len(marked) >= 0.5 * len(_words(target))


def length_odd(source: str, target: str) -> bool:
    src_len, tgt_len = len(source.strip()), len(target.strip())
    return src_len >= MIN_CHARS_FOR_RATIO and not RATIO_RANGE[0] <= tgt_len / src_len <= RATIO_RANGE[1]


# --------------------------------------------------------------------------- numbers


@dataclass(frozen=True)
class Number:
    value: float
    text: str  # as written, for the detail
    hard: bool  # written in digits (or a scaled word): an unmatched one is always flagged
    unit: str = ""  # a unit of time right after it ('3 tuần' = week): 3 weeks is not 3 months
    alt: float | None = None  # another reading of the same text ('10m': 10 million or 10 metres)


_VI_SCALES = {"nghìn": 1e3, "ngàn": 1e3, "vạn": 1e4, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9, "trăm": 1e2, "chục": 10.0}
_EN_SCALES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "quadrillion": 1e15,
    "bn": 1e9,
    "mn": 1e6,
    "m": 1e6,
    "k": 1e3,
    "b": 1e9,
}
_EN_UNITS: dict[str, float] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "dozen": 12,
}
_EN_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "twentieth": 20,
    "hundredth": 100,
}
_EN_FRACTIONS = {
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fifth": 5,
    "fifths": 5,
    "tenth": 10,
    "tenths": 10,
}
_EN_TIMES = {"twice": 2, "double": 2, "doubled": 2, "doubles": 2, "triple": 3, "tripled": 3, "triples": 3}
_EN_TIMES |= {"quadruple": 4, "quadrupled": 4, "quadruples": 4, "zero": 0}
_MONTH_NAMES = "january february march april may june july august september october november december"
_MONTHS = {m: i + 1 for i, m in enumerate(_MONTH_NAMES.split())}
_MONTHS |= {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9}
_MONTHS |= {"oct": 10, "nov": 11, "dec": 12}
_VI_UNITS: dict[str, float] = {
    "một": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
}
_VI_UNITS |= {"không": 0, "mươi": 10, "lăm": 5, "mốt": 1, "tư": 4, "năm": 5, "đôi": 2, "linh": 0, "lẻ": 0}
_ROMAN_ONES = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")
_ROMAN = {
    tens + ones: 10 * t + o for t, tens in enumerate(("", "X", "XX", "XXX")) for o, ones in enumerate(_ROMAN_ONES)
}
del _ROMAN[""]

_DIGITS = r"\d+(?:[.,]\d+)*"
_VI_UNITS_OF_TIME = {"giây": "s", "phút": "min", "giờ": "h", "tiếng": "h", "ngày": "day", "tuần": "week"}
_VI_UNITS_OF_TIME |= {"tháng": "month", "năm": "year", "tuổi": "year", "thập": "decade", "quý": "quarter"}
_EN_UNITS_OF_TIME = {"second": "s", "minute": "min", "hour": "h", "day": "day", "week": "week", "month": "month"}
_EN_UNITS_OF_TIME |= {"year": "year", "decade": "decade", "quarter": "quarter"}


def _unit_after(rest: str, lang: str) -> str:
    """The unit of time that follows a number ('3 tuần', '3-month', '3 years'), or ''."""
    m = re.match(r"[\s-]*(\w+)", rest)
    if m is None:
        return ""
    word = m.group(1).lower()
    if lang == "vi":
        return _VI_UNITS_OF_TIME.get(word, "")
    return _EN_UNITS_OF_TIME.get(word.removesuffix("s"), "")


_WORD = re.compile(r"\w+(?:['’]\w+)?|[^\w\s]", re.UNICODE)


def parse_vi_numeral(text: str) -> float:
    """A Vietnamese numeral: '.' groups thousands, ',' marks decimals ('1.000' = 1000, '2,5' = 2.5).
    Written the English way ('7.4', '1,234.5', '3,500,000') it is read the English way."""
    if "." in text and "," in text:
        if text.rfind(",") > text.rfind("."):
            return float(text.replace(".", "").replace(",", "."))
        return float(text.replace(",", ""))
    if "." in text:
        groups = text.split(".")
        if all(len(g) == 3 for g in groups[1:]) and len(groups[0]) <= 3:
            return float(text.replace(".", ""))
        return float(text) if len(groups) == 2 else float(text.replace(".", ""))
    if "," in text:
        groups = text.split(",")
        if len(groups) > 2 and all(len(g) == 3 for g in groups[1:]):
            return float(text.replace(",", ""))
        return float(groups[0] + "." + "".join(groups[1:]))
    return float(text)


def parse_en_numeral(text: str) -> float:
    """An English numeral: ',' groups thousands and '.' marks decimals ('1.000' is one)."""
    if "," in text and "." not in text:
        groups = text.split(",")
        if not all(len(g) == 3 for g in groups[1:]):  # '2,5': a Vietnamese decimal left as it was
            return float(groups[0] + "." + "".join(groups[1:]))
    return float(text.replace(",", ""))


def _tokens(text: str) -> list[str]:
    return _WORD.findall(_nfc(text))


_VI_NUM_RE = re.compile(
    r"(?<!\d)(?P<num>" + _DIGITS + r")(?P<scale>(?:\s*(?:nghìn|ngàn|vạn|triệu|tỷ|tỉ|trăm)(?!\w))*)"
    r"(?:\s*(?P<ampm>giờ(?:\s+\d+)?(?:\s+phút)?\s+(?:chiều|tối)))?",
    re.IGNORECASE,
)


_CURRENCY_PREFIXES = {"VND", "VNĐ", "USD", "US", "EUR", "SGD", "HKD", "AUD", "JPY", "CNY", "GBP", "A", "S", "HK", "NT"}
_CURRENCY_PREFIXES |= {"Q", "RS", "VN", "D", "Đ"}


def _glued_to_a_word(text: str, start: int) -> bool:
    """A number written onto letters ('km2', 'RON95', 'H5N1') is part of a name or a unit, read the
    same on both sides, not a quantity; a currency ('VND25,000', 'US$5') or a quarter ('Q3') is."""
    letters = re.search(r"[^\W\d_]+$", text[:start])
    return letters is not None and letters.group(0).upper() not in _CURRENCY_PREFIXES


def vietnamese_numbers(text: str) -> list[Number]:
    """The numbers of a Vietnamese sentence, in order (see the module's doc)."""
    text = _nfc(text)
    out: list[Number] = []
    masked = text
    for m in re.finditer(r"https?://\S+|www\.\S+|\S+@\S+\.\w+", text):  # URLs carry no claims
        masked = masked[: m.start()] + " " * (m.end() - m.start()) + masked[m.end() :]
    for m in _VI_NUM_RE.finditer(masked):
        if _glued_to_a_word(masked, m.start()):
            continue
        value = parse_vi_numeral(m.group("num"))
        for scale in re.findall(r"nghìn|ngàn|vạn|triệu|tỷ|tỉ|trăm", m.group("scale") or "", re.IGNORECASE):
            value *= _VI_SCALES[scale.lower()]
        if m.group("ampm") and value < 12:
            value += 12
        shown = (m.group("num") + (m.group("scale") or "")).strip()
        if masked[m.end() : m.end() + 2].strip().startswith("%"):
            shown += "%"
        unit = "" if m.group("ampm") else _unit_after(masked[m.end() :], "vi")
        out.append(Number(value, shown, True, unit))
    out.extend(_vietnamese_words(masked))
    return out


def _vietnamese_words(text: str) -> list[Number]:
    tokens = _tokens(text)
    low = [t.lower() for t in tokens]
    out: list[Number] = []
    i = 0
    while i < len(tokens):
        word = low[i]
        prev = low[i - 1] if i else ""
        nxt = low[i + 1] if i + 1 < len(low) else ""
        if word == "quý" and i + 1 < len(tokens) and tokens[i + 1] in _ROMAN:
            out.append(Number(_ROMAN[tokens[i + 1]], f"quý {tokens[i + 1]}", False))
            i += 2
            continue
        if word in {"khóa", "khoá", "kỳ", "phần", "chương", "đợt"} and i + 1 < len(tokens) and tokens[i + 1] in _ROMAN:
            out.append(Number(_ROMAN[tokens[i + 1]], f"{tokens[i]} {tokens[i + 1]}", False))
            i += 2
            continue
        if (
            word in {"thế", "khóa", "khoá"}
            and i + 2 < len(tokens)
            and tokens[i + 2] in _ROMAN
            and low[i + 1] in {"kỷ", "kỉ"}
        ):
            out.append(Number(_ROMAN[tokens[i + 2]], f"thế kỷ {tokens[i + 2]}", False))
            i += 3
            continue
        if word == "đầu" and nxt == "tiên":
            out.append(Number(1, "đầu tiên", False))
            i += 2
            continue
        if word == "số" and nxt == "không":
            out.append(Number(0, "số không", False))
            i += 2
            continue
        if word == "đôi" and prev == "gấp":
            out.append(Number(2, "gấp đôi", False))
            i += 1
            continue
        if prev == "thứ" and word in {"nhất", "tư", "hai", "ba", "năm", "sáu", "bảy", "tám", "chín", "mười"}:
            value = {"nhất": 1, "tư": 4}.get(word) or _VI_UNITS[word]
            out.append(Number(value, f"thứ {tokens[i]}", False))
            i += 1
            continue
        if word in _VI_UNITS and word not in {"không", "mươi", "lăm", "mốt", "tư", "năm", "đôi", "linh", "lẻ"}:
            if prev == "hàng" or (i + 1 < len(tokens) and tokens[i + 1][:1].isupper() and i > 0):
                i += 1  # 'hàng trăm' (hundreds of), 'Ba Lan' (Poland)
                continue
            if word == "một" and nxt in {"số", "cách", "trong", "nửa", "chút", "vài", "loạt", "phần"}:
                i += 1
                continue
            # a run of number words: 'hai mươi lăm', 'ba trăm', 'hai triệu'
            j, value, current, scaled = i, 0.0, 0.0, False
            shown: list[str] = []
            while j < len(tokens) and (low[j] in _VI_UNITS or low[j] in _VI_SCALES):
                w = low[j]
                if w in {"không", "năm", "tư", "đôi", "lăm", "mốt", "linh", "lẻ"} and (
                    j == i or low[j - 1] not in {"mươi", "trăm", "linh", "lẻ", "nghìn", "ngàn"}
                ):
                    break
                if w == "mươi":
                    current = (current or 1) * 10
                elif w in _VI_SCALES:
                    if w == "chục" and j == i:
                        break
                    scale = _VI_SCALES[w]
                    if scale >= 1000:
                        value += (current or 1) * scale
                        current = 0.0
                    else:
                        current = (current or 1) * scale
                    scaled = True
                else:
                    current += _VI_UNITS[w]
                shown.append(tokens[j])
                j += 1
            if j == i:
                i += 1
                continue
            unit = _VI_UNITS_OF_TIME.get(low[j], "") if j < len(low) else ""
            out.append(Number(value + current, " ".join(shown), scaled and value + current >= 100, unit))
            i = j
            continue
        i += 1
    return out


_EN_NUM_RE = re.compile(
    r"(?<!\d)(?P<num>" + _DIGITS + r")(?P<suffix>st|nd|rd|th|s)?(?:(?P<attached>bn|mn|m|k|b)(?![\w]))?"
    r"(?P<scale>(?:\s+(?:hundred|thousand|million|billion|trillion|quadrillion)(?!\w))*)"
    r"(?:\s*(?P<ampm>[ap]\.?m\b\.?))?",
    re.IGNORECASE,
)


def english_numbers(text: str) -> list[Number]:
    """The numbers of an English sentence, in order (see the module's doc)."""
    text = _nfc(text)
    masked = text
    for m in re.finditer(r"https?://\S+|www\.\S+|\S+@\S+\.\w+", text):
        masked = masked[: m.start()] + " " * (m.end() - m.start()) + masked[m.end() :]
    out: list[Number] = []
    for m in _EN_NUM_RE.finditer(masked):
        if _glued_to_a_word(masked, m.start()):
            continue
        value = parse_en_numeral(m.group("num"))
        alt = None
        if m.group("attached"):
            alt = value if m.group("attached").lower() == "m" else None  # '10m' may be 10 metres
            value *= _EN_SCALES[m.group("attached").lower()]
        for scale in (m.group("scale") or "").split():
            value *= _EN_SCALES[scale.lower()]
        ampm = (m.group("ampm") or "").lower()
        if ampm.startswith("p") and value < 12:
            value += 12
        unit = "" if ampm else _unit_after(masked[m.end() :], "en")
        shown = m.group(0).strip() + ("%" if masked[m.end() : m.end() + 2].strip().startswith("%") else "")
        out.append(Number(value, shown, True, unit, alt))
    out.extend(_english_words(masked))
    return out


def _english_words(text: str) -> list[Number]:
    tokens = _tokens(text)
    low = [t.lower() for t in tokens]
    out: list[Number] = []
    i = 0
    while i < len(tokens):
        word = low[i]
        prev = low[i - 1] if i else ""
        if word in _MONTHS and (word != "may" or (i > 0 and tokens[i] == "May")) and len(word) >= 3:
            if (len(word) <= 4 or word == "march") and not tokens[i][:1].isupper():
                i += 1  # 'mar', 'march', 'dec' as words
                continue
            out.append(Number(_MONTHS[word], tokens[i], False))
            i += 1
            continue
        if word in _EN_ORDINALS and not (word in _EN_FRACTIONS and (prev in _EN_UNITS or prev in {"a", "one"})):
            out.append(Number(_EN_ORDINALS[word], tokens[i], False))
            i += 1
            continue
        if word in _EN_FRACTIONS and (prev in _EN_UNITS or prev in {"a", "one"}):
            if prev == "a":
                out.append(Number(1, "a", False))
            out.append(Number(_EN_FRACTIONS[word], tokens[i], False))
            i += 1
            continue
        if word.endswith("fold") and (word[:-4].rstrip("-") in _EN_UNITS or word[:-4].rstrip("-").isdigit()):
            base = word[:-4].rstrip("-")  # 'fivefold', '10-fold' (the tokenizer splits '10-fold' itself)
            out.append(Number(float(base) if base.isdigit() else _EN_UNITS[base], tokens[i], False))
            i += 1
            continue
        if word in {"decade", "decades"} and prev in {"a", "one"}:
            out.append(Number(1, f"{tokens[i - 1]} {tokens[i]}", False, "decade"))
            i += 1
            continue
        if word in {"full", "fully"}:  # 'full provisions' for 'dự phòng 100%'
            out.append(Number(100, tokens[i], False))
            i += 1
            continue
        if word in _EN_TIMES:
            out.append(Number(_EN_TIMES[word], tokens[i], False))
            i += 1
            continue
        if word in _EN_UNITS or (word == "a" and i + 1 < len(low) and low[i + 1] in _EN_SCALES | {"dozen": 12.0}):
            j, value, current, scaled = i, 0.0, 0.0, False
            shown: list[str] = []
            while j < len(tokens):
                w = low[j]
                if w == "a" and j == i:
                    current = 1.0
                elif w == "dozen":
                    current = (current or 1) * 12
                elif w in _EN_UNITS:
                    current += _EN_UNITS[w]
                elif w in _EN_SCALES and len(w) > 2:
                    scale = _EN_SCALES[w]
                    if scale >= 1000:
                        value += (current or 1) * scale
                        current = 0.0
                    else:
                        current = (current or 1) * scale
                    scaled = True
                elif w in {"-", "and"} and j + 1 < len(low) and low[j + 1] in _EN_UNITS and j > i:
                    pass
                else:
                    break
                shown.append(tokens[j])
                j += 1
            total = value + current
            unit = _EN_UNITS_OF_TIME.get(low[j].removesuffix("s"), "") if j < len(low) else ""
            out.append(Number(total, " ".join(shown), scaled and total >= 100, unit))
            i = j
            continue
        i += 1
    return out


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1.0)


def _in_years(n: Number, value: float) -> tuple[float, str]:
    return (value * 10, "year") if n.unit == "decade" else (value, n.unit)


def _agree(a: Number, b: Number) -> bool:
    """The same quantity: equal values (either reading of b), in the same unit of time when both
    have one (a decade is 10 years)."""
    for value in (b.value, b.alt):
        if value is None:
            continue
        (va, ua), (vb, ub) = _in_years(a, a.value), _in_years(b, value)
        if _same(va, vb) and (not ua or not ub or ua == ub):
            return True
    return False


def _fmt(numbers: Sequence[Number]) -> str:
    units = {"s": "seconds", "min": "minutes", "h": "hours"}
    return ", ".join(n.text + (f" ({units.get(n.unit, n.unit + 's')})" if n.unit else "") for n in numbers)


_HALF_YEAR_VI = re.compile(r"\b(?:6|sáu)\s+tháng\s+(?:đầu|cuối)", re.IGNORECASE)
_HALF_YEAR_EN = re.compile(r"\b(?:first|second|1st|2nd)[-\s]half\b|\bH[12]\b|\bhalf[-\s]year", re.IGNORECASE)


def compare_numbers(vi: str, en: str) -> str | None:
    """None when the numbers agree; otherwise the difference in words."""
    left_vi = vietnamese_numbers(vi)
    left_en = english_numbers(en)
    if _HALF_YEAR_VI.search(vi) and _HALF_YEAR_EN.search(en):  # '6 tháng đầu năm' = 'the first half', 'H1'
        left_vi = [n for n in left_vi if not (_same(n.value, 6) and n.unit == "month")]
        left_en = [n for n in left_en if not (n.text in {"1", "2"} and re.search(r"\bH[12]\b", en))]
    for a in list(left_vi):  # digits first: they are the surest
        for b in left_en:
            if _agree(a, b):
                left_vi.remove(a)
                left_en.remove(b)
                break
    hard_vi = [n for n in left_vi if n.hard]
    hard_en = [n for n in left_en if n.hard]
    if not hard_vi and not hard_en and not (left_vi and left_en):
        return None
    if left_vi and left_en:
        return f"{_fmt(left_vi)} in Vietnamese, {_fmt(left_en)} in English"
    if left_vi:
        return f"{_fmt(left_vi)} in Vietnamese, missing in English"
    return f"{_fmt(left_en)} in English, not in the Vietnamese"


# --------------------------------------------------------------------------- negation

_VI_NEG = re.compile(
    r"\b(?:không|chưa|chẳng|chả|đừng|chớ|cấm|tránh|miễn\s+phí|đâu\s+(?:có|phải)|vô\s+tội|từ\s+chối|bác\s+bỏ|phủ\s+nhận|thiếu)\b",
    re.IGNORECASE,
)
# Vietnamese that only looks negative: removed before counting.
_VI_NOT_NEG = re.compile(
    r"\b(?:không\s+(?:khí|gian|quân|phận|lưu|chỉ|những|ngừng|ít(?!\s+hơn)|kém|thể\s+thiếu|sao)"
    r"|(?<!ngân\s)(?<!cửa\s)(?<!khách\s)(?<!mặt\s)(?<!đơn\s)(?<!nhà\s)(?<!bán\s)(?<!giao\s)(?<!mua\s)(?<!lô\s)"
    r"(?<!kho\s)(?<!quầy\s)(?<!gian\s)(?<!đặt\s)(?<!chủ\s)(?<!xếp\s)(?<!món\s)(?<!loại\s)hàng\s+không|số\s+không|(?:con\s+)?số\s+0|chẳng\s+những|chẳng\s+hạn|chưa\s+(?:đến|tới|đầy|kể\s+đến)"
    r"|chả\s+(?:giò|cá|lụa|quế|chìa)|bún\s+chả|thiếu\s+(?:niên|nhi|tá|tướng|úy|uý|sót\s+gì)"
    r"|(?:không|chưa)\s*\?"
    r"|(?:hay|hoặc)\s+(?:không|chưa)"
    r"|không\s+kể)",
    re.IGNORECASE,
)
_EN_NEG = re.compile(
    r"\b(?:not|no|never|none|nor|neither|nothing|nobody|nowhere|without|cannot|can't|won't|"
    r"\w+n't|lack(?:s|ed|ing)?|fail(?:s|ed|ing)?\s+to|far\s+from|refus(?:e|es|ed|ing)|reject(?:s|ed|ing)?"
    r"|den(?:y|ies|ied|ying)|disagree(?:s|d)?|unable|impossible|innocent|shortage|short\s+of"
    r"|(?:advis|warn|caution)(?:e|es|ed|s|ing)?\s+against|no\s+longer|yet\s+to|unless|hardly|barely|scarcely|avoid(?:s|ed|ing)?"
    r"|ban(?:s|ned|ning)?|prohibit(?:s|ed|ing|ion)?|forb(?:id|ids|idden|ade)"
    r"|un(?:changed|acceptable|clear|known|aware|paid|safe|successful|resolved|finished|available|affected"
    r"|willing|necessary|sure|answered|decided|limited|precedented|able)"
    r"|in(?:complete|sufficient|adequate)|free\s+of\s+charge|(?:is|are|be|been|was|were|remains?|for)\s+free)\b",
    re.IGNORECASE,
)
_EN_NOT_NEG = re.compile(
    r"\b(?:not\s+only|no\.\s*\d|no\s+(?:doubt)|nothing\s+but|none\s+the\s+less|not\s+least|or\s+not|no\s+matter"
    r"|(?:is|are|was|were)\s+not\s+(?:least|only))\b",
    re.IGNORECASE,
)


def negations(text: str, lang: str) -> list[str]:
    """The negation words of a sentence ('vi' or 'en'), in order; idioms that only look negative and
    yes/no questions are left out."""
    text = _nfc(text)
    if lang == "vi":
        text = _VI_NOT_NEG.sub(" ", text)
        found = [m.group(0) for m in _VI_NEG.finditer(text)]
        return _vi_tail_dau(text, found)
    text = _EN_NOT_NEG.sub(" ", text.replace("’", "'"))
    return [m.group(0) for m in _EN_NEG.finditer(text) if not _is_no_abbreviation(text, m)]


def _is_no_abbreviation(text: str, m: re.Match[str]) -> bool:
    return m.group(0) in {"No", "no"} and re.match(r"\.?\s*\d", text[m.end() :]) is not None


def _vi_tail_dau(text: str, found: list[str]) -> list[str]:
    """'... đâu.' at the end of a clause negates ('Tôi không biết đâu'), unless it means 'where'."""
    for m in re.finditer(r"(\w+)\s+đâu\s*[.!,]", text, re.IGNORECASE):
        if m.group(1).lower() not in {
            "ở",
            "đi",
            "về",
            "từ",
            "tới",
            "đến",
            "chỗ",
            "nơi",
            "tận",
            "bao",
            "nào",
            "được",
            "có",
        }:
            found.append("đâu")
    return found


# Words that negate by their meaning, not by a negation particle ('thiếu' = lack, 'rejected',
# 'without', 'unable'): they may render the other side's particle ('không chấp nhận' = 'rejected').
_VI_SOFT = re.compile(r"cấm|tránh|thiếu|miễn\s+phí|vô\s+tội|từ\s+chối|bác\s+bỏ|phủ\s+nhận", re.IGNORECASE)
_EN_CORE = re.compile(
    r"not|no|never|none|nor|neither|nothing|nobody|nowhere|cannot|can't|won't|\w+n't|no\s+longer", re.I
)


def _core(found: list[str], lang: str) -> int:
    if lang == "vi":
        return sum(_VI_SOFT.fullmatch(w) is None for w in found)
    return sum(_EN_CORE.fullmatch(w) is not None for w in found)


def compare_negation(vi: str, en: str) -> str | None:
    """Flagged when one side negates and the other does not; when their counts differ by two or
    more; or when one side has a negation particle (không, not) that the other renders neither by
    a particle nor by an extra word that negates by meaning (rejected, without, thiếu)."""
    neg_vi = negations(vi, "vi")
    neg_en = negations(en, "en")
    core_vi, core_en = _core(neg_vi, "vi"), _core(neg_en, "en")
    soft_vi, soft_en = len(neg_vi) - core_vi, len(neg_en) - core_en
    unrendered = (core_vi and not core_en and soft_en <= soft_vi) or (core_en and not core_vi and soft_vi <= soft_en)
    if bool(neg_vi) == bool(neg_en) and abs(len(neg_vi) - len(neg_en)) < 2 and not unrendered:
        return None
    if not core_en and neg_en and unrendered:
        return f"the Vietnamese negates ({', '.join(neg_vi)}), the English only has {', '.join(neg_en)}"
    if not core_vi and neg_vi and unrendered:
        return f"the English negates ({', '.join(neg_en)}), the Vietnamese only has {', '.join(neg_vi)}"
    if not neg_en:
        return f"the Vietnamese negates ({', '.join(neg_vi)}), the English does not"
    if not neg_vi:
        return f"the English negates ({', '.join(neg_en)}), the Vietnamese does not"
    return (
        f"{len(neg_vi)} negations in Vietnamese ({', '.join(neg_vi)}), {len(neg_en)} in English ({', '.join(neg_en)})"
    )


# --------------------------------------------------------------------------- names

_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"')]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
# Vietnamese acronyms that a translation spells out in English words of its own.
_VI_ACRONYMS = {
    "TP", "HCM", "TPHCM", "UBND", "HĐND", "THPT", "THCS", "ĐH", "ĐHQG", "BHXH", "BHYT", "CSGT", "VN", "TQ",
    "QH", "CP", "NĐ", "TW", "GS", "TS", "PGS", "ThS", "BS", "USD", "VND", "VNĐ", "ĐBSCL", "KCN", "MTTQ",
    "BCH", "ĐCSVN", "CA", "TAND", "VKSND", "QĐ", "TT", "NQ", "BTC", "BYT", "BGDĐT", "DN", "DNNN", "NHNN",
    "XK", "NK", "KH", "CNTT", "TNHH", "CTCP", "HTX", "SXKD", "VĐV", "ĐT", "HLV", "LĐ", "KHCN", "KT", "XH",
    "ATGT", "GTVT", "NN", "PTNT", "LĐTBXH", "TNMT", "VH", "DL", "QLTT", "PCCC", "CSCĐ", "ANTT", "BĐS", "CNH",
    "HĐH", "XHCN", "QĐND", "CAND", "HĐQT", "ĐHĐCĐ", "TGĐ", "NLĐ", "DNNVV", "VKS", "UBKT", "BCĐ", "TTG", "VPCP",
    "NSNN", "TCTK", "KBNN", "NHTM", "TCTD", "TTCK", "BHTN", "GTGT", "TNDN", "TNCN", "XNK", "KCX", "KKT", "TMĐT",
    "CĐS", "TP.HCM", "HN", "SG", "ĐNA", "LHQ", "TH", "MN", "GD", "GDĐT", "SV", "HS", "GV", "PV",
}  # fmt: skip
_SURNAMES = {
    "nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng", "bùi", "đỗ", "hồ", "ngô",
    "dương", "lý", "đinh", "đào", "trịnh", "vương", "tô", "lương", "cao", "đàm", "chu", "tạ", "lâm",
    "trương", "quách", "lưu", "mạc", "thái", "hà", "kiều", "triệu", "đoàn", "văn", "tống", "khúc", "la",
    "lại", "mai", "nông", "phùng", "tăng", "thân", "doãn", "từ", "khổng", "diệp", "âu",
}  # fmt: skip
_TITLES = {
    "ông", "bà", "anh", "chị", "em", "cô", "bác", "cháu", "thủ", "chủ", "bộ", "giáo", "luật", "tổng",
    "phó", "thứ", "đại", "nhà", "tiến", "thạc", "kỹ", "nghệ", "nhạc", "ca", "cầu", "thượng", "trung", "thiếu",
    "tướng", "đồng", "chí", "bí", "thư", "trưởng", "tịch", "sư", "sĩ", "viên",
}  # fmt: skip
# A capitalised run after one of these is a place or a body's own name ("tỉnh Quảng Ninh").
_PLACE_WORDS = {
    "tỉnh", "huyện", "quận", "xã", "phường", "thị", "trấn", "thành", "phố", "tp", "sân", "bay", "cảng", "sông",
    "hồ", "đảo", "vịnh", "núi", "đèo", "viện", "công", "ty", "tập", "đoàn", "hãng", "máy", "tuyến", "cầu",
    "chợ", "làng", "bản", "vùng", "miền", "khu", "cao", "tốc", "đường", "mặn", "quốc", "lộ",
}  # fmt: skip
# Capitalised words that name a kind of body ('Bệnh viện Nhi Trung ương' = the National Children's
# Hospital): a run starting with them is translated, not kept.
_DESCRIPTORS = {
    "nhi", "trung", "quốc", "đa", "phụ", "tâm", "răng", "mắt", "nội", "ung", "y", "dược", "bách", "sư",
    "kinh", "luật", "nông", "giao", "xây", "thủy", "thuỷ", "mở", "công", "khoa", "văn", "ngoại", "hữu",
    "thống", "tài", "nhà", "nhân", "tối", "cao", "hàng", "điện", "lực", "dầu", "khí", "than", "thép",
    "bưu", "viễn", "đường", "sắt", "bảo", "hiểm", "chứng", "khoán", "thương", "mại", "phát", "triển",
    "đầu", "tư", "ngân", "tín", "dụng", "hành", "chính", "thanh", "tra", "kiểm", "toán", "sát", "quân",
    "đội", "an", "tòa", "án", "ủy", "uỷ", "ban", "hội", "đồng", "liên", "hiệp", "đông", "tây",
    "nam", "bắc", "miền", "tổng", "cục", "vụ", "sở", "phòng", "trường", "học", "đại", "cộng",
    "xã", "chủ", "nghĩa", "tiền", "tệ", "lao", "động", "thế", "giới", "châu", "á", "âu", "phi",
    "quỹ", "cơ", "quan", "tổ", "chức", "đảng", "mặt", "trận", "hãng", "tập", "bệnh", "viện",
    "bộ", "hàn", "lâm", "nghiên", "cứu", "tháng", "thứ", "nhật", "tết", "lễ", "ngày", "giải", "cúp",
    "nghị", "quyết", "định", "chương", "trình", "kế", "hoạch", "dự", "đề", "chiến", "lược", "cách", "mạng",
    "tranh", "ước",
}  # fmt: skip
# Well-known places and their English names: the English must have one of them.
_EXONYMS = {
    "việt nam": ("vietnam", "viet nam"),
    "hà nội": ("hanoi", "ha noi"),
    "hồ chí minh": ("ho chi minh", "hcmc", "saigon", "hcm"),
    "sài gòn": ("saigon", "sai gon", "ho chi minh"),
    "trung quốc": ("china", "chinese"),
    "nhật bản": ("japan",),
    "hàn quốc": ("korea",),
    "hoa kỳ": ("united states", "us", "america", "u.s."),
    "ấn độ": ("india",),
    "thái lan": ("thailand", "thai"),
    "đài loan": ("taiwan",),
    "hồng kông": ("hong kong",),
    "liên hợp quốc": ("united nations", "un"),
    "đồng bằng sông cửu long": ("mekong delta",),
    "trái đất": ("earth",),
    "đông nam á": ("southeast asia", "south-east asia"),
    "đà nẵng": ("da nang", "danang"),
    "huế": ("hue",),
    "campuchia": ("cambodia",),
    "lào": ("laos", "lao"),
    "singapore": ("singapore",),
    "philippines": ("philippines", "philippine", "filipino"),
    "indonesia": ("indonesia",),
    "malaysia": ("malaysia",),
    "liên minh châu âu": ("european union", "eu"),
    "biển đông": ("east sea", "south china sea", "bien dong"),
    "hoàng sa": ("paracel", "hoang sa"),
    "trường sa": ("spratly", "truong sa"),
    "tây nguyên": ("central highlands", "tay nguyen", "highlands"),
    "triều tiên": ("north korea", "korea", "dprk", "korean"),
    "thụy điển": ("sweden", "swedish"),
    "thụy sĩ": ("switzerland", "swiss"),
    "hà lan": ("netherlands", "dutch", "holland"),
    "ba lan": ("poland", "polish"),
    "tây ban nha": ("spain", "spanish"),
    "bồ đào nha": ("portugal", "portuguese"),
    "na uy": ("norway", "norwegian"),
    "đan mạch": ("denmark", "danish"),
    "phần lan": ("finland", "finnish"),
    "ai cập": ("egypt", "egyptian"),
    "nam phi": ("south africa", "south african"),
    "ả rập xê út": ("saudi arabia", "saudi"),
    "thổ nhĩ kỳ": ("turkey", "turkiye", "turkish"),
    "hy lạp": ("greece", "greek"),
    "trung đông": ("middle east",),
    "bắc kinh": ("beijing",),
    "luân đôn": ("london",),
    "ma cao": ("macau", "macao"),
    "lầu năm góc": ("pentagon",),
    "nhà trắng": ("white house",),
    "đông nam bộ": ("southeast", "south-east", "dong nam bo"),
    "tây bắc": ("northwest", "north-west", "tay bac"),
    "đông bắc": ("northeast", "north-east", "dong bac"),
    "mỹ la-tinh": ("latin america",),
    "mỹ latinh": ("latin america",),
    "cách mạng tháng tám": ("august revolution",),
    "đồng bằng sông hồng": ("red river delta", "red river"),
    "sông hồng": ("red river",),
    "mê kông": ("mekong",),
    "mê công": ("mekong",),
}
_CAP_TOKEN = re.compile(r"[^\W\d_][\w.'’-]*", re.UNICODE)
_VI_SYLLABLE = re.compile(
    r"^(?:b|c|ch|d|đ|g|gh|gi|h|k|kh|l|m|n|ng|ngh|nh|p|ph|qu|r|s|t|th|tr|v|x)?"
    r"[aăâeêioôơuưy]{1,3}(?:c|ch|m|n|ng|nh|p|t)?$"
)


def _base(word: str) -> str:
    """Letters without tone marks but with ă â ê ô ơ ư đ, lower case: for the syllable test."""
    out = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if unicodedata.combining(ch) and ch not in {"\u0306", "\u0302", "\u031b"}:  # keep breve, circumflex, horn
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def is_vietnamese_syllable(word: str) -> bool:
    return _VI_SYLLABLE.match(_base(word)) is not None


def _acronym_found(acronym: str, en: str, en_tokens: list[str]) -> bool:
    if re.search(r"(?<![\w])" + re.escape(fold(acronym)) + r"(?:s|'s|’s)?(?![\w])", fold(en)):  # 'FTAs'
        return True
    letters = [c for c in fold(acronym) if c.isalpha()]
    words = [t for t in en_tokens if t[:1].isalpha() and t.lower() not in {"of", "and", "for", "the", "&", "de"}]
    initials = "".join(fold(w)[0] for w in words)
    return len(letters) >= 2 and "".join(letters) in initials


_ORGS_VI = {
    "tổng cục thống kê": ("general statistics office", "gso", "statistics office"),
    "cục thống kê": ("statistics office", "gso", "national statistics"),
    "ngân hàng nhà nước": ("state bank", "sbv", "central bank"),
    "bộ tài chính": ("ministry of finance", "finance ministry", "mof", "finance minister", "minister of finance"),
    "bộ y tế": ("ministry of health", "health ministry", "moh", "health minister", "minister of health"),
    "bộ công an": (
        "ministry of public security",
        "public security ministry",
        "police",
        "public security minister",
        "minister of public security",
    ),
    "bộ công thương": (
        "ministry of industry and trade",
        "trade ministry",
        "industry ministry",
        "moit",
        "trade minister",
        "industry and trade minister",
        "minister of industry and trade",
    ),
    "bộ giáo dục": (
        "ministry of education",
        "education ministry",
        "moet",
        "education minister",
        "minister of education",
    ),
    "bộ tư pháp": ("ministry of justice", "justice ministry", "moj", "justice minister", "minister of justice"),
    "bộ kế hoạch và đầu tư": ("ministry of planning and investment", "planning ministry", "mpi"),
    "bộ ngoại giao": ("ministry of foreign affairs", "foreign ministry", "mofa"),
    "bộ quốc phòng": ("ministry of defence", "ministry of defense", "defence ministry", "defense ministry"),
    "bộ nông nghiệp": ("ministry of agriculture", "agriculture ministry", "mard"),
    "bộ giao thông vận tải": ("ministry of transport", "transport ministry"),
    "bộ xây dựng": ("ministry of construction", "construction ministry"),
    "bộ tài nguyên và môi trường": ("ministry of natural resources", "environment ministry", "monre"),
    "bộ lao động": ("ministry of labour", "ministry of labor", "labour ministry", "labor ministry", "molisa"),
    "bộ thông tin và truyền thông": ("ministry of information", "information ministry", "mic"),
    "bộ khoa học và công nghệ": ("ministry of science", "science ministry", "most"),
    "quốc hội": ("national assembly", "parliament", "legislature", "lawmakers", "legislators", "congress", "na"),
    "thanh tra chính phủ": ("government inspectorate", "inspectorate"),
    "kiểm toán nhà nước": ("state audit", "auditor"),
    "tòa án nhân dân tối cao": ("supreme people's court", "supreme court"),
    "toà án nhân dân tối cao": ("supreme people's court", "supreme court"),
    "viện kiểm sát nhân dân tối cao": ("supreme people's procuracy", "procuracy"),
    "ủy ban chứng khoán nhà nước": ("state securities commission", "ssc", "securities commission"),
    "uỷ ban chứng khoán nhà nước": ("state securities commission", "ssc", "securities commission"),
    "ngân hàng thế giới": ("world bank", "wb"),
    "quỹ tiền tệ quốc tế": ("international monetary fund", "imf"),
    "tổ chức y tế thế giới": ("world health organization", "world health organisation", "who"),
    "tổ chức thương mại thế giới": ("world trade organization", "world trade organisation", "wto"),
    "ngân hàng phát triển châu á": ("asian development bank", "adb"),
    "tổ chức lao động quốc tế": ("international labour organization", "international labor organization", "ilo"),
    "tập đoàn điện lực việt nam": ("vietnam electricity", "evn"),
    "bảo hiểm xã hội việt nam": ("vietnam social security", "social security", "vss"),
    "hãng hàng không quốc gia": ("vietnam airlines", "national carrier", "national airline"),
    "đại học quốc gia": ("national university", "vnu"),
    "mặt trận tổ quốc": ("fatherland front",),
    "hội đồng nhân dân": ("people's council", "people's councils"),
}
_ONE_SYLLABLE_COUNTRIES = {
    "Mỹ": ("us", "u.s.", "usa", "united states", "america", "american", "americans"),
    "Pháp": ("france", "french"),
    "Nga": ("russia", "russian", "russians"),
    "Đức": ("germany", "german", "germans"),
    "Anh": ("uk", "britain", "british", "england", "english", "united kingdom"),
    "Úc": ("australia", "australian", "australians"),
    "Nhật": ("japan", "japanese"),
    "Ý": ("italy", "italian", "italians"),
    "Lào": ("laos", "lao", "laotian"),
}
# Provinces and cities: kept in English (without diacritics). Matched with their capitals.
_PROVINCES = (
    "An Giang", "Bà Rịa", "Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre", "Bình Dương",
    "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đắk Lắk", "Đắk Nông", "Điện Biên",
    "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang",
    "Hòa Bình", "Hoà Bình", "Hưng Yên", "Khánh Hòa", "Khánh Hoà", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng",
    "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên",
    "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh",
    "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thanh Hoá", "Thừa Thiên Huế", "Tiền Giang", "Trà Vinh",
    "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái", "Nha Trang", "Đà Lạt", "Vũng Tàu", "Hạ Long", "Hội An",
    "Phú Quốc", "Côn Đảo", "Sa Pa", "Mộc Châu", "Biên Hòa", "Thủ Đức", "Quy Nhơn", "Buôn Ma Thuột", "Pleiku",
)  # fmt: skip
_CITY_ACRONYMS = re.compile(r"\b(?:TP\.?\s?HCM|TPHCM|TP\.\s?Hồ\s+Chí\s+Minh)\b")


def _found_phrase(phrase: str, text: str) -> bool:
    if phrase not in text:  # the cheap test first: most names are in no sentence
        return False
    return re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text) is not None


def names(vi: str) -> list[tuple[str, tuple[str, ...]]]:
    """Names of the Vietnamese that a translation must keep: (as written, accepted English forms
    squashed: no diacritics, case, spaces). '@url' means the URL itself; '@acronym' the acronym or
    its expansion ('FDI' = 'foreign direct investment'); '@foreign' the word or one that starts the
    same ('Olympic' = 'Olympiad')."""
    vi = _nfc(vi)
    out: list[tuple[str, tuple[str, ...]]] = []
    for m in _URL_RE.finditer(vi):
        out.append((m.group(0).rstrip(".,;:"), ("@url",)))
    text = _URL_RE.sub(" ", vi)
    low_text = text.lower()
    if _CITY_ACRONYMS.search(text):
        out.append(("TP.HCM", tuple(_squash(f) for f in _EXONYMS["hồ chí minh"])))
    text = _CITY_ACRONYMS.sub(" ", text)
    for name, forms in (_EXONYMS | _ORGS_VI).items():
        if _found_phrase(name, low_text):
            shown = re.search(re.escape(name), text, re.IGNORECASE)
            out.append((shown.group(0) if shown else name, tuple(_squash(f) for f in forms)))
    known = [n for n in (_EXONYMS | _ORGS_VI) if _found_phrase(n, low_text)]
    for province in _PROVINCES:  # capitalised: 'Hòa Bình' the province, not 'hòa bình' (peace)
        if province in text and _found_phrase(province, text) and province.lower() not in known:
            out.append((province, (_squash(province),)))
            known.append(province.lower())
    tokens = [(t.rstrip(".'’-"), m.start()) for m in _CAP_TOKEN.finditer(text) if (t := m.group(0))]
    for k, (word, start) in enumerate(tokens):  # 'Mỹ', 'Pháp' alone: a country, not part of a name
        if word not in _ONE_SYLLABLE_COUNTRIES or k == 0 or not text[:start].strip():
            continue
        before, after = tokens[k - 1][0], tokens[k + 1][0] if k + 1 < len(tokens) else ""
        gap_after = text[start + len(word) : tokens[k + 1][1]] if after else "."
        joined = after[:1].isupper() and is_vietnamese_syllable(after) and not gap_after.strip()
        if before.lower() in _TITLES or before[:1].isupper() or joined:
            continue  # 'ông Đức' (Mr Duc), 'Huy Đức', 'Mỹ Tâm': a person
        if text[:start].rstrip()[-1:] in {".", "!", "?", ":", '"', "“"}:
            continue  # capitalised because a sentence starts there
        out.append((word, tuple(_squash(f) for f in _ONE_SYLLABLE_COUNTRIES[word])))
    i = 0
    while i < len(tokens):
        word, start = tokens[i]
        parts = [p for p in re.split(r"[.-]", word) if p]
        if not word:
            i += 1
            continue
        vietnamese_acronym = all(p.upper() in _VI_ACRONYMS or p in _ROMAN for p in parts) or (
            "Đ" in word and word.isupper()
        )
        if vietnamese_acronym and any(c.isupper() for c in word[1:] or "x"):
            i += 1  # 'UBND', 'THPT', 'quý III': translated, not kept
            continue
        if word.isupper() and len(word) > 1 and has_vietnamese_letter(word):
            i += 1  # a shouted Vietnamese word ('KHẨN CẤP'), not an acronym
            continue
        if sum(c.isupper() for c in word) >= 2 and not (word.istitle() and is_vietnamese_syllable(word)):
            out.append((word, ("@acronym",)))
            i += 1
            continue
        if (
            word[:1].isupper()
            and not is_vietnamese_syllable(word)
            and not has_vietnamese_letter(word)
            and len(word) > 1
        ):
            if not any(_found_phrase(word.lower(), k) for k in known):
                out.append((word, ("@foreign",)))
            i += 1
            continue
        # a run of capitalised Vietnamese syllables, with nothing but spaces between them
        j = i + 1
        while j < len(tokens) and tokens[j][0][:1].isupper() and is_vietnamese_syllable(tokens[j][0]):
            gap = text[tokens[j - 1][1] + len(tokens[j - 1][0]) : tokens[j][1]]
            if gap.strip():
                break
            j += 1
        if not (word[:1].isupper() and is_vietnamese_syllable(word)):
            i += 1
            continue
        run = [t for t, _ in tokens[i:j]]
        i = j
        sentence_start = not text[:start].strip(" \"'“‘(") or text[:start].rstrip()[-1:] in {".", "!", "?", ":"}
        if sentence_start and run[0].lower() not in _SURNAMES and run[0].lower() not in _TITLES:
            run = run[1:]  # capitalised only because the sentence starts there
        while run and run[0].lower() in _TITLES | _DESCRIPTORS and run[0].lower() not in _SURNAMES:
            run = run[1:]  # 'Ông', 'Bộ', 'Bệnh viện', 'Nhi', 'Trung ương': titles and kinds of body
        if len(run) < 2:
            continue
        name = " ".join(run)
        if any(_found_phrase(fold(name), fold(k)) or _found_phrase(fold(k), fold(name)) for k in known):
            continue
        accepted = [_squash(name)]
        if run[0].lower() in _PLACE_WORDS | {"hồ", "sông", "núi"}:
            accepted.append(_squash(" ".join(run[1:])))  # 'Hồ Thác Bà' = 'Thac Ba lake'
        out.append((name, tuple(accepted)))
    seen: set[str] = set()
    unique: list[tuple[str, tuple[str, ...]]] = []
    for name, forms in out:
        if name not in seen:
            seen.add(name)
            unique.append((name, forms))
    return unique


def _foreign_found(word: str, en: str) -> bool:
    """The word itself, or an English word starting with most of it ('Olympic' -> 'Olympiad')."""
    key = fold(word)
    stem = key[: max(4, len(key) - 2)]
    return any(fold(w).startswith(stem) for w in re.findall(r"\w+", en)) or key in fold(en)


def _form_found(form: str, squashed: str, folded_words: set[str]) -> bool:
    """A long form anywhere in the squashed English ('danang' in 'Da Nang'); a short one ('us',
    'who', 'un') only as a word of its own, or it would be found inside any longer word."""
    if not form:
        return False
    return form in folded_words if len(form) <= 4 else form in squashed


def compare_names(vi: str, en: str) -> str | None:
    squashed = _squash(en)
    folded_words = set(re.findall(r"\w+", fold(en)))
    en_tokens = _tokens(en)
    missing = []
    for name, forms in names(vi):
        if forms == ("@url",):
            ok = fold(name) in fold(en)
        elif forms == ("@acronym",):
            ok = _acronym_found(name, en, en_tokens)
        elif forms == ("@foreign",):
            ok = _foreign_found(name, en)
        else:
            ok = any(_form_found(f, squashed, folded_words) for f in forms)
        if not ok:
            missing.append(name)
    if not missing:
        return None
    return f"{', '.join(missing)} missing in the English"


# --------------------------------------------------------------------------- all checks


MAX_CHECKED_CHARS = 5_000  # per side; the longest real sentences in news and reports are ~1,000 characters


def check_pair(vi: str, en: str, glossary: Glossary | Iterable[Entry] | None = None) -> list[Flag]:
    """Every check on one pair, in the order of KINDS; [] when nothing looks wrong. With `glossary`
    (the library's agreed terms), English that misses an agreed term is flagged `glossary`."""
    if not vi.strip():
        return []
    if not en.strip():
        return [Flag("empty", "no English")]
    if is_identical(vi, en):  # nothing was translated: the other checks would only repeat it
        return [Flag("untranslated", "the English is the Vietnamese, unchanged")]
    flags: list[Flag] = []
    longest = max(len(vi), len(en))
    if longest > MAX_CHECKED_CHARS:
        # No sentence is this long (a paste without punctuation, a table flattened into one line): the
        # word-by-word comparisons grow with the square of the length, so they are not run on it.
        flags.append(Flag("length", f"too long to check as one sentence ({longest:,} characters); split it"))
    else:
        if (detail := compare_numbers(vi, en)) is not None:
            flags.append(Flag("number", detail))
        if (detail := compare_negation(vi, en)) is not None:
            flags.append(Flag("negation", detail))
        if (detail := compare_names(vi, en)) is not None:
            flags.append(Flag("name", detail))
    if is_untranslated(vi, en):
        flags.append(Flag("untranslated", "most of the English is Vietnamese words"))
    if has_repetition(en) and not has_repetition(vi):
        flags.append(Flag("repetition", "the English repeats a word or phrase over and over"))
    if length_odd(vi, en) and longest <= MAX_CHECKED_CHARS:
        ratio = len(en.strip()) / len(vi.strip())
        flags.append(Flag("length", f"the English is {ratio:.1f} times the length of the Vietnamese"))
    if glossary is not None:
        from app.core.translate.glossary import glossary_misses

        if misses := glossary_misses(vi, en, glossary):
            flags.append(Flag("glossary", "; ".join(misses)))
    return flags


def stored_flags(vi: str, en: str, glossary: Glossary | Iterable[Entry] | None = None) -> tuple[str, ...]:
    """What translations.flags stores for a pair: the kinds found, in the order of KINDS."""
    return tuple(f.kind for f in check_pair(vi, en, glossary))


def flag_kinds(flags: Iterable[Flag]) -> list[str]:
    """What translations.flags stores: the kinds, in order."""
    return [f.kind for f in flags]


_FIXED = {
    "empty": "no English",
    "source-changed": "the Vietnamese sentence changed since this translation",
    "glossary": "does not use the agreed term",
}


def explain(vi: str, en: str, stored: Iterable[str], glossary: Glossary | Iterable[Entry] | None = None) -> list[str]:
    """Each stored flag as '<kind>: <reason in words>', for the window, reports and exports.

    The details are computed again from the two texts; a stored kind that the current checks no
    longer find (the checks improved) is still shown, by its name."""
    kinds = [LEGACY.get(k, k) for k in stored]
    if not kinds:
        return []
    found = {f.kind: f.detail for f in check_pair(vi, en, glossary)} if en.strip() else {}
    out = []
    for kind in dict.fromkeys(kinds):
        detail = found.get(kind) or _FIXED.get(kind)
        out.append(f"{kind}: {detail}" if detail else kind)
    return out


def describe(vi: str, en: str, stored: Iterable[str]) -> str:
    """explain() as one line: 'number: 15 in Vietnamese, 50 in English; negation: ...'."""
    return "; ".join(explain(vi, en, stored))


def explain_kinds(kinds: Iterable[str]) -> list[str]:
    """Stored kinds in today's names (old 'repeated' -> 'repetition'), without details."""
    return list(dict.fromkeys(LEGACY.get(k, k) for k in kinds))
