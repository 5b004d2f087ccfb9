"""The build pipeline: load everything, check everything, then (only then) render and write."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .cache import read_cache, write_cache
from .config import load_config
from .library import Library, index_library
from .loader import load_content
from .memo import Memo
from .plan import plan_pages
from .problems import BuildFailed
from .render import page_keys, render_pages
from .urls import output_file
from .theme import check_templates, render_problem
from .validate import check
from .write import MARKER, Staging, check_output


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
    """The library, the records cache entries of this run, and those of the last run."""
    previous = read_cache(options.cache, "records")
    library, records = load_checked(options, previous)
    return library, records, previous


def load_checked(options: Options, previous: dict, templates_checked: bool = False,
                 memo: Memo | None = None) -> tuple[Library, dict]:
    """Load every file (reusing `previous` records of unchanged files) and check everything.

    Returns the library and this run's record cache entries, or raises BuildFailed with every
    problem. `templates_checked` skips parsing templates already known to be good; `memo` holds
    what the last build worked out (see Memo).
    """
    config, problems = load_config(options.root, options.base_url)
    if problems:
        raise BuildFailed(problems)  # without settings nothing else can be checked reliably
    content, problems, records = load_content(config, options.today, previous)
    library = index_library(content, config, drafts=options.drafts, future=options.future, memo=memo)
    problems += check(content, library, memo)
    if not templates_checked:
        problems += check_templates(options.templates, options.root)
    if problems:
        raise BuildFailed(problems)
    return library, records


def build_site(options: Options) -> Library:
    """Build the whole site into `options.out`; on any problem raise BuildFailed and write nothing."""
    library, records, previous_records = _load(options)
    output_problems = check_output(options.out, options.root)
    if output_problems:
        raise BuildFailed(output_problems)
    plans = plan_pages(library)
    keys = page_keys(plans, library, options.templates)
    previous_pages = read_cache(options.cache, "pages")
    reused = _unchanged_pages(options.out, previous_pages, keys)
    fresh = [p for p in plans if output_file(p.path) not in reused]
    markdown = read_cache(options.cache, "markdown") if fresh else {}  # large: read only when needed
    staging = Staging(options.out)
    try:
        used = render_pages(fresh, library, options.templates, staging.write, markdown, options.workers)
        for name, source in reused.items():
            staging.link(name, source)
        for name, source in site_copies(options).items():
            staging.copy(name, source)
        staging.finish()
    except jinja2.TemplateError as error:
        staging.discard()
        raise BuildFailed([render_problem(error, options.templates, options.root)]) from None
    except BaseException:
        staging.discard()
        raise
    # The cache is written only after a successful build (a failed one changes nothing at all),
    # and only the parts that changed.
    if {name: (entry.key, entry.stamp) for name, entry in records.items()} != {
            name: (getattr(entry, "key", None), getattr(entry, "stamp", None)) for name, entry in previous_records.items()}:
        write_cache(options.cache, "records", records)
    pages = {"out": str(options.out.resolve()), "pages": _stamps(options.out, keys)}
    if pages != previous_pages:
        write_cache(options.cache, "pages", pages)
    if fresh:
        kept = kept_markdown(used, markdown, limit=2 * len(plans) + 100)
        if kept.keys() != markdown.keys():
            write_cache(options.cache, "markdown", kept)
    return library


def _unchanged_pages(out: Path, stored: dict, keys: dict[str, str]) -> dict[str, Path]:
    """Pages whose inputs are unchanged since the last build and whose file in the output is untouched."""
    out = out.resolve()
    if stored.get("out") != str(out) or not (out / MARKER).is_file():
        return {}
    previous: dict[str, tuple[str, int, int]] = stored.get("pages", {})
    unchanged: dict[str, Path] = {}
    for name, key in keys.items():
        entry = previous.get(name)
        if entry is None or entry[0] != key:
            continue
        try:
            stat = (out / name).stat()
        except OSError:
            continue
        if (stat.st_size, stat.st_mtime_ns) == entry[1:]:
            unchanged[name] = out / name
    return unchanged


def _stamps(out: Path, keys: dict[str, str]) -> dict[str, tuple[str, int, int]]:
    stamps = {}
    for name, key in keys.items():
        stat = (out / name).stat()
        stamps[name] = (key, stat.st_size, stat.st_mtime_ns)
    return stamps


def kept_markdown(used: dict[str, str], previous: dict[str, str], limit: int) -> dict[str, str]:
    """This build's Markdown entries first, then older ones (pages reused from disk need them later)."""
    kept = dict(used)
    for key, html in previous.items():
        if len(kept) >= limit:
            break
        kept.setdefault(key, html)
    return kept


def site_copies(options: Options) -> dict[str, Path]:
    """Static files from templates/static/ and media from content/media/, by site path."""
    copies: dict[str, Path] = {}
    for folder, prefix in ((options.templates / "static", "static/"), (options.root / "content" / "media", "media/")):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if path.is_file() and not path.name.startswith("."):
                copies[prefix + path.relative_to(folder).as_posix()] = path
    return copies
