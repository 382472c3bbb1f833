"""Strict JSON: parse repo JSON files with located errors (no NaN, no duplicate keys, bounded depth)."""
from __future__ import annotations

import json
import re
from typing import Any

from ..report import CardError

MAX_JSON_DEPTH = 64


def load_json(text: str, shown: str) -> Any:
    """Parse strict JSON: no NaN or Infinity, no duplicate keys, at most MAX_JSON_DEPTH levels;
    raise CardError with the line of the problem."""
    deep = _too_deep(text)
    if deep is not None:
        raise CardError(f"invalid JSON: nested more than {MAX_JSON_DEPTH} levels deep", shown,
                        text.count("\n", 0, deep) + 1)
    try:
        return json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_unique)
    except json.JSONDecodeError as exc:
        raise CardError(f"invalid JSON: {exc.msg} (column {exc.colno})", shown, exc.lineno) from None
    except _DuplicateKey as exc:
        raise CardError(f"invalid JSON: duplicate key {exc.key!r}", shown, _line_of_key(text, exc.key)) from None
    except _Constant as exc:
        raise CardError(f"invalid JSON: {exc.name} is not a JSON number", shown,
                        _line_of_key(text, exc.name.lstrip("-"))) from None
    except ValueError as exc:  # a number too long to read
        long = re.search(r"[0-9]{4000,}", text)
        raise CardError(f"invalid JSON: {str(exc).split(':')[0]}", shown,
                        text.count("\n", 0, long.start()) + 1 if long else None) from None
    except RecursionError:  # MAX_JSON_DEPTH is checked first: only on a small stack
        raise CardError("invalid JSON: nested too deeply", shown) from None


class _Constant(ValueError):
    def __init__(self, name: str):
        super().__init__(f"{name} is not valid JSON")
        self.name = name


class _DuplicateKey(ValueError):
    def __init__(self, key: str):
        super().__init__(f"duplicate key {key!r}")
        self.key = key


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json keeps the last of two equal keys without a word; a reader would see the first.
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


# Strings (skipped whole, so brackets inside them do not count; an unclosed one runs to the
# end, so no text is scanned twice), brackets, and the colon after a key.
_JSON_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[{\]}]|\s*:|NaN|-?Infinity', re.DOTALL)


def _too_deep(text: str) -> int | None:
    """The offset where JSON text opens its (MAX_JSON_DEPTH + 1)th level, or None. Checked
    before parsing: the parser itself recurses and fails without a line."""
    depth = 0
    for m in _JSON_TOKENS.finditer(text):
        c = m.group()[0]
        if c in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return m.start()
        elif c in "]}":
            depth -= 1
    return None


def _line_of_key(text: str, key: str) -> int | None:
    """The line where valid JSON text repeats `key` inside one object (or, for the key
    "NaN" or "Infinity", where it uses that constant)."""
    objects: list[set[str] | None] = []
    last = None  # the string just read, and where
    for m in _JSON_TOKENS.finditer(text):
        token = m.group()
        if token in "[{":
            objects.append(set() if token == "{" else None)
        elif token in "]}":
            objects.pop()
        elif token.lstrip("-") in ("NaN", "Infinity") and token.lstrip("-") == key:  # a constant
            return text.count("\n", 0, m.start()) + 1
        elif token.lstrip() == ":" and last is not None and objects and objects[-1] is not None:
            name = json.loads(last[0])
            if name == key and name in objects[-1]:
                return text.count("\n", 0, last[1]) + 1
            objects[-1].add(name)
        last = (token, m.start()) if token.startswith('"') else None
    return None


def parse_json(text: str) -> dict[str, Any] | None:
    """Parse a JSON object, or None for anything else (broken side files are ignored)."""
    if _too_deep(text) is not None:
        return None
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _reject_constant(name: str) -> Any:
    raise _Constant(name)
