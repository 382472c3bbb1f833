"""A Hugging Face cache folder as the source: one model per `models--{org}--{name}`, at its `refs/main` snapshot."""
from __future__ import annotations

# The layout (spec/hub-repos.md section 2): `models--org--name/refs/main` holds the commit,
# `snapshots/<commit>/` the files, each a relative link to `../../blobs/<etag>`. Those links
# are followed by safeio.blob_of alone, and only when they stay in the same folder's blobs/.

import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

from .safeio import open_file
from ..report import INFO, Report

KINDS = ("models--", "datasets--", "spaces--")
COMMIT = re.compile(r"[0-9a-f]{40}")
MAX_REF_BYTES = 64  # a commit hash is 40; a longer refs file is not read as one
MAX_SNAPSHOTS = 1000  # snapshot folders looked at to find the newest


def is_cache_repo(folder: Path) -> bool:
    """Whether a folder is a repo folder of a Hugging Face cache (`{kind}s--…` holding snapshots/)."""
    return folder.name.startswith(KINDS) and _is_dir(folder / "snapshots")


def in_snapshot(root: Path) -> bool:
    """Whether a model's root is a snapshot of a model in a cache (its links may lead to blobs/)."""
    return root.parent.name == "snapshots" and root.parent.parent.name.startswith("models--")


def model_id(folder: str) -> str | None:
    """`models--org--name` -> `org/name`, `models--gpt2` -> `gpt2`; None if it names no model."""
    if not folder.startswith("models--"):
        return None
    parts = folder[len("models--"):].split("--")  # an id holds no `--`: the split is exact
    return "/".join(parts) if 1 <= len(parts) <= 2 and all(parts) else None


def snapshot(folder: Path, report: Report, look: Callable[[Path], Path]) -> tuple[str, Path] | None:
    """The id and the snapshot folder a build reads of a cache's repo folder, or None (said why)."""
    shown = str(folder)
    if not folder.name.startswith("models--"):
        kind = folder.name.split("--", 1)[0].rstrip("s")
        report.add(INFO, f"a Hugging Face cache's {kind} folder; skipped (a site shows models only)", shown)
        return None
    repo_id = model_id(folder.name)
    if repo_id is None:
        report.warning("a cache folder name should be models--{org}--{name} or models--{name}; skipped", shown)
        return None
    look(folder / "refs")
    if os.path.isfile(folder / "refs" / "main"):
        # huggingface_hub rewrites refs/main in place, which leaves its folder's mtime as it was:
        # the file's own stat tells a rebuild that the model moved to another snapshot.
        look(folder / "refs" / "main")
    chosen = _ref(folder, report) or _newest(look(folder / "snapshots"), report)
    if chosen is None:
        report.warning("a cached model with no snapshot folder to read; skipped", shown)
        return None
    return repo_id, chosen


def _ref(folder: Path, report: Report) -> Path | None:
    """The snapshot `refs/main` names, or None (a warning if it names none that can be read)."""
    ref = folder / "refs" / "main"
    shown = str(ref)
    try:
        with open_file(ref) as fh:  # a regular file: no link, no FIFO
            data = fh.read(MAX_REF_BYTES + 1)
    except FileNotFoundError:
        report.add(INFO, "no refs/main: the newest snapshot is read", str(folder))
        return None
    except OSError:
        report.warning("refs/main is not a regular file; the newest snapshot is read instead", shown)
        return None
    text = data.decode("ascii", "replace").strip()
    if len(data) > MAX_REF_BYTES or not COMMIT.fullmatch(text):
        report.warning(f"refs/main should hold a 40-hex commit hash, it holds {text[:48]!r}"
                       f"{'…' if len(data) > 48 else ''}; the newest snapshot is read instead", shown, 1)
        return None
    chosen = folder / "snapshots" / text
    if not _is_dir(chosen):
        report.warning(f"refs/main names commit {text}, which has no folder in snapshots/ (a link "
                       "to one is not followed); the newest snapshot is read instead", shown, 1)
        return None
    return chosen


def _newest(snapshots: Path, report: Report) -> Path | None:
    """The snapshot folder changed last (then the greatest name): a commit-named folder, no link."""
    found: list[tuple[int, str]] = []
    try:
        with os.scandir(snapshots) as it:
            for entry in it:
                if len(found) >= MAX_SNAPSHOTS:
                    break
                if COMMIT.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False):
                    found.append((entry.stat(follow_symlinks=False).st_mtime_ns, entry.name))
    except OSError:
        return None
    if not found:
        return None
    newest = snapshots / max(found)[1]
    if len(found) > 1:
        report.add(INFO, f"{len(found)} snapshots and no usable refs/main: the newest, {newest.name}, is read",
                   str(snapshots))
    return newest


def _is_dir(path: Path) -> bool:
    """A folder, and no link to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False
