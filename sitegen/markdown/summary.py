"""An index summary: the first sentence of a card's first real paragraph."""
# "Real" skips what cards put before their first sentence: headings (never paragraphs), badge
# rows and images (no text), link-only lines and tables of contents (mostly link text), bold
# pseudo-headings and boilerplate section names ("Model Details"), and raw HTML and comments
# (their text is not read). A paragraph in a list or quote counts when it ends like a sentence
# ("Model creator: X" does not), or when the card has nothing better.
from __future__ import annotations

import re

from markdown_it.token import Token

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_ENDS = re.compile(r"[.!?。！？]\W*$")
_ALERT = re.compile(r"^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*", re.IGNORECASE)  # GitHub's alerts
_WORD = re.compile(r"[^\W\d_]{3}")
_BOILERPLATE = re.compile(
    r"(model card( for( \S+){1,3})?|table of contents|contents|model details|model description|"
    r"model summary|overview|introduction|abstract|summary|tl;?dr|uses|usage|how to use|"
    r"how to get started( with the model)?|bias,? risks,? and limitations|limitations|"
    r"training details|evaluation|results|citation|license|disclaimer|news|updates?)\W*",
    re.IGNORECASE)


def summary(tokens: list[Token], limit: int = 220) -> str:
    """The first sentence of the first real paragraph; a list item or quote counts when it is
    a sentence, or when the card has nothing better."""
    nested = ""
    for i, tok in enumerate(tokens):
        if tok.type != "inline" or i == 0 or tokens[i - 1].type != "paragraph_open":
            continue
        text = _real_text(tok.children or [])
        if not text:
            continue
        if tokens[i - 1].level == 0 or _ENDS.search(text):
            return _first_sentence(text, limit)
        nested = nested or text  # "source languages: fr", in a list
    return _first_sentence(nested, limit) if nested else ""


def _first_sentence(text: str, limit: int) -> str:
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    return first if len(first) <= limit else first[: limit - 1].rsplit(" ", 1)[0] + "…"


def _real_text(children: list[Token]) -> str:
    """The paragraph's plain text, or "" when it is no real paragraph."""
    text, linked, emphasised = _plain(children)
    text = _ALERT.sub("", " ".join(text.split()))
    if len(text) < 20 or not _WORD.search(text) or _BOILERPLATE.fullmatch(text):
        return ""
    if _ENDS.search(text):
        return text
    if linked * 2 > len(text):  # a link-only line, a table of contents, "Paper: [link]"
        return ""
    if emphasised >= len(text):
        return ""  # a bold line standing in for a heading
    return text


def _plain(children: list[Token]) -> tuple[str, int, int]:
    """Text, and how many of its characters are link text and bold or italic text."""
    out: list[str] = []
    linked = emphasised = 0
    links = marks = 0
    for child in children:
        if child.type == "link_open":
            links += 1
        elif child.type == "link_close":
            links -= 1
        elif child.type in ("strong_open", "em_open"):
            marks += 1
        elif child.type in ("strong_close", "em_close"):
            marks -= 1
        elif child.type in ("text", "code_inline", "softbreak", "hardbreak"):
            piece = child.content if child.type in ("text", "code_inline") else " "
            out.append(piece)
            linked += len(piece.strip()) if links > 0 else 0
            emphasised += len(piece) if marks > 0 else 0
    return "".join(out), linked, emphasised
