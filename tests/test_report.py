"""Diagnostics: formatting, counting, order, and the kinds used to summarise a big run."""
from __future__ import annotations

import json

import pytest

import conftest  # noqa: F401  (puts the repo root on sys.path)
from sitegen.report import CardError, Diagnostic, Report, json_line, printable


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


HOSTILE = "a\x1b[31m\rb\nc::error::x\u202ed\x9b\x7f\u2028\u2066##[warning]y\t"


def test_format_shows_control_characters_as_escapes() -> None:
    line = Diagnostic("error", HOSTILE, HOSTILE, 3, HOSTILE).format()
    shown = "a\\x1b[31m\\rb\\nc::error::x\\u202ed\\x9b\\x7f\\u2028\\u2066##\\[warning]y\\t"
    assert line == f"{shown}:3: error: {shown}: {shown}"
    assert line.isprintable()


@pytest.mark.parametrize("path", ["::error::x/README.md", "  ::warning::x", "::"])
def test_a_line_never_starts_a_workflow_command(path: str) -> None:
    assert printable(path) == "./" + path
    assert Diagnostic("error", "m", path).format().startswith("./")
    assert printable("a::error::b") == "a::error::b"  # only the start of a line counts


def test_json_line_is_the_same_json_without_raw_controls() -> None:
    value = {"id": HOSTILE, "n": [HOSTILE]}
    line = json_line(value)
    assert json.loads(line) == value
    assert line.isprintable() and "##[" not in line


def _parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """Read a workflow command as the Actions runner does (ActionCommand.TryParseV2)."""
    assert line.startswith("::")
    head, _, data = line[2:].partition("::")
    name, _, props = head.partition(" ")
    unescape = [("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")]
    values = {}
    for prop in filter(None, props.split(",")):
        key, _, value = prop.partition("=")
        for code, char in unescape:
            value = value.replace(code, char)
        values[key] = value
    for code, char in unescape[:2] + unescape[4:]:
        data = data.replace(code, char)
    return name, values, data


def test_an_annotation_cannot_inject_another_command() -> None:
    message = "50% done\r\n::error file=x::injected\n##[error]also injected"
    d = Diagnostic("warning", message, "org/m,line=9::x/README.md", 14, "widget[0].a:b,title=x")
    line = d.annotation()
    assert "\n" not in line and "\r" not in line and "##[" not in line
    name, props, data = _parse_command(line)
    assert name == "warning"
    assert props == {"file": "org/m,line=9::x/README.md", "line": "14", "title": "widget[0].a:b,title=x"}
    assert data == "50% done\r\n::error file=x::injected\n##\\[error]also injected"


def test_annotation_levels_and_defaults() -> None:
    assert Diagnostic("error", "boom").annotation() == "::error title=sitegen::boom"
    assert Diagnostic("info", "note", "m/README.md").annotation() == "::notice file=m/README.md,title=sitegen::note"
    assert Diagnostic("warning", "\x1b[2J", "m").annotation() == "::warning file=m,title=sitegen::\\x1b[2J"
