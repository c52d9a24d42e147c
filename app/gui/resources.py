"""Files shipped with the app, for the window (located by `app.resources`, frozen or not)."""

from __future__ import annotations

from pathlib import Path

from app.resources import resource_path, resources_dir

__all__ = ["resource_path", "resources_dir", "sample_documents"]


def sample_documents() -> list[Path]:
    return sorted(resource_path("samples").glob("*.vi.txt"))
