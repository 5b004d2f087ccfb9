"""YAML read as text with positions: no YAML 1.1 guessing of numbers, booleans, dates or times.

Every scalar stays the string the author typed; the field readers in `fields` decide what it
means where it is used, so `tempo: 0310` stays "0310" and `rest: 1:30` is never 90.
"""

from __future__ import annotations

from dataclasses import dataclass

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

    def describe(self) -> str:
        """Name the node's kind the way an author would say it."""
        if self.kind == "scalar":
            return "nothing" if self.is_null else f"`{self.text}`"
        return "a list" if self.kind == "seq" else "a mapping"


_NULL_TAG = "tag:yaml.org,2002:null"
# libyaml's parser when PyYAML was built with it (it is in the usual wheels): same nodes, same marks, faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Aliases are expanded, so a few lines of `*a` can mean billions of values; stop early.
_MAX_NODES = 100_000


def parse_yaml(source: SourceFile, text: str, line_offset: int) -> tuple[YNode | None, list[Problem]]:
    """Parse `text` (which starts at file line `line_offset + 1`) into a YNode tree."""
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as error:
        mark, message, hint = _explain(error)
        line = (mark.line + 1 + line_offset) if mark else line_offset + 1
        col = (mark.column + 1) if mark else 1
        return None, [source.problem(line, col, f"invalid YAML: {message}", hint)]
    except yaml.YAMLError as error:
        return None, [source.problem(line_offset + 1, 1, f"invalid YAML: {error}")]
    if root is None:
        return None, []
    problems: list[Problem] = []
    budget = [_MAX_NODES]
    tree = _convert(root, source, line_offset, problems, 0, budget)
    if budget[0] < 0:
        return None, [source.problem(line_offset + 1, 1, "YAML expands to too many values",
                                     "avoid deeply repeated `*aliases`")]
    return tree, problems


def _compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError:
        # libyaml words its errors differently; the pure-Python parser's messages are the ones
        # explained below, and errors are rare enough that parsing twice costs nothing.
        return yaml.compose(text, Loader=yaml.SafeLoader)


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


def _convert(node: yaml.Node, source: SourceFile, offset: int, problems: list[Problem], depth: int,
             budget: list[int]) -> YNode:
    line = node.start_mark.line + 1 + offset
    col = node.start_mark.column + 1
    budget[0] -= 1
    if depth > 50 or budget[0] < 0:
        if budget[0] >= 0:
            problems.append(source.problem(line, col, "YAML nested too deeply"))
        return YNode("scalar", line, col, is_null=True)
    if isinstance(node, yaml.ScalarNode):
        is_null = node.tag == _NULL_TAG and node.style is None
        return YNode("scalar", line, col, text=str(node.value), is_null=is_null)
    if isinstance(node, yaml.SequenceNode):
        items = tuple(_convert(item, source, offset, problems, depth + 1, budget) for item in node.value)
        return YNode("seq", line, col, items=items)
    pairs: list[tuple[YNode, YNode]] = []
    seen: set[str] = set()
    for key_node, value_node in node.value:
        key = _convert(key_node, source, offset, problems, depth + 1, budget)
        value = _convert(value_node, source, offset, problems, depth + 1, budget)
        if key.kind != "scalar":
            problems.append(source.problem(key.line, key.col, "a key must be plain text"))
            continue
        if key_node.tag == "tag:yaml.org,2002:merge":
            problems.append(source.problem(key.line, key.col, "YAML merge keys (`<<`) are not supported"))
            continue
        if key.text in seen:
            problems.append(source.problem(key.line, key.col, f"duplicate key `{key.text}`",
                                           "each key may appear once; remove one of them"))
            continue
        seen.add(key.text)
        pairs.append((key, value))
    return YNode("map", line, col, pairs=tuple(pairs))
