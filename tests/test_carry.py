"""Deploys that are rebuilds: the build state and the output restored into a fresh checkout (new
inodes, new mtimes, same content) are used, and give the bytes a cold build gives."""
from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from conftest import card, make_repo
from test_incremental import assert_same_site, make_source, snapshot

from sitegen import cache, carry
from sitegen.build import Result, build
from sitegen.config import Config
from sitegen.recovery import MARKER

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

MODELS = 8  # make_source's repos


def _git(cwd: Path, *args: str, day: str = "2024-03-01") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": f"{day}T12:00:00Z", "GIT_COMMITTER_DATE": f"{day}T12:00:00Z",
           "GIT_AUTHOR_NAME": "Octo Cat", "GIT_AUTHOR_EMAIL": "octo@example.com",
           "GIT_COMMITTER_NAME": "Octo Cat", "GIT_COMMITTER_EMAIL": "octo@example.com",
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def _workspace(ws: Path) -> Config:
    """A repository as `sitegen init` lays it out: models/ committed, the site in _site/."""
    make_source(ws / "models")
    _git(ws, "init", "-q", "-b", "main")
    _git(ws, "add", ".")
    _git(ws, "commit", "-q", "-m", "models", day="2024-02-01")
    return Config(source=ws / "models", output=ws / "_site", jobs=1)


def _fresh_copy(folder: Path) -> None:
    """Put a copy of `folder` where it was: every file and folder a new inode, every mtime now."""
    old = folder.with_name(folder.name + ".old")
    folder.rename(old)
    shutil.copytree(old, folder, symlinks=True, copy_function=shutil.copyfile)
    shutil.rmtree(old)
    now = time.time() + 5  # later than anything the last build saw: no stat of it holds
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            os.utime(os.path.join(root, name), (now, now), follow_symlinks=False)
    os.utime(folder, (now, now))


def _restore(ws: Path, cache_home: Path) -> None:
    """What a CI run starts from: a fresh checkout at the same path, the cache restored into it."""
    _fresh_copy(ws)
    _fresh_copy(cache_home)


def _cold(config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cold-cache"))
    fresh = tmp_path / "cold" / "_site"
    cold = build(dataclasses.replace(config, output=fresh, cache=False))
    assert cold.rebuilt == MODELS
    return fresh


def _edit_one_card(ws: Path) -> None:
    readme = ws / "models" / "lab" / "plain" / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace("Nothing special.", "Something special."),
                      encoding="utf-8")
    _git(ws, "commit", "-q", "-am", "edit lab/plain", day="2024-05-05")


def test_a_restored_cache_in_a_fresh_checkout_rebuilds_only_the_changed_card(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws, cache_home = tmp_path / "ws", tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    config = _workspace(ws)
    first = build(config)
    assert first.rebuilt == MODELS and not first.report.errors
    _restore(ws, cache_home)
    _edit_one_card(ws)
    again = build(config)
    assert again.rebuilt == 1, "the restored state was not used"
    page = (ws / "_site" / "models" / "lab" / "plain" / "index.html").read_text(encoding="utf-8")
    assert "Something special." in page and "2024-05-05" in page
    assert_same_site(ws / "_site", _cold(config, tmp_path, monkeypatch))


def test_a_restored_cache_with_nothing_changed_rebuilds_nothing(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    ws, cache_home = tmp_path / "ws", tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    config = _workspace(ws)
    build(config)
    before = snapshot(ws / "_site")
    _restore(ws, cache_home)
    again = build(config)
    assert (again.rebuilt, again.changed) == (0, 0)
    assert snapshot(ws / "_site") == before
    assert build(config).rebuilt == 0  # and the next build knows the new stats


def test_without_history_new_mtimes_are_new_dates_so_every_page_is_made_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No git: a page shows its newest file's day, so a checkout made today changes every page."""
    ws, cache_home = tmp_path / "ws", tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    config = Config(source=make_source(ws / "models"), output=ws / "_site", jobs=1)
    build(config)
    _restore(ws, cache_home)
    again = build(config)
    assert again.rebuilt == MODELS
    assert_same_site(ws / "_site", _cold(config, tmp_path, monkeypatch))


def test_an_output_restored_from_another_build_is_not_updated(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The state and the output come back from different builds (an older output): its marker
    names other inputs, so the build makes the whole site again."""
    ws, cache_home = tmp_path / "ws", tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    config = _workspace(ws)
    build(config)
    older = tmp_path / "older"
    shutil.copytree(ws / "_site", older)
    readme = ws / "models" / "acme" / "base" / "README.md"  # a change no list shows, the same day
    readme.write_text(readme.read_text(encoding="utf-8").replace("Trained on reviews.", "Trained on more."),
                      encoding="utf-8")
    _git(ws, "commit", "-q", "-am", "edit acme/base", day="2024-02-01")
    assert build(config).rebuilt == 1
    shutil.rmtree(ws / "_site")
    shutil.copytree(older, ws / "_site")  # last deploy's state, the deploy before's output
    again = build(config)
    assert again.rebuilt == MODELS
    assert_same_site(ws / "_site", _cold(config, tmp_path, monkeypatch))


def test_a_copied_marker_is_not_trusted_in_an_output_inside_the_source(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """`cd repo && sitegen build`: the repo could ship `_site/` with a marker copied from a
    published site; a marker with another inode there means a full build."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    repo = make_repo(tmp_path, "repo", card("license: mit"))
    config = Config(source=repo, output=repo / "_site", jobs=1)
    build(config)
    marker = (repo / "_site" / MARKER).read_bytes()
    shutil.rmtree(repo / "_site")
    planted = repo / "_site" / "planted.html"
    planted.parent.mkdir()
    planted.write_text("<script>evil()</script>", encoding="utf-8")
    (repo / "_site" / MARKER).write_bytes(marker)
    again = build(config)
    assert again.rebuilt == 1 and not planted.exists()


def test_the_marker_names_the_inputs_and_nothing_of_this_machine(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    config = _workspace(tmp_path / "ws")
    result: Result = build(config)
    text = (config.output / MARKER).read_text(encoding="utf-8")
    assert text.startswith(carry.MARKER_HEAD) and len(text) < 200
    assert str(tmp_path) not in text and result.rebuilt == MODELS
    # the state is JSON lines in the user's cache, never in the checkout
    state = cache.path_for(config.output)
    assert state.is_relative_to(tmp_path / "cache") and state.read_bytes()[:1] == b"{"
