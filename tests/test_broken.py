"""A folder of broken repos, each with the diagnostics it must produce (broken_repos/*/expected.txt).

expected.txt: one formatted-diagnostic substring per line, read from the path inside the repo
on (e.g. `README.md:3: error: invalid YAML`); the line `no page` says the model is skipped.
An empty file means the repo must build cleanly. All repos are checked in one source folder,
so one broken model never stops the others.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import build_site
from sitegen.build import Result
from sitegen.report import Diagnostic

BROKEN = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "broken_repos"
NO_PAGE = "no page"


@dataclass(frozen=True)
class Case:
    name: str
    expected: tuple[str, ...]
    page: bool


def _cases() -> list[Case]:
    cases = []
    for folder in sorted(p for p in BROKEN.iterdir() if p.is_dir()):
        lines = [ln.strip() for ln in (folder / "expected.txt").read_text(encoding="utf-8").splitlines()]
        lines = [ln for ln in lines if ln and not ln.startswith("#")]
        cases.append(Case(folder.name, tuple(ln for ln in lines if ln != NO_PAGE), NO_PAGE not in lines))
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def checked() -> Result:
    return build_site(BROKEN)  # check: nothing is written


def _of(result: Result, name: str) -> list[Diagnostic]:
    prefix = str(BROKEN / name) + "/"
    return [d for d in result.report.sorted() if d.path.startswith(prefix) or d.path == prefix[:-1]]


def _relative(d: Diagnostic, name: str) -> str:
    return d.format().replace(str(BROKEN / name) + "/", "", 1)


def test_the_cases_are_there() -> None:
    names = {c.name for c in CASES}
    assert {"unclosed-front-matter", "bad-yaml", "list-metadata", "duplicate-key", "bad-config-json",
            "wrong-output-shape", "missing-src-file", "src-traversal", "non-utf8-readme",
            "widget-not-a-list", "unknown-pipeline-tag", "healthy-model"} <= names
    assert all(c.expected for c in CASES if c.name != "healthy-model")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_broken_repo(checked: Result, case: Case) -> None:
    found = [_relative(d, case.name) for d in _of(checked, case.name) if d.level != "info"]
    for line in case.expected:
        assert any(line in f for f in found), f"{line!r} not in {found}"
    # and nothing it did not expect
    for f in found:
        assert any(line in f for line in case.expected), f"unexpected: {f}"
    has_page = any(m.id == case.name for m in checked.site.models)
    assert has_page == case.page


def test_broken_repos_do_not_stop_the_build(tmp_path: Path) -> None:
    result = build_site(BROKEN, tmp_path / "out")
    built = {m.id for m in result.site.models}
    assert built == {c.name for c in CASES if c.page}
    for name in built:
        assert (tmp_path / "out" / "models" / name / "index.html").is_file()
    html = (tmp_path / "out/models/healthy-model/index.html").read_text(encoding="utf-8")
    assert "It builds next to the broken ones." in html and "POSITIVE" in html
    index = (tmp_path / "out/index.html").read_text(encoding="utf-8")
    assert "healthy-model" in index and "bad-yaml" not in index


def test_check_exit_code_and_output(run_cli) -> None:  # type: ignore[no-untyped-def]
    before = sorted(p for p in BROKEN.rglob("*"))
    run = run_cli(["check", BROKEN])
    assert run.code == 1
    lines = run.out.splitlines()  # check prints its report on stdout
    assert any(ln.endswith("bad-yaml/README.md:3: error: invalid YAML: the value of 'foo' contains "
                           "': '; put the value in quotes: foo: \"bar: baz\" (the YAML parser "
                           "said: mapping values are not allowed in this context)") for ln in lines)
    errors = sum(1 for c in CASES for line in c.expected if ": error:" in line)
    assert f" {errors} errors" in run.out
    assert sorted(p for p in BROKEN.rglob("*")) == before  # check writes nothing
