"""A card's `widget:` examples to a `Widget`: inputs, outputs of every kind, and their views."""
from .examples import Widget, build_widget

__all__ = ["Widget", "build_widget"]
