"""Browser fixtures: the sample blog built once, served over http, and Debian's Chromium.

Nothing here skips. If Chromium, Java or the validator is missing, the tests fail and say why:
a browser suite that silently skips on a CI machine proves nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from .serving import build, copy_sample_blog, serve

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample blog, built with `--base-url /`; the output folder."""
    root = copy_sample_blog(tmp_path_factory.mktemp("sample-blog"))
    return build(root, "/", root / "site")


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built sample blog served at http://127.0.0.1:<free port>/ (ends with a slash)."""
    with serve(built_site) as url:
        yield url + "/"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Drive Debian's Chromium: Playwright's own browser download does not work offline."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: install it with "
                    "`apt-get install -y --no-install-recommends chromium fonts-liberation`")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
