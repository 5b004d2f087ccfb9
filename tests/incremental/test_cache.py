"""The build cache never serves stale output: after every kind of edit, a cached build is
byte-identical to a clean build of the same files; and several processes write what one does."""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from test_golden import read_tree

sys.path.insert(0, str(REPO / "bench"))
from corpus import write_corpus  # noqa: E402


def clean_build(site: Path, tmp_path: Path) -> dict[str, bytes]:
    out = tmp_path / "clean-out"
    shutil.rmtree(out, ignore_errors=True)
    result = run_cli(site, "build", "--no-cache", "--jobs", "1", "--out", str(out))
    assert result.code == 0, result.err
    return read_tree(out)


def cached_build(site: Path) -> dict[str, bytes]:
    result = run_cli(site, "build")
    assert result.code == 0, result.err
    assert (site / ".cache/fitfocus/outputs.pickle").exists()
    return read_tree(site / "site")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))


EDITS = {
    "post body": lambda s: edit(s / "content/posts/2026-03-01-first.md", "Intro with", "A new intro with"),
    "routine": lambda s: edit(s / "content/posts/2026-03-01-first.md", "squat: 3 x 8-10", "squat: 4 x 6"),
    "post title listed elsewhere": lambda s: edit(s / "content/posts/2026-04-01-second.md", "title: Second",
                                                 "title: Second, Renamed"),
    "exercise used by a post": lambda s: edit(s / "exercises/squat.md", "Brace before you bend.", "Brace hard."),
    "exercise name": lambda s: edit(s / "exercises/plank.md", "name: Plank", "name: Front Plank"),
    "template": lambda s: edit(s / "templates/post.html", "How to do these moves", "How to do the moves"),
    "settings": lambda s: edit(s / "pyproject.toml", 'title = "Small Test Blog"', 'title = "Renamed Blog"'),
    "deleted post": lambda s: (s / "content/posts/2026-05-01-third.md").unlink(),
    "new page": lambda s: (s / "content/pages/gear.md").write_text("---\ntitle: Gear\n---\nMy kit.\n"),
    "picture size": lambda s: edit(s / "content/media/dot.svg", 'width="10" height="10"', 'width="12" height="12"'),
    "new plan": lambda s: write_plan(s),
    "plan session": lambda s: edit(write_plan(s), "thu: run easy 30min", "thu: run easy 35min"),
}
PLAN = """---
title: Two Weeks
start: 2027-03-01
---
```plan
weeks:
  - days: {tue: strength first, thu: run easy 30min, sat: strength first}
  - deload: true
    days: {tue: strength first}
```
"""


def write_plan(site: Path) -> Path:
    """Give the small site a plan (once); return its path."""
    path = site / "content/plans/two-weeks.md"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_text(PLAN)
    return path


@pytest.mark.parametrize("change", sorted(EDITS))
def test_cached_build_after_an_edit_equals_a_clean_build(small_site: Path, tmp_path: Path, change: str) -> None:
    before = cached_build(small_site)
    assert cached_build(small_site) == before  # nothing changed: same bytes from the cache
    EDITS[change](small_site)
    after = cached_build(small_site)
    assert after == clean_build(small_site, tmp_path)
    assert after != before


# Which pages each edit must re-render (every other page keeps its key and is not rendered again).
FEEDS = {"feed.xml", "series/fit-focus/feed.xml"}  # the small site's posts all fit in its feeds, in full
RERENDERED = {
    # The prose around a routine: the post and the feeds that carry it, not its card, nor any
    # listing (listings show teasers: title, date, summary, series, tags, number of routines).
    "post body": {"posts/first/index.html"} | FEEDS,
    "routine": {"posts/first/index.html", "posts/first/card/index.html", "posts/first/workout/index.html",
                "cards/index.html"} | FEEDS,
    # A title is shown wherever the post is listed, and by its neighbour in the series.
    "post title listed elsewhere": {"posts/second/index.html", "index.html", "series/fit-focus/index.html",
                                    "tags/legs/index.html", "posts/first/index.html"} | FEEDS,
    # A session is shown on its plan's page and in its calendar; the list of plans shows no sessions.
    "plan session": {"plans/two-weeks/index.html", "plans/two-weeks/plan.ics"},
    # A template edit re-renders the pages made with it, and no others.
    "template": {"posts/first/index.html", "posts/second/index.html", "posts/third/index.html"},
}


@pytest.mark.parametrize("change", sorted(RERENDERED))
def test_an_edit_changes_the_keys_of_exactly_the_pages_it_shows_on(small_site: Path, change: str) -> None:
    import datetime

    from fitfocus.build.templates import template_files
    from fitfocus.config import load_config
    from fitfocus.content.library import index_library
    from fitfocus.content.loader import load_content
    from fitfocus.incremental.state import BuildState
    from fitfocus.pages.plan import plan_pages

    def keys() -> dict[str, str]:
        state = BuildState.open(None)
        reader = state.reader(None)
        config, problems = load_config(small_site)
        loaded = load_content(config, datetime.date(2026, 12, 1), reader)
        library = index_library(loaded.content, config)
        assert problems == loaded.problems == []
        return state.page_keys(plan_pages(library), library, template_files(small_site / "templates"), reader)

    if change.startswith("plan"):
        write_plan(small_site)
    before = keys()
    EDITS[change](small_site)
    after = keys()
    assert {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)} == RERENDERED[change]


def test_a_page_changed_by_hand_in_the_output_is_written_again(small_site: Path) -> None:
    before = cached_build(small_site)
    (small_site / "site/posts/first/index.html").write_text("scribbled on")
    assert cached_build(small_site) == before


def test_a_damaged_cache_is_ignored(small_site: Path, tmp_path: Path) -> None:
    cached_build(small_site)
    damaged = [path for path in (small_site / ".cache/fitfocus").rglob("*") if path.is_file()]
    assert any(path.parent.name == "markdown" for path in damaged)  # rendered bodies are there too
    for path in damaged:
        path.write_bytes(b"not a pickle, nor a body")
    assert cached_build(small_site) == clean_build(small_site, tmp_path)


def test_a_cache_file_cut_short_is_read_as_empty_and_each_entry_is_stored_apart(tmp_path: Path) -> None:
    from fitfocus.incremental.cache import read_cache, write_cache

    shared = ("a value", "both entries hold")
    write_cache(tmp_path, "things", {"one": [shared, 1], "two": [shared, 2]})
    back = read_cache(tmp_path, "things")
    assert back == {"one": [shared, 1], "two": [shared, 2]}
    assert back["one"][0] is not back["two"][0]  # pickled apart: no table of every object while writing
    whole = (tmp_path / "things.pickle").read_bytes()
    for end in range(len(whole) - 1, 0, -7):  # wherever a killed write or a full disk cut it
        (tmp_path / "things.pickle").write_bytes(whole[:end])
        assert read_cache(tmp_path, "things") == {}


def test_the_libraries_versions_are_read_from_the_first_metadata_folder_found(tmp_path: Path) -> None:
    import importlib.metadata

    from fitfocus.incremental.cache import _LIBRARIES, _installed

    first, second = tmp_path / "first", tmp_path / "second"
    for folder, names in ((first, ["Jinja2-3.1.2.egg-info", "PyYAML-6.0-py3.11.egg-info", "markdown_it_py-4.0.0.dist-info"]),
                          (second, ["jinja2-9.9.dist-info", "python_frontmatter-1.1.0.dist-info", "Markdown-3.5.dist-info"])):
        folder.mkdir()
        for name in names:
            (folder / name).mkdir()
    said = _installed(("jinja2", "pyyaml", "python-frontmatter", "markdown", "segno"),
                      [str(tmp_path / "missing"), str(first), str(second)])
    assert said == "jinja2=3.1.2|pyyaml=6.0|python-frontmatter=1.1.0|markdown=3.5|segno=?"
    # Where the build runs, the answer is importlib.metadata's.
    assert _installed(_LIBRARIES, sys.path) == "|".join(f"{name}={importlib.metadata.version(name)}" for name in _LIBRARIES)


def test_records_pickle_back_equal_and_of_their_own_class() -> None:
    import copy
    import pickle

    from fitfocus.content.model import Body, Image, Location, Ref

    where = Location("content/posts/a.md", 3, 5, "line")
    body = Body("Text ![a](media/a.jpg)", 7, (Ref("exercise:squat", where),), (Image("media/a.jpg", "a", where),), ())
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps([body, where], protocol=protocol))
        assert back == [body, where] and type(back[0]) is Body
        assert back[0].images[0].at is back[1]  # what two records share stays shared
    assert copy.deepcopy(body) == body and copy.copy(where) == where


def test_two_processes_write_the_same_bytes_as_one(tmp_path: Path) -> None:
    blog = tmp_path / "blog"
    write_corpus(blog, posts=150, exercises=20)
    one = run_cli(blog, "build", "--no-cache", "--jobs", "1", "--out", str(tmp_path / "one"))
    two = run_cli(blog, "build", "--no-cache", "--jobs", "2", "--out", str(tmp_path / "two"))
    assert one.code == 0 and two.code == 0, one.err + two.err
    files = read_tree(tmp_path / "one")
    assert len(files) > 400  # enough pages for the renderer to use a second process
    assert read_tree(tmp_path / "two") == files


def test_functions_are_known_by_name_and_closures_never_match() -> None:
    from fitfocus.incremental.fingerprints import Fingerprints
    from fitfocus.pages.seo import post_data

    def make(value: int):
        return lambda: value

    assert Fingerprints().of(post_data) == Fingerprints().of(post_data)
    assert Fingerprints().of(make(1)) != Fingerprints().of(make(1))  # state the name cannot show


def test_editing_one_post_stores_only_its_record_again(tmp_path: Path) -> None:
    blog = tmp_path / "blog"
    write_corpus(blog, posts=80, exercises=10)  # more files than the recent records hold
    assert run_cli(blog, "build").code == 0
    time.sleep(2.5)  # the stamps of files changed in the last 2 s are not trusted: let them settle
    assert run_cli(blog, "build").code == 0
    whole = blog / ".cache/fitfocus/records.pickle"
    written = whole.stat().st_mtime_ns
    post = sorted((blog / "content/posts").glob("*.md"))[5]
    post.write_text(post.read_text() + "\nOne more line.\n")
    assert run_cli(blog, "build").code == 0
    assert whole.stat().st_mtime_ns == written  # the records of the other 89 files were not written again
    assert (blog / ".cache/fitfocus/records-recent.pickle").stat().st_size < whole.stat().st_size / 20
    assert b"One more line." in (blog / "site/posts" / post.stem[11:] / "index.html").read_bytes()
    assert read_tree(blog / "site") == clean_build(blog, tmp_path)


def test_a_build_after_one_without_the_cache_leaves_no_stale_page(small_site: Path, tmp_path: Path) -> None:
    cached_build(small_site)
    extra = small_site / "content/posts/2026-05-02-extra.md"
    extra.write_text("---\ntitle: Extra\n---\nOne more.\n")
    assert run_cli(small_site, "build", "--no-cache").code == 0  # replaces site/ without telling the cache
    extra.unlink()
    assert cached_build(small_site) == clean_build(small_site, tmp_path)


def test_a_changed_picture_converts_again_only_the_bodies_that_show_it(small_site: Path) -> None:
    assert run_cli(small_site, "build").code == 0
    from fitfocus.incremental.markdown_cache import MarkdownCache

    converted = small_site / ".cache/fitfocus/markdown"
    before = MarkdownCache(converted).stored()
    edit(small_site / "content/media/dot.svg", 'width="10" height="10"', 'width="12" height="12"')
    assert run_cli(small_site, "build").code == 0
    added = MarkdownCache(converted).stored() - before
    assert len(added) == 1  # the one post whose body shows the picture
    html = (small_site / "site/posts/second/index.html").read_text()
    assert 'height="12"' in html and 'width="12"' in html


def test_converted_bodies_are_stored_as_one_pack_a_process_and_read_back_by_another(tmp_path: Path) -> None:
    from fitfocus.incremental.markdown_cache import MarkdownCache

    folder = tmp_path / "markdown"
    writer = MarkdownCache(folder)
    bodies = {f"key {number}": f"<p>Body {number} \u2019s {'x' * number}</p>" for number in range(200)}
    for key, html in bodies.items():
        writer.put(key, html)
        assert writer.get(key) == html  # this process's own, before they are stored
    assert MarkdownCache(folder).get("key 3") is None  # another process finds them once the pack is finished
    assert [path.suffix for path in folder.iterdir()] == [".part"]
    writer.flush()
    assert [path.suffix for path in folder.iterdir()] == [".pack"]  # one file for two hundred bodies
    reader = MarkdownCache(folder)
    assert {key: reader.get(key) for key in bodies} == bodies
    assert reader.get("another key") is None
    writer.put("late", "<p>Late</p>")
    writer.flush()
    assert reader.get("late") == "<p>Late</p>"  # a pack written after the reader looked is found too
    assert len(reader.stored()) == 201


def test_a_forked_process_writes_a_pack_of_its_own_and_leaves_its_parents_alone(tmp_path: Path) -> None:
    from fitfocus.incremental.markdown_cache import MarkdownCache

    folder = tmp_path / "markdown"
    store = MarkdownCache(folder)
    store.put("parent 1", "<p>Parent 1</p>")
    child = os.fork()  # as the render processes are, possibly with a pack under way
    if child == 0:
        try:
            store.put("child", "<p>Child</p>")
            store.flush()
        finally:
            os._exit(0)
    os.waitpid(child, 0)
    store.put("parent 2", "<p>Parent 2</p>")
    store.flush()
    assert len(list(folder.glob("*.pack"))) == 2
    reader = MarkdownCache(folder)
    assert [reader.get(key) for key in ("parent 1", "parent 2", "child")] == ["<p>Parent 1</p>", "<p>Parent 2</p>",
                                                                             "<p>Child</p>"]


def test_a_damaged_or_vanished_pack_is_a_miss_never_a_wrong_body(tmp_path: Path) -> None:
    from fitfocus.incremental.markdown_cache import MarkdownCache

    folder = tmp_path / "markdown"
    writer = MarkdownCache(folder)
    writer.put("one", "<p>One</p>")
    writer.put("two", "<p>Two</p>")
    writer.flush()
    (pack,) = folder.iterdir()
    data = pack.read_bytes()
    pack.write_bytes(data.replace(b"<p>One</p>", b"<p>Onf</p>"))
    reader = MarkdownCache(folder)
    assert reader.get("one") is None and reader.get("two") == "<p>Two</p>"
    for end in range(len(data) - 1, 0, -5):  # wherever a full disk cut it
        pack.write_bytes(data[:end])
        assert MarkdownCache(folder).get("two") in (None, "<p>Two</p>")
        assert MarkdownCache(folder).get("one") in (None, "<p>One</p>")
    pack.write_bytes(data)
    reader = MarkdownCache(folder)
    assert reader.get("one") == "<p>One</p>"
    pack.unlink()  # as another process merging the packs does
    assert reader.get("two") is None


def test_prune_merges_many_packs_and_keeps_the_newest_bodies(tmp_path: Path) -> None:
    from fitfocus.incremental import markdown_cache as cache
    from fitfocus.incremental.markdown_cache import MarkdownCache

    folder = tmp_path / "markdown"
    store = MarkdownCache(folder)
    for number in range(100):  # a whole build's pack
        store.put(f"body {number}", f"<p>{number}</p>")
    store.flush()
    (whole,) = folder.iterdir()
    order = [whole]
    for edit in range(cache._MOST_PACKS):  # then one pack an edit
        before = set(folder.iterdir())
        store.put(f"edit {edit}", f"<p>Edit {edit}</p>")
        store.flush()
        (made,) = set(folder.iterdir()) - before
        order.append(made)
    for age, pack in enumerate(order):  # each a second newer than the one before
        os.utime(pack, ns=(1_700_000_000_000_000_000 + age * 1_000_000_000,) * 2)
    store.prune(keep=1000)
    packs = sorted(folder.iterdir())
    assert len(packs) == 2 and whole in packs  # the edits' packs merged; the whole build's left as it was
    fresh = MarkdownCache(folder)
    assert fresh.get("body 7") == "<p>7</p>" and fresh.get(f"edit {cache._MOST_PACKS - 1}") is not None
    assert len(fresh.stored()) == 100 + cache._MOST_PACKS
    store.prune(keep=50)  # too many bodies: the oldest go, the edits' (newer) stay
    fresh = MarkdownCache(folder)
    assert len(fresh.stored()) == 50
    assert all(fresh.get(f"edit {edit}") == f"<p>Edit {edit}</p>" for edit in range(cache._MOST_PACKS))
