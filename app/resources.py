"""Files shipped with the app (`resources/`), found the same way from a source checkout and from a
PyInstaller build, where they are unpacked next to the code under `sys._MEIPASS`."""

from __future__ import annotations

import sys
from pathlib import Path

_SOURCE_ROOT = Path(__file__).resolve().parents[1]


def resources_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) / "resources" if frozen else _SOURCE_ROOT / "resources"


def resource_path(*parts: str) -> Path:
    """`resource_path("templates", "report.html.j2")` → that file, frozen or not."""
    return resources_dir().joinpath(*parts)


def build_info() -> dict[str, str]:
    """What a packaged build was made from (`resources/build.json`, written by packaging/doichieu.spec):
    version, commit and date, so a user can ask for the matching source. Empty when run from source."""
    import json

    try:
        info = json.loads(resource_path("build.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in info.items()} if isinstance(info, dict) else {}
