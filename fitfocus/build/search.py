"""Search: the built site indexed with Pagefind (its binary comes from the `pagefind[bin]` package),
into `pagefind/` of the folder about to become the site."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from fitfocus.problems import BuildFailed, Problem

INDEX_FOLDER = "pagefind"


def index_site(folder: Path) -> None:
    """Index the pages of `folder` that mark their text with `data-pagefind-body` (posts, exercises)."""
    shutil.rmtree(folder / INDEX_FOLDER, ignore_errors=True)
    try:
        result = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(folder), "--output-subdir",
                                 INDEX_FOLDER, "--silent"], capture_output=True, text=True, timeout=600)
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
