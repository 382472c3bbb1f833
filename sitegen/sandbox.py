"""What a theme's templates may touch: Jinja's sandbox, no paths, no symlinks out of the theme."""
# A theme is code someone else may have written (a cloned site repo ships one), so every theme,
# the default too, renders in Jinja's SandboxedEnvironment: no `__class__`, `__globals__` or other
# underscore attributes, no unsafe callables. Imported only when something is rendered.
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path, PurePath
from typing import Any

from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from .load.safeio import inside
from .theme import ThemeError


class Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, and no attribute of a file path: the pages carry a few (where a copied
    file comes from), and a Path's methods read, write and delete files."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Whether an attribute is safe depends only on the object's type and the name, and
        # asking Jinja each time doubled the time to render a page: ask once per pair.
        self.safe: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        safe = self.safe.get(key)
        if safe is None:
            safe = self.safe[key] = not isinstance(obj, (PurePath, os.PathLike)) \
                and bool(super().is_safe_attribute(obj, attr, value))
        return safe


def load_template(folder: Path, name: str) -> tuple[str, str, Callable[[], bool]] | None:
    """Read template `name` of the theme in folder (for jinja2.FunctionLoader): None when it has
    none, a ThemeError when the file is reached through a symlink that leaves the theme."""
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
