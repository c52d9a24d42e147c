"""Fuzz `main.py import` with mutated PDFs: random byte flips and chunk deletions of valid PDFs
(fixed seed). Each file goes through its own `main.py import` run, and the library gets
`PRAGMA integrity_check` after every one.

    .venv/bin/python tests/hostile/fuzz_pdfs.py [--count 500] [--seed 2026] [--timeout 150]

Prints imported / refused / timed out / crashed counts; exits 1 on any crash, hang or corruption.
A crash is the main process dying or printing a traceback; a refusal is a one-line reason.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests import pdf_factory  # noqa: E402
from tests.hostile import make_inputs as mk  # noqa: E402


def sources(folder: Path) -> list[bytes]:
    paras = [p for p in mk.SAMPLE.split("\n") if p.strip()]
    made = [
        mk.report_pdf(folder / "report.pdf"),
        pdf_factory.story_pdf(folder / "story.pdf", [p for p in mk.PDF_COPY.split("\n") if p.strip()][:6]),
        pdf_factory.flow_pdf(folder / "columns.pdf", paras * 2, columns=2, header="Tạp chí", page_numbers=True),
        mk.owner_only_pdf(folder / "owner.pdf"),
    ]
    return [p.read_bytes() for p in made]


def mutate(data: bytes, rng: random.Random) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if rng.random() < 0.5 and len(buf) > 100:  # delete a chunk
            start = rng.randrange(len(buf) - 10)
            del buf[start : start + rng.randint(1, min(4096, len(buf) - start))]
        else:  # flip some bytes
            for _ in range(rng.randint(1, 64)):
                buf[rng.randrange(len(buf))] = rng.randrange(256)
    return bytes(buf)


def integrity(db: Path) -> str:
    if not db.exists():
        return "ok"
    con = sqlite3.connect(db)
    try:
        return str(con.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        con.close()


def fuzz(count: int, seed: int, timeout: float, folder: Path) -> Counter[str]:
    rng = random.Random(seed)
    originals = sources(folder)
    data_dir = folder / "data"
    env = {**os.environ, "DOICHIEU_DATA_DIR": str(data_dir)}
    outcomes: Counter[str] = Counter()
    for i in range(count):
        path = folder / f"fuzz-{i:04d}.pdf"
        path.write_bytes(mutate(rng.choice(originals), rng))
        try:
            res = subprocess.run(
                [sys.executable, str(ROOT / "main.py"), "import", str(path)],
                capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=timeout, env=env,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            outcomes["timed out"] += 1
            print(f"{path.name}: HUNG past {timeout:.0f} s", flush=True)
            continue
        line = res.stdout.strip()
        if res.returncode not in (0, 2) or "Traceback" in res.stderr or len(line.splitlines()) != 1:
            outcomes["crashed"] += 1
            print(f"{path.name}: CRASH rc={res.returncode}\n{res.stderr[-2000:]}", flush=True)
        elif line.startswith("refused"):
            outcomes["refused"] += 1
        else:
            outcomes["imported"] += 1
        if (state := integrity(data_dir / "library.sqlite3")) != "ok":
            outcomes["corrupted"] += 1
            print(f"{path.name}: LIBRARY CORRUPT: {state}", flush=True)
        path.unlink()
    return outcomes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--timeout", type=float, default=150.0)
    args = parser.parse_args()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        outcomes = fuzz(args.count, args.seed, args.timeout, Path(tmp))
    print(
        f"{args.count} mutated PDFs in {time.perf_counter() - start:.0f} s: imported {outcomes['imported']}, "
        f"refused {outcomes['refused']}, timed out {outcomes['timed out']}, crashed {outcomes['crashed']}, "
        f"library corrupted {outcomes['corrupted']}"
    )
    return 1 if outcomes["crashed"] or outcomes["timed out"] or outcomes["corrupted"] else 0


if __name__ == "__main__":
    sys.exit(main())
