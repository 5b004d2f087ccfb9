"""Whole builds: what gets published, determinism, and a failed build leaving site/ alone."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from conftest import run_cli
from test_golden import read_tree


def test_build_publishes_posts_exercises_pages_and_listings(small_site: Path) -> None:
    result = run_cli(small_site, "build")
    assert result.code == 0, result.err
    assert result.out.startswith("built 3 posts, 3 exercises, 1 page into site/ in ")
    files = read_tree(small_site / "site")
    for name in ("index.html", "page/2/index.html", "posts/first/index.html", "exercises/index.html",
                 "exercises/squat/index.html", "exercises/muscle/core/index.html", "series/fit-focus/index.html",
                 "tags/legs/index.html", "about/index.html", "404.html", "media/dot.svg", "static/style.css"):
        assert name in files, name
    assert "posts/draft/index.html" not in files
    assert "posts/future/index.html" not in files


def test_drafts_and_future_posts_only_when_asked(small_site: Path) -> None:
    assert run_cli(small_site, "build", "--drafts", "--future").code == 0
    draft = (small_site / "site/posts/draft/index.html").read_text()
    future = (small_site / "site/posts/future/index.html").read_text()
    assert "Draft: not published yet." in draft
    assert "Scheduled for 1 January 2027: not published yet." in future


def test_a_post_becomes_public_on_its_date(small_site: Path) -> None:
    new_year = "1798761600"  # 2027-01-01
    assert run_cli(small_site, "build", today_epoch=new_year).code == 0
    assert (small_site / "site/posts/future/index.html").exists()


def test_two_builds_of_the_same_input_are_identical(small_site: Path, tmp_path: Path) -> None:
    assert run_cli(small_site, "build", "--out", str(tmp_path / "one")).code == 0
    assert run_cli(small_site, "build", "--out", str(tmp_path / "two")).code == 0
    assert read_tree(tmp_path / "one") == read_tree(tmp_path / "two")


def test_failed_build_leaves_previous_site_byte_for_byte(small_site: Path) -> None:
    assert run_cli(small_site, "build").code == 0
    before = read_tree(small_site / "site")
    post = small_site / "content/posts/2026-03-01-first.md"
    post.write_text(post.read_text().replace("squat: 3 x 8-10", "sqat: 3 x 8-10"))
    result = run_cli(small_site, "build")
    assert result.code == 1
    assert "unknown exercise `sqat`" in result.err and "did you mean `squat`?" in result.err
    assert read_tree(small_site / "site") == before
    # No staging folder is left (and a whole build makes no spare of the site: the first edit does).
    assert sorted(p.name for p in small_site.iterdir()) == sorted([".cache", "content", "exercises",
                                                                    "pyproject.toml", "site", "templates"])


def test_check_writes_nothing(small_site: Path) -> None:
    result = run_cli(small_site, "check")
    assert result.code == 0, result.err
    assert result.out.startswith("checked 3 posts, 3 exercises, 1 page: no problems")
    assert not (small_site / "site").exists()


def test_routine_table_links_moves_and_labels_supersets(small_site: Path) -> None:
    assert run_cli(small_site, "build").code == 0
    html = (small_site / "site/posts/first/index.html").read_text()
    assert '<a href="/blog/exercises/squat/">Squat</a>' in html
    assert '<span class="label">A1</span> <a href="/blog/exercises/sandbag-squat/">Sandbag Squat</a>' in html
    assert "2 × 30 s per side" in html and "3 × AMRAP" in html and "3-1-X-0" in html
    assert "Keep &lt;breathing&gt;." in html  # author text is escaped in tables
    assert "First &amp; &#34;Best&#34; &lt;Session&gt;" in html
    assert "Not medical advice." in html
    assert 'href="/blog/posts/second/"' in html  # post: link resolved
    assert 'href="/blog/exercises/squat/">a squat</a>' in html  # alias resolved


def test_exercise_page_lists_posts_that_use_it_and_variations(small_site: Path) -> None:
    assert run_cli(small_site, "build").code == 0
    squat = (small_site / "site/exercises/squat/index.html").read_text()
    assert '<a href="/blog/posts/first/">' in squat
    assert '<a href="/blog/exercises/sandbag-squat/">Sandbag Squat</a>' in squat
    sandbag = (small_site / "site/exercises/sandbag-squat/index.html").read_text()
    assert '<a href="/blog/exercises/squat/">Squat</a>' in sandbag  # variations are shown both ways
    plank = (small_site / "site/exercises/plank/index.html").read_text()
    assert "Body weight" in plank


def test_output_folder_that_is_not_a_build_is_never_replaced(small_site: Path) -> None:
    (small_site / "site").mkdir()
    (small_site / "site/notes.txt").write_text("mine")
    result = run_cli(small_site, "build")
    assert result.code == 1
    assert "output folder exists and was not made by fitfocus" in result.err
    assert (small_site / "site/notes.txt").read_text() == "mine"


def test_output_folder_over_authored_files_is_refused(small_site: Path) -> None:
    result = run_cli(small_site, "build", "--out", "content")
    assert result.code == 1
    assert "output folder overlaps your own files" in result.err
    assert (small_site / "content/posts/2026-03-01-first.md").exists()


def test_a_media_file_with_a_space_in_its_name_is_published_and_linked(small_site: Path) -> None:
    (small_site / "content/media/my photo.svg").write_bytes((small_site / "content/media/dot.svg").read_bytes())
    post = small_site / "content/posts/2026-03-01-first.md"
    post.write_text(post.read_text(encoding="utf-8")
                    + "\n![One](media/my%20photo.svg) ![Two](<media/my photo.svg>)\n", encoding="utf-8")
    result = run_cli(small_site, "build")
    assert result.code == 0, result.err
    html = (small_site / "site/posts/first/index.html").read_text(encoding="utf-8")
    assert html.count('src="/blog/media/my%20photo.svg"') == 2
    assert (small_site / "site/media/my photo.svg").read_bytes() == (small_site / "content/media/dot.svg").read_bytes()


def test_a_pyproject_folder_fails_with_a_located_error_and_keeps_the_site(small_site: Path) -> None:
    assert run_cli(small_site, "build").code == 0
    before = read_tree(small_site / "site")
    (small_site / "pyproject.toml").unlink()
    (small_site / "pyproject.toml").mkdir()
    result = run_cli(small_site, "build")
    assert (result.code, result.out) == (1, "")
    assert result.err == ("pyproject.toml:1:1: error: pyproject.toml is a folder, not a file\n"
                          "  hint: the settings live in a file named pyproject.toml beside content/\n"
                          "1 error; nothing was written.\n")
    assert read_tree(small_site / "site") == before


def test_pictures_are_encoded_once_and_published_in_every_size(small_site: Path) -> None:
    Image.new("RGB", (1200, 800), (20, 90, 160)).save(small_site / "content/media/cover.jpg", "JPEG")
    post = small_site / "content/posts/2026-03-01-first.md"
    post.write_text(post.read_text().replace("\n---\n", "\nimage: media/cover.jpg\nimage_alt: A blue square\n---\n", 1))
    cache = small_site / ".cache/fitfocus/pictures"
    assert run_cli(small_site, "check").code == 0
    made = [path for path in cache.iterdir() if path.is_dir()]
    assert len(made) == 1
    stamp = (made[0] / "info.json").stat().st_mtime_ns
    assert run_cli(small_site, "build").code == 0
    assert [path for path in cache.iterdir() if path.is_dir()] == made  # `build` used what `check` made
    assert (made[0] / "info.json").stat().st_mtime_ns == stamp
    html = (small_site / "site/posts/first/index.html").read_text()
    assert ('<img src="/blog/media/cover.960w.jpg" srcset="/blog/media/cover.480w.jpg 480w, '
            '/blog/media/cover.960w.jpg 960w, /blog/media/cover.1200w.jpg 1200w"') in html
    assert 'width="1200" height="800" alt="A blue square" loading="eager" fetchpriority="high"' in html
    published = sorted(path.name for path in (small_site / "site/media").iterdir())
    assert published == ["cover.1200w.jpg", "cover.1200w.webp", "cover.480w.jpg", "cover.480w.webp",
                         "cover.960w.jpg", "cover.960w.webp", "cover.jpg", "dot.svg"]
    # The variants are the cache's files, which never change: linked. The author's own files are copied.
    variants = {path.stat().st_ino for path in made[0].iterdir()}
    assert all((small_site / "site/media" / name).stat().st_ino in variants for name in published if name != "dot.svg")
    own = small_site / "content/media/dot.svg"
    assert (small_site / "site/media/dot.svg").stat().st_ino != own.stat().st_ino
    assert (small_site / "site/media/dot.svg").read_bytes() == own.read_bytes()


def test_a_picture_put_back_as_it_was_is_published_as_it_was(small_site: Path, tmp_path: Path) -> None:
    # Put back, a picture has its old variants again, which the spare still holds as links: linking
    # one over a link to the same file must leave no temporary name behind in the site.
    cover = small_site / "content/media/cover.jpg"
    Image.new("RGB", (1200, 800), (20, 90, 160)).save(cover, "JPEG")
    first = cover.read_bytes()
    post = small_site / "content/posts/2026-03-01-first.md"
    post.write_text(post.read_text().replace("\n---\n", "\nimage: media/cover.jpg\nimage_alt: A square\n---\n", 1))
    assert run_cli(small_site, "build").code == 0
    post.write_text(post.read_text() + "\nOne more line.\n")  # the first edit makes the spare
    assert run_cli(small_site, "build").code == 0
    Image.new("RGB", (1000, 700), (160, 40, 20)).save(cover, "JPEG")
    assert run_cli(small_site, "build").code == 0
    cover.write_bytes(first)
    assert run_cli(small_site, "build").code == 0
    clean = run_cli(small_site, "build", "--no-cache", "--out", str(tmp_path / "clean"))
    assert clean.code == 0, clean.err
    assert read_tree(small_site / "site") == read_tree(tmp_path / "clean")


def test_a_build_leaves_nothing_in_the_temporary_folder(small_site: Path, tmp_path: Path, monkeypatch) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    assert run_cli(small_site, "build").code == 0  # no picture to encode: no folder for them
    assert list(temporary.iterdir()) == []
    Image.new("RGB", (700, 500), (20, 90, 160)).save(small_site / "content/media/cover.jpg", "JPEG")
    post = small_site / "content/posts/2026-03-01-first.md"
    post.write_text(post.read_text().replace("\n---\n", "\nimage: media/cover.jpg\nimage_alt: A blue square\n---\n", 1))
    assert run_cli(small_site, "build", "--no-cache").code == 0  # encoded there, published from there
    assert list(temporary.iterdir()) == []
    assert sorted(path.name for path in (small_site / "site/media").glob("cover*")) == [
        "cover.480w.jpg", "cover.480w.webp", "cover.700w.jpg", "cover.700w.webp", "cover.jpg"]
