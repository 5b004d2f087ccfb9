"""Fingerprints: hashes of the values pages are made from, so a page whose inputs are unchanged is not rendered again."""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
import types
from functools import lru_cache
from typing import Iterable, Mapping


_PLAIN = frozenset({str, int, float, bool, type(None)})


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
            return marshal.dumps(value, 0)
        known = self._current.get(id(value))
        if known is None:
            known = self._previous.pop(id(value), None)
            if known is None or known[0] is not value:
                known = (value, self._hash(value))
            self._current[id(value)] = known
        return known[1]

    def _hash(self, value: object) -> bytes:
        # The parts are plain values and fingerprints, serialised by marshal's version 0, which
        # round-trips them (so differing parts never serialise alike) and, unlike later versions,
        # writes equal values alike whatever their identity or interning.
        kind = type(value)
        names = _record_fields(kind)
        if names is not None:
            key = self.file_keys.get(id(value))
            if key is not None:  # a record read from a file: the file's hash says it all
                parts = [kind.__qualname__, True, key]
            else:
                parts = [kind.__qualname__, False, *self._parts(getattr(value, name) for name in names)]
        elif kind is tuple or kind is list:
            parts = [kind.__qualname__, *self._parts(value)]  # type: ignore[arg-type]
        elif kind is dict:
            parts = [kind.__qualname__, *self._parts(part for pair in value.items() for part in pair)]  # type: ignore[attr-defined]
        elif kind is frozenset or kind is set:
            parts = [kind.__qualname__, *sorted(self.of(item) for item in value)]  # type: ignore[attr-defined]
        elif isinstance(value, types.FunctionType) and value.__closure__ is None and "<" not in value.__qualname__:
            # A module-level function: its code is part of the engine fingerprint, its name says which.
            parts = [kind.__qualname__, f"{value.__module__}.{value.__qualname__}"]
        else:
            parts = [kind.__qualname__, repr(value)]
        return hashlib.sha256(marshal.dumps(parts, 0)).digest()

    def _parts(self, values: Iterable[object]) -> list[object]:
        """Plain values as they are, any other value by its fingerprint."""
        of = self.of
        return [value if type(value) in _PLAIN else of(value) for value in values]


@lru_cache(maxsize=None)
def _record_fields(kind: type) -> tuple[str, ...] | None:
    """The field names of a dataclass type, or None for any other type."""
    if not dataclasses.is_dataclass(kind):
        return None
    return tuple(field.name for field in dataclasses.fields(kind))
