"""Vietnamese syllable grammar: is a token one well-formed syllable, and where do glued ones split.

Vietnamese is written one syllable at a time, so a token that is not a syllable is either a foreign
word or two syllables that lost the space between them (text layers without space characters, OCR:
"Tổchức", "thếgiới"). A syllable is an optional onset, a rhyme from the closed list below and at most
one tone mark; a rhyme ending in c/ch/p/t takes only the acute or the dot-below tone, which settles
most splits ("tổc|hức" is not a syllable pair, "tổ|chức" is).

One place for the rule: layout repair, OCR repair and the benches all call this module.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

_ONSET_LIST = "ngh ng nh ch gh gi kh ph qu th tr b c d đ g h k l m n p r s t v x"
_ONSETS = tuple(_ONSET_LIST.split())  # longest first: "ngh" before "ng" before "n"
_STOPS = ("ch", "c", "p", "t")  # a rhyme ending in one of these takes only the acute or dot-below tone

# Rhymes without tone, as nucleus (with medial) followed by the codas it takes.
_RHYME_TABLE = {
    "a": "- c ch m n ng nh p t i o u y",
    "ă": "c m n ng p t",
    "â": "c m n ng p t u y",
    "e": "- c m n ng p t o",
    "ê": "- ch m n ng nh p t u",
    "i": "- ch m n nh p t a u",
    "y": "-",
    "o": "- c m n ng p t i",
    "oo": "c ng",
    "ô": "- c m n ng p t i",
    "ơ": "- m n p t i",
    "u": "- c m n ng p t i y a",
    "ư": "- c m n ng t i u a",
    "iê": "c m n ng p t u",
    "yê": "m n ng t u",
    "uô": "c m n ng t i",
    "ươ": "c m n ng p t i u",
    "oa": "- c ch m n ng nh p t i y o",
    "oă": "c m n ng t",
    "oe": "- n t o",
    "uâ": "n ng t y",
    "uê": "- ch nh",
    "uy": "- ch n nh t u a",
    "uyê": "n t",
    "uơ": "-",
}


def _rhymes() -> frozenset[str]:
    out = set()
    for nucleus, codas in _RHYME_TABLE.items():
        for coda in codas.split():
            out.add(nucleus + ("" if coda == "-" else coda))
    return frozenset(out)


_RHYMES = _rhymes()
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
_KEEP = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter, not a tone
_VI_NON_ASCII = set("ăâđêôơưĂÂĐÊÔƠƯ")
_LETTERS = re.compile(r"[^\W\d_]+")


def _split_tone(word: str) -> tuple[str, str | None, bool]:
    """(base letters lower-cased with ă â ê ô ơ ư đ kept, the tone mark or None, more than one tone)."""
    base: list[str] = []
    tones: list[str] = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _TONES:
            tones.append(ch)
        elif unicodedata.combining(ch) and ch not in _KEEP:
            return "", None, True  # a mark Vietnamese does not use
        else:
            base.append(ch)
    return unicodedata.normalize("NFC", "".join(base)), (tones[0] if tones else None), len(tones) > 1


def _case_ok(word: str) -> bool:
    """lower, Title or UPPER: 'tỔ' is not a syllable."""
    return word.islower() or word.isupper() or (word[:1].isupper() and word[1:].islower())


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """Whether `word` is one well-formed Vietnamese syllable (any case, any tone placement)."""
    if not word or len(word) > 8 or not word.isalpha() or not _case_ok(word):
        return False
    base, tone, many = _split_tone(word)
    if many or not base:
        return False
    for onset in [*_ONSETS, ""]:
        if not base.startswith(onset):
            continue
        rhyme = base[len(onset) :]
        if onset == "gi" and (rhyme == "" or not rhyme.startswith(("a", "ă", "â", "e", "ê", "o", "ô", "ơ", "u", "ư"))):
            # "gì", "gìn", "giếng": g + a rhyme starting with i
            continue
        if onset == "qu" and rhyme.startswith(("u", "o")):
            continue
        if rhyme not in _RHYMES:
            continue
        if rhyme.endswith(_STOPS) and tone not in (None, "\u0301", "\u0323"):
            continue
        if onset in ("k", "gh", "ngh") and not rhyme.startswith(("i", "y", "e", "ê")):
            continue
        return True
    return False


@lru_cache(maxsize=65536)
def looks_vietnamese(token: str) -> bool:
    """Carries a letter only Vietnamese uses here: ă â đ ê ô ơ ư or a tone mark on a vowel."""
    if any(ch in _VI_NON_ASCII for ch in token):
        return True
    return any(ch in _TONES for ch in unicodedata.normalize("NFD", token))


def word_tokens(text: str) -> list[str]:
    return _LETTERS.findall(unicodedata.normalize("NFC", text))


def malformed(text: str) -> tuple[int, int]:
    """(malformed, counted): tokens that look Vietnamese but are not one syllable, among the tokens
    that are syllables or look Vietnamese. English words without Vietnamese letters and upper-case
    acronyms that are no run of syllables are not counted."""
    bad = counted = 0
    for token in word_tokens(text):
        ok = is_syllable(token)
        if not ok and token.isupper() and len(split_glued(token)) < 2:
            continue  # an acronym (ĐHQGHN, QĐ), not a broken syllable
        if ok or looks_vietnamese(token):
            counted += 1
            bad += not ok
    return bad, counted


def malformed_share(text: str) -> float:
    bad, counted = malformed(text)
    return bad / counted if counted else 0.0


def vocabulary(texts: Iterable[str]) -> Counter[str]:
    """How often each syllable stands alone in the texts (lower case): evidence for splits."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(t.lower() for t in word_tokens(text) if is_syllable(t))
    return counts


def split_glued(token: str, vocab: Counter[str] | None = None) -> list[str]:
    """`token` as the syllables it is glued from, or [token] when it is a syllable, not Vietnamese, or
    has no split into syllables. Fewest pieces first; then pieces that start with a consonant and that
    the document uses on their own."""
    if is_syllable(token) or not token.isalpha() or len(token) > 40:
        return [token]
    vocab = vocab or Counter()
    whole_seen = vocab.get(token.lower(), 0)
    n = len(token)
    # best[i] = (cost, pieces) for token[:i]
    best: list[tuple[float, list[str]] | None] = [None] * (n + 1)
    best[0] = (0.0, [])
    for i in range(n):
        if best[i] is None:
            continue
        cost_i, pieces_i = best[i]  # type: ignore[misc]
        for j in range(i + 1, min(n, i + 8) + 1):
            piece = token[i:j]
            if not is_syllable(piece):
                continue
            seen = vocab.get(piece.lower(), 0)
            # a syllable without an onset is rarer than one with ('chủ|yếu', not 'chủy|ếu'); y- counts as
            # an onset here (yếu, yêu, ý are common)
            cost = cost_i + 10.0 - math.log1p(seen) + (1.5 if piece[0].lower() in "aăâeêioôơuư" else 0.0)
            if best[j] is None or cost < best[j][0]:  # type: ignore[index]
                best[j] = (cost, [*pieces_i, piece])
    result = best[n]
    if result is None or len(result[1]) < 2:
        return [token]
    pieces = result[1]
    # An ASCII token ("banana", "volume") splits only when the document itself uses every piece alone
    # and one piece has a final consonant cluster or 4+ letters: English words split into open
    # two-letter syllables ("vo lu me", "ge ne ra ti ve"), glued Vietnamese ones rarely do.
    if not looks_vietnamese(token) and (
        whole_seen
        or any(vocab.get(p.lower(), 0) < 3 for p in pieces)
        or not any(len(p) >= 4 or p.lower().endswith(("ng", "nh", "ch")) for p in pieces)
    ):
        return [token]
    return pieces


def repair_glued(text: str, vocab: Counter[str] | None = None) -> tuple[str, list[tuple[int, int, str]]]:
    """`text` with glued syllables split, and the edits as (start, end, replacement) in `text`."""
    edits: list[tuple[int, int, str]] = []
    out: list[str] = []
    last = 0
    for m in _LETTERS.finditer(text):
        pieces = split_glued(m.group(), vocab)
        if len(pieces) > 1:
            out.append(text[last : m.start()])
            joined = " ".join(pieces)
            out.append(joined)
            edits.append((m.start(), m.end(), joined))
            last = m.end()
    out.append(text[last:])
    return "".join(out), edits
