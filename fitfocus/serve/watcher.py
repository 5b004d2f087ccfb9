"""Watches files through the operating system's notifications and hands over each settled burst of changes."""

from __future__ import annotations

import os
import threading
import time
import warnings
from pathlib import Path
from typing import Callable

from watchdog.events import (EVENT_TYPE_CREATED, EVENT_TYPE_DELETED, EVENT_TYPE_MOVED, DirCreatedEvent,
                             DirDeletedEvent, DirMovedEvent, FileAttribEvent, FileClosedEvent, FileCreatedEvent,
                             FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileSystemEvent,
                             FileSystemEventHandler)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch


# What the watcher asks the operating system for: files written, added, removed or renamed, and folders
# added, removed or renamed. Opening and reading are left out, or every build would start the next one.
WATCHED_EVENTS: list[type[FileSystemEvent]] = [
    FileCreatedEvent, FileModifiedEvent, FileAttribEvent, FileClosedEvent, FileDeletedEvent, FileMovedEvent,
    DirCreatedEvent, DirDeletedEvent, DirMovedEvent,
]
STOP_CHECK = 0.05  # seconds: `stop` is a plain Event, which cannot wake a waiting Condition


class Watcher:
    """Notices files added, changed, removed or renamed under some paths; waits for a burst to settle.

    The operating system reports each change as it happens (inotify on Linux, FSEvents on macOS,
    ReadDirectoryChangesW on Windows, through the watchdog package), so a save is seen within
    milliseconds. Folders are watched with everything below them, folders made later included. A
    single file is watched through its folder, which also sees an editor save it by renaming a new
    file over it. A path that does not exist yet is waited for from its nearest existing parent.
    Hidden files and folders (`.x.swp`, `.#x.md`, `.git/`) are left out.
    """

    def __init__(self, paths: list[Path], quiet: float = 0.005, longest: float = 2.0) -> None:
        self.paths = [os.path.abspath(path) for path in paths]
        self.quiet = quiet  # how long no event may arrive before a burst counts as over
        self.longest = longest  # the longest a burst may delay a rebuild
        # The watched paths and every folder above them: when one of them appears, goes or moves,
        # what has to be watched changes.
        self._ancestry: set[str] = set()
        for path in self.paths:
            while path not in self._ancestry:
                self._ancestry.add(path)
                path = os.path.dirname(path)
        self._condition = threading.Condition()  # guards the five fields below; the observer's thread fills them
        self._changed: set[str] = set()  # files changed since `wait` last returned
        self._folders_gone: set[str] = set()  # folders removed or moved away since then
        self._first = 0.0  # when the first of these changes came (time.monotonic)
        self._last = 0.0  # when the latest came
        self._to_rewatch: set[str] = set()  # paths of `_ancestry` that appeared, went or moved
        # Serialises (un)scheduling between `wait` and `close`. The observer is never called with
        # _condition held: (un)scheduling waits for its thread, which may be waiting to record an event.
        self._scheduling = threading.Lock()
        self._closed = False
        self._watches: dict[tuple[str, bool], ObservedWatch] = {}  # (folder, recursive) -> its watch
        self._ended: set[tuple[str, bool]] = set()  # watches whose folder was found missing
        self._kinds: dict[str, str | None] = {}  # what each watched path was at the last look
        self._handler = _Forward(self._record)
        # When `mkdir -p` (or `git checkout`) makes nested folders, watchdog may add the same inner folder
        # twice and warn about it; the second watch replaces the first, so nothing is lost or reported twice.
        warnings.filterwarnings("ignore", r"Callback with id .* already exists", RuntimeWarning, r"watchdog\.")
        self._observer: BaseObserver = Observer()
        self._observer.start()
        _, self._to_rewatch = self._update_watches(set())

    def wait(self, stop: threading.Event) -> list[str] | None:
        """Block until files changed and then no event came for `quiet` seconds; return their paths, sorted.

        Returns None once `stop` is set (or the watcher is closed). Changes made while the caller
        works on the result are returned by the next call.
        """
        while not stop.is_set() and not self._closed:
            with self._condition:
                rewatch, self._to_rewatch = self._to_rewatch, set()
                if not rewatch:
                    timeout = STOP_CHECK
                    if self._changed or self._folders_gone:
                        now = time.monotonic()
                        settled = min(self._last + self.quiet, self._first + self.longest)
                        if now >= settled:
                            return self._take()
                        timeout = min(settled - now, STOP_CHECK)
                    self._condition.wait(timeout)  # an event wakes it at once
                    continue
            found, retry = self._update_watches(rewatch)  # not under _condition: see _scheduling
            with self._condition:
                self._to_rewatch |= retry
                if found:
                    self._add(found, set())
        return None

    def close(self) -> None:
        """Stop watching and end the observer's threads; `wait` returns None from now on."""
        with self._scheduling:
            if self._closed:
                return
            self._closed = True
        self._observer.stop()
        self._observer.join()

    def _record(self, event: FileSystemEvent) -> None:
        """Note one event (on the observer's thread): the files it touched, and whether to watch anew."""
        source = os.fsdecode(event.src_path)
        target = os.fsdecode(event.dest_path) if event.dest_path else ""
        files: set[str] = set()
        folders: set[str] = set()
        rewatch: set[str] = set()
        for path in (source, target) if target else (source,):
            if path in self._ancestry and event.event_type in (EVENT_TYPE_CREATED, EVENT_TYPE_DELETED,
                                                               EVENT_TYPE_MOVED):
                rewatch.add(path)
            if not self._visible(path):
                continue
            if not event.is_directory:
                files.add(path)
            elif event.event_type == EVENT_TYPE_DELETED or (path == source and event.event_type == EVENT_TYPE_MOVED
                                                             and not self._visible(target)):
                folders.add(path)
        with self._condition:
            self._to_rewatch |= rewatch
            if files or folders:
                self._add(files, folders)
            if files or folders or rewatch:
                self._condition.notify_all()

    def _add(self, files: set[str], folders_gone: set[str]) -> None:
        """Count `files` as changed and `folders_gone` as gone, now; the caller holds `_condition`."""
        now = time.monotonic()
        if not self._changed and not self._folders_gone:
            self._first = now
        self._changed |= files
        self._folders_gone |= folders_gone
        self._last = now

    def _take(self) -> list[str]:
        """The changes gathered so far, sorted, and forget them; the caller holds `_condition`."""
        files, folders = self._changed, self._folders_gone
        self._changed, self._folders_gone = set(), set()
        # A folder removed, or moved where nothing is watched, took its files along; they are reported
        # one by one only when they were removed first (`rm -r`), so otherwise name the folder.
        named = {folder for folder in folders if not any(path.startswith(folder + os.sep) for path in files)}
        return sorted(files | named)

    def _visible(self, path: str) -> bool:
        """Whether `path` is a watched path or lies under one, with no hidden name on the way."""
        for root in self.paths:
            if path == root:
                return True
            if path.startswith(root + os.sep) and not any(
                    name.startswith(".") for name in path[len(root) + 1:].split(os.sep)):
                return True
        return False

    def _update_watches(self, rewatch: set[str]) -> tuple[set[str], set[str]]:
        """Watch what exists now: each folder with all below it, and the nearest existing folder above each path.

        `rewatch` names the paths that appeared, went or moved since the last update: a folder there
        now may be a new one, which needs a new watch. Returns the files of watched paths that
        appeared (a folder that appeared: every file in it), and the paths to look at again because
        they went while being watched.
        """
        with self._scheduling:
            if self._closed:
                return set(), set()
            first = not self._kinds
            kinds = {path: _kind(path) for path in self.paths}
            wanted: set[tuple[str, bool]] = set()
            for path, kind in kinds.items():
                above = _nearest_folder(os.path.dirname(path))
                if above is not None:
                    wanted.add((above, False))
                if kind == "folder":
                    wanted.add((path, True))
            for key, watch in list(self._watches.items()):
                if not os.path.isdir(key[0]):
                    # Its watch ends by itself once it has reported the folder gone; unscheduling it now
                    # could drop what it has not delivered yet, such as the files removed with it.
                    self._ended.add(key)
                elif key not in wanted or key in self._ended or key[0] in rewatch:
                    self._observer.unschedule(watch)
                    del self._watches[key]
                    self._ended.discard(key)
            added: set[tuple[str, bool]] = set()
            retry: set[str] = set()
            for key in sorted(wanted - self._watches.keys()):
                try:
                    self._watches[key] = self._observer.schedule(self._handler, key[0], recursive=key[1],
                                                                 event_filter=WATCHED_EVENTS, follow_symlink=True)
                except (FileNotFoundError, NotADirectoryError):
                    retry.add(key[0])  # went since we looked
                    continue
                added.add(key)
            found: set[str] = set()
            if not first:
                for path, kind in kinds.items():
                    if (path, True) in added:
                        found |= _files_under(path)  # made before its watch started: no event for them
                    elif kind == "file" and self._kinds[path] != "file":
                        found.add(path)
            self._kinds = kinds
            return found, retry


class _Forward(FileSystemEventHandler):
    """Hands every event the observer dispatches to one function."""

    def __init__(self, record: Callable[[FileSystemEvent], None]) -> None:
        self.record = record

    def dispatch(self, event: FileSystemEvent) -> None:
        self.record(event)


def _kind(path: str) -> str | None:
    """"folder", "file", or None when nothing is at `path`."""
    if os.path.isdir(path):
        return "folder"
    return "file" if os.path.exists(path) else None


def _nearest_folder(path: str) -> str | None:
    """`path` if it is a folder, else the nearest folder above it; None when there is none."""
    while not os.path.isdir(path):
        parent = os.path.dirname(path)
        if parent == path:
            return None
        path = parent
    return path


def _files_under(folder: str) -> set[str]:
    """Every file below `folder`, leaving out hidden files and folders."""
    found: set[str] = set()
    for parent, folders, files in os.walk(folder, followlinks=True):
        folders[:] = [name for name in folders if not name.startswith(".")]
        found.update(os.path.join(parent, name) for name in files if not name.startswith("."))
    return found
