"""Fingerprints: hashes of the values pages are made from, so a page whose inputs are unchanged is not rendered again."""

from __future__ import annotations

import dataclasses
import hashlib
import types
from functools import lru_cache
from typing import Mapping


_PLAIN = (str, int, float, bool, type(None))


class Fingerprints:
    """Hashes of values built from records, tuples, lists, dicts and plain values.

    Records and containers are hashed once while they live (by identity, so they must not change
    once hashed): a listing of a thousand posts costs a thousand lookups, and a rebuild that plans
    the same objects again costs nothing. What one build hashed is remembered through the next
    (`start_build` forgets the rest); each value is held, so its identity cannot pass to another.

    A record read from a file is hashed by its file's key in `file_keys` (by identity): the hash of
    all it was read from (fitfocus/incremental/records.py). Any other value is hashed field by
    field. Unknown objects fall back to `repr`, which can only cause a cache miss, never a stale
    hit, unless their repr hides state.
    """

    def __init__(self, file_keys: Mapping[int, str] | None = None) -> None:
        self.file_keys: Mapping[int, str] = file_keys or {}
        self._previous: dict[int, tuple[object, bytes]] = {}
        self._current: dict[int, tuple[object, bytes]] = {}

    def start_build(self, file_keys: Mapping[int, str] | None = None) -> None:
        """Begin a build whose records read from files have `file_keys`: remember what the last
        build hashed, forget what it did not."""
        if file_keys is not None:
            self.file_keys = file_keys
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
            key = self.file_keys.get(id(value))
            if key is not None:
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
