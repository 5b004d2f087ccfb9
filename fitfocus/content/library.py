"""The library: loaded content indexed for lookups, with reverse indexes (posts by exercise, series, tags)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from operator import attrgetter
from urllib.parse import unquote

from fitfocus.config import Config
from fitfocus.content.model import Content, Exercise, Page, Picture, Plan, Post, PostTeaser, teaser


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Library:
    """Everything a build publishes, plus the lookups rendering needs. Built once by `index_library`."""

    config: Config
    exercises: dict[str, Exercise]  # by slug, sorted by name
    names: dict[str, str]  # normalized slug, name or alias -> slug
    posts: tuple[Post, ...]  # published, newest first
    pages: tuple[Page, ...]
    posts_by_slug: dict[str, Post]  # every loaded post, published or not
    backlinks: dict[str, tuple[Post, ...]]  # exercise slug -> published posts using it, newest first
    series: dict[str, tuple[Post, ...]]  # series slug -> published posts, oldest first
    series_names: dict[str, str]  # series slug -> name
    tags: dict[str, tuple[Post, ...]]  # tag slug -> published posts, newest first
    tag_names: dict[str, str]
    published_slugs: frozenset[str]
    cname: str | None = None  # the custom domain to publish as /CNAME
    teasers: dict[str, PostTeaser] = field(default_factory=dict)  # published post slug -> what listings show
    pictures: dict[str, Picture] = field(default_factory=dict)  # media name -> its published sizes
    plans: tuple[Plan, ...] = ()  # by slug
    today: datetime.date | None = None  # the build's date

    def teaser(self, post: Post) -> PostTeaser:
        """What listings show of a published post (made once per build, shared by every listing)."""
        return self.teasers.get(post.slug) or teaser(post)

    def find_exercise(self, written: str) -> Exercise | None:
        """Resolve what an author wrote (slug, alias or name, any case) to an exercise."""
        found = resolve_name(self.names, written)
        return self.exercises.get(found[0]) if len(found) == 1 else None

    def find_post(self, written: str) -> Post | None:
        """Resolve a post slug to a post (published or not)."""
        return self.posts_by_slug.get(normalize(written))

    def is_published(self, post: Post) -> bool:
        """Whether `post` is part of this build."""
        return post.slug in self.published_slugs and self.posts_by_slug.get(post.slug) is post


def post_interface(post: Post) -> tuple:
    """All that anything besides the post's own page and feed entries reads of it: where it is
    listed and how (its teaser), what it links to (backlinks), and what `post:` links resolve to.
    Two versions of a post with the same interface differ only in their own pages and feeds."""
    return (post.slug, post.at.path, post.date, post.title, post.summary, post.series.name if post.series else None,
            post.tags, post.draft, post.scheduled, post.body.routines,
            tuple(link.name for link in post.body.links if link.name.startswith("exercise:")),
            (post.image.src, post.image.alt) if post.image else None,
            tuple(ref.name for ref in post.redirect_from))  # redirect pages are planned from them


_SLUG = attrgetter("slug")


def with_posts_replaced(library: Library, replaced: dict[str, Post]) -> Library:
    """`library` with the posts of these slugs replaced by new versions of the same interface.

    Only the listings that hold one of them are made anew: its series, its tags, and the
    backlinks of the exercises it uses (the same before and after: they are part of the interface).
    """
    def swap(posts: tuple[Post, ...]) -> tuple[Post, ...]:
        # Each post, or its new version: mapped without a Python step per post, as `posts` can be every post.
        return tuple(map(replaced.get, map(_SLUG, posts), posts))

    series, tags, backlinks = dict(library.series), dict(library.tags), dict(library.backlinks)
    for post in replaced.values():
        if post.series is not None and slugify(post.series.name) in series:
            series[slugify(post.series.name)] = swap(series[slugify(post.series.name)])
        for tag in post.tags:
            if slugify(tag) in tags:
                tags[slugify(tag)] = swap(tags[slugify(tag)])
        for slug in _exercises_used(post, library.names):
            if slug in backlinks:
                backlinks[slug] = swap(backlinks[slug])
    posts_by_slug = dict(library.posts_by_slug)
    posts_by_slug.update((slug, post) for slug, post in replaced.items() if slug in posts_by_slug)
    teasers = dict(library.teasers)
    teasers.update((slug, teaser(post)) for slug, post in replaced.items() if slug in teasers)
    return replace(library, posts=swap(library.posts), posts_by_slug=posts_by_slug, backlinks=backlinks,
                   series=series, tags=tags, teasers=teasers)


def _exercises_used(post: Post, names: dict[str, str]) -> tuple[str, ...]:
    """The slugs of the exercises `post` uses, in its routines or links, each once."""
    used: list[str] = []
    for routine in post.body.routines:
        for item in routine.items:
            used.extend(resolve_name(names, item.exercise.name)[:1])
            used.extend(slug for ref in item.alternatives for slug in resolve_name(names, ref.name)[:1])
    for link in post.body.links:
        if link.name.startswith("exercise:"):
            used.extend(resolve_name(names, link.name.removeprefix("exercise:"))[:1])
    return tuple(dict.fromkeys(used))


@lru_cache(maxsize=1 << 16)  # posts write the same few hundred names over and over
def normalize(written: str) -> str:
    """Fold a written name to a lookup key: `Single Leg Dead-Lift` -> `single-leg-dead-lift`."""
    return _NOT_SLUG.sub("-", unquote(written).lower()).strip("-")


def resolve_name(names: dict[str, str], written: str) -> tuple[str, ...]:
    """The slugs a written name can mean: its exact slug, alias or name, else what its plain plural is of.

    More than one slug means the plural is ambiguous (validate reports it); none means unknown.
    """
    key = normalize(written)
    if key in names:
        return (names[key],)
    return _singular_matches(names, key)


def _singular_matches(names: dict[str, str], key: str) -> tuple[str, ...]:
    candidates = []
    if key.endswith("ies"):
        candidates.append(key[:-3] + "y")  # `bodies` of `body`
    if key.endswith("es"):
        candidates.append(key[:-2])  # `presses` of `press`
    if key.endswith("s"):
        candidates.append(key[:-1])  # `squats` of `squat`
    return tuple(dict.fromkeys(names[c] for c in candidates if c in names))


def slugify(name: str) -> str:
    """Make a URL slug from a series or tag name."""
    return normalize(name) or "untitled"


def left_out(library: Library) -> tuple[int, int]:
    """How many drafts and how many scheduled (not drafts) posts a build left out."""
    unpublished = [post for post in library.posts_by_slug.values() if post.slug not in library.published_slugs]
    drafts = sum(1 for post in unpublished if post.draft)
    return drafts, len(unpublished) - drafts


def _wanted(post: Post, drafts: bool, future: bool) -> bool:
    """Whether a post goes into a build with these options (Library.is_published asks a library)."""
    return (drafts or not post.draft) and (future or not post.scheduled)


def index_library(content: Content, config: Config, drafts: bool = False, future: bool = False) -> Library:
    """Index `content` for a build; when names collide the first file wins (validate reports it)."""
    exercises = {e.slug: e for e in sorted(content.exercises, key=lambda e: (e.name.lower(), e.slug))}
    names: dict[str, str] = {}
    for exercise in sorted(content.exercises, key=lambda e: e.slug):
        names.setdefault(exercise.slug, exercise.slug)
    for exercise in sorted(content.exercises, key=lambda e: e.slug):
        for alias in exercise.aliases:
            names.setdefault(normalize(alias.name), exercise.slug)
    for exercise in sorted(content.exercises, key=lambda e: e.slug):
        names.setdefault(normalize(exercise.name), exercise.slug)

    ordered = sorted(content.posts, key=lambda p: (p.date, p.slug), reverse=True)
    posts_by_slug: dict[str, Post] = {}
    for post in sorted(content.posts, key=lambda p: p.at.path):
        posts_by_slug.setdefault(post.slug, post)
    published = tuple(p for p in ordered if _wanted(p, drafts, future) and posts_by_slug[p.slug] is p)

    backlinks: dict[str, list[Post]] = {}
    series: dict[str, list[Post]] = {}
    series_names: dict[str, str] = {}
    tags: dict[str, list[Post]] = {}
    tag_names: dict[str, str] = {}
    for post in published:
        for slug in _exercises_used(post, names):
            backlinks.setdefault(slug, []).append(post)
        if post.series is not None:
            key = slugify(post.series.name)
            series.setdefault(key, []).append(post)
            series_names.setdefault(key, post.series.name)
        for tag in post.tags:
            key = slugify(tag)
            tags.setdefault(key, []).append(post)
            tag_names.setdefault(key, tag)
    return Library(
        config=config,
        exercises=exercises,
        names=names,
        posts=published,
        pages=tuple(sorted((p for p in content.pages if drafts or not p.draft), key=lambda p: p.slug)),
        posts_by_slug=posts_by_slug,
        backlinks={k: tuple(v) for k, v in sorted(backlinks.items())},
        series={k: tuple(reversed(v)) for k, v in sorted(series.items())},
        series_names=series_names,
        tags={k: tuple(v) for k, v in sorted(tags.items())},
        tag_names=tag_names,
        published_slugs=frozenset(p.slug for p in published),
        cname=content.cname,
        teasers={post.slug: teaser(post) for post in published},
        plans=tuple(sorted(content.plans, key=lambda plan: plan.slug)),
        today=content.today,
    )
