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

FORMAT = 5
# A file or folder changed this close to the start of the walk that saw it may change again
# within the same mtime tick, unseen (git's "racily clean" entries): its stat is not trusted.
RACY_NS = 2_000_000_000


class Record(NamedTuple):
    """What the last build learnt of one repo: how to tell it is unchanged, and its outcome
    (build.Outcome) but for the Entry the lists show, which is kept apart (Manifest.entry)
    and read only when the lists change: reading 10,000 of them took 0.2 s of every rebuild."""

    id: str
    sig: tuple[tuple[str, int, int], ...]  # the repo's files as listed (path, size, mtime_ns): a quick check
    updated: str  # the date its page showed
    key: str  # the content key: decides when the quick check fails ("": it failed, try again)
    folders: tuple[Stat, ...] | None  # the folders listed, if the listing is complete
    built: bool  # it has a page (an Entry)
    digest: str  # of its Entry
    diagnostics: tuple[Any, ...]  # report.Diagnostic
    files: tuple[str, ...]  # site paths it wrote
    mentions: tuple[str, ...]  # ids of models its page names
    linked: tuple[str, ...]  # those of them its page links to


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


class Shard(NamedTuple):
    """One group of records as loaded: the records, the bytes they were read from, and the
    bytes of their entries (read when first asked for)."""

    records: dict[str, Record]
    data: bytes
    entries: bytes


@dataclass
class Manifest:
    site: str  # site_key()
    marker: tuple[int, int]
    records: dict[str, Record] = field(default_factory=dict)  # by the repo's shown path
    aggregates: dict[str, str] = field(default_factory=dict)  # site path -> digest
    everything: str = ""  # render.site_digest: while it holds, no aggregate changes
    found: Found | None = None
    scanned: int = 0  # time.time_ns() when the walk that saw these stats began
    epoch: int | None = None  # the SOURCE_DATE_EPOCH the records' dates were made with
    found_raw: bytes = field(default=b"", compare=False, repr=False)  # `found` as loaded, while it holds
    fresh: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)  # Entries made by this build
    raw: dict[int, Shard] = field(default_factory=dict, compare=False, repr=False)  # the shards loaded
    _entries: dict[int, dict[str, Any]] = field(default_factory=dict, compare=False, repr=False)

    def entry(self, shown: str) -> Any:
        """The Entry of a built repo: made by this build, or as the last one saved it."""
        if shown in self.fresh:
            return self.fresh[shown]
        number = _shard(shown)
        if number not in self._entries:
            self._entries[number] = pickle.loads(self.raw[number].entries)
        return self._entries[number][shown]


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
    gc.disable()  # many small objects: the collector would run dozens of times for nothing
    try:
        with open(path_for(output), "rb") as fh:
            manifest, found, shards = pickle.load(fh)
        if not isinstance(manifest, Manifest) or manifest.site != key:
            return None
        manifest.found, manifest.found_raw = pickle.loads(found), found
        manifest.records, manifest.raw, manifest.fresh, manifest._entries = {}, {}, {}, {}
        for number, (data, entries) in shards.items():
            records = pickle.loads(data)
            manifest.records.update(records)
            manifest.raw[number] = Shard(records, data, entries)
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
    """Write the manifest. The records go in SHARDS groups, each pickled on its own (and their
    entries apart), and a group whose records are all the ones the last build loaded is written
    back as the bytes it was read from: a rebuild after one edit pickles 1/64 of the records
    (pickling them all takes 0.3 s at 10,000 models)."""
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
            if was is not None and was.records.keys() == records.keys() \
                    and all(was.records[shown] is record for shown, record in records.items()):
                shards[number] = (was.data, was.entries)
            else:
                entries = {shown: manifest.entry(shown) for shown, record in records.items() if record.built}
                shards[number] = (pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL),
                                  pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL))
        found = manifest.found_raw or pickle.dumps(manifest.found, protocol=pickle.HIGHEST_PROTOCOL)
        head = dataclasses.replace(manifest, found=None, found_raw=b"", records={}, raw={}, fresh={}, _entries={})
        with open(tmp, "wb") as fh:
            pickle.dump((head, found, shards), fh, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        gc.enable()
    os.replace(tmp, path)


def forget(output: Path) -> None:
    """Drop the manifest: the output is about to change under it."""
    path_for(output).unlink(missing_ok=True)
