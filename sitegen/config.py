"""Build settings, as the command line gives them."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Config:
    source: Path = Path(".")
    output: Path = Path("_site")
    theme: Path | None = None
    title: str = "Models"
    base_url: str = ""
    strict: bool = False
    show_checks: bool = False  # show each card's diagnostics on its page (for preview)
    jobs: int = 1
