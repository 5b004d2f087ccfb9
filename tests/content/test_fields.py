"""Typed field reading: whole numbers, however many digits they are written with."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from fitfocus.content.fields import Fields, huge_number, too_large, whole_number
from fitfocus.content.yamlnode import parse_yaml
from fitfocus.problems import SourceFile


def _read(text: str) -> tuple[int | None, list[str]]:
    source = SourceFile(Path("post.md"), "post.md", text)
    node, problems = parse_yaml(source, text, 0)
    assert node is not None and problems == []
    fields = Fields(node, source, ("rounds",), "a routine", problems)
    return fields.integer("rounds", 1, 20), [f"{p.line}:{p.col}: {p.message}" for p in problems]


def test_whole_number_reads_up_to_nine_significant_digits():
    assert whole_number("000000000000012") == 12
    assert whole_number("999999999") == 999999999
    assert whole_number("1000000000") is None
    assert too_large("0001000000000") == "a number of 10 digits"


def test_an_integer_of_thousands_of_digits_is_a_located_error():
    assert _read("rounds: " + "7" * 5000 + "\n") == (None, [
        "1:9: `rounds` must be between 1 and 20, not a number of 5000 digits"])
    assert _read("rounds: 21\n") == (None, ["1:9: `rounds` must be between 1 and 20, not 21"])
    assert _read("rounds: 020\n") == (20, [])


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=0, max_value=10 ** 6000))
def test_any_integer_reads_or_is_out_of_range(number: int):
    digits = format(number, "d") if number < 10 ** 4000 else "9" * 4000 + format(number % 10 ** 2000, "d")
    value, problems = _read(f"rounds: {digits}\n")
    assert (value is None) == bool(problems)
    assert value is None or 1 <= value <= 20


def test_huge_number_finds_numbers_beyond_nine_significant_digits():
    assert huge_number("3 x 0000000000045s") is None
    assert huge_number("3 x 1234567890s") == "1234567890"
    assert huge_number("1m00012345678901s") == "00012345678901"
