"""The search index: made by `build` from the posts and exercises, left alone by a build that
changes nothing, and not made at all with `search = false`."""

from __future__ import annotations

import gzip
import json
import math
from pathlib import Path
from typing import Any

import pytest
from conftest import run_engine

import fitfocus.build.search as search
from fitfocus.build.search import SearchPage, part_size, search_files, shares
from fitfocus.problems import BuildFailed, format_problem


def test_build_indexes_every_post_and_exercise(small_site: Path) -> None:
    assert run_engine(small_site, "build").code == 0
    entry = json.loads((small_site / "site/pagefind/pagefind-entry.json").read_text())
    published = len(list((small_site / "site/posts").glob("*/index.html")))
    exercises = len(list((small_site / "site/exercises").glob("*/index.html")))
    assert sum(language["page_count"] for language in entry["languages"].values()) == published + exercises
    assert (small_site / "site/search/index.html").is_file()
    assert 'role="search"' in (small_site / "site/index.html").read_text()


def _indexed_text(site: Path) -> dict[str, str]:
    """What the index holds of each page, by URL: the text of its fragment, as Pagefind stored it."""
    texts = {}
    for path in (site / "pagefind/fragment").glob("*.pf_fragment"):
        fragment = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        texts[fragment["url"]] = fragment["content"]
    return texts


def test_a_post_is_indexed_by_its_words_and_moves_not_by_what_every_post_repeats(small_site: Path) -> None:
    assert run_engine(small_site, "build").code == 0
    texts = _indexed_text(small_site / "site")
    first, second = texts["/posts/first/"], texts["/posts/second/"]
    assert "Intro with a squat" in first and "Keep <breathing>." in first  # the author's words and notes
    assert "Squat 3 × 8–10" in first and "Sandbag Squat" in first and "AMRAP" in first  # the routine's moves
    assert "See a physio if it hurts." in second  # a post's own disclaimer is its own words
    for page in (first, second):
        for boilerplate in ("Not medical advice", "Before you start", "Start this workout", "Print this workout",
                            "Jump to the workout", "Muscle map", "between sets", "Tempo"):
            assert boilerplate not in page
    squat = texts["/exercises/squat/"]
    assert "Sit down between your heels" in squat and "Sandbag Squat" in squat  # its how-to, its variations
    assert "hosted elsewhere" not in squat and "First" not in squat  # the video notice, the posts using it


def test_a_build_that_changes_nothing_does_not_index_again(small_site: Path) -> None:
    assert run_engine(small_site, "build").code == 0
    entry = small_site / "site/pagefind/pagefind-entry.json"
    before = entry.stat().st_mtime_ns, entry.stat().st_ino
    assert run_engine(small_site, "build").code == 0
    assert (entry.stat().st_mtime_ns, entry.stat().st_ino) == before


def _stamps(folder: Path) -> dict[str, tuple[int, int, int]]:
    return {path.relative_to(folder).as_posix(): (path.stat().st_ino, path.stat().st_mtime_ns, path.stat().st_ctime_ns)
            for path in folder.rglob("*") if path.is_file()}


def test_the_index_is_linked_from_the_cache_and_a_build_after_it_moves_nothing(small_site: Path) -> None:
    assert run_engine(small_site, "build").code == 0
    site, cache = small_site / "site", small_site / ".cache"
    kept = {path.stat().st_ino for path in cache.rglob("*") if path.is_file()}
    index = [path for path in (site / "pagefind").rglob("*") if path.is_file()]
    assert len(index) > 10 and all(path.stat().st_ino in kept for path in index)  # linked, not copied
    before = _stamps(site)
    assert run_engine(small_site, "build").code == 0
    assert _stamps(site) == before  # linking changed the sources' ctime; nothing is linked again for it

    post = small_site / "content/posts/2026-03-01-first.md"
    post.write_text(post.read_text() + "\nA sandbag carry finisher.\n")
    assert run_engine(small_site, "build").code == 0
    after = _stamps(site)
    moved = {name for name in after if after[name][:2] != before.get(name, (0, 0))[:2]}
    assert "posts/first/index.html" in moved and any(name.startswith("pagefind/") for name in moved)
    assert {name for name in moved if not name.startswith("pagefind/")} == {
        ".fitfocus-site", "posts/first/index.html", "feed.xml", "series/fit-focus/feed.xml"}
    assert all(path.stat().st_ino in {p.stat().st_ino for p in cache.rglob("*") if p.is_file()}
               for path in (site / "pagefind").rglob("*") if path.is_file())
    stamps = _stamps(site)
    assert run_engine(small_site, "build").code == 0
    assert _stamps(site) == stamps


def test_search_false_turns_it_off(small_site: Path) -> None:
    settings = small_site / "pyproject.toml"
    settings.write_text(settings.read_text().replace("[tool.fitfocus]\n", "[tool.fitfocus]\nsearch = false\n", 1))
    assert run_engine(small_site, "build").code == 0
    assert not (small_site / "site/pagefind").exists()
    assert not (small_site / "site/search").exists()
    assert 'role="search"' not in (small_site / "site/index.html").read_text()
    page = (small_site / "site/exercises/squat/index.html").read_text()
    assert "data-pagefind-body" not in page and "data-pagefind-filter" not in page


PAGE = ('<!doctype html><html lang="en"><head><title>{0}</title></head><body>'
        '<main{1}><h1>{0}</h1><p>{2}</p></main></body></html>')


class _Runs:
    """Counts Pagefind runs (each part indexed is one), while running them for real."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = search.subprocess.Popen

        def popen(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(search.subprocess, "Popen", popen)


def _pages(folder: Path, marked: int, unmarked: int, word: str = "kettlebell") -> dict[str, SearchPage]:
    pages = {}
    for number in range(marked + unmarked):
        name = f"posts/p{number:04}/index.html" if number < marked else f"cards/c{number:04}/index.html"
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        mark = " data-pagefind-body" if number < marked else ""
        path.write_text(PAGE.format(f"Page {number}", mark, f"{word} swing number{number}"))
        pages[name] = SearchPage(path, "v1")
    return pages


def _indexed_pages(files: dict[str, Path]) -> int:
    return sum(1 for name in files if "/fragment/" in name)


@pytest.mark.parametrize(("posts", "exercises"), [(1, 0), (10, 3), (150, 0), (151, 60), (400, 60), (1000, 60),
                                                  (1000, 1000), (5000, 60), (20000, 300)])
def test_parts_stay_small_and_few(posts: int, exercises: int) -> None:
    names = ([f"posts/post-{number}/index.html" for number in range(posts)]
             + [f"exercises/move-{number}/index.html" for number in range(exercises)] + ["about/index.html"])
    parts = shares(sorted(names))
    size = part_size(len(names))
    assert sorted(name for part in parts for name in part) == sorted(names)  # each page in one part
    assert max(len(part) for part in parts) <= 1.4 * size  # a hash shares them out about evenly
    # No more parts than needed: the pages over, at most one more a kind of page (posts, exercises,
    # the rest), so a search opens few indexes even at 20,000 pages.
    assert len(parts) <= len(names) / size + 3
    assert len(parts) <= math.ceil(math.sqrt(len(names)) / 2) + 3
    for part in parts:  # one kind of page to a part, but for the one the smaller kinds share
        kinds = {name.split("/")[0] for name in part}
        assert len(kinds) == 1 or part is parts[-1]


def test_a_part_of_one_kind_of_page_is_named_by_their_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `{posts/a/index.html,…}` makes Pagefind walk every folder of the site; `posts/{a,…}/index.html`
    # only the pages' own (a quarter of a second a part at 5,000 posts).
    pages = _pages(tmp_path / "site", marked=70, unmarked=20)  # two parts of posts (parts hold 50 pages or so)
    extra = tmp_path / "site" / "about" / "index.html"
    extra.parent.mkdir()
    extra.write_text(PAGE.format("About", " data-pagefind-body", "kettlebell history"))
    pages["about/index.html"] = SearchPage(extra, "v1")
    commands = _Commands(monkeypatch)
    files = search_files(pages, tmp_path / "cache")
    globs = [line[line.index("--glob") + 1] for line in commands.lines]
    assert len(globs) == 3
    assert sum(glob.startswith("posts/{") and glob.endswith("}/index.html") for glob in globs) == 2
    assert "about/index.html" in globs[-1] and globs[-1].startswith("{")  # the pages of other kinds share a part
    assert _indexed_pages(files) == 71


def test_parts_keep_their_index_when_another_kind_of_page_gets_parts_of_its_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = _pages(tmp_path / "site", marked=110, unmarked=0)  # three parts (parts hold 50 pages or so)

    def exercises(count: int) -> None:
        for number in range(count):
            name = f"exercises/e{number:04}/index.html"
            path = tmp_path / "site" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(PAGE.format(f"Move {number}", " data-pagefind-body", "kettlebell press"))
            pages[name] = SearchPage(path, "v1")

    exercises(30)  # fewer than a part's worth: they share the last part
    runs = _Runs(monkeypatch)
    first = search_files(pages, tmp_path / "cache")
    assert runs.count == 4 and len(json.loads(first["pagefind/parts.json"].read_text())) == 3
    exercises(65)  # now a part's worth: parts of their own, ahead of the posts' in the order
    second = search_files(pages, tmp_path / "cache")
    assert len(json.loads(second["pagefind/parts.json"].read_text())) == 4
    assert runs.count == 4 + 2  # the exercises' two parts; the posts' three are the ones made before
    assert _indexed_pages(second) == 175


def test_only_the_part_of_a_changed_page_is_indexed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = _pages(tmp_path / "site", marked=110, unmarked=20)  # three parts (parts hold 50 pages or so)
    runs = _Runs(monkeypatch)
    first = search_files(pages, tmp_path / "cache", workers=2)
    parts = len(shares(sorted(name for name in pages if name.startswith("posts/"))))
    assert parts == 3 and runs.count == parts
    assert _indexed_pages(first) == 110  # the pages without the mark are left out
    assert json.loads(first["pagefind/parts.json"].read_text()) == ["part-1/", "part-2/"]
    assert "pagefind/pagefind-ui.js" in first and "pagefind/part-1/pagefind-ui.js" not in first
    assert any(name.startswith("pagefind/part-2/pagefind.en") and name.endswith(".pf_meta") for name in first)

    assert search_files(pages, tmp_path / "cache") == first and runs.count == parts  # nothing changed

    unmarked = "cards/c0120/index.html"
    pages[unmarked].source.write_text(PAGE.format("Card", "", "sandbag"))
    pages[unmarked] = SearchPage(pages[unmarked].source, "v2")
    assert search_files(pages, tmp_path / "cache") == first and runs.count == parts  # not indexed: no run

    edited = "posts/p0007/index.html"
    pages[edited].source.write_text(PAGE.format("Page 7", " data-pagefind-body", "sandbag carry"))
    pages[edited] = SearchPage(pages[edited].source, "v2")
    second = search_files(pages, tmp_path / "cache")
    assert runs.count == parts + 1
    part = next(number for number, names in enumerate(shares(sorted(name for name in pages if name.startswith("posts/"))))
                if edited in names)
    prefix = "pagefind/" if part == 0 else f"pagefind/part-{part}/"
    changed = {name for name in first.keys() | second.keys() if first.get(name) != second.get(name)}
    assert changed and all(name.startswith(prefix) for name in changed)
    assert len(list((tmp_path / "cache").glob("part-*"))) == parts  # the replaced part is removed


def test_another_pagefind_makes_every_part_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The first part's scripts read every part: parts from two Pagefind versions must never be mixed.
    pages = _pages(tmp_path / "site", marked=110, unmarked=0)
    runs = _Runs(monkeypatch)
    first = search_files(pages, tmp_path / "cache")
    assert runs.count == 3
    upgraded = tmp_path / "upgraded" / "pagefind"
    upgraded.parent.mkdir()
    upgraded.write_bytes(Path(search._pagefind()).read_bytes() + b"\0")  # the same program, other bytes
    upgraded.chmod(0o755)
    monkeypatch.setattr(search, "_pagefind", lambda: str(upgraded))
    second = search_files(pages, tmp_path / "cache")
    assert runs.count == 6  # every part indexed again, by the other binary
    assert first.keys() == second.keys()
    assert all(second[name] != first[name] for name in first if name != "pagefind/parts.json")
    assert len(list((tmp_path / "cache").glob("part-*"))) == 3  # the old parts are removed
    assert search_files(pages, tmp_path / "cache") == second and runs.count == 6


def test_a_site_without_the_mark_is_indexed_whole(tmp_path: Path) -> None:
    files = search_files(_pages(tmp_path / "site", marked=0, unmarked=5), tmp_path / "cache")
    assert _indexed_pages(files) == 5


def test_a_failed_run_is_a_located_error_and_keeps_no_part(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "_pagefind", lambda: "/bin/false")
    with pytest.raises(BuildFailed) as failed:
        search_files(_pages(tmp_path / "site", marked=3, unmarked=0), tmp_path / "cache")
    assert [format_problem(problem) for problem in failed.value.problems] == [
        "pyproject.toml:1:1: error: search index could not be made: Pagefind failed\n"
        "  hint: install the search indexer with `pip install 'pagefind[bin]'`, or set `search = false` under "
        "[tool.fitfocus]"]
    assert [path.name for path in (tmp_path / "cache").iterdir()] == ["pages.json"]


def test_a_build_indexes_only_when_an_indexed_page_changed(small_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_engine(small_site, "build").code == 0
    runs = _Runs(monkeypatch)
    assert run_engine(small_site, "build").code == 0
    assert runs.count == 0  # nothing changed
    card = small_site / "templates/card.html"
    card.write_text(card.read_text() + "\n<!-- a card changed -->\n")
    assert run_engine(small_site, "build").code == 0
    assert runs.count == 0  # cards are not indexed
    post = small_site / "content/posts/2026-03-01-first.md"
    post.write_text(post.read_text() + "\nOne more sentence about the sandbag.\n")
    assert run_engine(small_site, "build").code == 0
    assert runs.count == 1


class _Commands:
    """The command line of every Pagefind run, while running them for real."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.lines: list[list[str]] = []
        real = search.subprocess.Popen

        def popen(command: list[str], *args: Any, **kwargs: Any) -> Any:
            self.lines.append(list(command))
            return real(command, *args, **kwargs)

        monkeypatch.setattr(search.subprocess, "Popen", popen)


def _fragments(files: dict[str, Path]) -> set[str]:
    # Pagefind names a fragment by a hash of what it holds: the same names, the same pages indexed alike.
    return {Path(name).name for name in files if "/fragment/" in name}


def test_pages_in_one_folder_are_indexed_where_they_are(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = _pages(tmp_path / "site", marked=45, unmarked=5)  # one part
    commands = _Commands(monkeypatch)
    in_place = search_files(pages, tmp_path / "cache")
    assert len(commands.lines) == 1
    line = commands.lines[0]
    assert line[line.index("--site") + 1] == str(tmp_path / "site")
    assert line[line.index("--glob") + 1] == "posts/{" + ",".join(sorted(name.split("/")[1] for name in pages
                                                                      if name.startswith("posts/"))) + "}/index.html"
    assert not [path for path in (tmp_path / "cache").iterdir() if path.name.startswith("site-")]

    linked = search_files(pages, tmp_path / "other-cache", settled=False)
    line = commands.lines[1]
    assert "--glob" not in line and line[line.index("--site") + 1] != str(tmp_path / "site")
    assert _indexed_pages(in_place) == _indexed_pages(linked) == 45
    assert _fragments(in_place) == _fragments(linked)


def test_pages_a_glob_cannot_name_or_in_two_folders_are_linked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    commands = _Commands(monkeypatch)
    pages = _pages(tmp_path / "site", marked=3, unmarked=0)
    odd = tmp_path / "site" / "posts" / "a,b {c}" / "index.html"
    odd.parent.mkdir()
    odd.write_text(PAGE.format("Odd", " data-pagefind-body", "comma brace"))
    pages["posts/a,b {c}/index.html"] = SearchPage(odd, "v1")
    assert _indexed_pages(search_files(pages, tmp_path / "cache")) == 4
    assert "--glob" not in commands.lines[-1]

    pages = _pages(tmp_path / "one", marked=2, unmarked=0) | _pages(tmp_path / "two", marked=4, unmarked=0)
    pages["posts/p0000/index.html"] = SearchPage(tmp_path / "one" / "posts/p0000/index.html", "v1")
    pages["posts/p0003/index.html"] = SearchPage(tmp_path / "two" / "posts/p0003/index.html", "v1")
    assert _indexed_pages(search_files(pages, tmp_path / "cache")) == 4
    assert "--glob" not in commands.lines[-1]


def test_a_whole_build_indexes_its_staged_pages_in_place_and_an_edit_links_them(small_site: Path,
                                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    commands = _Commands(monkeypatch)
    assert run_engine(small_site, "build").code == 0
    assert commands.lines and all("--glob" in line for line in commands.lines)
    assert all(Path(line[line.index("--site") + 1]).name.startswith(".site-new-") for line in commands.lines)
    whole = len(commands.lines)
    post = small_site / "content/posts/2026-03-01-first.md"
    post.write_text(post.read_text() + "\nA farmer's carry to finish.\n")
    assert run_engine(small_site, "build").code == 0
    # The edited post is staged, the part's other pages are in site/: they are linked for the run.
    assert len(commands.lines) == whole + 1 and "--glob" not in commands.lines[-1]


def test_the_heaviest_parts_are_indexed_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Ten exercise pages as long as a hundred posts share the last part: it runs first, so that the
    # build does not end waiting for it alone.
    pages = _pages(tmp_path / "site", marked=60, unmarked=0)
    for number in range(10):
        name = f"exercises/e{number:04}/index.html"
        path = tmp_path / "site" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(PAGE.format(f"Move {number}", " data-pagefind-body", " ".join(["kettlebell clean"] * 2000)))
        pages[name] = SearchPage(path, "v1")
    assert [names[0].split("/")[0] for names in shares(sorted(pages))] == ["posts", "posts", "exercises"]
    commands = _Commands(monkeypatch)
    files = search_files(pages, tmp_path / "cache", workers=1)
    globs = [line[line.index("--glob") + 1] for line in commands.lines]
    assert len(globs) == 3 and "exercises/" in globs[0] and all(glob.startswith("posts/") for glob in globs[1:])
    assert _indexed_pages(files) == 70
