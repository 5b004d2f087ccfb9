"""What a routine adds up to: resolved moves, estimated duration, muscles and equipment used."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from itertools import groupby

from fitfocus.config import Config
from fitfocus.content.library import Library
from fitfocus.content.model import Exercise, Post, Rest, Routine, RoutineItem, title_case

DEFAULT_REST = 45  # seconds between sets when neither the move nor the routine says
SECONDS_PER_REP = 3  # when no tempo is given
OPEN_SET_SECONDS = 45  # a set "to fatigue" or AMRAP
SUPERSET_SWITCH = 10  # moving from one superset move to the next
SIDE_SWITCH = 5  # changing sides in a per-side set
MOVE_ON = 15  # going on to the next move or superset within a round


@dataclass(frozen=True)
class Move:
    """A routine item with its exercise looked up."""

    item: RoutineItem
    exercise: Exercise
    alternatives: tuple[Exercise, ...] = ()  # what a reader may do instead, in the order written

    @property
    def dose(self) -> str:
        """Sets × reps as printed: `3 × 8–10 per side`; one set is its reps alone (`12–15`)."""
        side = " per side" if self.item.per_side else ""
        sets = f"{self.item.sets} × " if self.item.sets > 1 else ""
        return f"{sets}{self.item.reps.text}{side}"

    @property
    def alternatives_text(self) -> str | None:
        """The alternatives as the table and card say them: `or Wall Sit, Bodyweight Squat`."""
        names = [exercise.name for exercise in self.alternatives]
        return "or " + ", ".join(names) if names else None

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
    alternatives: tuple[tuple[Exercise, ...], ...] = ()  # each item's alternatives, in order

    @cached_property
    def moves(self) -> tuple[Move, ...]:
        """Each routine item with its exercise and alternatives."""
        alternatives = self.alternatives or tuple(() for _ in self.routine.items)
        return tuple(Move(item, exercise, others)
                     for item, exercise, others in zip(self.routine.items, self.exercises, alternatives))

    @cached_property
    def has_units(self) -> bool:
        """Whether a move's load is a number and a unit, so the reader's kg/lb switch has something to switch."""
        return any(move.item.load is not None and move.item.load.unit is not None for move in self.moves)

    @cached_property
    def groups(self) -> tuple[tuple[Move, ...], ...]:
        """The moves grouped: one move, or the moves of one superset."""
        return tuple(tuple(group) for _, group in groupby(self.moves, key=lambda m: m.item.group))

    @cached_property
    def minutes(self) -> int:
        """The time shown everywhere: the routine's `duration` if set, else the estimate; whole minutes."""
        seconds = self.routine.duration if self.routine.duration is not None else estimate_seconds(self)
        return max(1, int(seconds / 60 + 0.5))

    @cached_property
    def muscles(self) -> tuple[str, ...]:
        """The primary muscles of the moves, each once, in routine order."""
        return tuple(dict.fromkeys(m for move in self.moves for m in move.exercise.muscles))

    @cached_property
    def secondary_muscles(self) -> tuple[str, ...]:
        """The secondary muscles of the moves, each once, in routine order (some may be primary too)."""
        return tuple(dict.fromkeys(m for move in self.moves for m in move.exercise.secondary_muscles))

    @cached_property
    def equipment(self) -> tuple[str, ...]:
        """The equipment of the moves, each once, in routine order."""
        return tuple(dict.fromkeys(e for move in self.moves for e in move.exercise.equipment))

    @cached_property
    def optional_equipment(self) -> frozenset[str]:
        """Equipment every move that needs it can do without, through an alternative."""
        def avoidable(move: Move, equipment: str) -> bool:
            return any(equipment not in other.equipment for other in move.alternatives)
        return frozenset(e for e in self.equipment
                         if all(avoidable(m, e) for m in self.moves if e in m.exercise.equipment))

    @property
    def equipment_text(self) -> str:
        """The equipment as the post and card say it: `Dumbbell (optional), Mat`, or `Body weight only`."""
        if not self.equipment:
            return "Body weight only"
        return ", ".join(title_case(e) + (" (optional)" if e in self.optional_equipment else "") for e in self.equipment)

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
        return self.routine.rest.text if self.routine.rest is not None else None

    @property
    def round_rest_text(self) -> str | None:
        """The rest between rounds, as printed, when the author set one and there are rounds."""
        between = self.routine.rest_between_rounds
        return between.text if between is not None and self.routine.rounds > 1 else None

    def rest_for(self, move: Move) -> str:
        """The rest after a set of `move`: its own, else the routine's, else the default.

        Inside a superset only the last move rests; the others go straight to the next one.
        """
        if move.item.rest is None and move.item.label is not None:
            index = self._positions[id(move)]
            following = self.moves[index + 1] if index + 1 < len(self.moves) else None
            if following is not None and following.item.group == move.item.group:
                return f"straight to {following.item.label}"
        return self.rest_of(move).text

    def rest_of(self, move: Move) -> Rest:
        """The rest the estimate counts after a set of `move`: its own, else the routine's, else the default."""
        return _rest(move.item, self.routine)


@dataclass(frozen=True)
class WorkoutHeader:
    """What the top of a post with routines says about them: time, level, equipment, muscles."""

    workouts: tuple[Workout, ...]
    levels: tuple[str, ...]  # the site's levels, easiest first

    @property
    def minutes(self) -> int:
        """The time of every routine of the post together."""
        return sum(workout.minutes for workout in self.workouts)

    @property
    def level(self) -> str | None:
        """The levels of the moves, as a span: `Beginner` or `Beginner to advanced`."""
        used = {move.exercise.level for workout in self.workouts for move in workout.moves if move.exercise.level}
        ordered = [level for level in self.levels if level in used]
        if not ordered:
            return None
        return title_case(ordered[0]) + (f" to {ordered[-1].replace('-', ' ')}" if len(ordered) > 1 else "")

    @property
    def equipment_text(self) -> str:
        """The equipment of every routine, optional ones marked, or `Body weight only`."""
        equipment = tuple(dict.fromkeys(e for workout in self.workouts for e in workout.equipment))
        if not equipment:
            return "Body weight only"
        optional = frozenset.intersection(*(w.optional_equipment | frozenset(e for e in equipment if e not in w.equipment)
                                            for w in self.workouts))
        return ", ".join(title_case(e) + (" (optional)" if e in optional else "") for e in equipment)

    @property
    def muscles(self) -> tuple[str, ...]:
        """The primary muscles of every routine, each once, in routine order."""
        return tuple(dict.fromkeys(m for workout in self.workouts for m in workout.muscles))


def make_workout(routine: Routine, library: Library) -> Workout:
    """Resolve a checked routine's moves and work out its figures."""
    alternatives = tuple(tuple(_found(library, ref.name) for ref in item.alternatives) for item in routine.items)
    return Workout(routine, tuple(_found(library, item.exercise.name) for item in routine.items),
                   alternatives if any(alternatives) else ())


def site_disclaimer(workouts: tuple[Workout, ...], config: Config) -> str | None:
    """The site's disclaimer, which every post with a routine shows before its first one (with the
    post's own `disclaimer:` text after it; a post cannot remove it)."""
    return config.disclaimer if workouts else None


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


def _found(library: Library, name: str) -> Exercise:
    exercise = library.find_exercise(name)
    if exercise is None:  # validate.check reports these before anything is rendered
        raise LookupError(f"unchecked routine item {name!r}")
    return exercise


def estimate_seconds(workout: Workout) -> float:
    """The estimated time of a routine in seconds, by the rules the README documents.

    Work, then the rest after each set; inside a superset only the last move rests and each
    switch costs a little; the last set of a round is followed by the rest between rounds;
    nothing follows the routine's last set; going on to the next move costs `MOVE_ON`.
    """
    routine = workout.routine
    between = between_rounds(routine).middle
    total = 0.0
    for round_number in range(1, routine.rounds + 1):
        last_round = round_number == routine.rounds
        for index, group in enumerate(workout.groups):
            if index:
                total += MOVE_ON
            sets = max(move.item.sets for move in group)
            for set_number in range(1, sets + 1):
                doing = [move for move in group if move.item.sets >= set_number]
                total += sum(_set_seconds(move.item) for move in doing) + SUPERSET_SWITCH * (len(doing) - 1)
                if index < len(workout.groups) - 1 or set_number < sets:
                    total += _rest(group[-1].item, routine).middle
                elif not last_round:
                    total += between
    return total


def between_rounds(routine: Routine) -> Rest:
    """The rest after the last set of a round: `rest_between_rounds`, else the routine's rest, else the default."""
    return routine.rest_between_rounds or routine.rest or Rest(DEFAULT_REST, DEFAULT_REST)


def _set_seconds(item: RoutineItem) -> float:
    """The work of one set: reps by their tempo (or 3 s each), a time, or 45 s for an open set."""
    reps = item.reps
    if reps.kind == "time":
        work = (reps.low + reps.high) / 2
    elif reps.kind == "count":
        per_rep = SECONDS_PER_REP
        if item.tempo:
            per_rep = sum(1 if part == "X" else int(part) for part in item.tempo.split("-"))
        work = (reps.low + reps.high) / 2 * per_rep
    else:
        work = OPEN_SET_SECONDS
    return work * 2 + SIDE_SWITCH if item.per_side else work


def _rest(item: RoutineItem, routine: Routine) -> Rest:
    if item.rest is not None:
        return item.rest
    return routine.rest if routine.rest is not None else Rest(DEFAULT_REST, DEFAULT_REST)
