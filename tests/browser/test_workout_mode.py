"""Workout mode in Chromium on a phone-sized screen, on a fake clock: the walk from the first set to
the summary, a reload in the middle, the rest timer, sound, the wake lock, accessibility."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .serving import build, serve

PHONE = {"width": 390, "height": 844}
SETTINGS = '[tool.fitfocus]\ntitle = "Walk Blog"\n'
EXERCISES = {
    "squat": "---\nname: Squat\ncues: [Sit back as if aiming for a low chair.]\n---\nHow.\n",
    "lunge": "---\nname: Lunge\n---\nHow.\n",
    "plank": "---\nname: Plank\n---\nHow.\n",
    "wall-sit": "---\nname: Wall Sit\n---\nHow.\n",
}
# Two rounds; a superset of a per-side move and a timed set. The steps, in order, each round:
# Squat set 1 (rest 20 s), Squat set 2 (rest 20 s), A1 Lunge left, A1 Lunge right (straight to A2),
# A2 Plank 10 s (rest 30 s between rounds; nothing after the last round).
POST = """---
title: Walk
---
Intro.

```routine
title: Walk Routine
rounds: 2
rest: 20s
rest_between_rounds: 30s
items:
  - squat: 2 x 5
    load: 20 kg
  - superset:
      - lunge: 1 x 4 per side
      - plank: 1 x 10s
        alternatives: [wall-sit]
```
"""
# Counts calls to the one audio function, and stands in for the Screen Wake Lock API.
INIT = """
window.__tones = 0;
const original = AudioContext.prototype.createOscillator;
AudioContext.prototype.createOscillator = function () { window.__tones += 1; return original.call(this); };
window.__locks = 0;
Object.defineProperty(navigator, 'wakeLock', {configurable: true, value: {
  request: function (type) {
    window.__locks += 1;
    return Promise.resolve({type: type, released: false, release: function () { return Promise.resolve(); },
                            addEventListener: function () {}});
  }}});
"""


@pytest.fixture(scope="module")
def walk_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("walk")
    (root / "pyproject.toml").write_text(SETTINGS)
    (root / "exercises").mkdir()
    for slug, text in EXERCISES.items():
        (root / "exercises" / f"{slug}.md").write_text(text)
    (root / "content" / "posts").mkdir(parents=True)
    (root / "content" / "posts" / "2026-05-01-walk.md").write_text(POST)
    (root / "templates").symlink_to(Path(__file__).resolve().parent.parent.parent / "templates")
    with serve(build(root, "/", root / "site")) as url:
        yield url + "/posts/walk/workout/"


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE)
    context.add_init_script(INIT)
    yield context
    context.close()


def open_page(context: BrowserContext, url: str, errors: list[str]) -> Page:
    page = context.new_page()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: errors.append(f"request {request.url}")
            if not request.url.startswith(url.split("/posts/")[0]) else None)
    page.clock.install()
    page.goto(url)
    return page


def expect_step(page: Page, name: str, reps: str, progress: str) -> None:
    expect(page.locator("#wm-name")).to_have_text(name)
    expect(page.locator("#wm-reps")).to_have_text(reps)
    expect(page.locator("#wm-progress")).to_contain_text(progress)


def test_walk_from_the_first_set_to_the_summary_with_a_reload_in_the_middle(phone: BrowserContext,
                                                                             walk_url: str) -> None:
    errors: list[str] = []
    page = open_page(phone, walk_url, errors)
    expect(page.locator("#wm-list")).to_be_hidden()
    expect_step(page, "Squat", "5", "Round 1 of 2 · Set 1 of 2")
    expect(page.locator("#wm-details")).to_have_text("Load 20 kg")
    expect(page.locator("#wm-next")).to_have_text("Next: Squat, 5")
    page.locator("#wm-weight").fill("22.5 kg")
    page.get_by_role("button", name="Set done").click()
    expect(page.locator("#wm-timer")).to_have_text("Rest 0:20")
    page.clock.run_for(20_500)
    expect_step(page, "Squat", "5", "Set 2 of 2")
    page.get_by_role("button", name="Set done").click()
    page.clock.run_for(21_000)
    expect_step(page, "A1 Lunge", "4 · left side", "Set 1 of 1")
    page.get_by_role("button", name="Set done").click()
    expect_step(page, "A1 Lunge", "4 · right side", "Set 1 of 1")
    expect(page.locator("#wm-next")).to_have_text("Next: A2 Plank, 10 s")

    page.reload()  # progress is kept in the browser
    expect_step(page, "A1 Lunge", "4 · right side", "Round 1 of 2")
    page.get_by_role("button", name="Set done").click()
    expect_step(page, "A2 Plank", "10 s", "Round 1 of 2")
    expect(page.locator("#wm-alt")).to_have_text("or Wall Sit")
    page.get_by_role("button", name="Start").click()
    expect(page.locator("#wm-timer")).to_have_text("Get ready 0:03")
    page.clock.run_for(3_300)
    expect(page.locator("#wm-timer")).to_have_text("Go 0:10")
    page.clock.run_for(10_300)
    expect(page.locator("#wm-timer")).to_have_text("Rest 0:30")  # the rest between rounds
    page.clock.run_for(30_500)
    expect_step(page, "Squat", "5", "Round 2 of 2 · Set 1 of 2")
    for _ in range(2):
        page.get_by_role("button", name="Set done").click()
        page.get_by_role("button", name="Skip rest").click()
    page.get_by_role("button", name="Set done").click()
    page.get_by_role("button", name="Set done").click()
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(13_600)
    expect(page.locator("#wm-summary")).to_be_visible()
    expect(page.locator("#wm-summary-text")).to_contain_text("Sets done: 8 of 8.")
    expect(page.locator("#wm-summary-text")).to_contain_text("Time taken: ")
    assert errors == []

    page.get_by_role("button", name="Start again").click()  # the weights show as "last time"
    expect(page.locator("#wm-last")).to_have_text("last time: 22.5 kg")


def test_rest_timer_skip_and_fifteen_seconds_either_way(phone: BrowserContext, walk_url: str) -> None:
    errors: list[str] = []
    page = open_page(phone, walk_url, errors)
    page.get_by_role("button", name="Set done").click()
    expect(page.locator("#wm-timer")).to_have_text("Rest 0:20")
    page.get_by_role("button", name="15 seconds more").click()
    expect(page.locator("#wm-timer")).to_have_text("Rest 0:35")
    page.clock.run_for(10_000)
    expect(page.locator("#wm-timer")).to_have_text("Rest 0:25")
    page.get_by_role("button", name="15 seconds less").click()
    expect(page.locator("#wm-timer")).to_have_text("Rest 0:10")
    page.get_by_role("button", name="Skip rest").click()
    expect_step(page, "Squat", "5", "Set 2 of 2")
    expect(page.locator("#wm-timer")).to_be_hidden()
    assert errors == []


def test_sound_at_three_seconds_and_at_the_end_and_its_toggle_is_remembered(phone: BrowserContext,
                                                                           walk_url: str) -> None:
    errors: list[str] = []
    page = open_page(phone, walk_url, errors)
    page.get_by_role("button", name="Set done").click()
    page.clock.run_for(17_500)
    assert page.evaluate("window.__tones") == 1  # 3 s before the end
    page.clock.run_for(3_000)
    assert page.evaluate("window.__tones") == 2  # the end
    sound = page.locator("#wm-sound")
    expect(sound).to_have_attribute("aria-pressed", "true")
    sound.click()
    expect(sound).to_have_attribute("aria-pressed", "false")
    page.get_by_role("button", name="Set done").click()
    page.clock.run_for(21_000)
    assert page.evaluate("window.__tones") == 2
    page.reload()
    expect(page.locator("#wm-sound")).to_have_attribute("aria-pressed", "false")
    assert errors == []


def test_the_screen_is_kept_awake_and_asked_again_when_the_page_is_shown(phone: BrowserContext,
                                                                          walk_url: str) -> None:
    errors: list[str] = []
    page = open_page(phone, walk_url, errors)
    expect(page.locator("#wm-wake")).to_have_text("Screen: kept awake")
    assert page.evaluate("window.__locks") == 1
    page.evaluate("""() => {
        Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'hidden'});
        document.dispatchEvent(new Event('visibilitychange'));
        Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => 'visible'});
        document.dispatchEvent(new Event('visibilitychange'));
    }""")
    expect(page.locator("#wm-wake")).to_have_text("Screen: kept awake")
    assert page.evaluate("window.__locks") == 2
    assert errors == []


def test_without_the_wake_lock_api_nothing_breaks(browser: Browser, walk_url: str) -> None:
    context = browser.new_context(viewport=PHONE)
    context.add_init_script("delete Navigator.prototype.wakeLock;")
    errors: list[str] = []
    page = open_page(context, walk_url, errors)
    expect(page.locator("#wm-wake")).to_have_text("Screen: may sleep (keep-awake not supported)")
    page.get_by_role("button", name="Set done").click()
    expect(page.locator("#wm-timer")).to_have_text("Rest 0:20")
    assert errors == []
    context.close()


def test_without_javascript_the_page_shows_the_routine_as_a_list(browser: Browser, walk_url: str) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(walk_url)
    expect(page.locator("#wm-list li")).to_have_text([
        "Squat: 2 × 5, 20 kg; rest 20 s", "A1 Lunge: 4 per side; rest straight to A2",
        "A2 Plank: 10 s; rest 20 s (or Wall Sit)"])
    expect(page.locator("#wm-app")).to_be_hidden()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_and_a_phone_screenshot(browser: Browser, walk_url: str, scheme: str,
                                                        tmp_path: Path) -> None:
    context = browser.new_context(viewport=PHONE, color_scheme=scheme)
    context.add_init_script(INIT)
    errors: list[str] = []
    page = open_page(context, walk_url, errors)
    page.get_by_role("button", name="Set done").click()  # the rest screen, with every control
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    page.screenshot(path=str(tmp_path / f"workout-{scheme}.png"), full_page=True)
    assert errors == []
    context.close()
