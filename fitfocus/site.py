"""The build pipeline: load everything, check everything, then (only then) render and write."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .config import load_config
from .library import Library, index_library
from .loader import load_content
from .plan import plan_pages
from .problems import BuildFailed
from .render import render_pages
from .theme import check_templates, render_problem
from .validate import check
from .write import check_output, write_site


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


def load_site(options: Options) -> Library:
    """Load and check every file; raise BuildFailed with all problems, or return the library."""
    config, problems = load_config(options.root, options.base_url)
    if problems:
        raise BuildFailed(problems)  # without settings nothing else can be checked reliably
    content, problems = load_content(config, options.today)
    library = index_library(content, config, drafts=options.drafts, future=options.future)
    problems += check(content, library)
    problems += check_templates(options.templates, options.root)
    if problems:
        raise BuildFailed(problems)
    return library


def build_site(options: Options) -> Library:
    """Build the whole site into `options.out`; on any problem raise BuildFailed and write nothing."""
    library = load_site(options)
    output_problems = check_output(options.out, options.root)
    if output_problems:
        raise BuildFailed(output_problems)
    try:
        files = render_pages(plan_pages(library), library, options.templates)
    except jinja2.TemplateError as error:
        raise BuildFailed([render_problem(error, options.templates, options.root)]) from None
    write_site(files, _copies(options), options.out)
    return library


def _copies(options: Options) -> dict[str, Path]:
    """Static files from templates/static/ and media from content/media/, by site path."""
    copies: dict[str, Path] = {}
    for folder, prefix in ((options.templates / "static", "static/"), (options.root / "content" / "media", "media/")):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if path.is_file() and not path.name.startswith("."):
                copies[prefix + path.relative_to(folder).as_posix()] = path
    return copies
