"""Typed reading of a YAML mapping: each field is read as the type it must be, or a problem."""

from __future__ import annotations

import re
from typing import Iterable

from fitfocus.content.model import Location, Ref
from fitfocus.content.vocabulary import vocabulary_hint
from fitfocus.problems import Problem, SourceFile, did_you_mean
from fitfocus.content.yamlnode import YNode

_TRUE = {"true", "yes", "on"}
_FALSE = {"false", "no", "off"}
_INT = re.compile(r"^[0-9]+$")
_MAX_DIGITS = 9
_HUGE = re.compile(rf"(?<![0-9])0*[1-9][0-9]{{{_MAX_DIGITS},}}")


class Fields:
    """The keys of one YAML mapping, checked against the allowed ones; problems collect in `problems`."""

    def __init__(self, node: YNode, source: SourceFile, allowed: Iterable[str], what: str,
                 problems: list[Problem], missing_at: tuple[int, int] | None = None,
                 missing_hint: str | None = None) -> None:
        self.source = source
        # Where to report a missing key (e.g. the `---` line) and how to suggest adding it.
        self.missing_at = missing_at or (node.line, node.col)
        self.missing_hint = missing_hint
        self.problems = problems
        self.what = what
        self.node = node
        self._values: dict[str, YNode] = {}
        allowed = tuple(allowed)
        for key, value in node.pairs:
            if key.text not in allowed:
                hint = did_you_mean(key.text, allowed) or f"allowed keys: {', '.join(allowed)}"
                self.error(key, f"unknown key `{key.text}` in {what}", hint)
            else:
                self._values[key.text] = value

    def error(self, node: YNode, message: str, hint: str | None = None) -> None:
        """Record a problem at `node`."""
        self.problems.append(self.source.problem(node.line, node.col, message, hint))

    def at(self, node: YNode) -> Location:
        """The location of `node` in this file."""
        return Location(self.source.display, node.line, node.col, self.source.line(node.line))

    def get(self, key: str) -> YNode | None:
        """The node of `key`, or None when it is absent or empty."""
        value = self._values.get(key)
        if value is None or (value.kind == "scalar" and value.is_null):
            return None
        return value

    def require(self, key: str, hint: str | None = None) -> YNode | None:
        """The node of `key`, with a problem when it is missing."""
        value = self.get(key)
        if value is None:
            present = self._values.get(key)
            line, col = (present.line, present.col) if present else self.missing_at
            if hint is None and self.missing_hint:
                hint = self.missing_hint.format(key=key)
            self.problems.append(self.source.problem(line, col, f"{self.what} needs `{key}`", hint))
        return value

    def text(self, key: str, required: bool = False) -> str | None:
        """A one-line or multi-line string; numbers and dates stay as typed."""
        value = self.require(key) if required else self.get(key)
        if value is None:
            return None
        if value.kind != "scalar":
            self.error(value, f"`{key}` must be text, not {value.describe()}")
            return None
        if not value.text.strip():
            if required:
                self.error(value, f"`{key}` must not be empty")
            return None
        return value.text.strip()

    def integer(self, key: str, minimum: int, maximum: int, default: int | None = None) -> int | None:
        """A whole number within [minimum, maximum]."""
        value = self.get(key)
        if value is None:
            return default
        return read_integer(self, value, key, minimum, maximum)

    def boolean(self, key: str, default: bool) -> bool:
        """`true`/`false` (also `yes`/`no`, `on`/`off`, since a boolean is expected here)."""
        value = self.get(key)
        if value is None:
            return default
        word = value.text.strip().lower() if value.kind == "scalar" else ""
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        self.error(value, f"`{key}` must be true or false, not {value.describe()}")
        return default

    def text_list(self, key: str) -> tuple[Ref, ...]:
        """A list of strings (a single string counts as a list of one), each with its location."""
        value = self.get(key)
        if value is None:
            return ()
        nodes = (value,) if value.kind == "scalar" else value.items if value.kind == "seq" else None
        if nodes is None:
            self.error(value, f"`{key}` must be a list, not {value.describe()}")
            return ()
        refs: list[Ref] = []
        for item in nodes:
            if item.kind != "scalar" or item.is_null or not item.text.strip():
                self.error(item, f"each entry of `{key}` must be text, not {item.describe()}")
                continue
            refs.append(Ref(item.text.strip(), self.at(item)))
        return tuple(refs)

    def vocabulary(self, key: str, allowed: tuple[str, ...], noun: str, plural: str) -> tuple[str, ...]:
        """A list of values from a closed vocabulary; unknown values are problems with a did-you-mean."""
        values: list[str] = []
        for ref in self.text_list(key):
            if ref.name in allowed:
                if ref.name not in values:
                    values.append(ref.name)
                continue
            guess = vocabulary_hint(ref.name, allowed, key) or did_you_mean(
                ref.name.lower().replace(" ", "-").replace("_", "-"), allowed)
            hint = guess or f"known {plural}: {', '.join(allowed)}; add new ones under [tool.fitfocus.vocabulary]"
            self.problems.append(ref.at.problem(f"unknown {noun} `{ref.name}` in `{key}`", hint))
        return tuple(values)


def read_integer(fields: Fields, value: YNode, key: str, minimum: int, maximum: int) -> int | None:
    """Read `value` as a whole number in [minimum, maximum], or record a problem."""
    text = value.text.strip() if value.kind == "scalar" else ""
    if not _INT.match(text):
        fields.error(value, f"`{key}` must be a whole number, not {value.describe()}")
        return None
    number = whole_number(text)
    if number is None:
        fields.error(value, f"`{key}` must be between {minimum} and {maximum}, not {too_large(text)}")
        return None
    if not minimum <= number <= maximum:
        fields.error(value, f"`{key}` must be between {minimum} and {maximum}, not {number}")
        return None
    return number


def whole_number(digits: str) -> int | None:
    """The number a string of digits writes, or None when it is longer than any limit a site has."""
    significant = digits.lstrip("0")
    # Python refuses to read integers of thousands of digits; no count, time or setting needs ten.
    return int(digits) if len(significant) <= _MAX_DIGITS else None


def too_large(digits: str) -> str:
    """Say a number `whole_number` refused in words, without quoting thousands of digits."""
    return f"a number of {len(digits.lstrip('0'))} digits"


def huge_number(text: str) -> str | None:
    """The first number written in `text` that `whole_number` would refuse, if any."""
    found = _HUGE.search(text)
    return found.group() if found else None
