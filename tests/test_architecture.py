"""The layout holds: the import contracts in pyproject.toml are kept, and modules stay small."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO

MAX_LINES = 400


def test_the_import_contracts_are_kept() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_module_of_the_engine_is_over_400_lines() -> None:
    sizes = {path.relative_to(REPO).as_posix(): len(path.read_text().splitlines())
             for path in (REPO / "fitfocus").rglob("*.py")}
    assert {name: lines for name, lines in sizes.items() if lines > MAX_LINES} == {}


def test_the_top_level_holds_only_what_every_stage_uses() -> None:
    top = sorted(path.name for path in (REPO / "fitfocus").glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "cli.py", "config.py", "problems.py"]
