"""Make the pages of the models that changed (load, resolve, render, write), in the pool or in-process."""
from __future__ import annotations

import dataclasses
import functools
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import pool, summary
from .aggregate import Entry, Site
from .cache import repo_key
from .config import Config
from .load.discover import RepoDir
from .load.repo import RepoFile, updated_day
from .render import entry_digest
from .tree import Tree, page_tree, tree_digest
from .report import ERROR, CardError, Diagnostic, Report, capped, visible
from .theme import PageTooLarge, ThemeError, environment, template
from .write import OutputError, write_copy, write_file

if TYPE_CHECKING:
    from .resolve import ModelPage


@dataclass(frozen=True)
class Outcome:
    """What became of one repo: the record the lists show (None when it was skipped), its
    diagnostics, and what a rebuild needs to know to keep or replace its files."""

    id: str
    shown: str
    entry: Entry | None
    diagnostics: tuple[Diagnostic, ...]
    line: str = ""  # `sitegen check`'s summary line
    facts: Any = None  # `check --format json`'s object
    files: tuple[str, ...] = ()  # site paths it wrote
    mentions: tuple[str, ...] = ()  # ids of models its page names
    linked: tuple[str, ...] = ()  # those of them its page links to (they were in the site)
    digest: str = ""  # of its entry, for the aggregate pages
    key: str = ""  # of its repo's inputs
    tree: str = ""  # the digest of the model tree its page shows
    span: tuple[int, int] | None = None  # where its page's tree section lies (render.model_files)

    def summary(self) -> str:
        return self.line

    def as_json(self) -> dict[str, Any]:
        return dict(self.facts or {})


@dataclass(frozen=True)
class Job:
    """What a worker needs to build any model: sent to each worker once."""

    config: Config
    stage: str  # the folder to write into; empty: check only
    paths: dict[str, str]  # id -> page path of each model expected in the site
    trees: dict[str, Tree] = dataclasses.field(default_factory=dict)  # id -> its model tree, as expected


Item = tuple[RepoDir, tuple[RepoFile, ...], str]  # a repo, its files as listed, their key if known


def logo(config: Config) -> str:
    """The site path of the owner's logo ("" if none)."""
    return f"static/logo{config.logo.suffix.lower()}" if config.logo else ""


def settings(config: Config) -> Site:
    """The site as a model page sees it: its settings, not its list of models."""
    return Site(config.title, config.base_url.rstrip("/"), (), logo(config), config.links,
                config.hub_url.rstrip("/"), config.offline_media)


def load_one(repo_dir: RepoDir, config: Config, files: tuple[RepoFile, ...] | None = None
             ) -> tuple[ModelPage | None, tuple[Diagnostic, ...]]:
    """Load, check and resolve one repo into its page (None if it cannot be built)."""
    # Imported here: a rebuild that finds nothing changed never loads markdown, Pygments or Pillow.
    from .hub.lint import lint
    from .load.repo import load_repo
    from .resolve import resolve_model

    own = Report()
    page: ModelPage | None = None
    try:
        repo = load_repo(repo_dir, own, files)
        lint(repo, own)
        page = resolve_model(repo, own, config.source_date_epoch, config.offline_media)
        Entry.of(page)  # checks the record's types: the lists, made in the parent, cannot fail on it
    except CardError as exc:
        own.items.append(exc.diagnostic)
    except (MemoryError, RecursionError):
        raise  # the pool reports these as the model's limits
    except Exception as exc:  # a bug, met on this card: the card is skipped, never the build
        own.items.append(internal_error(repo_dir, exc))
        page = None
    checks = tuple(capped(own.items))  # what leaves the worker is bounded
    if page is not None and config.show_checks:
        # On the page, paths read relative to the repo: README.md, .eval_results/x.yaml.
        page = dataclasses.replace(page, checks=tuple(
            dataclasses.replace(d, path=os.path.relpath(d.path, repo_dir.shown)) for d in checks))
    return page, checks


def internal_error(repo_dir: RepoDir, exc: Exception) -> Diagnostic:
    """The located error of a card that sitegen failed on (a bug, not the card's fault)."""
    text = visible(" ".join(str(exc).split()))  # one line, controls made visible: it may quote the card
    text = text if len(text) <= 200 else text[:197] + "..."
    return Diagnostic(ERROR, f"skipped: sitegen failed on this card ({type(exc).__name__}: {text}); "
                             "please report it", os.path.join(repo_dir.shown, "README.md"))


def make(job: Job, repo_dir: RepoDir, key: str = "", files: tuple[RepoFile, ...] | None = None) -> Outcome:
    """Build one model: load it and render its files, and unless only checking, write them
    into the stage. Any failure is this model's: it is skipped with a located error."""
    page, diagnostics = load_one(repo_dir, job.config, files)
    line, facts = ("", None) if job.stage else (summary.line(repo_dir.id, page, diagnostics),
                                                 summary.facts(repo_dir.id, page, diagnostics))  # check's alone
    if page is None:
        return Outcome(repo_dir.id, repo_dir.shown, None, diagnostics, line, facts, key=key)
    written: list[str] = []
    try:
        named, linked, span = _render(job, page, written)
    except (MemoryError, RecursionError):
        raise  # the pool reports these as the model's limits
    except Exception as exc:
        for path in written:
            try:
                (Path(job.stage) / path).unlink(missing_ok=True)
            except OSError:  # the name the write failed on (too long, say): there is nothing to remove
                pass
        return skipped(repo_dir, diagnostics + (_problem(repo_dir, exc),), key)
    entry = Entry.of(page)
    if not job.stage:
        return Outcome(repo_dir.id, repo_dir.shown, entry, diagnostics, line, facts, key=key)
    return Outcome(repo_dir.id, repo_dir.shown, entry, diagnostics, line, facts, tuple(written), named,
                   linked, entry_digest(entry), key, tree_digest(job.trees.get(page.id)), span)


def _problem(repo_dir: RepoDir, exc: Exception) -> Diagnostic:
    """The error of a model whose files could not be rendered or written."""
    if isinstance(exc, PageTooLarge):  # a backstop: the caps on what a card makes should hold first
        return Diagnostic(ERROR, f"skipped: {exc}; the card makes too much (see the limits in the "
                          "README's Untrusted input section)", os.path.join(repo_dir.shown, "README.md"), 1)
    if isinstance(exc, ThemeError):
        return Diagnostic(ERROR, f"skipped: the theme could not render its page: {exc.where}: {exc.message}",
                          repo_dir.shown)
    if isinstance(exc, (OutputError, OSError)):
        return Diagnostic(ERROR, f"skipped: its files could not be written: {exc}", repo_dir.shown)
    return internal_error(repo_dir, exc)


def _render(job: Job, page: ModelPage, written: list[str]
            ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[int, int] | None]:
    """Render a model's files and write them into the stage (`check`: render them and drop
    them, so it meets what a build would); the ids its page names, those it links, and where
    its page's tree section lies."""
    from .render import model_files
    from .resolve import link_page, mentions
    named = mentions(page)
    linked = tuple(i for i in named if i in job.paths and i != page.id)
    page = link_page(page, {i: job.paths[i] for i in linked}, job.config.hub_url)
    own = {i: job.paths[i] for i in linked}
    page = dataclasses.replace(page, tree=page_tree(job.trees, Entry.of(page), own, job.config.hub_url))
    env = environment(job.config.theme)
    rendered, span = model_files(env, settings(job.config), page)
    if not job.stage:
        return named, linked, span
    stage = Path(job.stage)
    for path, data in rendered.items():
        written.append(path)
        write_file(stage, path, data)
    for copy in page.copies:
        written.append(copy.dest)
        write_copy(copy, stage / copy.dest)
    return named, linked, span


def make_keyed(job: Job, item: Item) -> Outcome:
    """make() in a worker: every exception but the limits' becomes the model's error (one that
    escaped would end the whole build)."""
    repo_dir, files, key = item
    try:
        if job.stage and not key:
            key = repo_key(repo_dir.root, files, updated_day(files, job.config.source_date_epoch,
                                                                repo_dir.committed))
        return make(job, repo_dir, key, files or None)  # checking lists no files beforehand
    except (MemoryError, RecursionError):
        raise  # the pool reports these as the model's limits
    except Exception as exc:
        return skipped(repo_dir, (internal_error(repo_dir, exc),))


def skipped(repo_dir: RepoDir, diagnostics: tuple[Diagnostic, ...], key: str = "") -> Outcome:
    """The outcome of a model that is not in the site."""
    return Outcome(repo_dir.id, repo_dir.shown, None, diagnostics, summary.line(repo_dir.id, None, diagnostics),
                   summary.facts(repo_dir.id, None, diagnostics), key=key)


def _failed(repo_dir: RepoDir, why: str, config: Config) -> Outcome:
    d = Diagnostic(ERROR, f"skipped: building this model {why} (a model may take at most "
                          f"{config.model_seconds:g} s and {config.model_memory >> 20} MB)",
                   os.path.join(repo_dir.shown, "README.md"))
    return skipped(repo_dir, (d,))


TEMPLATES = ("model.html", "base.html", "macros.html")  # compiled once, before the workers fork


def _load() -> None:
    """Load the modules that make a model."""
    from .hub import lint  # noqa: F401
    from . import render, resolve  # noqa: F401
    from .load import yamlstrict  # noqa: F401
    from .load import facts, repo  # noqa: F401


def compile_templates(theme: Path | None) -> None:
    """Compile the templates of a model page (a broken one raises ThemeError)."""
    for name in TEMPLATES:
        template(environment(theme), name)


def ready(theme: Path | None) -> None:
    """Load what making a model needs and compile its templates: what a worker started
    before its first model does (pool.Kept.start), and a parent before its workers fork."""
    _load()
    compile_templates(theme)


def early_worker(config: Config) -> pool.Kept | None:
    """A rebuild's first worker, started now: it loads the modules and templates that make a
    model while this process checks what changed (a third of a one-card rebuild's time).
    None with one job (on one processor it would only take turns with this process), or
    where no build is kept (config.cache)."""
    if not config.cache or config.jobs < 2:
        return None
    early = pool.Kept("fork")
    early.start(config.model_seconds, config.model_memory, functools.partial(ready, config.theme))
    return early


def run(job: Job, items: list[Item], config: Config, progress: Callable[[int, int], None] | None,
        total: int, kept: pool.Kept | None) -> Iterator[tuple[int, Outcome]]:
    """Build these repos in worker processes; yield (position in items, outcome) as each is
    done, so a caller keeps what it needs of each and no more."""
    # Workers forked from here share what it loaded: load it once, not in each (and not inside
    # each one's limits). Kept workers come ready (an early worker, the fork server's).
    if kept is None or kept.forks(min(config.jobs, len(items))):
        ready(job.config.theme)
    fn = functools.partial(make_keyed, job)
    for done, (index, result) in enumerate(pool.run(fn, items, config.jobs, config.model_seconds,
                                                    config.model_memory, kept), 1):
        if isinstance(result, pool.Failed):
            if job.stage:  # stopped while writing: what it wrote of its folder goes (it has no page)
                shutil.rmtree(Path(job.stage) / items[index][0].dir, ignore_errors=True)
            result = _failed(items[index][0], result.reason, config)
        if progress:
            progress(done, total)
        yield index, result
