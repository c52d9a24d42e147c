"""How long jobs report progress: a plain callable, so the CLI, the GUI and tests can all listen."""

from __future__ import annotations

from collections.abc import Callable

# progress(done, total, message): `total` 0 means unknown. The one progress type of the core: the
# CLI's bar, the helper process's queue to the window and tests all listen through it.
Progress = Callable[[int, int, str], None]
# cancel(): True when the user asked to stop; long jobs check it between steps.
Cancel = Callable[[], bool]


def null_progress(done: int, total: int, message: str) -> None:
    """For callers that do not listen."""
