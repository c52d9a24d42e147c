"""DoiChieu: with no arguments start the desktop app, otherwise run a CLI subcommand."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # the GUI's helper process, in a frozen build
    if len(sys.argv) == 1 or sys.argv[1] == "--open":  # --open FILE...: the window, importing FILEs
        from app.gui import run

        sys.exit(run())
    from app.cli import main

    sys.exit(main(sys.argv[1:]))
