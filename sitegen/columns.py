"""The manifest's columns as read: each value checked (type, shape, a path inside the site or repo), or Damaged."""
from __future__ import annotations

from collections.abc import Sequence, Set as AbstractSet
from itertools import chain
from typing import Any

from .aggregate import Entry, EntryMeta
from .cache import Stat
from .hub.tasks import TASKS
from .recovery import is_site_path
from .report import ERROR, INFO, WARNING, Diagnostic


class Damaged(ValueError):
    """The manifest is not what save() writes. From here on, the reading: every value checked."""


STR, INT, LIST, BOOL = {str}, {int}, {list}, {bool}
TASK: set[type] = {str, type(None)}
TASK_TAGS = {None, *TASKS}
LEVELS = {ERROR, WARNING, INFO}


def are(values: Sequence[Any], types: AbstractSet[type]) -> bool:
    return set(map(type, values)) <= types


def flat_items(column: Any, what: str) -> list[Any]:
    """The items of a column of lists, in one list."""
    if type(column) is not list or not are(column, LIST):
        raise Damaged(what)
    return list(chain.from_iterable(column))


def texts(column: Any, what: str, paths: bool = False) -> list[tuple[str, ...]]:
    """A column of lists of strings (`paths`: each a path inside the site) as tuples."""
    flat = flat_items(column, what)
    if not are(flat, STR) or paths and not all(map(is_site_path, flat)):
        raise Damaged(f"{what}: expected paths inside the site" if paths else f"{what}: expected strings")
    return list(map(tuple, column))


def triples(column: Any, what: str, inside: bool = False, none: bool = False) -> list[tuple[Stat, ...] | None]:
    """A column of lists of (path, number, number): a folder's inode and mtime, or a file's
    size and mtime (`inside`: the path must stay inside the repo; `none`: a row may be null)."""
    rows = [row for row in column if row is not None] if none and type(column) is list else column
    flat = flat_items(rows, what)
    if flat:
        if not are(flat, LIST) or set(map(len, flat)) != {3}:
            raise Damaged(what)
        paths, sizes, times = zip(*flat)
        if not are(paths, STR) or not are(sizes + times, INT) or inside and not all(map(is_site_path, paths)):
            raise Damaged(what)
    return [None if row is None else tuple(map(tuple, row)) for row in column]


def diagnostics(column: Any) -> list[tuple[Diagnostic, ...]]:
    """A column of lists of [level, message, path, line, key]."""
    flat = flat_items(column, "diagnostics")
    if flat:
        if not are(flat, LIST) or set(map(len, flat)) != {5}:
            raise Damaged("diagnostics")
        levels, messages, paths, lines, keys = zip(*flat)
        if not are(levels, STR) or not set(levels) <= LEVELS or not are(messages + paths + keys, STR) \
                or not are(lines, {int, type(None)}):
            raise Damaged("diagnostics")
    return [tuple(Diagnostic(*d) for d in row) for row in column]


def entries(value: Any) -> dict[str, Entry]:
    """A shard's list entries, each a list of Entry's 17 fields; checked a field at a time."""
    if type(value) is not dict:
        raise Damaged("entries")
    rows = list(value.values())
    if not are(rows, LIST) or any(len(row) != 17 for row in rows):
        raise Damaged("an entry")
    if not rows:
        return {}
    ids, paths, dirs, tasks, libraries, licenses, languages, tags, adults, summaries, thumbnails, updated, \
        params, formats, bases, relations, datasets = zip(*rows)
    if not are(list(chain(ids, paths, dirs, libraries, licenses, summaries, thumbnails, updated, relations)), STR) \
            or not are(params, INT) or min(params) < 0 or not are(adults, BOOL) \
            or not are(tasks, TASK) or not set(tasks) <= TASK_TAGS \
            or not all(map(is_site_path, chain(paths, dirs, filter(None, thumbnails)))):
        raise Damaged("an entry")
    metas = map(EntryMeta, licenses, texts(list(languages), "languages"), texts(list(tags), "tags"), adults)
    return dict(zip(value, map(Entry, ids, paths, dirs, [TASKS[t] if t else None for t in tasks], libraries, metas,
                               summaries, thumbnails, updated, params, texts(list(formats), "formats"),
                               texts(list(bases), "base models"), relations, texts(list(datasets), "datasets"))))
