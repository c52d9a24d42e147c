"""Glossary and do-not-translate list (issue 19), per library and optionally per document.

Vietnamese terms are matched on whole syllables of normalised text: NFC, case-insensitive (`Đ` = `đ`),
and blind to old/new tone placement (`hòa` = `hoà`, `thủy` = `thuỷ`): each syllable's key is its
letters without the tone mark, followed by the tone mark. `đ` stays distinct from `d` (they are
different letters; `Đà Nẵng` must not match `Dà Nẵng`). English terms are matched case-insensitively on
word boundaries with runs of spaces collapsed. An entry's English may list variants separated by `|`.

A do-not-translate entry expects its Vietnamese in the English as is (tone placement and case aside).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.errors import InputError, NotFoundError

if TYPE_CHECKING:
    from app.core.store import Library

TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng
_WORD = re.compile(r"\w+")
CSV_HEADER = ("vi", "en", "note", "do_not_translate")


@dataclass(frozen=True)
class Entry:
    vi: str
    en: str = ""
    note: str = ""
    keep: bool = False  # do not translate: the Vietnamese stays as is in the English
    document_id: int | None = None
    id: int | None = None

    @property
    def expected(self) -> tuple[str, ...]:
        """What the English should contain (any one of)."""
        if self.keep:
            return (self.vi,)
        return tuple(v.strip() for v in self.en.split("|") if v.strip())


@dataclass(frozen=True)
class Match:
    entry: Entry
    start: int  # offsets in the NFC form of the text (the library stores NFC)
    end: int


def syllable_key(word: str) -> str:
    """One syllable's matching key: lower case, letters without tone, then the tone mark (if any)."""
    decomposed = unicodedata.normalize("NFD", word.casefold())
    tones = [c for c in decomposed if c in TONE_MARKS]
    base = "".join(c for c in decomposed if c not in TONE_MARKS)
    return unicodedata.normalize("NFC", base) + "".join(tones[-1:])


def _syllables(text: str) -> list[tuple[str, int, int]]:
    nfc = unicodedata.normalize("NFC", text)
    return [(syllable_key(m.group()), m.start(), m.end()) for m in _WORD.finditer(nfc)]


def match_key(term: str) -> str:
    """The normalised form under which a term is stored and matched (syllable keys joined by spaces)."""
    return " ".join(k for k, _s, _e in _syllables(term))


class Glossary:
    """Entries compiled for matching. Longest match wins; matches do not overlap."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries = list(entries)
        self._by_first: dict[str, list[tuple[tuple[str, ...], Entry]]] = {}
        for entry in self.entries:
            keys = tuple(match_key(entry.vi).split())
            if keys:
                self._by_first.setdefault(keys[0], []).append((keys, entry))
        for options in self._by_first.values():
            options.sort(key=lambda o: -len(o[0]))

    def __bool__(self) -> bool:
        return bool(self._by_first)

    def find(self, text: str) -> list[Match]:
        """Entries whose Vietnamese occurs in `text`, in text order."""
        if not self._by_first:
            return []
        words = _syllables(text)
        keys = [w[0] for w in words]
        out: list[Match] = []
        i = 0
        while i < len(words):
            for want, entry in self._by_first.get(keys[i], ()):
                if tuple(keys[i : i + len(want)]) == want:
                    out.append(Match(entry, words[i][1], words[i + len(want) - 1][2]))
                    i += len(want)
                    break
            else:
                i += 1
        return out

    def misses(self, vi: str, en: str) -> list[str]:
        """Plain-words reasons for each agreed term the English lacks (see `glossary_misses`)."""
        return glossary_misses(vi, en, self)

    def prefer(self, vi: str, hypotheses: Sequence[str]) -> int:
        """Index of the hypothesis that misses the fewest agreed terms (the first, best-scored, on a tie)."""
        if len(hypotheses) < 2 or not self.find(vi):
            return 0
        counts = [len(glossary_misses(vi, h, self)) for h in hypotheses]
        return counts.index(min(counts))


def _contains_english(en: str, term: str) -> bool:
    words = term.split()
    if not words:
        return True
    pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)"
    return re.search(pattern, unicodedata.normalize("NFC", en), re.IGNORECASE) is not None


def _contains_vietnamese(en: str, term: str) -> bool:
    want = match_key(term).split()
    if not want:
        return True
    keys = [k for k, _s, _e in _syllables(en)]
    n = len(want)
    return any(keys[i : i + n] == want for i in range(len(keys) - n + 1))


def glossary_misses(vi: str, en: str, entries: Glossary | Iterable[Entry]) -> list[str]:
    """For checks (kind `glossary`): one detail per agreed term found in the Vietnamese whose
    English (or, for do-not-translate, the Vietnamese itself) is missing from the English.
    An empty English gives no detail (other checks report it)."""
    glossary = entries if isinstance(entries, Glossary) else Glossary(entries)
    if not en.strip():
        return []
    details: list[str] = []
    seen: set[tuple[str, str]] = set()
    for m in glossary.find(vi):
        entry = m.entry
        expected = entry.expected
        if not expected or (entry.vi, entry.en) in seen:
            continue
        seen.add((entry.vi, entry.en))
        if entry.keep:
            if not _contains_vietnamese(en, entry.vi) and not _contains_english(en, entry.vi):
                details.append(f'"{entry.vi}" should stay as is (do not translate)')
        elif not any(_contains_english(en, e) for e in expected):
            details.append(f'"{entry.vi}" should be "{" or ".join(expected)}"')
    return details


# --- storage -------------------------------------------------------------------------------------


def _row_entry(r: Sequence[object]) -> Entry:
    doc = r[5]
    return Entry(
        vi=str(r[1]),
        en=str(r[2]),
        note=str(r[3]),
        keep=bool(r[4]),
        document_id=int(doc) if isinstance(doc, int) else None,
        id=int(r[0]) if isinstance(r[0], int) else None,
    )


_COLUMNS = "id, vi, en, note, keep, document_id"


def entries(library: Library, document_id: int | None = None, *, all_documents: bool = False) -> list[Entry]:
    """The library's entries, plus those of `document_id` (which win over a library entry with the
    same Vietnamese). `all_documents` lists every entry (for export and the editor)."""
    if all_documents:
        rows = library.db.execute(f"SELECT {_COLUMNS} FROM glossary ORDER BY key, document_id").fetchall()
        return [_row_entry(r) for r in rows]
    rows = library.db.execute(
        f"SELECT {_COLUMNS}, key FROM glossary WHERE document_id IS NULL OR document_id = ? "
        "ORDER BY document_id IS NOT NULL, key",
        [document_id],
    ).fetchall()
    by_key: dict[str, Entry] = {}
    for r in rows:
        by_key[str(r[6])] = _row_entry(r)
    return sorted(by_key.values(), key=lambda e: match_key(e.vi))


def load(library: Library, document_id: int | None = None) -> Glossary:
    return Glossary(entries(library, document_id))


def add_entries(library: Library, new: Iterable[Entry]) -> int:
    """Add or replace (same normalised Vietnamese, same document) entries; returns how many."""
    from app.core.store.db import utc_now

    now = utc_now()
    count = 0
    with library.transaction():
        for e in new:
            vi = " ".join(unicodedata.normalize("NFC", e.vi).split())
            key = match_key(vi)
            if not key:
                raise InputError(f"a glossary entry needs a Vietnamese term (got {e.vi!r})")
            en = " ".join(unicodedata.normalize("NFC", e.en).split())
            if not en and not e.keep:
                raise InputError(f'the glossary entry "{vi}" needs an English term or the do-not-translate mark')
            if e.document_id is not None:
                library.document(e.document_id)  # NotFoundError when it does not exist
            library.db.conn.execute(
                "DELETE FROM glossary WHERE key = ? AND ifnull(document_id, 0) = ifnull(?, 0)", (key, e.document_id)
            )
            library.db.conn.execute(
                "INSERT INTO glossary (vi, en, note, keep, document_id, key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (vi, en, e.note.strip(), int(e.keep), e.document_id, key, now),
            )
            count += 1
    return count


def add_entry(
    library: Library, vi: str, en: str = "", note: str = "", *, keep: bool = False, document_id: int | None = None
) -> Entry:
    add_entries(library, [Entry(vi, en, note, keep, document_id)])
    key = match_key(vi)
    row = library.db.execute(
        f"SELECT {_COLUMNS} FROM glossary WHERE key = ? AND ifnull(document_id, 0) = ifnull(?, 0)", [key, document_id]
    ).fetchone()
    return _row_entry(row)


def remove_entry(library: Library, ref: int | str, document_id: int | None = None) -> Entry:
    """Remove by id, or by Vietnamese term (library-wide entry unless `document_id`)."""
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        number = int(ref)  # SQLite's integers stop at 2**63-1: a larger id names no entry
        row = None
        if 0 < number < 2**63:
            row = library.db.execute(f"SELECT {_COLUMNS} FROM glossary WHERE id = ?", [number]).fetchone()
    else:
        row = library.db.execute(
            f"SELECT {_COLUMNS} FROM glossary WHERE key = ? AND ifnull(document_id, 0) = ifnull(?, 0)",
            [match_key(ref), document_id],
        ).fetchone()
    if row is None:
        raise NotFoundError(f"no glossary entry {ref!r}", neutral="That glossary entry no longer exists.")
    with library.transaction():
        library.db.conn.execute("DELETE FROM glossary WHERE id = ?", (row[0],))
    return _row_entry(row)


# --- CSV / TSV -----------------------------------------------------------------------------------

_TRUE = {"1", "yes", "y", "true", "x", "keep", "dnt", "có", "co"}


def _dialect(path: Path) -> str:
    return "\t" if path.suffix.lower() in {".tsv", ".tab", ".txt"} else ","


def parse_table(text: str, delimiter: str, document_id: int | None = None) -> list[Entry]:
    """Rows `vi, en[, note[, do_not_translate]]`; a first row naming the columns is skipped."""
    out: list[Entry] = []
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))
    for n, row in enumerate(rows, 1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if n == 1 and cells[0].casefold() in {"vi", "vietnamese", "source", "tiếng việt"}:
            continue
        cells += [""] * (4 - len(cells))
        keep = cells[3].casefold() in _TRUE
        if not cells[0] or (not cells[1] and not keep):
            raise InputError(
                f"line {n}: a glossary row needs a Vietnamese term and its English (or do_not_translate=1)"
            )
        out.append(Entry(cells[0], cells[1], cells[2], keep, document_id))
    return out


def import_file(library: Library, path: Path | str, document_id: int | None = None) -> int:
    """Add the entries of a CSV, TSV (.tsv/.tab/.txt) or TBX (.tbx) file."""
    from app.core.user_files import read_input

    p = Path(path)
    try:
        text = read_input(p, "a CSV, TSV or TBX file").decode("utf-8-sig")  # never a FIFO or /dev/zero
    except FileNotFoundError as err:
        raise InputError(f"{p}: no such file") from err
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{p}: cannot read it as UTF-8 text ({err})") from err
    if p.suffix.lower() == ".tbx":
        return add_entries(library, parse_tbx(text, document_id))
    return add_entries(library, parse_table(text, _dialect(p), document_id))


# --- TBX (TBX-Basic: one concept entry per term, a Vietnamese and an English language section) -----

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DNT_NOTE = "do not translate"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_tbx(text: str, document_id: int | None = None) -> list[Entry]:
    """Concept entries (TBX 3 `conceptEntry`/`langSec`, or TBX 2 `termEntry`/`langSet`) with a `vi` and
    an `en` term; a `note` is kept; an entry whose note says "do not translate" is a do-not-translate one."""
    import xml.etree.ElementTree as ET

    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise InputError("a TBX file with a DOCTYPE or entities is not read (export it as plain TBX)")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as err:
        raise InputError(f"not a readable TBX file: {err}") from err
    out: list[Entry] = []
    for concept in root.iter():
        if _local(concept.tag) not in {"conceptEntry", "termEntry"}:
            continue
        terms: dict[str, str] = {}
        notes: list[str] = []
        for el in concept.iter():
            name = _local(el.tag)
            if name in {"langSec", "langSet"}:
                lang = (el.get(_XML_LANG) or el.get("lang") or "").lower().split("-")[0]
                term = next((t for t in el.iter() if _local(t.tag) == "term"), None)
                if term is not None and term.text and lang not in terms:
                    terms[lang] = " ".join(term.text.split())
            elif name == "note" and el.text:
                notes.append(el.text.strip())
        keep = any(n.casefold() == DNT_NOTE for n in notes)
        note = "; ".join(n for n in notes if n.casefold() != DNT_NOTE)
        if terms.get("vi") and (terms.get("en") or keep):
            en = "" if keep and terms.get("en") == terms["vi"] else terms.get("en", "")
            out.append(Entry(terms["vi"], en, note, keep, document_id))
    return out


def format_tbx(items: Iterable[Entry]) -> str:
    import xml.etree.ElementTree as ET

    root = ET.Element(
        "tbx", {"type": "TBX-Basic", "style": "dca", _XML_LANG: "vi", "xmlns": "urn:iso:std:iso:30042:ed-2"}
    )
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for n, e in enumerate(items, 1):
        concept = ET.SubElement(body, "conceptEntry", {"id": f"c{n}"})
        for text in (e.note, DNT_NOTE if e.keep else ""):
            if text:
                ET.SubElement(concept, "note").text = text
        for lang, term in (("vi", e.vi), ("en", e.vi if e.keep and not e.en else e.en)):
            if term:
                sec = ET.SubElement(concept, "langSec", {_XML_LANG: lang})
                ET.SubElement(ET.SubElement(sec, "termSec"), "term").text = term
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def format_table(items: Iterable[Entry], delimiter: str) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for e in items:
        writer.writerow([e.vi, e.en, e.note, "1" if e.keep else ""])
    return buf.getvalue()


def export_file(library: Library, path: Path | str, document_id: int | None = None) -> int:
    """Write the library-wide entries (or one document's own entries) as CSV, TSV (.tsv/.tab/.txt) or TBX."""
    from app.core.safe_write import write_text

    p = Path(path)
    items = [e for e in entries(library, all_documents=True) if e.document_id == document_id]
    text = format_tbx(items) if p.suffix.lower() == ".tbx" else format_table(items, _dialect(p))
    write_text(p, text, libraries=[library.path])
    return len(items)
