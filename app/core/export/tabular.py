"""Claims as a table: CSV (UTF-8 with a BOM, so Excel shows Vietnamese correctly) and JSON Lines.
One row per claim, with the text itself (both languages, the whole sentences), not only ids.

CSV text cells go through `encode.csv_cell` (a leading = + - @ tab or CR gets an apostrophe, plain
numbers excepted); both formats through `encode.visible` (no lone surrogate can stop the write)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from app.core.export.encode import csv_cell, visible_report
from app.core.export.report import ClaimNote, Report
from app.core.safe_write import atomic_open

CSV_COLUMNS = (
    "claim_id", "document_id", "document", "sentences", "vi", "en", "en_status", "vi_sentences", "en_sentences",
    "tags", "verdict", "status", "note", "evidence", "start", "end", "checks", "ocr",
)  # fmt: skip


def claim_record(c: ClaimNote) -> dict[str, Any]:
    return {
        "claim_id": c.claim_id,
        "document_id": c.document_id,
        "document": c.document_title,
        "sentences": c.sentences,
        "vi": c.vi,
        "en": c.en,
        "en_status": c.en_status,
        "vi_sentences": c.vi_context,
        "en_sentences": c.en_context,
        "tags": [t.name for t in c.tags],
        "verdict": c.verdict,
        "status": c.status,
        "note": c.note,
        "evidence": [{"url": e.url, "citation": e.citation, "quote": e.quote, "note": e.note} for e in c.evidence],
        "start": c.start,
        "end": c.end,
        "checks": list(c.checks),  # the sentence checks flagged on its sentences, in words
        "ocr": c.ocr,  # "read by OCR — check against the page (confidence N %)" or "" (issue 17)
    }


def _evidence_text(items: list[dict[str, str]]) -> str:
    lines = []
    for e in items:
        line = " · ".join(x for x in (e["url"], e["citation"]) if x)
        line += f" — “{e['quote']}”" if e["quote"] else ""
        line += f" ({e['note']})" if e["note"] else ""
        lines.append(line)
    return "\n".join(lines)


def write_csv(report: Report, out: Path) -> Path:
    report = visible_report(report)
    with atomic_open(out, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(CSV_COLUMNS)
        for c in report.claims:
            rec = claim_record(c)
            rec["tags"] = ", ".join(rec["tags"])
            rec["evidence"] = _evidence_text(rec["evidence"])
            rec["checks"] = "; ".join(rec["checks"])
            writer.writerow([csv_cell(v) if isinstance(v, str) else v for v in (rec[k] for k in CSV_COLUMNS)])
    return out


def write_jsonl(report: Report, out: Path) -> Path:
    report = visible_report(report)
    with atomic_open(out, "w", encoding="utf-8", newline="\n") as fh:
        for c in report.claims:
            fh.write(json.dumps(claim_record(c), ensure_ascii=False) + "\n")
    return out
