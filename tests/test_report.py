"""Diagnostics: formatting, counting, order, and the kinds used to summarise a big run."""
from __future__ import annotations

import pytest

import conftest  # noqa: F401  (puts the repo root on sys.path)
from sitegen.report import CardError, Diagnostic, Report


@pytest.mark.parametrize("diagnostic,text", [
    (Diagnostic("error", "expected a number, got 'high'", "m/README.md", 14, "widget[1].output[0].score"),
     "m/README.md:14: error: widget[1].output[0].score: expected a number, got 'high'"),
    (Diagnostic("warning", "no README.md", "m"), "m: warning: no README.md"),
    (Diagnostic("error", "boom"), "<input>: error: boom"),
])
def test_format(diagnostic: Diagnostic, text: str) -> None:
    assert diagnostic.format() == text


def test_counts_and_order() -> None:
    report = Report()
    report.warning("w", "b/README.md", 10)
    report.error("e2", "b/README.md", 9)
    report.error("e1", "a/README.md", 30)
    report.add("info", "i", "a/README.md", 1)
    assert (report.errors, report.warnings, report.count("info")) == (2, 1, 1)
    assert [(d.path, d.line) for d in report.sorted()] == [
        ("a/README.md", 1), ("a/README.md", 30), ("b/README.md", 9), ("b/README.md", 10)]


def test_card_error_carries_a_diagnostic() -> None:
    exc = CardError("invalid YAML", "m/README.md", 3, "tags")
    assert exc.diagnostic == Diagnostic("error", "invalid YAML", "m/README.md", 3, "tags")


def test_by_message_kind_groups_same_problem() -> None:
    report = Report()
    report.error("expected a number, got 'high'", "a", 1)
    report.error("expected a number, got 'low'", "b", 2)
    report.warning("invalid YAML: mapping values are not allowed", "c", 3)
    assert report.by_message_kind() == {"error: expected a number": 2, "warning: invalid YAML": 1}


def test_by_message_kind_removes_quoted_values() -> None:
    report = Report()
    report.warning("image 'a.png': file 'a.png' is not in the repo", "x", 1)
    report.warning("image 'b.png': file 'b.png' is not in the repo", "y", 1)
    report.error("file 'one.wav' is not in the repo; example not shown", "x", 2)
    report.error("file 'two.wav' is not in the repo; example not shown", "y", 2)
    kinds = report.by_message_kind()
    assert len(kinds) == 2
    assert sorted(kinds.values()) == [2, 2]
