"""Real dates (load/history.py): a model's last change is its folder's last commit, read once, running nothing a repo configures."""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from conftest import build_site, card, make_repo
from sitegen.build import build
from sitegen.config import Config
from sitegen.load import history
from sitegen.report import Report

GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(GIT is None, reason="git is not installed")
OLD = 1580601600  # 2020-02-02: the files' mtimes where a test sets them


def git(cwd: Path, *args: str, date: str = "") -> str:
    """Run git as a user would, with a fixed identity (and commit date, if given)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_AUTHOR_NAME="T", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="T",
               GIT_COMMITTER_EMAIL="t@example.com", GIT_CONFIG_NOSYSTEM="1")
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    return subprocess.run([GIT or "git", "-c", "init.defaultBranch=main", "-c", "commit.gpgSign=false",
                           "-c", "protocol.file.allow=always", *args], cwd=cwd, env=env, check=True,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60).stdout


def commit(repo: Path, date: str, *paths: str) -> None:
    git(repo, "add", "--", *(paths or ["."]))
    git(repo, "commit", "-q", "-m", f"change of {date}", date=date)


def model(parent: Path, name: str, text: str = "A small test model for sitegen.") -> Path:
    return make_repo(parent, name, card("license: mit", f"# Model\n\n{text}\n"))


def shown(out: Path, dir_: str) -> str:
    """The date a model's page shows as its last change."""
    html = (out / "models" / dir_ / "index.html").read_text()
    assert html.count("<dt>Last change</dt>") == 1, html
    return html.split("<dt>Last change</dt><dd><time datetime=\"", 1)[1][:10]


def set_mtimes(folder: Path, when: int = OLD) -> None:
    for path in folder.rglob("*"):
        if ".git" not in path.parts:
            os.utime(path, (when, when), follow_symlinks=False)


def catalog(tmp_path: Path) -> Path:
    """A repository whose models/ folder holds three models, each committed on its own day
    (beta late in the evening west of UTC: the next day in UTC), and a later commit beside them."""
    repo = tmp_path / "repo"
    src = repo / "models"
    for name in ("alpha", "beta", "org/gamma"):
        model(src, name)
    git(repo, "init", "-q")
    commit(repo, "2021-03-04T12:00:00+00:00", "models/alpha")
    commit(repo, "2022-05-06T23:30:00-05:00", "models/beta")
    commit(repo, "2023-07-08T08:00:00+02:00", "models/org")
    (repo / "notes.txt").write_text("not a model\n")
    commit(repo, "2024-12-24T12:00:00+00:00", "notes.txt")
    return repo


DATES = {"alpha": "2021-03-04", "beta": "2022-05-07", "org/gamma": "2023-07-08"}


def test_each_model_shows_the_day_of_the_last_commit_that_touched_its_folder(tmp_path: Path) -> None:
    repo = catalog(tmp_path)
    built = build_site(repo / "models", tmp_path / "out")
    assert built.report.items == []
    assert {d: shown(tmp_path / "out", d) for d in DATES} == DATES
    assert {p.id: p.updated for p in built.model_pages} == DATES  # build.collect, the same dates
    # `sitegen check` meets the same dates as a build.
    checked = build(Config(source=repo / "models", output=tmp_path / "unused"), write=False)
    assert {e.id: e.updated for e in checked.site.models} == DATES


def test_a_fresh_clone_shows_the_same_dates_and_the_same_bytes(tmp_path: Path) -> None:
    repo = catalog(tmp_path)
    git(tmp_path, "clone", "-q", "--no-hardlinks", str(repo), "clone")
    set_mtimes(tmp_path / "clone")  # as a checkout would leave them: any time at all
    build_site(repo / "models", tmp_path / "a")
    build_site(tmp_path / "clone/models", tmp_path / "b")
    set_mtimes(tmp_path / "clone", int(time.time()))
    build_site(tmp_path / "clone/models", tmp_path / "c")
    assert {d: shown(tmp_path / "b", d) for d in DATES} == DATES
    for dir_ in DATES:
        page = (tmp_path / "a/models" / dir_ / "index.html").read_bytes()
        assert page == (tmp_path / "b/models" / dir_ / "index.html").read_bytes() \
            == (tmp_path / "c/models" / dir_ / "index.html").read_bytes()
    assert (tmp_path / "b/index.html").read_bytes() == (tmp_path / "c/index.html").read_bytes()


def test_a_commit_redates_the_page_on_a_rebuild_though_no_file_changes(tmp_path: Path) -> None:
    """An edit not committed yet keeps the date of the last commit (the date the deploy of this
    commit shows); committing it changes no file of the model, and still redates its page."""
    repo = catalog(tmp_path)
    out = tmp_path / "out"
    config = Config(source=repo / "models", output=out, jobs=1)
    readme = repo / "models/alpha/README.md"
    readme.write_text(readme.read_text() + "\nMore.\n")
    set_mtimes(repo)  # long ago: the next builds trust the files at a glance, from their stats
    build(config)
    assert shown(out, "alpha") == "2021-03-04"
    assert build(config).changed == 0
    commit(repo, "2025-01-02T10:00:00+00:00", "models/alpha")
    again = build(config)
    assert shown(out, "alpha") == "2025-01-02" and again.changed > 0
    assert shown(out, "beta") == "2022-05-07"
    assert build(config).changed == 0
    # A folder with no commit yet is dated by its files, as without git.
    set_mtimes(model(repo / "models", "fresh"))
    build(config)
    assert shown(out, "fresh") == "2020-02-02"


def test_a_model_folder_that_is_its_own_clone_or_a_submodule_uses_its_own_history(tmp_path: Path) -> None:
    repo = catalog(tmp_path)
    own = model(repo / "models", "own")
    git(own, "init", "-q")
    commit(own, "2019-01-01T00:00:00+00:00")
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{own}", str(repo / "models/shallow"))
    sub = model(tmp_path, "sub")
    git(sub, "init", "-q")
    commit(sub, "2018-06-07T00:00:00+00:00")
    git(repo, "submodule", "add", "-q", str(sub), "models/org/sub")
    commit(repo, "2024-01-01T00:00:00+00:00")  # the submodule's entry: not the model's last change
    built = build_site(repo / "models", tmp_path / "out")
    assert built.report.items == []
    assert {p.id: p.updated for p in built.model_pages} == \
        {**DATES, "own": "2019-01-01", "shallow": "2019-01-01", "org/sub": "2018-06-07"}
    # A source that is no repository, holding clones.
    plain = tmp_path / "plain"
    plain.mkdir()
    shutil.move(str(own), plain / "own")
    assert {p.id: p.updated for p in build_site(plain, tmp_path / "out2").model_pages} == {"own": "2019-01-01"}


def test_a_folder_that_becomes_its_own_clone_is_dated_anew_and_a_rebuild_looks_for_no_git_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whether a model folder holds a .git of its own is known while the folder's entries are
    unchanged (discovery stat'ed it): a no-change rebuild looks for none, and a .git that comes
    or goes changes the folder, so the next build looks again."""
    repo = catalog(tmp_path)
    config = Config(source=repo / "models", output=tmp_path / "out", jobs=1)
    set_mtimes(repo)  # long ago: the next builds trust the folders at a glance
    build(config)
    looked: list[str] = []
    lexists = os.path.lexists
    monkeypatch.setattr(os.path, "lexists", lambda p: (looked.append(os.fspath(p)), lexists(p))[1])
    assert build(config).changed == 0
    assert [p for p in looked if p.endswith(".git")] == []
    alpha = repo / "models/alpha"
    git(alpha, "init", "-q")
    commit(alpha, "2019-01-01T00:00:00+00:00")
    build(config)
    assert shown(tmp_path / "out", "alpha") == "2019-01-01"
    assert shown(tmp_path / "out", "beta") == "2022-05-07"
    shutil.rmtree(alpha / ".git")
    build(config)
    assert shown(tmp_path / "out", "alpha") == "2021-03-04"


def test_a_commit_dated_past_year_9999_is_no_date_and_stops_nothing(tmp_path: Path) -> None:
    """git takes any commit time a repo gives; Python's gmtime fails on some (year 3e9): such a
    model shows no date, and the others build as always."""
    repo = catalog(tmp_path)
    own = model(repo / "models", "forged")
    git(own, "init", "-q")
    commit(own, "@100000000000000000 +0000")
    built = build_site(repo / "models", tmp_path / "out")
    assert {p.id: p.updated for p in built.model_pages} == {**DATES, "forged": ""}
    assert "Last change" not in (tmp_path / "out/models/forged/index.html").read_text()
    assert shown(tmp_path / "out", "alpha") == "2021-03-04"


def test_a_shallow_clone_is_reported_and_dates_fall_back_to_file_times(tmp_path: Path) -> None:
    repo = catalog(tmp_path)
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", "shallow")
    set_mtimes(tmp_path / "shallow")
    built = build_site(tmp_path / "shallow/models", tmp_path / "out")
    [warning] = built.report.items
    assert warning.level == "warning" and "shallow clone" in warning.message
    assert "fetch-depth: 0" in warning.message and warning.path == str(tmp_path / "shallow/models")
    assert {d: shown(tmp_path / "out", d) for d in DATES} == dict.fromkeys(DATES, "2020-02-02")
    epoch = build_site(tmp_path / "shallow/models", tmp_path / "out2", source_date_epoch=OLD - 86400)
    assert {p.updated for p in epoch.model_pages} == {"2020-02-01"}


TRAPPED = ("log.showSignature=true", "gpg.program={trap}", "gpg.ssh.program={trap}", "core.fsmonitor={trap}",
           "core.pager={trap}", "pager.log={trap}", "alias.log=!{trap}", "diff.external={trap}",
           "core.hooksPath={hooks}", "filter.x.clean={trap}", "filter.x.smudge={trap}",
           "diff.x.textconv={trap}", "core.sshCommand={trap}", "include.path={more}")


def arm(repo: Path, tmp_path: Path) -> Path:
    """Plant a hostile .git/config (and .gitattributes) in repo: every program it names writes
    into `ran`. Its only commit carries a signature, so `log.showSignature` calls gpg.program."""
    trap, ran, hooks = tmp_path / "trap.sh", tmp_path / "ran", tmp_path / "hooks"
    trap.write_text(f"#!/bin/sh\necho \"$0 $*\" >> '{ran}'\ncat >/dev/null\n")
    trap.chmod(0o755)
    hooks.mkdir(exist_ok=True)
    for name in ("pre-commit", "post-checkout", "post-merge", "reference-transaction", "post-index-change"):
        shutil.copy(trap, hooks / name)
    (tmp_path / "more.cfg").write_text(f"[log]\n\tshowSignature = true\n[gpg]\n\tprogram = {trap}\n")
    (repo / ".gitattributes").write_text("* filter=x diff=x\n")
    raw = git(repo, "cat-file", "commit", "HEAD")
    head, message = raw.split("\n\n", 1)
    signed = head + "\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAd\n -----END PGP SIGNATURE-----\n\n" + message
    new = subprocess.run([GIT or "git", "hash-object", "-t", "commit", "-w", "--stdin"], cwd=repo, input=signed,
                         capture_output=True, text=True, check=True, timeout=60).stdout.strip()
    git(repo, "update-ref", "HEAD", new)
    for setting in TRAPPED:
        key, value = setting.split("=", 1)
        git(repo, "config", "--add", key, value.format(trap=trap, hooks=hooks, more=tmp_path / "more.cfg"))
    return ran


@pytest.mark.skipif(os.name != "posix", reason="the trap is a shell script")
def test_a_hostile_repo_config_runs_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "src"
    own = model(src, "own")
    git(own, "init", "-q")
    commit(own, "2019-01-01T00:00:00+00:00")
    ran = arm(own, tmp_path)
    # The traps are armed: git run the ordinary way runs them.
    git(own, "log", "-1")
    git(own, "status")
    assert "--verify" in ran.read_text() and " 2 " in ran.read_text()  # gpg.program, core.fsmonitor
    ran.unlink()
    # Neither does the caller's environment steer git elsewhere.
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "nowhere"))
    monkeypatch.setenv("GIT_CONFIG_PARAMETERS", f"'log.showsignature'='true' 'gpg.program'='{tmp_path}/trap.sh'")
    monkeypatch.setenv("GIT_EXTERNAL_DIFF", str(tmp_path / "trap.sh"))
    built = build_site(src, tmp_path / "out")
    assert [p.updated for p in built.model_pages] == ["2019-01-01"]
    assert not ran.exists(), ran.read_text()
    # The same config in the repository that holds the catalog.
    monkeypatch.delenv("GIT_DIR")
    repo = catalog(tmp_path / "c")
    ran = arm(repo, tmp_path)
    ran.unlink(missing_ok=True)
    built = build_site(repo / "models", tmp_path / "out2")
    assert {p.id: p.updated for p in built.model_pages} == DATES
    assert not ran.exists(), ran.read_text()


def test_no_setting_that_could_run_a_program_is_left_to_the_repo() -> None:
    argv = history.command("git", ["log"])
    assert argv[:2] == ["git", "--no-pager"] and not any("safe.directory" in a for a in argv)
    for key in ("core.fsmonitor", "core.hooksPath", "log.showSignature", "gpg.program", "diff.external",
                "protocol.ext.allow", "protocol.file.allow"):
        assert any(a.startswith(key + "=") for a in argv), key
    assert {"--no-show-signature", "--no-textconv", "--no-ext-diff"} <= set(history.LOG)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a repo away")
def test_a_repository_git_refuses_is_a_warning_and_dates_fall_back(tmp_path: Path) -> None:
    repo = catalog(tmp_path)
    set_mtimes(repo)
    for path in [repo, *repo.rglob("*")]:
        os.lchown(path, 65534, 65534)  # another user's clone: "dubious ownership"
    built = build_site(repo / "models", tmp_path / "out")
    [warning] = built.report.items
    assert warning.level == "warning" and "dubious ownership" in warning.message, warning.message
    assert {p.updated for p in built.model_pages} == {"2020-02-02"}


def test_without_history_the_dates_are_the_files_and_source_date_epoch(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "src"
    for name in DATES:
        model(src, name)
    set_mtimes(src)
    built = build_site(src, tmp_path / "out")
    assert built.report.items == [] and {p.updated for p in built.model_pages} == {"2020-02-02"}
    assert {p.updated for p in build_site(src, tmp_path / "o2", source_date_epoch=OLD - 86400).model_pages} \
        == {"2020-02-01"}
    # A repository, and git missing from PATH.
    repo = catalog(tmp_path)
    set_mtimes(repo)
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    built = build_site(repo / "models", tmp_path / "o3")
    assert built.report.items == [] and {p.updated for p in built.model_pages} == {"2020-02-02"}


def test_one_git_log_dates_the_whole_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not one process per model: `git rev-parse` and one `git log`, for any number of folders
    (names with spaces, commas and accents too)."""
    repo = tmp_path / "repo"
    names = [f"org{i % 7}/m{i}" for i in range(120)] + ["with space", "comma,name", "modèle", "org1/naïve"]
    roots = [str(model(repo, name)) for name in names]
    git(repo, "init", "-q")
    commit(repo, "2021-01-01T00:00:00+00:00")
    (repo / "with space/more.txt").write_text("x")
    (repo / "org3/m3/more.txt").write_text("x")
    commit(repo, "2022-01-01T00:00:00+00:00")
    started = []
    real = subprocess.Popen

    def counting(argv: list[str], **kwargs: object) -> subprocess.Popen[bytes]:
        started.append(argv)
        return real(argv, **kwargs)  # type: ignore[call-overload]
    monkeypatch.setattr(history.subprocess, "Popen", counting)
    report = Report()
    dates = history.commit_dates(repo, roots, report)
    assert report.items == [] and len(started) == 2
    days = {os.path.relpath(r, repo): time.strftime("%Y-%m-%d", time.gmtime(t)) for r, t in dates.items()}
    assert days == {**dict.fromkeys(names, "2021-01-01"), "with space": "2022-01-01", "org3/m3": "2022-01-01"}


@pytest.mark.skipif(os.name != "posix", reason="the trap is a shell script")
def test_a_partial_clone_fetches_nothing(tmp_path: Path) -> None:
    """A partial clone fetches missing trees from its remote on demand; its config names the
    remote, so that would run what it names: the dates fall back instead, with a warning."""
    repo = catalog(tmp_path)
    git(repo, "config", "uploadpack.allowFilter", "true")
    git(tmp_path, "clone", "-q", "--filter=tree:0", f"file://{repo}", "partial")
    ran, trap = tmp_path / "ran", tmp_path / "trap.sh"
    trap.write_text(f"#!/bin/sh\necho \"$0 $*\" >> '{ran}'\n")
    trap.chmod(0o755)
    for key, value in (("remote.origin.url", f"ext::{trap} %S"), ("protocol.ext.allow", "always"),
                       ("protocol.allow", "always")):
        git(tmp_path / "partial", "config", key, value)
    set_mtimes(tmp_path / "partial")
    built = build_site(tmp_path / "partial/models", tmp_path / "out")
    assert not ran.exists(), ran.read_text()
    assert [d.level for d in built.report.items] == ["warning"] and "git could not read" in built.report.items[0].message
    assert {p.updated for p in built.model_pages} == {"2020-02-02"}
    subprocess.run([GIT or "git", "log", "--name-only"], cwd=tmp_path / "partial", capture_output=True,
                   stdin=subprocess.DEVNULL, timeout=60)
    assert ran.exists()  # the trap was armed: git run the ordinary way fetches, and runs it


def test_a_git_folder_that_is_no_repository_dates_by_files_not_by_the_repository_around_it(tmp_path: Path) -> None:
    repo = catalog(tmp_path)
    fake = model(repo / "models", "fake")
    (fake / ".git").mkdir()
    (fake / ".git/config").write_text("[core]\n\tbare = false\n")
    set_mtimes(fake)
    built = build_site(repo / "models", tmp_path / "out")
    assert built.report.items == []
    assert {p.id: p.updated for p in built.model_pages} == {**DATES, "fake": "2020-02-02"}
