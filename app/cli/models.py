"""`main.py models ...`: install, list, remove and download translation packages."""

from __future__ import annotations

import argparse
import dataclasses
import json

from app.cli import args as valid
from app.cli.common import write_line as _write


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def _describe(info: object) -> str:
    from app.core.translate.packages import PackageInfo

    assert isinstance(info, PackageInfo)
    return f"{info.from_code}→{info.to_code} {info.version} ({info.name}, {_mb(info.size)})"


def cmd_install(args: argparse.Namespace) -> int:
    from app.core.translate.packages import install_package

    expect = None if args.any_pair else ("vi", "en")
    info = install_package(args.file, expect=expect)
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
            _write(f"{p.from_code}→{p.to_code}\t{p.version}\t{_mb(p.size)}\t{p.name}\t{p.path}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from app.core.translate.packages import remove_package

    info = remove_package(args.name)
    _write(f"removed {_describe(info)}")
    return 0


def cmd_download(args: argparse.Namespace) -> int:
    from app.core.translate.packages import download_package

    info = download_package(args.from_code, args.to_code, timeout=args.timeout)
    _write(f"installed {_describe(info)} in {info.path}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    models = sub.add_parser("models", help="install, list or remove offline translation models (Argos packages)")
    msub = models.add_subparsers(dest="models_command", metavar="ACTION", required=True)

    install = msub.add_parser("install", help="install a .argosmodel file, e.g. translate-vi_en-1_9.argosmodel")
    install.add_argument("file", help="the .argosmodel file")
    install.add_argument("--any-pair", action="store_true", help="accept a package for another language pair")
    install.set_defaults(func=cmd_install)

    listing = msub.add_parser("list", help="list installed packages")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(func=cmd_list)

    remove = msub.add_parser("remove", help="remove a package by name (translate-vi_en-1_9) or pair (vi_en)")
    remove.add_argument("name", type=valid.text)
    remove.set_defaults(func=cmd_remove)

    download = msub.add_parser("download", help="download a package from Argos's index (needs internet)")
    download.add_argument("from_code", metavar="FROM", type=valid.text)
    download.add_argument("to_code", metavar="TO", type=valid.text)
    download.add_argument(
        "--timeout", type=valid.seconds(0.1, 600), default=10.0, help="seconds per network step (0.1-600, default 10)"
    )
    download.set_defaults(func=cmd_download)
