"""The model tree: each model's chain up to its root and what the catalog derives from it, from Entry records."""
# Made in the parent from the small records of every model (never from pages), and handed to a
# model page as one value whose digest the build keeps: a page is rendered again when its tree
# changes (a child added, removed or re-based; an ancestor re-based), and for nothing else.
from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

from .load.discover import REPO_NAME, slug

RELATIONS = ("finetune", "adapter", "quantized", "merge")  # the order a base model's page lists them in
LABELS = {"finetune": "Fine-tunes", "adapter": "Adapters", "quantized": "Quantised", "merge": "Merges"}
LABEL = {"finetune": "fine-tune", "adapter": "adapter", "quantized": "quantised", "merge": "merge"}
SHOWN = 8  # derived models a base model's page names per relation; the rest are on its listing page
MAX_DEPTH = 16  # ancestors shown above a model (cycles stop sooner)
MAX_ID = 96  # characters in a Hub id (the Hub's own limit)
MAX_DATASETS = 100  # datasets of one model that get a listing page: as tags do (metadata.MAX_TAGS)
_SCHEME = re.compile(r"^https?://[^\s\"'<>\\`]+$", re.I)


def hub_id(text: Any) -> bool:
    """Whether a value has the shape of a Hub id (`name` or `org/name`): safe in a URL and a path."""
    if type(text) is not str or not 0 < len(text) <= MAX_ID:
        return False
    parts = text.split("/")
    return len(parts) <= 2 and all(REPO_NAME.match(p) for p in parts)


def hub_base(hub_url: str) -> str:
    """The Hub (or mirror) URL ids link under, "" (plain text) unless it is an absolute URL."""
    return hub_url.rstrip("/") if _SCHEME.match(hub_url or "") else ""


def hub_url(text: str, kind: str, hub: str) -> str:
    """The Hub page of a model or dataset id ("" when there is no Hub or the id is not one)."""
    base = hub_base(hub)
    if not base or not hub_id(text):
        return ""
    return f"{base}/datasets/{text}" if kind == "dataset" else f"{base}/{text}"


def base_path(model_id: str) -> str:
    """The listing page of the models derived from a base model (ids that differ only in case share it)."""
    return "bases/" + "/".join(slug(p) for p in model_id.casefold().split("/")) + "/index.html"


def dataset_path(dataset_id: str) -> str:
    """The listing page of the models trained on a dataset."""
    return "datasets/" + "/".join(slug(p) for p in dataset_id.casefold().split("/")) + "/index.html"


@dataclass(frozen=True)
class Node:
    """A model in a tree, shown as macros.model_link shows a Link."""

    text: str  # its id
    path: str = ""  # its page, relative to the site root, when it is in the catalog
    url: str = ""  # its Hub page otherwise ("" for plain text)
    relation: str = ""  # how it derives from the node above it

    @property
    def label(self) -> str:
        return LABEL.get(self.relation, self.relation)


@dataclass(frozen=True)
class Group:
    relation: str
    total: int
    shown: tuple[Node, ...]

    @property
    def label(self) -> str:
        return LABELS[self.relation]


@dataclass(frozen=True)
class Tree:
    """What a model page shows of the tree: its ancestors (root first) and its children by relation."""

    chain: tuple[Node, ...]
    relation: str  # how this model derives from the last node of the chain
    groups: tuple[Group, ...]
    derived: int  # all models derived from it
    listing: str  # the listing page of all of them ("" if none)
    more_bases: int = 0  # base models beyond the first (a merge): the chain follows the first
    datasets: tuple[Node, ...] = ()  # trained on: each links to its listing page, and to the Hub

    @property
    def label(self) -> str:
        return LABEL.get(self.relation, self.relation)

    @property
    def digest(self) -> str:
        return tree_digest(self)


def tree_digest(tree: Tree | None) -> str:
    """The digest of everything a page shows of its tree ("" for no tree)."""
    return "" if tree is None else hashlib.sha256(repr(tree).encode()).hexdigest()


def bases_of(model: Any, is_id: Callable[[Any], bool] = hub_id) -> tuple[str, ...]:
    """A record's base models that can be in the tree: Hub ids, not itself."""
    return tuple(b for b in model.bases if b != model.id and is_id(b))


def _node(model_id: str, paths: dict[str, str], hub: str, relation: str = "") -> Node:
    path = paths.get(model_id, "")
    return Node(model_id, path, "" if path else hub_url(model_id, "model", hub), relation)


def _chain(model: Any, by_id: dict[str, Any], paths: dict[str, str], hub: str) -> tuple[Node, ...]:
    """The ancestors of a model, root first, following each one's first base model; each node
    with how it derives from the one above it. A cycle or MAX_DEPTH ends the walk."""
    ids: list[str] = []
    seen = {model.id}
    current = model
    while len(ids) < MAX_DEPTH:
        bases = bases_of(current)
        if not bases or bases[0] in seen:
            break
        ids.append(bases[0])
        seen.add(bases[0])
        current = by_id.get(bases[0])
        if current is None:
            break
    ids.reverse()
    return tuple(_node(i, paths, hub, by_id[i].relation if n and i in by_id else "") for n, i in enumerate(ids))


def trees(models: Iterable[Any], hub: str, paths: dict[str, str] | None = None,
          only: Collection[str] | None = None) -> dict[str, Tree]:
    """The tree of each model that has one (base models, derived models or datasets), by id.
    `models`: the Entry records of the catalog, sorted as the site lists them; `paths`: the
    pages of the models in the site (by default, those of `models`); `only`: the ids whose
    trees are wanted (by default, all)."""
    models = list(models)
    by_id = {m.id: m for m in models}
    paths = {m.id: m.path for m in models} if paths is None else paths
    children: dict[str, list[Any]] = {}
    for m in models:
        for b in dict.fromkeys(bases_of(m)):
            if b in by_id:
                children.setdefault(b, []).append(m)
    out: dict[str, Tree] = {}
    for m in models if only is None else (m for m in models if m.id in only):
        below = children.get(m.id, [])
        bases = bases_of(m)
        if not below and not bases and not m.datasets:
            continue
        groups = []
        for relation in RELATIONS:
            these = [c for c in below if (c.relation or "finetune") == relation]
            if these:
                groups.append(Group(relation, len(these),
                                    tuple(_node(c.id, paths, hub) for c in these[:SHOWN])))
        datasets = tuple(Node(d, dataset_path(d), hub_url(d, "dataset", hub)) for d in m.datasets)
        out[m.id] = Tree(_chain(m, by_id, paths, hub), m.relation if bases else "", tuple(groups),
                         len(below), base_path(m.id) if below else "", max(len(bases) - 1, 0), datasets)
    return out


def own_tree(model: Any, paths: dict[str, str], hub: str) -> Tree | None:
    """The tree a page can draw from its own record: its first base model, its datasets."""
    return trees([model], hub, paths).get(model.id)


def parent_trees(models: Iterable[Any], hub: str, only: Collection[str] | None = None) -> dict[str, Tree]:
    """The trees only the parent can draw (derived models, ancestors above the first), by id:
    a page is given one of these, or draws own_tree. The rest of the tree is the page's own,
    so a cold build makes again only the pages these name. `only`: as for trees()."""
    models = list(models)
    paths = {m.id: m.path for m in models}
    by_id = {m.id: m for m in models}
    return {i: t for i, t in trees(models, hub, only=only).items() if t != own_tree(by_id[i], paths, hub)}


def page_tree(given: dict[str, Tree], model: Any, linked: dict[str, str], hub: str) -> Tree | None:
    """The tree a model's page shows: the one the parent gave it, else its own (`linked`: the
    pages of the models it links to). The worker and relink's splice both ask this."""
    return given.get(model.id) or own_tree(model, linked, hub)
