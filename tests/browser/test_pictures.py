"""Pictures in Chromium: nothing shifts while they load, every one has its size, the right one loads."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

# The layout-shift entries of the page's life so far, summed (user input excluded, as CLS does).
LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 500);
})"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", ["posts/legs-and-back-at-home/", "exercises/", "exercises/squat/", ""])
def test_pictures_cause_no_layout_shift(browser: Browser, site_url: str, path: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    # The library's filter form appears once its script runs, which moves the list on purpose: it
    # is left out, so only pictures could move anything.
    context.route("**/static/filter.js", lambda route: route.abort())
    try:
        page = context.new_page()
        page.goto(site_url + path, wait_until="load")
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_load_state("networkidle")
        assert page.locator("picture").count() > 0, path
        assert page.evaluate(LAYOUT_SHIFT) < 0.001, path
    finally:
        context.close()


def test_every_picture_has_its_size_and_loads_lazily_but_the_first_cover(browser: Browser, site_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(site_url + "posts/legs-and-back-at-home/", wait_until="load")
        images = page.eval_on_selector_all(
            "img", "all => all.map(i => [i.getAttribute('src'), i.getAttribute('width'), i.getAttribute('height'),"
                   " i.loading, i.getAttribute('fetchpriority'), i.naturalWidth > 0, i.currentSrc])")
        assert images and all(width and height for _, width, height, *_ in images), images
        cover = images[0]
        assert cover[3:6] == ["eager", "high", True] and cover[6].endswith(".webp"), cover
        assert all(loading == "lazy" for _, _, _, loading, *_ in images[1:]), images
    finally:
        page.close()
