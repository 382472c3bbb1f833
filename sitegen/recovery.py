"""Recovery after killed builds: the folders a build makes beside the output, recorded before they exist."""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import stat
from pathlib import Path

# The folders beside the output (`.OUT.sitegen-KIND-PID-TOKEN`) must sit on its file system for
# the renames to be atomic, so a repo built in place (`cd repo && sitegen build`) can ship
# folders of the same names. Each one a build makes is therefore first recorded in the build's
# state folder (cache.state_dir, in the user's cache), under a name with a random token, and
# `recover` acts only on recorded folders: never on one it merely finds, and never through a
# symlink.

MARKER = ".sitegen-site"  # in a site sitegen made


def marker_of(output: Path) -> tuple[int, int]:
    """The inode and mtime of the output's marker file: a site another build or a person put
    there has another ((0, 0): none)."""
    try:
        st = os.lstat(output / MARKER)
    except OSError:
        return (0, 0)
    return (st.st_ino, st.st_mtime_ns) if stat.S_ISREG(st.st_mode) else (0, 0)


JOURNAL = ".sitegen-journal"


def roll_forward(committed: Path, output: Path) -> int:
    """Move a committed update's files into the output and delete its journal's paths, never
    through a symlink: a link in the update is not moved, and a path whose folder in the
    output is a link (or not a folder) is left alone. Return how many files were left out."""
    deleted = _journal(committed / JOURNAL)
    (committed / JOURNAL).unlink(missing_ok=True)
    folders: dict[str, Path | None] = {}
    missed = 0
    for folder, _, names in os.walk(committed):  # a linked folder is listed, never entered
        rel = Path(folder).relative_to(committed).as_posix()
        for name in names:
            source = os.path.join(folder, name)
            if not stat.S_ISREG(os.lstat(source).st_mode):
                continue
            if rel not in folders:
                folders[rel] = _real_folder(output, rel, make=True)
            parent = folders[rel]
            if parent is not None:
                os.replace(source, parent / name)
            else:
                missed += 1
    for path in deleted:
        parent = _real_folder(output, os.path.dirname(path), make=False)
        if parent is None:
            continue
        dest = parent / os.path.basename(path)
        if os.path.lexists(dest) and not _is_folder(dest):  # a link goes, not what it names
            dest.unlink()
        while parent != output:  # folders left empty go too (all real: checked above)
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent
    shutil.rmtree(committed, ignore_errors=True)
    return missed


def _journal(path: Path) -> list[str]:
    """The site paths a committed update deletes (a line that is not one is skipped)."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return []
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeError):
        return []
    return [line for line in lines if is_site_path(line)]


def _real_folder(output: Path, rel: str, make: bool) -> Path | None:
    """output/rel if the output and each folder on the way are real folders, not links
    (missing ones made if `make`); else None."""
    if not _is_folder(output):
        return None
    folder = output
    for part in rel.split("/"):
        if part in ("", "."):
            continue
        folder = folder / part
        try:
            st = os.lstat(folder)
        except FileNotFoundError:
            if not make:
                return None
            os.mkdir(folder)
            continue
        if not stat.S_ISDIR(st.st_mode):
            return None
    return folder


STAGED = "staged"  # in a state folder: one file per folder a build made beside the output
_KINDS = ("tmp", "old", "apply")


def recover(output: Path, state: Path | None) -> list[Path]:
    """Clean up after builds into `output` that were killed (SIGKILL, power loss): put back a
    site that was moved aside and never replaced, finish an update that was committed, and
    delete the temp folders of processes that are gone. Only folders recorded in `state` are
    touched; return the folders beside the output that look like ours but are not recorded
    (left alone; with no state folder, all of them)."""
    output = output.absolute()
    recorded = set()
    try:
        records = sorted((state / STAGED).iterdir()) if state is not None and (state / STAGED).is_dir() else []
    except OSError:
        records = []
    for record in records:
        if _recover_one(output, record):
            recorded.add(record.name)
    prefix = f".{output.name}.sitegen-"
    try:
        beside = sorted(os.listdir(output.parent))
    except OSError:
        return []
    return [output.parent / name for name in beside if name not in recorded and name.startswith(prefix)
            and name[len(prefix):].split("-", 1)[0] in _KINDS]


def _recover_one(output: Path, record: Path) -> bool:
    """Act on one recorded folder; forget the record once it is done with. Return whether
    the folder is still there (a live build's)."""
    found = _pattern(output).fullmatch(record.name)
    folder = output.parent / record.name
    try:
        is_folder = found is not None and stat.S_ISDIR(os.lstat(folder).st_mode)
    except OSError:
        is_folder = False
    if not is_folder or found is None:  # gone (or never a name of ours): forget it
        record.unlink(missing_ok=True)
        return False
    if _alive(int(found[2])):
        return True
    kind = found[1]
    if kind == "old" and not os.path.lexists(output) and _is_file(folder / MARKER):
        os.rename(folder, output)
    elif kind == "apply" and _is_folder(output) and marker_of(output) != (0, 0) \
            and marker_of(output) == _recorded_marker(record):
        roll_forward(folder, output)
    else:
        shutil.rmtree(folder, ignore_errors=True)
    record.unlink(missing_ok=True)
    return False


def _recorded_marker(record: Path) -> tuple[int, int] | None:
    try:
        value = json.loads(record.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    marker = value.get("marker") if isinstance(value, dict) else None
    if isinstance(marker, list) and len(marker) == 2 and all(type(n) is int for n in marker):
        return (marker[0], marker[1])
    return None


def _pattern(output: Path) -> re.Pattern[str]:
    return re.compile(re.escape(f".{output.name}.sitegen-") + r"(tmp|old|apply)-(\d+)-[0-9a-f]{16}")


def sibling(output: Path, kind: str, state: Path | None, marker: tuple[int, int] = (0, 0),
             pid: int | None = None) -> Path:
    """A new name for a folder beside the output, recorded in `state` before it exists: a
    random token makes it one that no repo can ship ahead of time. (`pid`: tests only.)"""
    pid = os.getpid() if pid is None else pid
    path = output.parent / f".{output.name}.sitegen-{kind}-{pid}-{secrets.token_hex(8)}"
    if state is not None:
        (state / STAGED).mkdir(mode=0o700, exist_ok=True)
        (state / STAGED / path.name).write_text(json.dumps({"marker": list(marker)}), encoding="utf-8")
    return path


def forget(folder: Path, state: Path | None) -> None:
    if state is not None:
        (state / STAGED / folder.name).unlink(missing_ok=True)


def _is_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _is_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _alive(pid: int) -> bool:
    if os.name != "posix":
        return True  # no cheap, harmless test for a process here: keep its folder
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: someone else's process
        return True
    return True


def is_site_path(path: str) -> bool:
    """Whether a name is a relative path that stays inside its folder (no `..`, no root)."""
    return bool(path) and path[0] != "/" and "\\" not in path and "\x00" not in path \
        and (".." not in path or ".." not in path.split("/"))
