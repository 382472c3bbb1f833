"""What an incremental build remembers: the state folder in the user's cache, and each key."""
# The build's state folder is in the user's cache
# (`$XDG_CACHE_HOME/sitegen/builds/<digest of the output's path>/`), never beside the output,
# where a repo built in place could put a file of its own; manifest.py reads and writes it.
#
# For each repo it keeps the key of its inputs and the outcome of its last build (the record
# the lists show, its diagnostics, the files it wrote), and the digest of every aggregate page.
# The rendered bytes themselves are the output folder: an unchanged model's files stay where
# they are. Everything here is keyed so that a stale entry is never used:
#
# - the site key (fingerprint.py): sitegen's own code, the theme's files, and the settings pages show;
# - a repo's key: the content of each of its files (over the media size cap, which the build
#   never reads, their size and mtime), and the date its pages show;
# - the output: the inode and mtime of the marker file the last full build wrote, so an output
#   folder replaced or rebuilt by anyone else is never updated from a stale list (or, for a copy
#   restored by a CI cache, the digest of its inputs the marker names: carry.py).
from __future__ import annotations

import hashlib
import os
import shutil
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from .load.discover import Seen, Stat  # noqa: F401 - Seen: build's name for a list of them
from .load.repo import RepoFile
from .load.safeio import MAX_MEDIA_BYTES
from .report import Diagnostic

FORMAT = 10
# A file or folder changed this close to the start of the walk that saw it may change again
# within the same mtime tick, unseen (git's "racily clean" entries): its stat is not trusted.
RACY_NS = 2_000_000_000


class Record(NamedTuple):
    """What the last build learnt of one repo: how to tell it is unchanged, and its outcome
    (make.Outcome) but for the Entry the lists show, which is kept apart (manifest.Manifest.entry)
    and read only when the lists change: reading 10,000 of them took 0.2 s of every rebuild."""

    id: str
    sig: tuple[tuple[str, int, int], ...]  # the repo's files as listed (path, size, mtime_ns): a quick check
    updated: str  # the date its page showed
    key: str  # the content key: decides when the quick check fails ("": it failed, try again)
    folders: tuple[Stat, ...] | None  # the folders listed, if the listing is complete
    built: bool  # it has a page (an Entry)
    digest: str  # of its Entry
    diagnostics: tuple[Diagnostic, ...]
    files: tuple[str, ...]  # site paths it wrote
    mentions: tuple[str, ...]  # ids of models its page names
    linked: tuple[str, ...]  # those of them its page links to
    tree: str = ""  # the digest of the model tree its page shows (tree.tree_digest)
    span: tuple[int, int] | None = None  # where its page's tree section lies: offset, length in bytes


class Where(NamedTuple):
    """A repo as discovery found it (a discover.RepoDir, cheaper to load: no Path)."""

    id: str
    root: str
    shown: str
    dir: str
    git: bool = False  # the folder holds a .git of its own (looked for after the walk stat'ed it)


@dataclass
class Found:
    """What discovery found, and the folders whose entries decided it."""

    seen: tuple[Stat, ...]
    repos: list[Where]
    diagnostics: tuple[Diagnostic, ...]


def signature(files: tuple[RepoFile, ...]) -> tuple[tuple[str, int, int], ...]:
    return tuple((f.path, f.size, f.mtime_ns) for f in files)


def same_folders(seen: tuple[Stat, ...], limit: int, known: dict[str, Stat] | None = None) -> bool:
    """Whether each folder is still the one seen, with no entry added, removed or renamed
    (its mtime would have moved), and was not racy then (last changed after `limit`).
    `known`: folders already stat'ed by this build, by path."""
    if not seen:
        return False
    for folder in seen:
        path, ino, mtime = folder
        if mtime >= limit or not ino:
            return False
        now = known.get(path) if known else None
        if now is not None:
            if now != folder:
                return False
            continue
        try:
            st = os.stat(path)
        except OSError:
            return False
        if st.st_mtime_ns != mtime or st.st_ino != ino:
            return False
    return True


def same_files(root: str, record: Record, limit: int, known: dict[str, Stat]) -> bool:
    """Whether a repo still lists as `record` saw it: no folder of it changed, and each file
    has the size and mtime it had. Files newer than `limit` are not trusted."""
    if record.folders is None or not same_folders(record.folders, limit, known):
        return False
    root += os.sep  # (os.path.join took a quarter of this check's time)
    for path, size, mtime in record.sig:
        if mtime >= limit:
            return False
        try:
            st = os.lstat(root + path)
        except OSError:
            return False
        if st.st_mtime_ns != mtime or st.st_size != size or not stat.S_ISREG(st.st_mode):
            return False
    return True


def user_dir() -> Path:
    """sitegen's folder in the user's cache: $XDG_CACHE_HOME/sitegen, else ~/.cache/sitegen
    (a relative XDG_CACHE_HOME is ignored, as the XDG spec says: it would name a folder inside
    whatever folder sitegen runs in). RuntimeError if there is no home folder."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    return Path(base if os.path.isabs(base) else Path.home() / ".cache") / "sitegen"


def state_path(output: Path) -> Path:
    """The state folder of builds into `output` (made or not): one per output, by its real path."""
    output = output.absolute()
    real = os.path.join(os.path.realpath(output.parent), output.name)
    return user_dir() / "builds" / hashlib.sha256(os.fsencode(real)).hexdigest()[:32]


def state_dir(output: Path) -> Path:
    """The state folder of builds into `output`, made if need be (only this user may read it);
    OSError or RuntimeError if it cannot be. Folders unused for 30 days go when one is made."""
    folder = state_path(output)
    if not os.path.isdir(folder):
        builds = folder.parent
        builds.mkdir(parents=True, mode=0o700, exist_ok=True)
        for old in builds.iterdir():
            try:
                if old.stat().st_mtime < time.time() - 30 * 86_400:
                    shutil.rmtree(old, ignore_errors=True)
            except OSError:  # pruned by another build meanwhile
                pass
        folder.mkdir(mode=0o700, exist_ok=True)
    else:
        os.utime(folder)  # in use: not pruned
    st = os.lstat(folder)
    if not stat.S_ISDIR(st.st_mode) or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
        raise OSError(f"{folder}: not a folder of this user")
    return folder


def path_for(output: Path) -> Path:
    """The manifest of builds into `output`."""
    return state_path(output) / "manifest.json"


def repo_key(root: Path, files: tuple[RepoFile, ...], updated: str) -> str:
    """The content of a repo's files as a build reads them, and the day its page shows."""
    h = hashlib.sha256(updated.encode())
    for f in files:
        h.update(f"\0{f.path}\0{f.size}\0".encode())
        if f.size > MAX_MEDIA_BYTES:
            h.update(str(f.mtime_ns).encode())
            continue
        try:
            with open(root / f.path, "rb") as fh:
                content = hashlib.sha256()
                while chunk := fh.read(1 << 20):
                    content.update(chunk)
                h.update(content.digest())
        except OSError:
            h.update(b"unreadable")
    return h.hexdigest()


