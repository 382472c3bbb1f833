"""Build the real cards of ../shared/real_cards: no exception, and every model accounted for.

Run with `-s` to see how many models got pages and the diagnostics counted by kind.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import SHARED
from sitegen.build import build
from sitegen.config import Config
from sitegen.load.discover import is_repo

REAL = SHARED / "real_cards"
# The messages of the caps on what one card makes (README, Untrusted input): no real card may
# reach one, or the cap is too low.
CAPS = re.compile(r"<Gallery /> (is placed|shows the first)|a table shows at most|a model keeps at most|"
                  r"characters left out|characters is left out|arXiv papers; the first|more problems? in|"
                  r"its page (grows past|is .* more than)")
CORPORA = {"hub2024": REAL / "hub2024", "hub2022": REAL / "hub2022" / "repos"}

pytestmark = [pytest.mark.real_cards,
              pytest.mark.skipif(not REAL.is_dir(), reason=f"{REAL} is absent")]


def _model_folders(source: Path) -> dict[str, Path]:
    """The repos under source, found independently of sitegen.load.discover: name/ or org/name/."""
    found: dict[str, Path] = {}
    for first in sorted(p for p in source.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        if is_repo(first):
            found[first.name] = first
            continue
        for second in sorted(p for p in first.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
            if is_repo(second):
                found[f"{first.name}/{second.name}"] = second
    return found


@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_real_cards_build(tmp_path: Path, corpus: str) -> None:
    source = CORPORA[corpus]
    if not source.is_dir():
        pytest.skip(f"{source} is absent")
    out = tmp_path / "site"
    result = build(Config(source=source, output=out, title=f"real cards {corpus}"))  # any exception fails
    report = result.report
    pages = {m.id for m in result.site.models}
    folders = _model_folders(source)
    assert folders, "no model folders found"

    unaccounted = []
    for model_id, root in folders.items():
        if model_id in pages:
            continue
        files = {str(root / "README.md"), str(root / "config.json")}
        located = [d for d in report.items if d.level == "error" and d.path in files and d.line]
        # a folder sitegen cannot publish under its name is reported at the folder (no line)
        rejected = [d for d in report.items if d.level == "error" and d.path == str(root)]
        if not located and not rejected:
            unaccounted.append(model_id)
    assert unaccounted == [], f"{len(unaccounted)} models neither built nor explained"
    for model in result.site.models:
        assert (out / model.path).is_file(), model.path

    assert [d.format() for d in report.items if CAPS.search(d.message)] == []

    kinds = report.by_message_kind()
    print(f"\n[{corpus}] {len(folders)} model folders, {len(pages)} got pages, "
          f"{len(folders) - len(pages)} skipped; {report.errors} errors, {report.warnings} warnings, "
          f"{result.seconds:.1f} s")
    for kind, count in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {count:6d}  {kind}")
