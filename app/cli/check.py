"""`main.py check PAIRS.tsv|FILE.tmx [--json]`: the sentence-pair checks on pairs the user brings.

A TSV file has one `vietnamese<TAB>english` pair per line (blank lines are skipped; a tab inside the
English is kept as part of it); a TMX file gives one pair per <tu> with a Vietnamese and an English
<tuv>. The same checks as the reader's (app/core/translate/checks.py) run on each pair. Text output
lists the flagged pairs; `--json` prints every pair in input order as
{"vi", "en", "flags": [{"kind", "detail"}]}. Exit code 0 whether or not anything is flagged; 2 for
a file that cannot be read as pairs (one line saying why).
"""

from __future__ import annotations

import argparse
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from app.cli.common import write_line as _write
from app.core.errors import BinaryInputError, EmptyInputError, InputError, UnsupportedFormatError, printable

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_INLINE = {"bpt", "ept", "ph", "it", "ut"}  # TMX inline codes: markup of the original, not text


def _name(path: Path) -> str:
    return printable(str(path))


def read_tsv(path: Path) -> list[tuple[str, str]]:
    from app.core.ingest.text import read_text_file

    try:
        text = read_text_file(path).text
    except BinaryInputError:
        raise BinaryInputError(
            f"{_name(path)} looks like a binary file, not text; give a TSV file "
            "(one `vietnamese<TAB>english` pair per line) or a TMX file"
        ) from None
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


def read_tmx(path: Path) -> list[tuple[str, str]]:
    try:
        data = path.read_bytes()
    except FileNotFoundError as err:
        raise InputError(f"File not found: {_name(path)}; check the path") from err
    except IsADirectoryError as err:
        raise InputError(f"{_name(path)} is a folder, not a file") from err
    except OSError as err:
        raise InputError(f"Cannot read {_name(path)}: {err.strerror or err}") from err
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
    """The pairs of a TSV or TMX file, in file order (TMX by extension or by an XML start)."""
    if not path.exists():
        raise InputError(f"File not found: {_name(path)}; check the path")
    if path.is_dir():
        raise InputError(f"{_name(path)} is a folder, not a file; give a TSV or TMX file")
    if path.suffix.lower() == ".tmx":
        return read_tmx(path)
    try:
        with path.open("rb") as f:
            head = f.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError as err:
        raise InputError(f"Cannot read {_name(path)}: {err.strerror or err}") from err
    if head.startswith(b"<?xml") or head.startswith(b"<tmx"):
        return read_tmx(path)
    return read_tsv(path)


def cmd_check(args: argparse.Namespace) -> int:
    from app.core.translate.checks import check_pair

    pairs = read_pairs(Path(args.file))
    results = [(vi, en, check_pair(vi, en)) for vi, en in pairs]
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
    check.set_defaults(func=cmd_check)
