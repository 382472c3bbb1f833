"""What changed since the last build: which repos are made again, and which are kept as they were."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import cache, manifest
from .cache import repo_key
from .load.discover import RepoDir, discover
from .load.history import commit_dates
from .load.repo import MAX_FILES, RepoFile, commit_day, day_of, list_files, updated_day
from .report import Diagnostic, Report

Listing = tuple[tuple[RepoFile, ...], tuple[cache.Stat, ...] | None]  # a repo's files, its folders if all listed


@dataclass(frozen=True)
class Plan:
    """The repos found (by position in found.repos), the records of those kept, and those to make."""

    found: cache.Found
    scanned: int  # when the walk began (ns)
    kept: dict[int, cache.Record]  # unchanged repos: their records (with their stats as they are now)
    todo: tuple[int, ...]  # the repos to make
    listed: dict[int, Listing]  # the repos whose files were listed
    keys: dict[int, str]  # the content keys computed (a repo touched, or dated anew)
    dates: dict[int, int] = field(default_factory=dict)  # last commit times (s), where history knows them
    notes: tuple[Diagnostic, ...] = ()  # what reading the history met (a shallow clone, say)

    @property
    def repos(self) -> list[cache.Where]:
        return self.found.repos

    @property
    def glance(self) -> int:
        """How many repos were found unchanged from their stats alone."""
        return len(self.repos) - len(self.listed)

    def repo_dir(self, i: int) -> RepoDir:
        where = self.repos[i]
        return RepoDir(where.id, Path(where.root), where.shown, self.dates.get(i))

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """What discovery and the history met."""
        return self.found.diagnostics + self.notes

    def updated(self, i: int, files: tuple[RepoFile, ...], epoch: int | None) -> str:
        """The date a repo's page shows (its files as listed)."""
        return updated_day(files, epoch, self.dates.get(i))

    def listing(self, i: int) -> Listing:
        """A repo's files: as listed, or (kept at a glance) as its record has them."""
        if i in self.listed:
            return self.listed[i]
        return tuple(RepoFile(*f) for f in self.kept[i].sig), self.kept[i].folders


def discovered(source: Path, old: manifest.Manifest | None, limit: int) -> cache.Found:
    """The repos in the source: the last build's, if no folder that decided them changed."""
    found = old.found if old else None
    if found is None or not cache.same_folders(found.seen, limit):
        seen: cache.Seen = []
        own = Report()
        # Whether a repo holds a .git of its own is known as long as its folder's entries are:
        # the folder is in `seen`, stat'ed before the check.
        now = [cache.Where(r.id, str(r.root), r.shown, r.dir, os.path.lexists(os.path.join(r.root, ".git")))
               for r in discover(source, own, seen)]
        found = cache.Found(tuple(seen), now, tuple(own.items))
    return found


def plan(source: Path, epoch: int | None, old: manifest.Manifest | None, keep: Path | None = None,
         report: Report | None = None) -> Plan:
    """Find the repos, and tell which of them changed since the last build (all, without one).
    `keep`: the state folder where the commit dates are kept between builds (datekeep.py); what
    is wrong with them goes to `report` (not the notes: a cold build has no such note)."""
    scanned = time.time_ns()
    limit = (old.scanned if old else 0) - cache.RACY_NS
    found = discovered(source, old, limit)
    known = {f[0]: f for f in found.seen}  # as they are now: checked, or just seen
    notes = Report()  # history is read on each build: a commit changes no file of the repo
    by_root = commit_dates(source, [w.root for w in found.repos], notes, keep, report,
                           own=[w.root for w in found.repos if w.git])
    dates = {i: by_root[w.root] for i, w in enumerate(found.repos) if w.root in by_root}
    records = old.records if old else {}
    kept: dict[int, cache.Record] = {}
    todo: list[int] = []
    listed: dict[int, Listing] = {}
    keys: dict[int, str] = {}
    for i, where in enumerate(found.repos):
        was = records.get(where.shown)
        # A model that ran out of time or memory has no key: it is tried again.
        if not was or was.id != where.id or not was.key:
            listed[i] = list_repo(where.root)
            todo.append(i)
        elif cache.same_files(where.root, was, limit, known) and was.updated == _day(was, epoch, dates.get(i)):
            kept[i] = was  # at a glance
        else:
            listed[i] = list_repo(where.root)
            record = _unchanged(where.root, was, listed[i], updated_day(listed[i][0], epoch, dates.get(i)),
                                limit, keys, i)
            if record:
                kept[i] = record
            else:
                todo.append(i)
    return Plan(found, scanned, kept, tuple(todo), listed, keys, dates, tuple(notes.items))


def _day(was: cache.Record, epoch: int | None, committed: int | None) -> str:
    """The date a repo's page shows now, if its files are as its record has them: checked on
    every build, as a commit (or a history gone) changes it while no file of the repo changes."""
    if committed is not None:
        return commit_day(committed, epoch)
    return day_of(max((m for _, _, m in was.sig), default=0), epoch)


def _unchanged(root: str, was: cache.Record, listing: Listing, updated: str, limit: int,
               keys: dict[int, str], i: int) -> cache.Record | None:
    """The record of a repo whose stats changed, brought up to date if its content did not
    (its content key is put in keys if computed); None if it changed. `updated`: its date now."""
    files, folders = listing
    sig = cache.signature(files)
    if was.sig == sig and was.updated == updated and all(f.mtime_ns < limit for f in files):
        return was if folders == was.folders else was._replace(folders=folders)
    keys[i] = repo_key(Path(root), files, updated)  # touched, or dated anew; changed?
    if was.key == keys[i]:
        return was._replace(sig=sig, updated=updated, folders=folders)
    return None


def list_repo(root: str) -> Listing:
    """A repo's files, and the folders listed (None if the listing stopped at MAX_FILES)."""
    seen: cache.Seen = []
    files = tuple(list_files(Path(root), seen))
    return files, (tuple(seen) if len(files) < MAX_FILES else None)
