"""Quick rebuilds of the dev server: a post edited without changing what other pages show of it
re-renders its own page and the feeds carrying it, and nothing else, with the same result as a
whole rebuild (and so as a clean build)."""

from __future__ import annotations

import datetime
import shutil
import threading
import sys
from dataclasses import replace
from pathlib import Path

import pytest

import fitfocus.build.pipeline as pipeline
from conftest import REPO, TODAY_EPOCH, run_cli
from fitfocus.build.pipeline import Options
from fitfocus.config import load_config
from fitfocus.content.library import index_library
from fitfocus.content.loader import load_content
from fitfocus.problems import BuildFailed
from fitfocus.serve.preview import PreviewSite
from test_golden import read_tree

sys.path.insert(0, str(REPO / "bench"))
from corpus import write_corpus  # noqa: E402

TODAY = datetime.datetime.fromtimestamp(int(TODAY_EPOCH), datetime.timezone.utc).date()


def make_preview(site: Path) -> PreviewSite:
    return PreviewSite(Options(root=site, out=site / ".cache/fitfocus/serve", templates=site / "templates",
                               today=TODAY, drafts=True, future=True, cache=site / ".cache/fitfocus",
                               search=False,  # as serve builds: its search index is made in the background
                               spare_at_once=True))


def clean_build(site: Path, out: Path) -> dict[str, bytes]:
    shutil.rmtree(out, ignore_errors=True)
    result = run_cli(site, "build", "--drafts", "--future", "--no-cache", "--jobs", "1", "--out", str(out))
    assert result.code == 0, result.err
    return read_tree(out)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records each whole rebuild (indexing and checking every file) a preview does."""
    whole: list[str] = []
    real = pipeline.index_library

    def index_library(*args, **kwargs):
        whole.append("whole")
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "index_library", index_library)
    return whole


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def replace_text(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_body_edit_rebuilds_quickly_and_exactly_like_a_clean_build(small_site: Path, tmp_path: Path,
                                                                     counted: list[str]) -> None:
    preview = make_preview(small_site)
    preview.build(TODAY)
    assert counted == ["whole"]
    replace_text(small_site / "content/posts/2026-03-01-first.md", "Intro with", "A new intro with")
    built = preview.build(TODAY, [str(small_site / "content/posts/2026-03-01-first.md")])
    library, changed = built.library, built.changed
    assert counted == ["whole"]  # no second whole rebuild
    assert set(changed) == {"posts/first/index.html", "feed.xml", "series/fit-focus/feed.xml"}
    assert read_tree(small_site / ".cache/fitfocus/serve") == clean_build(small_site, tmp_path / "clean")
    # What the quick rebuild kept and replaced is what indexing the files anew gives.
    config, _ = load_config(small_site)
    loaded = load_content(config, TODAY)
    # The pictures are measured by the build, not the index: the rest must be the same.
    assert replace(library, pictures={}) == index_library(loaded.content, config, drafts=True, future=True)
    assert preview.build(TODAY).changed == []  # and nothing is left to do


def test_a_site_with_warnings_still_rebuilds_quickly_and_keeps_warning(small_site: Path, counted: list[str]) -> None:
    (small_site / "exercises/wall-angel.md").write_text("---\nname: Wall Angel\n---\nHow to do it, step by step.\n")
    preview = make_preview(small_site)
    assert [p.message for p in preview.build(TODAY).warnings] == ["text from the `new` skeleton is still here"]
    replace_text(small_site / "content/posts/2026-03-01-first.md", "Intro with", "A new intro with")
    built = preview.build(TODAY, [str(small_site / "content/posts/2026-03-01-first.md")])
    assert counted == ["whole"]  # the warning did not send the edit down the whole path
    assert [(p.path, p.severity) for p in built.warnings] == [("exercises/wall-angel.md", "warning")]


@pytest.mark.parametrize("change", ["title", "routine", "tags", "draft"])
def test_an_edit_other_pages_show_rebuilds_everything(small_site: Path, tmp_path: Path, counted: list[str],
                                                      change: str) -> None:
    post = small_site / "content/posts/2026-03-01-first.md"
    preview = make_preview(small_site)
    preview.build(TODAY)
    text = post.read_text(encoding="utf-8")
    if change == "title":
        replace_text(post, "title: ", "title: Renamed, ")
    elif change == "routine":
        replace_text(post, "squat: 3 x 8-10", "squat: 4 x 6")
    elif change == "tags":
        assert "tags:" in text
        replace_text(post, "tags: [", "tags: [new-tag, ")
    else:
        replace_text(post, "title: ", "draft: true\ntitle: ")
    preview.build(TODAY)
    assert counted == ["whole", "whole"]
    assert read_tree(small_site / ".cache/fitfocus/serve") == clean_build(small_site, tmp_path / "clean")


def test_a_body_edit_with_a_broken_link_fails_like_a_whole_build(small_site: Path) -> None:
    preview = make_preview(small_site)
    preview.build(TODAY)
    before = read_tree(small_site / ".cache/fitfocus/serve")
    append(small_site / "content/posts/2026-03-01-first.md", "\nTry [this](exercise:squatt) next.\n")
    with pytest.raises(BuildFailed) as failure:
        preview.build(TODAY)
    assert any("unknown exercise `squatt`" in problem.message and problem.hint == "did you mean `squat`?"
               for problem in failure.value.problems)
    assert read_tree(small_site / ".cache/fitfocus/serve") == before


def test_many_quick_edits_in_a_row_match_a_clean_build(tmp_path: Path, counted: list[str]) -> None:
    blog = tmp_path / "blog"
    write_corpus(blog, posts=60, exercises=12)
    posts = sorted((blog / "content/posts").glob("*.md"))
    preview = make_preview(blog)
    preview.build(TODAY)
    for number in range(8):  # old posts and the newest (which the feeds carry in full), one at a time
        post = posts[(number * 13) % len(posts)] if number % 2 else posts[-1 - number]
        append(post, f"\nEdit {number}.\n")
        preview.build(TODAY, [str(post)])
    append(posts[3], "\nTwo at once.\n")
    append(posts[-1], "\nTwo at once.\n")
    preview.build(TODAY, [str(posts[3]), str(posts[-1])])
    assert counted == ["whole"]
    assert read_tree(blog / ".cache/fitfocus/serve") == clean_build(blog, tmp_path / "clean")
    # The page keys it kept are the ones a whole rebuild works out: it finds nothing to write.
    assert preview.build(TODAY).changed == []
    assert counted == ["whole", "whole"]


def test_changes_told_by_the_watcher_add_up_until_a_build_succeeds(small_site: Path, tmp_path: Path) -> None:
    preview = make_preview(small_site)
    preview.build(TODAY)
    post = small_site / "content/posts/2026-03-01-first.md"
    append(post, "\nNext week: [lunges](exercise:lunge).\n")  # no such exercise yet: the build fails
    with pytest.raises(BuildFailed):
        preview.build(TODAY, [str(post)])
    exercise = small_site / "exercises/lunge.md"
    exercise.write_text("---\nname: Lunge\nmuscles: [quadriceps]\n---\nStep forward.\n", encoding="utf-8")
    preview.build(TODAY, [str(exercise)])  # told only of the new exercise: the post's edit still counts
    assert read_tree(small_site / ".cache/fitfocus/serve") == clean_build(small_site, tmp_path / "clean")
    assert b"Next week" in (small_site / ".cache/fitfocus/serve/posts/first/index.html").read_bytes()


def test_a_change_the_watcher_tells_of_is_built_without_looking_at_other_files(small_site: Path,
                                                                               tmp_path: Path) -> None:
    preview = make_preview(small_site)
    preview.build(TODAY)
    told, untold = small_site / "content/posts/2026-03-01-first.md", small_site / "content/posts/2026-04-01-second.md"
    append(told, "\nTold.\n")
    append(untold, "\nNot told.\n")
    preview.build(TODAY, [str(told)])
    served = small_site / ".cache/fitfocus/serve/posts"
    assert b"Told." in (served / "first/index.html").read_bytes()
    assert b"Not told." not in (served / "second/index.html").read_bytes()  # trusted: it was not looked at
    preview.build(TODAY, [str(small_site / "templates/post.html")])  # not a Markdown file: everything is looked at
    assert read_tree(small_site / ".cache/fitfocus/serve") == clean_build(small_site, tmp_path / "clean")


def test_a_custom_domain_edit_reaches_the_preview(small_site: Path, tmp_path: Path) -> None:
    cname = small_site / "content/CNAME"
    cname.write_text("fit.example.org\n")
    preview = make_preview(small_site)
    preview.build(TODAY)
    cname.write_text("fitfocus.example.net\n")
    preview.build(TODAY, [str(cname)])
    assert (small_site / ".cache/fitfocus/serve/CNAME").read_text() == "fitfocus.example.net\n"
    assert read_tree(small_site / ".cache/fitfocus/serve") == clean_build(small_site, tmp_path / "clean")


def test_templates_see_only_their_page_so_they_cannot_show_stale_posts(small_site: Path) -> None:
    replace_text(small_site / "templates/base.html", "</body>",
                 "<p>Latest: {{ library.posts[0].body.text|wordcount }} words</p></body>")
    preview = make_preview(small_site)
    with pytest.raises(BuildFailed) as failure:
        preview.build(TODAY)
    [problem] = failure.value.problems
    assert (problem.path, problem.message) == ("templates/base.html", "template error: 'library' is undefined")


FLIPS = {  # a file, the text it is built with, and the text it is flipped to and back from
    "template": ("templates/base.html", '<footer class="site-footer">', '<footer class="site-footer" data-b="B">'),
    "post": ("content/posts/2026-03-01-first.md", "Intro with", "Version B of the intro, with"),
}


@pytest.mark.parametrize("moment", ["template_files", "render_pages"])  # all read; rendering
@pytest.mark.parametrize("flip", sorted(FLIPS))
def test_a_file_flipped_back_during_a_rebuild_ends_in_a_clean_build(small_site: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch,
                                                                     flip: str, moment: str) -> None:
    """A→B, a rebuild starts, B→A while it runs (an editor's save and undo, `git stash && git stash pop`):
    the rebuild the watcher's next report starts leaves what a clean build of A gives."""
    name, text_a, text_b = FLIPS[flip]
    path = small_site / name
    original = path.read_bytes()
    preview = make_preview(small_site)
    preview.build(TODAY)
    replace_text(path, text_a, text_b)
    reached, flipped = threading.Event(), threading.Event()
    real = getattr(pipeline, moment)

    def stage(*args, **kwargs):
        result = real(*args, **kwargs) if moment == "template_files" else None
        reached.set()  # the rebuild has read B: the file goes back to A while it runs
        assert flipped.wait(30)
        return result if moment == "template_files" else real(*args, **kwargs)

    monkeypatch.setattr(pipeline, moment, stage)
    worker = threading.Thread(target=preview.build, args=(TODAY, [str(path)]))
    worker.start()
    assert reached.wait(30)
    path.write_bytes(original)
    flipped.set()
    worker.join(30)
    assert not worker.is_alive()
    served = small_site / ".cache/fitfocus/serve"
    assert text_b.encode() in b"".join(read_tree(served).values())  # that rebuild published B, as it read it
    monkeypatch.setattr(pipeline, moment, real)

    preview.build(TODAY, [str(path)])  # the watcher saw the file change back

    assert text_b.encode() not in b"".join(read_tree(served).values())
    assert read_tree(served) == clean_build(small_site, tmp_path / "clean")


def test_quick_edits_find_the_edited_posts_plans_without_walking_every_plan(tmp_path: Path, counted: list[str],
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import fitfocus.incremental.quick as quick
    import fitfocus.pages.plan as plan

    walks: list[int] = []
    real_places, real_page = quick.edited_post_places, plan._post_page
    monkeypatch.setattr(quick, "edited_post_places", lambda plans: (walks.append(len(plans)), real_places(plans))[1])
    planned: list[str] = []
    monkeypatch.setattr(plan, "_post_page", lambda post, *args: (planned.append(post.slug), real_page(post, *args))[1])
    blog = tmp_path / "blog"
    write_corpus(blog, posts=30, exercises=8)
    posts = sorted((blog / "content/posts").glob("*.md"))
    preview = make_preview(blog)
    preview.build(TODAY)
    planned.clear()
    for number, post in enumerate([posts[2], posts[-1], posts[9], posts[2]]):
        append(post, f"\nEdit {number}.\n")
        preview.build(TODAY, [str(post)])
    assert counted == ["whole"]
    assert len(walks) == 1  # the plans were walked once, on the first quick rebuild, not on each
    assert planned == [path.stem[11:] for path in (posts[2], posts[-1], posts[9], posts[2])]  # only its own page
    assert read_tree(blog / ".cache/fitfocus/serve") == clean_build(blog, tmp_path / "clean")


def test_quick_edits_link_into_the_spare_only_what_the_last_rebuild_changed(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import fitfocus.build.write as write

    blog = tmp_path / "blog"
    write_corpus(blog, posts=40, exercises=8)
    posts = sorted((blog / "content/posts").glob("*.md"))
    preview = make_preview(blog)
    preview.build(TODAY)
    linked: list[str] = []
    real = write._link_over
    monkeypatch.setattr(write, "_link_over", lambda source, place: (linked.append(place), real(source, place))[1])
    spare = write.spare_of(blog / ".cache/fitfocus/serve")
    changed_before: list[str] = []
    for number, post in enumerate([posts[3], posts[-1], posts[11], posts[-1], posts[3]]):
        linked.clear()
        append(post, f"\nEdit {number}.\n")
        built = preview.build(TODAY, [str(post)])
        # The spare held the site before the last rebuild: only what that rebuild changed is linked again.
        assert {Path(place).relative_to(spare).as_posix() for place in linked} <= set(changed_before)
        changed_before = built.changed
    assert read_tree(blog / ".cache/fitfocus/serve") == clean_build(blog, tmp_path / "clean")
    served = blog / ".cache/fitfocus/serve"
    differ = {name for name in read_tree(served) if not (spare / name).exists()
              or (spare / name).stat().st_ino != (served / name).stat().st_ino}
    assert differ <= set(changed_before) | {write.MARKER}  # the spare is the site before, sharing the rest


def test_quick_edits_take_the_pictures_as_they_were_until_a_picture_changes(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import fitfocus.incremental.state as state
    from corpus import SHAPES

    blog = tmp_path / "blog"
    write_corpus(blog, posts=12, exercises=10, shape=SHAPES["pictures"])
    measured: list[int] = []
    real = pipeline.make_pictures
    monkeypatch.setattr(pipeline, "make_pictures", lambda *args: (measured.append(1), real(*args))[1])
    looked: list[str] = []
    for name in ("file_stamp", "linked_stamp"):  # the variants are linked into the site: their stamps are the second
        real_stamp = getattr(state, name)
        monkeypatch.setattr(state, name, lambda path, real_stamp=real_stamp: (looked.append(str(path)), real_stamp(path))[1])
    preview = make_preview(blog)
    preview.build(TODAY)
    assert measured == [1] and any("/pictures/" in path for path in looked)
    post = sorted((blog / "content/posts").glob("*.md"))[4]
    looked.clear()
    append(post, "\nOne more line.\n")
    preview.build(TODAY, [str(post)])
    assert measured == [1]  # only Markdown changed: no picture can have
    assert not any("/pictures/" in path for path in looked)  # nor are the variants in the cache looked at again
    picture = sorted((blog / "content/media").glob("*.jpg"))[0]
    from PIL import Image
    Image.new("RGB", (640, 400), (200, 30, 30)).save(picture, "JPEG")
    preview.build(TODAY, [str(picture)])
    assert measured == [1, 1]
    assert read_tree(blog / ".cache/fitfocus/serve") == clean_build(blog, tmp_path / "clean")
