"""The layout-repair metric, vendored so a clone of this repository can score without ../shared.

Origin: shared/tools/score_layout.py (the team's scoring tool; its `norm`, `blank_split`, `naive`,
`pymupdf_blocks` and `score` are reproduced here exactly, only typed). Keep the two in step: a change
to the tool's definitions must be copied here, or the numbers printed by bench/layout_quality.py
stop being comparable with `score_layout.py CORPUS naive|pymupdf`.

  para_f1  exact paragraph matches (after NFC and whitespace collapsing), F1
  wer      word error rate over the token stream, a paragraph break being a token
"""

from __future__ import annotations

import difflib
import re
import subprocess
import unicodedata
from pathlib import Path

# The variants score_layout.py knows by default; our corpus adds one more PDF producer (qt.pdf).
VARIANTS = ["lo.pdf", "lo_big.pdf", "story2c.pdf", "pdftotext.txt", "pasted.txt"]


def norm(p: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", p)).strip()


def blank_split(text: str) -> list[str]:
    return [norm(b) for b in re.split(r"\n\s*\n", text.replace("\f", "\n\n")) if norm(b)]


def naive(path: Path) -> list[str]:
    if path.suffix == ".pdf":
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True).stdout
    else:
        text = path.read_text(encoding="utf-8")
    return blank_split(text)


def pymupdf_blocks(path: Path) -> list[str]:
    if path.suffix != ".pdf":
        return naive(path)
    import pymupdf

    out = []
    for page in pymupdf.open(path):
        out += [norm(b[4]) for b in page.get_text("blocks") if b[6] == 0 and norm(b[4])]
    return out


def score(pred: list[str], gold: list[str]) -> tuple[float, float]:
    """Return (paragraph exact-match F1, word error rate with ¶ as a token)."""
    g = [norm(p) for p in gold]
    gs: dict[str, int] = {}
    ps: dict[str, int] = {}
    for p in g:
        gs[p] = gs.get(p, 0) + 1
    for p in pred:
        ps[p] = ps.get(p, 0) + 1
    hit = sum(min(c, ps.get(p, 0)) for p, c in gs.items())
    prec = hit / max(1, len(pred))
    rec = hit / max(1, len(g))
    f1 = 2 * prec * rec / max(1e-9, prec + rec)
    gt = " ¶ ".join(g).split()
    pt = " ¶ ".join(pred).split()
    sm = difflib.SequenceMatcher(None, gt, pt, autojunk=False)
    errors = sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal")
    return f1, errors / max(1, len(gt))
