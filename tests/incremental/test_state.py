"""What one build leaves the next: the template check is parsed once per set of templates, and a
template changed after a cached check is still checked; a build from the inputs of the last one
plans no page, and any change of them plans every page again; after posts edited within their
interface, only their own pages and feeds are keyed again, and after any other change every page
is, each time leaving what a clean build leaves."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest

import fitfocus.build.pipeline as pipeline
import fitfocus.incremental.state as state_module
from conftest import TODAY_EPOCH, run_engine
from test_golden import read_tree
from fitfocus.build.templates import template_files
from fitfocus.incremental.state import BuildState


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The templates folders whose templates were parsed, one item per check."""
    checked: list[Path] = []
    real = state_module.check_templates

    def counting(folder: Path, files, root: Path):
        checked.append(folder)
        return real(folder, files, root)

    monkeypatch.setattr(state_module, "check_templates", counting)
    return checked


def test_unchanged_templates_are_parsed_once(tmp_path: Path, parses: list[Path]) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "base.html").write_text("<p>{{ title }}</p>\n")
    state = BuildState(None)
    files = template_files(folder)
    assert state.template_problems(folder, files, tmp_path) == []
    assert state.template_problems(folder, template_files(folder), tmp_path) == []
    assert parses == [folder]


def test_a_template_broken_after_a_cached_check_is_still_found(tmp_path: Path, parses: list[Path]) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "base.html").write_text("<p>{{ title }}</p>\n")
    state = BuildState(None)
    assert state.template_problems(folder, template_files(folder), tmp_path) == []
    (folder / "base.html").write_text("<p>{{ title }</p>\n")
    problems = state.template_problems(folder, template_files(folder), tmp_path)
    assert [f"{p.path}:{p.line}:{p.col}: {p.message}" for p in problems] == [
        "templates/base.html:1:1: template error: unexpected '}'"]
    assert len(parses) == 2


def test_the_check_is_kept_in_the_cache_folder_between_builds(small_site: Path, parses: list[Path]) -> None:
    assert run_engine(small_site, "build").code == 0
    assert run_engine(small_site, "build").code == 0
    assert len(parses) == 1  # the second build, a new state read from disk, did not parse them again
    post = small_site / "templates/post.html"
    post.write_text(post.read_text() + "{% endif %}\n")
    broken = run_engine(small_site, "build")
    assert broken.code == 1
    assert "templates/post.html:" in broken.err and "template error: Encountered unknown tag 'endif'" in broken.err
    assert len(parses) == 2


@pytest.fixture
def plans_made(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One item (the number of pages planned) each time a build plans every page."""
    made: list[int] = []
    real = pipeline.plan_pages

    def counting(library):
        plans = real(library)
        made.append(len(plans))
        return plans

    monkeypatch.setattr(pipeline, "plan_pages", counting)
    return made


def test_a_build_from_the_inputs_of_the_last_plans_no_page(small_site: Path, plans_made: list[int]) -> None:
    assert run_engine(small_site, "build").code == 0
    built = read_tree(small_site / "site")
    again = run_engine(small_site, "build")
    assert again.code == 0 and again.out.startswith("built ")
    assert len(plans_made) == 1  # the second build, a new state read from disk, learnt nothing changed
    assert read_tree(small_site / "site") == built


def test_a_build_after_one_that_encoded_pictures_plans_no_page(sample_blog: Path, plans_made: list[int]) -> None:
    # The first build encodes every picture (in whatever order they finish), the second none.
    assert any((sample_blog / "content/media").glob("*.jpg"))
    assert run_engine(sample_blog, "build").code == 0
    assert run_engine(sample_blog, "build").code == 0
    assert len(plans_made) == 1


def test_any_change_of_what_pages_are_made_from_plans_every_page_again(small_site: Path, tmp_path: Path,
                                                                      plans_made: list[int]) -> None:
    assert run_engine(small_site, "build").code == 0
    post = next((small_site / "content/posts").glob("*.md"))
    page = small_site / "site" / "index.html"
    changes = [
        ("a post's text", lambda: post.write_text(post.read_text() + "\nOne more line.\n"), ()),
        ("a template", lambda: (small_site / "templates/base.html").write_text(
            (small_site / "templates/base.html").read_text().replace("</body>", "<!-- x --></body>")), ()),
        ("the build's date", lambda: None, ("--today-epoch",)),
        ("drafts asked for", lambda: None, ("--drafts",)),
        ("a page of the output changed by hand", lambda: page.write_text("changed"), ()),
    ]
    for what, change, how in changes:
        change()
        before = len(plans_made)
        if how == ("--today-epoch",):
            result = run_engine(small_site, "build", today_epoch=str(int(TODAY_EPOCH) + 86400))
        else:
            result = run_engine(small_site, "build", *how)
        assert result.code == 0, (what, result.err)
        assert len(plans_made) == before + 1, what
        clean = tmp_path / "clean"
        shutil.rmtree(clean, ignore_errors=True)
        epoch = str(int(TODAY_EPOCH) + 86400) if how == ("--today-epoch",) else TODAY_EPOCH
        assert run_engine(small_site, "build", "--no-cache", "--out", str(clean), *(h for h in how if h != "--today-epoch"),
                          today_epoch=epoch).code == 0
        assert read_tree(small_site / "site") == read_tree(clean), what


def test_the_dev_server_plans_every_page_of_its_first_build(small_site: Path, plans_made: list[int]) -> None:
    assert run_engine(small_site, "build").code == 0
    assert BuildState.open(small_site / ".cache/fitfocus", keep_plans=True).keep_plans
    from fitfocus.serve.preview import PreviewSite

    options = pipeline.Options(root=small_site, out=small_site / "site", templates=small_site / "templates",
                               today=datetime.date(2026, 12, 1), cache=small_site / ".cache/fitfocus")
    PreviewSite(options).build(options.today)
    assert len(plans_made) == 2  # the plans its quick rebuilds start from


@pytest.fixture
def keyed(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The paths of the pages keyed, one list each time a build keys pages."""
    made: list[list[str]] = []
    real = state_module.page_keys

    def counting(plans, *args, **kwargs):
        made.append([plan.path for plan in plans])
        return real(plans, *args, **kwargs)

    monkeypatch.setattr(state_module, "page_keys", counting)
    return made


def _same_as_a_clean_build(blog: Path, tmp_path: Path, *how: str) -> None:
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    assert run_engine(blog, "build", "--no-cache", "--out", str(clean), *how).code == 0
    assert read_tree(blog / "site") == read_tree(clean)


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


def test_a_post_edited_within_its_interface_keys_only_its_own_page_and_feeds(sample_blog: Path, tmp_path: Path,
                                                                           keyed: list[list[str]]) -> None:
    assert run_engine(sample_blog, "build").code == 0
    every = len(keyed[-1])
    post = sample_blog / "content/posts/2026-08-04-legs-and-back-at-home.md"
    _append(post, "\nOne more paragraph, about breathing out on the way up.\n")
    result = run_engine(sample_blog, "build")
    assert result.code == 0, result.err
    again = keyed[-1]
    # Its page, the site's feed and its series' feed: not its cards, nor any listing.
    assert sorted(again) == ["feed.xml", "posts/legs-and-back-at-home/", "series/fit-focus/feed.xml"], again
    assert every > 50
    assert "breathing out on the way up" in (sample_blog / "site/posts/legs-and-back-at-home/index.html").read_text()
    _same_as_a_clean_build(sample_blog, tmp_path)
    # Two posts at once, one of them a second time.
    _append(post, "\nAnd one about the rest between rounds.\n")
    _append(sample_blog / "content/posts/2026-10-13-gym-leg-day.md", "\nA last word on warming up.\n")
    assert run_engine(sample_blog, "build").code == 0
    assert {"posts/legs-and-back-at-home/", "posts/gym-leg-day/"} <= set(keyed[-1]) and len(keyed[-1]) < 8
    _same_as_a_clean_build(sample_blog, tmp_path)


def test_any_other_change_with_a_post_edit_keys_every_page(sample_blog: Path, tmp_path: Path,
                                                           keyed: list[list[str]]) -> None:
    (sample_blog / "content/posts/2026-11-10-half-written.md").write_text(
        "---\ntitle: Half Written\ndraft: true\n---\nNot yet.\n")
    assert run_engine(sample_blog, "build").code == 0
    every = len(keyed[-1])
    post = sample_blog / "content/posts/2026-08-04-legs-and-back-at-home.md"
    other = sample_blog / "content/posts/2026-09-29-strength-training-for-runners.md"
    changes = [
        ("its title", lambda: post.write_text(post.read_text().replace(
            "title: Legs and Back at Home (Dumbbells Optional)", "title: Legs and Back at Home"))),
        ("its tags", lambda: post.write_text(post.read_text().replace("tags: [home-workout, legs, strength]",
                                                                      "tags: [home-workout, legs]"))),
        ("a link to an exercise", lambda: _append(post, "\nSee also the [plank](exercise:plank).\n")),
        ("an exercise too", lambda: _append(sample_blog / "exercises/plank.md", "\nKeep breathing.\n")),
        ("a template too", lambda: _append(sample_blog / "templates/base.html", "<!-- edited -->\n")),
        ("a new post", lambda: (sample_blog / "content/posts/2026-11-20-short-one.md").write_text(
            "---\ntitle: A Short One\n---\nJust a note.\n")),
        ("a post removed", lambda: (sample_blog / "content/posts/2026-11-20-short-one.md").unlink()),
        ("the settings", lambda: _append(sample_blog / "pyproject.toml", "")),
    ]
    for what, change in changes:
        _append(other, f"\nA sentence written with {what}.\n")  # a post edit within its interface, every time
        change()
        result = run_engine(sample_blog, "build")
        assert result.code == 0, (what, result.err)
        if what != "the settings":  # appending nothing changes nothing there
            assert len(keyed[-1]) >= every - 2, what
        _same_as_a_clean_build(sample_blog, tmp_path)
    # Drafts asked for, and a page of the output changed by hand, with an edit each.
    _append(other, "\nOnce more.\n")
    assert run_engine(sample_blog, "build", "--drafts").code == 0
    assert len(keyed[-1]) > every  # the draft's pages too
    _same_as_a_clean_build(sample_blog, tmp_path, "--drafts")
    _append(other, "\nAnd again.\n")
    page = sample_blog / "site/tags/index.html"
    page.write_text("changed by hand")
    assert run_engine(sample_blog, "build").code == 0
    _same_as_a_clean_build(sample_blog, tmp_path)
