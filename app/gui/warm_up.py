"""Modules the window first needs when a dialog opens or a report is previewed, imported ahead on a
background thread once the window is up: imported on the window's thread at first use they held it
~50 ms (the export dialog with the report code) on top of the dialog's own work."""

from __future__ import annotations

import contextlib
import importlib
import threading

MODULES = (
    "app.core.export",
    "app.core.export.html",
    "app.core.export.report",
    "app.gui.dialogs.export_dialog",
    "app.gui.dialogs.about",
)


def _run() -> None:
    for name in MODULES:
        with contextlib.suppress(Exception):  # a failure shows up, with its message, at first real use
            importlib.import_module(name)
    with contextlib.suppress(Exception):
        from app.core.export import html

        html._environment().get_template(html.TEMPLATE)  # compiled once, ~35 ms


def start() -> threading.Thread:
    thread = threading.Thread(target=_run, name="doichieu-warm-up", daemon=True)
    thread.start()
    return thread
