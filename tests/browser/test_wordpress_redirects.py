"""A WordPress blog imported into the sample blog and published under a sub-path: Chromium
following each old address lands on the right post, and the old GUIDs stay the feed's ids."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page

from .serving import REPO, TODAY_EPOCH, build, copy_sample_blog, serve

BASE = "https://example.github.io/fit-blog/"
OLD = {"/2019/03/14/squat-depth/": ("squat-depth", "Squat Depth: How Low Should You Go?"),
       "/2019/04/02/plank-week/": ("plank-week", "Plank Week – Core & Breathing")}


@pytest.fixture(scope="module")
def imported_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample blog with the test export imported, built for /fit-blog/ and served from a web root."""
    root = copy_sample_blog(tmp_path_factory.mktemp("wordpress-blog"))
    uploads = tmp_path_factory.mktemp("uploads")
    for name in ("2019/03/squat-depth.jpg", "2019/04/Plank Mat (1).jpg"):
        (uploads / name).parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (120, 80), (20, 90, 160)).save(uploads / name, "JPEG")
    env = dict(os.environ, PYTHONPATH=str(REPO), SOURCE_DATE_EPOCH=TODAY_EPOCH)
    export = REPO / "tests" / "importers" / "wordpress" / "export.xml"
    run = subprocess.run([sys.executable, str(REPO / "build.py"), "import", "wordpress", str(export),
                          "--uploads", str(uploads)], cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    out = build(root, BASE, root / "site")
    web = tmp_path_factory.mktemp("web-root")
    shutil.copytree(out, web / "fit-blog")
    with serve(web) as url:
        yield url


@pytest.mark.parametrize("old", sorted(OLD))
def test_an_old_address_leads_to_its_post(page: Page, imported_site: str, old: str) -> None:
    slug, title = OLD[old]
    page.goto(f"{imported_site}/fit-blog{old}")
    page.wait_for_url(f"{imported_site}/fit-blog/posts/{slug}/")
    assert page.locator("h1").first.inner_text() == title


def test_the_redirect_page_shows_a_link_for_readers_without_refresh(page: Page, imported_site: str) -> None:
    response = page.request.get(f"{imported_site}/fit-blog/2019/03/14/squat-depth/")
    text = response.text()
    assert '<a href="/fit-blog/posts/squat-depth/">Squat Depth: How Low Should You Go?</a>' in text
    assert '<link rel="canonical" href="https://example.github.io/fit-blog/posts/squat-depth/">' in text


def test_the_feed_keeps_the_old_ids(page: Page, imported_site: str) -> None:
    feed = page.request.get(f"{imported_site}/fit-blog/feed.xml").text()
    assert "<id>https://oldblog.example.com/?p=11</id>" in feed
    assert "<id>https://oldblog.example.com/?p=12</id>" in feed
