"""The sample blog published under a sub-path, as GitHub Pages serves a project site.

It is built with `--base-url https://example.github.io/fit-blog/`, and the web root holds it in
`fit-blog/` only, without the files whose names start with a dot (upload-pages-artifact leaves
them out). A link that forgets the base path, a missing file or a missing `#fragment` fails here:
first in a stdlib checker that reads every HTML file, feed and sitemap, then in Chromium, which
loads every page and must see no 404, no request outside `/fit-blog/` and no console error.
The server answers a missing path under `/fit-blog/` with `404.html`, as GitHub Pages does.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from playwright.sync_api import ConsoleMessage, Page, Request, Response

from pages.test_cards import decode_qr_svg

from .serving import build, copy_sample_blog

HOST = "example.github.io"
BASE = f"https://{HOST}/fit-blog/"
SUBPATH = "/fit-blog/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# Attributes that point somewhere, by element; data-library is where the library filter navigates.
URL_ATTRIBUTES = {"a": ("href",), "link": ("href",), "script": ("src",), "img": ("src",), "source": ("src",),
                  "iframe": ("src",), "video": ("src", "poster"), "audio": ("src",), "form": ("action",)}


@pytest.fixture(scope="module")
def web_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A web root with the sample blog in fit-blog/, as the Pages artifact holds it."""
    root = copy_sample_blog(tmp_path_factory.mktemp("subpath-blog"))
    out = build(root, BASE, root / "site")
    web = tmp_path_factory.mktemp("web-root")
    shutil.copytree(out, web / "fit-blog", ignore=lambda folder, names: [n for n in names if n.startswith(".")])
    return web


class _PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the web root; a missing path under the sub-path gets the site's 404.html, with status 404."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        not_found = Path(self.directory) / SUBPATH.strip("/") / "404.html"
        if code != 404 or not self.path.startswith(SUBPATH) or not not_found.is_file():
            super().send_error(code, message, explain)
            return
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # the browser moved on mid-download
            super().handle_error(request, client_address)


@pytest.fixture(scope="module")
def server(web_root: Path) -> Iterator[str]:
    """The web root at http://127.0.0.1:<port> (no trailing slash)."""
    handler = functools.partial(_PagesHandler, directory=str(web_root))
    httpd = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, name="pages-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


# ---------------------------------------------------------------------------------------------
# The stdlib checker


@dataclass
class _Document(HTMLParser):
    """What one HTML document links to, and the ids it defines."""

    refs: list[tuple[str, str]] = field(default_factory=list)  # (what, url)
    ids: set[str] = field(default_factory=set)
    json_ld: list[str] = field(default_factory=list)
    svgs: list[str] = field(default_factory=list)
    _script_type: str | None = None

    def __post_init__(self) -> None:
        HTMLParser.__init__(self, convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        for name in URL_ATTRIBUTES.get(tag, ()):
            if name in values:
                self.refs.append((f"<{tag} {name}>", values[name]))
        if "data-library" in values:
            self.refs.append((f"<{tag} data-library>", values["data-library"]))
        if tag == "meta" and values.get("property") in ("og:url", "og:image"):
            self.refs.append((f"<meta {values['property']}>", values.get("content", "")))
        self._script_type = values.get("type", "") if tag == "script" else None

    def handle_endtag(self, tag: str) -> None:
        self._script_type = None

    def handle_data(self, data: str) -> None:
        if self._script_type == "application/ld+json":
            self.json_ld.append(data)


def read_document(text: str) -> _Document:
    """Parse HTML text into its links, ids, JSON-LD blocks and inline SVGs."""
    document = _Document()
    document.feed(text)
    document.close()
    document.svgs = re.findall(r"<svg\b.*?</svg>", text, flags=re.S)
    return document


@dataclass
class Report:
    """What the checker looked at and what it found wrong."""

    pages: int = 0
    links: int = 0
    problems: list[str] = field(default_factory=list)


def page_url(site: Path, file: Path) -> str:
    """The public URL of a built file: `posts/x/index.html` -> `https://…/fit-blog/posts/x/`."""
    return BASE + file.relative_to(site).as_posix().removesuffix("index.html")


def check_ref(site: Path, where: str, what: str, ref: str, ids: dict[str, set[str]], report: Report) -> None:
    """Resolve `ref` as the page at `where` would; external links pass, anything of ours must exist."""
    report.links += 1
    target = urljoin(where, ref.strip())
    parts = urlsplit(target)
    if parts.scheme in ("mailto", "tel", "data"):
        return
    if parts.scheme not in ("http", "https"):
        report.problems.append(f"{where}: {what} {ref!r} is not a web link")
        return
    if parts.netloc != HOST:
        if parts.netloc in ("127.0.0.1", "localhost") or not parts.netloc:
            report.problems.append(f"{where}: {what} {ref!r} points at this machine")
        return  # another site: not checked offline
    if not target.startswith(BASE):
        report.problems.append(f"{where}: {what} {ref!r} leaves {SUBPATH}")
        return
    relative = unquote(parts.path)[len(SUBPATH):]
    file = site / (relative + "index.html" if relative == "" or relative.endswith("/") else relative)
    if not file.is_file():
        report.problems.append(f"{where}: {what} {ref!r} is broken: no file {file.relative_to(site)}")
        return
    if parts.fragment:
        key = file.relative_to(site).as_posix()
        if key not in ids:
            ids[key] = read_document(file.read_text("utf-8")).ids if file.suffix == ".html" else set()
        if unquote(parts.fragment) not in ids[key]:
            report.problems.append(f"{where}: {what} {ref!r}: no id {parts.fragment!r} in {key}")


def json_ld_urls(data: object) -> Iterator[str]:
    """Every URL-valued property in a JSON-LD block."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("url", "mainEntityOfPage", "image") and isinstance(value, str):
                yield value
            else:
                yield from json_ld_urls(value)
    elif isinstance(data, list):
        for value in data:
            yield from json_ld_urls(value)


def check_site(site: Path) -> Report:
    """Check every HTML page, feed, sitemap and robots.txt of the site in `site`."""
    report = Report()
    ids: dict[str, set[str]] = {}
    for file in sorted(site.rglob("*.html")):
        report.pages += 1
        where = page_url(site, file)
        document = read_document(file.read_text("utf-8"))
        ids[file.relative_to(site).as_posix()] = document.ids
        for what, ref in document.refs:
            if what == "<a href>" and ref.startswith(("http://", "https://")) and HOST not in ref:
                continue  # videos and image credits on other sites
            check_ref(site, where, what, ref, ids, report)
        for block in document.json_ld:
            for ref in json_ld_urls(json.loads(block)):
                if urlsplit(ref).netloc in ("", HOST):
                    check_ref(site, where, "JSON-LD url", ref, ids, report)
        for svg in document.svgs:
            if 'class="qr"' in svg:
                check_ref(site, where, "QR code", decode_qr_svg(svg), ids, report)
    for feed in sorted(site.rglob("feed.xml")):
        report.pages += 1
        where = page_url(site, feed)
        root = ET.parse(feed).getroot()
        for link in root.iter(f"{ATOM}link"):
            check_ref(site, where, "feed link", link.get("href", ""), ids, report)
        for element in (*root.iter(f"{ATOM}id"), *root.iter(f"{ATOM}icon")):
            check_ref(site, where, f"feed {element.tag.removeprefix(ATOM)}", element.text or "", ids, report)
        for entry in root.iter(f"{ATOM}entry"):
            entry_url = entry.find(f"{ATOM}link").get("href", "")
            content = entry.find(f"{ATOM}content")
            if content is not None:
                for what, ref in read_document(content.text or "").refs:
                    if not ref.startswith(("http://", "https://")):
                        report.problems.append(f"{where}: feed content {what} {ref!r} is not absolute")
                    elif HOST in ref:
                        check_ref(site, entry_url, f"feed content {what}", ref, ids, report)
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    for loc in sitemap.iter(f"{SITEMAP}loc"):
        check_ref(site, BASE + "sitemap.xml", "sitemap loc", loc.text or "", ids, report)
    robots = (site / "robots.txt").read_text("utf-8")
    for ref in re.findall(r"^Sitemap:\s*(\S+)", robots, flags=re.M):
        check_ref(site, BASE + "robots.txt", "robots.txt Sitemap", ref, ids, report)
    return report


def test_every_link_asset_feed_and_qr_code_stays_under_the_sub_path_and_resolves(web_root: Path) -> None:
    site = web_root / "fit-blog"
    assert sorted(p.name for p in web_root.iterdir()) == ["fit-blog"]
    assert not list(site.rglob(".*")), "the Pages artifact has no dot files, so the site must not need one"
    report = check_site(site)
    print(f"checked {report.links} links on {report.pages} pages and feeds")
    assert report.pages > 90 and report.links > 3000, report
    assert not report.problems, f"{len(report.problems)} problems:\n" + "\n".join(report.problems[:50])


def test_the_checker_catches_what_it_is_for(tmp_path: Path) -> None:
    """A link without the base path, a missing file and a missing fragment are each reported."""
    site = tmp_path / "fit-blog"
    (site / "posts" / "a").mkdir(parents=True)
    (site / "posts" / "a" / "index.html").write_text('<h2 id="here">A</h2>')
    (site / "feed.xml").write_text(f'<feed xmlns="http://www.w3.org/2005/Atom"><id>{BASE}feed.xml</id></feed>')
    (site / "sitemap.xml").write_text(f'<urlset xmlns="{SITEMAP[1:-1]}"><url><loc>{BASE}posts/a/</loc></url></urlset>')
    (site / "robots.txt").write_text(f"Sitemap: {BASE}sitemap.xml\n")
    (site / "index.html").write_text(
        '<a href="/fit-blog/posts/a/#here">ok</a> <a href="/posts/a/">no base</a> '
        '<img src="/fit-blog/media/gone.jpg" alt=""> <a href="posts/a/#there">no id</a> '
        '<a href="https://www.youtube.com/watch?v=x">elsewhere</a> <link rel="stylesheet" href="//cdn.example/x.css">')
    problems = "\n".join(check_site(site).problems)
    assert "'/posts/a/' leaves /fit-blog/" in problems
    assert "no file media/gone.jpg" in problems
    assert "no id 'there'" in problems
    assert "'/fit-blog/posts/a/#here'" not in problems and "youtube" not in problems
    assert len(problems.splitlines()) == 3


# ---------------------------------------------------------------------------------------------
# In Chromium


@dataclass
class _Watch:
    """What the browser saw while loading one page."""

    server: str
    failures: list[str] = field(default_factory=list)

    def response(self, response: Response) -> None:
        if response.status >= 400:
            self.failures.append(f"HTTP {response.status} for {response.url}")

    def request(self, request: Request) -> None:
        if not request.url.startswith((self.server + SUBPATH, "data:")):
            self.failures.append(f"request outside {SUBPATH}: {request.url}")

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.failures.append(f"console error: {message.text}")

    def page_error(self, error: Exception) -> None:
        self.failures.append(f"uncaught error: {error}")


def watch(page: Page, server: str) -> _Watch:
    """Record failed responses, requests outside the sub-path and console errors on `page`."""
    seen = _Watch(server)
    page.on("response", seen.response)
    page.on("request", seen.request)
    page.on("console", seen.console)
    page.on("pageerror", seen.page_error)
    return seen


def test_every_page_loads_in_chromium_without_a_404_or_console_error(page: Page, web_root: Path,
                                                                     server: str) -> None:
    site = web_root / "fit-blog"
    paths = [f.relative_to(site).as_posix().removesuffix("index.html") for f in sorted(site.rglob("*.html"))]
    paths.remove("404.html")  # served for missing pages, with status 404: see the next test
    seen = watch(page, server)
    failures = []
    for path in paths:
        seen.failures.clear()
        response = page.goto(server + SUBPATH + path, wait_until="load")
        assert response is not None
        failures += [f"{SUBPATH}{path}: {failure}" for failure in seen.failures]
    print(f"loaded {len(paths)} pages in Chromium")
    assert len(paths) > 90
    assert not failures, "\n".join(failures)


def test_not_found_page_works_at_any_depth_under_the_sub_path(page: Page, server: str) -> None:
    seen = watch(page, server)
    missing = server + SUBPATH + "no/such/page/here/"
    response = page.goto(missing, wait_until="load")
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    expected = {f"HTTP 404 for {missing}",  # the page itself, and Chromium's note about it
                "console error: Failed to load resource: the server responded with a status of 404 (Not Found)"}
    assert [f for f in seen.failures if f not in expected] == []
    # Its stylesheet loaded from the sub-path: the skip link is moved off screen by style.css.
    assert page.evaluate("document.styleSheets.length") >= 1
    assert page.evaluate("getComputedStyle(document.querySelector('.skip-link')).position") == "absolute"
    seen.failures.clear()
    page.get_by_role("link", name="Exercise library").click()
    page.wait_for_load_state("load")
    assert page.url == server + SUBPATH + "exercises/"
    assert seen.failures == []
