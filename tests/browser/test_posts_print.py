"""Posts on paper, as Chromium prints them to PDF and pypdf reads them back.

The site is the worst-case blog of the card tests (long routines with every field filled, a link
inside the site and one to another site) set for A4, plus posts whose text grows a line at a time,
so that some bring the disclaimer to the foot or the top of a page: posts with a routine (the
disclaimer stands before it) and posts without one (the post's own disclaimer ends it).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from .serving import build, copy_sample_blog, serve
from .test_cards_print import LONG, MOVE_NAMES, note, print_pdf, routine_block, squeeze, write_worst_case_blog

BASE = "https://posts.example.org/"
SAMPLE_BASE = "https://maya.example/fit/"
DISCLAIMER = "General information for healthy adults, not medical advice. Check with a professional first."
INTROS = range(24, 55)  # lines of introduction before the routine, one post each
# Printable width in CSS px of A4 and US Letter with the posts' 14 mm side margins.
WIDTHS = {"A4": (210 - 28) / 25.4 * 96, "letter": (8.5 * 25.4 - 28) / 25.4 * 96}


def intro(lines: int) -> str:
    """`lines` one-line paragraphs."""
    return "".join(f"Line {n:02d} of the introduction, short enough to fit on one line.\n\n" for n in range(lines))


@pytest.fixture(scope="module")
def web_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The worst-case blog with the introduction posts at /posts/, the sample blog at /fit/."""
    work = tmp_path_factory.mktemp("posts-print")
    root = work / "blog"
    write_worst_case_blog(root, "A4")
    settings = root / "pyproject.toml"
    settings.write_text(settings.read_text() + f'disclaimer = "{DISCLAIMER}"\n')
    for lines in INTROS:
        (root / f"content/posts/2026-03-{lines - 23:02d}-intro-{lines}.md").write_text(
            f"---\ntitle: Intro of {lines} lines\n---\n{intro(lines)}" + routine_block(3, "Three Moves"))
        (root / f"content/posts/2026-05-{lines - 23:02d}-plain-{lines}.md").write_text(
            f"---\ntitle: Plain, {lines} lines\ndisclaimer: {DISCLAIMER}\n---\n{intro(lines + 12)}")
    build(root, BASE, work / "www")
    build(copy_sample_blog(work / "sample"), SAMPLE_BASE, work / "www" / "fit")
    return work / "www"


@pytest.fixture(scope="module")
def server(web_root: Path) -> Iterator[str]:
    """`web_root` served at http://127.0.0.1:<free port> (no trailing slash)."""
    with serve(web_root) as url:
        yield url


@pytest.fixture
def printer(browser: Browser) -> Iterator[Page]:
    """One page, reused for every print of a test."""
    context = browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


def test_only_links_to_other_sites_print_their_address(printer: Page, server: str) -> None:
    whole = squeeze(" ".join(text for _, _, text in print_pdf(printer, f"{server}/posts/moves-3/")))
    assert squeeze("Read the how-to and the research (https://example.org/study) first.") in whole
    assert "posts.example.org" not in whole and "/exercises/" not in whole
    sample = squeeze(" ".join(text for _, _, text in print_pdf(printer, f"{server}/fit/posts/legs-and-back-at-home/")))
    assert squeeze("bodyweight squats without pain") in sample
    assert "maya.example" not in sample and "/exercises/" not in sample


def test_printed_post_has_no_navigation_and_keeps_rows_whole(printer: Page, server: str) -> None:
    pages = print_pdf(printer, f"{server}/posts/moves-{LONG}/")
    assert len(pages) >= 2
    texts = [squeeze(text) for _, _, text in pages]
    whole = "".join(texts)
    for chrome in ("Skiptocontent", "Exercises", "FitFocusPrintTest", "Printthisworkout", "Startworkout",
                   "Jumptotheworkout"):
        assert chrome not in whole, f"{chrome!r} was printed"
    assert squeeze("Before you start") in whole and squeeze(DISCLAIMER) in whole
    for number in range(LONG):
        on = [i for i, text in enumerate(texts) if squeeze(note(number)) in text]
        assert len(on) == 1, f"the note of move {number} is split or missing: pages {on}"
        assert squeeze(MOVE_NAMES[number]) in texts[on[0]], f"the row of move {number} is split across pages"
    repeated = [i for i, text in enumerate(texts) if "MOVESETS×REPSTEMPORESTLOADNOTES" in text.upper()]
    assert len(repeated) >= 2, "the routine table's header is not repeated on its next page"


@pytest.mark.parametrize("paper", list(WIDTHS))
def test_routine_tables_fit_the_printed_page(printer: Page, server: str, paper: str) -> None:
    printer.set_viewport_size({"width": int(WIDTHS[paper]), "height": 1000})
    printer.emulate_media(media="print")
    problems = []
    for path in ("posts/moves-12/", f"posts/moves-{LONG}/", "fit/posts/legs-and-back-at-home/",
                 "fit/posts/gym-leg-day/"):
        printer.goto(f"{server}/{path}")
        widths = printer.evaluate("""() => [document.documentElement.clientWidth,
            ...[...document.querySelectorAll('.routine-table')].map(t => Math.ceil(t.getBoundingClientRect().right))]""")
        assert len(widths) > 1, path
        problems += [f"{path}: a table reaches {right}px of {widths[0]}px" for right in widths[1:] if right > widths[0]]
        scroll = printer.evaluate("document.documentElement.scrollWidth")
        if scroll > widths[0]:
            problems.append(f"{path}: {scroll}px wide, the printable width is {widths[0]}px")
    assert not problems, "\n".join(problems)


def test_no_printed_page_holds_only_the_disclaimer(printer: Page, server: str) -> None:
    alone = squeeze("Before you start" + DISCLAIMER)
    lonely = []
    for slug in [f"{kind}-{lines}" for kind in ("intro", "plain") for lines in INTROS]:
        pages = print_pdf(printer, f"{server}/posts/{slug}/")
        assert squeeze(DISCLAIMER) in squeeze(" ".join(text for _, _, text in pages))
        lonely += [f"{slug}: page {n}" for n, (_, _, text) in enumerate(pages, start=1)
                   if squeeze(text) and squeeze(text) in alone]
        # The disclaimer's heading never ends a page with its text on the next one.
        lonely += [f"{slug}: page {n} ends with the heading" for n, (_, _, text) in enumerate(pages, start=1)
                   if squeeze(text).endswith(squeeze("Before you start"))]
    assert not lonely, "\n".join(lonely)
