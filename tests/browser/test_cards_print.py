"""Cards and posts on paper: Chromium prints them to PDF, and pypdf reads the pages back.

Every site this module prints is built once into one web root and served over http:
the sample blog at /fit/, and for each card size a blog of worst-case routines (1 to 12 moves
with long names, tempo, load, per-side sets, supersets and long notes, plus a 24-move one)
at /<size>/. Each site has a real host in its base URL, so its cards carry QR codes.
"""

from __future__ import annotations

import io
import re
import shutil
import tomllib
import unicodedata
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page
from pypdf import PdfReader

from fitfocus.pages.cards import CARD_SIZES, CardSize, qr_svg
from pages.test_cards import decode_qr_svg

from .serving import REPO, build, copy_sample_blog, serve

SAMPLE_BASE = "https://maya.example/fit/"
SIZED_BASE = "https://cards.example.org/"
DISCLAIMER = "General information, not medical advice. Stop if anything hurts sharply and check with a professional."
MOVE_NAMES = [
    "Single-Leg Romanian Deadlift With Dumbbell", "Rear-Foot-Elevated Split Squat Pause Hold",
    "Half-Kneeling Single-Arm Landmine Press", "Copenhagen Adductor Plank With Leg Reach",
    "Banded Lateral Walk With Overhead Reach", "Tempo Goblet Squat To Box With Heel Raise",
    "Kettlebell Suitcase Carry On Uneven Ground", "Nordic Hamstring Curl Eccentric Lowering",
    "Cossack Squat With Counterweight Plate Hold", "Single-Leg Glute Bridge March On A Bench",
    "Stability Ball Hamstring Curl With Hip Lift", "Slow Eccentric Calf Raise Off A Step Edge",
    "Bulgarian Split Squat With Dumbbells Held", "Walking Lunge With Rotation And Overhead",
    "Lateral Step-Down From A Low Box, Slowly", "Side Plank With Top-Leg Raise And Reach",
    "Dead Bug With Band Pull-Apart Overhead", "Bird Dog With Elbow-To-Knee Crunch Hold",
    "Single-Arm Farmer Carry Over Twenty Metres", "Hip Thrust With Banded Knees And Pause",
    "Reverse Nordic Kneeling Quad Lowering", "Wall Sit With Alternating Heel Lifts Held",
    "Step-Up To Knee Drive With Light Dumbbells", "Tibialis Raise Against The Wall, Slowly",
]
SIZES = list(CARD_SIZES)
LONG = 24  # moves in the routine that must run onto a second page
AXE = Axe()


def cue(number: int) -> str:
    """A first cue of about 85 characters, as long as the longest in the sample library."""
    return f"Cue {number:02d}, keep your hips square and level, brace your middle, move slowly every rep."


def note(number: int) -> str:
    """A note of about 120 characters (posts show it; cards do not)."""
    return (f"Note {number:02d}, stop lowering as soon as your back wants to round, then rest a breath "
            f"and keep the weight light enough today.")


def routine_block(moves: int, title: str) -> str:
    """A routine of `moves` moves with every field filled, grouped as supersets of 2 and 3 and singles."""
    def item(number: int, indent: str) -> str:
        return (f"{indent}- exercise: move-{number:02d}\n{indent}  sets: 4\n{indent}  reps: 8-10\n"
                f"{indent}  per_side: true\n{indent}  tempo: 3-1-X-1\n{indent}  load: 15-20 lb each hand\n"
                f"{indent}  rest: 1m30s\n{indent}  note: {note(number)}\n")

    items, number, sizes = [], 0, [2, 1, 3]
    while number < moves:
        size = min(sizes[len(items) % 3], moves - number)
        if size == 1:
            items.append(item(number, "  "))
        else:
            items.append("  - superset:\n" + "".join(item(number + k, "      ") for k in range(size)))
        number += size
    return f"```routine\ntitle: {title}\nrounds: 2\nrest: 60s\nitems:\n{''.join(items)}```\n"


def write_worst_case_blog(root: Path, size: str) -> None:
    """A blog set for `size` with posts `moves-1` … `moves-12` and `moves-24`."""
    files = {"pyproject.toml": f'[tool.fitfocus]\ntitle = "Fit Focus Print Test"\ncard_size = "{size}"\n'
                               f'disclaimer_short = "{DISCLAIMER}"\n'}
    for number, name in enumerate(MOVE_NAMES):
        # Muscles too: a card then carries the muscle map beside its QR code, as real ones do.
        files[f"exercises/move-{number:02d}.md"] = (f"---\nname: {name}\nmuscles: [quadriceps, glutes]\n"
                                                    f"secondary_muscles: [hamstrings, core]\n"
                                                    f"cues:\n  - \"{cue(number)}\"\n---\nHow.\n")
    for moves in [*range(1, 13), LONG]:
        files[f"content/posts/2026-01-{moves:02d}-moves-{moves}.md"] = (
            f"---\ntitle: Strength for Runners Who Train at Home and at the Gym, Part {moves}\n---\n"
            f"Read [the how-to](exercise:move-00) and the [research](https://example.org/study) first.\n\n"
            + routine_block(moves, f"Lower-Body Strength Circuit With {moves} Moves"))
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    shutil.copytree(REPO / "templates", root / "templates")


@pytest.fixture(scope="module")
def web_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample blog built at /fit/ and a worst-case blog per card size at /<size>/, in one folder."""
    work = tmp_path_factory.mktemp("print")
    web = work / "www"
    build(copy_sample_blog(work / "sample"), SAMPLE_BASE, web / "fit")
    for size in SIZES:
        write_worst_case_blog(work / size, size)
        build(work / size, f"{SIZED_BASE}{size}/", web / size)
    return web


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


def squeeze(text: str) -> str:
    """Text without whitespace or ligatures, so words wrapped onto several lines still match."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def print_pdf(page: Page, url: str | None = None) -> list[tuple[float, float, str]]:
    """Print `url` (or the page as loaded) as Chromium prints it: each page's size in points and text."""
    if url is not None:
        response = page.goto(url)
        assert response is not None and response.ok, url
    reader = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    return [(float(p.mediabox.width), float(p.mediabox.height), p.extract_text()) for p in reader.pages]


def as_printed(page: Page, size: CardSize) -> None:
    """Lay pages out in print media, in a window as wide as the printable area of `size`."""
    page.set_viewport_size({"width": int((size.width_pt - 2 * size.margin_pt) / 0.75), "height": 800})
    page.emulate_media(media="print")


def card_problems(page: Page, url: str, size: CardSize, names: list[str], disclaimer: str) -> list[str]:
    """What is wrong with the card at `url` printed on `size` paper: pages, size, overflow, missing text.

    The page must already be laid out `as_printed` on `size`.
    """
    problems = []
    response = page.goto(url)
    assert response is not None and response.ok, url
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    if scroll > client:
        problems.append(f"{url}: {scroll}px wide in print, the printable width is {client}px")
    pages = print_pdf(page)
    if len(pages) != 1:
        problems.append(f"{url}: {len(pages)} pages")
    for width, height, _ in pages:
        if abs(width - size.width_pt) > 1 or abs(height - size.height_pt) > 1:
            problems.append(f"{url}: printed {width:.1f} × {height:.1f} pt, not {size.label}")
    text = squeeze(" ".join(t for _, _, t in pages))
    problems += [f"{url}: {name!r} is not in the PDF" for name in names if squeeze(name) not in text]
    if squeeze(disclaimer) not in text:
        problems.append(f"{url}: the disclaimer is not in the PDF")
    if "Printthiscard" in text or "Backtothepost" in text:
        problems.append(f"{url}: the toolbar was printed")
    return problems


def qr_payload(web_root: Path, card_path: str) -> str:
    """The text the QR code of the built card at `card_path` decodes to."""
    html = (web_root / card_path / "index.html").read_text()
    return decode_qr_svg(re.search(r"<svg\b.*?</svg>", html, flags=re.S).group(0))


def sample_cards(web_root: Path) -> list[str]:
    return sorted(p.parent.relative_to(web_root).as_posix() + "/" for p in (web_root / "fit/posts").glob("*/card*/index.html"))


def test_every_sample_card_prints_on_one_page_of_its_size(printer: Page, server: str, web_root: Path) -> None:
    cards = sample_cards(web_root)
    assert len(cards) >= 9
    settings = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["fitfocus"]
    size = CARD_SIZES[settings["card_size"]]
    as_printed(printer, size)
    problems = []
    for path in cards:
        html = (web_root / path / "index.html").read_text()
        names = re.findall(r'<th scope="row" class="move-name">(?:<span class="label">\w+</span> )?([^<]+)</th>', html)
        assert names, path
        problems += card_problems(printer, f"{server}/{path}", size, [unescape(n) for n in names],
                                  settings["disclaimer_short"])
    assert not problems, "\n".join(problems)


def test_every_sample_card_qr_code_holds_its_posts_url(web_root: Path) -> None:
    for path in sample_cards(web_root):
        post_url = SAMPLE_BASE + path.removeprefix("fit/").rsplit("card", 1)[0]
        assert qr_payload(web_root, path) == post_url
        html = (web_root / path / "index.html").read_text()
        assert qr_svg(post_url, f"QR code for {post_url}") in html
        assert f">{post_url}</a>" in html


@pytest.mark.parametrize("size", SIZES)
def test_routines_of_1_to_12_moves_print_on_one_page(printer: Page, server: str, web_root: Path, size: str) -> None:
    as_printed(printer, CARD_SIZES[size])
    problems = []
    for moves in range(1, 13):
        path = f"{size}/posts/moves-{moves}/card/"
        problems += card_problems(printer, f"{server}/{path}", CARD_SIZES[size], MOVE_NAMES[:moves], DISCLAIMER)
        assert qr_payload(web_root, path) == f"{SIZED_BASE}{size}/posts/moves-{moves}/"
        # The map goes on where it fits without smaller type: always on a one-move routine.
        body_map = printer.get_by_role("img", name="Muscle map. Primary: quadriceps, glutes. Secondary: hamstrings, core.")
        if moves == 1 or body_map.count():
            box = body_map.bounding_box()
            assert box is not None and box["width"] > 40 and box["height"] > 40, f"{path}: no muscle map"
    assert not problems, "\n".join(problems)


# Every tick box and weight line of the page as laid out for print: its edges in CSS px.
MARKS = """() => [...document.querySelectorAll('.ticks')].map(cell =>
  [...cell.querySelectorAll('.box, .weight')].map(el => {
    const r = el.getBoundingClientRect();
    return {kind: el.className, left: r.left, right: r.right, top: r.top, bottom: r.bottom};
  }))"""


def marks_problems(cells: list[list[dict]], width: float, height: float) -> list[str]:
    """Marks outside the printable area `width` × `height`, and boxes that touch their neighbours."""
    problems = []
    for row, marks in enumerate(cells, start=1):
        for mark in marks:
            if mark["left"] < 0 or mark["right"] > width or mark["top"] < 0 or mark["bottom"] > height:
                problems.append(f"row {row}: a {mark['kind']} at {mark} is outside {width:.0f} × {height:.0f} px")
        boxes = [m for m in marks if m["kind"] == "box"]
        size = min((b["right"] - b["left"] for b in boxes), default=0)
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                apart = max(b["left"] - a["right"], a["left"] - b["right"], b["top"] - a["bottom"], a["top"] - b["bottom"])
                if apart < 0.3 * size:
                    problems.append(f"row {row}: boxes {a} and {b} are {apart:.1f} px apart")
    return problems


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("moves", [1, 12])
def test_no_tick_box_or_weight_line_is_cut_off_or_touches_another(
        printer: Page, server: str, size: str, moves: int) -> None:
    paper = CARD_SIZES[size]
    as_printed(printer, paper)
    url = f"{server}/{size}/posts/moves-{moves}/card/"
    printer.goto(url)
    width = printer.evaluate("document.documentElement.clientWidth")
    height = (paper.height_pt - 2 * paper.margin_pt) / 0.75
    cells = printer.evaluate(MARKS)
    assert len(cells) == moves
    assert all(sum(m["kind"] == "box" for m in marks) == 8 for marks in cells)  # 4 sets × 2 rounds
    assert all(sum(m["kind"] == "weight" for m in marks) == 2 for marks in cells)  # a line per round
    assert not marks_problems(cells, width, height), "\n".join(marks_problems(cells, width, height))
    assert len(print_pdf(printer)) == 1, f"{url} does not print on one page"


@pytest.mark.parametrize("size", ["A5", "half-letter", "4x6in"])
def test_a_longer_routine_continues_on_more_pages_with_the_header_and_whole_rows(
        printer: Page, server: str, size: str) -> None:
    pages = print_pdf(printer, f"{server}/{size}/posts/moves-{LONG}/card/")
    assert len(pages) >= 2
    texts = [squeeze(text) for _, _, text in pages]
    for number, text in enumerate(texts, start=1):
        assert squeeze(f"Lower-Body Strength Circuit With {LONG} Moves") in text, f"no header on page {number}"
    for number, name in enumerate(MOVE_NAMES[:LONG]):
        on = [i for i, text in enumerate(texts) if squeeze(name) in text]
        assert len(on) == 1, f"{name!r} is on pages {on}"
        assert squeeze(cue(number)) in texts[on[0]], f"the row of {name!r} is split across pages"
    assert squeeze(DISCLAIMER) in texts[-1]


def test_printed_sample_post_has_no_navigation(printer: Page, server: str) -> None:
    pages = print_pdf(printer, f"{server}/fit/posts/legs-and-back-at-home/")
    whole = squeeze(" ".join(text for _, _, text in pages))
    for chrome in ("Skiptocontent", "PostsExercises", "byMayaLindqvist·", "Printthisworkout"):
        assert chrome not in whole, f"{chrome!r} was printed"
    assert squeeze("Legs and Back at Home") in whole and squeeze("Before you start") in whole


def test_card_preview_fits_a_phone_and_its_print_button_prints(browser: Browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        for path in ("A5/posts/moves-12/card/", "A4/posts/moves-3/card/", "A5/cards/"):
            page.goto(f"{server}/{path}")
            scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert scroll <= client, f"{path}: {scroll}px wide on a {client}px phone"
        page.goto(f"{server}/A5/posts/moves-4/card/")
        page.evaluate("window.print = () => { window.printed = true; }")
        page.get_by_role("button", name="Print this card").click()
        assert page.evaluate("window.printed") is True
    finally:
        context.close()


def test_cards_with_qr_codes_and_the_listing_pass_axe(printer: Page, server: str) -> None:
    failures = []
    for path in ("A5/posts/moves-2/card/", "A5/posts/moves-12/card/", "4x6in/posts/moves-12/card/",
                 "4x6in/posts/moves-24/card/", "A5/cards/", "fit/posts/legs-and-back-at-home/card-2/"):
        printer.goto(f"{server}/{path}")
        results = AXE.run(printer)
        if results.violations_count:
            failures.append(f"{path}:\n{results.generate_report()}")
    assert not failures, "\n\n".join(failures)
