"""Search: the built site indexed with Pagefind (its binary comes from the `pagefind[bin]` package),
into `pagefind/` of the folder about to become the site."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from fitfocus.problems import BuildFailed, Problem

INDEX_FOLDER = "pagefind"


def index_site(folder: Path, output: Path | None = None) -> None:
    """Index the pages of `folder` that mark their text with `data-pagefind-body` (posts, exercises),
    into `folder/pagefind/`, or into `output` (the preview keeps its index outside the site)."""
    target = output or folder / INDEX_FOLDER
    shutil.rmtree(target, ignore_errors=True)
    try:
        result = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(folder), "--output-path",
                                 str(target), "--silent"], capture_output=True, text=True, timeout=600,
                                start_new_session=True)  # Ctrl-C stops us, and we stop it: never half of both
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BuildFailed([Problem("pyproject.toml", 1, 1, f"search index could not be made: {error}",
                                   "install the search indexer with `pip install 'pagefind[bin]'`, or set "
                                   "`search = false` under [tool.fitfocus]")]) from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BuildFailed([Problem("pyproject.toml", 1, 1,
                                   "search index could not be made: " + (detail[-1] if detail else "Pagefind failed"),
                                   "install the search indexer with `pip install 'pagefind[bin]'`, or set "
                                   "`search = false` under [tool.fitfocus]")])
