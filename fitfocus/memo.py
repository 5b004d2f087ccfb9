"""Results one build keeps for the next, so that a rebuild recomputes only what its changes touch."""

from __future__ import annotations

from typing import Callable, Hashable, TypeVar

Value = TypeVar("Value")


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
        try:
            return self._current[key]  # type: ignore[return-value]
        except KeyError:
            pass
        value = self._previous.pop(key) if key in self._previous else compute()
        self._current[key] = value
        return value  # type: ignore[return-value]

    def __len__(self) -> int:
        return len(self._current)
