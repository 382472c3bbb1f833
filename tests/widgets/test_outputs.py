"""Output normalisers as data: tests/fixtures/outputs/<kind>.yaml holds, for each kind, cases of an
`output` as a card writes it and either the value it gives (`expected`, the dataclass as plain
data) or the ShapeError it raises (`error: {key, message}`)."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import yaml

import conftest  # noqa: F401  (puts the repo root on sys.path)
from sitegen.widgets.outputs import NORMALISERS, Labels, ShapeError, describe

KEY = "widget[0].output"
CASES_DIR = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "outputs"
CASE_FILES = sorted(CASES_DIR.glob("*.yaml"))


def _load_cases() -> list[Any]:
    params = []
    for path in CASE_FILES:
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(cases, list) and cases, f"{path.name}: expected a non-empty list of cases"
        for case in cases:
            params.append(pytest.param(path.stem, case, id=f"{path.name}:{case.get('name')}"))
    return params


CASES = _load_cases()


def plain(value: Any) -> Any:
    """Tuples as lists, all the way down, as the YAML files write them."""
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def leaf_types(value: Any) -> Any:
    """The same structure with each leaf replaced by its kind, so `true` never passes for 1
    (ints and floats count as one kind: YAML writes 1 where the dataclass holds 1.0)."""
    if isinstance(value, list):
        return [leaf_types(v) for v in value]
    if isinstance(value, dict):
        return {k: leaf_types(v) for k, v in value.items()}
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def test_case_files_cover_every_kind() -> None:
    assert {p.stem for p in CASE_FILES} == set(NORMALISERS)


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.name for p in CASE_FILES])
def test_case_files_are_well_formed(path: Path) -> None:
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    names = [c.get("name") for c in cases]
    assert all(isinstance(n, str) and n for n in names), f"{path.name}: every case needs a name"
    assert len(names) == len(set(names)), f"{path.name}: case names repeat"
    for case in cases:
        assert "output" in case, f"{path.name}:{case['name']}: no output"
        assert ("expected" in case) != ("error" in case), \
            f"{path.name}:{case['name']}: give exactly one of expected and error"
        assert set(case) <= {"name", "output", "expected", "error"}, f"{path.name}:{case['name']}: unknown keys"
        if "error" in case:
            assert set(case["error"]) == {"key", "message"}, f"{path.name}:{case['name']}: error needs key and message"
    assert any("expected" in c for c in cases) and any("error" in c for c in cases) or path.stem == "json", \
        f"{path.name}: cover both what the kind gives and what it rejects"


@pytest.mark.parametrize("kind,case", CASES)
def test_normaliser_case(kind: str, case: dict[str, Any]) -> None:
    normalise = NORMALISERS[kind]
    if "error" in case:
        with pytest.raises(ShapeError) as info:
            normalise(case["output"], KEY)
        assert {"key": info.value.key, "message": info.value.message} == case["error"]
        return
    got = normalise(case["output"], KEY)
    assert got.kind == kind
    data = plain(dataclasses.asdict(got))
    assert data == case["expected"]
    assert leaf_types(data) == leaf_types(case["expected"])


def test_diagnostic_shape_of_a_nested_error() -> None:
    value = [{"label": "a", "score": 0.2}, {"label": "b", "score": "high"}]
    with pytest.raises(ShapeError) as info:
        NORMALISERS["labels"](value, KEY)
    assert f"{info.value.key}: {info.value.message}" == \
        "widget[0].output[1].score: expected a number, got 'high'"


def test_every_kind_has_a_normaliser() -> None:
    from sitegen.hub.tasks import CHAT, TASKS
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
