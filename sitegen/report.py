"""Diagnostics: every problem found while building, with where and why."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")

ERROR = "error"
WARNING = "warning"
INFO = "info"


@dataclass(frozen=True)
class Diagnostic:
    level: str
    message: str
    path: str = ""
    line: int | None = None
    key: str = ""

    def format(self) -> str:
        """Render as `path:line: level: key: message`."""
        where = self.path or "<input>"
        if self.line:
            where += f":{self.line}"
        key = f"{self.key}: " if self.key else ""
        return f"{where}: {self.level}: {key}{self.message}"

    def as_dict(self) -> dict[str, object]:
        return {"level": self.level, "path": self.path, "line": self.line,
                "key": self.key, "message": self.message}


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
        return sorted(self.items, key=lambda d: (d.path, d.line or 0, d.key, d.message))


class CardError(Exception):
    """A problem that stops one model from being built; carries its location."""

    def __init__(self, message: str, path: str = "", line: int | None = None, key: str = ""):
        super().__init__(message)
        self.diagnostic = Diagnostic(ERROR, message, path, line, key)
