"""YAML slips in a card: `sitegen check` names the line of the slip and says how to fix it."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from conftest import make_repo

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent.parent / "fixtures" / "yaml_mistakes.yaml").read_text("utf-8"))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_check_explains_the_slip(tmp_path: Path, run_cli: Callable[..., Any],
                                 case: dict[str, Any]) -> None:
    make_repo(tmp_path / "src", "m", case["card"])
    run = run_cli(["check", tmp_path / "src"])
    assert run.code == 1
    errors = [ln for ln in run.out.splitlines() if ": error: " in ln]
    assert len(errors) == 1, run.out
    assert "Traceback" not in run.out + run.err
    where = f"m/README.md:{case['line']}: error: "
    assert where in errors[0], errors[0]
    assert case["message"] in errors[0], errors[0]


def test_enough_realistic_slips() -> None:
    assert len(CASES) >= 15
    assert len({c["id"] for c in CASES}) == len(CASES)


def test_unknown_slip_keeps_the_parser_words(tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    make_repo(tmp_path / "src", "m", "---\nlicense: mit\ntitle: |x\n---\n")
    run = run_cli(["check", tmp_path / "src"])
    assert "m/README.md:3: error: invalid YAML: did not find expected comment or line break" in run.out


def test_hints_keep_the_parser_words_as_the_tail(tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    make_repo(tmp_path / "src", "m", "---\nlicense: mit\nlanguage\n---\n")
    run = run_cli(["check", tmp_path / "src"])
    assert "(the YAML parser said: could not find expected ':')" in run.out


def test_huge_slip_is_quick(tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    import time
    long_value = "x" * 500_000
    card = "---\n" + "".join(f"k{i}: v\n" for i in range(20_000)) + f"bad {long_value}\nz: 1\n---\n"
    make_repo(tmp_path / "src", "m", card)
    start = time.monotonic()
    run = run_cli(["check", tmp_path / "src"])
    assert time.monotonic() - start < 5
    assert "m/README.md:20002: error: invalid YAML: 'bad xxx" in run.out
