"""Browser fixtures: the sample blog built once, served over http, and Debian's Chromium.

Nothing here skips. If Chromium, Java or the validator is missing, the tests fail and say why:
a browser suite that silently skips on a CI machine proves nothing.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# The same fixed "today" as tests/conftest.py, so scheduled posts do not depend on the clock.
TODAY_EPOCH = "1796083200"  # 2026-12-01


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample blog, built with `--base-url /`; the output folder."""
    root = tmp_path_factory.mktemp("sample-blog")
    for name in ("content", "exercises", "templates"):
        shutil.copytree(REPO / name, root / name)
    shutil.copyfile(REPO / "pyproject.toml", root / "pyproject.toml")
    out = root / "site"
    env = dict(os.environ, PYTHONPATH=str(REPO), SOURCE_DATE_EPOCH=TODAY_EPOCH)
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "build", "--base-url", "/", "--out", str(out)],
        cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"the sample blog did not build:\n{result.stdout}\n{result.stderr}"
    assert (out / "index.html").is_file(), f"no index.html in {out}:\n{result.stdout}\n{result.stderr}"
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built sample blog served at http://127.0.0.1:<free port>/ (ends with a slash)."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Drive Debian's Chromium: Playwright's own browser download does not work offline."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: install it with "
                    "`apt-get install -y --no-install-recommends chromium fonts-liberation`")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
