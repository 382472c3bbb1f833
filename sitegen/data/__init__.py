"""Packaged data files (generated tables of the Hub: classes, library keys, licenses, languages)."""
from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent


def table(name: str) -> str:
    """The text of the packaged data file `name` (UTF-8)."""
    return (DATA / name).read_text(encoding="utf-8")
