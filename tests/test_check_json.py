"""`sitegen check --format json` validates against tests/fixtures/check_schema.json, on every input we have."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT, SHARED, requires_shared

jsonschema = pytest.importorskip("jsonschema")
SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "check_schema.json").read_text(encoding="utf-8"))


def _objects(run_cli, source: Path) -> list[dict]:  # type: ignore[no-untyped-def]
    run = run_cli(["check", source, "--format", "json"])
    assert run.code in (0, 1)
    return [json.loads(line) for line in run.out.splitlines()]


@pytest.mark.parametrize("source", [ROOT / "sample_repos", ROOT / "tests" / "fixtures" / "broken_repos"])
def test_check_json_validates(run_cli, source: Path) -> None:  # type: ignore[no-untyped-def]
    objects = _objects(run_cli, source)
    assert objects
    for obj in objects:
        jsonschema.validate(obj, SCHEMA)
        assert obj["examples_with_output"] <= obj["examples"]


@pytest.mark.real_cards
@requires_shared("real_cards")
def test_check_json_validates_on_real_cards(run_cli) -> None:  # type: ignore[no-untyped-def]
    for source in (SHARED / "real_cards/hub2024", SHARED / "real_cards/hub2022/repos"):
        objects = _objects(run_cli, source)
        assert len(objects) > 800
        validator = jsonschema.Draft202012Validator(SCHEMA)
        bad = [(o["id"], e.message) for o in objects for e in validator.iter_errors(o)]
        assert bad == []
