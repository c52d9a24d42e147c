"""Command-line interface: `main.py SUBCOMMAND ...`. With no arguments main.py starts the GUI."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import sys
from typing import TYPE_CHECKING

from app.cli import args as valid
from app.cli.common import ProgressBar
from app.cli.common import open_library as _open_library
from app.cli.common import write_error as _write_error
from app.cli.common import write_line as _write
from app.core.errors import DoiChieuError, printable

if TYPE_CHECKING:
    from app.core.store import Library


class UsageError(DoiChieuError):
    exit_code = 2


def _cmd_clean(args: argparse.Namespace) -> int:
    from app.core.layout import render_paragraphs
    from app.core.pipeline import clean_file

    result = clean_file(args.file, args.password or "")
    if args.json:
        out = {
            "encoding": result.encoding,
            "paragraphs": [{"text": p.text, "kind": p.kind, "lang": p.lang, "page": p.page} for p in result.paragraphs],
            "repairs": [dataclasses.asdict(r) for r in result.repairs],
        }
        _write(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        _write(render_paragraphs(result.paragraphs))
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from app.core.store.backups import restore

    kept = restore(Path(args.backup))
    _write(f"restored {args.backup}" + (f"; the previous library was kept as {kept}" if kept else ""))
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from app.core.pipeline import ImportOutcome
    from app.core.services.imports import import_batch

    def say(path: Path, out: ImportOutcome | None, why: str) -> None:
        if out is None:
            _write(f"refused  {path}: {why}")
        elif out.created:
            ocr = f", {out.ocr_pages} {'page' if out.ocr_pages == 1 else 'pages'} read by OCR" if out.ocr_pages else ""
            _write(f"#{out.document_id}  {out.title}  ({out.paragraphs} paragraphs, {out.sentences} sentences{ocr})")
        else:
            _write(f"#{out.document_id}  {out.title}  (already in the library)")

    def pages(done: int, total: int, message: str) -> None:  # a scan: one line per page read by OCR
        if "by OCR (" in message:
            sys.stderr.write(message.replace(": cleaning: ", ": ") + "\n")
            sys.stderr.flush()

    with _open_library() as lib:
        result = import_batch(lib, args.files, password=args.password or "", on_item=say, progress=pages)
    return 2 if result.refused or result.locked else 0


def _cmd_list(args: argparse.Namespace) -> int:
    with _open_library() as lib:
        docs = lib.documents()
        links = {d.id: lib.document_links(d.id) for d in docs}  # a Markdown file's sources
    if args.json:
        out = [{**dataclasses.asdict(d), "links": [{"text": t, "url": u} for t, u in links[d.id]]} for d in docs]
        _write(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    for d in docs:
        sources = f", {len(links[d.id])} sources" if links[d.id] else ""
        _write(f"#{d.id}  {d.title}  [{d.kind}, {d.paragraph_count} paragraphs, {d.segment_count} sentences{sources}]")
    if not docs:
        _write("the library is empty; add files with `main.py import FILE...`")
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    with _open_library() as lib:
        doc_id = lib.resolve_document(args.doc)
        info = lib.document(doc_id)
        paragraphs = lib.paragraphs(doc_id)
        segments = lib.segments(doc_id)
        english = lib.current_translations(doc_id)
        links = lib.document_links(doc_id)
        from app.core import ocr_marks  # read by OCR (issue 17): the reader's and the reports' rule

        ocr_summary = ocr_marks.summary(lib, doc_id)
        ocr_low = ocr_marks.low_paragraphs(lib, doc_id)
    by_para: dict[int, list] = {}
    for seg in segments:
        by_para.setdefault(seg.paragraph_id, []).append(seg)
    if args.json:
        out = {
            **dataclasses.asdict(info),
            "links": [{"text": t, "url": u} for t, u in links],
            "ocr": ocr_summary.report_line() if ocr_summary else None,
            "paragraphs": [
                {
                    **dataclasses.asdict(p),
                    "ocr_mark": ocr_marks.mark(ocr_low[p.id]) if p.id in ocr_low else None,
                    "sentences": [
                        {
                            **dataclasses.asdict(s),
                            "english": english[s.id].text if s.id in english else None,
                            "english_kind": english[s.id].kind if s.id in english else None,
                        }
                        for s in by_para.get(p.id, [])
                    ],
                }
                for p in paragraphs
            ],
        }
        _write(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    _write(f"#{info.id}  {info.title}\n")
    if ocr_summary is not None:
        _write(ocr_summary.report_line() + "\n")
    if links:  # the link targets of a Markdown file: the document's sources
        _write("Sources:")
        for i, (text, url) in enumerate(links, 1):
            _write(f"  [{i}] {text} <{url}>" if text != url else f"  [{i}] <{url}>")
        _write("")
    for p in paragraphs:
        _write(
            f"¶{p.idx + 1} [{p.kind}, {p.lang}]" + (f"  ⚠ {ocr_marks.mark(ocr_low[p.id])}" if p.id in ocr_low else "")
        )
        for s in by_para.get(p.id, []):
            _write(f"  {s.idx + 1:>4}  {s.text}")
            if s.id in english:
                mark = "✎ " if english[s.id].kind == "human" else ""
                _write(f"        → {mark}{english[s.id].text}")
        _write("")
    return 0


def _cmd_search(args: argparse.Namespace) -> int:
    from app.core.services.search import group_by_document, search_sentences

    with _open_library() as lib:
        doc_id = lib.resolve_document(args.doc) if args.doc else None
        hits = search_sentences(lib, args.query, limit=args.limit, document_id=doc_id)
    if args.json:
        _write(json.dumps([dataclasses.asdict(h) for h in hits], ensure_ascii=False, indent=2))
        return 0
    for group in group_by_document(hits):  # as the window lists them: by document, in reading order
        found = len(group.hits)
        _write(f"#{group.document_id}  {group.title}  ({found} sentence{'' if found == 1 else 's'})")
        for h in group.hits:
            _write(f"  sentence {h.segment_idx + 1} [{h.lang}]: {h.snippet}")
    if not hits:
        _write(f"no sentence contains {args.query!r}")
        return 1
    return 0


def _translate_for_comparison(lib: Library, doc_ids: list[int], args: argparse.Namespace) -> int:
    """`translate DOC --compare NAME`: a second model's translation beside the current ones."""
    from app.core.translate.compare import translate_for_comparison
    from app.core.translate.engine import Engine
    from app.core.translate.packages import find_model

    engine = Engine(find_model(args.compare))
    for doc_id in doc_ids:
        info = lib.document(doc_id)
        report = translate_for_comparison(
            lib,
            doc_id,
            engine,
            beam_size=args.beam,
            retranslate=args.retranslate,
            progress=ProgressBar(f"#{doc_id}", "sentences"),
        )
        _write(
            f"#{doc_id}  {info.title}: {report.total} sentences compared with {report.model}; "
            f"{report.translated} translated, {report.kept} already done, {report.copied} English kept"
        )
    return 0


def _cmd_translate(args: argparse.Namespace) -> int:
    from app.core.translate.engine import Engine
    from app.core.translate.memory import translate_document
    from app.core.translate.packages import find_model

    with _open_library() as lib:
        if args.all:
            doc_ids = [d.id for d in lib.documents()]
        elif args.doc:
            doc_ids = [lib.resolve_document(args.doc)]
        else:
            raise UsageError("name a document (id or part of its title) or give --all")
        if args.compare:
            return _translate_for_comparison(lib, doc_ids, args)
        # raises ModelMissingError with install instructions when there is none
        engine = Engine(find_model(args.model)) if args.model else Engine()
        for doc_id in doc_ids:
            info = lib.document(doc_id)
            report = translate_document(
                lib,
                doc_id,
                engine,
                beam_size=args.beam,
                retranslate=args.retranslate,
                progress=ProgressBar(f"#{doc_id}", "sentences"),
            )
            parts = [f"{report.translated} translated"]
            for count, what in (
                (report.from_memory, "from memory"),
                (report.copied, "English kept"),
                (report.kept_human, "your edits kept"),
                (report.already_done, "already done"),
                (report.flagged, "flagged for review"),
            ):
                if count:
                    parts.append(f"{count} {what}")
            _write(f"#{doc_id}  {info.title}: {report.total} sentences; " + ", ".join(parts))
    return 0


def _cmd_backup(args: argparse.Namespace) -> int:
    with _open_library() as lib:
        dest = lib.backup(args.path)
    _write(f"backup written to {dest}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="doichieu",
        description="DoiChieu: read Vietnamese sources side by side with English, offline.",
        epilog="Run without a subcommand to start the desktop app.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    clean = sub.add_parser("clean", help="print the repaired paragraphs of a .txt, .md or .pdf file")
    clean.add_argument("file", help="the file to clean")
    clean.add_argument("--json", action="store_true", help="print paragraphs, kinds, languages and repairs")
    clean.add_argument("--password", help="the password of a protected PDF")
    clean.set_defaults(func=_cmd_clean)

    imp = sub.add_parser("import", help="add files to the library (cleaned and split into sentences)")
    imp.add_argument(
        "files", nargs="+", metavar="FILE", help=".txt, .md or .pdf files, or folders (their files of those kinds)"
    )
    imp.add_argument("--password", help="the password of protected PDFs in this batch")
    imp.set_defaults(func=_cmd_import)

    lst = sub.add_parser("list", help="list the documents in the library")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(func=_cmd_list)

    show = sub.add_parser("show", help="print a document's paragraphs and sentences (with English if any)")
    show.add_argument("doc", metavar="DOC", type=valid.document_ref, help="document id or part of its title")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=_cmd_show)

    search = sub.add_parser("search", help="find sentences in either language (accents optional)")
    search.add_argument("query", type=valid.text)
    search.add_argument("--doc", type=valid.document_ref, help="only this document")
    search.add_argument("--limit", type=valid.count(1, 10_000), default=50, help="at most this many (1-10,000)")
    search.add_argument("--json", action="store_true")
    search.set_defaults(func=_cmd_search)

    tr = sub.add_parser("translate", help="translate documents to English with the installed model (offline)")
    tr.add_argument("doc", nargs="?", metavar="DOC", type=valid.document_ref, help="document id or part of its title")
    tr.add_argument("--all", action="store_true", help="every document in the library")
    tr.add_argument(
        "--beam",
        type=int,
        default=1,
        choices=range(1, 9),
        metavar="N",
        help="beam size: 1 is fast (default), 4 is the best quality",
    )
    tr.add_argument(
        "--retranslate", action="store_true", help="run the model again on machine translations (your edits are kept)"
    )
    tr.add_argument(
        "--model",
        metavar="NAME",
        type=valid.text,
        help="translate with this installed model (see `models list`) instead of the default vi→en package",
    )
    tr.add_argument(
        "--compare",
        metavar="NAME",
        type=valid.text,
        help="translate with this second model for comparison: stored beside the current translations, "
        "shown in the reader's detail pane, never replacing them",
    )
    tr.set_defaults(func=_cmd_translate)

    from app.cli.check import register as register_check
    from app.cli.claims import register as register_claims
    from app.cli.documents import register as register_documents
    from app.cli.export import register as register_export
    from app.cli.glossary import register as register_glossary
    from app.cli.models import register as register_models
    from app.cli.review import register as register_review

    register_models(sub)
    register_claims(sub)
    register_check(sub)
    register_export(sub)
    register_documents(sub)
    register_glossary(sub)
    register_review(sub)

    backup = sub.add_parser("backup", help="write a consistent copy of the library (safe while the app runs)")
    backup.add_argument("path", metavar="PATH", type=valid.output_file)
    backup.set_defaults(func=_cmd_backup)

    restore = sub.add_parser("restore", help="replace the library with a backup (the current one is kept aside)")
    restore.add_argument("backup", metavar="BACKUP", help="a backup file, e.g. from the data folder's backups/")
    restore.set_defaults(func=_cmd_restore)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_pdf-worker"] and len(argv) == 2:  # the frozen app's PDF child process
        from app.core.ingest.pdf import worker_main

        return worker_main(argv[1])
    if argv == ["_pages-worker"]:  # the frozen app's extra PDF reader (app/core/ingest/pdf_pages.py)
        from app.core.ingest.pdf_pages import worker_main as pages_worker_main

        return pages_worker_main()
    if argv == ["_ocr-worker"]:  # the frozen app's extra OCR process (app/core/ingest/ocr.py)
        from app.core.ingest.ocr import worker_main as ocr_worker_main

        return ocr_worker_main()
    parser = build_parser()
    if not argv:
        parser.print_help()
        return 0
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help()
        return 0
    try:
        return args.func(args)
    except DoiChieuError as err:
        _write_error(f"doichieu: {err}")
        return err.exit_code
    except BrokenPipeError:  # output piped into `head` and the like
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115  # keep Python's exit flush quiet
        return 0
    except KeyboardInterrupt:
        print("doichieu: interrupted", file=sys.stderr)
        return 130
    except MemoryError:
        print("doichieu: out of memory; the file is too large to process here", file=sys.stderr)
        return 1
    except Exception as err:  # a bug: one line and the log's path, the traceback only with DOICHIEU_DEBUG
        if os.environ.get(DEBUG_ENV):
            raise
        return _report_bug(err)


DEBUG_ENV = "DOICHIEU_DEBUG"
EXIT_BUG = 70  # EX_SOFTWARE


def _report_bug(err: Exception) -> int:
    """Log an unexpected error's traceback in the data folder's logs/ and say so in one line."""
    import traceback
    from datetime import datetime

    details = "".join(traceback.format_exception(err))
    try:
        from app.core import paths

        log = paths.logs_dir() / f"doichieu-{datetime.now():%Y%m%d}.log"
        with log.open("a", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(f"\n{datetime.now().isoformat(timespec='seconds')} unexpected error in a command\n{details}")
        where = f"the details are in {log}"
    except Exception:  # no log (read-only disk...): still one line
        where = f"set {DEBUG_ENV}=1 and run it again to see the details"
    what = printable(f"{type(err).__name__}: {err}".splitlines()[0][:300])
    _write_error(f"doichieu: unexpected error, a bug in DoiChieu ({what}); {where}; please report it")
    return EXIT_BUG
