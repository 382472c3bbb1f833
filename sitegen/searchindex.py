"""The search index in shards and the index's paged no-script list, for catalogs of any size."""
# search-index.js holds the first FIRST models (by name) and, past that, the names of the
# shards that hold the rest: search/<digest>.js, classic scripts (file:// allows no fetch)
# that search.js loads once a reader asks for more than the first page. A shard is named by
# a digest of what it shows, and its ends are set by the ids around them (content-defined),
# so a changed model rewrites its own shard only and a new model at most one more.
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .aggregate import Entry, Site

# The fields of each model in the index files, in order (search.js reads them by position).
# `dir` is empty when it is models/<id>; library, license, languages and tags are indexes
# into the file's own `strings`; `thumb` is relative to the model's folder; `params` is 0
# when unknown, and `formats` (the weight formats) are indexes into `strings` too.
INDEX_FIELDS = ("id", "dir", "task", "library", "license", "languages", "tags", "summary",
                "updated", "thumb", "adult", "params", "formats")
SUMMARY_CHARS = 140
FIRST = 1000  # models in search-index.js: the first page is drawn from these alone
SHARD_MIN = 1000  # models in a shard before its end may be set by an id
SHARD_SPREAD = 1500  # then one id in this many ends it: about 2,500 models (650 KB) a shard
SHARD_MAX = 5000  # a shard ends here whatever the ids say (about 1.3 MB)
ROWS_PAGE = 1000  # models on a page of the no-script list (about 150 KB)
FORMAT = "1"  # bump when a shard's bytes change for the same models


def _rows(models: Sequence[Entry]) -> tuple[list[str], list[list[Any]]]:
    strings: dict[str, int] = {}

    def ref(value: str) -> int:
        return strings.setdefault(value, len(strings))

    rows = []
    for m in models:
        summary = "" if m.meta.adult else m.summary
        if len(summary) > SUMMARY_CHARS:
            summary = summary[:SUMMARY_CHARS].rsplit(" ", 1)[0] + "…"
        thumb = "" if m.meta.adult or not m.thumbnail else m.thumbnail[len(m.dir) + 1:]
        rows.append([m.id, "" if m.dir == f"models/{m.id}" else m.dir, m.task.tag if m.task else "",
                     ref(m.library), ref(m.meta.license), [ref(x) for x in m.meta.languages],
                     [ref(x) for x in m.meta.tags], summary, m.updated, thumb, 1 if m.meta.adult else 0,
                     m.params, [ref(x) for x in m.formats]])
    return list(strings), rows


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=True, separators=(",", ":"))


@dataclass(frozen=True)
class Shard:
    name: str  # 16 hex digits: the file is search/<name>.js
    digest: str  # of everything it shows
    models: tuple[Entry, ...]

    @property
    def path(self) -> str:
        return f"search/{self.name}.js"

    def render(self) -> bytes:
        strings, rows = _rows(self.models)
        text = _json({"strings": strings, "models": rows})
        return f"(window.SITEGEN_SHARDS = window.SITEGEN_SHARDS || {{}})[\"{self.name}\"] = {text};\n".encode()


def _ends_here(model: Entry) -> bool:
    """Whether a shard ends after this model: decided by its id alone, so the ends stay put
    when models are added or removed elsewhere."""
    return int(hashlib.sha256(model.id.encode()).hexdigest()[:12], 16) % SHARD_SPREAD == 0


def shards(site: Site, digest: Callable[[Entry], str]) -> list[Shard]:
    """The shards of the models past the first FIRST (none for a smaller site)."""
    out: list[Shard] = []
    group: list[Entry] = []
    rest = site.models[FIRST:]
    for i, model in enumerate(rest):
        group.append(model)
        if (len(group) >= SHARD_MIN and _ends_here(model)) or len(group) >= SHARD_MAX or i == len(rest) - 1:
            full = hashlib.sha256("\n".join([FORMAT, *(digest(m) for m in group)]).encode()).hexdigest()
            out.append(Shard(full[:16], full, tuple(group)))
            group = []
    return out


def search_index(site: Site, parts: Sequence[Shard] = ()) -> bytes:
    """search-index.js: the first models, the tasks, and the names of the other shards."""
    strings, rows = _rows(site.models[:FIRST] if parts else site.models)
    tasks = {task.tag: [task.name, task.modality] for task, _ in site.tasks}
    data: dict[str, Any] = {"fields": INDEX_FIELDS, "tasks": tasks, "strings": strings, "models": rows}
    if parts:
        data["total"] = len(site.models)
        data["shards"] = [s.name for s in parts]
    return f"window.SITEGEN_INDEX = {_json(data)};\n".encode()


@dataclass(frozen=True)
class RowsPage:
    """One page of the plain list of every model, for readers without JavaScript: page 1 is
    inside index.html's <noscript>, the others are list/page-N.html."""

    models: tuple[Entry, ...]
    page: int
    pages: int
    starts: tuple[str, ...]  # the first id of every page

    def page_path(self, page: int) -> str:
        return "index.html" if page == 1 else f"list/page-{page}.html"

    @property
    def this_path(self) -> str:
        return self.page_path(self.page)


def rows_pages(site: Site) -> list[RowsPage]:
    """The pages of the no-script list; none when the index shows every card itself."""
    if len(site.models) <= FIRST:
        return []
    chunks = [site.models[i:i + ROWS_PAGE] for i in range(0, len(site.models), ROWS_PAGE)]
    starts = tuple(c[0].id for c in chunks)
    return [RowsPage(c, i + 1, len(chunks), starts) for i, c in enumerate(chunks)]
