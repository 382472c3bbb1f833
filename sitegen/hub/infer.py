"""Decide a model's pipeline tag and library the way the Hub does, each with the reason why."""
# The rules are spec/hub-widgets.md section 1; the class table and the library keys are generated
# data in sitegen/data/ (scripts/make_class_tasks.py, scripts/make_library_keys.py). Everything
# here reads the repo defensively: cards and configs are third-party input, and odd values are
# skipped, never raised on and never reported (the lint module reports them).
from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..load.repo import ModelRepo, parse_json, read_side_file
from .tasks import ORDER, RETIRED, TASKS

DATA = Path(__file__).resolve().parent.parent / "data"
CHAT_TASKS = ("text-generation", "image-text-to-text")
GENERIC = ("text2text-generation", "feature-extraction")  # architecture results a tag may refine

# Class-name endings that give one task for every class of transformers that has them (spec
# section 1.2, rows "exact" and "high"); used only for classes the table does not know.
SUFFIXES = (
    ("ForCausalLM", "text-generation"),
    ("LMHeadModel", "text-generation"),
    ("ForMaskedLM", "fill-mask"),
    ("ForTokenClassification", "token-classification"),
    ("ForAudioClassification", "audio-classification"),
    ("ForMultipleChoice", "multiple-choice"),
    ("ForImageClassification", "image-classification"),
    ("ForImageClassificationWithTeacher", "image-classification"),
    ("ForDepthEstimation", "depth-estimation"),
    ("ForVideoClassification", "video-classification"),
    ("ForCTC", "automatic-speech-recognition"),
    ("ForSpeechToText", "automatic-speech-recognition"),
    ("ForTextToSpeech", "text-to-audio"),
    ("WithHifiGan", "text-to-audio"),
    ("ForImageSuperResolution", "image-to-image"),
)

# Where a chat template lives (spec section 1.4): file, and the JSON key holding it ("" for a
# template file of its own).
CHAT_TEMPLATES = (
    ("tokenizer_config.json", "chat_template"),
    ("chat_template.jinja", ""),
    ("chat_template.json", "chat_template"),
    ("processor_config.json", "chat_template"),
)

# Files that name a library when the card does not (spec section 1.3): (library, globs that must
# all match a repo path, JSON key the first file must hold or ""). First match wins; a peft
# adapter says `peft_type`, an adapter-transformers one ships its head or its adapter weights.
FILE_SIGNALS = (
    ("nemo", ("*.nemo",), ""),  # documented by the Hub
    ("coreml", ("*.mlmodel",), ""),  # documented by the Hub
    ("diffusers", ("model_index.json",), "_class_name"),
    ("sentence-transformers", ("config_sentence_transformers.json",), ""),
    ("peft", ("adapter_config.json",), "peft_type"),
    ("adapter-transformers", ("config.json",), "adapter_transformers"),
    ("adapter-transformers", ("adapter_config.json", "pytorch_adapter.bin"), ""),
    ("adapter-transformers", ("adapter_config.json", "head_config.json"), ""),
    ("peft", ("adapter_config.json",), ""),
    ("timm", ("config.json",), "architecture"),  # timm writes `architecture`, not `architectures`
    ("sklearn", ("config.json",), "sklearn"),  # skops
    ("speechbrain", ("hyperparams.yaml",), ""),
    ("spacy", ("*-any-py3-none-any.whl", "config.cfg"), ""),  # a spaCy pipeline package
    ("espnet", ("meta.yaml", "exp/*"), ""),  # the ESPnet model zoo layout
    ("flair", ("training.log", "loss.tsv"), ""),  # what flair's ModelTrainer writes
    ("stanza", ("models/default.zip",), ""),
)
# After config.json: a modules.json beside a config.json stayed `transformers` on the 2022 Hub.
WEAK_SIGNALS = (("sentence-transformers", ("modules.json",), ""),)


@dataclass(frozen=True)
class Decision:
    value: str  # "" when nothing was decided
    source: str  # why, in words: "from the card's pipeline_tag"


@dataclass(frozen=True)
class Inference:
    task: Decision  # a key of tasks.TASKS; retired names mapped to today's
    library: Decision
    tags: tuple[str, ...]  # tags the Hub adds that the card does not carry
    chat: bool  # show the chat widget


@lru_cache(maxsize=1)
def class_table() -> tuple[dict[str, str], dict[str, str]]:
    """Return (model class -> raw tag, auto class -> raw tag) from data/class_tasks.json."""
    data = json.loads((DATA / "class_tasks.json").read_text(encoding="utf-8"))
    return data["classes"], data["auto_classes"]


def infer(repo: ModelRepo) -> Inference:
    """Decide the task and library of a repo, the tags the Hub would add, and the widget kind."""
    meta = repo.card.metadata if isinstance(repo.card.metadata, dict) else {}
    card_tags = strings(meta.get("tags"))
    config = repo.config if isinstance(repo.config, dict) else None
    library = infer_library(repo, meta, card_tags)
    added: list[str] = []
    task = _task(meta, card_tags, config if library.value == "transformers" else None, added)
    added += _task_params(config)
    if chat_template(repo):
        added.append("conversational")
    chat = task.value in CHAT_TASKS and ("conversational" in card_tags or "conversational" in added
                                         or _chat_examples(meta))
    tags = tuple(dict.fromkeys(t for t in added if t not in card_tags))
    return Inference(task, library, tags, chat)


def _chat_examples(meta: dict[str, Any]) -> bool:
    # Examples written as chat messages come from a chat model: the Hub tags those
    # `conversational` when it finds their chat template, which a card alone may not ship.
    widget = meta.get("widget")
    return isinstance(widget, list) and any(isinstance(e, dict) and "messages" in e for e in widget)


def _task(meta: dict[str, Any], tags: tuple[str, ...], config: dict[str, Any] | None,
          added: list[str]) -> Decision:
    """Card pipeline_tag, then (transformers only) the config, then the tags, else nothing."""
    given = meta.get("pipeline_tag")
    tag = given.strip() if isinstance(given, str) else None
    if tag in TASKS:
        return Decision(tag, "from the card's pipeline_tag")
    if tag in RETIRED:
        # The Hub keeps a retired name visible as a plain tag (models?other=text2text-generation),
        # and `conversational` became text-generation plus that tag.
        added.append(tag)
        return Decision(RETIRED[tag], f"from the card's pipeline_tag {tag} (retired name, now {RETIRED[tag]})")
    tagged = _tag_task(tags)
    found, raw = _config_task(config) if config is not None else (None, "")
    if found and tagged and raw in GENERIC and tagged.value != found.value:
        # A seq2seq LM or a bare model says little; a tag naming the task says more. The 2022 Hub
        # showed the tag on all 61 such cards (Marian + translation, T5Model + summarization).
        return Decision(tagged.value, f"{tagged.source}, which refines {raw} {found.source}")
    if found and raw in RETIRED:
        added.append(raw)
        return Decision(found.value, f"{found.source} ({raw}, now {found.value})")
    return found or tagged or Decision("", _no_task(given, config))


def infer_library(repo: ModelRepo, meta: dict[str, Any], card_tags: tuple[str, ...]) -> Decision:
    """Decide the library: library_name, a tag that is a library key, files, config.json."""
    name = meta.get("library_name")
    if isinstance(name, str) and name.strip():
        return Decision(name.strip(), "from the card's library_name")
    tag = next((t for t in card_tags if t in library_keys()), "")
    if tag:
        return Decision(tag, f"from the tag {tag}")
    found = _file_signal(repo, FILE_SIGNALS)
    if found:
        return found
    if repo.config is not None:
        return Decision("transformers", "from config.json (the Hub's default when nothing else names one)")
    return _file_signal(repo, WEAK_SIGNALS) or Decision(
        "", "no library_name, no tag names a library and no file or config.json shows one")


def _file_signal(repo: ModelRepo, signals: tuple[tuple[str, tuple[str, ...], str], ...]) -> Decision | None:
    paths = [f.path for f in repo.files]
    for library, globs, key in signals:
        matches = [next((p for p in paths if fnmatch.fnmatchcase(p, g)), "") for g in globs]
        if not all(matches):
            continue
        if key:
            data = repo.config if matches[0] == "config.json" else parse_json(read_side_file(repo, matches[0]))
            if data is None or key not in data:
                continue
            return Decision(library, f"from the file {matches[0]} (it holds {key})")
        return Decision(library, "from the file" + ("s " if len(matches) > 1 else " ") + " and ".join(matches))
    return None


@lru_cache(maxsize=1)
def library_keys() -> frozenset[str]:
    """Return the Hub's library keys (data/library_keys.txt, one a line)."""
    text = (DATA / "library_keys.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def _config_task(config: dict[str, Any]) -> tuple[Decision | None, str]:
    """Task from architectures[0], auto_map, then the class-name suffix; with the table's raw tag."""
    classes, autos = class_table()
    arch = first_architecture(config)
    raw = classes.get(arch, "")
    if _hub_task(raw):
        return Decision(_hub_task(raw), f"from config.json architectures[0] {arch}"), raw
    auto_map = config.get("auto_map")
    if isinstance(auto_map, dict):
        known = [k for k in auto_map if isinstance(k, str) and _hub_task(autos.get(k, ""))]
        # The auto class that loads the saved architecture says what the model is; else the
        # first task-specific one the author listed, and the bare AutoModel last.
        ranked = ([k for k in known if arch and arch in _class_names(auto_map[k])]
                  + [k for k in known if k != "AutoModel"] + known)
        if ranked:
            raw = autos[ranked[0]]
            return Decision(_hub_task(raw), f"from config.json auto_map {ranked[0]}"), raw
    if arch and arch not in classes:
        for suffix, found in SUFFIXES:
            if arch.endswith(suffix):
                return Decision(found, f"from config.json architectures[0] {arch} (ends in {suffix})"), found
    return None, ""


def _hub_task(raw: str) -> str:
    """Map a tag of the class table to a Hub task: retired names renamed, non-Hub tags dropped."""
    return RETIRED.get(raw) or (raw if raw in TASKS else "")


def _class_names(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [v.rsplit(".", 1)[-1] for v in values if isinstance(v, str)]


def _tag_task(tags: tuple[str, ...]) -> Decision | None:
    """The tag naming a task earliest in the Hub's order; a retired name counts as its successor."""
    named = sorted(((RETIRED.get(t, t), t) for t in tags if t in TASKS or t in RETIRED),
                   key=lambda pair: (ORDER.get(pair[0], len(ORDER)), pair[0] != pair[1]))
    if not named:
        return None
    task, tag = named[0]
    return Decision(task, f"from the tag {tag}" + (f" (retired name, now {task})" if tag != task else ""))


def _no_task(given: Any, config: dict[str, Any] | None) -> str:
    said = "no pipeline_tag" if given is None else f"pipeline_tag {given!r} is not a Hub task"
    arch = first_architecture(config)
    raw = class_table()[0].get(arch, "")
    if raw:
        return f"{said}, architecture {arch} gives {raw} (not a Hub task) and no tag names a task"
    return f"{said}, no known architecture and no tag names a task"


def _task_params(config: dict[str, Any] | None) -> list[str]:
    # Old Hub docs: each task_specific_params key became a tag of the model; it never chose the
    # task (t5 models kept text2text-generation, measured on the 2022 cards).
    params = config.get("task_specific_params") if config else None
    if not isinstance(params, dict):
        return []
    names = ["translation" if k.startswith("translation_") else k for k in params if isinstance(k, str)]
    return [n for n in names if n in TASKS or n in RETIRED]


def first_architecture(config: dict[str, Any] | None) -> str:
    """Return config.json `architectures[0]` when it is a string, else ""."""
    archs = config.get("architectures") if config else None
    if isinstance(archs, list) and archs and isinstance(archs[0], str):
        return archs[0].strip()
    return ""


def chat_template(repo: ModelRepo) -> str:
    """Return the file that holds a chat template, or "" when there is none."""
    for path, key in CHAT_TEMPLATES:
        text = read_side_file(repo, path)
        if not text:
            continue
        if not key and text.strip():
            return path
        data = parse_json(text) if key else None
        if data and _has_template(data.get(key)):
            return path
    return ""


def _has_template(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    # tokenizer_config may hold several named templates: [{"name": ..., "template": ...}]
    return isinstance(value, list) and any(
        isinstance(v, dict) and isinstance(v.get("template"), str) and v["template"].strip()
        for v in value)


def strings(value: Any) -> tuple[str, ...]:
    """The non-empty strings of a metadata value that is one string or a list, stripped, in order."""
    items = value if isinstance(value, list) else [value]
    return tuple(dict.fromkeys(i.strip() for i in items if isinstance(i, str) and i.strip()))
