"""The author-mistakes table: each misspelled key or wrong type gets its message at its line."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import make_repo

TABLE = Path(__file__).resolve().parents[1] / "fixtures" / "author_mistakes.yaml"
ROWS: list[dict[str, Any]] = yaml.safe_load(TABLE.read_text(encoding="utf-8"))


def test_table_is_large_and_covers_every_level() -> None:
    assert len(ROWS) >= 25
    assert len({r["name"] for r in ROWS}) == len(ROWS)
    cards = [r["card"] for r in ROWS]
    for level in ("widget:", "model-index:", "parameters:", "inference:"):
        assert sum(level in c for c in cards) >= 3, level


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["name"])
def test_check_reports_the_mistake(tmp_path: Path, run_cli, row: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    make_repo(tmp_path / "src", "model", f"---\n{row['card']}---\n# Model\n\nA small test model.\n")
    run = run_cli(["check", "-v", tmp_path / "src"])
    lines = [ln for ln in (run.out + run.err).splitlines() if "README.md:" in ln]
    at = f"README.md:{row['line']}: {row['level']}:"
    hits = [ln for ln in lines if at in ln and row["message"] in ln]
    assert hits, f"{at} ... {row['message']!r} not in:\n" + "\n".join(lines)
    assert "Traceback" not in run.err


def test_pre_commit_hook_runs_check_on_the_card_repo(tmp_path: Path, run_cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    hooks = yaml.safe_load((TABLE.parents[2] / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "sitegen-check")
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    assert "README" in hook["files"] and hook["entry"].split()[:2] == ["sitegen", "check"]
    argv = hook["entry"].split()[1:]
    repo = make_repo(tmp_path, "card", "---\nlicense: mit\n---\n# Model\n\nA small test model.\n")
    monkeypatch.chdir(repo)  # pre-commit runs the entry at the repo's root
    assert run_cli(argv).code == 0
    (repo / "README.md").write_text("---\nlicence: mit\n---\n# Model\n\nA small test model.\n")
    assert run_cli(argv).code == 0  # a warning lets the commit through
    assert run_cli(argv + ["--strict"]).code == 1  # ... unless the hook's args say --strict
    (repo / "README.md").write_text("---\nlicense: [mit\n---\n# Model\n")
    assert run_cli(argv).code == 1  # an error stops it


def test_a_misspelled_widget_key_is_reported_once(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    make_repo(tmp_path / "src", "model", "---\npipeline_tag: text-classification\nwidget:\n- text: I love it\n"
              "  exmaple_title: Love\n  context: not read here\n  zorglub: 1\n---\n# Model\n")
    run = run_cli(["check", "-v", tmp_path / "src"])
    lines = [ln.split("README.md:", 1)[1] for ln in (run.out + run.err).splitlines() if "README.md:" in ln]
    assert [ln for ln in lines if "exmaple_title" in ln] == [
        "5: warning: widget[0].exmaple_title: unknown key exmaple_title; did you mean example_title? "
        "the widget ignores it"]
    # A key of another task's widget, and one close to nothing: the widget's own note, once each.
    assert [ln for ln in lines if "context" in ln] == [
        "6: info: widget[0].context: key is not read by the text-classification widget; ignored"]
    assert [ln for ln in lines if "zorglub" in ln] == [
        "7: info: widget[0].zorglub: key is not read by the text-classification widget; ignored"]
