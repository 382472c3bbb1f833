"""The settings file's keys: each one's check, with its line, and the "did you mean" hint."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .report import ERROR, Diagnostic
from .load.safeio import inside

LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".svg")


def check_base_url(value: str) -> str:
    """Return what is wrong with a base URL ('' when it is fine or empty)."""
    expected = f"expected an http(s) address like https://octocat.github.io/models/, got {value!r}"
    if not value:
        return ""
    try:
        parts = urlsplit(value)
    except ValueError:
        return expected
    if parts.scheme not in ("http", "https") or not parts.hostname or re.search(r"\s", value):
        return expected
    if parts.query or parts.fragment:
        return f"expected an address without ?query or #fragment, got {value!r}"
    return ""


# A host name: dot-separated labels of letters, digits and inner '-', at least two of them.
_DOMAIN = re.compile(r"(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
                     r"[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?", re.IGNORECASE)


def check_cname(value: str) -> str:
    """Return what is wrong with a custom domain ('' when it is fine or empty)."""
    if not value or _DOMAIN.fullmatch(value):
        return ""
    return f"expected a bare domain like models.example.com (no https://, no path), got {value!r}"


def check_hub_url(value: str) -> str:
    """Return what is wrong with a Hub address or a mirror's ('' when it is fine); the
    command line's `false` turns the links off and is fine too."""
    if value == "false":
        return ""
    problem = check_base_url(value)
    return problem.replace("https://octocat.github.io/models/", "https://huggingface.co") if problem else (
        "" if value else "expected an http(s) address like https://huggingface.co, or false")


def check_link_url(value: str) -> str:
    """Return what is wrong with a header link's url ('' when it is fine)."""
    expected = ("expected an http(s) address, a mailto: address or a path relative to the "
                f"site root, got {value!r}")
    try:
        parts = urlsplit(value)
    except ValueError:
        return expected
    if not value or re.search(r"[\s\\]", value):
        return expected
    if parts.scheme in ("http", "https"):
        return "" if parts.hostname else expected
    if parts.scheme == "mailto":
        return "" if parts.path else expected
    # Relative: no scheme, no //host; not /rooted, which breaks under /<repo>/ and on file://.
    return "" if not parts.scheme and not value.startswith("/") else expected


KEYS = ("title", "base_url", "source", "output", "theme", "logo", "links", "cname", "hub_url",
        "offline_media")
# What other site generators call these settings, for the "did you mean" hint.
ALIASES = {"name": "title", "site_name": "title", "url": "base_url", "site_url": "base_url",
           "baseurl": "base_url", "domain": "cname", "nav": "links", "menu": "links",
           "hub": "hub_url", "hf_endpoint": "hub_url", "endpoint": "hub_url", "offline": "offline_media"}


def suggest(key: str, known: tuple[str, ...], aliases: dict[str, str] | None = None) -> str:
    """Say `unknown key 'x'` with the closest known key, or the list of known keys."""
    import difflib  # here: only a settings file with an unknown key needs it
    close = (aliases or {}).get(key.lower()) or next(iter(difflib.get_close_matches(key, known, 1)), "")
    hint = f"did you mean {close!r}?" if close else f"expected one of {', '.join(known)}"
    return f"unknown key {key!r}; {hint}"


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict, str)):
        return "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else "a string"
    return "a number"


class Checker:
    """Checks the parsed file key by key, collecting every problem with its line."""

    def __init__(self, shown: str, folder: Path, lines: dict[str, int]):
        self.shown = shown
        self.folder = folder
        self.lines = lines
        self.problems: list[Diagnostic] = []

    def error(self, key: str, message: str, at: str = "") -> None:
        """Add a problem with key path `key`, on the line of key path `at` (default: key)."""
        line = self.lines.get(at or key) or 1
        self.problems.append(Diagnostic(ERROR, message, self.shown, line, key))

    def check(self, data: Any) -> dict[str, Any]:
        if data is None:  # an empty file: every setting keeps its default
            return {}
        if not isinstance(data, dict):
            self.error("", f"expected a mapping of settings like 'title: Models', got {_kind(data)}")
            return {}
        table: dict[str, Callable[[str, Any], Any]] = {
            "title": self.string, "base_url": self.base_url, "source": self.path,
            "output": self.path, "theme": self.path, "logo": self.logo, "links": self.links,
            "cname": self.cname, "hub_url": self.hub_url, "offline_media": self.flag}
        settings = {}
        for key, value in data.items():
            if key not in table:
                self.error("", suggest(key, KEYS, ALIASES), at=key)
                continue
            checked = table[key](key, value)
            if checked is not None:
                settings[key] = checked
        return settings

    def string(self, key: str, value: Any) -> str | None:
        if not isinstance(value, str):
            quote = "; put it in quotes" if _kind(value) == "a number" else ""
            self.error(key, f"expected a string, got {_kind(value)}{quote}")
            return None
        if not value.strip():
            self.error(key, "expected a non-empty string")
            return None
        return value

    def checked(self, key: str, value: Any, check: Callable[[str], str]) -> str | None:
        if not isinstance(value, str):
            self.error(key, f"expected a string, got {_kind(value)}")
            return None
        problem = check(value)
        if problem:
            self.error(key, problem)
            return None
        return value

    def base_url(self, key: str, value: Any) -> str | None:
        return self.checked(key, value, check_base_url)

    def cname(self, key: str, value: Any) -> str | None:
        return self.checked(key, value, check_cname)

    def hub_url(self, key: str, value: Any) -> str | None:
        if value is False:  # an air-gapped site: ids outside the catalog stay plain text
            return ""
        if isinstance(value, str) and not value:
            self.error(key, "expected an http(s) address like https://huggingface.co, or false")
            return None
        return self.checked(key, value, check_hub_url)

    def flag(self, key: str, value: Any) -> bool | None:
        if not isinstance(value, bool):
            self.error(key, f"expected true or false, got {_kind(value)}")
            return None
        return value

    def path(self, key: str, value: Any) -> Path | None:
        text = self.string(key, value)
        return None if text is None else self.folder / Path(text).expanduser()

    def logo(self, key: str, value: Any) -> Path | None:
        path = self.path(key, value)
        if path is None:
            return None
        if path.suffix.lower() not in LOGO_SUFFIXES:
            self.error(key, f"expected a {', '.join(LOGO_SUFFIXES[:-1])} or {LOGO_SUFFIXES[-1]} image, "
                            f"got {value!r}")
        elif not path.is_file():
            self.error(key, f"no such file {value!r} (paths are relative to {self.shown})")
        elif not inside(path, self.folder):  # it is published: never a file from elsewhere
            self.error(key, f"{value!r} leads outside the folder of {self.shown} (through .. or a "
                            "symlink); expected an image in that folder")
        else:
            return path
        return None

    def theme(self, theme: Path, source: Path) -> None:
        """A theme is code: it must lie beside this file (no symlink or .. out of its folder),
        and outside the source tree, which the repos being built supply."""
        if not inside(theme, self.folder):
            self.error("theme", f"{theme} leads outside the folder of {self.shown} (through .. or a "
                                "symlink); a theme is code: keep it beside the settings file, or pass --theme DIR")
        elif inside(theme, source):
            self.error("theme", f"{theme} is inside the source folder {source}, so a repo being built "
                                "could supply it, and a theme is code; move it out, or pass --theme DIR "
                                "to use it anyway")

    def links(self, key: str, value: Any) -> tuple[tuple[str, str], ...] | None:
        if not isinstance(value, list):
            self.error(key, f"expected a list of {{text, url}} mappings, got {_kind(value)}")
            return None
        found = [self.link(f"{key}[{i}]", item) for i, item in enumerate(value)]
        return tuple(pair for pair in found if pair is not None)

    def link(self, key: str, item: Any) -> tuple[str, str] | None:
        if not isinstance(item, dict):
            self.error(key, f"expected a mapping with text and url, got {_kind(item)}")
            return None
        for name in item:
            if name not in ("text", "url"):
                self.error(key, suggest(name, ("text", "url"), {"href": "url", "title": "text"}),
                           at=f"{key}.{name}")
        for name in ("text", "url"):
            if name not in item:
                self.error(key, f"missing key {name!r}")
        text = self.string(f"{key}.text", item["text"]) if "text" in item else None
        url = self.checked(f"{key}.url", item["url"], check_link_url) if "url" in item else None
        return (text, url) if text is not None and url is not None else None
