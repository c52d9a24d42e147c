"""Reference-free checks of PDF import on real Vietnamese PDFs nobody on this project made.

    python bench/real_pdfs.py [FOLDER_OR_PDF ...]

Default folder: ../shared/real-pdfs/ beside the checkout (skipped when absent). Those files are
third-party: they are read from there and never copied into the repository.

Each PDF goes through the import path (`app.core.pipeline.ingest_file`: the PDF child process, then
layout repair) and is compared with the glyphs its pages draw (`page.get_texttrace()`, which ignores
/ActualText). Per file:
  pages      page count
  chars      characters of the paragraphs we produce
  malformed  share of Vietnamese-looking word tokens that are not one syllable (app.core.syllables)
  lost       drawn characters (letters, digits, punctuation; no whitespace) missing from our paragraphs
             plus the lines layout dropped as headers/footers/page numbers, as a share of the drawn ones
  pg-miss    pages that draw at least 20 characters of which our extraction kept under half
  odd        look-alike (U+01A2/U+01A3), zero-width and private-use characters left in our paragraphs
  joins      missed joins: a paragraph ending without punctuation followed by one starting lower-case
Targets on every text PDF: malformed <= 0.5 %, pg-miss = 0, odd = 0. Scans (an image under an
invisible OCR layer) and image-only files are marked as the OCR helper's: their figures are shown but
not judged.
"""

from __future__ import annotations

import itertools
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pymupdf  # noqa: E402

from app.core.errors import DoiChieuError, NoTextLayerError  # noqa: E402
from app.core.ingest import pdf_glyphs  # noqa: E402
from app.core.pipeline import ingest_file  # noqa: E402
from app.core.syllables import malformed  # noqa: E402

DEFAULT_FOLDER = ROOT.parent / "shared" / "real-pdfs"
DROPS = {"drop_header", "drop_footer", "drop_page_number"}
_END = tuple(".!?:;…\"'”’)]»")


def _key(text: str) -> Counter[str]:
    """Characters to compare: no whitespace, no marks (NFD, marks dropped), case folded; the same
    look-alike/zero-width/private-use normalisation both sides."""
    text = pdf_glyphs.normalise_odd(text)[0]
    out: Counter[str] = Counter()
    for ch in unicodedata.normalize("NFD", text):
        if ch.isspace() or unicodedata.combining(ch):
            continue
        out[ch.casefold()] += 1
    return out


def _drawn_pages(path: Path) -> tuple[list[Counter[str]], bool, int]:
    """Per page, the characters the page draws (legacy-font spans decoded as import decodes them),
    whether the file is a scan (an image under an invisible OCR text layer on most pages), and how
    many drawn characters are rotated or vertical (import skips those: margin notes, stamps, table
    headers set sideways)."""
    rotated = 0
    pages: list[Counter[str]] = []
    scan_pages = 0
    with pymupdf.open(path) as doc:
        for page in doc:
            spans = page.get_texttrace()
            text = []
            invisible = visible = 0
            # A glyph drawn twice at (nearly) one place, fake bold or a shadow, is read once by MuPDF too.
            seen: dict[int, list[tuple[float, float]]] = {}
            for span in spans:
                chars = ""
                for code, _g, (x, y), _bbox in span["chars"]:
                    near = seen.setdefault(code, [])
                    if code <= 0 or any(abs(x - a) < 1.5 and abs(y - b) < 1.5 for a, b in near[-64:]):
                        continue
                    near.append((x, y))
                    chars += chr(code)
                chars = pdf_glyphs.decode_span_text(chars, span["font"])[0]
                text.append(chars)
                if abs(span["dir"][1]) > 0.1 or span["wmode"]:
                    rotated += len(chars.replace(" ", ""))
                if span["type"] == 3:
                    invisible += len(chars)
                else:
                    visible += len(chars)
            if invisible > visible and page.get_images():
                scan_pages += 1
            pages.append(_key(" ".join(text)))
    return pages, scan_pages > len(pages) / 2, rotated


def _lost(drawn: Counter[str], ours: Counter[str]) -> int:
    return sum(max(0, n - ours.get(ch, 0)) for ch, n in drawn.items())


def _odd_count(text: str) -> int:
    return sum(1 for ch in text if pdf_glyphs.is_odd(ch))


def _missed_joins(paragraphs: list) -> int:
    n = 0
    for a, b in itertools.pairwise(paragraphs):
        if a.kind != "paragraph" or b.kind != "paragraph":
            continue
        end, start = a.text.rstrip(), b.text.lstrip()
        if end and start and not end.endswith(_END) and start[0].islower():
            n += 1
    return n


def measure(path: Path) -> dict[str, object]:
    row: dict[str, object] = {"file": path.name}
    drawn_pages, scan, rotated = _drawn_pages(path)
    row["pages"] = len(drawn_pages)
    if not any(drawn_pages):
        row["note"] = "image-only (no text layer): OCR helper"
        return row
    t0 = time.perf_counter()
    try:
        ingested = ingest_file(path)
    except NoTextLayerError:
        row["note"] = "image-only: OCR helper"
        return row
    except DoiChieuError as err:
        row["note"] = f"refused: {err}"
        return row
    row["seconds"] = time.perf_counter() - t0
    paragraphs = ingested.clean.paragraphs
    text = "\n\n".join(p.text for p in paragraphs)
    dropped = " ".join(r.removed for r in ingested.clean.repairs if r.kind in DROPS)
    bad, counted = malformed(text)
    drawn_all: Counter[str] = Counter()
    for c in drawn_pages:
        drawn_all.update(c)
    ours = _key(text + " " + dropped)
    extracted = ingested.raw_text.split("\f")
    missing = []
    for number, (drawn, page_text) in enumerate(zip(drawn_pages, extracted, strict=False), start=1):
        total = sum(drawn.values())
        if total >= 20 and total - _lost(drawn, _key(page_text)) < total / 2:
            missing.append(number)
    row.update(
        chars=len(text),
        malformed=bad / counted if counted else 0.0,
        tokens=counted,
        lost=_lost(drawn_all, ours),
        drawn=sum(drawn_all.values()),
        missing=missing,
        odd=_odd_count(text),
        joins=_missed_joins(paragraphs),
        paragraphs=len(paragraphs),
        note="scan with OCR layer: OCR helper" if scan else "",
        legacy=sum(1 for r in ingested.clean.repairs if r.kind == "legacy_font"),
        rotated=rotated,
    )
    return row


def _paths(args: list[str]) -> list[Path]:
    targets = [Path(a) for a in args] or [DEFAULT_FOLDER]
    out: list[Path] = []
    for t in targets:
        if t.is_dir():
            out += sorted(t.glob("*.pdf"))
        elif t.is_file():
            out.append(t)
    return out


def main() -> int:
    paths = _paths(sys.argv[1:])
    if not paths:
        print(f"no PDFs found (default folder {DEFAULT_FOLDER} is absent): skipped")
        return 0
    head = f"{'file':32} {'pages':>5} {'chars':>8} {'malformed':>9} {'lost':>12} {'pg-miss':>7} {'odd':>4} {'joins':>5}"
    head += "  note"
    print(head)
    print("-" * len(head))
    failed = []
    for path in paths:
        r = measure(path)
        if "chars" not in r:
            print(f"{path.name[:32]:32} {r['pages']:>5} {'':>8} {'':>9} {'':>12} {'':>7} {'':>4} {'':>5}  {r['note']}")
            continue
        share = float(r["malformed"])  # type: ignore[arg-type]
        drawn = int(r["drawn"])  # type: ignore[call-overload]
        lost = int(r["lost"])  # type: ignore[call-overload]
        missing = list(r["missing"])  # type: ignore[call-overload]
        lost_s = f"{lost} ({100 * lost / drawn if drawn else 0:.2f}%)"
        miss_s = str(len(missing))
        note = str(r["note"])
        if missing:
            note += f" missing pages {missing[:8]}"
        if r.get("rotated"):
            note += f" rotated/vertical chars (skipped by design): {r['rotated']}"
        if r.get("legacy"):
            note += f" legacy-font spans decoded: {r['legacy']}"
        print(
            f"{path.name[:32]:32} {r['pages']:>5} {r['chars']:>8} {100 * share:>8.2f}% {lost_s:>12} "
            f"{miss_s:>7} {r['odd']:>4} {r['joins']:>5}  {note.strip()} ({float(r['seconds']):.1f} s)"  # type: ignore[arg-type]
        )
        if not r["note"] and (share > 0.005 or missing or r["odd"]):
            failed.append(path.name)
    verdict = "FAIL: " + ", ".join(failed) if failed else "PASS"
    print(f"targets (text PDFs): malformed <= 0.50 %, pg-miss 0, odd 0 -> {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
