"""Results one build keeps for the next, so that a rebuild recomputes only what its changes touch."""

from __future__ import annotations

import dataclasses
import hashlib
import types
from functools import lru_cache
from typing import Callable, Hashable, TypeVar

Value = TypeVar("Value")
_MISSING = object()


class Memo:
    """Values looked up by a key of everything they are computed from.

    Entries live for two builds: what a build uses is kept for the next one, the rest is dropped
    when the next build starts, so memory follows the site rather than its history. A key of
    None means "cannot be keyed": the value is computed and not kept.
    """

    def __init__(self) -> None:
        self._previous: dict[Hashable, object] = {}
        self._current: dict[Hashable, object] = {}

    def start_build(self) -> None:
        """Begin a build: keep what the last one used (or, if it stopped early, what the one before did)."""
        if self._current:
            self._previous, self._current = self._current, {}

    def get(self, key: Hashable | None, compute: Callable[[], Value]) -> Value:
        """The value stored under `key`, or `compute()` stored under it."""
        if key is None:
            return compute()
        value = self._current.get(key, _MISSING)
        if value is _MISSING:
            value = self._previous.pop(key, _MISSING)
            if value is _MISSING:
                value = compute()
            self._current[key] = value
        return value  # type: ignore[return-value]

    def __len__(self) -> int:
        return len(self._current)


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


class Memory:
    """What a series of builds (the dev server's) keeps from one to the next."""

    def __init__(self) -> None:
        self.values = Memo()
        self.fingerprints = Fingerprints()

    def start_build(self) -> None:
        """Begin a build: see Memo.start_build and Fingerprints.start_build."""
        self.values.start_build()
        self.fingerprints.start_build()
