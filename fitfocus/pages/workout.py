"""What a routine adds up to: resolved moves, estimated duration, muscles and equipment used."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from itertools import groupby

from fitfocus.content.library import Library
from fitfocus.content.model import Exercise, Post, Routine, RoutineItem, format_seconds

DEFAULT_REST = 45  # seconds between sets when neither the move nor the routine says
SECONDS_PER_REP = 3  # when no tempo is given
OPEN_SET_SECONDS = 45  # a set "to fatigue" or AMRAP
SUPERSET_SWITCH = 10  # moving from one superset move to the next


@dataclass(frozen=True)
class Move:
    """A routine item with its exercise looked up."""

    item: RoutineItem
    exercise: Exercise

    @property
    def dose(self) -> str:
        """Sets × reps as printed: `3 × 8–10 per side`."""
        side = " per side" if self.item.per_side else ""
        return f"{self.item.sets} × {self.item.reps.text}{side}"

    @property
    def cue(self) -> str | None:
        """The exercise's first form cue, if it has one."""
        return self.exercise.cues[0] if self.exercise.cues else None


@dataclass(frozen=True)
class Workout:
    """A routine ready to show: its moves, supersets grouped, and the figures readers want.

    Its fields are what it is made from; the figures are worked out from them, so a page's key,
    which covers the fields, covers every figure.
    """

    routine: Routine
    exercises: tuple[Exercise, ...]  # the exercise of each routine item, in order

    @cached_property
    def moves(self) -> tuple[Move, ...]:
        """Each routine item with its exercise."""
        return tuple(Move(item, exercise) for item, exercise in zip(self.routine.items, self.exercises))

    @cached_property
    def groups(self) -> tuple[tuple[Move, ...], ...]:
        """The moves grouped: one move, or the moves of one superset."""
        return tuple(tuple(group) for _, group in groupby(self.moves, key=lambda m: m.item.group))

    @cached_property
    def minutes(self) -> int:
        """The estimated time, in whole minutes (at least one)."""
        seconds = self.routine.rounds * sum(_group_seconds(group, self.routine) for group in self.groups)
        return max(1, round(seconds / 60))

    @cached_property
    def muscles(self) -> tuple[str, ...]:
        """The primary muscles of the moves, each once, in routine order."""
        return tuple(dict.fromkeys(m for move in self.moves for m in move.exercise.muscles))

    @cached_property
    def equipment(self) -> tuple[str, ...]:
        """The equipment of the moves, each once, in routine order."""
        return tuple(dict.fromkeys(e for move in self.moves for e in move.exercise.equipment))

    @cached_property
    def _positions(self) -> dict[int, int]:
        return {id(move): index for index, move in enumerate(self.moves)}

    @property
    def anchor(self) -> str:
        """The id of the routine's table on its post."""
        return f"fit-routine-{self.routine.number}"

    @property
    def rest_text(self) -> str | None:
        """The routine's default rest, as printed."""
        return format_seconds(self.routine.rest) if self.routine.rest is not None else None

    def rest_for(self, move: Move) -> str:
        """The rest after a set of `move`: its own, else the routine's, else the default.

        Inside a superset only the last move rests; the others go straight to the next one.
        """
        if move.item.rest is None and move.item.label is not None:
            index = self._positions[id(move)]
            following = self.moves[index + 1] if index + 1 < len(self.moves) else None
            if following is not None and following.item.group == move.item.group:
                return f"straight to {following.item.label}"
        rest = move.item.rest if move.item.rest is not None else self.routine.rest
        return format_seconds(rest if rest is not None else DEFAULT_REST)


def make_workout(routine: Routine, library: Library) -> Workout:
    """Resolve a checked routine's moves and work out its figures."""
    return Workout(routine, tuple(_exercise(library, item) for item in routine.items))


def post_workouts(post: Post, library: Library) -> tuple[Workout, ...]:
    """Every routine of a post, in order."""
    return tuple(make_workout(routine, library) for routine in post.body.routines)


def tutorial_moves(workouts: tuple[Workout, ...]) -> tuple[Exercise, ...]:
    """Each exercise of the post's routines once, in routine order."""
    seen: dict[str, Exercise] = {}
    for workout in workouts:
        for move in workout.moves:
            seen.setdefault(move.exercise.slug, move.exercise)
    return tuple(seen.values())


def _exercise(library: Library, item: RoutineItem) -> Exercise:
    exercise = library.find_exercise(item.exercise.name)
    if exercise is None:  # validate.check reports these before anything is rendered
        raise LookupError(f"unchecked routine item {item.exercise.name!r}")
    return exercise


def _set_seconds(item: RoutineItem) -> float:
    reps = item.reps
    if reps.kind == "time":
        work = (reps.low + reps.high) / 2
    elif reps.kind == "count":
        per_rep = SECONDS_PER_REP
        if item.tempo:
            per_rep = sum(1 if part == "X" else int(part) for part in item.tempo.split("-")) or 1
        work = (reps.low + reps.high) / 2 * per_rep
    else:
        work = OPEN_SET_SECONDS
    return work * (2 if item.per_side else 1)


def _rest_seconds(item: RoutineItem, routine: Routine) -> int:
    if item.rest is not None:
        return item.rest
    return routine.rest if routine.rest is not None else DEFAULT_REST


def _group_seconds(group: tuple[Move, ...], routine: Routine) -> float:
    """Time for all sets of one move, or of one superset done back to back."""
    sets = max(move.item.sets for move in group)
    per_set = sum(_set_seconds(move.item) for move in group) + SUPERSET_SWITCH * (len(group) - 1)
    return sets * (per_set + _rest_seconds(group[-1].item, routine))
