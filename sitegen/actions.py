"""GitHub Actions output: annotation paths, the Markdown step summary, and the site's size."""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from .report import ERROR, WARNING, Diagnostic, visible

PAGES_LIMIT = 1_000_000_000  # bytes: GitHub Pages' limit for a published site ("1 GB")
MAX_SUMMARY_ROWS = 500  # problems listed in the step summary; the rest are counted
MAX_SUMMARY_BYTES = 512 * 1024  # GitHub takes 1 MiB per step; leave room for others' summaries
MAX_CELL = 300  # characters of a message shown in one cell
_TICKS = re.compile("`+")


def site_size(output: Path) -> int:
    """The bytes of every regular file in the site folder (links are not followed)."""
    total, folders = 0, [str(output)]
    while folders:
        try:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            folders.append(entry.path)
                        elif entry.is_file(follow_symlinks=False):
                            total += entry.stat(follow_symlinks=False).st_size
                    except OSError:
                        continue
        except OSError:
            continue
    return total


def size_change(stage: Path, staged: list[Path], output: Path, deleted: list[str]) -> int:
    """How many bytes the site gains (or loses) when the `staged` files (in `stage`) replace
    theirs in the output and the `deleted` paths go: what a rebuild adds to the last build's
    size, without walking the whole site again."""
    def size(path: Path) -> int:
        try:
            info = path.lstat()
        except OSError:
            return 0
        return info.st_size if stat.S_ISREG(info.st_mode) else 0

    change = -sum(size(output / path) for path in deleted)
    for path in staged:
        change += size(path) - size(output / path.relative_to(stage))
    return change


def human(size: int) -> str:
    """A size as people read it, in powers of 1000 like GitHub's limits: 1.3 MB, 1.00 GB."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            return f"{size / scale:.2f} {unit}" if unit == "GB" else f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


def size_warning(size: int, output: Path, limit: int | None = None) -> Diagnostic | None:
    """A warning (not tied to a card) when the site is past GitHub Pages' limit."""
    limit = PAGES_LIMIT if limit is None else limit
    if size <= limit:
        return None
    return Diagnostic(WARNING, f"the site is {human(size)}, past GitHub Pages' limit of {human(limit)} for a "
                               "published site; leave out large files or publish elsewhere", str(output))


def relative(path: str, cwd: str | None = None) -> str:
    """A diagnostic's path relative to the current folder (the checkout root in Actions), so
    that GitHub puts the annotation on the file in the commit; a path outside it stays."""
    if not path:
        return path
    cwd = cwd or os.getcwd()
    full = os.path.normpath(os.path.join(cwd, path))
    if full == cwd or not full.startswith(cwd.rstrip(os.sep) + os.sep):
        return path
    return os.path.relpath(full, cwd)


def annotation(d: Diagnostic) -> str:
    """The diagnostic as a workflow command, its file relative to the current folder."""
    return Diagnostic(d.level, d.message, relative(d.path), d.line, d.key).annotation()


def _code(text: str) -> str:
    """Text as a Markdown code span in a table cell: nothing in it is a link, a mention, HTML
    or emphasis; a `|` is escaped for the table (GFM unescapes it inside code spans too)."""
    text = visible(text).replace("|", "\\|")
    longest = max((len(m) for m in _TICKS.findall(text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) or not text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _cut(text: str) -> str:
    return text if len(text) <= MAX_CELL else text[:MAX_CELL] + "…"


def markdown(verb: str, counts: list[tuple[str, str]], problems: list[Diagnostic]) -> str:
    """The step summary: a heading, the counts, and a table of problems (errors first), capped
    in rows and bytes, saying how many were left out."""
    head = f"### sitegen {verb}\n\n" + " · ".join(f"**{value}** {name}" for name, value in counts) + "\n"
    shown = [d for d in problems if d.level in (ERROR, WARNING)]
    shown.sort(key=lambda d: (d.level != ERROR, d.path, d.line or 0))
    if not shown:
        return head + "\nNo problems found.\n"
    rows = ["", "| where | level | problem |", "| --- | --- | --- |"]
    size = len(head.encode()) + 64
    for d in shown[:MAX_SUMMARY_ROWS]:
        where = relative(d.path) + (f":{d.line}" if d.line else "")
        key = f"{d.key}: " if d.key else ""
        row = f"| {_code(where) if where else ''} | {d.level} | {_code(_cut(key + d.message))} |"
        size += len(row.encode()) + 1
        if size > MAX_SUMMARY_BYTES:
            break
        rows.append(row)
    left = len(shown) - (len(rows) - 3)
    if left:
        rows += ["", f"… and {left:,} more problem{'' if left == 1 else 's'} not listed here "
                     "(see the job's log)."]
    return head + "\n".join(rows) + "\n"


def append_summary(path: str, text: str) -> str | None:
    """Append text to the step summary file; return why not (a warning) or None. Only a
    regular file, or a new one in an existing folder: no link followed, no FIFO waited on."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK
                     | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError as exc:
        return exc.strerror or str(exc)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return "not a regular file"
        data = text.encode("utf-8")
        while data:
            data = data[os.write(fd, data):]
        return None
    except OSError as exc:
        return exc.strerror or str(exc)
    finally:
        os.close(fd)
