"""Card metadata the page shows beside the card: license, model tree, gating, papers, CO2."""
# Reads the keys of spec/hub-widgets.md section 6 tolerantly: a value of the wrong type is
# reported with its line and left out, never guessed.
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..assets import AssetError, Resolver
from ..load.card import Card
from ..widgets.shapes import describe
from ..load.repo import ModelRepo
from ..report import Report

RELATIONS = ("adapter", "merge", "quantized", "finetune")
_ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})(?:v\d+)?", re.I)
_QUANT_TAGS = {"gguf", "gptq", "awq", "exl2", "bitsandbytes", "4-bit", "8-bit", "quantized"}
# What one model may put in the lists (each tag is a listing page, each language an option of
# the index's filter) and on its page; the most real cards carry is in brackets.
MAX_TAGS = 100  # (20)
MAX_LANGUAGES = 2000  # (418, madlad400; the Hub's MMS cards list about 1,200)
MAX_DATASETS = 1000  # (289)
MAX_BASE_MODELS = 100  # (4)
MAX_PAPERS = 100  # arXiv links found in the body (7)
MAX_NAME = 200  # characters in one tag, language, id, license or library name (72)


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

    def name(self, key: str) -> str:
        """A short value (a license, an id): one past MAX_NAME characters is left out."""
        value = self.string(key)
        if len(value) > MAX_NAME:
            self.report.warning(f"a value of {len(value):,} characters is left out; at most {MAX_NAME} "
                                "are read", self.card.path, self.card.locate(key), key)
            return ""
        return value

    def strings(self, key: str, limit: int, noun: str) -> tuple[str, ...]:
        """The distinct strings of a one-or-many key, at most `limit` of them, each at most
        MAX_NAME characters; what is left out is reported once, where it starts."""
        value = self.meta.get(key)
        items = value if isinstance(value, list) else [value]
        kept: dict[str, None] = {}
        long: list[int] = []
        over: list[int] = []
        for i, item in enumerate(items):
            text = item.strip() if isinstance(item, str) else ""
            if len(text) > MAX_NAME:
                long.append(i)
            elif text and text not in kept:
                if len(kept) < limit:
                    kept[text] = None
                else:
                    over.append(i)
        listed = isinstance(value, list)
        if long:
            self._left_out(key, long[0] if listed else None, f"{_count(len(long), noun)} of more than "
                           f"{MAX_NAME} characters left out; a value is at most {MAX_NAME} characters")
        if over:
            self._left_out(key, over[0], f"a model keeps at most {limit:,} {noun}s: the first {limit:,} "
                           f"are kept, {len(over):,} more are left out")
        return tuple(kept)

    def _left_out(self, key: str, index: int | None, message: str) -> None:
        at = key if index is None else f"{key}[{index}]"
        self.report.warning(message, self.card.path, self.card.locate(at), at)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def read_metadata(repo: ModelRepo, resolver: Resolver, report: Report) -> Metadata:
    """Read the sidebar facts of a card; report values of the wrong type."""
    r = _Reader(repo.card, report)
    tags = r.strings("tags", MAX_TAGS, "tag")
    bases = r.strings("base_model", MAX_BASE_MODELS, "base model")
    relation, why = _relation(r.string("base_model_relation"), bases, repo, tags)
    link = r.string("license_link")
    new_version = r.name("new_version")
    return Metadata(
        license=r.name("license"), license_name=r.name("license_name"),
        license_link=_license_link(link, resolver) if link else None,
        languages=r.strings("language", MAX_LANGUAGES, "language"), tags=tags,
        datasets=tuple(Link(d) for d in r.strings("datasets", MAX_DATASETS, "dataset")),
        base_models=tuple(Link(b) for b in bases), relation=relation, relation_reason=why,
        new_version=Link(new_version) if new_version else None,
        emissions=_emissions(r), gate=_gate(r), adult="not-for-all-audiences" in tags,
        papers=_papers(repo.card, report))


def _papers(card: Card, report: Report) -> tuple[str, ...]:
    """The arXiv ids the body links to, the first MAX_PAPERS of them."""
    found: dict[str, None] = {}
    for m in _ARXIV.finditer(card.body):
        if m.group(1) in found:
            continue
        if len(found) == MAX_PAPERS:
            more = len({m.group(1) for m in _ARXIV.finditer(card.body)}) - MAX_PAPERS
            report.warning(f"the body links to {MAX_PAPERS + more:,} arXiv papers; the first {MAX_PAPERS} "
                           f"are listed, {more:,} more are not", card.path,
                           card.body_line + card.body.count("\n", 0, m.start()))
            break
        found[m.group(1)] = None
    return tuple(found)


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
