"""`main.py models ...`: install, list, remove and download translation models.

Besides Argos packages (`.argosmodel`), `install` takes a plain CTranslate2 model folder (or a zip of
one) that users convert themselves: OPUS-MT (Marian, `source.spm` + `target.spm`) or NLLB-200 /
M2M-100 (a shared SentencePiece model and language tokens). NLLB weights are CC-BY-NC-4.0: their
installation is refused with the licence in one line unless `--accept-licence` is given (the
acceptance is remembered in the data folder). `list` shows each model's kind and licence.
`download vi en` fetches the pinned vi→en 1.9 package (resumable, checksum verified first) with a
progress bar on stderr."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from app.cli import args as valid
from app.cli.common import ProgressBar
from app.cli.common import write_line as _write


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def _describe(info: object) -> str:
    from app.core.translate.packages import PackageInfo

    assert isinstance(info, PackageInfo)
    from app.core.translate.model_kinds import KIND_NAMES

    kind = KIND_NAMES.get(info.kind, info.kind)
    size = _mb(info.size)
    return f"{info.from_code}→{info.to_code} {info.version} ({info.name}, {kind}, {size}, licence {info.licence})"


def cmd_install(args: argparse.Namespace) -> int:
    from app.core.translate.model_kinds import NON_COMMERCIAL, licence_warning
    from app.core.translate.packages import install_package

    expect = None if args.any_pair else ("vi", "en")
    info = install_package(args.file, expect=expect, accept_licence=args.accept_licence)
    if info.kind in NON_COMMERCIAL and "NC" in info.licence:
        print(f"warning: {licence_warning(info.kind)}", file=sys.stderr)
    _write(f"installed {_describe(info)} in {info.path}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from app.core.translate.packages import list_packages

    packages = list_packages()
    if args.json:
        rows = [{**dataclasses.asdict(p), "path": str(p.path), "model_id": p.model_id} for p in packages]
        _write(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not packages:
        _write("no translation packages installed; install one with `main.py models install FILE.argosmodel`")
    else:
        for p in packages:
            _write(f"{p.from_code}→{p.to_code}\t{p.version}\t{_mb(p.size)}\t{p.name}\t{p.kind}\t{p.licence}\t{p.path}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from app.core.translate.packages import remove_package

    info = remove_package(args.name)
    _write(f"removed {_describe(info)}")
    return 0


def cmd_download(args: argparse.Namespace) -> int:
    from app.core.translate.packages import download_package

    info = download_package(
        args.from_code,
        args.to_code,
        timeout=args.timeout,
        progress=ProgressBar(f"{args.from_code}→{args.to_code}", "MB", scale=1e6),
    )
    _write(f"installed {_describe(info)} in {info.path}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    models = sub.add_parser("models", help="install, list or remove offline translation models (Argos packages)")
    msub = models.add_subparsers(dest="models_command", metavar="ACTION", required=True)

    install = msub.add_parser(
        "install",
        help="install a .argosmodel file (e.g. translate-vi_en-1_9.argosmodel) or a CTranslate2 model folder/zip "
        "(OPUS-MT or NLLB)",
    )
    install.add_argument("file", help="the .argosmodel file, or a CTranslate2 model folder or .zip")
    install.add_argument("--any-pair", action="store_true", help="accept a package for another language pair")
    install.add_argument(
        "--accept-licence",
        "--accept-license",
        dest="accept_licence",
        action="store_true",
        help="accept a non-commercial licence (NLLB weights are CC-BY-NC-4.0); refused without it",
    )
    install.set_defaults(func=cmd_install)

    listing = msub.add_parser("list", help="list installed models with their kind and licence")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(func=cmd_list)

    remove = msub.add_parser("remove", help="remove a package by name (translate-vi_en-1_9) or pair (vi_en)")
    remove.add_argument("name", type=valid.text)
    remove.set_defaults(func=cmd_remove)

    download = msub.add_parser(
        "download",
        help="download vi→en (pinned file, resumable, verified) or a package from Argos's index (needs internet)",
    )
    download.add_argument("from_code", metavar="FROM", type=valid.text)
    download.add_argument("to_code", metavar="TO", type=valid.text)
    download.add_argument(
        "--timeout", type=valid.seconds(0.1, 600), default=10.0, help="seconds per network step (0.1-600, default 10)"
    )
    download.set_defaults(func=cmd_download)
