"""Search in Chromium on the sample blog published under a sub-path, its index in parts: a query
finds an exercise and a post, a muscle filter narrows the results, the header's search box works from any page, and
no request fails or leaves the sub-path."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .serving import build, copy_sample_blog, serve

AXE = Axe()


@pytest.fixture(scope="module")
def sub_path_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample blog built for https://example.github.io/fit-blog/ and served under /fit-blog/,
    with its search index in parts of ten pages or so (as a large blog's is), which the search page
    merges."""
    root = copy_sample_blog(tmp_path_factory.mktemp("search-blog"))
    out = build(root, "https://example.github.io/fit-blog/", root / "out", search_part_size=10)
    parts = json.loads((out / "pagefind/parts.json").read_text())
    assert len(parts) >= 3 and parts == [f"part-{number}/" for number in range(1, len(parts) + 1)]
    web = root / "web"
    shutil.copytree(out, web / "fit-blog")
    with serve(web) as url:
        yield url + "/fit-blog/"


@pytest.fixture(scope="module")
def whole_index_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same blog with its search index in one part."""
    root = copy_sample_blog(tmp_path_factory.mktemp("search-blog-whole"))
    out = build(root, "https://example.github.io/fit-blog/", root / "out", search_part_size=10**6)
    assert json.loads((out / "pagefind/parts.json").read_text()) == []
    web = root / "web"
    shutil.copytree(out, web / "fit-blog")
    with serve(web) as url:
        yield url + "/fit-blog/"


def watch_requests(page: Page, base: str) -> list[str]:
    """Every request that failed, or that went outside the site."""
    bad: list[str] = []
    page.on("requestfailed", lambda request: bad.append(f"failed: {request.url}"))
    page.on("response", lambda response: bad.append(f"{response.status}: {response.url}")
            if response.status >= 400 else None)
    page.on("request", lambda request: bad.append(f"outside: {request.url}")
            if not request.url.startswith(base) and not request.url.startswith("data:") else None)
    return bad


def results(page: Page) -> list[str]:
    page.locator(".pagefind-ui__result-title").first.wait_for()
    return page.locator(".pagefind-ui__result-title").all_inner_texts()


def test_a_query_finds_an_exercise_and_a_post(page: Page, sub_path_site: str) -> None:
    bad = watch_requests(page, sub_path_site)
    page.goto(sub_path_site + "search/?q=goblet")
    found = results(page)
    assert "Goblet Squat" in found
    assert any(title not in ("Goblet Squat",) and "Goblet" not in title for title in found)  # a post too
    assert bad == []


def test_a_muscle_filter_narrows_the_results(page: Page, sub_path_site: str) -> None:
    page.goto(sub_path_site + "search/?q=squat")
    before = len(results(page))
    page.locator("summary.pagefind-ui__filter-name", has_text="muscle").click()
    hamstrings = page.locator("label.pagefind-ui__filter-label", has_text="Hamstrings")
    expected = int(hamstrings.inner_text().rsplit("(", 1)[1].rstrip(")"))
    hamstrings.click()
    expect(page.locator(".pagefind-ui__result-title")).to_have_count(expected)
    assert 0 < expected < before


def test_the_header_search_box_works_from_an_exercise_page(page: Page, sub_path_site: str) -> None:
    bad = watch_requests(page, sub_path_site)
    page.goto(sub_path_site + "exercises/goblet-squat/")
    page.get_by_role("searchbox", name="Search posts and exercises").fill("plank")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(sub_path_site + "search/?q=plank")
    assert any("Plank" in title for title in results(page))
    assert bad == []


def test_the_search_page_has_no_axe_violations(page: Page, sub_path_site: str) -> None:
    page.goto(sub_path_site + "search/?q=lunge")
    results(page)
    report = AXE.run(page)
    assert report.violations_count == 0, report.generate_report()


def result_count(page: Page, base: str, query: str) -> str:
    page.goto(base + f"search/?q={query}")
    message = page.locator(".pagefind-ui__message")
    expect(message).to_have_text(re.compile(rf"^(\d+ results?|No results) for {query}$"))
    return message.inner_text()


@pytest.mark.parametrize("query", ["squat", "plank", "hamstrings", "knees", "minutes"])
def test_the_parts_together_find_what_one_index_finds(page: Page, sub_path_site: str, whole_index_site: str,
                                                      query: str) -> None:
    parted = result_count(page, sub_path_site, query)
    assert parted == result_count(page, whole_index_site, query)
    assert not parted.startswith("No ")
