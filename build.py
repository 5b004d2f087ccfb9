"""Build the workout blog: `python build.py [build|check|new] …` (see `python build.py --help`)."""

import sys

from fitfocus.cli import main

if __name__ == "__main__":
    sys.exit(main())
