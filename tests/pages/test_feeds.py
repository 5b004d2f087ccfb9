"""Atom feeds, the sitemap, robots.txt and CNAME: what fitfocus writes besides the pages."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from fitfocus.pages.feeds import absolute_links, without_muscle_maps

BASE = "https://example.github.io/fit-blog/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def copy_sample_blog(target: Path) -> Path:
    """The repository's own sample blog, copied to `target`."""
    for name in ("content", "exercises", "templates"):
        shutil.copytree(REPO / name, target / name)
    shutil.copyfile(REPO / "pyproject.toml", target / "pyproject.toml")
    return target


def build(root: Path, *args: str) -> Path:
    result = run_cli(root, "build", *args)
    assert result.code == 0, result.err
    return root / "site"


def set_setting(root: Path, line: str) -> None:
    """Add `line` to the [tool.fitfocus] table of `root`'s settings."""
    path = root / "pyproject.toml"
    path.write_text(path.read_text().replace("[tool.fitfocus]\n", f"[tool.fitfocus]\n{line}\n", 1))


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample blog built under a GitHub Pages project URL; the output folder."""
    return build(copy_sample_blog(tmp_path_factory.mktemp("feeds") / "blog"), "--base-url", BASE)


def text(element: ET.Element, child: str) -> str:
    found = element.find(child)
    assert found is not None, f"<{element.tag}> has no <{child}>"
    assert found.text and found.text.strip(), f"<{child}> is empty"
    return found.text


def check_atom(site: Path, relative: str) -> ET.Element:
    """Parse the Atom feed at `site/relative` and assert every element RFC 4287 requires; return its root."""
    path = site / relative
    feed = ET.parse(path).getroot()
    assert feed.tag == f"{ATOM}feed"
    assert text(feed, f"{ATOM}id").startswith(BASE)
    text(feed, f"{ATOM}title")
    assert RFC3339.match(text(feed, f"{ATOM}updated"))
    links = {link.get("rel", "alternate"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links["self"] == BASE + relative
    assert links["alternate"].startswith(BASE)
    text(feed.find(f"{ATOM}author"), f"{ATOM}name")  # no entry has its own: the feed must
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        assert text(entry, f"{ATOM}id").startswith(BASE + "posts/")
        text(entry, f"{ATOM}title")
        assert RFC3339.match(text(entry, f"{ATOM}updated"))
        assert RFC3339.match(text(entry, f"{ATOM}published"))
        link = entry.find(f"{ATOM}link")
        assert link is not None and link.get("href", "").startswith(BASE + "posts/")
        assert entry.find(f"{ATOM}content") is not None or entry.find(f"{ATOM}summary") is not None
    assert text(feed, f"{ATOM}updated") == max(text(e, f"{ATOM}updated") for e in entries)
    return feed


def test_blog_feed_is_atom_with_absolute_urls_and_full_content(sample: Path) -> None:
    feed = check_atom(sample, "feed.xml")
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 6
    titles = [text(e, f"{ATOM}title") for e in entries]
    assert titles[0] == "A Prevention Session for Shin Splints and Runner's Knee"  # newest first
    first = entries[-1]
    assert text(first, f"{ATOM}id") == BASE + "posts/legs-and-back-at-home/"
    assert text(first, f"{ATOM}updated") == "2026-08-04T00:00:00Z"
    assert sorted(c.get("term") for c in first.findall(f"{ATOM}category")) == ["home-workout", "legs", "strength"]
    content = first.find(f"{ATOM}content")
    assert content is not None and content.get("type") == "html"
    html = content.text or ""
    # The routine tables, the disclaimer, and every link made absolute for feed readers.
    assert 'class="routine-table"' in html and "Before you start" in html and "not medical advice" in html
    refs = re.findall(r'(?:href|src)="([^"]*)"', html)
    assert refs and all(ref.startswith(("https://", "http://")) for ref in refs), refs
    assert f'href="{BASE}exercises/goblet-squat/"' in html
    assert text(first, f"{ATOM}summary").startswith("A 40-minute strength session")


def test_each_series_has_its_own_feed(sample: Path) -> None:
    feed = check_atom(sample, "series/fit-focus/feed.xml")
    assert text(feed, f"{ATOM}title") == "Fit Focus · Fit Focus"
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {"self": BASE + "series/fit-focus/feed.xml", "alternate": BASE + "series/fit-focus/"}
    series_page = (sample / "series" / "fit-focus" / "index.html").read_text()
    assert 'type="application/atom+xml" title="Fit Focus · Fit Focus" href="/fit-blog/series/fit-focus/feed.xml"' \
        in series_page
    assert 'href="/fit-blog/feed.xml"' in (sample / "index.html").read_text()


def test_sitemap_lists_every_indexable_page_with_absolute_urls(sample: Path) -> None:
    root = ET.parse(sample / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP}urlset"
    urls = root.findall(f"{SITEMAP}url")
    locs = [text(url, f"{SITEMAP}loc") for url in urls]
    assert len(locs) == len(set(locs))
    assert all(loc.startswith(BASE) and (loc.endswith("/")) for loc in locs)
    pages = {BASE + p.relative_to(sample).as_posix().removesuffix("index.html")
             for p in sample.rglob("index.html")
             if not re.search(r"/(card|workout)(-\d+)?/index\.html$", p.relative_to(sample).as_posix())}
    assert set(locs) == pages  # every page but the cards and workout modes (noindex) and 404.html
    lastmods = {text(url, f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in urls}
    assert lastmods[BASE + "posts/legs-and-back-at-home/"] == "2026-08-04"
    assert lastmods[BASE] == "2026-11-03"
    assert (sample / "robots.txt").read_text() == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"


def test_summary_setting_leaves_content_out_of_feeds(tmp_path: Path) -> None:
    root = copy_sample_blog(tmp_path / "blog")
    set_setting(root, 'feed_content = "summary"')
    site = build(root, "--base-url", BASE)
    for relative in ("feed.xml", "series/fit-focus/feed.xml"):
        feed = check_atom(site, relative)
        assert all(e.find(f"{ATOM}content") is None for e in feed.findall(f"{ATOM}entry"))
        assert all(e.find(f"{ATOM}summary") is not None for e in feed.findall(f"{ATOM}entry"))


def test_without_a_host_there_is_no_sitemap_and_feed_ids_are_urns(small_site: Path) -> None:
    site = build(small_site, "--base-url", "/")
    assert not (site / "sitemap.xml").exists()
    assert (site / "robots.txt").read_text() == "User-agent: *\nAllow: /\n"
    feed = ET.parse(site / "feed.xml").getroot()
    ids = [e.text or "" for e in feed.iter(f"{ATOM}id")]
    assert ids and all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", i) for i in ids)
    assert len(set(ids)) == len(ids)
    assert {link.get("href") for link in feed.iter(f"{ATOM}link")} >= {"/feed.xml", "/", "/posts/third/"}


def test_a_post_without_summary_is_summed_up_by_its_first_paragraph(small_site: Path) -> None:
    site = build(small_site)
    feed = ET.parse(site / "feed.xml").getroot()
    summaries = {e.findtext(f"{ATOM}title"): e.findtext(f"{ATOM}summary") for e in feed.iter(f"{ATOM}entry")}
    assert summaries == {'First & "Best" <Session>': "A short one.", "Second": "No routine here, but a table:",
                         "Third": "Plain post."}


def test_cname_in_content_is_published_at_the_site_root(small_site: Path) -> None:
    site = build(small_site)
    assert not (site / "CNAME").exists()
    (small_site / "content" / "CNAME").write_text("\nfit.example.com\n")
    site = build(small_site)
    assert (site / "CNAME").read_text() == "fit.example.com\n"


def test_absolute_links_resolves_every_href_and_src_against_the_page() -> None:
    html = ('<a href="/blog/exercises/squat/">s</a> <a href="#fit-routine-1">r</a> '
            "<img src='media/x.png' alt=''> <a href=\"https://other.example/\">o</a> <a href=\"mailto:a@b.c\">m</a>")
    assert absolute_links(html, "https://example.org/blog/posts/legs/") == (
        '<a href="https://example.org/blog/exercises/squat/">s</a> '
        '<a href="https://example.org/blog/posts/legs/#fit-routine-1">r</a> '
        "<img src='https://example.org/blog/posts/legs/media/x.png' alt=''> "
        '<a href="https://other.example/">o</a> <a href="mailto:a@b.c">m</a>')
    assert absolute_links(html, "/blog/posts/legs/") == html  # no host: nothing to make absolute


@pytest.mark.parametrize("page_url", ["https://example.org/blog/posts/legs/", "/blog/posts/legs/"])
def test_absolute_links_leaves_out_links_a_feed_reader_must_not_follow(page_url: str) -> None:
    html = ('<a href="javascript:alert(1)">j</a> <a HREF="java&#115;cript:alert(1)">e</a> '
            "<a href=vbscript:x>v</a> <img src='data:image/png;base64,AA' alt='d'> <a href=\"tel:+441\">t</a>")
    assert absolute_links(html, page_url) == '<a>j</a> <a>e</a> <a>v</a> <img alt=\'d\'> <a href="tel:+441">t</a>'


def test_golden_site_has_feed_sitemap_and_robots() -> None:
    golden = REPO / "tests" / "golden" / "small"
    for name in ("feed.xml", "series/fit-focus/feed.xml", "sitemap.xml", "robots.txt"):
        assert (golden / name).is_file(), f"{name} is not in the golden output: regenerate it"


def test_feeds_leave_out_muscle_maps_and_keep_the_rest() -> None:
    html = ('<dl class="routine-uses"><dt>Muscles</dt></dl>\n  <figure class="muscle-map" data-pagefind-ignore="index">\n<svg role="img">'
            '<title>Muscle map.</title><g><path/></g></svg>\n<figcaption class="mm-key">Primary</figcaption>\n'
            '</figure>\n</section>')
    assert str(without_muscle_maps(html)) == '<dl class="routine-uses"><dt>Muscles</dt></dl>\n</section>'
