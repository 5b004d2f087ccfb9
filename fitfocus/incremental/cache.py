"""The build cache, kept in a folder that is safe to delete: its keys, and the pickled files of
loaded records and of what the last build wrote (converted Markdown is `markdown_cache`'s).

Every entry is keyed by a hash of its inputs plus a fingerprint of the engine itself (the source
of this package and the versions of the libraries that shape the output), so a stale entry can
only be missed, never served.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import re
import sys
import tempfile
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
