"""The preview `serve` keeps: one site built again and again through the pipeline, with what each
build worked out kept in memory for the next, and the files the watcher saw change.

It holds state and calls `build.pipeline.build`; it knows nothing about rendering. The folder
is always what a clean `build --drafts --future` writes (tests/serve/test_preview.py, the
browser tests).
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Collection
from dataclasses import replace

from fitfocus.build.pipeline import Built, Options, build
from fitfocus.incremental.state import BuildState


class PreviewSite:
    """A site built into `options.out` again and again."""

    def __init__(self, options: Options) -> None:
        self.options = options
        # Records are the same whatever the drafts option, so `build`'s cache warms the first build.
        self._state = BuildState.open(options.cache, keep_plans=True)  # its quick rebuilds start from the plans
        # Files changed since the last successful build, by the watcher; None: not known (look at all).
        self._pending: set[str] | None = None

    def build(self, today: datetime.date, changed: Collection[str] | None = None) -> Built:
        """Bring the folder up to date with the files; return the library and the site files whose bytes changed.

        `changed` names the files (absolute paths) changed since the last call, as the file watcher
        reports them; with it, other posts, exercises and pages are not looked at. On any problem
        raise BuildFailed and change nothing.
        """
        self._note_changes(changed)
        pending = frozenset(self._pending) if self._pending is not None else None
        built = build(replace(self.options, today=today), self._state, pending)
        self._pending = set()
        self._state.persist = False  # the first build shared its records with `build`; later ones stay in memory
        return built

    def _note_changes(self, changed: Collection[str] | None) -> None:
        """Add `changed` to the files changed since the last successful build (its records are the
        ones still kept); anything but Markdown files of the blog, or not knowing, means all."""
        root = os.path.abspath(self.options.root)
        names = {os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/") for path in changed or ()}
        if changed is None or not all(name.endswith(".md") and not name.startswith("..") for name in names):
            self._pending = None
        elif self._pending is not None:
            self._pending |= names

