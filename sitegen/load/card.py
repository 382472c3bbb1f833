"""Read a README.md model card: front matter the way the Hub splits it, body, line numbers."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .safeio import open_file
from ..report import CardError, Report

MAX_README_BYTES = 5 * 1024 * 1024
MAX_FRONT_MATTER = 2 * 1024 * 1024  # characters; the largest real model-index blocks are ~500 KB

# The Hub's own front-matter pattern (huggingface_hub repocard.py, REGEX_YAML_BLOCK).
_BLOCK = re.compile(r"^(\s*---(?:\r\n|\r|\n))([\S\s]*?)((?:\r\n|\r|\n)---[ \t]*(\r\n|\n|$))")
_EMPTY_BLOCK = re.compile(r"^(\s*---(?:\r\n|\n))---[ \t]*(\r\n|\n|$)")
_NEWLINES = re.compile(r"\r+\n?")
_BYTE_NEWLINES = re.compile(rb"\r+\n?|\n")
_SPACED_OPENING = re.compile(r"^\s*(---)[ \t]+\n")
_OPENING = re.compile(r"^\s*---[ \t]*(\r\n|\r|\n|$)")


@dataclass(frozen=True)
class Card:
    """A parsed model card: metadata, markdown body and where each key sits in README.md."""

    path: str
    metadata: dict[str, Any]
    body: str
    body_line: int = 1  # README line on which the body starts
    lines: dict[str, int] = field(default_factory=dict)
    has_front_matter: bool = True

    def locate(self, key: str) -> int | None:
        """Return the README line of a key path like `widget[1].output`, or of its nearest parent."""
        while key:
            if key in self.lines:
                return self.lines[key]
            cut = max(key.rfind("."), key.rfind("["))
            key = key[:cut] if cut > 0 else ""
        return None


def read_text(path: Path, shown: str, limit: int) -> str:
    """Read a UTF-8 file (BOM allowed) under a size cap, or raise CardError with the line."""
    try:
        with open_file(path) as fh:  # never a FIFO or a device put in the file's place
            data = fh.read(limit + 1)
            size = max(len(data), os.fstat(fh.fileno()).st_size)
    except OSError as exc:
        raise CardError(f"cannot read: {exc.strerror or exc}", shown) from None
    if size > limit:
        raise CardError(f"file is {size:,} bytes, more than the {limit:,} allowed", shown)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise CardError("file is UTF-16, expected UTF-8", shown, 1)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = len(_BYTE_NEWLINES.findall(data, 0, exc.start)) + 1
        raise CardError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x}), expected UTF-8 text",
                        shown, line) from None


def parse_card(text: str, shown: str, report: Report) -> Card:
    """Split front matter from body and load the metadata; raise CardError when unusable."""
    # CRLF, CR-only and the doubled CR of some mirrors all become one newline per line.
    text = _NEWLINES.sub("\n", text)
    match = _BLOCK.match(text)
    if not match:
        empty = _EMPTY_BLOCK.match(text)
        if empty:
            return Card(shown, {}, text[empty.end():], _line_at(text, empty.end()))
        spaced = _SPACED_OPENING.match(text)
        if spaced:
            raise CardError("the opening '---' line has trailing spaces; the Hub reads front "
                            "matter only when the first line is exactly '---'",
                            shown, _line_at(text, spaced.start(1)))
        if _OPENING.match(text):
            opening = _line_at(text, text.index("-"))
            raise CardError("front matter is never closed, expected a line '---' after the YAML "
                            "(without it the Hub reads no metadata at all)",
                            shown, opening)
        report.warning("no YAML front matter: the card has no metadata (task, license, widget)",
                       shown, 1)
        return Card(shown, {}, text, 1, has_front_matter=False)
    yaml_start = _line_at(text, match.start(2))
    if len(match.group(2)) > MAX_FRONT_MATTER:
        raise CardError(f"front matter is {len(match.group(2)):,} characters, more than the "
                        f"{MAX_FRONT_MATTER:,} allowed", shown, yaml_start)
    from . import yamlstrict  # here: a rebuild that reads no card never loads PyYAML
    try:
        metadata, lines, notes = yamlstrict.load(match.group(2), yaml_start, front_matter=True)
    except yamlstrict.YamlError as exc:
        line = yaml_start + exc.line - 1 if exc.line is not None else yaml_start
        raise CardError(exc.message, shown, line, exc.key) from None
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise CardError(f"front matter must be a mapping of keys, got a {_kind(metadata)}",
                        shown, yaml_start)
    lines = {k: v + yaml_start - 1 for k, v in lines.items()}
    for note in notes:
        report.warning(note.message, shown, yaml_start + (note.line or 1) - 1, note.key)
    return Card(shown, metadata, text[match.end():], _line_at(text, match.end()), lines)


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _kind(value: Any) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}.get(
        type(value), type(value).__name__)
