"""The command line: parse arguments, call the engine, print problems, return an exit code."""

from __future__ import annotations

import argparse
import atexit
import datetime
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable, NoReturn, TypeVar

from fitfocus.pages.urls import Urls
from fitfocus.problems import BuildFailed, format_problems
from fitfocus.content.scaffold import new_exercise, new_plan, new_post
from fitfocus.build.pipeline import Options, build
from fitfocus.content.library import Library, left_out

if TYPE_CHECKING:  # the importers are loaded only when importing
    from fitfocus.importers import free_exercise_db, wordpress

DESCRIPTION = """\
Build a workout blog from Markdown: posts in content/posts/, exercises in exercises/,
templates in templates/, settings under [tool.fitfocus] in pyproject.toml.
Run it in the blog's folder. With no command it builds the site into site/."""

CACHE_FOLDER = ".cache/fitfocus"
SEARCH_FOLDER = f"{CACHE_FOLDER}/serve-search"  # the preview's search index, served as `pagefind/`
SERVE_FOLDER = f"{CACHE_FOLDER}/serve"  # the preview, drafts included: never site/, so never published

EPILOG = """\
examples:
  python build.py                      build the site into site/
  python build.py check                check every file, write nothing
  python build.py build --drafts       include posts marked draft: true
  python build.py serve                preview at http://127.0.0.1:8000/, reloading as you edit
  python build.py new post "Hill Sprints for Beginners"
  python build.py new exercise "Hip Thrust"
  python build.py import free-exercise-db ../free-exercise-db --only muscle=glutes

Problems are printed as path:line:col: error: message, all of them, and the exit
status is 1; the previous site/ is left as it was."""


def run() -> NoReturn:
    """The program's entry (`python build.py`, `python -m fitfocus`, `fitfocus`): `main`, then exit
    without freeing each of the objects a build kept one by one, which took 0.7 s after a whole
    build of 5,000 posts had ended (0.2 s at 1,000). Every file is written and closed by then, and
    what was registered to run at exit (multiprocessing's clean-up, finalizers) runs first."""
    try:
        code = main()
    except BrokenPipeError:  # what reads the output went away (`| head -1`): nothing more can be said
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:  # None when Python started with the descriptor closed (`>&-`)
                stream.flush()
        except (OSError, ValueError):
            pass  # a closed pipe or stream: nothing more can be said there
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    """Run the command in `argv` (default: sys.argv) in the current folder; return the exit status."""
    args = _parser().parse_args(argv)
    root = Path.cwd()
    if args.command in (None, "build", "check"):
        return _build(args, root, write=args.command != "check")
    if args.command == "new":
        return _new(args, root)
    if args.command == "serve":
        return _serve(args, root)
    if args.command == "import":
        return _import(args, root)
    raise AssertionError(args.command)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fitfocus", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    build = commands.add_parser("build", help="build the site into site/ (the default)",
                                description="Load and check every file, then write the site.")
    check = commands.add_parser("check", help="check every file and write nothing",
                                description="Load and check every file; print every problem; write nothing.")
    for sub in (parser, build, check):
        sub.add_argument("--drafts", action="store_true", default=argparse.SUPPRESS,
                         help="include posts and pages marked `draft: true`")
        sub.add_argument("--future", action="store_true", default=argparse.SUPPRESS,
                         help="include posts dated after today")
        sub.add_argument("--base-url", metavar="URL", default=argparse.SUPPRESS,
                         help="override base_url, e.g. https://user.github.io/repo/")
    for sub in (parser, build):
        sub.add_argument("--out", metavar="DIR", default=argparse.SUPPRESS,
                         help="write the site here instead of site/")
        sub.add_argument("--jobs", metavar="N", type=int, default=argparse.SUPPRESS,
                         help="render in N processes (default: one per core; 1 for a single process)")
    for sub in (parser, build, check):
        sub.add_argument("--strict", action="store_true", default=argparse.SUPPRESS,
                         help="treat warnings as errors: any warning fails the run")
        sub.add_argument("--no-cache", action="store_true", default=argparse.SUPPRESS,
                         help=f"do not read or write the cache in {CACHE_FOLDER}/ (it is always safe to delete)")
    serve = commands.add_parser(
        "serve", help="build, serve on 127.0.0.1:8000 and rebuild and reload as you edit",
        description="Build the site with drafts into .cache/fitfocus/serve/ (never site/), serve it, watch content/, "
                    "exercises/, templates/ and pyproject.toml, rebuild what changed and reload every open page. "
                    "Build errors show over the page until they are fixed.")
    serve.add_argument("--port", type=int, default=8000,
                       help="port to serve on; the next free one if taken (default 8000)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to serve on (default 127.0.0.1, this machine only); another one shows your drafts "
                            "to your network")
    serve.add_argument("--drafts", action=argparse.BooleanOptionalAction, default=True,
                       help="include drafts and scheduled posts, with a banner (default: included)")
    serve.add_argument("--open", action="store_true", help="open the site in your web browser")
    importing = commands.add_parser("import", help="bring in outside content: free-exercise-db, wordpress",
                                    description="Write exercises from a copy of an outside data set. Files a person "
                                                "wrote or edited are never touched; a second run changes nothing.")
    sources = importing.add_subparsers(dest="source", metavar="SOURCE", required=True)
    free = sources.add_parser("free-exercise-db", help="a copy of the free-exercise-db data set",
                              description="Read PATH/dist/exercises.json and write exercises/<slug>.md for each record.")
    free.add_argument("path", metavar="PATH", type=Path, help="the folder holding dist/exercises.json")
    free.add_argument("--images", action="store_true",
                      help="also copy the pictures (their licence is not stated: check before publishing)")
    free.add_argument("--only", metavar="KEY=VALUE", action="append", default=[],
                      help="import a part: category, equipment, muscle or level, e.g. --only muscle=glutes")
    free.add_argument("--dry-run", action="store_true", help="say what would be written, write nothing")
    wordpress = sources.add_parser("wordpress", help="a WordPress export (Tools → Export in WordPress)",
                                   description="Read a WordPress export (WXR) and write its posts to content/posts/ "
                                               "and its pages to content/pages/.")
    wordpress.add_argument("path", metavar="EXPORT.xml", type=Path, help="the export file WordPress made")
    wordpress.add_argument("--uploads", metavar="DIR", type=Path,
                           help="a copy of the blog's wp-content/uploads: its pictures go to content/media/")
    wordpress.add_argument("--dry-run", action="store_true", help="say what would be written, write nothing")
    new = commands.add_parser("new", help="write a filled-in skeleton for a post or an exercise",
                              description="Write a new post or exercise file; never overwrites one.")
    new.add_argument("kind", choices=("post", "exercise", "plan"), help="what to create")
    new.add_argument("title", help='its title or name, in quotes: "Hill Sprints for Beginners"')
    return parser


def _build(args: argparse.Namespace, root: Path, write: bool) -> int:
    options = Options(
        root=root,
        out=root / getattr(args, "out", "site"),
        templates=root / "templates",
        today=_today(),
        base_url=getattr(args, "base_url", None),
        drafts=getattr(args, "drafts", False),
        future=getattr(args, "future", False),
        cache=None if getattr(args, "no_cache", False) else root / CACHE_FOLDER,
        workers=max(1, getattr(args, "jobs", _cores())),
        strict=getattr(args, "strict", False),
    )
    started = time.perf_counter()
    try:
        built = build(options, write=write)
    except BuildFailed as failure:
        print(format_problems(failure.problems), file=sys.stderr)
        return 1
    library = built.library
    if built.warnings:
        print(format_problems(built.warnings), file=sys.stderr)
    counts = _counts(library)
    elapsed = time.perf_counter() - started
    left = _left_out(library)
    if write:
        print(f"built {counts} into {_shown(options.out, root)}/ in {elapsed:.2f} s{left}")
    else:
        print(f"checked {counts}: {'no problems' if not built.warnings else 'no errors'} ({elapsed:.2f} s){left}")
    return 0


def _new(args: argparse.Namespace, root: Path) -> int:
    maker = {"post": new_post, "exercise": new_exercise, "plan": new_plan}[args.kind]
    try:
        path = maker(root, args.title, _today())
    except BuildFailed as failure:
        print(format_problems(failure.problems).replace("nothing was written", "no file was written"),
              file=sys.stderr)
        return 1
    print(f"wrote {path.relative_to(root).as_posix()}")
    return 0


def _import(args: argparse.Namespace, root: Path) -> int:
    if args.source == "wordpress":
        return _import_wordpress(args, root)
    from fitfocus.importers.free_exercise_db import import_free_exercise_db
    from fitfocus.importers.owned import KEPT, NEW, UNCHANGED, UPDATED

    outcome = _imported(lambda: import_free_exercise_db(root, args.path, images=args.images, only=tuple(args.only),
                                                        dry_run=args.dry_run), root, args.dry_run)
    if outcome is None:
        return 1
    verb = "would import" if args.dry_run else "imported"
    print(f"{verb} {_count(outcome.count(NEW), 'new exercise')}, {outcome.count(UPDATED)} updated, "
          f"{outcome.count(UNCHANGED)} unchanged, {outcome.count(KEPT)} left as a person wrote them, "
          f"{_count(len(outcome.skipped), 'record')} skipped, "
          f"{_count(outcome.pictures, 'picture')} copied")
    return 0


_Outcome = TypeVar("_Outcome", "free_exercise_db.Outcome", "wordpress.Outcome")


def _imported(run: Callable[[], _Outcome], root: Path, dry_run: bool) -> _Outcome | None:
    """Run an importer: print its problems and return None, or print its warnings (on stderr) and,
    with --dry-run, the files it would write, and return what it did."""
    from fitfocus.importers.owned import NEW, UPDATED

    try:
        outcome = run()
    except BuildFailed as failure:
        print(format_problems(failure.problems).replace("nothing was written", "no file was written"),
              file=sys.stderr)
        return None
    warnings = outcome.skipped + outcome.left + outcome.notes
    if warnings:
        print(format_problems(warnings), file=sys.stderr)
    if dry_run:
        for plan in outcome.planned:
            if plan.action in (NEW, UPDATED):
                print(f"would write {plan.path.relative_to(root).as_posix()} ({plan.action})")
    return outcome


def _import_wordpress(args: argparse.Namespace, root: Path) -> int:
    from fitfocus.importers.owned import KEPT, NEW, UNCHANGED, UPDATED
    from fitfocus.importers.wordpress import import_wordpress

    outcome = _imported(lambda: import_wordpress(root, args.path, uploads=args.uploads, dry_run=args.dry_run,
                                                 today=_today()), root, args.dry_run)
    if outcome is None:
        return 1
    verb = "would import" if args.dry_run else "imported"
    print(f"{verb} {_count(outcome.count(NEW, 'posts'), 'new post')} and {_count(outcome.count(NEW, 'pages'), 'new page')}, "
          f"{outcome.count(UPDATED)} updated, {outcome.count(UNCHANGED)} unchanged, "
          f"{outcome.count(KEPT)} left as a person wrote them, {_count(len(outcome.skipped), 'item')} skipped, "
          f"{_count(outcome.pictures, 'picture')} copied, {_count(outcome.comments, 'comment')} not imported")
    return 0


def _serve(args: argparse.Namespace, root: Path) -> int:
    from fitfocus.serve.preview import PreviewSite
    from fitfocus.serve.server import Outcome, serve  # the server's libraries are loaded only when serving

    site = PreviewSite(Options(root=root, out=root / SERVE_FOLDER, templates=root / "templates", today=_today(),
                               drafts=args.drafts, future=args.drafts, cache=root / CACHE_FOLDER, workers=_cores(),
                               search=False,  # the server indexes in the background: a save never waits for it
                               spare_at_once=True))  # so that the first save moves one page, not all

    def rebuild(files: list[str] | None) -> Outcome:
        started = time.perf_counter()
        try:
            built = site.build(_today(), files)
        except BuildFailed as failure:
            return Outcome(problems=tuple(failure.problems))
        library, changed = built.library, built.changed
        counts = _counts(library)
        elapsed = time.perf_counter() - started
        return Outcome(changed=tuple(changed), base_path=Urls(library.config.base_url).base_path,
                       summary=f"built {counts} in {elapsed:.2f} s; {_count(len(changed), 'file')} written",
                       warnings=tuple(built.warnings), search=library.config.search)

    watched = [root / "content", root / "exercises", root / "templates", root / "pyproject.toml"]
    return serve(rebuild, root / SERVE_FOLDER, watched, host=args.host, port=args.port, open_browser=args.open,
                 search_index=root / SEARCH_FOLDER)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _counts(library: Library) -> str:
    """"6 posts, 41 exercises, 2 pages" (and ", 1 plan" when the site has plans)."""
    counts = [(len(library.posts), "post"), (len(library.exercises), "exercise"), (len(library.pages), "page")]
    if library.plans:
        counts.append((len(library.plans), "plan"))
    return ", ".join(_count(n, noun) for n, noun in counts)


def _left_out(library: Library) -> str:
    """"; left out 1 draft and 2 scheduled posts (…)", or nothing when the build left none out."""
    drafts, scheduled = left_out(library)
    parts = [(_count(drafts, "draft"), "--drafts")] if drafts else []
    parts += [(_count(scheduled, "scheduled post"), "--future")] if scheduled else []
    if not parts:
        return ""
    return (f"; left out {' and '.join(text for text, _ in parts)} "
            f"({' and '.join(flag for _, flag in parts)} to include {'them' if drafts + scheduled > 1 else 'it'})")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _today() -> datetime.date:
    """Today, or the day given by SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date()
    return datetime.date.today()


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
