"""The build cache: loaded records and rendered Markdown, kept in a folder that is safe to delete.

Every entry is keyed by a hash of its inputs plus a fingerprint of the engine itself (the source
of this package and the versions of the libraries that shape the output), so a stale entry can
only be missed, never served.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import pickle
import re
import sys
import tempfile
import zlib
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Iterator


# Bumped whenever the layout of the cache files changes.
_FORMAT = 1


# The libraries whose versions can change what a build writes.
_LIBRARIES = ("icalendar", "jinja2", "markdown", "markupsafe", "python-frontmatter", "pyyaml", "segno")


@lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    """A hash of this package's source, Python's and the libraries' versions: any change empties the cache."""
    digest = hashlib.sha256(f"{_FORMAT}|{sys.version}|{_installed(_LIBRARIES, sys.path)}".encode())
    package = Path(__file__).parent.parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _installed(names: tuple[str, ...], path: list[str]) -> str:
    """Which version of each library in `names` is installed, as the folder of its metadata says
    (`jinja2-3.1.6.dist-info`, or `.egg-info` where a distribution installed it), the first one
    found along `path`, as importing finds it; "?" for a library not found.

    (importlib.metadata gives the same answer, but importing it and what it needs is about 30 ms
    of every command; a listing of each folder of `path` is well under one.)"""
    wanted = {_normalized(name) for name in names}
    found: dict[str, str] = {}
    for folder in path:
        try:
            entries = os.listdir(folder or ".")
        except OSError:
            continue
        for entry in sorted(entries):
            match = _METADATA.fullmatch(entry)
            if match and _normalized(match[1]) in wanted:
                found.setdefault(_normalized(match[1]), match[2])
    return "|".join(f"{name}={found.get(_normalized(name), '?')}" for name in names)


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()  # as packaging names are compared (PEP 503)


# A distribution's metadata folder: `name-version.dist-info` or `name-version[-pyX.Y].egg-info`.
_METADATA = re.compile(r"([A-Za-z0-9][A-Za-z0-9._]*?)-([0-9][^-]*?)(?:-py[0-9.]+)?\.(?:dist|egg)-info")


def digest(*parts: str | bytes) -> str:
    """A hash of `parts` (separated, so ("ab", "c") and ("a", "bc") differ)."""
    hasher = hashlib.sha256(engine_fingerprint().encode())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def read_cache(folder: Path | None, name: str) -> dict:
    """The entries stored under `name`, or an empty dict when there are none or they are unreadable."""
    if folder is None:
        return {}
    try:
        with collection_paused(), (folder / f"{name}.pickle").open("rb") as handle:
            return _read_entries(handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError, TypeError,
            ValueError):
        return {}  # missing, from another version, or damaged: start again


@contextmanager
def collection_paused() -> Iterator[None]:
    """The garbage collector off meanwhile: unpickling makes many objects and no garbage, and
    collecting while it does only costs time."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _read_entries(handle: BinaryIO) -> dict:
    header = pickle.load(handle)
    if not isinstance(header, tuple) or len(header) != 3 or header[:2] != (_STREAM, engine_fingerprint()):
        return {}
    entries = {}
    for _ in range(header[2]):
        key, value = pickle.load(handle)
        entries[key] = value
    return entries if pickle.load(handle) == _STREAM else {}  # a file cut short raised EOFError before


def write_cache(folder: Path | None, name: str, entries: dict) -> None:
    """Store `entries` under `name`, atomically; a cache that cannot be written is skipped.

    Each entry is pickled apart (what it shares with others is written again), so that pickling
    the records of thousands of posts never holds a table of all their objects at once."""
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{name}-", dir=folder)
    except OSError:
        return  # a read-only checkout still builds, just without a cache
    try:
        with os.fdopen(handle, "wb") as stream:
            pickle.dump((_STREAM, engine_fingerprint(), len(entries)), stream, protocol=pickle.HIGHEST_PROTOCOL)
            for item in entries.items():  # each with a pickler of its own
                pickle.dump(item, stream, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(_STREAM, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, folder / f"{name}.pickle")
    except OSError:
        Path(temporary).unlink(missing_ok=True)  # e.g. a full disk: leave no half-written file behind


_STREAM = "fitfocus-cache-1"  # opens and closes a cache file: a file without the close was cut short


class MarkdownCache:
    """Rendered Markdown bodies under `folder`, named by the hash of all they were rendered from.

    A process keeps the bodies it converts in memory until `flush`, which writes them as one pack
    (`*.pack`: an index of names, places and checksums, then the bodies), written aside and renamed.
    A cold build of a thousand posts thus adds two or three files, not a thousand: on a file system
    that has just freed thousands of inodes, each new one costs a search. A build reads the index
    of each pack and then only the bodies it renders. `prune` merges the small packs and drops the
    oldest bodies. Without a folder, bodies are kept in memory for this run only.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._new: dict[str, str] = {}  # converted by this process since its last flush (by name)
        self._index: dict[str, tuple[str, int, int, int]] = {}  # name -> (pack, offset, length, CRC-32)
        self._packs: set[str] = set()  # the packs in the index
        self._listed: int | None = None  # the folder's modification time when its packs were last listed

    def get(self, key: str) -> str | None:
        """The HTML stored under `key`, or None."""
        name = digest(key)  # the engine's fingerprint too: another version renders bodies otherwise
        html = self._new.get(name)
        if html is not None or self.folder is None:
            return html
        place = self._index.get(name)
        if place is None and self._list_packs():
            place = self._index.get(name)
        return self._read(name, place) if place is not None else None

    def put(self, key: str, html: str) -> None:
        """Keep `html` under `key`; `flush` stores it."""
        self._new[digest(key)] = html

    def flush(self) -> None:
        """Store the bodies put since the last flush, as one pack; a cache that cannot be written is skipped."""
        if self.folder is None or not self._new:
            return
        pack = _write_pack(self.folder, self._new)
        if pack is not None:
            self._add_index(pack, _pack_index(self.folder / pack) or {})
        self._new = {}

    def stored(self) -> set[str]:
        """The names of the bodies the folder holds."""
        self._list_packs()
        return set(self._index)

    def prune(self, keep: int) -> None:
        """Merge the packs when there are many, keeping the newest `keep` bodies (old versions of
        edited bodies go, mostly). The biggest pack (a whole build's) stays as it is while all it
        holds is kept, so a merge costs about what the edits since the last one wrote."""
        if self.folder is None:
            return
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
        merged: dict[str, str] = {}
        seen: set[str] = set()
        whole: str | None = None
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
                html = self._read(name, place)
                if html is not None:
                    merged[name] = html
                    seen.add(name)
        written = _write_pack(self.folder, merged) if merged else None
        if merged and written is None:
            return  # the packs stay as they were
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

    def _read(self, name: str, place: tuple[str, int, int, int]) -> str | None:
        """The body at `place`, or None (and forgotten) when its pack is gone or damaged."""
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
        return data.decode("utf-8", "surrogatepass")


# A pack: this line, the length of its index in bytes and a newline, the index (JSON: name ->
# [offset from the start of the file, length, CRC-32 of the bytes]), then the bodies' bytes.
_PACK_MAGIC = b"fitfocus-bodies-1\n"
_PACK = ".pack"
_MOST_PACKS = 16  # more than this many, and `prune` merges them


def _write_pack(folder: Path, bodies: dict[str, str]) -> str | None:
    """Write `bodies` (name -> HTML) as a new pack in `folder`; its file name, or None when it cannot be written."""
    chunks = [html.encode("utf-8", "surrogatepass") for html in bodies.values()]
    places: dict[str, list[int]] = {}
    offset = 0
    for name, data in zip(bodies, chunks):
        places[name] = [offset, len(data), zlib.crc32(data)]
        offset += len(data)
    # The offsets are from the start of the bodies; the index says where those start.
    index = json.dumps(places, separators=(",", ":")).encode()
    head = _PACK_MAGIC + str(len(index)).encode() + b"\n" + index
    content = hashlib.sha256(head)
    for data in chunks:
        content.update(data)
    pack = content.hexdigest()[:32] + _PACK
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".new-", dir=folder)
    except OSError:
        return None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(head)
            stream.writelines(chunks)
        os.replace(temporary, folder / pack)
    except OSError:
        Path(temporary).unlink(missing_ok=True)  # e.g. a full disk: leave no half-written file behind
        return None
    return pack


def _pack_index(path: Path) -> dict[str, tuple[str, int, int, int]] | None:
    """The index of the pack at `path` (name -> (pack, offset in the file, length, CRC-32)), or None
    when it is unreadable or not a pack."""
    try:
        with open(path, "rb") as handle:
            if handle.read(len(_PACK_MAGIC)) != _PACK_MAGIC:
                return None
            size = int(handle.readline())
            places = json.loads(handle.read(size))
            start = handle.tell()
    except (OSError, ValueError):
        return None
    if not isinstance(places, dict):
        return None
    index = {}
    for name, place in places.items():
        if not (isinstance(place, list) and len(place) == 3 and all(isinstance(value, int) for value in place)):
            return None
        index[name] = (path.name, start + place[0], place[1], place[2])
    return index
