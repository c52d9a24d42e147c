"""The smaller ICU data of the Linux build (packaging/icu_data.py), on PySide6's real libicudata."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))
import icu_data  # noqa: E402


def _pyside_icu() -> Path:
    import PySide6

    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    if not sys.platform.startswith("linux") or not found or not shutil.which("readelf"):
        pytest.skip("PySide6 ships its own ICU on Linux only")
    return found[0]


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("icudt73l/vi.res", True),
        ("icudt73l/en_GB.res", True),
        ("icudt73l/root.res", True),
        ("icudt73l/coll/vi.res", True),
        ("icudt73l/coll/ucadata.icu", True),
        ("icudt73l/zone/pool.res", True),  # locale files of a tree share strings through its pool
        ("icudt73l/curr/res_index.res", True),
        ("icudt73l/supplementalData.res", True),
        ("icudt73l/likelySubtags.res", True),
        ("icudt73l/zoneinfo64.res", True),
        ("icudt73l/brkitr/word.brk", True),
        ("icudt73l/cnvalias.icu", True),
        ("icudt73l/nfkc.nrm", True),
        ("icudt73l/fr.res", False),
        ("icudt73l/haw.res", False),
        ("icudt73l/coll/zh.res", False),
        ("icudt73l/zone/zh_Hant_TW.res", False),
        ("icudt73l/brkitr/cjdict.dict", False),
        ("icudt73l/ibm-1390_P110-2003.cnv", False),
        ("icudt73l/translit/root.res", False),
        ("icudt73l/rbnf/vi.res", False),
    ],
)
def test_keep_item(name: str, kept: bool) -> None:
    assert icu_data.keep_item(name) is kept


def test_rebuilding_the_full_data_gives_the_same_bytes() -> None:
    lib = _pyside_icu()
    symbol, data = icu_data.read_library(lib)
    assert symbol.startswith("icudt") and len(data.items) > 1000
    raw = lib.read_bytes()
    rebuilt = icu_data.build_common_data(data)
    assert rebuilt in raw  # the writer lays items out exactly as ICU's pkgdata did


def test_not_icu_data_is_refused() -> None:
    with pytest.raises(icu_data.IcuDataError):
        icu_data.parse_common_data(b"\x90\x00\xda\x27" + b"\0" * 60)
    with pytest.raises(icu_data.IcuDataError):
        icu_data.parse_common_data(b"short")


PROBE = r"""
import pathlib
from PySide6.QtCore import QCollator, QLocale, QTimeZone
words = ["Đà Nẵng", "an", "Ân", "ăn", "bàn", "Bắc", "đá", "dê", "ê", "ước", "ương", "zebra", "äpfel", "apple"]
for name in ("vi", "en"):
    print(name, sorted(words, key=QCollator(QLocale(name)).sortKey))
tz = QTimeZone(b"Asia/Ho_Chi_Minh")
print(tz.displayName(QTimeZone.StandardTime, QTimeZone.LongName, QLocale("vi")))
print(tz.displayName(QTimeZone.StandardTime, QTimeZone.LongName, QLocale("en")))
print(QLocale("vi").toUpper("đường phố"), QLocale("tr").toUpper("istanbul"))
maps = pathlib.Path("/proc/self/maps").read_text()
print("ICU", sorted({line.split()[-1] for line in maps.splitlines() if "libicudata" in line}))
"""


@pytest.mark.skipif(not shutil.which("cc"), reason="needs a C compiler to link the data library")
def test_qt_reads_the_small_data_as_it_reads_the_full_one(tmp_path: Path) -> None:
    lib = _pyside_icu()
    small = tmp_path / lib.name
    kept, total = icu_data.shrink_library(lib, small)
    assert kept < total / 4
    assert small.stat().st_size < lib.stat().st_size / 5

    def probe(extra: dict[str, str]) -> list[str]:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **extra}
        res = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=120)
        assert res.returncode == 0, res.stderr
        return res.stdout.splitlines()

    full, filtered = probe({}), probe({"LD_LIBRARY_PATH": str(tmp_path)})
    assert filtered[-1] == f"ICU [{str(small)!r}]"  # the small library was the one loaded
    assert full[:-1] == filtered[:-1]
    assert "Giờ Đông Dương" in filtered[2] and "ĐƯỜNG PHỐ" in filtered[4]
