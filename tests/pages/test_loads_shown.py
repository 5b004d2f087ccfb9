"""Loads as the templates show them: the routine table and workout mode in the site's unit with
both units for the reader's switch, the card with both units printed, the switch only where loads have a unit."""

from __future__ import annotations

from pathlib import Path

from test_cards import build, text_of, write_site

POST = """---
title: Dumbbells
---
```routine
title: Main
items:
  - squat: 3 x 8
    load: 16 kg each hand
  - row: 3 x 10
    load: 15-20 lb
  - plank: 1 x 30s
    load: light band
```
"""
NO_UNITS = """---
title: Bands
---
```routine
title: Bands
items:
  - plank: 1 x 30s
    load: light band
```
"""


def pages(tmp_path: Path, settings: str = "") -> dict[str, str]:
    return build(write_site(tmp_path, settings, {"2026-05-01-dumbbells": POST, "2026-05-02-bands": NO_UNITS}))[2]


def test_routine_table_shows_loads_as_written_with_both_units_in_the_markup(tmp_path: Path) -> None:
    html = pages(tmp_path)["posts/dumbbells/index.html"]
    assert ('<span class="load" data-kg="16" data-lb="35.27" data-kg-text="16 kg each hand" '
            'data-lb-text="35 lb each hand">16 kg each hand</span>') in html
    assert ('<span class="load" data-kg="6.8-9.07" data-lb="15-20" data-kg-text="7–9 kg" '
            'data-lb-text="15-20 lb">15-20 lb</span>') in html
    assert "<td>light band</td>" in html
    assert ('<div class="units-switch" role="group" aria-label="Loads in" data-default="" hidden>'
            '<span aria-hidden="true">Loads in</span> <button type="button" data-units="kg" aria-pressed="false">kg'
            '</button><button type="button" data-units="lb" aria-pressed="false">lb</button></div>') in html
    assert html.count("static/units.js\" defer></script>") == 1
    assert html.count("units-switch") == 1  # once, in the workout header


def test_feeds_carry_the_loads_but_no_switch(tmp_path: Path) -> None:
    feed = pages(tmp_path)["feed.xml"]
    assert "16 kg each hand&lt;/span&gt;" in feed and "units-switch" not in feed


def test_the_sites_unit_is_shown_and_pressed(tmp_path: Path) -> None:
    built = pages(tmp_path, 'units = "lb"\n')
    html = built["posts/dumbbells/index.html"]
    assert 'data-lb-text="35 lb each hand">35 lb each hand</span>' in html
    assert 'data-lb-text="15-20 lb">15-20 lb</span>' in html
    assert '<button type="button" data-units="lb" aria-pressed="true">lb</button>' in html
    workout = built["posts/dumbbells/workout/index.html"]
    assert "Squat</a>: 3 × 8, <span class=\"load\"" in workout and ">35 lb each hand</span>" in workout
    assert '"load": "35 lb each hand", "load_kg": "16 kg each hand", "load_lb": "35 lb each hand"' in workout
    assert 'data-default="lb"' in workout and "static/units.js" in workout


def test_no_switch_and_no_script_without_a_load_with_a_unit(tmp_path: Path) -> None:
    built = pages(tmp_path)
    for name in ("posts/bands/index.html", "posts/bands/workout/index.html"):
        assert "units-switch" not in built[name] and "units.js" not in built[name]
    assert "units.js" not in built["index.html"]


def test_cards_print_both_units(tmp_path: Path) -> None:
    card = text_of(pages(tmp_path)["posts/dumbbells/card/index.html"])
    assert "Load 16 kg (35 lb) each hand" in card
    assert "Load 15-20 lb (7–9 kg)" in card
    assert "Load light band" in card


def test_cards_print_the_sites_unit_first(tmp_path: Path) -> None:
    card = text_of(pages(tmp_path, 'units = "kg"\n')["posts/dumbbells/card/index.html"])
    assert "Load 16 kg (35 lb) each hand" in card
    assert "Load 7–9 kg (15–20 lb)" in card
