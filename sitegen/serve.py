"""`sitegen serve`: build into a private folder, serve it on loopback, rebuild on change, and
tell open pages to reload (or show the build's errors over the page).

The server serves the built site and nothing else: GET and HEAD only, no directory listings, no
path or symlink escape, and only `Host` names of this machine (DNS rebinding), as
spec/security.md section 5 asks. The reload script is added to pages as they are served, so it
never reaches a built site.
"""
from __future__ import annotations

import dataclasses
import http.server
import ipaddress
import json
import os
import posixpath
import shutil
import socket
import sys
import tempfile
import threading
import traceback
import webbrowser
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2

from .build import Result, build
from .config import Config, ConfigError
from .report import ERROR, printable
from .theme import ThemeError
from .write import OutputError

PREFIX = "/__sitegen/"
CSP = ("default-src 'none'; img-src 'self' https: data:; media-src 'self' https:; style-src 'self'; "
       "script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'")
TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml",
    ".xml": "application/xml", ".txt": "text/plain; charset=utf-8", ".png": "image/png",
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
    ".avif": "image/avif", ".wav": "audio/wav", ".mp3": "audio/mpeg", ".flac": "audio/flac",
    ".ogg": "audio/ogg", ".m4a": "audio/mp4", ".mp4": "video/mp4", ".webm": "video/webm",
}


class Preview:
    """A site built in a private folder, rebuilt on demand, and the state open pages follow."""

    def __init__(self, config: Config, reconfigure: Callable[[], Config] | None = None):
        self.base = Path(tempfile.mkdtemp(prefix="sitegen-serve-")).resolve()
        self.root = self.base / "site"  # beside it: the build's cache and temp folders
        self.config = dataclasses.replace(config, output=self.root, show_checks=True, cache=True)
        self.reconfigure = reconfigure
        self.version = 0
        self.listeners = 0  # pages listening for rebuilds now
        self.problems: list[str] = []
        self.changed = threading.Condition()
        self.result: Result | None = None

    def rebuild(self, config_changed: bool = False) -> str:
        """Build again, writing only what changed; return a line saying what happened."""
        try:
            if config_changed and self.reconfigure:
                self.config = dataclasses.replace(self.reconfigure(), output=self.root, show_checks=True,
                                                  cache=True)
            result = build(self.config)
        except (ThemeError, OutputError, ValueError, jinja2.TemplateError) as exc:
            problems, line = [_describe(exc)], f"sitegen: build failed, still serving the last good site: {_describe(exc)}"
        except Exception:  # a bug: say so, keep serving the last good site
            problems = ["sitegen: internal error (a bug; please report it):\n" + traceback.format_exc()]
            line = problems[0]
        else:
            self.result = result
            problems = [d.format() for d in result.report.sorted() if d.level == ERROR]
            line = f"sitegen: built {result.summary()}; {result.changed} files changed"
        with self.changed:
            self.version += 1
            self.problems = problems
            self.changed.notify_all()
        return line

    def close(self) -> None:
        with self.changed:
            self.version = -1  # tells event streams to end
            self.changed.notify_all()
        shutil.rmtree(self.base, ignore_errors=True)

    def start_page(self) -> str:
        """The page to open first: the model's own page when previewing one repo."""
        if self.result and self.result.models == 1:  # (asks for no Entry of a larger site)
            return self.result.site.models[0].path
        return "index.html"


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ConfigError):
        return str(exc)
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"{exc.filename or exc.name}:{exc.lineno}: error: template: {exc.message}"
    return f"error: {exc}"


def allowed_hosts(host: str, port: int) -> set[str] | None:
    """The Host headers to answer, or None for any (a server opened to the network)."""
    if host in ("0.0.0.0", "::", ""):
        return None
    names = {"localhost", "127.0.0.1", "[::1]", host if ":" not in host else f"[{host}]"}
    return names | {f"{n}:{port}" for n in names}


def is_loopback(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Handler(http.server.BaseHTTPRequestHandler):
    """Serve the preview's folder and its two live endpoints; refuse everything else."""

    preview: Preview
    hosts: set[str] | None
    server_version = "sitegen"
    sys_version = ""

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
        if self.hosts is not None and self.headers.get("Host", "").lower() not in self.hosts:
            return self._send(403, b"Unknown host\n", "text/plain; charset=utf-8", body)
        path = urlsplit(self.path).path
        if path == PREFIX + "events":
            return self._events()
        if path.startswith(PREFIX) and path[len(PREFIX):] in ("reload.js", "overlay.css"):
            data = resources.files("sitegen.data").joinpath(path[len(PREFIX):]).read_bytes()
            return self._send(200, data, TYPES[Path(path).suffix], body)
        file = self._locate(path)
        if file is None:
            missing = self.preview.root / "404.html"
            data = missing.read_bytes() if missing.is_file() else b"Not found\n"
            return self._send(404, self._inject(data), TYPES[".html"], body)
        data = file.read_bytes()
        kind = TYPES.get(file.suffix.lower(), "application/octet-stream")
        self._send(200, self._inject(data) if file.suffix == ".html" else data, kind, body)

    def _locate(self, url_path: str) -> Path | None:
        """Map a URL path to a file of the site, or None (spec/security.md section 5)."""
        try:
            rel = unquote(url_path, errors="strict")
        except UnicodeDecodeError:
            return None
        if "\0" in rel or "\\" in rel:
            return None
        rel = posixpath.normpath("/" + rel).lstrip("/")
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
        return html.replace(b"</head>", tags.encode(), 1)

    def _send(self, status: int, data: bytes, kind: str, body: bool, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in {"Content-Type": kind, "Content-Length": str(len(data)),
                            "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
                            "Content-Security-Policy": CSP, **(extra or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _events(self) -> None:
        """Stream the build's version and errors (server-sent events) until the page goes."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state, seen = self.preview, None
        with state.changed:
            state.listeners += 1
        try:
            while True:
                with state.changed:
                    state.changed.wait_for(lambda: state.version != seen, timeout=10)
                    version, problems = state.version, list(state.problems)
                if version < 0:
                    return
                if version == seen:
                    self.wfile.write(b": still here\n\n")  # finds pages that have gone
                else:
                    message = json.dumps({"version": version, "problems": problems})
                    self.wfile.write(f"data: {message}\n\n".encode())
                    seen = version
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return
        finally:
            with state.changed:
                state.listeners -= 1


def make_server(preview: Preview, host: str, port: int) -> http.server.ThreadingHTTPServer:
    """Bind the preview's server (port 0 picks a free one)."""
    class Bound(Handler):
        pass

    Bound.preview, Bound.hosts = preview, None
    server_class = type("Server", (http.server.ThreadingHTTPServer,), {
        "daemon_threads": True, "block_on_close": False,
        "address_family": socket.AF_INET6 if ":" in host else socket.AF_INET})
    server = server_class((host, port), Bound)
    Bound.hosts = allowed_hosts(host, server.server_address[1])
    return server


def watch(preview: Preview, stop: threading.Event, config_file: Path | None = None,
          report: Callable[[str], None] = print) -> None:
    """Rebuild whenever a repo, the theme or the config file changes, until `stop` is set."""
    from watchfiles import watch as changes  # imported here: `build` never needs it

    config = preview.config
    paths = [p for p in (config.source, config.theme, config_file) if p is not None]
    for batch in changes(*paths, stop_event=stop, debounce=400, step=50):
        changed = {Path(p).resolve() for _, p in batch}
        report(_printable(preview.rebuild(config_changed=config_file is not None
                                          and config_file.resolve() in changed)))


def _printable(text: str) -> str:
    """A message (a traceback has several lines) with each line made safe to print."""
    return "\n".join(printable(line) for line in text.split("\n"))


def serve(config: Config, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False,
          config_file: Path | None = None, reconfigure: Callable[[], Config] | None = None) -> int:
    """Serve a live preview until Ctrl-C; return the exit code."""
    preview = Preview(config, reconfigure)
    try:
        print(_printable(preview.rebuild()), flush=True)
        if preview.result is None:
            print(_printable(f"sitegen: error: {preview.problems[0]}"), file=sys.stderr)
            return 2
        try:
            server = make_server(preview, host, port)
        except OSError as exc:
            print(printable(f"sitegen: error: cannot listen on {host}:{port}: {exc.strerror}; "
                            "try another --port"), file=sys.stderr)
            return 2
        if not is_loopback(host):
            print(printable(f"sitegen: warning: serving on {host}: other machines can read this preview"),
                  file=sys.stderr)
        bound = server.server_address[1]
        url = f"http://{'localhost' if is_loopback(host) else host}:{bound}/{preview.start_page()}"
        print(printable(f"sitegen: serving {url} (Ctrl-C to stop)"), flush=True)
        stop = threading.Event()
        watcher = threading.Thread(target=watch, args=(preview, stop, config_file), daemon=True)
        watcher.start()
        if open_browser:
            threading.Timer(0.3, webbrowser.open, args=(url,)).start()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("\nsitegen: stopped", file=sys.stderr)
        finally:
            stop.set()
            server.server_close()
        return 0
    finally:
        preview.close()
