"""A training plan file: its front matter and its one fenced `plan` block, read into a `Plan`."""

from __future__ import annotations

import datetime
import re

from fitfocus.content.fields import Fields
from fitfocus.content.links import scan_body
from fitfocus.content.model import Location, Plan, PlanDay, PlanWeek, Race, Session
from fitfocus.content.plan_sessions import read_session
from fitfocus.content.fences import fences
from fitfocus.content.yamlnode import YNode, parse_yaml
from fitfocus.problems import Problem, SourceFile, did_you_mean, is_error

PLAN_KEYS = ("title", "summary", "tags", "race", "start")
RACE_KEYS = ("name", "date")
WEEK_KEYS = ("title", "deload", "taper", "days")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_WEEKS = 104
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
BLOCK_HINT = "add a fenced block: a line of ```plan, `weeks:` with each week's `days:`, and a closing ```"


def read_plan(source: SourceFile, fields: Fields, text: str, first_line: int, media: frozenset[str],
              problems: list[Problem]) -> Plan | None:
    """The plan in `source` (front matter in `fields`, body `text` from file line `first_line`), or None."""
    before = len(problems)
    title = fields.text("title", required=True)
    summary = fields.text("summary")
    tags = tuple(dict.fromkeys(ref.name for ref in fields.text_list("tags")))
    race = _race(fields)
    start_node = fields.get("start")
    start = _date(fields, start_node) if start_node is not None else None
    if start_node is not None and race is not None:
        fields.error(start_node, "a plan has a `race` or a `start`, not both",
                     "the race date fixes every date of the plan; remove `start:`")
        start = None
    elif start is not None and start.weekday() != 0:
        monday = start - datetime.timedelta(days=start.weekday())
        fields.error(start_node, f"`start` {start.isoformat()} is a {start:%A}, not a Monday",  # type: ignore[arg-type]
                     f"weeks run Monday to Sunday; start on {monday.isoformat()}")
        start = None
    lines = text.split("\n")
    found = _find_block(source, lines, first_line, problems)
    weeks: tuple[PlanWeek, ...] = ()
    if found is not None:
        opening, closing = found
        node, yaml_problems = parse_yaml(source, "\n".join(lines[opening + 1:closing]), first_line + opening)
        problems.extend(yaml_problems)
        if node is not None:
            weeks = _weeks(source, node, first_line + opening, problems)
        lines[opening:closing + 1] = [""] * (closing + 1 - opening)  # the rest of the body keeps its lines
    body = scan_body(source, "\n".join(lines), first_line, media, problems, allow_routines=False)
    if title is None or not weeks:
        return None
    if race is not None:
        start = race.date - datetime.timedelta(days=race.date.weekday() + 7 * (len(weeks) - 1))
    complete = not any(is_error(problem) for problem in problems[before:])
    return Plan(source.path.stem, title, summary, tags, race, start, weeks, body,
                Location(source.display, 1, 1, source.line(1)), complete)


def _race(fields: Fields) -> Race | None:
    node = fields.get("race")
    if node is None:
        return None
    if node.kind != "map":
        fields.error(node, "`race` must be a mapping", "race: {name: Spring Half, date: 2027-04-18}")
        return None
    race = Fields(node, fields.source, RACE_KEYS, "a race", fields.problems)
    name = race.text("name", required=True)
    date_node = race.require("date", "add `date: YYYY-MM-DD`, the race day")
    date = _date(race, date_node) if date_node is not None else None
    return Race(name, date) if name is not None and date is not None else None


def _date(fields: Fields, node: YNode) -> datetime.date | None:
    text = node.text.strip() if node.kind == "scalar" else ""
    if _DATE.match(text):
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass
    fields.error(node, f"{node.describe()} is not a date", "write dates as YYYY-MM-DD, e.g. 2027-04-18")
    return None


def _find_block(source: SourceFile, lines: list[str], first_line: int,
                problems: list[Problem]) -> tuple[int, int] | None:
    """The body line indexes of the `plan` block's opening and closing fences, or None with a problem."""
    blocks: list[tuple[int, int]] = []
    for fence in fences(lines):
        if fence.info == "plan":
            if not fence.closed:
                problems.append(source.problem(first_line + fence.start, 1, "plan block is never closed",
                                               "end it with a line of ``` like the one that opens it"))
                return None
            blocks.append((fence.start, fence.end))
    if not blocks:
        problems.append(source.problem(first_line, 1, "a plan needs a `plan` block", BLOCK_HINT))
        return None
    for extra, _ in blocks[1:]:
        problems.append(source.problem(first_line + extra, 1, "a plan has one `plan` block",
                                       "put every week in the first block and remove this one"))
    return blocks[0]


def _weeks(source: SourceFile, node: YNode, fence_line: int, problems: list[Problem]) -> tuple[PlanWeek, ...]:
    if node.kind != "map":
        problems.append(source.problem(node.line, node.col, "a plan block holds `weeks:`", BLOCK_HINT))
        return ()
    fields = Fields(node, source, ("weeks",), "a plan block", problems, missing_at=(fence_line, 1))
    weeks_node = fields.require("weeks", "list the weeks under `weeks:`, each with its `days:`")
    if weeks_node is None:
        return ()
    if weeks_node.kind != "seq" or not weeks_node.items:
        fields.error(weeks_node, "`weeks` must be a list of weeks", "start each week with `- days:`")
        return ()
    if len(weeks_node.items) > MAX_WEEKS:
        fields.error(weeks_node, f"a plan has at most {MAX_WEEKS} weeks, not {len(weeks_node.items)}")
        return ()
    weeks = [_week(fields, week, number) for number, week in enumerate(weeks_node.items, start=1)]
    return tuple(week for week in weeks if week is not None)


def _week(fields: Fields, node: YNode, number: int) -> PlanWeek | None:
    if node.kind != "map":
        fields.error(node, f"week {number} must be a mapping with `days:`", "e.g. `- days: {tue: run easy 40min}`")
        return None
    week = Fields(node, fields.source, WEEK_KEYS, f"week {number}", fields.problems)
    title = week.text("title")
    deload, taper = week.boolean("deload", default=False), week.boolean("taper", default=False)
    if deload and taper:
        week.error(week.get("taper"), f"week {number} is a deload or a taper week, not both")  # type: ignore[arg-type]
    days_node = week.require("days", "list its days, e.g. `days: {tue: run easy 40min, thu: rest}`")
    if days_node is None:
        return None
    if days_node.kind != "map":
        week.error(days_node, "`days` must map days to sessions", "e.g. `days: {tue: run easy 40min}`")
        return None
    days: list[PlanDay] = []
    for key, value in days_node.pairs:
        if key.text not in DAYS:
            guess = did_you_mean(key.text.lower()[:3], DAYS) if key.text.lower()[:3] in DAYS else None
            week.error(key, f"unknown day `{key.text}`",
                       guess or did_you_mean(key.text.lower(), DAYS) or f"days are {', '.join(DAYS)}")
            continue
        days.append(PlanDay(DAYS.index(key.text), _sessions(week, value), week.at(key)))
    days.sort(key=lambda day: day.weekday)
    return PlanWeek(number, title, deload, taper, tuple(days), week.at(node))


def _sessions(fields: Fields, node: YNode) -> tuple[Session, ...]:
    """The sessions of a day that can be read (the others are problems)."""
    nodes = node.items if node.kind == "seq" else (node,)
    if not nodes:
        fields.error(node, "a day's list of sessions is empty", "write `rest`, or leave the day out")
    sessions = [read_session(fields, each) for each in nodes]
    return tuple(s for s in sessions if s is not None)
