"""The preview's HTTP server: the built site and two live endpoints, for this machine only."""
# GET and HEAD only, no directory listings, no path or symlink escape, only `Host` names of this
# machine and no answer to another site's page (hosts.py), as spec/security.md section 5 asks;
# `Cross-Origin-Resource-Policy` on every answer, a deadline for each request to arrive, and caps
# on connections and on open pages listening for rebuilds.
from __future__ import annotations

import http.server
import io
import json
import os
import posixpath
import socket
import threading
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from .hosts import allowed_hosts, foreign, is_loopback
from .preview_pages import CSP, error_page, style_csp

__all__ = ["Limits", "Preview", "Server", "allowed_hosts", "is_loopback", "make_server"]

PREFIX = "/__sitegen/"
HEADERS = {  # on every answer
    "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Content-Security-Policy": CSP,
    "Cross-Origin-Resource-Policy": "same-origin",  # no other site may embed or read an answer
}
TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml",
    ".xml": "application/xml", ".txt": "text/plain; charset=utf-8", ".png": "image/png",
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
    ".avif": "image/avif", ".wav": "audio/wav", ".mp3": "audio/mpeg", ".flac": "audio/flac",
    ".ogg": "audio/ogg", ".m4a": "audio/mp4", ".mp4": "video/mp4", ".webm": "video/webm",
}


class Preview(Protocol):
    """What the server reads of the preview (serve.Preview): its folder and the build state."""

    root: Path
    version: int  # the build's number; below 0 once the preview closes
    problems: list[str]
    changed: threading.Condition  # notified when version, problems or listeners change
    listeners: int

    def last_good(self, rel: str) -> Path | None:
        """The kept file of a model the build skipped now, for a site path."""

    def never_built(self, rel: str) -> tuple[str, list[str]] | None:
        """The id and errors of a model that never built, for a path in its folder."""


@dataclass(frozen=True)
class Limits:
    """What the server grants one client: time to send its request, and places to take."""

    head_seconds: float = 5.0  # to send the request line and headers, however slowly they drip
    send_seconds: float = 30.0  # for each write of a response (a client that stops reading)
    requests: int = 32  # connections handled at once; past that, 503
    streams: int = 16  # open pages listening for rebuilds; past that, the oldest is told to stop


class _Head(io.RawIOBase):
    """A socket read against one deadline: a request head dripped a byte at a time still has
    to arrive within it (a timeout per read would never end)."""

    def __init__(self, sock: socket.socket, seconds: float):
        self.sock, self.end = sock, time.monotonic() + seconds

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        left = self.end - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request took too long to arrive")
        self.sock.settimeout(left)
        return self.sock.recv_into(buffer)


class Handler(http.server.BaseHTTPRequestHandler):
    """Serve the preview's folder and its two live endpoints; refuse everything else."""

    preview: Preview
    hosts: set[str] | None
    limits: Limits
    server: Server
    server_version = "sitegen"
    sys_version = ""
    ended = False  # an event stream told to stop (too many open)

    def setup(self) -> None:
        super().setup()
        self.rfile.close()  # (the socket stays open)
        self.rfile = io.BufferedReader(_Head(self.connection, self.limits.head_seconds))

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _refuse(self) -> None:
        self._send(405, b"Method not allowed\n", "text/plain; charset=utf-8", True, {"Allow": "GET, HEAD"})

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal shows builds, not requests

    def _answer(self, body: bool) -> None:
        self.connection.settimeout(self.limits.send_seconds)  # the head is in: now the answer
        refused = foreign(self.headers, self.hosts)
        if refused:
            return self._send(403, refused.encode(), "text/plain; charset=utf-8", body)
        path = urlsplit(self.path).path
        if path == PREFIX + "events":
            return self._events()
        if path.startswith(PREFIX) and path[len(PREFIX):] in ("reload.js", "overlay.css"):
            data = resources.files("sitegen.data").joinpath(path[len(PREFIX):]).read_bytes()
            return self._send(200, data, TYPES[Path(path).suffix], body)
        rel = _relative(path)
        file = self._locate(rel) if rel is not None else None
        if file is None and rel is not None:  # a model the build skips now: its last good files
            file = self.preview.last_good(rel)
        if file is None:
            return self._missing(rel, body)
        try:
            data = file.read_bytes()
        except OSError:
            return self._missing(rel, body)
        kind = TYPES.get(file.suffix.lower(), "application/octet-stream")
        if file.suffix == ".html":
            return self._send(200, self._inject(data), kind, body, style_csp(data))
        self._send(200, data, kind, body)

    def _missing(self, rel: str | None, body: bool) -> None:
        """A model that never built: a page that says what to fix; else the site's 404 page."""
        failed = self.preview.never_built(rel) if rel is not None else None
        if failed:
            data = error_page(*failed)
        else:
            missing = self.preview.root / "404.html"
            data = missing.read_bytes() if missing.is_file() else error_page("", [])
        self._send(404, self._inject(data), TYPES[".html"], body, style_csp(data))

    def _locate(self, rel: str) -> Path | None:
        """Map a site path to a file of the site, or None (spec/security.md section 5)."""
        root = str(self.preview.root)
        full = os.path.realpath(os.path.join(root, rel))
        if full != root and not full.startswith(root + os.sep):
            return None
        if os.path.isdir(full):
            full = os.path.join(full, "index.html")  # as Pages does; never a listing
        return Path(full) if os.path.isfile(full) else None

    def _inject(self, html: bytes) -> bytes:
        tags = (f'<link rel="stylesheet" href="{PREFIX}overlay.css">'
                f'<script src="{PREFIX}reload.js?v={self.preview.version}" defer></script></head>')
        html = html.replace(b"default-src 'none';", b"default-src 'none'; connect-src 'self';", 1)
        html = html.replace(b"style-src 'sha256-", b"style-src 'self' 'sha256-", 1)  # (the 404 page)
        return html.replace(b"</head>", tags.encode(), 1)

    def _send(self, status: int, data: bytes, kind: str, body: bool, extra: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            for name, value in {"Content-Type": kind, "Content-Length": str(len(data)), **HEADERS,
                                **(extra or {})}.items():
                self.send_header(name, value)
            self.end_headers()
            if body:
                self.wfile.write(data)
        except OSError:  # the client went, or stopped reading
            self.close_connection = True

    def _events(self) -> None:
        """Stream the build's version and errors (server-sent events) until the page goes, or
        until too many newer pages listen (then it is told to stop, and does not reconnect)."""
        self.send_response(200)
        for name, value in {"Content-Type": "text/event-stream", **HEADERS}.items():
            self.send_header(name, value)
        self.end_headers()
        state, seen = self.preview, None
        self.server.stream_opened(self)
        try:
            while True:
                with state.changed:
                    state.changed.wait_for(lambda: state.version != seen or self.ended, timeout=10)
                    version, problems = state.version, list(state.problems)
                if version < 0:
                    return
                if self.ended:
                    self.wfile.write(b"event: bye\ndata: too many open pages\n\n")
                    return
                if version == seen:
                    self.wfile.write(b": still here\n\n")  # finds pages that have gone
                else:
                    message = json.dumps({"version": version, "problems": problems})
                    self.wfile.write(f"data: {message}\n\n".encode())
                    seen = version
                self.wfile.flush()
        except OSError:  # the page went, or stopped reading
            return
        finally:
            self.server.stream_closed(self)


def _relative(url_path: str) -> str | None:
    """A URL path as a path inside the site (not yet checked against links), or None."""
    try:
        rel = unquote(url_path, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\0" in rel or "\\" in rel:
        return None
    return posixpath.normpath("/" + rel).lstrip("/")


class Server(http.server.ThreadingHTTPServer):
    """A thread per connection, up to `limits.requests` at once; event streams, which last as
    long as their page is open, are counted apart (up to `limits.streams`)."""

    daemon_threads = True
    block_on_close = False
    limits: Limits
    preview: Preview

    def server_activate(self) -> None:
        super().server_activate()
        self.lock = threading.Lock()
        self.busy = 0  # connections being handled, streams not counted
        self.streams: list[Handler] = []  # oldest first

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.lock:
            full = self.busy >= self.limits.requests
            self.busy += not full
        if full:  # answered from this thread, so without waiting on the client
            try:
                request.setblocking(False)
                request.send(b"HTTP/1.0 503 Service Unavailable\r\nContent-Length: 0\r\n"
                             b"Retry-After: 1\r\nConnection: close\r\n\r\n")
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self.lock:
                self.busy -= 1

    def stream_opened(self, handler: Handler) -> None:
        """Count a stream apart from requests; past the cap, end the oldest (the newest page
        is the one being looked at)."""
        with self.lock:
            self.busy -= 1
            self.streams.append(handler)
            evicted = self.streams[:-self.limits.streams] if len(self.streams) > self.limits.streams else []
            del self.streams[:len(evicted)]
        with self.preview.changed:
            self.preview.listeners += 1
            for old in evicted:
                old.ended = True
            self.preview.changed.notify_all()

    def stream_closed(self, handler: Handler) -> None:
        with self.lock:
            self.busy += 1
            if handler in self.streams:
                self.streams.remove(handler)
        with self.preview.changed:
            self.preview.listeners -= 1


def make_server(preview: Preview, host: str, port: int, limits: Limits = Limits()) -> Server:
    """Bind the preview's server (port 0 picks a free one)."""
    class Bound(Handler):
        pass

    Bound.preview, Bound.hosts, Bound.limits = preview, None, limits
    server_class = type("Bound", (Server,), {"address_family": socket.AF_INET6 if ":" in host else socket.AF_INET,
                                             "limits": limits, "preview": preview})
    server = server_class((host, port), Bound)
    Bound.hosts = allowed_hosts(host, server.server_address[1])
    return server
