"""`serve` in Chromium: edits reach open pages by themselves, build errors show over every page and
clear when fixed, the served folder always equals a clean build, and drafts carry a banner.

Each test runs `build.py serve` as a separate process on a free port (killed at the end of the test)
and waits on what the browser shows, never on fixed sleeps, with bounded timeouts.
"""

from __future__ import annotations

import time
from pathlib import Path

from playwright.sync_api import Page, expect

from conftest import run_cli
from test_golden import read_tree
from serve.test_server import start_serve  # noqa: F401 - the fixture that starts and kills servers

POST = "content/posts/2026-10-13-gym-leg-day.md"
WAIT = 20_000  # ms: the longest any change may take to reach the page
# Set once livereload.js has finished its handshake, so a reload sent after this point reaches the page.
CONNECTED = "() => !!(window.LiveReload && window.LiveReload.connector && window.LiveReload.connector.protocol === 7)"


def open_live(page: Page, url: str) -> Page:
    """Open `url` and wait until the page listens for reloads."""
    page.goto(url)
    page.wait_for_function(CONNECTED, timeout=WAIT)
    return page


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new))


def assert_same_as_a_clean_build(blog: Path, tmp_path: Path, step: str) -> None:
    """The served folder holds exactly what `build --drafts --future --no-cache` writes."""
    out = tmp_path / f"clean-{step}"
    result = run_cli(blog, "build", "--drafts", "--future", "--no-cache", "--out", str(out))
    assert result.code == 0, result.err
    served, clean = read_tree(blog / ".cache/fitfocus/serve"), read_tree(out)
    differing = sorted(name for name in served.keys() | clean.keys() if served.get(name) != clean.get(name))
    assert not differing, f"after {step}, the served site differs from a clean build in: {differing[:20]}"


def test_an_edited_post_shows_in_the_open_page(sample_blog: Path, start_serve, page: Page) -> None:
    serving = start_serve(sample_blog)
    open_live(page, serving.url + "posts/gym-leg-day/")
    expect(page.locator("h1")).to_have_text("An Off-Season Gym Leg Day")
    edit(sample_blog / POST, "title: An Off-Season Gym Leg Day", "title: A Winter Gym Leg Day")
    expect(page.locator("h1")).to_have_text("A Winter Gym Leg Day", timeout=WAIT)


def test_two_edits_300_ms_apart_both_reach_the_page(sample_blog: Path, start_serve, page: Page) -> None:
    serving = start_serve(sample_blog)
    open_live(page, serving.url + "posts/gym-leg-day/")
    post = sample_blog / POST
    post.write_text(post.read_text() + "\nFirst edit, saved.\n")
    time.sleep(0.3)
    post.write_text(post.read_text() + "\nSecond edit, saved 300 ms later.\n")
    article = page.locator("article")
    expect(article).to_contain_text("Second edit, saved 300 ms later.", timeout=WAIT)
    expect(article).to_contain_text("First edit, saved.")


def test_an_edit_right_after_a_reload_is_not_dropped(sample_blog: Path, start_serve, page: Page) -> None:
    """livereload drops a change within 3 s of the last reload by default; the server must not."""
    serving = start_serve(sample_blog)
    open_live(page, serving.url + "posts/gym-leg-day/")
    post = sample_blog / POST
    post.write_text(post.read_text() + "\nFirst edit.\n")
    expect(page.locator("article")).to_contain_text("First edit.", timeout=WAIT)
    time.sleep(0.3)
    post.write_text(post.read_text() + "\nSecond edit.\n")
    expect(page.locator("article")).to_contain_text("Second edit.", timeout=WAIT)
    assert serving.out.count("changed:") == 2


def test_a_misspelt_exercise_shows_over_every_open_page_until_it_is_fixed(sample_blog: Path, start_serve,
                                                                          page: Page) -> None:
    serving = start_serve(sample_blog)
    post_page = open_live(page, serving.url + "posts/gym-leg-day/")
    home = open_live(page.context.new_page(), serving.url)
    post = sample_blog / POST
    edit(post, "  - bodyweight-squat: 1 x 10", "  - bodyweight-sqaut: 1 x 10")

    line = post.read_text().splitlines().index("  - bodyweight-sqaut: 1 x 10") + 1
    terminal = run_cli(sample_blog, "check", "--drafts", "--future").err.rstrip("\n")  # the one formatter's text
    assert terminal.startswith(f"{POST}:{line}:5: error: unknown exercise `bodyweight-sqaut`\n"
                               f"    {line} |   - bodyweight-sqaut: 1 x 10\n"
                               "       |     ^\n"
                               "  hint: did you mean `bodyweight-squat`?\n")
    for shown in (post_page, home):
        overlay = shown.locator("#fitfocus-problems")
        expect(overlay).to_be_visible(timeout=WAIT)
        assert overlay.locator("pre").inner_text() == terminal
    assert terminal in serving.err
    expect(post_page.locator("h1")).to_have_text("An Off-Season Gym Leg Day")  # the last good build, underneath

    text = post.read_text().replace("bodyweight-sqaut", "bodyweight-squat")
    post.write_text(text.replace("Two weeks after the marathon", "Three weeks after the marathon"))
    for shown in (post_page, home):
        expect(shown.locator("#fitfocus-problems")).to_have_count(0, timeout=WAIT)
    expect(post_page.locator("article")).to_contain_text("Three weeks after the marathon")


def test_the_served_site_equals_a_clean_build_after_every_kind_of_change(sample_blog: Path, start_serve,
                                                                         page: Page, tmp_path: Path) -> None:
    serving = start_serve(sample_blog)
    assert_same_as_a_clean_build(sample_blog, tmp_path, "the first build")
    heading = page.locator("h1")
    problems = page.locator("#fitfocus-problems")

    open_live(page, serving.url + "exercises/squat/")
    edit(sample_blog / "exercises/squat.md", "name: Squat", "name: Barbell Back Squat")
    expect(heading).to_have_text("Barbell Back Squat", timeout=WAIT)
    assert_same_as_a_clean_build(sample_blog, tmp_path, "an exercise edit")

    open_live(page, serving.url + "posts/gym-leg-day/")
    (sample_blog / POST).unlink()
    expect(heading).to_have_text("Page not found", timeout=WAIT)
    assert_same_as_a_clean_build(sample_blog, tmp_path, "a deleted post")

    open_live(page, serving.url + "exercises/wall-sit/")
    (sample_blog / "exercises/wall-sit.md").rename(sample_blog / "exercises/wall-sit-hold.md")  # like `git mv`
    edit(sample_blog / "exercises/wall-sit-hold.md", "aliases: [", "aliases: [wall-sit, ")  # old links keep working
    expect(heading).to_have_text("Page not found", timeout=WAIT)
    expect(problems).to_have_count(0)
    page.goto(serving.url + "exercises/wall-sit-hold/")
    expect(heading).to_have_text("Wall Sit")
    assert_same_as_a_clean_build(sample_blog, tmp_path, "a renamed exercise")

    open_live(page, serving.url + "posts/legs-and-back-at-home/")
    edit(sample_blog / "templates/post.html", "How to do these moves", "How to do the moves")
    expect(page.locator("#fit-tutorials")).to_have_text("How to do the moves", timeout=WAIT)
    assert_same_as_a_clean_build(sample_blog, tmp_path, "a template edit")

    open_live(page, serving.url)
    edit(sample_blog / "pyproject.toml", 'title = "Fit Focus"', 'title = "Fit Focus Weekly"')
    expect(page.locator(".site-title")).to_have_text("Fit Focus Weekly", timeout=WAIT)
    assert_same_as_a_clean_build(sample_blog, tmp_path, "a settings edit")


def test_drafts_show_with_a_banner_in_serve_and_never_in_build(sample_blog: Path, start_serve, page: Page) -> None:
    posts = sample_blog / "content/posts"
    (posts / "2026-11-20-hill-sprints.md").write_text("---\ntitle: Hill Sprints\ndraft: true\n---\nShort and sharp.\n")
    (posts / "2027-01-10-new-year-reset.md").write_text("---\ntitle: New Year Reset\n---\nEasy does it.\n")
    serving = start_serve(sample_blog)
    page.goto(serving.url + "posts/hill-sprints/")
    expect(page.locator(".banner")).to_have_text("Draft: not published yet.")
    expect(page.locator(".banner")).to_be_visible()
    page.goto(serving.url + "posts/new-year-reset/")
    expect(page.locator(".banner")).to_have_text("Scheduled for 10 January 2027: not published yet.")

    result = run_cli(sample_blog, "build")
    assert result.code == 0, result.err
    site = sample_blog / "site"
    assert not (site / "posts/hill-sprints").exists() and not (site / "posts/new-year-reset").exists()
    for path in site.rglob("*.html"):
        text = path.read_text()
        assert 'class="banner"' not in text and "Hill Sprints" not in text and "New Year Reset" not in text, path


def test_a_stylesheet_edit_applies_without_reloading_the_page(sample_blog: Path, start_serve, page: Page) -> None:
    serving = start_serve(sample_blog)
    open_live(page, serving.url)
    page.evaluate("window.notReloaded = true")
    with (sample_blog / "templates/static/style.css").open("a") as stylesheet:
        stylesheet.write("\n.site-title { letter-spacing: 7px; }\n")
    page.wait_for_function("getComputedStyle(document.querySelector('.site-title')).letterSpacing === '7px'",
                           timeout=WAIT)
    assert page.evaluate("window.notReloaded === true")


def search_until_found(page: Page, url: str) -> list[str]:
    """Open the search page at `url` again until it shows results: the index follows each build a moment later."""
    deadline = time.monotonic() + WAIT / 1000
    while True:
        page.goto(url)
        titles = page.locator(".pagefind-ui__result-title")
        try:
            expect(titles.first).to_be_visible(timeout=2_000)
            return titles.all_inner_texts()
        except AssertionError:
            assert time.monotonic() < deadline, f"no search results at {url}"


def test_search_works_in_the_preview_and_finds_a_word_saved_while_serving(sample_blog: Path, start_serve,
                                                                          page: Page) -> None:
    serving = start_serve(sample_blog)
    assert "Goblet Squat" in search_until_found(page, serving.url + "search/?q=goblet")
    edit(sample_blog / POST, "\n## ", "\nMy zyzzogeton warm-up comes first.\n\n## ")
    assert search_until_found(page, serving.url + "search/?q=zyzzogeton") == ["An Off-Season Gym Leg Day"]
    assert not (sample_blog / ".cache/fitfocus/serve/pagefind").exists()  # the index lives outside the site
