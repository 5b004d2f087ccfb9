"""Time `serve` from saving one post of a generated blog to that post's page being written.

    python bench/serve_bench.py                  # 1000 posts, 20 edits
    python bench/serve_bench.py --profile        # and where one rebuild spends its time

Starts the real server (`build.py serve`) on a free port in a generated blog (bench/corpus.py),
appends a sentence to a post 20 times (every other time to the newest post, the one a blogger is
most likely writing, which the feeds carry in full; otherwise each time to another, older post),
and for each edit measures, from the moment the file is saved:

- noticed: until the server prints that it saw the change (polling, then a quiet period);
- written: until the post's page in the served folder holds the new sentence;
- served:  until the page fetched over http holds it;
- reload:  until the server prints that the build finished (it reloads the pages right after).

Prints p50 and p95 of each; asserts nothing. `--profile` also rebuilds once in this process
under cProfile, the way `serve` does, and prints the functions that take the most time.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import os
import pstats
import queue
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from corpus import REPO, SHAPES, write_corpus

TODAY_EPOCH = "1796083200"  # a fixed "today", so no post of the corpus is scheduled
SERVED = Path(".cache/fitfocus/serve")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(blog: Path, port: int) -> tuple[subprocess.Popen, "queue.Queue[tuple[float, str]]"]:
    """`build.py serve` in `blog`; its stdout lines arrive in the queue with the time they were read."""
    env = dict(os.environ, PYTHONPATH=str(REPO), SOURCE_DATE_EPOCH=TODAY_EPOCH, PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--port", str(port)],
                               cwd=blog, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[tuple[float, str]] = queue.Queue()

    def read() -> None:
        for line in process.stdout:  # type: ignore[union-attr]
            lines.put((time.perf_counter(), line))

    threading.Thread(target=read, daemon=True).start()
    return process, lines


def wait_for_line(lines: "queue.Queue[tuple[float, str]]", pattern: str, timeout: float) -> tuple[float, str]:
    deadline = time.perf_counter() + timeout
    while True:
        at, line = lines.get(timeout=max(deadline - time.perf_counter(), 0.001))
        if "error" in line or "Traceback" in line:
            sys.stdout.write(f"  | {line}")
        if re.search(pattern, line):
            return at, line


def wait_for_text(path: Path, text: bytes, timeout: float) -> float:
    """Poll `path` every millisecond until it contains `text`; return when it did."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            if text in path.read_bytes():
                return time.perf_counter()
        except OSError:
            pass  # the folder is being swapped
        time.sleep(0.001)
    raise TimeoutError(f"{path} never showed {text!r}")


def wait_for_page(url: str, text: bytes, timeout: float) -> float:
    """Fetch `url` every millisecond until it holds `text`; return when it did."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if text in response.read():
                    return time.perf_counter()
        except OSError:
            pass
        time.sleep(0.001)
    raise TimeoutError(f"{url} never showed {text!r}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bench(blog: Path, edits: int) -> dict[str, list[float]]:
    """Edit `edits` posts one after another through a running server; seconds per edit."""
    posts = sorted((blog / "content" / "posts").glob("*.md"))
    port = free_port()
    process, lines = start_server(blog, port)
    timings: dict[str, list[float]] = {"noticed": [], "written": [], "served": [], "reload": [],
                                       "rebuild (as the server reports it)": []}
    try:
        started, _ = wait_for_line(lines, r"^serving http", timeout=600)
        for number in range(edits):
            post = posts[-1] if number % 2 else posts[(number * 37) % len(posts)]
            slug = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", post.stem)
            marker = f"Edit number {number} of the benchmark."
            text = post.read_text(encoding="utf-8") + f"\n{marker}\n"
            post.write_text(text, encoding="utf-8")
            saved = time.perf_counter()
            written = wait_for_text(blog / SERVED / "posts" / slug / "index.html", marker.encode(), timeout=120)
            served = wait_for_page(f"http://127.0.0.1:{port}/posts/{slug}/", marker.encode(), timeout=120)
            noticed, _ = wait_for_line(lines, r"^changed: ", timeout=120)
            finished, line = wait_for_line(lines, r"^built \d+ posts", timeout=120)
            timings["noticed"].append(noticed - saved)
            timings["written"].append(written - saved)
            timings["served"].append(served - saved)
            timings["reload"].append(finished - saved)
            timings["rebuild (as the server reports it)"].append(float(re.search(r"in ([\d.]+) s", line).group(1)))
            time.sleep(0.3)  # let the watcher settle, so each edit is a rebuild of its own
    finally:
        process.terminate()
        process.wait(timeout=30)
    return timings


def profile_one_rebuild(blog: Path) -> None:
    """Rebuild once after a post edit in this process, as `serve` does, under cProfile; print the top functions."""
    sys.path.insert(0, str(REPO))
    from fitfocus.cli import CACHE_FOLDER, SERVE_FOLDER, _cores
    from fitfocus.serve.preview import PreviewSite
    from fitfocus.build.pipeline import Options

    today = datetime.date(2026, 12, 1)
    site = PreviewSite(Options(root=blog, out=blog / SERVE_FOLDER, templates=blog / "templates", today=today,
                               drafts=True, future=True, cache=blog / CACHE_FOLDER, workers=_cores(),
                               search=False))  # as `serve` builds: its index is made in the background
    site.build(today)  # the first build, as when the server starts
    post = sorted((blog / "content" / "posts").glob("*.md"))[5]
    post.write_text(post.read_text(encoding="utf-8") + "\nOne more sentence for the profile.\n", encoding="utf-8")
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.runcall(site.build, today, [str(post)])
    print(f"\none rebuild under cProfile: {time.perf_counter() - started:.2f} s (the profiler adds overhead)")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--exercises", type=int, default=60)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--shape", choices=sorted(SHAPES), default="mixed", help="the blog's shape (bench/corpus.py)")
    parser.add_argument("--profile", action="store_true", help="also profile one rebuild in this process")
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "fitfocus")], check=True)  # as run.py
    with tempfile.TemporaryDirectory(prefix="fitfocus-serve-bench-") as folder:
        blog = Path(folder) / "blog"
        write_corpus(blog, args.posts, args.exercises, shape=SHAPES[args.shape])
        timings = bench(blog, args.edits)
        if args.profile:
            profile_one_rebuild(blog)
    print(f"\n{args.posts} posts, {args.exercises} exercises; {os.cpu_count()} cores; {args.edits} edits, "
          "half of them of the newest post, timed from the save")
    print(f"{'':36} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, values in timings.items():
        ms = [v * 1000 for v in values]
        print(f"{name:36} {statistics.median(ms):8.0f} {percentile(ms, 0.95):8.0f} {max(ms):8.0f}")
    print("targets: written p50 <= 50 ms, p95 <= 100 ms")


if __name__ == "__main__":
    main()
