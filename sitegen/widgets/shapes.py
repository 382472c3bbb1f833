"""Reading card values: the one error for a value of the wrong shape, and the shared checks."""
from __future__ import annotations

import math
from typing import Any


class ShapeError(Exception):
    """A value in the card has the wrong shape, at `key`: its example is not shown.

    With `missing`, the value names a file that cannot be shown: the example stays, without it.
    """

    def __init__(self, key: str, message: str, missing: bool = False):
        super().__init__(message)
        self.key, self.message, self.missing = key, message, missing


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
    if isinstance(value, int) and abs(value) >= 10 ** 40:  # YAML reads up to 4,300 digits
        return f"a {len(str(abs(value)))}-digit integer"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def number(value: Any, key: str) -> float:
    """A finite number as written in the card (not a bool, not text, not past a float's range)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ShapeError(key, f"expected a number, got {describe(value)}")
    try:
        found = float(value)
    except OverflowError:
        raise ShapeError(key, f"expected a number, got {describe(value)}") from None
    if not math.isfinite(found):
        raise ShapeError(key, f"expected a finite number, got {describe(value)}")
    return found


def string(value: Any, key: str) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        raise ShapeError(key, f"expected a string, got {describe(value)}")
    return str(value)


def offset(value: Any, key: str) -> int | None:
    """A character offset into a text (None when absent)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ShapeError(key, f"expected a character offset (a whole number), got {describe(value)}")
    return value


def mapping(value: Any, key: str, shape: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ShapeError(key, f"expected {shape}, got {describe(value)}")
    return value


def nonempty_list(value: Any, key: str, shape: str) -> list[Any]:
    if not isinstance(value, list):
        raise ShapeError(key, f"expected {shape}, got {describe(value)}")
    if not value:
        raise ShapeError(key, f"expected {shape}, got an empty list")
    return value


def one_or_many(value: Any, key: str, shape: str, many: str, required: str) -> list[tuple[str, dict[str, Any]]]:
    """Accept one mapping or a list of them, each holding `required`; keep their key paths."""
    entries = [(key, value)] if isinstance(value, dict) else [
        (f"{key}[{i}]", v) for i, v in enumerate(nonempty_list(value, key, f"{shape} or {many}"))]
    out = []
    for k, entry in entries:
        entry = mapping(entry, k, shape)
        if required not in entry:
            raise ShapeError(k, f"expected {shape}, got {describe(entry)}")
        out.append((k, entry))
    return out
