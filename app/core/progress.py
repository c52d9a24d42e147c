"""How long jobs report progress: a plain callable, so the CLI, the GUI and tests can all listen."""

from __future__ import annotations

from collections.abc import Callable

# progress(done, total, message): `total` 0 means unknown.
Progress = Callable[[int, int, str], None]


def null_progress(done: int, total: int, message: str) -> None:
    """For callers that do not listen."""
