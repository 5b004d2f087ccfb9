"""The build pipeline: load everything, check everything, then (only then) render and write."""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

import jinja2

from fitfocus.incremental.cache import MarkdownCache, read_cache, write_cache
from fitfocus.config import Config, load_config
from fitfocus.content.library import Library, index_library
from fitfocus.content.loader import load_content
from fitfocus.incremental.memo import Memo
from fitfocus.pages.plan import PagePlan, plan_pages
from fitfocus.content.model import Content
from fitfocus.problems import BuildFailed, Problem
from fitfocus.build.render import Renderer, page_keys, render_pages
from fitfocus.pages.urls import output_file
from fitfocus.build.templates import check_templates, render_problem
from fitfocus.content.validate import check
from fitfocus.build.write import MARKER, Staging, check_output, update_in_place


@dataclass(frozen=True)
class Options:
    """What one run is asked to do."""

    root: Path
    out: Path
    templates: Path
    today: datetime.date
    base_url: str | None = None
    drafts: bool = False
    future: bool = False
    cache: Path | None = None  # the cache folder; None builds without one
    workers: int = 1  # processes for rendering


def load_site(options: Options) -> Library:
    """Load and check every file; raise BuildFailed with all problems, or return the library."""
    return _load(options)[0]


def _load(options: Options) -> tuple[Library, dict, dict]:
    """The library, the records cache entries of this run, and the stored ones (see store_records)."""
    stored = read_cache(options.cache, "records")
    loaded = load_files(options, cached_records(options.cache, stored))
    return checked_library(options, loaded), loaded.records, stored


def cached_records(cache: Path | None, stored: dict | None = None) -> dict:
    """The records cache entries of the last run: the stored ones, updated by the recent ones."""
    stored = read_cache(cache, "records") if stored is None else stored
    recent = read_cache(cache, "records-recent")
    return {name: entry for name, entry in {**stored, **recent}.items() if entry is not None}


# Entries changed since the records cache was last written whole, past which it is written whole again.
RECENT_RECORDS = 64


def store_records(cache: Path | None, records: dict, stored: dict) -> None:
    """Keep this run's records: the entries that differ from the stored ones go to a small second
    file (None for a file gone), so editing one post does not rewrite the records of all."""
    def stamp(entry: object) -> tuple:
        return getattr(entry, "key", None), getattr(entry, "stamp", None)

    recent: dict = {name: entry for name, entry in records.items() if stamp(entry) != stamp(stored.get(name))}
    recent.update((name, None) for name in stored if name not in records)
    if len(recent) > RECENT_RECORDS:
        write_cache(cache, "records", records)
        recent = {}
    known = read_cache(cache, "records-recent")
    if {name: stamp(entry) for name, entry in recent.items()} != {name: stamp(entry) for name, entry in known.items()}:
        write_cache(cache, "records-recent", recent)


@dataclass(frozen=True)
class LoadedFiles:
    """Every file read, before anything is checked."""

    config: Config
    content: Content
    problems: list[Problem]
    records: dict  # the records cache entries of this run


def load_files(options: Options, previous: dict, changed: frozenset[str] | None = None) -> LoadedFiles:
    """Read the settings and every file, reusing `previous` records of unchanged files (see
    loader.load_content for `changed`).

    Raises BuildFailed when the settings have problems: nothing else can be read reliably.
    """
    config, problems = load_config(options.root, options.base_url)
    if problems:
        raise BuildFailed(problems)
    content, problems, records = load_content(config, options.today, previous, changed)
    return LoadedFiles(config, content, problems, records)


def checked_library(options: Options, loaded: LoadedFiles, templates_checked: bool = False,
                    memo: Memo | None = None) -> Library:
    """Index what was loaded and check every reference; raise BuildFailed with every problem."""
    library = index_library(loaded.content, loaded.config, drafts=options.drafts, future=options.future, memo=memo)
    problems = loaded.problems + check(loaded.content, library, memo)
    if not templates_checked:
        problems += check_templates(options.templates, options.root)
    if problems:
        raise BuildFailed(problems)
    return library


def build_site(options: Options) -> Library:
    """Build the whole site into `options.out`; on any problem raise BuildFailed and write nothing.

    When the output is the one the last build wrote, only the pages whose inputs changed are
    rendered, and they (and changed static files) are moved into it one by one; otherwise the site
    is written to a new folder that replaces the output at the end.
    """
    library, records, stored_records = _load(options)
    output_problems = check_output(options.out, options.root)
    if output_problems:
        raise BuildFailed(output_problems)
    plans = plan_pages(library)
    template_use = read_cache(options.cache, "templates")
    known_use = dict(template_use)
    keys = page_keys(plans, library, options.templates, known=known_use)
    previous = read_cache(options.cache, "pages")
    out = options.out.resolve()
    # The folder the last build wrote, not one another build (say with --no-cache) put in its place.
    intact = previous.get("out") == str(out) and previous.get("marker") == _stamp(out / MARKER) != _NO_FILE
    stored_pages: dict[str, tuple[str, int, int]] = previous.get("pages", {}) if intact else {}
    # site path -> (stamp of the source, stamp of the copy in `out`)
    stored_copies: dict[str, tuple[tuple[int, int], tuple[int, int]]] = previous.get("copies", {}) if intact else {}
    reused = _unchanged_pages(out, stored_pages, keys)
    fresh = [p for p in plans if output_file(p.path) not in reused]
    markdown = markdown_cache(options)
    copies = site_copies(options)
    renderer = Renderer(options.templates, options.cache / "compiled" if options.cache else None)
    staging = render_staged(fresh, library, options, markdown, renderer)
    try:
        if intact:
            removed = [name for name in {**stored_pages, **stored_copies} if name not in keys and name not in copies]
            changed_copies = {name: source for name, source in copies.items()
                              if stored_copies.get(name) != (_stamp(source), _stamp(out / name))}
            update_in_place(out, staging, [output_file(p.path) for p in fresh], changed_copies, removed)
            stamps = {name: stored_pages[name] for name in reused}
            stamps.update(_stamps(out, {output_file(p.path): keys[output_file(p.path)] for p in fresh}))
        else:
            for name, source in copies.items():
                staging.copy(name, source)
            staging.finish()
            stamps = _stamps(out, keys)
    except BaseException:
        staging.discard()
        raise
    # The cache is written only after a successful build (a failed one changes nothing at all),
    # and only the parts that changed.
    store_records(options.cache, records, stored_records)
    copy_stamps = {name: (_stamp(source), _stamp(out / name)) for name, source in copies.items()}
    pages = {"out": str(out), "marker": _stamp(out / MARKER), "pages": stamps, "copies": copy_stamps}
    if pages != previous:
        write_cache(options.cache, "pages", pages)
    if known_use.keys() != template_use.keys():
        write_cache(options.cache, "templates", known_use)
    if fresh:
        markdown.prune(keep=2 * len(plans) + 100)
    return library


def render_staged(plans: list[PagePlan], library: Library, options: Options, markdown: MarkdownCache,
                  renderer: Renderer) -> Staging:
    """`plans` rendered into a new staging folder beside the output; on a template error the folder
    is removed and BuildFailed raised with the problem at the template's line."""
    staging = Staging(options.out)
    try:
        render_pages(plans, library, options.templates, staging.write, markdown, options.workers, renderer)
    except jinja2.TemplateError as error:
        staging.discard()
        raise BuildFailed([render_problem(error, options.templates, options.root)]) from None
    except BaseException:
        staging.discard()
        raise
    return staging


def _unchanged_pages(out: Path, stored: dict[str, tuple[str, int, int]], keys: dict[str, str]) -> dict[str, str]:
    """Pages whose inputs are unchanged since the last build and whose file in `out` is untouched."""
    unchanged: dict[str, str] = {}
    folder = str(out)
    for name, key in keys.items():
        entry = stored.get(name)
        if entry is None or entry[0] != key:
            continue
        path = os.path.join(folder, name)
        try:
            stat = os.stat(path)
        except OSError:
            continue
        if (stat.st_size, stat.st_mtime_ns) == entry[1:]:
            unchanged[name] = path
    return unchanged


def _stamps(out: Path, keys: dict[str, str]) -> dict[str, tuple[str, int, int]]:
    stamps = {}
    folder = str(out)
    for name, key in keys.items():
        stat = os.stat(os.path.join(folder, name))
        stamps[name] = (key, stat.st_size, stat.st_mtime_ns)
    return stamps


_NO_FILE = (-1, -1, -1, -1)


def _stamp(path: Path) -> tuple[int, int, int, int]:
    """What tells a file changed: its mtime, ctime, size and inode."""
    try:
        stat = path.stat()
    except OSError:
        return _NO_FILE
    return stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino


def markdown_cache(options: Options) -> MarkdownCache:
    """Where rendered Markdown bodies are kept: the cache folder's `markdown/`, or memory without one."""
    return MarkdownCache(options.cache / "markdown" if options.cache else None)


def site_copies(options: Options) -> dict[str, Path]:
    """Static files from templates/static/ and media from content/media/, by site path."""
    copies: dict[str, Path] = {}
    for folder, prefix in ((options.templates / "static", "static/"), (options.root / "content" / "media", "media/")):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if path.is_file() and not path.name.startswith("."):
                copies[prefix + path.relative_to(folder).as_posix()] = path
    return copies
