"""Fenced blocks as CommonMark opens and closes them: backticks or tildes, a closing fence at least
as long as the opening one, fences inside a block are its text, an unclosed block runs to the end."""

from __future__ import annotations

from fitfocus.content.fences import Fence, fences


def test_blocks_are_found_with_their_word_and_lines() -> None:
    lines = ["Intro", "```routine", "title: A", "```", "", "~~~~ Python extra", "code", "~~~~", "end"]
    assert fences(lines) == [Fence("routine", 1, 3, True), Fence("python", 5, 7, True)]


def test_a_shorter_or_other_fence_does_not_close_a_block() -> None:
    lines = ["````plan", "```", "~~~~", "````", "after"]
    assert fences(lines) == [Fence("plan", 0, 3, True)]


def test_a_fence_inside_a_block_is_its_text() -> None:
    lines = ["~~~", "```routine", "~~~", "```routine", "```"]
    assert fences(lines) == [Fence("", 0, 2, True), Fence("routine", 3, 4, True)]


def test_an_unclosed_block_runs_to_the_end() -> None:
    assert fences(["text", "```routine", "items: []"]) == [Fence("routine", 1, 3, False)]


def test_four_spaces_of_indent_is_not_a_fence() -> None:
    assert fences(["    ```routine", "   ```plan", "```"]) == [Fence("plan", 1, 2, True)]
