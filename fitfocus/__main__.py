from fitfocus.cli import run

run()
