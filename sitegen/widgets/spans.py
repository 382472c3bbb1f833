"""Spans of text: entities, answers inside their context, and fill-mask tokens in place."""
# Entities from token classification, answers inside their context, and
# the token a fill-mask model put in place of the mask.
#
# `layout` turns spans over a text into segments a template can show as plain text and
# marked pieces, whatever the offsets say (missing, overlapping, out of range).
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .shapes import ShapeError, describe, mapping, nonempty_list, number, offset, string

PALETTE_SIZE = 8  # entity colours, chosen by label like the Hub: sum of code points mod 8


@dataclass(frozen=True)
class Entity:
    label: str
    word: str
    score: float | None
    start: int | None
    end: int | None


@dataclass(frozen=True)
class Entities:
    kind = "entities"
    items: tuple[Entity, ...]

    @property
    def labels(self) -> list[str]:
        """Entity types in order of first appearance, for the legend."""
        return list(dict.fromkeys(e.label for e in self.items))


@dataclass(frozen=True)
class Segment:
    text: str
    label: str = ""  # empty for plain text
    score: float | None = None

    @property
    def colour(self) -> int:
        return colour(self.label)


def colour(label: str) -> int:
    return sum(map(ord, label)) % PALETTE_SIZE


def entities(value: Any, key: str) -> Entities:
    """Read `[{entity_group or entity, word, score, start, end}]` (B-/I- prefixes merged later)."""
    shape = "a list of {entity_group, word, start, end, score}"
    if value == []:
        return Entities(())  # "no entity found" is a real answer
    found = []
    for i, entry in enumerate(nonempty_list(value, key, shape)):
        k = f"{key}[{i}]"
        entry = mapping(entry, k, "{entity_group, word, start, end, score}")
        label = entry.get("entity_group", entry.get("entity", entry.get("label")))
        if label is None or ("word" not in entry and "start" not in entry):
            raise ShapeError(k, f"expected {{entity_group, word, start, end}}, got {describe(entry)}")
        score = number(entry["score"], f"{k}.score") if entry.get("score") is not None else None
        start, end = (offset(entry.get(n), f"{k}.{n}") for n in ("start", "end"))
        found.append(Entity(string(label, f"{k}.entity_group"), string(entry.get("word", ""), f"{k}.word"),
                            score, start, end))
    return Entities(tuple(found))


SEARCH_BUDGET = 5_000_000  # characters searched for entity words per example


def entity_segments(text: str, found: Entities) -> tuple[Segment, ...]:
    """Lay entities over their text: offsets when they fit, else the word searched after
    the previous entity; `B-X`/`I-X` tokens that touch merge into one X span."""
    spans: list[tuple[int, int, str, float | None]] = []
    cursor = 0
    # Searched case-blind; where lowering changes the length (a few letters such as 'İ' do)
    # offsets would shift, so the search is then case-sensitive.
    lower = text.lower()
    folded = len(lower) == len(text)
    haystack = lower if folded else text
    budget = [SEARCH_BUDGET]  # a card can hold many entities over a long text: bound the work
    for e in found.items:
        label = re.sub(r"^[BIES]-", "", e.label)
        span = _place(haystack, folded, e, cursor, budget)
        if span is None:
            continue
        start, end = span
        cursor = end
        last = spans[-1] if spans else None
        if last and e.label.startswith(("I-", "E-")) and last[2] == label and text[last[1]:start].strip() == "":
            spans[-1] = (last[0], end, label, last[3])
        else:
            spans.append((start, end, label, e.score))
    return layout(text, spans)


def _place(haystack: str, folded: bool, e: Entity, cursor: int, budget: list[int]) -> tuple[int, int] | None:
    if e.start is not None and e.end is not None and e.start < e.end <= len(haystack):
        return e.start, e.end
    word = e.word.replace("##", "").strip()  # WordPiece continuation marks
    if not word or budget[0] <= 0:
        return None
    needle = word.lower() if folded else word
    at = haystack.find(needle, cursor)
    budget[0] -= (at if at >= 0 else len(haystack)) - cursor
    if at < 0 and budget[0] > 0:
        at = haystack.find(needle)
        budget[0] -= at if at >= 0 else len(haystack)
    return (at, at + len(word)) if at >= 0 else None


def layout(text: str, spans: list[tuple[int, int, str, float | None]]) -> tuple[Segment, ...]:
    """Cut text into plain and marked segments; of overlapping spans the earlier (then the
    longer) one wins, the way the Hub's widget drew them."""
    out: list[Segment] = []
    pos = 0
    for start, end, label, score in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if start < pos or end > len(text) or start >= end:
            continue
        if start > pos:
            out.append(Segment(text[pos:start]))
        out.append(Segment(text[start:end], label or "answer", score))
        pos = end
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return tuple(out)


def answer_segments(context: str, answer: str, start: int | None, end: int | None) -> tuple[Segment, ...]:
    """Mark an extractive answer in its context: its offsets when they match, else the
    first place the answer text occurs."""
    if start is not None and end is not None and context[start:end].strip() == answer.strip():
        return layout(context, [(start, end, "answer", None)])
    at = context.lower().find(answer.lower().strip()) if answer.strip() else -1
    if at < 0:
        return ()
    return layout(context, [(at, at + len(answer.strip()), "answer", None)])


MASK = re.compile(r"\[MASK\]|<mask>|<extra_id_0>")


def filled(text: str, token: str, sequence: str, mask: re.Match[str] | None | bool = True) -> tuple[Segment, ...]:
    """The sentence with the predicted token in place of the mask, the token marked.
    `mask` is MASK.search(text) when the caller has it (True: search here)."""
    match = MASK.search(text) if mask is True else mask or None
    if match:
        left, right = text[:match.start()], text[match.end():]
        return tuple(s for s in (Segment(left), Segment(token.strip(), "filled"), Segment(right)) if s.text)
    if sequence:
        at = sequence.find(token.strip())
        if at >= 0:
            return layout(sequence, [(at, at + len(token.strip()), "filled", None)])
        return (Segment(sequence),)
    return ()
