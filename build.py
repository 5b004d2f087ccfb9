"""Build the workout blog: `python build.py [build|check|new] …` (see `python build.py --help`)."""

from fitfocus.cli import run

if __name__ == "__main__":
    run()
