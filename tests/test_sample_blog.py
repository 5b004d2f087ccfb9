"""The sample blog keeps its word: every time a post states agrees with its routines' estimates."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from fitfocus.config import load_config
from fitfocus.content.library import index_library
from fitfocus.content.loader import load_content
from fitfocus.pages.workout import estimate_seconds, post_workouts

ROOT = Path(__file__).resolve().parent.parent
TOLERANCE = 0.15
WORDS = {"five": 5, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20, "twenty-five": 25, "thirty": 30,
         "forty": 40, "forty-five": 45, "fifty": 50, "sixty": 60}
NUMBER = r"(\d+|" + "|".join(sorted(WORDS, key=len, reverse=True)) + ")"
# What a post says of its own length: "12-minute", "about 40 minutes", "in fifteen minutes", "about 25 min";
# not what it says of something else ("five minutes of easy marching", "75-80% of your best").
STATED = re.compile(rf"\b{NUMBER}-minute\b|\b(?:about|around|roughly|in) {NUMBER} (?:minutes|min)\b", re.IGNORECASE)


def stated_minutes(text: str) -> list[int]:
    """Every time in minutes that `text` states, in order."""
    found = []
    for match in STATED.finditer(text):
        number = (match.group(1) or match.group(2)).lower()
        found.append(int(number) if number.isdigit() else WORDS[number])
    return found


def sample_posts():
    config, problems = load_config(ROOT)
    assert problems == []
    loaded = load_content(config, datetime.date(2026, 12, 1))
    assert loaded.problems == []
    library = index_library(loaded.content, config, drafts=True, future=True)
    return [(post, post_workouts(post, library)) for post in library.posts]


def test_stated_minutes_are_read_the_way_writers_write_them() -> None:
    text = ("The 12-Minute Series takes about fifteen minutes; a 40-minute day; 75-80% of your best; in 25 min; "
            "five minutes of marching; ten minutes on the bike.")
    assert stated_minutes(text) == [12, 15, 40, 25]


@pytest.mark.parametrize("post, workouts", sample_posts(), ids=lambda value: getattr(value, "slug", ""))
def test_every_stated_time_agrees_with_the_estimate(post, workouts) -> None:
    if not workouts:
        return  # a post without a routine has nothing to agree with
    text = " ".join(filter(None, (post.title, post.summary, post.body.text)))
    # A stated time may be the whole post's or one routine's (a warm-up, an at-home version).
    figures = [sum(estimate_seconds(w) for w in workouts) / 60] + [estimate_seconds(w) / 60 for w in workouts]
    for minutes in stated_minutes(text):
        assert any(abs(figure - minutes) <= TOLERANCE * minutes for figure in figures), (
            f"{post.at.path} says {minutes} min; the estimates are {[round(f, 1) for f in figures]}")


def test_the_sample_blog_states_times_at_all() -> None:
    # Without this the test above could pass by finding nothing.
    assert sum(len(stated_minutes(post.title + (post.summary or "") + post.body.text))
               for post, workouts in sample_posts() if workouts) >= 6
