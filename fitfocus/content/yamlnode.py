"""YAML read as text with positions: no YAML 1.1 guessing of numbers, booleans, dates or times.

The tree is built from the parser's events with a stack of its own, so depth is a limit with a
located error rather than Python's recursion limit, and libyaml and the pure-Python parser give
the same tree.

Every scalar stays the string the author typed; the field readers in `fields` decide what it
means where it is used, so `tempo: 0310` stays "0310" and `rest: 1:30` is never 90.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

import yaml

from fitfocus.problems import Problem, SourceFile


@dataclass(frozen=True)
class YNode:
    """A YAML node: `kind` is 'scalar', 'seq' or 'map'; `line`/`col` are 1-based in the file."""

    kind: str
    line: int
    col: int
    text: str = ""
    is_null: bool = False
    items: tuple["YNode", ...] = ()
    pairs: tuple[tuple["YNode", "YNode"], ...] = ()
    plain: bool = False  # a scalar written without quotes or tag

    def describe(self) -> str:
        """Name the node's kind the way an author would say it."""
        if self.kind == "scalar":
            if self.is_null:
                return "nothing"
            # A value thousands of characters long would bury the message.
            return f"`{self.text}`" if len(self.text) <= 40 else f"`{self.text[:30]}…` ({len(self.text)} characters)"
        return "a list" if self.kind == "seq" else "a mapping"


# The libyaml parser when PyYAML was built with it (it is in the usual wheels), and the pure-Python
# one. Both are read through their events, which mean the same with either, so a site builds the
# same on every machine; `parse_yaml` takes either, for tests.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PURE_LOADER = yaml.SafeLoader
MAX_DEPTH = 50  # lists and mappings inside one another; no field of a site needs more than a few
# Aliases are expanded, so a few lines of `*a` can mean billions of values; stop early.
_MAX_NODES = 100_000
_NULLS = ("", "~", "null", "Null", "NULL")
_AS_WRITTEN_TAGS = ("!", "tag:yaml.org,2002:str")  # tags that ask for the text as written


class _Stop(Exception):
    """A limit was crossed: give up on the whole YAML block with this one problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def parse_yaml(source: SourceFile, text: str, line_offset: int,
               loader: type = FAST_LOADER) -> tuple[YNode | None, list[Problem]]:
    """Parse `text` (which starts at file line `line_offset + 1`) into a YNode tree, with `loader`'s parser."""
    problems: list[Problem] = []
    if not text.endswith("\n"):
        text += "\n"  # the parsers place an empty value at the very end of the text differently
    if "\t" in text:
        # The two parsers disagree on tabs (libyaml takes `a:<tab>1`, the pure-Python one refuses
        # it); the pure-Python one decides, the same on every machine.
        loader = PURE_LOADER
    try:
        try:
            root = _Composer(source, line_offset, problems).compose(yaml.parse(text, Loader=loader))
        except yaml.YAMLError:
            if loader is PURE_LOADER:
                raise
            # libyaml words its errors differently; the pure-Python parser's messages are the ones
            # explained below, and errors are rare enough that parsing twice costs nothing.
            problems = []
            root = _Composer(source, line_offset, problems).compose(yaml.parse(text, Loader=PURE_LOADER))
    except _Stop as stop:
        return None, [stop.problem]
    except yaml.MarkedYAMLError as error:
        mark, message, hint = _explain(error)
        line = (mark.line + 1 + line_offset) if mark else line_offset + 1
        col = (mark.column + 1) if mark else 1
        return None, [source.problem(line, col, f"invalid YAML: {message}", hint)]
    except yaml.YAMLError as error:
        return None, [source.problem(line_offset + 1, 1, f"invalid YAML: {error}")]
    return root, problems


def _explain(error: yaml.MarkedYAMLError) -> tuple[yaml.Mark | None, str, str | None]:
    """Say a PyYAML error in an author's words, at the place the author must fix."""
    what = error.problem or error.context or "not valid YAML"
    context = error.context or ""
    if "while parsing a flow sequence" in context:
        return error.context_mark, "this `[` list is never closed", "add the closing `]`, e.g. `[quadriceps, glutes]`"
    if "while parsing a flow mapping" in context:
        return error.context_mark, "this `{` mapping is never closed", "add the closing `}`"
    mark = error.problem_mark or error.context_mark
    if what.startswith("expected <block end>"):
        return (mark, "this line is not indented like the lines above it",
                "entries of one list or mapping must start in the same column")
    if "mapping values are not allowed" in what:
        return mark, what, "put quotes around a value that contains `: `"
    if "found character '\\t'" in what:
        return mark, what, "indent with spaces, not tabs"
    if "found undefined alias" in what:
        return mark, what, "an `*alias` needs an `&anchor` earlier in the same block"
    return mark, what, None


@dataclass
class _Open:
    """A list or mapping whose end event has not come yet."""

    event: yaml.Event
    node_line: int
    node_col: int
    size: int = 1
    items: list[YNode] = field(default_factory=list)
    key: YNode | None = None  # a mapping's key waiting for its value
    key_is_merge: bool = False
    seen: set[str] = field(default_factory=set)  # a mapping's keys so far


class _Composer:
    """Builds YNodes straight from parser events, with an explicit stack instead of recursion."""

    def __init__(self, source: SourceFile, offset: int, problems: list[Problem]) -> None:
        self.source = source
        self.offset = offset
        self.problems = problems
        self.budget = _MAX_NODES

    def compose(self, events: Iterator[yaml.Event]) -> YNode | None:
        """The one document's root node, or None for an empty stream."""
        try:
            return self._compose(events)
        except _Stop:
            # Invalid YAML further on is reported instead, whichever parser found the limit first.
            for _ in events:
                pass
            raise

    def _compose(self, events: Iterator[yaml.Event]) -> YNode | None:
        stack: list[_Open] = []
        anchors: dict[str, tuple[YNode, int]] = {}
        open_anchors: set[str] = set()
        root: YNode | None = None
        document: yaml.Event | None = None
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                if document is not None:
                    raise yaml.composer.ComposerError("expected a single document in the stream",
                                                      document.start_mark, "but found another document",
                                                      event.start_mark)
                document = event
                anchors, open_anchors = {}, set()
                continue
            if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
                continue
            if isinstance(event, yaml.AliasEvent):
                if event.anchor in open_anchors:
                    raise _Stop(self._problem(event.start_mark, f"invalid YAML: alias `*{event.anchor}` is used "
                                              "inside its own anchor", "an alias must come after what it names"))
                if event.anchor not in anchors:
                    raise yaml.composer.ComposerError(None, None, f"found undefined alias {event.anchor!r}",
                                                      event.start_mark)
                done, size = anchors[event.anchor]
                self._spend(size, event)
                anchor = None
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                self._check_anchor(event, anchors, open_anchors)
                if len(stack) >= MAX_DEPTH:
                    raise _Stop(self._problem(event.start_mark, f"YAML nested more than {MAX_DEPTH} levels deep",
                                              "no field needs lists or mappings this deep inside one another"))
                self._check_tag(event, ())
                self._spend(1, event)
                line, col = self._position(event.start_mark)
                stack.append(_Open(event, line, col))
                continue
            elif isinstance(event, yaml.ScalarEvent):
                self._check_anchor(event, anchors, open_anchors)
                self._spend(1, event)
                done, size = self._scalar(event), 1
                anchor = event.anchor
            else:  # the end of a list or mapping
                finished = stack.pop()
                done, size = self._collection(finished), finished.size
                anchor = finished.event.anchor
                open_anchors.discard(anchor)
            if anchor is not None:
                anchors[anchor] = (done, size)
            if stack:
                self._add(stack[-1], done, size)
            else:
                root = done
        return root

    def _spend(self, nodes: int, event: yaml.Event) -> None:
        self.budget -= nodes
        if self.budget < 0:
            raise _Stop(self._problem(event.start_mark, "YAML expands to too many values",
                                      "avoid deeply repeated `*aliases`"))

    def _check_anchor(self, event: yaml.NodeEvent, anchors: dict[str, tuple[YNode, int]],
                      open_anchors: set[str]) -> None:
        if event.anchor is None:
            return
        if event.anchor in anchors or event.anchor in open_anchors:
            raise _Stop(self._problem(event.start_mark, f"invalid YAML: anchor `&{event.anchor}` is defined twice",
                                      "give each `&anchor` its own name"))
        if not isinstance(event, yaml.ScalarEvent):
            open_anchors.add(event.anchor)

    def _check_tag(self, event: yaml.NodeEvent, allowed: tuple[str, ...]) -> None:
        tag = event.tag
        if tag is None or tag in allowed:
            return
        shown = "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag
        self.problems.append(self._problem(event.start_mark, f"YAML tag `{shown}` is not supported",
                                           "remove the tag: every value is read as the text written"))

    def _scalar(self, event: yaml.ScalarEvent) -> YNode:
        self._check_tag(event, _AS_WRITTEN_TAGS)
        line, col = self._position(event.start_mark)
        # libyaml marks a plain scalar with style '' and the pure-Python parser with None.
        plain = not event.style and event.tag is None
        if plain and event.value == "":
            # An empty value in `{b: }`: libyaml places it at the next token, the pure-Python parser
            # right after the `:`. Both are read as the place after the `:`.
            written = self.source.line(line) or ""
            while col > 1 and written[col - 2:col - 1] in (" ", "\t"):
                col -= 1
        return YNode("scalar", line, col, text=str(event.value), is_null=plain and event.value in _NULLS,
                     plain=plain)

    def _collection(self, finished: _Open) -> YNode:
        if isinstance(finished.event, yaml.SequenceStartEvent):
            return YNode("seq", finished.node_line, finished.node_col, items=tuple(finished.items))
        pairs = tuple(zip(finished.items[0::2], finished.items[1::2]))
        return YNode("map", finished.node_line, finished.node_col, pairs=pairs)

    def _add(self, parent: _Open, node: YNode, size: int) -> None:
        parent.size += size
        if isinstance(parent.event, yaml.SequenceStartEvent):
            parent.items.append(node)
            return
        if parent.key is None:
            parent.key = node
            parent.key_is_merge = node.plain and node.text == "<<"
            return
        key, parent.key = parent.key, None
        if key.kind != "scalar":
            self.problems.append(self.source.problem(key.line, key.col, "a key must be plain text"))
        elif parent.key_is_merge:
            self.problems.append(self.source.problem(key.line, key.col, "YAML merge keys (`<<`) are not supported"))
        elif key.text in parent.seen:
            self.problems.append(self.source.problem(key.line, key.col, f"duplicate key `{key.text}`",
                                                     "each key may appear once; remove one of them"))
        else:
            parent.seen.add(key.text)
            parent.items.extend((key, node))

    def _position(self, mark: yaml.Mark) -> tuple[int, int]:
        return mark.line + 1 + self.offset, mark.column + 1

    def _problem(self, mark: yaml.Mark, message: str, hint: str | None = None) -> Problem:
        return self.source.problem(*self._position(mark), message, hint)
