"""A card body to safe HTML: markdown rules, math, highlighting and the sanitiser."""
from .body import Body, render_markdown

__all__ = ["Body", "render_markdown"]
