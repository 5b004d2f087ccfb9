"""Workout mode's steps: sets in order, sides, supersets, and the rest the estimate counts after each."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from test_workout import library_with

from fitfocus.pages.workout import post_workouts
from fitfocus.pages.workout_mode import step_json, workout_steps


def test_steps_walk_rounds_supersets_and_sides_with_the_estimates_rests(tmp_path: Path) -> None:
    routine = ("title: T\nrounds: 2\nrest: 30-60s\nrest_between_rounds: 2min\nitems:\n  - squat: 2 x 5\n"
               "  - superset:\n      - row: 1 x 8 per side\n      - plank: 1 x 20-40s")
    library, post = library_with(tmp_path, routine)
    steps = workout_steps(post_workouts(post, library)[0])
    assert [(s.name, s.round_number, s.set_number, s.side, s.work, s.rest, s.rest_text) for s in steps] == [
        ("Squat", 1, 1, None, None, 45, "30–60 s"),
        ("Squat", 1, 2, None, None, 45, "30–60 s"),
        ("Row", 1, 1, "left", None, 0, "switch sides"),
        ("Row", 1, 1, "right", None, 0, "straight to A2"),
        ("Plank", 1, 1, None, 30, 120, "2 min"),
        ("Squat", 2, 1, None, None, 45, "30–60 s"),
        ("Squat", 2, 2, None, None, 45, "30–60 s"),
        ("Row", 2, 1, "left", None, 0, "switch sides"),
        ("Row", 2, 1, "right", None, 0, "straight to A2"),
        ("Plank", 2, 1, None, 30, 0, "end"),
    ]
    assert [s.label for s in steps[2:5]] == ["A1", "A1", "A2"]


def test_steps_carry_the_load_in_the_sites_unit_and_in_both_for_the_switch(tmp_path: Path) -> None:
    routine = "title: T\nitems:\n  - squat: 1 x 5\n    load: 2 x 20 lb\n  - plank: 1 x 30s\n    load: light band"
    library, post = library_with(tmp_path, routine)
    workout = post_workouts(post, library)[0]
    loads = [(s.load, s.load_kg, s.load_lb) for s in workout_steps(workout)]
    assert loads == [("2 x 20 lb", "2 × 9 kg", "2 x 20 lb"), ("light band", None, None)]
    assert [s.load for s in workout_steps(workout, "kg")] == ["2 × 9 kg", "light band"]


def test_a_steps_json_is_what_asdict_gives_for_every_kind_of_step(tmp_path: Path) -> None:
    routine = ("title: T\nrounds: 2\nrest: 30-60s\nrest_between_rounds: 2min\nitems:\n"
               "  - squat: 2 x 5\n    tempo: 3110\n    load: 2 x 20 lb\n    alternatives: [plank]\n"
               "  - superset:\n      - row: 1 x 8 per side\n        load: light band\n      - plank: 1 x 20-40s\n"
               "        rest: 90s")
    library, post = library_with(tmp_path, routine)
    workout = post_workouts(post, library)[0]
    for units in (None, "kg", "lb"):
        steps = workout_steps(workout, units)
        assert [step_json(step) for step in steps] == [asdict(step) for step in steps]
        assert json.dumps([step_json(s) for s in steps]) == json.dumps([asdict(s) for s in steps])
    assert {type(value) for step in steps for value in step_json(step).values()} == {str, int, type(None)}
