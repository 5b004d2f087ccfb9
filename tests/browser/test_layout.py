"""Pages fit a phone: nothing wider than the screen, routines readable without sideways scrolling."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

PHONE = {"width": 390, "height": 844}


def post_paths(site: Path) -> list[str]:
    return sorted(f"posts/{p.parent.name}/" for p in (site / "posts").glob("*/index.html"))


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_no_page_is_wider_than_the_screen(browser: Browser, site_url: str, built_site: Path, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        wide = []
        for path in ["", "exercises/", "exercises/single-leg-deadlift/", "exercises/muscle/glutes/", "tags/",
                     *post_paths(built_site)]:
            page.goto(site_url + path)
            scroll, client = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            if scroll > client:
                wide.append(f"{path or '/'}: {scroll}px wide in a {client}px window")
        assert not wide, "\n".join(wide)
    finally:
        context.close()


def test_routine_tables_fit_a_phone(browser: Browser, site_url: str, built_site: Path) -> None:
    """On a phone each move stacks (no sideways scrolling), and empty tempo/load cells are not shown."""
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        checked = 0
        for path in post_paths(built_site):
            page.goto(site_url + path)
            for region in page.locator(".routine .table-scroll").all():
                checked += 1
                scroll, client = region.evaluate("e => [e.scrollWidth, e.clientWidth]")
                assert scroll <= client, f"{path}: a routine table scrolls sideways on a phone"
            for cell in page.locator(".routine-table td.none").all():
                assert not cell.is_visible(), f"{path}: an empty cell shows on a phone"
        assert checked >= 5
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_layout_passes_axe(browser: Browser, site_url: str, scheme: str) -> None:
    context = browser.new_context(viewport=PHONE, color_scheme=scheme)
    try:
        page = context.new_page()
        for path in ["", "posts/legs-and-back-at-home/", "exercises/"]:
            page.goto(site_url + path)
            results = Axe().run(page)
            assert results.violations_count == 0, f"{path} at 390px, {scheme}:\n{results.generate_report()}"
    finally:
        context.close()
