"""Command-line interface: `main.py SUBCOMMAND ...`. With no arguments main.py starts the GUI."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from app.core.errors import DoiChieuError


def _cmd_clean(args: argparse.Namespace) -> int:
    from app.core.layout import render_paragraphs
    from app.core.pipeline import clean_file

    result = clean_file(args.file)
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


def _write(text: str) -> None:
    # Always UTF-8, whatever the console's code page (Windows consoles default to cp1252).
    sys.stdout.buffer.write((text + "\n").encode("utf-8"))
    sys.stdout.flush()


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
    clean.set_defaults(func=_cmd_clean)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_pdf-worker"] and len(argv) == 2:  # the frozen app's PDF child process
        from app.core.ingest.pdf import worker_main

        return worker_main(argv[1])
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
        print(f"doichieu: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("doichieu: interrupted", file=sys.stderr)
        return 130
    except MemoryError:
        print("doichieu: out of memory; the file is too large to process here", file=sys.stderr)
        return 1
