"""The one formatter of problems: location, the quoted line with a caret, the hint."""

from __future__ import annotations

from fitfocus.problems import Problem, format_problem, format_problems


def test_a_problem_shows_its_place_line_caret_and_hint() -> None:
    problem = Problem("content/posts/x.md", 3, 7, "unknown exercise `sqat`", "did you mean `squat`?", "  - sqat: 3 x 10")
    assert format_problem(problem) == ("content/posts/x.md:3:7: error: unknown exercise `sqat`\n"
                                       "    3 |   - sqat: 3 x 10\n"
                                       "      |       ^\n"
                                       "  hint: did you mean `squat`?")


def test_a_very_long_line_is_quoted_around_the_column() -> None:
    line = "a" * 1999 + "X" + "b" * 1000
    text = format_problem(Problem("pyproject.toml", 1, 2000, "too large", None, line))
    quoted, caret = text.splitlines()[1:3]
    assert len(quoted) < 120 and quoted.startswith("    1 | …") and quoted.endswith("…")
    assert quoted[caret.index("^")] == "X"  # the caret still points at the column


def test_every_problem_is_listed_once_then_counted() -> None:
    one = Problem("a.md", 1, 1, "first")
    assert format_problems([one, one, Problem("b.md", 2, 1, "second")]).splitlines()[-1] == \
        "2 errors; nothing was written."
