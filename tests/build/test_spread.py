"""The file system hint of `build.spread`: a build marks the folders that will hold many new
folders (the staging folder that becomes the site, its sections, the spare, the search index's
cache) so that ext4 spreads them over the disk, and marks nothing of the author's.

Whether a folder can carry the mark is taken from the kernel's list of mounts, not from
`build.spread` itself: on ext2, ext3 and ext4 it must be set; elsewhere nothing is."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import file_system, run_engine

from fitfocus.build.spread import is_spread, spread


def _marks(folder: Path) -> bool:
    return file_system(folder) in ("ext2", "ext3", "ext4")


def test_spread_marks_a_folder_once_and_leaves_what_it_holds(tmp_path: Path) -> None:
    folder = tmp_path / "section"
    folder.mkdir()
    (folder / "page.html").write_text("<p>kept</p>", encoding="utf-8")
    before = os.stat(folder)
    spread(folder)
    spread(folder)  # a second time changes nothing
    if _marks(tmp_path):
        assert is_spread(folder) is True
        (folder / "inner").mkdir()
        assert is_spread(folder / "inner") is False  # the mark is not inherited
    else:  # a file system without the mark: nothing happens, and nothing fails
        assert is_spread(folder) is not True
    assert (folder / "page.html").read_text(encoding="utf-8") == "<p>kept</p>"
    assert "page.html" in os.listdir(folder)
    after = os.stat(folder)
    assert (after.st_mode, after.st_uid, after.st_gid) == (before.st_mode, before.st_uid, before.st_gid)


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


def test_a_build_marks_the_site_its_sections_the_spare_and_the_search_cache_only(small_site: Path,
                                                                                  tmp_path: Path) -> None:
    assert run_engine(small_site, "build").code == 0
    post = small_site / "content/posts/2026-03-01-first.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert run_engine(small_site, "build").code == 0  # the first edit makes the spare
    site = small_site / "site"
    marked = [site, site / "posts", site / "exercises", small_site / ".site-spare",
              small_site / ".cache/fitfocus/search"]
    assert all(folder.is_dir() for folder in marked)
    if _marks(tmp_path):
        assert [folder for folder in marked if is_spread(folder) is not True] == []
    else:
        assert [folder for folder in marked if is_spread(folder)] == []
    one_post = next(path for path in (site / "posts").iterdir() if path.is_dir())
    left = [one_post, small_site, small_site / "content", small_site / "content/posts", small_site / "templates",
            small_site / ".cache", tmp_path]
    assert [folder for folder in left if is_spread(folder)] == []  # a post's few folders stay beside it
