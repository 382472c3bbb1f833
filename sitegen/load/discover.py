"""Find model repos under a source folder: `name/`, `org/name/`, or the source itself."""
from __future__ import annotations

import functools
import hashlib
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .hfcache import in_snapshot, is_cache_repo, model_id, snapshot
from ..report import Report

# A Hub repo name: letters, digits, '-', '_', '.'; no leading/trailing '-' or '.', no '--' or '..'.
# New names are capped at 96 characters, but older repos have longer ones.
REPO_NAME = re.compile(r"^(?![-.])(?!.*(?:--|\.\.))[A-Za-z0-9_.-]{1,200}(?<![-.])$")
MARKERS = ("README.md", "config.json")
# A site folder name that is safe as it is: in a URL, on file://, on Pages, on any file system.
PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10))}
# Names of files sitegen writes itself (tags/index.html, a listing's page-2.html, a model's
# social.png, the root's files): a folder named from a card never takes one of them.
OWN_FILES = re.compile(r"(?:index\.html|page-\d+\.html|404\.html|search-index\.js|sitemap\.xml|robots\.txt"
                       r"|cname|social\.png)", re.I)


@dataclass(frozen=True)
class RepoDir:
    id: str  # "org/name" or "name"
    root: Path
    shown: str  # root as the user will read it in messages
    committed: int | None = None  # when the last commit that touched it was made (s), if known (history.py)

    @functools.cached_property
    def dir(self) -> str:
        """The model's folder in the site."""
        return site_dir(self.id)


def slug(part: str) -> str:
    """Name a site folder for one part of an id, a tag: the part itself when it is plain and
    not a name sitegen gives its own files, else an ASCII spelling of it plus a digest, so
    `my model`, `my%model` and `my#model` never meet, nor a tag `index.html` the tag list."""
    if PLAIN.fullmatch(part) and not part.endswith(".") and part.split(".")[0].upper() not in WINDOWS_RESERVED \
            and not OWN_FILES.fullmatch(part):
        return part
    ascii_part = unicodedata.normalize("NFKD", part).encode("ascii", "ignore").decode()
    base = re.sub(r"[^A-Za-z0-9_.-]+", "-", ascii_part).strip("-._")[:60].rstrip("-._")
    digest = hashlib.sha256(part.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{base}-{digest}" if base else digest


def site_dir(repo_id: str) -> str:
    """The folder of a model's page in the site, e.g. `models/acme/bert`."""
    return "models/" + "/".join(slug(p) for p in repo_id.split("/"))


def is_repo(path: Path) -> bool:
    """Return whether a folder is a model repo (holds a README.md or a config.json)."""
    return any((path / m).is_file() for m in MARKERS)


Stat = tuple[str, int, int]  # a folder's path, inode and mtime_ns (folder_stat)
Seen = list[Stat]  # the folders whose entries decided a listing


def discover(source: Path, report: Report, folders: Seen | None = None) -> list[RepoDir]:
    """List the repos under source, sorted by id; a source that is a repo gives itself.

    `folders`, if given, gets the folders the answer depends on: the answer stays the same while
    none of them is replaced or has an entry added, removed or renamed (which sets its mtime)."""
    def look(path: Path) -> Path:
        if folders is not None:
            folders.append(folder_stat(str(path)))
        return path

    if is_cache_repo(source):  # one repo folder of a cache: `sitegen build …/hub/models--gpt2`
        return _cached([], [look(source)], report, look)
    if is_repo(look(source)):
        name = unicodedata.normalize("NFC", source.resolve().name) or "model"
        if in_snapshot(source.absolute()):  # `sitegen build …/models--gpt2/snapshots/<commit>`
            name = model_id(source.absolute().parent.parent.name) or name
        return [RepoDir(name, source, str(source))]
    found: list[RepoDir] = []
    cache: list[Path] = []
    for first in _subdirs(source):
        if is_cache_repo(first):  # `models--org--name`: no Hub name holds `--`, so no repo of ours
            cache.append(look(first))
            continue
        if is_repo(look(first)):
            _add(found, [first.name], first, report)
            continue
        seconds = _subdirs(first)
        if any(is_cache_repo(d) for d in seconds):  # `sitegen build ~/.cache/huggingface`
            report.warning(f"a Hugging Face cache, skipped: give it as the source itself "
                           f"(sitegen build {first})", str(first))
            continue
        for second in seconds:
            if is_repo(look(second)):
                _add(found, [first.name, second.name], second, report)
            elif any(is_repo(look(d)) for d in _subdirs(second)):
                report.warning("a model repo is nested deeper than org/name, skipped "
                               "(a Hub id has at most two parts)", str(second))
    return _unique(_cached(found, cache, report, look), report)


def _cached(found: list[RepoDir], cache: list[Path], report: Report, look: Callable[[Path], Path]) -> list[RepoDir]:
    """`found` and the models of a Hugging Face cache's repo folders, each at its snapshot; a
    model also found as an ordinary folder is read from that folder (a clone or a download one
    works on), not the cache."""
    taken = {r.dir.casefold(): r for r in found}
    out = list(found)
    for folder in cache:
        got = snapshot(folder, report, look)
        if got is None:
            continue
        repo_id, root = got
        if not is_repo(look(root)):
            report.warning("the snapshot holds no README.md or config.json; skipped", str(root))
        elif (other := taken.get(site_dir(repo_id).casefold())) is not None:
            report.warning(f"model {repo_id} is also in {other.shown}, which is read instead "
                           "(an ordinary folder wins over the cache)", str(folder))
        else:
            _add(out, repo_id.split("/"), root, report)
    return out


def _unique(found: list[RepoDir], report: Report) -> list[RepoDir]:
    """The repos, sorted by id, less those whose site folder another one takes (an error)."""
    seen: dict[str, RepoDir] = {}
    unique = []
    for repo in sorted(found, key=lambda r: (r.id.count("/"), r.id)):  # `x` before `X/y`
        folded = repo.dir.casefold()
        # `x` and `X/y` meet too: on a file system that ignores case, models/X/y/ is inside models/x/.
        other = seen.get(folded) or next((seen[p] for p in _parents(folded) if p in seen), None)
        if other is not None:
            if repo.id == other.id:
                why = "is the same name (in another Unicode form) as"
            elif repo.id.casefold() == other.id.casefold():
                why = "differs only in case from"
            elif folded != other.dir.casefold():
                why = "would be published inside the folder of"
            else:
                why = "would be published at the same address as"
            report.error(f"model id {why} {other.shown} ({other.dir}); rename one of the folders",
                         repo.shown)
            continue
        seen[folded] = repo
        unique.append(repo)
    return sorted(unique, key=lambda r: r.id)


def folder_stat(path: str) -> Stat:
    """A folder's path, inode and mtime_ns, taken before it is listed ((path, 0, 0) if it is gone)."""
    try:
        st = os.stat(path)
    except OSError:
        return (path, 0, 0)
    return (path, st.st_ino, st.st_mtime_ns)


def _parents(folder: str) -> list[str]:
    parts = folder.split("/")
    return ["/".join(parts[:i]) for i in range(2, len(parts))]


def _subdirs(path: Path) -> list[Path]:
    try:
        with os.scandir(path) as it:  # the entry types come with the listing: no stat per entry
            names = sorted(e.name for e in it if e.is_dir(follow_symlinks=False)
                           and not e.name.startswith((".", "_")))
    except OSError:
        return []
    return [path / name for name in names]


def _add(found: list[RepoDir], parts: list[str], root: Path, report: Report) -> None:
    try:
        parts = [unicodedata.normalize("NFC", p.encode("utf-8").decode()) for p in parts]
    except UnicodeError:
        report.error("folder name is not valid UTF-8; rename the folder", str(root))
        return
    if any(not p.isprintable() for p in parts):
        report.error("folder name holds control characters; rename the folder", str(root))
        return
    repo = RepoDir("/".join(parts), root, str(root))
    for part in parts:
        if not REPO_NAME.match(part):
            report.warning(f"folder name {part!r} is not a valid Hub repo name (letters, digits, "
                           f"'-', '_' and '.'; no leading, trailing or doubled '-' or '.'); "
                           f"the site publishes it at {repo.dir}/", str(root))
    found.append(repo)
