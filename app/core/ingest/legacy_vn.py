"""Legacy Vietnamese 8-bit encodings: VNI-Windows, TCVN3 (ABC) and Windows-1258.

Old Word files, e-mails and PDFs typed with VNI-* or .Vn* fonts store Vietnamese in these byte
layouts. Each encoding has one table that both directions are derived from (VNI's is generated from
the letter x tone grid, TCVN3's is listed byte by byte).

Decisions (kept in one place so tests and the decoder agree):
- Bytes that a table leaves free decode as Windows-1252. Both font families were Windows fonts, so
  0x91-0x97 hold the usual curly quotes and dashes (the same bytes Windows-1258 uses). The five bytes
  cp1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D) are rejected: no real text uses them, and
  rejecting them lets detection rule an encoding out.
- VNI-Windows writes a base ASCII letter followed by one mark byte (tone, or shape + tone); a few
  letters (đ ơ ư and i/ỵ with tones) take one byte of their own. The decoder maps mark bytes to
  Unicode combining marks and lets NFC compose them, which is exact for real VNI text and fast.
  Upper-case marks (0xC0-0xDF) and lower-case marks are both accepted after either case of base;
  the base letter decides the case.
- TCVN3 (TCVN 5712:1993, "VN3", the ABC font set) has one byte per lower-case letter and only the
  seven upper-case base letters Ă Â Đ Ê Ô Ơ Ư. Upper-case letters with a tone were typed with the
  lower-case code in a capitals font (.VnTimeH), so the bytes cannot tell them apart: the decoder
  returns lower case for them and `encode_tcvn3` writes the lower-case code. Round-trips therefore
  hold for lower-case text plus those seven capitals only.
"""

from __future__ import annotations

import codecs
import unicodedata

# Tone order used by every table below: none, sắc, huyền, hỏi, ngã, nặng.
TONE_MARKS: tuple[str, ...] = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
TONELESS_VOWELS = "aăâeêioôơuưy"
VIETNAMESE_LOWER: str = "".join(unicodedata.normalize("NFC", v + t) for v in TONELESS_VOWELS for t in TONE_MARKS) + "đ"
VIETNAMESE_UPPER: str = VIETNAMESE_LOWER.upper()
VIETNAMESE_LETTERS: str = VIETNAMESE_LOWER + VIETNAMESE_UPPER

_CP1252_UNDEFINED = frozenset({0x81, 0x8D, 0x8F, 0x90, 0x9D})
_UNDEFINED = "\ufffe"  # charmap_decode treats U+FFFE as "undefined byte" and raises


def _letter(vowel: str, tone: int) -> str:
    return unicodedata.normalize("NFC", vowel + TONE_MARKS[tone])


def _cp1252_char(byte: int) -> str:
    if byte in _CP1252_UNDEFINED:
        return _UNDEFINED
    return bytes([byte]).decode("cp1252")


# ---------------------------------------------------------------- VNI-Windows

# Mark bytes (lower-case form; the upper-case form is the byte minus 0x20), indexed by tone.
_VNI_TONE = (None, 0xF9, 0xF8, 0xFB, 0xF5, 0xEF)  # ù ø û õ ï after a e o u y ơ ư
_VNI_CIRCUMFLEX = (0xE2, 0xE1, 0xE0, 0xE5, 0xE3, 0xE4)  # â á à å ã ä after a e o -> â ê ô
_VNI_BREVE = (0xEA, 0xE9, 0xE8, 0xFA, 0xFC, 0xEB)  # ê é è ú ü ë after a -> ă
_VNI_I = (None, 0xED, 0xEC, 0xE6, 0xF3, 0xF2)  # í ì æ ó ò stand alone for í ì ỉ ĩ ị
# Stand-alone letters (lower-case byte; upper-case byte is minus 0x20).
_VNI_SINGLE = {"ơ": 0xF4, "ư": 0xF6, "đ": 0xF1, "ỵ": 0xEE}


def _vni_sequence(vowel: str, tone: int, upper: bool) -> bytes:
    """Bytes for one lower-case toneless `vowel` with `tone`, in the requested case."""
    shift = 0x20 if upper else 0

    def base(ch: str) -> bytes:
        return (ch.upper() if upper else ch).encode("ascii")

    def mark(byte: int | None) -> bytes:
        return b"" if byte is None else bytes([byte - shift])

    if vowel in "âêô":
        return base({"â": "a", "ê": "e", "ô": "o"}[vowel]) + mark(_VNI_CIRCUMFLEX[tone])
    if vowel == "ă":
        return base("a") + mark(_VNI_BREVE[tone])
    if vowel == "i":
        return base("i") if tone == 0 else mark(_VNI_I[tone])
    if vowel == "y" and tone == 5:
        return mark(_VNI_SINGLE["ỵ"])
    if vowel in "ơư":
        return mark(_VNI_SINGLE[vowel]) + mark(_VNI_TONE[tone])
    return base(vowel) + mark(_VNI_TONE[tone])


def _build_vni_encode() -> dict[str, bytes]:
    table: dict[str, bytes] = {"đ": bytes([0xF1]), "Đ": bytes([0xD1])}
    for vowel in TONELESS_VOWELS:
        for tone in range(6):
            letter = _letter(vowel, tone)
            table[letter] = _vni_sequence(vowel, tone, upper=False)
            table[letter.upper()] = _vni_sequence(vowel, tone, upper=True)
    return table


def _build_vni_decode() -> dict[int, str]:
    """Byte -> text; mark bytes become combining marks that NFC later folds into the base letter."""
    table = {b: _cp1252_char(b) for b in range(256)}
    circumflex, breve = "\u0302", "\u0306"
    for tone in range(6):
        for lower, text in (
            (_VNI_TONE[tone], TONE_MARKS[tone]),
            (_VNI_CIRCUMFLEX[tone], circumflex + TONE_MARKS[tone]),
            (_VNI_BREVE[tone], breve + TONE_MARKS[tone]),
            (_VNI_I[tone], _letter("i", tone)),
        ):
            if lower is not None:
                table[lower] = text
                table[lower - 0x20] = text.upper()
    for letter, lower in _VNI_SINGLE.items():
        table[lower] = letter
        table[lower - 0x20] = letter.upper()
    return table


VNI_ENCODE: dict[str, bytes] = _build_vni_encode()
VNI_DECODE: dict[int, str] = _build_vni_decode()
# Marks are all single code points except shape+tone pairs; map those through a one-char table
# first (fast C path), then expand the few two-char marks with str.replace.
_VNI_MULTI = {b: s for b, s in VNI_DECODE.items() if len(s) > 1}
_VNI_PLACEHOLDER = {b: chr(0xE000 + b) for b in _VNI_MULTI}  # private-use, never in cp1252 output
_VNI_CHARMAP = "".join(_VNI_PLACEHOLDER.get(b, VNI_DECODE[b]) for b in range(256))
_VNI_EXPAND = tuple((_VNI_PLACEHOLDER[b], s) for b, s in _VNI_MULTI.items())


def decode_vni(data: bytes) -> str:
    """VNI-Windows bytes -> NFC text. Raises UnicodeDecodeError on bytes no Windows font defines."""
    text, _ = codecs.charmap_decode(data, "strict", _VNI_CHARMAP)
    for placeholder, marks in _VNI_EXPAND:
        if placeholder in text:
            text = text.replace(placeholder, marks)
    return unicodedata.normalize("NFC", text)


# ---------------------------------------------------------------- TCVN3 (ABC)

# Explicit byte -> letter pairs: the layout is irregular (gaps at 0xBA, 0xC0-0xC5, 0xCD, ...).
_TCVN3_PAIRS: dict[int, str] = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}  # fmt: skip

TCVN3_DECODE: dict[int, str] = {b: _TCVN3_PAIRS.get(b, _cp1252_char(b)) for b in range(256)}
_TCVN3_CHARMAP = "".join(TCVN3_DECODE[b] for b in range(256))
TCVN3_ENCODE: dict[str, bytes] = {letter: bytes([b]) for b, letter in _TCVN3_PAIRS.items()}
_TCVN3_CAPITALS = frozenset("ĂÂĐÊÔƠƯ")
# Capitals with a tone share the lower-case code (typed in a capitals font).
TCVN3_ENCODE.update(
    {ch: TCVN3_ENCODE[ch.lower()] for ch in VIETNAMESE_UPPER if not ch.isascii() and ch not in TCVN3_ENCODE}
)


def decode_tcvn3(data: bytes) -> str:
    """TCVN3 (ABC) bytes -> text; upper-case toned letters come back lower-case (see module doc)."""
    text, _ = codecs.charmap_decode(data, "strict", _TCVN3_CHARMAP)
    return text


def tcvn3_fold(text: str) -> str:
    """What `text` becomes after a TCVN3 round trip: capitals with a tone turn lower-case."""
    return "".join(
        ch.lower() if ch in VIETNAMESE_UPPER and not ch.isascii() and ch not in _TCVN3_CAPITALS else ch
        for ch in unicodedata.normalize("NFC", text)
    )


# ---------------------------------------------------------------- encoders


def _passthrough_table(used: set[int]) -> dict[str, bytes]:
    """cp1252 characters at bytes the Vietnamese table leaves free (punctuation mostly)."""
    table = {}
    for b in range(0x80, 0x100):
        ch = _cp1252_char(b)
        if b not in used and ch != _UNDEFINED:
            table[ch] = bytes([b])
    return table


# VNI marks fill 0xC0-0xFF and TCVN3 letters 0xA1-0xFE; a Latin-1 letter there would decode as Vietnamese.
_VNI_EXTRA = _passthrough_table(set(range(0xC0, 0x100)))
_TCVN3_EXTRA = _passthrough_table(set(_TCVN3_PAIRS) | set(range(0xA1, 0x100)))


def _encode(text: str, table: dict[str, bytes], extra: dict[str, bytes], name: str) -> bytes:
    out = bytearray()
    text = unicodedata.normalize("NFC", text)
    for index, ch in enumerate(text):
        if ch < "\x80":
            out += ch.encode("ascii")
        elif ch in table:
            out += table[ch]
        elif ch in extra:
            out += extra[ch]
        else:
            raise UnicodeEncodeError(name, text, index, index + 1, "character not in this encoding")
    return bytes(out)


def encode_vni(text: str) -> bytes:
    """Text -> VNI-Windows bytes (ASCII, Vietnamese letters, cp1252 punctuation at 0x80-0xBF)."""
    return _encode(text, VNI_ENCODE, _VNI_EXTRA, "vni-windows")


def encode_tcvn3(text: str) -> bytes:
    """Text -> TCVN3 bytes; capitals with a tone are written with the lower-case code."""
    return _encode(text, TCVN3_ENCODE, _TCVN3_EXTRA, "tcvn3")


_CP1258_TONES = frozenset(TONE_MARKS[1:])


def encode_windows_1258(text: str, *, combining_tones: bool = True) -> bytes:
    """Text -> Windows-1258 bytes.

    cp1258 has precomposed â ê ô ơ ư ă đ but stores most toned letters as base + combining tone,
    which is how Windows writes it (`combining_tones=True`: every tone is a separate byte).
    With `combining_tones=False` letters cp1258 holds whole (á, à, é, ...) use that single byte.
    """
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        if not combining_tones and _fits_cp1258(ch):
            out.append(ch)
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        tones = "".join(m for m in decomposed if m in _CP1258_TONES)
        base = unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in _CP1258_TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


def _fits_cp1258(ch: str) -> bool:
    try:
        ch.encode("cp1258")
    except UnicodeEncodeError:
        return False
    return True
