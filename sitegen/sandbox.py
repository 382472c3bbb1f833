"""What a theme's templates may touch: Jinja's sandbox and no file paths."""
# A theme is code someone else may have written (a cloned site repo ships one), so every theme,
# the default too, renders in Jinja's SandboxedEnvironment: no `__class__`, `__globals__` or other
# underscore attributes, no unsafe callables. Imported only when something is rendered.
from __future__ import annotations

import os
from pathlib import PurePath
from typing import Any

from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

# Values that can be no str.format method: the sandbox's check for one is skipped for them.
_PLAIN = frozenset({str, int, float, bool, type(None), tuple, list, dict, Markup})


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

    def getattr(self, obj: Any, attribute: str) -> Any:
        """SandboxedEnvironment.getattr, which a page calls hundreds of times: the same steps,
        with the check for a str.format method left out where the value is plain data."""
        try:
            value = getattr(obj, attribute)
        except AttributeError:
            try:
                return obj[attribute]
            except (TypeError, LookupError):
                return self.undefined(obj=obj, name=attribute)
        if type(value) not in _PLAIN:
            fmt = self.wrap_str_format(value)
            if fmt is not None:
                return fmt
        safe = self.safe.get((type(obj), attribute))
        if safe or (safe is None and self.is_safe_attribute(obj, attribute, value)):
            return value
        return self.unsafe_undefined(obj, attribute)
