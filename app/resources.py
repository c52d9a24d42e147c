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
