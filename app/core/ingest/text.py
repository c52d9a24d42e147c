"""Bytes -> NFC text with '\\n' line ends, detecting the encoding Vietnamese files actually come in.

Order of decisions (first match wins):
1. size limit, empty input;
2. a BOM (UTF-8, UTF-16 LE/BE) decides the encoding;
3. NUL bytes: UTF-16 without BOM if every other byte is zero, otherwise a binary file;
4. many control bytes: a binary file;
5. valid UTF-8 (pure ASCII included) is UTF-8; UTF-8 with a few broken bytes (a truncated copy) is
   still UTF-8, with U+FFFD for the broken bytes, rather than silently turning into mojibake;
6. otherwise Windows-1258, VNI-Windows and TCVN3 are each decoded on a sample of the lines that hold
   non-ASCII bytes and scored by how many words are well-formed Vietnamese syllables; the best
   plausible one wins, else Windows-1258 if it decodes, else UndecodableTextError.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from app.core.errors import (
    BinaryInputError,
    EmptyInputError,
    FileMissingError,
    InputError,
    InputTooLargeError,
    UndecodableTextError,
)
from app.core.ingest.legacy_vn import TONE_MARKS, decode_tcvn3, decode_vni

# 32 MB of text is ~16 M characters: about a minute and under 1 GB of memory to import here (20 MB
# measured 45 s, 570 MB). Larger files are refused with advice to split them.
MAX_BYTES = 32 * 1024 * 1024
SAMPLE_BYTES = 64 * 1024  # enough words to score an encoding; keeps detection O(sample)
PLAUSIBLE_SCORE = 0.25  # below this no legacy decoding looks like Vietnamese

UNICODE_ENCODINGS = frozenset({"utf-8", "utf-8-sig", "utf-16-le", "utf-16-be"})
# Longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f") + b"\x7f"
_CONTROL_CHARS = re.compile(f"[{re.escape(_CONTROL_BYTES.decode('ascii'))}]")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_COMBINING = re.compile("[\u0300-\u036f]")


@dataclass(frozen=True)
class DecodedText:
    text: str  # NFC, '\n' line ends only, no BOM
    encoding: str  # utf-8 | utf-8-sig | utf-16-le | utf-16-be | windows-1258 | vni-windows | tcvn3
    nfd_input: bool  # Unicode input that was decomposed (macOS NFD) and has been composed


def decode_bytes(data: bytes, *, max_bytes: int = MAX_BYTES) -> DecodedText:
    """Decode a whole text file. Raises a typed InputError subclass when the bytes are not usable text."""
    _check_size(len(data), max_bytes)
    if not data.strip():
        raise EmptyInputError(_EMPTY_MESSAGE)
    text, encoding = _decode(data)
    text = text.removeprefix("\ufeff")
    # One normalize call: it returns at once for NFC text, and is_normalized() would do the full work
    # twice for decomposed text. Legacy decoders compose on their own; only Unicode input is flagged.
    composed = unicodedata.normalize("NFC", text)
    nfd_input = composed != text and encoding in UNICODE_ENCODINGS and _COMBINING.search(text) is not None
    text = composed
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EmptyInputError(_EMPTY_MESSAGE)
    return DecodedText(text=text, encoding=encoding, nfd_input=nfd_input)


def read_text_file(path: str | os.PathLike[str]) -> DecodedText:
    """Read and decode a text file; errors name the file so the user knows which one failed."""
    p = Path(path)
    try:
        info = p.stat()
        if stat.S_ISDIR(info.st_mode):
            raise FileMissingError(f"{p} is a folder, not a file; choose a text file inside it.")
        if not stat.S_ISREG(info.st_mode):
            raise FileMissingError(f"{p} is not a regular file; choose a text file.")
        _check_size(info.st_size, MAX_BYTES)  # before reading: don't load a huge file to reject it
        data = p.read_bytes()
    except (FileNotFoundError, NotADirectoryError) as err:
        raise FileMissingError(f"File not found: {p}; check the path or choose another file.") from err
    except PermissionError as err:
        raise InputError(f"Cannot read {p}: permission denied; check the file's permissions.") from err
    except OSError as err:
        raise InputError(f"Cannot read {p}: {err.strerror or err}; check the file and try again.") from err
    try:
        return decode_bytes(data)
    except InputError as err:
        raise type(err)(f"{p.name}: {err}") from err


# ---------------------------------------------------------------- messages and guards

_EMPTY_MESSAGE = "The file is empty or holds only whitespace; choose a file that contains text."
_BINARY_MESSAGE = "This looks like a binary file, not text; open a .txt, .md or .pdf file."
_UNDECODABLE_MESSAGE = (
    "The text encoding could not be recognised; re-save the file as UTF-8 (e.g. in Notepad or Word) and open it again."
)


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise InputTooLargeError(
            f"The file is {_megabytes(size)}, over the {_megabytes(max_bytes)} limit; "
            "split it into smaller files and open them one by one."
        )


def _megabytes(size: int) -> str:
    mb = size / (1024 * 1024)
    return f"{mb:.0f} MB" if mb >= 10 else f"{mb:.1f} MB"


def _reject_binary_bytes(data: bytes) -> None:
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if _too_many_controls(controls, len(data)):
        raise BinaryInputError(_BINARY_MESSAGE)


def _reject_binary_text(text: str) -> None:
    if "\x00" in text or _too_many_controls(len(_CONTROL_CHARS.findall(text)), len(text)):
        raise BinaryInputError(_BINARY_MESSAGE)


def _too_many_controls(controls: int, total: int) -> bool:
    # A stray ^Z or ESC in old text is fine; binary data has control bytes everywhere (~11%).
    return controls > max(2, total // 100)


# ---------------------------------------------------------------- decoding


def _decode(data: bytes) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data[len(bom) :], encoding), encoding
    if b"\x00" in data:
        utf16 = _utf16_from_nul_pattern(data)
        if utf16 is None:
            raise BinaryInputError(_BINARY_MESSAGE)
        text = _decode_unicode(data, utf16)
        if text is None:
            raise BinaryInputError(_BINARY_MESSAGE)
        _reject_binary_text(text)
        return text, utf16
    _reject_binary_bytes(data)
    text = _decode_unicode(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    return _decode_legacy(data)


def _decode_with_bom(payload: bytes, encoding: str) -> str:
    if encoding == "utf-32":
        raise UndecodableTextError("UTF-32 text is not supported; re-save the file as UTF-8 and open it again.")
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    text = _decode_unicode(payload, codec)
    if text is None:
        label = "UTF-8" if codec == "utf-8" else "UTF-16"
        raise UndecodableTextError(
            f"The file is marked as {label} but its bytes are not valid {label}; re-save it as UTF-8 and open it again."
        )
    if codec != "utf-8":
        _reject_binary_text(text)
    else:
        _reject_binary_bytes(payload)
    return text


def _decode_unicode(data: bytes, codec: str) -> str | None:
    """Strict decode, else accept a few broken sequences (truncated or damaged copies); else None."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        pass
    text = data.decode(codec, errors="replace")
    bad = text.count("\ufffd")
    # Good non-ASCII characters: legacy 8-bit text yields almost none as UTF-8.
    good = len(text) - len(text.encode("ascii", "ignore")) - bad
    if codec.startswith("utf-16"):
        good = len(text) - bad
    return text if bad * 20 <= good else None


def _utf16_from_nul_pattern(data: bytes) -> str | None:
    """UTF-16 without BOM: for mostly-ASCII/Latin text one byte of each pair is zero."""
    sample = data[: SAMPLE_BYTES - SAMPLE_BYTES % 2]
    units = len(sample) // 2
    if units < 2:
        return None
    zero_even = sample[0 : units * 2 : 2].count(0)
    zero_odd = sample[1 : units * 2 : 2].count(0)
    if zero_odd * 2 >= units and zero_even * 50 <= units:
        return "utf-16-le"
    if zero_even * 2 >= units and zero_odd * 50 <= units:
        return "utf-16-be"
    return None


# ---------------------------------------------------------------- legacy 8-bit detection


def _decode_cp1258(data: bytes) -> str:
    # cp1258 stores tones as combining marks; NFC folds them into the letter.
    return unicodedata.normalize("NFC", data.decode("cp1258"))


# Order breaks ties: Windows-1258 is the codepage Windows itself used, so prefer it.
_LEGACY_DECODERS: tuple[tuple[str, Callable[[bytes], str]], ...] = (
    ("windows-1258", _decode_cp1258),
    ("vni-windows", decode_vni),
    ("tcvn3", decode_tcvn3),
)


def _decode_legacy(data: bytes) -> tuple[str, str]:
    sample = _non_ascii_sample(data, SAMPLE_BYTES)
    ranked: list[tuple[float, int, int, str, Callable[[bytes], str]]] = []
    for order, (name, decoder) in enumerate(_LEGACY_DECODERS):
        try:
            score, valid = _score(decoder(sample))
        except UnicodeDecodeError:
            continue
        ranked.append((-score, -valid, order, name, decoder))
    for neg_score, _, _, name, decoder in sorted(ranked, key=lambda r: r[:3]):
        if -neg_score < PLAUSIBLE_SCORE:
            break
        try:
            return decoder(data), name
        except UnicodeDecodeError:  # an undefined byte outside the sample
            continue
    try:
        return _decode_cp1258(data), "windows-1258"
    except UnicodeDecodeError as err:
        raise UndecodableTextError(_UNDECODABLE_MESSAGE) from err


def _non_ascii_sample(data: bytes, limit: int) -> bytes:
    """Up to `limit` bytes of whole lines that contain non-ASCII bytes (ASCII lines score nothing)."""
    parts: list[bytes] = []
    size = pos = 0
    while size < limit:
        hit = _HIGH_BYTE.search(data, pos)
        if hit is None:
            break
        start = data.rfind(b"\n", 0, hit.start()) + 1
        end = data.find(b"\n", hit.start())
        end = len(data) if end < 0 else end
        if end - start > limit - size:  # one very long line (or CR-only line ends)
            start = max(start, hit.start() - 256)
            end = min(end, start + limit - size)
        parts.append(data[start:end])
        size += end - start + 1
        pos = end + 1
    return b"\n".join(parts)


# ---------------------------------------------------------------- how Vietnamese does a text look

_TONES = frozenset(TONE_MARKS[1:])
_STOP_TONES = frozenset("\u0301\u0323")  # syllables ending in c/ch/p/t take only sắc or nặng
_INITIAL = r"(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnprstvx])?"
# Finals by the vowel before them: front vowels (i ê y) take ch/nh, back ones ng/c, ơ neither.
_CODA = r"(?:ch|nh|ng|[cmnpt])"
_CODA_FRONT = r"(?:ch|nh|[mnpt])"
_CODA_BACK = r"(?:ng|[cmnpt])"
_CODA_PLAIN = r"[mnpt]"
_RIME = "|".join(
    (
        rf"a{_CODA}?|[eoôuư]{_CODA_BACK}?|[iêy]{_CODA_FRONT}?|ơ{_CODA_PLAIN}?",  # one vowel
        rf"[ăâ]{_CODA_BACK}",  # short vowels need a final consonant
        rf"(?:iê|yê|uô|ươ|uyê){_CODA_BACK}",  # diphthongs: closed here, glide forms below
        r"ia|ua|ưa|uya",
        r"ai|ao|au|ay|âu|ây|eo|êu|iu|oi|ôi|ơi|ui|ưi|ưu|iêu|yêu|uôi|ươi|ươu|uây|uyu",
        rf"oa{_CODA}?|oe{_CODA_PLAIN}?|oă{_CODA_BACK}|oai|oay|oao|oeo|oo(?:ng|c)",  # medial o
        rf"uê{_CODA_FRONT}?|uy{_CODA_FRONT}?|uâ{_CODA_BACK}|uơ",  # medial u
    )
)
_SYLLABLE = re.compile(rf"{_INITIAL}(?:{_RIME})")
_WORD = re.compile(r"[^\W\d_]+")
# Non-ASCII non-letters that are normal in text; any other (µ ¸ · ¶ « combining marks ...) counts
# against a decoding. « » are left out: TCVN3 uses those bytes for ô and ằ. Letters are judged by word.
_NORMAL_NON_ASCII = "\u00a0\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2022\u00b0\u20ab\u20ac"
_ODD_CHAR = re.compile(f"[^\\x00-\\x7f\\w{_NORMAL_NON_ASCII}]")


@lru_cache(maxsize=65536)
def is_vietnamese_syllable(word: str) -> bool:
    """Well-formed Vietnamese syllable: normal casing, known initial + rime, at most one tone, on a
    vowel, and a tone that fits the final (c/ch/p/t take only sắc or nặng)."""
    if not _normal_case(word):
        return False
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in decomposed if c in _TONES]
    if len(tones) > 1 or (tones and not _tone_on_vowel(decomposed)):
        return False
    toneless = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    if _SYLLABLE.fullmatch(toneless) is None:
        return False
    if toneless.endswith(("c", "ch", "p", "t")):
        return bool(tones) and tones[0] in _STOP_TONES
    return True


def _normal_case(word: str) -> bool:
    # lower, Capitalised or ALL CAPS; "dÉn", "ViÖt" are mojibake. TCVN3 capitals text decodes with
    # lower-case toned letters ("CHíNH"), so ASCII-all-caps words pass too.
    return word[1:].islower() or word.isupper() or all(c.isupper() for c in word if c.isascii())


def _tone_on_vowel(decomposed: str) -> bool:
    # "ñi" is n + combining tilde: a tone mark on a consonant is not Vietnamese.
    base = ""
    for c in decomposed:
        if c in _TONES and base not in _VOWEL_BASES:
            return False
        if not unicodedata.combining(c):
            base = c
    return True


_VOWEL_BASES = frozenset("aeiouy")


def _score(text: str) -> tuple[float, int]:
    """(score, number of valid words); the count breaks ties in favour of the richer reading."""
    words = Counter(w for w in _WORD.findall(text) if not w.isascii())
    valid = sum(n for w, n in words.items() if is_vietnamese_syllable(w))
    invalid = sum(words.values()) - valid
    odd = len(_ODD_CHAR.findall(text))
    total = valid + invalid + odd
    return ((valid - invalid - odd) / total if total else 0.0), valid
