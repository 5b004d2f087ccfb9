"""Routine figures: estimated duration, muscles and equipment, tutorial order, superset rests."""

from __future__ import annotations

import datetime
from pathlib import Path

from fitfocus.config import Config
from fitfocus.content.library import index_library
from fitfocus.content.loader import load_content
from fitfocus.pages.workout import make_workout, post_workouts, tutorial_moves

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


def test_duration_counts_work_and_rest_per_set(tmp_path: Path) -> None:
    # 3 sets x (10 reps x 3 s + 60 s rest) = 270 s; 2 rounds = 540 s = 9 min.
    library, post = library_with(tmp_path, "title: T\nrounds: 2\nrest: 60s\nitems:\n  - squat: 3 x 10")
    assert post_workouts(post, library)[0].minutes == 9


def test_duration_uses_tempo_per_side_and_timed_sets(tmp_path: Path) -> None:
    # squat: 2 x (5 reps x (4+0+1+0) s x 2 sides + 30 s) = 2 x 80 = 160 s
    # plank: 2 x (45 s + 30 s) = 150 s; total 310 s -> 5 min
    routine = ("title: T\nrest: 30s\nitems:\n  - exercise: squat\n    sets: 2\n    reps: 5 per side\n"
               "    tempo: 4010\n  - plank: 2 x 45s")
    library, post = library_with(tmp_path, routine)
    assert post_workouts(post, library)[0].minutes == 5


def test_superset_rests_only_after_its_last_move(tmp_path: Path) -> None:
    routine = "title: T\nrest: 60s\nitems:\n  - superset:\n      - squat: 3 x 10\n      - row: 3 x 10\n  - plank: 2 x 30s"
    library, post = library_with(tmp_path, routine)
    workout = post_workouts(post, library)[0]
    squat, row, plank = workout.moves
    assert [workout.rest_for(m) for m in workout.moves] == ["straight to A2", "1 min", "1 min"]
    assert [len(g) for g in workout.groups] == [2, 1]
    # 3 x (30 + 10 switch + 30 + 60) + 2 x (30 + 60) = 390 + 180 = 570 s -> 10 min
    assert workout.minutes == 10


def test_muscles_and_equipment_are_listed_once_in_routine_order(tmp_path: Path) -> None:
    library, post = library_with(tmp_path, "title: T\nitems:\n  - row: 1 x 5\n  - squat: 1 x 5\n  - plank: 1 x 5")
    workout = make_workout(post.body.routines[0], library)
    assert workout.muscles == ("lats", "glutes", "quadriceps", "core")
    assert workout.equipment == ("dumbbell", "bench", "barbell")
    assert [m.cue for m in workout.moves] == [None, "Brace first.", None]


def test_tutorials_list_each_move_once_in_routine_order(tmp_path: Path) -> None:
    library, post = library_with(tmp_path, "title: T\nitems:\n  - plank: 1 x 5\n  - squat: 1 x 5\n  - plank: 1 x 5")
    assert [e.slug for e in tutorial_moves(post_workouts(post, library))] == ["plank", "squat"]
