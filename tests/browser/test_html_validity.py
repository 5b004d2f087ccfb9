"""The Nu HTML validator (vnu-jar from npm) over every page of the built sample blog."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_every_page_is_valid_html(built_site: Path) -> None:
    if not VNU.is_file():
        pytest.fail(f"{VNU.relative_to(REPO)} is missing: run `npm ci` in {REPO} to install the Nu validator")
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: install a Java runtime (`apt-get install default-jre-headless`)")
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 50, f"only {len(pages)} pages were built"
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--skip-non-html", "--also-check-css", str(built_site)],
        capture_output=True, text=True, timeout=300)
    report = (result.stdout + result.stderr).replace(built_site.as_uri(), "").replace(str(built_site), "")
    assert result.returncode == 0, f"the Nu validator found errors in the built site:\n{report}"
