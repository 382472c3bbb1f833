"""Load: the only stage that reads a repo's files; a repo folder in, a `ModelRepo` out."""
from .repo import ModelRepo, load_repo

__all__ = ["ModelRepo", "load_repo"]
