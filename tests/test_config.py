"""sitegen.yaml: values, every kind of error with its line, the command line over it, and init."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import card, make_repo, png_bytes
from sitegen import cli
from sitegen.pool import default_jobs
from sitegen.config import Config, ConfigError, choose_config, find_config, load_config, merge
from sitegen.init import Setup, config_text
from sitegen.options import parser

CLEAN = card("""
license: mit
pipeline_tag: text-classification
widget:
- text: I loved it
  output:
  - label: POSITIVE
    score: 0.9
""")

FULL = """\
title: Acme models
base_url: https://acme.github.io/models/
source: models
output: public
theme: theme
logo: img/logo.png
links:
  - text: GitHub
    url: https://github.com/acme/models
  - text: Mail us
    url: mailto:models@acme.example
  - text: About
    url: about/index.html
cname: models.acme.example
hub_url: https://hf-mirror.example/
offline_media: true
"""


def _write(folder: Path, text: str, name: str = "sitegen.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return [d.format() for d in caught.value.problems]


def test_a_full_file_gives_its_values_with_paths_relative_to_it(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "img").mkdir(parents=True)
    (site / "img/logo.png").write_bytes(png_bytes())
    config = merge(load_config(_write(site, FULL)), {})
    assert config == Config(
        source=site / "models", output=site / "public", theme=site / "theme", title="Acme models",
        base_url="https://acme.github.io/models/", logo=site / "img/logo.png",
        links=(("GitHub", "https://github.com/acme/models"), ("Mail us", "mailto:models@acme.example"),
               ("About", "about/index.html")),
        cname="models.acme.example", hub_url="https://hf-mirror.example/", offline_media=True)


def test_hub_url_false_means_plain_text_and_the_flags_reach_the_config(tmp_path: Path) -> None:
    assert load_config(_write(tmp_path, "hub_url: false\n")) == {"hub_url": ""}
    args = parser().parse_args(["build", str(tmp_path), "--hub-url", "false", "--offline-media"])
    config = cli._config(args, None)
    assert (config.hub_url, config.offline_media) == ("", True)
    args = parser().parse_args(["build", str(tmp_path), "--hub-url", "https://hf-mirror.example"])
    assert cli._config(args, None).hub_url == "https://hf-mirror.example"
    assert cli._config(parser().parse_args(["build", str(tmp_path)]), None).hub_url == "https://huggingface.co"


def test_an_empty_file_keeps_the_defaults(tmp_path: Path) -> None:
    assert load_config(_write(tmp_path, "# nothing set yet\n")) == {}
    assert merge({}, {"title": None, "source": None}) == Config()


def test_a_file_in_the_current_folder_gives_relative_paths(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, "source: models\n")
    monkeypatch.chdir(tmp_path)
    found = find_config(None)
    assert found == Path("sitegen.yaml")
    assert load_config(found) == {"source": Path("models")}


def test_find_config_prefers_the_given_file(tmp_path: Path) -> None:
    assert find_config(None, tmp_path) is None
    _write(tmp_path, "title: T\n")
    assert find_config(None, tmp_path) == tmp_path / "sitegen.yaml"
    assert find_config(Path("other.yaml"), tmp_path) == Path("other.yaml")


@pytest.mark.parametrize(("text", "source", "read"), [
    ("source: models\n", None, True),  # the catalog layout `sitegen init` writes
    ("source: ./models/\n", None, True),
    ("title: T\n", None, False),  # source: the current folder, which holds the file
    ("source: .\n", None, False),
    ("source: models\n", Path("."), False),  # the command line's source wins
    ("title: T\n", Path("models"), True),
    ("source: [\n", None, True),  # cannot tell: read, so its errors stop the command
])
def test_the_file_found_by_default_is_read_only_outside_the_source(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, source: Path | None, read: bool) -> None:
    _write(tmp_path, text)
    (tmp_path / "models").mkdir()
    monkeypatch.chdir(tmp_path)
    path, ignored = choose_config(None, source)
    assert (path, ignored is None) == ((Path("sitegen.yaml"), True) if read else (None, False))
    if ignored:
        assert ignored.format() == ("sitegen.yaml: warning: ignored: it is inside the source folder, so it "
                                    "belongs to the repos being built, not to you; pass --config "
                                    "sitegen.yaml to use it")
    assert choose_config(Path("sitegen.yaml"), source) == (Path("sitegen.yaml"), None)  # named: always read


def test_a_file_inside_a_source_reached_through_a_symlink_is_still_inside(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path / "repo", "title: T\n")
    (tmp_path / "link").symlink_to(tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")
    assert choose_config(None, tmp_path / "link")[0] is None


def test_flags_that_were_given_override_the_file() -> None:
    settings = {"title": "From file", "output": Path("public"), "cname": "a.example"}
    config = merge(settings, {"title": "From flag", "output": None, "strict": None, "cname": ""})
    assert (config.title, config.output, config.cname, config.strict) == ("From flag", Path("public"), "", False)


ERRORS = [
    ("title: x\nbase-url: https://a.example/\n",
     ["sitegen.yaml:2: error: unknown key 'base-url'; did you mean 'base_url'?"]),
    ("site_name: Acme\n", ["sitegen.yaml:1: error: unknown key 'site_name'; did you mean 'title'?"]),
    ("zzz: 1\n", [("sitegen.yaml:1: error: unknown key 'zzz'; expected one of title, base_url, source, "
                  "output, theme, logo, links, cname, hub_url, offline_media")]),
    ("hub_url: ftp://mirror.example\n", ["sitegen.yaml:1: error: hub_url: expected an http(s) address like "
                                         "https://huggingface.co, got 'ftp://mirror.example'"]),
    ("hub_url: ''\n", ["sitegen.yaml:1: error: hub_url: expected an http(s) address like "
                       "https://huggingface.co, or false"]),
    ("offline_media: yes please\n", ["sitegen.yaml:1: error: offline_media: expected true or false, got a string"]),
    ("hf_endpoint: https://hf-mirror.com\n", ["sitegen.yaml:1: error: unknown key 'hf_endpoint'; did you mean 'hub_url'?"]),
    ("title: 2024\n", ["sitegen.yaml:1: error: title: expected a string, got a number; put it in quotes"]),
    ("title:\n", ["sitegen.yaml:1: error: title: expected a string, got nothing"]),
    ("title: '  '\n", ["sitegen.yaml:1: error: title: expected a non-empty string"]),
    ("source: [a, b]\n", ["sitegen.yaml:1: error: source: expected a string, got a list"]),
    ("output: {a: 1}\n", ["sitegen.yaml:1: error: output: expected a string, got a mapping"]),
    ("theme: true\n", ["sitegen.yaml:1: error: theme: expected a string, got true"]),
    ("base_url: octocat.github.io/models\n",
     [("sitegen.yaml:1: error: base_url: expected an http(s) address like https://octocat.github.io/models/, "
      "got 'octocat.github.io/models'")]),
    ("base_url: https://a.example/?x=1\n",
     [("sitegen.yaml:1: error: base_url: expected an address without ?query or #fragment, "
      "got 'https://a.example/?x=1'")]),
    ("cname: https://models.example.com/\n",
     [("sitegen.yaml:1: error: cname: expected a bare domain like models.example.com (no https://, no path), "
      "got 'https://models.example.com/'")]),
    ("cname: localhost\n",
     [("sitegen.yaml:1: error: cname: expected a bare domain like models.example.com (no https://, no path), "
      "got 'localhost'")]),
    ("logo: logo.bmp\n",
     ["sitegen.yaml:1: error: logo: expected a .png, .jpg, .jpeg, .webp or .svg image, got 'logo.bmp'"]),
    ("logo: missing.svg\n",
     ["sitegen.yaml:1: error: logo: no such file 'missing.svg' (paths are relative to sitegen.yaml)"]),
    ("links: https://github.com/acme\n",
     ["sitegen.yaml:1: error: links: expected a list of {text, url} mappings, got a string"]),
    ("links:\n  - text: A\n    url: https://a.example\n  - text: B\n    url: [x]\n",
     ["sitegen.yaml:5: error: links[1].url: expected a string, got a list"]),
    ("links:\n  - GitHub\n",
     ["sitegen.yaml:2: error: links[0]: expected a mapping with text and url, got a string"]),
    ("links:\n  - text: Docs\n    href: docs/index.html\n",
     ["sitegen.yaml:2: error: links[0]: missing key 'url'",
      "sitegen.yaml:3: error: links[0]: unknown key 'href'; did you mean 'url'?"]),
    ("links:\n  - {url: 'https://a.example'}\n", ["sitegen.yaml:2: error: links[0]: missing key 'text'"]),
    ("links:\n  - {text: Docs, url: /docs/}\n",
     [("sitegen.yaml:2: error: links[0].url: expected an http(s) address, a mailto: address or a path "
      "relative to the site root, got '/docs/'")]),
    ("links:\n  - {text: X, url: 'javascript:alert(1)'}\n",
     [("sitegen.yaml:2: error: links[0].url: expected an http(s) address, a mailto: address or a path "
      "relative to the site root, got 'javascript:alert(1)'")]),
    ("- title\n", ["sitegen.yaml:1: error: expected a mapping of settings like 'title: Models', got a list"]),
    ("title: a\ntitle: b\n", ["sitegen.yaml:2: error: duplicate key 'title' (first defined on line 1)"]),
    ("title: [\n", ["sitegen.yaml:2: error: invalid YAML: did not find expected node content"]),
]


@pytest.mark.parametrize(("text", "expected"), ERRORS, ids=[e[1][0].split("error: ")[1][:40] for e in ERRORS])
def test_each_error_names_the_file_and_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            text: str, expected: list[str]) -> None:
    _write(tmp_path, text)
    monkeypatch.chdir(tmp_path)
    assert _problems(Path("sitegen.yaml")) == expected


def test_all_errors_are_collected_in_line_order(tmp_path: Path) -> None:
    path = _write(tmp_path, "links:\n  - {text: A, url: 3}\ntitle: 4\nbase-url: x\n")
    assert [p.split(": error: ")[0] for p in _problems(path)] == [f"{path}:2", f"{path}:3", f"{path}:4"]


def test_a_missing_or_unreadable_file_is_an_error(tmp_path: Path) -> None:
    assert _problems(tmp_path / "nope.yaml") == [f"{tmp_path / 'nope.yaml'}: error: no such config file"]
    (tmp_path / "bin.yaml").write_bytes(b"title: \xff\n")
    assert _problems(tmp_path / "bin.yaml") == [f"{tmp_path / 'bin.yaml'}: error: not UTF-8 text (byte 7)"]


# The command line over the file.

def _site(tmp_path: Path, config: str) -> Path:
    make_repo(tmp_path / "models", "good", CLEAN)
    _write(tmp_path, config)
    return tmp_path


def test_build_reads_source_and_output_from_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     run_cli) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(_site(tmp_path, "title: Acme models\nsource: models\noutput: public\n"))
    run = run_cli(["build"])
    assert run.code == 0, run.err
    assert (tmp_path / "public/models/good/index.html").is_file()
    assert "Acme models" in (tmp_path / "public/index.html").read_text(encoding="utf-8")
    assert run_cli(["check"]).code == 0


def test_a_flag_overrides_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   run_cli) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(_site(tmp_path, "title: From the file\nsource: models\noutput: public\n"))
    assert run_cli(["build", "--title", "From the flag", "-o", "flagged"]).code == 0
    index = (tmp_path / "flagged/index.html").read_text(encoding="utf-8")
    assert "From the flag" in index and "From the file" not in index
    assert not (tmp_path / "public").exists()


def test_config_flag_names_the_file_and_paths_follow_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        run_cli) -> None:  # type: ignore[no-untyped-def]
    _site(tmp_path / "site", "source: models\noutput: public\n")
    monkeypatch.chdir(tmp_path)
    assert run_cli(["build", "--config", Path("site/sitegen.yaml")]).code == 0
    assert (tmp_path / "site/public/models/good/index.html").is_file()


def test_settings_reach_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  run_cli) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    monkeypatch.chdir(_site(tmp_path, "source: models\nlogo: logo.svg\ncname: models.acme.example\n"
                                      "links:\n  - {text: Home, url: 'https://acme.example'}\n"))
    seen: list[Config] = []

    def fake_build(config: Config, write: bool = True, progress: Any = None) -> Any:
        seen.append(config)
        raise KeyboardInterrupt  # stop before writing; the config is what is under test

    monkeypatch.setattr(cli, "build", fake_build)
    run_cli(["build", "--cname", "other.acme.example", "--show-checks"])
    assert seen[0] == Config(source=Path("models"), logo=Path("logo.svg"), cname="other.acme.example",
                             links=(("Home", "https://acme.example"),), show_checks=True,
                             jobs=default_jobs())


def test_a_config_error_exits_2_with_every_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   run_cli) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(_site(tmp_path, "titel: x\nsource: models\ncname: a b\n"))
    for command in ("build", "check"):
        run = run_cli([command])
        assert run.code == 2
        assert run.err.splitlines() == [
            "sitegen.yaml:1: error: unknown key 'titel'; did you mean 'title'?",
            ("sitegen.yaml:3: error: cname: expected a bare domain like models.example.com "
            "(no https://, no path), got 'a b'")]
        assert "Traceback" not in run.err
    assert not (tmp_path / "_site").exists()


def test_a_missing_source_from_the_file_says_where_it_came_from(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                run_cli) -> None:  # type: ignore[no-untyped-def]
    _write(tmp_path, "source: models\n")
    monkeypatch.chdir(tmp_path)
    run = run_cli(["check"])
    assert run.code == 2
    assert run.err.strip() == "sitegen: error: models: no such folder (the source set in sitegen.yaml)"


@pytest.mark.parametrize(("flag", "value"), [("--cname", "https://a.example/"), ("--base-url", "a.example"),
                                                   ("--hub-url", "huggingface.co")])
def test_bad_flag_values_exit_2(tmp_path: Path, run_cli, flag: str, value: str) -> None:  # type: ignore[no-untyped-def]
    run = run_cli(["build", tmp_path, "-o", tmp_path / "out", flag, value])
    assert run.code == 2
    assert f"argument {flag}: expected" in run.err


# sitegen init.

def test_init_writes_a_config_that_loads_with_the_given_values(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    run = run_cli(["init", tmp_path, "--title", "Acme: models #1", "--base-url", "https://acme.github.io/models/",
                   "--source", "repos", "--output", "public"])
    assert run.code == 0, run.err
    assert f"wrote {tmp_path / 'sitegen.yaml'}" in run.out and "GitHub Actions" in run.out
    assert load_config(tmp_path / "sitegen.yaml") == {
        "title": "Acme: models #1", "base_url": "https://acme.github.io/models/",
        "source": tmp_path / "repos", "output": tmp_path / "public"}


def test_init_defaults_load_and_every_commented_example_is_valid(tmp_path: Path) -> None:
    text = config_text(Setup())
    assert load_config(_write(tmp_path, text)) == {"title": "Models", "source": tmp_path / "models",
                                                   "output": tmp_path / "_site"}
    (tmp_path / "logo.svg").write_text("<svg/>", encoding="utf-8")
    # Uncomment the examples: they must be valid settings as written.
    examples = "\n".join(line[2:] if line.startswith("# ") and ":" in line.split("#")[1] else line
                         for line in text.splitlines() if not line.startswith("# Where"))
    settings = load_config(_write(tmp_path, examples))
    assert settings["links"] == (("GitHub", "https://github.com/octocat/models"),
                                 ("Contact", "mailto:models@example.com"))
    assert settings["cname"] == "models.example.com"
    assert settings["base_url"] == "https://octocat.github.io/models/"


def test_init_refuses_to_overwrite_unless_forced(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    _write(tmp_path, "title: Mine\n")
    run = run_cli(["init", tmp_path])
    assert run.code == 2
    assert run.err.strip() == f"sitegen: error: {tmp_path / 'sitegen.yaml'} already exists; use --force to overwrite"
    assert (tmp_path / "sitegen.yaml").read_text(encoding="utf-8") == "title: Mine\n"
    assert not (tmp_path / ".github").exists()  # nothing written when anything is in the way
    assert run_cli(["init", tmp_path, "--force", "--title", "New"]).code == 0
    assert load_config(tmp_path / "sitegen.yaml")["title"] == "New"
    assert (tmp_path / ".github/workflows/pages.yml").is_file()


@pytest.mark.parametrize("setting", ["output: ../elsewhere", "output: /tmp/x"])
def test_a_file_found_by_default_writes_only_beside_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               run_cli, setting: str) -> None:  # type: ignore[no-untyped-def]
    # A folder one has cloned may ship a sitegen.yaml that reads as a catalog's (its source is
    # a subfolder): its output must not reach another of the user's sites.
    key = "output"
    site = _site(tmp_path / "clone", f"source: models\n{setting}\n")
    monkeypatch.chdir(site)
    run = run_cli(["build"])
    assert run.code == 2
    assert f"sitegen.yaml:2: error: {key}: " in run.err and "leads outside the folder of sitegen.yaml" in run.err
    assert not (tmp_path / "elsewhere").exists()
    named = run_cli(["build", "--config", "sitegen.yaml", "-o", str(tmp_path / "named")])  # named: the user's choice
    assert named.code == 0 and (tmp_path / "named/index.html").is_file()
