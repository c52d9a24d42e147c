"""The background work the window starts: plain functions of a `JobContext`, no widgets touched.

Jobs that run in the helper process are wrapped in `SerialJob`: they take turns on the serial lane
(see `workers`), and the quick ones (library search, find, preview) never wait behind them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.pipeline import ImportOutcome
from app.gui import child
from app.gui.helper_process import HelperProcess
from app.gui.workers import JobContext, JobFn, SerialJob


@dataclass(frozen=True)
class ImportResult:
    done: list[ImportOutcome]
    refused: list[tuple[Path, str]]
    locked: list[tuple[Path, str]] = field(default_factory=list)  # PDFs that need a password


def import_files(helper: HelperProcess, files: list[Path], password: str = "") -> JobFn:
    def job(ctx: JobContext) -> ImportResult:
        done, refused, locked = helper.run(ctx, child.import_files, files, password)
        return ImportResult(done, refused, locked)

    return SerialJob(job)


def import_text(helper: HelperProcess, text: str, html: str = "") -> JobFn:
    def job(ctx: JobContext) -> ImportResult:
        return ImportResult([helper.run(ctx, child.import_text, text, html)], [])

    return SerialJob(job)


def translate(helper: HelperProcess, doc_id: int, beam_size: int, reload: bool) -> JobFn:
    """The engine is loaded in the helper process on first use and kept there."""

    def job(ctx: JobContext) -> Any:
        return helper.run(ctx, child.translate, doc_id, beam_size, reload)

    return SerialJob(job)


def alternatives(helper: HelperProcess, segment_id: int) -> JobFn:
    def job(ctx: JobContext) -> Any:
        return helper.run(ctx, child.alternatives, segment_id)

    return SerialJob(job)


def translate_compare(helper: HelperProcess, doc_id: int, model: str, beam_size: int) -> JobFn:
    """A second model's translation of the document, stored beside the current one for comparison."""

    def job(ctx: JobContext) -> Any:
        return helper.run(ctx, child.translate_compare, doc_id, model, beam_size)

    return SerialJob(job)


def suggestions(helper: HelperProcess, doc_id: int) -> JobFn:
    def job(ctx: JobContext) -> list[Any]:
        return helper.run(ctx, child.suggestions, doc_id)

    return SerialJob(job)


def library_search(text: str, tag: str | None, verdict: str | None) -> JobFn:
    """The library search (`services.search.search_library`): matching sentences grouped by document,
    and the documents to list (None when nothing filters)."""

    def job(ctx: JobContext) -> Any:
        from app.core.services.search import search_library

        return search_library(ctx.library(), text, tag, verdict)

    return job


def translations(doc_id: int) -> JobFn:
    """The document's current translations and their details (quick lane), for the English column:
    reading them took 140-250 ms on the window's thread for 3,000 sentences."""

    def job(ctx: JobContext) -> tuple[int, dict[int, Any], dict[int, Any]]:
        from app.core.translate.provenance import current_details

        lib = ctx.library()
        return doc_id, lib.current_translations(doc_id), current_details(lib, doc_id)

    return job


def find(doc_id: int, query: str) -> JobFn:
    def job(ctx: JobContext) -> tuple[str, list[Any]]:
        from app.core.services.search import find_in_document

        return query, find_in_document(ctx.library(), doc_id, query)

    return job


def layout_review(helper: HelperProcess, doc_id: int, undone: set[int] | None = None) -> JobFn:
    """Review of the document's repairs; with `undone`, first store exactly those repairs undone (in the
    helper process: re-cleaning a 300-page PDF on a pool thread froze the window for 0.6 s)."""

    def job(ctx: JobContext) -> tuple[Any, tuple[int, int] | None]:
        return helper.run(ctx, child.layout_review, doc_id, undone)

    return SerialJob(job)


def install_packages(paths: list[Path]) -> JobFn:
    def job(ctx: JobContext) -> list[Any]:
        from app.core.translate.packages import install_package

        out = []
        for path in paths:
            ctx.progress(0, 0, f"Installing {path.name}")
            out.append(install_package(path))
        return out

    return job


def download_package() -> JobFn:
    def job(ctx: JobContext) -> Any:
        from app.core.translate.packages import download_package as core_download

        what = "Downloading the Vietnamese→English model"
        ctx.progress(0, 0, what)
        return core_download(
            "vi", "en", progress=lambda done, total: ctx.progress(done, total, f"{what}: {done / 1e6:.1f} MB")
        )

    return job


def back_up(target: Path) -> JobFn:
    """File › Back up now…: SQLite's backup API from this job's own connection (quick lane)."""

    def job(ctx: JobContext) -> Path:
        ctx.progress(0, 0, f"Backing up the library to {target.name}")
        return ctx.library().backup(target)

    return job


PREVIEW_ROWS = 40  # setHtml on the window's thread: 50 rows ~40 ms, 100 rows 66 ms, 300 rows 257 ms


def export_preview(doc_id: int, only_claims: bool, include_notes: bool, include_source_path: bool = False) -> JobFn:
    """The HTML report of the document, its first PREVIEW_ROWS sentences, for the export dialog's
    preview: (html, rows shown, rows in the report)."""

    def job(ctx: JobContext) -> tuple[str, int, int]:
        from app.core.export import ExportOptions, build_report
        from app.core.export.html import render_html
        from app.core.export.report import preview_of

        options = ExportOptions(
            only_claims=only_claims, include_notes=include_notes, include_source_path=include_source_path
        )
        built = build_report(ctx.library(), [doc_id], options, max_rows=PREVIEW_ROWS)
        report, shown, total = preview_of(built, PREVIEW_ROWS)
        return render_html(report), shown, total

    return job


def export_report(helper: HelperProcess, doc_id: int, fmt: str, out: Path, options: Any) -> JobFn:
    """Written in the helper process: building a long report (and Qt laying out its PDF) on a pool
    thread held the window up to 0.6 s."""

    def job(ctx: JobContext) -> Path:
        return helper.run(ctx, child.export_report, doc_id, fmt, out, options)

    return SerialJob(job)
