"""The muscle map in Chromium: named by its muscles, marked by more than colour, clean for axe."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

EXERCISE = "exercises/single-leg-deadlift/"  # hamstrings and glutes; core and lower back as well
NAME = "Muscle map. Primary: hamstrings, glutes. Secondary: core, lower back."


def region_style(page: Page, region: str, prop: str) -> set[str]:
    """The computed `prop` of each shape drawing `region` on the page's first map."""
    return set(page.eval_on_selector_all(
        f'.muscle-map [data-region="{region}"]', f"els => els.map(e => getComputedStyle(e)['{prop}'])"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_exercise_page_shows_a_named_map(page: Page, site_url: str, scheme: str, tmp_path: Path) -> None:
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + EXERCISE)
    drawing = page.get_by_role("img", name=NAME)
    expect(drawing).to_have_count(1)
    expect(drawing).to_be_visible()
    expect(page.locator(".mm-key-item")).to_have_text(["Primary: Hamstrings, Glutes", "Secondary: Core, Lower Back"])
    # Strong, light and neutral are three different fills; the light one is a hatch, not a colour.
    primary, neutral = region_style(page, "glutes", "fill"), region_style(page, "chest", "fill")
    secondary = region_style(page, "core", "fill")
    assert len(primary) == len(neutral) == 1 and primary != neutral
    assert secondary == {'url("#fit-muscle-map-hatch")'}
    assert region_style(page, "glutes", "strokeWidth") == {"0.9px"} != region_style(page, "chest", "strokeWidth")
    box = drawing.bounding_box()
    assert box is not None and box["width"] >= 190 and box["x"] + box["width"] <= 390
    drawing.screenshot(path=tmp_path / f"muscle-map-{scheme}.png")
    assert (tmp_path / f"muscle-map-{scheme}.png").stat().st_size > 0
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_each_routine_of_a_post_has_its_own_map(page: Page, site_url: str) -> None:
    page.goto(site_url + "posts/single-leg-strength-for-marathoners/")
    maps = page.locator(".routine .mm-drawing")
    expect(maps).to_have_count(2)
    expect(page.get_by_role("img", name="Muscle map. Primary: quadriceps, glutes, obliques, core, hamstrings. "
                                        "Secondary: adductors, abductors, calves, shoulders.")).to_have_count(1)
    # A muscle primary for one move and secondary for another is primary for the routine.
    second = page.locator("#fit-routine-2")
    assert second.locator('[data-region="core"]').first.get_attribute("class") == "mm-region mm-primary"


def test_the_map_prints_as_black_line_art(page: Page, site_url: str) -> None:
    page.goto(site_url + EXERCISE)
    page.emulate_media(media="print", color_scheme="dark")
    assert region_style(page, "glutes", "fill") == {"rgb(0, 0, 0)"}
    assert region_style(page, "chest", "fill") == {"rgb(255, 255, 255)"}
    assert set(page.eval_on_selector_all(".mm-hatch-line", "els => els.map(e => getComputedStyle(e).stroke)")) == {
        "rgb(0, 0, 0)"}
