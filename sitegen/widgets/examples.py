"""Widget examples: read the card's `widget:` list for the model's task."""
# Each example keeps its inputs (typed per field), its normalised output and the media it
# shows. A bad example (a ShapeError) is reported with its key path and dropped; the page
# still builds. Whatever differs by task comes from the task's row, never from its tag.
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..assets import Asset, AssetError, PointerError, Resolver
from ..hub.keys import widget_near_miss
from ..hub.tasks import Task
from ..load.card import Card
from ..report import ERROR, INFO, WARNING, Report
from .defaults import default_examples
from .inputs import TABLE_CUT, Field, Table, placeholder, read_inputs
from .outputs import NORMALISERS, Media, Output, Scores
from .regions import Masks
from .shapes import ShapeError, describe
from .views import View, view

GENERIC_KEYS = ("example_title", "group", "output", "parameters")
MAX_EXAMPLES = 1000
MAX_OVERLAYS = 50  # examples whose masks are drawn over their image (about a second each)


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
    replay: Asset | None = None  # the task's replay video (Task.replay), when the repo has it

    @property
    def files(self) -> tuple[tuple[str, bytes], ...]:
        """Files the examples made for the site (masks drawn over images)."""
        return tuple(f for e in self.examples for f in e.view.files)

    @property
    def with_output(self) -> int:
        return sum(1 for e in self.examples if e.output is not None)


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
        except ShapeError as exc:
            _report(report, card, ERROR, exc.key, exc.message + "; example not shown")
            continue
        examples.append(example)
        drawn += example.view.overlay is not None
        undrawn += drawn >= MAX_OVERLAYS and example.view.overlay is None and isinstance(example.output, Masks) \
            and bool(example.output.items)
    if undrawn:
        _report(report, card, WARNING, "widget", f"masks are drawn over the image of the first {MAX_OVERLAYS} "
                f"examples only; {undrawn} more show their list of masks")
    for key, message in resolver.notes:  # remote media the page can only link, or not draw on
        _report(report, card, WARNING, key, message)
    return Widget(task, tuple(examples), _groups(examples), "", off, parameters,
                  len(items) - len(examples), _replay(task, resolver, card, report))


def _replay(task: Task, resolver: Resolver, card: Card, report: Report) -> Asset | None:
    """The task's replay video when the repo has it (reinforcement learning's replay.mp4, as the Hub)."""
    if not task.replay or task.replay not in resolver.files:
        return None
    try:
        return resolver.resolve(task.replay, "video")
    except AssetError as exc:
        report.warning(f"{task.replay} is not shown: {exc}", card.path, 1)
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
    """One example; raises ShapeError when it cannot be shown."""
    if isinstance(item, str):
        item = {"text": item}
    if not isinstance(item, dict):
        raise ShapeError(key, f"expected an example mapping (text, src, output, ...), got {describe(item)}")
    allowed = _allowed(item, key, task, card, report)
    fields = read_inputs(item, key, task, resolver, allowed)
    for f in fields:
        if isinstance(f.value, Table) and f.value.cut:
            _report(report, card, WARNING, f"{key}.{f.name}", TABLE_CUT.format(f.value.cut))
    output, media, lost = _stored(item, key, task, card, resolver, report)
    raw_output, shown = "", View()
    if output is not None:
        raw_output = json.dumps(item["output"], indent=2, ensure_ascii=False)
        shown = view(number, {f.name: f.value for f in fields}, output, f"{key}.output", resolver, draw)
        sentences = item.get("sentences")
        if isinstance(output, Scores) and isinstance(sentences, list) and len(output.values) != len(sentences):
            raise ShapeError(f"{key}.output", f"expected {len(sentences)} scores, one per sentence, "
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


def _allowed(item: dict[str, Any], key: str, task: Task, card: Card, report: Report) -> set[str]:
    """The keys the task reads; note the others, and raise ShapeError when a needed input is missing."""
    allowed = set(task.inputs) | set(task.optional) | set(GENERIC_KEYS)
    for name in item:
        if name not in allowed and not widget_near_miss(name):  # a near miss: the key check's "did you mean"
            _report(report, card, INFO, f"{key}.{name}",
                    f"key is not read by the {task.tag} widget; ignored")
    missing = [name for name in task.inputs if item.get(name) in (None, "")]
    if task.one_of and not any(name in item for name in task.one_of):
        missing = [task.one_of[0]]
    if missing:
        raise ShapeError(key, f"missing {', '.join(missing)}; {_a(task.tag)} {task.tag} example needs "
                              f"{', '.join(task.inputs) or ' or '.join(task.one_of)}")
    return allowed


def _stored(item: dict[str, Any], key: str, task: Task, card: Card, resolver: Resolver,
            report: Report) -> tuple[Output | None, tuple[tuple[str, Asset], ...], str]:
    """The example's output and its media, and why a stored output file could not be shown."""
    if item.get("output") is None:
        return None, (), ""
    try:
        output, media = _output(item["output"], f"{key}.output", task, resolver)
    except ShapeError as exc:
        if not exc.missing:
            raise
        _report(report, card, ERROR, exc.key, exc.message + "; the example is shown without its output")
        return None, (), exc.message
    if output.kind == "json":
        _report(report, card, WARNING, f"{key}.output", f"no output shape is known for {task.tag}; "
                "the page shows it as plain data")
    return output, media, ""


def _a(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _output(value: Any, key: str, task: Task, resolver: Resolver) -> tuple[Output, tuple[tuple[str, Asset], ...]]:
    try:
        output = NORMALISERS[task.output](value, key)
    except ShapeError as exc:
        raise ShapeError(exc.key, f"{exc.message} ({_a(task.tag)} {task.tag} output)") from None
    media: list[tuple[str, Asset]] = []
    if isinstance(output, Media):
        for i, item in enumerate(output.items):
            k = f"{key}.url" if len(output.items) == 1 else f"{key}[{i}].url"
            try:
                media.append((item.label, resolver.resolve(item.src, task.output_media, k)))
            except PointerError as exc:
                media.append((item.label, placeholder(exc, k, resolver)))
            except AssetError as exc:
                raise ShapeError(k, str(exc), missing=True) from None
    return output, tuple(media)
