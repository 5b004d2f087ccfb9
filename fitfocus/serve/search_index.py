"""The preview's search index, made in the background after each rebuild, so that a save reloads
the page as fast as without search. It is kept beside the served folder (the server serves it at
`pagefind/`), and swapped in whole when it is made, so a search never reads half an index.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path


class PreviewIndex:
    """Indexes `site` into `folder` whenever `refresh` is called, one run at a time; a refresh asked
    for while a run is under way starts one more run when it ends."""

    def __init__(self, site: Path, folder: Path) -> None:
        self.site = site
        self.folder = folder
        self._wanted = threading.Event()
        self._lock = threading.Lock()
        self._running = False
        self.runs = 0  # finished runs, for tests and the terminal

    def refresh(self) -> None:
        """Make the index again, in the background."""
        self._wanted.set()
        with self._lock:
            if self._running:
                return
            self._running = True
        threading.Thread(target=self._run, name="fitfocus-search-index", daemon=True).start()

    def _run(self) -> None:
        try:
            while self._wanted.is_set():
                self._wanted.clear()
                self._index_once()
                self.runs += 1
        finally:
            with self._lock:
                self._running = False
            if self._wanted.is_set():  # asked for again just as the loop ended
                self.refresh()

    def _index_once(self) -> None:
        fresh = self.folder.with_name(self.folder.name + ".new")
        shutil.rmtree(fresh, ignore_errors=True)
        try:
            result = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(self.site), "--output-path",
                                     str(fresh), "--silent"], capture_output=True, text=True, timeout=600)
        except (OSError, subprocess.TimeoutExpired) as error:
            print(f"warning: the preview's search index was not made: {error}", file=sys.stderr, flush=True)
            return
        if result.returncode != 0 or not fresh.is_dir():
            detail = (result.stderr or result.stdout).strip().splitlines()
            print(f"warning: the preview's search index was not made: {detail[-1] if detail else 'Pagefind failed'}",
                  file=sys.stderr, flush=True)
            shutil.rmtree(fresh, ignore_errors=True)
            return
        old = self.folder.with_name(self.folder.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.folder.exists():
            os.rename(self.folder, old)
        os.rename(fresh, self.folder)
        shutil.rmtree(old, ignore_errors=True)
