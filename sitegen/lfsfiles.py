"""`sitegen lfs-files`: the Git LFS pointer files the pages show, as `git lfs pull --include` takes them."""
from __future__ import annotations

import argparse
import functools
import os
import re
import sys
from pathlib import Path

from . import pool
from .assets import MAX_MEDIA_BYTES
from .config import Config
from .load.discover import RepoDir, discover
from .load.lfs import Pointer, noting
from .published import MEDIA_EXT, kind_of_extension
from .report import ERROR, INFO, WARNING, Diagnostic, Report

# What `git lfs pull --include` cannot take in a pattern (git-lfs 3.3, measured): a comma
# splits the list, surrounding space is trimmed, a control character ends a line somewhere,
# and a backslash escapes. Such a file is left out, with a warning: never a pattern that
# could name more than the file.
_UNSAFE = re.compile(r"[,\\\x00-\x1f\x7f\ud800-\udfff]|\s$")  # surrogates: bytes that are no UTF-8
_GLOB = re.compile(r"([*?\[\]])")

Met = tuple[str, Pointer]  # the file as messages name it, and the pointer


def lfs_files(config: Config, base: Path) -> tuple[list[str], Report, Report]:
    """The include patterns of the pointer files the pages would show (sorted, each one file,
    relative to `base`); the reasons some are left out; the cards' own problems."""
    cards, skipped = Report(), Report()
    met = shown_pointers(config, cards, skipped)
    return patterns(met, config.source, base, skipped), skipped, cards


def shown_pointers(config: Config, report: Report, lost: Report) -> list[Met]:
    """Load and resolve every model as a build does, and collect the pointer files its
    resolver met (a pointer is no image, so the build refuses it: the page will want it).
    The cards' problems go to `report`; a model that could not be read to the end, to `lost`."""
    repos = discover(config.source, report)
    found: dict[int, tuple[Met, ...]] = {}
    for index, result in pool.run(functools.partial(_one, config), repos, config.jobs,
                                  config.model_seconds, config.model_memory):
        if isinstance(result, pool.Failed):
            lost.error(f"skipped: reading this model {result.reason}; its files are not listed",
                         os.path.join(repos[index].shown, "README.md"))
            continue
        found[index], diagnostics = result
        report.items.extend(diagnostics)
    return [m for i in sorted(found) for m in found[i]]


def _one(config: Config, repo_dir: RepoDir) -> tuple[tuple[Met, ...], tuple[Diagnostic, ...]]:
    from .make import load_one  # as a build loads it: markdown, Pillow and all
    with noting() as met:
        _, diagnostics = load_one(repo_dir, config)
    return tuple((os.path.join(repo_dir.shown, p.path), p) for p in met), diagnostics


def patterns(met: list[Met], source: Path, base: Path, report: Report) -> list[str]:
    """One anchored, escaped pattern per media pointer file inside `source`; a warning for
    each one left out."""
    root, out, seen = source.resolve(), {}, set()
    for shown, p in met:
        if shown in seen:  # named twice (an image and a link): one pattern, one warning
            continue
        seen.add(shown)
        why = _refused(p, root)
        rel = p.real.relative_to(base).as_posix() if not why and p.real.is_relative_to(base) else ""
        if not why and not rel:
            why = f"it is outside {base}, where the patterns start (the git repository here, else this folder)"
        if not why and _UNSAFE.search(rel):
            why = ("its name holds a comma, a backslash, a control character or bytes that are no "
                   "UTF-8, or ends in a space, which `git lfs pull --include` cannot name alone")
        if why:
            report.warning(f"Git LFS pointer is not listed: {why}; the page cannot show it until "
                           "it is fetched some other way", shown)
            continue
        # Anchored with '/': a bare name matches at any depth (git-lfs filters are gitignore-like).
        out[rel] = "/" + _GLOB.sub(r"\\\1", rel)
    return [out[k] for k in sorted(out)]


def _refused(p: Pointer, root: Path) -> str:
    """Why a pointer the resolver met is no media file a page shows once fetched ("" if it is)."""
    if kind_of_extension(p.path) not in MEDIA_EXT or kind_of_extension(p.real.name) not in MEDIA_EXT:
        return "only images, audio and video a page shows are fetched, and its name is not one (weights stay out)"
    if p.size > MAX_MEDIA_BYTES:
        return f"it is {p.size:,} bytes once fetched, more than the {MAX_MEDIA_BYTES:,} a page shows"
    if not p.real.is_relative_to(root):
        return "it is outside the source folder"
    return ""


def repository_root(start: Path) -> Path:
    """The working tree `git lfs` matches patterns in: the nearest folder from `start` up that
    holds `.git` (its patterns are relative to that root, wherever it runs); else `start`."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def main(args: argparse.Namespace, config: Config) -> int:
    """Print the patterns on one line, comma-separated (NUL-terminated with --null); nothing
    when there are none. Everything else goes to stderr, so `$(sitegen lfs-files)` is only them."""
    try:
        found, skipped, cards = lfs_files(config, repository_root(Path.cwd()))
    except KeyboardInterrupt:
        print("sitegen: interrupted", file=sys.stderr)
        return 130
    shown = {ERROR, WARNING, INFO} if args.verbose else set()  # the cards' problems are build's to report
    for d in cards.sorted():
        if d.level in shown:
            print(d.format(), file=sys.stderr)
    for d in skipped.sorted():
        if d.level == ERROR or not args.quiet:
            print(d.format(), file=sys.stderr)
    if found:
        sys.stdout.write("".join(f"{p}\0" for p in found) if args.null else ",".join(found) + "\n")
    left_out = skipped.errors or args.fail_on == "warning" and skipped.warnings
    return 1 if args.fail_on != "never" and left_out else 0  # else a partial list still helps
