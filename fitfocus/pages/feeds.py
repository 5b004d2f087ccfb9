"""Feeds and crawler files: Atom feeds for the blog and each series, the sitemap, robots.txt, CNAME."""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass, replace
from functools import lru_cache
from urllib.parse import urljoin

from markupsafe import Markup

from fitfocus.config import Config
from fitfocus.content.links import allowed_link
from fitfocus.content.model import Post
from fitfocus.pages.seo import post_description
from fitfocus.pages.urls import Urls, post_path
from fitfocus.pages.workout import Workout, site_disclaimer

FEED_ENTRIES = 20  # the newest posts a feed carries; readers keep what they have already seen
NOINDEX_TEMPLATES = ("card.html", "workout.html", "404.html", "redirect.html")  # pages that ask search engines not to index them

# An `href` or `src` attribute, its value quoted (groups 2 and 3) or bare (group 4), as raw HTML may write it.
_LINK = re.compile(r"""(\s(?:href|src)\s*=\s*)(?:(["'])(.*?)\2|([^\s"'=<>`]+))""", re.S | re.I)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One post in a feed: its permalink, times, summary, and what its full content is made of."""

    post: Post
    workouts: tuple[Workout, ...]
    id: str
    url: str
    published: str  # RFC 3339
    summary: str
    disclaimer: str | None


@dataclass(frozen=True, slots=True)
class Feed:
    """An Atom feed: the whole blog (`feed.xml`) or one series (`series/<slug>/feed.xml`)."""

    path: str
    title: str
    subtitle: str
    id: str
    url: str  # the feed's own URL (rel="self")
    page_url: str  # the HTML page it follows (rel="alternate")
    updated: str
    author: str
    full: bool  # full post content, or only the summary
    entries: tuple[FeedEntry, ...]


@dataclass(frozen=True, slots=True)
class SitemapUrl:
    """A page in the sitemap: its absolute URL and, where known, the date it last changed."""

    loc: str
    lastmod: str | None


def make_feed(path: str, page_path: str, title: str, subtitle: str, posts: tuple[Post, ...],
              workouts: dict[str, tuple[Workout, ...]], config: Config) -> Feed:
    """A feed at `path` of the newest `FEED_ENTRIES` of `posts` (newest first), following `page_path`."""
    urls = Urls(config.base_url)
    entries = tuple(_entry(post, workouts.get(post.slug, ()), config) for post in newest_posts(posts))
    # An empty feed has no date to give; the epoch keeps builds reproducible.
    updated = max((e.published for e in entries), default=timestamp(datetime.date(1970, 1, 1)))
    return Feed(path, title, subtitle, _id(config, path), urls.absolute(path), urls.absolute(page_path),
                updated, config.author or config.title, config.feed_content == "full", entries)


def with_post(feed: Feed, post: Post, workouts: tuple[Workout, ...], config: Config) -> Feed:
    """`feed` with the entry of the post with `post`'s slug made from `post` (an edit of that post)."""
    entries = tuple(_entry(post, workouts, config) if entry.post.slug == post.slug else entry for entry in feed.entries)
    return replace(feed, entries=entries)


def _entry(post: Post, workouts: tuple[Workout, ...], config: Config) -> FeedEntry:
    return FeedEntry(
        post=post,
        workouts=workouts,
        id=post.feed_id or _id(config, post_path(post.slug)),  # an imported post keeps its old id
        url=Urls(config.base_url).absolute(post_path(post.slug)),
        published=timestamp(post.date),
        summary=post_description(post, config),
        disclaimer=site_disclaimer(workouts, config),
    )


def newest_posts(posts: tuple[Post, ...]) -> tuple[Post, ...]:
    """The posts a feed carries: the newest `FEED_ENTRIES`, newest first."""
    return tuple(sorted(posts, key=lambda p: (p.date, p.slug), reverse=True)[:FEED_ENTRIES])


def timestamp(date: datetime.date) -> str:
    """A date as an RFC 3339 time at midnight UTC, as Atom wants: `2026-08-04T00:00:00Z`."""
    return f"{date.isoformat()}T00:00:00Z"


# Feeds show the same bodies build after build (in the preview, after every save of the newest
# post), and a post in several feeds: the two rewrites below are remembered for the latest bodies.
@lru_cache(maxsize=128)
def absolute_links(html: str, page_url: str) -> Markup:
    """`html` with every `href` and `src` made absolute against `page_url` (for feed readers), and
    those a page may not link to (`javascript:` and the like, written in raw HTML) left out."""
    absolute = page_url.startswith(("http://", "https://"))

    def link(match: re.Match[str]) -> str:
        quote, value = (match[2], match[3]) if match[2] else ('"', match[4])
        if not allowed_link(value):
            return ""
        return f"{match[1]}{quote}{urljoin(page_url, value) if absolute else value}{quote}"

    return Markup(_LINK.sub(link, str(html)))


_MUSCLE_MAP = re.compile(r'\s*<figure class="muscle-map[^"]*"[^>]*>.*?</figure>\s*', re.S)  # maps hold no figure


@lru_cache(maxsize=128)
def without_muscle_maps(html: str) -> Markup:
    """`html` without its muscle maps: the drawing needs the site's style sheet, which feed readers
    do not load (the routine still names its muscles in words)."""
    return Markup(_MUSCLE_MAP.sub("\n", str(html)))


def sitemap_entries(pages: list[tuple[str, str, dict]]) -> tuple[tuple[str, str | None], ...]:
    """(site path, date it last changed) of every HTML page worth indexing, from (path, template, context)."""
    found = []
    for path, template, context in pages:
        if template in NOINDEX_TEMPLATES or not (path == "" or path.endswith("/")):
            continue
        dates = [context["post"].date] if "post" in context else [p.date for p in context.get("posts", ())]
        found.append((path, max(dates).isoformat() if dates else None))
    return tuple(found)


def sitemap_urls(entries: tuple[tuple[str, str | None], ...], config: Config) -> tuple[SitemapUrl, ...]:
    """The sitemap's URLs for `sitemap_entries`."""
    urls = Urls(config.base_url)
    return tuple(SitemapUrl(urls.absolute(path), lastmod) for path, lastmod in entries)


def _id(config: Config, path: str) -> str:
    """A permanent id for a feed or entry: its URL, or with no host in `base_url` a name-based UUID."""
    if Urls(config.base_url).has_host:
        return Urls(config.base_url).absolute(path)
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'fitfocus:{config.title}:{path}')}"
