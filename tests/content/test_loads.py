"""Loads: reading `load:` text as a number and a unit, converting it and rounding it for plates."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fitfocus.config import UNIT_WORDS
from fitfocus.content.loads import KG_PER_LB, Load, convert, format_amount, parse_load, plate


@pytest.mark.parametrize(("text", "low", "high", "unit", "count", "rest"), [
    ("10 kg", 10, 10, "kg", None, ""),
    ("10kg", 10, 10, "kg", None, ""),
    ("10 KG", 10, 10, "kg", None, ""),
    ("12.5 kg", 12.5, 12.5, "kg", None, ""),
    ("12,5 kg", 12.5, 12.5, "kg", None, ""),
    ("15-20 lb", 15, 20, "lb", None, ""),
    ("15–20 lbs", 15, 20, "lb", None, ""),
    ("15 to 20 pounds", 15, 20, "lb", None, ""),
    ("15kg-20kg", 15, 20, "kg", None, ""),
    ("2 x 20 lb", 20, 20, "lb", 2, ""),
    ("2×16 kg", 16, 16, "kg", 2, ""),
    ("2x16kg", 16, 16, "kg", 2, ""),
    ("16 kg each hand", 16, 16, "kg", None, " each hand"),
    ("20 lb per hand", 20, 20, "lb", None, " per hand"),
    ("10-20 lb each hand", 10, 20, "lb", None, " each hand"),
    ("24 kg kettlebell", 24, 24, "kg", None, " kettlebell"),
    ("2 x 20 lb dumbbells", 20, 20, "lb", 2, " dumbbells"),
    ("16 kg, each hand", 16, 16, "kg", None, ", each hand"),
    ("5 kilos", 5, 5, "kg", None, ""),
    ("1 kilogram", 1, 1, "kg", None, ""),
    ("1 pound", 1, 1, "lb", None, ""),
    ("45 lb.", 45, 45, "lb", None, ""),
])
def test_a_number_and_a_unit_is_read(text: str, low: float, high: float, unit: str, count: int | None,
                                     rest: str) -> None:
    assert parse_load(text) == Load(text, low, high, unit, count, rest)


@pytest.mark.parametrize("text", [
    "light band", "bodyweight", "RPE 8", "heavy", "about 75-80% of your best", "a heavy book",
    "10 kg to 20 lb", "0 kg", "20-10 kg", "1500 kg", "2600 lb", "10 kg heavy", "10", "kg", "bodyweight + 10 kg",
    "10 kg kg",
])
def test_anything_else_is_kept_as_written(text: str) -> None:
    load = parse_load(text)
    assert load == Load(text)
    assert (load.shown("kg"), load.shown("lb"), load.both("kg"), load.both(None)) == (text, text, text, text)


@pytest.mark.parametrize(("text", "kg", "lb"), [
    ("16 kg each hand", "16 kg each hand", "35 lb each hand"),
    ("20 lb per hand", "9 kg per hand", "20 lb per hand"),
    ("15-20 lb", "7–9 kg", "15-20 lb"),
    ("12.5 kg", "12.5 kg", "28 lb"),
    ("2 x 20 lb", "2 × 9 kg", "2 x 20 lb"),
    ("2×16 kg", "2×16 kg", "2 × 35 lb"),
    ("15-15.5 lb", "7 kg", "15-15.5 lb"),  # a range that rounds to one weight is one weight
    ("0.5 lb", "0.5 kg", "0.5 lb"),  # never rounded down to nothing
])
def test_shown_in_either_unit_rounded_for_plates(text: str, kg: str, lb: str) -> None:
    load = parse_load(text)
    assert (load.shown("kg"), load.shown("lb"), load.shown(None)) == (kg, lb, text)


@pytest.mark.parametrize(("text", "unit", "both"), [
    ("16 kg", None, "16 kg (35 lb)"),
    ("16 kg", "lb", "35 lb (16 kg)"),
    ("16 kg each hand", "kg", "16 kg (35 lb) each hand"),
    ("2 x 20 lb", None, "2 x 20 lb (9 kg)"),
    ("2 x 20 lb", "kg", "2 × 9 kg (20 lb)"),
    ("15–20 lbs", "kg", "7–9 kg (15–20 lb)"),
])
def test_both_units_for_a_card(text: str, unit: str | None, both: str) -> None:
    assert parse_load(text).both(unit) == both


def test_figures_for_the_script_are_unrounded() -> None:
    load = parse_load("15-20 lb")
    assert (load.figure("kg"), load.figure("lb")) == ("6.8-9.07", "15-20")
    assert parse_load("16 kg").figure("lb") == "35.27"


@pytest.mark.parametrize(("amount", "unit", "rounded"), [
    (9.07, "kg", 9.0), (9.25, "kg", 9.5), (9.24, "kg", 9.0), (35.27, "lb", 35.0), (35.5, "lb", 36.0),
    (0.1, "kg", 0.5), (0.2, "lb", 1.0),
])
def test_plate_rounding(amount: float, unit: str, rounded: float) -> None:
    assert plate(amount, unit) == rounded


amounts = st.decimals(min_value="0.5", max_value="999", places=1).map(lambda d: format_amount(float(d)))
units = st.sampled_from(["kg", "kgs", "kilos", "lb", "lbs", "pounds"])
spaces = st.sampled_from(["", " "])


@given(amounts, units, spaces)
def test_round_trip_one_amount(amount: str, unit: str, space: str) -> None:
    load = parse_load(f"{amount}{space}{unit}")
    assert format_amount(load.low) == amount and load.low == load.high
    assert load.unit == UNIT_WORDS[unit]
    assert load.shown(load.unit) == f"{amount}{space}{unit}"  # its own unit: exactly as written


@given(amounts, amounts, st.sampled_from(["kg", "lb"]), st.sampled_from(["-", "–", " - ", " to "]),
       st.sampled_from(["", " each hand", " per side"]))
def test_round_trip_ranges(first: str, second: str, unit: str, dash: str, rest: str) -> None:
    low, high = sorted((first, second), key=float)
    load = parse_load(f"{low}{dash}{high} {unit}{rest}")
    assert (format_amount(load.low), format_amount(load.high), load.unit, load.rest) == (low, high, unit, rest)
    other = "lb" if unit == "kg" else "kg"
    shown = parse_load(load.shown(other))  # what the switch shows reads back as the same load, rounded
    expected = [plate(convert(float(value), unit, other), other) for value in (low, high)]
    assert (shown.low, shown.high, shown.unit, shown.rest) == (expected[0], expected[-1], other, rest)


@given(st.floats(min_value=0.5, max_value=1000))
def test_converting_there_and_back_is_the_same_amount(amount: float) -> None:
    assert convert(convert(amount, "kg", "lb"), "lb", "kg") == pytest.approx(amount)
    assert convert(1, "lb", "kg") == KG_PER_LB
