"""The fingerprint of sitegen's code, the theme and the settings: what makes every old page stale."""
from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any

from . import __version__
from .cache import FORMAT
from .config import Config
from .load.safeio import inside

DEFAULT = Path(__file__).resolve().parent / "themes" / "default"
if not DEFAULT.is_dir():  # running from a source checkout
    DEFAULT = Path(__file__).resolve().parent.parent / "themes" / "default"


def tree_digest(h: Any, root: Path) -> None:
    """The names and contents of the files a build uses in a folder (a theme's, sitegen's own):
    never a symlink out of it, which a build does not use (a theme's `static/x` leading to
    /proc/kcore or another user's file was read whole, or ended the build unreadable)."""
    for path in sorted(root.rglob("*")) if root.is_dir() else ():
        if path.is_file() and "__pycache__" not in path.parts and (not path.is_symlink() or inside(path, root)):
            h.update(f"{path.relative_to(root).as_posix()}\0".encode())
            content = hashlib.sha256()
            try:
                with open(path, "rb") as fh:
                    while chunk := fh.read(1 << 20):
                        content.update(chunk)
            except OSError:
                content.update(b"unreadable")
            h.update(content.digest())


@functools.lru_cache(maxsize=1)
def code_key() -> str:
    """sitegen's version and its own source, so a changed sitegen never reuses old pages."""
    h = hashlib.sha256(f"{FORMAT} {__version__}\0".encode())
    tree_digest(h, Path(__file__).resolve().parent)
    return h.hexdigest()


def site_key(config: Config) -> str:
    h = hashlib.sha256(code_key().encode())
    tree_digest(h, DEFAULT)
    if config.theme:
        tree_digest(h, config.theme)
    logo = hashlib.sha256(config.logo.read_bytes()).hexdigest() if config.logo and config.logo.is_file() else ""
    # The source as spelt too: the records name repos by the paths it gives (`models/x`).
    h.update(repr((config.title, config.base_url, config.links, config.cname, config.show_checks,
                   config.hub_url, config.offline_media,
                   str(config.logo), logo, str(config.source.absolute()), str(config.source))).encode())
    return h.hexdigest()
