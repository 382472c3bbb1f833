"""Build settings: the `sitegen.yaml` file, checked with lines, and the command line over it."""
from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from .configkeys import Checker
from .report import ERROR, WARNING, Diagnostic
from .load.safeio import inside

CONFIG_FILE = "sitegen.yaml"
MAX_CONFIG_BYTES = 1024 * 1024


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
    hub_url: str = "https://huggingface.co"  # where ids outside the catalog link; "" = plain text
    offline_media: bool = False  # remote images, audio and video become plain links


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
    checker = Checker(shown, path.parent, lines)
    settings = checker.check(data)
    if found and "output" in settings and not inside(settings["output"], path.parent):
        checker.error("output", f"{settings['output']} leads outside the folder of {shown}; a settings file "
                                f"found by default writes only beside it: pass --config {shown} to use it")
    if "theme" in settings and not theme_flag:
        checker.theme(settings["theme"], source if source is not None else settings.get("source", Path(".")))
    if checker.problems:
        raise ConfigError(checker.problems)
    return settings
