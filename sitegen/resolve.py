"""Decide everything a page shows: ModelPage per repo, and the Site that links them."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from . import markdown
from .assets import Copy, Resolver
from .discover import site_dir, slug
from .evals import EvalRow, eval_rows
from .metadata import Link, Metadata, read_metadata
from .repo import ModelRepo, RepoFile, parse_json, read_side_file
from .report import Diagnostic, Report
from .infer import infer
from .tasks import CHAT, ORDER, TASKS, Task
from .widgets import Widget, build_widget


@dataclass(frozen=True)
class ModelPage:
    id: str
    path: str  # the page, relative to the site root
    dir: str
    task: Task | None
    task_reason: str
    library: str
    library_reason: str
    meta: Metadata
    body: tuple[str | None, ...]  # the card as HTML; None where it places <Gallery />
    summary: str
    evals: tuple[EvalRow, ...]
    files: tuple[RepoFile, ...]
    widget: Widget | None
    thumbnail: str  # relative to the site root
    copies: tuple[Copy, ...]
    updated: str = ""  # YYYY-MM-DD, the day its newest file changed
    checks: tuple[Diagnostic, ...] = ()  # shown on the page with --show-checks

    @property
    def body_html(self) -> str:
        return "".join(p for p in self.body if p is not None)

    @property
    def gallery(self) -> list[Any]:
        """Widget examples whose outputs are images or videos, for <Gallery />."""
        examples = self.widget.examples if self.widget else ()
        return [e for e in examples if any(a.kind in ("image", "video") for _, a in e.media)]

    @property
    def name(self) -> str:
        return self.id.rsplit("/", 1)[-1]

    @property
    def owner(self) -> str:
        return self.id.rsplit("/", 1)[0] if "/" in self.id else ""

    @property
    def social(self) -> str:
        """The social preview image, relative to the site root."""
        return f"{self.dir}/social.png"


@dataclass(frozen=True)
class EntryMeta:
    license: str
    languages: tuple[str, ...]
    tags: tuple[str, ...]
    adult: bool


@dataclass(frozen=True)
class Entry:
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

    @property
    def name(self) -> str:
        return self.id.rsplit("/", 1)[-1]

    @property
    def owner(self) -> str:
        return self.id.rsplit("/", 1)[0] if "/" in self.id else ""

    @classmethod
    def of(cls, page: ModelPage) -> Entry:
        meta = EntryMeta(page.meta.license, page.meta.languages, page.meta.tags, page.meta.adult)
        return cls(page.id, page.path, page.dir, page.task, page.library, meta, page.summary,
                   page.thumbnail, page.updated)


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
    kind: str  # "task" or "tag"
    key: str  # the task's pipeline tag, or the tag as first written
    path: str  # of its first page
    models: tuple[Entry | ModelPage, ...]  # on this page
    total: int  # in the whole list
    page: int = 1

    @property
    def pages(self) -> int:
        return -(-self.total // LISTING_PAGE)

    @property
    def this_path(self) -> str:
        return self.page_path(self.page)

    def page_path(self, page: int) -> str:
        return self.path if page == 1 else self.path.replace("index.html", f"page-{page}.html")


def _paged(title: str, kind: str, key: str, path: str, models: list[Any]) -> list[Listing]:
    return [Listing(title, kind, key, path, tuple(models[i:i + LISTING_PAGE]), len(models), i // LISTING_PAGE + 1)
            for i in range(0, len(models), LISTING_PAGE)]


@dataclass(frozen=True)
class Site:
    title: str
    base_url: str
    models: tuple[Any, ...]  # Entry records (a build) or ModelPages (collect), sorted by id
    logo: str = ""  # relative to the site root
    links: tuple[tuple[str, str], ...] = ()  # (text, url) shown in the header

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
        for m in self.models:
            for tag in m.meta.tags:
                tags.setdefault(tag_path(tag), (tag, {}))[1][m.id] = m
        for path, (tag, ms) in sorted(tags.items(), key=lambda kv: (kv[1][0].casefold(), kv[0])):
            out.extend(_paged(tag, "tag", tag, path, list(ms.values())))
        return out

    def facet(self, name: str) -> list[tuple[str, int]]:
        """The values of a filter (library, license, language) with their counts, most used first."""
        counts: dict[str, int] = {}
        for m in self.models:
            values = {"library": (m.library,), "license": (m.meta.license,),
                      "language": m.meta.languages}[name]
            for value in dict.fromkeys(v for v in values if v):
                counts[value] = counts.get(value, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def resolve_model(repo: ModelRepo, report: Report, epoch: int | None = None) -> ModelPage:
    """Turn one loaded repo into the page that shows it (dated no later than `epoch`)."""
    card, meta = repo.card, repo.card.metadata
    directory = site_dir(repo.id)
    resolver = Resolver(repo.id, repo.root, directory, repo.file_paths())
    decided = infer(repo)
    facts = read_metadata(repo, resolver, report)
    facts = dataclasses.replace(facts, tags=tuple(dict.fromkeys(facts.tags + decided.tags)))
    task = TASKS.get(decided.task.value)
    widget_task = CHAT if decided.chat else task
    widget = build_widget(card, widget_task, resolver, report, facts.languages,
                          _mask_token(repo)) if widget_task else None
    if widget is None and meta.get("widget"):
        report.warning("the card has widget examples but no task, so they are not shown; "
                       "set pipeline_tag", card.path, card.locate("widget"), "widget")
    body = markdown.render(card.body, resolver)
    for message, line in body.problems:
        report.warning(message, card.path, card.body_line + line - 1)
    return ModelPage(
        id=repo.id, path=f"{directory}/index.html", dir=directory, task=task,
        task_reason=decided.task.source, library=decided.library.value,
        library_reason=decided.library.source, meta=facts,
        body=body.parts, summary=body.summary, evals=eval_rows(repo, report),
        files=repo.files, widget=widget, thumbnail=_thumbnail(widget, directory),
        copies=tuple(sorted(resolver.copies.values(), key=lambda c: c.dest)),
        updated=repo.updated(epoch))


def _mask_token(repo: ModelRepo) -> str:
    """The token fill-mask examples use: the tokenizer's, else the usual one for the model type."""
    tokenizer = parse_json(read_side_file(repo, "tokenizer_config.json")) or {}
    token = tokenizer.get("mask_token")
    if isinstance(token, dict):
        token = token.get("content")
    if isinstance(token, str) and token:
        return token
    model_type = str((repo.config or {}).get("model_type", ""))
    return "<mask>" if any(t in model_type for t in ("roberta", "bart", "camembert", "longformer", "xlm")) \
        else "[MASK]"


def _thumbnail(widget: Widget | None, directory: str) -> str:
    for example in widget.examples if widget else ():
        for image in example.images:
            if not image.remote:
                return f"{directory}/{image.thumb_webp or image.thumb}"
    return ""


def mentions(page: ModelPage) -> tuple[str, ...]:
    """The ids of other models a page names (base models, a newer version): it links to those
    that are in the site."""
    named = [b.text for b in page.meta.base_models]
    if page.meta.new_version:
        named.append(page.meta.new_version.text)
    return tuple(dict.fromkeys(named))


def link_page(page: ModelPage, paths: dict[str, str]) -> ModelPage:
    """Link the models a page names to their pages, given {id: page path} of the site."""
    def link(item: Link) -> Link:
        return dataclasses.replace(item, path=paths.get(item.text, ""))

    return dataclasses.replace(page, meta=dataclasses.replace(
        page.meta, base_models=tuple(link(b) for b in page.meta.base_models),
        new_version=link(page.meta.new_version) if page.meta.new_version else None))


def resolve_site(pages: list[ModelPage], title: str, base_url: str, logo: str = "",
                 links: tuple[tuple[str, str], ...] = ()) -> Site:
    """Link pages to each other (base models in the site) and sort them by id."""
    paths = {p.id: p.path for p in pages}
    linked = [link_page(p, paths) for p in pages]
    return Site(title, base_url.rstrip("/"), tuple(sorted(linked, key=lambda p: p.id.lower())),
                logo, links)
