"""Writing the site is one atomic switch: a build killed at any moment leaves `site/` the old
complete site or the new one, and the next build removes what the killed one left behind."""

from __future__ import annotations

import datetime
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import fitfocus.build.write as write
from conftest import REPO, TODAY_EPOCH, run_cli, run_engine
from test_golden import read_tree

sys.path.insert(0, str(REPO / "bench"))
from corpus import write_corpus  # noqa: E402

from fitfocus.build.write import Staging  # noqa: E402


def start_build(blog: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO), SOURCE_DATE_EPOCH=TODAY_EPOCH)
    return subprocess.Popen([sys.executable, str(REPO / "build.py"), "build"], cwd=blog, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def test_a_build_killed_at_any_moment_leaves_the_old_site_or_the_new(tmp_path: Path) -> None:
    blog = tmp_path / "blog"
    write_corpus(blog, posts=150, exercises=12)
    assert run_cli(blog, "build").code == 0
    posts = sorted((blog / "content/posts").glob("*.md"))
    chance = random.Random(20261201)
    outcomes = set()
    for round_number in range(6):
        old = read_tree(blog / "site")
        for post in posts:  # every post page, card and listing changes
            post.write_text(post.read_text().replace("title: ", f"title: R{round_number} ", 1))
        clean = tmp_path / f"clean-{round_number}"
        assert run_cli(blog, "build", "--no-cache", "--out", str(clean)).code == 0
        new = read_tree(clean)
        build = start_build(blog)
        time.sleep(chance.uniform(0.2, 2.5))
        os.killpg(build.pid, signal.SIGKILL)  # the build and its render processes
        build.wait()
        now = read_tree(blog / "site")
        assert now in (old, new)
        outcomes.add("old" if now == old else "new")
        assert run_cli(blog, "build").code == 0  # the next build finishes the job
        assert read_tree(blog / "site") == new
        leftovers = [p.name for p in blog.iterdir() if p.name.startswith(".site-new-")]
        assert leftovers == []
    assert outcomes  # (which of the two depends on the moment; both are fine)


def test_render_processes_die_with_a_killed_build(tmp_path: Path) -> None:
    blog = tmp_path / "blog"
    write_corpus(blog, posts=300, exercises=12)
    build = subprocess.Popen([sys.executable, str(REPO / "build.py"), "build", "--no-cache", "--jobs", "2"],
                             cwd=blog, env=dict(os.environ, PYTHONPATH=str(REPO), SOURCE_DATE_EPOCH=TODAY_EPOCH),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children: set[int] = set()
    deadline = time.monotonic() + 60
    while not children and time.monotonic() < deadline and build.poll() is None:
        children = _children(build.pid)
        time.sleep(0.02)
    assert children, "the build never forked a render process"
    build.kill()  # the parent alone
    build.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in children)


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_staging_writes_files_at_any_depth_into_folders_it_made_or_found(tmp_path: Path) -> None:
    staging = Staging(tmp_path / "site")
    (staging.folder / "posts/made-elsewhere").mkdir(parents=True)  # as another render process would
    pages = {"index.html": b"home", "posts/a/index.html": b"a", "posts/a/card/1/index.html": b"card",
             "posts/made-elsewhere/index.html": b"b", "tags/x/index.html": b"x", "posts/a/feed.xml": b"feed"}
    for name, data in pages.items():
        staging.write(name, data)
    staging.write("posts/a/index.html", b"again")
    written = {path.relative_to(staging.folder).as_posix(): path.read_bytes()
               for path in staging.folder.rglob("*") if path.is_file()}
    assert written == {**pages, "posts/a/index.html": b"again"}


def test_a_whole_build_leaves_no_spare_and_the_first_edit_makes_it(small_site: Path, tmp_path: Path,
                                                                    monkeypatch) -> None:
    # A whole build (a deploy from a fresh clone, mostly) does not link a second tree of folders
    # beside the site; the first edit makes it, and the edits after it move only what changed.
    assert run_engine(small_site, "build").code == 0
    site, spare = small_site / "site", write.spare_of(small_site / "site")
    assert not spare.exists()
    import fitfocus.build.pipeline as pipeline

    fillings: list[write.SpareFilling] = []
    monkeypatch.setattr(pipeline, "SpareFilling", lambda *args: fillings.append(write.SpareFilling(*args)) or fillings[-1])
    post = small_site / "content/posts/2026-03-01-first.md"
    post.write_text(post.read_text() + "\nOne more line.\n")
    assert run_engine(small_site, "build").code == 0
    assert len(fillings) == 1  # filled beside the rendering and indexing
    assert b"One more line." in (site / "posts/first/index.html").read_bytes()
    pages = _pages(site)
    assert len(pages) > 20
    # The spare is the site as it was before this edit: every page but those the edit changed is the same file.
    same = [name for name in pages if (spare / name).stat().st_ino == (site / name).stat().st_ino]
    assert len(same) >= len(pages) - 5 and "posts/first/index.html" not in same
    linked = _watch_links(monkeypatch)
    post.write_text(post.read_text() + "\nAnd another.\n")
    assert run_engine(small_site, "build").code == 0
    assert len(fillings) == 1  # the spare was there
    assert [place for place in linked if f"{os.sep}pagefind{os.sep}" not in place] == []
    assert b"And another." in (site / "posts/first/index.html").read_bytes()
    clean = run_cli(small_site, "build", "--no-cache", "--out", str(tmp_path / "clean"))
    assert clean.code == 0, clean.err
    assert read_tree(site) == read_tree(tmp_path / "clean")


def test_asked_for_it_a_whole_build_links_the_spare_and_the_first_edit_moves_only_what_changed(
        small_site: Path, monkeypatch) -> None:
    # As the preview asks: its next builds are edits.
    from fitfocus.build.pipeline import Options, build

    site, spare = small_site / "site", write.spare_of(small_site / "site")
    options = Options(root=small_site, out=site, templates=small_site / "templates", today=datetime.date(2026, 12, 1),
                      cache=small_site / ".cache/fitfocus", spare_at_once=True)
    build(options)
    pages = _pages(site)
    assert len(pages) > 20
    assert all((spare / name).stat().st_ino == (site / name).stat().st_ino for name in pages)  # linked, not copied
    linked = _watch_links(monkeypatch)
    post = small_site / "content/posts/2026-03-01-first.md"
    post.write_text(post.read_text() + "\nOne more line.\n")
    build(options)
    # The spare held the other pages already: only the rendered ones moved in (and the search index's
    # new part, whose files are linked from the cache).
    assert [place for place in linked if f"{os.sep}pagefind{os.sep}" not in place] == []
    assert b"One more line." in (site / "posts/first/index.html").read_bytes()


def _pages(site: Path) -> list[str]:
    """The site's files, the search index aside (it is made apart)."""
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()
                  and path.name != write.MARKER and path.relative_to(site).parts[0] != "pagefind")


def _watch_links(monkeypatch) -> list[str]:
    """The places in the spare that files of the output are linked to from now on."""
    linked: list[str] = []
    real = write._link_over
    monkeypatch.setattr(write, "_link_over", lambda source, place: (linked.append(place), real(source, place)))
    return linked


def test_updates_in_any_order_leave_the_site_they_name_and_a_spare_that_is_the_site_before(tmp_path: Path) -> None:
    # `publish_update` works out what to move from what changed; here random updates (pages and
    # copied files added, changed, kept and removed, the spare sometimes unknown) are checked against
    # the trees they name: the output holds exactly the new files, and the spare exactly the old ones.
    out, sources = tmp_path / "site", tmp_path / "sources"
    sources.mkdir()
    chooser = random.Random(17)
    names = [f"posts/p{number}/index.html" for number in range(12)] + ["index.html", "tags/a/index.html"]
    copied = [f"static/f{number}.css" for number in range(5)] + ["media/a.jpg"]
    staging = Staging(out)
    site = {name: f"{name} 0".encode() for name in chooser.sample(names, 8)}
    for name, data in site.items():
        staging.write(name, data)
    write.publish_whole(out, staging, {})
    inodes, spare = write.file_inodes(out, list(site)), None
    for step in range(1, 60):
        previous = dict(site)
        pages = {name: data for name, data in site.items() if name in names}
        for name in chooser.sample(names, chooser.randint(0, 4)):
            if name in pages and chooser.random() < 0.4:
                del pages[name]
            else:
                pages[name] = f"{name} {step}".encode()
        copies = {}
        for name in chooser.sample(copied, chooser.randint(0, 3)):
            source = sources / f"{step}-{name.replace('/', '-')}"
            source.write_bytes(f"{name} {step}".encode())
            copies[name] = source
        kept_copies = {name for name in site if name in copied and name not in copies and chooser.random() < 0.7}
        rendered = [name for name, data in pages.items() if site.get(name) != data]
        kept = {name for name in pages if name not in rendered} | kept_copies
        staging = Staging(out)
        for name in rendered:
            staging.write(name, pages[name])
        before = inodes
        inodes, spare = write.publish_update(out, staging, rendered, kept, copies,
                                             spare if chooser.random() < 0.8 else None, before)
        site = {**{name: site[name] for name in kept}, **{name: pages[name] for name in rendered},
                **{name: source.read_bytes() for name, source in copies.items()}}
        assert _files(out) == site, step
        assert inodes == {name: (out / name).stat().st_ino for name in site}, step
        folder = write.spare_of(out)
        assert _files(folder) == previous, step
        assert spare.inodes == {name: (folder / name).stat().st_ino for name in previous}, step


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*")
            if path.is_file() and path.name != write.MARKER}


# A build that dies at the worst moment for the spare: marked anew, holding the new site, not yet
# exchanged with the output (as a SIGKILL there leaves it: no cleanup, no cache written).
_DIE_BEFORE_EXCHANGE = """
import os, runpy, sys
import fitfocus.build.write as write
real = write.exchange
write.exchange = lambda first, second: os._exit(9) if str(first).endswith("-spare") else real(first, second)
sys.argv = ["build.py", "build"]
runpy.run_path({build!r}, run_name="__main__")
"""


def test_a_build_killed_between_marking_the_spare_and_the_exchange_is_repaired_by_the_next(tmp_path: Path) -> None:
    blog = tmp_path / "blog"
    write_corpus(blog, posts=12, exercises=12)
    posts = sorted((blog / "content/posts").glob("*.md"))
    for number in range(3):  # a whole build, then edits: the spare is made and then kept up to date
        posts[number].write_text(posts[number].read_text() + f"\nEdit {number}.\n")
        assert run_cli(blog, "build").code == 0
    added = blog / "content/posts" / f"{posts[-1].name[:10]}-added.md"
    added.write_text(posts[-1].read_text().replace("title: ", "title: Added ", 1))
    env = dict(os.environ, PYTHONPATH=str(REPO), SOURCE_DATE_EPOCH=TODAY_EPOCH)
    dying = subprocess.run([sys.executable, "-c", _DIE_BEFORE_EXCHANGE.format(build=str(REPO / "build.py"))],
                           cwd=blog, env=env, capture_output=True, timeout=120)
    assert dying.returncode == 9
    added.unlink()
    posts[5].write_text(posts[5].read_text() + "\nAnother edit.\n")
    assert run_cli(blog, "build").code == 0
    clean = run_cli(blog, "build", "--no-cache", "--out", str(tmp_path / "clean"))
    assert clean.code == 0, clean.err
    assert read_tree(blog / "site") == read_tree(tmp_path / "clean")
