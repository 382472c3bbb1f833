"""Run the pipeline: discover -> plan -> make -> relink (links, trees) -> aggregate -> write -> save the manifest."""
from __future__ import annotations

import dataclasses
import functools
import gc
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import cache, carry, manifest, pool
from .actions import site_size, size_change
from .aggregate import Entry, Site
from .config import Config
from .fingerprint import site_key
from .load.discover import discover
from .load.history import dated
from .make import Job, Outcome, compile_templates, early_worker, load_one, logo, run, settings
from .plan import Plan, plan
from .recovery import marker_of, recover
from .relink import expected_trees, may_change, relink
from .render import aggregates, entry_digest, site_digest
from .report import Report
from .theme import static_bytes
from .tree import Tree
from .write import OutputError, apply, check_output, discard, stage, swap_in, terminate_as_interrupt, write_file

if TYPE_CHECKING:
    from .resolve import ModelPage


@dataclass(frozen=True)
class Result:
    """What a build or check did: its problems, counts and time, and (when asked) the site and each outcome."""

    report: Report
    models: int  # in the site
    pages: int
    seconds: float
    # The site (of Entry records) and each repo's outcome, made when first asked for: a
    # rebuild that changed no list reads no Entry, and `sitegen build` never asks.
    made: Callable[[], tuple[Site, tuple[Outcome, ...]]] = field(repr=False, compare=False)
    changed: int = 0  # files this build wrote or deleted
    rebuilt: int = 0  # models made (not kept as the last build left them)
    size: int | None = None  # the bytes of the files of the site, if known without a walk
    remade: int = 0  # of those, pages relink.py made again (their links, or a tree it could not splice)

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


def collect(config: Config, report: Report) -> tuple[Site, list[ModelPage]]:
    """Discover, load and resolve every model, in memory (for tests and tools): the site and
    its pages, linked to each other and sorted as the site lists them."""
    from .resolve import resolve_site
    pages = []
    for repo_dir in dated(config.source, discover(config.source, report), report):
        page, diagnostics = load_one(repo_dir, config)
        report.items.extend(diagnostics)
        if page is not None:
            pages.append(page)
    return resolve_site(pages, config.title, config.base_url, logo(config), config.links, config.hub_url)


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
        return _check(config, report, progress, kept, start)
    check_output(config.output, config.source)
    state = _state(config, report)
    key = site_key(config)
    early = None
    try:  # manifest.load freezes the manifest's objects, and the forked workers share them as they are
        if kept is None and state and manifest.path_for(config.output).is_file():
            early = early_worker(config)
        old = manifest.load(config.output, key, config.source, report) if config.cache and state else None
        if old is None:
            compile_templates(config.theme)  # a broken theme stops the build before anything is done
            if early:  # every model is made: workers forked after this process loads what they need share it
                early.close()
                early = None
        with terminate_as_interrupt():
            return _build(config, report, key, old, state, progress, start, kept or early)
    finally:
        gc.unfreeze()
        if early:
            early.close()


def _check(config: Config, report: Report, progress: Callable[[int, int], None] | None,
           kept: pool.Kept | None, start: float) -> Result:
    """`sitegen check`: make every model and list page as a build would, and write nothing."""
    repos = dated(config.source, discover(config.source, report), report)
    done = dict(run(Job(config, "", {}), [(r, (), "") for r in repos], config, progress, len(repos), kept))
    outcomes = tuple(done[i] for i in range(len(repos)))
    for o in outcomes:
        report.items.extend(o.diagnostics)
    entries = tuple(sorted((o.entry for o in outcomes if o.entry), key=lambda e: e.id.lower()))
    site = dataclasses.replace(settings(config), models=entries)
    for _, _, make_page in aggregates(config.theme, site, entry_digest):
        make_page()  # rendered and dropped, as a build renders them: `check` meets what it would
    return Result(report, len(entries), 0, time.perf_counter() - start, functools.partial(_given, site, outcomes))


def _given(site: Site, outcomes: tuple[Outcome, ...]) -> tuple[Site, tuple[Outcome, ...]]:
    return site, outcomes


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
    """Build into the output: only what changed since `old`, the last build's manifest, if any."""
    p = plan(config.source, config.source_date_epoch, old, state if config.cache else None, report)
    report.items.extend(p.diagnostics)
    new = manifest.Manifest(key, (0, 0), found=p.found, scanned=p.scanned, epoch=config.source_date_epoch,
                            raw=old.raw if old else {},
                            found_raw=old.found_raw if old and p.found is old.found else b"")
    tmp = stage(config.output, state)
    try:
        got = dict(p.kept)  # each repo's record: kept, or made by this build
        got.update(_make(config, p, new, tmp, progress, kept, expected_trees(config, p, old, new)))
        again, remade = relink(config, p, new, got, tmp, kept, may_change(p, old, new, got),
                               functools.partial(_record, config, p, new))
        ordered = [got[i] for i in range(len(p.repos))]
        for r in ordered:
            report.items.extend(r.diagnostics)
        order = [i for _, i in sorted((r.id.lower(), i) for i, r in enumerate(ordered) if r.built)]
        new.records = {where.shown: ordered[i] for i, where in enumerate(p.repos)}
        new.everything = site_digest(settings(config), [ordered[i].digest for i in order])
        _aggregate(config, old, new, tmp, functools.partial(_site, settings(config), new, p, order))
        moved = bool(p.todo or again) or old is None or new.aggregates is not old.aggregates \
            or new.records.keys() != old.records.keys()
        changed, missed = _write(config, report, old, new, tmp, state, moved)
        if state and not missed:  # else no state is saved: the next build is a full one
            _save(config, p, old, new, changed)
    finally:
        discard(tmp, state)
    pages = len(order) + sum(path.endswith(".html") for path in new.aggregates)
    made = functools.partial(_made, settings(config), new, p, ordered, order)
    return Result(report, len(order), pages, time.perf_counter() - start, made, changed, len({*p.todo, *again}),
                  None if missed else new.size, remade)


def _make(config: Config, p: Plan, new: manifest.Manifest, tmp: Path, progress: Callable[[int, int], None] | None,
          kept: pool.Kept | None, trees: dict[str, Tree]) -> dict[int, cache.Record]:
    """Make the models that changed, into the stage; their records, by position."""
    if not p.todo:
        return {}
    # Pages link to the models they name that are in the site; until the new ones are built,
    # assume each will be (the few pages that named one that fails are made again: _relink).
    paths = {r.id: r.dir + "/index.html" for i, r in enumerate(p.repos) if i not in p.kept or p.kept[i].built}
    items = [(p.repo_dir(i), p.listed[i][0], p.keys.get(i, "")) for i in p.todo]
    done = run(Job(config, str(tmp), paths, trees), items, config, progress, len(p.todo), kept)
    return {p.todo[n]: _record(config, p, new, p.todo[n], o) for n, o in done}  # each outcome dropped once kept


def _record(config: Config, p: Plan, new: manifest.Manifest, i: int, o: Outcome) -> cache.Record:
    """The record of a repo just built; its Entry is kept apart (in new.fresh)."""
    files, folders = p.listing(i)
    if o.entry:
        new.fresh[p.repos[i].shown] = o.entry
    return cache.Record(o.id, cache.signature(files), p.updated(i, files, config.source_date_epoch), o.key, folders,
                        o.entry is not None, o.digest, o.diagnostics, o.files, o.mentions, o.linked, o.tree, o.span)


def _site(settings: Site, new: manifest.Manifest, p: Plan, order: list[int]) -> Site:
    """The site of Entry records, made only when asked for: a rebuild that changed no list reads none."""
    return dataclasses.replace(settings, models=tuple(new.entry(p.repos[i].shown) for i in order))


def _aggregate(config: Config, old: manifest.Manifest | None, new: manifest.Manifest, tmp: Path,
               site: Callable[[], Site]) -> None:
    """Write the list pages whose digest changed into the stage; note each one's digest."""
    if old and old.everything == new.everything:  # the lists show what they showed
        new.aggregates = old.aggregates
        return
    digests = {r.id: r.digest for r in new.records.values() if r.built}
    for path, digest, make_page in aggregates(config.theme, site(), functools.partial(_digest, digests)):
        new.aggregates[path] = digest
        if old is None or old.aggregates.get(path) != digest:
            write_file(tmp, path, make_page())


def _digest(digests: dict[str, str], entry: Entry) -> str:
    return digests[entry.id]


def _write(config: Config, report: Report, old: manifest.Manifest | None, new: manifest.Manifest, tmp: Path,
           state: Path | None, moved: bool) -> tuple[int, int]:
    """Put the stage in place: a whole new site, or the changed files into the live one. Return
    how many files changed, and how many could not be written."""
    if old is None:
        _write_site_files(tmp, config)
        swap_in(tmp, config.output, state, carry.marker_text(new))
        new.size = site_size(config.output)
        return sum(len(r.files) for r in new.records.values()) + len(new.aggregates), 0
    # Files go only with a model that went or was built again, or with a list page.
    gone = _gone(old, new) if moved else []
    staged = [path for path in tmp.rglob("*") if path.is_file()]
    changed = len(staged) + len(gone)
    # The site's size is kept up to date, not measured again: at 10,000 models a walk of the
    # site took longer than the rest of a rebuild.
    new.size, missed = old.size, 0
    if changed:
        manifest.forget(config.output)
        carry.stamp(tmp, new)  # the marker names the inputs of the site it now holds
        new.size += size_change(tmp, [*staged, tmp / carry.MARKER], config.output, gone)
        missed = apply(tmp, config.output, gone, state)
    if missed:  # no state is saved: the next build is a full one, and replaces the site whole
        report.warning(f"{missed:,} of the changed files could not be written: a folder of the output is a "
                       "symlink or a file now (changed since the last build?); the next build "
                       "replaces the site whole", str(config.output))
    return changed, missed


def _save(config: Config, p: Plan, old: manifest.Manifest | None, new: manifest.Manifest, changed: int) -> None:
    """Save the manifest for the next build, if anything it holds changed. A walk that did not
    see everything at a glance saves what it saw, so the next one can."""
    if old is None or changed or new.records != old.records or new.everything != old.everything \
            or p.found is not old.found or p.glance < len(p.repos) or config.source_date_epoch != old.epoch:
        new.marker = marker_of(config.output)  # kept even by --no-cache, for the next build
        manifest.save(config.output, new)


def _made(settings: Site, new: manifest.Manifest, p: Plan, ordered: list[cache.Record], order: list[int]
          ) -> tuple[Site, tuple[Outcome, ...]]:
    """The site and each repo's outcome, as Result.made gives them."""
    site = _site(settings, new, p, order)
    return site, tuple(Outcome(r.id, where.shown, new.entry(where.shown) if r.built else None,
                               r.diagnostics, files=r.files, mentions=r.mentions, linked=r.linked,
                               digest=r.digest, key=r.key, tree=r.tree, span=r.span) for where, r in zip(p.repos, ordered))


def _gone(old: manifest.Manifest, new: manifest.Manifest) -> list[str]:
    """Site paths the last build wrote that this one does not keep or write again."""
    before = {p for r in old.records.values() for p in r.files} | set(old.aggregates)
    now = {p for r in new.records.values() for p in r.files} | set(new.aggregates)
    return sorted(before - now)


def _write_site_files(tmp: Path, config: Config) -> None:
    """The theme's static files, the owner's logo and custom domain (CNAME)."""
    for path, data in static_bytes(config.theme):
        write_file(tmp, path, data)
    if config.logo:
        try:
            write_file(tmp, logo(config), config.logo.read_bytes())
        except OSError as exc:
            raise OutputError(f"{config.logo}: cannot read the logo: {exc.strerror}") from None
    if config.cname:
        write_file(tmp, "CNAME", f"{config.cname}\n".encode())
