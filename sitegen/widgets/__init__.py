"""A card's `widget:` examples to a `Widget` (examples.py): inputs, outputs of every kind, and their views."""
