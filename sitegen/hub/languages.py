"""Languages by name: a card's `language` codes as "English (en)", in the card's order."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..data import table

# The page lists this many languages; the rest sit behind a "+N more" that opens without JavaScript.
SHOWN = 6
_QUALIFIER = re.compile(r"\s*\((macrolanguage|[0-9][^)]*)\)$")  # "Malay (macrolanguage)", "Greek (1453-)"


@dataclass(frozen=True)
class Language:
    code: str  # as the card writes it
    name: str  # "" when the code is not known: the page shows the code alone


@functools.cache
def _names() -> dict[str, str]:
    """Our own table first; for other ISO 639 codes, the lint's generated one."""
    names = {}
    for line in table("languages.txt").splitlines():
        code, _, name = line.partition("\t")
        names[code] = _QUALIFIER.sub("", name)
    for line in table("language_names.txt").splitlines():
        if line and not line.startswith("#"):
            code, _, name = line.partition("\t")
            names[code] = name
    return names


def language_name(code: str) -> str:
    """The name of a language code ("pt-BR" is Portuguese), or "" if it is not known."""
    names = _names()
    key = code.strip().replace("_", "-")
    return names.get(key.lower()) or names.get(key.split("-", 1)[0].lower(), "")


def languages(codes: tuple[str, ...]) -> tuple[Language, ...]:
    """Each code of the card with its name."""
    return tuple(Language(code, language_name(code)) for code in codes)
