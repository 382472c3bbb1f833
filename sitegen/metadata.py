"""Card metadata the page shows beside the card: license, model tree, gating, papers, CO2.

Reads the keys of spec/hub-widgets.md section 6 tolerantly: a value of the wrong type is
reported with its line and left out, never guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .assets import AssetError, Resolver
from .card import Card
from .shapes import describe
from .repo import ModelRepo
from .report import Report

RELATIONS = ("adapter", "merge", "quantized", "finetune")
_ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})(?:v\d+)?", re.I)
_QUANT_TAGS = {"gguf", "gptq", "awq", "exl2", "bitsandbytes", "4-bit", "8-bit", "quantized"}


@dataclass(frozen=True)
class Link:
    text: str
    path: str = ""  # relative to the site root when the target is in the site
    url: str = ""  # relative to the model page (repo files) or absolute (the web)


@dataclass(frozen=True)
class Emissions:
    grams: str
    source: str = ""
    training_type: str = ""
    location: str = ""
    hardware: str = ""


@dataclass(frozen=True)
class Gate:
    heading: str
    prompt: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Metadata:
    license: str
    license_name: str
    license_link: Link | None
    languages: tuple[str, ...]
    tags: tuple[str, ...]
    datasets: tuple[Link, ...]
    base_models: tuple[Link, ...]
    relation: str  # how this model derives from its base models
    relation_reason: str
    new_version: Link | None
    emissions: Emissions | None
    gate: Gate | None
    adult: bool  # tag not-for-all-audiences: the card hides behind a click-through
    papers: tuple[str, ...]  # arXiv ids found in the body


class _Reader:
    def __init__(self, card: Card, report: Report):
        self.card, self.meta, self.report = card, card.metadata, report

    def warn(self, key: str, value: Any, expected: str) -> None:
        self.report.warning(f"expected {expected}, got {describe(value)}", self.card.path,
                            self.card.locate(key), key)

    # Values of the wrong type are left out here; lint.py reports them with a suggestion.
    def string(self, key: str) -> str:
        value = self.meta.get(key)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value).strip()
        return ""

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.meta.get(key)
        items = value if isinstance(value, list) else [value]
        return tuple(dict.fromkeys(i.strip() for i in items if isinstance(i, str) and i.strip()))


def read_metadata(repo: ModelRepo, resolver: Resolver, report: Report) -> Metadata:
    """Read the sidebar facts of a card; report values of the wrong type."""
    r = _Reader(repo.card, report)
    tags = r.strings("tags")
    bases = r.strings("base_model")
    relation, why = _relation(r.string("base_model_relation"), bases, repo, tags)
    link = r.string("license_link")
    new_version = r.string("new_version")
    return Metadata(
        license=r.string("license"), license_name=r.string("license_name"),
        license_link=_license_link(link, resolver) if link else None,
        languages=r.strings("language"), tags=tags,
        datasets=tuple(Link(d) for d in r.strings("datasets")),
        base_models=tuple(Link(b) for b in bases), relation=relation, relation_reason=why,
        new_version=Link(new_version) if new_version else None,
        emissions=_emissions(r), gate=_gate(r), adult="not-for-all-audiences" in tags,
        papers=tuple(dict.fromkeys(m.group(1) for m in _ARXIV.finditer(repo.card.body))))


def _relation(given: str, bases: tuple[str, ...], repo: ModelRepo, tags: tuple[str, ...]) -> tuple[str, str]:
    # The Hub infers the relation when the card does not say (hub-docs model-cards.md).
    if not bases:
        return "", ""
    if given in RELATIONS:
        return given, "from the card's base_model_relation"
    if len(bases) > 1:
        return "merge", "several base models"
    paths = {f.path for f in repo.files}
    if "adapter_config.json" in paths:
        return "adapter", "adapter_config.json is present"
    config = repo.config or {}
    if any(p.endswith(".gguf") for p in paths) or "quantization_config" in config \
            or _QUANT_TAGS & {t.lower() for t in tags}:
        return "quantized", "quantized weights or quantization_config"
    return "finetune", "one base model and full weights"


def _license_link(link: str, resolver: Resolver) -> Link:
    if re.match(r"^https?://", link):
        return Link(link, url=link)
    try:
        return Link(link, url=resolver.resolve(link).url)
    except AssetError:
        return Link(link)  # the lint reports it; show the name without a link


def _emissions(r: _Reader) -> Emissions | None:
    value = r.meta.get("co2_eq_emissions")
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Emissions(str(value))
    if not isinstance(value, dict) or value.get("emissions") is None:
        r.warn("co2_eq_emissions", value, "grams of CO2, or a mapping with emissions (grams)")
        return None
    def text(key: str) -> str:
        item = value.get(key)
        return "" if item is None or isinstance(item, (dict, list)) else str(item)
    return Emissions(text("emissions"), text("source"), text("training_type"),
                     text("geographical_location"), text("hardware_used"))


def _gate(r: _Reader) -> Gate | None:
    keys = [k for k in r.meta if k.startswith("extra_gated_")]
    if not keys:
        return None
    fields = r.meta.get("extra_gated_fields")
    names = tuple(str(k) for k in fields) if isinstance(fields, dict) else ()
    return Gate(r.string("extra_gated_heading"),
                r.string("extra_gated_prompt") or r.string("extra_gated_description"), names)
