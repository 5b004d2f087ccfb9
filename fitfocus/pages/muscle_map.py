"""The muscle map: which regions of the body drawing a move or a routine marks, and its words."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Iterable

from fitfocus.content.vocabulary import MUSCLES

REGIONS = MUSCLES  # every built-in muscle has a region of its own in templates/_muscle_map.svg


@dataclass(frozen=True)
class MuscleMap:
    """The muscles a drawing marks: primary ones strongly, secondary ones lightly; the rest neutral."""

    primary: tuple[str, ...]
    secondary: tuple[str, ...]  # never one of `primary`
    regions: tuple[tuple[str, str], ...] = ()  # a site's own muscle and the built-in region it is drawn as

    @property
    def shown(self) -> bool:
        """Whether there is anything to show: a map with no muscles is left out."""
        return drawn(self.primary, self.secondary)

    def region_of(self, muscle: str) -> str | None:
        """The region `muscle` is drawn as: its own if built-in, the one the settings name, or None."""
        if muscle in REGIONS:
            return muscle
        return dict(self.regions).get(muscle)

    def state(self, region: str) -> str:
        """The extra class of `region` in the drawing: ` mm-primary`, ` mm-secondary`, or nothing."""
        return self._states.get(region, "")

    @cached_property
    def _states(self) -> dict[str, str]:
        # Worked out once a map, not once for each of the drawing's regions.
        states = {region: " mm-secondary" for m in self.secondary if (region := self.region_of(m)) is not None}
        states.update((region, " mm-primary") for m in self.primary if (region := self.region_of(m)) is not None)
        return states

    @property
    def text(self) -> str:
        """The drawing in words: `Primary: quadriceps, glutes. Secondary: hamstrings.`"""
        parts = [f"{label}: {', '.join(spoken(m) for m in muscles)}."
                 for label, muscles in (("Primary", self.primary), ("Secondary", self.secondary)) if muscles]
        return " ".join(parts)


def muscle_map(primary: Iterable[str], secondary: Iterable[str],
               regions: tuple[tuple[str, str], ...] = ()) -> MuscleMap:
    """The map of `primary` and `secondary` muscles, each once; a muscle that is both counts as primary."""
    first = tuple(dict.fromkeys(primary))
    return MuscleMap(first, tuple(m for m in dict.fromkeys(secondary) if m not in first), regions)


def drawn(primary: Iterable[str], secondary: Iterable[str]) -> bool:
    """Whether a page shows a muscle map for these muscles: when there is at least one."""
    return bool(tuple(primary) or tuple(secondary))


def spoken(muscle: str) -> str:
    """A kebab-case muscle as a reader says it: `hip-flexors` -> `hip flexors`."""
    return muscle.replace("-", " ")
