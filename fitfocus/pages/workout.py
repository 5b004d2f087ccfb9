"""What a routine adds up to: resolved moves, estimated duration, muscles and equipment used."""

from __future__ import annotations

from dataclasses import dataclass
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
    """A routine ready to show: its moves, supersets grouped, and the figures readers want."""

    routine: Routine
    moves: tuple[Move, ...]
    groups: tuple[tuple[Move, ...], ...]  # one move, or the moves of one superset
    minutes: int
    muscles: tuple[str, ...]
    equipment: tuple[str, ...]
    anchor: str

    @property
    def rest_text(self) -> str | None:
        """The routine's default rest, as printed."""
        return format_seconds(self.routine.rest) if self.routine.rest is not None else None

    def rest_for(self, move: Move) -> str:
        """The rest after a set of `move`: its own, else the routine's, else the default.

        Inside a superset only the last move rests; the others go straight to the next one.
        """
        if move.item.rest is None and move.item.label is not None:
            index = self.moves.index(move)
            following = self.moves[index + 1] if index + 1 < len(self.moves) else None
            if following is not None and following.item.group == move.item.group:
                return f"straight to {following.item.label}"
        rest = move.item.rest if move.item.rest is not None else self.routine.rest
        return format_seconds(rest if rest is not None else DEFAULT_REST)


def make_workout(routine: Routine, library: Library) -> Workout:
    """Resolve a checked routine's moves and work out its figures."""
    moves = tuple(Move(item, _exercise(library, item)) for item in routine.items)
    groups = tuple(tuple(group) for _, group in groupby(moves, key=lambda m: m.item.group))
    seconds = routine.rounds * sum(_group_seconds(group, routine) for group in groups)
    muscles = tuple(dict.fromkeys(m for move in moves for m in move.exercise.muscles))
    equipment = tuple(dict.fromkeys(e for move in moves for e in move.exercise.equipment))
    return Workout(routine, moves, groups, max(1, round(seconds / 60)), muscles, equipment,
                   f"fit-routine-{routine.number}")


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
