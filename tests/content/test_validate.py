"""Checking references after loading: slugs, aliases, names, posts, series and URL clashes."""

from __future__ import annotations

import datetime
from pathlib import Path

from fitfocus.config import Config
from fitfocus.content.library import index_library
from fitfocus.content.loader import load_content
from fitfocus.content.validate import check

TODAY = datetime.date(2026, 12, 1)


def problems_for(tmp_path: Path, files: dict[str, str], series: tuple[str, ...] = ()):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    config = Config(root=tmp_path, series=series)
    loaded = load_content(config, TODAY)
    content, problems = loaded.content, loaded.problems
    assert problems == []
    return [(p.path, p.line, p.col, p.message, p.hint) for p in check(content, index_library(content, config))
            if p.severity == "error"]


def warnings_for(tmp_path: Path, files: dict[str, str]):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    config = Config(root=tmp_path)
    content = load_content(config, TODAY).content
    return [(p.path, p.line, p.col, p.message) for p in check(content, index_library(content, config))
            if p.severity == "warning"]


def test_a_move_whose_exercise_has_no_how_to_is_a_warning_at_each_use(tmp_path: Path) -> None:
    post = ("---\ntitle: P\n---\n```routine\nitems:\n  - squat: 3 x 5\n  - plank: 3 x 30s\n"
            "  - superset:\n      - squats: 2 x 5\n      - plank: 2 x 20s\n```\n")
    files = {"exercises/squat.md": "---\nname: Squat\n---\n  \n\n",
             "exercises/plank.md": "---\nname: Plank\n---\nHold a straight line.\n",
             "content/posts/2026-01-01-p.md": post}
    message = "`squat` has no how-to text: readers of this routine get no instructions"
    assert warnings_for(tmp_path, files) == [("content/posts/2026-01-01-p.md", 6, 5, message),
                                             ("content/posts/2026-01-01-p.md", 9, 9, message)]


SQUAT = "---\nname: Squat\naliases: [back squat]\n---\n"


def test_unknown_exercise_in_routine_suggests_closest_slug(tmp_path: Path) -> None:
    post = "---\ntitle: P\n---\n```routine\ntitle: T\nitems:\n  - sqaut: 3 x 5\n```\n"
    assert problems_for(tmp_path, {"exercises/squat.md": SQUAT, "content/posts/2026-01-01-p.md": post}) == [
        ("content/posts/2026-01-01-p.md", 7, 5, "unknown exercise `sqaut`", "did you mean `squat`?")]


def test_unknown_exercise_link_points_at_the_slug(tmp_path: Path) -> None:
    post = "---\ntitle: P\n---\nDo [squats](exercise:squots) daily.\n"
    assert problems_for(tmp_path, {"exercises/squat.md": SQUAT, "content/posts/2026-01-01-p.md": post}) == [
        ("content/posts/2026-01-01-p.md", 4, 22, "unknown exercise `squots`", "did you mean `squat`?")]


def test_plain_plurals_resolve_and_an_ambiguous_plural_is_an_error(tmp_path: Path) -> None:
    post = ("---\ntitle: P\n---\n[a](exercise:Squats)\n```routine\nitems:\n  - squats: 12\n"
            "  - presses: 10\n```\n")
    files = {"exercises/squat.md": SQUAT, "exercises/press.md": "---\nname: Press\n---\n",
             "exercises/presse.md": "---\nname: Presse\n---\n", "content/posts/2026-01-01-p.md": post}
    assert problems_for(tmp_path, files) == [
        ("content/posts/2026-01-01-p.md", 8, 5, "`presses` could mean `press` or `presse`",
         "write the slug of the one you mean")]


def test_an_alternative_must_be_a_known_exercise(tmp_path: Path) -> None:
    post = "---\ntitle: P\n---\n```routine\nitems:\n  - squat: 12\n    alternatives: [wall-sit]\n```\n"
    assert problems_for(tmp_path, {"exercises/squat.md": SQUAT, "content/posts/2026-01-01-p.md": post}) == [
        ("content/posts/2026-01-01-p.md", 7, 20, "unknown alternative `wall-sit`",
         "add exercises/wall-sit.md, or use one of the slugs in exercises/")]


def test_aliases_and_names_resolve_in_any_case(tmp_path: Path) -> None:
    post = ("---\ntitle: P\n---\n[a](exercise:Back-Squat) [b](<exercise:back squat>)\n"
            "```routine\nitems:\n  - Squat: 1 x 5\n  - back squat: 1 x 5\n```\n")
    assert problems_for(tmp_path, {"exercises/squat.md": SQUAT, "content/posts/2026-01-01-p.md": post}) == []


def test_links_inside_code_are_not_references(tmp_path: Path) -> None:
    post = "---\ntitle: P\n---\nWrite `[x](exercise:nope)` like this.\n\n```\n[y](exercise:nope)\n```\n"
    assert problems_for(tmp_path, {"content/posts/2026-01-01-p.md": post}) == []


def test_alias_used_by_two_exercises_is_an_error(tmp_path: Path) -> None:
    files = {"exercises/squat.md": SQUAT, "exercises/front-squat.md": "---\nname: Front Squat\naliases: [Back Squat]\n---\n"}
    assert problems_for(tmp_path, files) == [
        ("exercises/squat.md", 3, 11, "alias `back squat` is already an alias of exercises/front-squat.md",
         "each alias must point to one exercise; remove or change it")]


def test_link_to_a_draft_from_a_published_post_is_an_error(tmp_path: Path) -> None:
    files = {"content/posts/2026-01-01-p.md": "---\ntitle: P\n---\nSee [next](post:q).\n",
             "content/posts/2026-01-02-q.md": "---\ntitle: Q\ndraft: true\n---\n"}
    assert problems_for(tmp_path, files) == [
        ("content/posts/2026-01-01-p.md", 4, 17, "post `q` is a draft and not part of this build",
         "remove `draft: true` from content/posts/2026-01-02-q.md, or build with --drafts")]


def test_unknown_series_suggests_a_known_one(tmp_path: Path) -> None:
    files = {"content/posts/2026-01-01-p.md": "---\ntitle: P\nseries: Fit Focs\n---\n"}
    assert problems_for(tmp_path, files, series=("Fit Focus",)) == [
        ("content/posts/2026-01-01-p.md", 3, 9, "unknown series `Fit Focs`", "did you mean `Fit Focus`?")]


def test_page_cannot_take_a_reserved_url(tmp_path: Path) -> None:
    found = problems_for(tmp_path, {"content/pages/exercises.md": "---\ntitle: X\n---\n"})
    assert found[0][3] == "page `exercises` would replace the site's own /exercises/"


def test_two_posts_cannot_share_a_slug(tmp_path: Path) -> None:
    files = {"content/posts/2026-01-01-legs.md": "---\ntitle: A\n---\n",
             "content/posts/2026-02-01-legs.md": "---\ntitle: B\n---\n"}
    assert problems_for(tmp_path, files)[0][:4] == (
        "content/posts/2026-02-01-legs.md", 1, 1, "post slug `legs` is also used by content/posts/2026-01-01-legs.md")


def test_links_may_point_into_a_page_with_a_fragment(tmp_path: Path) -> None:
    post = "---\ntitle: P\n---\nMind the [cues](exercise:squat#fit-cues).\n"
    assert problems_for(tmp_path, {"exercises/squat.md": SQUAT, "content/posts/2026-01-01-p.md": post}) == []


_NAME_HINT = "names that differ only in case and punctuation are the same name; give each exercise its own"


def test_exercise_names_that_differ_only_in_case_and_punctuation_collide(tmp_path: Path) -> None:
    files = {"exercises/barbell-hip-thrust.md": "---\nname: Hip Thrust\n---\n",
             "exercises/bench-hip-thrust.md": "---\nname: hip-thrust!\n---\n"}
    assert problems_for(tmp_path, files) == [
        ("exercises/bench-hip-thrust.md", 2, 7,
         "exercise name `hip-thrust!` is also used by exercises/barbell-hip-thrust.md (as `Hip Thrust`)", _NAME_HINT)]


def test_an_exercise_named_like_another_ones_alias_is_an_error(tmp_path: Path) -> None:
    files = {"exercises/squat.md": SQUAT, "exercises/front-squat.md": "---\nname: Back Squat\n---\n"}
    assert problems_for(tmp_path, files) == [
        ("exercises/front-squat.md", 2, 7, "exercise name `Back Squat` is already an alias of exercises/squat.md",
         _NAME_HINT)]


def test_series_whose_names_make_one_url_are_an_error_in_the_settings(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.fitfocus]\nseries = [\n  "Fit Focus",\n  "fit-focus",\n]\n')
    assert problems_for(tmp_path, {}, series=("Fit Focus", "Legs", "fit-focus")) == [
        ("pyproject.toml", 4, 3, "series `fit-focus` and `Fit Focus` would share the page /series/fit-focus/",
         'series names that differ only in case and punctuation are one series; keep one of "Fit Focus" and '
         '"fit-focus"')]
    assert problems_for(tmp_path, {}, series=("Fit Focus", "Fit Focus 2")) == []
