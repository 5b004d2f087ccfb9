"""Rendering: planned pages through Jinja2 (autoescaped), Markdown bodies through Python-Markdown."""

from __future__ import annotations

import datetime
import multiprocessing
import os
from dataclasses import dataclass
import traceback
from collections import OrderedDict
from functools import lru_cache
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Callable

import jinja2
import jinja2.meta
from markupsafe import Markup

from fitfocus.incremental.cache import MarkdownCache, digest, engine_fingerprint
from fitfocus.pages.feeds import absolute_links
from fitfocus.content.library import Library, slugify
from fitfocus.build.markup import MarkdownRenderer
from fitfocus.incremental.memo import Memory
from fitfocus.content.model import Exercise, Page, Post, format_seconds, title_case
from fitfocus.pages.plan import Later, PagePlan, facet_values
from fitfocus.pages.urls import Urls, card_path, exercise_path, output_file, post_path


def make_environment(templates: Path, library: Library,
                     compiled: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """A Jinja2 environment over `templates/`, autoescaping, strict about undefined names."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
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
        absolute_links=absolute_links,
    )
    return env


class _CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled to Python code, in memory, by name; Jinja2 compiles again when a source changes."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # ignored by Jinja2 if the source's checksum differs

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


class Renderer:
    """Compiled templates and a Markdown converter, kept from one build to the next by the dev server.

    Each call of `render` makes a new environment for its library (imported macros hold on to
    the globals they were first imported with), from templates compiled once.
    """

    def __init__(self, templates: Path, compiled: Path | None = None) -> None:
        self.templates = templates
        self.markdown = MarkdownRenderer()
        # Compiled templates are kept in memory, and in the `compiled` folder when one is given (and
        # writable), so the next build need not compile them again.
        self._compiled: jinja2.BytecodeCache = _CompiledTemplates()
        if compiled is not None:
            try:
                compiled.mkdir(parents=True, exist_ok=True)
                if os.access(compiled, os.W_OK):
                    # Named for the engine too: its settings (trim_blocks and the rest) shape the code.
                    self._compiled = jinja2.FileSystemBytecodeCache(
                        str(compiled), pattern=f"{engine_fingerprint()[:16]}-%s.cache")
            except OSError:
                pass
        self._recent: OrderedDict[tuple[str, ...], str] = OrderedDict()  # bodies rendered lately (see _BodyRenderer)

    def render(self, plans: list[PagePlan], library: Library, sink: Sink, markdown: MarkdownCache) -> None:
        """Render `plans` into `sink`, with bodies from (and new ones into) `markdown`."""
        env = make_environment(self.templates, library, self._compiled)
        # What a body's HTML depends on besides its own file and routines: settings, templates, link targets.
        around = digest(repr(library.config), _links_digest(library),
                        *(part for name, text in _template_sources(self.templates) for part in (name, text)))
        bodies = _BodyRenderer(library, env, markdown, self.markdown, self._recent, around)
        env.globals["body_html"] = bodies.html
        for plan in plans:
            template = env.get_template(plan.template)
            context = {name: value.compute() if isinstance(value, Later) else value for name, value in plan.context.items()}
            sink(output_file(plan.path), template.render(path=plan.path, **context).encode("utf-8"))


# Where rendered pages go: (output file path, bytes). Called in whichever process rendered them.
Sink = Callable[[str, bytes], None]

# Below this many pages a second process costs more than it saves.
PARALLEL_MIN_PAGES = 400


def render_pages(plans: list[PagePlan], library: Library, templates: Path, sink: Sink,
                 markdown: MarkdownCache | None = None, workers: int = 1, renderer: Renderer | None = None) -> None:
    """Render every planned page into `sink`, taking bodies from and adding them to the `markdown` cache.

    With `workers` > 1, pages are shared out to that many processes (forked, writing into `sink`
    themselves). The output is byte-identical whatever the number of workers. A `renderer` kept
    from the last build saves compiling the templates again.
    """
    markdown = markdown or MarkdownCache(None)
    renderer = renderer or Renderer(templates)
    if workers > 1 and len(plans) >= PARALLEL_MIN_PAGES and "fork" in multiprocessing.get_all_start_methods():
        _render_in_processes(plans, library, renderer, sink, markdown, workers)
    else:
        renderer.render(plans, library, sink, markdown)


def _render_in_processes(plans: list[PagePlan], library: Library, renderer: Renderer, sink: Sink,
                         markdown: MarkdownCache, workers: int) -> None:
    # Forked workers inherit the library as it is: nothing is pickled on the way in, and they
    # write pages and Markdown bodies to disk themselves, so nothing but a status comes back.
    context = multiprocessing.get_context("fork")
    chunks = [plans[index::workers] for index in range(workers)]
    running = []
    for chunk in chunks[1:]:
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_render_worker, args=(chunk, library, renderer, sink, markdown, sender))
        process.start()
        sender.close()
        running.append((chunk, receiver, process))
    renderer.render(chunks[0], library, sink, markdown)
    for chunk, receiver, process in running:
        status, payload = receiver.recv()
        process.join()
        if status == "template-error":
            # Render that share here to raise the same error with a traceback into the template.
            renderer.render(chunk, library, sink, markdown)
        elif status != "ok":
            raise RuntimeError(f"a render worker failed:\n{payload}")


def _render_worker(chunk: list[PagePlan], library: Library, renderer: Renderer, sink: Sink, markdown: MarkdownCache,
                   sender: Connection) -> None:
    try:
        renderer.render(chunk, library, sink, markdown)
        sender.send(("ok", None))
    except jinja2.TemplateError:
        sender.send(("template-error", None))
    except BaseException:  # a bug: hand its traceback to the parent, which raises it
        sender.send(("bug", traceback.format_exc()))
    finally:
        sender.close()


def page_keys(plans: list[PagePlan], library: Library, templates: Path, memory: Memory | None = None,
              known: dict | None = None) -> dict[str, str]:
    """For each output file, a hash of everything its page is rendered from (see PageKeys)."""
    key = PageKeys(library, templates, memory or Memory(), known).key
    return {output_file(plan.path): key(plan) for plan in plans}


class PageKeys:
    """Keys of pages: a hash of everything a page is rendered from.

    That is: the templates its template extends, includes and imports (a template edit
    re-renders only the pages that use it), the settings, the page's own records (its context),
    whatever part of `library` the templates read, and, for pages that show Markdown bodies,
    everything a link can resolve to. `memory` may hold what the last build hashed.
    """

    def __init__(self, library: Library, templates: Path, memory: Memory, known: dict | None = None) -> None:
        """`known` maps a hash of the templates to what they read (parsing them all is slow); it
        gets this run's entry, so that a cache can keep it for the next process."""
        self._of, self._remember = memory.fingerprints.of, memory.values.get
        sources = _template_sources(templates)
        sources_key = digest(*(part for name, text in sources for part in (name, text)))
        use = (known or {}).get(sources_key)
        if not isinstance(use, _TemplateUse):
            use = _template_use(sources)
            if known is not None:
                known.clear()
                known[sources_key] = use
        library_read = library if use.library is None else tuple((name, getattr(library, name, None))
                                                                 for name in use.library)
        shared = digest(self._of(library.config), self._of(library_read))
        links = _links_digest(library)
        texts = dict(sources)
        self._by_template = {name: digest(shared, links if bodies else "",
                                          *(part for each in used for part in (each, texts[each])))
                             for name, (used, bodies) in use.templates.items()}
        self._everything = digest(shared, links, sources_key)

    def key(self, plan: PagePlan) -> str:
        """The key of the page `plan` makes (one planned by the last build is known already)."""
        parts = (self._by_template.get(plan.template, self._everything), self._of(plan))
        return self._remember(parts, lambda: digest(*parts))


def templates_read_posts(templates: Path) -> bool:
    """Whether a template reaches posts through `library` (not only through its page's records),
    so that any page may show any part of any post."""
    read = _template_use(_template_sources(templates)).library
    return read is None or bool({"posts", "posts_by_slug", "backlinks", "series", "tags"} & set(read))


def _template_sources(templates: Path) -> tuple[tuple[str, bytes], ...]:
    """Every template (static files aside) by name, with its bytes."""
    return tuple((path.relative_to(templates).as_posix(), path.read_bytes())
                 for path in sorted(templates.rglob("*"))
                 if path.is_file() and "static" not in path.relative_to(templates).parts[:1])


@dataclass(frozen=True)
class _TemplateUse:
    """What rendering with each template reads, found in the templates' syntax trees."""

    library: tuple[str, ...] | None  # the attributes of `library` read; None when it is passed around whole
    templates: dict[str, tuple[tuple[str, ...], bool]]  # template -> (every template it renders with, shows bodies)


ROUTINE_TEMPLATE = "_routine.html"  # rendered by `body_html` for each routine in a body


@lru_cache(maxsize=4)  # parsing every template is slow; a rebuild mostly sees the same ones
def _template_use(sources: tuple[tuple[str, bytes], ...]) -> _TemplateUse:
    env = jinja2.Environment()
    trees = {name: env.parse(text.decode("utf-8", "replace")) for name, text in sources}
    library: set[str] | None = set()
    direct: dict[str, set[str] | None] = {}
    bodies: dict[str, bool] = {}
    for name, tree in trees.items():
        read = [node for node in tree.find_all(jinja2.nodes.Getattr)
                if isinstance(node.node, jinja2.nodes.Name) and node.node.name == "library"]
        uses = [node for node in tree.find_all(jinja2.nodes.Name) if node.name == "library"]
        if library is not None:
            library = None if len(uses) > len(read) else library | {node.attr for node in read}
        referenced = list(jinja2.meta.find_referenced_templates(tree))
        direct[name] = None if None in referenced else {str(each) for each in referenced}
        bodies[name] = any(node.name == "body_html" for node in tree.find_all(jinja2.nodes.Name))

    def closure(start: str) -> set[str]:
        found, waiting = set(), [start]
        while waiting:
            name = waiting.pop()
            if name in found or name not in trees:
                continue
            found.add(name)
            following = direct[name]
            if following is None:  # a template chosen at render time: it may be any of them
                return set(trees)
            waiting.extend(following)
        return found

    templates = {}
    for name in trees:
        used = closure(name)
        shows_bodies = any(bodies[each] for each in used)
        if shows_bodies:
            used |= closure(ROUTINE_TEMPLATE)
        templates[name] = (tuple(sorted(used)), shows_bodies)
    return _TemplateUse(None if library is None else tuple(sorted(library)), templates)


def _links_digest(library: Library) -> str:
    """Everything `exercise:` and `post:` links can resolve to."""
    return digest(library.config.base_url, repr(sorted(library.names.items())), repr(sorted(library.posts_by_slug)))


# Bodies kept in memory by a renderer: a feed's posts, and the post last edited, are rendered
# again and again by the dev server.
RECENT_BODIES = 256


class _BodyRenderer:
    """Markdown bodies to HTML, with routine tables in place.

    A body's HTML is cached under a hash of its text, its routine tables and everything links in it
    can resolve to (the base URL, every exercise name and every post slug). The last few hundred
    are also kept in memory under the keys of their file and routines, and a hash (`around`) of
    the settings, the templates and every link target.
    """

    def __init__(self, library: Library, env: jinja2.Environment, cache: MarkdownCache,
                 markdown: MarkdownRenderer, recent: OrderedDict[tuple[str, ...], str], around: str) -> None:
        self._library = library
        self._env = env
        self._urls = Urls(library.config.base_url)
        self._markdown = markdown
        self._cache = cache
        self._links = _links_digest(library)
        self._recent = recent
        self._around = around

    def html(self, record: Post | Exercise | Page, workouts: tuple[Any, ...] = ()) -> Markup:
        """The body of `record` as HTML, with `workouts` rendered in place of its routine blocks."""
        recent_key = (self._around, record.key, *(w.key for w in workouts))
        if not all(recent_key):
            recent_key = ()  # a record not read from a file: not kept
        html = self._recent.get(recent_key) if recent_key else None
        if html is None:
            routine = self._env.get_template(ROUTINE_TEMPLATE)
            tables = [routine.render(workout=w, post=record) for w in workouts]
            key = digest(self._links, record.body.text, *tables)
            html = self._cache.get(key)
            if html is None:
                html = self._markdown.render(record.body, self._resolve, tables)
                self._cache.put(key, html)
            if recent_key:
                self._recent[recent_key] = html
                if len(self._recent) > RECENT_BODIES:
                    self._recent.popitem(last=False)
        else:
            self._recent.move_to_end(recent_key)
        return Markup(html)

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

