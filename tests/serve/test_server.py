"""`serve` without a browser: the watcher, the overlay, the headers, the address it binds, the requests
it refuses, and Ctrl-C.

`ServeProcess` and `start_serve` run `build.py serve` as a user does; the browser tests use them too.
"""

from __future__ import annotations

import datetime
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from livereload.handlers import LiveReloadHandler
from PIL import Image

from conftest import REPO, TODAY_EPOCH, run_cli
from fitfocus.serve import guard, server
from fitfocus.serve.watcher import Watcher
from fitfocus.serve.preview import PreviewSite
from fitfocus.problems import BuildFailed, Problem, format_problems
from fitfocus.build.pipeline import Options
from test_golden import read_tree

SERVING = re.compile(r"^serving (http://\S+)", re.MULTILINE)


class ServeProcess:
    """`build.py serve` running in a blog folder, with everything it prints collected as it comes."""

    def __init__(self, root: Path, *args: str, interrupt_ignored: bool = False) -> None:
        env = dict(os.environ, PYTHONPATH=str(REPO), SOURCE_DATE_EPOCH=TODAY_EPOCH, PYTHONUNBUFFERED="1")
        self.root = root
        # As in a terminal, Ctrl-C is not ignored, however the tests were started (a background job of
        # a script starts with it ignored); `interrupt_ignored` starts the server as such a job would.
        interrupt = signal.SIG_IGN if interrupt_ignored else signal.SIG_DFL
        self.process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", *args], cwd=root, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        start_new_session=True,  # its own process group, as in a terminal
                                        preexec_fn=lambda: signal.signal(signal.SIGINT, interrupt))
        self._out: list[str] = []
        self._err: list[str] = []
        self._readers = [threading.Thread(target=self._read, args=(stream, lines), daemon=True)
                         for stream, lines in ((self.process.stdout, self._out), (self.process.stderr, self._err))]
        for reader in self._readers:
            reader.start()
        self.url = ""

    def _read(self, stream, lines: list[str]) -> None:
        for line in stream:
            lines.append(line)

    @property
    def out(self) -> str:
        return "".join(self._out)

    @property
    def err(self) -> str:
        return "".join(self._err)

    def wait_for(self, pattern: str, timeout: float = 60, count: int = 1) -> re.Match[str]:
        """Wait until stdout matches `pattern` `count` times; return the last match."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            matches = list(re.finditer(pattern, self.out, re.MULTILINE))
            if len(matches) >= count:
                return matches[count - 1]
            if self.process.poll() is not None:
                break
            time.sleep(0.02)
        raise AssertionError(f"serve never printed {pattern!r} ({count}x):\n{self.out}\n{self.err}")

    def started(self) -> "ServeProcess":
        """Wait for the first build and the `serving URL` line; remember the URL."""
        self.url = self.wait_for(SERVING.pattern).group(1)
        return self

    def interrupt(self, timeout: float = 20) -> int:
        """Press Ctrl-C, which signals every process of the group (render workers too); return the exit status."""
        os.killpg(self.process.pid, signal.SIGINT)
        code = self.process.wait(timeout=timeout)
        for reader in self._readers:
            reader.join(timeout=5)
        return code

    def kill(self) -> None:
        """Kill the server and any process it started."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)
        for reader, stream in zip(self._readers, (self.process.stdout, self.process.stderr)):
            reader.join(timeout=5)
            if stream and not reader.is_alive():
                stream.close()


def free_port() -> int:
    """A port nobody listens on right now (serve moves to the next one if it is taken meanwhile)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def start_serve() -> Iterator:
    """Start `build.py serve --port <free> ARGS` in a folder; every server is killed at the end of the test."""
    started: list[ServeProcess] = []

    def start(root: Path, *args: str) -> ServeProcess:
        process = ServeProcess(root, "--port", str(free_port()), *args)
        started.append(process)
        return process.started()

    yield start
    for process in started:
        process.kill()


def get(url: str) -> http.client.HTTPResponse:
    """GET `url` without following redirects; the response is read."""
    match = re.match(r"http://([^/:]+):(\d+)(/.*)?$", url)
    assert match, url
    connection = http.client.HTTPConnection(match.group(1), int(match.group(2)), timeout=10)
    connection.request("GET", match.group(3) or "/")
    response = connection.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    connection.close()
    return response


# -- the running server ------------------------------------------------------------------------


def test_serves_on_127_0_0_1_only(sample_blog: Path, start_serve) -> None:
    serving = start_serve(sample_blog)
    port = int(serving.url.split(":")[2].split("/")[0])
    assert serving.url == f"http://127.0.0.1:{port}/"
    assert get(serving.url).status == 200
    # A socket bound to 0.0.0.0 would accept this too; one bound to 127.0.0.1 refuses it (Linux routes 127/8 to lo).
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.2", port), timeout=5).close()
    assert "warning" not in serving.err


def test_a_taken_port_moves_to_the_next_free_one_and_says_so(sample_blog: Path, start_serve) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        serving = ServeProcess(sample_blog, "--port", str(port))
        try:
            serving.started()
            assert f"port {port} is in use; serving on port " in serving.out
            moved = int(serving.url.split(":")[2].split("/")[0])
            assert port < moved < port + server.PORT_TRIES
            assert get(serving.url).status == 200
        finally:
            serving.kill()


def test_pages_and_files_are_never_cached(sample_blog: Path, start_serve) -> None:
    serving = start_serve(sample_blog)
    for path in ("", "posts/gym-leg-day/", "static/style.css", "feed.xml"):
        response = get(serving.url + path)
        assert response.status == 200, path
        assert response.getheader("Cache-Control") == "no-store, must-revalidate", path
        assert response.getheader("ETag") is None, path


def test_html_gets_the_reload_script_and_other_files_are_untouched(sample_blog: Path, start_serve) -> None:
    serving = start_serve(sample_blog)
    page = get(serving.url + "posts/gym-leg-day/").body
    assert page.count(b'<script src="/livereload.js"></script>\n</head>') == 1
    assert page.count(b"LiveReloadPluginFitfocus.identifier") == 1
    served = sample_blog / ".cache/fitfocus/serve"
    assert get(serving.url + "static/style.css").body == (served / "static/style.css").read_bytes()
    assert get(serving.url + "livereload.js").status == 200
    missing = get(serving.url + "posts/no-such-post/")
    assert missing.status == 404 and b"livereload.js" in missing.body
    folder = get(serving.url + "posts/gym-leg-day")
    assert folder.status == 302 and folder.getheader("Location") == "/posts/gym-leg-day/"
    assert get(serving.url + "../../pyproject.toml").status == 400


def port_of(url: str) -> int:
    return int(url.split(":")[2].split("/")[0])


def raw_get(port: int, path: str, host: str | None = None, **headers: str) -> http.client.HTTPResponse:
    """GET `path`, sent as written, from 127.0.0.1:`port` with this Host header (default `127.0.0.1:port`)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
    connection.putheader("Host", f"127.0.0.1:{port}" if host is None else host)
    for name, value in headers.items():
        connection.putheader(name.replace("_", "-"), value)
    connection.endheaders()
    response = connection.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    connection.close()
    return response


MALFORMED = ["/%00../etc/passwd", "/posts/%00", "/../../etc/passwd", "/posts/../../pyproject.toml",
             "/static/%2e%2e/%2E%2E/pyproject.toml", "/..%2f..%2fpyproject.toml", "/..%5c..%5cpyproject.toml",
             "/posts/%zz", "/posts/a%2", "/posts/%", "/posts/%ff%fe", "*"]


def test_malformed_paths_get_400_and_no_traceback(sample_blog: Path, start_serve) -> None:
    serving = start_serve(sample_blog)
    port = port_of(serving.url)
    err = serving.err
    for path in MALFORMED:
        response = raw_get(port, path)
        assert (response.status, response.body) == (400, b"bad request path\n"), path
        assert response.getheader("Content-Type") == "text/plain; charset=utf-8", path
    assert raw_get(port, "/posts/" + "x" * 300).status == 404  # a name too long for the file system
    assert raw_get(port, "/posts/../posts/gym-leg-day/").status == 200  # `..` that stays inside is resolved
    moved = raw_get(port, "//evil.example/../../posts/gym-leg-day")
    assert moved.status == 302 and moved.getheader("Location") == "/posts/gym-leg-day/"  # not to //evil.example
    time.sleep(0.2)
    assert serving.err == err, serving.err  # nothing printed: no traceback, no warning
    assert raw_get(port, "/").status == 200


def test_only_requests_for_its_own_address_are_served(sample_blog: Path, start_serve) -> None:
    serving = start_serve(sample_blog)
    port = port_of(serving.url)
    upgrade = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec_WebSocket_Version": "13",
               "Sec_WebSocket_Key": "dGhlIHNhbXBsZSBub25jZQ=="}
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LocalHost.:{port}", f"[::1]:{port}"):
        assert raw_get(port, "/", host).status == 200, host
        assert raw_get(port, "/livereload.js", host).status == 200, host
        assert raw_get(port, "/livereload", host, **upgrade).status == 101, host
    for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1.evil.example:{port}", f"127.0.0.1:{port + 1}",
                 "127.0.0.1", f"localhost:{port}x", ""):
        for path, headers in (("/", {}), ("/posts/gym-leg-day/", {}), ("/livereload.js", {}),
                              ("/livereload", upgrade), ("/no-such-page/", {}), ("/%00", {})):
            response = raw_get(port, path, host, **headers)
            assert (response.status, response.body) == (403, b"unknown Host header\n"), (host, path)


def test_the_host_served_on_and_any_address_widen_the_hosts_allowed() -> None:
    loopback = guard.AllowedHosts("127.0.0.1", 8000)
    assert loopback.allows("127.0.0.1:8000") and loopback.allows("localhost:8000") and loopback.allows("[::1]:8000")
    assert not loopback.allows("192.168.1.20:8000") and not loopback.allows(None)
    assert not guard.AllowedHosts("127.0.0.1", 8001).allows("localhost")  # no port is port 80
    assert guard.AllowedHosts("127.0.0.1", 80).allows("localhost")
    lan = guard.AllowedHosts("192.168.1.20", 8000)
    assert lan.allows("192.168.1.20:8000") and lan.allows("localhost:8000")
    assert not lan.allows("192.168.1.21:8000") and not lan.allows("evil.example:8000")
    assert guard.AllowedHosts("::1", 8000).allows("[0:0::1]:8000")
    everywhere = guard.AllowedHosts("0.0.0.0", 8000)
    machine = socket.gethostname()
    for host in ("192.168.1.21", "10.0.0.7", "[fe80::1]", "localhost", machine, machine.split(".")[0] + ".local"):
        assert everywhere.allows(f"{host}:8000"), host
    for host in ("evil.example:8000", "192.168.1.21:8001", "[evil]:8000", "evil@10.0.0.7:8000", "10.0.0.7:80a"):
        assert not everywhere.allows(host), host
    assert guard.AllowedHosts("::", 8000).allows("[2001:db8::5]:8000")


def test_file_names_are_served_percent_encoded(sample_blog: Path, start_serve) -> None:
    media = sample_blog / "content/media"
    Image.new("RGB", (40, 30), (200, 30, 30)).save(media / "my photo.jpg", "JPEG")
    (media / "café+1.txt").write_text("accents and a plus")
    serving = start_serve(sample_blog)
    port = port_of(serving.url)
    photo = raw_get(port, "/media/my%20photo.jpg")
    assert (photo.status, photo.body[:2]) == (200, b"\xff\xd8")  # the picture as published: a JPEG
    assert photo.getheader("Content-Type") == "image/jpeg"
    assert raw_get(port, "/media/caf%C3%A9%2B1.txt").body == b"accents and a plus"
    assert raw_get(port, "/media/caf%c3%a9+1.txt").body == b"accents and a plus"  # `+` is a plus, not a space
    assert raw_get(port, "/media/my+photo.jpg").status == 404


def test_the_preview_is_built_outside_site_with_drafts(sample_blog: Path, start_serve) -> None:
    (sample_blog / "content/posts/2026-11-20-hill-sprints.md").write_text(
        "---\ntitle: Hill Sprints\ndraft: true\n---\nShort and sharp.\n")
    serving = start_serve(sample_blog)
    assert "built 7 posts" in serving.out
    assert not (sample_blog / "site").exists()
    assert (sample_blog / ".cache/fitfocus/serve/posts/hill-sprints/index.html").is_file()
    assert get(serving.url + "posts/hill-sprints/").status == 200
    without = start_serve(sample_blog, "--no-drafts")
    assert "built 6 posts" in without.out
    assert get(without.url + "posts/hill-sprints/").status == 404


def test_the_site_is_served_under_the_base_path(sample_blog: Path, start_serve) -> None:
    settings = sample_blog / "pyproject.toml"
    settings.write_text(settings.read_text().replace(
        "[tool.fitfocus]\n", '[tool.fitfocus]\nbase_url = "https://maya.github.io/fit/"\n'))
    serving = start_serve(sample_blog)
    assert serving.url.endswith("/fit/")
    root = serving.url.removesuffix("fit/")
    assert get(root).status == 302 and get(root).getheader("Location") == "/fit/"
    assert get(serving.url + "posts/gym-leg-day/").status == 200
    assert get(root + "posts/gym-leg-day/").status == 404


def test_a_failed_build_keeps_the_last_good_site_and_puts_the_problems_over_it(sample_blog: Path,
                                                                               start_serve) -> None:
    serving = start_serve(sample_blog)
    post = sample_blog / "content/posts/2026-10-13-gym-leg-day.md"
    good = post.read_text()
    post.write_text(good.replace("title: An Off-Season Gym Leg Day", "titel: An Off-Season Gym Leg Day"))
    serving.wait_for(r"^the last good build is still served")
    page = get(serving.url + "posts/gym-leg-day/").body.decode()
    assert "<h1>An Off-Season Gym Leg Day</h1>" in page  # the last good build
    assert 'id="fitfocus-problems"' in page
    assert "content/posts/2026-10-13-gym-leg-day.md:2:1: error: unknown key `titel`" in page
    assert "content/posts/2026-10-13-gym-leg-day.md:2:1: error: unknown key `titel`" in serving.err
    post.write_text(good)
    serving.wait_for(r"^built 6 posts", count=2)
    assert 'id="fitfocus-problems"' not in get(serving.url + "posts/gym-leg-day/").body.decode()


def test_a_first_build_that_fails_shows_its_problems_until_fixed(sample_blog: Path, start_serve) -> None:
    post = sample_blog / "content/posts/2026-10-13-gym-leg-day.md"
    good = post.read_text()
    post.write_text(good.replace("  - bodyweight-squat: 1 x 10", "  - bodyweight-sqaut: 1 x 10"))
    serving = start_serve(sample_blog)
    assert "hint: did you mean `bodyweight-squat`?" in serving.err
    page = get(serving.url)
    assert page.status == 404 and b'id="fitfocus-problems"' in page.body and b"livereload.js" in page.body
    post.write_text(good)
    serving.wait_for(r"^built 6 posts")
    page = get(serving.url)
    assert page.status == 200 and b'id="fitfocus-problems"' not in page.body


def test_warnings_are_printed_in_the_terminal_and_the_site_is_served(sample_blog: Path, start_serve) -> None:
    serving = start_serve(sample_blog)
    (sample_blog / "exercises/wall-angel.md").write_text(
        "---\nname: Wall Angel\nmuscles: [shoulders]\n---\nHow to do it, step by step.\n")
    serving.wait_for(r"^built 6 posts", count=2)
    assert "exercises/wall-angel.md:5:1: warning: text from the `new` skeleton is still here" in serving.err
    assert get(serving.url + "exercises/wall-angel/").status == 200


def test_a_burst_of_changes_is_one_rebuild(sample_blog: Path, start_serve) -> None:
    serving = start_serve(sample_blog)
    posts = sorted((sample_blog / "content/posts").glob("*.md"))
    texts = [post.read_text() + "\nOne more line.\n" for post in posts]
    # Like `git checkout` of a branch, which writes its files within a millisecond: the server is
    # stopped while they are written, so that their notifications reach it together however busy
    # the machine is (the watcher waits 5 ms for more; a loaded test run can pause longer than that).
    os.kill(serving.process.pid, signal.SIGSTOP)
    try:
        for post, text in zip(posts, texts):
            post.write_text(text)
    finally:
        os.kill(serving.process.pid, signal.SIGCONT)
    serving.wait_for(r"^built 6 posts", count=2)
    time.sleep(1)
    assert serving.out.count("changed:") == 1, serving.out
    assert re.search(r"^changed: content/posts/\S+\.md, \S+, \S+ and 3 more$", serving.out, re.MULTILINE)


def test_ctrl_c_stops_cleanly(sample_blog: Path, start_serve) -> None:
    serving = start_serve(sample_blog)
    assert serving.interrupt() == 0, serving.err
    assert serving.out.rstrip().endswith("stopped")
    assert "search index could not be made" not in serving.err  # the indexer is not cut short by Ctrl-C
    assert "Traceback" not in serving.err, serving.err


def test_ctrl_c_stops_a_server_started_with_it_ignored(sample_blog: Path) -> None:
    serving = ServeProcess(sample_blog, "--port", str(free_port()), interrupt_ignored=True)
    try:
        serving.started()
        assert serving.interrupt() == 0, serving.err
        assert serving.out.rstrip().endswith("stopped")
        assert "Traceback" not in serving.err, serving.err
    finally:
        serving.kill()


def _processes_mentioning(text: str) -> list[str]:
    """The command lines of running processes that name `text` (say, a blog's folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if entry.name.isdigit() and text in command:
            found.append(command)
    return found


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_a_stop_signal_stops_cleanly_and_leaves_no_indexer_writing(number: int, tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    from corpus import write_corpus

    write_corpus(tmp_path / "blog", posts=400, exercises=20)  # a first index that takes a while
    serving = ServeProcess(tmp_path / "blog", "--port", str(free_port()))
    try:
        serving.started()
        deadline = time.monotonic() + 60
        while not any("pagefind" in command for command in _processes_mentioning(str(tmp_path))):
            assert time.monotonic() < deadline, "the preview never started indexing"
            time.sleep(0.02)
        serving.process.send_signal(number)
        assert serving.process.wait(timeout=20) == 0, serving.err
        assert serving.out.rstrip().endswith("stopped")
        assert "Traceback" not in serving.err and "warning" not in serving.err, serving.err
        assert _processes_mentioning(str(tmp_path)) == []  # no Pagefind run goes on writing into the cache
    finally:
        serving.kill()


def test_ctrl_c_during_the_first_build_stops_cleanly(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    from corpus import write_corpus

    write_corpus(tmp_path / "blog", posts=300, exercises=20)
    serving = ServeProcess(tmp_path / "blog", "--port", str(free_port()))
    try:
        time.sleep(1.5)  # importing and loading; the build is under way
        assert serving.process.poll() is None, serving.err
        assert serving.interrupt() == 0
        assert "Traceback" not in serving.err, serving.err
        assert serving.out.rstrip().endswith("stopped")
    finally:
        serving.kill()


def test_open_shows_the_site_in_the_web_browser(sample_blog: Path, start_serve, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser"
    browser.write_text(f"#!/bin/sh\necho \"$1\" > {opened}\n")
    browser.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(browser))  # what Python's webbrowser runs
    serving = start_serve(sample_blog, "--open")
    deadline = time.monotonic() + 20
    while not (opened.exists() and opened.read_text().endswith("\n")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert opened.read_text().strip() == serving.url


def test_help_describes_serve() -> None:
    result = run_cli(Path.cwd(), "serve", "--help")
    assert result.code == 0
    for option in ("--port", "--host", "--drafts, --no-drafts", "--open", ".cache/fitfocus/serve/"):
        assert option in result.out


# -- preview builds --------------------------------------------------------------------------------

TODAY = datetime.datetime.fromtimestamp(int(TODAY_EPOCH), datetime.timezone.utc).date()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))


def rename_exercise(site: Path) -> None:
    (site / "exercises/plank.md").rename(site / "exercises/front-plank.md")
    edit(site / "exercises/front-plank.md", "name: Plank", "name: Plank\naliases: [plank]")


# Applied one after another to one preview, each followed by a comparison with a clean build.
CHANGES = {
    "post body": lambda s: edit(s / "content/posts/2026-03-01-first.md", "Intro with", "A new intro with"),
    "routine": lambda s: edit(s / "content/posts/2026-03-01-first.md", "squat: 3 x 8-10", "squat: 4 x 6"),
    "post title listed elsewhere": lambda s: edit(s / "content/posts/2026-04-01-second.md", "title: Second",
                                                 "title: Second, Renamed"),
    "exercise used by a post": lambda s: edit(s / "exercises/squat.md", "Brace before you bend.", "Brace hard."),
    "exercise name": lambda s: edit(s / "exercises/sandbag-squat.md", "name: Sandbag Squat", "name: Bag Squat"),
    "renamed exercise": rename_exercise,
    "template": lambda s: edit(s / "templates/post.html", "How to do these moves", "How to do the moves"),
    "stylesheet": lambda s: (s / "templates/static/style.css").write_text("body { color: #123; }\n"),
    "new media file": lambda s: (s / "content/media/new.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>"),
    "settings": lambda s: edit(s / "pyproject.toml", 'title = "Small Test Blog"', 'title = "Renamed Blog"'),
    "draft published": lambda s: edit(s / "content/posts/2026-06-01-draft.md", "draft: true", "draft: false"),
    "deleted post": lambda s: (s / "content/posts/2026-05-01-third.md").unlink(),
    "new page": lambda s: (s / "content/pages/gear.md").write_text("---\ntitle: Gear\n---\nMy kit.\n"),
    "deleted page": lambda s: (s / "content/pages/about.md").unlink(),
    "base url": lambda s: edit(s / "pyproject.toml", "https://example.org/blog/", "https://example.org/"),
}


def clean_build(site: Path, out: Path) -> dict[str, bytes]:
    result = run_cli(site, "build", "--drafts", "--future", "--no-cache", "--jobs", "1", "--out", str(out))
    assert result.code == 0, result.err
    return read_tree(out)


def test_a_preview_equals_a_clean_build_after_every_kind_of_change(small_site: Path, tmp_path: Path) -> None:
    out = small_site / ".cache/fitfocus/serve"
    preview = PreviewSite(Options(root=small_site, out=out, templates=small_site / "templates", today=TODAY,
                                  drafts=True, future=True, cache=small_site / ".cache/fitfocus", search=False))
    changed = preview.build(TODAY).changed
    assert read_tree(out) == clean_build(small_site, tmp_path / "clean")
    assert "posts/first/index.html" in changed
    assert preview.build(TODAY).changed == []  # nothing changed: nothing written
    for number, (name, change) in enumerate(CHANGES.items()):
        before = read_tree(out)
        change(small_site)
        changed = preview.build(TODAY).changed
        after = read_tree(out)
        assert after == clean_build(small_site, tmp_path / f"clean-{number}"), f"after: {name}"
        assert changed == sorted(n for n in before.keys() | after.keys() if before.get(n) != after.get(n)), name
        assert changed, name


def test_a_preview_reports_only_what_a_stylesheet_edit_changed(small_site: Path) -> None:
    preview = PreviewSite(Options(root=small_site, out=small_site / "preview", templates=small_site / "templates",
                                  today=TODAY, drafts=True, future=True, search=False))
    preview.build(TODAY)
    with (small_site / "templates/static/style.css").open("a") as stylesheet:
        stylesheet.write("\nh1 { color: #123; }\n")
    assert preview.build(TODAY).changed == ["static/style.css"]


def test_a_failed_preview_build_changes_nothing(small_site: Path) -> None:
    out = small_site / "preview"
    preview = PreviewSite(Options(root=small_site, out=out, templates=small_site / "templates", today=TODAY,
                                  drafts=True, future=True, search=False))
    preview.build(TODAY)
    before = read_tree(out)
    page_template = small_site / "templates/page.html"
    good = page_template.read_text()
    page_template.write_text(good + "{% if %}\n")
    with pytest.raises(BuildFailed) as failure:
        preview.build(TODAY)
    assert failure.value.problems[0].path == "templates/page.html"
    assert failure.value.problems[0].message.startswith("template error")
    page_template.write_text(good)
    assert preview.build(TODAY).changed == []
    edit(small_site / "templates/post.html", "{{ post.title }}</h1>", "{{ post.title.nope() }}</h1>")
    with pytest.raises(BuildFailed) as failure:
        preview.build(TODAY)
    assert failure.value.problems[0].path == "templates/post.html"
    edit(small_site / "content/posts/2026-03-01-first.md", "squat: 3 x 8-10", "squatt: 3 x 8-10")
    with pytest.raises(BuildFailed):
        preview.build(TODAY)
    assert read_tree(out) == before
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".preview-")]  # no staging left behind


# -- the parts -----------------------------------------------------------------------------------


@pytest.fixture
def watch() -> Iterator[Callable[..., Watcher]]:
    """Make watchers with `watch(paths, **options)`; every one is closed at the end of the test."""
    made: list[Watcher] = []

    def make(paths: list[Path], **options: float) -> Watcher:
        made.append(Watcher(paths, **options))
        return made[-1]

    yield make
    for watcher in made:
        watcher.close()


def next_batch(watcher: Watcher, timeout: float = 10) -> list[str] | None:
    """What the next `wait` returns, or None if nothing came within `timeout` seconds."""
    stop = threading.Event()
    timer = threading.Timer(timeout, stop.set)
    timer.start()
    try:
        return watcher.wait(stop)
    finally:
        timer.cancel()


def batches_until(watcher: Watcher, expected: set[str], timeout: float = 10) -> set[str]:
    """Every path reported until all of `expected` was (or `timeout` seconds passed), over as many waits as it takes."""
    seen: set[str] = set()
    deadline = time.monotonic() + timeout
    while not expected <= seen:
        batch = next_batch(watcher, max(deadline - time.monotonic(), 0.01))
        if batch is None:
            break
        seen |= set(batch)
    return seen


def test_watcher_gathers_a_burst_into_one_batch(tmp_path: Path, watch) -> None:
    (tmp_path / "posts").mkdir()
    watcher = watch([tmp_path / "posts", tmp_path / "settings.toml"], quiet=0.15)

    def burst() -> None:
        for number in range(10):
            (tmp_path / "posts" / f"{number}.md").write_text("x")
            time.sleep(0.02)
        (tmp_path / "settings.toml").write_text("y")

    writer = threading.Thread(target=burst)
    writer.start()
    changed = next_batch(watcher)
    writer.join()
    written = [str(tmp_path / "posts" / f"{n}.md") for n in range(10)] + [str(tmp_path / "settings.toml")]
    assert changed == sorted(written)
    assert next_batch(watcher, timeout=0.3) is None  # nothing more happened


def test_watcher_sees_edits_deletions_and_renames_but_not_hidden_files(tmp_path: Path, watch) -> None:
    post = tmp_path / "a.md"
    post.write_text("one")
    watcher = watch([tmp_path])
    (tmp_path / ".a.md.swp").write_text("editor state")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "index").write_text("x")
    post.write_text("two")
    assert next_batch(watcher) == [str(post)]
    post.rename(tmp_path / "b.md")
    assert next_batch(watcher) == [str(post), str(tmp_path / "b.md")]
    (tmp_path / "b.md").unlink()
    assert next_batch(watcher) == [str(tmp_path / "b.md")]
    post.write_text("three")  # an editor's save: a hidden new file renamed over the old one
    (tmp_path / ".a.md.new").write_text("four")
    os.replace(tmp_path / ".a.md.new", post)
    assert batches_until(watcher, {str(post)}) == {str(post)}


def test_watcher_sees_files_in_folders_made_after_it_started(tmp_path: Path, watch) -> None:
    content = tmp_path / "content"
    content.mkdir()
    watcher = watch([content], quiet=0.2)
    (content / "posts" / "2026").mkdir(parents=True)
    (content / "posts" / "2026" / "a.md").write_text("made with its folders")
    assert next_batch(watcher) == [str(content / "posts" / "2026" / "a.md")]
    (content / "posts" / "2026" / "b.md").write_text("made later in the new folder")
    assert next_batch(watcher) == [str(content / "posts" / "2026" / "b.md")]


def test_watcher_sees_files_moved_in_and_removed_with_their_folder(tmp_path: Path, watch) -> None:
    content, elsewhere = tmp_path / "content", tmp_path / "elsewhere"
    (content / "posts").mkdir(parents=True)
    (elsewhere / "series").mkdir(parents=True)
    (elsewhere / "series" / "a.md").write_text("a")
    (elsewhere / "series" / ".a.md.swp").write_text("editor state")
    watcher = watch([content], quiet=0.2)
    (elsewhere / "series").rename(content / "posts" / "series")
    assert next_batch(watcher) == [str(content / "posts" / "series" / "a.md")]
    shutil.rmtree(content / "posts" / "series")
    assert next_batch(watcher) == [str(content / "posts" / "series" / "a.md")]
    (content / "posts" / "old").mkdir()
    (content / "posts" / "old" / "b.md").write_text("b")
    assert next_batch(watcher) == [str(content / "posts" / "old" / "b.md")]
    (content / "posts" / "old").rename(elsewhere / "old")  # its files are not reported one by one: name the folder
    assert next_batch(watcher) == [str(content / "posts" / "old")]


def test_watcher_waits_for_a_folder_that_does_not_exist_yet(tmp_path: Path, watch) -> None:
    templates = tmp_path / "templates"
    watcher = watch([templates, tmp_path / "content"], quiet=0.2)
    (templates / "static").mkdir(parents=True)
    (templates / "static" / "style.css").write_text("body {}")
    (templates / "base.html").write_text("<html>")
    written = {str(templates / "static" / "style.css"), str(templates / "base.html")}
    assert batches_until(watcher, written) == written
    (templates / "base.html").write_text("<html lang=en>")  # watched from now on
    assert next_batch(watcher) == [str(templates / "base.html")]
    shutil.rmtree(templates)
    assert batches_until(watcher, written) == written
    templates.mkdir()  # made again: watched again
    (templates / "post.html").write_text("<article>")
    assert batches_until(watcher, {str(templates / "post.html")}) == {str(templates / "post.html")}


def test_watcher_waits_for_a_file_that_does_not_exist_yet(tmp_path: Path, watch) -> None:
    settings, nested = tmp_path / "pyproject.toml", tmp_path / "a" / "b" / "notes.txt"
    watcher = watch([settings, nested])
    (tmp_path / "README.md").write_text("not watched")
    settings.write_text("[tool.fitfocus]")
    assert next_batch(watcher) == [str(settings)]
    (tmp_path / ".pyproject.toml.new").write_text("[tool.fitfocus]\ntitle = 'x'")
    os.replace(tmp_path / ".pyproject.toml.new", settings)
    assert batches_until(watcher, {str(settings)}) == {str(settings)}
    settings.unlink()
    assert next_batch(watcher) == [str(settings)]
    nested.parent.mkdir(parents=True)
    nested.write_text("two folders down")
    assert batches_until(watcher, {str(nested)}) == {str(nested)}


def test_watcher_keeps_changes_made_while_the_caller_rebuilds(tmp_path: Path, watch) -> None:
    watcher = watch([tmp_path])
    (tmp_path / "a.md").write_text("a")
    assert next_batch(watcher) == [str(tmp_path / "a.md")]
    (tmp_path / "b.md").write_text("b")  # the caller is rebuilding: nobody waits
    (tmp_path / "a.md").unlink()
    time.sleep(0.3)
    assert batches_until(watcher, {str(tmp_path / "a.md"), str(tmp_path / "b.md")}) == {
        str(tmp_path / "a.md"), str(tmp_path / "b.md")}


def test_watcher_returns_none_soon_after_stop_is_set(tmp_path: Path, watch) -> None:
    watcher = watch([tmp_path])
    stop = threading.Event()
    results: list[list[str] | None] = []
    waiting = threading.Thread(target=lambda: results.append(watcher.wait(stop)))
    waiting.start()
    time.sleep(0.2)
    stop.set()
    waiting.join(timeout=5)
    assert not waiting.is_alive() and results == [None]
    (tmp_path / "a.md").write_text("a")
    assert watcher.wait(stop) is None  # stop stays set


def test_overlay_shows_the_formatted_problems_escaped() -> None:
    problem = Problem("content/posts/x.md", 3, 5, "unknown exercise `<squat>`", "did you mean `squat`?",
                      "  - <squat>: 3 x 10")
    page = server.inject(b"<html><head><title>x</title></head><body><p>hi</p></body></html>",
                         format_problems([problem])).decode()
    assert page.index("livereload.js") < page.index("</head>") < page.index("<p>hi</p>") < page.index(
        "fitfocus-problems") < page.index("</body>")
    assert "content/posts/x.md:3:5: error: unknown exercise `&lt;squat&gt;`" in page
    assert "    3 |   - &lt;squat&gt;: 3 x 10" in page
    assert "  hint: did you mean `squat`?" in page
    assert "1 error; nothing was written." in page
    assert "fitfocus-problems" not in server.inject(b"<html><head></head><body></body></html>", None).decode()


def test_only_stylesheet_changes_reload_stylesheets_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[str] = []
    monkeypatch.setattr(LiveReloadHandler, "reload_waiters", sent.append)
    preview = server.ServedSite(tmp_path, server.Outcome)
    preview.base_path = "/fit/"
    first = preview.generation
    preview.reload(["static/card.css", "static/style.css"], False)
    assert sent == ["/fit/static/card.css", "/fit/static/style.css"]
    assert preview.generation != first  # pages served before this reload are older than it
    sent.clear()
    preview.reload(["posts/x/index.html", "static/style.css"], False)
    assert sent == ["*"]
    sent.clear()
    preview.reload(["static/style.css"], True)  # the overlay appeared or went: the whole page
    assert sent == ["*"]
    sent.clear()
    second = preview.generation
    preview.reload([], False)  # nothing changed: no reload
    assert sent == [] and preview.generation == second


def test_other_hosts_than_loopback_get_a_warning() -> None:
    assert server.exposure_warning("127.0.0.1") is None
    assert server.exposure_warning("localhost") is None
    assert server.exposure_warning("::1") is None
    assert server.exposure_warning("0.0.0.0") == (
        "warning: serving on 0.0.0.0: other machines on your network can open this preview, drafts included; "
        "use the default 127.0.0.1 unless you mean to")
