"""YAML read as written: the same nodes and problems with libyaml and the pure-Python parser, and limits."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from fitfocus.content.yamlnode import FAST_LOADER, MAX_DEPTH, PURE_LOADER, YNode, parse_yaml
from fitfocus.problems import format_problem, SourceFile

INPUTS = [
    "title: ~\nslug: null\nsummary: Null\ndraft: NULL\nnote:\n",
    "title: '~'\nslug: \"null\"\n",
    "draft: yes\npublished: no\non: off\ncount: 0310\nrest: 1:30\ndate: 2026-03-01\n",
    "title: !!str 12\nslug: ! 13\n",
    "title: !foo bar\nslug: !!python/object:os.system x\nitems: !!set {a, b}\n",
    "a: &x [1, 2]\nb: *x\nc: *x\n",
    "a: 1\na: 2\n",
    "<<: {a: 1}\n",
    "? [a]\n: b\n",
    "a: [1, 2\n",
    "a: {b: 1\n",
    "a: *missing\n",
    "a: &x 1\nb: &x 2\n",
    "a: 1\n---\nb: 2\n",
    "a:\n  - b\n - c\n",
    "a: b: c\n",
    "a:\t1\n",
    "",
    "---\n",
    "- just\n- a list\n",
    "plain text\n",
    "a: [" * 60 + "]" * 60 + "\n",
    "a: &x [" + "*x" + "]\n",
]


def _parse(text: str, loader: type) -> tuple[YNode | None, list[str]]:
    source = SourceFile(Path("post.md"), "post.md", "---\n" + text)
    node, problems = parse_yaml(source, text, 1, loader=loader)
    return node, [format_problem(problem) for problem in problems]


def _problems(text: str) -> list[str]:
    return _parse(text, PURE_LOADER)[1]


def test_libyaml_is_there_to_compare_with() -> None:
    assert FAST_LOADER is yaml.CSafeLoader
    assert PURE_LOADER is yaml.SafeLoader


@pytest.mark.parametrize("text", INPUTS)
def test_both_parsers_read_the_same(text: str) -> None:
    assert _parse(text, FAST_LOADER) == _parse(text, PURE_LOADER)


def test_plain_nulls_are_nothing_but_quoted_or_tagged_ones_are_text() -> None:
    for loader in (FAST_LOADER, PURE_LOADER):
        node, problems = _parse("a: ~\nb: null\nc: '~'\nd: !!str null\ne:\n", loader)
        assert problems == []
        assert node is not None
        values = {key.text: (value.text, value.is_null) for key, value in node.pairs}
        assert values == {"a": ("~", True), "b": ("null", True), "c": ("~", False), "d": ("null", False),
                          "e": ("", True)}


def test_a_tag_other_than_str_is_an_error() -> None:
    assert _problems("title: !foo bar\n") == [
        "post.md:2:8: error: YAML tag `!foo` is not supported\n"
        "    2 | title: !foo bar\n"
        "      |        ^\n"
        "  hint: remove the tag: every value is read as the text written"]
    assert _problems("t: !!python/object:os.system x\n")[0].startswith(
        "post.md:2:4: error: YAML tag `!!python/object:os.system` is not supported")
    assert _problems("t: !!set {a, b}\n")[0].startswith("post.md:2:4: error: YAML tag `!!set` is not supported")


def test_nesting_deeper_than_the_limit_is_one_located_error() -> None:
    text = "a: " + "[" * 1000 + "]" * 1000 + "\n"
    problems = _problems(text)
    assert len(problems) == 1
    assert problems[0].startswith(f"post.md:2:{3 + MAX_DEPTH}: error: YAML nested more than 50 levels deep\n")
    assert problems[0].endswith("hint: no field needs lists or mappings this deep inside one another")
    assert _problems("a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n") == []


def test_an_alias_inside_its_own_anchor_is_an_error() -> None:
    assert _problems("a: &x [*x]\n") == [
        "post.md:2:8: error: invalid YAML: alias `*x` is used inside its own anchor\n"
        "    2 | a: &x [*x]\n"
        "      |        ^\n"
        "  hint: an alias must come after what it names"]


def test_an_anchor_defined_twice_is_an_error() -> None:
    assert _problems("a: &x 1\nb: &x 2\n")[0].startswith(
        "post.md:3:4: error: invalid YAML: anchor `&x` is defined twice\n")


def test_aliases_that_expand_to_too_many_values_are_an_error() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 7)]
    problems = _problems("\n".join(lines) + "\n")
    assert len(problems) == 1
    assert "error: YAML expands to too many values" in problems[0]


def test_long_values_are_shortened_when_described() -> None:
    node = YNode("scalar", 1, 1, text="9" * 5000)
    assert node.describe() == "`999999999999999999999999999999…` (5000 characters)"
    assert YNode("scalar", 1, 1, text="squat").describe() == "`squat`"


@settings(max_examples=60, deadline=None)
@given(depth=st.integers(min_value=0, max_value=3000), flow=st.booleans())
def test_any_nesting_depth_parses_or_is_a_located_error(depth: int, flow: bool) -> None:
    if flow:
        text = "a: " + "[" * depth + "]" * depth + "\n"
    else:
        text = "a:\n" + "".join("  " * level + "-\n" for level in range(1, depth + 1))
    for loader in (FAST_LOADER, PURE_LOADER):
        node, problems = _parse(text, loader)
        assert (node is None) == bool(problems)
        assert all(problem.startswith("post.md:") for problem in problems)


_PIECES = ["a", "b: ", ": ", "- ", "\n", "  ", "~", "null", "'x'", '"y"', "[", "]", "{", "}", ", ", "&k ", "*k",
           "!!str ", "!t ", "#c", "12", "yes", "? "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=20))
def test_both_parsers_read_any_text_the_same(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert _parse(text, FAST_LOADER) == _parse(text, PURE_LOADER)
