"""The manifest file: what cache.py remembers, as JSON lines in the build's state folder."""
# Line 1 is the head (format, site key, the output's marker, the site's size, the aggregate pages'
# digests, the shards), line 2 what discovery found, then two lines per shard: its records (in
# columns, checked a column at a time) and their list entries (parsed only when a list is made
# again). Read with `json`, every value checked before use (types, shapes, paths inside the site
# or repo), so nothing in it runs code. Another format or site key: not used; damaged: a warning.
from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import tempfile
import zlib
from dataclasses import dataclass, field
from itertools import chain, repeat
from pathlib import Path, PurePath
from collections.abc import Sequence, Set as AbstractSet
from typing import Any, NamedTuple

from .cache import FORMAT, Found, Record, Stat, Where, path_for
from .carry import same_site
from .report import ERROR, INFO, WARNING, Diagnostic, Report
from .aggregate import Entry, EntryMeta
from .hub.tasks import TASKS
from .recovery import is_site_path

SHARDS = 64  # the records are kept in this many groups, by a hash of the repo's path


class Shard(NamedTuple):
    """One group of records as loaded: the records, their line, and their entries' line (parsed when asked for)."""

    records: dict[str, Record]
    data: bytes
    entries: bytes


@dataclass
class Manifest:
    site: str  # fingerprint.site_key()
    marker: tuple[int, int]
    records: dict[str, Record] = field(default_factory=dict)  # by the repo's shown path
    aggregates: dict[str, str] = field(default_factory=dict)  # site path -> digest
    everything: str = ""  # render.site_digest: while it holds, no aggregate changes
    found: Found | None = None
    scanned: int = 0  # time.time_ns() when the walk that saw these stats began
    epoch: int | None = None  # the SOURCE_DATE_EPOCH the records' dates were made with
    size: int = 0  # the bytes of every file in the site this build left
    found_raw: bytes = field(default=b"", compare=False, repr=False)  # `found` as loaded, while it holds
    fresh: dict[str, Entry] = field(default_factory=dict, compare=False, repr=False)  # made by this build
    raw: dict[int, Shard] = field(default_factory=dict, compare=False, repr=False)  # the shards loaded
    _entries: dict[int, dict[str, Entry]] = field(default_factory=dict, compare=False, repr=False)

    def entry(self, shown: str) -> Entry:
        """The Entry of a built repo: made by this build, or as the last one saved it."""
        if shown in self.fresh:
            return self.fresh[shown]
        number = _shard(shown)
        if number not in self._entries:
            # Its line's digest was checked on load: only a bug in save() could fail here.
            self._entries[number] = _entries(json.loads(self.raw[number].entries))
        return self._entries[number][shown]


def _shard(shown: str) -> int:
    return zlib.crc32(shown.encode("utf-8", "surrogatepass")) % SHARDS


def load(output: Path, key: str, source: Path, report: Report) -> Manifest | None:
    """The manifest of the last build into `output`, if it is still good for this one."""
    path = path_for(output)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        report.warning(f"the build cache cannot be read ({exc.strerror}); building every model", str(path))
        return None
    gc.disable()  # many small objects: the collector would run dozens of times for nothing
    try:
        manifest = _parse(data, key, source)
    except (ValueError, RecursionError) as exc:  # Damaged, and json's errors
        report.warning(f"the build cache is damaged ({str(exc)[:200]}); building every model", str(path))
        return None
    finally:
        # Its objects hold no cycles: keep the collector off them for good, or its first full
        # pass after this (any allocation may start one) walks them all. build() unfreezes.
        gc.freeze()
        gc.enable()
    if manifest is None or not same_site(output, source, manifest):  # restored copies too (carry.py)
        return None
    return manifest


def save(output: Path, manifest: Manifest) -> None:
    """Write the manifest a shard at a time, through a side file (the head, first, names their digests)."""
    groups: dict[int, dict[str, Record]] = {}
    for shown, record in manifest.records.items():
        groups.setdefault(_shard(shown), {})[shown] = record
    path, shards = path_for(output), []
    with tempfile.TemporaryFile(dir=path.parent) as body:
        for number, records in sorted(groups.items()):
            was = manifest.raw.get(number)
            if was is not None and was.records.keys() == records.keys() \
                    and all(was.records[shown] is record for shown, record in records.items()):
                data, entries = was.data, was.entries  # as read: a rebuild after one edit encodes 1/64
            else:
                data = _dumps(_columns(records))
                entries = _dumps({shown: manifest.entry(shown) for shown, record in records.items() if record.built})
            body.writelines((b"\n", data, b"\n", entries))
            shards.append([number, hashlib.sha256(entries).hexdigest()])
        head = {"format": FORMAT, "site": manifest.site, "marker": manifest.marker, "size": manifest.size,
                "aggregates": manifest.aggregates, "everything": manifest.everything, "scanned": manifest.scanned,
                "epoch": manifest.epoch, "shards": shards}
        body.seek(0)
        with open(tmp := path.with_name(f"{path.name}.{os.getpid()}"), "wb") as fh:
            fh.writelines((_dumps(head), b"\n", manifest.found_raw or _dumps(manifest.found)))
            shutil.copyfileobj(body, fh, 1 << 20)
    os.replace(tmp, path)


def forget(output: Path) -> None:
    """Drop the manifest: the output is about to change under it."""
    path_for(output).unlink(missing_ok=True)


def _dumps(value: Any) -> bytes:
    """One line of JSON (ASCII: any lone surrogate of a file name is escaped, not lost)."""
    return json.dumps(value, separators=(",", ":"), default=_as_json).encode("ascii")


def _as_json(value: Any) -> Any:
    """The JSON form of the values json cannot write itself (tuples it writes as lists)."""
    if isinstance(value, Diagnostic):
        return [value.level, value.message, value.path, value.line, value.key]
    if isinstance(value, Entry):
        m = value.meta
        return [value.id, value.path, value.dir, value.task.tag if value.task else None, value.library,
                m.license, m.languages, m.tags, m.adult, value.summary, value.thumbnail, value.updated,
                value.params, value.formats, value.bases, value.relation, value.datasets]
    if isinstance(value, Found):
        return [value.seen, [list(c) for c in zip(*value.repos)] or [[]] * 4, value.diagnostics]
    raise TypeError(f"cannot save {type(value).__name__} in the manifest")


class Damaged(ValueError):
    """The manifest is not what save() writes. From here on, the reading: every value checked."""


def _parse(data: bytes, key: str, source: Path) -> Manifest | None:
    lines = data.split(b"\n")
    head = json.loads(lines[0])
    if type(head) is not dict:
        raise Damaged("no head")
    if head.get("format") != FORMAT or head.get("site") != key:
        return None  # another sitegen, theme or settings: not damaged, just not ours to use
    marker, aggregates, everything, scanned, epoch, shards, size = (
        head.get(k) for k in ("marker", "aggregates", "everything", "scanned", "epoch", "shards", "size"))
    if type(marker) is not list or len(marker) != 2 or not all(type(n) is int for n in marker) \
            or type(everything) is not str or type(scanned) is not int or type(size) is not int or size < 0 \
            or not (epoch is None or type(epoch) is int):
        raise Damaged("head")
    if type(aggregates) is not dict or not all(type(v) is str and is_site_path(k) for k, v in aggregates.items()):
        raise Damaged("aggregate pages")
    if type(shards) is not list or len(lines) != 2 + 2 * len(shards):
        raise Damaged("truncated")
    manifest = Manifest(key, (marker[0], marker[1]), aggregates=aggregates, everything=everything, size=size,
                        scanned=scanned, epoch=epoch, found=_found(json.loads(lines[1]), source), found_raw=lines[1])
    for i, shard in enumerate(shards):
        data, entries = lines[2 + 2 * i], lines[3 + 2 * i]
        if type(shard) is not list or len(shard) != 2 or type(shard[0]) is not int \
                or shard[1] != hashlib.sha256(entries).hexdigest():
            raise Damaged(f"shard {i}: its entries are not the ones saved")
        records = _records(json.loads(data))
        if not all(_shard(shown) == shard[0] for shown in records):
            raise Damaged(f"shard {i}: a record of another shard")
        manifest.records.update(records)
        manifest.raw[shard[0]] = Shard(records, data, entries)
    return manifest


def _found(value: Any, source: Path) -> Found:
    """What discovery found (folders, repos in columns, diagnostics); each folder in the source."""
    if type(value) is not list or len(value) != 3 or type(value[1]) is not list or len(value[1]) != 4:
        raise Damaged("the repos found")
    ids, roots, shown, dirs = columns = value[1]
    src = str(PurePath(source))  # as discovery spelt it: str(source / name)
    if not all(type(c) is list and len(c) == len(ids) and _are(c, _STR) for c in columns) \
            or not all(map(_inside, roots, repeat(src))) or not all(map(is_site_path, dirs)):
        raise Damaged("a repo found")
    seen, diagnostics = _triples([value[0]], "folders"), _diagnostics([value[2]])
    return Found(seen[0] or (), list(map(Where, ids, roots, shown, dirs)), diagnostics[0])


def _inside(root: str, src: str) -> bool:
    """Whether a path is the folder `src` or inside it (both as pathlib spells them)."""
    if root == src or src == ".":
        return root == src or is_site_path(root)
    head = src.rstrip("/") + "/"
    return root.startswith(head) and is_site_path(root[len(head):])


def _records(value: Any) -> dict[str, Record]:
    """A shard's records, by their repo's shown path, from its columns (one per field; checked
    a column at a time: 10,000 records in 40 ms, where one at a time took 90)."""
    if type(value) is not list or len(value) != 14 or not all(type(c) is list and len(c) == len(value[0]) for c in value):
        raise Damaged("records")
    shown, ids, sigs, updated, keys, folders, built, digests, diagnostics, files, mentions, linked, trees, spans = value
    if not all(_are(c, _STR) for c in (shown, ids, updated, keys, digests, trees)) or not _are(built, {bool}) \
            or not all(s is None or type(s) is list and len(s) == 2 and _are(s, _INT) and min(s) >= 0 for s in spans):
        raise Damaged("records")  # a span: where a page's tree section lies, [offset, length] in bytes, or null
    return dict(zip(shown, map(Record, ids, _triples(sigs, "a repo's files", inside=True), updated, keys,
                                _triples(folders, "a repo's folders", none=True), built, digests,
                                _diagnostics(diagnostics), _texts(files, "files written", paths=True),
                                _texts(mentions, "mentions"), _texts(linked, "links"), trees,
                                [s and (s[0], s[1]) for s in spans])))


def _columns(records: dict[str, Record]) -> list[Any]:
    """The JSON form of a shard's records: _records reads it."""
    return [list(records), *(list(c) for c in zip(*records.values()))] if records else [[]] * 14


_STR, _INT, _LIST = {str}, {int}, {list}
_LEVELS = {ERROR, WARNING, INFO}


def _are(values: Sequence[Any], types: AbstractSet[type]) -> bool:
    return set(map(type, values)) <= types


def _flat(column: Any, what: str) -> list[Any]:
    """The items of a column of lists, in one list."""
    if type(column) is not list or not _are(column, _LIST):
        raise Damaged(what)
    return list(chain.from_iterable(column))


def _texts(column: Any, what: str, paths: bool = False) -> list[tuple[str, ...]]:
    """A column of lists of strings (`paths`: each a path inside the site) as tuples."""
    flat = _flat(column, what)
    if not _are(flat, _STR) or paths and not all(map(is_site_path, flat)):
        raise Damaged(f"{what}: expected paths inside the site" if paths else f"{what}: expected strings")
    return list(map(tuple, column))


def _triples(column: Any, what: str, inside: bool = False, none: bool = False) -> list[tuple[Stat, ...] | None]:
    """A column of lists of (path, number, number): a folder's inode and mtime, or a file's
    size and mtime (`inside`: the path must stay inside the repo; `none`: a row may be null)."""
    rows = [row for row in column if row is not None] if none and type(column) is list else column
    flat = _flat(rows, what)
    if flat:
        if not _are(flat, _LIST) or set(map(len, flat)) != {3}:
            raise Damaged(what)
        paths, sizes, times = zip(*flat)
        if not _are(paths, _STR) or not _are(sizes + times, _INT) or inside and not all(map(is_site_path, paths)):
            raise Damaged(what)
    return [None if row is None else tuple(map(tuple, row)) for row in column]


def _diagnostics(column: Any) -> list[tuple[Diagnostic, ...]]:
    """A column of lists of [level, message, path, line, key]."""
    flat = _flat(column, "diagnostics")
    if flat:
        if not _are(flat, _LIST) or set(map(len, flat)) != {5}:
            raise Damaged("diagnostics")
        levels, messages, paths, lines, keys = zip(*flat)
        if not _are(levels, _STR) or not set(levels) <= _LEVELS or not _are(messages + paths + keys, _STR) \
                or not _are(lines, {int, type(None)}):
            raise Damaged("diagnostics")
    return [tuple(Diagnostic(*d) for d in row) for row in column]


def _entries(value: Any) -> dict[str, Entry]:
    if type(value) is not dict:
        raise Damaged("entries")
    return {shown: _entry(v) for shown, v in value.items()}


def _entry(value: Any) -> Entry:
    if type(value) is not list or len(value) != 17:
        raise Damaged("an entry")
    id_, path, dir_, task, library, license_, languages, tags, adult, summary, thumbnail, updated = value[:12]
    params, formats, bases, relation, datasets = value[12:]
    if not all(type(s) is str for s in (id_, path, dir_, library, license_, summary, thumbnail, updated, relation)) \
            or type(params) is not int or params < 0 \
            or type(adult) is not bool or not (task is None or type(task) is str and task in TASKS) \
            or not is_site_path(path) or not is_site_path(dir_) or thumbnail and not is_site_path(thumbnail):
        raise Damaged("an entry")
    meta = EntryMeta(license_, _strs(languages, "languages"), _strs(tags, "tags"), adult)
    return Entry(id_, path, dir_, TASKS[task] if task else None, library, meta, summary, thumbnail, updated,
                 params, _strs(formats, "formats"), _strs(bases, "base models"), relation, _strs(datasets, "datasets"))


def _strs(value: Any, what: str) -> tuple[str, ...]:
    if type(value) is not list or not _are(value, _STR):
        raise Damaged(f"{what}: expected a list of strings")
    return tuple(value)
