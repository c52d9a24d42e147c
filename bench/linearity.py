"""Linearity of the text import path on hostile input (issue 20): seconds for 10 KB, 100 KB, 1 MB and
10 MB of text without spaces or newlines, and the growth ratio per decade (linear: ~10).

    .venv/bin/python bench/linearity.py                  # every input, 10 KB .. 10 MB
    .venv/bin/python bench/linearity.py --max 1000000    # stop at 1 MB
    .venv/bin/python bench/linearity.py --inputs hex,vi

Each size goes through what an import runs on pasted text or a .txt file: decoding
(`ingest.text.decode_bytes`), layout repair with language tagging (`pipeline.clean_text`),
segmentation (`segment.segment_paragraphs`) and claim suggestions (`claims.suggest.suggest`), each
timed on its own; `lang` times `layout.cues.detect_lang` over the cleaned paragraphs once more, alone.
Storing in SQLite is left out (its cost is the store's, measured by bench/store_speed.py).
Times are CPU seconds of this process (time.process_time): on a shared machine, waiting for a core is
not charged to the code.
Targets: 10 MB under 30 s in total, ratio per decade at most ~15. Exit status 1 if either is missed.
"""

from __future__ import annotations

import argparse
import base64
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.core.claims.suggest import suggest  # noqa: E402
from app.core.ingest.text import decode_bytes  # noqa: E402
from app.core.layout.cues import detect_lang  # noqa: E402
from app.core.pipeline import clean_text  # noqa: E402
from app.core.segment import segment_paragraphs  # noqa: E402

SIZES = (10_000, 100_000, 1_000_000, 10_000_000)
TARGET_10MB_SECONDS = 30.0
TARGET_RATIO = 15.0


def _repeat(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


def _hex(n: int) -> str:
    return random.Random(20).randbytes(n // 2 + 1).hex()[:n]


def _base64(n: int) -> str:
    return base64.b64encode(random.Random(64).randbytes(n * 3 // 4 + 3)).decode("ascii")[:n]


# name -> (what it is, text of n bytes of UTF-8)
INPUTS: dict[str, tuple[str, Callable[[int], str]]] = {
    "letters": ("'a' repeated", lambda n: "a" * n),
    "vi": ("Vietnamese letters, no space", lambda n: _repeat("ệườợđáảạ", n // 3)),
    "hex": ("one line of hex", _hex),
    "base64": ("one line of base64", _base64),
    "dotted": ("'a.1,' repeated (dots, digits)", lambda n: _repeat("a.1,", n)),
}
STAGES = ("decode", "clean", "segment", "suggest", "lang")


def measure(text: str) -> dict[str, float]:
    """Seconds per stage for one text, run as an import runs it."""
    times: dict[str, float] = {}
    t0 = time.process_time()
    decoded = decode_bytes(text.encode("utf-8"))
    t1 = time.process_time()
    clean = clean_text(decoded.text, decoded.encoding)
    t2 = time.process_time()
    segmented = segment_paragraphs(clean.paragraphs)
    t3 = time.process_time()
    suggest(segmented.segments)
    t4 = time.process_time()
    for paragraph in clean.paragraphs:
        detect_lang(paragraph.text)
    t5 = time.process_time()
    times.update(decode=t1 - t0, clean=t2 - t1, segment=t3 - t2, suggest=t4 - t3, lang=t5 - t4)
    times["total"] = sum(times[s] for s in STAGES)
    return times


def _size_label(n: int) -> str:
    return f"{n // 1_000_000} MB" if n >= 1_000_000 else f"{n // 1000} KB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", default=",".join(INPUTS), help="comma-separated: " + ", ".join(INPUTS))
    parser.add_argument("--max", type=int, default=SIZES[-1], help="largest size in bytes (default 10 MB)")
    args = parser.parse_args(argv)
    # Warm up: underthesea's splitter and the regexes load once, not inside the first measurement.
    measure("Xin chào. Theo WIPO, năm 2023 Việt Nam tăng 5%.")
    ok = True
    header = f"{'input':8} {'size':>6} " + " ".join(f"{s:>8}" for s in (*STAGES, "total")) + "   ratio"
    print(header)
    for name in args.inputs.split(","):
        what, make = INPUTS[name]
        previous: float | None = None
        for n in (s for s in SIZES if s <= args.max):
            text = make(n)
            # Best of 3 (2 at 10 MB): a busy moment on a shared machine skews one run, not all.
            times = min((measure(text) for _ in range(3 if n < 10_000_000 else 2)), key=lambda t: t["total"])
            ratio = times["total"] / previous if previous else None
            ratio_text = f"{ratio:7.1f}" if ratio is not None else "      -"
            cells = " ".join(f"{times[s]:8.3f}" for s in (*STAGES, "total"))
            print(f"{name:8} {_size_label(n):>6} {cells} {ratio_text}", flush=True)
            # Ratios between runs of a few milliseconds are noise: judge growth from 0.1 s up.
            if ratio is not None and previous is not None and previous >= 0.1 and ratio > TARGET_RATIO:
                print(f"  {name} ({what}): grew {ratio:.1f}x for 10x the input (target <= {TARGET_RATIO:g})")
                ok = False
            if n >= 10_000_000 and times["total"] > TARGET_10MB_SECONDS:
                print(f"  {name} ({what}): 10 MB took {times['total']:.1f} s (target < {TARGET_10MB_SECONDS:g} s)")
                ok = False
            previous = times["total"]
    print("linear: yes" if ok else "linear: NO")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
