"""Open repo files safely: regular files only, never through a symlink (but a cache's blob links), never blocking."""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

# The largest image or audio file a page shows (assets.py); a larger repo file is never read whole:
# the build's cache keys it by size and mtime (cache.repo_key), without loading the media code.
MAX_MEDIA_BYTES = 20 * 1024 * 1024

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) \
    | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
# What open() with O_NOFOLLOW says of a symlink: ELOOP (Linux, macOS), EMLINK (FreeBSD).
_LINK_ERRORS = {errno.ELOOP, errno.EMLINK}


def open_file(path: Path) -> BinaryIO:
    """Open a repo file for reading only if it is a regular file: never through a symlink
    (but the one exception, `blob_of`), and never waiting on a FIFO or a device that was put in
    its place after it was checked."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        target = blob_of(path) if exc.errno in _LINK_ERRORS else None
        if target is None:
            raise
        fd = os.open(target, _OPEN_FLAGS)  # the blob itself: a link put there now is refused
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise IsADirectoryError(f"{path}: not a regular file")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def blob_of(path: Path | str) -> str | None:
    """The one symlink sitegen follows: in a Hugging Face cache, a file of
    `models--{id}/snapshots/{rev}/` is a relative link to `../../blobs/{etag}` (one more `../`
    per subfolder). Return the blob's real path when `path` is such a link: relative, one hop,
    from a snapshot folder (and subfolders) that are no links themselves, to a regular file
    right inside that same repo folder's `blobs/`, which is no link either. Else None."""
    try:
        link = os.readlink(path)
        where = os.path.abspath(path)
    except (OSError, ValueError):
        return None
    parts = Path(where).parts
    at = next((i for i in range(1, len(parts) - 2)
               if parts[i] == "snapshots" and parts[i - 1].startswith("models--")), 0)
    if not at or os.path.isabs(link):
        return None
    try:
        repo = os.path.realpath(os.path.join(*parts[:at]), strict=True)
        blobs = os.path.join(repo, "blobs")
        snapshot = os.path.join(repo, "snapshots", parts[at + 1])
        if not stat.S_ISDIR(os.lstat(blobs).st_mode) or not stat.S_ISDIR(os.lstat(snapshot).st_mode):
            return None
        if os.path.realpath(os.path.dirname(where), strict=True) != os.path.join(snapshot, *parts[at + 2:-1]):
            return None  # through a linked folder
        target = os.path.normpath(os.path.join(snapshot, *parts[at + 2:-1], link))
        if os.path.dirname(target) != blobs or not stat.S_ISREG(os.lstat(target).st_mode):
            return None
    except (OSError, ValueError, RuntimeError):
        return None
    return target


def regular(path: Path) -> bool:
    """Whether path is a regular file, and no symlink but a cache's blob link (`blob_of`)."""
    try:
        if stat.S_ISREG(os.lstat(path).st_mode):
            return True
    except OSError:
        return False
    return blob_of(path) is not None


def inside(path: Path, folder: Path) -> bool:
    """Whether path is folder or inside it once every symlink in both is followed."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        return False
