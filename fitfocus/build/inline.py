"""Python-Markdown's inline pass, skipping a pattern on a text that lacks what every match of it
must contain: the same patterns, in the same order, on the same texts, so the same output. Its
link patterns find the `]` closing a link's text by looking at the text's brackets only."""

from __future__ import annotations

import bisect
import re
import xml.etree.ElementTree as etree
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import markdown
from markdown import inlinepatterns
from markdown.treeprocessors import InlineProcessor
from markdown.util import AtomicString

# What a text must contain for a pattern to match it: every clause holds one of its strings.
Needs = tuple[tuple[str, ...], ...]

# Patterns from these modules are matched only through their compiled regex; any other pattern
# (a third-party extension's) is always tried, whatever its regex says.
_KNOWN_MODULES = ("markdown.", "fitfocus.")


class PrecheckedInlineProcessor(InlineProcessor):
    """Python-Markdown's `InlineProcessor`, which does not try a pattern on a text that cannot hold a match of it."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self._needs: dict[int, tuple[Any, Needs]] = {}
        self._table: list[tuple[inlinepatterns.Pattern, Needs]] = []

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        """Python-Markdown's inline pass over `tree`, with the patterns and what they need looked up once."""
        self._table = [(pattern, self._pattern_needs(pattern)) for pattern in self.inlinePatterns]
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        # Python-Markdown's own loop (its private name, so its recursive calls come here too), with
        # one check before each pattern: a regex that cannot match leaves `data` as it was and moves
        # on to the next pattern from the start, which is what skipping it does. The check runs on
        # the text as it is now, since a placeholder put in by a match brings letters, digits and `:`.
        if isinstance(data, AtomicString):
            return data
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        table = self._table
        start = 0
        count = len(table)
        while patternIndex < count:
            pattern, needs = table[patternIndex]
            if needs and not _may_match(needs, data):
                patternIndex += 1
                start = 0
                continue
            data, matched, start = apply(pattern, data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data

    def _pattern_needs(self, pattern: inlinepatterns.Pattern) -> Needs:
        """`pattern_needs(pattern)`, worked out once for each pattern."""
        cached = self._needs.get(id(pattern))
        if cached is None or cached[0] is not pattern:
            cached = self._needs[id(pattern)] = (pattern, pattern_needs(pattern))
        return cached[1]


def _may_match(needs: Needs, data: str) -> bool:
    # False only when `data` lacks every string of one of the clauses.
    for clause in needs:
        for needed in clause:
            if needed in data:
                break
        else:
            return False
    return True


def pattern_needs(pattern: inlinepatterns.Pattern) -> Needs:
    """What every match of a known `pattern` contains; nothing (always tried) for one this module does not know."""
    kind = type(pattern)
    if not kind.__module__.startswith(_KNOWN_MODULES):
        return ()
    if kind.getCompiledRegExp is not inlinepatterns.Pattern.getCompiledRegExp:
        return ()
    return regex_needs(pattern.getCompiledRegExp())


def regex_needs(regex: re.Pattern[str]) -> Needs:
    """Strings that any text `regex` matches in must contain: each clause names alternatives, one of which is there."""
    if regex.flags & re.IGNORECASE:
        return ()
    try:
        parsed = sre_parse.parse(regex.pattern, regex.flags)
    except re.error:
        return ()
    return tuple(dict.fromkeys(_sequence(list(parsed))))


def _sequence(items: list[tuple[Any, Any]]) -> list[tuple[str, ...]]:
    """Every item of a sequence must match: what each needs, and each run of literals as one string."""
    clauses: list[tuple[str, ...]] = []
    run = ""
    for op, argument in items:
        if op is sre.LITERAL:
            run += chr(argument)
            continue
        if run:
            clauses.append((run,))
            run = ""
        clauses.extend(_item(op, argument))
    if run:
        clauses.append((run,))
    return clauses


def _item(op: Any, argument: Any) -> list[tuple[str, ...]]:
    """What one regex item needs (anything not known here needs nothing, which is always safe)."""
    if op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, inner = argument
        return [] if add_flags & sre_parse.SRE_FLAG_IGNORECASE else _sequence(list(inner))
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, _high, inner = argument
        return _sequence(list(inner)) if low >= 1 else []
    if op is sre.ASSERT:
        # A lookaround's text is in the string searched, even when it is outside the match.
        _direction, inner = argument
        return _sequence(list(inner))
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(argument))
    if op is sre.BRANCH:
        # What every alternative needs, and one of the strings the alternatives need first.
        alternatives = [_sequence(list(alternative)) for alternative in argument[1]]
        if not all(alternatives):
            return []
        common = [clause for clause in alternatives[0] if all(clause in other for other in alternatives[1:])]
        either = tuple(dict.fromkeys(needed for clauses in alternatives for needed in clauses[0]))
        return common or [either]
    if op is sre.IN:
        characters = [chr(value) for kind, value in argument if kind is sre.LITERAL]
        return [tuple(characters)] if len(characters) == len(argument) else []
    return []


class BracketScan:
    """Python-Markdown's `LinkInlineProcessor.getText` over the brackets of a text only.

    Python-Markdown 3.11 works out the closing bracket for every index of a text with a Python step
    per character, again for each new text a match leaves; here the steps are one per bracket. The
    answers are the same: where the first `]` that brings the bracket depth below the depth at
    `index` ends, and the text in between."""

    def __init__(self) -> None:
        self._data: str | None = None
        self._positions: list[int] = []
        self._ends: list[int | None] = [None]

    def text(self, data: str, index: int) -> tuple[str, int, bool]:
        """The link text starting at `index` of `data`, the index just past its `]`, and whether
        there is one (when not: the rest of `data`, its length, False)."""
        if self._data is not data:
            self._data = data
            self._positions, self._ends = _bracket_ends(data)
        # Indexes between two brackets share the depth before the next one, so they share its answer.
        end = self._ends[bisect.bisect_left(self._positions, index)]
        if end is None:
            return data[index:], len(data), False
        return data[index:end - 1], end, True


_BRACKET = re.compile(r"[\[\]]")


def _bracket_ends(data: str) -> tuple[list[int], list[int | None]]:
    """The positions of the brackets of `data`, and for each stretch before bracket k (and the one
    after the last), the index just past the `]` that closes a bracket opened in it, or None."""
    positions: list[int] = []
    ends: list[int | None] = []
    waiting: list[tuple[int, int]] = []  # stretches without their `]` yet, and the depth in each
    depth = 0
    for number, match in enumerate(_BRACKET.finditer(data)):
        position = match.start()
        positions.append(position)
        ends.append(None)
        waiting.append((number, depth))
        if data[position] == "[":
            depth += 1
        else:
            depth -= 1
            while waiting and depth < waiting[-1][1]:
                ends[waiting.pop()[0]] = position + 1
    ends.append(None)  # after the last bracket nothing closes
    return positions, ends


def use_prechecked_inline(md: markdown.Markdown) -> None:
    """Put the prechecked inline pass in the place (name and priority) of Python-Markdown's own, and
    give Python-Markdown's link patterns the bracket scan (one for them all: they scan the same texts)."""
    md.treeprocessors.register(PrecheckedInlineProcessor(md), "inline", 20)
    scan = BracketScan()
    for pattern in md.inlinePatterns:
        if (isinstance(pattern, inlinepatterns.LinkInlineProcessor)
                and type(pattern).getText is inlinepatterns.LinkInlineProcessor.getText):
            pattern.getText = scan.text  # type: ignore[method-assign]
