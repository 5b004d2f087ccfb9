"""Rendered bodies kept between pages and builds (a `build.render.BodyStore`).

Converted Markdown is kept on disk (in packs: one for each process that converted bodies in a
build) under the hash the renderer gives (its text and link targets), so a body is converted once
whatever its routine tables show. Whole bodies, tables in place, are kept in memory (the last few
hundred, for the dev server) under a hash of all they are made from: the record and workouts
(their fingerprints) and `around` the build (the settings, what every template is given, the
routine table's templates, and every link target). So the feeds, which show the same twenty
bodies on every rebuild, cost a lookup each.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Callable

from fitfocus.incremental.cache import digest
from fitfocus.incremental.fingerprints import Fingerprints
from fitfocus.incremental.markdown_cache import MarkdownCache

RECENT_BODIES = 256


class KeyedBodies:
    """Converted Markdown on disk (`cache`); the recent whole bodies in memory."""

    def __init__(self, cache: MarkdownCache, fingerprints: Fingerprints) -> None:
        self.cache = cache
        self.fingerprints = fingerprints
        self.around = ""
        self._recent: OrderedDict[str, str] = OrderedDict()

    def start_build(self, around: str) -> None:
        """Begin a build; `around` hashes all a body depends on besides its record and workouts."""
        self.around = around

    def html(self, record: object, workouts: tuple[Any, ...], render: Callable[[], str]) -> str:
        """The body's HTML: remembered, stored, or rendered now and stored."""
        of = self.fingerprints.of
        key = digest(self.around, of(record), of(workouts))
        html = self._recent.get(key)
        if html is not None:
            self._recent.move_to_end(key)
            return html
        html = render()
        self._recent[key] = html
        if len(self._recent) > RECENT_BODIES:
            self._recent.popitem(last=False)
        return html

    def markdown(self, key: str, render: Callable[[], str]) -> str:
        """Converted Markdown: stored, or converted now and stored."""
        html = self.cache.get(key)
        if html is None:
            html = render()
            self.cache.put(key, html)
        return html

    def flush(self) -> None:
        """Store the bodies converted since the last flush (one file for all of them)."""
        self.cache.flush()
