"""Rendering: planned pages through Jinja2 (autoescaped), Markdown bodies through Python-Markdown,
in one process or shared out to several."""

from __future__ import annotations

import ctypes
import hashlib
import signal
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Protocol
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from fitfocus.build.markup import MarkdownRenderer
from fitfocus.build.templates import ROUTINE_TEMPLATE, TemplateFiles, make_environment
from fitfocus.content.library import Library
from fitfocus.content.links import media_name
from fitfocus.content.model import Body, Exercise, Page, Post
from fitfocus.pages.pictures import picture_parts
from fitfocus.pages.plan import Later, PagePlan
from fitfocus.pages.urls import Urls, exercise_path, output_file, post_path

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

# Where rendered pages go: (output file path, bytes). Called in whichever process rendered them.
Sink = Callable[[str, bytes], None]

# A picture in a body is as wide as the text column at most.
BODY_SIZES = "(min-width: 46rem) 42rem, calc(100vw - 2.2rem)"

# Below this many pages a second process costs more than it saves.
PARALLEL_MIN_PAGES = 400


class BodyStore(Protocol):
    """Where rendered bodies may be kept, at two depths. `html` returns the body of `record` shown
    with `workouts`, calling `render()` only when it does not know it already; `markdown` returns
    the Markdown of a body (with a marker where each routine table goes) under `key`, the hash of
    its text and everything its links can resolve to, calling `render()` only when it must. The
    build cache is one (fitfocus/incremental/bodies.py); `MemoryBodies` keeps them for one run."""

    def html(self, record: object, workouts: tuple[Any, ...], render: Callable[[], str]) -> str:
        """A body's HTML."""

    def markdown(self, key: str, render: Callable[[], str]) -> str:
        """A body's Markdown converted, routine tables left as markers."""

    def flush(self) -> None:
        """Store what this process converted, where the next build (or another process) finds it."""


class MemoryBodies:
    """Converted Markdown kept for one run (the feeds show the bodies the posts do)."""

    def __init__(self) -> None:
        self._markdown: dict[str, str] = {}

    def html(self, record: object, workouts: tuple[Any, ...], render: Callable[[], str]) -> str:
        """The body's HTML, made now."""
        return render()

    def markdown(self, key: str, render: Callable[[], str]) -> str:
        """The converted Markdown under `key`, converted the first time it is asked for."""
        known = self._markdown.get(key)
        if known is None:
            known = self._markdown[key] = render()
        return known

    def flush(self) -> None:
        """Nothing to store: the bodies last as long as this run."""


class Renderer:
    """Templates (compiled once, in `compiled` when given) and a Markdown converter.

    Each call of `render` makes a new environment for its library (imported macros hold on to
    the globals they were first imported with).
    """

    def __init__(self, templates: Path, compiled: jinja2.BytecodeCache | None = None) -> None:
        self.templates = templates
        self.markdown = MarkdownRenderer()
        self._compiled = compiled

    def render(self, plans: list[PagePlan], library: Library, files: TemplateFiles, sink: Sink,
               bodies: BodyStore) -> None:
        """Render `plans` into `sink` with the template `files` (as the build read them, once), and
        Markdown bodies from (and new ones into) `bodies`."""
        env = make_environment(self.templates, files, library, self._compiled)
        env.globals["body_html"] = _BodyRenderer(library, env, bodies, self.markdown).html
        for plan in plans:
            template = env.get_template(plan.template)
            context = {name: value.compute() if isinstance(value, Later) else value for name, value in plan.context.items()}
            sink(output_file(plan.path), template.render(path=plan.path, **context).encode("utf-8"))
        bodies.flush()


def render_pages(plans: list[PagePlan], library: Library, files: TemplateFiles, sink: Sink, renderer: Renderer,
                 bodies: BodyStore | None = None, workers: int = 1) -> None:
    """Render every planned page into `sink`.

    With `workers` > 1, pages are shared out by their estimated cost to that many processes
    (forked, writing into `sink` themselves). The output is byte-identical whatever the number of
    workers. Template errors are raised as jinja2.TemplateError, from this process.
    """
    bodies = bodies if bodies is not None else MemoryBodies()
    if workers > 1 and len(plans) >= PARALLEL_MIN_PAGES and _can_fork():
        _render_in_processes(plans, library, files, renderer, sink, bodies, workers)
    else:
        renderer.render(plans, library, files, sink, bodies)


def _can_fork() -> bool:
    import multiprocessing  # here: a build that renders a few pages in this process never needs it

    return "fork" in multiprocessing.get_all_start_methods()


def share_by_cost(plans: list[PagePlan], workers: int) -> list[list[PagePlan]]:
    """`plans` in `workers` shares of about equal cost (`page_cost`), each share in the plans' order."""
    shares: list[list[tuple[int, PagePlan]]] = [[] for _ in range(workers)]
    totals = [0.0] * workers
    costs = [page_cost(plan) for plan in plans]
    # The dearest first, each to the share that costs least so far: the shares end within one page
    # of each other, whatever order the planner put the kinds of page in.
    for index in sorted(range(len(plans)), key=lambda i: -costs[i]):
        least = totals.index(min(totals))
        shares[least].append((index, plans[index]))
        totals[least] += costs[index]
    return [[plan for _, plan in sorted(share, key=lambda pair: pair[0])] for share in shares]


# What a page costs to render, in about milliseconds (from timing each kind of page of a generated
# blog; only the proportions matter): a page's own work, then per thousand characters of Markdown it
# converts, per routine item a post's tables, a workout-mode page and a card show, and per post or
# other entry a listing shows.
_PAGE = 1.5
_PER_1000_CHARACTERS = 2.0
_PER_TABLE_ITEM = 0.2
_PER_SHOWN_ITEM = {"mode": 0.9, "card": 0.4}
_PER_TEASER, _PER_HOME_TEASER, _PER_LISTED = 0.1, 0.5, 0.05
# A feed shows the bodies its posts' pages converted; in this process or in the body store most are
# there already, the others it converts again.
_PER_FEED_ENTRY, _PER_1000_FEED_CHARACTERS = 0.3, 1.0


def page_cost(plan: PagePlan) -> float:
    """About how long `plan` takes to render, from what it shows (see the weights above)."""
    context = plan.context
    cost = _PAGE
    record = context.get("post") or context.get("exercise") or context.get("page")
    body = getattr(record, "body", None)
    if body is not None:
        cost += _PER_1000_CHARACTERS * len(body.text) / 1000
    cost += _PER_TABLE_ITEM * sum(len(workout.routine.items) for workout in context.get("workouts") or ())
    for name, per_item in _PER_SHOWN_ITEM.items():
        shown = context.get(name)
        if shown is not None:
            cost += per_item * len(shown.workout.routine.items)
    feed = context.get("feed")
    if feed is not None:
        cost += sum(_PER_FEED_ENTRY + _PER_1000_FEED_CHARACTERS * len(entry.post.body.text) / 1000
                    for entry in feed.entries)
    teasers = context.get("posts")
    if isinstance(teasers, tuple):
        cost += len(teasers) * (_PER_HOME_TEASER if "page_number" in context else _PER_TEASER)
    for name in ("cards", "exercises", "tags", "urls"):
        listed = context.get(name)
        if isinstance(listed, (tuple, list)):
            cost += _PER_LISTED * len(listed)
    return cost


def _render_in_processes(plans: list[PagePlan], library: Library, files: TemplateFiles, renderer: Renderer,
                         sink: Sink, bodies: BodyStore, workers: int) -> None:
    # Forked workers inherit the library as it is: nothing is pickled on the way in, and they
    # write pages (and Markdown bodies, to a cache on disk) themselves, so only a status comes back.
    import multiprocessing

    context = multiprocessing.get_context("fork")
    shares = share_by_cost(plans, workers)
    running = []
    for share in shares[1:]:
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_render_worker, args=(share, library, files, renderer, sink, bodies, sender))
        process.start()
        sender.close()
        running.append((share, receiver, process))
    try:
        renderer.render(shares[0], library, files, sink, bodies)
    except BaseException:
        for _, _, process in running:
            process.kill()
            process.join()
        raise
    for share, receiver, process in running:
        try:
            status, payload = receiver.recv()
        except EOFError:
            status, payload = "bug", "a render process ended without a word"
        process.join()
        if status == "template-error":
            # Render that share here to raise the same error with a traceback into the template.
            renderer.render(share, library, files, sink, bodies)
        elif status != "ok":
            raise RuntimeError(f"a render worker failed:\n{payload}")


def _render_worker(share: list[PagePlan], library: Library, files: TemplateFiles, renderer: Renderer, sink: Sink,
                   bodies: BodyStore, sender: Connection) -> None:
    die_with_parent()
    try:
        renderer.render(share, library, files, sink, bodies)
        sender.send(("ok", None))
    except jinja2.TemplateError:
        sender.send(("template-error", None))
    except Exception:  # noqa: BLE001 (any error a template raised) the parent renders the share again to report it
        sender.send(("template-error", traceback.format_exc()))
    except BaseException:  # a bug: hand its traceback to the parent, which raises it
        sender.send(("bug", traceback.format_exc()))
    finally:
        sender.close()


def die_with_parent() -> None:
    """Ask Linux to kill this process when the build that forked it dies (even by SIGKILL)."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


class _BodyRenderer:
    """Markdown bodies to HTML, with routine tables in place, through the `BodyStore`."""

    def __init__(self, library: Library, env: jinja2.Environment, bodies: BodyStore,
                 markdown: MarkdownRenderer) -> None:
        self._library = library
        self._env = env
        self._urls = Urls(library.config.base_url)
        self._markdown = markdown
        self._bodies = bodies
        self._links = links_digest(library)

    def html(self, record: Post | Exercise | Page, workouts: tuple[Any, ...] = ()) -> Markup:
        """The body of `record` as HTML, with `workouts` rendered in place of its routine blocks."""
        return Markup(self._bodies.html(record, workouts, lambda: self._render(record, workouts)))

    def _render(self, record: Post | Exercise | Page, workouts: tuple[Any, ...]) -> str:
        routine = self._env.get_template(ROUTINE_TEMPLATE)
        tables = [routine.render(workout=w, post=record) for w in workouts]
        markers = [f"<!--fitfocus-routine-{number}-->" for number in range(len(tables))]
        if any(marker in record.body.text for marker in markers):  # an author wrote one: no markers
            return self._markdown.render(record.body, self._resolve, tables, self._picture)
        # Markdown keeps stashed HTML as it is, so a marker in the table's place is replaced by the
        # table afterwards, and the converted text is kept apart from tables that may change.
        html = self._bodies.markdown(_digest(self._links, record.body.text, self._pictures_of(record.body), *markers),
                                     lambda: self._markdown.render(record.body, self._resolve, markers,
                                                                   self._picture))
        for marker, table in zip(markers, tables):
            html = html.replace(marker, table, 1)
        return html.strip()  # as Python-Markdown strips what it converts, tables included

    def _pictures_of(self, body: Body) -> str:
        """The published sizes of the pictures `body` shows: what its converted Markdown depends on
        besides its text and its links (another picture changing leaves it as it is)."""
        names = sorted({media_name(image.src) for image in body.images})
        return repr([(name, self._library.pictures.get(name)) for name in names])

    def _picture(self, name: str) -> tuple[list[dict[str, str]], dict[str, str]] | None:
        """What makes a body's `media/` image responsive: `<source>` and `<img>` attributes."""
        picture = self._library.pictures.get(name)
        if picture is None or picture.width is None:
            return None
        if not picture.widths:
            return [], {"width": str(picture.width), "height": str(picture.height)}
        return picture_parts(picture, lambda path: self._urls.href(quote(path, safe="/")), BODY_SIZES)

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


def links_digest(library: Library) -> str:
    """A hash of everything `exercise:`, `post:` and `media/` links in a body can resolve to (the
    pictures a body shows are keyed with the body itself)."""
    return _digest(library.config.base_url, repr(sorted(library.names.items())), repr(sorted(library.posts_by_slug)))


def _digest(*parts: str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()
