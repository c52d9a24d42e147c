"""A smaller ICU data library for the Linux build (issue 8: the one-folder build must stay under 250 MB).

PySide6's Linux wheels ship ICU with all of its data: `libicudata.so.NN` is one 31 MB array
(`icudtNN_dat`) in ICU's "common data" format, a sorted table of contents followed by items such as
`icudt73l/coll/zh.res`. Qt uses ICU for collation, time zones, codecs and text boundaries; its own CLDR
tables cover QLocale. This module keeps what a Vietnamese/English app can reach and writes a library with
the same soname and symbol, the way Chromium, Electron and Node ship filtered ICU data:

- every non-locale item (normalisation, properties, character names, time-zone rules, likely subtags,
  break rules, each tree's `pool.res` and `res_index.res`, the UCA collation table);
- locale data of root, English and Vietnamese only (other locales fall back to root, as ICU does for any
  locale it lacks);
- no legacy code-page converters (`*.cnv`: the app decodes files in Python, never through Qt), no
  transliterators, no spell-out rules, no CJK/Thai/Khmer/Lao/Burmese word dictionaries.

Everything here is pure except `build_library`, which runs the C compiler on a two-line assembly file.
"""

from __future__ import annotations

import re
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

KEEP_LOCALES = ("root", "en", "vi")
DROP_TREES = ("translit/", "rbnf/")
# Locale IDs are 2-3 lowercase letters (+ _Script, _REGION, ...); data items are camelCase or longer words.
_LOCALE_ITEM = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]+)*$|^root$")
_NOT_LOCALES = {"res_index"}  # each tree's list of its locales: looks like one, is not
_ALIGN = 16  # ICU reads items in place and needs them 16-byte aligned


class IcuDataError(Exception):
    """The library is not what this module understands; the build keeps the original then."""


@dataclass(frozen=True)
class CommonData:
    header: bytes  # MappedData + UDataInfo + copyright, copied verbatim
    items: dict[str, bytes]  # name -> bytes, in the table's sorted order


def keep_item(name: str) -> bool:
    """Whether an item such as `icudt73l/coll/vi.res` stays in the filtered data."""
    path = name.split("/", 1)[1] if "/" in name else name
    if path.startswith(DROP_TREES) or path.endswith((".cnv", ".dict")):
        return False
    stem, _, ext = path.rpartition("/")[2].partition(".")
    if ext != "res" or stem in _NOT_LOCALES or not _LOCALE_ITEM.match(stem):
        return True
    language = stem.split("_", 1)[0]
    return language in KEEP_LOCALES


def parse_common_data(blob: bytes) -> CommonData:
    if len(blob) < 32:
        raise IcuDataError("too short for ICU data")
    header_size, magic1, magic2 = struct.unpack_from("<HBB", blob, 0)
    if (magic1, magic2) != (0xDA, 0x27) or blob[12:16] != b"CmnD" or header_size % _ALIGN:
        raise IcuDataError("not ICU common data (CmnD)")
    if blob[8] != 0:  # UDataInfo.isBigEndian
        raise IcuDataError("big-endian ICU data")
    toc = bytes(blob[header_size:])
    count = struct.unpack_from("<I", toc, 0)[0]
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    items: dict[str, bytes] = {}
    for i, (name_offset, data_offset) in enumerate(entries):
        end = entries[i + 1][1] if i + 1 < count else len(toc)
        name = toc[name_offset : toc.index(b"\0", name_offset)].decode("ascii")
        items[name] = toc[data_offset:end]
    return CommonData(header=bytes(blob[:header_size]), items=items)


def _pad(size: int) -> int:
    return -size % _ALIGN


def build_common_data(data: CommonData) -> bytes:
    """The same format as ICU's pkgdata writes: count, (name, data) offsets, names, then aligned items."""
    names = list(data.items)
    table = 4 + 8 * len(names)
    name_offsets, name_bytes = [], bytearray()
    for name in names:
        name_offsets.append(table + len(name_bytes))
        name_bytes += name.encode("ascii") + b"\0"
    first_item = table + len(name_bytes)
    first_item += _pad(first_item)
    body, data_offsets = bytearray(), []
    for name in names:
        data_offsets.append(first_item + len(body))
        item = data.items[name]
        body += item + b"\0" * _pad(len(item))
    toc = bytearray(struct.pack("<I", len(names)))
    for name_offset, data_offset in zip(name_offsets, data_offsets, strict=True):
        toc += struct.pack("<II", name_offset, data_offset)
    toc += name_bytes + b"\xaa" * (first_item - table - len(name_bytes))  # pkgdata pads with 0xAA
    return data.header + bytes(toc) + bytes(body)


def filtered(data: CommonData) -> CommonData:
    return CommonData(header=data.header, items={k: v for k, v in data.items.items() if keep_item(k)})


def _readelf(args: list[str], lib: Path) -> str:
    return subprocess.run(["readelf", *args, str(lib)], capture_output=True, text=True, check=True).stdout


def read_library(lib: Path) -> tuple[str, CommonData]:
    """The data symbol's name and contents of an ICU data library (ELF, as in PySide6's Linux wheels)."""
    symbols = [line.split() for line in _readelf(["-sW", "--dyn-syms"], lib).splitlines()]
    found = [p for p in symbols if len(p) >= 8 and re.fullmatch(r"icudt\d+_dat", p[7]) and p[6] != "UND"]
    if not found:
        raise IcuDataError(f"no icudtNN_dat symbol in {lib}")
    name, address, size = found[0][7], int(found[0][1], 16), int(found[0][2], 0)
    for line in _readelf(["-lW"], lib).splitlines():
        p = line.split()
        if p and p[0] == "LOAD":
            offset, vaddr, filesz = int(p[1], 16), int(p[2], 16), int(p[4], 16)
            if vaddr <= address < vaddr + filesz:
                raw = lib.read_bytes()
                start = address - vaddr + offset
                return name, parse_common_data(raw[start : start + size])
    raise IcuDataError(f"{name} is not in a loaded segment of {lib}")


def build_library(blob: bytes, symbol: str, soname: str, out: Path, compiler: str = "cc") -> None:
    """A data-only shared library exporting `symbol` (no libc, like ICU's own) with the given soname."""
    with tempfile.TemporaryDirectory() as tmp:
        dat, asm = Path(tmp) / "icudt.dat", Path(tmp) / "icudt.s"
        dat.write_bytes(blob)
        asm.write_text(
            f"\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n\t.balign 16\n{symbol}:\n"
            f'\t.incbin "{dat}"\n\t.size {symbol}, {len(blob)}\n\t.section .note.GNU-stack,"",@progbits\n',
            encoding="ascii",
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [compiler, "-shared", "-nostdlib", f"-Wl,-soname,{soname}", "-Wl,-z,noexecstack", "-o", str(out), str(asm)],
            check=True,
        )


def shrink_library(lib: Path, out: Path) -> tuple[int, int]:
    """Write the filtered copy of `lib` to `out`; returns (items kept, items in the original)."""
    symbol, data = read_library(lib)
    small = filtered(data)
    blob = build_common_data(small)
    if parse_common_data(blob).items != small.items:  # the writer and reader must agree before we ship it
        raise IcuDataError("the rebuilt ICU data does not read back")
    build_library(blob, symbol, lib.name, out)
    return len(small.items), len(data.items)


if __name__ == "__main__":  # python packaging/icu_data.py SRC OUT
    import sys

    kept, total = shrink_library(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"kept {kept} of {total} ICU data items: {Path(sys.argv[2]).stat().st_size / 1e6:.1f} MB")
