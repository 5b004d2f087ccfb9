"""Planning: which pages and files the site has, at which paths, with which template and records."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, Callable

from fitfocus.pages.cards import CARD_SIZES, Card, post_cards
from fitfocus.pages.feeds import make_feed, newest_posts, sitemap_entries, sitemap_urls, with_post
from fitfocus.content.vocabulary import Vocabulary
from fitfocus.content.library import Library
from fitfocus.content.model import Exercise, Plan, Post, PostTeaser
from fitfocus.pages.redirects import TEMPLATE as REDIRECT, clashing_redirects, post_redirects
from fitfocus.pages.seo import (exercise_data, exercise_description, page_description, plan_data, post_data,
                               post_description, site_data)
from fitfocus.pages.urls import (Urls, exercise_path, plan_calendar_path, plan_path, post_path, series_feed_path,
                                 series_path, tag_path)
from fitfocus.pages.workout import Workout, WorkoutHeader, post_workouts, site_disclaimer, tutorial_moves
from fitfocus.pages.workout_mode import workout_modes
from fitfocus.pages.calendar import events_data, plan_calendar, plan_events
from fitfocus.pages.training import last_day, plan_posts, plan_teaser, plan_weeks
from fitfocus.problems import Problem

FACETS = ("muscle", "equipment", "level", "category")


@dataclass(frozen=True, slots=True)
class Later:
    """A value a template needs, worked out only when its page is rendered: unchanged pages that
    come from the cache never pay for it. Its cache fingerprint is the function and its arguments."""

    function: Callable[..., Any]
    args: tuple[Any, ...]

    def compute(self) -> Any:
        """The function applied to the arguments (not kept: each page renders once per build)."""
        return self.function(*self.args)


@dataclass(frozen=True, slots=True)
class PagePlan:
    """One page to write: its site path, its template and what the template is given."""

    path: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def plan_pages(library: Library) -> list[PagePlan]:
    """Every page and file of the site, in a fixed order."""
    plans: list[PagePlan] = []
    plans.extend(_home_pages(library))
    neighbours = _series_neighbours(library)
    cards: list[Card] = []
    workouts_by_post: dict[str, tuple[Workout, ...]] = {}
    used_by_plans = plan_posts(library)
    for post in library.posts:
        previous, following = neighbours.get(post.slug, (None, None))
        workouts, post_plans, own_cards = _post_pages(post, library, previous, following,
                                                      used_by_plans.get(post.slug, ()))
        workouts_by_post[post.slug] = workouts
        plans.extend(post_plans)
        cards.extend(own_cards)
    plans.append(PagePlan("cards/", "cards.html", {
        "cards": tuple(cards), "size": CARD_SIZES[library.config.card_size],
    }))
    plans.extend(_exercise_pages(library))
    for slug, posts in library.series.items():
        name = library.series_names[slug]
        plans.append(PagePlan(series_path(name), "series.html", {
            "name": name, "posts": _teasers(library, posts), "feed_path": series_feed_path(name)}))
    if library.tags:
        tags = [(slug, library.tag_names[slug], len(posts)) for slug, posts in library.tags.items()]
        plans.append(PagePlan("tags/", "tags.html", {"tags": tags}))
    for slug, posts in library.tags.items():
        name = library.tag_names[slug]
        plans.append(PagePlan(tag_path(name), "tag.html", {"name": name, "posts": _teasers(library, posts)}))
    for page in library.pages:
        plans.append(PagePlan(f"{page.slug}/", "page.html", {
            "page": page,
            "description": page_description(page.summary, page.body.text, f"{page.title}, on {library.config.title}."),
        }))
    plans.extend(_training_pages(library))
    if library.config.search:
        plans.append(PagePlan("search/", "search.html"))
    plans.append(PagePlan("404.html", "404.html"))
    plans.extend(_publishing_files(library, plans, workouts_by_post))
    plans.extend(_redirect_pages(library, {plan.path for plan in plans}))
    return plans


def redirect_problems(library: Library) -> list[Problem]:
    """Errors for old addresses (`redirect_from:`) at a page of the site or leading to two posts."""
    redirects = post_redirects(library.posts)
    if not redirects:
        return []
    paths = {plan.path for plan in plan_pages(library) if plan.template != REDIRECT}
    return clashing_redirects(redirects, paths)


def _redirect_pages(library: Library, paths: set[str]) -> list[PagePlan]:
    """A redirect page at each old address of a post (one at a page's path is an error, see pages/redirects.py)."""
    plans, seen = [], set()
    for path, post, _ in post_redirects(library.posts):
        if path not in paths and path not in seen:
            seen.add(path)
            plans.append(PagePlan(path, REDIRECT, {"target": post_path(post.slug), "title": post.title}))
    return plans


def replan_edited_posts(plans: list[PagePlan], library: Library, replaced: dict[str, Post],
                        places: dict[str, tuple[int, ...]] | None = None) -> tuple[list[PagePlan], list[PagePlan]]:
    """`plans` after posts were edited without changing their interface (library.post_interface),
    with `library` the one with the new posts; returns every plan and the plans that changed.
    `places` is `edited_post_places(plans)` when it is known already (it stays true of the result).

    Only a post's own page and the feeds carrying it show more of it than its interface: every
    listing shows its teaser, its cards show its routines, both part of the interface.
    """
    places = places if places is not None else edited_post_places(plans)
    every, changed = list(plans), []
    for index in sorted({index for slug in replaced for index in places.get(slug, ())}):
        plan = plans[index]
        if plan.template == "post.html":
            post = replaced[plan.context["post"].slug]
            plan = _post_page(post, library, post_workouts(post, library), plan.context["previous"],
                              plan.context["next"], plan.context["plans"])
        else:
            feed = plan.context["feed"]
            for entry in feed.entries:
                if entry.post.slug in replaced:
                    post = replaced[entry.post.slug]
                    feed = with_post(feed, post, post_workouts(post, library), library.config)
            plan = PagePlan(plan.path, plan.template, {"feed": feed})
        every[index] = plan
        changed.append(plan)
    return every, changed


def edited_post_places(plans: list[PagePlan]) -> dict[str, tuple[int, ...]]:
    """For each post's slug, where in `plans` the plans that show more of it than its interface are:
    its own page and the feeds carrying it (what `replan_edited_posts` plans again)."""
    places: dict[str, list[int]] = {}
    for index, plan in enumerate(plans):
        if plan.template == "post.html":
            places.setdefault(plan.context["post"].slug, []).append(index)
        elif plan.template == "feed.xml":
            for entry in plan.context["feed"].entries:
                places.setdefault(entry.post.slug, []).append(index)
    return {slug: tuple(found) for slug, found in places.items()}


def _teasers(library: Library, posts: tuple[Post, ...]) -> tuple[PostTeaser, ...]:
    return tuple(library.teaser(post) for post in posts)


def _post_pages(post: Post, library: Library, previous: Post | None, following: Post | None,
                used_by: tuple[tuple[str, str], ...]) -> tuple[tuple[Workout, ...], list[PagePlan], tuple[Card, ...]]:
    """A post's workouts, its page and its printable cards (one per routine)."""
    workouts = post_workouts(post, library)
    cards = post_cards(post, library.teaser(post), library, workouts)
    plans = [_post_page(post, library, workouts, library.teaser(previous) if previous else None,
                        library.teaser(following) if following else None, used_by)]
    plans.extend(PagePlan(card.path, "card.html", {"card": card}) for card in cards)
    plans.extend(PagePlan(mode.path, "workout.html", {"mode": mode})
                 for mode in workout_modes(library.teaser(post), workouts, library.config.units))
    return workouts, plans, cards


def _publishing_files(library: Library, pages: list[PagePlan],
                      workouts: dict[str, tuple[Workout, ...]]) -> list[PagePlan]:
    """The Atom feeds, the sitemap (when `base_url` has a host), robots.txt and, if asked for, CNAME."""
    config = library.config
    urls = Urls(config.base_url)
    feeds = [("feed.xml", "", config.title, config.description, newest_posts(library.posts))]
    for slug, posts in library.series.items():
        name = library.series_names[slug]
        feeds.append((series_feed_path(name), series_path(name), f"{name} · {config.title}",
                      f"Every {name} post.", newest_posts(posts)))
    plans = [PagePlan(path, "feed.xml", {"feed": make_feed(path, page_path, title, subtitle, posts, workouts, config)})
             for path, page_path, title, subtitle, posts in feeds]
    sitemap = None
    if urls.has_host:  # a sitemap lists absolute URLs only
        entries = sitemap_entries([(p.path, p.template, p.context) for p in pages])
        plans.append(PagePlan("sitemap.xml", "sitemap.xml", {"urls": sitemap_urls(entries, config)}))
        sitemap = urls.absolute("sitemap.xml")
    plans.append(PagePlan("robots.txt", "robots.txt", {"sitemap": sitemap}))
    if library.cname:
        plans.append(PagePlan("CNAME", "CNAME.txt", {"domain": library.cname}))
    return plans


def _home_pages(library: Library) -> list[PagePlan]:
    size = library.config.posts_per_page
    chunks = [library.posts[i:i + size] for i in range(0, len(library.posts), size)] or [()]
    paths = [""] + [f"page/{n}/" for n in range(2, len(chunks) + 1)]
    plans = []
    for number, (path, chunk) in enumerate(zip(paths, chunks), start=1):
        plans.append(PagePlan(path, "index.html", {
            "posts": _teasers(library, chunk),
            "page_number": number,
            "page_count": len(chunks),
            "newer": paths[number - 2] if number > 1 else None,
            "older": paths[number] if number < len(chunks) else None,
            **({"jsonld": Later(site_data, (library.config,))} if number == 1 else {}),
        }))
    return plans


def _series_neighbours(library: Library) -> dict[str, tuple[Post | None, Post | None]]:
    """For each post in a series: the posts before and after it."""
    neighbours: dict[str, tuple[Post | None, Post | None]] = {}
    for posts in library.series.values():
        for index, post in enumerate(posts):
            neighbours[post.slug] = (posts[index - 1] if index > 0 else None,
                                     posts[index + 1] if index + 1 < len(posts) else None)
    return neighbours


def _post_page(post: Post, library: Library, workouts: tuple[Workout, ...], previous: PostTeaser | None,
               following: PostTeaser | None, used_by: tuple[tuple[str, str], ...]) -> PagePlan:
    return PagePlan(post_path(post.slug), "post.html", {
        "plans": used_by,
        "post": post,
        "workouts": workouts,
        "tutorials": tutorial_moves(workouts),
        "header": WorkoutHeader(workouts, library.config.vocabulary.levels) if workouts else None,
        "disclaimer": site_disclaimer(workouts, library.config),
        "previous": previous,
        "next": following,
        "description": post_description(post, library.config),
        "jsonld": Later(post_data, (post, workouts, library.config)),
    })


def _training_pages(library: Library) -> list[PagePlan]:
    """`plans/`, each plan's page and, for a dated plan, its calendar; nothing when there are no plans."""
    if not library.plans:
        return []
    pages = [PagePlan("plans/", "plans.html", {"plans": tuple(plan_teaser(plan) for plan in library.plans)})]
    stamp = library.today or datetime.date(1970, 1, 1)
    for plan in library.plans:
        weeks = plan_weeks(plan, library)
        events = plan_events(plan, weeks, library.config)
        calendar = plan_calendar_path(plan.slug) if plan.start is not None else None
        description = page_description(plan.summary, plan.body.text, f"{plan.title}, a training plan on "
                                                                     f"{library.config.title}.")
        pages.append(PagePlan(plan_path(plan.slug), "plan.html", {
            "plan": plan, "weeks": weeks, "calendar_path": calendar, "description": description,
            "events": events_data(events, stamp, last_day(plan), plan.title),
            "jsonld": Later(plan_data, (plan, weeks, description, library.config)),
        }))
        if calendar is not None:
            pages.append(PagePlan(calendar, "plan.ics", {"calendar": Later(plan_calendar, (plan, events, stamp))}))
    return pages


def _exercise_pages(library: Library) -> list[PagePlan]:
    """The library (whole and by facet), then each exercise's page."""
    exercises = tuple(library.exercises.values())
    plans = _library_pages(exercises, library.config.vocabulary)
    varied_by: dict[str, list[Exercise]] = {}
    for exercise in exercises:
        for variation in exercise.variations:
            target = library.find_exercise(variation.name)
            if target is not None:
                varied_by.setdefault(target.slug, []).append(exercise)
    for exercise in exercises:
        used_by = _teasers(library, library.backlinks.get(exercise.slug, ()))
        plans.append(_exercise_page(exercise, library, varied_by, used_by))
    return plans


def _library_pages(exercises: tuple[Exercise, ...], vocabulary: Vocabulary) -> list[PagePlan]:
    facets = {facet: _facet_values(exercises, vocabulary, facet) for facet in FACETS}
    plans = [PagePlan("exercises/", "exercises.html", {
        "exercises": exercises, "facets": facets, "facet": None, "value": None,
    })]
    for facet, values in facets.items():
        for value in values:
            matching = tuple(e for e in exercises if value in facet_values(e, facet))
            plans.append(PagePlan(f"exercises/{facet}/{value}/", "exercises.html", {
                "exercises": matching, "facets": facets, "facet": facet, "value": value,
            }))
    return plans


def _exercise_page(exercise: Exercise, library: Library, varied_by: dict[str, list[Exercise]],
                   used_by: tuple[PostTeaser, ...]) -> PagePlan:
    related = [library.find_exercise(v.name) for v in exercise.variations]
    related += varied_by.get(exercise.slug, [])
    variations = tuple(dict.fromkeys(e for e in related if e is not None and e.slug != exercise.slug))
    description = exercise_description(exercise)
    return PagePlan(exercise_path(exercise.slug), "exercise.html", {
        "exercise": exercise,
        "variations": variations,
        "used_by": used_by,
        "description": description,
        "jsonld": Later(exercise_data, (exercise, description, library.config)),
    })


def facet_values(exercise: Exercise, facet: str) -> tuple[str, ...]:
    """The values an exercise has for a library filter: its muscles, equipment, level or category."""
    if facet == "muscle":
        return exercise.muscles
    if facet == "equipment":
        return exercise.equipment or ("body-weight",)
    if facet == "category":
        return (exercise.category,) if exercise.category else ()
    return (exercise.level,) if exercise.level else ()


def _facet_values(exercises: tuple[Exercise, ...], vocabulary: Vocabulary, facet: str) -> tuple[str, ...]:
    used = {v for e in exercises for v in facet_values(e, facet)}
    order = {"muscle": vocabulary.muscles, "equipment": ("body-weight",) + vocabulary.equipment,
             "level": vocabulary.levels, "category": vocabulary.categories}[facet]
    return tuple(v for v in order if v in used)

