"""The build pipeline, the one way `build`, `check` and `serve` make a site:
settings → load → index and check → plan → key → render → write → remember.

Nothing touches the output until loading and checking found no problem; the output is switched
to the new site in one step at the end (build/write.py). What the last build worked out comes in
as a `BuildState` (fitfocus/incremental/): the stages themselves know nothing of it.
"""

from __future__ import annotations

import datetime
import os
import shutil
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import jinja2

from fitfocus.build.images import Pictures, make_pictures, scratch_folder
from fitfocus.build.render import render_pages
from fitfocus.build.search import SearchPage, search_files
from fitfocus.build.templates import TemplateFiles, render_problem, static_files, template_files
from fitfocus.build.write import (SpareFilling, Staging, check_output, file_inodes, fill_spare, publish_update,
                                  publish_whole, remove_leftovers)
from fitfocus.config import Config, load_config
from fitfocus.content.library import Library, index_library
from fitfocus.content.loader import Loaded, load_content
from fitfocus.content.validate import check
from fitfocus.incremental.quick import QuickPlan, quick_plan
from fitfocus.incremental.reload import reloaded
from fitfocus.incremental.records import CachedReader
from fitfocus.incremental.state import BuildState, LastBuild
from fitfocus.pages.plan import PagePlan, plan_pages, redirect_problems
from fitfocus.pages.urls import output_file
from fitfocus.problems import BuildFailed, Problem, is_error


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
    search: bool = True  # index the site for search (when the settings ask for it)
    strict: bool = False  # warnings are errors
    # Link the spare copy of the output (see `publish_update`) right after a whole build, for a
    # caller whose next builds are edits (the preview). Otherwise the first edit makes it: a whole
    # build on a fresh clone (a deploy) is seldom followed by one, and the spare is a second tree of
    # folders, thousands of new inodes.
    spare_at_once: bool = False


@dataclass(frozen=True)
class Built:
    """What a build made: the library it published, the site files whose bytes changed, and the
    warnings it found (problems that did not stop it)."""

    library: Library
    changed: list[str]
    warnings: tuple[Problem, ...] = ()
    pictures_encoded: int = 0  # pictures whose variants were made (none when no picture changed)


def build(options: Options, state: BuildState | None = None, changed: frozenset[str] | None = None,
          write: bool = True) -> Built:
    """Build the site into `options.out` (with `write=False`, only load and check it).

    `state` is what the last build left (default: what the cache folder holds); `changed` names
    the files changed since (paths from the root), when a watcher knows them. On any problem
    raise BuildFailed with every problem, and leave the output as it was.
    """
    state = state if state is not None else BuildState.open(options.cache)
    # 1. The settings: nothing else can be read reliably without them.
    config = _settings(options)
    # 2. Every file, read once; files unchanged since the last build are not parsed again.
    reader = state.reader(changed, options.workers)
    loaded = (reloaded(state.last, config, options.today, reader, changed)
              or load_content(config, options.today, reader))
    templates = template_files(options.templates)
    # 3. Index and check everything, or, when only posts' own text changed, take the last build's
    #    library and plans with those posts put in.
    out = options.out.resolve()
    quick = quick_plan(state.last, config, loaded, templates, changed) if changed is not None else None
    if quick is not None and not state.known_keys(out):
        quick = None  # the output is not the one the last build left: write it whole
    if quick is not None and options.strict and quick.warnings:
        quick = None  # the whole pipeline fails with them, as errors
    warnings: tuple[Problem, ...] = ()
    if quick is not None:
        library, plans, warnings = quick.library, quick.plans, quick.warnings
    # 3b. Measure every picture and make the variants of changed ones (in the cache folder); a
    #     picture that cannot be read is reported with the other problems.
    scratch = scratch_folder()
    picture_folder = options.cache / "pictures" if options.cache else scratch / "kept"
    try:
        pictures = (_same_pictures(state.last, loaded, config, changed)
                    or make_pictures(options.root, loaded.content, config.image_widths, picture_folder, scratch,
                                     options.workers))
        if quick is None:
            try:
                library, warnings = _checked_library(options, config, loaded, templates, state)
            except BuildFailed as failed:
                raise BuildFailed([*failed.problems, *pictures.problems]) from None
        return _build_with_pictures(options, state, changed, write, config, reader, loaded, templates, out, quick,
                                    library, warnings, pictures)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _build_with_pictures(options: Options, state: BuildState, changed: frozenset[str] | None, write: bool,
                         config: Config, reader: CachedReader, loaded: Loaded, templates: TemplateFiles,
                         out: Path, quick: QuickPlan | None, library: Library, warnings: tuple[Problem, ...],
                         pictures: Pictures) -> Built:
    """Steps 4 to 8, once the pictures are made."""
    if pictures.problems:
        raise BuildFailed(list(pictures.problems))
    library = replace(library, pictures=pictures.pictures)
    plans = quick.plans if quick is not None else []
    if not write:
        if options.cache is not None:
            pictures.keep()  # so that the next check or build does not encode them again
        return Built(library, [], warnings, pictures.encoded)
    problems = check_output(options.out, options.root)
    if problems:
        raise BuildFailed(problems)
    # 4. Plan every page, unless the output was built from these very inputs and is untouched: then
    #    every page's key is the one it has (pages are planned and keyed from the inputs alone).
    inputs = state.site_inputs(library, templates, reader) if quick is None and not state.keep_plans else None
    as_built = state.same_site(out, inputs) if inputs is not None else None
    if quick is None and as_built is None:
        plans = plan_pages(library)
    # 5. Key every page: one whose key is the one its file was rendered with is not rendered again.
    if as_built is not None:
        keys, reused, fresh = dict(as_built), set(as_built), []
    elif quick is not None:  # the other pages are the last build's, as they are
        known = state.known_keys(out)
        changed_keys = state.page_keys(quick.changed, library, templates, reader)
        keys = {**known, **changed_keys}
        fresh = [plan for plan in quick.changed if known.get(output_file(plan.path)) != keys[output_file(plan.path)]]
        reused = keys.keys() - {output_file(plan.path) for plan in fresh}
    else:
        keys = ((state.edited_keys(out, plans, library, templates, reader) if inputs is not None else None)
                or state.page_keys(plans, library, templates, reader))
        reused = state.unchanged_pages(out, keys)
        fresh = [plan for plan in plans if output_file(plan.path) not in reused]
    # 6. Render them into a staging folder beside the output.
    remove_leftovers(out)
    try:
        staging = Staging(out)
    except OSError as error:
        raise BuildFailed([_os_problem(error, out)]) from None
    filling: SpareFilling | None = None
    try:
        _render(fresh, library, templates, options, state, staging)
        before = state.output_inodes(out)
        spare = state.spare(out)
        if spare is None and fresh and reused and before and options.cache is not None:
            filling = SpareFilling(out, before)  # the first edit after a whole build: while Pagefind runs
        # 7. Switch the output to the new site in one step.
        variants = pictures.keep()
        copies = {**static_files(options.templates), **_media_sources(options.root, loaded.content.media), **variants}
        # The pictures' variants and the search index's files are the caches', which never change
        # once made: linked, not copied (the author's own files are copied).
        linked = frozenset(variants)
        if config.search and options.search:
            index = _search_index(keys, {output_file(plan.path) for plan in fresh}, staging, out,
                                  state.search_cache(), options.workers)
            copies.update(index)
            linked |= frozenset(index)
        copy_stamps = state.copy_stamps(out, copies, _only_markdown(changed), linked)  # before copying
        unchanged_copies = state.unchanged_copies(out, copy_stamps)
        if not fresh and len(unchanged_copies) == len(copies) and before.keys() == {*keys, *copies}:
            staging.discard()  # nothing changed: nothing is written
            inodes = before
            touched: set[str] = set()
        elif reused or unchanged_copies:
            rendered = [output_file(plan.path) for plan in fresh]
            same = _same_bytes(rendered, staging, out)  # rendered again into the bytes the output has
            kept = reused | unchanged_copies | same
            if filling is not None:
                spare = filling.result()
            inodes, spare = publish_update(out, staging, [name for name in rendered if name not in same], kept,
                                           {name: source for name, source in copies.items() if name not in kept},
                                           spare, before, linked)
            touched = set(spare.stale)
        else:
            publish_whole(out, staging, copies, linked)
            inodes = file_inodes(out, [*keys, *copies])
            # Without a cache folder no later build would know what the spare holds.
            spare = fill_spare(out, inodes) if options.cache is not None and options.spare_at_once else None
            touched = inodes.keys() | before.keys()
    except jinja2.TemplateError as error:
        staging.discard()
        raise BuildFailed([_template_problem(error, options)]) from None
    except OSError as error:
        staging.discard()
        state.forget_output(out)
        raise BuildFailed([_os_problem(error, out)]) from None
    except Exception as error:
        staging.discard()
        state.forget_output(out)
        problem = render_problem(error, options.templates, options.root)
        if problem is None:  # not raised by a template: the engine's own bug, with its traceback
            raise
        raise BuildFailed([problem]) from None
    except BaseException:
        staging.discard()
        state.forget_output(out)
        raise
    finally:
        if filling is not None:
            filling.result()  # never left running past its build
    # 8. Remember what this build did, for the next one (a build that did not plan has no plans to
    #    start quick rebuilds from).
    last = (LastBuild(loaded, templates, library, plans, quick.places if quick is not None else None, pictures)
            if as_built is None else None)
    state.remember(out, reader, keys, inodes, copy_stamps, spare, last, rendered=len(fresh), inputs=inputs)
    changed_files = sorted(name for name in touched if inodes.get(name) != before.get(name))
    return Built(library, changed_files, warnings, pictures.encoded)


def _same_pictures(last: LastBuild | None, loaded: Loaded, config: Config,
                   changed: frozenset[str] | None) -> Pictures | None:
    """The last build's pictures, when the watcher saw only Markdown files change (`changed`) and
    the media files and picture widths are the ones it had: no picture can have changed."""
    if (not _only_markdown(changed) or last is None or last.pictures is None or last.pictures.problems
            or last.loaded.content.media != loaded.content.media or last.library.config.image_widths != config.image_widths):
        return None
    return replace(last.pictures, encoded=0)


@lru_cache(maxsize=2)  # the preview's rebuilds copy the same media files again and again
def _media_sources(root: Path, media: frozenset[str]) -> dict[str, Path]:
    """The media files of content/, by site path (the answer is shared: never change it)."""
    folder = root / "content"
    return {name: folder / name for name in sorted(media)}


def _only_markdown(changed: frozenset[str] | None) -> bool:
    """Whether a watcher saw only Markdown files change: then no picture, static file or other
    copied file did."""
    return changed is not None and all(name.endswith(".md") for name in changed)


def _settings(options: Options) -> Config:
    config, problems = load_config(options.root, options.base_url)
    if problems:
        raise BuildFailed(problems)
    return config


def _checked_library(options: Options, config: Config, loaded: Loaded, templates: TemplateFiles,
                     state: BuildState) -> tuple[Library, tuple[Problem, ...]]:
    """Index what was loaded and check every reference and template; return the library and the
    warnings, or raise BuildFailed with every problem when one is an error (any, with `strict`)."""
    library = index_library(loaded.content, config, drafts=options.drafts, future=options.future)
    problems = loaded.problems + check(loaded.content, library) + state.template_problems(options.templates, templates,
                                                                                          options.root)
    if options.strict:
        problems = [replace(problem, severity="error") for problem in problems]
    elif not options.drafts:
        problems = _drafts_warn(problems, loaded)
    if not any(is_error(problem) for problem in problems):
        problems += redirect_problems(library)  # they need every page's path: only a library without errors has them
    if any(is_error(problem) for problem in problems):
        raise BuildFailed(problems)
    return library, tuple(problems)


def _drafts_warn(problems: list[Problem], loaded: Loaded) -> list[Problem]:
    """A build that leaves drafts out is not stopped by them: their errors become warnings (they
    stay errors under `--drafts` and in `serve`), so a half-written draft never blocks a fix."""
    drafts = {path for path, read in loaded.files.items() if read.draft}
    return [replace(problem, severity="warning", hint=f"{problem.hint} ({_DRAFT_HINT})" if problem.hint else _DRAFT_HINT)
            if problem.path in drafts and is_error(problem) else problem for problem in problems]


_DRAFT_HINT = "this draft is left out of the build; `--drafts` and `serve` treat this as an error"


def _render(plans: list[PagePlan], library: Library, templates: TemplateFiles, options: Options, state: BuildState,
            staging: Staging) -> None:
    if not plans:
        return  # making the renderer (every template's environment) costs more than nothing to render
    renderer = state.renderer(options.templates)
    render_pages(plans, library, templates, staging.write, renderer, state.bodies, options.workers)


def _search_index(keys: dict[str, str], fresh: set[str], staging: Staging, out: Path, cache: Path,
                  workers: int) -> dict[str, Path]:
    """The search index's files: the site's HTML pages, as this build leaves them, indexed where they changed."""
    staged, published = f"{staging.folder}{os.sep}", f"{out}{os.sep}"
    pages = {name: SearchPage((staged if name in fresh else published) + name, key)
             for name, key in keys.items() if name.endswith(".html")}
    return search_files(pages, cache, workers)


def _same_bytes(rendered: list[str], staging: Staging, out: Path) -> set[str]:
    """The rendered pages whose bytes are the output's already: the output keeps its file (and time)."""
    same = set()
    for name in rendered:
        try:
            if (out / name).read_bytes() == (staging.folder / name).read_bytes():
                same.add(name)
        except OSError:
            pass
    return same


def _template_problem(error: jinja2.TemplateError, options: Options) -> Problem:
    problem = render_problem(error, options.templates, options.root)
    assert problem is not None  # Jinja2's own errors always are one
    return problem


def _os_problem(error: OSError, out: Path) -> Problem:
    where = error.filename or str(out)
    return Problem(str(where), 1, 1, f"cannot write the site: {error.strerror or error}",
                   "check that the output folder and the folder it is in are writable")
