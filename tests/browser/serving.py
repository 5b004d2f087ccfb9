"""Helpers the browser tests share: copy the sample blog, build it, serve a folder on 127.0.0.1."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
# The same fixed "today" as tests/conftest.py, so scheduled posts do not depend on the clock.
TODAY_EPOCH = "1796083200"  # 2026-12-01


def copy_sample_blog(root: Path) -> Path:
    """Copy the repository's sample blog (content, exercises, templates, settings) to `root`."""
    for name in ("content", "exercises", "templates"):
        shutil.copytree(REPO / name, root / name)
    shutil.copyfile(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def build(root: Path, base_url: str, out: Path, search_part_size: int | None = None) -> Path:
    """Run `build.py build --base-url … --out …` in `root`; fail with its output if it fails. With
    `search_part_size`, the search index is made in parts of about that many pages (a small blog
    makes one part)."""
    env = dict(os.environ, PYTHONPATH=str(REPO), SOURCE_DATE_EPOCH=TODAY_EPOCH)
    command = [sys.executable, str(REPO / "build.py")]
    if search_part_size is not None:
        command = [sys.executable, "-c", "import sys; import fitfocus.build.search as search; "
                   f"search.part_size = lambda pages: {search_part_size}; "
                   "from fitfocus.cli import main; sys.exit(main(sys.argv[1:]))"]
    result = subprocess.run([*command, "build", "--base-url", base_url, "--out", str(out)],
                            cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{root} did not build:\n{result.stdout}\n{result.stderr}"
    assert (out / "index.html").is_file(), f"no index.html in {out}:\n{result.stdout}\n{result.stderr}"
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` at http://127.0.0.1:<free port> (no trailing slash) until the block ends."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
