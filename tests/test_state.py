"""sitegen's own state is never a repo's (issue 20, item 1): the build cache and the records
of the folders beside the output live in the user's cache folder, are JSON read back
strictly, and recovery after a killed build acts only on folders a build recorded, never
through a symlink, and only after the output check."""
from __future__ import annotations

import json
import os
import pickle
import stat
from pathlib import Path
from typing import Any, Callable

import pytest
from conftest import card, make_repo
from test_incremental import assert_same_site, make_source, run

from sitegen import cache, manifest, recovery, write
from sitegen.cli import main
from sitegen.config import Config
from sitegen.load.repo import list_files

DEAD = 999_999  # the planted folders' pid: no process has it here (checked)


class Payload:
    """A pickle that creates a folder when it is loaded: what a hostile repo ships."""

    def __init__(self, target: Path):
        self.target = target

    def __reduce__(self) -> tuple[object, ...]:
        return (os.mkdir, (str(self.target),))


def one_repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path, "repo", card("license: mit\npipeline_tag: fill-mask", "# Repo\n\nA model.\n"))


def build_in(repo: Path, how: str, monkeypatch: pytest.MonkeyPatch, *flags: str) -> int:
    """`cd repo && sitegen build` or `sitegen build repo -o repo/_site`."""
    if how == "cd":
        monkeypatch.chdir(repo)
        return main(["build", *flags])
    return main(["build", str(repo), "-o", str(repo / "_site"), *flags])


def tree(folder: Path) -> dict[str, object]:
    """Every entry under a folder: a file's bytes, a link's target, a folder's name."""
    out: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        out[rel] = os.readlink(path) if path.is_symlink() else path.read_bytes() if path.is_file() else "dir"
    return out


def damaged_warnings(err: str) -> list[str]:
    return [line for line in err.splitlines() if "the build cache is damaged" in line]


# --- (a) a shipped cache file is never read ---------------------------------------------------------


@pytest.mark.parametrize("how", ["cd", "path"])
def test_a_shipped_cache_file_is_never_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    """Protects against code execution: `._site.sitegen-cache` in a repo was unpickled by
    `cd repo && sitegen build` (and by `sitegen build repo -o repo/_site`)."""
    repo = one_repo(tmp_path)
    pwned = tmp_path / "pwned"
    shipped = repo / "._site.sitegen-cache"
    shipped.write_bytes(pickle.dumps(Payload(pwned)))
    assert build_in(repo, how, monkeypatch) == 0
    assert not pwned.exists(), "the repo's pickle ran"
    assert (repo / "_site/models/repo/index.html").is_file()
    assert shipped.is_file()  # the repo's file: never read, never deleted


# --- (b) a shipped "leftover update" is never recovered ---------------------------------------------


def plant(repo: Path, outside: Path, kind: str) -> Path:
    """A folder posing as a killed build's beside `repo/_site`, and an `_site` with our marker
    and a link to a folder outside the repo (for 'old', no `_site`: it would be put back)."""
    planted = repo / f"._site.sitegen-{kind}-{DEAD}"
    (planted / "x").mkdir(parents=True)
    (planted / "x/evil.txt").write_text("written through the link")
    (planted / "index.html").write_text("<p>the repo's page</p>")
    (planted / recovery.JOURNAL).write_text("x/victim.txt\n")
    (planted / "link").symlink_to(outside / "victim.txt")
    if kind == "old":
        (planted / write.MARKER).write_text(write.MARKER_TEXT)
        return planted
    (repo / "_site").mkdir()
    (repo / "_site" / write.MARKER).write_text(write.MARKER_TEXT)
    (repo / "_site/x").symlink_to(outside, target_is_directory=True)
    return planted


@pytest.mark.parametrize("kind", ["apply", "old", "tmp"])
@pytest.mark.parametrize("flags", [(), ("--no-cache",)], ids=["cache", "no-cache"])
@pytest.mark.parametrize("how", ["cd", "path"])
def test_a_shipped_leftover_folder_is_never_recovered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str], kind: str,
                                                      flags: tuple[str, ...], how: str) -> None:
    """Protects against writes and deletes outside the repo: a planted committed update was
    rolled forward through a symlink in a planted `_site` (before any output check, even with
    --no-cache), a planted 'old' site was renamed into place, a planted temp folder deleted."""
    if recovery._alive(DEAD):
        pytest.skip(f"a process {DEAD} is running")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.txt").write_text("precious")
    repo = one_repo(tmp_path)
    planted = plant(repo, outside, kind)
    before, outside_before = tree(planted), tree(outside)
    assert build_in(repo, how, monkeypatch, *flags) == 0
    assert tree(outside) == outside_before, "a file outside the repo was written or deleted"
    assert tree(planted) == before, "the planted folder was moved, rolled forward or deleted"
    assert (repo / "_site/models/repo/index.html").is_file() and not (repo / "_site/x").exists()
    err = capsys.readouterr().err
    assert err.count(planted.name) == 1 and "left alone" in err  # said once


# --- (c) a damaged or hostile manifest ---------------------------------------------------------------


def _edit_record(path: Path, shown: str, field: int, edit: Callable[[Any], Any]) -> None:
    """Edit one field of `shown`'s record: a shard's records are in columns, one per field
    (the first holds the repos' shown paths)."""
    lines = path.read_bytes().split(b"\n")
    i = next(i for i, line in enumerate(lines) if i >= 2 and json.dumps(shown).encode() in line)
    columns = json.loads(lines[i])
    row = columns[0].index(shown)
    columns[field][row] = edit(columns[field][row])
    lines[i] = json.dumps(columns).encode()
    path.write_bytes(b"\n".join(lines))


def _edit_found(path: Path, shown: str, column: int, value: Any) -> None:
    """Edit what discovery found of one repo (columns: ids, roots, shown, dirs, its own .git)."""
    lines = path.read_bytes().split(b"\n")
    found = json.loads(lines[1])
    found[1][column][found[1][2].index(shown)] = value
    lines[1] = json.dumps(found).encode()
    path.write_bytes(b"\n".join(lines))


SIG, FILES = 2, 9  # columns of a shard's records
HOSTILE: dict[str, Callable[[Path, str], object]] = {
    "garbage": lambda path, shown: path.write_bytes(b"\x00\xffnot json"),
    "a pickle": lambda path, shown: path.write_bytes(pickle.dumps(Payload(path.parent / "pwned"))),
    "cut short": lambda path, shown: path.write_bytes(path.read_bytes()[:-50]),
    "entries edited": lambda path, shown: path.write_bytes(path.read_bytes().replace(b'"cc-by-4.0"', b'"mit"')),
    "a record of the wrong shape": lambda path, shown: _edit_record(path, shown, SIG, lambda sig: {"files": sig}),
    "a number that is a string": lambda path, shown: _edit_record(
        path, shown, SIG, lambda sig: [[p, str(size), mtime] for p, size, mtime in sig]),
    "files outside the site": lambda path, shown: _edit_record(path, shown, FILES, lambda files: [*files, "../victim.txt"]),
    "a file path that holds a NUL": lambda path, shown: _edit_record(
        path, shown, FILES, lambda files: [*files, "models/ok\x00.html"]),
    "a model folder outside the site": lambda path, shown: _edit_found(path, shown, 3, "models/../../victim"),
    "a repo outside the source": lambda path, shown: _edit_found(path, shown, 1, "/etc"),
    "a .git flag that is a string": lambda path, shown: _edit_found(path, shown, 4, "false"),
}


@pytest.mark.parametrize("damage", list(HOSTILE))
def test_a_damaged_manifest_costs_one_warning_and_a_full_build(tmp_path: Path, damage: str,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """Protects the build from its state: a manifest that is not what sitegen wrote (garbage,
    a pickle, cut short, edited, a value of the wrong type, a path that leaves the site or the
    source) is refused with one warning, and the build is complete and correct."""
    src = make_source(tmp_path / "src")
    out = tmp_path / "out"
    config = Config(source=src, output=out, jobs=1)
    run(config)
    (tmp_path / "victim.txt").write_text("precious")
    shown = str(src / "lab/plain")
    path = cache.path_for(out)
    good = path.read_bytes()
    HOSTILE[damage](path, shown)
    assert path.read_bytes() != good
    (out / "models/lab/plain/index.html").unlink()  # only a full build puts it back
    result = run(config)
    warnings = [d.format() for d in result.report.items if "the build cache is damaged" in d.message]
    assert len(warnings) == 1 and warnings[0].startswith(f"{path}: warning: ") \
        and warnings[0].endswith("; building every model"), warnings
    assert (tmp_path / "victim.txt").read_text() == "precious" and not (path.parent / "pwned").exists()
    assert (out / "models/lab/plain/index.html").is_file()
    run(config, output=tmp_path / "cold", cache=False)
    assert_same_site(out, tmp_path / "cold")
    again = run(config)
    assert again.changed == 0 and not [d for d in again.report.items if "cache" in d.message]  # good again


def test_a_manifest_of_other_settings_is_silently_not_used(tmp_path: Path) -> None:
    """Protects the quiet path: a manifest keyed for other settings (here another title) is
    not damaged: no warning, a full build."""
    src = make_source(tmp_path / "src")
    config = Config(source=src, output=tmp_path / "out", jobs=1)
    run(config)
    result = run(config, title="Another title")
    assert result.changed > 8 and result.report.warnings == 0


def test_the_cli_says_once_that_the_cache_is_damaged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = one_repo(tmp_path)
    out = tmp_path / "out"
    assert main(["build", str(repo), "-o", str(out), "-q"]) == 0
    cache.path_for(out).write_bytes(b"{")
    capsys.readouterr()
    assert main(["build", str(repo), "-o", str(out)]) == 0
    assert len(damaged_warnings(capsys.readouterr().err)) == 1


# --- (d) where the state is, and what is left beside the output -------------------------------------


def test_the_state_lives_in_the_users_cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Protects 'a repo is data': after `cd repo && sitegen build` nothing of sitegen's but the
    output is beside it, and the manifest is in $XDG_CACHE_HOME/sitegen, in a folder only
    this user can read."""
    repo = one_repo(tmp_path)
    assert build_in(repo, "cd", monkeypatch) == 0
    assert sorted(p.name for p in repo.glob(".*sitegen*")) == []
    manifest_path = cache.path_for(repo / "_site")
    assert manifest_path.is_file() and manifest_path.is_relative_to(os.environ["XDG_CACHE_HOME"])
    assert stat.S_IMODE(manifest_path.parent.stat().st_mode) == 0o700
    assert build_in(repo, "cd", monkeypatch) == 0  # the incremental build finds it
    assert json.loads(manifest_path.read_bytes().split(b"\n")[0])["format"] == cache.FORMAT


def test_one_state_folder_per_output_whatever_its_spelling(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    assert cache.state_path(Path("real/_site")) == cache.state_path(tmp_path / "link/_site")
    assert cache.state_path(tmp_path / "real/_site") != cache.state_path(tmp_path / "real/other")


def test_a_relative_xdg_cache_home_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Protects against state inside the folder sitegen runs in (the XDG spec's rule)."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert cache.user_dir() == tmp_path / "home/.cache/sitegen"


def test_without_a_state_folder_the_build_is_whole_and_recovers_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Protects the fallback: when the user's cache folder cannot be made, a build warns once,
    writes the whole site, and touches no folder beside the output."""
    (tmp_path / "not-a-folder").write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-folder"))
    repo = one_repo(tmp_path)
    out = tmp_path / "out"
    leftover = tmp_path / ".out.sitegen-tmp-1-0123456789abcdef"
    leftover.mkdir()
    for _ in range(2):
        assert main(["build", str(repo), "-o", str(out)]) == 0
        err = capsys.readouterr().err
        assert err.count("state folder cannot be made") == 1 and "nothing is recovered" in err
        assert (out / "models/repo/index.html").is_file() and leftover.is_dir()


# --- (e) our own killed update: still rolled forward, never through a link ---------------------------


def test_our_own_update_is_never_rolled_forward_through_a_link(tmp_path: Path) -> None:
    """Protects the roll-forward itself: even a recorded update (ours) moves no file through a
    symlink in the output, deletes nothing through one, moves no link of its own, and skips
    journal lines that leave the site."""
    out, outside = tmp_path / "out", tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.txt").write_text("precious")
    (tmp_path / "victim.txt").write_text("precious too")
    state = cache.state_dir(out)
    write.write_site(out, {"index.html": b"old", "keep/a.html": b"a"}, [], state)
    (out / "x").symlink_to(outside, target_is_directory=True)
    committed = recovery.sibling(out, "apply", state, recovery.marker_of(out), pid=DEAD)
    (committed / "x").mkdir(parents=True)
    (committed / "x/evil.txt").write_text("through the link")
    (committed / "index.html").write_text("new")
    (committed / "keep").mkdir()
    (committed / "keep/link.html").symlink_to(outside / "victim.txt")
    (committed / recovery.JOURNAL).write_text("x/victim.txt\n../victim.txt\n/etc/hostname\nkeep/a.html\n")
    before = tree(outside)
    assert recovery.recover(out, state) == []
    assert tree(outside) == before and (tmp_path / "victim.txt").is_file()
    assert (out / "index.html").read_text() == "new" and not (out / "keep/a.html").exists()
    assert not (out / "keep/link.html").exists() and not committed.exists()


def test_an_update_is_not_rolled_into_an_output_someone_replaced(tmp_path: Path) -> None:
    """Protects the marker check for updates: a recorded update of a build killed before
    another site was put in the output is dropped, not moved into that site."""
    out = tmp_path / "out"
    state = cache.state_dir(out)
    write.write_site(out, {"index.html": b"ours"}, [], state)
    committed = recovery.sibling(out, "apply", state, recovery.marker_of(out), pid=DEAD)
    committed.mkdir()
    (committed / "index.html").write_text("update")
    write.write_site(out, {"index.html": b"another build's"}, [], None)  # a new marker
    recovery.recover(out, state)
    assert (out / "index.html").read_bytes() == b"another build's" and not committed.exists()


def test_the_source_spelt_another_way_is_a_quiet_full_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """Protects against a false alarm: the records name repos by the source as spelt, so the
    same source given as `src` and then as an absolute path is another manifest, not a
    damaged one."""
    make_repo(tmp_path / "src", "model", card("license: mit"))
    monkeypatch.chdir(tmp_path)
    assert main(["build", "src", "-o", "out"]) == 0
    capsys.readouterr()
    assert main(["build", str(tmp_path / "src"), "-o", "out"]) == 0
    assert "warning" not in capsys.readouterr().err


@pytest.mark.parametrize("how", ["cd", "path"])
def test_a_site_built_inside_its_repo_is_not_part_of_the_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             how: str) -> None:
    """`cd repo && sitegen build` writes _site/ into the repo: the next build must not read it
    as the repo's files (its key would change on every build, and the page would list them)."""
    repo = one_repo(tmp_path)
    assert build_in(repo, how, monkeypatch) == 0
    page = (repo / "_site/models/repo/index.html").read_bytes()
    before = tree(repo / "_site")
    assert build_in(repo, how, monkeypatch) == 0
    assert tree(repo / "_site") == before
    assert b"_site/" not in page and b".sitegen-site" not in page
    assert [f.path for f in list_files(repo)] == ["README.md"]
