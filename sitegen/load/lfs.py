"""Recognise a Git LFS pointer file (spec v1) from its bytes, strictly; note those a page would show."""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from .safeio import open_file

# git-lfs reads at most this many bytes of a file to decide whether it is a pointer
# (BlobSizeCutoff); a pointer is always shorter (spec/hub-repos.md section 1).
MAX_POINTER_BYTES = 1024
VERSIONS = (b"https://git-lfs.github.com/spec/v1", b"https://hawser.github.com/spec/v1")
MAX_SIZE = (1 << 63) - 1  # int64
# The shortest pointer: the shorter version line, the oid line, `size 0`. A file of any other
# size than MIN_POINTER_BYTES..MAX_POINTER_BYTES-1 is never read to ask whether it is one.
MIN_POINTER_BYTES = min(len(v) for v in VERSIONS) + len("version \noid sha256:\nsize 0\n") + 64

_EXT = re.compile(rb"ext-([0-9])-[a-z0-9.-]+ sha256:[0-9a-f]{64}")
_OID = re.compile(rb"oid sha256:([0-9a-f]{64})")
_SIZE = re.compile(rb"size (0|[1-9][0-9]{0,18})")


def pointer(data: bytes) -> tuple[str, int] | None:
    """(oid, size) of the object a pointer file stands for, or None when `data` is not one.

    Strict, as spec/hub-repos.md section 1 says to recognise one safely: fewer than 1024
    bytes of `key value` lines each ending in a newline: `version <known URL>` first, then
    any `ext-N-name sha256:<hex>` lines in order, then `oid sha256:<64 lowercase hex>`,
    then `size <decimal>`, then nothing. `data` may be a longer prefix of the file (it is
    then no pointer). An empty file is its own pointer to git-lfs, but stands for no object
    to fetch: None.
    """
    if not data or len(data) >= MAX_POINTER_BYTES or not data.endswith(b"\n"):
        return None
    lines = data[:-1].split(b"\n")
    if len(lines) < 3 or not lines[0].startswith(b"version ") or lines[0][8:] not in VERSIONS:
        return None
    digits = []
    for line in lines[1:-2]:
        ext = _EXT.fullmatch(line)
        if ext is None:
            return None
        digits.append(ext.group(1))
    if digits != sorted(set(digits)):  # unique, in order: the one valid encoding
        return None
    oid, size = _OID.fullmatch(lines[-2]), _SIZE.fullmatch(lines[-1])
    if oid is None or size is None or int(size.group(1)) > MAX_SIZE:
        return None
    return oid.group(1).decode("ascii"), int(size.group(1))


def could_be(size: int) -> bool:
    """Whether a file of `size` bytes could be a pointer (and so is worth one small read)."""
    return MIN_POINTER_BYTES <= size < MAX_POINTER_BYTES


def read_head(path: Path, size: int) -> bytes:
    """The bytes that tell whether the repo file at `path` (listed with `size` bytes) is a
    pointer: one read of at most MAX_POINTER_BYTES, and none (b"") when its size rules it out."""
    if not could_be(size):
        return b""
    try:
        with open_file(path) as fh:
            return fh.read(MAX_POINTER_BYTES)
    except OSError:
        return b""


def looks_like(data: bytes) -> bool:
    """Whether a small file starts as a pointer does (and so should be one)."""
    return len(data) < MAX_POINTER_BYTES and any(data.startswith(b"version " + v) for v in VERSIONS)


def broken(path: str) -> str:
    """Why a file that starts as a pointer but is none is neither read nor published."""
    return (f"{path!r} starts as a Git LFS pointer but is not a valid one (spec v1: `version`, "
            "`oid sha256:<64 hex>`, `size <bytes>` lines); it is neither read nor published: "
            "fetch the file again")


# Names a shell command can carry in double quotes as they are, and git-lfs takes as one file.
_PLAIN_NAME = re.compile(r"[\w./ +=@-]+")


def pull_hint(path: str) -> str:
    """What to run in the model's folder to fetch one pointer's file."""
    if _PLAIN_NAME.fullmatch(path) and not path.startswith("-") and not path.endswith(" "):
        return f'run `git lfs pull --include="{path}"` in the model\'s folder'
    return "run `git lfs pull` in the model's folder (`sitegen lfs-files` lists the files pages show)"


def not_fetched(path: str, size: int) -> str:
    """Why a pointer is not shown as the file it stands for, and how to fetch it."""
    return (f"{path!r} is a Git LFS pointer: the file itself ({size:,} bytes) is not downloaded, "
            f"and the pointer's text is not published; {pull_hint(path)}")


@dataclass(frozen=True)
class Pointer:
    """A pointer file met where a page shows a repo file: what `sitegen lfs-files` lists."""

    path: str  # in the repo, as the card names it
    real: Path  # the file itself, every symlink followed
    want: str  # what the page wanted of it ("image", "video", ...; "" for a link)
    oid: str
    size: int  # of the real file, once fetched


# The pointers met while resolving, when someone listens (`sitegen lfs-files`); None otherwise.
_MET: ContextVar[list[Pointer] | None] = ContextVar("lfs_pointers_met", default=None)


def note(met: Pointer) -> bool:
    """Record a pointer the asset resolver met; whether anyone is listening."""
    listening = _MET.get()
    if listening is not None:
        listening.append(met)
    return listening is not None


@contextmanager
def noting() -> Iterator[list[Pointer]]:
    """Collect the pointers met inside the `with`, in this thread."""
    met: list[Pointer] = []
    token = _MET.set(met)
    try:
        yield met
    finally:
        _MET.reset(token)
