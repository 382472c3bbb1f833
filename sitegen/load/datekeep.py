"""The commit dates the last build read from git, kept in its state folder so a rebuild reads only the commits since."""
# history.py reads the dates of every model folder from `git log`; at 10,000 models that is most
# of a rebuild's time. They depend on the commit they were read at and on nothing else (a commit's
# id names its whole history; replace refs are off, and a repository with grafts or a shallow one
# is read whole every time), so they are kept with that commit's id. The file is state restored
# from a CI cache: JSON, every value checked; anything unexpected means reading the whole history.
from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from ..report import Report

NAME = "history.json"
FORMAT = 1
MAX_BYTES = 64 << 20  # the file is read no further
MAX_FOLDERS = 1_000_000  # model folders kept at most
MAX_NEW = 1000  # commits since the last build read one by one; more: the whole history again
MAX_TIME = 1 << 40  # a commit time (s) past this is not one git wrote
COMMIT = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?\Z")  # SHA-1 or SHA-256


class Kept(NamedTuple):
    """The dates read at commit `head`, for the folders under `prefix` (of the repository's top), by
    their path under it ("" for the source itself); None: no commit ever touched the folder."""

    head: str
    prefix: str
    dates: dict[str, int | None]


def load(folder: Path, report: Report) -> Kept | None:
    """The dates kept in this state folder, if any (a warning if they are damaged)."""
    path = folder / NAME
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        report.warning(f"the kept commit dates cannot be read ({exc.strerror}); reading the whole history", str(path))
        return None
    try:
        if len(data) > MAX_BYTES:
            raise ValueError(f"larger than {MAX_BYTES >> 20} MB")
        return _checked(json.loads(data))
    except (ValueError, RecursionError) as exc:  # json's errors are ValueErrors too
        report.warning(f"the kept commit dates are damaged ({str(exc)[:200]}); reading the whole history", str(path))
        return None


def _checked(value: object) -> Kept:
    """The Kept that save() wrote, or ValueError saying what is wrong."""
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        raise ValueError(f"expected an object of format {FORMAT}")
    head, prefix, dates = value.get("head"), value.get("prefix"), value.get("dates")
    if not isinstance(head, str) or not COMMIT.match(head):
        raise ValueError("head: expected a commit id")
    if not isinstance(prefix, str) or "\0" in prefix or len(prefix) > 4096:
        raise ValueError("prefix: expected a path")
    if not isinstance(dates, dict) or len(dates) > MAX_FOLDERS:
        raise ValueError("dates: expected an object")
    for when in dates.values():  # the keys are strings: json makes them so
        if when is not None and (type(when) is not int or not 0 <= when < MAX_TIME):
            raise ValueError("dates: expected a commit time or null")
    return Kept(head, prefix, dates)


def save(folder: Path, kept: Kept) -> None:
    """Keep these dates for the next build (through a side file; if it cannot be written, none are kept)."""
    path = folder / NAME
    tmp = path.with_name(f"{NAME}.{os.getpid()}")
    data = {"format": FORMAT, "head": kept.head, "prefix": kept.prefix, "dates": kept.dates}
    try:
        tmp.write_bytes(json.dumps(data, separators=(",", ":")).encode("ascii"))
        os.replace(tmp, path)
    except (OSError, ValueError):
        for gone in (tmp, path):
            try:
                gone.unlink(missing_ok=True)
            except OSError:
                pass


def forget(folder: Path) -> None:
    """Drop the kept dates (the history could not be read whole)."""
    try:
        (folder / NAME).unlink(missing_ok=True)
    except OSError:  # a folder where the file should be, say: load() says so
        pass


def entries(tokens: Iterator[str]) -> Iterator[tuple[str | None, str | None]]:
    """What `git log -z --name-only --format=%x00%x00...` says, as it comes, newest commit first:
    (header, None) as each commit starts (two empty fields, then the header its format wrote), then
    (header, path) for each path it changed (a path is never empty; the first comes after a
    newline). Paths before any commit (git writes none) come with the header None."""
    header: str | None = None
    empty, first = 0, False
    for token in tokens:
        if not token:
            empty += 1
            continue
        if empty >= 2:
            header, first = token, True
            yield header, None
        else:
            yield header, token[1:] if first and token.startswith("\n") else token
            first = False
        empty = 0


def chain(tokens: Iterator[str], old: str, head: str) -> list[tuple[int, list[str]]] | None:
    """(committer time, paths changed) of each commit from `head` back to `old`, newest first, from
    `git log -z --name-only --format=%x00%x00%ct %H %P old..head`; None unless they are one line of
    at most MAX_NEW commits, each the only parent of the one before, the last a child of `old`
    (no merge, no rewrite: then the whole history's walk is these commits, then old's own)."""
    found: list[tuple[int, list[str]]] = []
    expect = head
    for header, path in entries(tokens):
        if header is None:
            return None
        if path is not None:
            found[-1][1].append(path)
            continue
        fields = header.split(" ")
        if len(fields) != 3 or not (fields[0].isascii() and fields[0].isdigit()) or fields[1] != expect \
                or len(found) >= MAX_NEW:
            return None
        expect = fields[2]
        found.append((int(fields[0]), []))
    return found if found and expect == old else None
