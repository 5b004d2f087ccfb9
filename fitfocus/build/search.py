"""Search: the site's indexed pages (those marking their text with `data-pagefind-body`: posts and
exercises) indexed with Pagefind (its binary comes from the `pagefind[bin]` package) into `pagefind/`.

The pages are shared out into parts of a bounded size (by kind of page, then by a hash of their
path), each indexed by a Pagefind run of its own and kept in a cache folder under a digest of its
pages' versions. A build indexes again only the parts whose pages changed, and a Pagefind run
never holds more than one part in memory. The first part is the main bundle (`pagefind/`, with
Pagefind's scripts); the others are `pagefind/part-N/`, listed in `pagefind/parts.json`, which
the search page merges (Pagefind's `mergeIndex`) so that readers search every part at once.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from fitfocus.build.spread import spread
from fitfocus.build.write import link_or_copy, make_folders
from fitfocus.problems import BuildFailed, Problem

INDEX_FOLDER = "pagefind"
PARTS_FILE = "parts.json"  # the folders of the parts after the first, relative to `pagefind/`
MARK = b"data-pagefind-body"
# A part holds at most this many pages, or 2 √n for n pages when that is more: a change indexes
# one part again (about 2 ms a page, so about 0.13 s at 1,000 pages and 0.3 s at 5,000), and a
# reader's search opens one small index a part (17 at 1,000 pages, 36 at 5,000).
_PART_PAGES = 50
_PART_GROWTH = 2  # times √n
# What a part after the first keeps of Pagefind's output: the index itself (merged indexes use the
# main bundle's scripts and WebAssembly).
_PART_FOLDERS = ("index/", "fragment/", "filter/")
_LAYOUT = "2"  # bump when what a part's folder holds changes
_LISTING = "fitfocus-files.json"  # in a part's folder: the files Pagefind made there (a part never changes)
_HINT = ("install the search indexer with `pip install 'pagefind[bin]'`, or set `search = false` under "
         "[tool.fitfocus]")


@dataclass(frozen=True)
class SearchPage:
    """A page of the site that may be indexed: where its file is now, and a version that changes
    whenever its bytes do (its render key, or its file's stamp)."""

    source: str | Path  # a build names thousands of pages: plain strings spare making a Path of each
    version: str


def search_files(pages: dict[str, SearchPage], cache: Path, workers: int = 1,
                 stop: threading.Event | None = None, settled: bool = True) -> dict[str, Path]:
    """The files of the search index of the site whose HTML pages are `pages` (site path -> page):
    each site path under `pagefind/` -> its file in `cache`. Parts whose pages are unchanged since a
    run that kept `cache` are taken from it; the others are indexed now, `workers` at a time. When
    `stop` is set, the runs under way are ended and `Stopped` is raised. `settled=False` says the
    pages' folders may change while they are indexed: each run then reads links to them."""
    cache.mkdir(parents=True, exist_ok=True)
    spread(cache)  # each part's folder, Pagefind's, where the disk is least used
    executable = _pagefind()
    indexed = _indexed(pages, cache)
    parts = shares(indexed)
    indexer = _identity(executable)
    folders = [cache / _part_digest(indexer, names, pages) for names in parts]
    listings = {folder: _listing(folder) for folder in folders}
    missing = [(folder, names) for folder, names in zip(folders, parts) if listings[folder] is None]
    _run_pagefind(executable, missing, pages, workers, stop, settled)
    _prune(cache, {folder.name for folder in folders})
    files: dict[str, Path] = {}
    for number, folder in enumerate(folders):
        prefix = f"{INDEX_FOLDER}/" if number == 0 else f"{INDEX_FOLDER}/part-{number}/"
        for relative in listings[folder] or _listing(folder) or []:
            if number == 0 or _kept_in_part(relative):
                files[prefix + relative] = folder / relative
    listing = cache / f"parts-{len(parts)}.json"
    text = json.dumps([f"part-{number}/" for number in range(1, len(parts))]) + "\n"
    if _read_text(listing) != text:  # written aside and renamed: the files of the cache never change once made
        fresh = listing.with_name(f"{listing.name}.{os.getpid()}")
        fresh.write_text(text, encoding="utf-8")
        fresh.replace(listing)
    files[f"{INDEX_FOLDER}/{PARTS_FILE}"] = listing
    return files


def _listing(folder: Path) -> list[str] | None:
    """The files a part's folder holds, or None when it has not been made (or is damaged)."""
    try:
        listed = json.loads(_read_text(folder / _LISTING) or "null")
    except ValueError:
        return None
    if not isinstance(listed, list) or not all(isinstance(name, str) for name in listed):
        return None
    return listed


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def index_site(folder: Path, output: Path, cache: Path, stop: threading.Event | None = None) -> None:
    """Index the pages of the site in `folder` into `output` (the preview keeps its index outside
    the site), with the parts kept in `cache` between runs; `stop` as for `search_files`."""
    pages = {}
    for path in folder.rglob("*.html"):
        stat = path.stat()
        pages[path.relative_to(folder).as_posix()] = SearchPage(path, f"{stat.st_mtime_ns}-{stat.st_size}-{stat.st_ino}")
    files = search_files(pages, cache, stop=stop, settled=False)  # the next rebuild may replace `folder`
    shutil.rmtree(output, ignore_errors=True)
    output.mkdir(parents=True)
    made = {""}
    for name, source in files.items():
        _link(source, str(output), name.removeprefix(f"{INDEX_FOLDER}/"), made)  # the cache's files never change


def _kept_in_part(relative: str) -> bool:
    return relative.startswith(_PART_FOLDERS) or relative == "pagefind-entry.json" or relative.endswith(".pf_meta")


def part_of(name: str, parts: int) -> int:
    """Which of `parts` parts the page at site path `name` goes to (the same in every build)."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big") % parts


def part_size(pages: int) -> int:
    """The most pages a part holds (about) when `pages` pages are indexed."""
    return max(_PART_PAGES, math.ceil(_PART_GROWTH * math.sqrt(pages)))


def shares(indexed: list[str]) -> list[list[str]]:
    """`indexed` shared out into parts. Pages of one kind (`posts/*/index.html`, `exercises/*/index.html`)
    that fill a part or more have parts of their own, so that a glob can name a part's pages by their
    folders (see `_glob`); the others share parts. Within each, a page's part is a hash of its path."""
    size = part_size(len(indexed))
    kinds: dict[tuple[str, str], list[str]] = {}
    for name in indexed:
        kinds.setdefault(_kind(name), []).append(name)
    own = [names for kind, names in sorted(kinds.items()) if kind != ("", "") and len(names) >= size]
    pooled = sorted(name for kind, names in kinds.items() if kind == ("", "") or len(names) < size for name in names)
    parts: list[list[str]] = []
    for names in [*own, pooled]:
        count = math.ceil(len(names) / size)
        split: list[list[str]] = [[] for _ in range(count)]
        for name in names:
            split[part_of(name, count)].append(name)
        parts.extend(part for part in split if part)
    return parts or [[]]


def _kind(name: str) -> tuple[str, str]:
    """What comes before and after the last folder of a page's path (`posts` and `index.html` for
    `posts/squats/index.html`), or two empty strings for a path with fewer pieces."""
    pieces = name.rsplit("/", 2)
    return (pieces[0], pieces[2]) if len(pieces) == 3 and all(pieces) else ("", "")


def _glob(names: list[str]) -> str:
    """A Pagefind glob naming exactly `names`: `posts/{a,b}/index.html` when they are all of one kind,
    since then Pagefind's walk opens only their folders (with `{posts/a/index.html,…}` it walks the
    whole site: at 5,000 posts about a quarter of a second a part)."""
    kinds = {_kind(name) for name in names}
    if len(kinds) == 1 and ("", "") not in kinds:
        (folder, file), = kinds
        return f"{folder}/{{{','.join(name.rsplit('/', 2)[1] for name in names)}}}/{file}"
    return "{" + ",".join(names) + "}"


def _indexed(pages: dict[str, SearchPage], cache: Path) -> list[str]:
    """The pages Pagefind indexes: those with `data-pagefind-body`, or every page when none has it
    (Pagefind's own rule). What each version of a page holds is remembered in `cache`."""
    memo_file = cache / "pages.json"
    try:
        memo = json.loads(memo_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        memo = {}
    marked: dict[str, bool] = {}
    for name, page in pages.items():
        known = memo.get(name)
        if isinstance(known, list) and known[0] == page.version:
            marked[name] = bool(known[1])
        else:
            try:
                with open(page.source, "rb") as file:
                    marked[name] = MARK in file.read()
            except OSError:
                marked[name] = False
    now = {name: [pages[name].version, flag] for name, flag in sorted(marked.items())}
    if now != memo:
        fresh = memo_file.with_name(f"pages.json.{os.getpid()}")
        fresh.write_text(json.dumps(now))
        fresh.replace(memo_file)
    chosen = sorted(name for name, flag in marked.items() if flag)
    return chosen or sorted(pages)


def _identity(executable: str) -> str:
    """What tells one Pagefind binary from another: a part made by another version is made again,
    since the scripts of the first part must read every part's files."""
    try:
        stat = os.stat(executable)
    except OSError:
        return executable
    return f"{executable}\n{stat.st_size}\n{stat.st_mtime_ns}"


def _part_digest(indexer: str, names: list[str], pages: dict[str, SearchPage]) -> str:
    # Not the part's number: a run makes the same files whichever part it is, and a part holding the
    # same pages keeps its folder when a kind of page gets parts of its own and the others move up.
    hasher = hashlib.sha256(f"{_LAYOUT}\n{indexer}\n".encode("utf-8", "surrogatepass"))
    for name in names:
        hasher.update(f"{name}\n{pages[name].version}\n".encode("utf-8", "surrogatepass"))
    return f"part-{hasher.hexdigest()[:32]}"


def _run_pagefind(executable: str, missing: list[tuple[Path, list[str]]], pages: dict[str, SearchPage],
                  workers: int, stop: threading.Event | None, settled: bool) -> None:
    """Index each part of `missing` into its folder, `workers` Pagefind runs at a time, each over the
    part's pages where they are (when `settled`) or linked into a folder of their own; the part's
    folder appears only when its run succeeded."""
    pending = _heaviest_first(missing, pages) if len(missing) > max(1, workers) else list(missing)
    running: list[tuple[subprocess.Popen[str], Path | None, Path, Path]] = []
    failure: str | None = None
    try:
        while pending or running:
            while pending and len(running) < max(1, workers) and failure is None:
                folder, names = pending.pop(0)
                output = folder.with_name(f"{folder.name}.{os.getpid()}.new")
                shutil.rmtree(output, ignore_errors=True)
                top = _common_site(names, pages) if settled else None
                if top is not None:  # Pagefind picks the part's pages out of the folder they are in
                    site, scratch = top, None
                    chosen = ["--glob", _glob(names)]
                else:  # linked into a folder of their own
                    site = scratch = Path(tempfile.mkdtemp(prefix="site-", dir=folder.parent))
                    chosen = []
                    made = {""}
                    for name in names:
                        _link(pages[name].source, str(site), name, made)
                process = subprocess.Popen([executable, "--site", str(site), *chosen, "--output-path", str(output),
                                            "--silent"],
                                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                           start_new_session=True)  # Ctrl-C stops us, and we stop it
                running.append((process, scratch, output, folder))
            if not running:
                break
            process, scratch, output, folder = running[0]
            said = _wait(process, stop)
            running.pop(0)
            if scratch is not None:
                shutil.rmtree(scratch, ignore_errors=True)
            if process.returncode == 0 and (output / "pagefind-entry.json").is_file():
                made = sorted(path.relative_to(output).as_posix() for path in output.rglob("*") if path.is_file())
                (output / _LISTING).write_text(json.dumps(made), encoding="utf-8")
                shutil.rmtree(folder, ignore_errors=True)  # what a run killed while renaming left
                output.rename(folder)
            else:
                shutil.rmtree(output, ignore_errors=True)
                lines = said.strip().splitlines()
                failure = failure or (lines[-1] if lines else "Pagefind failed")
    except (OSError, subprocess.TimeoutExpired) as error:
        failure = str(error)
    finally:
        for process, scratch, output, _ in running:
            process.kill()
            process.wait()
            if scratch is not None:
                shutil.rmtree(scratch, ignore_errors=True)
            shutil.rmtree(output, ignore_errors=True)
    if failure is not None:
        raise BuildFailed([Problem("pyproject.toml", 1, 1, f"search index could not be made: {failure}", _HINT)])


def _heaviest_first(missing: list[tuple[Path, list[str]]], pages: dict[str, SearchPage]) -> list[tuple[Path, list[str]]]:
    """The parts of `missing` by the bytes of their pages, most first: the runs that end a build
    alone on the machine are then short ones (exercise pages listing every post that uses them
    can make their part the longest to index, whatever its number of pages)."""
    def weight(part: tuple[Path, list[str]]) -> int:
        total = 0
        for name in part[1]:
            try:
                total += os.stat(pages[name].source).st_size
            except OSError:
                pass  # Pagefind will say what is wrong with it
        return total

    return sorted(missing, key=weight, reverse=True)


# Site paths a glob names as they are (Pagefind's globs give `*?[]{},!\\` meanings).
_GLOB_SAFE = re.compile(r"[A-Za-z0-9._~/-]+")
# A part's glob, one argument of Pagefind's command line, stays well below Linux's 128 KiB for one.
_GLOB_LIMIT = 64 * 1024


def _common_site(names: list[str], pages: dict[str, SearchPage]) -> Path | None:
    """The folder every page of `names` is in at its own site path, when there is one and a glob can
    name the pages: then Pagefind reads them there, and no folder of links is made for them (a
    whole build's pages are all in its staging folder)."""
    if sum(len(name) + 1 for name in names) > _GLOB_LIMIT:
        return None
    top: str | None = None
    for name in names:
        source = str(pages[name].source)
        if not _GLOB_SAFE.fullmatch(name) or not source.endswith(os.sep + name.replace("/", os.sep)):
            return None
        folder = source[:-len(name) - 1]
        if top is None:
            top = folder
        elif folder != top:
            return None
    return Path(top) if top is not None else None


class Stopped(Exception):
    """Indexing was asked to stop (the preview is shutting down)."""


def _wait(process: subprocess.Popen[str], stop: threading.Event | None, limit: float = 600) -> str:
    """What `process` printed, once it ended; raises Stopped as soon as `stop` is set."""
    deadline = time.monotonic() + limit
    while True:
        try:
            said, _ = process.communicate(timeout=0.1)
            return said
        except subprocess.TimeoutExpired:
            if stop is not None and stop.is_set():
                raise Stopped() from None
            if time.monotonic() > deadline:
                raise


def _pagefind() -> str:
    try:
        import pagefind_bin  # the binary's package: running it directly spares a Python start a part
    except ImportError:
        raise BuildFailed([Problem("pyproject.toml", 1, 1, "search index could not be made: Pagefind is not "
                                   "installed", _HINT)]) from None
    try:
        return str(pagefind_bin.get_executable())
    except Exception as error:  # noqa: BLE001 (whatever the package raises when its binary is missing)
        raise BuildFailed([Problem("pyproject.toml", 1, 1, f"search index could not be made: {error}",
                                   _HINT)]) from None


def _link(source: str | Path, top: str, name: str, made: set[str]) -> None:
    """Link `source` in as `top/name`, making its folders (`made`: as for `build.write.make_folders`)."""
    make_folders(top, os.path.dirname(name), made)
    link_or_copy(str(source), os.path.join(top, name))


def _prune(cache: Path, keep: set[str]) -> None:
    """Remove the parts no page needs any more, and what killed runs left."""
    for entry in os.scandir(cache):
        if entry.is_dir(follow_symlinks=False) and entry.name not in keep:
            shutil.rmtree(entry.path, ignore_errors=True)
