"""Export scale: a document with many claims written as PDF, DOCX, HTML and Markdown; prints seconds,
output size and the process's peak memory per format.

    .venv/bin/python bench/export_scale.py [--claims 10000] [--sentences 2500] [--formats pdf,docx,html,md]

The document is synthetic Vietnamese (words of the two samples, fixed seed), every sentence has an
English translation, and the claims are spread over the sentences (several per sentence, some over
two sentences), each with a tag, a short Markdown note and an evidence link, as a heavy real user's.
Issue 20: before the fix the PDF of 10,000 claims had not finished after 65 s (852 MB). Measured
after it (3,311 sentences, 10,000 claims, CPU seconds; wall time was 5-7x that on a loaded machine):
PDF 37 s, 14 MB, peak RSS 213 MB; DOCX 18 s, 1.2 MB; HTML 8 s; Markdown 8 s; CSV 4.5 s (each including
building the report). 3,000 claims: PDF 8.4 s (181 s wall before), DOCX 5 s (126 s wall before).
Building the library takes longer than the exports (claims are added one by one).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from store_speed import sentence, vocabulary  # noqa: E402

from app.core.store import Library, NewTranslation  # noqa: E402
from app.core.store.claims import ClaimStore  # noqa: E402


def build(root: Path, sentences: int, claims: int) -> tuple[Library, int]:
    from app.core.claims.workflow import create_claim
    from app.core.pipeline import import_text

    rng = random.Random(20)
    words = vocabulary()
    paras = []
    while sum(len(p) for p in paras) < sentences:
        paras.append([sentence(rng, words) for _ in range(rng.randint(2, 6))])
    text = "\n\n".join(" ".join(p) for p in paras)
    os.environ["DOICHIEU_DATA_DIR"] = str(root / "data")
    lib = Library.open()
    ClaimStore(lib).ensure_default_tags()
    doc = import_text(lib, text, title="Export scale").document_id
    segs = lib.segments(doc)
    lib.add_translations(
        [NewTranslation(s.id, f"English sentence {i} for the scale test.", model="bench") for i, s in enumerate(segs)]
    )
    store = ClaimStore(lib)
    tags = ["statistic", "prediction", "ranking", "needs-source"]
    for i in range(claims):
        seg = segs[i % len(segs)]
        length = seg.end_char - seg.start_char
        a = seg.start_char + rng.randint(0, max(0, length // 2 - 1))
        b = min(seg.end_char, a + rng.randint(3, max(4, length // 2)))
        if i % 50 == 0 and seg is not segs[-1]:
            b = segs[i % len(segs) + 1].start_char + 5
        cid = create_claim(
            lib, doc, a, b, tags=[tags[i % 4]], note=f"**Note {i}**: see [source](https://example.org/{i})."
        )
        store.add_evidence(cid, url=f"https://en.wikipedia.org/wiki/Page_({i})", quote="q", note="n")
    return lib, doc


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--claims", type=int, default=10000)
    ap.add_argument("--sentences", type=int, default=2500)
    ap.add_argument("--formats", default="pdf,docx,html,md")
    args = ap.parse_args()
    from app.core.export import export

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        lib, doc = build(root, args.sentences, args.claims)
        print(f"built {len(lib.segments(doc))} sentences, {args.claims} claims in {time.perf_counter() - t0:.1f} s")
        for fmt in args.formats.split(","):
            out = root / f"report.{fmt}"
            t0, c0 = time.perf_counter(), time.process_time()
            export(lib, [doc], fmt, out)
            took, cpu = time.perf_counter() - t0, time.process_time() - c0
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"{fmt:5s} {took:7.1f} s wall {cpu:7.1f} s CPU  {out.stat().st_size / 1e6:7.1f} MB  "
                f"peak RSS so far {peak:6.0f} MB",
                flush=True,
            )
        lib.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
