"""Decide everything a page shows: ModelPage per repo, and the Site that links them."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from .markdown import render_markdown
from .assets import AssetError, Copy, Resolver
from .load.discover import site_dir
from .hub.evals import EvalRow, eval_rows
from .hub.metadata import MAX_NAME, Link, Metadata, read_metadata
from .load.repo import ModelRepo, RepoFile
from .report import Diagnostic, Report
from .hub.infer import Decision, infer
from .aggregate import LISTING_PAGE, Entry, EntryMeta, Listing, Named, Site, tag_path, task_path  # noqa: F401 (re-exported)
from .hub.tasks import CHAT, TASKS, Task
from .widgets.examples import Widget, build_widget
from .viewer import Viewer, viewers
from .factsview import FactsView, facts_view
from .usage.panel import Usage, make_usage
from .tree import Tree, hub_url, trees

MAX_GALLERY_SLOTS = 100  # examples a card's <Gallery /> shows (real cards: 2); the widget shows all


@dataclass(frozen=True)
class ModelPage(Named):
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
    viewers: tuple[Viewer, ...] = ()  # pages of the text files a reader can open
    usage: Usage | None = None  # the Use-this-model code (written for Site.hub_url when rendered)
    facts: FactsView | None = None  # parameters, formats, config, chat templates (factsview.py)
    tree: Tree | None = None  # its ancestors and derived models in the catalog (made in the parent)

    @property
    def viewer_urls(self) -> dict[str, str]:
        """{repo path: its viewer page, relative to the model page} for the file list."""
        return {v.path: v.href for v in self.viewers}

    @property
    def body_html(self) -> str:
        return "".join(p for p in self.body if p is not None)

    @property
    def gallery(self) -> list[Any]:
        """Widget examples whose outputs are images or videos, for <Gallery />."""
        return _with_media(self.widget)[:MAX_GALLERY_SLOTS]

    @property
    def social(self) -> str:
        """The social preview image, relative to the site root."""
        return f"{self.dir}/social.png"


def resolve_model(repo: ModelRepo, report: Report, epoch: int | None = None,
                  offline_media: bool = False) -> ModelPage:
    """Turn one loaded repo into the page that shows it (dated no later than `epoch`); with
    `offline_media`, remote images, audio and video are plain links."""
    card, meta = repo.card, repo.card.metadata
    directory = site_dir(repo.id)
    resolver = Resolver(repo.id, repo.root, directory, repo.file_paths(), offline_media)
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
    body = render_markdown(card.body, resolver)
    for message, line in body.problems:
        report.warning(message, card.path, card.body_line + line - 1)
    shown = len(_with_media(widget)) if None in body.parts else 0
    if shown > MAX_GALLERY_SLOTS:
        report.warning(f"<Gallery /> shows the first {MAX_GALLERY_SLOTS} of the {shown:,} examples with an image "
                       "or video output; the widget shows them all", card.path, card.locate("widget"), "widget")
    library = _library(decided.library, card.path, card.locate("library_name"), report)
    shown_files = viewers(repo.files, resolver, directory)
    facts = dataclasses.replace(facts, license_link=_viewer_link(facts.license_link, shown_files))
    return ModelPage(
        id=repo.id, path=f"{directory}/index.html", dir=directory, task=task,
        task_reason=decided.task.source, library=library.value,
        library_reason=library.source, meta=facts,
        body=body.parts, summary=body.summary, evals=eval_rows(repo, report),
        files=repo.files, widget=widget, thumbnail=_thumbnail(widget, directory),
        copies=tuple(sorted(resolver.copies.values(), key=lambda c: c.dest)),
        updated=repo.updated(epoch), viewers=shown_files, facts=facts_view(repo.facts),
        usage=make_usage(repo, decided, task, library.value, facts.tags, tuple(b.text for b in facts.base_models), widget))


def _viewer_link(link: Link | None, shown: tuple[Viewer, ...]) -> Link | None:
    """A license_link to a repo file that has a viewer opens the viewer (as on the Hub)."""
    if link is None or not link.url or "://" in link.text:
        return link
    try:
        path = Resolver.check_path(link.text)
    except AssetError:
        return link
    page = next((v.href for v in shown if v.path == path), "")
    return dataclasses.replace(link, url=page) if page else link


def _with_media(widget: Widget | None) -> list[Any]:
    """Widget examples whose outputs are images or videos."""
    examples = widget.examples if widget else ()
    return [e for e in examples if any(a.kind in ("image", "video") for _, a in e.media)]


def _library(decided: Decision, path: str, line: int | None, report: Report) -> Decision:
    """The library, unless its name is too long for the lists (it is in every one)."""
    if len(decided.value) <= MAX_NAME:
        return decided
    report.warning(f"a library name of {len(decided.value):,} characters is left out; at most {MAX_NAME} "
                   "are read", path, line, "library_name")
    return Decision("", "library_name is too long")


def _mask_token(repo: ModelRepo) -> str:
    """The token fill-mask examples use: the tokenizer's, else the usual one for the model type."""
    tokenizer = repo.side.get("tokenizer_config.json") or {}
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


def link_page(page: ModelPage, paths: dict[str, str], hub: str = "") -> ModelPage:
    """Link the models a page names to their pages, given {id: page path} of the site; those
    outside it, and its datasets, to their pages on the Hub at `hub` (a Hub id only; "": none)."""
    def link(item: Link, kind: str = "model") -> Link:
        path = paths.get(item.text, "") if kind == "model" else ""
        return dataclasses.replace(item, path=path, url="" if path else hub_url(item.text, kind, hub))

    return dataclasses.replace(page, meta=dataclasses.replace(
        page.meta, base_models=tuple(link(b) for b in page.meta.base_models),
        datasets=tuple(link(d, "dataset") for d in page.meta.datasets),
        new_version=link(page.meta.new_version) if page.meta.new_version else None))


def resolve_site(pages: list[ModelPage], title: str, base_url: str, logo: str = "",
                 links: tuple[tuple[str, str], ...] = (), hub: str = "https://huggingface.co"
                 ) -> tuple[Site, list[ModelPage]]:
    """Link pages to each other (base models in the site, the Hub outside it), give each its
    model tree, and sort them by id: the site (of their Entry records) and the linked pages."""
    paths = {p.id: p.path for p in pages}
    linked = sorted((link_page(p, paths, hub) for p in pages), key=lambda p: p.id.lower())
    entries = tuple(Entry.of(p) for p in linked)
    family = trees(entries, hub)
    linked = [dataclasses.replace(p, tree=family.get(p.id)) for p in linked]
    return Site(title, base_url.rstrip("/"), entries, logo, links, hub.rstrip("/")), linked
