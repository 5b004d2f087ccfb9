"""Routine blocks: the short and full forms, and YAML 1.1 traps that must not change meaning."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fitfocus.content.loads import Load
from fitfocus.content.model import Reps, Rest
from fitfocus.problems import SourceFile
from fitfocus.content.routine import find_blocks, parse_routine


def parse(yaml_text: str):
    text = "```routine\n" + yaml_text.strip("\n") + "\n```\n"
    source = SourceFile(Path("post.md"), "post.md", text)
    blocks, _ = find_blocks(text.split("\n"))
    return parse_routine(source, blocks[0], first_line=1, number=1)


def only_item(yaml_item: str):
    routine, problems = parse(f"title: T\nitems:\n  - {yaml_item}\n")
    assert problems == []
    return routine.items[0]


@pytest.mark.parametrize("text, reps, per_side", [
    ("3 x 12", Reps("count", 12, 12), False),
    ("3 x 8-10", Reps("count", 8, 10), False),
    ("3 x 45s", Reps("time", 45, 45), False),
    ("3 x 30-45s", Reps("time", 30, 45), False),
    ("3 x 2min", Reps("time", 120, 120), False),
    ("2 x to fatigue", Reps("fatigue"), False),
    ("2 x AMRAP", Reps("amrap"), False),
    ("3 x 10 per side", Reps("count", 10, 10), True),
    ("3 × 10 per side", Reps("count", 10, 10), True),
])
def test_short_form_reads_every_documented_reps_form(text, reps, per_side):
    item = only_item(f"squat: {text}")
    assert (item.sets, item.reps, item.per_side) == (int(text[0]), reps, per_side)


def test_full_form_reads_every_field():
    routine, problems = parse("""
title: Legs
rounds: 2
rest: 60s
items:
  - exercise: single-leg-deadlift
    sets: 3
    reps: 8-10
    per_side: true
    tempo: 3-1-1-0
    load: 15-20 lb
    rest: 45s
    note: Look up.
""")
    assert problems == []
    item = routine.items[0]
    assert (routine.title, routine.rounds, routine.rest) == ("Legs", 2, Rest(60, 60))
    assert (item.exercise.name, item.sets, item.reps.text, item.per_side) == ("single-leg-deadlift", 3, "8–10", True)
    assert (item.tempo, item.load, item.rest, item.note) == ("3-1-1-0", Load("15-20 lb", 15, 20, "lb"), Rest(45, 45),
                                                             "Look up.")


def test_unquoted_tempo_with_leading_zero_is_not_a_number():
    assert only_item("exercise: squat\n    sets: 3\n    reps: 5\n    tempo: 0310").tempo == "0-3-1-0"


def test_tempo_with_explosive_x_is_read():
    assert only_item("exercise: squat\n    sets: 3\n    reps: 5\n    tempo: 31x0").tempo == "3-1-X-0"


def test_minutes_and_seconds_rest_is_a_minute_and_a_half_as_written():
    # YAML 1.1 would read 1:30 as the integer 90 (base 60); the text is read as written instead.
    routine, problems = parse("title: T\nrest: 1:30\nitems:\n  - squat: 3 x 5\n")
    assert problems == []
    assert routine.rest == Rest(90, 90) and routine.rest.text == "1 min 30 s"


def test_minutes_and_seconds_reps_are_a_timed_set():
    item = only_item("plank: 3 x 1:00")
    assert (item.sets, item.reps, item.reps.text) == (3, Reps("time", 60, 60), "1 min")


@pytest.mark.parametrize("rest, low, high, text", [
    ("30-60s", 30, 60, "30–60 s"), ("1-2min", 60, 120, "1–2 min"), ("45–90 s", 45, 90, "45–90 s"),
    ("90s-2min", 90, 120, "90–120 s"), ("1:30-2:00", 90, 120, "90–120 s"),
])
def test_rest_ranges_are_kept_as_ranges(rest, low, high, text):
    routine, problems = parse(f"title: T\nrest: {rest}\nitems:\n  - squat: 3 x 5\n")
    assert problems == []
    assert (routine.rest, routine.rest.text, routine.rest.middle) == (Rest(low, high), text, (low + high) / 2)


@pytest.mark.parametrize("rest, hint", [("60-30s", "write `30-60s`"), ("30-30s", "write one time: `30s`")])
def test_rest_range_must_grow(rest, hint):
    routine, problems = parse(f"title: T\nrest: {rest}\nitems:\n  - squat: 3 x 5\n")
    assert routine is None
    assert [(p.message, p.hint) for p in problems] == [
        (f"rest range `{rest}` must go from the shorter time to the longer", hint)]


def test_reps_alone_are_one_set():
    item = only_item("squat: 12-15")
    assert (item.sets, item.reps, item.per_side) == (1, Reps("count", 12, 15), False)
    item = only_item("lunge: 10 per side")
    assert (item.sets, item.reps, item.per_side) == (1, Reps("count", 10, 10), True)
    assert only_item("exercise: squat\n    reps: 20").sets == 1


def test_rest_between_rounds_and_duration_are_read():
    routine, problems = parse("title: T\nrounds: 3\nrest_between_rounds: 2min\nduration: 40min\n"
                              "items:\n  - squat: 12\n")
    assert problems == []
    assert (routine.rest_between_rounds, routine.duration) == (Rest(120, 120), 2400)


@pytest.mark.parametrize("duration, seconds", [("40min", 2400), ("1h", 3600), ("25:00", 1500), ("1m30s", 90)])
def test_duration_forms(duration, seconds):
    routine, problems = parse(f"title: T\nduration: {duration}\nitems:\n  - squat: 12\n")
    assert problems == [] and routine.duration == seconds


def test_duration_that_is_not_a_time_is_an_error():
    routine, problems = parse("title: T\nduration: long\nitems:\n  - squat: 12\n")
    assert routine is None
    assert [(p.message, p.hint) for p in problems] == [
        ("cannot read `long` as a duration", "write a time such as `40min`, `1h`, `25:00` or `1m30s`")]


def test_alternatives_are_references_where_written():
    item = only_item("squat: 3 x 10\n    alternatives: [wall-sit, Bodyweight Squats]")
    assert [(ref.name, ref.at.line, ref.at.col) for ref in item.alternatives] == [
        ("wall-sit", 5, 20), ("Bodyweight Squats", 5, 30)]


def test_per_side_no_is_false_only_where_a_boolean_is_expected():
    item = only_item("exercise: squat\n    sets: 3\n    reps: 5\n    per_side: no")
    assert item.per_side is False
    assert only_item("exercise: squat\n    sets: 3\n    reps: 5\n    note: no").note == "no"


@pytest.mark.parametrize("rest, seconds", [("45s", 45), ("90s", 90), ("1m30s", 90), ("2min", 120), ("0", 0)])
def test_rest_forms(rest, seconds):
    routine, problems = parse(f"title: T\nrest: {rest}\nitems:\n  - squat: 3 x 5\n")
    assert problems == [] and routine.rest == Rest(seconds, seconds)


def test_superset_members_are_labelled_and_grouped():
    routine, problems = parse("""
title: T
items:
  - squat: 3 x 5
  - superset:
      - lunge: 3 x 10 per side
      - row: 3 x 12
  - superset:
      - plank: 3 x 30s
      - bridge: 3 x 10
""")
    assert problems == []
    labels = [item.label for item in routine.items]
    assert labels == [None, "A1", "A2", "B1", "B2"]
    assert routine.items[1].group == routine.items[2].group != routine.items[3].group


def test_short_form_may_carry_modifiers():
    item = only_item("squat: 3 x 5\n    tempo: '3110'\n    note: Slow.")
    assert (item.sets, item.tempo, item.note) == (3, "3-1-1-0", "Slow.")


def test_problem_points_at_the_line_and_column_of_the_bad_value():
    routine, problems = parse("title: T\nitems:\n  - squat: 3 by 12\n")
    assert routine is None
    problem = problems[0]
    assert (problem.line, problem.col) == (4, 12)
    assert problem.message == "cannot read `3 by 12` as sets and reps"
    assert problem.source_line == "  - squat: 3 by 12"


def test_missing_title_gets_a_numbered_default():
    routine, problems = parse("items:\n  - squat: 3 x 5\n")
    assert problems == [] and routine.title == "Routine 1"


def test_unclosed_fence_is_reported_at_the_fence():
    text = "Intro\n```routine\ntitle: T\n"
    source = SourceFile(Path("post.md"), "post.md", text)
    blocks, _ = find_blocks(text.split("\n"))
    routine, problems = parse_routine(source, blocks[0], first_line=1, number=1)
    assert routine is None
    assert (problems[0].line, problems[0].message) == (2, "routine block is never closed")


def test_other_fenced_code_is_not_a_routine():
    blocks, code = find_blocks(["```yaml", "items: []", "```", "~~~routine", "items: []", "~~~"])
    assert len(blocks) == 1 and blocks[0].text == "items: []"
    assert code == [(0, 2)]


def _messages(problems) -> list[str]:
    return [problem.message for problem in problems]


HUGE = "9" * 5000


@pytest.mark.parametrize("yaml_text, message", [
    (f"items:\n  - exercise: squat\n    sets: {HUGE}\n    reps: 12\n",
     "`sets` must be between 1 and 20, not a number of 5000 digits"),
    (f"items:\n  - exercise: squat\n    sets: 3\n    reps: {HUGE}\n",
     "reps must be at most 1000 (or an hour of time), not a number of 5000 digits"),
    (f"items:\n  - squat: {HUGE} x 12\n", "sets must be between 1 and 20, not a number of 5000 digits"),
    (f"items:\n  - squat: 3 x {HUGE}s\n", "reps must be at most 1000 (or an hour of time), not a number of 5000 digits"),
    (f"items:\n  - squat: 3 x 8-{HUGE}\n", "reps must be at most 1000 (or an hour of time), not a number of 5000 digits"),
    (f"rounds: {HUGE}\nitems:\n  - squat: 3 x 12\n", "`rounds` must be between 1 and 20, not a number of 5000 digits"),
    (f"rest: {HUGE}s\nitems:\n  - squat: 3 x 12\n", "rest must be at most an hour, not a number of 5000 digits"),
    (f"items:\n  - squat: 3 x 12\n    rest: 1m{HUGE}s\n", "rest must be at most an hour, not a number of 5000 digits"),
    ("items:\n  - squat: 0000000000003 x 12\n    rest: 0000000000045s\n", None),
])
def test_numbers_of_thousands_of_digits_are_too_large(yaml_text, message):
    routine, problems = parse(yaml_text)
    assert _messages(problems) == ([message] if message else [])


def test_a_routine_of_more_than_a_hundred_moves_is_an_error():
    routine, problems = parse("items:\n" + "  - squat: 3 x 12\n" * 101)
    assert routine is None
    assert [(p.line, p.col, p.message, p.hint) for p in problems] == [
        (3, 3, "a routine can have at most 100 moves, this one has 101",
         "split it into several routines, each in its own ```routine block")]
    routine, problems = parse("items:\n" + "  - squat: 3 x 12\n" * 100)
    assert problems == [] and len(routine.items) == 100


def test_superset_members_count_as_moves():
    _, problems = parse("items:\n  - superset:\n" + "    - squat: 3 x 12\n" * 100 + "  - squat: 3 x 12\n")
    assert _messages(problems) == ["a routine can have at most 100 moves, this one has 101"]


def test_moves_times_rounds_has_a_limit():
    _, problems = parse("rounds: 20\nitems:\n" + "  - squat: 3 x 12\n" * 26)
    assert _messages(problems) == ["26 moves in 20 rounds are 520 moves in all; a routine can have at most 500"]
    _, problems = parse("rounds: 20\nitems:\n" + "  - squat: 3 x 12\n" * 25)
    assert problems == []


@settings(max_examples=80, deadline=None)
@given(digits=st.integers(min_value=1, max_value=6000), place=st.sampled_from([
    "rounds: {n}\nitems:\n  - squat: 3 x 12\n", "rest: {n}s\nitems:\n  - squat: 3 x 12\n",
    "items:\n  - squat: {n} x 12\n", "items:\n  - squat: 3 x {n}\n", "items:\n  - squat: 3 x {n}-{n}s\n",
    "items:\n  - exercise: squat\n    sets: {n}\n    reps: {n}\n    rest: {n}m{n}s\n"]))
def test_integers_of_any_length_never_raise(digits, place):
    routine, problems = parse(place.format(n="8" * digits))
    assert (routine is None) == bool(problems)
    assert all(problem.line >= 1 and problem.col >= 1 for problem in problems)
