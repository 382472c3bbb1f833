"""Output normalisers as data: each kind with good inputs (the value it gives) and bad inputs
(the key path and message of the ShapeError)."""
from __future__ import annotations

from typing import Any

import pytest

import conftest  # noqa: F401  (puts the repo root on sys.path)
from sitegen.outputs import (NORMALISERS, Answer, AnswerItem, Json, Label, Labels, Media, MediaItem,
                             Scores, ShapeError, Text, describe)

KEY = "widget[0].output"

GOOD: list[tuple[str, Any, Any]] = [
    ("labels", [{"label": "cat", "score": 0.9}, {"label": "dog", "score": 0.1}],
     Labels((Label("cat", 0.9), Label("dog", 0.1)))),
    ("labels", [{"label": 5, "score": 1}], Labels((Label("5", 1.0),))),  # numeric label kept as text
    ("labels", [{"label": "neg", "score": -0.5}], Labels((Label("neg", -0.5),))),
    ("answer", {"answer": "Paris", "score": 0.8}, Answer((AnswerItem("Paris", 0.8),))),
    ("answer", {"answer": "Paris"}, Answer((AnswerItem("Paris", None),))),
    ("answer", [{"answer": "a", "score": 0.5}, {"answer": "b", "score": 0.25}],
     Answer((AnswerItem("a", 0.5), AnswerItem("b", 0.25)))),
    ("answer", {"answer": "AVERAGE > 3", "cells": ["3", 4], "aggregator": "AVERAGE"},
     Answer((AnswerItem("AVERAGE > 3", None, ("3", "4"), "AVERAGE"),))),
    ("answer", {"answer": "x", "aggregator": "NONE"}, Answer((AnswerItem("x", None),))),
    ("text", {"text": "Bonjour"}, Text("Bonjour")),
    ("text", {"text": 42}, Text("42")),
    ("media", {"url": "out.png"}, Media((MediaItem("", "out.png"),))),
    ("media", [{"label": "a", "url": "a.wav"}, {"url": "https://x.test/b.png"}],
     Media((MediaItem("a", "a.wav"), MediaItem("", "https://x.test/b.png")))),
    ("scores", [0.5, 1, -0.25], Scores((0.5, 1.0, -0.25))),
    ("json", {"boxes": [1, 2], "label": "é"}, Json({"boxes": [1, 2], "label": "é"})),
    ("json", "plain", Json("plain")),
    ("json", None, Json(None)),
]


@pytest.mark.parametrize("kind,value,expected", GOOD, ids=[f"{g[0]}-{i}" for i, g in enumerate(GOOD)])
def test_normalises(kind: str, value: Any, expected: Any) -> None:
    got = NORMALISERS[kind](value, KEY)
    assert got == expected
    assert got.kind == kind


BAD: list[tuple[str, Any, str, str]] = [
    # kind, value, key path, message
    ("labels", "positive", KEY, "expected a list of {label, score}, got 'positive'"),
    ("labels", [], KEY, "expected a list of {label, score}, got an empty list"),
    ("labels", {"label": "a", "score": 1}, KEY, "expected a list of {label, score}, got a mapping with keys label, score"),
    ("labels", ["a"], f"{KEY}[0]", "expected {label, score}, got 'a'"),
    ("labels", [{"score": 1}], f"{KEY}[0]", "expected {label, score}, got a mapping with keys score"),
    ("labels", [{"label": "a", "score": 1}, {"label": "b"}], f"{KEY}[1]", "expected {label, score}, the score is missing"),
    ("labels", [{"label": "a", "score": 1}, {"label": "b", "score": "high"}],
     f"{KEY}[1].score", "expected a number, got 'high'"),
    ("labels", [{"label": "a", "score": True}], f"{KEY}[0].score", "expected a number, got true"),
    ("labels", [{"label": None, "score": 1}], f"{KEY}[0].label", "expected a string, got nothing (null)"),
    ("labels", [{"label": ["a"], "score": 1}], f"{KEY}[0].label", "expected a string, got a list of 1"),
    ("answer", "Paris", KEY, "expected {answer, score} or a list of them, got 'Paris'"),
    ("answer", [], KEY, "expected {answer, score} or a list of them, got an empty list"),
    ("answer", {"score": 1}, KEY, "expected {answer, score}, got a mapping with keys score"),
    ("answer", {"answer": "a", "score": "x"}, f"{KEY}.score", "expected a number, got 'x'"),
    ("answer", {"answer": "a", "cells": "A1"}, f"{KEY}.cells", "expected a list of cell values, got 'A1'"),
    ("answer", [{"answer": "a"}, {"answer": {"x": 1}}], f"{KEY}[1].answer", "expected a string, got a mapping with keys x"),
    ("answer", [{"answer": "a"}, "b"], f"{KEY}[1]", "expected {answer, score}, got 'b'"),
    ("text", "hello", KEY, "expected {text}, got 'hello'"),
    ("text", {"generated_text": "hi"}, KEY, "expected {text}, got a mapping with keys generated_text"),
    ("text", {"text": None}, f"{KEY}.text", "expected a string, got nothing (null)"),
    ("text", {"text": False}, f"{KEY}.text", "expected a string, got false"),
    ("text", [{"text": "a"}], KEY, "expected {text}, got a list of 1"),
    ("media", "x.png", KEY, "expected {url} or a list of {label, url}, got 'x.png'"),
    ("media", [], KEY, "expected {url} or a list of {label, url}, got an empty list"),
    ("media", {"src": "x.png"}, KEY, "expected {url}, got a mapping with keys src"),
    ("media", [{"url": "a.png"}, {"label": "b"}], f"{KEY}[1]", "expected {url}, got a mapping with keys label"),
    ("media", [{"url": ["a"]}], f"{KEY}[0].url", "expected a string, got a list of 1"),
    ("media", {"url": "a.png", "label": None}, f"{KEY}.label", "expected a string, got nothing (null)"),
    ("scores", 0.5, KEY, "expected a list of numbers, one per sentence, got 0.5"),
    ("scores", [], KEY, "expected a list of numbers, one per sentence, got an empty list"),
    ("scores", [0.1, "x"], f"{KEY}[1]", "expected a number, got 'x'"),
    ("scores", [True], f"{KEY}[0]", "expected a number, got true"),
]


@pytest.mark.parametrize("kind,value,key,message", BAD,
                         ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)])
def test_rejects(kind: str, value: Any, key: str, message: str) -> None:
    with pytest.raises(ShapeError) as info:
        NORMALISERS[kind](value, KEY)
    assert info.value.key == key
    assert info.value.message == message


def test_diagnostic_shape_of_a_nested_error() -> None:
    value = [{"label": "a", "score": 0.2}, {"label": "b", "score": "high"}]
    with pytest.raises(ShapeError) as info:
        NORMALISERS["labels"](value, KEY)
    assert f"{info.value.key}: {info.value.message}" == \
        "widget[0].output[1].score: expected a number, got 'high'"


def test_every_kind_has_a_normaliser() -> None:
    from sitegen.tasks import CHAT, TASKS
    kinds = {t.output for t in [*TASKS.values(), CHAT]}
    assert kinds <= set(NORMALISERS)
    assert set(NORMALISERS) == {"labels", "answer", "text", "media", "scores", "json", "embedding",
                                "predictions", "entities", "boxes", "masks"}


@pytest.mark.parametrize("value,text", [
    (True, "true"), (None, "nothing (null)"), ({}, "an empty mapping"),
    ({"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}, "a mapping with keys a, b, c, d"),
    ([1, 2], "a list of 2"), ("x" * 100, repr("x" * 100)[:57] + "..."), (1.5, "1.5"),
])
def test_describe(value: Any, text: str) -> None:
    assert describe(value) == text


@pytest.mark.parametrize("scores,top", [([0.8, 0.4, 0.0], 0.8), ([0.001, 1.0], 1.0), ([-1.0, -2.0], -1.0)])
def test_bars_are_relative_to_the_top_score(scores: list[float], top: float) -> None:
    out = NORMALISERS["labels"]([{"label": str(i), "score": s} for i, s in enumerate(scores)], KEY)
    assert isinstance(out, Labels)
    assert out.top == top


def test_scores_are_shown_with_three_decimals() -> None:
    out = NORMALISERS["labels"]([{"label": "a", "score": 0.98765}], KEY)
    assert isinstance(out, Labels)
    assert out.items[0].shown == "0.988"
