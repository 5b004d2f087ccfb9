"""The exercise library's filter, with JavaScript (the <select>s) and without (the facet links)."""

from __future__ import annotations

import itertools
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

REPO = Path(__file__).resolve().parent.parent.parent


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), f"{path} has no front matter"
    return yaml.safe_load(text.split("\n---", 1)[0].removeprefix("---\n")) or {}


@pytest.fixture(scope="module")
def library() -> dict[str, dict]:
    """The sample blog's exercises, read from exercises/*.md: slug -> front matter."""
    exercises = {path.stem: front_matter(path) for path in sorted((REPO / "exercises").glob("*.md"))}
    assert len(exercises) > 10
    return exercises


def matching(library: dict[str, dict], muscle: str | None = None, equipment: str | None = None) -> set[str]:
    """Slugs of the exercises whose primary muscles and equipment include the given values."""
    return {slug for slug, data in library.items()
            if (muscle is None or muscle in (data.get("muscles") or []))
            and (equipment is None or equipment in (data.get("equipment") or ["body-weight"]))}


def card_slugs(page: Page, *, visible: bool) -> set[str]:
    """Slugs of the exercise cards that are shown (or hidden), from each card's link."""
    slugs = set()
    for card in page.locator(".exercise-card").all():
        if card.is_visible() != visible:
            continue
        href = card.locator(".exercise-card-title a").get_attribute("href")
        slugs.add(urljoin(page.url, href).rstrip("/").rsplit("/", 1)[-1])
    return slugs


def visible_card_data(page: Page) -> list[dict[str, list[str]]]:
    return page.evaluate("""() => [...document.querySelectorAll('.exercise-card')]
        .filter(card => card.checkVisibility())
        .map(card => ({muscle: card.dataset.muscle.split(' '), equipment: card.dataset.equipment.split(' '),
                       level: card.dataset.level.split(' ')}))""")


def test_filter_with_javascript(page: Page, site_url: str, library: dict[str, dict]) -> None:
    page.goto(site_url + "exercises/")
    form = page.locator("#exercise-filter")
    expect(form).to_be_visible()
    cards = page.locator(".exercise-card")
    expect(cards).to_have_count(len(library))
    count = form.locator(".filter-count")
    expect(count).to_have_text(f"{len(library)} exercises shown")
    empty = page.locator("#exercise-empty")
    expect(empty).to_be_hidden()

    # A concrete case, checked against the Markdown sources: glutes worked with a dumbbell.
    form.get_by_label("Muscle").select_option("glutes")
    form.get_by_label("Equipment").select_option("dumbbell")
    wanted = matching(library, muscle="glutes", equipment="dumbbell")
    assert "single-leg-deadlift" in wanted and "lunge" not in wanted  # the sample blog's own data
    expect(count).to_have_text(f"{len(wanted)} exercise{'' if len(wanted) == 1 else 's'} shown")
    assert card_slugs(page, visible=True) == wanted
    assert card_slugs(page, visible=False) == set(library) - wanted
    shown = visible_card_data(page)
    assert len(shown) == len(wanted)
    assert all("glutes" in card["muscle"] and "dumbbell" in card["equipment"] for card in shown)
    expect(empty).to_be_hidden()
    assert "muscle=glutes" in page.url and "equipment=dumbbell" in page.url

    # The filter is kept in the address, so a reload (or a shared link) shows the same list.
    page.reload()
    expect(form.get_by_label("Muscle")).to_have_value("glutes")
    expect(form.get_by_label("Equipment")).to_have_value("dumbbell")
    assert card_slugs(page, visible=True) == wanted

    # Every muscle x equipment pair the form offers agrees with the data-* attributes.
    muscles = [v for v in form.get_by_label("Muscle").locator("option").evaluate_all(
        "options => options.map(o => o.value)") if v]
    equipment = [v for v in form.get_by_label("Equipment").locator("option").evaluate_all(
        "options => options.map(o => o.value)") if v]
    impossible = next((m, e) for m, e in itertools.product(muscles, equipment) if not matching(library, m, e))

    # An impossible combination: nothing shown, and the "no match" message says so.
    form.get_by_label("Muscle").select_option(impossible[0])
    form.get_by_label("Equipment").select_option(impossible[1])
    expect(empty).to_be_visible()
    expect(empty).to_contain_text("No exercise matches")
    expect(count).to_have_text("0 exercises shown")
    assert card_slugs(page, visible=True) == set()

    # One filter alone, and the level too.
    form.get_by_label("Equipment").select_option("")
    form.get_by_label("Muscle").select_option("hamstrings")
    form.get_by_label("Level").select_option("beginner")
    wanted = {slug for slug in matching(library, muscle="hamstrings") if library[slug].get("level") == "beginner"}
    assert wanted
    assert card_slugs(page, visible=True) == wanted
    assert all("hamstrings" in c["muscle"] and c["level"] == ["beginner"] for c in visible_card_data(page))
    expect(empty).to_be_hidden()

    # Back to "Any" everywhere: the whole library again.
    form.get_by_label("Muscle").select_option("")
    form.get_by_label("Level").select_option("")
    expect(count).to_have_text(f"{len(library)} exercises shown")
    assert card_slugs(page, visible=True) == set(library)
    assert page.url.endswith("/exercises/")


def test_filter_on_a_facet_page_searches_the_whole_library(page: Page, site_url: str,
                                                           library: dict[str, dict]) -> None:
    """A facet page lists only its own exercises, so changing the filter there goes to the library."""
    page.goto(site_url + "exercises/muscle/glutes/")
    form = page.locator("#exercise-filter")
    expect(form).to_be_visible()
    expect(form.get_by_label("Muscle")).to_have_value("glutes")
    glutes = matching(library, muscle="glutes")
    expect(form.locator(".filter-count")).to_have_text(f"{len(glutes)} exercises shown")
    form.get_by_label("Equipment").select_option("dumbbell")
    page.wait_for_url(site_url + "exercises/?muscle=glutes&equipment=dumbbell")
    expect(page.locator("#exercise-filter").get_by_label("Equipment")).to_have_value("dumbbell")
    assert card_slugs(page, visible=True) == matching(library, muscle="glutes", equipment="dumbbell")
    page.goto(site_url + "exercises/muscle/glutes/")
    page.locator("#exercise-filter").get_by_label("Muscle").select_option("chest")
    page.wait_for_url(site_url + "exercises/?muscle=chest")
    assert card_slugs(page, visible=True) == matching(library, muscle="chest")


def test_facet_links_without_javascript(browser: Browser, site_url: str, library: dict[str, dict]) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "exercises/")
        expect(page.locator("#exercise-filter")).to_be_hidden()
        expect(page.locator("#exercise-empty")).to_be_hidden()
        assert card_slugs(page, visible=True) == set(library)

        page.get_by_role("navigation", name="Muscle").get_by_role("link", name="Glutes", exact=True).click()
        page.wait_for_load_state()
        assert page.url == site_url + "exercises/muscle/glutes/"
        expect(page.get_by_role("heading", level=1)).to_contain_text("Glutes")
        expect(page.locator("#exercise-filter")).to_be_hidden()
        listed = card_slugs(page, visible=True)
        assert listed, "the glutes page lists no exercise"
        for slug in listed:
            assert "glutes" in library[slug].get("muscles", []), f"{slug} does not work the glutes"
        assert listed == matching(library, muscle="glutes"), "some glutes exercises are missing"
        # The facet links fold away on a facet page; opened, they mark the current one.
        page.locator("details.facets > summary").click()
        expect(page.get_by_role("navigation", name="Muscle").locator("a[aria-current=page]")).to_have_text("Glutes")
        page.get_by_role("link", name="Show all exercises").click()
        page.wait_for_load_state()
        assert page.url == site_url + "exercises/"
    finally:
        context.close()


def test_the_name_filter_finds_names_and_aliases_and_is_kept_in_the_address(page: Page, site_url: str,
                                                                            library: dict[str, dict]) -> None:
    page.goto(site_url + "exercises/")
    page.locator("#exercise-filter").get_by_label("Name").fill("lunge")
    expected = {slug for slug, data in library.items()
                if "lunge" in " ".join([data["name"], *(data.get("aliases") or [])]).lower()}
    assert expected and card_slugs(page, visible=True) == expected
    assert page.url.endswith("exercises/?q=lunge")
    page.reload()
    assert page.locator("#exercise-filter").get_by_label("Name").input_value() == "lunge"
    assert card_slugs(page, visible=True) == expected


def test_a_facet_link_filters_in_place_and_shows_which_is_chosen(page: Page, site_url: str,
                                                                 library: dict[str, dict]) -> None:
    page.goto(site_url + "exercises/")
    chip = page.locator('.facets a[data-facet="muscle"][data-value="glutes"]')
    chip.click()
    assert page.url.endswith("exercises/?muscle=glutes")  # the same page: the link set the filter
    assert page.locator("#exercise-filter").get_by_label("Muscle").input_value() == "glutes"
    assert card_slugs(page, visible=True) == matching(library, muscle="glutes")
    expect(chip).to_have_attribute("aria-current", "true")
    page.locator("#exercise-filter").get_by_label("Muscle").select_option("chest")
    expect(chip).not_to_have_attribute("aria-current", "true")
    expect(page.locator('.facets a[data-value="chest"]')).to_have_attribute("aria-current", "true")
