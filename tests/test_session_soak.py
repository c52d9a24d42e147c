"""Soak (issue 15): a whole session's worth of concurrent work on one library. The window's process
keeps its session open and opens and closes short connections as its jobs do (library search, tag
filter, Ctrl+F, the list) while it writes tags, claims, notes and post-edits; the GUI's helper process
(`app.gui.child`, one job at a time) imports files and pasted text, translates with the tiny model and
suggests claims; two command lines import, add claims, translate, search and list. Busy non-window
processes are SIGKILLed at random moments and restarted.

After every round, with the window's session open and again after it quit: `integrity_check` = ok and
every acknowledged write present (an operation is acknowledged once its process reported success on
its stdout, one write a line); no operation fails. On the code before the fix the window's writes
were lost and its own searches called the library damaged within the first round.

`bench/session_soak.py` runs the same for longer (rounds and operations from its arguments)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app.core.translate import packages
from tests.support_session import Soak

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def test_window_helper_and_two_command_lines_with_random_kills(
    data_dir: Path, tmp_path: Path, tiny_model_path: Path
) -> None:
    packages.install_package(tiny_model_path)
    # 5 rounds of 46 window operations (with opening and quitting its session), 8 helper jobs and
    # 2 x 3 commands: 300 operations, about 25 of them cut short by a SIGKILL.
    soak = Soak(data_dir, tmp_path / "soak", seed=15, rounds=5, window_ops=44, helper_ops=8, cli_ops=3)
    report = soak.run()  # raises SoakError at the first damaged library or lost acknowledged write
    print(report.summary())
    assert report.rounds == 5 and len(report.checks) == 10 and set(report.checks) == {"ok"}
    assert report.operations >= 300
    assert report.kills.get("helper", 0) > 0 and report.kills.get("cli", 0) > 0, report.kills
    assert not report.failures, "\n".join(report.failures)
    assert report.acked + report.killed == report.operations
