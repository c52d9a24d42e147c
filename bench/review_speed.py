"""Cost of the review states (schema 9): reading a document's current English with the view that skips
reverted edits, against the version-8 view, and how long migration 9 takes.

    .venv/bin/python bench/review_speed.py [--sentences N]

One document of N sentences (default 5,000), each with a machine translation, one in five also with a
human edit; the same rows at schema 8 and after migration 9. Prints the median of 20 reads of the
document's current translations at each version, their ratio (target <= 1.5: the rule adds two
comparisons per candidate row) and the migration's time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core.store import db as dbmod  # noqa: E402

READ = (
    "SELECT c.id, c.segment_id, c.text, c.kind, c.model, c.flags, c.created_at, c.source, s.text"
    " FROM current_translations c JOIN segments s ON s.id = c.segment_id WHERE s.document_id = ?"
)


def build(path: Path, sentences: int) -> None:
    db = dbmod.connect(path)
    dbmod.migrate(db, target=8)
    with db.atomic():
        db.execute(
            "INSERT INTO documents (id, title, sha256, kind, imported_at, raw_text, cleaned_text)"
            " VALUES (1, 'bench', 'x', 'text', 'x', '', '')"
        )
        db.execute(
            "INSERT INTO paragraphs (id, document_id, idx, text, start_char, end_char) VALUES (1, 1, 0, '', 0, 0)"
        )
        db.conn.executemany(
            "INSERT INTO segments (id, document_id, paragraph_id, idx, text, start_char, end_char)"
            " VALUES (?, 1, 1, ?, ?, 0, 0)",
            ((i + 1, i, f"Câu thứ {i} nói về bằng sáng chế.") for i in range(sentences)),
        )
        db.conn.executemany(
            "INSERT INTO translations (segment_id, text, kind, model, created_at, source)"
            " VALUES (?, ?, 'machine', 'm', 'x', ?)",
            (
                (i + 1, f"Sentence {i} is about patents.", f"Câu thứ {i} nói về bằng sáng chế.")
                for i in range(sentences)
            ),
        )
        db.conn.executemany(
            "INSERT INTO translations (segment_id, text, kind, created_at) VALUES (?, ?, 'human', 'x')",
            ((i + 1, f"Sentence {i}, edited.") for i in range(0, sentences, 5)),
        )
    db.close()


def median_read(path: Path, runs: int = 20) -> float:
    db = dbmod.connect(path)
    try:
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            rows = db.execute(READ, [1]).fetchall()
            times.append(time.perf_counter() - t0)
        assert rows
        return statistics.median(times)
    finally:
        db.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sentences", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "library.sqlite3"
        build(path, args.sentences)
        v8 = median_read(path)
        db = dbmod.connect(path)
        t0 = time.perf_counter()
        dbmod.migrate(db, target=9)
        migration = time.perf_counter() - t0
        db.close()
        v9 = median_read(path)
    ratio = v9 / v8
    print(f"sentences: {args.sentences:,} (one in five edited by hand)")
    print(f"current translations of the document, schema 8: {v8 * 1000:.1f} ms (median of 20)")
    print(f"current translations of the document, schema 9: {v9 * 1000:.1f} ms (median of 20)")
    print(f"ratio 9/8: {ratio:.2f} (target <= 1.5) {'PASS' if ratio <= 1.5 else 'FAIL'}")
    print(f"migration 9: {migration * 1000:.0f} ms")
    return 0 if ratio <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
