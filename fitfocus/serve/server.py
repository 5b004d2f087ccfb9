"""The live-preview server: serve a folder, watch files, call `rebuild`, reload every open page.

It knows nothing about building. It is handed a `rebuild` callable that (re)builds the site into
the served folder and says how it went; the server debounces bursts of file events into one call,
survives failures (the last good site stays served, with the problems over every page), and tells
browsers to reload through the livereload package's WebSocket protocol and script.

livereload's own `Server.serve()` is not used: its watcher runs builds on the event loop (no page
can be served during a build), drops changes made within 3 s of the previous reload, and forces a
reload 2 s after start. Here a watcher thread calls `rebuild` and the loop sends each reload. File
changes come from the operating system's notifications (the watchdog package), not from polling.
"""

from __future__ import annotations

import errno
import gc
import html
import ipaddress
import json
import mimetypes
import multiprocessing
import os
import socket
import sys
import threading
import time
import traceback
import warnings
import webbrowser
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.watcher import Watcher as _LivereloadWatcher
from tornado import httpserver, ioloop, netutil, web
from watchdog.events import (EVENT_TYPE_CREATED, EVENT_TYPE_DELETED, EVENT_TYPE_MOVED, DirCreatedEvent,
                             DirDeletedEvent, DirMovedEvent, FileAttribEvent, FileClosedEvent, FileCreatedEvent,
                             FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileSystemEvent,
                             FileSystemEventHandler)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

from fitfocus.problems import Problem, format_problems

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
PORT_TRIES = 20  # 8000, 8001, … 8019
NO_CACHE = {"Cache-Control": "no-store, must-revalidate", "Pragma": "no-cache", "Expires": "0"}


@dataclass(frozen=True)
class Outcome:
    """What one call of `rebuild` did."""

    problems: tuple[Problem, ...] = ()  # empty when the build succeeded
    changed: tuple[str, ...] = ()  # files of the served folder whose bytes changed, e.g. `static/style.css`
    base_path: str = "/"  # where the site lives under the server: `/` or `/repo/`
    summary: str = ""  # one line for the terminal after a successful build


# Called with the files changed since the last call (absolute paths), or None when that is not
# known (the first build): it must then look at every file.
Rebuild = Callable[[list[str] | None], Outcome]


def serve(rebuild: Rebuild, folder: Path, watched: Iterable[Path], host: str = DEFAULT_HOST,
          port: int = DEFAULT_PORT, open_browser: bool = False) -> int:
    """Build once, serve `folder` on host:port (or the next free port) until Ctrl-C; return the exit status."""
    preview = ServedSite(folder, rebuild)
    watcher: Watcher | None = None
    builder = None
    try:
        watcher = Watcher([Path(p) for p in watched])  # before the first build, so edits made during it count
        preview.build([])
        settle_memory()
        try:
            sockets = _bind(host, port)
        except OSError as error:
            print(f"error: cannot serve on {host}:{port}: {error.strerror or error}", file=sys.stderr, flush=True)
            watcher.close()
            return 1
        if not sockets:
            last = port + PORT_TRIES - 1
            print(f"error: ports {port} to {last} on {host} are all in use; choose another with --port",
                  file=sys.stderr, flush=True)
            watcher.close()
            return 1
        # The event loop and the server exist before "serving" is printed: a Ctrl-C right after it
        # must not land while the loop is half made.
        loop = ioloop.IOLoop.current()
        server = httpserver.HTTPServer(application(preview))
        server.add_sockets(sockets)
        bound = sockets[0].getsockname()[1]
        url = f"http://{_url_host(host)}:{bound}{preview.base_path}"
        if bound != port and port != 0:
            print(f"port {port} is in use; serving on port {bound} instead", flush=True)
        print(f"serving {url}  (Ctrl-C stops)", flush=True)
        warning = exposure_warning(host)
        if warning:
            print(warning, file=sys.stderr, flush=True)
        builder = threading.Thread(target=preview.watch, args=(watcher, loop), name="fitfocus-rebuild", daemon=True)
        builder.start()
        if open_browser:
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
        loop.start()
    except KeyboardInterrupt:
        pass
    preview.stop.set()
    for child in multiprocessing.active_children():  # render processes of a build cut short
        child.terminate()
    try:
        if builder is not None:
            builder.join(timeout=30)  # let a build that is writing finish, so no half-written folder stays behind
    except KeyboardInterrupt:
        pass
    if watcher is not None:
        watcher.close()
    print("stopped", flush=True)
    return 0


class ServedSite:
    """The served folder, how the last build went, and the reloads that follow each build."""

    def __init__(self, folder: Path, rebuild: Rebuild) -> None:
        self.folder = folder
        self.rebuild = rebuild
        self.base_path = "/"
        self.overlay: str | None = None  # the problems, formatted, while the last build failed
        # Names the reloads sent so far; every page served carries it, so a page that loaded while a
        # reload went out (and so missed it) is told to reload as soon as it connects.
        self.generation = f"{time.time_ns():x}-0"
        self.stop = threading.Event()
        self._reloads = 0

    def build(self, changed: list[str]) -> tuple[list[str], bool]:
        """Call `rebuild`, print how it went; return the served files it changed and whether the overlay did."""
        if changed:
            names = [_shown(path) for path in changed]
            print("changed: " + ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else ""),
                  flush=True)
        try:
            outcome = self.rebuild(changed or None)
        except Exception:  # a bug in the engine: say so, keep serving the last good site
            if self.stop.is_set():
                return [], False  # cut short by Ctrl-C
            report = traceback.format_exc()
            print(report, file=sys.stderr, flush=True)
            overlay: str | None = f"fitfocus crashed while building; this is a bug, please report it.\n\n{report}"
            changed: tuple[str, ...] = ()
        else:
            changed = outcome.changed
            if outcome.problems:
                overlay = format_problems(outcome.problems)
                print(overlay, file=sys.stderr, flush=True)
                print("the last good build is still served; fix the files and the pages reload", flush=True)
            else:
                overlay = None
                self.base_path = outcome.base_path
                if outcome.summary:
                    print(outcome.summary, flush=True)
        overlay_changed = overlay != self.overlay
        self.overlay = overlay
        return list(changed), overlay_changed

    def watch(self, watcher: "Watcher", loop: ioloop.IOLoop) -> None:
        """Rebuild after every settled burst of changes and reload the pages, until `stop` is set."""
        while True:
            changed = watcher.wait(self.stop)
            if changed is None:
                return
            files, overlay_changed = self.build(changed)
            if not self.stop.is_set():
                loop.add_callback(self.reload, files, overlay_changed)
            settle_memory()

    def reload(self, files: list[str], overlay_changed: bool) -> None:
        """Tell every open page to reload (on the event loop); when only stylesheets changed, just those."""
        if not files and not overlay_changed:
            return  # the build wrote the same bytes: nothing to show
        self._reloads += 1
        self.generation = f"{self.generation.split('-')[0]}-{self._reloads}"
        if not overlay_changed and all(name.endswith(".css") for name in files):
            for name in files:
                LiveReloadHandler.reload_waiters(self.base_path + name)
        else:
            LiveReloadHandler.reload_waiters("*")  # any path but a stylesheet's or an image's: the whole page


def settle_memory() -> None:
    """After a build, while nobody waits: collect its garbage, and leave what it keeps (the site, in
    memory) out of later collections, so that no full collection runs in the middle of a rebuild."""
    gc.collect()
    gc.freeze()


def _shown(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


# What the watcher asks the operating system for: files written, added, removed or renamed, and folders
# added, removed or renamed. Opening and reading are left out, or every build would start the next one.
WATCHED_EVENTS: list[type[FileSystemEvent]] = [
    FileCreatedEvent, FileModifiedEvent, FileAttribEvent, FileClosedEvent, FileDeletedEvent, FileMovedEvent,
    DirCreatedEvent, DirDeletedEvent, DirMovedEvent,
]
STOP_CHECK = 0.05  # seconds: `stop` is a plain Event, which cannot wake a waiting Condition


class Watcher:
    """Notices files added, changed, removed or renamed under some paths; waits for a burst to settle.

    The operating system reports each change as it happens (inotify on Linux, FSEvents on macOS,
    ReadDirectoryChangesW on Windows, through the watchdog package), so a save is seen within
    milliseconds. Folders are watched with everything below them, folders made later included. A
    single file is watched through its folder, which also sees an editor save it by renaming a new
    file over it. A path that does not exist yet is waited for from its nearest existing parent.
    Hidden files and folders (`.x.swp`, `.#x.md`, `.git/`) are left out.
    """

    def __init__(self, paths: list[Path], quiet: float = 0.005, longest: float = 2.0) -> None:
        self.paths = [os.path.abspath(path) for path in paths]
        self.quiet = quiet  # how long no event may arrive before a burst counts as over
        self.longest = longest  # the longest a burst may delay a rebuild
        # The watched paths and every folder above them: when one of them appears, goes or moves,
        # what has to be watched changes.
        self._ancestry: set[str] = set()
        for path in self.paths:
            while path not in self._ancestry:
                self._ancestry.add(path)
                path = os.path.dirname(path)
        self._condition = threading.Condition()  # guards the five fields below; the observer's thread fills them
        self._changed: set[str] = set()  # files changed since `wait` last returned
        self._folders_gone: set[str] = set()  # folders removed or moved away since then
        self._first = 0.0  # when the first of these changes came (time.monotonic)
        self._last = 0.0  # when the latest came
        self._to_rewatch: set[str] = set()  # paths of `_ancestry` that appeared, went or moved
        # Serialises (un)scheduling between `wait` and `close`. The observer is never called with
        # _condition held: (un)scheduling waits for its thread, which may be waiting to record an event.
        self._scheduling = threading.Lock()
        self._closed = False
        self._watches: dict[tuple[str, bool], ObservedWatch] = {}  # (folder, recursive) -> its watch
        self._ended: set[tuple[str, bool]] = set()  # watches whose folder was found missing
        self._kinds: dict[str, str | None] = {}  # what each watched path was at the last look
        self._handler = _Forward(self._record)
        # When `mkdir -p` (or `git checkout`) makes nested folders, watchdog may add the same inner folder
        # twice and warn about it; the second watch replaces the first, so nothing is lost or reported twice.
        warnings.filterwarnings("ignore", r"Callback with id .* already exists", RuntimeWarning, r"watchdog\.")
        self._observer: BaseObserver = Observer()
        self._observer.start()
        _, self._to_rewatch = self._update_watches(set())

    def wait(self, stop: threading.Event) -> list[str] | None:
        """Block until files changed and then no event came for `quiet` seconds; return their paths, sorted.

        Returns None once `stop` is set (or the watcher is closed). Changes made while the caller
        works on the result are returned by the next call.
        """
        while not stop.is_set() and not self._closed:
            with self._condition:
                rewatch, self._to_rewatch = self._to_rewatch, set()
                if not rewatch:
                    timeout = STOP_CHECK
                    if self._changed or self._folders_gone:
                        now = time.monotonic()
                        settled = min(self._last + self.quiet, self._first + self.longest)
                        if now >= settled:
                            return self._take()
                        timeout = min(settled - now, STOP_CHECK)
                    self._condition.wait(timeout)  # an event wakes it at once
                    continue
            found, retry = self._update_watches(rewatch)  # not under _condition: see _scheduling
            with self._condition:
                self._to_rewatch |= retry
                if found:
                    self._add(found, set())
        return None

    def close(self) -> None:
        """Stop watching and end the observer's threads; `wait` returns None from now on."""
        with self._scheduling:
            if self._closed:
                return
            self._closed = True
        self._observer.stop()
        self._observer.join()

    def _record(self, event: FileSystemEvent) -> None:
        """Note one event (on the observer's thread): the files it touched, and whether to watch anew."""
        source = os.fsdecode(event.src_path)
        target = os.fsdecode(event.dest_path) if event.dest_path else ""
        files: set[str] = set()
        folders: set[str] = set()
        rewatch: set[str] = set()
        for path in (source, target) if target else (source,):
            if path in self._ancestry and event.event_type in (EVENT_TYPE_CREATED, EVENT_TYPE_DELETED,
                                                               EVENT_TYPE_MOVED):
                rewatch.add(path)
            if not self._visible(path):
                continue
            if not event.is_directory:
                files.add(path)
            elif event.event_type == EVENT_TYPE_DELETED or (path == source and event.event_type == EVENT_TYPE_MOVED
                                                             and not self._visible(target)):
                folders.add(path)
        with self._condition:
            self._to_rewatch |= rewatch
            if files or folders:
                self._add(files, folders)
            if files or folders or rewatch:
                self._condition.notify_all()

    def _add(self, files: set[str], folders_gone: set[str]) -> None:
        """Count `files` as changed and `folders_gone` as gone, now; the caller holds `_condition`."""
        now = time.monotonic()
        if not self._changed and not self._folders_gone:
            self._first = now
        self._changed |= files
        self._folders_gone |= folders_gone
        self._last = now

    def _take(self) -> list[str]:
        """The changes gathered so far, sorted, and forget them; the caller holds `_condition`."""
        files, folders = self._changed, self._folders_gone
        self._changed, self._folders_gone = set(), set()
        # A folder removed, or moved where nothing is watched, took its files along; they are reported
        # one by one only when they were removed first (`rm -r`), so otherwise name the folder.
        named = {folder for folder in folders if not any(path.startswith(folder + os.sep) for path in files)}
        return sorted(files | named)

    def _visible(self, path: str) -> bool:
        """Whether `path` is a watched path or lies under one, with no hidden name on the way."""
        for root in self.paths:
            if path == root:
                return True
            if path.startswith(root + os.sep) and not any(
                    name.startswith(".") for name in path[len(root) + 1:].split(os.sep)):
                return True
        return False

    def _update_watches(self, rewatch: set[str]) -> tuple[set[str], set[str]]:
        """Watch what exists now: each folder with all below it, and the nearest existing folder above each path.

        `rewatch` names the paths that appeared, went or moved since the last update: a folder there
        now may be a new one, which needs a new watch. Returns the files of watched paths that
        appeared (a folder that appeared: every file in it), and the paths to look at again because
        they went while being watched.
        """
        with self._scheduling:
            if self._closed:
                return set(), set()
            first = not self._kinds
            kinds = {path: _kind(path) for path in self.paths}
            wanted: set[tuple[str, bool]] = set()
            for path, kind in kinds.items():
                above = _nearest_folder(os.path.dirname(path))
                if above is not None:
                    wanted.add((above, False))
                if kind == "folder":
                    wanted.add((path, True))
            for key, watch in list(self._watches.items()):
                if not os.path.isdir(key[0]):
                    # Its watch ends by itself once it has reported the folder gone; unscheduling it now
                    # could drop what it has not delivered yet, such as the files removed with it.
                    self._ended.add(key)
                elif key not in wanted or key in self._ended or key[0] in rewatch:
                    self._observer.unschedule(watch)
                    del self._watches[key]
                    self._ended.discard(key)
            added: set[tuple[str, bool]] = set()
            retry: set[str] = set()
            for key in sorted(wanted - self._watches.keys()):
                try:
                    self._watches[key] = self._observer.schedule(self._handler, key[0], recursive=key[1],
                                                                 event_filter=WATCHED_EVENTS, follow_symlink=True)
                except (FileNotFoundError, NotADirectoryError):
                    retry.add(key[0])  # went since we looked
                    continue
                added.add(key)
            found: set[str] = set()
            if not first:
                for path, kind in kinds.items():
                    if (path, True) in added:
                        found |= _files_under(path)  # made before its watch started: no event for them
                    elif kind == "file" and self._kinds[path] != "file":
                        found.add(path)
            self._kinds = kinds
            return found, retry


class _Forward(FileSystemEventHandler):
    """Hands every event the observer dispatches to one function."""

    def __init__(self, record: Callable[[FileSystemEvent], None]) -> None:
        self.record = record

    def dispatch(self, event: FileSystemEvent) -> None:
        self.record(event)


def _kind(path: str) -> str | None:
    """"folder", "file", or None when nothing is at `path`."""
    if os.path.isdir(path):
        return "folder"
    return "file" if os.path.exists(path) else None


def _nearest_folder(path: str) -> str | None:
    """`path` if it is a folder, else the nearest folder above it; None when there is none."""
    while not os.path.isdir(path):
        parent = os.path.dirname(path)
        if parent == path:
            return None
        path = parent
    return path


def _files_under(folder: str) -> set[str]:
    """Every file below `folder`, leaving out hidden files and folders."""
    found: set[str] = set()
    for parent, folders, files in os.walk(folder, followlinks=True):
        folders[:] = [name for name in folders if not name.startswith(".")]
        found.update(os.path.join(parent, name) for name in files if not name.startswith("."))
    return found


# ---------------------------------------------------------------------------------------------
# HTTP


def application(preview: ServedSite) -> web.Application:
    """The tornado application: livereload's WebSocket and script, then the site."""
    LiveReloadHandler.live_css = True  # reload stylesheets in place when only CSS changed
    LiveReloadHandler.watcher = _LivereloadWatcher()  # only read by its log line; builds are watched here
    return web.Application([
        (r"/livereload", ReloadSocket, {"preview": preview}),
        (r"/livereload.js", LiveReloadJSHandler),
        (r"/(.*)", SiteHandler, {"preview": preview}),
    ], log_function=lambda handler: None)


class ReloadSocket(LiveReloadHandler):
    """livereload's WebSocket; a page that says it is older than the last reload is reloaded when it connects."""

    def initialize(self, preview: ServedSite) -> None:
        self.preview = preview

    def on_message(self, message: str) -> None:
        super().on_message(message)
        data = json.loads(message)
        if data.get("command") == "info":
            seen = (data.get("plugins") or {}).get("fitfocus", {}).get("generation")
            if seen is not None and seen != self.preview.generation:
                self.send_message({"command": "reload", "path": "*", "liveCSS": True, "liveImg": True})


# A livereload.js plugin (found by its global name) that reports which reload the page was served after.
RELOAD_SCRIPT = """\
<script>function LiveReloadPluginFitfocus() {{}}
LiveReloadPluginFitfocus.identifier = "fitfocus"; LiveReloadPluginFitfocus.version = "1";
LiveReloadPluginFitfocus.prototype.analyze = function () {{ return {{generation: "{generation}"}}; }};</script>
<script src="/livereload.js"></script>
"""

OVERLAY = """\
<div id="fitfocus-problems" role="alert" style="position:fixed;inset:0;z-index:2147483647;overflow:auto;\
margin:0;padding:2rem;background:#1d1d1d;color:#f4f4f4;font:15px/1.5 ui-monospace,Menlo,Consolas,monospace;\
text-align:left">
<p style="margin:0 0 1rem;font:600 1.15rem/1.4 system-ui,sans-serif;color:#ffb4a8">\
The site could not be built. Fix the file and this page reloads by itself.</p>
<pre style="margin:0;white-space:pre-wrap;overflow-wrap:anywhere;color:inherit;background:none;\
font:inherit">{problems}</pre>
<p style="margin:1.5rem 0 0;font:0.95rem/1.4 system-ui,sans-serif;color:#c8c8c8">The page under this message \
is from the last good build. <button type="button" onclick="this.closest('#fitfocus-problems').remove()" \
style="font:inherit">Hide this message</button></p>
</div>
"""

NOT_BUILT = """\
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Not found</title></head>
<body><p>Not found, or the site has not been built yet.</p></body></html>
"""


def inject(page: bytes, overlay: str | None, generation: str = "") -> bytes:
    """Add the livereload script to an HTML page, and the problems overlay when there is one."""
    page = _insert(page, b"</head>", RELOAD_SCRIPT.format(generation=html.escape(generation)).encode())
    if overlay is not None:
        page = _insert(page, b"</body>", OVERLAY.format(problems=html.escape(overlay)).encode(), last=True)
    return page


def _insert(page: bytes, before: bytes, text: bytes, last: bool = False) -> bytes:
    at = page.rfind(before) if last else page.find(before)
    return page + text if at < 0 else page[:at] + text + page[at:]


class SiteHandler(web.RequestHandler):
    """Files of the served folder under the base path, never cached; HTML with the reload script."""

    def initialize(self, preview: ServedSite) -> None:
        self.preview = preview

    def set_default_headers(self) -> None:
        for name, value in NO_CACHE.items():
            self.set_header(name, value)

    def compute_etag(self) -> None:
        return None  # no conditional requests: every response is fresh

    def get(self, path: str) -> None:
        base = self.preview.base_path
        url_path = "/" + path
        if not url_path.startswith(base):
            if url_path == "/":
                self.redirect(base)
                return
            self._not_found()
            return
        target = self._find(url_path[len(base):])
        if target is None:
            self._not_found()
        elif target.is_dir():
            self.redirect(self.request.path + "/" + (f"?{self.request.query}" if self.request.query else ""))
        else:
            self._send(target, 200)

    head = get

    def _find(self, relative: str) -> Path | None:
        """The file (or folder without a trailing slash) for a path below the base path, if there is one."""
        root = self.preview.folder.resolve()
        target = (root / relative).resolve()
        if target != root and root not in target.parents:
            return None
        if target.is_dir():
            index = target / "index.html"
            if not relative.endswith("/") and relative:
                return target if index.is_file() else None
            target = index
        return target if target.is_file() else None

    def _not_found(self) -> None:
        page = self._find("404.html")
        if page is not None:
            self._send(page, 404)
            return
        self.set_status(404)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(inject(NOT_BUILT.encode(), self.preview.overlay, self.preview.generation))

    def _send(self, target: Path, status: int) -> None:
        try:
            data = target.read_bytes()
        except OSError:
            self.set_status(404)
            self.finish(b"Not found")
            return
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html":
            data = inject(data, self.preview.overlay, self.preview.generation)
        if kind.startswith("text/") or kind in ("application/xml", "application/javascript", "image/svg+xml"):
            kind += "; charset=utf-8"
        self.set_status(status)
        self.set_header("Content-Type", kind)
        self.finish(data)


# ---------------------------------------------------------------------------------------------
# Binding


def _bind(host: str, port: int) -> list[socket.socket]:
    """Listening sockets on `port`, or the next free port up to PORT_TRIES later; [] when none is free."""
    for candidate in range(port, port + PORT_TRIES) if port else (0,):
        try:
            return netutil.bind_sockets(candidate, address=host)
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise
    return []


def exposure_warning(host: str) -> str | None:
    """A warning when `host` lets other machines reach the preview (drafts included); None for loopback."""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if loopback:
        return None
    return (f"warning: serving on {host}: other machines on your network can open this preview, "
            "drafts included; use the default 127.0.0.1 unless you mean to")


def _url_host(host: str) -> str:
    if host in ("", "0.0.0.0", "::"):
        return host or "0.0.0.0"
    return f"[{host}]" if ":" in host else host
