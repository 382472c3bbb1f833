"""Load one model repo: its card, config.json and list of files."""
from __future__ import annotations

import json
import os
import re
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .card import MAX_README_BYTES, Card, parse_card, read_text
from .discover import RepoDir, Seen, folder_stat
from .safeio import open_file
from ..report import CardError, Report
from ..write import MARKER

MAX_CONFIG_BYTES = 1024 * 1024
MAX_FILES = 10_000
MAX_DEPTH = 32  # folder levels listed below the repo root
MAX_JSON_DEPTH = 64


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
        return updated_day(self.files, epoch)


def updated_day(files: tuple[RepoFile, ...] | list[RepoFile], epoch: int | None = None) -> str:
    """The day the newest of these files changed, no later than `epoch` if given."""
    return day_of(max((f.mtime_ns for f in files), default=0), epoch)


def day_of(mtime_ns: int, epoch: int | None = None) -> str:
    newest = mtime_ns // 1_000_000_000
    if epoch is not None:
        newest = min(newest, epoch)
    return time.strftime("%Y-%m-%d", time.gmtime(newest)) if newest > 0 else ""


def load_repo(repo: RepoDir, report: Report, files: tuple[RepoFile, ...] | None = None) -> ModelRepo:
    """Read a repo from disk; raise CardError when its card or config cannot be used.
    `files`: its listing, when the caller has already made it."""
    readme = repo.root / "README.md"
    shown = os.path.join(repo.shown, "README.md")
    if readme.is_file() and not readme.is_symlink():
        card = parse_card(read_text(readme, shown, MAX_README_BYTES), shown, report)
    else:
        report.warning("no README.md: the page shows only what config.json says", repo.shown)
        card = Card(shown, {}, "", 1, has_front_matter=False)
    config = _load_config(repo, report)
    return ModelRepo(repo.id, repo.root, repo.shown, card, config,
                     tuple(list_files(repo.root)) if files is None else files)


def _load_config(repo: RepoDir, report: Report) -> dict[str, Any] | None:
    path = repo.root / "config.json"
    shown = os.path.join(repo.shown, "config.json")
    if path.is_symlink():
        report.warning("config.json is a symlink; ignored (only the repo's own files are read)", shown)
        return None
    if not path.is_file():
        return None
    value = load_json(read_text(path, shown, MAX_CONFIG_BYTES), shown)
    if not isinstance(value, dict):
        report.warning("config.json is not a JSON object; ignored", shown, 1)
        return None
    return value


def load_json(text: str, shown: str) -> Any:
    """Parse strict JSON: no NaN or Infinity, no duplicate keys, at most MAX_JSON_DEPTH levels;
    raise CardError with the line of the problem."""
    deep = _too_deep(text)
    if deep is not None:
        raise CardError(f"invalid JSON: nested more than {MAX_JSON_DEPTH} levels deep", shown,
                        text.count("\n", 0, deep) + 1)
    try:
        return json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_unique)
    except json.JSONDecodeError as exc:
        raise CardError(f"invalid JSON: {exc.msg} (column {exc.colno})", shown, exc.lineno) from None
    except _DuplicateKey as exc:
        raise CardError(f"invalid JSON: duplicate key {exc.key!r}", shown, _line_of_key(text, exc.key)) from None
    except _Constant as exc:
        raise CardError(f"invalid JSON: {exc.name} is not a JSON number", shown,
                        _line_of_key(text, exc.name.lstrip("-"))) from None
    except ValueError as exc:  # a number too long to read
        long = re.search(r"[0-9]{4000,}", text)
        raise CardError(f"invalid JSON: {str(exc).split(':')[0]}", shown,
                        text.count("\n", 0, long.start()) + 1 if long else None) from None
    except RecursionError:  # MAX_JSON_DEPTH is checked first: only on a small stack
        raise CardError("invalid JSON: nested too deeply", shown) from None


class _Constant(ValueError):
    def __init__(self, name: str):
        super().__init__(f"{name} is not valid JSON")
        self.name = name


class _DuplicateKey(ValueError):
    def __init__(self, key: str):
        super().__init__(f"duplicate key {key!r}")
        self.key = key


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json keeps the last of two equal keys without a word; a reader would see the first.
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


# Strings (skipped whole, so brackets inside them do not count; an unclosed one runs to the
# end, so no text is scanned twice), brackets, and the colon after a key.
_JSON_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[{\]}]|\s*:|NaN|-?Infinity', re.DOTALL)


def _too_deep(text: str) -> int | None:
    """The offset where JSON text opens its (MAX_JSON_DEPTH + 1)th level, or None. Checked
    before parsing: the parser itself recurses and fails without a line."""
    depth = 0
    for m in _JSON_TOKENS.finditer(text):
        c = m.group()[0]
        if c in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return m.start()
        elif c in "]}":
            depth -= 1
    return None


def _line_of_key(text: str, key: str) -> int | None:
    """The line where valid JSON text repeats `key` inside one object (or, for the key
    "NaN" or "Infinity", where it uses that constant)."""
    objects: list[set[str] | None] = []
    last = None  # the string just read, and where
    for m in _JSON_TOKENS.finditer(text):
        token = m.group()
        if token in "[{":
            objects.append(set() if token == "{" else None)
        elif token in "]}":
            objects.pop()
        elif token.lstrip("-") in ("NaN", "Infinity") and token.lstrip("-") == key:  # a constant
            return text.count("\n", 0, m.start()) + 1
        elif token.lstrip() == ":" and last is not None and objects and objects[-1] is not None:
            name = json.loads(last[0])
            if name == key and name in objects[-1]:
                return text.count("\n", 0, last[1]) + 1
            objects[-1].add(name)
        last = (token, m.start()) if token.startswith('"') else None
    return None


def read_side_file(repo: ModelRepo, path: str) -> str:
    """Read a small UTF-8 file of the repo listing (tokenizer_config.json, a chat template),
    or "" when absent, too big or unreadable: such files only refine what the page shows."""
    listed = next((f for f in repo.files if f.path == path), None)
    full = repo.root / path
    if listed is None or listed.size > MAX_CONFIG_BYTES or full.is_symlink():
        return ""
    try:
        with open_file(full) as f:
            data = f.read(MAX_CONFIG_BYTES + 1)  # the file may have grown since it was listed
        return data.decode("utf-8-sig") if len(data) <= MAX_CONFIG_BYTES else ""
    except (OSError, UnicodeDecodeError):
        return ""


def parse_json(text: str) -> dict[str, Any] | None:
    """Parse a JSON object, or None for anything else (broken side files are ignored)."""
    if _too_deep(text) is not None:
        return None
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _reject_constant(name: str) -> Any:
    raise _Constant(name)


def list_files(root: Path, seen: Seen | None = None) -> list[RepoFile]:
    """List regular files under root (no symlinks, no hidden folders but .eval_results), sorted
    by path, folder by folder as os.walk does; names that are not UTF-8 are left out (a card
    cannot name them, and a page could not show them).

    `seen`, if given, gets each folder listed, as discover.folder_stat gives it."""
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


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
