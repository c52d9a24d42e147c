"""`main.py check PAIRS.tsv|FILE.tmx [--json]`: the sentence-pair checks on pairs the user brings.

A TSV file has one `vietnamese<TAB>english` pair per line (blank lines are skipped; a tab inside the
English is kept as part of it); a TMX file gives one pair per <tu> with a Vietnamese and an English
<tuv>. The same checks as the reader's (app/core/translate/checks.py) run on each pair. Text output
lists the flagged pairs; `--json` prints every pair in input order as
{"vi", "en", "flags": [{"kind", "detail"}]}. Exit code 0 whether or not anything is flagged; 2 for
a file that cannot be read as pairs (one line saying why). `--glossary FILE` adds the `glossary` check
with agreed terms from a CSV/TSV/TBX file.
"""

from __future__ import annotations

import argparse
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.common import write_line as _write
from app.core.errors import BinaryInputError, EmptyInputError, InputError, UnsupportedFormatError, printable

if TYPE_CHECKING:
    from app.core.translate.glossary import Entry

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_INLINE = {"bpt", "ept", "ph", "it", "ut"}  # TMX inline codes: markup of the original, not text


def _name(path: Path) -> str:
    return printable(str(path))


_WHAT = "a TSV file (one `vietnamese<TAB>english` pair per line) or a TMX file"


def parse_tsv(data: bytes, path: Path) -> list[tuple[str, str]]:
    from app.core.ingest.text import decode_bytes

    try:
        text = decode_bytes(data).text  # UTF-8 (BOM or not), UTF-16 from Excel, legacy Vietnamese encodings
    except BinaryInputError:
        raise BinaryInputError(f"{_name(path)} looks like a binary file, not text; give {_WHAT}") from None
    except EmptyInputError:
        raise EmptyInputError(f"{_name(path)} is empty; give {_WHAT}") from None
    except InputError as err:
        raise type(err)(f"{_name(path)}: {err}") from None
    pairs = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        if "\t" not in line:
            shown = line if len(line) <= 40 else line[:39] + "…"
            raise InputError(
                f"{_name(path)}, line {number}: no tab between the Vietnamese and the English "
                f"({printable(shown)!r}); write one `vietnamese<TAB>english` pair per line"
            )
        vi, en = line.split("\t", 1)
        pairs.append((vi.strip(), en.strip()))
    if not pairs:
        raise EmptyInputError(f"{_name(path)} has no sentence pairs; write one `vietnamese<TAB>english` pair per line")
    return pairs


def _seg_text(seg: ET.Element) -> str:
    parts = [seg.text or ""]
    for child in seg:
        tag = child.tag.rsplit("}", 1)[-1]
        if tag not in _INLINE:
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _lang(tuv: ET.Element) -> str:
    return (tuv.get(_XML_LANG) or tuv.get("lang") or "").strip().lower().replace("_", "-")


def parse_tmx(data: bytes, path: Path) -> list[tuple[str, str]]:
    if b"<!ENTITY" in data:  # entity expansion (a 'billion laughs' file) is refused before parsing
        raise InputError(f"{_name(path)}: a TMX file with entity declarations is not accepted")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as err:
        raise InputError(f"{_name(path)} is not a well-formed TMX (XML) file: {err}") from None
    if root.tag.rsplit("}", 1)[-1] != "tmx":
        raise UnsupportedFormatError(f"{_name(path)} is XML but not a TMX file (its root is <{root.tag}>)")
    pairs = []
    for tu in root.iter():
        if tu.tag.rsplit("}", 1)[-1] != "tu":
            continue
        sides: dict[str, str] = {}
        for tuv in tu:
            if tuv.tag.rsplit("}", 1)[-1] != "tuv":
                continue
            lang = _lang(tuv).split("-")[0]
            seg = next((c for c in tuv if c.tag.rsplit("}", 1)[-1] == "seg"), None)
            if lang in {"vi", "en"} and seg is not None and lang not in sides:
                sides[lang] = _seg_text(seg)
        if "vi" in sides:
            pairs.append((sides["vi"], sides.get("en", "")))
    if not pairs:
        raise EmptyInputError(f"{_name(path)} has no translation unit with a Vietnamese (vi) side")
    return pairs


def read_pairs(path: Path) -> list[tuple[str, str]]:
    """The pairs of a TSV or TMX file, in file order (TMX by extension or by an XML start). Only an
    ordinary file is read (never a FIFO or a device), up to the input size limit."""
    from app.core.user_files import read_input

    data = read_input(path, _WHAT)
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if path.suffix.lower() == ".tmx" or head.startswith((b"<?xml", b"<tmx")):
        return parse_tmx(data, path)
    return parse_tsv(data, path)


def read_glossary(path: Path) -> list[Entry]:
    """Agreed terms from a CSV, TSV or TBX file, as `main.py glossary import` reads them."""
    from app.core.translate import glossary
    from app.core.user_files import read_input

    try:
        text = read_input(path, "a CSV, TSV or TBX glossary").decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(f"{_name(path)}: cannot read it as UTF-8 text ({err})") from None
    if path.suffix.lower() == ".tbx":
        return glossary.parse_tbx(text)
    return glossary.parse_table(text, "\t" if path.suffix.lower() in {".tsv", ".tab", ".txt"} else ",")


def cmd_check(args: argparse.Namespace) -> int:
    from app.core.translate.checks import check_pair

    terms = read_glossary(Path(args.glossary)) if args.glossary else None
    pairs = read_pairs(Path(args.file))
    results = [(vi, en, check_pair(vi, en, terms)) for vi, en in pairs]
    if args.json:
        out = [
            {"vi": vi, "en": en, "flags": [{"kind": f.kind, "detail": f.detail} for f in flags]}
            for vi, en, flags in results
        ]
        _write(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    flagged = 0
    for number, (vi, en, flags) in enumerate(results, 1):
        if not flags:
            continue
        flagged += 1
        _write(f"{number}: {vi}")
        _write(f"   → {en}")
        for flag in flags:
            _write(f"   ⚠ {flag.kind}: {flag.detail}")
    _write(f"{len(results)} pairs checked, {flagged} flagged")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    check = sub.add_parser(
        "check",
        help="check sentence pairs made elsewhere (numbers, negation, names...): a TSV or TMX file",
        description="Run the reader's checks on vietnamese<TAB>english pairs (TSV, one per line) or a TMX file.",
    )
    check.add_argument("file", help="a .tsv file (vietnamese<TAB>english per line) or a .tmx file")
    check.add_argument("--json", action="store_true", help='print [{"vi", "en", "flags": [{"kind", "detail"}]}]')
    check.add_argument(
        "--glossary",
        metavar="FILE",
        help="agreed terms (CSV/TSV/TBX): flag English that misses them",
    )
    check.set_defaults(func=cmd_check)
