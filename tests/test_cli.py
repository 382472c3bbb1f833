"""The command line: exit codes, help, the output folder, and byte-identical rebuilds."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, card, make_repo, png_bytes, wav_bytes
from sitegen import __version__, cache

CLEAN = card("""
license: mit
pipeline_tag: text-classification
widget:
- text: I loved it
  output:
  - label: POSITIVE
    score: 0.9
""")
WARNS = card("pipeline_tag: not-a-task\n")
BROKEN = "---\nlicense: mit\nfoo: bar: baz\n---\n# Broken\n"


def _source(tmp_path: Path, **repos: str) -> Path:
    src = tmp_path / "src"
    for name, readme in repos.items():
        make_repo(src, name, readme)
    return src


def test_clean_build_exits_0(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    src = _source(tmp_path, good=CLEAN)
    run = run_cli(["build", src, "-o", tmp_path / "out"])
    assert run.code == 0, run.err
    assert run.err == ""
    assert run.out.startswith("sitegen: built 1 models, 6 pages, 0 warnings, 0 errors")
    size = sum(p.stat().st_size for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert run.out.rstrip().endswith(f"; site {size / 1000:.1f} kB")  # the site's size ends the line


def test_errors_are_printed_and_fail_check_not_build(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    src = _source(tmp_path, good=CLEAN, bad=BROKEN)
    run = run_cli(["build", src, "-o", tmp_path / "out"])
    assert run.code == 0  # a written site is a success: the problem is reported, not fatal
    assert f"{src / 'bad' / 'README.md'}:3: error: invalid YAML" in run.err
    assert "1 errors" in run.out
    assert (tmp_path / "out/models/good/index.html").is_file()  # the good model still builds
    assert run_cli(["build", src, "-o", tmp_path / "out", "--fail-on", "error"]).code == 1
    assert run_cli(["build", src, "-o", tmp_path / "out", "--fail-on", "warning"]).code == 1
    assert run_cli(["check", src]).code == 1  # check is the author's gate
    assert run_cli(["check", src, "--fail-on", "error"]).code == 1
    assert run_cli(["check", src, "--fail-on", "never"]).code == 0


def test_warnings_fail_only_at_fail_on_warning(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    src = _source(tmp_path, good=CLEAN, odd=WARNS)
    plain = run_cli(["check", src])
    assert plain.code == 0
    assert "warning: pipeline_tag: unknown pipeline_tag 'not-a-task'" in plain.out
    out = tmp_path / "out"
    for argv, code in ((["check", src, "--strict"], 1), (["check", src, "--fail-on", "warning"], 1),
                       (["check", src, "--fail-on", "error"], 0), (["build", src, "-o", out], 0),
                       (["build", src, "-o", out, "--fail-on", "error"], 0),
                       (["build", src, "-o", out, "--strict"], 1),
                       (["build", src, "-o", out, "--fail-on", "warning"], 1),
                       (["build", src, "-o", out, "--strict", "--fail-on", "warning"], 1)):
        assert run_cli(argv).code == code, argv


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize("level", ["never", "error"])
def test_strict_contradicting_fail_on_is_a_usage_error(tmp_path: Path, run_cli, command: str,
                                                       level: str) -> None:  # type: ignore[no-untyped-def]
    src = _source(tmp_path, good=CLEAN)
    run = run_cli([command, src, "--strict", "--fail-on", level, *(["-o", tmp_path / "out"] if command == "build" else [])])
    assert run.code == 2
    assert f"--strict means --fail-on warning; it contradicts --fail-on {level}" in run.err
    assert not (tmp_path / "out").exists()


def test_fail_on_rejects_other_levels(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    run = run_cli(["check", _source(tmp_path, good=CLEAN), "--fail-on", "info"])
    assert run.code == 2 and "invalid choice: 'info'" in run.err


@pytest.mark.parametrize("fail_on", ["never", "error", "warning"])
def test_a_site_that_cannot_be_written_fails_whatever_fail_on(tmp_path: Path, run_cli,
                                                              fail_on: str) -> None:  # type: ignore[no-untyped-def]
    src = _source(tmp_path, good=CLEAN)
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious", encoding="utf-8")  # not made by sitegen: refused
    assert run_cli(["build", src, "-o", out, "--fail-on", fail_on]).code == 2
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates" / "base.html").write_text("{% block x %}", encoding="utf-8")  # broken
    run = run_cli(["build", src, "-o", tmp_path / "out", "--theme", theme, "--fail-on", fail_on])
    assert run.code == 2, run.err
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: [\n", encoding="utf-8")
    assert run_cli(["build", src, "-o", tmp_path / "out", "--config", bad, "--fail-on", fail_on]).code == 2


def test_quiet_prints_errors_only(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    src = _source(tmp_path, odd=WARNS, bad=BROKEN)
    run = run_cli(["check", src, "-q"])
    assert run.code == 1
    assert run.err == ""
    lines = run.out.splitlines()
    assert len(lines) == 1 and "error: invalid YAML" in lines[0]  # no summaries, no warnings


def test_missing_source_exits_2(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    for cmd in (["check"], ["build", "-o", tmp_path / "out"]):
        run = run_cli([*cmd, tmp_path / "nope"])
        assert run.code == 2
        assert "no such folder" in run.err
    assert not (tmp_path / "out").exists()


def test_no_command_exits_2(run_cli) -> None:  # type: ignore[no-untyped-def]
    run = run_cli([])
    assert run.code == 2
    assert all(command in run.out for command in ("build", "check", "serve", "init"))


def test_unknown_command_exits_2(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli(["frobnicate"]).code == 2


def test_version(run_cli) -> None:  # type: ignore[no-untyped-def]
    run = run_cli(["--version"])
    assert run.code == 0
    assert run.out.strip() == f"sitegen {__version__}"


@pytest.mark.parametrize("command", ["build", "check", "serve", "init"])
def test_help_has_examples(run_cli, command: str) -> None:  # type: ignore[no-untyped-def]
    run = run_cli([command, "--help"])
    assert run.code == 0
    assert "examples:" in run.out
    assert f"sitegen {command} " in run.out


def test_build_output_layout(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    src = _source(tmp_path, good=CLEAN)
    out = tmp_path / "out"
    assert run_cli(["build", src, "-o", out]).code == 0
    for name in ("index.html", "404.html", ".nojekyll", ".sitegen-site", "static/style.css",
                 "models/good/index.html"):
        assert (out / name).is_file(), name
    beside = sorted(p.name for p in tmp_path.glob(".out.sitegen-*"))
    assert beside == []  # no temp folders left beside it, and the cache is in the user's cache folder
    assert cache.path_for(out).is_file()


def test_refuses_to_overwrite_a_foreign_folder(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    src = _source(tmp_path, good=CLEAN)
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious", encoding="utf-8")
    run = run_cli(["build", src, "-o", out])
    assert run.code == 2
    assert "not made by sitegen" in run.err
    assert [p.name for p in out.iterdir()] == ["thesis.tex"]
    assert (out / "thesis.tex").read_text(encoding="utf-8") == "precious"


def test_refuses_to_replace_the_source(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    src = _source(tmp_path, good=CLEAN)
    run = run_cli(["build", src / "good", "-o", src])
    assert run.code == 2
    assert (src / "good" / "README.md").read_text(encoding="utf-8") == CLEAN


def test_second_build_replaces_the_first(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    src = _source(tmp_path, good=CLEAN, other=CLEAN)
    out = tmp_path / "out"
    assert run_cli(["build", src, "-o", out]).code == 0
    assert (out / "models/other/index.html").is_file()
    (out / "stale.txt").write_text("left over", encoding="utf-8")
    import shutil
    shutil.rmtree(src / "other")
    assert run_cli(["build", src, "-o", out]).code == 0  # incremental: only what it made changes
    assert not (out / "models/other").exists()
    assert (out / "stale.txt").exists()
    assert run_cli(["build", src, "-o", out, "--no-cache"]).code == 0  # from scratch: the folder is replaced
    assert not (out / "stale.txt").exists()
    assert not (out / "models/other").exists()
    assert (out / "models/good/index.html").is_file()
    assert (out / ".sitegen-site").is_file()


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_builds_are_byte_identical(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "src"
    make_repo(src / "acme", "vision", card("""
pipeline_tag: image-classification
tags: [zeta, alpha, vision, beta]
language: [en, fr, de]
widget:
- src: img/big.png
  group: Pets
  output:
  - {label: cat, score: 0.7}
  - {label: dog, score: 0.3}
- src: img/small.png
  group: Animals
"""), {"img/big.png": png_bytes(900, 500), "img/small.png": png_bytes(10, 10, (1, 2, 3))})
    make_repo(src / "acme", "speech", card("""
pipeline_tag: automatic-speech-recognition
base_model: acme/vision
widget:
- src: a.wav
  output: {text: hello}
"""), {"a.wav": wav_bytes()})
    make_repo(src, "solo", CLEAN)
    make_repo(src, "cfg-only", None, {"config.json": '{"model_type": "bert"}'})
    first, second = tmp_path / "one", tmp_path / "two"
    assert run_cli(["build", src, "-o", first]).code == 0
    env = {**os.environ, "PYTHONHASHSEED": "12345",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-m", "sitegen", "build", str(src), "-o", str(second)],
                          env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    one, two = _tree(first), _tree(second)
    assert [p for p in one if p.startswith("models/acme/vision/thumbs/img/big.")]  # thumbnails too
    assert sorted(one) == sorted(two)
    assert [p for p in one if one[p] != two[p]] == []


def test_check_prints_a_summary_line_per_model(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    src = _source(tmp_path, good=CLEAN, bad=BROKEN)
    run = run_cli(["check", src])
    lines = run.out.splitlines()
    good = next(ln for ln in lines if ln.startswith("good: "))
    assert "(from the card's pipeline_tag)" in good and "example" in good
    bad = lines.index("bad: skipped (1 error)")
    assert "error: invalid YAML" in lines[bad + 1]


def test_check_json_has_one_object_per_model(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    src = _source(tmp_path, good=CLEAN, bad=BROKEN)
    run = run_cli(["check", src, "--format", "json"])
    objects = [json.loads(line) for line in run.out.splitlines()]
    assert [o["id"] for o in objects] == ["bad", "good"]
    bad, good = objects
    assert bad["pipeline_tag"] is None and bad["diagnostics"][0]["level"] == "error"
    assert bad["diagnostics"][0]["line"] == 3
    assert good["pipeline_tag_source"] == "from the card's pipeline_tag"


# sitegen init never writes through a symlink a downloaded repo ships.

@pytest.mark.parametrize("link", ["sitegen.yaml", ".github", ".github/workflows", ".github/workflows/pages.yml"])
@pytest.mark.parametrize("force", [False, True])
def test_init_refuses_symlinks(tmp_path: Path, run_cli, link: str, force: bool) -> None:  # type: ignore[no-untyped-def]
    repo, elsewhere = tmp_path / "repo", tmp_path / "elsewhere"
    repo.mkdir()
    elsewhere.mkdir()
    target = elsewhere / "target"
    if link.endswith((".yaml", ".yml")):
        target.write_text("mine\n", encoding="utf-8")
    else:
        target.mkdir()
    (repo / link).parent.mkdir(parents=True, exist_ok=True)
    (repo / link).symlink_to(target)
    run = run_cli(["init", repo] + (["--force"] if force else []))
    assert run.code == 2
    assert run.err.strip() == (f"sitegen: error: {repo / link}: is a symlink; sitegen init writes nothing "
                               "through a link (remove it, or write the file yourself)")
    assert run.out == ""
    outside = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert outside == sorted(["elsewhere", "elsewhere/target", "repo", f"repo/{link}"]
                             + [f"repo/{p}" for p in (".github", ".github/workflows") if link.startswith(p + "/")])
    if target.is_file():
        assert target.read_text(encoding="utf-8") == "mine\n"


def test_init_refuses_a_hard_linked_file_even_with_force(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "secret").write_text("mine\n", encoding="utf-8")
    (tmp_path / "repo").mkdir()
    os.link(tmp_path / "secret", tmp_path / "repo" / "sitegen.yaml")
    run = run_cli(["init", tmp_path / "repo", "--force"])
    assert run.code == 2 and "has other hard links" in run.err
    assert (tmp_path / "secret").read_text(encoding="utf-8") == "mine\n"
    assert not (tmp_path / "repo" / ".github").exists()


def test_init_makes_a_new_folder(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli(["init", tmp_path / "new" / "site"]).code == 0
    assert (tmp_path / "new/site/.github/workflows/pages.yml").is_file()
    assert (tmp_path / "new/site/sitegen.yaml").is_file()


def test_init_writes_no_file_through_a_link_planted_after_its_checks(tmp_path: Path) -> None:
    from sitegen.init import _write
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / ".github").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(OSError):
        _write(tmp_path, ".github/workflows/pages.yml", "x", force=True)
    (tmp_path / "sitegen.yaml").symlink_to(tmp_path / "elsewhere" / "f")
    with pytest.raises(OSError):
        _write(tmp_path, "sitegen.yaml", "x", force=True)
    assert list((tmp_path / "elsewhere").iterdir()) == []


# Nothing from a repo reaches the terminal or a CI log raw.

EVIL = "\x1b[31m\r\n::error::x\u202e\x9b##[warning]y"


def _hostile_terminal_source(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    make_repo(src, "::error::folder" + EVIL, CLEAN)
    make_repo(src, "::warning::ok##[error]x", card(f"""
license: "{EVIL.encode('unicode_escape').decode()}"
library_name: "{EVIL.encode('unicode_escape').decode()}"
pipeline_tag: text-classification
tags: ["{EVIL.encode('unicode_escape').decode()}"]
widget:
- text: hi
  "{EVIL.encode('unicode_escape').decode()}": 1
"""))
    return src


@pytest.mark.parametrize("argv", [["build", "-o", "OUT"], ["build", "-o", "OUT", "--format", "github"],
                                  ["check"], ["check", "--format", "json"], ["check", "--format", "github"]])
def test_repo_text_is_escaped_in_everything_printed(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch,
                                                    argv: list[str]) -> None:  # type: ignore[no-untyped-def]
    src = _hostile_terminal_source(tmp_path)
    monkeypatch.chdir(src)  # paths are printed from the repo folder's name on: `::warning::ok/README.md`
    run = run_cli([a if a != "OUT" else str(tmp_path / "out") for a in argv] + [".", "-v"])
    github = "github" in argv
    printed = run.out + run.err
    assert "[31m" in printed.replace("\\x1b", "")  # the hostile text is there, escaped
    annotations = 0
    for line in printed.splitlines():
        assert line.isprintable(), repr(line)  # no ESC, CR, C1, U+2028, bidi control
        assert "##[" not in line, line
        if line.lstrip().startswith("::"):
            assert github and line.startswith(("::error file=", "::warning file=", "::notice file=")), line
            head = line[2:].split("::", 1)[0]
            assert {p.split("=", 1)[0] for p in head.split(" ", 1)[1].split(",")} <= {"file", "line", "title"}
            annotations += 1
    assert annotations if github else not annotations
    if "json" in argv:
        assert json.loads(run.out)["library_name"] == EVIL  # the same value, escaped as JSON
    assert run.code == (0 if "build" in argv else 1)  # the folder with control characters is an error


def test_init_messages_are_escaped(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "::error::x\x1b[31m\r"
    run = run_cli(["init", folder, "--source", "m\x1b]0;t\x07"])
    assert run.code == 0, run.err
    assert all(line.isprintable() for line in run.out.splitlines()) and "\\x1b[31m\\r" in run.out


def test_serve_messages_are_escaped_line_by_line() -> None:
    from sitegen.serve import _printable
    text = "sitegen: internal error:\nTraceback\n::error::x \x1b[2J\u202e\nValueError: 'a\rb'"
    assert _printable(text).split("\n") == ["sitegen: internal error:", "Traceback",
                                            "./::error::x \\x1b[2J\\u202e", "ValueError: 'a\\rb'"]
