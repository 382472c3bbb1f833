"""Output kinds: one dataclass and one normaliser each; the task decides the kind.

A normaliser takes the `output` value as written in the card and its key path, and
returns the typed output or raises ShapeError naming the key, the expected shape and
what was found.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, Callable


class ShapeError(Exception):
    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key
        self.message = message


def describe(value: Any) -> str:
    """Say what a YAML value is, for messages: `'high'`, `a list`, `a mapping`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing (null)"
    if isinstance(value, dict):
        keys = ", ".join(list(value)[:4])
        return f"a mapping with keys {keys}" if keys else "an empty mapping"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _number(value: Any, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ShapeError(key, f"expected a number, got {describe(value)}")
    return float(value)


def _string(value: Any, key: str) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        raise ShapeError(key, f"expected a string, got {describe(value)}")
    return str(value)


def _mapping(value: Any, key: str, shape: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ShapeError(key, f"expected {shape}, got {describe(value)}")
    return value


def _list(value: Any, key: str, shape: str) -> list[Any]:
    if not isinstance(value, list):
        raise ShapeError(key, f"expected {shape}, got {describe(value)}")
    if not value:
        raise ShapeError(key, f"expected {shape}, got an empty list")
    return value


@dataclass(frozen=True)
class Label:
    label: str
    score: float

    @property
    def shown(self) -> str:
        return f"{self.score:.3f}"


@dataclass(frozen=True)
class Labels:
    kind = "labels"
    items: tuple[Label, ...]

    def width(self, item: Label) -> int:
        """Bar width in percent of the widest bar (the Hub's score / max rule)."""
        top = max((i.score for i in self.items), default=0.0)
        if top <= 0 or item.score <= 0:
            return 0
        return max(1, math.ceil(item.score / top * 100))


def labels(value: Any, key: str) -> Labels:
    shape = "a list of {label, score}"
    items = []
    for i, entry in enumerate(_list(value, key, shape)):
        k = f"{key}[{i}]"
        entry = _mapping(entry, k, "{label, score}")
        if "label" not in entry:
            raise ShapeError(k, f"expected {{label, score}}, got {describe(entry)}")
        if "score" not in entry:
            raise ShapeError(k, "expected {label, score}, the score is missing")
        items.append(Label(_string(entry["label"], f"{k}.label"), _number(entry["score"], f"{k}.score")))
    return Labels(tuple(items))


@dataclass(frozen=True)
class AnswerItem:
    answer: str
    score: float | None
    cells: tuple[str, ...] = ()
    aggregator: str = ""

    @property
    def shown(self) -> str:
        return "" if self.score is None else f"{self.score:.3f}"


@dataclass(frozen=True)
class Answer:
    kind = "answer"
    items: tuple[AnswerItem, ...]


def _one_or_many(value: Any, key: str, shape: str, many: str, required: str) -> list[tuple[str, dict[str, Any]]]:
    """Accept one mapping or a list of them, each holding `required`; keep their key paths."""
    entries = [(key, value)] if isinstance(value, dict) else [
        (f"{key}[{i}]", v) for i, v in enumerate(_list(value, key, f"{shape} or {many}"))]
    out = []
    for k, entry in entries:
        entry = _mapping(entry, k, shape)
        if required not in entry:
            raise ShapeError(k, f"expected {shape}, got {describe(entry)}")
        out.append((k, entry))
    return out


def answer(value: Any, key: str) -> Answer:
    items = []
    for k, entry in _one_or_many(value, key, "{answer, score}", "a list of them", "answer"):
        score = _number(entry["score"], f"{k}.score") if entry.get("score") is not None else None
        cells = entry.get("cells", [])
        if not isinstance(cells, list):
            raise ShapeError(f"{k}.cells", f"expected a list of cell values, got {describe(cells)}")
        aggregator = entry.get("aggregator") or ""
        items.append(AnswerItem(_string(entry["answer"], f"{k}.answer"), score,
                                tuple(_string(c, f"{k}.cells") for c in cells),
                                "" if aggregator == "NONE" else _string(aggregator, f"{k}.aggregator")))
    return Answer(tuple(items))


@dataclass(frozen=True)
class Text:
    kind = "text"
    text: str


def text(value: Any, key: str) -> Text:
    entry = _mapping(value, key, "{text}")
    if "text" not in entry:
        raise ShapeError(key, f"expected {{text}}, got {describe(entry)}")
    return Text(_string(entry["text"], f"{key}.text"))


@dataclass(frozen=True)
class MediaItem:
    label: str
    src: str  # as written in the card; widgets.py resolves it to an asset


@dataclass(frozen=True)
class Media:
    kind = "media"
    items: tuple[MediaItem, ...]


def media(value: Any, key: str) -> Media:
    items = []
    for k, entry in _one_or_many(value, key, "{url}", "a list of {label, url}", "url"):
        label = _string(entry["label"], f"{k}.label") if "label" in entry else ""
        items.append(MediaItem(label, _string(entry["url"], f"{k}.url")))
    return Media(tuple(items))


@dataclass(frozen=True)
class Scores:
    kind = "scores"
    values: tuple[float, ...]


def scores(value: Any, key: str) -> Scores:
    items = _list(value, key, "a list of numbers, one per sentence")
    return Scores(tuple(_number(v, f"{key}[{i}]") for i, v in enumerate(items)))


@dataclass(frozen=True)
class Json:
    """Any other stored output, shown as the JSON it is."""

    kind = "json"
    text: str


def json_value(value: Any, key: str) -> Json:
    return Json(json.dumps(value, indent=2, ensure_ascii=False))


Output = Labels | Answer | Text | Media | Scores | Json

NORMALISERS: dict[str, Callable[[Any, str], Output]] = {
    "labels": labels,
    "answer": answer,
    "text": text,
    "media": media,
    "scores": scores,
    "json": json_value,
}
