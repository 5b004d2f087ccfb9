"""Fenced blocks in a Markdown body (``` or ~~~, as CommonMark opens and closes them): where each
one starts and ends, and the word after its opening fence (`routine`, `plan`, a language)."""

from __future__ import annotations

import re
from dataclasses import dataclass

FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`\s]*)[^`]*$")


@dataclass(frozen=True)
class Fence:
    """One fenced block of a body's lines."""

    info: str  # the word after the opening fence, lower-cased ("" when there is none)
    start: int  # 0-based index of the opening fence's line
    end: int  # 0-based index of the closing fence's line, or the number of lines when there is none
    closed: bool


def fences(lines: list[str]) -> list[Fence]:
    """Every fenced block of `lines`, in order (fences inside a fenced block are its text)."""
    found: list[Fence] = []
    index = 0
    while index < len(lines):
        match = FENCE.match(lines[index])
        if not match:
            index += 1
            continue
        fence = match.group("fence")
        closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        end = index + 1
        while end < len(lines) and not closing.match(lines[end]):
            end += 1
        found.append(Fence(match.group("info").lower(), index, end, end < len(lines)))
        index = end + 1
    return found
