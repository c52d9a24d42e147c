"""`main.py rename DOC TITLE` and `main.py properties DOC [--url U] [--author A] [--published D]`:
what a user says of a document, with the rules of `app.core.services.documents` (the window's
Rename… and Document properties… call the same functions)."""

from __future__ import annotations

import argparse
import json

from app.cli import args as valid
from app.cli.common import open_library, write_line
from app.core.services.documents import document_facts, rename_document, set_document_facts


def cmd_rename(args: argparse.Namespace) -> int:
    with open_library() as lib:
        doc_id = lib.resolve_document(args.doc)
        title = rename_document(lib, doc_id, args.title)
    write_line(f"#{doc_id} is now titled {title!r}")
    return 0


def cmd_properties(args: argparse.Namespace) -> int:
    with open_library() as lib:
        doc_id = lib.resolve_document(args.doc)
        facts = document_facts(lib, doc_id)
        if args.url is not None or args.author is not None or args.published is not None:
            facts = set_document_facts(
                lib,
                doc_id,
                source_url=facts.source_url if args.url is None else args.url,
                author=facts.author if args.author is None else args.author,
                published=facts.published if args.published is None else args.published,
            )
        title = lib.document(doc_id).title
    if args.json:
        data = {"id": doc_id, "title": title, **facts.__dict__}
        write_line(json.dumps(data, ensure_ascii=False))
        return 0
    write_line(f"#{doc_id} {title}")
    write_line(f"  source URL: {facts.source_url or '—'}")
    write_line(f"  author:     {facts.author or '—'}")
    write_line(f"  published:  {facts.published or '—'}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("rename", help="give a document a new title")
    p.add_argument("doc", metavar="DOC", type=valid.document_ref, help="document id or part of its title")
    p.add_argument("title", metavar="TITLE", type=valid.text, help="the new title (at most 200 characters)")
    p.set_defaults(func=cmd_rename)

    p = sub.add_parser(
        "properties",
        help="show or set a document's source URL, author and publication date (shown in reports)",
        description="Without options, shows them. An empty value ('') clears one.",
    )
    p.add_argument("doc", metavar="DOC", type=valid.document_ref, help="document id or part of its title")
    p.add_argument("--url", type=valid.text, help="where the document comes from: an http(s) address")
    p.add_argument("--author", type=valid.text)
    p.add_argument("--published", type=valid.text, metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_properties)
