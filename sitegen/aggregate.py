"""The site as the lists see it: a record per model, and the listings made from them."""
# Light on purpose (no markdown, templates or images): a rebuild that finds nothing changed
# needs only this, the repo walk and the cache.
from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from typing import Any

from .load.discover import slug
from .hub.tasks import ORDER, Task
from .sizes import SIZE_BUCKETS, UNKNOWN, bucket
from .tree import MAX_DATASETS, base_path, bases_of, dataset_path, hub_id, hub_url


@dataclass(frozen=True, slots=True)
class EntryMeta:
    license: str
    languages: tuple[str, ...]
    tags: tuple[str, ...]
    adult: bool


class Named:
    """The two halves of a model id `owner/name` (owner is empty for a bare name)."""

    __slots__ = ()  # an Entry has no __dict__: 100,000 of them are held while the lists are made
    id: str

    @property
    def name(self) -> str:
        return self.id.rsplit("/", 1)[-1]

    @property
    def owner(self) -> str:
        return self.id.rsplit("/", 1)[0] if "/" in self.id else ""


@dataclass(frozen=True, slots=True)
class Entry(Named):
    """What the index, listings, search index and sitemap show of a model: a few hundred bytes,
    so a catalog of any size is listed from records like these, never from whole pages."""

    id: str
    path: str
    dir: str
    task: Task | None
    library: str
    meta: EntryMeta
    summary: str
    thumbnail: str
    updated: str
    params: int = 0  # parameters (0: unknown)
    formats: tuple[str, ...] = ()  # weight formats ("Safetensors", "GGUF", ...)
    bases: tuple[str, ...] = ()  # its base models' ids, as Hub ids (others are not in the tree)
    relation: str = ""  # how it derives from them
    datasets: tuple[str, ...] = ()  # the first MAX_DATASETS of its datasets' ids, as Hub ids

    @classmethod
    def of(cls, page: Any) -> Entry:
        """The record of a ModelPage."""
        meta = EntryMeta(page.meta.license, page.meta.languages, page.meta.tags, page.meta.adult)
        facts = page.facts
        bases = tuple(b.text for b in page.meta.base_models if hub_id(b.text))
        datasets = tuple(d.text for d in page.meta.datasets if hub_id(d.text))[:MAX_DATASETS]
        entry = cls(page.id, page.path, page.dir, page.task, page.library, meta, page.summary,
                    page.thumbnail, page.updated, facts.params if facts else 0, facts.formats if facts else (),
                    bases, page.meta.relation if bases else "", datasets)
        entry.check()
        return entry

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """A record crosses from a worker to the parent with its common words (license,
        library, tags, date, ...) interned there: the parent's records share one copy of each."""
        m = self.meta
        return _arrived, (self.id, self.path, self.dir, self.task, self.library, m.license, m.languages, m.tags,
                          m.adult, self.summary, self.thumbnail, self.updated, self.params, self.formats,
                          self.bases, self.relation, self.datasets)

    def check(self) -> None:
        """Raise TypeError unless every field has its type: the lists, the search index and
        the sitemap are made from records in the parent, where no card may fail them."""
        texts = (self.id, self.path, self.dir, self.library, self.meta.license, self.summary,
                 self.thumbnail, self.updated, *self.meta.languages, *self.meta.tags, *self.formats,
                 self.relation, *self.bases, *self.datasets)
        if not (all(type(t) is str for t in texts) and type(self.meta.languages) is tuple
                and type(self.params) is int and type(self.formats) is tuple
                and type(self.meta.tags) is tuple and type(self.bases) is tuple and type(self.datasets) is tuple
                and type(self.meta.adult) is bool
                and (self.task is None or isinstance(self.task, Task))):
            raise TypeError(f"a record of {self.id!r} holds a value of the wrong type")


def _arrived(id_: str, path: str, dir_: str, task: Task | None, library: str, license_: str,
             languages: tuple[str, ...], tags: tuple[str, ...], adult: bool, summary: str, thumbnail: str,
             updated: str, params: int, formats: tuple[str, ...], bases: tuple[str, ...], relation: str,
             datasets: tuple[str, ...]) -> Entry:
    """An Entry as Entry.__reduce__ sends it, its repeated words interned."""
    meta = EntryMeta(sys.intern(license_), _interned(languages), _interned(tags), adult)
    return Entry(id_, path, dir_, task, sys.intern(library), meta, summary, thumbnail, sys.intern(updated),
                 params, _interned(formats), _interned(bases), sys.intern(relation), _interned(datasets))


def _interned(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(map(sys.intern, words))


def task_path(tag: str) -> str:
    return f"tasks/{tag}/index.html"


def tag_path(tag: str) -> str:
    """The listing page of a tag; tags that differ only in case share it."""
    return f"tags/{slug(tag.casefold())}/index.html"


LISTING_PAGE = 200  # models per listing page


@dataclass(frozen=True)
class Listing:
    """One page of the list of a task's or a tag's models."""

    title: str
    kind: str  # "task", "tag", "base" (models derived from it) or "dataset" (models trained on it)
    key: str  # the task's pipeline tag, the tag as first written, or the base model's or dataset's id
    path: str  # of its first page
    models: tuple[Any, ...]  # on this page
    total: int  # in the whole list
    page: int = 1
    key_path: str = ""  # a base model's page in the site
    key_url: str = ""  # a base model's or dataset's Hub page

    @property
    def template(self) -> str:
        return "listing.html" if self.kind in ("task", "tag") else "lineage.html"

    @property
    def pages(self) -> int:
        return -(-self.total // LISTING_PAGE)

    @property
    def this_path(self) -> str:
        return self.page_path(self.page)

    def page_path(self, page: int) -> str:
        return self.path if page == 1 else self.path.replace("index.html", f"page-{page}.html")


def _paged(title: str, kind: str, key: str, path: str, models: list[Any], key_path: str = "",
           key_url: str = "") -> list[Listing]:
    return [Listing(title, kind, key, path, tuple(models[i:i + LISTING_PAGE]), len(models), i // LISTING_PAGE + 1,
                    key_path, key_url)
            for i in range(0, len(models), LISTING_PAGE)]


def _datasets(model: Entry) -> tuple[str, ...]:
    return model.datasets


@dataclass(frozen=True)
class Site:
    title: str
    base_url: str
    models: tuple[Entry, ...]  # what the lists show of each model, sorted by id
    logo: str = ""  # relative to the site root
    links: tuple[tuple[str, str], ...] = ()  # (text, url) shown in the header
    hub_url: str = "https://huggingface.co"  # ids outside the catalog link here ("": plain text)
    offline_media: bool = False  # remote media shown as plain links (an air-gapped site)

    @property
    def has_tags(self) -> bool:
        return any(m.meta.tags for m in self.models)

    @property
    def tasks(self) -> list[tuple[Task, int]]:
        """The tasks of the site's models with their counts, in the Hub's order."""
        return [(m[0].task, len(m)) for m in self._by_task().values() if m[0].task]

    def _by_task(self) -> dict[str, list[Any]]:
        groups: dict[str, list[Any]] = {}
        for m in self.models:
            if m.task:
                groups.setdefault(m.task.tag, []).append(m)
        return {t: groups[t] for t in sorted(groups, key=lambda t: (ORDER.get(t, 999), t))}

    def listings(self) -> list[Listing]:
        """The listing pages of each task (in the Hub's order) and each tag (by name)."""
        out = [page for tag, ms in self._by_task().items()
               for page in _paged(ms[0].task.name if ms[0].task else tag, "task", tag, task_path(tag), ms)]
        tags: dict[str, tuple[str, dict[str, Any]]] = {}
        path_of = functools.lru_cache(maxsize=None)(tag_path)  # tags repeat: 40,000 uses of 500 at 10,000 models
        for m in self.models:
            for tag in m.meta.tags:
                tags.setdefault(path_of(tag), (tag, {}))[1][m.id] = m
        for path, (tag, ms) in sorted(tags.items(), key=lambda kv: (kv[1][0].casefold(), kv[0])):
            out.extend(_paged(tag, "tag", tag, path, list(ms.values())))
        return out + self._lineage()

    def _lineage(self) -> list[Listing]:
        """The listing pages of each base model (its derived models) and each dataset (the
        models trained on it), by id; each model is on at most 100 of each (its caps)."""
        out: list[Listing] = []
        paths = {m.id: m.path for m in self.models}
        bases = functools.partial(bases_of, is_id=functools.lru_cache(maxsize=None)(hub_id))  # each base checked once
        for kind, of, path_of in (("base", bases, base_path), ("dataset", _datasets, dataset_path)):
            page_of = functools.lru_cache(maxsize=None)(path_of)  # a base or dataset of many models
            groups: dict[str, tuple[str, dict[str, Any]]] = {}
            for m in self.models:
                for key in of(m):
                    groups.setdefault(page_of(key), (key, {}))[1][m.id] = m
            for path, (key, ms) in sorted(groups.items(), key=lambda kv: (kv[1][0].casefold(), kv[0])):
                title = f"Derived from {key}" if kind == "base" else f"Trained on {key}"
                out.extend(_paged(title, kind, key, path, list(ms.values()), paths.get(key, "") if kind == "base"
                                  else "", "" if paths.get(key) and kind == "base" else hub_url(key, kind, self.hub_url)))
        return out

    def facet(self, name: str) -> list[tuple[str, int]]:
        """The values of a filter (library, license, language, format) with their counts, most used first."""
        counts: dict[str, int] = {}
        for m in self.models:
            values = {"library": (m.library,), "license": (m.meta.license,),
                      "language": m.meta.languages, "format": m.formats}[name]
            for value in dict.fromkeys(v for v in values if v):
                counts[value] = counts.get(value, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def sizes(self) -> list[tuple[str, str, int, int, int]]:
        """The size buckets of the site's models (key, label, lowest count, below this, models),
        smallest first, those with no model left out, models of unknown size last; none when
        no model's size is known."""
        counts: dict[str, int] = {}
        for m in self.models:
            key = bucket(m.params)
            counts[key] = counts.get(key, 0) + 1
        if set(counts) <= {UNKNOWN[0]}:
            return []
        return [(key, label, lo, hi, counts[key]) for key, label, lo, hi in (*SIZE_BUCKETS, UNKNOWN) if key in counts]
