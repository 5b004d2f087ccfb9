"""Rendering: planned pages through Jinja2 (autoescaped), Markdown bodies through Python-Markdown."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .library import Library, slugify
from .markup import MarkdownRenderer
from .model import Exercise, Page, Post, format_seconds, title_case
from .plan import PagePlan, facet_values
from .urls import Urls, card_path, exercise_path, output_file, post_path


def make_environment(templates: Path, library: Library) -> jinja2.Environment:
    """A Jinja2 environment over `templates/`, autoescaping, strict about undefined names."""
    urls = Urls(library.config.base_url)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(
        site=library.config,
        library=library,
        url=urls.href,
        absolute_url=urls.absolute,
        post_url=lambda post: urls.href(post_path(post.slug)),
        exercise_url=lambda exercise: urls.href(exercise_path(exercise.slug)),
        card_url=lambda post, workout: urls.href(card_path(post.slug, workout.routine.number)),
        series_url=lambda name: urls.href(f"series/{slugify(name)}/"),
        tag_url=lambda name: urls.href(f"tags/{slugify(name)}/"),
        facet_values=facet_values,
    )
    env.filters.update(title=title_case, seconds=format_seconds, date=_format_date)
    return env


def render_pages(plans: list[PagePlan], library: Library, templates: Path) -> dict[str, bytes]:
    """Render every planned page; return output file path -> bytes."""
    env = make_environment(templates, library)
    bodies = _BodyRenderer(library, env)
    env.globals["body_html"] = bodies.html
    files: dict[str, bytes] = {}
    for plan in plans:
        template = env.get_template(plan.template)
        html = template.render(path=plan.path, **plan.context)
        files[output_file(plan.path)] = html.encode("utf-8")
    return files


class _BodyRenderer:
    """Markdown bodies to HTML, with routine tables in place; each body rendered once."""

    def __init__(self, library: Library, env: jinja2.Environment) -> None:
        self._library = library
        self._env = env
        self._urls = Urls(library.config.base_url)
        self._markdown = MarkdownRenderer()
        self._cache: dict[int, Markup] = {}

    def html(self, record: Post | Exercise | Page, workouts: tuple[Any, ...] = ()) -> Markup:
        key = id(record)
        if key not in self._cache:
            routine = self._env.get_template("_routine.html")
            tables = [routine.render(workout=w, post=record) for w in workouts]
            self._cache[key] = Markup(self._markdown.render(record.body, self._resolve, tables))
        return self._cache[key]

    def _resolve(self, target: str) -> str:
        kind, _, name = target.partition(":")
        name, hash_mark, fragment = name.partition("#")
        if kind == "exercise":
            exercise = self._library.find_exercise(name)
            path = exercise_path(exercise.slug) if exercise else None
        elif kind == "post":
            post = self._library.find_post(name)
            path = post_path(post.slug) if post else None
        else:
            return self._urls.href(target)  # media/…
        return self._urls.href(path) + hash_mark + fragment if path else target


def _format_date(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"

