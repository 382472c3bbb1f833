"""Make again the pages that depend on other models: their links (a model they name came or went) and their model tree."""
# A page is rendered in a worker from its own repo, plus two things only the parent knows:
# which models it names are in the site (Job.paths), and its model tree (Job.trees, made from
# every model's Entry: tree.py). Both are guessed before the models are made (from the last
# build's records) and checked after: a page made with a guess that proved wrong, or a kept
# page whose links or tree changed, is made again. Its record keeps what it was made with
# (the ids it linked, the tree's digest), so nothing else is made again.
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from . import cache, manifest, pool
from .config import Config
from .make import Job, Outcome, run
from .plan import Plan
from .tree import Tree, parent_trees, tree_digest

Record = Callable[[int, Outcome], cache.Record]  # the record of a repo just made, by position


def expected_trees(config: Config, p: Plan, old: manifest.Manifest | None, new: manifest.Manifest) -> dict[str, Tree]:
    """The trees the models to make are expected to show: those the last build gave them.
    Only a page that was given one needs them (a record's tree digest says so): editing a card
    whose page draws its own tree reads no Entry."""
    records = old.records if old else {}
    if not any((r := records.get(p.repos[i].shown)) is not None and r.tree for i in p.todo):
        return {}
    shown = [w.shown for w in p.repos if (r := records.get(w.shown)) is not None and r.built]
    entries = sorted((new.entry(s) for s in shown), key=lambda e: e.id.lower())
    return parent_trees(entries, config.hub_url)


def may_change(p: Plan, old: manifest.Manifest | None, got: dict[int, cache.Record]) -> bool:
    """Whether a tree may have changed since the last build: a repo came or went, or the record
    of one made again differs (a tree is made from the records alone)."""
    if old is None or len(p.repos) != len(old.records):
        return True
    for i in p.todo:
        was = old.records.get(p.repos[i].shown)
        if was is None or was.built != got[i].built or was.digest != got[i].digest:
            return True
    return False


def relink(config: Config, p: Plan, new: manifest.Manifest, got: dict[int, cache.Record], tmp: Path,
           kept: pool.Kept | None, moved: bool, record: Record) -> list[int]:
    """Make again the pages whose links or tree changed; return their positions. `moved`: a
    record may have changed (may_change); else no tree is made and no Entry read, and each
    page made by this build was made with the tree it had (expected_trees)."""
    family = _trees(config, p, new, got) if moved else None
    built = {r.id for r in got.values() if r.built}
    again = sorted(i for i, r in got.items() if r.built and (
        (r.mentions or r.linked) and tuple(m for m in r.mentions if m in built and m != r.id) != r.linked
        or family is not None and r.tree != tree_digest(family.get(r.id))))
    if not again:
        return again
    fresh = set(p.todo)
    for i in again:  # their old files (in the stage, or live) are replaced
        for path in got[i].files if i in fresh else ():
            (tmp / path).unlink(missing_ok=True)
    family = _trees(config, p, new, got) if family is None else family
    job = Job(config, str(tmp), {r.id: r.dir + "/index.html" for r in p.repos if r.id in built}, family)
    redone = run(job, [(p.repo_dir(i), p.listing(i)[0], got[i].key) for i in again], config, None, 0, kept)
    for n, o in redone:
        got[again[n]] = record(again[n], o)
    return again


def _trees(config: Config, p: Plan, new: manifest.Manifest, got: dict[int, cache.Record]) -> dict[str, Tree]:
    """Every model's tree, from this build's records, in the site's order."""
    built = sorted((r.id.lower(), i) for i, r in got.items() if r.built)
    return parent_trees([new.entry(p.repos[i].shown) for _, i in built], config.hub_url)
