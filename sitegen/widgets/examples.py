"""Widget examples: read the card's `widget:` list for the model's task."""
# Each example keeps its inputs (typed per field), its normalised output and the media it
# shows. A bad example is reported with its key path and dropped; the page still builds.
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..assets import Asset, AssetError, Resolver
from ..load.card import Card
from .defaults import default_examples
from .outputs import NORMALISERS, Media, Output, Scores
from .regions import Masks
from ..report import ERROR, INFO, WARNING, Report
from .shapes import ShapeError, describe
from ..hub.tasks import Task
from .views import View, ViewError, view

GENERIC_KEYS = ("example_title", "group", "output", "parameters")
INPUT_ORDER = ("messages", "src", "prompt", "text", "context", "table", "structured_data",
               "candidate_labels", "multi_class", "source_sentence", "sentences")
MAX_EXAMPLES = 1000
MAX_OVERLAYS = 50  # examples whose masks are drawn over their image (about a second each)
# A table is padded to a rectangle, so a few long columns among many short ones would make
# millions of empty cells from a few kilobytes; past these it is cut (real cards: 2 × 3).
MAX_TABLE_COLUMNS = 100
MAX_TABLE_ROWS = 1000
MAX_TABLE_CELLS = 10_000  # rows × columns after padding
# What an output url holds, by task; "" accepts any media kind.
OUTPUT_MEDIA = {"text-to-image": "image", "image-to-image": "image", "depth-estimation": "image",
                "unconditional-image-generation": "image", "image-text-to-image": "image",
                "text-to-speech": "audio", "text-to-audio": "audio", "audio-to-audio": "audio",
                "text-to-video": "video", "image-to-video": "video", "video-to-video": "video",
                "image-text-to-video": "video", "reinforcement-learning": "video"}


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    more_columns: int = 0  # left out past the caps
    more_rows: int = 0

    @property
    def cut(self) -> str:
        """What was left out, in words ("" when nothing was)."""
        more = [f"{n:,} more {noun}{'' if n == 1 else 's'}" for n, noun in
                ((self.more_columns, "column"), (self.more_rows, "row")) if n]
        return " and ".join(more)


@dataclass(frozen=True)
class Part:
    text: str = ""
    image: Asset | None = None


@dataclass(frozen=True)
class Message:
    role: str
    parts: tuple[Part, ...]


@dataclass(frozen=True)
class Field:
    name: str
    value: Any  # str, bool, Table, tuple[str, ...], Asset or tuple[Message, ...]


@dataclass(frozen=True)
class Example:
    number: int  # 1-based over the examples kept
    title: str
    group: str
    inputs: tuple[Field, ...]
    output: Output | None
    media: tuple[tuple[str, Asset], ...]  # output media: (label, asset)
    parameters: tuple[tuple[str, str], ...]
    raw_output: str  # the output as written, as JSON
    view: View = View()  # how the output sits on the inputs
    missing: str = ""  # why a stored output file could not be shown

    def input(self, name: str) -> Any:
        return next((f.value for f in self.inputs if f.name == name), None)

    @property
    def images(self) -> list[Asset]:
        found = [f.value for f in self.inputs if isinstance(f.value, Asset) and f.value.kind == "image"]
        return found + [a for _, a in self.media if a.kind == "image"]


@dataclass(frozen=True)
class Widget:
    task: Task
    examples: tuple[Example, ...]
    groups: tuple[tuple[str, tuple[Example, ...]], ...]  # empty unless examples carry `group`
    defaults: str = ""  # language of the default examples shown when the card has none
    inference_off: bool = False  # the card says `inference: false`
    parameters: tuple[tuple[str, str], ...] = ()  # the card's `inference.parameters`
    dropped: int = 0  # examples left out for their errors
    replay: Asset | None = None  # reinforcement learning: the repo's replay.mp4

    @property
    def files(self) -> tuple[tuple[str, bytes], ...]:
        """Files the examples made for the site (masks drawn over images)."""
        return tuple(f for e in self.examples for f in e.view.files)

    @property
    def with_output(self) -> int:
        return sum(1 for e in self.examples if e.output is not None)


class _Missing(Exception):
    """The output names a file that cannot be shown: the example stays, without it."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key, self.message = key, message


class _Drop(Exception):
    def __init__(self, key: str, message: str, level: str = ERROR):
        super().__init__(message)
        self.key, self.message, self.level = key, message, level


def build_widget(card: Card, task: Task, resolver: Resolver, report: Report,
                 languages: tuple[str, ...] = (), mask_token: str = "[MASK]") -> Widget:
    """Read `widget:` for a task; report each problem and keep the examples that work.

    A card without `widget:` gets default example inputs for its task and language.
    """
    raw = card.metadata.get("widget")
    off, parameters = _inference(card)
    if raw is None:
        lang, defaults = default_examples(task.tag, languages, mask_token)
        shown = tuple(_example(item, "widget", i + 1, task, card, resolver, Report())
                      for i, item in enumerate(defaults))
        return Widget(task, shown, (), lang, off, parameters, 0, _replay(task, resolver, card, report))
    items: list[Any] = []
    if not isinstance(raw, list):
        _report(report, card, ERROR, "widget", f"expected a list of examples, got {describe(raw)}")
    elif raw:
        if len(raw) > MAX_EXAMPLES:
            _report(report, card, ERROR, "widget", f"{len(raw)} examples, only the first {MAX_EXAMPLES} are shown")
        items = raw[:MAX_EXAMPLES]
    examples: list[Example] = []
    drawn = undrawn = 0
    for i, item in enumerate(items):
        try:
            example = _example(item, f"widget[{i}]", len(examples) + 1, task, card,
                               resolver, report, draw=drawn < MAX_OVERLAYS)
        except _Drop as exc:
            _report(report, card, exc.level, exc.key, exc.message + "; example not shown")
            continue
        examples.append(example)
        drawn += example.view.overlay is not None
        undrawn += drawn >= MAX_OVERLAYS and example.view.overlay is None and isinstance(example.output, Masks) \
            and bool(example.output.items)
    if undrawn:
        _report(report, card, WARNING, "widget", f"masks are drawn over the image of the first {MAX_OVERLAYS} "
                f"examples only; {undrawn} more show their list of masks")
    for key, message in resolver.notes:  # remote media: linked, not shown
        _report(report, card, WARNING, key, message)
    return Widget(task, tuple(examples), _groups(examples), "", off, parameters,
                  len(items) - len(examples), _replay(task, resolver, card, report))


def _replay(task: Task, resolver: Resolver, card: Card, report: Report) -> Asset | None:
    """Reinforcement-learning repos show the agent's replay.mp4, as the Hub did."""
    if task.tag != "reinforcement-learning" or "replay.mp4" not in resolver.files:
        return None
    try:
        return resolver.resolve("replay.mp4", "video")
    except AssetError as exc:
        report.warning(f"replay.mp4 is not shown: {exc}", card.path, 1)
        return None


def _inference(card: Card) -> tuple[bool, tuple[tuple[str, str], ...]]:
    """Read `inference:`: false turns the Hub's widget off; `parameters` go to every call.
    Other shapes are the lint's to report."""
    value = card.metadata.get("inference")
    if value is False:
        return True, ()
    params = value.get("parameters") if isinstance(value, dict) else None
    if not isinstance(params, dict):
        return False, ()
    return False, tuple((str(k), _scalar(v)) for k, v in params.items())


def _report(report: Report, card: Card, level: str, key: str, message: str) -> None:
    report.add(level, message, card.path, card.locate(key), key)


def _groups(examples: list[Example]) -> tuple[tuple[str, tuple[Example, ...]], ...]:
    if not any(e.group for e in examples):
        return ()
    order: dict[str, list[Example]] = {}
    for e in examples:
        order.setdefault(e.group or "Group 1", []).append(e)
    return tuple((name, tuple(group)) for name, group in order.items())


def _example(item: Any, key: str, number: int, task: Task, card: Card, resolver: Resolver,
             report: Report, draw: bool = True) -> Example:
    if isinstance(item, str):
        item = {"text": item}
    if not isinstance(item, dict):
        raise _Drop(key, f"expected an example mapping (text, src, output, ...), got {describe(item)}")
    allowed = set(task.inputs) | set(task.optional) | set(GENERIC_KEYS)
    for name in item:
        if name not in allowed:
            _report(report, card, INFO, f"{key}.{name}",
                    f"key is not read by the {task.tag} widget; ignored")
    missing = [name for name in task.inputs if item.get(name) in (None, "")]
    if task.tag == "conversational" and "messages" not in item and "text" not in item:
        missing = ["messages"]
    if missing:
        raise _Drop(key, f"missing {', '.join(missing)}; {_a(task.tag)} {task.tag} example needs "
                         f"{', '.join(task.inputs) or 'messages or text'}")
    fields = [Field(name, _input(name, item[name], f"{key}.{name}", task, resolver))
              for name in INPUT_ORDER if name in item and name in allowed and item[name] is not None]
    for f in fields:
        if isinstance(f.value, Table) and f.value.cut:
            _report(report, card, WARNING, f"{key}.{f.name}", f"a table shows at most {MAX_TABLE_COLUMNS} "
                    f"columns, {MAX_TABLE_ROWS:,} rows and {MAX_TABLE_CELLS:,} cells (after padding its "
                    f"columns to the longest): {f.value.cut} are left out")
    output: Output | None = None
    media: tuple[tuple[str, Asset], ...] = ()
    raw_output = ""
    shown = View()
    lost = ""
    try:
        stored = _output(item["output"], f"{key}.output", task, resolver) if item.get("output") is not None else None
    except _Missing as exc:
        _report(report, card, ERROR, exc.key, exc.message + "; the example is shown without its output")
        stored, lost = None, exc.message
    if stored is not None:
        output, media = stored
        if output.kind == "json":
            _report(report, card, WARNING, f"{key}.output", f"no output shape is known for {task.tag}; "
                    "the page shows it as plain data")
        raw_output = json.dumps(item["output"], indent=2, ensure_ascii=False)
        try:
            shown = view(number, {f.name: f.value for f in fields}, output, f"{key}.output", resolver, draw)
        except ViewError as exc:
            raise _Drop(exc.key, exc.message) from None
        sentences = item.get("sentences")
        if isinstance(output, Scores) and isinstance(sentences, list) and len(output.values) != len(sentences):
            raise _Drop(f"{key}.output", f"expected {len(sentences)} scores, one per sentence, "
                                         f"got {len(output.values)}")
    title = item.get("example_title")
    group = item.get("group")
    params = item.get("parameters")
    if params is not None and not isinstance(params, dict):
        _report(report, card, ERROR, f"{key}.parameters", f"expected a mapping, got {describe(params)}")
        params = None
    return Example(number, str(title) if title not in (None, "") else f"Example {number}",
                   str(group) if group not in (None, "") else "", tuple(fields), output, media,
                   tuple((str(k), _scalar(v)) for k, v in (params or {}).items()), raw_output, shown, lost)


def _a(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _text(value: Any, key: str) -> str:
    if isinstance(value, (dict, list)) or isinstance(value, bool):
        raise _Drop(key, f"expected text, got {describe(value)}")
    return str(value)


def _input(name: str, value: Any, key: str, task: Task, resolver: Resolver) -> Any:
    if name == "src":
        try:
            return resolver.resolve(_text(value, key), task.media, key)
        except AssetError as exc:
            raise _Drop(key, str(exc)) from None
    if name in ("table", "structured_data"):
        return _table(value, key)
    if name == "candidate_labels":
        if isinstance(value, list):
            return tuple(_text(v, f"{key}[{i}]") for i, v in enumerate(value))
        return tuple(s.strip() for s in _text(value, key).split(",") if s.strip())
    if name == "sentences":
        if not isinstance(value, list) or not value:
            raise _Drop(key, f"expected a list of sentences, got {describe(value)}")
        return tuple(_text(v, f"{key}[{i}]") for i, v in enumerate(value))
    if name == "multi_class":
        if not isinstance(value, bool):
            raise _Drop(key, f"expected true or false, got {describe(value)}")
        return value
    if name == "messages":
        return _messages(value, key, resolver)
    return _text(value, key)


def _table(value: Any, key: str) -> Table:
    if isinstance(value, dict) and value:
        columns = [(str(c), cells if isinstance(cells, list) else [cells]) for c, cells in value.items()]
        height = max(len(cells) for _, cells in columns)
        width, shown = _cut(len(columns), height)
        kept = [(name, [_cell(c, f"{key}.{name}") for c in cells[:shown]]) for name, cells in columns[:width]]
        rows = tuple(tuple(cells[r] if r < len(cells) else "" for _, cells in kept) for r in range(shown))
        return Table(tuple(name for name, _ in kept), rows, len(columns) - width, height - shown)
    if isinstance(value, list) and value and all(isinstance(r, list) for r in value):
        head, *body = value  # the legacy list-of-rows form: first row is the header
        width, shown = _cut(max(len(row) for row in value), len(body))
        return Table(tuple(_cell(c, key) for c in head[:width]),
                     tuple(tuple(_cell(c, key) for c in row[:width]) for row in body[:shown]),
                     max(len(row) for row in value) - width, len(body) - shown)
    raise _Drop(key, f"expected a table: a mapping of column name to a list of cells, got {describe(value)}")


def _cut(width: int, height: int) -> tuple[int, int]:
    """The columns and rows of a table that are shown: at most MAX_TABLE_COLUMNS, MAX_TABLE_ROWS
    and MAX_TABLE_CELLS in all."""
    width = min(width, MAX_TABLE_COLUMNS)
    return width, min(height, MAX_TABLE_ROWS, MAX_TABLE_CELLS // max(width, 1))


def _cell(value: Any, key: str) -> str:
    if isinstance(value, (dict, list)):
        raise _Drop(key, f"expected a cell value (text or number), got {describe(value)}")
    return "" if value is None else str(value)


def _messages(value: Any, key: str, resolver: Resolver) -> tuple[Message, ...]:
    if not isinstance(value, list) or not value:
        raise _Drop(key, f"expected a list of {{role, content}} messages, got {describe(value)}")
    out = []
    for i, msg in enumerate(value):
        k = f"{key}[{i}]"
        if not isinstance(msg, dict) or "role" not in msg or "content" not in msg:
            raise _Drop(k, f"expected {{role, content}}, got {describe(msg)}")
        content = msg["content"]
        if isinstance(content, list):
            parts = tuple(_part(p, f"{k}.content[{j}]", resolver) for j, p in enumerate(content))
        else:
            parts = (Part(text=_text(content, f"{k}.content")),)
        out.append(Message(_text(msg["role"], f"{k}.role"), parts))
    return tuple(out)


def _part(part: Any, key: str, resolver: Resolver) -> Part:
    if not isinstance(part, dict):
        raise _Drop(key, f"expected {{type, text}} or {{type, image_url}}, got {describe(part)}")
    if part.get("type") == "image_url":
        url = part.get("image_url")
        url = url.get("url") if isinstance(url, dict) else url
        try:
            return Part(image=resolver.resolve(_text(url, f"{key}.image_url.url"), "image", f"{key}.image_url"))
        except AssetError as exc:
            raise _Drop(f"{key}.image_url", str(exc)) from None
    return Part(text=_text(part.get("text", ""), f"{key}.text"))


def _output(value: Any, key: str, task: Task, resolver: Resolver) -> tuple[Output, tuple[tuple[str, Asset], ...]]:
    try:
        output = NORMALISERS[task.output](value, key)
    except ShapeError as exc:
        raise _Drop(exc.key, f"{exc.message} ({_a(task.tag)} {task.tag} output)") from None
    media: list[tuple[str, Asset]] = []
    if isinstance(output, Media):
        for i, item in enumerate(output.items):
            k = f"{key}.url" if len(output.items) == 1 else f"{key}[{i}].url"
            try:
                media.append((item.label, resolver.resolve(item.src, OUTPUT_MEDIA.get(task.tag, ""), k)))
            except AssetError as exc:
                raise _Missing(k, str(exc)) from None
    return output, tuple(media)
