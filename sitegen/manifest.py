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
from itertools import repeat
from operator import methodcaller
from pathlib import Path, PurePath
from typing import Any, NamedTuple

from .cache import FORMAT, Found, Record, Stat, Where, path_for
from .carry import same_site
from .report import Diagnostic, Report
from .aggregate import Entry
from . import columns as col
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
            self._entries[number] = col.entries(json.loads(self.raw[number].entries))
        return self._entries[number][shown]


_ENCODE = methodcaller("encode", "utf-8", "surrogatepass")


def _shard(shown: str) -> int:
    return zlib.crc32(_ENCODE(shown)) % SHARDS


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
        return [value.seen, [list(c) for c in zip(*value.repos)] or [[]] * 5, value.diagnostics]
    raise TypeError(f"cannot save {type(value).__name__} in the manifest")


def _parse(data: bytes, key: str, source: Path) -> Manifest | None:
    lines = data.split(b"\n")
    head = json.loads(lines[0])
    if type(head) is not dict:
        raise col.Damaged("no head")
    if head.get("format") != FORMAT or head.get("site") != key:
        return None  # another sitegen, theme or settings: not damaged, just not ours to use
    marker, aggregates, everything, scanned, epoch, shards, size = (
        head.get(k) for k in ("marker", "aggregates", "everything", "scanned", "epoch", "shards", "size"))
    if type(marker) is not list or len(marker) != 2 or not all(type(n) is int for n in marker) \
            or type(everything) is not str or type(scanned) is not int or type(size) is not int or size < 0 \
            or not (epoch is None or type(epoch) is int):
        raise col.Damaged("head")
    if type(aggregates) is not dict or not all(type(v) is str and is_site_path(k) for k, v in aggregates.items()):
        raise col.Damaged("aggregate pages")
    if type(shards) is not list or len(lines) != 2 + 2 * len(shards):
        raise col.Damaged("truncated")
    manifest = Manifest(key, (marker[0], marker[1]), aggregates=aggregates, everything=everything, size=size,
                        scanned=scanned, epoch=epoch, found=_found(json.loads(lines[1]), source), found_raw=lines[1])
    for i, shard in enumerate(shards):
        data, entries = lines[2 + 2 * i], lines[3 + 2 * i]
        if type(shard) is not list or len(shard) != 2 or type(shard[0]) is not int \
                or shard[1] != hashlib.sha256(entries).hexdigest():
            raise col.Damaged(f"shard {i}: its entries are not the ones saved")
        records = _records(json.loads(data))
        if not set(map(SHARDS.__rmod__, map(zlib.crc32, map(_ENCODE, records)))) <= {shard[0]}:  # as _shard()
            raise col.Damaged(f"shard {i}: a record of another shard")
        manifest.records.update(records)
        manifest.raw[shard[0]] = Shard(records, data, entries)
    return manifest


def _found(value: Any, source: Path) -> Found:
    """What discovery found (folders, repos in columns, diagnostics); each folder in the source."""
    if type(value) is not list or len(value) != 3 or type(value[1]) is not list or len(value[1]) != 5:
        raise col.Damaged("the repos found")
    ids, roots, shown, dirs, git = columns = value[1]
    src = str(PurePath(source))  # as discovery spelt it: str(source / name)
    if not all(type(c) is list and len(c) == len(ids) for c in columns) \
            or not all(col.are(c, col.STR) for c in columns[:4]) or not col.are(git, {bool}) \
            or not _inside(roots, src) or not all(map(is_site_path, dirs)):
        raise col.Damaged("a repo found")
    seen, diagnostics = col.triples([value[0]], "folders"), col.diagnostics([value[2]])
    return Found(seen[0] or (), list(map(Where, ids, roots, shown, dirs, git)), diagnostics[0])


def _inside(roots: list[str], src: str) -> bool:
    """Whether each path is the folder `src` or inside it (all as pathlib spells them)."""
    if src == ".":
        return all(map(is_site_path, roots))
    head = src.rstrip("/") + "/"
    others = [root for root in roots if root != src]
    return all(map(str.startswith, others, repeat(head))) and all(is_site_path(root[len(head):]) for root in others)


def _records(value: Any) -> dict[str, Record]:
    """A shard's records, by their repo's shown path, from its columns (one per field; checked
    a column at a time: 10,000 records in 40 ms, where one at a time took 90)."""
    if type(value) is not list or len(value) != 14 or not all(type(c) is list and len(c) == len(value[0]) for c in value):
        raise col.Damaged("records")
    shown, ids, sigs, updated, keys, folders, built, digests, diagnostics, files, mentions, linked, trees, spans = value
    # A span: where a page's tree section lies, [offset, length] in bytes, or null.
    given = [s for s in spans if s is not None]
    if not all(col.are(c, col.STR) for c in (shown, ids, updated, keys, digests, trees)) or not col.are(built, {bool}) \
            or not col.are(given, col.LIST) or not set(map(len, given)) <= {2} \
            or not col.are(numbers := col.flat_items(given, "spans"), col.INT) or min(numbers, default=0) < 0:
        raise col.Damaged("records")
    return dict(zip(shown, map(Record, ids, col.triples(sigs, "a repo's files", inside=True), updated, keys,
                                col.triples(folders, "a repo's folders", none=True), built, digests,
                                col.diagnostics(diagnostics), col.texts(files, "files written", paths=True),
                                col.texts(mentions, "mentions"), col.texts(linked, "links"), trees,
                                [s and (s[0], s[1]) for s in spans])))


def _columns(records: dict[str, Record]) -> list[Any]:
    """The JSON form of a shard's records: _records reads it."""
    return [list(records), *(list(c) for c in zip(*records.values()))] if records else [[]] * 14
