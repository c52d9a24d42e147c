"""`main.py glossary list|add|remove|import|export`: the glossary and do-not-translate list."""

from __future__ import annotations

import argparse
import json

from app.cli import args as valid
from app.cli.common import open_library
from app.cli.common import write_line as _write
from app.core.store import Library
from app.core.translate import glossary


def _doc(lib: Library, ref: str | None) -> int | None:
    return lib.resolve_document(ref) if ref else None


def cmd_list(args: argparse.Namespace) -> int:
    with open_library() as lib:
        doc = _doc(lib, args.doc)
        items = glossary.entries(lib, doc) if doc is not None else glossary.entries(lib, all_documents=True)
        titles = {d.id: d.title for d in lib.documents()} if doc is None else {}
    if args.json:
        out = [
            {
                "id": e.id,
                "vi": e.vi,
                "en": e.en,
                "note": e.note,
                "do_not_translate": e.keep,
                "document_id": e.document_id,
            }
            for e in items
        ]
        _write(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    if not items:
        _write("the glossary is empty; add a term with `main.py glossary add VI EN`")
    for e in items:
        target = "(do not translate)" if e.keep else e.en
        where = f"  [document {e.document_id}: {titles.get(e.document_id or 0, '')}]" if e.document_id else ""
        note = f"  — {e.note}" if e.note else ""
        _write(f"#{e.id}  {e.vi}  →  {target}{note}{where}")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    with open_library() as lib:
        e = glossary.add_entry(
            lib, args.vi, args.en or "", args.note or "", keep=args.keep, document_id=_doc(lib, args.doc)
        )
    _write(f"#{e.id}  {e.vi}  →  {'(do not translate)' if e.keep else e.en}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    with open_library() as lib:
        e = glossary.remove_entry(lib, args.term.removeprefix("#"), _doc(lib, args.doc))
    _write(f"removed #{e.id}  {e.vi}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    with open_library() as lib:
        count = glossary.import_file(lib, args.file, _doc(lib, args.doc))
    _write(f"imported {count} glossary entries from {args.file}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    with open_library() as lib:
        count = glossary.export_file(lib, args.file, _doc(lib, args.doc))
    _write(f"wrote {count} glossary entries to {args.file}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    g = sub.add_parser("glossary", help="agreed translations of terms and a do-not-translate list")
    gsub = g.add_subparsers(dest="glossary_command", metavar="ACTION", required=True)
    doc_help = "a document's own entries (id or part of its title) instead of the library's"

    p = gsub.add_parser("list", help="list the entries (a document's: the library's plus its own)")
    p.add_argument("--doc", metavar="DOC", type=valid.document_ref, help=doc_help)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = gsub.add_parser("add", help="add or replace a term: VI EN, or VI --keep for do-not-translate")
    p.add_argument("vi", metavar="VI", type=valid.text)
    p.add_argument("en", metavar="EN", nargs="?", type=valid.text)
    p.add_argument("--keep", action="store_true", help="do not translate: the English keeps the Vietnamese")
    p.add_argument("--note", type=valid.text)
    p.add_argument("--doc", metavar="DOC", type=valid.document_ref, help=doc_help)
    p.set_defaults(func=cmd_add)

    p = gsub.add_parser("remove", help="remove a term (by its Vietnamese or its #id)")
    p.add_argument("term", metavar="TERM", type=valid.text)
    p.add_argument("--doc", metavar="DOC", type=valid.document_ref, help=doc_help)
    p.set_defaults(func=cmd_remove)

    p = gsub.add_parser("import", help="add entries from a CSV, TSV or TBX file (vi, en, note, do_not_translate)")
    p.add_argument("file", metavar="FILE", type=valid.text)
    p.add_argument("--doc", metavar="DOC", type=valid.document_ref, help=doc_help)
    p.set_defaults(func=cmd_import)

    p = gsub.add_parser("export", help="write the entries as CSV (TSV for .tsv/.tab/.txt, TBX for .tbx)")
    p.add_argument("file", metavar="FILE", type=valid.output_file)
    p.add_argument("--doc", metavar="DOC", type=valid.document_ref, help=doc_help)
    p.set_defaults(func=cmd_export)
