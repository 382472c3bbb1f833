"""Load one model repo: its card, config.json and list of files."""
from __future__ import annotations

import json
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .card import MAX_README_BYTES, Card, parse_card, read_text
from .discover import RepoDir
from .report import CardError, Report

MAX_CONFIG_BYTES = 1024 * 1024
MAX_FILES = 10_000


@dataclass(frozen=True)
class RepoFile:
    path: str  # relative to the repo root, with '/'
    size: int
    mtime_ns: int = 0


@dataclass(frozen=True)
class ModelRepo:
    id: str
    root: Path
    shown: str
    card: Card
    config: dict[str, Any] | None
    files: tuple[RepoFile, ...]

    def has_file(self, path: str) -> bool:
        return any(f.path == path for f in self.files)

    def file_paths(self) -> frozenset[str]:
        return frozenset(f.path for f in self.files)

    def updated(self, epoch: int | None = None) -> str:
        """The day the repo last changed (its newest file), no later than `epoch` if given
        (SOURCE_DATE_EPOCH, so a rebuild of a fresh checkout gives the same pages)."""
        newest = max((f.mtime_ns for f in self.files), default=0) // 1_000_000_000
        if epoch is not None:
            newest = min(newest, epoch)
        return time.strftime("%Y-%m-%d", time.gmtime(newest)) if newest > 0 else ""


def load_repo(repo: RepoDir, report: Report) -> ModelRepo:
    """Read a repo from disk; raise CardError when its card or config cannot be used."""
    readme = repo.root / "README.md"
    shown = os.path.join(repo.shown, "README.md")
    if readme.is_file() and not readme.is_symlink():
        card = parse_card(read_text(readme, shown, MAX_README_BYTES), shown, report)
    else:
        report.warning("no README.md: the page shows only what config.json says", repo.shown)
        card = Card(shown, {}, "", 1, has_front_matter=False)
    config = _load_config(repo, report)
    return ModelRepo(repo.id, repo.root, repo.shown, card, config, tuple(list_files(repo.root)))


def _load_config(repo: RepoDir, report: Report) -> dict[str, Any] | None:
    path = repo.root / "config.json"
    if not path.is_file() or path.is_symlink():
        return None
    shown = os.path.join(repo.shown, "config.json")
    text = read_text(path, shown, MAX_CONFIG_BYTES)
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise CardError(f"invalid JSON: {exc.msg} (column {exc.colno})", shown, exc.lineno) from None
    except (ValueError, RecursionError) as exc:
        raise CardError(f"invalid JSON: {exc}", shown) from None
    if not isinstance(value, dict):
        report.warning("config.json is not a JSON object; ignored", shown, 1)
        return None
    return value


def read_side_file(repo: ModelRepo, path: str) -> str:
    """Read a small UTF-8 file of the repo listing (tokenizer_config.json, a chat template),
    or "" when absent, too big or unreadable: such files only refine what the page shows."""
    listed = next((f for f in repo.files if f.path == path), None)
    full = repo.root / path
    if listed is None or listed.size > MAX_CONFIG_BYTES or full.is_symlink():
        return ""
    try:
        with open(full, "rb") as f:
            data = f.read(MAX_CONFIG_BYTES + 1)  # the file may have grown since it was listed
        return data.decode("utf-8-sig") if len(data) <= MAX_CONFIG_BYTES else ""
    except (OSError, UnicodeDecodeError):
        return ""


def parse_json(text: str) -> dict[str, Any] | None:
    """Parse a JSON object, or None for anything else (broken side files are ignored)."""
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def list_files(root: Path) -> list[RepoFile]:
    """List regular files under root (no symlinks, no hidden folders but .eval_results), sorted by path."""
    out: list[RepoFile] = []
    for dirpath, dirnames, filenames in os.walk(root):
        # Hidden folders are tool state (.git, .ipynb_checkpoints), except the Hub's eval results.
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") or d == ".eval_results")
        for name in sorted(filenames):
            full = os.path.join(dirpath, name)
            st = os.lstat(full)
            if not stat.S_ISREG(st.st_mode):
                continue
            rel = os.path.relpath(full, root).replace(os.sep, "/")
            out.append(RepoFile(rel, st.st_size, st.st_mtime_ns))
            if len(out) >= MAX_FILES:
                return out
    return out
