"""The loading seam: a loader `Reader` that reuses the records of files unchanged since they were
last read, and keeps them for the next build.

A file's key is a hash of all `content.files.read_file` is given: the folder, the name, the bytes
and the whole `FileContext`. The record is a function of exactly those, so a record found under
its key is the one reading the file again would give. A file whose stamp (mtime, ctime, size,
inode) is the one recorded is not even read; one changed within the last two seconds is read
again next time, since its stamp may not show a second change in the same tick (git's "racily
clean" rule).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING, Iterable, NamedTuple

from fitfocus.build.render import die_with_parent
from fitfocus.content.files import FileContext, ReadFile, read_file
from fitfocus.content.loader import DiskReader, markdown_names
from fitfocus.incremental.cache import collection_paused, digest, read_cache, write_cache
from fitfocus.incremental.fingerprints import Fingerprints

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

_SETTLED_NS = 2_000_000_000

# Entries changed since the records cache was last written whole, past which it is written whole again.
RECENT_RECORDS = 64

Stamp = tuple[int, int, int, int]  # (mtime, ctime, size, inode)


def file_stamp(path: str | Path) -> Stamp | None:
    """What tells a file changed without reading it, or None when it is gone or not a regular file."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    if not S_ISREG(stat.st_mode):
        return None
    return stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino


def linked_stamp(path: str | Path) -> Stamp | None:
    """`file_stamp` of a file that is never changed in place, only linked to (which changes its ctime)."""
    stamp = file_stamp(path)
    return (stamp[0], 0, stamp[2], stamp[3]) if stamp is not None else None


class Entry(NamedTuple):
    """A file as it was last read."""

    key: str  # a hash of everything the file's record is made from (see the module docstring)
    read: ReadFile
    context: str  # the hash of the FileContext it was read with
    stamp: Stamp | None  # when trusted to tell "unchanged"
    routines: tuple[str, ...] = ()  # the fingerprint of each routine of its record


class CachedReader:
    """Reads files for the loader, reusing `previous` entries of unchanged files.

    `changed`, when given, names (from the root, e.g. `content/posts/x.md`) every file that can
    have been added, changed or removed since `previous` was made, as the dev server's file watcher
    reports them: no other file is looked at.
    """

    def __init__(self, previous: dict[str, Entry], changed: frozenset[str] | None = None, workers: int = 1) -> None:
        self.previous = previous
        self.changed = changed
        self.workers = workers  # processes that may parse files (see `read_ahead`)
        self.entries: dict[str, Entry] = {}  # what this run read, by path
        # After `keep_all_but`: the paths whose entries may differ from `previous` (the others are its own).
        self.only_changed: frozenset[str] | None = None
        self._contexts: dict[int, tuple[FileContext, str]] = {}
        self._ahead: _ReadAhead | None = None

    def names(self, root: Path, folder: str) -> list[str]:
        """The Markdown files of `folder` (with `changed`: the known ones and the changed ones)."""
        if self.changed is None:
            return DiskReader().names(root, folder)
        prefix = folder + "/"
        return markdown_names({name[len(prefix):] for name in (*self.previous, *self.changed) if name.startswith(prefix)})

    def keep_all_but(self, changed: frozenset[str]) -> None:
        """Take every previous entry but those of `changed` as this run's, unread (the quick load)."""
        self.entries = dict(self.previous)
        for path in changed:
            self.entries.pop(path, None)
        self.only_changed = changed

    def read_ahead(self, root: Path, paths: list[tuple[str, str]], context: FileContext) -> None:
        """With a second worker, a whole load (no watcher), and at least `READ_AHEAD_MIN` of `paths`
        without a record read in this `context` (a cold build, a new day): the last part of those
        (a little less than half) is read by a forked process meanwhile, and `read` takes its entries from it."""
        if self.workers < 2 or self.changed is not None:
            return
        salt = self._context_key(context)
        due = [(folder, name) for folder, name in paths
               if getattr(self.previous.get(f"{folder}/{name}"), "context", None) != salt]
        if len(due) >= READ_AHEAD_MIN:
            # The other process also pickles what it read, and starts later: it takes a little less.
            self._ahead = _ReadAhead.start(self, root, due[len(due) * _PARENT_SHARE // 100:], context)

    def read(self, root: Path, folder: str, name: str, context: FileContext) -> ReadFile | None:
        """`folder/name` read with `context`: the last read when nothing it depends on changed."""
        path = f"{folder}/{name}"
        ahead = self._ahead.entry(path) if self._ahead is not None else None
        if ahead is not None:
            self.entries[path] = ahead
            return ahead.read
        salt = self._context_key(context)
        entry = self.previous.get(path)
        if entry is not None and entry.context == salt and self.changed is not None and path not in self.changed:
            self.entries[path] = entry  # the watcher saw nothing happen to it
            return entry.read
        stamp = file_stamp(root / path)
        if stamp is None:
            return None
        if entry is not None and entry.context == salt and entry.stamp == stamp:
            self.entries[path] = entry
            return entry.read
        now = time.time_ns()
        try:
            data = (root / path).read_bytes()
        except OSError:
            return None  # removed while we looked
        key = digest(salt, folder, name, data)
        trusted = stamp if now - max(stamp[0], stamp[1]) > _SETTLED_NS else None
        if entry is not None and entry.key == key:
            self.entries[path] = entry._replace(stamp=trusted)
        else:
            read = read_file(root, folder, name, data, context)
            self.entries[path] = Entry(key, read, salt, trusted, _routine_keys(read))
        return self.entries[path].read

    def _context_key(self, context: FileContext) -> str:
        known = self._contexts.get(id(context))
        if known is None or known[0] is not context:
            known = (context, Fingerprints().of(context).hex())
            self._contexts[id(context)] = known
        return known[1]


# Fewer files to parse than this are parsed here: a second process would cost more than it saves.
READ_AHEAD_MIN = 200
_PARENT_SHARE = 55  # per cent of the files to parse that this process parses itself


class _ReadAhead:
    """Files read by a forked copy of a reader, their entries sent back once all are read."""

    def __init__(self, paths: set[str], receiver: Connection, process: BaseProcess) -> None:
        self._paths = paths
        self._receiver: Connection | None = receiver
        self._process = process
        self._entries: dict[str, Entry] = {}

    @classmethod
    def start(cls, reader: CachedReader, root: Path, paths: list[tuple[str, str]], context: FileContext) -> _ReadAhead:
        import multiprocessing  # here: most builds parse a few files, or none

        forking = multiprocessing.get_context("fork")
        receiver, sender = forking.Pipe(duplex=False)
        process = forking.Process(target=_read_in_child, args=(reader, root, paths, context, sender), daemon=True)
        process.start()
        sender.close()
        return cls({f"{folder}/{name}" for folder, name in paths}, receiver, process)

    def entry(self, path: str) -> Entry | None:
        """The entry the other process made for `path`, or None when it was not asked to read it, or
        did not (the file was gone, or the process failed): then it is read here."""
        if path not in self._paths:
            return None
        if self._receiver is not None:
            try:
                with collection_paused():
                    self._entries = self._receiver.recv() or {}
            except (EOFError, OSError):
                self._entries = {}
            self._receiver.close()
            self._receiver = None
            self._process.join()
        return self._entries.pop(path, None)


def _read_in_child(reader: CachedReader, root: Path, paths: list[tuple[str, str]], context: FileContext,
                   sender: Connection) -> None:
    die_with_parent()
    try:
        for folder, name in paths:
            reader.read(root, folder, name, context)
        sender.send(reader.entries)
    except Exception:  # noqa: BLE001 (any failure) the parent reads these files itself, and reports what it finds
        sender.send(None)
    finally:
        sender.close()


def entry_keys(entry: Entry) -> dict[int, str]:
    """The key of an entry's record (its file's), and of each routine (its own fingerprint) and routine
    item (its routine's and its place) in it, by identity, for Fingerprints."""
    record = entry.read.record
    if record is None:
        return {}
    keys = {id(record): entry.key}
    for routine, key in zip(record.body.routines, entry.routines):
        keys[id(routine)] = key
        for index, item in enumerate(routine.items):
            keys[id(item)] = f"{key}:{index}"
    return keys


def _routine_keys(read: ReadFile) -> tuple[str, ...]:
    """Each routine's own fingerprint: a routine is keyed by what it holds, not by its file, so editing
    the prose around it leaves its printable card alone."""
    if read.record is None:
        return ()
    fingerprints = Fingerprints()
    return tuple(fingerprints.of(routine).hex() for routine in read.record.body.routines)


class FileKeys:
    """The keys of the records of the entries last read, kept up to date entry by entry (a rebuild
    after one edit looks at one file's records, not a thousand). Each entry is held while its keys
    are, so no other object can take the identity of one of its records."""

    def __init__(self) -> None:
        self.keys: dict[int, str] = {}
        self._entries: dict[str, Entry] = {}

    def update(self, entries: dict[str, Entry], previous: dict[str, Entry] | None = None,
               changed: frozenset[str] | None = None) -> dict[int, str]:
        """Make the keys those of `entries`; return them. When `entries` are `previous` but for the
        `changed` paths, and `previous` were the last update's, only those paths are looked at."""
        if changed is not None and previous is not None and previous is self._entries:
            paths: Iterable[str] = changed
        else:
            paths = self._entries.keys() | entries.keys()
        moved = [path for path in paths if self._entries.get(path) is not entries.get(path)]
        for path in moved:  # all old keys out first: an entry may have moved from one path to another
            if path in self._entries:
                for identity in entry_keys(self._entries[path]):
                    self.keys.pop(identity, None)
        for path in moved:
            if path in entries:
                self.keys.update(entry_keys(entries[path]))
        self._entries = entries  # the reader's, never changed once keyed
        return self.keys


class RecordsCache:
    """The records of the last build on disk: a whole file, and the entries changed since."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._stored = read_cache(folder, "records")
        self._recent = read_cache(folder, "records-recent")

    def entries(self) -> dict[str, Entry]:
        """Every entry the last build kept."""
        merged = {**self._stored, **self._recent}
        return {name: entry for name, entry in merged.items() if isinstance(entry, Entry)}

    def store(self, entries: dict[str, Entry]) -> None:
        """Keep this run's entries: the ones that differ from the stored whole go to a small second
        file (None for a file gone), so editing one post does not rewrite the records of all."""
        def stamp(entry: object) -> tuple:
            return getattr(entry, "key", None), getattr(entry, "stamp", None)

        recent: dict = {name: entry for name, entry in entries.items() if stamp(entry) != stamp(self._stored.get(name))}
        recent.update((name, None) for name in self._stored if name not in entries)
        if len(recent) > RECENT_RECORDS:
            write_cache(self.folder, "records", entries)
            self._stored, recent = dict(entries), {}
        if {name: stamp(entry) for name, entry in recent.items()} != {name: stamp(e) for name, e in self._recent.items()}:
            write_cache(self.folder, "records-recent", recent)
        self._recent = recent
