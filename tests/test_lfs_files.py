"""`sitegen lfs-files`: exactly the Git LFS pointer files the pages show, for `git lfs pull --include`."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import card, make_repo, png_bytes
from sitegen.load.lfs import MAX_POINTER_BYTES, pointer


def lfs_pointer(data: bytes) -> bytes:
    """The pointer file git-lfs commits for `data` (spec v1)."""
    return (f"version https://git-lfs.github.com/spec/v1\noid sha256:{hashlib.sha256(data).hexdigest()}\n"
            f"size {len(data)}\n").encode()


CAT, DOG = png_bytes(8, 6), png_bytes(6, 8, (10, 200, 10))
WEIGHTS = b"\x08\x00\x00\x00\x00\x00\x00\x00{}      " + b"\x00" * 64


def model_card(body: str = "# Model\n\n![dog](images/dog.png)\n\n![plain](plain.png)\n") -> str:
    return card("""
pipeline_tag: image-classification
widget:
- src: cat.png
  example_title: Cat
- src: plain.png
  example_title: Plain
""", body)


def lfs_source(root: Path) -> Path:
    """models/acme/vision: a widget image and a card image that are pointers, weights that are
    a pointer (and a card image naming them), and an ordinary image."""
    src = root / "models"
    make_repo(src, "acme/vision", model_card(), {
        "cat.png": lfs_pointer(CAT), "images/dog.png": lfs_pointer(DOG),
        "model.safetensors": lfs_pointer(WEIGHTS), "plain.png": png_bytes(),
        "config.json": '{"model_type": "vit"}'})
    return src


# --- the detector -------------------------------------------------------------------------


def test_pointer_reads_oid_and_size() -> None:
    data = lfs_pointer(CAT)
    assert pointer(data) == (hashlib.sha256(CAT).hexdigest(), len(CAT))
    old = data.replace(b"git-lfs.github.com", b"hawser.github.com")
    assert pointer(old) == pointer(data)
    ext = data.replace(b"\noid", b"\next-0-foo sha256:" + b"a" * 64 + b"\next-1-bar sha256:" + b"b" * 64 + b"\noid")
    assert pointer(ext) == pointer(data)


@pytest.mark.parametrize("data", [
    b"", b"version https://git-lfs.github.com/spec/v1\n",
    CAT, WEIGHTS,
    lfs_pointer(CAT).rstrip(b"\n"),  # no final newline
    lfs_pointer(CAT).replace(b"\n", b"\r\n"),
    lfs_pointer(CAT).replace(b"sha256:", b"sha256:A", 1)[:-1],  # 65 characters
    lfs_pointer(CAT).upper(),
    lfs_pointer(CAT).replace(b"spec/v1", b"spec/v2"),
    lfs_pointer(CAT).replace(b"size ", b"size 0"),  # a leading zero: not the one encoding
    lfs_pointer(CAT).replace(b"size ", b"size  "),
    lfs_pointer(CAT).replace(b"size ", b"size -"),
    lfs_pointer(CAT) + b"size 3\n",
    lfs_pointer(CAT) + b"x" * MAX_POINTER_BYTES,  # a pointer's start in a longer file
    lfs_pointer(CAT).replace(b"\noid", b"\nfoo bar\noid"),
    lfs_pointer(CAT).replace(b"\noid", b"\next-1-a sha256:" + b"a" * 64 + b"\next-0-b sha256:" + b"b" * 64 + b"\noid"),
    b"oid sha256:" + b"a" * 64 + b"\nversion https://git-lfs.github.com/spec/v1\nsize 3\n",
    lfs_pointer(CAT).replace(b"size ", b"size 99999999999999999999"),
])
def test_pointer_refuses_anything_else(data: bytes) -> None:
    assert pointer(data) is None


# --- the command --------------------------------------------------------------------------


def test_lists_the_media_pointers_and_not_the_weights(tmp_path: Path, run_cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    src = lfs_source(tmp_path)
    (src / "acme/vision/README.md").write_text(model_card(
        "# Model\n\n![dog](images/dog.png)\n\n![plain](plain.png)\n\n![w](model.safetensors)\n"
        "[weights](model.safetensors)\n"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    run = run_cli(["lfs-files", "models"])
    assert run.code == 0, run.err
    assert run.out == "/models/acme/vision/cat.png,/models/acme/vision/images/dog.png\n"
    assert "model.safetensors" in run.err and "weights stay out" in run.err  # the card image naming them
    # From elsewhere the paths follow the working folder; and -0 ends each with NUL.
    monkeypatch.chdir(src)
    run = run_cli(["lfs-files", "-0", "."])
    assert run.out == "/acme/vision/cat.png\0/acme/vision/images/dog.png\0"


def test_no_pointers_prints_nothing(tmp_path: Path, run_cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "models"
    make_repo(src, "acme/vision", model_card(), {"cat.png": CAT, "images/dog.png": DOG, "plain.png": png_bytes(),
                                                 "model.safetensors": lfs_pointer(WEIGHTS)})
    monkeypatch.chdir(tmp_path)
    run = run_cli(["lfs-files", "models"])
    assert (run.code, run.out, run.err) == (0, "", "")


def test_a_broken_card_elsewhere_stays_off_stdout(tmp_path: Path, run_cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    src = lfs_source(tmp_path)
    make_repo(src, "acme/broken", "---\nlicense: mit\nfoo: bar: baz\n---\n# Broken\n![x](x.png)\n",
              {"x.png": lfs_pointer(CAT)})
    monkeypatch.chdir(tmp_path)
    run = run_cli(["lfs-files", "models"])
    assert run.code == 0
    assert run.out == "/models/acme/vision/cat.png,/models/acme/vision/images/dog.png\n"
    assert run.err == ""  # the card's problems are build's and check's to report
    run = run_cli(["lfs-files", "-v", "models"])
    assert run.out == "/models/acme/vision/cat.png,/models/acme/vision/images/dog.png\n"
    assert "acme/broken/README.md:3:" in run.err


@pytest.mark.parametrize(("name", "listed"), [
    ("we[1]*?.png", r"/models/acme/vision/we\[1\]\*\?.png"),  # escaped: names this file only
    ("!not.png", "/models/acme/vision/!not.png"),  # not leading: the pattern starts with '/'
    ("#hash.png", "/models/acme/vision/#hash.png"),
    ("a,b.png", None),  # a comma splits the list: left out
    ("end.png ", None),  # trailing space is trimmed by git-lfs
])
def test_awkward_names(tmp_path: Path, run_cli, monkeypatch, name: str, listed: str | None) -> None:  # type: ignore[no-untyped-def]
    from urllib.parse import quote
    src = tmp_path / "models"
    make_repo(src, "acme/vision", model_card(f"# Model\n\n![odd]({quote(name)})\n"),
              {name: lfs_pointer(CAT), "cat.png": CAT, "plain.png": CAT})
    monkeypatch.chdir(tmp_path)
    run = run_cli(["lfs-files", "models"])
    assert run.out == (f"{listed}\n" if listed else "")
    assert ("is not listed" in run.err) == (listed is None)
    assert run_cli(["lfs-files", "--strict", "models"]).code == (1 if listed is None else 0)


def test_a_symlink_to_the_weights_is_not_listed(tmp_path: Path, run_cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    src = lfs_source(tmp_path)
    (src / "acme/vision/cat.png").unlink()
    (src / "acme/vision/cat.png").symlink_to("model.safetensors")
    monkeypatch.chdir(tmp_path)
    run = run_cli(["lfs-files", "models"])
    assert run.out == "/models/acme/vision/images/dog.png\n"
    assert "acme/vision/cat.png" in run.err


def test_a_video_pointer_brings_its_poster(tmp_path: Path, run_cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "models"
    make_repo(src, "acme/rl", card("pipeline_tag: reinforcement-learning\n"),
              {"replay.mp4": lfs_pointer(b"video"), "replay.jpg": lfs_pointer(b"still")})
    monkeypatch.chdir(tmp_path)
    run = run_cli(["lfs-files", "models"])
    assert run.out == "/models/acme/rl/replay.jpg,/models/acme/rl/replay.mp4\n"


# --- end to end, with git and git-lfs -------------------------------------------------------


def _git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env=env).stdout


@pytest.mark.skipif(shutil.which("git") is None or subprocess.run(["git", "lfs", "version"], capture_output=True)
                    .returncode != 0, reason="needs git and git-lfs")
def test_git_lfs_pull_fetches_exactly_the_listed_files(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    origin = tmp_path / "origin"
    origin.mkdir()
    _git(origin, "init", "-q", "-b", "main", env=env)
    _git(origin, "lfs", "install", "--local", env=env)
    _git(origin, "lfs", "track", "*.png", "*.safetensors", env=env)
    src = origin / "models"
    make_repo(src, "acme/vision", model_card(), {
        "cat.png": CAT, "images/dog.png": DOG, "model.safetensors": WEIGHTS, "config.json": "{}"})
    make_repo(src, "acme/odd", model_card("# Odd\n\n![odd](we%5B1%5D.png)\n"),
              {"we[1].png": CAT, "we1.png": DOG, "cat.png": CAT, "plain.png": CAT})
    (src / "acme/vision/plain.png").write_bytes(png_bytes())
    _git(origin, "add", "-A", env=env)
    _git(origin, "commit", "-qm", "models", env=env)
    bare = tmp_path / "origin.git"
    _git(tmp_path, "clone", "-q", "--bare", str(origin), str(bare), env=env)
    _git(origin, "lfs", "push", "--all", bare.as_uri(), env=env)
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", bare.as_uri(), str(clone), env={**env, "GIT_LFS_SKIP_SMUDGE": "1"})
    assert pointer((clone / "models/acme/vision/cat.png").read_bytes())

    run = subprocess.run([sys.executable, "-m", "sitegen", "lfs-files", "models"], cwd=clone, capture_output=True,
                         text=True, env={**env, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert run.returncode == 0, run.stderr
    listed = run.stdout.strip()
    assert "\n" not in listed and "safetensors" not in listed
    names = _git(clone, "lfs", "ls-files", "-n", f"--include={listed}", env=env).split("\n")
    assert sorted(filter(None, names)) == [  # every *.png is in LFS here, plain.png too
        "models/acme/odd/cat.png", "models/acme/odd/plain.png", "models/acme/odd/we[1].png",
        "models/acme/vision/cat.png", "models/acme/vision/images/dog.png", "models/acme/vision/plain.png"]
    # From a subfolder the patterns stay relative to the repository's root, as git-lfs reads them.
    again = subprocess.run([sys.executable, "-m", "sitegen", "lfs-files", "."], cwd=clone / "models", capture_output=True,
                           text=True, env={**env, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert again.stdout.strip() == listed
    _git(clone, "lfs", "install", "--local", env=env)  # as on a GitHub runner, where git-lfs is set up
    _git(clone, "lfs", "pull", f"--include={listed}", env=env)
    assert (clone / "models/acme/vision/cat.png").read_bytes() == CAT
    assert (clone / "models/acme/odd/we[1].png").read_bytes() == CAT
    assert pointer((clone / "models/acme/odd/we1.png").read_bytes())  # the glob would have named it
    assert pointer((clone / "models/acme/vision/model.safetensors").read_bytes())  # never the weights


def test_too_big_or_outside_the_working_folder_is_not_listed(tmp_path: Path, run_cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    src = lfs_source(tmp_path)
    big = lfs_pointer(DOG).replace(f"size {len(DOG)}".encode(), b"size 20971521")  # one byte past 20 MB
    (src / "acme/vision/images/dog.png").write_bytes(big)
    monkeypatch.chdir(tmp_path)
    run = run_cli(["lfs-files", "models"])
    assert run.out == "/models/acme/vision/cat.png\n"
    assert "images/dog.png" in run.err and "20,971,521 bytes" in run.err
    (src / "acme/vision/images/dog.png").write_bytes(lfs_pointer(DOG))
    monkeypatch.chdir(src / "acme/vision/images")  # no git here: paths are relative to this folder
    run = run_cli(["lfs-files", str(src)])
    assert run.out == "/dog.png\n"
    assert "cat.png" in run.err and "where the patterns start" in run.err


def test_a_name_that_is_no_utf8_is_not_listed(tmp_path: Path, run_cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    src = lfs_source(tmp_path)
    folder = src / "acme/vision"
    os.rename(folder / "images/dog.png", os.fsencode(folder / "images") + b"/d\xffg.png")
    (folder / "images/dog.png").symlink_to(os.fsdecode(b"d\xffg.png"))
    monkeypatch.chdir(tmp_path)
    run = run_cli(["lfs-files", "models"])
    assert (run.code, run.out) == (0, "/models/acme/vision/cat.png\n")
    assert "images/dog.png" in run.err and "no UTF-8" in run.err


def test_a_model_out_of_time_is_reported_not_a_silent_gap(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import dataclasses
    import time

    from sitegen import lfsfiles
    from sitegen.config import merge
    from sitegen.report import Report
    src = lfs_source(tmp_path)
    config = dataclasses.replace(merge({}, {"source": src, "jobs": 1}), model_seconds=0.5)
    monkeypatch.setattr(lfsfiles, "_one", lambda config, repo_dir: time.sleep(10))
    cards, lost = Report(), Report()
    assert lfsfiles.shown_pointers(config, cards, lost) == []
    assert [d.format() for d in lost.items] == [
        f"{src / 'acme/vision/README.md'}: error: skipped: reading this model took longer than 0.5 s; "
        "its files are not listed"]
