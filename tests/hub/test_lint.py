"""Metadata lint: fixture cards with their expected diagnostics, the samples, the real cards.

Each tests/fixtures/lint_cards/<case>.md carries its expectations at the end of its body:

    <!-- expected
    files: LICENSE                      (optional: files to put next to the card)
    2: warning: license: unknown license 'MIT'; did you mean mit?
    -->

one `line: level: key: message` per diagnostic, where the message may be cut short (it must
start the reported message). Every diagnostic lint reports must be expected, and every
expected one reported. Run with `-s` to see what lint says of the real cards, by rule.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, make_repo
from sitegen.load.discover import RepoDir, discover
from sitegen.hub.lint import LANGUAGE_NAMES, LANGUAGES, LICENSES, lint
from sitegen.load.repo import ModelRepo, load_repo
from sitegen.report import CardError, Diagnostic, Report

CARDS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "lint_cards"
SAMPLES = ROOT / "sample_repos"
# ../shared next to the repo root. Read only; never write into it.
SHARED = Path(__file__).resolve().parents[3] / "shared"
REAL = SHARED / "real_cards"
CORPORA = {"hub2024": REAL / "hub2024", "hub2022": REAL / "hub2022" / "repos"}
_BLOCK = re.compile(r"<!-- expected\n(.*?)-->", re.S)


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    files: tuple[str, ...]
    expected: tuple[str, ...]


def _cases() -> list[Case]:
    cases = []
    for path in sorted(CARDS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        block = _BLOCK.search(text)
        assert block, f"{path.name} has no <!-- expected --> block"
        lines = [ln.strip() for ln in block.group(1).splitlines() if ln.strip()]
        files = tuple(f for ln in lines if ln.startswith("files:") for f in ln[6:].split())
        expected = tuple(ln for ln in lines if not ln.startswith("files:"))
        cases.append(Case(path.stem, text, files, expected))
    return cases


def _lint(root: Path) -> list[Diagnostic]:
    repo = load_repo(RepoDir(root.name, root, str(root)), Report())
    report = Report()
    lint(repo, report)
    return report.sorted()


def _short(d: Diagnostic) -> str:
    return f"{d.line}: {d.level}: {d.key}: {d.message}"


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c.name)
def test_lint_card(tmp_path: Path, case: Case) -> None:
    root = make_repo(tmp_path, case.name, case.text, {f: "license text\n" for f in case.files})
    diagnostics = _lint(root)
    assert all(d.path == str(root / "README.md") for d in diagnostics)
    found = [_short(d) for d in diagnostics]
    for line in case.expected:
        assert any(f.startswith(line) for f in found), f"{line!r} not in {found}"
    for f in found:
        assert any(f.startswith(line) for line in case.expected), f"unexpected: {f}"


def test_every_rule_has_a_card() -> None:
    names = {c.name for c in _cases()}
    assert {"pipeline_tag", "license", "language", "base_model", "datasets", "model_index",
            "tags", "inference", "clean"} <= names


def test_data_files() -> None:
    assert {"apache-2.0", "mit", "other", "unknown", "llama3.1", "gemma"} <= LICENSES
    assert len(LICENSES) >= 70
    assert {"en", "eng", "fr", "fre", "fra", "haw", "yue", "roa", "und", "bh"} <= set(LANGUAGES)
    assert LANGUAGES["en"] == "English" and "multilingual" not in LANGUAGES
    assert LANGUAGE_NAMES["english"] == "en" and LANGUAGE_NAMES["hawaiian"] == "haw"


def test_sample_repos_lint_clean() -> None:
    report = Report()
    repos = discover(SAMPLES, report)
    assert repos
    for repo_dir in repos:
        lint(load_repo(repo_dir, report), report)
    assert [d.format() for d in report.items if d.level != "info"] == []


def _rule(d: Diagnostic) -> str:
    return re.split(r"[.\[]", d.key, maxsplit=1)[0]


@pytest.mark.real_cards
@pytest.mark.skipif(not REAL.is_dir(), reason=f"{REAL} is absent")
@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_real_cards_lint(corpus: str) -> None:
    source = CORPORA[corpus]
    if not source.is_dir():
        pytest.skip(f"{source} is absent")
    report, linted = Report(), 0
    for repo_dir in discover(source, Report()):
        try:
            repo: ModelRepo = load_repo(repo_dir, Report())
        except CardError:
            continue  # a card the loader refuses is reported by the build, not here
        lint(repo, report)  # any exception fails
        linted += 1
    assert linted
    by_rule = Counter(f"{d.level}: {_rule(d)}" for d in report.items)
    print(f"\n[{corpus}] {linted} cards linted; {report.warnings} warnings, "
          f"{report.count('info')} notes")
    for kind, count in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {count:6d}  {kind}")
    for kind, count in sorted(report.by_message_kind().items(), key=lambda kv: (-kv[1], kv[0]))[:25]:
        print(f"  {count:6d}  {kind}")
