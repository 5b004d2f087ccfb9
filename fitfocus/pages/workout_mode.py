"""Workout mode: a routine as the steps a reader follows one at a time, with the rests between them."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from fitfocus.content.model import PostTeaser
from fitfocus.pages.urls import workout_path
from fitfocus.pages.workout import Move, Workout, between_rounds


@dataclass(frozen=True)
class Step:
    """One set (or one side of a per-side set) and the rest that follows it."""

    name: str
    slug: str
    label: str | None  # the superset label, A1, A2 …
    set_number: int
    sets: int
    round_number: int
    rounds: int
    reps: str  # as the table shows it: `8–10`, `45 s`
    work: int | None  # seconds to count down for a timed set; None for reps
    side: str | None  # "left" or "right" for a per-side move
    tempo: str | None
    load: str | None  # in the site's unit, or as written
    load_kg: str | None  # the load in kg and in lb, for the reader's switch; None: it has no unit
    load_lb: str | None
    cue: str | None
    alternatives: str | None
    rest: int  # seconds of rest after this step (the estimate's figure); 0: straight on
    rest_text: str  # how the rest is written: `1–2 min`, `straight to A2`, `end`


@dataclass(frozen=True)
class WorkoutMode:
    """The page for following one routine of a post."""

    post: PostTeaser
    workout: Workout
    path: str
    units: str | None = None  # the site's display unit for loads; None: as written

    @property
    def steps(self) -> tuple[Step, ...]:
        """Every step of the routine in order, rounds repeated."""
        return workout_steps(self.workout, self.units)

    @property
    def data(self) -> dict[str, Any]:
        """What the page's script is given: where to keep progress, and every step."""
        return {"key": self.path, "units": self.units, "steps": [step_json(step) for step in self.steps]}

    @property
    def sets(self) -> int:
        """How many sets the whole routine holds (a per-side set counts once)."""
        return self.workout.routine.rounds * sum(move.item.sets for move in self.workout.moves)


_STEP_FIELDS = tuple(field.name for field in fields(Step))


def step_json(step: Step) -> dict[str, Any]:
    """`step` as `dataclasses.asdict` gives it, for speed only: its fields are all str, int or None,
    so they need neither asdict's recursion nor its deep copies."""
    return {name: getattr(step, name) for name in _STEP_FIELDS}


def workout_modes(post: PostTeaser, workouts: tuple[Workout, ...], units: str | None = None) -> tuple[WorkoutMode, ...]:
    """A workout-mode page for each routine of a post, loads shown in `units` (None: as written)."""
    return tuple(WorkoutMode(post, workout, workout_path(post.slug, workout.routine.number), units)
                 for workout in workouts)


def workout_steps(workout: Workout, units: str | None = None) -> tuple[Step, ...]:
    """The routine walked as the estimate counts it: supersets back to back, then the rest."""
    routine = workout.routine
    # What a step shows of its move is the same in every set and round: worked out once a move.
    shown = {id(move): _shown(move, units) for move in workout.moves}
    steps: list[Step] = []
    for round_number in range(1, routine.rounds + 1):
        for index, group in enumerate(workout.groups):
            sets = max(move.item.sets for move in group)
            for set_number in range(1, sets + 1):
                doing = [move for move in group if move.item.sets >= set_number]
                last_of_round = index == len(workout.groups) - 1 and set_number == sets
                for position, move in enumerate(doing):
                    sides = ("left", "right") if move.item.per_side else (None,)
                    for side in sides:
                        if side == "left":
                            rest, text = 0, "switch sides"
                        elif position < len(doing) - 1:
                            rest, text = 0, f"straight to {doing[position + 1].item.label}"
                        elif last_of_round and round_number == routine.rounds:
                            rest, text = 0, "end"
                        elif last_of_round:
                            rest, text = round(between_rounds(routine).middle), between_rounds(routine).text
                        else:
                            chosen = workout.rest_of(group[-1])
                            rest, text = round(chosen.middle), chosen.text
                        name, slug, label, reps, work, tempo, load, load_kg, load_lb, cue, alternatives = shown[id(move)]
                        steps.append(Step(name, slug, label, set_number, move.item.sets, round_number, routine.rounds,
                                          reps, work, side, tempo, load, load_kg, load_lb, cue, alternatives, rest,
                                          text))
    return tuple(steps)


def _shown(move: Move, units: str | None) -> tuple[Any, ...]:
    """What every step of `move` shows of it, in `Step`'s order: name to alternatives, sets and rounds left out."""
    item = move.item
    load = item.load
    by_unit = (load.shown("kg"), load.shown("lb")) if load and load.unit else (None, None)
    work = round((item.reps.low + item.reps.high) / 2) if item.reps.kind == "time" else None
    return (move.exercise.name, move.exercise.slug, item.label, item.reps.text, work, item.tempo,
            load.shown(units) if load else None, *by_unit, move.cue, move.alternatives_text)
