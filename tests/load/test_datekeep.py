"""The commit dates kept between builds: the same as reading the whole history, whatever happened to it or to the file."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from test_history import GIT, commit, git, model
from sitegen.load import datekeep, history
from sitegen.report import Report

pytestmark = pytest.mark.skipif(GIT is None, reason="git is not installed")
NAMES = ["org/a", "org/b", "org/c", "solo"]


def setup(tmp_path: Path) -> tuple[Path, list[str], Path]:
    repo = tmp_path / "repo"
    roots = [str(model(repo / "models", name)) for name in NAMES]
    git(repo, "init", "-q")
    commit(repo, "2021-01-01T00:00:00+00:00")
    keep = tmp_path / "state"
    keep.mkdir()
    return repo, roots, keep


def cold(repo: Path, roots: list[str]) -> dict[str, int]:
    report = Report()
    dates = history.commit_dates(repo / "models", roots, report)
    assert report.items == []
    return dates


def kept(repo: Path, roots: list[str], keep: Path, processes: int | None = None,
         monkeypatch: pytest.MonkeyPatch | None = None) -> dict[str, int]:
    """The dates with the kept ones (as many git processes as said, if said), which must be a cold read's."""
    started = []
    real = subprocess.Popen

    def counting(argv: list[str], **kwargs: object) -> subprocess.Popen[bytes]:
        started.append(argv)
        return real(argv, **kwargs)  # type: ignore[call-overload]
    if monkeypatch:
        monkeypatch.setattr(history.subprocess, "Popen", counting)
    report, warn = Report(), Report()
    dates = history.commit_dates(repo / "models", roots, report, keep, warn)
    if monkeypatch:
        monkeypatch.undo()
    assert report.items == [] and warn.items == []
    assert dates == cold(repo, roots)
    if processes is not None:
        assert len(started) == processes, started
    return dates


def edit(repo: Path, name: str, date: str) -> None:
    with open(repo / "models" / name / "README.md", "a") as fh:
        fh.write(f"\nedited {date}\n")
    commit(repo, date)


def test_a_rebuild_reads_only_the_commits_since_the_last_and_gets_a_cold_reads_dates(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo, roots, keep = setup(tmp_path)
    kept(repo, roots, keep, 2, monkeypatch)  # rev-parse, the whole log: kept
    assert json.loads((keep / datekeep.NAME).read_text())["dates"].keys() == set(NAMES)
    kept(repo, roots, keep, 1, monkeypatch)  # the same commit: rev-parse alone
    edit(repo, "org/a", "2022-02-02T00:00:00+00:00")
    edit(repo, "solo", "2019-01-01T00:00:00+00:00")  # a clock behind: the walk's order, not the newest, counts
    (repo / "elsewhere.txt").write_text("outside the models\n")
    commit(repo, "2023-03-03T00:00:00+00:00")
    git(repo, "commit", "-q", "--allow-empty", "-m", "empty", date="2023-04-04T00:00:00+00:00")
    dates = kept(repo, roots, keep, 2, monkeypatch)  # rev-parse, the log since
    assert dates[roots[3]] == 1546300800 and dates[roots[0]] == 1643760000
    model(repo / "models", "org/new")
    commit(repo, "2024-01-01T00:00:00+00:00")
    kept(repo, [*roots, str(repo / "models/org/new")], keep, 2, monkeypatch)  # a new model: from the commits since


def test_merges_rewrites_and_resets_read_the_whole_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo, roots, keep = setup(tmp_path)
    kept(repo, roots, keep)
    git(repo, "checkout", "-q", "-b", "side")
    edit(repo, "org/b", "2022-01-01T00:00:00+00:00")
    git(repo, "checkout", "-q", "main")
    edit(repo, "org/c", "2022-06-01T00:00:00+00:00")
    kept(repo, roots, keep)
    git(repo, "merge", "-q", "--no-edit", "side", date="2023-01-01T00:00:00+00:00")
    kept(repo, roots, keep, 3, monkeypatch)  # a merge since: rev-parse, the log since, the whole log
    git(repo, "commit", "-q", "--amend", "-m", "rewritten", date="2024-01-01T00:00:00+00:00")
    kept(repo, roots, keep, 3, monkeypatch)  # the kept commit is no ancestor any more
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    kept(repo, roots, keep, 3, monkeypatch)  # back in time
    kept(repo, [*roots, str(repo / "models/org")], keep, 2, monkeypatch)  # a folder not kept, not touched since


def test_a_repository_with_grafts_keeps_nothing(tmp_path: Path) -> None:
    repo, roots, keep = setup(tmp_path)
    edit(repo, "org/a", "2022-02-02T00:00:00+00:00")
    (repo / ".git/info").mkdir(exist_ok=True)
    (repo / ".git/info/grafts").write_text("")
    kept(repo, roots, keep)
    assert not (keep / datekeep.NAME).exists()


@pytest.mark.parametrize("text", [
    "", "{", "[]", "null", '"x"', '{"format": 2}', b"\xff\xfe".decode("latin-1"),
    '{"format": 1, "head": "zz", "prefix": "models/", "dates": {}}',
    '{"format": 1, "head": "%H", "prefix": 7, "dates": {}}',
    '{"format": 1, "head": "%H", "prefix": "models/", "dates": []}',
    '{"format": 1, "head": "%H", "prefix": "models/", "dates": {"org/a": true}}',
    '{"format": 1, "head": "%H", "prefix": "models/", "dates": {"org/a": -1}}',
    '{"format": 1, "head": "%H", "prefix": "models/", "dates": {"org/a": 1.5}}',
    '{"format": 1, "head": "%H", "prefix": "models/", "dates": {"org/a": "1"}}',
    "[" * 100_000,
])
def test_a_damaged_file_is_a_warning_and_the_whole_history_is_read(tmp_path: Path, text: str) -> None:
    repo, roots, keep = setup(tmp_path)
    head = git(repo, "rev-parse", "HEAD").strip()
    (keep / datekeep.NAME).write_text(text.replace("%H", head), encoding="latin-1")
    report, warn = Report(), Report()
    assert history.commit_dates(repo / "models", roots, report, keep, warn) == cold(repo, roots)
    assert report.items == [] and len(warn.items) == 1
    assert "the kept commit dates are damaged" in warn.items[0].message
    assert json.loads((keep / datekeep.NAME).read_text())["head"] == head  # read anew and kept


@pytest.mark.parametrize("head", ["0" * 40, "%B", "%O"])
def test_dates_kept_at_a_commit_that_is_not_the_head_are_not_believed(tmp_path: Path, head: str) -> None:
    """Kept at a commit unknown here, at a blob's id, at an older commit with dates that lie: a cold read's dates."""
    repo, roots, keep = setup(tmp_path)
    old = git(repo, "rev-parse", "HEAD").strip()
    edit(repo, "org/a", "2022-02-02T00:00:00+00:00")
    blob = git(repo, "rev-parse", "HEAD:models/org/a/README.md").strip()
    head = head.replace("%B", blob).replace("%O", old)
    lies = {name: 1 for name in NAMES} if head == old else {}
    lies.pop("org/a", None)  # touched since: its date comes from the commit
    datekeep.save(keep, datekeep.Kept(head, "models/", lies))
    dates = history.commit_dates(repo / "models", roots, Report(), keep)
    if head == old:  # a commit's id names its history: dates kept with it are believed (the state is this user's)
        assert dates[roots[0]] == 1643760000 and dates[roots[1]] == 1
    else:
        assert dates == cold(repo, roots)


def test_a_truncated_file_or_a_file_too_large_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo, roots, keep = setup(tmp_path)
    kept(repo, roots, keep)
    path = keep / datekeep.NAME
    path.write_bytes(path.read_bytes()[:-7])
    warn = Report()
    assert history.commit_dates(repo / "models", roots, Report(), keep, warn) == cold(repo, roots)
    assert "damaged" in warn.items[0].message
    monkeypatch.setattr(datekeep, "MAX_BYTES", 10)
    warn = Report()
    assert history.commit_dates(repo / "models", roots, Report(), keep, warn) == cold(repo, roots)
    assert "larger than" in warn.items[0].message


def test_too_many_commits_since_read_the_whole_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo, roots, keep = setup(tmp_path)
    kept(repo, roots, keep)
    monkeypatch.setattr(datekeep, "MAX_NEW", 2)
    for day in ("01", "02", "03"):
        edit(repo, "org/b", f"2022-01-{day}T00:00:00+00:00")
    kept(repo, roots, keep, 3, monkeypatch)


def test_an_unreadable_state_folder_is_a_warning(tmp_path: Path) -> None:
    repo, roots, keep = setup(tmp_path)
    (keep / datekeep.NAME).mkdir()  # a folder where the file should be
    warn = Report()
    assert history.commit_dates(repo / "models", roots, Report(), keep, warn) == cold(repo, roots)
    assert len(warn.items) == 1 and "cannot be read" in warn.items[0].message
