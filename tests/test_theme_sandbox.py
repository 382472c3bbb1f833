"""A repo is data: its sitegen.yaml is not read as ours, its theme is not run, its logo symlink is
not followed; and any theme renders in a sandbox that reads no file through a path or a symlink."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CliRun, card, make_repo, png_bytes
from sitegen import cli
from sitegen.theme import environment

CANARY = b"THEME-CANARY-3f9a: a file outside every repo and theme\n"
CARD = card("license: mit\npipeline_tag: text-classification")
WARNING = ("sitegen.yaml: warning: ignored: it is inside the source folder, so it belongs to the repos "
           "being built, not to you; pass --config sitegen.yaml to use it")
Run = Callable[[list[object]], CliRun]


def _escape(marker: Path) -> str:
    """A template that runs a shell command, as it would outside the sandbox."""
    return "{{ cycler.__init__.__globals__.os.system('touch %s') }}\n" % marker


def _hostile_repo(tmp_path: Path) -> tuple[Path, Path]:
    """A downloaded model repo that ships sitegen.yaml, a theme whose templates run code, and a
    logo that is a symlink to a file outside it. Returns (repo, the marker the code would make)."""
    marker = tmp_path / "PWNED"
    secret = tmp_path / "outside" / "secret.png"
    secret.parent.mkdir()
    secret.write_bytes(CANARY)
    repo = make_repo(tmp_path, "some-model", CARD, {
        "sitegen.yaml": "title: Shipped title\ntheme: theme\nlogo: logo.png\n",
        "theme/templates/model.html": _escape(marker),
        "theme/templates/index.html": _escape(marker),
        "theme/templates/base.html": _escape(marker)})
    (repo / "logo.png").symlink_to(secret)
    return repo, marker


def _published(site: Path) -> list[Path]:
    return [p for p in site.rglob("*") if p.is_file() and CANARY in p.read_bytes()]


def test_a_repos_own_sitegen_yaml_is_ignored_when_built_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 run_cli: Run) -> None:
    repo, marker = _hostile_repo(tmp_path)
    monkeypatch.chdir(repo)
    out = tmp_path / "site"
    run = run_cli(["build", "-o", out])
    assert not marker.exists()
    assert run.code == 0, run.err
    assert WARNING in run.err.splitlines()
    assert "Shipped title" not in (out / "index.html").read_text(encoding="utf-8")
    assert not (out / "static/logo.png").exists() and not _published(out)
    run = run_cli(["build"])  # the documented way: output _site inside the repo
    assert not marker.exists() and WARNING in run.err.splitlines()
    assert not (repo / "_site").exists() or not _published(repo / "_site")


def test_serve_reads_the_same_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    repo, marker = _hostile_repo(tmp_path)
    monkeypatch.chdir(repo)
    args = cli._parser().parse_args(["serve"])
    path = cli._config_file(args)
    config = cli._config(args, path)
    assert path is None and config.theme is None and config.logo is None and config.title == "Models"
    assert WARNING in capsys.readouterr().err.splitlines()


def test_a_config_named_with_the_flag_is_read_but_its_theme_in_the_source_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: Run) -> None:
    repo, marker = _hostile_repo(tmp_path)
    (repo / "logo.png").unlink()
    (repo / "logo.png").write_bytes(png_bytes())
    monkeypatch.chdir(repo)
    run = run_cli(["build", "--config", "sitegen.yaml", "-o", tmp_path / "site"])
    assert run.code == 2
    assert run.err.splitlines() == [
        f"sitegen.yaml:2: error: theme: theme is inside the source folder ., so a repo being built could "
        "supply it, and a theme is code; move it out, or pass --theme DIR to use it anyway"]
    assert not marker.exists() and not (tmp_path / "site").exists()


def test_a_theme_in_the_source_named_by_the_flag_is_used_but_sandboxed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: Run) -> None:
    repo, marker = _hostile_repo(tmp_path)
    monkeypatch.chdir(repo)
    run = run_cli(["build", "--theme", "theme", "-o", tmp_path / "site"])
    assert run.code == 2
    assert "Traceback" not in run.err
    assert not marker.exists()


def test_a_benign_theme_in_the_source_is_used_when_the_flag_names_it(tmp_path: Path, run_cli: Run) -> None:
    repo = make_repo(tmp_path, "some-model", CARD, {
        "theme/templates/index.html": "{% extends 'default/index.html' %}{% block main %}OUR INDEX{% endblock %}"})
    run = run_cli(["build", repo, "--theme", repo / "theme", "-o", tmp_path / "site"])
    assert run.code == 0, run.err
    assert "OUR INDEX" in (tmp_path / "site/index.html").read_text(encoding="utf-8")


def test_a_logo_that_leads_out_of_the_config_folder_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               run_cli: Run) -> None:
    site = tmp_path / "catalog"
    make_repo(site / "models", "good", CARD)  # beside the file, as a found file's source must be
    (tmp_path / "outside.png").write_bytes(CANARY)
    (site / "logo.png").symlink_to(tmp_path / "outside.png")
    (site / "sitegen.yaml").write_text("source: models\nlogo: logo.png\n", encoding="utf-8")
    monkeypatch.chdir(site)
    run = run_cli(["build"])
    assert run.code == 2
    assert run.err.splitlines() == ["sitegen.yaml:2: error: logo: 'logo.png' leads outside the folder of "
                                    "sitegen.yaml (through .. or a symlink); expected an image in that folder"]
    (site / "sitegen.yaml").write_text("source: models\nlogo: ../outside.png\n", encoding="utf-8")
    assert "logo: '../outside.png' leads outside" in run_cli(["build"]).err


def test_a_theme_from_a_config_must_lie_beside_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  run_cli: Run) -> None:
    make_repo(tmp_path / "site/models", "good", CARD)
    (tmp_path / "elsewhere/templates").mkdir(parents=True)
    (tmp_path / "site/theme").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "site/sitegen.yaml").write_text("source: models\ntheme: theme\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "site")
    run = run_cli(["build"])
    assert run.code == 2
    assert run.err.startswith("sitegen.yaml:2: error: theme: theme leads outside the folder of sitegen.yaml")
    assert run_cli(["build", "--theme", tmp_path / "elsewhere"]).code == 0  # the command line may


def _theme(tmp_path: Path, templates: dict[str, str]) -> tuple[Path, Path]:
    """A catalog of one model and a user theme beside it (outside the source)."""
    source = tmp_path / "models"
    make_repo(source, "good", CARD)
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    for name, text in templates.items():
        (theme / "templates" / name).parent.mkdir(parents=True, exist_ok=True)
        (theme / "templates" / name).write_text(text, encoding="utf-8")
    return source, theme


@pytest.mark.parametrize("escape", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}",
    "{{ lipsum.__globals__['os'].system('touch PWNED') }}",
    "{{ model.copies.__class__ }}",
])
def test_a_template_that_escapes_fails_that_models_page_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             run_cli: Run, escape: str) -> None:
    source, theme = _theme(tmp_path, {"model.html": "{% extends 'default/model.html' %}"
                                                    "{% block main %}" + escape + "{% endblock %}"})
    monkeypatch.chdir(tmp_path)
    run = run_cli(["build", source, "--theme", theme, "-o", tmp_path / "site", "--fail-on", "error"])
    assert not (tmp_path / "PWNED").exists()
    assert run.code == 1  # the site is written; that model is an error
    assert (tmp_path / "site/index.html").is_file()
    assert f"{source / 'good'}: error: skipped: the theme could not render its page: " \
           f"{theme / 'templates/model.html'}:1: access to attribute " in run.err
    assert "is unsafe" in run.err and "Traceback" not in run.err


def test_a_list_page_that_escapes_stops_the_build_with_its_line(tmp_path: Path, run_cli: Run) -> None:
    source, theme = _theme(tmp_path, {"index.html": "{% extends 'default/index.html' %}\n"
                                                    "{% block main %}\n{{ site.__class__ }}{% endblock %}"})
    run = run_cli(["build", source, "--theme", theme, "-o", tmp_path / "site"])
    assert run.code == 2
    assert run.err.splitlines() == [f"{theme / 'templates/index.html'}:3: error: template: access to attribute "
                                    "'__class__' of 'Site' object is unsafe."]
    assert not (tmp_path / "site").exists()


def test_a_template_that_does_not_compile_is_a_located_error(tmp_path: Path, run_cli: Run) -> None:
    source, theme = _theme(tmp_path, {"model.html": "{% extends 'default/model.html' %}\n{% block main %}\n"})
    run = run_cli(["build", source, "--theme", theme, "-o", tmp_path / "site"])
    assert run.code == 2
    assert run.err.startswith(f"{theme / 'templates/model.html'}:2: error: template: Unexpected end of template.")


def test_check_meets_a_template_that_does_not_compile_as_a_located_error(tmp_path: Path, run_cli: Run) -> None:
    source, theme = _theme(tmp_path, {"model.html": "{% if %}\n"})
    (tmp_path / "sitegen.yaml").write_text("source: models\ntheme: theme\n", encoding="utf-8")
    run = run_cli(["check", "--config", tmp_path / "sitegen.yaml"])
    assert run.code == 2 and "Traceback" not in run.err
    assert run.err.startswith(f"{theme / 'templates/model.html'}:1: error: template: ")


def test_an_include_through_a_symlink_out_of_the_theme_fails(tmp_path: Path, run_cli: Run) -> None:
    source, theme = _theme(tmp_path, {"model.html": "{% extends 'default/model.html' %}"
                                                    "{% block main %}{% include 'secret.html' %}{% endblock %}"})
    (tmp_path / "id_rsa").write_bytes(CANARY)
    (theme / "templates/secret.html").symlink_to(tmp_path / "id_rsa")
    run = run_cli(["build", source, "--theme", theme, "-o", tmp_path / "site"])
    assert run.err.splitlines() == [
        f"{source / 'good'}: error: skipped: the theme could not render its page: {theme / 'templates/secret.html'}: "
        f"a symlink to outside the theme folder {theme}; a theme's templates must be files inside it",
        "sitegen: error: no model could be built, so the site lists none; fix the errors above "
        "(deployed, this site would replace the one online)"]
    assert run.code == 1
    assert not _published(tmp_path / "site")


@pytest.mark.parametrize("name", ["templates", "static"])
def test_a_templates_or_static_folder_that_is_a_symlink_out_is_an_error(tmp_path: Path, run_cli: Run,
                                                                       name: str) -> None:
    source, theme = _theme(tmp_path, {})
    (tmp_path / "home/.ssh").mkdir(parents=True)
    (tmp_path / "home/.ssh/index.html").write_bytes(CANARY)
    (tmp_path / "home/.ssh/id_rsa").write_bytes(CANARY)
    if name == "templates":
        (theme / name).rmdir()
    (theme / name).symlink_to(tmp_path / "home/.ssh")
    run = run_cli(["build", source, "--theme", theme, "-o", tmp_path / "site"])
    assert run.code == 2
    assert run.err.splitlines() == [f"{theme / name}: error: theme: a symlink to outside the theme folder "
                                    f"{theme}; a theme's {name}/ must be a folder inside it"]
    assert not (tmp_path / "site").exists()


def test_a_static_file_that_is_a_symlink_is_not_published(tmp_path: Path, run_cli: Run) -> None:
    source, theme = _theme(tmp_path, {})
    (tmp_path / "id_rsa").write_bytes(CANARY)
    (theme / "static").mkdir()
    (theme / "static/style.css").write_text("body{}", encoding="utf-8")
    (theme / "static/key.css").symlink_to(tmp_path / "id_rsa")
    assert run_cli(["build", source, "--theme", theme, "-o", tmp_path / "site"]).code == 0
    assert (tmp_path / "site/static/style.css").read_text(encoding="utf-8") == "body{}"
    assert not (tmp_path / "site/static/key.css").exists() and not _published(tmp_path / "site")


def test_a_template_cannot_use_a_file_path(tmp_path: Path) -> None:
    (tmp_path / "secret").write_bytes(CANARY)
    template = environment(None).from_string("{{ p.read_text() }}{{ p.parent.joinpath('x').touch() }}")
    with pytest.raises(Exception, match="unsafe"):
        template.render(p=tmp_path / "secret")
    assert not (tmp_path / "x").exists()


def test_the_default_theme_renders_in_the_sandbox() -> None:
    from jinja2.sandbox import SandboxedEnvironment
    assert isinstance(environment(None), SandboxedEnvironment)
