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

import functools
import gc
import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .config import Config
from .repo import RepoFile
from .theme import DEFAULT
from .write import MARKER

FORMAT = 1


@dataclass
class Record:
    sig: tuple[tuple[str, int, int], ...]  # the repo's files as listed (path, size, mtime_ns): a quick check
    updated: str  # the date its page showed
    key: str  # the content key: decides when the quick check fails
    outcome: Any  # build.Outcome


def signature(files: tuple[RepoFile, ...]) -> tuple[tuple[str, int, int], ...]:
    return tuple((f.path, f.size, f.mtime_ns) for f in files)


@dataclass
class Manifest:
    site: str  # site_key()
    marker: tuple[int, int]
    records: dict[str, Record] = field(default_factory=dict)  # by the repo's shown path
    aggregates: dict[str, str] = field(default_factory=dict)  # site path -> digest
    everything: str = ""  # render.site_digest: while it holds, no aggregate changes


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


def load(output: Path, key: str) -> Manifest | None:
    """The manifest of the last build into `output`, if it is still good for this one."""
    gc.disable()  # a million small objects: the collector would run dozens of times for nothing
    try:
        with open(path_for(output), "rb") as fh:
            manifest = pickle.load(fh)
    except Exception:  # missing, from another version, damaged: build from scratch
        return None
    finally:
        gc.enable()
    if not isinstance(manifest, Manifest) or manifest.site != key \
            or manifest.marker == (0, 0) or manifest.marker != marker_of(output):
        return None
    return manifest


def save(output: Path, manifest: Manifest) -> None:
    path = path_for(output)
    tmp = path.with_name(path.name + f".{os.getpid()}")
    gc.disable()
    try:
        with open(tmp, "wb") as fh:
            pickle.dump(manifest, fh, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        gc.enable()
    os.replace(tmp, path)


def forget(output: Path) -> None:
    """Drop the manifest: the output is about to change under it."""
    path_for(output).unlink(missing_ok=True)
