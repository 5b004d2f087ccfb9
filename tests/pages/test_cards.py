"""Printable cards: their paths, their contents, the QR code's payload, the page size, the listing."""

from __future__ import annotations

import datetime
import re
import time
from dataclasses import replace
from pathlib import Path

import pytest
import segno.consts

from conftest import REPO
from fitfocus.pages.card_layout import STYLES, Style, card_height
from fitfocus.pages.cards import CARD_SIZES, MAX_TICKS, card_site, make_cards, qr_svg
from fitfocus.pages.plan import plan_pages
from fitfocus.build.render import render_pages
from fitfocus.build.pipeline import Options, build as build_site
from fitfocus.build.render import Renderer
from fitfocus.build.templates import template_files
from fitfocus.pages.urls import card_path

TODAY = datetime.date(2026, 12, 1)

EXERCISES = {
    "squat": "---\nname: Squat\ncues:\n  - Sit back and down as if aiming for a low chair.\n  - Knees out.\n---\nHow.\n",
    "plank": "---\nname: Plank\ncues: [Squeeze your glutes and breathe.]\n---\nHow.\n",
    "row": "---\nname: One-Arm Row\n---\nNo cues here.\n",
}
LEGS = """---
title: Legs & "Back"
---
Intro.

```routine
title: Main
rounds: 2
rest: 60s
items:
  - squat: 3 x 8-10
  - superset:
      - exercise: plank
        sets: 2
        reps: 30s
        tempo: 31X0
        load: body weight
        note: A note that stays in the post.
      - row: 2 x 10 per side
```

```routine
title: Finisher
items:
  - plank: 1 x AMRAP
```
"""
NO_ROUTINE = "---\ntitle: Just Words\n---\nNo routine.\n"


def write_site(root: Path, settings: str = "", posts: dict[str, str] | None = None) -> Path:
    """A blog in `root` with three exercises and the given posts (default: one with two routines)."""
    files = {"pyproject.toml": "[tool.fitfocus]\ntitle = \"Test Blog\"\n"
                               "disclaimer_short = \"Short disclaimer for cards.\"\n" + settings}
    files.update({f"exercises/{slug}.md": text for slug, text in EXERCISES.items()})
    posts = posts if posts is not None else {"2026-05-01-legs": LEGS, "2026-04-01-words": NO_ROUTINE}
    files.update({f"content/posts/{name}.md": text for name, text in posts.items()})
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def build(root: Path):
    """Load, plan and render the blog in `root`; return the library and the pages by output file."""
    library = build_site(Options(root=root, out=root / "site", templates=REPO / "templates", today=TODAY),
                         write=False).library
    plans = plan_pages(library)
    files: dict[str, bytes] = {}
    templates = REPO / "templates"
    render_pages(plans, library, template_files(templates), files.__setitem__, Renderer(templates))
    pages = {name: html.decode() for name, html in files.items()}
    return library, plans, pages


def text_of(html: str) -> str:
    """The visible words of an HTML page, whitespace collapsed, entities left as written."""
    html = re.sub(r"<(script|style|title)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_card_paths_number_routines_after_the_first() -> None:
    assert card_path("legs", 1) == "posts/legs/card/"
    assert card_path("legs", 2) == "posts/legs/card-2/"
    assert card_path("legs", 12) == "posts/legs/card-12/"


def test_every_routine_gets_a_card_and_the_listing_has_them_all(tmp_path: Path) -> None:
    _, plans, pages = build(write_site(tmp_path))
    paths = [plan.path for plan in plans]
    assert [p for p in paths if "/card" in p] == ["posts/legs/card/", "posts/legs/card-2/"]
    assert "cards/" in paths
    listing = pages["cards/index.html"]
    assert listing.count('href="/posts/legs/card/"') == 1 and listing.count('href="/posts/legs/card-2/"') == 1
    assert 'From <a href="/posts/legs/">Legs &amp; &#34;Back&#34;</a> · 3 moves · about ' in listing
    assert " · 1 move · about 1 min</p>" in listing
    assert "<p>Squat, Plank, One-Arm Row</p>" in listing
    assert "Just Words" not in listing


def test_a_post_links_each_routine_to_its_card(tmp_path: Path) -> None:
    _, _, pages = build(write_site(tmp_path, 'base_url = "https://example.org/blog/"\n'))
    post = pages["posts/legs/index.html"]
    assert ('<a href="/blog/posts/legs/card/">Print this workout<span class="visually-hidden">: Main</span></a>'
            in post)
    assert '<a href="/blog/posts/legs/card-2/">Print this workout' in post
    assert "Print this workout" not in pages["posts/words/index.html"]


def test_card_shows_titles_rounds_rest_moves_cues_boxes_and_disclaimer(tmp_path: Path) -> None:
    _, _, pages = build(write_site(tmp_path, 'base_url = "https://example.org/blog/"\n'))
    card = pages["posts/legs/card/index.html"]
    words = text_of(card)
    assert '<p class="card-kicker">Legs &amp; &#34;Back&#34;</p>' in card  # the post's title, alone
    assert '<h1 id="card-title">Main</h1>' in card
    assert words.count("Test Blog") == 2  # the toolbar's link home (not printed) and, small, the footer
    assert ('<p class="card-url"><span class="card-site">Test Blog</span> · Full post: '
            '<a href="/blog/posts/legs/">https://example.org/blog/posts/legs/</a></p>') in card
    for shown in ("2 rounds", "Rest 1 min between sets", "3 moves", "Squat", "3 × 8–10", "Rest 1 min",
                  "Sit back and down as if aiming for a low chair.", "A1 Plank", "2 × 30 s", "Tempo 3-1-X-0",
                  "Load body weight", "Straight to A2", "A2 One-Arm Row", "2 × 10 per side",
                  "Squeeze your glutes and breathe.", "Short disclaimer for cards.",
                  "Full post: https://example.org/blog/posts/legs/"):
        assert shown in words, shown
    assert "Knees out." not in words  # only the first cue
    assert "A note that stays in the post." not in words
    assert "Superset A: A1, A2 back to back, then rest" in words
    # One box per set and round: (3 + 2 + 2) sets × 2 rounds.
    assert card.count('<span class="box"></span>') == 14
    # A line per round for the weight used: 3 moves × 2 rounds.
    assert card.count('<span class="weight"></span>') == 6
    assert "Tick each set; write the weight on the line" in words
    assert "6 boxes to tick, 2 lines for the weight used" in words
    assert re.search(r"About \d+ min", words)
    assert card.count('class="print-button"') == 1


def test_card_qr_code_encodes_the_posts_absolute_url(tmp_path: Path) -> None:
    _, _, pages = build(write_site(tmp_path, 'base_url = "https://example.org/blog/"\n'))
    for name in ("posts/legs/card/index.html", "posts/legs/card-2/index.html"):
        svg = re.search(r"<svg\b.*?</svg>", pages[name], flags=re.S).group(0)
        assert decode_qr_svg(svg) == "https://example.org/blog/posts/legs/"
        assert svg == qr_svg("https://example.org/blog/posts/legs/", "QR code for https://example.org/blog/posts/legs/")
        assert svg.startswith('<svg role="img" viewBox=') and "<title>QR code for https://" in svg
    assert "<svg" not in pages["cards/index.html"]


def test_without_a_host_the_card_prints_the_path_and_no_qr_code(tmp_path: Path) -> None:
    _, _, pages = build(write_site(tmp_path))
    card = pages["posts/legs/card/index.html"]
    assert "<svg" not in card
    assert 'Full post: <a href="/posts/legs/">/posts/legs/</a>' in card


@pytest.mark.parametrize("payload", [
    "https://example.org/",
    "https://maya.example/fit/posts/single-leg-strength-for-marathoners/",
    "https://user.github.io/a-rather-long-repository-name/posts/" + "long-slug-" * 12 + "end/",
])
def test_qr_svg_decodes_back_to_its_payload(payload: str) -> None:
    assert decode_qr_svg(qr_svg(payload, "label")) == payload


@pytest.mark.parametrize(("size", "page"), [
    ("A5", "size: 148mm 210mm; margin: 10mm;"),
    ("A4", "size: 210mm 297mm; margin: 12mm;"),
    ("letter", "size: 8.5in 11in; margin: 0.5in;"),
    ("half-letter", "size: 5.5in 8.5in; margin: 0.4in;"),
    ("4x6in", "size: 4in 6in; margin: 0.2in;"),
])
def test_card_size_is_written_as_explicit_page_dimensions(tmp_path: Path, size: str, page: str) -> None:
    _, _, pages = build(write_site(tmp_path, f'card_size = "{size}"\n'))
    assert f"@page {{ {page} }}" in pages["posts/legs/card/index.html"]
    assert CARD_SIZES[size].label in pages["cards/index.html"]


def long_routine(moves: int, sets: int = 3, rounds: int = 2) -> str:
    items = "".join(f"  - exercise: squat\n    sets: {sets}\n    reps: 8-10\n    per_side: true\n"
                    f"    tempo: 3-1-1-0\n    load: 15-20 lb each hand\n    rest: 90s\n" for _ in range(moves))
    return f"---\ntitle: Long\n---\n```routine\ntitle: Long\nrounds: {rounds}\nrest: 60s\nitems:\n{items}```\n"


@pytest.mark.parametrize("size", list(CARD_SIZES))
def test_longer_routines_are_set_smaller_and_then_compactly(tmp_path: Path, size: str) -> None:
    posts = {f"2026-01-{n:02d}-n{n}": long_routine(n) for n in (1, 4, 8, 12)}
    library, _, _ = build(write_site(tmp_path, f'card_size = "{size}"\n', posts))
    cards = {card.post.slug: card for card in make_cards(library)}
    order = [STYLES.index(cards[f"n{n}"].style) for n in (1, 4, 8, 12)]
    assert order == sorted(order) and order[0] < order[-1]
    assert cards["n1"].style == Style(CARD_SIZES[size].max_type)
    room = CARD_SIZES[size].height_pt - 2 * CARD_SIZES[size].margin_pt
    for card in cards.values():
        assert card_height(card, card.style) <= room
        assert card.style.type_pt * 0.9 >= 6.48  # the smallest print on a card


def test_a_routine_too_long_for_one_page_is_set_at_the_floor(tmp_path: Path) -> None:
    library, _, pages = build(write_site(tmp_path, 'card_size = "4x6in"\n', {"2026-01-01-n": long_routine(30)}))
    (card,) = make_cards(library)
    assert card.style == STYLES[-1] == Style(7.2, compact=True)
    assert '<article class="card compact"' in pages["posts/n/card/index.html"]


def test_a_very_long_routine_is_laid_out_in_linear_time(tmp_path: Path) -> None:
    library = build_site(Options(root=write_site(tmp_path, "", {"2026-01-01-n": long_routine(100)}),
                                 out=tmp_path / "site", templates=REPO / "templates", today=TODAY), write=False).library
    # A routine file may hold at most 100 moves; the layout itself must still take 2,000 in stride.
    (post,) = library.posts
    (routine,) = post.body.routines
    longer = replace(post, body=replace(post.body, routines=(replace(routine, items=routine.items * 20),)))
    (card,) = make_cards(replace(library, posts=(longer,), teasers={}))
    assert len(card.moves) == 2000
    assert card.style == STYLES[-1]  # every style tried with 2,000 moves (bench/ times it; no timing here)


def test_tick_boxes_are_one_per_set_and_round_up_to_a_limit(tmp_path: Path) -> None:
    posts = {"2026-01-01-a": long_routine(1, sets=3, rounds=3), "2026-01-02-b": long_routine(1, sets=7, rounds=3)}
    library, _, pages = build(write_site(tmp_path, "", posts))
    ticks = {card.post.slug: card.moves[0].ticks for card in make_cards(library)}
    assert (ticks["a"].count, ticks["a"].each_round) == (9, False)
    assert 7 * 3 > MAX_TICKS and (ticks["b"].count, ticks["b"].each_round) == (7, True)
    assert pages["posts/a/card/index.html"].count('<span class="box"></span>') == 9
    assert "each round" in pages["posts/b/card/index.html"]


# --- A small QR decoder (byte, alphanumeric and numeric segments; no error correction needed) ---

ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
MASKS = [
    lambda i, j: (i + j) % 2 == 0, lambda i, j: i % 2 == 0, lambda i, j: j % 3 == 0,
    lambda i, j: (i + j) % 3 == 0, lambda i, j: (i // 2 + j // 3) % 2 == 0,
    lambda i, j: (i * j) % 2 + (i * j) % 3 == 0, lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
    lambda i, j: ((i + j) % 2 + (i * j) % 3) % 2 == 0,
]


def decode_qr_svg(svg: str) -> str:
    """Read the modules drawn by a segno SVG path and decode the QR code's text."""
    dark: set[tuple[int, int]] = set()
    x = y = 0.0
    for command, args in re.findall(r"([MmHh])([^MmHh]*)", re.search(r' d="([^"]+)"', svg).group(1)):
        numbers = [float(n) for n in args.replace(",", " ").split()]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        else:
            length = numbers[0] if command == "h" else numbers[0] - x
            dark.update((int(y), int(x) + k) for k in range(int(length)))
            x += length
    border = min(r for r, _ in dark)
    side = int(re.search(r'viewBox="0 0 (\d+)', svg).group(1)) - 2 * border
    grid = [[(r + border, c + border) in dark for c in range(side)] for r in range(side)]
    return _decode_grid(grid)


def _decode_grid(grid: list[list[bool]]) -> str:
    side = len(grid)
    version = (side - 17) // 4
    bits = [grid[8][c] for c in (0, 1, 2, 3, 4, 5, 7, 8)] + [grid[r][8] for r in (7, 5, 4, 3, 2, 1, 0)]
    fmt = int("".join("1" if b else "0" for b in bits), 2) ^ 0x5412
    level, mask = fmt >> 13, (fmt >> 10) & 7
    function = _function_modules(side, version)
    codewords, byte, count = [], 0, 0
    column, upward = side - 1, True
    while column > 0:
        if column == 6:
            column -= 1
        for step in range(side):
            row = side - 1 - step if upward else step
            for c in (column, column - 1):
                if (row, c) in function:
                    continue
                byte = (byte << 1) | (grid[row][c] ^ MASKS[mask](row, c))
                count += 1
                if count == 8:
                    codewords.append(byte)
                    byte = count = 0
        column -= 2
        upward = not upward
    blocks = [n for group in segno.consts.ECC[version][level] for n in [group.num_data] * group.num_blocks]
    data: list[list[int]] = [[] for _ in blocks]
    position = 0
    for index in range(max(blocks)):
        for block, size in enumerate(blocks):
            if index < size:
                data[block].append(codewords[position])
                position += 1
    stream = "".join(f"{b:08b}" for block in data for b in block)
    return _read_segments(stream, version)


def _read_segments(stream: str, version: int) -> str:
    text, at = "", 0
    wide = 0 if version < 10 else 1 if version < 27 else 2

    def take(n: int) -> int:
        nonlocal at
        at += n
        return int(stream[at - n:at], 2)

    while at + 4 <= len(stream):
        mode = take(4)
        if mode == 0:
            break
        if mode == 0b0100:
            length = take((8, 16, 16)[wide])
            text += bytes(take(8) for _ in range(length)).decode("utf-8")
        elif mode == 0b0010:
            length = take((9, 11, 13)[wide])
            for _ in range(length // 2):
                pair = take(11)
                text += ALPHANUMERIC[pair // 45] + ALPHANUMERIC[pair % 45]
            if length % 2:
                text += ALPHANUMERIC[take(6)]
        elif mode == 0b0001:
            length = take((10, 12, 14)[wide])
            for _ in range(length // 3):
                text += f"{take(10):03d}"
            if length % 3:
                text += f"{take((0, 4, 7)[length % 3]):0{length % 3}d}"
        else:
            raise ValueError(f"unsupported QR mode {mode:04b}")
    return text


def _function_modules(side: int, version: int) -> set[tuple[int, int]]:
    """Finder patterns, separators, format and version areas, timing and alignment patterns."""
    cells: set[tuple[int, int]] = set()

    def region(top: int, left: int, height: int, width: int) -> None:
        cells.update((r, c) for r in range(top, top + height) for c in range(left, left + width))

    region(0, 0, 9, 9)
    region(0, side - 8, 9, 8)
    region(side - 8, 0, 8, 9)
    region(6, 9, 1, side - 17)
    region(9, 6, side - 17, 1)
    if version > 1:
        centres = segno.consts.ALIGNMENT_POS[version - 2]
        last = len(centres) - 1
        for i, row in enumerate(centres):
            for j, col in enumerate(centres):
                if (i, j) not in ((0, 0), (0, last), (last, 0)):
                    region(row - 2, col - 2, 5, 5)
    if version > 6:
        region(0, side - 11, 6, 3)
        region(side - 11, 0, 3, 6)
    return cells


def test_the_site_is_named_once() -> None:
    assert card_site("Fit Focus", "Legs at Home") == "Fit Focus"
    assert card_site("Fit Focus", "Fit Focus: Legs at Home") == ""
    assert card_site("Fit Focus", "fit focus 12: legs") == ""


def test_a_post_titled_after_the_site_prints_the_name_once(tmp_path: Path) -> None:
    posts = {"2026-01-01-n": long_routine(2).replace("title: Long\n---", 'title: "Test Blog: Legs"\n---')}
    _, _, pages = build(write_site(tmp_path, "", posts))
    card = pages["posts/n/card/index.html"]
    assert '<p class="card-kicker">Test Blog: Legs</p>' in card
    assert 'class="card-site"' not in card
    assert "Test Blog · Test Blog" not in card


def test_a_routine_done_once_says_nothing_about_rounds(tmp_path: Path) -> None:
    _, _, pages = build(write_site(tmp_path, "", {"2026-01-01-n": long_routine(2, rounds=1)}))
    card = pages["posts/n/card/index.html"]
    assert "round" not in text_of(card).replace("each round", "")
    assert card.count('<span class="weight"></span>') == 2


def test_a_card_shows_its_routines_muscle_map_only_when_its_moves_name_muscles(tmp_path: Path) -> None:
    _, _, plain = build(write_site(tmp_path / "plain"))
    assert "card-muscles" not in plain["posts/legs/card/index.html"]
    root = write_site(tmp_path / "muscles")
    (root / "exercises/squat.md").write_text(EXERCISES["squat"].replace(
        "name: Squat\n", "name: Squat\nmuscles: [quadriceps]\nsecondary_muscles: [glutes]\n"))
    library, _, pages = build(root)
    cards = {card.workout.routine.title: card for card in make_cards(library)}
    assert cards["Main"].has_muscle_map and not cards["Finisher"].has_muscle_map
    html = pages["posts/legs/card/index.html"]
    assert '<div class="card-muscles"><figure class="muscle-map muscle-map-compact" data-pagefind-ignore="index">' in html
    assert '<title id="card-muscles-title">Muscle map. Primary: quadriceps. Secondary: glutes.</title>' in html
    assert "card-muscles" not in pages["posts/legs/card-2/index.html"]
