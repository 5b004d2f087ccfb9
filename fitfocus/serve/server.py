"""The live-preview server: serve a folder, call `rebuild` after each burst of changes, reload every open page."""

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
import webbrowser
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import quote

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.watcher import Watcher as _LivereloadWatcher
from tornado import httpserver, ioloop, netutil, web

from fitfocus.problems import Problem, format_problems
from fitfocus.serve.search_index import SearchIndexer
from fitfocus.serve.signals import restore_signals, stop_on_signals
from fitfocus.serve.guard import AllowedHosts, BadTarget, HostCheck, decode_path, refuse
from fitfocus.serve.watcher import Watcher

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
PORT_TRIES = 20  # 8000, 8001, … 8019
SEARCH_PREFIX = "pagefind/"  # served from the preview's search index, not from the site folder
NO_CACHE = {"Cache-Control": "no-store, must-revalidate", "Pragma": "no-cache", "Expires": "0"}


@dataclass(frozen=True)
class Outcome:
    """What one call of `rebuild` did."""

    problems: tuple[Problem, ...] = ()  # empty when the build succeeded
    changed: tuple[str, ...] = ()  # files of the served folder whose bytes changed, e.g. `static/style.css`
    base_path: str = "/"  # where the site lives under the server: `/` or `/repo/`
    summary: str = ""  # one line for the terminal after a successful build
    warnings: tuple[Problem, ...] = ()  # printed in the terminal; they do not stop the build
    search: bool = False  # the site has search: its pages are indexed after the build


# Called with the files changed since the last call (absolute paths), or None when that is not
# known (the first build): it must then look at every file.
Rebuild = Callable[[list[str] | None], Outcome]


def serve(rebuild: Rebuild, folder: Path, watched: Iterable[Path], host: str = DEFAULT_HOST,
          port: int = DEFAULT_PORT, open_browser: bool = False, search_index: Path | None = None) -> int:
    """Build once, serve `folder` on host:port (or the next free port) until Ctrl-C; return the exit status.

    `rebuild` (re)builds the site into `folder` and says how it went; this knows nothing about building.
    livereload's `Server.serve()` is not used: it builds on the event loop (no page is served meanwhile),
    drops changes made within 3 s of a reload and forces one 2 s after start. Here a thread waits for
    the `Watcher` and calls `rebuild`, and the loop sends each reload through livereload's WebSocket.
    With `search_index`, pages are indexed for search into that folder, in the background.
    """
    preview = ServedSite(folder, rebuild, search_index)
    watcher: Watcher | None = None
    builder = None
    stopping = stop_on_signals()
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
        bound = sockets[0].getsockname()[1]
        server = httpserver.HTTPServer(application(preview, AllowedHosts(host, bound)))
        server.add_sockets(sockets)
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
        if builder is not None and builder.ident is not None:  # Ctrl-C may come before it started
            builder.join(timeout=30)  # let a build that is writing finish, so no half-written folder stays behind
    except KeyboardInterrupt:
        pass
    if watcher is not None:
        watcher.close()
    if preview.indexer is not None:
        preview.indexer.stop()
    restore_signals(stopping)
    print("stopped", flush=True)
    return 0


class ServedSite:
    """The served folder, how the last build went, and the reloads that follow each build."""

    def __init__(self, folder: Path, rebuild: Rebuild, search_index: Path | None = None) -> None:
        self.folder = folder
        self.rebuild = rebuild
        self.search_index = search_index  # the folder served as `pagefind/`, kept outside `folder`
        self.indexer = SearchIndexer(folder, search_index) if search_index is not None else None
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
                if outcome.warnings:
                    print(format_problems(outcome.warnings), file=sys.stderr, flush=True)
                if self.indexer is not None and outcome.search and (
                        not self.search_index.exists() or any(name.endswith(".html") for name in changed)):
                    self.indexer.refresh()
                if outcome.summary:
                    print(outcome.summary, flush=True)
        overlay_changed = overlay != self.overlay
        self.overlay = overlay
        return list(changed), overlay_changed

    def watch(self, watcher: Watcher, loop: ioloop.IOLoop) -> None:
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


# ---------------------------------------------------------------------------------------------
# HTTP


def application(preview: ServedSite, allowed: AllowedHosts) -> web.Application:
    """The tornado application: livereload's WebSocket and script, then the site; only for `allowed` hosts."""
    LiveReloadHandler.live_css = True  # reload stylesheets in place when only CSS changed
    LiveReloadHandler.watcher = _LivereloadWatcher()  # only read by its log line; builds are watched here
    return web.Application([
        (r"/livereload", ReloadSocket, {"preview": preview}),
        (r"/livereload.js", ReloadScript),
        (r"/.*", SiteHandler, {"preview": preview}),
    ], default_handler_class=BadTarget, allowed_hosts=allowed, log_function=lambda handler: None)


class ReloadScript(HostCheck, LiveReloadJSHandler):
    """livereload's script."""


class ReloadSocket(HostCheck, LiveReloadHandler):
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


class SiteHandler(HostCheck):
    """Files of the served folder under the base path, never cached; HTML with the reload script."""

    def initialize(self, preview: ServedSite) -> None:
        self.preview = preview

    def set_default_headers(self) -> None:
        for name, value in NO_CACHE.items():
            self.set_header(name, value)

    def compute_etag(self) -> None:
        return None  # no conditional requests: every response is fresh

    def get(self) -> None:
        try:
            url_path = decode_path(self.request.path)
        except ValueError:
            refuse(self, 400, "bad request path")
            return
        base = self.preview.base_path
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
            # From the decoded path: the raw one may say `//other.example/../x`, which a browser reads as a host.
            self.redirect(quote(url_path) + "/" + (f"?{self.request.query}" if self.request.query else ""))
        else:
            self._send(target, 200)

    head = get

    def _find(self, relative: str) -> Path | None:
        """The file (or folder without a trailing slash) for a path below the base path, if there is one."""
        folder = self.preview.folder
        if self.preview.search_index is not None and relative.startswith(SEARCH_PREFIX):
            folder, relative = self.preview.search_index, relative[len(SEARCH_PREFIX):]
        try:  # a name too long for the file system, say
            root = folder.resolve()
            target = (root / relative).resolve()
            if target != root and root not in target.parents:
                return None
            if target.is_dir():
                index = target / "index.html"
                if not relative.endswith("/") and relative:
                    return target if index.is_file() else None
                target = index
            return target if target.is_file() else None
        except (OSError, ValueError):
            return None

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
