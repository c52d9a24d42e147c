#!/usr/bin/env python3
"""Paragraph-reconstruction quality on the layout corpus: DoiChieu against two baselines, in one run.

    layout_quality.py [CORPUS] [--variants a,b] [--split dev|heldout|both] [--show-errors N]
                                                                  (default CORPUS: bench/corpus)

Systems:
  doichieu  app.core.pipeline.clean_file(path).paragraphs (imported lazily; skipped if missing)
  naive     split on blank lines (PDFs through `pdftotext -enc UTF-8`), as shared/tools/score_layout.py
  pymupdf   PDF: page.get_text("blocks"); text files: as naive

Per variant it prints the mean over chapters of paragraph exact-match F1, with the word error rate
(a paragraph break counting as a word) in parentheses; the metric is bench/_metric.py. A missing
corpus is built first with bench/make_layout_corpus.py.

The corpus's split.json names a development half and a held-out half of the chapters; `--split both`
(the default) prints one table per half. Tune on dev; --show-errors is refused on the held-out half,
so that nobody reads its errors while tuning.
"""

from __future__ import annotations

import argparse
import difflib
import itertools
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from _metric import naive, norm, pymupdf_blocks, score

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DEFAULT_CORPUS = BENCH / "corpus"
ALL_VARIANTS = [
    "lo.pdf",
    "lo_big.pdf",
    "story2c.pdf",
    "qt.pdf",
    "lo_docx.pdf",
    "chromium.pdf",
    "xelatex.pdf",
    "tcvn3.pdf",
    "pdftotext.txt",
    "pasted.txt",
    "partial.txt",
]
TARGET_PDF, TARGET_TEXT = 0.95, 0.95
TARGETS_LINE = "targets (issue 16): ≥0.95 F1 on every PDF producer and every text variant, on the held-out half"

System = Callable[[Path], list[str]]


@dataclass
class VariantResult:
    f1: list[float] = field(default_factory=list)
    wer: list[float] = field(default_factory=list)
    seconds: float = 0.0
    errors: list[tuple[str, list[str], list[str]]] = field(default_factory=list)  # chapter, gold, pred
    words: int = 0  # word tokens of the output that look Vietnamese-ish (app.core.syllables.malformed)
    malformed: int = 0  # of which not well-formed Vietnamese syllables
    lost: int = 0  # gold characters (non-space, as a multiset) missing from the output
    missed_joins: int = 0  # a paragraph ending without punctuation followed by one starting in lower case

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
        reference_free(res, pred, paragraphs)
        res.f1.append(f1)
        res.wer.append(wer)
        if keep_errors:
            res.errors.append((chapter, [norm(p) for p in paragraphs], pred))
    return res


def reference_free(res: VariantResult, pred: list[str], gold: list[str]) -> None:
    """Checks that need no gold paragraphs (malformed syllables, missed joins) and the characters lost."""
    from app.core.layout import cues
    from app.core.syllables import malformed

    text = "\n".join(pred)
    bad, total = malformed(text)
    res.malformed += bad
    res.words += total
    want = Counter(re.sub(r"\s", "", "".join(gold)))
    have = Counter(re.sub(r"\s", "", text))
    res.lost += sum(max(0, n - have[ch]) for ch, n in want.items())
    res.missed_joins += sum(
        1
        for a, b in itertools.pairwise(pred)
        if a and a[-1].isalpha() and cues.starts_lower(b) and not cues.is_list_start(b)
    )


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
    head = "   doichieu  target  s/file  malformed   lost  joins-missed"
    print(f"\n{'variant':15s}" + "".join(f" {s:>16s}" for s in systems) + head)
    for v in variants:
        cells = "".join(f" {_cell(results[s].get(v)):>16s}" for s in systems)
        ours = results["doichieu"].get(v)
        verdict = "-" if ours is None else ("PASS" if ours.mean_f1 >= target(v) else "FAIL")
        secs = f"{ours.seconds / max(1, len(ours.f1)):6.2f}" if ours else f"{'-':>6s}"
        free = ""
        if ours is not None:
            free = f"  {100 * ours.malformed / max(1, ours.words):8.2f}% {ours.lost:6d}  {ours.missed_joins:12d}"
        print(f"{v:15s}{cells}   {verdict:>8s}  {target(v):6.2f}  {secs}{free}")
    means = []
    for s in systems:
        rs = [results[s][v] for v in variants if v in results[s]]
        f1 = sum(r.mean_f1 for r in rs) / max(1, len(rs))
        wer = sum(r.mean_wer for r in rs) / max(1, len(rs))
        means.append(f"{f1:.3f} ({wer:.3f})" if rs else "n/a")
    print(f"{'MEAN':15s}" + "".join(f" {m:>16s}" for m in means))
    print("F1 = paragraph exact-match F1, mean over chapters; (WER) = word error rate, ¶ counted as a word")
    print(
        "malformed = doichieu's word tokens that are not well-formed Vietnamese syllables; lost = gold "
        "characters missing from its output; joins-missed = a paragraph ending in a letter followed by "
        "one starting in lower case"
    )
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


def halves(corpus: Path, gold: dict[str, list[str]], which: str) -> list[tuple[str, dict[str, list[str]]]]:
    """[(name, gold of that half)] for `which` in dev | heldout | both (no split.json: one half, "all")."""
    path = corpus / "split.json"
    if not path.exists():
        print(f"{corpus} has no split.json: scoring every chapter as one set")
        return [("all", gold)]
    split = json.loads(path.read_text(encoding="utf-8"))
    names = ["dev", "heldout"] if which == "both" else [which]
    return [(n, {c: gold[c] for c in split[n] if c in gold}) for n in names]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--variants", help="comma-separated variant file names (default: all in the corpus)")
    ap.add_argument("--split", choices=["dev", "heldout", "both"], default="both", help="which half to score")
    ap.add_argument("--systems", default="doichieu,naive,pymupdf", help="comma-separated systems to run")
    ap.add_argument(
        "--show-errors",
        type=int,
        default=0,
        metavar="N",
        help="print up to N mismatched gold/predicted paragraphs per variant for doichieu",
    )
    args = ap.parse_args(argv)
    if args.show_errors and args.split != "dev":
        ap.error("--show-errors needs --split dev: the held-out half's errors are not read while tuning")
    ensure_corpus(args.corpus)
    all_gold = json.loads((args.corpus / "gold.json").read_text(encoding="utf-8"))
    variants = args.variants.split(",") if args.variants else corpus_variants(args.corpus, all_gold)
    wanted = set(args.systems.split(","))
    ours = doichieu_system() if "doichieu" in wanted else None
    every: dict[str, System | None] = {"doichieu": ours, "naive": naive, "pymupdf": pymupdf_blocks}
    systems = {name: (system if name in wanted else None) for name, system in every.items()}
    for half, gold in halves(args.corpus, all_gold, args.split):
        print(f"\n=== {half}: {args.corpus}, {len(gold)} chapters, {sum(map(len, gold.values()))} gold paragraphs")
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
