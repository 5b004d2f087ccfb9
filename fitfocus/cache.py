"""The build cache: loaded records and rendered Markdown, kept in a folder that is safe to delete.

Every entry is keyed by a hash of its inputs plus a fingerprint of the engine itself (the source
of this package and the versions of the libraries that shape the output), so a stale entry can
only be missed, never served.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import tempfile
import types
from functools import lru_cache
from pathlib import Path

import jinja2
import markdown
import yaml

# Bumped whenever the layout of the cache files changes.
_FORMAT = 1


@lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    """A hash of this package's source and the library versions: any change empties the cache."""
    digest = hashlib.sha256(f"{_FORMAT}|{markdown.__version__}|{jinja2.__version__}|{yaml.__version__}".encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


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
        with (folder / f"{name}.pickle").open("rb") as handle:
            stored = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError, TypeError,
            ValueError):
        return {}  # missing, from another version, or damaged: start again
    if not isinstance(stored, dict) or stored.get("engine") != engine_fingerprint():
        return {}
    entries = stored.get("entries")
    return entries if isinstance(entries, dict) else {}


def write_cache(folder: Path | None, name: str, entries: dict) -> None:
    """Store `entries` under `name`, atomically; a cache that cannot be written is skipped."""
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{name}-", dir=folder)
    except OSError:
        return  # a read-only checkout still builds, just without a cache
    try:
        with os.fdopen(handle, "wb") as stream:
            pickle.dump({"engine": engine_fingerprint(), "entries": entries}, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, folder / f"{name}.pickle")
    except OSError:
        Path(temporary).unlink(missing_ok=True)  # e.g. a full disk: leave no half-written file behind


_PLAIN = (str, int, float, bool, type(None))


class Fingerprints:
    """Hashes of values built from records, tuples, lists, dicts and plain values.

    Records and containers are hashed once while they live (by identity, so they must not change
    once hashed): a listing of a thousand posts costs a thousand lookups, and a rebuild that plans
    the same objects again costs nothing. What one build hashed is remembered through the next
    (`start_build` forgets the rest); each value is held, so its identity cannot pass to another.

    A record read from a file (one with a `key`) is hashed by that key. Unknown objects fall back
    to `repr`, which can only cause a cache miss, never a stale hit, unless their repr hides state.
    """

    def __init__(self) -> None:
        self._previous: dict[int, tuple[object, bytes]] = {}
        self._current: dict[int, tuple[object, bytes]] = {}

    def start_build(self) -> None:
        """Begin a build: remember what the last one hashed, forget what it did not."""
        if self._current:
            self._previous, self._current = self._current, {}

    def of(self, value: object) -> bytes:
        """The fingerprint of `value`."""
        if type(value) in _PLAIN:
            return f"{type(value).__name__}:{value!r}".encode("utf-8", "surrogatepass")
        known = self._current.get(id(value))
        if known is None:
            known = self._previous.pop(id(value), None)
            if known is None or known[0] is not value:
                known = (value, self._hash(value))
            self._current[id(value)] = known
        return known[1]

    def _hash(self, value: object) -> bytes:
        kind = type(value)
        parts = [kind.__qualname__.encode()]
        names = _record_fields(kind)
        if names is not None:
            key = getattr(value, "key", None)
            if isinstance(key, str) and key:
                parts.append(key.encode())  # a record read from a file: the file's hash says it all
            else:
                parts.extend(self.of(getattr(value, name)) for name in names)
        elif kind is tuple or kind is list:
            if all(type(item) in _PLAIN for item in value):  # type: ignore[attr-defined]
                parts.append(repr(value).encode("utf-8", "surrogatepass"))
            else:
                parts.extend(self.of(item) for item in value)  # type: ignore[attr-defined]
        elif kind is dict:
            for key, item in value.items():  # type: ignore[attr-defined]
                parts.append(self.of(key))
                parts.append(self.of(item))
        elif kind is frozenset or kind is set:
            parts.extend(sorted(self.of(item) for item in value))  # type: ignore[attr-defined]
        elif isinstance(value, types.FunctionType) and value.__closure__ is None and "<" not in value.__qualname__:
            # A module-level function: its code is part of the engine fingerprint, its name says which.
            parts.append(f"{value.__module__}.{value.__qualname__}".encode())
        else:
            parts.append(repr(value).encode("utf-8", "surrogatepass"))
        return hashlib.sha256(b"".join(len(part).to_bytes(4, "little") + part for part in parts)).digest()


@lru_cache(maxsize=None)
def _record_fields(kind: type) -> tuple[str, ...] | None:
    """The field names of a dataclass type, or None for any other type."""
    if not dataclasses.is_dataclass(kind):
        return None
    return tuple(field.name for field in dataclasses.fields(kind))
