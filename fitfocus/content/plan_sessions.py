"""A plan's sessions: `strength POST[/N]`, `run KIND [DISTANCE|TIME] [NOTE]`, `cross TEXT`, `rest`,
or the mapping form with the same keys, read into `Session` records with located problems."""

from __future__ import annotations

import re

from fitfocus.content.fields import Fields
from fitfocus.content.model import Distance, Ref, Session
from fitfocus.content.yamlnode import YNode
from fitfocus.problems import did_you_mean

KINDS = ("strength", "run", "cross", "rest")
RUNS = ("easy", "recovery", "tempo", "intervals", "hills", "long", "race")
HARD_RUNS = ("tempo", "intervals", "hills", "long", "race")
SESSION_KEYS = ("strength", "run", "cross", "distance", "time", "note", "hard")
SESSION_HINT = "write `strength POST[/N]`, `run KIND [DISTANCE|TIME] [NOTE]`, `cross TEXT` or `rest`"
AMOUNT_HINT = ("write a distance such as `14km`, `10 mi`, `800m` or `6 x 800m`, "
               "or a time such as `40min`, `1h15` or `90s`")
MAX_SECONDS = 24 * 3600  # a session longer than a day is a typo

_DISTANCE = re.compile(r"^(?:(?P<reps>[0-9]{1,3})\s*[x×]\s*)?(?P<amount>[0-9]{1,5}(?:\.[0-9]{1,2})?)\s*"
                       r"(?P<unit>km|mi|m)$", re.IGNORECASE)
_TIME = re.compile(r"^(?:(?P<h>[0-9]{1,2})\s*h(?:\s*(?P<hm>[0-5]?[0-9])(?:\s*min)?)?|(?P<m>[0-9]{1,4})\s*min|"
                   r"(?P<s>[0-9]{1,5})\s*s)$", re.IGNORECASE)
# The amount at the start of a run's words: up to three words, so `6 x 800m` and `10 mi` are one.
_LEADING = re.compile(r"^(?:[0-9]{1,3}\s*[x×]\s*)?[0-9][0-9.]*(?:\s*[a-z]+(?:[0-9]+(?:min)?)?)?\b", re.IGNORECASE)


def read_session(fields: Fields, node: YNode) -> Session | None:
    """One session written as a line or a mapping; None (with a problem) when it cannot be read."""
    if node.kind == "map":
        return _mapping(fields, node)
    if node.kind != "scalar" or node.is_null or not node.text.strip():
        fields.error(node, f"a session must be a line or a mapping, not {node.describe()}", SESSION_HINT)
        return None
    text = node.text.strip()
    kind, _, rest = text.partition(" ")
    rest = rest.strip()
    at = fields.at(node)
    if kind == "rest" and not rest:
        return Session("rest", at)
    if kind == "strength" and rest:
        return _strength(fields, node, rest, None)
    if kind == "cross" and rest:
        return Session("cross", at, text=rest)
    if kind == "run" and rest:
        run, _, words = rest.partition(" ")
        return _run(fields, node, run, words.strip(), None, None, None, False)
    if kind in KINDS:
        fields.error(node, f"`{kind}` needs {_NEEDS[kind]}", SESSION_HINT)
        return None
    fields.error(node, f"unknown session `{_short(text)}`", did_you_mean(kind.lower(), KINDS) or SESSION_HINT)
    return None


_NEEDS = {"strength": "a post's slug, e.g. `strength legs-and-back-at-home`",
          "run": "a kind, e.g. `run easy 40min`", "cross": "what it is, e.g. `cross yoga 20min`",
          "rest": "nothing after it"}


def _mapping(fields: Fields, node: YNode) -> Session | None:
    own = Fields(node, fields.source, SESSION_KEYS, "a session", fields.problems)
    given = [key for key in ("strength", "run", "cross") if own.get(key) is not None]
    if len(given) != 1:
        message = "a session needs one of `strength`, `run` or `cross`" if not given else (
            f"a session is one of `strength`, `run` or `cross`, not {' and '.join(f'`{k}`' for k in given)}")
        own.error(node, message, "write several sessions of a day as a list: `[run easy 30min, cross yoga]`")
        return None
    kind = given[0]
    note = own.text("note")
    hard = own.boolean("hard", default=False)
    if kind != "run":
        for key in ("distance", "time"):
            if own.get(key) is not None:
                own.error(own.get(key), f"`{key}` belongs to a run, not to a {kind} session")  # type: ignore[arg-type]
    value = own.get(kind)
    if value is None or value.kind != "scalar":
        own.error(value or node, f"`{kind}` must be text")
        return None
    if kind == "strength":
        return _strength(own, value, value.text.strip(), note, hard)
    if kind == "cross":
        return Session("cross", own.at(value), text=value.text.strip(), note=note, hard=hard)
    distance = _amount_node(own, "distance")
    time = _amount_node(own, "time")
    return _run(own, value, value.text.strip(), "", note, distance, time, hard)


def _amount_node(fields: Fields, key: str) -> YNode | None:
    node = fields.get(key)
    if node is not None and node.kind != "scalar":
        fields.error(node, f"`{key}` must be text, not {node.describe()}", AMOUNT_HINT)
        return None
    return node


def _strength(fields: Fields, node: YNode, written: str, note: str | None, hard: bool = False) -> Session | None:
    slug, slash, number = written.partition("/")
    slug = slug.strip()
    col = node.col + (len("strength ") if node.text.strip().startswith("strength ") else 0)
    at = fields.at(node)
    at = type(at)(at.path, at.line, col, at.source_line)
    routine = 1
    if slash:
        if not number.strip().isdigit() or not 1 <= int(number.strip()[:4]) <= 99:
            fields.error(node, f"`/{number.strip()}` is not a routine number",
                         f"write the routine's place in its post, e.g. `{slug}/2` for its second routine")
            return None
        routine = int(number.strip())
    if not slug or " " in slug:
        fields.error(node, f"`{written}` is not a post's slug", "write `strength POST[/N]`, e.g. `strength leg-day/2`")
        return None
    return Session("strength", at, post=Ref(slug, at), routine=routine, note=note, hard=hard)


def _run(fields: Fields, node: YNode, run: str, words: str, note: str | None, distance_node: YNode | None,
         time_node: YNode | None, hard: bool) -> Session | None:
    if run not in RUNS:
        fields.error(node, f"unknown kind of run `{run}`",
                     did_you_mean(run.lower(), RUNS) or f"kinds of run: {', '.join(RUNS)}")
        return None
    distance, seconds = None, None
    leading = _LEADING.match(words) if words else None
    if leading:
        amount = leading.group().strip()
        distance, seconds = parse_amount(amount)
        if distance is None and seconds is None:
            fields.error(node, f"`{amount}` is not a distance or a time", AMOUNT_HINT)
            return None
        words = words[leading.end():].strip()
    for amount_node in (distance_node, time_node):
        if amount_node is None:
            continue
        found_distance, found_seconds = parse_amount(amount_node.text.strip())
        wanted = found_distance if amount_node is distance_node else found_seconds
        if wanted is None:
            what = "distance" if amount_node is distance_node else "time"
            fields.error(amount_node, f"`{amount_node.text.strip()}` is not a {what}", AMOUNT_HINT)
            return None
        distance, seconds = (found_distance, seconds) if amount_node is distance_node else (distance, found_seconds)
    return Session("run", fields.at(node), run=run, distance=distance, seconds=seconds,
                   note=note or words or None, hard=hard or run in HARD_RUNS)


def parse_amount(text: str) -> tuple[Distance | None, int | None]:
    """A distance (`14km`, `6 x 800m`) or a time in seconds (`40min`, `1h15`, `90s`); (None, None) when neither."""
    found = _DISTANCE.match(text)
    if found:
        reps = int(found.group("reps") or 1)
        if reps >= 1 and float(found.group("amount")) > 0:
            return Distance(reps, found.group("amount"), found.group("unit").lower()), None
        return None, None
    found = _TIME.match(text)
    if not found:
        return None, None
    if found.group("h"):
        seconds = int(found.group("h")) * 3600 + int(found.group("hm") or 0) * 60
    elif found.group("m"):
        seconds = int(found.group("m")) * 60
    else:
        seconds = int(found.group("s"))
    return (None, seconds) if 0 < seconds <= MAX_SECONDS else (None, None)


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:30] + "…"
