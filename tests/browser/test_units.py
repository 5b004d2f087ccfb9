"""The reader's kg/lb switch in Chromium: it converts every load with a unit, is remembered on the
next page (posts and workout mode), converts the weights typed in workout mode, and passes axe."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .serving import build, serve

SUBPATH = "/lifts/"  # served under a sub-path, as on a project site
SETTINGS = '[tool.fitfocus]\ntitle = "Lift Blog"\n'
EXERCISES = {
    "squat": "---\nname: Squat\n---\nHow.\n",
    "row": "---\nname: Row\n---\nHow.\n",
    "plank": "---\nname: Plank\n---\nHow.\n",
}
POSTS = {
    "2026-05-01-dumbbells": """---
title: Dumbbells
---
```routine
title: Dumbbell Day
items:
  - squat: 2 x 8
    load: 16 kg each hand
  - row: 2 x 10
    load: 15-20 lb
  - plank: 1 x 20s
    load: light band
```
""",
    "2026-05-02-kettlebell": """---
title: Kettlebell
---
```routine
title: Bell Day
items:
  - squat: 1 x 10
    load: 10 kg
```
""",
    "2026-05-03-bands": """---
title: Bands
---
```routine
title: Band Day
items:
  - plank: 1 x 20s
    load: light band
```
""",
}


@pytest.fixture(scope="module")
def lifts_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("lifts")
    (root / "pyproject.toml").write_text(SETTINGS)
    for folder, files in (("exercises", EXERCISES), ("content/posts", POSTS)):
        (root / folder).mkdir(parents=True)
        for name, text in files.items():
            (root / folder / f"{name}.md").write_text(text)
    (root / "templates").symlink_to(Path(__file__).resolve().parent.parent.parent / "templates")
    site = build(root, SUBPATH, root / "out" / SUBPATH.strip("/"))
    with serve(site.parent) as url:
        yield url + SUBPATH


def open_page(context: BrowserContext, url: str, errors: list[str]) -> Page:
    page = context.new_page()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: errors.append(f"request {request.url}")
            if not request.url.startswith(url.split(SUBPATH)[0] + SUBPATH) else None)
    page.goto(url)
    return page


def test_the_switch_converts_loads_and_is_remembered_on_other_pages(browser: Browser, lifts_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    errors: list[str] = []
    page = open_page(context, lifts_url + "posts/dumbbells/", errors)
    loads = page.locator(".routine-table .load")
    expect(loads).to_have_text(["16 kg each hand", "15-20 lb"])  # as written until the reader chooses
    switch = page.get_by_role("group", name="Loads in")
    expect(switch).to_be_visible()
    expect(switch.get_by_role("button", name="lb")).to_have_attribute("aria-pressed", "false")
    switch.get_by_role("button", name="lb").click()
    expect(loads).to_have_text(["35 lb each hand", "15-20 lb"])
    expect(switch.get_by_role("button", name="lb")).to_have_attribute("aria-pressed", "true")
    expect(switch.get_by_role("button", name="kg")).to_have_attribute("aria-pressed", "false")
    expect(page.locator(".routine-table td", has_text="light band")).to_have_count(1)
    switch.get_by_role("button", name="kg").click()
    expect(loads).to_have_text(["16 kg each hand", "7–9 kg"])
    switch.get_by_role("button", name="lb").click()

    other = open_page(context, lifts_url + "posts/kettlebell/", errors)  # another post: still in lb
    expect(other.locator(".routine-table .load")).to_have_text(["22 lb"])
    expect(other.get_by_role("button", name="lb")).to_have_attribute("aria-pressed", "true")

    workout = open_page(context, lifts_url + "posts/kettlebell/workout/", errors)  # workout mode too
    expect(workout.locator("#wm-details")).to_have_text("Load 22 lb")
    expect(workout.locator("#wm-weight-label")).to_have_text("Weight used (lb)")
    workout.locator("#wm-weight").fill("50")
    workout.get_by_role("button", name="kg").click()  # the weight typed follows the unit
    expect(workout.locator("#wm-details")).to_have_text("Load 10 kg")
    expect(workout.locator("#wm-weight-label")).to_have_text("Weight used (kg)")
    expect(workout.locator("#wm-weight")).to_have_value("22.5")
    workout.get_by_role("button", name="Set done").click()
    workout.get_by_role("button", name="Start again").click()
    expect(workout.locator("#wm-last")).to_have_text("last time: 22.5 kg")
    workout.get_by_role("button", name="lb").click()
    expect(workout.locator("#wm-last")).to_have_text("last time: 50 lb")
    workout.get_by_role("button", name="kg").click()

    page.reload()  # the choice made in workout mode holds on the post
    expect(loads).to_have_text(["16 kg each hand", "7–9 kg"])
    assert errors == []
    context.close()


def test_no_switch_where_no_load_has_a_unit(browser: Browser, lifts_url: str) -> None:
    context = browser.new_context()
    errors: list[str] = []
    for path in ("posts/bands/", "posts/bands/workout/", ""):
        page = open_page(context, lifts_url + path, errors)
        expect(page.locator(".units-switch")).to_have_count(0)
    assert errors == []
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["posts/dumbbells/", "posts/dumbbells/workout/"])
def test_axe_finds_no_violations_with_the_switch(browser: Browser, lifts_url: str, scheme: str, path: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme)
    errors: list[str] = []
    page = open_page(context, lifts_url + path, errors)
    page.get_by_role("button", name="lb").click()  # one button pressed, one not: both states checked
    expect(page.locator(".units-switch")).to_be_visible()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    assert errors == []
    context.close()
