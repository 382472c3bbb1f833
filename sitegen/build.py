"""Run the pipeline: discover -> load -> resolve -> render -> write."""
from __future__ import annotations

import dataclasses
import os
import time
from dataclasses import dataclass
from collections.abc import Callable
from typing import Any

from .config import Config
from .discover import RepoDir, discover
from .lint import lint
from .render import render_site
from .report import CardError, Diagnostic, Report
from .repo import RepoFile, list_files, load_repo
from .resolve import ModelPage, Site, resolve_model, resolve_site
from .write import OutputError, check_output, write_site


@dataclass(frozen=True)
class Outcome:
    """What became of one repo: its page (None when it was skipped) and its diagnostics."""

    id: str
    shown: str
    page: ModelPage | None
    diagnostics: tuple[Diagnostic, ...]

    def summary(self) -> str:
        """One line for `sitegen check`: task and why, library and why, examples."""
        p = self.page
        if p is None:
            return f"{self.id}: skipped ({sum(d.level == 'error' for d in self.diagnostics)} error)"
        task = f"{p.task.tag} ({p.task_reason})" if p.task else f"no task ({p.task_reason})"
        library = f"library {p.library} ({p.library_reason})" if p.library else "no library"
        if p.widget and p.widget.defaults:
            n = len(p.widget.examples)
            shown = f"no widget examples ({n} default input{'' if n == 1 else 's'} shown)"
        else:
            examples = self.examples
            with_output = sum(1 for e in examples if e.output is not None)
            shown = f"{len(examples)} example{'' if len(examples) == 1 else 's'}, {with_output} with output"
        return f"{self.id}: {task}; {library}; {shown}"

    @property
    def examples(self) -> tuple[Any, ...]:
        """The card's own widget examples (default inputs are not the card's)."""
        w = self.page.widget if self.page else None
        return w.examples if w and not w.defaults else ()

    def as_json(self) -> dict[str, Any]:
        """The documented `check --format json` object (see README)."""
        p, examples = self.page, self.examples
        return {
            "id": self.id,
            "pipeline_tag": p.task.tag if p and p.task else None,
            "pipeline_tag_source": p.task_reason if p else None,
            "library_name": (p.library or None) if p else None,
            "library_source": p.library_reason if p else None,
            "examples": len(examples),
            "examples_with_output": sum(1 for e in examples if e.output is not None),
            "diagnostics": [d.as_dict() for d in self.diagnostics],
        }


@dataclass(frozen=True)
class Result:
    site: Site
    report: Report
    outcomes: tuple[Outcome, ...]
    pages: int
    seconds: float

    def summary(self) -> str:
        r = self.report
        return (f"{len(self.site.models)} models, {self.pages} pages, {r.warnings} warnings, "
                f"{r.errors} errors in {self.seconds:.2f} s ({self.pages / max(self.seconds, 1e-9):,.0f} pages/s)")


# A page and its diagnostics, kept with what the repo looked like when they were made.
Cache = dict[str, tuple[tuple[RepoFile, ...], "Outcome"]]


def collect(config: Config, report: Report, cache: Cache | None = None,
            progress: Callable[[int, int], None] | None = None) -> tuple[Site, list[Outcome]]:
    """Discover, load and resolve every model; a broken model is reported and skipped.

    With a cache (the preview server keeps one), a repo whose files are unchanged since the
    last call is not read again.
    """
    outcomes: list[Outcome] = []
    repos = discover(config.source, report)
    for repo_dir in repos:
        files = tuple(list_files(repo_dir.root)) if cache is not None else ()
        hit = cache.get(repo_dir.shown) if cache is not None else None
        outcome = hit[1] if hit and hit[0] == files else collect_one(repo_dir, config)
        if cache is not None:
            cache[repo_dir.shown] = (files, outcome)
        outcomes.append(outcome)
        report.items.extend(outcome.diagnostics)
        if progress:
            progress(len(outcomes), len(repos))
    if cache is not None:  # forget repos that are gone
        for gone in set(cache) - {o.shown for o in outcomes}:
            del cache[gone]
    pages = [o.page for o in outcomes if o.page is not None]
    logo = f"static/logo{config.logo.suffix.lower()}" if config.logo else ""
    return resolve_site(pages, config.title, config.base_url, logo, config.links), outcomes


def site_files(site: Site, config: Config) -> dict[str, bytes]:
    """Render the site, with the owner's logo and custom domain (CNAME) from the config."""
    files = render_site(site, config.theme)
    if config.logo:
        try:
            files[site.logo] = config.logo.read_bytes()
        except OSError as exc:
            raise OutputError(f"{config.logo}: cannot read the logo: {exc.strerror}") from None
    if config.cname:
        files["CNAME"] = f"{config.cname}\n".encode()
    return files


def collect_one(repo_dir: RepoDir, config: Config) -> Outcome:
    """Load, check and resolve one repo into its outcome."""
    own = Report()
    page: ModelPage | None = None
    try:
        repo = load_repo(repo_dir, own)
        lint(repo, own)
        page = resolve_model(repo, own, config.source_date_epoch)
    except CardError as exc:
        own.items.append(exc.diagnostic)
    checks = tuple(own.sorted())
    if page is not None and config.show_checks:
        # On the page, paths read relative to the repo: README.md, .eval_results/x.yaml.
        page = dataclasses.replace(page, checks=tuple(
            dataclasses.replace(d, path=os.path.relpath(d.path, repo_dir.shown)) for d in checks))
    return Outcome(repo_dir.id, repo_dir.shown, page, checks)


def build(config: Config, write: bool = True, progress: Callable[[int, int], None] | None = None) -> Result:
    """Build the site (or with write=False only check it); return what happened."""
    start = time.perf_counter()
    report = Report()
    if write:
        check_output(config.output, config.source)
    site, outcomes = collect(config, report, progress=progress)
    files = site_files(site, config)
    pages = sum(1 for p in files if p.endswith(".html"))
    if write:
        write_site(config.output, files, [c for m in site.models for c in m.copies])
    return Result(site, report, tuple(outcomes), pages, time.perf_counter() - start)
