"""Whole-session soak (issue 15), longer than the test's: the window's process keeps a session open and
opens and closes short connections as its jobs do, while the GUI's helper process and two command lines
import, paste, translate (tiny model), claim and post-edit on the same library, and busy non-window
processes are SIGKILLed at random and restarted. After every round `integrity_check` must be ok and every
acknowledged write present, with the window open and after it quit.

    .venv/bin/python bench/session_soak.py [--rounds 20] [--window-ops 40] [--helper-ops 10] [--cli-ops 6]
        [--kill-chance 0.06] [--seed 15] [--keep DIR]

Prints one line per round and the totals (operations, kills, rounds, integrity results); exits 1 on
damage or a lost write, with what was lost. `tests/test_session_soak.py` runs a short version."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.make_fixtures import ensure_tiny_model  # noqa: E402
from tests.support_session import APP_ROOT, Soak, SoakError  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--window-ops", type=int, default=40)
    parser.add_argument("--helper-ops", type=int, default=10)
    parser.add_argument("--cli-ops", type=int, default=6, help="commands per CLI slot per round (two slots)")
    parser.add_argument("--kill-chance", type=float, default=0.06, help="chance that an event SIGKILLs a busy process")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    args = parser.parse_args(argv)

    work = args.keep or Path(tempfile.mkdtemp(prefix="doichieu-soak-"))
    data = work / "data"
    os.environ["DOICHIEU_DATA_DIR"] = str(data)
    from app.core.translate import packages

    packages.install_package(ensure_tiny_model())
    print(f"app under test: {APP_ROOT}; data folder: {data}", flush=True)
    soak = Soak(
        data,
        work,
        seed=args.seed,
        rounds=args.rounds,
        window_ops=args.window_ops,
        helper_ops=args.helper_ops,
        cli_ops=args.cli_ops,
        kill_chance=args.kill_chance,
        progress=lambda line: print(line, flush=True),
    )
    started = time.perf_counter()
    try:
        report = soak.run()
    except SoakError as err:
        print(f"FAILED after {time.perf_counter() - started:.0f} s: {err}", flush=True)
        return 1
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"done in {time.perf_counter() - started:.0f} s: {report.summary()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
