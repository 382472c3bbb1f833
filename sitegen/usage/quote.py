"""Untrusted values as Python and shell literals, and where the code finds the model (hub_url)."""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import Any

HUB = "https://huggingface.co"
LOCAL_ROOT = "./models"  # the air-gapped form: a copy of each repo's files under this folder
MAX_TEXT = 1000  # characters of one example input a snippet quotes
MAX_PART = 300  # characters of one item of a list input (a sentence, a label, a message part)
MAX_CELL = 100  # characters of one table cell
MAX_ITEMS = 10  # list items (sentences, labels, messages, message parts, table rows and columns)
_SHELL_SAFE = re.compile(r"[A-Za-z0-9_./:@+=-]+")


def py(value: Any) -> str:
    """A Python literal for a str, bool, number, list or dict of them: double-quoted strings
    where every quote, backslash and unprintable character (newlines, bidi controls,
    surrogates) is escaped, so no value can end the string or change how the code reads."""
    if isinstance(value, str):
        return '"' + "".join(_char(c) for c in value) + '"'
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(py(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py(str(k))}: {py(v)}" for k, v in value.items()) + "}"
    return py(str(value))


def _char(c: str) -> str:
    if c in '"\\':
        return "\\" + c
    if c.isprintable():
        return c
    code = ord(c)
    if code < 0x100:
        return {"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(c, f"\\x{code:02x}")
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def sh(value: str) -> str:
    """One shell word; "" when the value holds a character a terminal could act on."""
    if not value or not value.isprintable():
        return ""
    return value if _SHELL_SAFE.fullmatch(value) else shlex.quote(value)


def clip(text: str, limit: int = MAX_TEXT) -> str:
    """An example's text, at most `limit` characters (a long one ends in "…")."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


@dataclass(frozen=True)
class Code:
    """One snippet, before highlighting."""

    label: str
    lang: str  # "python" or "bash"
    lines: tuple[str, ...]
    note: str = ""  # plain text shown under the code


@dataclass(frozen=True)
class Where:
    """How code names a repo, from the `hub_url` setting: the Hub id (the Hub, or a mirror set as
    HF_ENDPOINT), or a folder holding a copy of its files (hub_url "": an air-gapped catalog)."""

    hub_url: str = HUB

    @property
    def local(self) -> bool:
        return not self.hub_url

    @property
    def mirror(self) -> str:
        """The endpoint to set, or "" for the Hub itself and for the air-gapped form."""
        url = self.hub_url.rstrip("/")
        return url if url and url != HUB else ""

    def name(self, repo_id: str) -> str:
        """What from_pretrained and friends get: the id, or its local folder."""
        return f"{LOCAL_ROOT}/{repo_id}" if self.local else repo_id

    def file_url(self, repo_id: str, path: str) -> str:
        """A file of the repo: its download URL, or its path in the local copy."""
        if self.local:
            return f"{LOCAL_ROOT}/{repo_id}/{path}"
        return f"{self.hub_url.rstrip('/')}/{repo_id}/resolve/main/{path}"

    def python_head(self) -> list[str]:
        """Lines a Python snippet starts with."""
        if self.mirror:
            return ["import os", "", f"os.environ[\"HF_ENDPOINT\"] = {py(self.mirror)}  # the mirror this catalog uses", ""]
        if self.local:
            return [f"# {LOCAL_ROOT}/<owner>/<name>: a folder holding a copy of the model repo's files", ""]
        return []

    def shell_head(self) -> list[str]:
        """Lines a shell snippet starts with."""
        if self.mirror and sh(self.mirror):
            return [f"export HF_ENDPOINT={sh(self.mirror)}  # the mirror this catalog uses"]
        if self.local:
            return [f"# {LOCAL_ROOT}/<owner>/<name>: a folder holding a copy of the model repo's files"]
        return []
