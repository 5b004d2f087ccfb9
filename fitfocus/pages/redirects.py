"""Redirect pages: one at each old address a post lists in `redirect_from:`, leading to the post."""

from __future__ import annotations

from fitfocus.content.model import Post
from fitfocus.content.model import Ref
from fitfocus.problems import Problem

TEMPLATE = "redirect.html"


def redirect_path(old: str) -> str:
    """The site path a redirect is written at: `/2019/03/14/slug/` -> `2019/03/14/slug/`, `/about` -> `about/`."""
    path = old.lstrip("/")
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return path if path.endswith("/") or last.endswith((".html", ".htm")) else path + "/"


def post_redirects(posts: tuple[Post, ...]) -> list[tuple[str, Post, Ref]]:
    """(site path, post, where it was written) for every old address of `posts`."""
    return [(redirect_path(ref.name), post, ref) for post in posts for ref in post.redirect_from]


def clashing_redirects(redirects: list[tuple[str, Post, Ref]], paths: set[str]) -> list[Problem]:
    """Errors for redirects at the path of a real page of the site, or at the path of an earlier redirect."""
    problems, seen = [], {}
    for path, post, ref in redirects:
        if path in paths:
            problems.append(ref.at.problem(f"`redirect_from` path `{ref.name}` is a page of this site",
                                           "remove it: the page itself is there"))
        elif path in seen and seen[path] != post.slug:
            problems.append(ref.at.problem(f"`redirect_from` path `{ref.name}` also leads to post `{seen[path]}`",
                                           "an old address can lead to one post only"))
        seen.setdefault(path, post.slug)
    return problems
