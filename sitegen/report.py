"""Diagnostics: every problem found while building, with where and why."""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field

_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
# What a terminal or a CI log acts on rather than shows: C0 controls (escape sequences, a
# carriage return that overwrites a line, a line feed that makes a fake one), DEL, C1
# controls (0x9b starts an escape sequence too), line and paragraph separators, and the
# bidi controls that show text in another order than it is (CVE-2021-42574).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def visible(text: str) -> str:
    """Write what a terminal or a CI log would act on as visible text: control characters as
    escapes (`\\x1b`, `\\n`, `\\u202e`), and `##[` as `##\\[` (GitHub Actions reads the older
    form of its workflow commands, `##[error]...`, anywhere in a line)."""
    return _UNPRINTABLE.sub(_escape, text).replace("##[", "##\\[")


def _escape(m: re.Match[str]) -> str:
    c = m.group()
    return _NAMED.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")


def printable(line: str) -> str:
    """One line as it may be printed: control characters made visible, and `./` before a
    line that would start with `::`, which GitHub Actions reads as a workflow command
    (a repo folder called `::error::x` is shown as `./::error::x`)."""
    line = visible(line)
    return "./" + line if line.lstrip().startswith("::") else line


def json_line(value: object) -> str:
    """One line of JSON that is safe to print: json.dumps escapes C0 controls; DEL, C1, line
    separators, bidi controls and the `[` of `##[` are written as \\u escapes too (a JSON
    reader gets the same strings)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text).replace("##[", "##\\u005b")


ERROR = "error"
WARNING = "warning"
INFO = "info"
_WORST = (INFO, WARNING, ERROR)  # least to most severe
_NOUNS = {ERROR: "error", WARNING: "warning", INFO: "note"}
MAX_PER_FILE = 100  # diagnostics kept per file of a model; real cards reach 50
MAX_PER_MODEL = 1000  # and per model, over all its files (a repo may hold many eval files)


@dataclass(frozen=True)
class Diagnostic:
    level: str
    message: str
    path: str = ""
    line: int | None = None
    key: str = ""

    def format(self) -> str:
        """Render as `path:line: level: key: message`, a line that is safe to print."""
        where = self.path or "<input>"
        if self.line:
            where += f":{self.line}"
        key = f"{self.key}: " if self.key else ""
        return printable(f"{where}: {self.level}: {key}{self.message}")

    def annotation(self) -> str:
        """Render as a GitHub Actions workflow command (`::error file=F,line=L,title=T::M`),
        which shows the problem on the file and line in a pull request."""
        command = {ERROR: "error", WARNING: "warning"}.get(self.level, "notice")
        props = [f"file={_property(self.path)}"] if self.path else []
        if self.line:
            props.append(f"line={self.line}")
        props.append(f"title={_property(self.key or 'sitegen')}")
        return f"::{command} {','.join(props)}::{_data(self.message)}"

    def as_dict(self) -> dict[str, object]:
        return {"level": self.level, "path": self.path, "line": self.line,
                "key": self.key, "message": self.message}


def _data(text: str) -> str:
    """Escape a workflow command's message as the runner unescapes it (actions/toolkit's
    escapeData): a CR or LF stays in the message instead of starting a line of its own."""
    return visible(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _property(text: str) -> str:
    """Escape a workflow command's property value (escapeProperty): `:` and `,` too, so a value
    can neither end the properties nor add one."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass
class Report:
    """Collects diagnostics; the one mutable value a build passes along."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, level: str, message: str, path: str = "", line: int | None = None,
            key: str = "") -> None:
        self.items.append(Diagnostic(level, message, path, line, key))

    def error(self, message: str, path: str = "", line: int | None = None, key: str = "") -> None:
        self.add(ERROR, message, path, line, key)

    def warning(self, message: str, path: str = "", line: int | None = None, key: str = "") -> None:
        self.add(WARNING, message, path, line, key)

    def extend(self, other: "Report") -> None:
        self.items.extend(other.items)

    def count(self, level: str) -> int:
        return sum(1 for d in self.items if d.level == level)

    @property
    def errors(self) -> int:
        return self.count(ERROR)

    @property
    def warnings(self) -> int:
        return self.count(WARNING)

    def by_message_kind(self) -> Counter[str]:
        """Count diagnostics by level and the message with quoted values removed."""
        kinds: Counter[str] = Counter()
        for d in self.items:
            head = _QUOTED.sub("…", d.message).split(", got")[0].split("; ")[0]
            first = head.split(": ")[0]
            head = head if "…" in first else first  # "invalid YAML: <detail>" -> "invalid YAML"
            kinds[f"{d.level}: {head}"] += 1
        return kinds

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=_order)


def _order(d: Diagnostic) -> tuple[str, int, str, str]:
    return (d.path, d.line or 0, d.key, d.message)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _more(dropped: list[Diagnostic], where: str) -> Diagnostic:
    """One diagnostic for those left out, at the first of them and as severe as the worst,
    so that an error among them still fails the build."""
    counts = Counter(d.level for d in dropped)
    levels = sorted(counts, key=lambda level: _WORST.index(level) if level in _WORST else -1, reverse=True)
    parts = ", ".join(_count(counts[level], _NOUNS.get(level, level)) for level in levels)
    first = dropped[0]
    return Diagnostic(levels[0], f"… and {_count(len(dropped), 'more problem')} {where} ({parts})",
                      first.path, first.line)


def capped(items: list[Diagnostic], per_file: int = MAX_PER_FILE,
           per_model: int = MAX_PER_MODEL) -> list[Diagnostic]:
    """One model's diagnostics in line order, at most `per_file` of each file and, file by
    file, about `per_model` in all; each cut is summed up in one "… and N more" diagnostic:
    a card with 200,000 bad values must not fill the build's memory or the terminal."""
    by_path: dict[str, list[Diagnostic]] = {}
    for d in sorted(items, key=_order):
        by_path.setdefault(d.path, []).append(d)
    out: list[Diagnostic] = []
    rest: list[Diagnostic] = []  # of the files past the per-model budget
    for found in by_path.values():
        if len(out) >= per_model:
            rest += found
            continue
        if len(found) <= per_file + 1:  # one summed up in one saves nothing
            out += found
        else:
            out += found[:per_file] + [_more(found[per_file:], "in this file")]
    if rest:
        files = len({d.path for d in rest})
        out.append(_more(rest, f"in {files:,} more file{'' if files == 1 else 's'}"))
    return out


class CardError(Exception):
    """A problem that stops one model from being built; carries its location."""

    def __init__(self, message: str, path: str = "", line: int | None = None, key: str = ""):
        super().__init__(message)
        self.diagnostic = Diagnostic(ERROR, message, path, line, key)
