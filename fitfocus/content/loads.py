"""Loads: a routine's `load:` text, read as a number and a unit where it is one, and shown in kg or lb."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from fitfocus.config import UNIT_WORDS

KG_PER_LB = 0.45359237  # the international pound, exactly
MAX_AMOUNT = {"kg": 1000, "lb": 2500}  # more than anyone lifts: such a number is left as written

_UNIT = r"(?P<{name}>" + "|".join(sorted(UNIT_WORDS, key=len, reverse=True)) + ")"
_NUMBER = r"[0-9]{1,4}(?:[.,][0-9]{1,2})?"
# What may follow the unit and is kept as written: which hand, or what is held.
_HELD = r"(?:dumbbells?|kettlebells?|bells?|plates?|barbell|bar|db|kb)"
_AFTER = rf"(?:(?:each|per|in each|a|in)\s+(?:hand|side|arm|leg|{_HELD})|each|total|{_HELD})"
_LOAD = re.compile(
    r"^(?:(?P<count>[1-9])\s*[x×X]\s*)?"
    rf"(?P<low>{_NUMBER})(?:\s*{_UNIT.format(name='first')})?"
    rf"(?:\s*(?:-|–|—|to)\s*(?P<high>{_NUMBER}))?"
    rf"\s*{_UNIT.format(name='unit')}\.?"
    rf"(?P<rest>(?:(?:\s+|\s*,\s*){_AFTER}){{1,2}})?"
    r"\s*$",
    re.IGNORECASE)


@dataclass(frozen=True)
class Load:
    """A load as written; `unit` is None when it is not a number and a unit (`light band`, `RPE 8`)."""

    text: str
    low: float | None = None  # in `unit`
    high: float | None = None  # equal to `low` unless a range such as `15-20 lb`
    unit: str | None = None  # "kg" or "lb"
    count: int | None = None  # the 2 of `2 x 20 lb`: two weights held
    rest: str = ""  # what follows the unit, as written: ` each hand`

    def amounts(self, unit: str) -> tuple[float, float]:
        """The low and high amounts in `unit`, unrounded."""
        assert self.low is not None and self.high is not None and self.unit is not None
        return convert(self.low, self.unit, unit), convert(self.high, self.unit, unit)

    def figure(self, unit: str) -> str:
        """The amount in `unit` for scripts, unrounded to two decimals: `35.27`, or a range `6.8-9.07`."""
        low, high = (format_amount(amount) for amount in self.amounts(unit))
        return low if low == high else f"{low}-{high}"

    def shown(self, unit: str | None) -> str:
        """The load in `unit`, rounded for plates; as written when `unit` is None, its own, or it has no unit."""
        if unit is None or self.unit is None or unit == self.unit:
            return self.text
        return self._amount(unit, with_count=True) + self.rest

    def both(self, unit: str | None) -> str:
        """The load in `unit` (or as written) with the other unit after it: `2 x 16 kg (35 lb) each hand`."""
        first = unit or self.unit
        if first is None or self.unit is None:
            return self.text
        other = "lb" if first == "kg" else "kg"
        return f"{self._amount(first, with_count=True)} ({self._amount(other, with_count=False)}){self.rest}"

    def _amount(self, unit: str, with_count: bool) -> str:
        """The count, amount and unit without what follows: as written in its own unit, else converted."""
        if unit == self.unit and with_count:
            return self.text[:len(self.text) - len(self.rest)]
        low, high = (plate(amount, unit) for amount in self.amounts(unit))
        amount = format_amount(low) if low == high else f"{format_amount(low)}–{format_amount(high)}"
        count = f"{self.count} × " if self.count and with_count else ""
        return f"{count}{amount} {unit}"


def parse_load(text: str) -> Load:
    """Read a `load:` value: `10 kg`, `15-20 lb`, `2 x 20 lb`, `16 kg each hand`; anything else as written."""
    written = text.strip()
    match = _LOAD.match(written)
    if not match:
        return Load(written)
    unit = UNIT_WORDS[match.group("unit").lower()]
    first = match.group("first")
    if first and (UNIT_WORDS[first.lower()] != unit or not match.group("high")):
        return Load(written)  # `10 kg to 20 lb` or `10 kg kg`: not one load
    low = _number(match.group("low"))
    high = _number(match.group("high")) if match.group("high") else low
    if not 0 < low <= high <= MAX_AMOUNT[unit]:
        return Load(written)
    count = int(match.group("count")) if match.group("count") else None
    return Load(written, low, high, unit, count, match.group("rest") or "")


def convert(amount: float, unit: str, to: str) -> float:
    """`amount` of `unit` in unit `to`."""
    if unit == to:
        return amount
    return amount * KG_PER_LB if to == "kg" else amount / KG_PER_LB


def plate(amount: float, unit: str) -> float:
    """`amount` rounded the way weights come: kg to the nearest 0.5, lb to the nearest pound (halves up), never 0."""
    step = 0.5 if unit == "kg" else 1.0
    return max(step, math.floor(amount / step + 0.5) * step)  # a light weight is never shown as none


def format_amount(amount: float) -> str:
    """`16`, `12.5`, `35.27`: no trailing zeros, at most two decimals."""
    return f"{amount:.2f}".rstrip("0").rstrip(".")


def _number(text: str) -> float:
    return float(text.replace(",", "."))
