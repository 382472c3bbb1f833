"""What the Use-this-model code needs of a repo, gathered in resolve from what load read."""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import Any

from ..assets import Asset
from ..hub.infer import class_table, first_architecture, strings
from ..load.repo import ModelRepo
from ..widgets.examples import Widget
from ..widgets.inputs import Message, Table
from .quote import MAX_CELL, MAX_ITEMS, MAX_PART, clip

MAX_GGUF = 200  # .gguf files looked at for their quantisation labels
# transformers Auto classes the class table does not name (it keeps one per Hub task).
EXTRA_AUTOS = ("AutoModelForSemanticSegmentation", "AutoModelForInstanceSegmentation",
               "AutoModelForUniversalSegmentation", "AutoModelForImageTextToText")
# The Auto class of a task that has several: by a part of the class name, else the usual one.
_NAMED = (("SpeechT5", "AutoModelForTextToSpectrogram"),)
_USUAL = {"text-to-audio": "AutoModelForTextToWaveform", "automatic-speech-recognition": "AutoModelForSpeechSeq2Seq"}
# The processor loaded before the model, by the task's modality (the Hub's transformersInfo).
PROCESSORS = {"nlp": "AutoTokenizer", "cv": "AutoImageProcessor", "audio": "AutoProcessor",
              "multimodal": "AutoProcessor"}
PROCESSOR_TASKS = {"zero-shot-image-classification": "AutoProcessor", "zero-shot-object-detection": "AutoProcessor",
                   "image-to-text": "AutoProcessor"}  # vision tasks that read text too
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,99}")  # a Python class or package name


@dataclass(frozen=True)
class FileRef:
    """An example input that is a file of the repo: a URL or a local path once hub_url is known."""
    path: str


@dataclass(frozen=True)
class Facts:
    id: str
    library: str
    task: str  # a Hub task tag, "" when none is known
    chat: bool  # the chat form of text-generation / image-text-to-text
    chat_template: bool
    tags: tuple[str, ...]
    auto_class: str  # "" when no architecture is known
    processor: str
    base_models: tuple[str, ...]
    adapter: tuple[str, str] | None  # (base_model_name_or_path, task_type) of adapter_config.json
    gguf: tuple[str, ...]  # .gguf files, by path
    wheels: tuple[str, ...]  # spaCy pipeline packages: *-any-py3-none-any.whl
    inputs: tuple[tuple[str, Any], ...]  # the first example's inputs, as plain values
    own_example: bool = False  # the inputs are the card's (not the task's default example)
    instance_prompt: str = ""

    def input(self, name: str, default: Any = None) -> Any:
        return next((v for n, v in self.inputs if n == name), default)

    def has(self, tag: str) -> bool:
        return tag in self.tags


def read_facts(repo: ModelRepo, library: str, task: str, modality: str, chat: bool, chat_template: bool,
               tags: tuple[str, ...], base_models: tuple[str, ...], widget: Widget | None) -> Facts:
    """Facts of one repo; every value is the repo's own, checked for type and capped."""
    meta = repo.card.metadata if isinstance(repo.card.metadata, dict) else {}
    config = repo.config if isinstance(repo.config, dict) else None
    tags = tags + (("custom_code",) if config and isinstance(config.get("auto_map"), dict) else ())
    paths = [f.path for f in repo.files]
    prompt = meta.get("instance_prompt")
    return Facts(
        id=repo.id, library=library, task=task, chat=chat, chat_template=chat_template, tags=tags,
        auto_class=auto_class(config), processor=PROCESSOR_TASKS.get(task) or PROCESSORS.get(modality, "") if task else "",
        base_models=base_models[:MAX_ITEMS], adapter=_adapter(repo.side.get("adapter_config.json")),
        gguf=tuple(p for p in paths if p.lower().endswith(".gguf"))[:MAX_GGUF],
        wheels=tuple(p for p in paths if "/" not in p and fnmatch.fnmatchcase(p, "*-any-py3-none-any.whl"))[:MAX_ITEMS],
        inputs=_inputs(widget), own_example=bool(widget and not widget.defaults), instance_prompt=clip(prompt.strip()) if isinstance(prompt, str) else "")


def auto_class(config: dict[str, Any] | None) -> str:
    """The Auto class that loads config.json's architecture: auto_map's for custom code, else
    the one of its task in the class table (by name where the task has several)."""
    classes, autos = class_table()
    arch = first_architecture(config)
    auto_map = config.get("auto_map") if config else None
    if isinstance(auto_map, dict):
        named = [k for k in auto_map if isinstance(k, str) and k in autos]
        loads = [k for k in named if arch and isinstance(auto_map[k], str) and auto_map[k].endswith("." + arch)]
        if loads or named:
            return (loads or [k for k in named if k != "AutoModel"] or named)[0]
    raw = classes.get(arch, "")
    found = [a for a, t in autos.items() if t == raw]
    named = [name for part, name in _NAMED if part in arch and name in found]
    usual = [n for n in (_USUAL.get(raw, ""),) if n in found]
    suffix = "AutoModelFor" + arch.rpartition("For")[2] if "For" in arch else ""
    by_name = [suffix] if suffix in autos or suffix in EXTRA_AUTOS else []  # XForMaskedLM: AutoModelForMaskedLM
    same = [n for n in by_name if n in found]  # Wav2Vec2ForCTC: CTC, of the two for speech recognition
    return (named or same or usual or found or by_name or [""])[0]


def _adapter(config: Any) -> tuple[str, str] | None:
    if not isinstance(config, dict) or "peft_type" not in config and "base_model_name_or_path" not in config:
        return None
    base, kind = config.get("base_model_name_or_path"), config.get("task_type")
    return (base.strip()[:200] if isinstance(base, str) else "", kind if isinstance(kind, str) else "")


def _inputs(widget: Widget | None) -> tuple[tuple[str, Any], ...]:
    """The first example's inputs (the card's, else the task's default), as plain values."""
    if widget is None or not widget.examples:
        return ()
    return tuple((f.name, plain(f.value)) for f in widget.examples[0].inputs)


def plain(value: Any) -> Any:
    """An input as the code writes it, every string and list capped: a snippet stays a few kB."""
    if isinstance(value, str):
        return clip(value)
    if isinstance(value, Asset):
        return clip(value.url) if value.remote else FileRef(value.path)
    if isinstance(value, Table):
        return {clip(c, MAX_CELL): [clip(r[i], MAX_CELL) for r in value.rows[:MAX_ITEMS]]
                for i, c in enumerate(value.columns[:MAX_ITEMS])}
    if isinstance(value, tuple) and value and isinstance(value[0], Message):
        return [{"role": clip(m.role, MAX_CELL), "content": _content(m)} for m in value[:MAX_ITEMS]]
    if isinstance(value, tuple):
        return [clip(str(v), MAX_PART) for v in value[:MAX_ITEMS]]
    return value


def _content(message: Message) -> Any:
    """A message's text, or its list of typed parts when it holds an image."""
    if all(p.image is None for p in message.parts):
        return clip("".join(p.text for p in message.parts), MAX_PART)
    return [{"type": "image", "url": plain(p.image)} if p.image else {"type": "text", "text": clip(p.text, MAX_PART)}
            for p in message.parts[:MAX_ITEMS]]


def python_name(value: str) -> str:
    """The value if it is a plain Python name (a class or package to import), else ""."""
    return value if _NAME.fullmatch(value) else ""
