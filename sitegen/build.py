"""Run the pipeline: discover -> load -> resolve -> render -> write."""
from __future__ import annotations

import time
from dataclasses import dataclass

from .config import Config
from .discover import discover
from .render import render_site
from .report import CardError, Report
from .repo import load_repo
from .resolve import ModelPage, Site, resolve_model, resolve_site
from .write import check_output, write_site


@dataclass(frozen=True)
class Result:
    site: Site
    report: Report
    pages: int
    seconds: float

    def summary(self) -> str:
        r = self.report
        return (f"{len(self.site.models)} models, {self.pages} pages, {r.warnings} warnings, "
                f"{r.errors} errors in {self.seconds:.2f} s")


def collect(config: Config, report: Report) -> Site:
    """Discover, load and resolve every model; a broken model is reported and skipped."""
    pages: list[ModelPage] = []
    for repo_dir in discover(config.source, report):
        try:
            repo = load_repo(repo_dir, report)
            pages.append(resolve_model(repo, report))
        except CardError as exc:
            report.items.append(exc.diagnostic)
    return resolve_site(pages, config.title, config.base_url)


def build(config: Config, write: bool = True) -> Result:
    """Build the site (or with write=False only check it); return what happened."""
    start = time.perf_counter()
    report = Report()
    if write:
        check_output(config.output, config.source)
    site = collect(config, report)
    files = render_site(site, config.theme)
    pages = sum(1 for p in files if p.endswith(".html"))
    if write:
        write_site(config.output, files, [c for m in site.models for c in m.copies])
    return Result(site, report, pages, time.perf_counter() - start)
