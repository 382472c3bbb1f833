"""Build settings: the `sitegen.yaml` file, checked with lines, and the command line over it."""
from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .report import ERROR, WARNING, Diagnostic
from .load.safeio import inside

CONFIG_FILE = "sitegen.yaml"
MAX_CONFIG_BYTES = 1024 * 1024
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".svg")


@dataclass(frozen=True)
class Config:
    source: Path = Path(".")
    output: Path = Path("_site")
    theme: Path | None = None
    title: str = "Models"
    base_url: str = ""
    strict: bool = False
    show_checks: bool = False  # show each card's diagnostics on its page (for preview)
    jobs: int = 1  # worker processes building models (the command line uses every core)
    cache: bool = True  # reuse what the last build into the same output made of unchanged repos
    model_seconds: float = 30.0  # one model may take this long to build, else it is skipped
    model_memory: int = 1 << 30  # bytes of address space a worker may add to its parent's
    logo: Path | None = None  # the site owner's image, shown in the header
    links: tuple[tuple[str, str], ...] = ()  # (text, url) pairs shown in the header
    cname: str = ""  # a custom domain, written to the site as CNAME
    source_date_epoch: int | None = None  # no page is dated later (SOURCE_DATE_EPOCH)


class ConfigError(ValueError):
    """Every problem found in a config file, each a `file:line: error: ...` diagnostic."""

    def __init__(self, problems: list[Diagnostic]):
        self.problems = tuple(sorted(problems, key=lambda d: d.line or 0))
        super().__init__("\n".join(d.format() for d in self.problems))


def find_config(given: Path | None, folder: Path = Path(".")) -> Path | None:
    """Return the config file to read: the one given, else `sitegen.yaml` in folder if present."""
    if given is not None:
        return given
    default = folder / CONFIG_FILE
    return default if default.is_file() else None


def choose_config(given: Path | None, source: Path | None,
                  folder: Path = Path(".")) -> tuple[Path | None, Diagnostic | None]:
    """Return the config file to read, and the warning when folder's `sitegen.yaml` is left
    unread. A file named on the command line is always read; the one found by default only
    when it lies outside the source tree (the source given, else the one the file sets, else
    the current folder): a file inside it came with the repos being built, not from the user;
    and only when a source given lies in the file's folder (see load_config's `found`)."""
    path = find_config(given, folder)
    if given is not None or path is None:
        return path, None
    if source is not None and not inside(source, path.parent):
        # The folder one stands in (a clone) must not dress another of one's catalogs in its
        # theme, logo, links and CNAME: a file found by default is read for folders beside it.
        return None, Diagnostic(WARNING, f"ignored: the source {source} is not in this file's folder, and a "
                                         "settings file found by default is read only for the folders beside "
                                         f"it; pass --config {path} to use it", str(path))
    tree = source if source is not None else _source_of(path)
    if tree is None or not inside(path, tree):
        return path, None
    return None, Diagnostic(WARNING, "ignored: it is inside the source folder, so it belongs to the repos "
                                     f"being built, not to you; pass --config {path} to use it", str(path))


def _source_of(path: Path) -> Path | None:
    """The source folder a config file sets (the current folder if none); None if it cannot be
    told (the file is unreadable or broken: then it is read, and its errors stop the command)."""
    from .load import yamlstrict
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            return None
        data, _, _ = yamlstrict.load(path.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, yamlstrict.YamlError):
        return None
    source = data.get("source", ".") if isinstance(data, dict) else "." if data is None else None
    return path.parent / Path(source).expanduser() if isinstance(source, str) and source.strip() else None


def merge(settings: dict[str, Any], flags: dict[str, Any]) -> Config:
    """Make a Config from file settings with the flags that were given (not None) over them."""
    names = {f.name for f in fields(Config)}
    given = {k: v for k, v in flags.items() if v is not None and k in names}
    return Config(**{**settings, **given})


def load_config(path: Path, source: Path | None = None, theme_flag: bool = False,
                found: bool = False) -> dict[str, Any]:
    """Read and check a config file; return Config keyword arguments or raise ConfigError.
    `source`: the source folder given on the command line, if any; `theme_flag`: a theme was
    given there too (so the file's theme, unused, is not checked against the source); `found`:
    the file was found by default, not named, so its output must lie beside it."""
    from .load import yamlstrict  # here: a build without a config file never loads PyYAML
    shown = str(path)
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            raise ConfigError([Diagnostic(ERROR, f"larger than {MAX_CONFIG_BYTES:,} bytes; "
                                                 "is this a config file?", shown)])
        text = path.read_bytes().decode("utf-8-sig")
        data, lines, _ = yamlstrict.load(text)
    except FileNotFoundError:
        raise ConfigError([Diagnostic(ERROR, "no such config file", shown)]) from None
    except IsADirectoryError:
        raise ConfigError([Diagnostic(ERROR, f"is a folder; expected a YAML file like {CONFIG_FILE}",
                                      shown)]) from None
    except OSError as exc:
        raise ConfigError([Diagnostic(ERROR, f"cannot read: {exc.strerror}", shown)]) from None
    except UnicodeDecodeError as exc:
        raise ConfigError([Diagnostic(ERROR, f"not UTF-8 text (byte {exc.start})", shown)]) from None
    except yamlstrict.YamlError as exc:
        raise ConfigError([Diagnostic(ERROR, exc.message, shown, exc.line, exc.key)]) from None
    checker = _Checker(shown, path.parent, lines)
    settings = checker.check(data)
    if found and "output" in settings and not inside(settings["output"], path.parent):
        checker.error("output", f"{settings['output']} leads outside the folder of {shown}; a settings file "
                                f"found by default writes only beside it: pass --config {shown} to use it")
    if "theme" in settings and not theme_flag:
        checker.theme(settings["theme"], source if source is not None else settings.get("source", Path(".")))
    if checker.problems:
        raise ConfigError(checker.problems)
    return settings


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


KEYS = ("title", "base_url", "source", "output", "theme", "logo", "links", "cname")
# What other site generators call these settings, for the "did you mean" hint.
ALIASES = {"name": "title", "site_name": "title", "url": "base_url", "site_url": "base_url",
           "baseurl": "base_url", "domain": "cname", "nav": "links", "menu": "links"}


def suggest(key: str, known: tuple[str, ...], aliases: dict[str, str] | None = None) -> str:
    """Say `unknown key 'x'` with the closest known key, or the list of known keys."""
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


class _Checker:
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
            "cname": self.cname}
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
