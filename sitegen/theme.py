"""Themes: the default theme inside the package, and a user theme laid over it."""
from __future__ import annotations

import functools
import math
import os
import re
import shutil
import stat
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .load.safeio import inside
from .aggregate import tag_path
from .sizes import short_count
from .fingerprint import DEFAULT, code_key

if TYPE_CHECKING:
    from markupsafe import Markup
    import jinja2



class ThemeError(Exception):
    """A theme that cannot be used: where (its folder, or a template's file:line) and why,
    shown as `where: error: key: message` like every other problem."""

    def __init__(self, message: str, where: str = "", key: str = "theme"):
        self.where, self.message = where, message
        super().__init__(f"{where}: error: {key}: {message}" if where else f"sitegen: error: {message}")


def environment(user: Path | None) -> jinja2.Environment:
    """Make the template environment: user templates first, then the default theme's.

    A user template may extend the one it replaces as `default/<name>`. Environments are
    kept, so a rebuild reuses compiled templates: Jinja reloads a template file that changed,
    and a template added to or removed from the user theme gives a new environment.
    """
    templates = part(user, "templates") if user else None
    names = frozenset(templates.rglob("*")) if templates else None
    return _environment(user, names)


def part(theme: Path, name: str) -> Path | None:
    """The theme's templates/ or static/ folder, None if it has none; never one that is a
    symlink out of the theme (it would be walked, read and published)."""
    folder = theme / name
    if not folder.is_dir():
        return None
    if not inside(folder, theme):
        raise ThemeError(f"a symlink to outside the theme folder {theme}; a theme's {name}/ must be "
                         "a folder inside it", str(folder))
    return folder


@functools.lru_cache(maxsize=4)
def _environment(user: Path | None, names: frozenset[Path] | None) -> jinja2.Environment:
    import jinja2  # here: a rebuild that renders nothing never loads it

    from .sandbox import Sandbox
    from .widgets.spans import colour
    default_loader = jinja2.FunctionLoader(functools.partial(load_template, DEFAULT))
    loaders: list[jinja2.BaseLoader] = []
    if user is not None:
        if not (user / "templates").is_dir() and not (user / "static").is_dir():
            raise ThemeError("not a theme folder (expected templates/ or static/ inside)", str(user))
        loaders.append(jinja2.FunctionLoader(functools.partial(load_template, user)))
    loaders.append(default_loader)
    loader = jinja2.ChoiceLoader([jinja2.PrefixLoader({"default": default_loader}), *loaders])
    env = Sandbox(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                  extensions=["jinja2.ext.do"], bytecode_cache=_bytecode_cache(),
                  trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["filesize"] = filesize
    env.filters["entity_colour"] = colour
    env.filters["tag_path"] = tag_path
    env.filters["wbr"] = wbr
    env.filters["wbr_case"] = wbr_case
    env.filters["short_count"] = short_count
    return env


def load_template(folder: Path, name: str) -> tuple[str, str, Callable[[], bool]] | None:
    """Read template `name` of the theme in folder (for jinja2.FunctionLoader): None when it has
    none, a ThemeError when the file is reached through a symlink that leaves the theme."""
    from jinja2.loaders import split_template_path

    path = os.path.join(folder, "templates", *split_template_path(name))
    if not os.path.isfile(path):
        return None
    if not inside(Path(path), folder):
        raise ThemeError(f"a symlink to outside the theme folder {folder}; a theme's templates must "
                         "be files inside it", path)
    with open(path, encoding="utf-8") as f:
        source = f.read()
    mtime = os.path.getmtime(path)

    def uptodate() -> bool:
        try:
            return os.path.getmtime(path) == mtime
        except OSError:
            return False
    return source, os.path.normpath(path), uptodate


def template(env: jinja2.Environment, name: str) -> jinja2.Template:
    """Load a template; one that does not compile is the theme's error, with its file and line."""
    import jinja2

    try:
        return env.get_template(name)
    except jinja2.TemplateSyntaxError as exc:
        raise ThemeError(str(exc.message), f"{exc.filename or exc.name}:{exc.lineno}", "template") from None
    except jinja2.TemplateError:  # not found: callers fall back to another template
        raise
    except _BROKEN as exc:  # compiling folds constants: `{{ 10**5000 }}` fails here, not in render
        raise ThemeError(f"cannot compile: {type(exc).__name__}: {exc}", name, "template") from None


# What a template's own code can raise besides Jinja's errors (`{{ 1/0 }}`, `{{ 'a' - 1 }}`,
# a number too long to print): the theme's error, with its file and line, never a traceback.
_BROKEN = (ArithmeticError, ValueError, TypeError, LookupError, AttributeError)


class PageTooLarge(Exception):
    """A rendered page grew past the size it may have."""


def render(env: jinja2.Environment, name: str, limit: int = 0, **context: object) -> str:
    """Render a template; one that breaks the sandbox or its own rules (an unknown name, a
    failed include) is the theme's error, with the template file and line where it happened.
    With a limit (characters), stop with PageTooLarge as soon as the page grows past it."""
    import jinja2

    loaded = template(env, name)
    try:
        if not limit:
            return loaded.render(**context)
        chunks, size = [], 0
        for chunk in loaded.generate(**context):
            size += len(chunk)
            if size > limit:
                raise PageTooLarge(f"its page grows past {limit >> 20} MB")
            chunks.append(chunk)
        return "".join(chunks)
    except jinja2.TemplateSyntaxError as exc:  # an include that does not compile
        raise ThemeError(str(exc.message), f"{exc.filename or exc.name}:{exc.lineno}", "template") from None
    except jinja2.TemplateError as exc:
        raise ThemeError(exc.message or type(exc).__name__, _where(exc, name), "template") from None
    except _BROKEN as exc:
        raise ThemeError(f"{type(exc).__name__}: {exc}", _where(exc, name), "template") from None


def _where(exc: BaseException, name: str) -> str:
    """The template file and line an error was raised at (Jinja puts them in the traceback)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.endswith(".py")]
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else name


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs (compiling the theme takes 0.3 s, a rebuild after
    one edit about as much again), in the user's cache folder, under this sitegen's code key:
    Jinja checks each template's source, not the options this sitegen compiles it with.
    Folders of other sitegen versions go after 30 days unused; the cache failing never fails a build."""
    import jinja2

    from .cache import user_dir

    class Cache(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except OSError:
                pass

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError:
                pass

    try:
        base = user_dir()
        folder = base / f"templates-{code_key()[:16]}"
        if not folder.is_dir():
            for old in base.glob("templates-*"):
                if old.stat().st_mtime < time.time() - 30 * 86_400:
                    shutil.rmtree(old, ignore_errors=True)
            folder.mkdir(parents=True, mode=0o700, exist_ok=True)
        st = os.lstat(folder)
    except (OSError, RuntimeError):  # no home, or not writable: compile each time
        return None
    # What it holds is loaded as code: never from a folder someone else made or may write to
    # (an XDG_CACHE_HOME shared with others), as Jinja's own default folder is checked.
    if not stat.S_ISDIR(st.st_mode) or st.st_mode & 0o022 \
            or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
        return None
    return Cache(str(folder))


def static_files(user: Path | None) -> dict[str, Path]:
    """Map site path -> file for the theme's static files; the user's win."""
    found: dict[str, Path] = {}
    for base in [DEFAULT] + ([user] if user else []):
        static = part(base, "static")
        if static is None:
            continue
        for path in sorted(static.rglob("*")):
            if path.is_file() and not path.is_symlink():  # published as they are: never through a symlink
                found["static/" + path.relative_to(static).as_posix()] = path
    return found


def static_bytes(user: Path | None) -> Iterator[tuple[str, bytes]]:
    """Each static file of the theme (the user's win over the default's): its site path and content."""
    for path, source in static_files(user).items():
        yield path, source.read_bytes()


def filesize(size: int) -> str:
    """Format a byte count the way people read it: 912 B, 4.2 KB, 1.3 GB."""
    if size < 1000:
        return f"{size} B"
    exp = min(int(math.log(size, 1000)), 4)
    value = size / 1000 ** exp
    return f"{value:.1f} {'KMGT'[exp - 1]}B" if value < 100 else f"{value:.0f} {'KMGT'[exp - 1]}B"


# A change of case inside a word: `tC` in CamelCase, `BA` in MTEBAmazon (before the last capital
# of a run that starts a capitalised word), never inside short pieces: IMDb, mBERT, P2P stay whole.
# Entities `escape` writes (&amp; &#39;) have no capitals.
_CASE_CHANGE = re.compile(r"(?<=[a-z]{2})(?=[A-Z][a-z])|(?<=[A-Z]{2})(?=[A-Z][a-z]{2})")


def wbr(text: str) -> "Markup":
    """Escaped text with a line-break chance after each `/`, `-` and `_` (long ids wrap there)."""
    from markupsafe import Markup, escape
    return Markup(re.sub(r"([/_-])", r"\1<wbr>", str(escape(text))))


def wbr_case(text: str) -> "Markup":
    """Escaped text with a line-break chance at each change of case between words (dataset
    names such as AmazonCounterfactualClassification, which phones would otherwise cut anywhere)."""
    from markupsafe import Markup, escape
    return Markup(_CASE_CHANGE.sub("<wbr>", str(escape(text))))
