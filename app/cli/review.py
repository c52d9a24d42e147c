"""`main.py review DOC`: the review state of a document's sentences (machine, reviewed, edited by hand),
filtered like the window's table; `--accept N`, `--revert N`, `--clear-warning N` act on sentence N with
the rules of `app.core.translate.review` (the window's Ctrl+Enter, Revert to machine translation and
Clear warning call the same functions); `--log` lists what was accepted, cleared and reverted."""

from __future__ import annotations

import argparse
import json

from app.cli import args as valid
from app.cli.common import open_library, write_line
from app.core.translate import review

MODES = [m for m in review.FILTERS if m != review.ONLY_LOW_CONFIDENCE]


def cmd_review(args: argparse.Namespace) -> int:
    with open_library() as lib:
        doc_id = lib.resolve_document(args.doc)
        done: list[str] = []
        for number in args.accept or []:
            seg = review.segment_at(lib, doc_id, number)
            changed = review.accept(lib, seg.id)
            done.append(f"{number}: {'accepted (reviewed)' if changed else 'nothing to accept'}")
        for number in args.clear_warning or []:
            seg = review.segment_at(lib, doc_id, number)
            cleared = review.clear_flags(lib, seg.id)
            done.append(f"{number}: {'warning cleared (' + ' '.join(cleared) + ')' if cleared else 'no warning'}")
        for number in args.revert or []:
            seg = review.segment_at(lib, doc_id, number)
            back = review.revert_to_machine(lib, seg.id)
            done.append(f"{number}: back to the machine translation: {back.text}")
        if args.log:
            segs = {s.id: i + 1 for i, s in enumerate(lib.segments(doc_id))}
            entries = [e for e in review.log(lib, segs) if e.segment_id in segs]
            for e in entries:
                if args.json:
                    write_line(json.dumps({"sentence": segs[e.segment_id], **e.__dict__}, ensure_ascii=False))
                else:
                    write_line(f"{e.created_at}  sentence {segs[e.segment_id]}  {e.action}  {e.detail}".rstrip())
            return 0
        if done:
            for line in done:
                write_line(line)
            return 0
        rows = review.sentences(lib, doc_id, args.only)
    if args.json:
        for r in rows:
            tr = r.translation
            data = {
                "sentence": r.number,
                "state": r.state,
                "flags": list(tr.flags) if tr else [],
                "cleared": list(tr.cleared) if tr else [],
                "claimed": r.claimed,
                "vi": r.segment.text,
                "en": tr.text if tr else None,
            }
            write_line(json.dumps(data, ensure_ascii=False))
        return 0
    for r in rows:
        tr = r.translation
        mark = review.MARKS.get(r.state, "") or " "
        flag = " ⚠ " + " ".join(tr.flags) if tr and tr.flags else ""
        write_line(f"{r.number:>5} {mark} {review.LABELS[r.state]}{flag}")
        write_line(f"      vi: {r.segment.text}")
        if tr is not None:
            write_line(f"      en: {tr.text}")
    write_line(
        f"{len(rows)} sentences" + (f" ({review.FILTERS[args.only].lower()})" if args.only != review.ALL else "")
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "review",
        help="review states of a document's sentences; accept, revert or clear a warning (⚠)",
        description="States: machine (not reviewed), reviewed (machine English accepted unchanged), edited "
        "(by hand). Sentences are numbered as `main.py show` and the reports number them.",
    )
    p.add_argument("doc", metavar="DOC", type=valid.document_ref, help="document id or part of its title")
    p.add_argument("--only", choices=MODES, default=review.ALL, help="list only these sentences")
    p.add_argument(
        "--accept",
        type=valid.count(1, 10_000_000),
        action="append",
        metavar="N",
        help="accept sentence N's machine English as it is (repeatable)",
    )
    p.add_argument(
        "--revert",
        type=valid.count(1, 10_000_000),
        action="append",
        metavar="N",
        help="back to the machine translation of sentence N (your edit is kept as history)",
    )
    p.add_argument(
        "--clear-warning",
        type=valid.count(1, 10_000_000),
        action="append",
        metavar="N",
        help="clear the ⚠ of sentence N (recorded)",
    )
    p.add_argument("--log", action="store_true", help="what was accepted, cleared and reverted, and when")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(func=cmd_review)
