"""Reading plans: every session form, weeks, dates; and the checks of references and rules."""

from __future__ import annotations

import datetime
from pathlib import Path

from fitfocus.config import Config
from fitfocus.content.library import index_library
from fitfocus.content.loader import load_content
from fitfocus.content.model import Distance, Plan
from fitfocus.content.plan_sessions import parse_amount
from fitfocus.content.validate import check
from fitfocus.problems import Problem, format_problem

TODAY = datetime.date(2026, 12, 1)
POST = """---
title: Leg Day
---
```routine
title: Squats
items:
  - squat: 3 x 10
```

```routine
title: More
items:
  - squat: 2 x 10
```
"""


def load(tmp_path: Path, block: str, front: str = "") -> tuple[Plan | None, list[Problem]]:
    """The plan `block` (the YAML inside the fence) loads into, and every problem of the site."""
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "squat.md").write_text("---\nname: Squat\nmuscles: [quadriceps]\n---\nHow to.\n")
    (tmp_path / "content" / "posts").mkdir(parents=True)
    (tmp_path / "content" / "posts" / "2026-03-01-leg-day.md").write_text(POST)
    (tmp_path / "content" / "plans").mkdir()
    (tmp_path / "content" / "plans" / "p.md").write_text(f"---\ntitle: P\n{front}---\n```plan\n{block}```\n")
    config = Config(root=tmp_path)
    loaded = load_content(config, TODAY)
    library = index_library(loaded.content, config)
    plans = loaded.content.plans
    return (plans[0] if plans else None), loaded.problems + check(loaded.content, library)


def messages(problems: list[Problem]) -> list[str]:
    return [f"{p.line}:{p.col}: {p.severity}: {p.message}" for p in sorted(problems)]


def test_every_session_form_is_read(tmp_path: Path) -> None:
    plan, problems = load(tmp_path, """weeks:
  - title: Build
    days:
      mon: rest
      tue: run easy 40min
      wed: strength leg-day
      thu: run intervals 6 x 800m at 5k pace
      fri: {strength: leg-day/2, note: light}
      sat: [run recovery 10 mi, cross yoga 20min]
      sun: {run: long, distance: 14km, time: 1h15, note: steady, hard: true}
""")
    assert messages(problems) == []
    assert plan is not None
    week = plan.weeks[0]
    assert week.title == "Build" and not week.deload and not week.taper
    sessions = [day.sessions for day in week.days]
    assert [day.weekday for day in week.days] == [0, 1, 2, 3, 4, 5, 6]
    assert sessions[0][0].kind == "rest"
    easy = sessions[1][0]
    assert (easy.kind, easy.run, easy.seconds, easy.distance, easy.hard) == ("run", "easy", 2400, None, False)
    strength = sessions[2][0]
    assert (strength.kind, strength.post.name, strength.routine) == ("strength", "leg-day", 1)
    assert (strength.at.line, strength.at.col) == (10, 21)
    intervals = sessions[3][0]
    assert intervals.distance == Distance(6, "800", "m") and intervals.note == "at 5k pace" and intervals.hard
    assert (sessions[4][0].routine, sessions[4][0].note) == (2, "light")
    assert sessions[5][0].distance == Distance(1, "10", "mi")
    assert (sessions[5][1].kind, sessions[5][1].text) == ("cross", "yoga 20min")
    long = sessions[6][0]
    assert (long.distance, long.seconds, long.note, long.hard) == (Distance(1, "14", "km"), 4500, "steady", True)


def test_amounts() -> None:
    assert parse_amount("1h15") == (None, 4500)
    assert parse_amount("90s") == (None, 90)
    assert parse_amount("45 min") == (None, 2700)
    assert parse_amount("6 x 800m") == (Distance(6, "800", "m"), None)
    assert parse_amount("21.1km") == (Distance(1, "21.1", "km"), None)
    assert parse_amount("1h75") == (None, None)
    assert parse_amount("0km") == (None, None)
    assert parse_amount("14kms") == (None, None)


def test_a_race_plan_ends_on_race_day(tmp_path: Path) -> None:
    plan, problems = load(tmp_path, "weeks:\n  - deload: true\n    days: {tue: strength leg-day}\n"
                                    "  - taper: true\n    days: {sat: run race 10km}\n",
                          "race: {name: Spring 10K, date: 2027-04-17}\n")
    assert messages(problems) == []
    assert plan is not None and plan.race is not None
    assert plan.start == datetime.date(2027, 4, 5)  # the Monday of the week before the race's
    assert plan.race.name == "Spring 10K" and plan.weeks[0].deload and plan.weeks[1].taper


def test_a_start_date_must_be_a_monday(tmp_path: Path) -> None:
    plan, problems = load(tmp_path, "weeks:\n  - deload: true\n    days: {tue: strength leg-day}\n",
                          "start: 2027-04-06\n")
    assert [format_problem(p) for p in problems] == [
        "content/plans/p.md:3:8: error: `start` 2027-04-06 is a Tuesday, not a Monday\n"
        "    3 | start: 2027-04-06\n"
        "      |        ^\n"
        "  hint: weeks run Monday to Sunday; start on 2027-04-05"]


def test_references_are_checked_with_every_other_problem(tmp_path: Path) -> None:
    plan, problems = load(tmp_path, """weeks:
  - deload: true
    days:
      mon: strength leg-dya
      tue: strength leg-day/3
      wed: run jog 5km
      thu: {run: easy, time: 5km}
""")
    assert messages(problems) == [
        "8:21: error: unknown post `leg-dya`",
        "9:21: error: post `leg-day` has 2 routines, not a routine 3",
        "10:12: error: unknown kind of run `jog`",
        "11:30: error: `5km` is not a time",
    ]
    assert plan is not None and not plan.complete


def test_rules_are_warnings_at_their_day_or_week(tmp_path: Path) -> None:
    _, problems = load(tmp_path, """weeks:
  - days:
      tue: [strength leg-day, run tempo 20min]
      sat: strength leg-day/2
      sun: run race 5km
  - days: {tue: strength leg-day, thu: strength leg-day}
  - days: {tue: strength leg-day, thu: strength leg-day}
  - days: {tue: strength leg-day, thu: strength leg-day}
  - days: {tue: strength leg-day, thu: strength leg-day}
""")
    assert messages(problems) == [
        "7:7: warning: strength on the same day as a tempo run",
        "8:7: warning: strength the day before a race",
        "13:5: warning: week 5 is the 5th week in a row without a deload or taper week",
    ]


def test_a_strength_session_before_a_monday_race_is_found_across_weeks(tmp_path: Path) -> None:
    _, problems = load(tmp_path, """weeks:
  - deload: true
    days: {sun: strength leg-day}
  - taper: true
    days: {mon: run race 10km}
""")
    assert messages(problems) == ["7:12: warning: strength the day before a race"]


def test_the_race_week_of_a_race_before_sunday_is_not_counted(tmp_path: Path) -> None:
    _, problems = load(tmp_path, "weeks:\n  - days: {tue: strength leg-day, thu: strength leg-day}\n"
                                 "  - days: {mon: strength leg-day, wed: run race 10km}\n",
                       "race: {name: Midweek 10K, date: 2027-04-14}\n")
    assert messages(problems) == []
