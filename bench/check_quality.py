"""Precision and recall of the sentence-pair checks (app/core/translate/checks.py) on a gold set.

The gold file (default bench/data/check_gold.tsv; header lines start with '#') has the columns
id, split, vi, en, error_type, en_error: a Vietnamese sentence, a correct English translation, and
the same English with one injected error of the kind error_type (number, negation or name). Each row
gives two pairs: the clean pair (vi, en), which should raise no flag of those kinds, and the erroneous
pair (vi, en_error), which should raise a flag of kind error_type.

Per kind K: a true positive is an erroneous pair of type K flagged K; a false positive is any pair
flagged K that does not carry a K error (clean pairs included); recall = TP / erroneous pairs of type
K. The false-alarm rate is the share of clean pairs with a number, negation or name flag (and, on a
second line, with any flag at all). The split was fixed before tuning: even ids dev, odd held out.

    .venv/bin/python bench/check_quality.py [--gold FILE] [--split dev|heldout|all] [--show-errors]
    .venv/bin/python bench/check_quality.py --cli   # the same pairs through `main.py check --json`

With --cli the pairs are written to a TSV file and checked by the command line in one subprocess,
as the team's second gold set is scored; the figures must be the same.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core.translate.checks import check_pair  # noqa: E402

GOLD = ROOT / "bench" / "data" / "check_gold.tsv"
KINDS = ("number", "negation", "name")


@dataclass(frozen=True)
class Row:
    id: int
    split: str
    vi: str
    en: str
    error_type: str
    en_error: str


def read_gold(path: Path) -> list[Row]:
    rows = []
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    header = lines[0].split("\t")
    for line in lines[1:]:
        cells = dict(zip(header, line.split("\t"), strict=True))
        rows.append(
            Row(int(cells["id"]), cells["split"], cells["vi"], cells["en"], cells["error_type"], cells["en_error"])
        )
    return rows


def kinds_direct(pairs: list[tuple[str, str]]) -> list[set[str]]:
    return [{f.kind for f in check_pair(vi, en)} for vi, en in pairs]


def kinds_cli(pairs: list[tuple[str, str]]) -> list[set[str]]:
    with tempfile.TemporaryDirectory() as tmp:
        tsv = Path(tmp) / "pairs.tsv"
        tsv.write_text("".join(f"{vi}\t{en}\n" for vi, en in pairs), encoding="utf-8")
        out = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "check", str(tsv), "--json"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=True,
        ).stdout
    return [{f["kind"] for f in item["flags"]} for item in json.loads(out)]


def score(rows: list[Row], found_clean: list[set[str]], found_error: list[set[str]], show: bool) -> dict[str, float]:
    result: dict[str, float] = {}
    for kind in KINDS:
        tp = fp = fn = 0
        for row, clean, error in zip(rows, found_clean, found_error, strict=True):
            if kind in clean:
                fp += 1
                if show:
                    print(f"  FP {kind} clean #{row.id}: {row.vi} || {row.en}")
            if row.error_type == kind:
                if kind in error:
                    tp += 1
                else:
                    fn += 1
                    if show:
                        print(f"  FN {kind} #{row.id}: {row.vi} || {row.en_error}")
            elif kind in error and kind not in clean:
                fp += 1
                if show:
                    print(f"  FP {kind} error #{row.id} ({row.error_type}): {row.vi} || {row.en_error}")
        result[f"{kind}_precision"] = tp / (tp + fp) if tp + fp else 1.0
        result[f"{kind}_recall"] = tp / (tp + fn) if tp + fn else 1.0
        result[f"{kind}_n"] = tp + fn
    result["false_alarm"] = sum(bool(c & set(KINDS)) for c in found_clean) / len(rows)
    result["any_flag_clean"] = sum(bool(c) for c in found_clean) / len(rows)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--split", choices=("dev", "heldout", "all", "both"), default="both")
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--cli", action="store_true", help="check through `main.py check --json`")
    args = parser.parse_args()
    rows = read_gold(args.gold)
    splits = ["dev", "heldout"] if args.split == "both" else [args.split]
    check = kinds_cli if args.cli else kinds_direct
    failed = False
    for split in splits:
        part = [r for r in rows if split == "all" or r.split == split]
        clean = check([(r.vi, r.en) for r in part])
        error = check([(r.vi, r.en_error) for r in part])
        print(f"{split}: {len(part)} sentences ({len(part)} clean pairs + {len(part)} with one error)")
        res = score(part, clean, error, args.show_errors)
        for kind in KINDS:
            p, r = res[f"{kind}_precision"], res[f"{kind}_recall"]
            failed |= bool(res[f"{kind}_n"]) and (p < 0.9 or r < 0.9)  # a clean-only set: only false alarms
            print(f"  {kind:<9} precision={p:.3f} recall={r:.3f}  (errors of this kind: {int(res[f'{kind}_n'])})")
        failed |= res["false_alarm"] > 0.05
        print(f"  false alarms on clean pairs (number/negation/name): {res['false_alarm']:.1%}")
        print(f"  clean pairs with any flag (also untranslated/repetition/length): {res['any_flag_clean']:.1%}")
    print(
        "target: precision >= 0.9 and recall >= 0.9 per kind, false alarms <= 5%: " + ("NOT MET" if failed else "met")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
