"""Turn a YAML parser error into the author's words: the line of the slip and a plain hint."""
from __future__ import annotations

import re

# Each rule looks at a few source lines near the parser's marks, so the work is bounded by
# the length of those lines (the card size cap), never by the document.
_HEADING = re.compile(r"^#{1,6} \S")
_KEY_VALUE = re.compile(r"^(\s*(?:- )?)([^\s:#'\"\[\]{}][^:#]*?):(?:\s|$)")
_KEY_NO_SPACE = re.compile(r"^\s*(?:- )?([\w.-]+):(\S.*)$")
_BARE_WORD = re.compile(r"^\s*(?:- )?([\w.-]+)\s*$")
_WORD_SPACE_VALUE = re.compile(r"^\s*(?:- )?([\w.-]+)\s+(\S.*)$")


def explain(text: str, problem: str, context: str, mark: tuple[int, int] | None,
            context_mark: tuple[int, int] | None, front_matter: bool = False,
            first_line: int = 1) -> tuple[int, str] | None:
    """Return (line, hint) for a parser error, line 1-based in `text` (0: the front matter's
    opening '---'), or None when no rule knows the slip. Marks are 0-based (line, column)."""
    lines = text.split("\n")
    at = mark or context_mark
    if at is None:
        return None
    row, col = at
    crow = context_mark[0] if context_mark else row
    if front_matter and _is_prose(_line(lines, crow)):
        runaway = _runaway(lines, row)
        if runaway:
            return 0, (f"the front matter runs into the card text (line {runaway + first_line - 1} looks like a "
                       "Markdown heading): is its closing '---' missing? Add a line '---' after "
                       "the last key")
    for r in sorted({crow, row - 1, row}):
        if 0 <= r < len(lines) and "\t" in _indent_of(lines[r]):
            return r + 1, ("this line is indented with a tab; YAML allows only spaces for "
                           "indentation: replace the tab with spaces")
    if "quoted scalar" in context and context_mark and "end of stream" in problem:
        quote = _char(lines, context_mark)
        return crow + 1, (f"the quote {quote} opened here is never closed; end the value "
                          f"with {quote} on this line")
    if "flow sequence" in context or "flow mapping" in context:
        close, other = ("]", ", or write one '- item' per line") if "sequence" in context else ("}", "")
        return crow + 1, (f"the '{_char(lines, context_mark)}' opened here is never closed; end "
                          f"it with '{close}' on the same line{other}")
    if "alias" in context or problem.startswith("found character that cannot start any token"):
        first = _char(lines, context_mark if "alias" in context else mark)
        if first in ("@", "`", "%", "*", "&", "!", "|", ">"):
            return row + 1, (f"a plain value cannot start with '{first}' (YAML reserves it); "
                             "put the value in quotes")
    if problem.startswith("could not find expected ':'"):
        return crow + 1, _no_colon(_line(lines, crow))
    if problem.startswith("mapping values are not allowed"):
        return _mapping_values(lines, row, col)
    if problem.startswith("did not find expected key"):
        return _expected_key(lines, row, col)
    return None


def _runaway(lines: list[str], row: int) -> int:
    """The line (1-based) of a Markdown heading next to a blank line before the error, or 0."""
    for r in range(1, min(row, len(lines) - 1) + 1):
        blank_next = r + 1 < len(lines) and not lines[r + 1].strip()
        if _HEADING.match(lines[r]) and (not lines[r - 1].strip() or blank_next):
            return r + 1
    return 0


def _is_prose(line: str) -> bool:
    """A sentence of the card's text rather than a slip in a key line."""
    stripped = line.strip()
    return len(stripped.split()) >= 3 and not stripped.startswith("- ") and not _KEY_VALUE.match(line)


def _no_colon(line: str) -> str:
    stripped = line.strip()
    if stripped.startswith("-") and not stripped.startswith("- ") and stripped != "-":
        return f"a list item needs a space after the dash: write '- {stripped[1:].strip()}'"
    bare = _BARE_WORD.match(line)
    if bare:
        key = bare.group(1)
        return (f"'{key}' has no colon after it; write '{key}: <value>', or '{key}:' "
                "followed by an indented list")
    spaced = _WORD_SPACE_VALUE.match(line)
    if spaced:
        key, value = spaced.groups()
        return f"'{_clip(stripped)}' has no colon after the key; write '{key}: {_clip(value)}'"
    return "this line has no 'key: value' colon; write 'key: value'"


def _mapping_values(lines: list[str], row: int, col: int) -> tuple[int, str] | None:
    line = _line(lines, row)
    first = _KEY_VALUE.match(line)
    if first and col > first.end() - 1:  # a second ': ' inside a value
        key = first.group(2).strip()
        value = line[first.end():].strip()
        return row + 1, (f"the value of '{key}' contains ': '; put the value in quotes: "
                         f"{key}: \"{_clip(value)}\"")
    prev = _previous(lines, row)
    if prev is not None:
        before = lines[prev]
        glued = _KEY_NO_SPACE.match(before)
        if glued and not glued.group(2).startswith("//"):
            key, value = glued.groups()
            return prev + 1, f"a colon needs a space after it: write '{key}: {_clip(value)}'"
        if ":" not in before and not before.lstrip().startswith(("- ", "#")):
            return prev + 1, _no_colon(before)
        if len(_indent_of(line)) > len(_indent_of(before)) and before.rstrip()[-1:] != ":":
            key = first.group(2).strip() if first else line.strip()
            return row + 1, (f"'{_clip(key)}' is indented deeper than the line before, whose "
                             "value is already given; indent the keys of one mapping equally")
    return None


def _expected_key(lines: list[str], row: int, col: int) -> tuple[int, str] | None:
    line = _line(lines, row)
    stripped = line.lstrip()
    if stripped.startswith("- ") or stripped == "-":
        return row + 1, ("this list item is indented differently from the items above it; "
                         "start every '- ' of one list at the same column")
    first = _KEY_VALUE.match(line)
    if first and col > first.end():
        value = line[first.end():].strip()
        quote = value[:1]
        if quote == "'" and "'" in value[1:-1]:
            return row + 1, ("a value in single quotes cannot hold a plain ' : write it twice "
                             "('it''s') or put the value in double quotes")
        if quote == '"':
            return row + 1, ("text follows the closing quote of the value; put the whole value "
                             "in quotes, and write a \" inside it as \\\"")
        if quote == "'":
            return row + 1, "text follows the closing quote of the value; put the whole value in quotes"
    if len(_indent_of(line)) > 0:
        return row + 1, ("this line's indentation matches none of the keys above it; line it "
                         "up with the key it belongs with")
    return None


def _previous(lines: list[str], row: int) -> int | None:
    for r in range(row - 1, max(row - 50, -1), -1):
        if lines[r].strip() and not lines[r].lstrip().startswith("#"):
            return r
    return None


def _line(lines: list[str], row: int) -> str:
    return lines[row] if 0 <= row < len(lines) else ""


def _char(lines: list[str], mark: tuple[int, int] | None) -> str:
    if mark is None:
        return "?"
    return _line(lines, mark[0])[mark[1]:mark[1] + 1] or "?"


def _indent_of(line: str) -> str:
    return line[:len(line) - len(line.lstrip(" \t"))]


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"
