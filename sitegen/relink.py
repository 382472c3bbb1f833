"""Bring up to date the pages that depend on other models: their links (a model they name came or went) and trees."""
# A page is rendered in a worker from its own repo, plus two things only the parent knows:
# which models it names are in the site (Job.paths), and its model tree (Job.trees, made from
# every model's Entry: tree.py). Both are guessed before the models are made (from the last
# build's records) and checked after: a page made with a guess that proved wrong, or a kept
# page whose links or tree changed, is brought up to date. Its record keeps what it was made
# with (the ids it linked, the tree's digest), so nothing else is touched.
#
# A page whose tree alone changed is not made again: its record knows where the tree section
# lies in its bytes (render.model_files), so the new section (render.tree_section) is put in
# place of the old one, here in the parent. On a cold build that is every page given a tree
# only the parent can draw (its derived models): 1,362 of 10,000 synthetic models, which were
# loaded, parsed and rendered twice before, and the pool is not started again for them.
from __future__ import annotations

from collections.abc import Callable
from typing import Any
from pathlib import Path

from . import cache, manifest, pool
from .aggregate import Entry
from .config import Config
from .make import Job, Outcome, run, settings
from .plan import Plan
from .render import MAX_PAGE_BYTES, tree_section
from .theme import environment
from .tree import Tree, page_tree, parent_trees, tree_digest
from .write import read_page, write_file

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
    return parent_trees(entries, config.hub_url, only={p.repos[i].id for i in p.todo})


def may_change(p: Plan, old: manifest.Manifest | None, new: manifest.Manifest,
               got: dict[int, cache.Record]) -> bool:
    """Whether a tree may have changed since the last build: a repo came or went, or one made
    again is listed where it was not (or the reverse), or names other base models, relation or
    datasets. A tree is made of those alone (tree.trees): a card whose text or date changed
    changes no tree, and its rebuild reads one shard of Entries, not all of them."""
    if old is None or len(p.repos) != len(old.records):
        return True
    for i in p.todo:
        shown = p.repos[i].shown
        was = old.records.get(shown)
        if was is None or was.built != got[i].built:
            return True
        if was.built and was.digest != got[i].digest and _tree_part(old.entry(shown)) != _tree_part(new.entry(shown)):
            return True
    return False


def _tree_part(e: Entry) -> tuple[Any, ...]:
    """What trees read of an Entry."""
    return e.id, e.path, e.bases, e.relation, e.datasets


def relink(config: Config, p: Plan, new: manifest.Manifest, got: dict[int, cache.Record], tmp: Path,
           kept: pool.Kept | None, moved: bool, record: Record) -> tuple[list[int], int]:
    """Bring up to date the pages whose links or tree changed; return their positions, and how
    many of them were made again (the rest had their tree section replaced). `moved`: a record
    may have changed (may_change); else no tree is made and no Entry read, and each page made by
    this build was made with the tree it had (expected_trees)."""
    if not moved and not p.todo:
        # Every record is the last build's, which left each page linking to the models built
        # then: the same ones now. (A no-change rebuild at 10,000 models spent 0.02 s below.)
        return [], 0
    family = _trees(config, p, new, got) if moved else None
    built = {r.id for r in got.values() if r.built}
    links = {i for i, r in got.items() if r.built and (r.mentions or r.linked)
             and tuple(m for m in r.mentions if m in built and m != r.id) != r.linked}
    trees = {i for i, r in got.items() if r.built and family is not None and r.tree != tree_digest(family.get(r.id))}
    again = sorted(links | trees)
    paths = {r.id: r.dir + "/index.html" for r in p.repos if r.id in built}
    fresh = set(p.todo)
    remake = [i for i in again if i in links or family is None
              or not _splice(config, p, new, got, i, tmp if i in fresh else config.output, tmp, family, paths)]
    if not remake:
        return again, 0
    for i in remake:  # their old files (in the stage, or live) are replaced
        for path in got[i].files if i in fresh else ():
            (tmp / path).unlink(missing_ok=True)
    family = _trees(config, p, new, got) if family is None else family
    job = Job(config, str(tmp), paths, family)
    redone = run(job, [(p.repo_dir(i), p.listing(i)[0], got[i].key) for i in remake], config, None, 0, kept)
    for n, o in redone:
        got[remake[n]] = record(remake[n], o)
    return again, len(remake)


def _splice(config: Config, p: Plan, new: manifest.Manifest, got: dict[int, cache.Record], i: int, src: Path,
            tmp: Path, family: dict[str, Tree], paths: dict[str, str]) -> bool:
    """Put the page's new tree section in place of its old one, from `src` (the stage, or the
    live site) into the stage, and note it in its record; False (nothing done) where its record
    knows no span, its page is not there as it was written, or the page would grow too large."""
    r = got[i]
    if r.span is None:
        return False
    entry = new.entry(p.repos[i].shown)
    start, length = r.span
    page = read_page(src, entry.path, MAX_PAGE_BYTES)
    if page is None or start + length > len(page):
        return False
    tree = page_tree(family, entry, {m: paths[m] for m in r.linked}, config.hub_url)
    section = tree_section(environment(config.theme), settings(config), entry.path, entry.id, tree).encode("utf-8")
    if len(page) - length + len(section) > MAX_PAGE_BYTES:
        return False  # made again, to meet the limit where a page made whole meets it
    write_file(tmp, entry.path, page[:start] + section + page[start + length:])
    got[i] = r._replace(tree=tree_digest(family.get(r.id)), span=(start, len(section)))
    return True


def _trees(config: Config, p: Plan, new: manifest.Manifest, got: dict[int, cache.Record]) -> dict[str, Tree]:
    """Every model's tree, from this build's records, in the site's order."""
    built = sorted((r.id.lower(), i) for i, r in got.items() if r.built)
    return parent_trees([new.entry(p.repos[i].shown) for _, i in built], config.hub_url)
