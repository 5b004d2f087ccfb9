"""Templates: the Jinja2 environment pages are rendered with, and the site's own templates read as
author input (their mistakes become problems at their line, not tracebacks)."""

from __future__ import annotations

import datetime
import mimetypes
import re
import traceback
from pathlib import Path
from urllib.parse import quote
from typing import Any, Callable, MutableMapping

import jinja2

from fitfocus.content.library import Library
from fitfocus.content.links import media_name
from fitfocus.content.model import Image, format_seconds, title_case
from fitfocus.pages.feeds import absolute_links, without_muscle_maps
from fitfocus.pages.muscle_map import muscle_map
from fitfocus.pages.pictures import largest, picture_html
from fitfocus.pages.plan import facet_values
from fitfocus.pages.urls import Urls, card_path, exercise_path, post_path, series_path, tag_path, workout_path
from fitfocus.problems import Problem, SourceFile

TEMPLATE_SUFFIXES = (".html", ".xml", ".txt", ".svg")  # .svg: the muscle map drawing
ROUTINE_TEMPLATE = "_routine.html"  # rendered for each routine in a body

_INCLUDE = re.compile(r"\{%-?\s*(include|import|from)\b")
_ONLY_INCLUDE = re.compile(r"\{%-?\s*include\b")
TemplateFiles = tuple[tuple[str, bytes], ...]  # every template's name and bytes, as read once by a build


def template_files(templates: Path) -> TemplateFiles:
    """Every template (static files aside) by name, with its bytes, sorted by name."""
    if not templates.is_dir():
        return ()
    return tuple((path.relative_to(templates).as_posix(), path.read_bytes())
                 for path in sorted(templates.rglob("*"))
                 if path.is_file() and "static" not in path.relative_to(templates).parts[:1])


def static_files(templates: Path) -> dict[str, Path]:
    """The files of `templates/static/`, by site path (`static/style.css`); hidden ones left out."""
    folder = templates / "static"
    if not folder.is_dir():
        return {}
    return {"static/" + path.relative_to(folder).as_posix(): path for path in sorted(folder.rglob("*"))
            if path.is_file() and not path.name.startswith(".")}


def template_loader(templates: Path, files: TemplateFiles) -> jinja2.BaseLoader:
    """A loader that gives Jinja2 exactly `files` (as read once by the build), named by their paths,
    so a template that changes while pages render cannot mix two versions into one build."""
    sources = {name: data.decode("utf-8", "replace") for name, data in files}

    def load(name: str) -> tuple[str, str, Callable[[], bool]] | None:
        text = sources.get(name)
        return None if text is None else (text, str(templates / name), lambda: True)

    return jinja2.FunctionLoader(load)


def template_data(library: Library) -> dict[str, Any]:
    """The values every template is given besides its page's own: the settings and the navigation.
    A page's key covers these (fitfocus/incremental/keys.py), so they are all there is."""
    return {
        "site": library.config,
        "navigation": tuple((page.title, f"{page.slug}/") for page in library.pages),
        "pictures": library.pictures,
        "has_plans": bool(library.plans),
    }


def make_environment(templates: Path, files: TemplateFiles, library: Library,
                     compiled: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """A Jinja2 environment over the template `files` of `templates/`, autoescaping, strict about
    undefined names. Templates see their page's context, `template_data`, and pure helpers only.
    """
    env = _SiteEnvironment(
        loader=template_loader(templates, files),
        bytecode_cache=compiled,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(title=title_case, seconds=format_seconds, date=_format_date)
    urls = Urls(library.config.base_url)
    env.globals.update(
        template_data(library),
        url=urls.href,
        absolute_url=urls.absolute,
        post_url=lambda post: urls.href(post_path(post.slug)),
        exercise_url=lambda exercise: urls.href(exercise_path(exercise.slug)),
        card_url=lambda post, workout: urls.href(card_path(post.slug, workout.routine.number)),
        workout_url=lambda post, workout: urls.href(workout_path(post.slug, workout.routine.number)),
        series_url=lambda name: urls.href(series_path(name)),
        tag_url=lambda name: urls.href(tag_path(name)),
        facet_values=facet_values,
        picture=lambda image, sizes="100vw", eager=False, css_class=None, alt=None: picture_html(
            image, library.pictures.get(media_name(image.src)), lambda path: urls.href(quote(path, safe="/")), sizes,
            eager, css_class, alt),
        image_url=lambda image: _image_url(image, library, urls),
        image_type=lambda image: mimetypes.guess_type(image.src.split("#")[0])[0] or "image/jpeg",
        muscle_map=lambda primary, secondary=(): muscle_map(primary, secondary,
                                                            library.config.vocabulary.muscle_regions),
        absolute_links=absolute_links,
        without_muscle_maps=without_muscle_maps,
    )
    return env


class _SiteEnvironment(jinja2.Environment):
    """An environment whose templates take its globals as one dict, made when each is first loaded: so
    every global is set before a template is asked for. Jinja2's own chain of the two maps makes
    each `{% from … import … %}` of a render compare them key by key in Python (a tenth of the
    time of a site's templates); two dicts compare in C."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


def _image_url(image: Image, library: Library, urls: Urls) -> str:
    """The absolute URL of a picture for previews and feeds: its widest variant in its own format."""
    if image.src.startswith(("http://", "https://")):
        return image.src
    picture = library.pictures.get(media_name(image.src))
    return urls.absolute(largest(picture) if picture else image.src)


def _format_date(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"


def check_templates(templates: Path, files: TemplateFiles, root: Path) -> list[Problem]:
    """Parse every template of `files` (read from `templates/`); return a problem for each syntax error."""
    if not templates.is_dir():
        return [Problem(_shown(templates, root), 1, 1, "templates folder not found",
                        "the site's templates live in templates/ beside pyproject.toml")]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates), autoescape=True)
    problems = []
    parsed: dict[str, tuple[Path, jinja2.nodes.Template]] = {}
    for name, data in files:
        path = templates / name
        if path.suffix not in TEMPLATE_SUFFIXES:
            continue
        try:
            parsed[name] = (path, env.parse(data.decode("utf-8"), path.name, str(path)))
        except jinja2.TemplateSyntaxError as error:
            problems.append(_at(path, root, error.lineno or 1, f"template error: {error.message}"))
        except UnicodeDecodeError:
            problems.append(Problem(_shown(path, root), 1, 1, "file is not UTF-8 text"))
    return problems + _extends_circles(parsed, root)


def _extends_circles(parsed: dict[str, tuple[Path, jinja2.nodes.Template]], root: Path) -> list[Problem]:
    """A problem for each template whose `{% extends %}` chain comes back to it (it would never render)."""
    parents: dict[str, tuple[str, int]] = {}
    for name, (_, tree) in parsed.items():
        for node in tree.find_all(jinja2.nodes.Extends):
            if isinstance(node.template, jinja2.nodes.Const) and isinstance(node.template.value, str):
                parents[name] = (node.template.value, node.lineno)
                break
    problems = []
    for name, (parent, line) in sorted(parents.items()):
        chain = [name]
        while parent in parents and parent not in chain:
            chain.append(parent)
            parent = parents[parent][0]
        if parent != name:
            continue
        circle = " → ".join(f"`{step}`" for step in (*chain, name))
        message = (f"template `{name}` extends itself" if len(chain) == 1
                   else f"template `{name}` extends itself through others: {circle}")
        problems.append(_at(parsed[name][0], root, line, f"template error: {message}",
                            "a page template extends the one it builds on; base.html extends nothing"))
    return problems


def render_problem(error: Exception, templates: Path, root: Path) -> Problem | None:
    """Turn an error raised while rendering into a problem at the template line that raised it.

    Jinja2's own errors always are one. Any other exception (`{{ 1 // 0 }}`, `{{ title + 1 }}`,
    templates including each other without end) is one when a template was running as it was
    raised; otherwise it is None, and the caller lets the engine's own bug surface as one.
    """
    frames = [f for f in traceback.extract_tb(error.__traceback__) if _inside(Path(f.filename), templates)]
    if isinstance(error, jinja2.TemplateError):
        message = f"template error: {error.message or type(error).__name__}"
        if isinstance(error, jinja2.TemplateNotFound):
            return Problem(_shown(templates, root), 1, 1, f"template `{error.name}` not found",
                           "every page type needs its template in templates/; restore it from the repository")
    elif not frames:
        return None
    elif isinstance(error, RecursionError):
        message = "template error: templates include or extend each other without end"
        # Extends circles are found before rendering, so the circle goes through an include or an
        # import: the innermost one is the line to point at.
        # An `include` is preferred: where the stack ran out may be a macro import inside the circle.
        frames = ([f for f in frames[-100:] if _ONLY_INCLUDE.search(f.line or "")]
                  or [f for f in frames[-100:] if _INCLUDE.search(f.line or "")] or frames)
    else:
        message = f"template error: {error} ({type(error).__name__})"
    if frames:
        return _at(Path(frames[-1].filename), root, frames[-1].lineno or 1, message)
    return Problem(_shown(templates, root), 1, 1, message)


def _at(path: Path, root: Path, line: int, message: str, hint: str | None = None) -> Problem:
    source = SourceFile(path, _shown(path, root), path.read_text("utf-8", "replace"))
    return source.problem(line, 1, message, hint)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except (ValueError, OSError):
        return False


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
