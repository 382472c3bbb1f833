"""The progress bar: drawn on a terminal for slow builds, never into logs."""
from __future__ import annotations

import io

import pytest

from sitegen.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_quiet_when_not_a_terminal() -> None:
    out = io.StringIO()
    bar = Progress(out)
    bar.DELAY = 0
    bar(1, 2)
    bar.close()
    assert out.getvalue() == ""


def test_quiet_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    assert not Progress(Terminal()).enabled


def test_drawn_after_a_second_and_cleared(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    out = Terminal()
    bar = Progress(out)
    bar(1, 4)
    assert out.getvalue() == ""  # a quick build shows no bar
    bar.start -= 2
    bar(2, 4)
    assert "2/4 models" in out.getvalue() and "[" in out.getvalue()
    bar(4, 4)  # the last step is always drawn
    assert "4/4 models" in out.getvalue()
    bar.close()
    assert out.getvalue().endswith("\r\033[K")
