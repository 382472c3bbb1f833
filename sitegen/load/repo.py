"""Load one model repo: its card, config.json and list of files."""
from __future__ import annotations

import dataclasses
import functools
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .card import MAX_README_BYTES, Card, parse_card, read_text
from .discover import RepoDir, Seen, folder_stat
from .jsonstrict import load_json
from .lfs import broken as lfs_broken, looks_like, not_fetched, pointer, read_head
from .safeio import blob_of, regular
from .hfcache import in_snapshot
from .side import EvalFile, read_evals, read_side
from ..report import Report
from ..write import MARKER

if TYPE_CHECKING:
    from .facts import ModelFacts

MAX_CONFIG_BYTES = 1024 * 1024
MAX_FILES = 10_000
MAX_REFUSED = 20  # symlinks of a cache snapshot reported as refused, at most
MAX_DEPTH = 32  # folder levels listed below the repo root
YEAR_10000 = 253_402_300_800  # 10000-01-01T00:00:00Z in seconds: the first time with a five-digit year


@dataclass(frozen=True, slots=True)
class RepoFile:
    path: str  # relative to the repo root, with '/'
    size: int
    mtime_ns: int = 0
    lfs: int | None = None  # a Git LFS pointer (load_repo checks): the size of the file it stands for

    @property
    def real_size(self) -> int:
        """The file's size as the Hub gives it: a pointer's file, not the pointer."""
        return self.size if self.lfs is None else self.lfs


@dataclass(frozen=True)
class ModelRepo:
    id: str
    root: Path
    shown: str
    card: Card
    config: dict[str, Any] | None
    files: tuple[RepoFile, ...]
    side: dict[str, Any] = field(default_factory=dict)  # load/side.py SIDE_FILES, by path
    evals: tuple[EvalFile, ...] = ()  # the .eval_results/*.yaml files
    committed: int | None = None  # its last commit's time (s), where git history knows it
    facts: ModelFacts | None = None  # what its weights, config.json and side files say (load/facts.py)

    def has_file(self, path: str) -> bool:
        return any(f.path == path for f in self.files)

    def file_paths(self) -> frozenset[str]:
        return frozenset(f.path for f in self.files)

    def updated(self, epoch: int | None = None) -> str:
        """The day the repo last changed (its last commit, else its newest file), no later than
        `epoch` if given (SOURCE_DATE_EPOCH, so a rebuild of a fresh checkout gives the same pages)."""
        return updated_day(self.files, epoch, self.committed)


def updated_day(files: tuple[RepoFile, ...] | list[RepoFile], epoch: int | None = None,
                committed: int | None = None) -> str:
    """The day of the last commit that touched a repo, if known (history.py), else the day the
    newest of its files changed; no later than `epoch` if given."""
    if committed is not None:
        return commit_day(committed, epoch)
    return day_of(max((f.mtime_ns for f in files), default=0), epoch)


@functools.lru_cache(maxsize=1024)
def commit_day(committed: int, epoch: int | None = None) -> str:
    """The day of a commit time (s): one commit dates many models, and a rebuild dates every
    model (10,000 calls of day_of took 17 ms, of this 1.4 ms)."""
    return day_of(committed * 1_000_000_000, epoch)


def day_of(mtime_ns: int, epoch: int | None = None) -> str:
    """The day (UTC) of a time, "" if there is none: before 1970, or after 9999 (a commit date
    or an mtime a repo forged; `time.gmtime` fails on some of those, and "%Y" would be 5 digits)."""
    newest = mtime_ns // 1_000_000_000
    if epoch is not None:
        newest = min(newest, epoch)
    return time.strftime("%Y-%m-%d", time.gmtime(newest)) if 0 < newest < YEAR_10000 else ""


def load_repo(repo: RepoDir, report: Report, files: tuple[RepoFile, ...] | None = None) -> ModelRepo:
    """Read a repo from disk; raise CardError when its card or config cannot be used.
    `files`: its listing, when the caller has already made it."""
    if files is None or in_snapshot(repo.root):  # a cache's snapshot: its refused links are reported
        refused: list[str] = []
        files = tuple(list_files(repo.root, refused=refused))
        for path in refused:
            report.warning("a symbolic link that does not lead to a file in this model's blobs/ folder; "
                           "skipped (in a Hugging Face cache, only a snapshot's relative links into its "
                           "own blobs/ are followed)", os.path.join(repo.shown, path))
    listed, broken = with_pointers(repo.root, files)
    for path in broken[:MAX_REFUSED]:
        report.warning(lfs_broken(path), os.path.join(repo.shown, path), 1)
    kept = set(broken) | {f.path for f in listed if f.lfs is not None}  # never read as the file
    readme = repo.root / "README.md"
    shown = os.path.join(repo.shown, "README.md")
    if _kept_back(listed, "README.md", kept, shown, report, "the page shows only what config.json says"):
        card = Card(shown, {}, "", 1, has_front_matter=False)
    elif regular(readme):
        card = parse_card(read_text(readme, shown, MAX_README_BYTES), shown, report)
    else:
        report.warning("no README.md: the page shows only what config.json says", repo.shown)
        card = Card(shown, {}, "", 1, has_front_matter=False)
    config_shown = os.path.join(repo.shown, "config.json")
    config = None if _kept_back(listed, "config.json", kept, config_shown, report, "ignored") \
        else _load_config(repo, report)
    side = read_side(repo.root, {f.path: f.size for f in listed if f.path not in kept})
    evals = read_evals(repo.root, repo.shown, [f.path for f in listed if f.path not in kept])
    from .facts import read_facts  # here: a rebuild that makes no model never loads the weights' readers
    facts = read_facts(repo.root, repo.shown, listed, config, side, report)
    return ModelRepo(repo.id, repo.root, repo.shown, card, config, listed, side, evals, repo.committed, facts)


def _kept_back(files: tuple[RepoFile, ...], path: str, kept: set[str], shown: str, report: Report,
               then: str) -> bool:
    """Whether a file sitegen reads is a Git LFS pointer (said so, with how to fetch it) or
    starts as one (said so already): its text is not read as the file's."""
    if path not in kept:
        return False
    lfs = next((f.lfs for f in files if f.path == path), None)
    if lfs is not None:
        report.warning(f"{not_fetched(path, lfs)}; {then}", shown)
    return True


def _load_config(repo: RepoDir, report: Report) -> dict[str, Any] | None:
    path = repo.root / "config.json"
    shown = os.path.join(repo.shown, "config.json")
    if path.is_symlink() and not regular(path):
        report.warning("config.json is a symlink; ignored (only the repo's own files are read)", shown)
        return None
    if not path.is_file():
        return None
    value = load_json(read_text(path, shown, MAX_CONFIG_BYTES), shown)
    if not isinstance(value, dict):
        report.warning("config.json is not a JSON object; ignored", shown, 1)
        return None
    return value


def with_pointers(root: Path, files: tuple[RepoFile, ...]) -> tuple[tuple[RepoFile, ...], list[str]]:
    """The listing with each Git LFS pointer marked, and the files that start as a pointer but
    are none: one small read per file whose size could be one (a listing kept from the last
    build has no marks, so they are made here)."""
    out, broken = [], []
    for f in files:
        head = read_head(root / f.path, f.size) if f.lfs is None else b""
        found = pointer(head)
        out.append(dataclasses.replace(f, lfs=found[1]) if found else f)
        if not found and looks_like(head):
            broken.append(f.path)
    return tuple(out), broken


def list_files(root: Path, seen: Seen | None = None, refused: list[str] | None = None) -> list[RepoFile]:
    """List regular files under root (no symlinks but a cache's blob links, safeio.blob_of; no
    hidden folders but .eval_results), sorted by path, folder by folder as os.walk does; names
    that are not UTF-8 are left out (a card cannot name them, and a page could not show them).

    `seen`, if given, gets each folder listed, as discover.folder_stat gives it; `refused`, the
    other symlinks met."""
    out: list[RepoFile] = []
    stack = [("", 0)]  # folders still to list, relative to root; popped in sorted order
    while stack:  # not os.walk: it recurses, and a deep enough tree would end the build
        rel, depth = stack.pop()
        folder = os.path.join(root, rel) if rel else str(root)
        if seen is not None:
            seen.append(folder_stat(folder))
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        if rel and any(e.name == MARKER for e in entries):
            continue  # a site sitegen built (`cd repo && sitegen build` puts _site/ here): not the repo's
        folders = []
        for entry in entries:
            if not _utf8(entry.name):
                continue
            path = f"{rel}/{entry.name}" if rel else entry.name
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISLNK(st.st_mode):
                linked = _blob_stat(os.path.join(folder, entry.name))
                if linked is None:
                    if refused is not None and len(refused) < MAX_REFUSED:
                        refused.append(path)
                    continue
                st = linked
            if stat.S_ISDIR(st.st_mode):
                # Hidden folders are tool state (.git, .ipynb_checkpoints), except the Hub's eval results.
                if (not entry.name.startswith(".") or entry.name == ".eval_results") and depth < MAX_DEPTH:
                    folders.append(path)
            elif stat.S_ISREG(st.st_mode):
                out.append(RepoFile(path, st.st_size, st.st_mtime_ns))
                if len(out) >= MAX_FILES:
                    return out
        stack.extend((f, depth + 1) for f in reversed(folders))
    return out


def _blob_stat(link: str) -> os.stat_result | None:
    target = blob_of(link)
    try:
        return os.lstat(target) if target else None
    except OSError:
        return None


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
