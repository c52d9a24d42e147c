"""Decoding of text files: Unicode forms, legacy Vietnamese encodings, detection and typed errors."""

from __future__ import annotations

import io
import random
import re
import string
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.errors import (
    BinaryInputError,
    EmptyInputError,
    FileMissingError,
    InputError,
    InputTooLargeError,
    UndecodableTextError,
)
from app.core.ingest.legacy_vn import (
    TONE_MARKS,
    TONELESS_VOWELS,
    VIETNAMESE_LETTERS,
    VIETNAMESE_LOWER,
    decode_tcvn3,
    decode_vni,
    encode_tcvn3,
    encode_vni,
    encode_windows_1258,
    tcvn3_fold,
)
from app.core.ingest.text import DecodedText, decode_bytes, is_vietnamese_syllable, read_text_file

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_NAMES = ("forum_post_ai_race.vi.txt", "pdf_copy_supercomputers.vi.txt")
SAMPLES = {name: (FIXTURES / name).read_text(encoding="utf-8") for name in SAMPLE_NAMES}
TCVN3_CAPITALS = "ĂÂĐÊÔƠƯ"


def _utf16(codec: str, bom: bytes) -> Callable[[str], bytes]:
    return lambda text: bom + text.encode(codec)


# name -> (encoder, reported encoding). Each turns the same NFC text into the bytes a real file has.
ENCODERS: dict[str, tuple[Callable[[str], bytes], str]] = {
    "utf-8": (lambda t: t.encode("utf-8"), "utf-8"),
    "utf-8-bom": (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), "utf-8-sig"),
    "utf-16-le-bom": (_utf16("utf-16-le", b"\xff\xfe"), "utf-16-le"),
    "utf-16-be-bom": (_utf16("utf-16-be", b"\xfe\xff"), "utf-16-be"),
    "utf-16-le-no-bom": (_utf16("utf-16-le", b""), "utf-16-le"),
    "utf-16-be-no-bom": (_utf16("utf-16-be", b""), "utf-16-be"),
    "utf-8-nfd": (lambda t: unicodedata.normalize("NFD", t).encode("utf-8"), "utf-8"),
    "windows-1258": (encode_windows_1258, "windows-1258"),
    "windows-1258-precomposed": (
        lambda t: encode_windows_1258(t, combining_tones=False),
        "windows-1258",
    ),
    "vni-windows": (encode_vni, "vni-windows"),
    "tcvn3": (encode_tcvn3, "tcvn3"),
}
LINE_ENDS = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}


# ---------------------------------------------------------------- the real samples, every encoding


@pytest.mark.parametrize("line_end", LINE_ENDS)
@pytest.mark.parametrize("variant", ENCODERS)
@pytest.mark.parametrize("sample", SAMPLE_NAMES)
def test_sample_decodes_identically_in_every_encoding(sample: str, variant: str, line_end: str) -> None:
    text = SAMPLES[sample]
    encode, expected_encoding = ENCODERS[variant]
    # TCVN3 has no codes for capitals with a tone: they come back lower-case (documented).
    expected = tcvn3_fold(text) if variant == "tcvn3" else text
    data = encode(text.replace("\n", LINE_ENDS[line_end]))

    result = decode_bytes(data)

    assert result.text.encode("utf-8") == expected.encode("utf-8")
    assert result.encoding == expected_encoding
    assert result.nfd_input is (variant == "utf-8-nfd")


def test_samples_hold_the_characters_the_legacy_tests_rely_on() -> None:
    # Guards the test above: typographic punctuation and capitals with tones must be exercised.
    joined = "".join(SAMPLES.values())
    assert {"“", "”", "’", "–", "…"} <= set(joined)
    assert tcvn3_fold(joined) != joined


def test_read_text_file_reads_and_decodes(tmp_path: Path) -> None:
    path = tmp_path / "vni.txt"
    path.write_bytes(encode_vni(SAMPLES[SAMPLE_NAMES[0]]))
    result = read_text_file(path)
    assert result == DecodedText(SAMPLES[SAMPLE_NAMES[0]], "vni-windows", False)
    assert read_text_file(str(path)).text == result.text


# ---------------------------------------------------------------- tables, checked against known text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Vieät Nam", "Việt Nam"),
        ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
        ("ñöôïc nhöõng Chæ thò Myõ", "được những Chỉ thị Mỹ"),
        ("Ñaø Naüng, thuyû, naêm, chaéc, baèng, thaúng, maët", "Đà Nẵng, thuỷ, năm, chắc, bằng, thẳng, mặt"),
        ("VIEÄT NAM, NGÖÔØI, ÑAÕ, TRÖÔÙC", "VIỆT NAM, NGƯỜI, ĐÃ, TRƯỚC"),
        ("kyø, tæ, ó, ò, í, ì, î", "kỳ, tỉ, ĩ, ị, í, ì, ỵ"),
    ],
)
def test_vni_known_text(raw: str, expected: str) -> None:
    assert decode_vni(raw.encode("cp1252")) == expected
    assert encode_vni(expected) == raw.encode("cp1252")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
        ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
        (
            "Bé gi¸o dôc vµ ®µo t¹o, Tr\xadêng, n¨m, th¼ng, s½n, mÆt",
            "Bộ giáo dục và đào tạo, Trường, năm, thẳng, sẵn, mặt",
        ),
        ("Mü, kú, trÎ, sÏ, ®Ñp, gië, cò, ¡ ¢ £ ¤ ¥ ¦ §", "Mỹ, kỳ, trẻ, sẽ, đẹp, giở, cũ, Ă Â Ê Ô Ơ Ư Đ"),
    ],
)
def test_tcvn3_known_text(raw: str, expected: str) -> None:
    assert decode_tcvn3(raw.encode("latin-1")) == expected
    assert encode_tcvn3(expected) == raw.encode("latin-1")


def test_every_letter_is_in_the_grid() -> None:
    assert len(VIETNAMESE_LOWER) == len(TONELESS_VOWELS) * len(TONE_MARKS) + 1 == 73
    assert len(set(VIETNAMESE_LETTERS)) == 146
    assert all(unicodedata.is_normalized("NFC", ch) for ch in VIETNAMESE_LETTERS)


@pytest.mark.parametrize("letter", VIETNAMESE_LETTERS)
def test_vni_round_trips_every_letter(letter: str) -> None:
    assert decode_vni(encode_vni(letter)) == letter
    assert decode_vni(encode_vni(f"x{letter}x")) == f"x{letter}x"


TCVN3_EXACT = VIETNAMESE_LOWER + TCVN3_CAPITALS


@pytest.mark.parametrize("letter", TCVN3_EXACT)
def test_tcvn3_round_trips_lowercase_and_seven_capitals(letter: str) -> None:
    encoded = encode_tcvn3(letter)
    assert len(encoded) == 1
    assert decode_tcvn3(encoded) == letter


@pytest.mark.parametrize("letter", [c for c in VIETNAMESE_LETTERS if c.isupper() and c not in TCVN3_EXACT])
def test_tcvn3_capitals_with_tone_come_back_lowercase(letter: str) -> None:
    # .VnTimeH fonts draw the lower-case code as a capital: the bytes carry no case.
    expected = letter if letter.isascii() else letter.lower()
    assert decode_tcvn3(encode_tcvn3(letter)) == expected


def test_legacy_encoders_reject_what_the_encoding_cannot_hold() -> None:
    for encode in (encode_vni, encode_tcvn3):
        with pytest.raises(UnicodeEncodeError):
            encode("Straße 中")


def test_legacy_punctuation_uses_windows_1252_bytes() -> None:
    text = "“quoted” ‘x’ – — … •"
    expected = text.encode("cp1252")
    assert encode_vni(text) == expected == encode_tcvn3(text)
    assert decode_vni(expected) == text == decode_tcvn3(expected)


def test_bytes_no_windows_font_defines_are_rejected() -> None:
    for decode in (decode_vni, decode_tcvn3):
        with pytest.raises(UnicodeDecodeError):
            decode(b"abc\x81")


# ---------------------------------------------------------------- property tests

ASCII_PUNCT = " .,;:!?()-'\"/0123456789\n"
TCVN3_SAFE = VIETNAMESE_LOWER + TCVN3_CAPITALS + string.ascii_letters + ASCII_PUNCT


@given(st.text(alphabet=VIETNAMESE_LETTERS + string.ascii_letters + ASCII_PUNCT))
def test_vni_round_trip_property(text: str) -> None:
    assert decode_vni(encode_vni(text)) == text


@given(st.text(alphabet=TCVN3_SAFE))
def test_tcvn3_round_trip_property(text: str) -> None:
    assert decode_tcvn3(encode_tcvn3(text)) == text


@given(st.text(alphabet=VIETNAMESE_LETTERS + ASCII_PUNCT))
def test_tcvn3_folds_only_capitals_with_tones(text: str) -> None:
    assert decode_tcvn3(encode_tcvn3(text)) == tcvn3_fold(text)


@given(st.text(alphabet=VIETNAMESE_LETTERS + ASCII_PUNCT))
def test_windows_1258_round_trip_property(text: str) -> None:
    for combining in (True, False):
        raw = encode_windows_1258(text, combining_tones=combining)
        assert unicodedata.normalize("NFC", raw.decode("cp1258")) == text


def _sample_words() -> list[str]:
    words = re.findall(r"[^\W\d_]+", " ".join(SAMPLES.values()))
    return sorted({w for w in words if not w.isascii()})


SAMPLE_WORDS = _sample_words()
LEGACY = {
    "windows-1258": encode_windows_1258,
    "vni-windows": encode_vni,
    "tcvn3": encode_tcvn3,
}


def test_sample_words_are_well_formed_syllables() -> None:
    assert len(SAMPLE_WORDS) > 300
    assert all(is_vietnamese_syllable(w) for w in SAMPLE_WORDS)


@pytest.mark.parametrize("word", ["laø", "Vieät", "céng", "ViÖt", "lµ", "treõn", "café", "ĉ́", "mat"])
def test_garbled_or_foreign_words_are_not_syllables(word: str) -> None:
    if word == "céng":  # TCVN3 "Cộng" read as cp1258: well-formed by chance; scoring copes
        assert is_vietnamese_syllable(word)
    else:
        assert not is_vietnamese_syllable(word)


vietnamese_phrases = st.lists(st.sampled_from(SAMPLE_WORDS), min_size=6, max_size=40).filter(
    lambda ws: sum(len(w) for w in ws) >= 30
)


@settings(max_examples=200, deadline=None)
@given(words=vietnamese_phrases, encoding=st.sampled_from(sorted(LEGACY)), sep=st.sampled_from([" ", ", ", "\n"]))
def test_detection_picks_the_right_legacy_encoding(words: list[str], encoding: str, sep: str) -> None:
    text = sep.join(words)
    if encoding == "tcvn3":
        text = tcvn3_fold(text)
    result = decode_bytes(LEGACY[encoding](text))
    assert (result.encoding, result.text) == (encoding, text)


@settings(max_examples=100, deadline=None)
@given(words=vietnamese_phrases)
def test_unicode_text_is_never_taken_for_a_legacy_encoding(words: list[str]) -> None:
    text = " ".join(words)
    assert decode_bytes(text.encode("utf-8")) == DecodedText(text, "utf-8", False)


# ---------------------------------------------------------------- small cases


def test_pure_ascii_reports_utf8() -> None:
    assert decode_bytes(b"plain ASCII\r\nline two\r") == DecodedText("plain ASCII\nline two\n", "utf-8", False)


def test_bom_is_removed_and_mixed_line_ends_become_lf() -> None:
    result = decode_bytes(b"\xef\xbb\xbfa\r\nb\rc\nd")
    assert result == DecodedText("a\nb\nc\nd", "utf-8-sig", False)


def test_truncated_utf8_stays_utf8() -> None:
    # A copy cut in the middle of the last character must not turn into cp1258 mojibake.
    data = SAMPLES[SAMPLE_NAMES[0]].encode("utf-8") + "ệ".encode()[:2]
    result = decode_bytes(data)
    assert result.encoding == "utf-8"
    assert result.text == SAMPLES[SAMPLE_NAMES[0]] + "\ufffd"


def test_typographic_quotes_alone_fall_back_to_windows_1258() -> None:
    assert decode_bytes(b"say \x93hello\x94 \x96 ok") == DecodedText("say “hello” – ok", "windows-1258", False)


def test_short_legacy_words_are_detected() -> None:
    assert decode_bytes(encode_vni("Việt Nam")).text == "Việt Nam"
    assert decode_bytes(encode_tcvn3("Hà Nội")).encoding == "tcvn3"
    assert decode_bytes(encode_windows_1258("tiếng Việt")).encoding == "windows-1258"


# ---------------------------------------------------------------- typed errors


def _png_like() -> bytes:
    rng = random.Random(1)
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(4096))


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.txt", SAMPLES[SAMPLE_NAMES[0]])
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", EmptyInputError),
        (b" \t\r\n \n", EmptyInputError),
        (b"\xef\xbb\xbf \n", EmptyInputError),
        (b"\xff\xfe" + " \n\u3000".encode("utf-16-le"), EmptyInputError),
        (_png_like(), BinaryInputError),
        (_zip_bytes(), BinaryInputError),
        (b"text with a NUL \x00 inside it, otherwise fine", BinaryInputError),
        (bytes(range(1, 32)) * 20 + b"some text", BinaryInputError),
        (b"\xff\xfe" + (bytes(range(1, 32)) * 4).decode("ascii").encode("utf-16-le"), BinaryInputError),
        (b"abc \x81\x8d\x8f\x90\x9d def", UndecodableTextError),
        ("日本語のテキストです。".encode("shift_jis") * 5, UndecodableTextError),
        (b"\xff\xfe\x00\x00" + "hi".encode("utf-32-le"), UndecodableTextError),
    ],
    ids=[
        "empty",
        "whitespace",
        "bom-only",
        "utf16-whitespace",
        "png",
        "zip",
        "nul",
        "controls",
        "utf16-controls",
        "undefined-bytes",
        "shift-jis",
        "utf-32",
    ],
)
def test_unusable_input_raises_typed_error(data: bytes, error: type[InputError]) -> None:
    with pytest.raises(error) as caught:
        decode_bytes(data)
    message = str(caught.value)
    assert message and "\n" not in message and ";" in message  # what is wrong; what to do


def test_binary_message_names_the_formats_to_open() -> None:
    with pytest.raises(BinaryInputError, match=r"binary file, not text; open a \.txt, \.md or \.pdf"):
        decode_bytes(_png_like())


def test_undecodable_message_suggests_utf8() -> None:
    with pytest.raises(UndecodableTextError, match="re-save the file as UTF-8"):
        decode_bytes(b"abc \x81\x8d\x8f\x90\x9d def")


def test_too_large_input() -> None:
    with pytest.raises(InputTooLargeError, match="split it"):
        decode_bytes(b"a" * 101, max_bytes=100)
    assert decode_bytes(b"a" * 100, max_bytes=100).text == "a" * 100


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(FileMissingError, match="not found"):
        read_text_file(tmp_path / "nope.txt")
    with pytest.raises(FileMissingError):
        read_text_file(tmp_path / "nope" / "deeper.txt")


def test_folder_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(FileMissingError, match="folder"):
        read_text_file(tmp_path)


def test_file_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(EmptyInputError, match=r"^empty\.txt: "):
        read_text_file(path)
