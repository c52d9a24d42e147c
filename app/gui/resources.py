"""Files shipped with the app, found the same way from source and from a frozen build."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def sample_documents() -> list[Path]:
    return sorted((resources_dir() / "samples").glob("*.vi.txt"))
