"""Converted Markdown bodies kept between builds (the disk half of `incremental.bodies`), in
packs: one file for each process that converted bodies in a build, not one for each body."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
import zlib
from pathlib import Path

from fitfocus.incremental.cache import digest


class MarkdownCache:
    """Rendered Markdown bodies under `folder`, named by the hash of all they were rendered from.

    Each process that converts bodies appends them to a pack of its own as they come (a file
    written aside, holding no body in memory), and `flush` finishes it (its index of names, places
    and checksums at the end) and renames it into place (`*.pack`). A cold build of a thousand
    posts thus adds one file for each render process, not a thousand: on a file system that has
    just freed thousands of inodes, each new one costs a search. A build reads the index of each
    pack and then only the bodies it renders. `prune` merges the small packs and drops the
    oldest bodies. Without a folder, bodies are kept in memory for this run only.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._memory: dict[str, str] = {}  # without a folder
        self._writer: _PackWriter | None = None  # this process's pack, until `flush`
        self._index: dict[str, tuple[str, int, int, int]] = {}  # name -> (pack, offset, length, CRC-32)
        self._packs: set[str] = set()  # the packs in the index
        self._listed: int | None = None  # the folder's modification time when its packs were last listed

    def get(self, key: str) -> str | None:
        """The HTML stored under `key`, or None."""
        name = digest(key)  # the engine's fingerprint too: another version renders bodies otherwise
        if self.folder is None:
            return self._memory.get(name)
        writer = self._own_writer()
        if writer is not None and name in writer.places:
            data = writer.read(name)
        else:
            place = self._index.get(name)
            if place is None and self._list_packs():
                place = self._index.get(name)
            data = self._read(name, place) if place is not None else None
        return data.decode("utf-8", "surrogatepass") if data is not None else None

    def put(self, key: str, html: str) -> None:
        """Store `html` under `key` (in this process's pack, which `flush` finishes); a cache that
        cannot be written is skipped."""
        name = digest(key)
        if self.folder is None:
            self._memory[name] = html
            return
        writer = self._own_writer()
        try:
            if writer is None:
                writer = self._writer = _PackWriter(self.folder)
            writer.add(name, html.encode("utf-8", "surrogatepass"))
        except OSError:  # e.g. a full disk or a read-only checkout: the bodies are converted again next time
            if writer is not None:
                writer.abandon()
            self._writer = None

    def flush(self) -> None:
        """Finish this process's pack, so that other processes and later builds find its bodies."""
        writer = self._own_writer()
        self._writer = None
        if writer is None:
            return
        pack = writer.finish()
        if pack is not None:
            self._add_index(pack, {name: (pack, *place) for name, place in writer.places.items()})

    def stored(self) -> set[str]:
        """The names of the bodies the folder's packs hold."""
        self._list_packs()
        return set(self._index)

    def _own_writer(self) -> _PackWriter | None:
        """This process's pack being written; one a forked process inherited is its parent's, and left alone."""
        if self._writer is not None and self._writer.pid != os.getpid():
            self._writer.let_go()
            self._writer = None
        return self._writer

    def prune(self, keep: int) -> None:
        """Merge the packs when there are many, keeping the newest `keep` bodies (old versions of
        edited bodies go, mostly). The biggest pack (a whole build's) stays as it is while all it
        holds is kept, so a merge costs about what the edits since the last one wrote."""
        if self.folder is None:
            return
        _remove_unfinished(self.folder)
        self._list_packs()
        packs, sizes = [], {}
        for pack in self._packs:
            try:
                stat = os.stat(self.folder / pack)
            except OSError:
                continue
            packs.append((stat.st_mtime_ns, pack))
            sizes[pack] = stat.st_size
        packs.sort(reverse=True)  # the newest first
        if len(packs) <= _MOST_PACKS and len(self._index) <= keep:
            return
        biggest = max(sizes, key=sizes.__getitem__)
        seen: set[str] = set()
        whole: str | None = None
        merged: _PackWriter | None = None  # the kept bodies of the other packs, copied as they are read
        try:
            for _, pack in packs:
                entries = _pack_index(self.folder / pack) or {}
                fresh = {name: place for name, place in entries.items() if name not in seen}
                if pack == biggest and len(seen) + len(fresh) <= keep:
                    whole = pack
                    seen |= fresh.keys()
                    continue
                for name, place in sorted(fresh.items(), key=lambda item: item[1][1]):
                    if len(seen) >= keep:
                        break
                    data = self._read(name, place)
                    if data is not None:
                        merged = merged or _PackWriter(self.folder)
                        merged.add(name, data)
                        seen.add(name)
        except OSError:
            if merged is not None:
                merged.abandon()
            return  # the packs stay as they were
        written = merged.finish() if merged is not None else None
        if merged is not None and written is None:
            return
        for _, pack in packs:
            if pack not in (written, whole):
                try:
                    os.unlink(self.folder / pack)
                except OSError:
                    pass
        self._index, self._packs, self._listed = {}, set(), None

    def _list_packs(self) -> bool:
        """Read the index of each pack not read yet; whether the folder changed since it was last listed."""
        assert self.folder is not None
        try:
            stamp = os.stat(self.folder).st_mtime_ns
            if stamp == self._listed:
                return False
            names = [name for name in os.listdir(self.folder) if name.endswith(_PACK)]
        except OSError:
            return False
        self._listed = stamp
        gone = self._packs - set(names)
        if gone:
            self._index = {name: place for name, place in self._index.items() if place[0] not in gone}
            self._packs -= gone
        for pack in sorted(set(names) - self._packs):
            self._add_index(pack, _pack_index(self.folder / pack) or {})
        return True

    def _add_index(self, pack: str, entries: dict[str, tuple[str, int, int, int]]) -> None:
        self._packs.add(pack)
        for name, place in entries.items():
            self._index.setdefault(name, place)

    def _read(self, name: str, place: tuple[str, int, int, int]) -> bytes | None:
        """The bytes of the body at `place`, or None (and forgotten) when its pack is gone or damaged."""
        assert self.folder is not None
        pack, offset, length, check = place
        try:
            with open(self.folder / pack, "rb") as handle:
                handle.seek(offset)
                data = handle.read(length)
        except OSError:
            data = b""
        if len(data) != length or zlib.crc32(data) != check:
            self._index.pop(name, None)
            return None
        return data


# A pack: this line, the bodies' bytes, the index (JSON: name -> [offset from the start of the
# file, length, CRC-32 of the bytes]), and the index's offset, 16 decimal digits.
_PACK_MAGIC = b"fitfocus-bodies-2\n"
_PACK = ".pack"
_UNFINISHED = ".part"  # a pack being written (or left by a process that was killed)
_UNFINISHED_AGE = 3600  # seconds after which `prune` removes one
_MOST_PACKS = 16  # more than this many, and `prune` merges them


class _PackWriter:
    """One process's pack, written as the bodies come, through its file descriptor alone (no
    buffer a forked child could flush into it)."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.pid = os.getpid()
        self._fd, self._temporary = tempfile.mkstemp(prefix=".new-", suffix=_UNFINISHED, dir=folder)
        self.places: dict[str, list[int]] = {}
        self._size = 0
        self._content = hashlib.sha256()
        try:
            self._write(_PACK_MAGIC)
        except OSError:
            self.abandon()
            raise

    def add(self, name: str, data: bytes) -> None:
        offset = self._size
        self._write(data)
        self.places[name] = [offset, len(data), zlib.crc32(data)]
        self._content.update(data)

    def read(self, name: str) -> bytes | None:
        offset, length, check = self.places[name]
        try:
            data = os.pread(self._fd, length, offset)
        except OSError:
            return None
        return data if zlib.crc32(data) == check else None

    def finish(self) -> str | None:
        """Write the index, rename the pack into place; its file name, or None when that failed."""
        index = json.dumps(self.places, separators=(",", ":")).encode()
        self._content.update(index)
        pack = self._content.hexdigest()[:32] + _PACK
        try:
            self._write(index + b"%016d" % self._size)
            os.close(self._fd)
            self._fd = -1
            os.replace(self._temporary, self.folder / pack)
        except OSError:
            self.abandon()
            return None
        return pack

    def abandon(self) -> None:
        """Close and remove the unfinished pack."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        Path(self._temporary).unlink(missing_ok=True)

    def let_go(self) -> None:
        """In a forked child: close this process's copy of the descriptor; the parent goes on writing."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
            self._size += written


def _pack_index(path: Path) -> dict[str, tuple[str, int, int, int]] | None:
    """The index of the pack at `path` (name -> (pack, offset in the file, length, CRC-32)), or None
    when it is unreadable or not a pack."""
    try:
        with open(path, "rb") as handle:
            if handle.read(len(_PACK_MAGIC)) != _PACK_MAGIC:
                return None
            end = handle.seek(0, os.SEEK_END) - 16
            handle.seek(end)
            start = int(handle.read(16))
            if not len(_PACK_MAGIC) <= start <= end:
                return None
            handle.seek(start)
            places = json.loads(handle.read(end - start))
    except (OSError, ValueError):
        return None
    if not isinstance(places, dict):
        return None
    index = {}
    for name, place in places.items():
        if not (isinstance(place, list) and len(place) == 3 and all(type(value) is int for value in place)
                and len(_PACK_MAGIC) <= place[0] and place[0] + place[1] <= start):
            return None
        index[name] = (path.name, place[0], place[1], place[2])
    return index


def _remove_unfinished(folder: Path) -> None:
    """Remove the unfinished packs that killed processes left, once they are an hour old (a
    process still writing one touches it with each body)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    now = time.time()
    for entry in entries:
        if entry.name.endswith(_UNFINISHED):
            try:
                if now - entry.stat().st_mtime > _UNFINISHED_AGE:
                    os.unlink(entry.path)
            except OSError:
                pass
