"""The file system hint of `build.spread`: a build marks its staging folder and the site's sections
so that ext4 spreads the folders made in them, and marks nothing else."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import run_engine

from fitfocus.build.spread import is_spread, spread


def _can_mark(folder: Path) -> bool:
    probe = folder / "probe"
    probe.mkdir()
    spread(probe)
    marked = is_spread(probe) is True
    probe.rmdir()
    return marked


def test_spread_marks_a_folder_once_and_leaves_what_it_holds(tmp_path: Path) -> None:
    folder = tmp_path / "section"
    folder.mkdir()
    (folder / "page.html").write_text("<p>kept</p>", encoding="utf-8")
    before = is_spread(folder)
    spread(folder)
    spread(folder)  # a second time changes nothing
    after = is_spread(folder)
    if _can_mark(tmp_path):
        assert before is False and after is True
    else:  # a file system without the mark: nothing happens, and nothing fails
        assert after is not True
    assert (folder / "page.html").read_text(encoding="utf-8") == "<p>kept</p>"
    assert sorted(os.listdir(folder)) == ["page.html"]


def test_spread_ignores_what_is_not_a_folder(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("x", encoding="utf-8")
    link = tmp_path / "link"
    link.symlink_to(tmp_path)
    spread(page)
    spread(tmp_path / "missing")
    spread(link)  # a link to a folder is not followed
    assert is_spread(page) is None and is_spread(tmp_path / "missing") is None and is_spread(link) is None
    assert is_spread(tmp_path) is not True


def test_a_build_marks_the_site_and_its_sections_only(small_site: Path, tmp_path: Path) -> None:
    blog = small_site
    assert run_engine(blog, "build").code == 0
    site = blog / "site"
    posts = site / "posts"
    one_post = next(path for path in posts.iterdir() if path.is_dir())
    if _can_mark(tmp_path):
        assert is_spread(site) and is_spread(posts) and is_spread(site / "exercises")
        assert is_spread(one_post) is False  # a post's folder holds a few: they stay beside it
    else:
        assert not is_spread(site) and not is_spread(posts)
    assert is_spread(blog) is not True and is_spread(blog / "content") is not True  # the author's folders
    assert is_spread(tmp_path) is not True
