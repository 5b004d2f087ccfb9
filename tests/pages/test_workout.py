"""Routine figures: estimated duration, muscles and equipment, tutorial order, superset rests."""

from __future__ import annotations

import datetime
from pathlib import Path

from fitfocus.config import Config
from fitfocus.content.library import index_library
from fitfocus.content.loader import load_content
from fitfocus.pages.workout import estimate_seconds, make_workout, post_workouts, tutorial_moves

TODAY = datetime.date(2026, 12, 1)


def write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def library_with(tmp_path: Path, routine: str):
    write(tmp_path, "exercises/squat.md", "---\nname: Squat\nmuscles: [quadriceps, glutes]\nequipment: [barbell]\n"
          "cues: [Brace first.]\n---\n")
    write(tmp_path, "exercises/plank.md", "---\nname: Plank\nmuscles: [core]\n---\n")
    write(tmp_path, "exercises/row.md", "---\nname: Row\nmuscles: [lats, glutes]\nequipment: [dumbbell, bench]\n---\n")
    write(tmp_path, "content/posts/2026-01-01-p.md", f"---\ntitle: P\n---\n```routine\n{routine}\n```\n")
    loaded = load_content(Config(root=tmp_path), TODAY)
    content, problems = loaded.content, loaded.problems
    assert problems == []
    library = index_library(content, Config(root=tmp_path))
    return library, library.posts[0]


def test_worked_example_of_the_spec(tmp_path: Path) -> None:
    # A round: squat 30 s, rest 30 s, squat 30 s, rest 30 s, move on 15 s, lunge 8 x 3 s x 2 + 5 s = 188 s;
    # the routine is 188 + 120 (between rounds) + 188 = 496 s, shown as 8 min.
    routine = ("title: T\nrounds: 2\nrest: 30s\nrest_between_rounds: 2min\nitems:\n"
               "  - squat: 2 x 10\n  - plank: 1 x 8 per side")
    library, post = library_with(tmp_path, routine)
    workout = post_workouts(post, library)[0]
    assert (estimate_seconds(workout), workout.minutes) == (496, 8)


def test_rest_between_rounds_defaults_to_the_routine_rest(tmp_path: Path) -> None:
    # A round: 30 + 60 + 30 + 60 + 30 = 210 s; 210 + 60 + 210 = 480 s.
    library, post = library_with(tmp_path, "title: T\nrounds: 2\nrest: 60s\nitems:\n  - squat: 3 x 10")
    assert estimate_seconds(post_workouts(post, library)[0]) == 480


def test_nothing_follows_the_last_set(tmp_path: Path) -> None:
    # One set of 10 reps: 30 s of work and no rest after it; the default rest is 45 s.
    library, post = library_with(tmp_path, "title: T\nitems:\n  - squat: 10\n  - plank: 45s")
    assert estimate_seconds(post_workouts(post, library)[0]) == 30 + 45 + 15 + 45


def test_tempo_per_side_and_timed_sets(tmp_path: Path) -> None:
    # squat: 5 reps x (4+0+1+0) s x 2 sides + 5 s = 55 s a set; plank: 45 s a set; rest 30 s.
    # 55 + 30 + 55 + 30 + 15 + 45 + 30 + 45 = 305 s
    routine = ("title: T\nrest: 30s\nitems:\n  - exercise: squat\n    sets: 2\n    reps: 5 per side\n"
               "    tempo: 4010\n  - plank: 2 x 45s")
    library, post = library_with(tmp_path, routine)
    assert estimate_seconds(post_workouts(post, library)[0]) == 305


def test_ranges_count_their_middle(tmp_path: Path) -> None:
    # reps 8-12 count 10 (30 s), a 30-60 s hold counts 45 s, a 30-60 s rest counts 45 s.
    routine = "title: T\nrest: 30-60s\nitems:\n  - squat: 2 x 8-12\n  - plank: 30-60s"
    library, post = library_with(tmp_path, routine)
    assert estimate_seconds(post_workouts(post, library)[0]) == 30 + 45 + 30 + 45 + 15 + 45


def test_open_sets_count_forty_five_seconds(tmp_path: Path) -> None:
    routine = "title: T\nrest: 0\nitems:\n  - squat: 2 x to fatigue\n  - plank: AMRAP"
    library, post = library_with(tmp_path, routine)
    assert estimate_seconds(post_workouts(post, library)[0]) == 45 + 45 + 15 + 45


def test_superset_rests_only_after_its_last_move(tmp_path: Path) -> None:
    routine = "title: T\nrest: 60s\nitems:\n  - superset:\n      - squat: 3 x 10\n      - row: 3 x 10\n  - plank: 2 x 30s"
    library, post = library_with(tmp_path, routine)
    workout = post_workouts(post, library)[0]
    assert [workout.rest_for(m) for m in workout.moves] == ["straight to A2", "1 min", "1 min"]
    assert [len(g) for g in workout.groups] == [2, 1]
    # 3 x (30 + 10 switch + 30 + 60 rest) + 15 move on + 30 + 60 + 30 = 390 + 135 = 525 s -> 9 min
    assert (estimate_seconds(workout), workout.minutes) == (525, 9)


def test_superset_move_with_fewer_sets_sits_the_later_sets_out(tmp_path: Path) -> None:
    # Sets 1 and 2: 30 + 10 + 30 then 60 s rest; set 3: squat alone, 30 s, the last set.
    routine = "title: T\nrest: 60s\nitems:\n  - superset:\n      - squat: 3 x 10\n      - row: 2 x 10"
    library, post = library_with(tmp_path, routine)
    assert estimate_seconds(post_workouts(post, library)[0]) == 2 * (70 + 60) + 30


def test_duration_replaces_the_estimate(tmp_path: Path) -> None:
    library, post = library_with(tmp_path, "title: T\nduration: 40min\nitems:\n  - squat: 3 x 10")
    assert post_workouts(post, library)[0].minutes == 40


def test_one_set_shows_its_reps_alone_and_alternatives_make_equipment_optional(tmp_path: Path) -> None:
    routine = "title: T\nrounds: 3\nitems:\n  - squat: 12-15\n    alternatives: [plank]\n  - row: 2 x 10"
    library, post = library_with(tmp_path, routine)
    workout = post_workouts(post, library)[0]
    assert [m.dose for m in workout.moves] == ["12–15", "2 × 10"]
    assert [m.alternatives_text for m in workout.moves] == ["or Plank", None]
    assert workout.equipment_text == "Barbell (optional), Dumbbell, Bench"


def test_plurals_resolve_in_any_case(tmp_path: Path) -> None:
    library, post = library_with(tmp_path, "title: T\nitems:\n  - Squats: 12\n  - ROWS: 10")
    assert [m.exercise.slug for m in post_workouts(post, library)[0].moves] == ["squat", "row"]


def test_muscles_and_equipment_are_listed_once_in_routine_order(tmp_path: Path) -> None:
    library, post = library_with(tmp_path, "title: T\nitems:\n  - row: 1 x 5\n  - squat: 1 x 5\n  - plank: 1 x 5")
    workout = make_workout(post.body.routines[0], library)
    assert workout.muscles == ("lats", "glutes", "quadriceps", "core")
    assert workout.equipment == ("dumbbell", "bench", "barbell")
    assert [m.cue for m in workout.moves] == [None, "Brace first.", None]


def test_tutorials_list_each_move_once_in_routine_order(tmp_path: Path) -> None:
    library, post = library_with(tmp_path, "title: T\nitems:\n  - plank: 1 x 5\n  - squat: 1 x 5\n  - plank: 1 x 5")
    assert [e.slug for e in tutorial_moves(post_workouts(post, library))] == ["plank", "squat"]


README_EXAMPLES = [
    # The README's table of estimates; each is worked out there step by step.
    ("rounds: 3\nrest: 15s\nrest_between_rounds: 90s\nitems:\n  - squat: 15\n  - row: 10 per side\n  - plank: 45s",
     825, 14),
    ("rest: 2min\nitems:\n  - squat: 4 x 5\n    tempo: 3110\n  - exercise: row\n    sets: 3\n    reps: 5\n"
     "    rest: 3min", 1000, 17),
    ("rest: 60-90s\nitems:\n  - superset:\n      - squat: 3 x 8 per side\n      - row: 3 x 10-12 per side\n"
     "  - plank: 2 x to fatigue", 807, 13),
]


def test_readme_examples(tmp_path: Path) -> None:
    for number, (routine, seconds, minutes) in enumerate(README_EXAMPLES):
        library, post = library_with(tmp_path / str(number), "title: T\n" + routine)
        workout = post_workouts(post, library)[0]
        assert (estimate_seconds(workout), workout.minutes) == (seconds, minutes)
