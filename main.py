"""DoiChieu: with no arguments start the desktop app, otherwise run a CLI subcommand."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
