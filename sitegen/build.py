"""Run the pipeline: discover -> load -> resolve -> render -> write."""
from __future__ import annotations

import dataclasses
import functools
import gc
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import cache, manifest, pool
from .cache import repo_key
from .fingerprint import site_key
from .config import Config
from .load.discover import RepoDir, discover
from .render import aggregates, entry_digest, site_digest
from .load.repo import MAX_FILES, RepoFile, day_of, list_files, updated_day
from .report import ERROR, CardError, Diagnostic, Report, capped, visible
from .aggregate import Entry, Site
from .theme import PageTooLarge, ThemeError, environment, static_files, template

if TYPE_CHECKING:
    from .resolve import ModelPage
from .recovery import marker_of, recover
from .write import (OutputError, apply, check_output, discard, stage, swap_in, terminate_as_interrupt,
                    write_copy, write_file)


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

    def summary(self) -> str:
        return self.line

    def as_json(self) -> dict[str, Any]:
        return dict(self.facts or {})


def _summary(repo_id: str, p: ModelPage | None, diagnostics: tuple[Diagnostic, ...]) -> str:
    """One line for `sitegen check`: task and why, library and why, examples."""
    if p is None:
        return f"{repo_id}: skipped ({sum(d.level == 'error' for d in diagnostics)} error)"
    task = f"{p.task.tag} ({p.task_reason})" if p.task else f"no task ({p.task_reason})"
    library = f"library {p.library} ({p.library_reason})" if p.library else "no library"
    if p.widget and p.widget.defaults:
        n = len(p.widget.examples)
        shown = f"no widget examples ({n} default input{'' if n == 1 else 's'} shown)"
    else:
        examples = _examples(p)
        with_output = sum(1 for e in examples if e.output is not None)
        shown = f"{len(examples)} example{'' if len(examples) == 1 else 's'}, {with_output} with output"
    return f"{repo_id}: {task}; {library}; {shown}"


def _examples(p: ModelPage | None) -> tuple[Any, ...]:
    """The card's own widget examples (default inputs are not the card's)."""
    w = p.widget if p else None
    return w.examples if w and not w.defaults else ()


def _facts(repo_id: str, p: ModelPage | None, diagnostics: tuple[Diagnostic, ...]) -> dict[str, Any]:
    """The documented `check --format json` object (see README)."""
    examples = _examples(p)
    return {
        "id": repo_id,
        "pipeline_tag": p.task.tag if p and p.task else None,
        "pipeline_tag_source": p.task_reason if p else None,
        "library_name": (p.library or None) if p else None,
        "library_source": p.library_reason if p else None,
        "examples": len(examples),
        "examples_with_output": sum(1 for e in examples if e.output is not None),
        "diagnostics": [d.as_dict() for d in diagnostics],
    }


@dataclass(frozen=True)
class Result:
    report: Report
    models: int  # in the site
    pages: int
    seconds: float
    # The site (of Entry records) and each repo's outcome, made when first asked for: a
    # rebuild that changed no list reads no Entry, and `sitegen build` never asks.
    made: Callable[[], tuple[Site, tuple[Outcome, ...]]] = field(repr=False, compare=False)
    changed: int = 0  # files this build wrote or deleted

    @functools.cached_property
    def _made(self) -> tuple[Site, tuple[Outcome, ...]]:
        return self.made()

    @property
    def site(self) -> Site:
        return self._made[0]

    @property
    def outcomes(self) -> tuple[Outcome, ...]:
        return self._made[1]

    def summary(self) -> str:
        r = self.report
        return (f"{self.models} models, {self.pages} pages, {r.warnings} warnings, "
                f"{r.errors} errors in {self.seconds:.2f} s ({self.pages / max(self.seconds, 1e-9):,.0f} pages/s)")


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
        page = resolve_model(repo, own, config.source_date_epoch)
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


def collect(config: Config, report: Report) -> tuple[Site, list[ModelPage]]:
    """Discover, load and resolve every model, in memory (for tests and tools); the site
    holds the pages themselves."""
    from .resolve import resolve_site
    pages = []
    for repo_dir in discover(config.source, report):
        page, diagnostics = load_one(repo_dir, config)
        report.items.extend(diagnostics)
        if page is not None:
            pages.append(page)
    return resolve_site(pages, config.title, config.base_url, _logo(config), config.links), pages


def _logo(config: Config) -> str:
    return f"static/logo{config.logo.suffix.lower()}" if config.logo else ""


def _settings(config: Config) -> Site:
    """The site as a model page sees it: its settings, not its list of models."""
    return Site(config.title, config.base_url.rstrip("/"), (), _logo(config), config.links)


@dataclass(frozen=True)
class Job:
    """What a worker needs to build any model: sent to each worker once."""

    config: Config
    stage: str  # the folder to write into; empty: check only
    paths: dict[str, str]  # id -> page path of each model expected in the site


def make(job: Job, repo_dir: RepoDir, key: str = "", files: tuple[RepoFile, ...] | None = None) -> Outcome:
    """Build one model: load it and render its files, and unless only checking, write them
    into the stage. Any failure is this model's: it is skipped with a located error."""
    page, diagnostics = load_one(repo_dir, job.config, files)
    line, facts = _summary(repo_dir.id, page, diagnostics), _facts(repo_dir.id, page, diagnostics)
    if page is None:
        return Outcome(repo_dir.id, repo_dir.shown, None, diagnostics, line, facts, key=key)
    written: list[str] = []
    try:
        named, linked = _render(job, page, written)
    except (MemoryError, RecursionError):
        raise  # the pool reports these as the model's limits
    except Exception as exc:
        for path in written:
            try:
                (Path(job.stage) / path).unlink(missing_ok=True)
            except OSError:  # the name the write failed on (too long, say): there is nothing to remove
                pass
        if isinstance(exc, PageTooLarge):  # a backstop: the caps on what a card makes should hold first
            problem = Diagnostic(ERROR, f"skipped: {exc}; the card makes too much (see the limits in the "
                                 "README's Untrusted input section)", os.path.join(repo_dir.shown, "README.md"), 1)
        elif isinstance(exc, ThemeError):
            problem = Diagnostic(ERROR, f"skipped: the theme could not render its page: {exc.where}: {exc.message}",
                                 repo_dir.shown)
        elif isinstance(exc, (OutputError, OSError)):
            problem = Diagnostic(ERROR, f"skipped: its files could not be written: {exc}", repo_dir.shown)
        else:
            problem = internal_error(repo_dir, exc)
        return _skipped(repo_dir, diagnostics + (problem,), key)
    entry = Entry.of(page)
    if not job.stage:
        return Outcome(repo_dir.id, repo_dir.shown, entry, diagnostics, line, facts, key=key)
    return Outcome(repo_dir.id, repo_dir.shown, entry, diagnostics, line, facts, tuple(written), named,
                   linked, entry_digest(entry), key)


def _render(job: Job, page: ModelPage, written: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Render a model's files and write them into the stage (`check`: render them and drop
    them, so it meets what a build would); the ids its page names, and those it links."""
    from .render import model_files
    from .resolve import link_page, mentions
    named = mentions(page)
    linked = tuple(i for i in named if i in job.paths and i != page.id)
    page = link_page(page, {i: job.paths[i] for i in linked})
    env = environment(job.config.theme)
    rendered = model_files(env, _settings(job.config), page)
    if not job.stage:
        return named, linked
    stage = Path(job.stage)
    for path, data in rendered.items():
        written.append(path)
        write_file(stage, path, data)
    for copy in page.copies:
        written.append(copy.dest)
        write_copy(copy, stage / copy.dest)
    return named, linked


Item = tuple[RepoDir, tuple[RepoFile, ...], str]  # a repo, its files as listed, their key if known


def _make_keyed(job: Job, item: Item) -> Outcome:
    """make() in a worker: every exception but the limits' becomes the model's error (one that
    escaped would end the whole build)."""
    repo_dir, files, key = item
    try:
        if job.stage and not key:
            key = repo_key(repo_dir.root, files, updated_day(files, job.config.source_date_epoch))
        return make(job, repo_dir, key, files or None)  # checking lists no files beforehand
    except (MemoryError, RecursionError):
        raise  # the pool reports these as the model's limits
    except Exception as exc:
        return _skipped(repo_dir, (internal_error(repo_dir, exc),))


def _skipped(repo_dir: RepoDir, diagnostics: tuple[Diagnostic, ...], key: str = "") -> Outcome:
    """The outcome of a model that is not in the site."""
    return Outcome(repo_dir.id, repo_dir.shown, None, diagnostics, _summary(repo_dir.id, None, diagnostics),
                   _facts(repo_dir.id, None, diagnostics), key=key)


def _failed(repo_dir: RepoDir, why: str, config: Config) -> Outcome:
    d = Diagnostic(ERROR, f"skipped: building this model {why} (a model may take at most "
                          f"{config.model_seconds:g} s and {config.model_memory >> 20} MB)",
                   os.path.join(repo_dir.shown, "README.md"))
    return _skipped(repo_dir, (d,))


def _run(job: Job, items: list[Item], config: Config, progress: Callable[[int, int], None] | None,
         total: int, kept: pool.Kept | None) -> dict[int, Outcome]:
    """Build these repos in worker processes; {position in items: outcome}."""
    if kept is None:  # workers are forked from here: load what they need once, not in each
        from .hub import lint
        from . import render, resolve  # noqa: F401
        from .load import yamlstrict  # noqa: F401
        from .load import repo
    out: dict[int, Outcome] = {}
    fn = functools.partial(_make_keyed, job)
    for index, result in pool.run(fn, items, config.jobs, config.model_seconds, config.model_memory, kept):
        if isinstance(result, pool.Failed):
            out[index] = _failed(items[index][0], result.reason, config)
            if job.stage:  # stopped while writing: what it wrote of its folder goes (it has no page)
                shutil.rmtree(Path(job.stage) / items[index][0].dir, ignore_errors=True)
        else:
            out[index] = result
        if progress:
            progress(len(out), total)
    return out


def build(config: Config, write: bool = True, progress: Callable[[int, int], None] | None = None,
          kept: pool.Kept | None = None) -> Result:
    """Build the site (or with write=False only check it); return what happened.

    Models are built in parallel (config.jobs), each written as soon as it is rendered; the
    lists are made from small records. With config.cache, a model whose inputs did not change
    since the last build into the same output is not built again, and only changed files are
    written. `kept`: worker processes to use and keep for the next build (the preview server).
    """
    start = time.perf_counter()
    report = Report()
    if not write:
        repos = discover(config.source, report)
        job = Job(config, "", {})
        for name in ("model.html", "base.html", "macros.html"):  # compiled once, before the workers fork
            template(environment(config.theme), name)
        done = _run(job, [(r, (), "") for r in repos], config, progress, len(repos), kept)
        outcomes = [done[i] for i in range(len(repos))]
        for o in outcomes:
            report.items.extend(o.diagnostics)
        entries = tuple(sorted((o.entry for o in outcomes if o.entry), key=lambda e: e.id.lower()))
        site = Site(config.title, config.base_url.rstrip("/"), entries, _logo(config), config.links)
        for _, _, make_page in aggregates(config.theme, site, entry_digest):
            make_page()  # rendered and dropped, as a build renders them: `check` meets what it would
        return Result(report, len(entries), 0, time.perf_counter() - start, lambda: (site, tuple(outcomes)))
    check_output(config.output, config.source)
    state = _state(config, report)
    key = site_key(config)
    old = manifest.load(config.output, key, config.source, report) if config.cache and state else None
    if old is None:
        environment(config.theme)  # a broken theme stops the build before anything is done
    try:  # manifest.load froze the manifest's objects, and the forked workers share them as they are
        with terminate_as_interrupt():
            return _build(config, report, key, old, state, progress, start, kept)
    finally:
        gc.unfreeze()


def _state(config: Config, report: Report) -> Path | None:
    """The state folder of builds into this output, once what killed builds left in it is
    recovered; None (no incremental build, nothing recovered) if it cannot be made."""
    try:
        state: Path | None = cache.state_dir(config.output)
    except (OSError, RuntimeError) as exc:
        state = None
        report.warning(f"sitegen's state folder cannot be made ({exc}); building every model",
                       str(getattr(exc, "filename", None) or ""))
    left = recover(config.output, state)
    if left:
        why = "nothing is recovered without sitegen's state folder" if state is None else \
            "not made by one of your builds into this output, so left alone"
        more = f" (and {len(left) - 1} more like it)" if len(left) > 1 else ""
        report.warning(f"{why}; delete it if it is yours{more}", str(left[0]))
    return state


def _build(config: Config, report: Report, key: str, old: manifest.Manifest | None, state: Path | None,
           progress: Callable[[int, int], None] | None, start: float, kept: pool.Kept | None) -> Result:
    scanned = time.time_ns()
    limit = (old.scanned if old else 0) - cache.RACY_NS
    found = old.found if old else None
    if found is None or not cache.same_folders(found.seen, limit):
        seen: cache.Seen = []
        own = Report()
        now = [cache.Where(r.id, str(r.root), r.shown, r.dir) for r in discover(config.source, own, seen)]
        found = cache.Found(tuple(seen), now, tuple(own.items))
    report.items.extend(found.diagnostics)
    repos = found.repos
    known = {f[0]: f for f in found.seen}  # as they are now: checked, or just seen
    epoch = config.source_date_epoch
    redate = old is None or old.epoch != epoch  # if not, a file's mtime alone says its date

    def repo_dir(i: int) -> RepoDir:
        return RepoDir(repos[i].id, Path(repos[i].root), repos[i].shown)

    records = old.records if old else {}
    got: dict[int, cache.Record] = {}  # each repo's record: kept, or made by this build
    todo: list[int] = []
    listed: dict[int, tuple[tuple[RepoFile, ...], tuple[cache.Stat, ...] | None]] = {}
    keys: dict[int, str] = {}
    for i, where in enumerate(repos):
        was = records.get(where.shown)
        # A model that ran out of time or memory has no key: it is tried again.
        if not was or was.id != where.id or not was.key:
            listed[i] = _list(where.root)
            todo.append(i)
            continue
        if cache.same_files(where.root, was, limit, known) and \
                (not redate or was.updated == day_of(max((m for _, _, m in was.sig), default=0), epoch)):
            got[i] = was  # at a glance
            continue
        files, folders = listed[i] = _list(where.root)
        updated = updated_day(files, epoch)
        sig = cache.signature(files)
        if was.sig == sig and was.updated == updated and all(f.mtime_ns < limit for f in files):
            got[i] = was if folders == was.folders else was._replace(folders=folders)
            continue
        keys[i] = repo_key(Path(where.root), files, updated)  # touched, or dated anew; changed?
        if was.key == keys[i]:
            got[i] = was._replace(sig=sig, updated=updated, folders=folders)
        else:
            todo.append(i)
    glance = len(repos) - len(listed)  # repos found unchanged from their stats alone

    def listing(i: int) -> tuple[tuple[RepoFile, ...], tuple[cache.Stat, ...] | None]:
        if i not in listed:  # kept at a glance; its links changed
            listed[i] = tuple(RepoFile(*f) for f in got[i].sig), got[i].folders
        return listed[i]

    new = manifest.Manifest(key, (0, 0), found=found, scanned=scanned, epoch=epoch, raw=old.raw if old else {},
                            found_raw=old.found_raw if old and found is old.found else b"")

    def record(i: int, o: Outcome) -> cache.Record:
        """The record of a repo just built; its Entry is kept apart."""
        files, folders = listing(i)
        if o.entry:
            new.fresh[repos[i].shown] = o.entry
        return cache.Record(o.id, cache.signature(files), updated_day(files, epoch), o.key, folders,
                            o.entry is not None, o.digest, o.diagnostics, o.files, o.mentions, o.linked)

    tmp = stage(config.output, state)
    try:
        if todo:
            for name in ("model.html", "base.html", "macros.html"):  # compiled once, before the workers fork
                template(environment(config.theme), name)
            # Pages link to the models they name that are in the site; until the new ones are built,
            # assume each will be (the few pages that named one that fails are made again below).
            paths = {r.id: r.dir + "/index.html" for i, r in enumerate(repos) if i not in got or got[i].built}
            job = Job(config, str(tmp), paths)
            done = _run(job, [(repo_dir(i), listed[i][0], keys.get(i, "")) for i in todo], config, progress,
                        len(todo), kept)
            for n, o in done.items():
                got[todo[n]] = record(todo[n], o)
        built = {r.id for r in got.values() if r.built}
        again = sorted(i for i, r in got.items() if r.built and (r.mentions or r.linked)
                       and tuple(m for m in r.mentions if m in built and m != r.id) != r.linked)
        if again:
            fresh = set(todo)
            for i in again:  # their old files (in the stage, or live) are replaced
                for path in got[i].files if i in fresh else ():
                    (tmp / path).unlink(missing_ok=True)
            job = Job(config, str(tmp), {r.id: r.dir + "/index.html" for r in repos if r.id in built})
            redone = _run(job, [(repo_dir(i), listing(i)[0], got[i].key) for i in again], config, None, 0, kept)
            for n, o in redone.items():
                got[again[n]] = record(again[n], o)
        ordered = [got[i] for i in range(len(repos))]
        for r in ordered:
            report.items.extend(r.diagnostics)
        order = [i for _, i in sorted((r.id.lower(), i) for i, r in enumerate(ordered) if r.built)]
        new.records = {where.shown: ordered[i] for i, where in enumerate(repos)}
        settings = _settings(config)
        new.everything = site_digest(settings, [ordered[i].digest for i in order])

        def site() -> Site:
            return dataclasses.replace(settings, models=tuple(new.entry(repos[i].shown) for i in order))

        if old and old.everything == new.everything:  # the lists show what they showed
            new.aggregates = old.aggregates
        else:
            digests = {ordered[i].id: ordered[i].digest for i in order}
            for path, digest, make_page in aggregates(config.theme, site(), lambda e: digests[e.id]):
                new.aggregates[path] = digest
                if old is None or old.aggregates.get(path) != digest:
                    write_file(tmp, path, make_page())
        pages = len(order) + sum(path.endswith(".html") for path in new.aggregates)
        missed = 0
        if old is None:
            _write_site_files(tmp, config)
            swap_in(tmp, config.output, state)
            changed = sum(len(r.files) for r in ordered) + len(new.aggregates)
        else:
            # Files go only with a model that went or was built again, or with a list page.
            moved = todo or again or new.aggregates is not old.aggregates or new.records.keys() != records.keys()
            gone = _gone(old, new) if moved else []
            changed = sum(1 for p in tmp.rglob("*") if p.is_file()) + len(gone)
            if changed:
                manifest.forget(config.output)
                missed = apply(tmp, config.output, gone, state)
            if missed:  # no state is saved: the next build is a full one, and replaces the site whole
                report.warning(f"{missed:,} of the changed files could not be written: a folder of the output is a "
                               "symlink or a file now (changed since the last build?); the next build "
                               "replaces the site whole", str(config.output))
        # A walk that did not see everything at a glance saves what it saw, so the next one can.
        if state and not missed and (old is None or changed or new.records != old.records or new.everything != old.everything
                      or found is not old.found or glance < len(repos) or epoch != old.epoch):
            new.marker = marker_of(config.output)  # kept even by --no-cache, for the next build
            manifest.save(config.output, new)
    finally:
        discard(tmp, state)

    def made() -> tuple[Site, tuple[Outcome, ...]]:
        return site(), tuple(Outcome(r.id, where.shown, new.entry(where.shown) if r.built else None,
                                     r.diagnostics, files=r.files, mentions=r.mentions, linked=r.linked,
                                     digest=r.digest, key=r.key) for where, r in zip(repos, ordered))
    return Result(report, len(order), pages, time.perf_counter() - start, made, changed)


def _list(root: str) -> tuple[tuple[RepoFile, ...], tuple[cache.Stat, ...] | None]:
    """A repo's files, and the folders listed (None if the listing stopped at MAX_FILES)."""
    seen: cache.Seen = []
    files = tuple(list_files(Path(root), seen))
    return files, (tuple(seen) if len(files) < MAX_FILES else None)


def _gone(old: manifest.Manifest, new: manifest.Manifest) -> list[str]:
    """Site paths the last build wrote that this one does not keep or write again."""
    before = {p for r in old.records.values() for p in r.files} | set(old.aggregates)
    now = {p for r in new.records.values() for p in r.files} | set(new.aggregates)
    return sorted(before - now)


def _write_site_files(tmp: Path, config: Config) -> None:
    """The theme's static files, the owner's logo and custom domain (CNAME)."""
    for path, source in static_files(config.theme).items():
        write_file(tmp, path, source.read_bytes())
    if config.logo:
        try:
            write_file(tmp, _logo(config), config.logo.read_bytes())
        except OSError as exc:
            raise OutputError(f"{config.logo}: cannot read the logo: {exc.strerror}") from None
    if config.cname:
        write_file(tmp, "CNAME", f"{config.cname}\n".encode())
