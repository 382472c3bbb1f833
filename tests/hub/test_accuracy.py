"""sitegen.hub.infer agrees with what the Hub showed for the 2022 real cards (scripts/hub_accuracy.py).

Run with `-s` to see both rates and the disagreements by cause.
"""
from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

from conftest import ROOT, SHARED

HUB2022 = SHARED / "real_cards" / "hub2022"

pytestmark = [pytest.mark.real_cards,
              pytest.mark.skipif(not (HUB2022 / "truth.tsv").is_file(), reason=f"{HUB2022} is absent")]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("hub_accuracy", ROOT / "scripts" / "hub_accuracy.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("hub_accuracy", module)
    spec.loader.exec_module(module)
    return module


def test_agrees_with_the_hub() -> None:
    script = _script()
    acc = script.measure(HUB2022)
    print("\n" + script.report(acc))
    assert acc.task.total > 600 and acc.library.total > 600, "truth.tsv lost most of its rows"
    assert acc.task.rate >= 0.97, f"task agreement {acc.task.rate:.1%} < 97%"
    assert acc.library.rate >= 0.95, f"library agreement {acc.library.rate:.1%} < 95%"
