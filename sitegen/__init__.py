"""sitegen: a static website for a folder of Hugging Face-style model repos."""

__version__ = "0.1.0"
