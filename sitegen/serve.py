"""`sitegen serve`: build privately, serve on loopback, rebuild on change, reload open pages."""
# Build into a private folder, serve it on loopback, rebuild on change, and
# tell open pages to reload (or show the build's errors over the page).
#
# What the server answers, and to whom, is `server.py`'s. The reload script is added to pages as
# they are served, so it never reaches a built site. Rebuilds keep a build's limits on each model.
from __future__ import annotations

import dataclasses
import os
import shutil
import sys
import tempfile
import threading
import traceback
import webbrowser
from collections.abc import Callable
from pathlib import Path

import jinja2

from . import cache, pool
from .build import Result, build
from .config import Config, ConfigError
from .load.discover import site_dir
from .make import Outcome
from .report import ERROR, printable
from .server import is_loopback, make_server
from .theme import ThemeError
from .write import OutputError

# What a worker needs to build a model, loaded once by the fork server.
PRELOAD = ("sitegen.make", "sitegen.hub.lint", "sitegen.render", "sitegen.load.repo", "sitegen.resolve",
           "sitegen.load.yamlstrict")


class Preview:
    """A site built in a private folder, rebuilt on demand, and the state open pages follow."""

    def __init__(self, config: Config, reconfigure: Callable[[], Config] | None = None):
        self.base = Path(tempfile.mkdtemp(prefix="sitegen-serve-")).resolve()
        self.root = self.base / "site"  # beside it: the build's temp folders
        self.config = dataclasses.replace(config, output=self.root, show_checks=True, cache=True)
        self.reconfigure = reconfigure
        self.version = 0
        self.listeners = 0  # pages listening for rebuilds now
        self.problems: list[str] = []
        self.changed = threading.Condition()
        self.result: Result | None = None
        self.kept = LastGood(self.root, self.base / "kept")
        # Models build in worker processes, under the time and memory limits, kept warm between
        # rebuilds. They come from a fork server: this process runs threads, and a fork would
        # copy the locks they hold (stderr's, when one prints) into a child that can never
        # take them.
        self.workers = pool.Kept("forkserver", preload=PRELOAD)

    def rebuild(self, config_changed: bool = False) -> str:
        """Build again, writing only what changed; return a line saying what happened."""
        try:
            if config_changed and self.reconfigure:
                self.config = dataclasses.replace(self.reconfigure(), output=self.root, show_checks=True,
                                                  cache=True)
            result = build(self.config, kept=self.workers)
        except (ThemeError, OutputError, ValueError, jinja2.TemplateError) as exc:
            problems, line = [_describe(exc)], f"sitegen: build failed, still serving the last good site: {_describe(exc)}"
        except Exception:  # a bug: say so, keep serving the last good site
            problems = ["sitegen: internal error (a bug; please report it):\n" + traceback.format_exc()]
            line = problems[0]
        else:
            self.result = result
            self.kept.update(result.outcomes)
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
        self.workers.close()
        try:  # this preview's output goes for good: so does its state in the user's cache
            shutil.rmtree(cache.state_path(self.root), ignore_errors=True)
        except RuntimeError:  # no home folder: nothing was kept
            pass
        shutil.rmtree(self.base, ignore_errors=True)

    def start_page(self) -> str:
        """The page to open first: the model's own page (or what stops it) when previewing one repo."""
        if self.result and self.result.models == 1:  # (asks for no Entry of a larger site)
            return self.result.site.models[0].path
        if self.result and self.result.models == 0 and len(self.result.outcomes) == 1:
            return site_dir(self.result.outcomes[0].id) + "/index.html"
        return "index.html"

    def last_good(self, rel: str) -> Path | None:
        """The kept file of a model the last build skipped, for a site path, or None."""
        return self.kept.file(rel)

    def never_built(self, rel: str) -> tuple[str, list[str]] | None:
        """The id and errors of a model that never built, for a path in its folder, or None."""
        return self.kept.failure(rel)


class LastGood:
    """Each model's files from its last good build, hard-linked (or copied) into a folder
    beside the site: a model the build skips goes on being served from there."""

    def __init__(self, site: Path, folder: Path):
        self.site, self.folder = site, folder
        self.good: dict[str, tuple[str, ...]] = {}  # repo -> the files of its last good build
        self.stale: dict[str, str] = {}  # site path -> repo, for the models skipped now
        self.failed: dict[str, tuple[str, list[str]]] = {}  # folder -> (id, errors), never built

    def update(self, outcomes: tuple[Outcome, ...]) -> None:
        """Keep the files of each model built; note those skipped, served from the kept files."""
        stale: dict[str, str] = {}
        failed: dict[str, tuple[str, list[str]]] = {}
        for o in outcomes:
            if o.entry is not None:
                self._keep(o.shown, o.files)
            elif o.shown in self.good:
                stale.update((path, o.shown) for path in self.good[o.shown])
            else:
                errors = [d.format() for d in o.diagnostics if d.level == ERROR]
                failed[site_dir(o.id)] = (o.id, errors or [d.format() for d in o.diagnostics])
        for gone in set(self.good) - {o.shown for o in outcomes}:  # removed repos are not served
            self._drop(self.good.pop(gone))
        self.stale, self.failed = stale, failed

    def _keep(self, repo: str, files: tuple[str, ...]) -> None:
        self._drop(tuple(set(self.good.get(repo, ())) - set(files)))
        self.good[repo] = files
        for path in files:
            source, copy = self.site / path, self.folder / path
            try:
                if copy.exists() and os.path.samefile(source, copy):
                    continue  # kept already (the build replaces a file, never writes into it)
                copy.unlink(missing_ok=True)
                copy.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(source, copy)
                except OSError:
                    shutil.copy2(source, copy)
            except OSError:  # not kept: the model's page is not served while it fails
                continue

    def _drop(self, files: tuple[str, ...]) -> None:
        for path in files:
            (self.folder / path).unlink(missing_ok=True)

    def file(self, rel: str) -> Path | None:
        for path in (rel, f"{rel}/index.html" if rel else "index.html"):
            if path in self.stale:
                return self.folder / path
        return None

    def failure(self, rel: str) -> tuple[str, list[str]] | None:
        parts = rel.split("/")
        for n in range(len(parts), 0, -1):
            found = self.failed.get("/".join(parts[:n]))
            if found:
                return found
        return None


def _describe(exc: BaseException) -> str:
    if isinstance(exc, (ConfigError, ThemeError)):
        return str(exc)
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"{exc.filename or exc.name}:{exc.lineno}: error: template: {exc.message}"
    return f"error: {exc}"

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
