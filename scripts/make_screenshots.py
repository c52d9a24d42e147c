#!/usr/bin/env python3
"""Regenerate docs/screenshots/report-pdf.png and report-html.png from the forum-post sample.

    .venv/bin/python scripts/make_screenshots.py

Works in a throw-away data folder: imports the sample, translates it with the tiny test model (its
English is nonsense), replaces the first sentences' English with hand-written post-edits so the
picture is readable (they show as edited by hand, ✎), adds a few claims, and exports HTML and PDF.
The HTML is photographed by headless Chromium when installed, else the step is skipped."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"

ENGLISH = {
    0: "China is no longer just an end user of AI.",
    1: "On patents, someone posted in another topic: China and the US are two poles far ahead of the rest.",
    2: "A 2024 analysis shows China leads the world in the number of AI patents, ahead of the US in volume "
    "(though quality and citations are still debated).",
    5: "A 2024 report shows China's AI papers roughly equal the US, UK and EU combined, and China holds over 40% "
    "of global “citation attention”, meaning its papers are cited a great deal.",
    9: "CSET (Georgetown) analysis points out:",
    10: "- The US is ahead in algorithms (transformers, deep RL, safety, etc.).",
    11: "- China excels in computer vision, surveillance applications and industrial AI",
}


def build(data: Path) -> tuple[Path, Path]:
    os.environ["DOICHIEU_DATA_DIR"] = str(data)
    from app.core.claims.workflow import create_claim, set_english_span
    from app.core.export import ExportOptions, export
    from app.core.pipeline import import_file
    from app.core.store import Library
    from app.core.store.claims import ClaimStore
    from app.core.translate import packages
    from app.core.translate.engine import Engine
    from app.core.translate.memory import post_edit, translate_document
    from tests.make_fixtures import ensure_tiny_model

    with Library.open() as lib:
        store = ClaimStore(lib)
        store.ensure_default_tags()
        doc = import_file(lib, ROOT / "resources" / "samples" / "forum_post_ai_race.vi.txt").document_id
        translate_document(lib, doc, Engine(packages.install_package(ensure_tiny_model())))
        segments = lib.segments(doc)
        for idx, text in ENGLISH.items():
            post_edit(lib, segments[idx].id, text)
        cleaned = lib.document_texts(doc)[1]

        def claim(words: str, **kw: object) -> int:
            start = cleaned.index(words)
            return create_claim(lib, doc, start, start + len(words), **kw)  # type: ignore[arg-type]

        c1 = claim("TQ dẫn đầu thế giới về số lượng bằng sáng chế AI", tags=["ranking"], verdict="supported")
        store.set_note(c1, "WIPO's **Generative AI patent landscape** (2024) agrees on volume.")
        store.add_evidence(
            c1,
            url="https://www.wipo.int/web-publications/patent-landscape-report-generative-ai",
            quote="China … 38,000 GenAI inventions",
            note="2014–2023",
        )
        eng = ENGLISH[2]
        start = eng.index("China leads")
        set_english_span(lib, c1, start, start + len("China leads the world in the number of AI patents"))
        c2 = claim('TQ chiếm hơn 40% "citation attention" toàn cầu', tags=["statistic", "needs-source"])
        store.set_note(c2, "Which report? *Citation attention* is not a standard metric.")
        claim("Mỹ hơn ở các thuật toán", tags=["opinion"], verdict="unverifiable")
        out = data / "out"
        out.mkdir(exist_ok=True)
        html = export(lib, [doc], "html", out / "report.html", ExportOptions())
        pdf = export(lib, [doc], "pdf", out / "report.pdf", ExportOptions())
    return html, pdf


def pdf_png(pdf: Path, target: Path) -> None:
    import pymupdf

    with pymupdf.open(pdf) as doc:
        doc[0].get_pixmap(dpi=90).save(target)


def html_png(html: Path, target: Path) -> bool:
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        print("no Chromium here: report-html.png not regenerated", file=sys.stderr)
        return False
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--user-data-dir={profile}",
             "--window-size=1100,1250", f"--screenshot={target}", html.as_uri()],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    return True


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        html, pdf = build(Path(tmp))
        pdf_png(pdf, OUT / "report-pdf.png")
        html_png(html, OUT / "report-html.png")
    for png in sorted(OUT.glob("report-*.png")):
        print(f"{png.relative_to(ROOT)}  {png.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
