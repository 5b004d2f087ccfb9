"""Preview builds for `serve`: what the last build worked out stays in memory, so a rebuild
redoes, and writes, only what the changed files touch.

A rebuild reads the files as `build` does (unchanged ones are known by their stamps). Then:

- when the only changes are posts edited without changing what any other page shows of them
  (`library.post_interface`: their teaser, routines, exercise links, slug, date, state), the
  last build's library and plans are kept with those posts put in, and only the posts' own pages
  and the feeds carrying them are planned, keyed and rendered again (`plan.replan_edited_posts`);
- otherwise the whole pipeline runs (index, check, plan, page keys), with a memory of the last
  build (`memo.Memory`), so unchanged posts' plans and fingerprints are reused.

Either way only pages whose key changed are rendered, and only files whose bytes changed are
replaced, one by one, in place. The folder is always what a clean `build --drafts --future`
writes: tests/test_preview.py, tests/test_serve.py and the browser tests compare them after every
kind of change.
"""

from __future__ import annotations

import datetime
import hashlib
import os
from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path


from fitfocus.incremental.cache import read_cache
from fitfocus.config import Config
from fitfocus.content.library import Library, post_interface, with_posts_replaced
from fitfocus.incremental.memo import Memory
from fitfocus.content.model import Post
from fitfocus.pages.plan import PagePlan, plan_pages, replan_edited_posts
from fitfocus.problems import BuildFailed
from fitfocus.pages.feeds import read_cname
from fitfocus.build.render import PageKeys, Renderer, page_keys, templates_read_posts
from fitfocus.build.pipeline import LoadedFiles, Options, cached_records, render_staged, store_records, checked_library, load_files, markdown_cache, site_copies
from fitfocus.content.validate import check_post
from fitfocus.pages.urls import output_file
from fitfocus.build.write import MARKER, Staging, check_output, update_in_place


# More posts edited at once than this (a `git checkout`, a search and replace) are rebuilt the long way.
QUICK_EDITS = 20


@dataclass(frozen=True)
class _LastBuild:
    """What a quick rebuild starts from."""

    config: Config
    media: frozenset[str]
    cname: str | None
    templates: bytes
    library: Library
    plans: list[PagePlan]


class PreviewSite:
    """A site built into `options.out` again and again; what the last build knew stays in memory."""

    def __init__(self, options: Options) -> None:
        self.options = options
        # Records and Markdown are the same whatever the drafts option, so `build`'s cache warms the first build.
        self._records = cached_records(options.cache)
        self._markdown = markdown_cache(options)
        self._keys: dict[str, str] = {}  # output file -> key of the page now in the folder
        self._copied: dict[str, tuple[Path, int, int]] = {}  # site path -> (source, mtime, size) now in the folder
        self._files: set[str] = set()  # every file in the folder; empty until the first build
        self._checked_templates = b""  # a hash of the templates last found free of syntax errors
        self._memory = Memory()  # plans, fingerprints and lookups of the last build
        self._renderer: Renderer | None = None  # compiled templates
        self._last: _LastBuild | None = None  # the last successful build, for quick rebuilds
        # Markdown files changed since the last successful build, by the watcher; None: not known.
        self._pending: set[str] | None = None

    def build(self, today: datetime.date, changed: Collection[str] | None = None) -> tuple[Library, list[str]]:
        """Bring the folder up to date with the files; return the library and the site paths whose bytes changed.

        `changed` names the files (absolute paths) changed since the last call, as the file watcher
        reports them; with it, other posts, exercises and pages are not looked at. On any problem
        raise BuildFailed and change nothing.
        """
        options = replace(self.options, today=today)
        templates = _templates_hash(options.templates)
        first = not self._files or not (options.out / MARKER).is_file()
        self._note_changes(None if first else changed)
        loaded = load_files(options, self._records, frozenset(self._pending) if self._pending is not None else None)
        edited = None if first else self._edited_posts(loaded, templates)
        quick = self._quick(options, loaded, edited) if edited is not None else None
        if quick is None:
            self._memory.start_build()
            library = checked_library(options, loaded, templates_checked=templates == self._checked_templates,
                                      memo=self._memory.values)
            self._checked_templates = templates
        problems = check_output(options.out, options.root)
        if problems:
            raise BuildFailed(problems)
        if quick is not None:
            library, plans, keys, fresh = quick
        else:
            plans = plan_pages(library, self._memory.values)
            keys = page_keys(plans, library, options.templates, self._memory)
            fresh = [plan for plan, (name, key) in zip(plans, keys.items()) if first or self._keys.get(name) != key]
        if self._renderer is None:
            self._renderer = Renderer(options.templates)
        staging = render_staged(fresh, library, options, self._markdown, self._renderer)
        copies = site_copies(options)
        try:
            if first:
                changed = self._replace_folder(staging, copies)
            else:
                changed = self._update_folder(staging, [output_file(p.path) for p in fresh], copies, keys)
        except BaseException:
            staging.discard()
            self._files = set()  # the folder is in an unknown state: the next build starts over
            self._last = None
            raise
        self._keys = keys
        self._copied = {name: _stamp(source) for name, source in copies.items()}
        self._files = set(keys) | set(copies) | {MARKER}
        self._records = loaded.records
        self._pending = set()
        self._last = _LastBuild(loaded.config, loaded.content.media, read_cname(loaded.config), templates, library,
                                plans)
        if first:  # share what the first build learnt with `build`; later rebuilds keep it in memory
            store_records(options.cache, loaded.records, read_cache(options.cache, "records"))
        return library, changed

    def _note_changes(self, changed: Collection[str] | None) -> None:
        """Add `changed` to the Markdown files changed since the last successful build (the records
        it left are the ones still kept); anything but Markdown files, or not knowing, means all."""
        root = os.path.abspath(self.options.root)
        names = {os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/") for path in changed or ()}
        if changed is None or not all(name.endswith(".md") and not name.startswith("..") for name in names):
            self._pending = None
        elif self._pending is not None:
            self._pending |= names

    def _edited_posts(self, loaded: LoadedFiles, templates: bytes) -> dict[str, Post] | None:
        """The posts edited since the last build, by slug, when nothing else changed and none of them
        changed its interface (library.post_interface); otherwise None."""
        last = self._last
        if (last is None or loaded.problems or templates != last.templates or loaded.config != last.config
                or loaded.content.media != last.media or read_cname(loaded.config) != last.cname
                or loaded.records.keys() != self._records.keys() or templates_read_posts(self.options.templates)):
            return None
        edited: dict[str, Post] = {}
        for name, entry in loaded.records.items():
            before = self._records[name].record
            if entry.record is before:
                continue
            if (not isinstance(entry.record, Post) or not isinstance(before, Post) or entry.problems
                    or post_interface(entry.record) != post_interface(before) or len(edited) >= QUICK_EDITS):
                return None
            edited[entry.record.slug] = entry.record
        return edited

    def _quick(self, options: Options, loaded: LoadedFiles,
               edited: dict[str, Post]) -> tuple[Library, list[PagePlan], dict[str, str], list[PagePlan]] | None:
        """Posts edited without changing their interface: only their own pages and feeds can change.

        Returns (library, plans, page keys, plans to render), the same a whole rebuild would work
        out, without indexing, checking or planning the rest of the site again; or None when an
        edited post has problems (the whole rebuild reports them, with everything else).
        """
        last = self._last
        assert last is not None
        library = with_posts_replaced(last.library, edited)
        if any(check_post(post, library, loaded.content.broken) for post in edited.values()):
            return None
        plans, changed = replan_edited_posts(last.plans, library, edited)
        page_key = PageKeys(library, options.templates, self._memory).key
        keys = dict(self._keys)
        for plan in changed:
            keys[output_file(plan.path)] = page_key(plan)
        fresh = [plan for plan in changed if self._keys.get(output_file(plan.path)) != keys[output_file(plan.path)]]
        return library, plans, keys, fresh

    def _replace_folder(self, staging: Staging, copies: dict[str, Path]) -> list[str]:
        """The first build: the whole site, swapped in for whatever the folder held."""
        for name, source in copies.items():
            staging.copy(name, source)
        staging.finish()
        return sorted(_files_in(self.options.out))

    def _update_folder(self, staging: Staging, rendered: list[str], copies: dict[str, Path],
                       keys: dict[str, str]) -> list[str]:
        """Move the rendered pages whose bytes changed into the folder, copy changed files, remove stale ones."""
        removed = sorted(self._files - set(keys) - set(copies) - {MARKER})
        changed_copies = {name: source for name, source in copies.items()
                          if self._copied.get(name) != _stamp(source) or name not in self._files}
        return update_in_place(self.options.out, staging, rendered, changed_copies, removed)


def _templates_hash(templates: Path) -> bytes:
    hasher = hashlib.sha256()
    for path in sorted(templates.rglob("*")):
        if path.is_file():
            hasher.update(path.relative_to(templates).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return hasher.digest()


def _stamp(source: Path) -> tuple[Path, int, int, int, int]:
    stat = source.stat()
    return source, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino


def _files_in(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
