"""`import wordpress`: our own export (tests/importers/wordpress/export.xml) imported into the small
blog gives exactly the expected Markdown, builds with redirects and the old feed ids, changes
nothing the second time, and bad or unsafe XML is a located error with nothing written."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PIL import Image

from conftest import REPO, run_engine
from test_golden import read_tree

FIXTURE = REPO / "tests" / "importers" / "wordpress"
SUMMARY = ("imported 4 new posts and 1 new page, 0 updated, 0 unchanged, 1 left as a person wrote them, "
           "2 items skipped, 2 pictures copied, 2 comments not imported\n")


@pytest.fixture
def export(small_site: Path) -> Path:
    """The blog, with the export beside its settings and a copy of wp-content/uploads next to it."""
    shutil.copyfile(FIXTURE / "export.xml", small_site / "export.xml")
    uploads = small_site.parent / "uploads"
    for name, size in (("2019/03/squat-depth.jpg", (120, 80)), ("2019/03/squat-depth-300x200.jpg", (60, 40)),
                       ("2019/04/Plank Mat (1).jpg", (100, 80))):
        (uploads / name).parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", size, (20, 90, 160)).save(uploads / name, "JPEG")
    return small_site


def imported(root: Path) -> dict[str, str]:
    """The Markdown files the import wrote (those of the fixture's dates)."""
    return {path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted((root / "content").rglob("*.md"))
            if path.name.startswith("2019-") or path.name == "coaching.md"}


def test_posts_and_pages_are_the_expected_markdown(export: Path) -> None:
    run = run_engine(export, "import", "wordpress", "export.xml", "--uploads", "../uploads")
    assert (run.code, run.out) == (0, SUMMARY)
    expected = {path.relative_to(FIXTURE / "expected").as_posix(): path.read_text(encoding="utf-8")
                for path in sorted((FIXTURE / "expected").rglob("*.md"))}
    assert imported(export) == expected
    assert sorted(p.relative_to(export).as_posix() for p in (export / "content" / "media").rglob("*.jpg")) == [
        "content/media/2019/03/squat-depth.jpg", "content/media/2019/04/Plank-Mat-1.jpg"]
    # the size variant the post shows is mapped to the original picture
    assert (export / "content/media/2019/03/squat-depth.jpg").read_bytes() == \
        (export.parent / "uploads/2019/03/squat-depth.jpg").read_bytes()


def test_what_is_left_out_is_reported_where_it_is(export: Path) -> None:
    run = run_engine(export, "import", "wordpress", "export.xml", "--uploads", "../uploads")
    lines = [line for line in run.err.splitlines() if ": warning: " in line]
    assert lines == [
        "content/pages/about.md:1:1: warning: left as it is: written by a person (no import checksum)",
        "export.xml:1:1: warning: 2 comments not imported",
        "export.xml:20:2: warning: post `Squat Depth: How Low Should You Go?` uses the shortcode "
        "`[contact-form-7]`, left as it is",
        "export.xml:74:2: warning: post `Plank Week – Core & Breathing`: gallery picture 99 is not in the export",
        "export.xml:154:2: warning: skipped post 15 `Old Giveaway`: its status is `trash`",
        "export.xml:165:2: warning: skipped post 16 `First`: `first` is taken by content/posts/2026-03-01-first.md",
        "export.xml:176:2: warning: page `Coaching`: picture `https://cdn.example.net/coach_sam-300x300.jpg` has "
        "no alt text; its file name stands in",
    ]
    assert run.err.endswith("7 warnings.\n")


def test_a_second_import_changes_nothing(export: Path) -> None:
    run_engine(export, "import", "wordpress", "export.xml", "--uploads", "../uploads")
    before = read_tree(export)
    again = run_engine(export, "import", "wordpress", "export.xml", "--uploads", "../uploads")
    assert again.out == ("imported 0 new posts and 0 new pages, 0 updated, 5 unchanged, 1 left as a person "
                            "wrote them, 2 items skipped, 0 pictures copied, 2 comments not imported\n")
    assert read_tree(export) == before


def test_an_edited_import_is_left_alone(export: Path) -> None:
    run_engine(export, "import", "wordpress", "export.xml", "--uploads", "../uploads")
    post = export / "content/posts/2019-06-01-injury-log.md"
    post.write_text(post.read_text(encoding="utf-8") + "Better now.\n", encoding="utf-8")
    again = run_engine(export, "import", "wordpress", "export.xml", "--uploads", "../uploads")
    assert "content/posts/2019-06-01-injury-log.md:1:1: warning: left as it is: edited since it was imported" \
        in again.err
    assert post.read_text(encoding="utf-8").endswith("Better now.\n")


def test_dry_run_writes_nothing(export: Path) -> None:
    before = read_tree(export)
    run = run_engine(export, "import", "wordpress", "export.xml", "--uploads", "../uploads", "--dry-run")
    assert run.code == 0
    assert "would write content/posts/2019-03-14-squat-depth.md (new)\n" in run.out
    assert run.out.endswith(SUMMARY.replace("imported", "would import", 1))
    assert read_tree(export) == before


def test_the_imported_blog_builds_with_redirects_and_old_feed_ids(export: Path) -> None:
    run_engine(export, "import", "wordpress", "export.xml", "--uploads", "../uploads")
    built = run_engine(export, "build")
    assert built.code == 0, built.err
    redirect = (export / "site/2019/03/14/squat-depth/index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=/blog/posts/squat-depth/">' in redirect
    assert '<link rel="canonical" href="https://example.org/blog/posts/squat-depth/">' in redirect
    assert '<meta name="robots" content="noindex">' in redirect
    assert '<a href="/blog/posts/squat-depth/">Squat Depth: How Low Should You Go?</a>' in redirect
    assert (export / "site/2019/04/02/plank-week/index.html").is_file()
    assert not (export / "site/2019/05/20").exists()  # a draft's old address waits for the draft
    feed = (export / "site/feed.xml").read_text(encoding="utf-8")
    assert "<id>https://oldblog.example.com/?p=11</id>" in feed
    assert "<id>https://oldblog.example.com/?p=12</id>" in feed
    assert "<id>https://example.org/blog/posts/first/</id>" in feed
    assert "2019/03/14/squat-depth" not in (export / "site/sitemap.xml").read_text(encoding="utf-8")


def _write_export(root: Path, text: str) -> None:
    (root / "export.xml").write_text(text, encoding="utf-8")


def test_malformed_xml_is_located_and_nothing_is_written(small_site: Path) -> None:
    text = (FIXTURE / "export.xml").read_text(encoding="utf-8").replace("</wp:post_name>", "</wp:post_nam>", 1)
    _write_export(small_site, text)
    before = read_tree(small_site)
    run = run_engine(small_site, "import", "wordpress", "export.xml")
    assert run.code == 1
    line = next(n for n, written in enumerate(text.splitlines(), 1) if "</wp:post_nam>" in written)
    assert run.err.splitlines()[0] == f"export.xml:{line}:42: error: malformed XML: mismatched tag"
    assert run.err.endswith("1 error; no file was written.\n")
    assert read_tree(small_site) == before


@pytest.mark.parametrize("declaration", [
    '<!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>',
    '<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>',
])
def test_entities_are_never_expanded(small_site: Path, declaration: str) -> None:
    _write_export(small_site, f'<?xml version="1.0"?>\n{declaration}\n<rss><channel><item><title>&lol2;</title>'
                              "</item></channel></rss>\n")
    before = read_tree(small_site)
    run = run_engine(small_site, "import", "wordpress", "export.xml")
    assert run.code == 1
    name = "lol" if "lol" in declaration else "secret"
    assert run.err.splitlines()[0] == f"export.xml:2:16: error: the export declares the entity `{name}`; entities are not read"
    assert read_tree(small_site) == before


def test_not_an_export(small_site: Path) -> None:
    _write_export(small_site, "<html><body>hello</body></html>\n")
    run = run_engine(small_site, "import", "wordpress", "export.xml")
    assert run.err.splitlines()[0] == "export.xml:1:1: error: not a WordPress export (no <rss><channel>)"


def _one_post(content: str) -> str:
    return ('<?xml version="1.0"?>\n<rss xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>Hips</title>'
            "<link>https://old.example.com/hips/</link><wp:post_id>1</wp:post_id>"
            "<wp:post_date>2020-01-02 10:00:00</wp:post_date><wp:post_name>hips</wp:post_name>"
            "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
            f"<content:encoded><![CDATA[{content}]]></content:encoded></item></channel></rss>\n")


def test_uploads_never_lead_outside_the_folder(small_site: Path) -> None:
    uploads = small_site.parent / "uploads"
    (uploads / "2020").mkdir(parents=True)
    secret = small_site.parent / "secret.jpg"
    Image.new("RGB", (10, 10)).save(secret, "JPEG")
    os.symlink(secret, uploads / "2020" / "linked.jpg")
    _write_export(small_site, _one_post(
        '<img src="https://old.example.com/wp-content/uploads/../secret.jpg" alt="Up and out">'
        '<img src="https://old.example.com/wp-content/uploads/2020/linked.jpg" alt="Linked out">'))
    run = run_engine(small_site, "import", "wordpress", "export.xml", "--uploads", "../uploads")
    assert run.code == 0, run.err
    body = (small_site / "content/posts/2020-01-02-hips.md").read_text(encoding="utf-8").split("---\n")[2]
    assert body == ("\n![Up and out](https://old.example.com/wp-content/uploads/../secret.jpg)"
                    "![Linked out](https://old.example.com/wp-content/uploads/2020/linked.jpg)\n")
    assert not (small_site / "content/media/secret.jpg").exists()
    assert not (small_site / "content/media/2020").exists()


def test_scripts_handlers_and_html_in_text_do_not_reach_the_page(small_site: Path) -> None:
    _write_export(small_site, _one_post(
        '<p onmouseover="steal()">Bridge &lt;script&gt;x&lt;/script&gt; hold</p><script>steal()</script>'
        '<style>p{}</style><a href="javascript:steal()">trap</a> <a href="data:text/html,x">two</a>'))
    run_engine(small_site, "import", "wordpress", "export.xml")
    body = (small_site / "content/posts/2020-01-02-hips.md").read_text(encoding="utf-8").split("---\n")[2]
    assert body == "\nBridge &lt;script>x&lt;/script> hold\n\ntrap two\n"


def test_an_export_that_is_missing(small_site: Path) -> None:
    run = run_engine(small_site, "import", "wordpress", "nowhere.xml")
    assert run.err.splitlines()[0] == "nowhere.xml:1:1: error: export file not found"


def test_a_slug_twice_in_the_export_and_a_reserved_page_slug(small_site: Path) -> None:
    post = _one_post("Hips.").split("<item>")[1].split("</item>")[0]
    later = post.replace("<wp:post_id>1<", "<wp:post_id>2<").replace("2020-01-02", "2020-02-03")
    page = (post.replace("<wp:post_type>post<", "<wp:post_type>page<").replace("<wp:post_id>1<", "<wp:post_id>3<")
            .replace(">hips<", ">tags<"))
    text = _one_post("Hips.").replace("</item>", f"</item><item>{later}</item><item>{page}</item>", 1)
    _write_export(small_site, text)
    run = run_engine(small_site, "import", "wordpress", "export.xml")
    assert [line for line in run.err.splitlines() if ": warning: " in line] == [
        "export.xml:2:412: warning: skipped post 2 `Hips`: `hips` is taken by post 1 of this export",
        "export.xml:2:708: warning: page `Hips`: /tags/ is the site's own, so it is imported as `tags-page`",
    ]
    assert (small_site / "content/pages/tags-page.md").is_file()
    assert run_engine(small_site, "build").code == 0


def test_an_old_address_is_taken_inside_the_old_blog() -> None:
    from fitfocus.importers.wordpress import old_path

    assert old_path("https://old.example/blog/2019/03/14/x/", "https://old.example/blog") == "/2019/03/14/x/"
    assert old_path("https://old.example/2019/03/14/caf%C3%A9/", "https://old.example") == "/2019/03/14/café/"
    assert old_path("https://old.example/?p=12", "https://old.example") is None
    assert old_path("https://old.example/", "https://old.example") is None


def test_an_old_address_that_is_a_page_of_the_site_is_not_redirected(small_site: Path) -> None:
    text = _one_post('See <a href="/about/">my hips post</a>.').replace(
        "<channel>", "<channel><link>https://old.example.com</link>").replace(
        "https://old.example.com/hips/", "https://old.example.com/about/")
    _write_export(small_site, text)
    run_engine(small_site, "import", "wordpress", "export.xml")
    written = (small_site / "content/posts/2020-01-02-hips.md").read_text(encoding="utf-8")
    assert "redirect_from" not in written
    assert written.endswith("\nSee [my hips post](post:hips).\n")
    assert run_engine(small_site, "build").code == 0
