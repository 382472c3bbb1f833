"""What an incremental build remembers: one file beside the output, `.<output>.sitegen-cache`.

It holds, for each repo, the key of its inputs and the outcome of its last build (the record
the lists show, its diagnostics, the files it wrote), and the digest of every aggregate page.
The rendered bytes themselves are the output folder: an unchanged model's files stay where
they are. Everything here is keyed so that a stale entry is never used:

- the site key: sitegen's own code, the theme's files, and the settings pages show;
- a repo's key: the content of each of its files (over the media size cap, which the build
  never reads, their size and mtime), and the date its pages show;
- the output: the inode and mtime of the marker file the last full build wrote, so an output
  folder replaced or rebuilt by anyone else is never updated from a stale list.
"""
from __future__ import annotations

import dataclasses
import functools
import gc
import hashlib
import os
import pickle
import stat
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from . import __version__
from .config import Config
from .discover import Seen, Stat  # noqa: F401 - Seen: build's name for a list of them
from .repo import RepoFile
from .theme import DEFAULT
from .write import MARKER

FORMAT = 4
# A file or folder changed this close to the start of the walk that saw it may change again
# within the same mtime tick, unseen (git's "racily clean" entries): its stat is not trusted.
RACY_NS = 2_000_000_000



@dataclass
class Record:
    sig: tuple[tuple[str, int, int], ...]  # the repo's files as listed (path, size, mtime_ns): a quick check
    updated: str  # the date its page showed
    key: str  # the content key: decides when the quick check fails
    outcome: Any  # build.Outcome
    folders: tuple[Stat, ...] | None = None  # the folders listed, if the listing is complete


class Where(NamedTuple):
    """A repo as discovery found it (a discover.RepoDir, cheaper to load: no Path)."""

    id: str
    root: str
    shown: str
    dir: str


@dataclass
class Found:
    """What discovery found, and the folders whose entries decided it."""

    seen: tuple[Stat, ...]
    repos: list[Where]
    diagnostics: tuple[Any, ...]  # report.Diagnostic


def signature(files: tuple[RepoFile, ...]) -> tuple[tuple[str, int, int], ...]:
    return tuple((f.path, f.size, f.mtime_ns) for f in files)


@dataclass
class Manifest:
    site: str  # site_key()
    marker: tuple[int, int]
    records: dict[str, Record] = field(default_factory=dict)  # by the repo's shown path
    aggregates: dict[str, str] = field(default_factory=dict)  # site path -> digest
    everything: str = ""  # render.site_digest: while it holds, no aggregate changes
    found: Found | None = None
    scanned: int = 0  # time.time_ns() when the walk that saw these stats began
    # Each shard of records as loaded, and the bytes it was loaded from (see save).
    raw: dict[int, tuple[dict[str, Record], bytes]] = field(default_factory=dict, compare=False, repr=False)


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
    for path, size, mtime in record.sig:
        if mtime >= limit:
            return False
        try:
            st = os.lstat(os.path.join(root, path))
        except OSError:
            return False
        if st.st_mtime_ns != mtime or st.st_size != size or not stat.S_ISREG(st.st_mode):
            return False
    return True


def path_for(output: Path) -> Path:
    output = output.absolute()
    return output.parent / f".{output.name}.sitegen-cache"


def _tree_digest(h: Any, root: Path) -> None:
    for path in sorted(root.rglob("*")) if root.is_dir() else ():
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(f"{path.relative_to(root).as_posix()}\0".encode())
            h.update(hashlib.sha256(path.read_bytes()).digest())


@functools.lru_cache(maxsize=1)
def code_key() -> str:
    """sitegen's version and its own source, so a changed sitegen never reuses old pages."""
    h = hashlib.sha256(f"{FORMAT} {__version__}\0".encode())
    _tree_digest(h, Path(__file__).resolve().parent)
    return h.hexdigest()


def site_key(config: Config) -> str:
    h = hashlib.sha256(code_key().encode())
    _tree_digest(h, DEFAULT)
    if config.theme:
        _tree_digest(h, config.theme)
    logo = hashlib.sha256(config.logo.read_bytes()).hexdigest() if config.logo and config.logo.is_file() else ""
    h.update(repr((config.title, config.base_url, config.links, config.cname, config.show_checks,
                   str(config.logo), logo, str(config.source.absolute()))).encode())
    return h.hexdigest()


def marker_of(output: Path) -> tuple[int, int]:
    try:
        st = os.stat(output / MARKER)
    except OSError:
        return (0, 0)
    return (st.st_ino, st.st_mtime_ns)


def repo_key(root: Path, files: tuple[RepoFile, ...], updated: str) -> str:
    """The content of a repo's files as a build reads them, and the day its page shows."""
    from .assets import MAX_MEDIA_BYTES
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


SHARDS = 64  # the records are pickled in this many groups, by a hash of the repo's path


def _shard(shown: str) -> int:
    return zlib.crc32(shown.encode("utf-8", "surrogatepass")) % SHARDS


def load(output: Path, key: str) -> Manifest | None:
    """The manifest of the last build into `output`, if it is still good for this one."""
    gc.disable()  # a million small objects: the collector would run dozens of times for nothing
    try:
        with open(path_for(output), "rb") as fh:
            manifest, shards = pickle.load(fh)
        if not isinstance(manifest, Manifest) or manifest.site != key:
            return None
        manifest.records, manifest.raw = {}, {}
        for number, data in shards.items():
            records = pickle.loads(data)
            manifest.records.update(records)
            manifest.raw[number] = (records, data)
    except Exception:  # noqa: BLE001 - missing, from another version, damaged: build from scratch
        return None
    finally:
        # Its objects hold no cycles: keep the collector off them for good, or its first full
        # pass after this (any allocation may start one) walks them all. build() unfreezes.
        gc.freeze()
        gc.enable()
    if manifest.marker == (0, 0) or manifest.marker != marker_of(output):
        return None
    return manifest


def save(output: Path, manifest: Manifest) -> None:
    """Write the manifest. The records go in SHARDS groups, each pickled on its own, and a group
    whose records are all the ones the last build loaded is written back as the bytes it was
    read from: a rebuild after one edit pickles 1/64 of the records (one pickle of them all
    would load faster by nothing, and pickling them all takes 0.3 s at 10,000 models)."""
    path = path_for(output)
    tmp = path.with_name(path.name + f".{os.getpid()}")
    groups: dict[int, dict[str, Record]] = {}
    for shown, record in manifest.records.items():
        groups.setdefault(_shard(shown), {})[shown] = record
    gc.disable()
    try:
        shards = {}
        for number, records in sorted(groups.items()):
            was = manifest.raw.get(number)
            if was is not None and was[0].keys() == records.keys() \
                    and all(was[0][shown] is record for shown, record in records.items()):
                shards[number] = was[1]
            else:
                shards[number] = pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL)
        head = dataclasses.replace(manifest, records={}, raw={})
        with open(tmp, "wb") as fh:
            pickle.dump((head, shards), fh, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        gc.enable()
    os.replace(tmp, path)


def forget(output: Path) -> None:
    """Drop the manifest: the output is about to change under it."""
    path_for(output).unlink(missing_ok=True)
