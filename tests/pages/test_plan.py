"""A post's page: the workout header at its top and the disclaimer before its first routine."""

from __future__ import annotations

from pathlib import Path

from test_cards import build, text_of, write_site

EXERCISES = {
    "squat.md": "---\nname: Squat\nlevel: intermediate\nmuscles: [quadriceps]\nequipment: [barbell]\n---\nHow.\n",
    "wall-sit.md": "---\nname: Wall Sit\nlevel: beginner\nmuscles: [quadriceps, glutes]\nequipment: [wall]\n---\nHow.\n",
    "row.md": "---\nname: Row\nmuscles: [lats]\nequipment: [dumbbell]\n---\nHow.\n",
}
POST = """---
title: Legs
disclaimer: Mind your knees.
---
Intro paragraph.

```routine
title: Main
rounds: 2
rest: 30s
rest_between_rounds: 2min
items:
  - squat: 2 x 10
    alternatives: [wall-sit]
  - row: 2 x 10
```

Between the routines.

```routine
title: Finisher
items:
  - wall-sit: 45s
```
"""


def post_page(tmp_path: Path) -> str:
    root = write_site(tmp_path, posts={"2026-05-01-legs": POST})
    for name, text in EXERCISES.items():
        (root / "exercises" / name).write_text(text)
    _, _, pages = build(root)
    return pages["posts/legs/index.html"]


def test_the_header_sums_up_the_workout_at_the_top(tmp_path: Path) -> None:
    html = post_page(tmp_path)
    header = html[html.index('<section class="workout-header"'):html.index("</section>")]
    assert text_of(header).split() == (
        "Time About 11 min (Main: 10 min; Finisher: 1 min) Level Beginner to intermediate "
        "Equipment Barbell (optional), Dumbbell, Wall Muscles Quadriceps, Lats, Glutes "
        "Jump to the workout Start workout : Main Print card : Main").split()
    assert '<a href="#fit-routine-1">Jump to the workout</a>' in header
    assert '<a href="/posts/legs/card/">Print card' in header
    assert '<a href="/posts/legs/workout/">Start workout' in header
    assert html.index("workout-header") < html.index("<p>Intro paragraph.</p>")


def test_the_disclaimer_stands_before_the_first_routine_only(tmp_path: Path) -> None:
    html = post_page(tmp_path)
    assert html.count("Before you start") == 1
    before = html.index("Before you start")
    assert html.index("<p>Intro paragraph.</p>") < before < html.index('id="fit-routine-1"')
    assert before < html.index("Mind your knees.") < html.index('id="fit-routine-1"')


def test_the_table_shows_alternatives_and_the_rest_between_rounds(tmp_path: Path) -> None:
    words = text_of(post_page(tmp_path))
    assert "Squat or Wall Sit" in words
    assert "Rest 30 s between sets Rest 2 min between rounds" in words
    assert "Equipment Barbell (optional), Dumbbell, Wall" in words
