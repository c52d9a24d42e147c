"""`main.py export DOC --format FMT -o OUT`: bilingual reports and claim tables from the command line."""

from __future__ import annotations

import argparse

from app.cli import args as valid
from app.cli.common import open_library, write_line
from app.core.errors import InputError
from app.core.export import FORMATS, PAGE_SIZES, ExportOptions, export, select_documents
from app.core.store.claims import ClaimStore


def cmd_export(args: argparse.Namespace) -> int:
    if not args.doc and not args.tag:
        raise InputError("say which document to export: DOC (an id or part of its title), 'all', or --tag T")
    with open_library() as lib:  # the session as every command opens it: today's backup, default tags
        store = ClaimStore(lib)
        options = ExportOptions(
            only_claims=args.only_claims,
            include_notes=not args.no_notes,
            tag=store.tag(args.tag).name if args.tag else None,  # as stored, whatever case the user typed
            page_size=args.page,
            include_source_path=args.include_source_path,
        )
        doc_ids = select_documents(lib, args.doc, options.tag)
        path = export(lib, doc_ids, args.format, args.output, options)
    write_line(str(path))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="write a bilingual report (html, pdf, docx, md), the claims (csv, jsonl) or a translation memory (tmx)",
        description="DOC is a document id, part of its title, or 'all'; with --tag and no DOC, every document "
        "having claims with that tag. CSV is UTF-8 with a BOM so Excel shows Vietnamese correctly.",
    )
    p.add_argument(
        "doc", nargs="?", metavar="DOC", type=valid.document_ref, help="document id or part of its title, or 'all'"
    )
    p.add_argument("--format", "-f", choices=FORMATS, required=True)
    p.add_argument("--output", "-o", required=True, metavar="OUT", type=valid.output_file, help="the file to write")
    p.add_argument("--only-claims", action="store_true", help="only the sentences that hold a claim")
    p.add_argument("--no-notes", action="store_true", help="leave out claim and evidence notes")
    p.add_argument(
        "--tag", metavar="T", type=valid.text, help="only claims with this tag (and, without DOC, their documents)"
    )
    p.add_argument(
        "--include-source-path",
        action="store_true",
        help="print the source file's whole path in the report (by default only its name: no /home/<you>/ leaks)",
    )
    p.add_argument("--page", choices=PAGE_SIZES, default="a4", help="page size for pdf and docx (default a4)")
    p.set_defaults(func=cmd_export)
