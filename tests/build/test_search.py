"""The search index: made by `build` from the posts and exercises, left alone by a build that
changes nothing, and not made at all with `search = false`."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_engine


def test_build_indexes_every_post_and_exercise(small_site: Path) -> None:
    assert run_engine(small_site, "build").code == 0
    entry = json.loads((small_site / "site/pagefind/pagefind-entry.json").read_text())
    published = len(list((small_site / "site/posts").glob("*/index.html")))
    exercises = len(list((small_site / "site/exercises").glob("*/index.html")))
    assert sum(language["page_count"] for language in entry["languages"].values()) == published + exercises
    assert (small_site / "site/search/index.html").is_file()
    assert 'role="search"' in (small_site / "site/index.html").read_text()


def test_a_build_that_changes_nothing_does_not_index_again(small_site: Path) -> None:
    assert run_engine(small_site, "build").code == 0
    entry = small_site / "site/pagefind/pagefind-entry.json"
    before = entry.stat().st_mtime_ns, entry.stat().st_ino
    assert run_engine(small_site, "build").code == 0
    assert (entry.stat().st_mtime_ns, entry.stat().st_ino) == before


def test_search_false_turns_it_off(small_site: Path) -> None:
    settings = small_site / "pyproject.toml"
    settings.write_text(settings.read_text().replace("[tool.fitfocus]\n", "[tool.fitfocus]\nsearch = false\n", 1))
    assert run_engine(small_site, "build").code == 0
    assert not (small_site / "site/pagefind").exists()
    assert not (small_site / "site/search").exists()
    assert 'role="search"' not in (small_site / "site/index.html").read_text()
    page = (small_site / "site/exercises/squat/index.html").read_text()
    assert "data-pagefind-body" not in page and "data-pagefind-filter" not in page
