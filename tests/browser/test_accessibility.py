"""axe-core on every page of the built sample blog, in Chromium, light and dark."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

AXE = Axe()

# Pages checked in both colour schemes: colour contrast differs between the two themes.
THEMED = ["", "posts/legs-and-back-at-home/", "exercises/single-leg-deadlift/", "exercises/", "plans/",
          "plans/spring-half-marathon/"]


def site_paths(site: Path) -> list[str]:
    """Every HTML page of the site as a URL path relative to its root ("" is the home page)."""
    paths = []
    for file in sorted(site.rglob("*.html")):
        relative = file.relative_to(site).as_posix()
        paths.append(relative.removesuffix("index.html"))
    return paths


def axe_problems(page: Page, url: str) -> str | None:
    """Load `url` and run axe; None when clean, else axe's report."""
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok or url.endswith("404.html"), f"{url}: HTTP error"
    results = AXE.run(page)
    if results.violations_count == 0:
        return None
    return f"{url}: {results.violations_count} violation(s)\n{results.generate_report()}"


def test_every_page_has_no_axe_violations(page: Page, site_url: str, built_site: Path) -> None:
    paths = site_paths(built_site)
    # The sample blog has posts, exercises, facets, tags, series and pages: make sure they were all found.
    for must in ("", "404.html", "exercises/", "exercises/squat/", "exercises/muscle/glutes/",
                 "exercises/equipment/body-weight/", "exercises/level/beginner/", "tags/",
                 "series/fit-focus/", "about/"):
        assert must in paths, f"{must!r} is not in the built site"
    assert sum(p.startswith("posts/") for p in paths) >= 5
    page.emulate_media(color_scheme="light")
    failures = [problem for path in paths if (problem := axe_problems(page, site_url + path))]
    if failures:
        print("\n\n".join(failures))
    assert not failures, f"axe found problems on {len(failures)} of {len(paths)} pages:\n\n" + "\n\n".join(failures)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", THEMED)
def test_themes_pass_axe(page: Page, site_url: str, path: str, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(site_url + path)
    # The theme really switched: the page background follows the colour scheme.
    is_dark = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    assert is_dark == (scheme == "dark")
    problem = axe_problems(page, site_url + path)
    if problem:
        print(problem)
    assert problem is None, problem


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_library_filter_states_pass_axe(page: Page, site_url: str, scheme: str) -> None:
    """The script-driven states of the library (filter shown, some cards hidden, nothing found)."""
    page.emulate_media(color_scheme=scheme)
    page.goto(site_url + "exercises/?muscle=glutes")
    problem = axe_problems(page, site_url + "exercises/?muscle=glutes&equipment=dumbbell")
    assert problem is None, problem
    page.select_option("#exercise-filter select[name=muscle]", "chest")
    page.select_option("#exercise-filter select[name=level]", "beginner")
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()
