"""`python -m sitegen`: the command line."""
from .cli import run

run()
