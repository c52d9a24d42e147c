#!/usr/bin/env python3
"""Paragraph-reconstruction quality on the layout corpus: DoiChieu against two baselines, in one run.

    layout_quality.py [CORPUS] [--variants a,b] [--show-errors N]     (default CORPUS: bench/corpus)

Systems:
  doichieu  app.core.pipeline.clean_file(path).paragraphs (imported lazily; skipped if missing)
  naive     split on blank lines (PDFs through `pdftotext -enc UTF-8`), as shared/tools/score_layout.py
  pymupdf   PDF: page.get_text("blocks"); text files: as naive

Per variant it prints the mean over chapters of paragraph exact-match F1, with the word error rate
(a paragraph break counting as a word) in parentheses; the metric is bench/_metric.py. A missing
corpus is built first with bench/make_layout_corpus.py.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from _metric import naive, norm, pymupdf_blocks, score

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DEFAULT_CORPUS = BENCH / "corpus"
ALL_VARIANTS = ["lo.pdf", "lo_big.pdf", "story2c.pdf", "qt.pdf", "pdftotext.txt", "pasted.txt"]
TARGET_PDF, TARGET_TEXT = 0.98, 0.95
TARGETS_LINE = "targets: ≥0.98 F1 on every PDF variant, ≥0.95 on every text variant"

System = Callable[[Path], list[str]]


@dataclass
class VariantResult:
    f1: list[float] = field(default_factory=list)
    wer: list[float] = field(default_factory=list)
    seconds: float = 0.0
    errors: list[tuple[str, list[str], list[str]]] = field(default_factory=list)  # chapter, gold, pred

    @property
    def mean_f1(self) -> float:
        return sum(self.f1) / max(1, len(self.f1))

    @property
    def mean_wer(self) -> float:
        return sum(self.wer) / max(1, len(self.wer))


def doichieu_system() -> System | None:
    """Our pipeline, imported lazily: it may not exist yet while the layout code is being written."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    try:
        from app.core.pipeline import clean_file
    except ImportError as exc:
        print(f"doichieu: not available ({exc})")
        return None

    def run(path: Path) -> list[str]:
        return [norm(p.text) for p in clean_file(path).paragraphs]

    return run


def evaluate(
    system: System, corpus: Path, gold: dict[str, list[str]], variant: str, keep_errors: bool = False
) -> VariantResult:
    res = VariantResult()
    for chapter, paragraphs in gold.items():
        start = time.perf_counter()
        try:
            pred = system(corpus / chapter / variant)
            f1, wer = score(pred, paragraphs)
        except Exception as exc:  # a crash scores zero, as in score_layout.py
            print(f"  {chapter}/{variant}: {type(exc).__name__}: {exc}", file=sys.stderr)
            pred, f1, wer = [], 0.0, 1.0
        res.seconds += time.perf_counter() - start
        res.f1.append(f1)
        res.wer.append(wer)
        if keep_errors:
            res.errors.append((chapter, [norm(p) for p in paragraphs], pred))
    return res


def mismatches(gold: list[str], pred: list[str]) -> list[tuple[list[str], list[str]]]:
    """The non-matching stretches of a difflib alignment of the two paragraph lists."""
    sm = difflib.SequenceMatcher(None, gold, pred, autojunk=False)
    return [(gold[i1:i2], pred[j1:j2]) for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal"]


def _short(text: str, width: int = 240) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def print_errors(variant: str, res: VariantResult, limit: int) -> None:
    shown = 0
    print(f"\n--- doichieu mismatches on {variant} (up to {limit})")
    for chapter, gold, pred in res.errors:
        for g, p in mismatches(gold, pred):
            if shown >= limit:
                return
            shown += 1
            print(f"[{chapter}]")
            for text in g:
                print(f"  gold: {_short(text)}")
            for text in p:
                print(f"  pred: {_short(text)}")
    if not shown:
        print("  none")


def target(variant: str) -> float:
    return TARGET_PDF if variant.endswith(".pdf") else TARGET_TEXT


def _cell(res: VariantResult | None) -> str:
    return "n/a" if res is None else f"{res.mean_f1:.3f} ({res.mean_wer:.3f})"


def print_table(variants: list[str], results: dict[str, dict[str, VariantResult]], have_ours: bool) -> None:
    systems = ["doichieu", "naive", "pymupdf"]
    print(f"\n{'variant':15s}" + "".join(f" {s:>16s}" for s in systems) + "   doichieu  target  s/file")
    for v in variants:
        cells = "".join(f" {_cell(results[s].get(v)):>16s}" for s in systems)
        ours = results["doichieu"].get(v)
        verdict = "-" if ours is None else ("PASS" if ours.mean_f1 >= target(v) else "FAIL")
        secs = f"{ours.seconds / max(1, len(ours.f1)):6.2f}" if ours else f"{'-':>6s}"
        print(f"{v:15s}{cells}   {verdict:>8s}  {target(v):6.2f}  {secs}")
    means = []
    for s in systems:
        rs = [results[s][v] for v in variants if v in results[s]]
        f1 = sum(r.mean_f1 for r in rs) / max(1, len(rs))
        wer = sum(r.mean_wer for r in rs) / max(1, len(rs))
        means.append(f"{f1:.3f} ({wer:.3f})" if rs else "n/a")
    print(f"{'MEAN':15s}" + "".join(f" {m:>16s}" for m in means))
    print("F1 = paragraph exact-match F1, mean over chapters; (WER) = word error rate, ¶ counted as a word")
    print(TARGETS_LINE)
    if not have_ours:
        print("doichieu: not available — only the baselines were scored")


def ensure_corpus(corpus: Path) -> None:
    if (corpus / "gold.json").exists():
        return
    print(f"{corpus} has no gold.json: building the corpus first", flush=True)
    import make_layout_corpus

    if not make_layout_corpus.build(corpus):
        print("warning: the corpus build reported a failed check", file=sys.stderr)


def corpus_variants(corpus: Path, gold: dict[str, list[str]]) -> list[str]:
    first = corpus / next(iter(gold))
    return [v for v in ALL_VARIANTS if (first / v).exists()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--variants", help="comma-separated variant file names (default: all in the corpus)")
    ap.add_argument(
        "--show-errors",
        type=int,
        default=0,
        metavar="N",
        help="print up to N mismatched gold/predicted paragraphs per variant for doichieu",
    )
    args = ap.parse_args(argv)
    ensure_corpus(args.corpus)
    gold = json.loads((args.corpus / "gold.json").read_text(encoding="utf-8"))
    variants = args.variants.split(",") if args.variants else corpus_variants(args.corpus, gold)
    print(f"corpus {args.corpus}: {len(gold)} chapters, {sum(map(len, gold.values()))} gold paragraphs")
    ours = doichieu_system()
    systems: dict[str, System | None] = {"doichieu": ours, "naive": naive, "pymupdf": pymupdf_blocks}
    results: dict[str, dict[str, VariantResult]] = {name: {} for name in systems}
    for variant in variants:
        for name, system in systems.items():
            if system is not None:
                keep = name == "doichieu" and args.show_errors > 0
                results[name][variant] = evaluate(system, args.corpus, gold, variant, keep)
    print_table(variants, results, ours is not None)
    if ours is not None and args.show_errors:
        for variant in variants:
            print_errors(variant, results["doichieu"][variant], args.show_errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
