"""A big library: import, segment and search 2,000 documents (~20 M characters), in quarters, and
print each stage's throughput and the peak memory, so growth worse than linear shows.

    .venv/bin/python bench/scale.py [--documents 2000] [--chars 10000]

Documents are synthetic Vietnamese (words of the two samples, fixed seed) with line breaks every
~70 characters, so layout repair has real work. Stages per quarter: clean (layout repair),
segment (underthesea + protections), store (one transaction per document), search (50 queries).
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from store_speed import sentence, vocabulary  # noqa: E402

from app.core.pipeline import clean_text  # noqa: E402
from app.core.segment import segment_paragraphs  # noqa: E402
from app.core.store import Library, NewDocument  # noqa: E402
from app.core.store.library import fold  # noqa: E402


def document(rng: random.Random, words: list[str], chars: int) -> str:
    paras, size = [], 0
    while size < chars:
        para = " ".join(sentence(rng, words) for _ in range(rng.randint(2, 6)))
        lines, line = [], ""
        for word in para.split():  # hard-wrapped, as text copied from a PDF
            if len(line) + len(word) > 70:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
        paras.append("\n".join(lines))
        size += len(para)
    return "\n\n".join(paras)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--chars", type=int, default=10_000)
    args = parser.parse_args()
    words = vocabulary()
    rng = random.Random(5)
    quarter = args.documents // 4
    print(f"{args.documents:,} documents of ~{args.chars:,} characters, in quarters of {quarter}")
    print("quarter  docs  Mchars  clean MB/s  segment sent/s  store sent/s  search median ms  peak MB")
    rates: list[tuple[float, float, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp, Library.open(Path(tmp) / "scale.sqlite3") as lib:
        total_chars = 0
        for q in range(4):
            t_clean = t_seg = t_store = 0.0
            chars = sents = 0
            for d in range(quarter):
                text = document(rng, words, args.chars)
                chars += len(text)
                t0 = time.perf_counter()
                clean = clean_text(text)
                t1 = time.perf_counter()
                seg = segment_paragraphs(clean.paragraphs)
                t2 = time.perf_counter()
                lib.add_document(
                    NewDocument(
                        title=f"Tài liệu {q}-{d}",
                        sha256=f"{q}-{d}",
                        kind="text",
                        raw_text=text,
                        paragraphs=clean.paragraphs,
                        segmented=seg,
                        repairs=clean.repairs,
                    )
                )
                t3 = time.perf_counter()
                t_clean += t1 - t0
                t_seg += t2 - t1
                t_store += t3 - t2
                sents += len(seg.segments)
            total_chars += chars
            times = []
            for _ in range(50):
                start = rng.randrange(len(words) - 3)
                query = fold(" ".join(words[start : start + rng.randint(1, 3)]))
                t0 = time.perf_counter()
                lib.search(query, limit=50)
                times.append(time.perf_counter() - t0)
            search_ms = statistics.median(times) * 1000
            rate = (chars / 1e6 / t_clean, sents / t_seg, sents / t_store, search_ms)
            rates.append(rate)
            print(
                f"{q + 1:>7}  {(q + 1) * quarter:>4}  {total_chars / 1e6:6.1f}  {rate[0]:10.2f}  {rate[1]:14,.0f}"
                f"  {rate[2]:12,.0f}  {rate[3]:16.1f}  {peak_mb():7.0f}"
            )
        size = (Path(tmp) / "scale.sqlite3").stat().st_size / 1e6
    first, last = rates[0], rates[-1]
    print(f"library file: {size:.0f} MB")
    print(
        "last quarter vs first (1.0 = linear; lower = slower per item): "
        f"clean {last[0] / first[0]:.2f}, segment {last[1] / first[1]:.2f}, store {last[2] / first[2]:.2f}; "
        f"search latency x{last[3] / first[3]:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
