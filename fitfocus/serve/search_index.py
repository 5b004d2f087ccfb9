"""Search in the preview: the served folder indexed with Pagefind in the background after each
build that changed a page, into a folder of its own that the server answers `pagefind/` from.

A save never waits for the index: pages reload as soon as they are built, and the index follows
a moment later. Builds that come while it is indexing are gathered into one more run.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
from pathlib import Path

from fitfocus.build.search import Stopped, index_site
from fitfocus.problems import BuildFailed


class SearchIndexer:
    """Keeps `index` (served as `pagefind/`) up to date with the pages of `site`, off the build's path
    (with the parts of the index kept beside it, so that a run indexes only the changed ones)."""

    def __init__(self, site: Path, index: Path) -> None:
        self.site = site
        self.index = index
        self.parts = index.with_name(index.name + "-parts")
        self.done = threading.Event()  # set after each run; tests wait on it
        self._wanted = threading.Event()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def refresh(self) -> None:
        """Ask for a new index of the site as it is now; returns at once."""
        self.done.clear()
        self._wanted.set()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="search-index", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10) -> None:
        """End the indexing thread and the Pagefind runs it started (none is left writing)."""
        self._stopped.set()
        self._wanted.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        _yield_to_builds()
        while True:
            self._wanted.wait()
            if self._stopped.is_set():
                return
            self._wanted.clear()
            fresh = self.index.with_name(self.index.name + ".new")
            try:
                index_site(self.site, fresh, self.parts, self._stopped)
                self._swap(fresh)
            except Stopped:
                shutil.rmtree(fresh, ignore_errors=True)
                return
            except BuildFailed as failure:
                self._warn(failure.problems[0].message)
            except OSError as error:
                self._warn(f"the preview's search index could not be written: {error}")
            if not self._wanted.is_set():
                self.done.set()

    @staticmethod
    def _warn(message: str) -> None:
        print(f"warning: {message}; search in the preview shows the last index", file=sys.stderr, flush=True)

    def _swap(self, fresh: Path) -> None:
        """Put the new index in place of the old one; a request in between finds one or the other."""
        old = self.index.with_name(self.index.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.index.exists():
            self.index.rename(old)
        fresh.rename(self.index)
        shutil.rmtree(old, ignore_errors=True)


def _yield_to_builds() -> None:
    """Run this thread, and the Pagefind runs it starts (they inherit it), at a low priority, so that
    on a machine with few cores a rebuild after the next save does not wait for the index."""
    if not sys.platform.startswith("linux"):
        return  # elsewhere a priority is the whole process's: leave it
    thread = threading.get_native_id()  # on Linux a priority is a thread's own, and what it starts inherits it
    try:
        os.setpriority(os.PRIO_PROCESS, thread, min(os.getpriority(os.PRIO_PROCESS, thread) + _NICER, 19))
    except OSError:
        pass


_NICER = 10  # as `nice` lowers a command's priority
