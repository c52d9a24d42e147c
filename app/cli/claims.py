"""`main.py claims ...`, `main.py tags ...` and `main.py delete DOC`: claims from the command line."""

from __future__ import annotations

import argparse
import dataclasses
import json
from typing import TYPE_CHECKING, Any

from app.cli import args as valid
from app.cli.common import open_library
from app.cli.common import write_line as _write
from app.core.store import Library
from app.core.store.claims import VERDICTS, ClaimStore

if TYPE_CHECKING:
    from app.core.claims.workflow import ClaimView


def _library() -> Library:
    lib = open_library()
    ClaimStore(lib).ensure_default_tags()
    return lib


def _claim_json(lib: Library, claim_id: int) -> dict[str, Any]:
    from app.core.claims.workflow import view

    return _view_json(view(lib, ClaimStore(lib).get(claim_id)))


def _view_json(shown: ClaimView) -> dict[str, Any]:
    row = shown.row
    return {
        "id": row.id,
        "document_id": row.document_id,
        "document": row.document_title,
        "vi": row.quote,
        "en": shown.english,
        "en_status": shown.english_status,
        # the claim's words in each sentence it covers (offsets into the sentence and into its English)
        "sentences": [
            {"segment_id": s.segment_id, "vi": list(s.vi) if s.vi else None, "en": list(s.en) if s.en else None}
            for s in shown.spans.sentences
        ],
        "start": row.start,
        "end": row.end,
        "tags": list(row.tags),
        "verdict": row.verdict,
        "status": row.status,
        "note": row.note,
        "evidence": [dataclasses.asdict(e) for e in row.evidence],
        "origin": row.origin,
        "created_at": row.created_at,
        "edited_at": row.edited_at,
    }


def _print_claim(data: dict[str, Any]) -> None:
    tags = ", ".join(data["tags"]) or "no tag"
    flag = "" if data["status"] == "attached" else "  [ORPHANED: its words are gone from the text]"
    _write(f"claim #{data['id']}  #{data['document_id']} {data['document']}  [{tags}; {data['verdict']}]{flag}")
    _write(f"  vi: {data['vi']}")
    if data["en"]:
        _write(f"  en: {data['en']}" + ("  [English changed: check it]" if data["en_status"] == "orphaned" else ""))
    if data["note"]:
        _write("  note: " + data["note"].replace("\n", "\n        "))
    for e in data["evidence"]:
        _write(f"  evidence: {e['url'] or e['citation']}" + (f" — “{e['quote']}”" if e["quote"] else ""))


def cmd_suggest(args: argparse.Namespace) -> int:
    from app.core.services.suggestions import suggestions_for_reading

    with _library() as lib:
        found = suggestions_for_reading(lib, lib.resolve_document(args.doc))
    if args.json:
        out = [
            {"text": s.text, "start": s.start, "end": s.end, "score": round(s.score, 3), "cues": list(s.cues)}
            for s in found
        ]
        _write(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    for s in found:
        _write(f"{s.score:.2f}  [{s.start}-{s.end}]  {s.text}\n      because: {'; '.join(s.cues)}")
    if not found:
        _write("no likely claims found")
    return 0


def _key(text: str) -> str:
    from app.core.claims.suggest import suggestion_key

    return suggestion_key(text)


def cmd_dismiss(args: argparse.Namespace) -> int:
    with _library() as lib:
        doc_id = lib.resolve_document(args.doc)
        seg = next((s for s in lib.segments(doc_id) if s.start_char <= args.start < s.end_char), None)
        if seg is None:
            from app.core.errors import InputError

            raise InputError(f"no sentence starts at {args.start}; `main.py claims suggest DOC` shows the offsets")
        ClaimStore(lib).dismiss_suggestion(doc_id, _key(seg.text), seg.text)
    _write(f"dismissed: {seg.text}")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from app.core.claims.workflow import create_claim

    with _library() as lib:
        doc_id = lib.resolve_document(args.doc)
        claim_id = create_claim(
            lib,
            doc_id,
            args.start,
            args.end,
            tags=args.tag or [],
            note=args.note or "",
            verdict=args.verdict,
            allow_duplicate=args.allow_duplicate,
        )
        data = _claim_json(lib, claim_id)
    if args.json:
        _write(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        if (data["start"], data["end"]) != (args.start, args.end):
            _write(f"(the span {args.start}-{args.end} was taken as whole words: {data['start']}-{data['end']})")
        _print_claim(data)
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from app.core.claims.history import claim_history

    with _library() as lib:
        entries = claim_history(lib, args.claim)
    if args.json:
        out = [{"when": e.when, "field": e.field, "old": e.old, "new": e.new} for e in entries]
        _write(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    for e in entries:
        _write(e.line())
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from app.core.claims.workflow import views

    with _library() as lib:
        doc_id = lib.resolve_document(args.doc) if args.doc else None
        store = ClaimStore(lib)
        rows = store.search(tag=args.tag, verdict=args.verdict, document_id=doc_id, text=args.text, status=args.status)
        data = [_view_json(v) for v in views(lib, rows)]
        per_tag, per_verdict = store.counts()
    if args.json:
        _write(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for item in data:
        _print_claim(item)
    _write(f"{len(data)} claim(s). In the library: " + ", ".join(f"{k} {v}" for k, v in per_verdict.items() if v))
    _write("per tag: " + ", ".join(f"{k} {v}" for k, v in per_tag.items()))
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    with _library() as lib:
        store = ClaimStore(lib)
        store.get(args.claim)
        if args.verdict:
            store.set_verdict(args.claim, args.verdict)
        if args.note is not None:
            store.set_note(args.claim, args.note)
        if args.tag is not None:
            store.set_tags(args.claim, args.tag)
        if args.evidence:
            from app.core.claims.evidence import normalize_evidence

            evidence = normalize_evidence(args.evidence)  # only an http(s) link is kept as a link
            store.add_evidence(
                args.claim,
                url=evidence.url,
                citation=evidence.citation,
                quote=args.quote or "",
                note=args.evidence_note or "",
            )
        for evidence_id in args.remove_evidence or []:
            if store.evidence(evidence_id)[0] != args.claim:
                from app.core.errors import NotFoundError

                raise NotFoundError(f"claim #{args.claim} has no evidence #{evidence_id}; --json lists the ids")
            store.delete_evidence(evidence_id)
        if args.delete:
            store.delete(args.claim)
            _write(f"claim #{args.claim} deleted")
            return 0
        data = _claim_json(lib, args.claim)
    _print_claim(data)
    return 0


def cmd_tags(args: argparse.Namespace) -> int:
    from app.core.errors import InputError

    if args.action != "list" and not args.name:
        raise InputError(f"`tags {args.action}` needs the tag's name")
    if args.action == "rename" and not args.new_name:
        raise InputError("`tags rename OLD NEW` needs the new name")
    if args.action == "edit" and args.color is None and args.shortcut is None:
        raise InputError("`tags edit NAME` needs --color C and/or --shortcut K (K = 1 to 9, or none)")
    from app.core.claims import tags as tag_rules  # the rules the window's Tag manager follows too

    with _library() as lib:
        store = ClaimStore(lib)
        if args.action == "add":
            tag_rules.create_tag(lib, args.name, args.color, args.shortcut)
        elif args.action == "rename":
            tag_rules.rename_tag(lib, args.name, args.new_name)
        elif args.action == "edit":
            tag_rules.edit_tag(lib, args.name, color=args.color, shortcut=args.shortcut)
        elif args.action == "delete":
            moved = tag_rules.delete_tag(lib, args.name, reassign=args.reassign, untag=args.force)
            _write(f"deleted the tag {args.name!r} ({moved} claim(s) " + ("moved)" if args.reassign else "untagged)"))
        tags = store.tags()
    if args.action == "list" and args.json:
        _write(json.dumps([dataclasses.asdict(t) for t in tags], ensure_ascii=False, indent=2))
        return 0
    if args.action in {"list", "add", "rename", "edit"}:
        for t in tags:
            key = f"[{t.shortcut}]" if t.shortcut else "   "
            _write(f"{key} {t.name:<16} {t.color}  {t.claims} claim(s)")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    from app.core.claims.workflow import delete_document

    with _library() as lib:
        doc_id = lib.resolve_document(args.doc)
        title = lib.document(doc_id).title
        kept = delete_document(lib, doc_id)
    _write(f"deleted #{doc_id} {title}" + (f"; its claims were saved to {kept}" if kept else ""))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    claims = sub.add_parser("claims", help="suggest, add, list and edit claims")
    csub = claims.add_subparsers(dest="claims_command", metavar="ACTION", required=True)

    p = csub.add_parser("suggest", help="sentences likely to hold checkable claims, best first")
    p.add_argument("doc", metavar="DOC", type=valid.document_ref)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_suggest)

    p = csub.add_parser("dismiss", help="hide a suggestion for good (by the start offset of its sentence)")
    p.add_argument("doc", metavar="DOC", type=valid.document_ref)
    p.add_argument("--start", type=valid.offset, required=True)
    p.set_defaults(func=cmd_dismiss)

    p = csub.add_parser("add", help="mark the text between two offsets of the cleaned text as a claim")
    p.add_argument("doc", metavar="DOC", type=valid.document_ref)
    p.add_argument("--start", type=valid.offset, required=True)
    p.add_argument("--end", type=valid.offset, required=True)
    p.add_argument("--tag", action="append", metavar="T", type=valid.text)
    p.add_argument("--note", type=valid.text)
    p.add_argument("--verdict", choices=VERDICTS, default="unchecked")
    p.add_argument(
        "--allow-duplicate",
        action="store_true",
        help="mark it even if a claim already covers some of these words (refused otherwise)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_add)

    p = csub.add_parser("history", help="everything that happened to a claim (verdicts, tags, notes, evidence)")
    p.add_argument("claim", type=valid.record_id, metavar="CLAIM")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_history)

    p = csub.add_parser("list", help="claims across the library, filtered")
    p.add_argument("--tag", type=valid.text)
    p.add_argument("--verdict", choices=VERDICTS)
    p.add_argument("--doc", type=valid.document_ref)
    p.add_argument(
        "--text", type=valid.text, help="words in the claim, its English, note or evidence (accents optional)"
    )
    p.add_argument("--status", choices=("attached", "orphaned"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = csub.add_parser("edit", help="change a claim's verdict, note or tags, add evidence, or delete it")
    p.add_argument("claim", type=valid.record_id, metavar="CLAIM")
    p.add_argument("--verdict", choices=VERDICTS)
    p.add_argument("--note", type=valid.text)
    p.add_argument(
        "--tag", action="append", metavar="T", type=valid.text, help="the claim's tags (replaces them; repeat)"
    )
    p.add_argument(
        "--evidence",
        metavar="URL_OR_CITATION",
        type=valid.text,
        help="an http(s) link (www.… is taken as https) is kept as a link; anything else as citation text",
    )
    p.add_argument("--quote", type=valid.text, help="the evidence's quoted passage")
    p.add_argument("--evidence-note", type=valid.text)
    p.add_argument(
        "--remove-evidence", action="append", type=valid.record_id, metavar="ID", help="remove this evidence (repeat)"
    )
    p.add_argument("--delete", action="store_true")
    p.set_defaults(func=cmd_edit)

    tags = sub.add_parser("tags", help="list, add, rename, edit (colour, key) or delete tags")
    tags.add_argument("action", choices=("list", "add", "rename", "edit", "delete"))
    tags.add_argument("name", nargs="?", type=valid.text)
    tags.add_argument("new_name", nargs="?", type=valid.text)
    tags.add_argument("--color", type=valid.text, help="#rrggbb (add: a free colour of the palette if not given)")
    tags.add_argument(
        "--shortcut", type=valid.text, help="the key 1-9 that applies it in the window; edit: none clears"
    )
    tags.add_argument("--reassign", metavar="T", type=valid.text, help="delete: move its claims to this tag")
    tags.add_argument("--force", action="store_true", help="delete: drop the tag from its claims")
    tags.add_argument("--json", action="store_true")
    tags.set_defaults(func=cmd_tags)

    delete = sub.add_parser("delete", help="delete a document (its claims are saved to the backups folder first)")
    delete.add_argument("doc", metavar="DOC", type=valid.document_ref)
    delete.set_defaults(func=cmd_delete)
