"""Precision and recall of claim suggestions against hand-made gold lists (bench/claims_gold/*.gold.json).

Each gold file names a text (a path from the repository root), a split ("tune" or "heldout"), the
sentences that carry checkable claims ("claims") and the ones reasonable annotators disagree on
("borderline": neither a hit nor a false positive, and not counted in recall). Sentences are exact
segment texts from our pipeline (clean_file -> segment_paragraphs); a gold sentence that segmentation no
longer produces is an error, not a silent miss.

    .venv/bin/python bench/claims_quality.py [--show-errors] [--threshold 0.4]

Prints one line per text, micro totals for the tuning and held-out splits, and last
`precision=X recall=Y` over all texts."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core.claims.suggest import DEFAULT_THRESHOLD, suggest  # noqa: E402
from app.core.pipeline import clean_file  # noqa: E402
from app.core.segment import segment_paragraphs  # noqa: E402

GOLD_DIR = ROOT / "bench" / "claims_gold"


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def evaluate(gold_path: Path, threshold: float, show_errors: bool) -> tuple[str, Counts]:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    segments = segment_paragraphs(clean_file(ROOT / gold["text"]).paragraphs).segments
    texts = {s.text for s in segments}
    claims, borderline = set(gold["claims"]), set(gold.get("borderline", []))
    unknown = (claims | borderline) - texts
    if unknown:
        raise SystemExit(f"{gold_path.name}: gold sentences not produced by segmentation: {sorted(unknown)}")
    found = suggest(segments, threshold=threshold)
    picked = {s.text for s in found} - borderline
    c = Counts(tp=len(picked & claims), fp=len(picked - claims), fn=len(claims - picked))
    name = gold_path.name.removesuffix(".gold.json")
    print(
        f"{name:26} {gold['split']:8} sentences={len(segments):3} claims={len(claims):2} "
        f"borderline={len(borderline)} suggested={len(found):2} tp={c.tp:2} fp={c.fp:2} fn={c.fn:2} "
        f"precision={c.precision:.2f} recall={c.recall:.2f}"
    )
    if show_errors:
        score = {s.text: s for s in found}
        order = {s.text: s.idx for s in segments}
        for text in sorted(claims - picked, key=order.__getitem__):
            print(f"    missed: {text}")
        for text in sorted(picked - claims, key=order.__getitem__):
            print(f"    false positive ({score[text].score:.2f}; {'; '.join(score[text].cues)}): {text}")
    return gold["split"], c


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show-errors", action="store_true", help="list missed sentences and false positives")
    ap.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    ap.add_argument("--split", choices=("tune", "heldout"), help="only the texts of this split")
    args = ap.parse_args(argv)
    splits: dict[str, Counts] = {}
    total = Counts()
    for path in sorted(GOLD_DIR.glob("*.gold.json")):
        if args.split and json.loads(path.read_text(encoding="utf-8"))["split"] != args.split:
            continue
        split, c = evaluate(path, args.threshold, args.show_errors)
        splits.setdefault(split, Counts()).add(c)
        total.add(c)
    print(f"threshold={args.threshold}")
    for split in sorted(splits):
        c = splits[split]
        print(f"{split:8} (micro) tp={c.tp} fp={c.fp} fn={c.fn} precision={c.precision:.2f} recall={c.recall:.2f}")
    print(f"precision={total.precision:.2f} recall={total.recall:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
