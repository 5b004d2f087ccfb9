"""The dev server's quick load: when the watcher names only files the last build read, and none of
them has a problem before or after, the last build's `Loaded` is taken with just those files read
again, instead of listing every folder and asking for every file's record.

The result is what `content.loader.load_content` would make (tests/incremental/test_reload.py
compares them); anything else (a new or removed file, settings, media, a file with a problem)
loads everything as usual.
"""

from __future__ import annotations

import datetime
from dataclasses import replace

from fitfocus.config import Config
from fitfocus.content.files import FileContext, ReadFile
from fitfocus.content.loader import FOLDERS, Loaded
from fitfocus.incremental.records import CachedReader
from fitfocus.incremental.state import LastBuild

_FIELDS = {"exercises": "exercises", "content/posts": "posts", "content/pages": "pages", "content/plans": "plans"}


def reloaded(last: LastBuild | None, config: Config, today: datetime.date, reader: CachedReader,
             changed: frozenset[str] | None) -> Loaded | None:
    """The last build's content with the `changed` files read again, or None to load everything."""
    if last is None or changed is None or not changed or last.library.config != config:
        return None
    before = last.loaded
    if before.content.today != today or any(path not in before.files or before.files[path].problems
                                            or before.files[path].record is None for path in changed):
        return None
    context = FileContext(config, today, before.content.media)
    reader.keep_all_but(changed)
    fresh: dict[str, ReadFile] = {}
    for path in sorted(changed):
        folder, _, name = path.rpartition("/")
        read = reader.read(config.root, folder, name, context) if folder in FOLDERS else None
        if read is None or read.problems or read.record is None:
            reader.entries.clear()  # the whole load reads every file again, and reports it or finds it gone
            reader.only_changed = None
            return None
        fresh[path] = read
    swapped = {id(before.files[path].record): read.record for path, read in fresh.items()}
    content = before.content
    for folder, field in _FIELDS.items():
        if any(path.startswith(folder + "/") for path in fresh):
            records = getattr(content, field)
            content = replace(content, **{field: tuple(map(swapped.get, map(id, records), records))})
    files = dict(before.files)  # every path is there already: the order stays the whole load's
    files.update(fresh)
    return Loaded(content, list(before.problems), files)
