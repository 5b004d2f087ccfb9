"""Which requests the dev server answers: only for its own Host (no DNS rebinding), and only paths
that name a file below the served folder."""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import unquote_to_bytes, urlsplit

from tornado import web


class AllowedHosts:
    """The Host headers served: the server's own address, so no web page can reach it by a name of its
    own pointed at 127.0.0.1 (DNS rebinding).

    Those are `127.0.0.1`, `localhost`, `[::1]` and the `host` served on, each with the port served on
    (no port means 80). Served on every address (`0.0.0.0`, `::`), also any IP address and the
    machine's name (`socket.gethostname()`, its first label, and that with `.local`): no other site
    can point those at the machine. Names are compared ignoring case and a trailing dot.
    """

    def __init__(self, host: str, port: int) -> None:
        self.port = port
        self.any_address = host in ("", "0.0.0.0", "::")
        names = {"localhost", "127.0.0.1", "::1", _host_name(host.strip("[]"))}
        if self.any_address:
            machine = _host_name(socket.gethostname())
            names |= {machine, machine.split(".")[0], machine.split(".")[0] + ".local"}
        self.names = frozenset(name for name in names if name)

    def allows(self, header: str | None) -> bool:
        """Whether a request with this Host header (None when it had none) is served."""
        if not header or any(ch in header for ch in "@/\\?# "):  # only `name`, `name:port`, `[v6]:port`
            return False
        try:
            parts = urlsplit("//" + header)
            name, port = parts.hostname, parts.port  # port: ValueError unless digits
        except ValueError:
            return False
        if not name or (80 if port is None else port) != self.port:
            return False
        name = _host_name(name)
        return name in self.names or (self.any_address and _is_ip(name))


def _host_name(name: str) -> str:
    """A host name or address as compared: lower case, no trailing dot, an IP address in its usual form."""
    name = name.lower().removesuffix(".")
    return str(ipaddress.ip_address(name)) if _is_ip(name) else name


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def refuse(handler: web.RequestHandler, status: int, message: str) -> None:
    """Answer `status` with a one-line plain-text `message`."""
    handler.clear()
    handler.set_status(status)
    handler.set_header("Content-Type", "text/plain; charset=utf-8")
    handler.finish(message + "\n")


class HostCheck(web.RequestHandler):
    """Mixed into every handler: a request for another Host than the application's `allowed_hosts` gets 403."""

    def prepare(self) -> None:
        if not self.settings["allowed_hosts"].allows(self.request.headers.get("Host")):
            refuse(self, 403, "unknown Host header")


class BadTarget(HostCheck):
    """A request target that is not a path (`*`, `http://…`): 400."""

    def prepare(self) -> None:
        super().prepare()
        if not self._finished:
            refuse(self, 400, "bad request path")


def decode_path(raw: str) -> str:
    """A request's path as the file path it names: percent-decoded, `.` and `..` segments resolved.

    Raises ValueError for a path that cannot name a file below the served folder: one with a `%` not
    followed by two hex digits, bytes that are not UTF-8, a NUL byte or a backslash, or a `..` above `/`.
    """
    if not raw.startswith("/"):
        raise ValueError("it does not start with /")
    if re.search(r"%(?![0-9A-Fa-f]{2})", raw):
        raise ValueError("invalid percent-encoding")
    try:  # tornado decodes the request line as Latin-1: encoding it again gives the bytes sent
        path = unquote_to_bytes(raw.encode("latin-1")).decode("utf-8")
    except UnicodeError:
        raise ValueError("not UTF-8") from None
    if "\0" in path or "\\" in path:
        raise ValueError("a NUL byte or a backslash")
    segments = path.split("/")[1:]
    kept: list[str] = []
    for segment in segments:
        if segment == "..":
            if not kept:
                raise ValueError("`..` above the root")
            kept.pop()
        elif segment != ".":
            kept.append(segment)
    if segments[-1] in (".", ".."):
        kept.append("")  # `/a/b/..` is the folder `/a/`
    return "/" + "/".join(kept)
