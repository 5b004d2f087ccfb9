"""Routine blocks: finding ```routine fences in a body and reading them into `Routine` records."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fitfocus.content.fences import fences
from fitfocus.content.fields import Fields, huge_number, read_integer, too_large, whole_number
from fitfocus.content.loads import parse_load
from fitfocus.content.model import Location, Ref, Reps, Rest, Routine, RoutineItem
from fitfocus.problems import Problem, SourceFile
from fitfocus.content.yamlnode import YNode, parse_yaml


REPS_FORMS = "N, N-M, Ns, N-Ms, Nmin, m:ss, `to fatigue` or `AMRAP`"
SHORT_FORM_HINT = (f"write `SETS x REPS` (or REPS alone for one set) with REPS one of {REPS_FORMS}, "
                   "e.g. `3 x 12`, `3 x 45s per side`, `12-15`")
TEMPO_HINT = "write four digits or X (eccentric, pause, concentric, pause), e.g. `3110`, `31X0` or `3-1-1-0`"
REST_HINT = "write rest as `45s`, `90s`, `1m30s`, `2min`, `1:30` or a range such as `30-60s`"
DURATION_HINT = "write a time such as `40min`, `1h`, `25:00` or `1m30s`"

MAX_MOVES = 100  # in one routine, counting each move of a superset
MAX_MOVES_IN_ALL = 500  # moves times rounds
_ITEM_KEYS = ("exercise", "sets", "reps", "per_side", "tempo", "load", "rest", "note", "alternatives")
_MODIFIER_KEYS = _ITEM_KEYS[2:]
_ROUTINE_KEYS = ("title", "rounds", "rest", "rest_between_rounds", "duration", "items")
_SHORT = re.compile(r"^(?P<sets>[0-9]+)\s*[x×X]\s*(?P<reps>.+?)$")
_PER_SIDE = re.compile(r"\s*(?:per|each|/)\s*(?:side|leg|arm)$", re.IGNORECASE)
_COUNT = re.compile(r"^([0-9]+)(?:\s*[-–]\s*([0-9]+))?$")
_SECONDS = re.compile(r"^([0-9]+)(?:\s*[-–]\s*([0-9]+))?\s*(s|sec|secs|seconds|min|mins|minutes)$", re.IGNORECASE)
_TEMPO = re.compile(r"^([0-9X])-?([0-9X])-?([0-9X])-?([0-9X])$", re.IGNORECASE)
_REST = re.compile(r"^(?:(?P<h>[0-9]+)\s*(?:h|hr|hrs|hours?)\s*)?(?:(?P<m>[0-9]+)\s*(?:m|min|mins|minutes)\s*)?"
                   r"(?:(?P<s>[0-9]+)\s*(?:s|sec|secs|seconds))?$", re.IGNORECASE)
_CLOCK = re.compile(r"^([0-9]{1,3}):([0-5][0-9])$")  # m:ss, the way a stopwatch shows it
_RANGE = re.compile(r"^([0-9]+)\s*[-–]\s*([0-9]+)\s*(s|sec|secs|seconds|m|min|mins|minutes)$", re.IGNORECASE)


@dataclass(frozen=True)
class Block:
    """A ```routine fence found in a body: its YAML text and the file line of its opening fence."""

    text: str
    fence_line: int  # 0-based index of the opening fence within the body's lines
    end_line: int  # 0-based index of the closing fence (or the last line when unclosed)
    closed: bool


def find_blocks(lines: list[str]) -> tuple[list[Block], list[tuple[int, int]]]:
    """Find routine fences and other fenced code in `lines`; return routine blocks and code spans."""
    blocks: list[Block] = []
    code: list[tuple[int, int]] = []
    for fence in fences(lines):
        last = min(fence.end, len(lines) - 1)
        if fence.info == "routine":
            blocks.append(Block("\n".join(lines[fence.start + 1:fence.end]), fence.start, last, fence.closed))
        else:
            code.append((fence.start, last))
    return blocks, code


def parse_routine(source: SourceFile, block: Block, first_line: int, number: int) -> tuple[Routine | None, list[Problem]]:
    """Read one block (its fence at body line `block.fence_line`, body starting at file line `first_line`)."""
    fence_line = first_line + block.fence_line
    at = Location(source.display, fence_line, 1, source.line(fence_line))
    if not block.closed:
        return None, [at.problem("routine block is never closed", "end it with a line of ``` like the one that opens it")]
    node, problems = parse_yaml(source, block.text, fence_line)
    if node is None or node.kind != "map":
        if not problems:
            problems.append(at.problem("routine block must hold `title:` and `items:`",
                                       "see the routine example in the README"))
        return None, problems
    fields = Fields(node, source, _ROUTINE_KEYS, "a routine", problems, missing_at=(fence_line, 1))
    title = fields.text("title") or f"Routine {number}"
    rounds = fields.integer("rounds", 1, 20, default=1)
    rest_node = fields.get("rest")
    rest = parse_rest(fields, rest_node) if rest_node is not None else None
    between_node = fields.get("rest_between_rounds")
    between = parse_rest(fields, between_node) if between_node is not None else None
    duration_node = fields.get("duration")
    duration = parse_duration(fields, duration_node) if duration_node is not None else None
    items_node = fields.require("items", "list the moves under `items:`, one per line, e.g. `  - squat: 3 x 12`")
    items: list[RoutineItem] = []
    if items_node is not None:
        if items_node.kind != "seq" or not items_node.items:
            fields.error(items_node, "`items` must be a list of moves", "start each move with `- `, e.g. `- squat: 3 x 12`")
        elif not _too_many_moves(fields, items_node, rounds or 1):
            superset = 0
            for item_node in items_node.items:
                members = _superset_members(fields, item_node)
                if members is None:
                    item = _read_item(fields, item_node, label=None, group=len(items))
                    if item:
                        items.append(item)
                    continue
                superset += 1
                letter = _label_letter(superset)
                group = len(items)
                for position, member in enumerate(members, start=1):
                    item = _read_item(fields, member, label=f"{letter}{position}", group=group)
                    if item:
                        items.append(item)
    if problems:
        return None, problems
    return Routine(title, rounds or 1, rest, tuple(items), number, at, between, duration), problems


def _too_many_moves(fields: Fields, items_node: YNode, rounds: int) -> bool:
    """Whether the routine is longer than any workout, reported at its `items:` list."""
    moves = sum(len(members) if (members := _superset_items(item)) is not None else 1
                for item in items_node.items)
    if moves > MAX_MOVES:
        fields.error(items_node, f"a routine can have at most {MAX_MOVES} moves, this one has {moves}",
                     "split it into several routines, each in its own ```routine block")
    elif moves * rounds > MAX_MOVES_IN_ALL:
        fields.error(items_node, f"{moves} moves in {rounds} rounds are {moves * rounds} moves in all; "
                     f"a routine can have at most {MAX_MOVES_IN_ALL}", "use fewer rounds or split the routine")
    else:
        return False
    return True


def _superset_items(node: YNode) -> tuple[YNode, ...] | None:
    """The members of a `superset:` move as written (unchecked), or None for a single move."""
    if node.kind == "map" and len(node.pairs) == 1 and node.pairs[0][0].text == "superset":
        return node.pairs[0][1].items
    return None


def _label_letter(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _superset_members(fields: Fields, node: YNode) -> tuple[YNode, ...] | None:
    if _superset_items(node) is None:
        return None
    value = node.pairs[0][1]
    if value.kind != "seq" or len(value.items) < 2:
        fields.error(value, "a superset needs a list of at least two moves")
        return ()
    for member in value.items:
        if _superset_members(fields, member) is not None:
            fields.error(member, "a superset cannot contain another superset")
            return ()
    return value.items


def _read_item(fields: Fields, node: YNode, label: str | None, group: int) -> RoutineItem | None:
    source, problems = fields.source, fields.problems
    if node.kind == "scalar":
        fields.error(node, f"move {node.describe()} needs sets and reps", f"write `- {node.text}: 3 x 12`")
        return None
    if node.kind != "map":
        fields.error(node, "each move must be `- slug: SETS x REPS` or a mapping with `exercise:`")
        return None
    keys = [key.text for key, _ in node.pairs]
    short_keys = [key for key, _ in node.pairs if key.text not in _ITEM_KEYS]
    if "exercise" not in keys and len(short_keys) == 1:
        # Short form: `- squat: 3 x 12`, optionally with modifiers such as `tempo:` beside it.
        key, value = next((k, v) for k, v in node.pairs if k is short_keys[0])
        item_fields = Fields(YNode("map", node.line, node.col, pairs=tuple(p for p in node.pairs if p[0] is not key)),
                             source, _MODIFIER_KEYS, "a move", problems)
        parsed = _parse_short(fields, value)
        if parsed is None:
            return None
        sets, reps, per_side = parsed
        exercise = Ref(key.text, fields.at(key))
    elif "exercise" not in keys and len(short_keys) > 1:
        names = ", ".join(f"`{key.text}`" for key in short_keys)
        fields.error(short_keys[1], f"one move names several exercises: {names}",
                     "start each move on its own line with `- `")
        return None
    else:
        item_fields = Fields(node, source, _ITEM_KEYS, "a move", problems)
        exercise_node = item_fields.require("exercise")
        if exercise_node is None or exercise_node.kind != "scalar":
            if exercise_node is not None:
                item_fields.error(exercise_node, "`exercise` must be an exercise slug")
            return None
        exercise = Ref(exercise_node.text.strip(), fields.at(exercise_node))
        sets_node = item_fields.get("sets")  # absent: one set, as in a circuit
        reps_node = item_fields.require("reps")
        if reps_node is None:
            return None
        sets = read_integer(item_fields, sets_node, "sets", 1, 20) if sets_node is not None else 1
        reps_parsed = parse_reps(item_fields, reps_node)
        if sets is None or reps_parsed is None:
            return None
        reps, per_side_in_reps = reps_parsed
        per_side = item_fields.boolean("per_side", default=per_side_in_reps)
    tempo_node = item_fields.get("tempo")
    tempo = parse_tempo(item_fields, tempo_node) if tempo_node is not None else None
    rest_node = item_fields.get("rest")
    rest = parse_rest(item_fields, rest_node) if rest_node is not None else None
    load_text = item_fields.text("load")
    load = parse_load(load_text) if load_text else None
    return RoutineItem(exercise, sets, reps, per_side, tempo, load, rest,
                       item_fields.text("note"), label, group, item_fields.text_list("alternatives"))


def _parse_short(fields: Fields, value: YNode) -> tuple[int, Reps, bool] | None:
    text = value.text.strip() if value.kind == "scalar" else ""
    match = _SHORT.match(text)
    if not match and text:
        alone = _reps_from_text(text)  # reps alone are one set: `- squat: 12-15`
        if alone is not None:
            return 1, alone[0], alone[1]
    if not match:
        fields.error(value, f"cannot read {value.describe()} as sets and reps", SHORT_FORM_HINT)
        return None
    sets = whole_number(match.group("sets"))
    if sets is None or not 1 <= sets <= 20:
        written = too_large(match.group("sets")) if sets is None else sets
        fields.error(value, f"sets must be between 1 and 20, not {written}")
        return None
    if _huge_number(fields, value, match.group("reps")):
        return None
    parsed = _reps_from_text(match.group("reps"))
    if parsed is None:
        line = fields.source.line(value.line) or ""
        found = line.find(match.group("reps"), value.col - 1 + match.start("reps"))
        col = found + 1 if found >= 0 else value.col
        fields.problems.append(fields.source.problem(value.line, col, f"cannot read `{match.group('reps')}` as reps",
                                                     SHORT_FORM_HINT))
        return None
    return sets, parsed[0], parsed[1]


def parse_reps(fields: Fields, node: YNode) -> tuple[Reps, bool] | None:
    """Read a `reps:` value; the bool says whether it ended in `per side`."""
    if node.kind == "scalar" and _huge_number(fields, node, node.text):
        return None
    parsed = _reps_from_text(node.text) if node.kind == "scalar" else None
    if parsed is None:
        fields.error(node, f"cannot read {node.describe()} as reps", f"write one of {REPS_FORMS}")
    return parsed


def _huge_number(fields: Fields, node: YNode, text: str) -> bool:
    """Whether `text` holds a number too long to be reps, reported at `node`."""
    huge = huge_number(text)
    if huge:
        fields.error(node, f"reps must be at most 1000 (or an hour of time), not {too_large(huge)}")
    return huge is not None


def _reps_from_text(text: str) -> tuple[Reps, bool] | None:
    text = text.strip()
    per_side = bool(_PER_SIDE.search(text))
    text = _PER_SIDE.sub("", text).strip()
    lowered = text.lower()
    if lowered in ("to fatigue", "to failure", "max"):
        return Reps("fatigue"), per_side
    if lowered == "amrap":
        return Reps("amrap"), per_side
    clock = _CLOCK.match(text)
    if clock:
        seconds = int(clock.group(1)) * 60 + int(clock.group(2))
        return (Reps("time", seconds, seconds), per_side) if 1 <= seconds <= 3600 else None
    match = _COUNT.match(text)
    if match:
        low = int(match.group(1))
        high = int(match.group(2) or low)
        if 1 <= low <= high <= 1000:
            return Reps("count", low, high), per_side
        return None
    match = _SECONDS.match(text)
    if match:
        scale = 60 if match.group(3).lower().startswith("m") else 1
        low = int(match.group(1)) * scale
        high = int(match.group(2) or match.group(1)) * scale
        if 1 <= low <= high <= 3600:
            return Reps("time", low, high), per_side
    return None


def parse_tempo(fields: Fields, node: YNode) -> str | None:
    """Read a tempo (`3110`, `31X0`, `3-1-1-0`) as `3-1-1-0`; YAML never turns it into a number."""
    match = _TEMPO.match(node.text.strip()) if node.kind == "scalar" else None
    if not match:
        fields.error(node, f"cannot read {node.describe()} as a tempo", TEMPO_HINT)
        return None
    return "-".join(part.upper() for part in match.groups())


def parse_rest(fields: Fields, node: YNode) -> Rest | None:
    """Read a rest (`45s`, `90s`, `1m30s`, `2min`, `1:30`, `0`, or a range `30-60s`, `1-2min`)."""
    text = node.text.strip() if node.kind == "scalar" else ""
    huge = huge_number(text)
    if huge:
        fields.error(node, f"rest must be at most an hour, not {too_large(huge)}")
        return None
    span = _RANGE.match(text)
    if span is not None:
        first, second, unit = span.groups()
        scale = 60 if unit.lower().startswith("m") else 1
        low, high = int(first) * scale, int(second) * scale
        if low >= high:
            hint = f"write `{second}-{first}{unit}`" if low > high else f"write one time: `{first}{unit}`"
            fields.error(node, f"rest range {node.describe()} must go from the shorter time to the longer", hint)
            return None
    elif (mixed := _mixed_range(text)) is not None:  # `90s-2min`: each end with its own unit
        low, high = mixed
        if low >= high:
            fields.error(node, f"rest range {node.describe()} must go from the shorter time to the longer")
            return None
    else:
        seconds = _time_seconds(text)
        if seconds is None:
            hint = REST_HINT
            if re.match(r"^[0-9]+$", text):
                hint = f"{REST_HINT}; a bare number has no unit: `{text}s`?"
            fields.error(node, f"cannot read {node.describe()} as a rest", hint)
            return None
        low = high = seconds
    if high > 3600:
        fields.error(node, f"rest of {high} s is more than an hour")
        return None
    return Rest(low, high)


def parse_duration(fields: Fields, node: YNode) -> int | None:
    """Read a routine's `duration` (`40min`, `1h`, `25:00`, `1m30s`) as seconds."""
    text = node.text.strip() if node.kind == "scalar" else ""
    seconds = _time_seconds(text)
    if not seconds:
        fields.error(node, f"cannot read {node.describe()} as a duration", DURATION_HINT)
        return None
    if seconds > 6 * 3600:
        fields.error(node, f"duration of {seconds // 60} min is more than six hours")
        return None
    return seconds


def _time_seconds(text: str) -> int | None:
    if text == "0":
        return 0
    clock = _CLOCK.match(text)
    if clock:
        return int(clock.group(1)) * 60 + int(clock.group(2))
    match = _REST.match(text) if text else None
    if not match or not (match.group("h") or match.group("m") or match.group("s")):
        return None
    return int(match.group("h") or 0) * 3600 + int(match.group("m") or 0) * 60 + int(match.group("s") or 0)


def _mixed_range(text: str) -> tuple[int, int] | None:
    first, dash, second = text.replace("–", "-").partition("-")
    low, high = _time_seconds(first.strip()), _time_seconds(second.strip())
    return (low, high) if dash and low is not None and high is not None else None
