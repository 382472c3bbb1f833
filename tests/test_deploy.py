"""A first deploy, end to end: `sitegen init`, three models committed on three days, a fresh clone,
and the generated workflow's shell steps run in order as GitHub Actions would run them."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT, card, make_repo
from test_incremental import assert_same_site

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BASE_URL = "https://octocat.github.io/models"
DAYS = {"acme/one": "2024-01-15", "acme/two": "2024-06-03", "acme/three": "2025-02-28"}
BROKEN = ("---\nlicense: mit\npipeline_tag: image-classification\nwidget:\n- src: missing.png\n"
          "  example_title: Cat\n---\n# Three\n")  # line 5 names a file the repo does not hold


def _git(cwd: Path, *args: str, day: str = "2024-01-01") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": f"{day}T12:00:00Z", "GIT_COMMITTER_DATE": f"{day}T12:00:00Z",
           "GIT_AUTHOR_NAME": "Octo Cat", "GIT_AUTHOR_EMAIL": "octo@example.com",
           "GIT_COMMITTER_NAME": "Octo Cat", "GIT_COMMITTER_EMAIL": "octo@example.com",
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def _expand(text: str, values: dict[str, str]) -> str:
    """Replace each `${{ expr }}` the way the runner would, from `values` (an unknown one fails)."""
    def one(m: re.Match[str]) -> str:
        assert m.group(1) in values, f"the test does not know ${{{{ {m.group(1)} }}}}"
        return values[m.group(1)]
    return re.sub(r"\$\{\{\s*(.*?)\s*\}\}", one, text)


def _run_steps(flow: dict[str, Any], checkout: Path, env: dict[str, str]) -> list[str]:
    """Run the build job's `run:` steps in order, in bash -e as the runner does; return each output.
    The install step is left out: the sitegen under test is on PATH already."""
    values = {"steps.pages.outputs.base_url": BASE_URL, "github.token": "unused-token",
              "github.event_name": "push", "github.ref": "refs/heads/main"}
    outputs = []
    for step in flow["jobs"]["build"]["steps"]:
        if "run" not in step or re.match(r"\s*pip install", step["run"]):
            continue
        assert "pull_request" in step.get("if", "pull_request")  # a push runs every step
        step_env = {**env, **{k: _expand(str(v), values) for k, v in step.get("env", {}).items()}}
        done = subprocess.run(["bash", "-e", "-c", _expand(step["run"], values)], cwd=checkout, env=step_env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, (step.get("name"), done.stdout, done.stderr)
        outputs.append(done.stdout + done.stderr)
    return outputs


def test_a_fresh_clone_deploys_with_real_dates_and_annotations(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    origin = tmp_path / "origin"
    origin.mkdir()
    _git(origin, "init", "-q", "-b", "main")
    assert run_cli(["init", origin, "--install", "modelcard-sitegen==0.1.0"]).code == 0
    _git(origin, "add", ".")
    _git(origin, "commit", "-q", "-m", "site", day="2023-12-01")
    for model_id, day in DAYS.items():
        make_repo(origin / "models", model_id, BROKEN if model_id == "acme/three" else card("license: mit\n"))
        _git(origin, "add", ".")
        _git(origin, "commit", "-q", "-m", f"add {model_id}", day=day)

    checkout = tmp_path / "checkout"  # as actions/checkout leaves it: every file's mtime is now
    _git(tmp_path, "clone", "-q", "--no-local", str(origin), str(checkout))
    bin_dir = tmp_path / "bin"  # `sitegen` is this checkout of sitegen, whatever is installed
    bin_dir.mkdir()
    (bin_dir / "sitegen").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m sitegen "$@"\n')
    (bin_dir / "sitegen").chmod(0o755)
    summary = tmp_path / "step_summary.md"
    summary.touch()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "SOURCE_DATE_EPOCH"))}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env['PATH']}", PYTHONPATH=str(ROOT), GITHUB_ACTIONS="true",
               CI="true", GITHUB_STEP_SUMMARY=str(summary), GITHUB_WORKSPACE=str(checkout),
               XDG_CACHE_HOME=str(tmp_path / "cache"))

    flow = yaml.safe_load((checkout / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    printed = "\n".join(_run_steps(flow, checkout, env))

    site = checkout / "_site"
    assert (site / "index.html").is_file()
    # The broken card's problem: an annotation on its file and line, and a row of the summary.
    assert "::error file=models/acme/three/README.md,line=5" in printed
    assert "models/acme/three/README.md:5" in summary.read_text(encoding="utf-8")
    # Each model shows the day of the last commit that touched it, not the day of the checkout.
    for model_id, day in DAYS.items():
        page = (site / "models" / model_id / "index.html").read_text(encoding="utf-8")
        assert f'<time datetime="{day}">{day}</time>' in page, model_id
    index = (site / "index.html").read_text(encoding="utf-8")
    assert all(day in index for day in DAYS.values())
    assert f'<link rel="canonical" href="{BASE_URL}/' in (site / "models/acme/one/index.html").read_text(encoding="utf-8")


def _deploy(origin: Path, work: Path, home: Path, store: Path, bin_dir: Path) -> dict[str, Any]:
    """One run of the workflow on a push to main, as the runner does it: a fresh clone at the
    same path, the cache's paths restored from `store` (mtimes kept, as tar keeps them), the
    shell steps, then the cache's paths saved into `store`. Return the workflow."""
    shutil.rmtree(work, ignore_errors=True)
    _git(work.parent, "clone", "-q", "--no-local", str(origin), str(work))
    flow: dict[str, Any] = yaml.safe_load((work / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    steps = {s.get("name"): s for s in flow["jobs"]["build"]["steps"]}
    paths = steps["Restore the last deploy's build"]["with"]["path"].split()
    assert paths == steps["Keep this build for the next deploy"]["with"]["path"].split()
    places = {p: home / p[2:] if p.startswith("~/") else work / p for p in paths}
    for name, place in places.items():
        if (store / str(paths.index(name))).exists():
            shutil.copytree(store / str(paths.index(name)), place, symlinks=True)
    summary = home / "summary.md"
    summary.parent.mkdir(parents=True, exist_ok=True)
    summary.touch()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "SOURCE_DATE_EPOCH"))}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env['PATH']}", PYTHONPATH=str(ROOT), GITHUB_ACTIONS="true",
               CI="true", GITHUB_STEP_SUMMARY=str(summary), GITHUB_WORKSPACE=str(work), HOME=str(home),
               XDG_CACHE_HOME=str(home / ".cache"))
    _run_steps(flow, work, env)
    shutil.rmtree(store, ignore_errors=True)
    for n, place in enumerate(places.values()):
        shutil.copytree(place, store / str(n), symlinks=True)
    return flow


def test_the_next_deploy_restores_the_cache_and_makes_only_what_changed(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    origin = tmp_path / "origin"
    origin.mkdir()
    _git(origin, "init", "-q", "-b", "main")
    assert run_cli(["init", origin, "--install", "modelcard-sitegen==0.1.0"]).code == 0
    for model_id, day in DAYS.items():
        make_repo(origin / "models", model_id, card("license: mit\n", f"# {model_id}\n\nFirst words.\n"))
    _git(origin, "add", ".")
    _git(origin, "commit", "-q", "-m", "models", day="2024-01-15")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "sitegen").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m sitegen "$@"\n')
    (bin_dir / "sitegen").chmod(0o755)
    work, store = tmp_path / "runner" / "work", tmp_path / "store"
    work.parent.mkdir()

    _deploy(origin, work, tmp_path / "home1", store, bin_dir)
    assert (store / "0").is_dir() and (store / "1" / "index.html").is_file()
    saved = {p.relative_to(store / "1").as_posix(): p.stat().st_mtime_ns for p in (store / "1").rglob("*.html")}
    readme = origin / "models" / "acme" / "two" / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace("First words.", "Second words."), encoding="utf-8")
    _git(origin, "commit", "-q", "-am", "edit acme/two", day="2024-06-03")

    _deploy(origin, work, tmp_path / "home2", store, bin_dir)
    site = work / "_site"
    two = (site / "models/acme/two/index.html").read_text(encoding="utf-8")
    assert "Second words." in two and '<time datetime="2024-06-03">' in two
    # The other models' pages are the restored files, not made again (their mtimes are the saved ones).
    for rel in ("models/acme/one/index.html", "models/acme/three/index.html", "models/acme/two/index.html"):
        assert ((site / rel).stat().st_mtime_ns == saved[rel]) is ("two" not in rel), rel
    cold = tmp_path / "cold"
    subprocess.run([sys.executable, "-m", "sitegen", "build", "-q", "--no-cache", "--base-url", BASE_URL + "/",
                    "-o", str(cold), str(work / "models")], cwd=work, check=True, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "cold-cache")})
    assert_same_site(site, cold)
