"""Example inputs: each `widget:` field read into its type (text, table, labels, messages, media)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..assets import Asset, AssetError, PointerError, Resolver
from ..hub.tasks import Task
from .shapes import ShapeError, describe

INPUT_ORDER = ("messages", "src", "prompt", "text", "context", "table", "structured_data",
               "candidate_labels", "multi_class", "source_sentence", "sentences")
# A table is padded to a rectangle, so a few long columns among many short ones would make
# millions of empty cells from a few kilobytes; past these it is cut (real cards: 2 × 3).
MAX_TABLE_COLUMNS = 100
MAX_TABLE_ROWS = 1000
MAX_TABLE_CELLS = 10_000  # rows × columns after padding
TABLE_CUT = (f"a table shows at most {MAX_TABLE_COLUMNS} columns, {MAX_TABLE_ROWS:,} rows and "
             f"{MAX_TABLE_CELLS:,} cells (after padding its columns to the longest): {{}} are left out")


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


def read_inputs(item: dict[str, Any], key: str, task: Task, resolver: Resolver,
                allowed: set[str]) -> list[Field]:
    """The example's inputs the task reads, in display order; raises ShapeError for a bad one."""
    return [Field(name, read_input(name, item[name], f"{key}.{name}", task, resolver))
            for name in INPUT_ORDER if name in item and name in allowed and item[name] is not None]


def read_input(name: str, value: Any, key: str, task: Task, resolver: Resolver) -> Any:
    if name == "src":
        try:
            return resolver.resolve(_text(value, key), task.media, key)
        except PointerError as exc:
            return placeholder(exc, key, resolver)
        except AssetError as exc:
            raise ShapeError(key, str(exc)) from None
    if name in ("table", "structured_data"):
        return _table(value, key)
    if name == "candidate_labels":
        if isinstance(value, list):
            return tuple(_text(v, f"{key}[{i}]") for i, v in enumerate(value))
        return tuple(s.strip() for s in _text(value, key).split(",") if s.strip())
    if name == "sentences":
        if not isinstance(value, list) or not value:
            raise ShapeError(key, f"expected a list of sentences, got {describe(value)}")
        return tuple(_text(v, f"{key}[{i}]") for i, v in enumerate(value))
    if name == "multi_class":
        if not isinstance(value, bool):
            raise ShapeError(key, f"expected true or false, got {describe(value)}")
        return value
    if name == "messages":
        return _messages(value, key, resolver)
    return _text(value, key)


def _text(value: Any, key: str) -> str:
    if isinstance(value, (dict, list)) or isinstance(value, bool):
        raise ShapeError(key, f"expected text, got {describe(value)}")
    return str(value)


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
    raise ShapeError(key, f"expected a table: a mapping of column name to a list of cells, got {describe(value)}")


def _cut(width: int, height: int) -> tuple[int, int]:
    """The columns and rows of a table that are shown: at most MAX_TABLE_COLUMNS, MAX_TABLE_ROWS
    and MAX_TABLE_CELLS in all."""
    width = min(width, MAX_TABLE_COLUMNS)
    return width, min(height, MAX_TABLE_ROWS, MAX_TABLE_CELLS // max(width, 1))


def _cell(value: Any, key: str) -> str:
    if isinstance(value, (dict, list)):
        raise ShapeError(key, f"expected a cell value (text or number), got {describe(value)}")
    return "" if value is None else str(value)


def _messages(value: Any, key: str, resolver: Resolver) -> tuple[Message, ...]:
    if not isinstance(value, list) or not value:
        raise ShapeError(key, f"expected a list of {{role, content}} messages, got {describe(value)}")
    out = []
    for i, msg in enumerate(value):
        k = f"{key}[{i}]"
        if not isinstance(msg, dict) or "role" not in msg or "content" not in msg:
            raise ShapeError(k, f"expected {{role, content}}, got {describe(msg)}")
        content = msg["content"]
        if isinstance(content, list):
            parts = tuple(_part(p, f"{k}.content[{j}]", resolver) for j, p in enumerate(content))
        else:
            parts = (Part(text=_text(content, f"{k}.content")),)
        out.append(Message(_text(msg["role"], f"{k}.role"), parts))
    return tuple(out)


def _part(part: Any, key: str, resolver: Resolver) -> Part:
    if not isinstance(part, dict):
        raise ShapeError(key, f"expected {{type, text}} or {{type, image_url}}, got {describe(part)}")
    if part.get("type") == "image_url":
        url = part.get("image_url")
        url = url.get("url") if isinstance(url, dict) else url
        try:
            return Part(image=resolver.resolve(_text(url, f"{key}.image_url.url"), "image", f"{key}.image_url"))
        except PointerError as exc:
            return Part(image=placeholder(exc, f"{key}.image_url", resolver))
        except AssetError as exc:
            raise ShapeError(f"{key}.image_url", str(exc)) from None
    return Part(text=_text(part.get("text", ""), f"{key}.text"))


def placeholder(exc: PointerError, key: str, resolver: Resolver) -> Asset:
    """A Git LFS pointer where an example wants a medium: the example is shown with a
    placeholder naming the file, and a warning (the resolver's notes) says how to fetch it.
    A warning, not an error: nothing is lost that `git lfs pull` does not restore."""
    resolver.notes.append((key, f"{exc}; the page shows a placeholder in its place"))
    return exc.placeholder
