"""The one URL builder: every internal link, asset and canonical URL goes through `Urls`."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from fitfocus.content.library import slugify


@dataclass(frozen=True)
class Urls:
    """Turns site paths (`posts/legs/`) into links under the base URL (`/repo/posts/legs/`)."""

    base_url: str  # ends with "/"

    @property
    def base_path(self) -> str:
        """The base URL's path: `/` or `/repo/`."""
        return base_path(self.base_url)

    @property
    def has_host(self) -> bool:
        """Whether the base URL names a host, so that absolute URLs can be made."""
        return self.base_url.startswith(("http://", "https://"))

    def href(self, path: str) -> str:
        """A root-relative link to a site path, honouring the base path."""
        return self.base_path + path.lstrip("/")

    def absolute(self, path: str) -> str:
        """An absolute URL (for canonical links, feeds, QR codes); a path when no host is set."""
        return self.base_url + path.lstrip("/")


def post_path(slug: str) -> str:
    """Site path of a post."""
    return f"posts/{slug}/"


def card_path(slug: str, number: int) -> str:
    """Site path of a post's printable card for its routine `number`: `posts/x/card/`, `posts/x/card-2/`."""
    return f"posts/{slug}/card/" if number == 1 else f"posts/{slug}/card-{number}/"


def workout_path(slug: str, number: int) -> str:
    """Site path of workout mode for a post's routine `number`: `posts/x/workout/`, `posts/x/workout-2/`."""
    return f"posts/{slug}/workout/" if number == 1 else f"posts/{slug}/workout-{number}/"


def exercise_path(slug: str) -> str:
    """Site path of an exercise page."""
    return f"exercises/{slug}/"


def series_path(name: str) -> str:
    """Site path of a series page, from the series' name."""
    return f"series/{slugify(name)}/"


def series_feed_path(name: str) -> str:
    """Site path of a series' Atom feed."""
    return series_path(name) + "feed.xml"


def tag_path(name: str) -> str:
    """Site path of a tag page, from the tag as written."""
    return f"tags/{slugify(name)}/"


def plan_path(slug: str) -> str:
    """Site path of a training plan."""
    return f"plans/{slug}/"


def plan_calendar_path(slug: str) -> str:
    """Site path of a dated plan's calendar file."""
    return f"plans/{slug}/plan.ics"


def base_path(base_url: str) -> str:
    """The path part of a base URL: `/` or `/repo/`."""
    return urlsplit(base_url).path or "/"


def output_file(path: str) -> str:
    """The file a site path is written to: `posts/x/` -> `posts/x/index.html`."""
    return path + "index.html" if path.endswith("/") or path == "" else path
