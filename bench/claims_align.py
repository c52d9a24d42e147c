"""Cost of resolving claims against the text as it is now (`workflow.views`, `claims/alignment.py`):
what the window does on its own thread each time the claims panel or the reader's highlights refresh.

    .venv/bin/python bench/claims_align.py [--repeat N] [--claims N]

Builds a document of N copies of the forum sample (5,100 sentences at the default 150), gives every
sentence English, marks --claims claims spread over it (one in three with the user's own English
span), then prints the best of 5 runs of:
  1. workflow.views over all the claims (each claim reads only its own sentences); target < 20 ms
  2. workflow.view of one claim (the claim dialog); target < 5 ms
  3. for comparison, loading the whole document's sentences and English (what an alignment that
     loads the document would pay for every refresh)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def best_ms(fn: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=150, help="copies of the forum sample")
    parser.add_argument("--claims", type=int, default=100)
    args = parser.parse_args()
    os.environ["DOICHIEU_DATA_DIR"] = tempfile.mkdtemp(prefix="doichieu-bench-")

    from app.core.claims import workflow
    from app.core.pipeline import import_file
    from app.core.store import Library, NewTranslation
    from app.core.store.claims import ClaimStore

    text = (ROOT / "tests" / "fixtures" / "forum_post_ai_race.vi.txt").read_text(encoding="utf-8")
    source = Path(os.environ["DOICHIEU_DATA_DIR"]) / "long.txt"
    source.write_text("\n\n".join(text for _ in range(args.repeat)), encoding="utf-8")
    with Library.open() as lib:
        ClaimStore(lib).ensure_default_tags()
        doc = import_file(lib, source).document_id
        segs = lib.segments(doc)
        lib.add_translations([NewTranslation(s.id, f"English of sentence number {s.idx}.") for s in segs])
        step = max(1, len(segs) // args.claims)
        for n, s in enumerate(segs[::step][: args.claims]):
            claim = workflow.create_claim(lib, doc, s.start_char, s.end_char)
            if n % 3 == 0:
                workflow.set_english_span(lib, claim, 11, 19)  # "sentence"
        rows = ClaimStore(lib).for_document(doc)
        print(f"{len(segs)} sentences, {len(rows)} claims")
        print(f"  views of every claim: {best_ms(lambda: workflow.views(lib, rows)):.1f} ms (target < 20 ms)")
        print(f"  view of one claim:    {best_ms(lambda: workflow.view(lib, rows[len(rows) // 2])):.2f} ms (< 5 ms)")
        whole = best_ms(lambda: (lib.segments(doc), lib.current_translations(doc)))
        print(f"  (loading the whole document's sentences and English: {whole:.0f} ms)")


if __name__ == "__main__":
    main()
