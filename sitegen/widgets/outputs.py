"""Output kinds: one dataclass and one normaliser each; the task decides the kind."""
# A normaliser takes the `output` value as written in the card and its key path, and
# returns the typed output or raises ShapeError naming the key, the expected shape and
# what was found. Besides the Hub's four typed shapes, each kind accepts the inference
# output shape of its tasks (spec/tasks.yaml `api_output_shape`).
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable

from .regions import Boxes, Masks, boxes, masks
from .shapes import ShapeError, describe, mapping, nonempty_list, number, offset, one_or_many, string
from .spans import Entities, entities


@dataclass(frozen=True)
class Label:
    label: str
    score: float
    sequence: str = ""  # fill-mask: the completed sentence

    @property
    def shown(self) -> str:
        return f"{self.score:.3f}"


@dataclass(frozen=True)
class Labels:
    kind = "labels"
    items: tuple[Label, ...]

    @property
    def top(self) -> float:
        """The largest score: bars are drawn relative to it (the Hub's score / max rule)."""
        return max((i.score for i in self.items), default=0.0)


def labels(value: Any, key: str) -> Labels:
    shape = "a list of {label, score}"
    if isinstance(value, dict) and "labels" in value and "scores" in value:
        # zero-shot-classification's inference shape: {sequence, labels: [...], scores: [...]}
        names = nonempty_list(value["labels"], f"{key}.labels", "a list of labels")
        scores = nonempty_list(value["scores"], f"{key}.scores", "a list of scores")
        if len(names) != len(scores):
            raise ShapeError(key, f"expected as many scores as labels, got {len(scores)} and {len(names)}")
        return Labels(tuple(Label(string(n, f"{key}.labels[{i}]"), number(s, f"{key}.scores[{i}]"))
                            for i, (n, s) in enumerate(zip(names, scores))))
    found = []
    for i, entry in enumerate(nonempty_list(value, key, shape)):
        k = f"{key}[{i}]"
        entry = mapping(entry, k, "{label, score}")
        name = entry["label"] if "label" in entry else entry.get("token_str")  # fill-mask's inference shape
        if "label" not in entry and name is None:
            raise ShapeError(k, f"expected {{label, score}}, got {describe(entry)}")
        if "score" not in entry:
            raise ShapeError(k, "expected {label, score}, the score is missing")
        sequence = string(entry["sequence"], f"{k}.sequence") if entry.get("sequence") else ""
        found.append(Label(string(name, f"{k}.label"), number(entry["score"], f"{k}.score"), sequence))
    return Labels(tuple(found))


@dataclass(frozen=True)
class AnswerItem:
    answer: str
    score: float | None
    cells: tuple[str, ...] = ()
    aggregator: str = ""
    start: int | None = None  # extractive QA: where the answer sits in the context
    end: int | None = None
    coordinates: tuple[tuple[int, int], ...] = ()  # table QA: (row, column) of each cell

    @property
    def shown(self) -> str:
        return "" if self.score is None else f"{self.score:.3f}"


@dataclass(frozen=True)
class Answer:
    kind = "answer"
    items: tuple[AnswerItem, ...]

    @property
    def coordinates(self) -> frozenset[tuple[int, int]]:
        return frozenset(c for item in self.items for c in item.coordinates)

    @property
    def cells(self) -> frozenset[str]:
        return frozenset(c for item in self.items for c in item.cells)


def answer(value: Any, key: str) -> Answer:
    found = []
    for k, entry in one_or_many(value, key, "{answer, score}", "a list of them", "answer"):
        score = number(entry["score"], f"{k}.score") if entry.get("score") is not None else None
        cells = entry.get("cells", [])
        if not isinstance(cells, list):
            raise ShapeError(f"{k}.cells", f"expected a list of cell values, got {describe(cells)}")
        aggregator = entry.get("aggregator") or ""
        found.append(AnswerItem(
            string(entry["answer"], f"{k}.answer"), score,
            tuple(string(c, f"{k}.cells") for c in cells),
            "" if aggregator == "NONE" else string(aggregator, f"{k}.aggregator"),
            offset(entry.get("start"), f"{k}.start"), offset(entry.get("end"), f"{k}.end"), _coordinates(entry, k)))
    return Answer(tuple(found))


def _coordinates(entry: dict[str, Any], key: str) -> tuple[tuple[int, int], ...]:
    value = entry.get("coordinates")
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ShapeError(f"{key}.coordinates", f"expected a list of [row, column], got {describe(value)}")
    out = []
    for i, pair in enumerate(value):
        ok = isinstance(pair, list) and len(pair) == 2 and all(
            isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in pair)
        if not ok:
            raise ShapeError(f"{key}.coordinates[{i}]", f"expected [row, column], got {describe(pair)}")
        out.append((pair[0], pair[1]))
    return tuple(out)


@dataclass(frozen=True)
class Chunk:
    text: str
    start: float
    end: float | None

    @property
    def shown(self) -> str:
        minutes, seconds = divmod(self.start, 60)
        return f"{int(minutes)}:{seconds:04.1f}"


@dataclass(frozen=True)
class Text:
    kind = "text"
    text: str
    chunks: tuple[Chunk, ...] = ()  # speech recognition with timestamps


def text(value: Any, key: str) -> Text:
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict) \
            and "generated_text" in value[0]:
        value = {"text": value[0]["generated_text"]}  # text-generation's inference shape
    entry = mapping(value, key, "{text}")
    if "text" not in entry:
        raise ShapeError(key, f"expected {{text}}, got {describe(entry)}")
    chunks = []
    raw = entry.get("chunks")
    for i, chunk in enumerate(raw if isinstance(raw, list) else ([] if raw is None else [raw])):
        k = f"{key}.chunks[{i}]"
        chunk = mapping(chunk, k, "{text, timestamp: [start, end]}")
        stamp = chunk.get("timestamp")
        if not isinstance(stamp, list) or len(stamp) != 2:
            raise ShapeError(f"{k}.timestamp", f"expected [start, end] in seconds, got {describe(stamp)}")
        end = None if stamp[1] is None else number(stamp[1], f"{k}.timestamp[1]")
        chunks.append(Chunk(string(chunk.get("text", ""), f"{k}.text").strip(),
                            number(stamp[0], f"{k}.timestamp[0]"), end))
    return Text(string(entry["text"], f"{key}.text"), tuple(chunks))


@dataclass(frozen=True)
class MediaItem:
    label: str
    src: str  # as written in the card; examples.py resolves it to an asset


@dataclass(frozen=True)
class Media:
    kind = "media"
    items: tuple[MediaItem, ...]


def media(value: Any, key: str) -> Media:
    found = []
    for k, entry in one_or_many(value, key, "{url}", "a list of {label, url}", "url"):
        label = string(entry["label"], f"{k}.label") if "label" in entry else ""
        found.append(MediaItem(label, string(entry["url"], f"{k}.url")))
    return Media(tuple(found))


@dataclass(frozen=True)
class Scores:
    kind = "scores"
    values: tuple[float, ...]


def scores(value: Any, key: str) -> Scores:
    found = nonempty_list(value, key, "a list of numbers, one per sentence")
    return Scores(tuple(number(v, f"{key}[{i}]") for i, v in enumerate(found)))


@dataclass(frozen=True)
class Embedding:
    kind = "embedding"
    rows: tuple[tuple[float, ...], ...]  # one vector, or one per token

    @property
    def size(self) -> int:
        return len(self.rows[0])

    @property
    def peak(self) -> float:
        return max((abs(v) for row in self.rows for v in row), default=0.0) or 1.0

    @property
    def strip_rows(self) -> int:
        return min(len(self.rows), 64)

    @property
    def strip(self) -> list[tuple[int, int, str]]:
        """(row, column, colour) per value: blue below zero, red above, white at zero."""
        cells = []
        for y, row in enumerate(self.rows[:self.strip_rows]):  # a strip, not a whole sequence
            for x, v in enumerate(row):
                t = min(abs(v) / self.peak, 1.0)
                fade = round(255 * (1 - t))
                rgb = (255, fade, fade) if v > 0 else (fade, fade, 255)
                cells.append((y, x, "#%02x%02x%02x" % rgb))
        return cells


def embedding(value: Any, key: str) -> Embedding:
    shape = "a list of numbers (or a list of such lists)"
    found = nonempty_list(value, key, shape)
    rows = found if all(isinstance(r, list) for r in found) else [found]
    out = []
    for i, row in enumerate(rows):
        k = f"{key}[{i}]" if rows is found else key
        out.append(tuple(number(v, f"{k}[{j}]") for j, v in enumerate(nonempty_list(row, k, shape))))
    if len({len(r) for r in out}) > 1:
        raise ShapeError(key, "expected vectors of one length, got several lengths")
    return Embedding(tuple(out))


@dataclass(frozen=True)
class Predictions:
    """Tabular models: one predicted value per row of `structured_data`."""

    kind = "predictions"
    values: tuple[str, ...]


def predictions(value: Any, key: str) -> Predictions:
    found = nonempty_list(value, key, "a list of predictions, one per row")
    out = []
    for i, v in enumerate(found):
        if isinstance(v, float):
            out.append(f"{v:.4g}")
        else:
            out.append(string(v, f"{key}[{i}]"))
    return Predictions(tuple(out))


@dataclass(frozen=True)
class Json:
    """Any other stored output, shown as the data it is (tables, lists, values)."""

    kind = "json"
    value: Any

    @property
    def text(self) -> str:
        return json.dumps(self.value, indent=2, ensure_ascii=False)


def json_value(value: Any, key: str) -> Json:
    return Json(value)


Output = Labels | Answer | Text | Media | Scores | Embedding | Predictions | Entities | Boxes | Masks | Json

NORMALISERS: dict[str, Callable[[Any, str], Output]] = {
    "labels": labels,
    "answer": answer,
    "text": text,
    "media": media,
    "scores": scores,
    "embedding": embedding,
    "predictions": predictions,
    "entities": entities,
    "boxes": boxes,
    "masks": masks,
    "json": json_value,
}
