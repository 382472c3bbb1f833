"""Find model repos under a source folder: `name/`, `org/name/`, or the source itself."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .report import Report

# A Hub repo name: letters, digits, '-', '_', '.'; no leading/trailing '-' or '.', no '--' or '..'.
# New names are capped at 96 characters, but older repos have longer ones.
REPO_NAME = re.compile(r"^(?![-.])(?!.*(?:--|\.\.))[A-Za-z0-9_.-]{1,200}(?<![-.])$")
MARKERS = ("README.md", "config.json")


@dataclass(frozen=True)
class RepoDir:
    id: str  # "org/name" or "name"
    root: Path
    shown: str  # root as the user will read it in messages


def is_repo(path: Path) -> bool:
    """Return whether a folder is a model repo (holds a README.md or a config.json)."""
    return any((path / m).is_file() for m in MARKERS)


def discover(source: Path, report: Report) -> list[RepoDir]:
    """List the repos under source, sorted by id; a source that is a repo gives itself."""
    if is_repo(source):
        name = source.resolve().name
        return [RepoDir(name, source, str(source))]
    found: list[RepoDir] = []
    for first in _subdirs(source):
        if is_repo(first):
            _add(found, [first.name], first, report)
            continue
        for second in _subdirs(first):
            if is_repo(second):
                _add(found, [first.name, second.name], second, report)
            elif any(is_repo(d) for d in _subdirs(second)):
                report.warning("a model repo is nested deeper than org/name, skipped "
                               "(a Hub id has at most two parts)", str(second))
    seen: dict[str, RepoDir] = {}
    unique = []
    for repo in sorted(found, key=lambda r: r.id):
        folded = repo.id.casefold()
        if folded in seen:
            report.error(f"model id differs only in case from {seen[folded].shown}; both would "
                         "write the same page on case-insensitive file systems", repo.shown)
            continue
        seen[folded] = repo
        unique.append(repo)
    return unique


def _subdirs(path: Path) -> list[Path]:
    try:
        entries = sorted(path.iterdir(), key=lambda p: p.name)
    except OSError:
        return []
    return [p for p in entries
            if p.is_dir() and not p.is_symlink() and not p.name.startswith((".", "_"))]


def _add(found: list[RepoDir], parts: list[str], root: Path, report: Report) -> None:
    for part in parts:
        if not REPO_NAME.match(part):
            report.error(f"folder name {part!r} is not a valid Hub repo name "
                         "(letters, digits, '-', '_' and '.')", str(root))
            return
    found.append(RepoDir("/".join(parts), root, str(root)))
