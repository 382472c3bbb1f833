"""GitHub Actions: annotations no card can break out of, the step summary, and the site's size."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import card, make_repo
from sitegen import actions
from sitegen.report import ERROR, WARNING, Diagnostic

# What card data may try to put into a workflow command: a new line with a command of its
# own, an escape the runner would undo, commands that stop command processing or mask a value,
# a property of its own, and the end of the properties.
HOSTILE = ["\n::error::injected", "%0A::error::pct", "::stop-commands::tok", ",line=1,title=x",
           "::add-mask::secret", "\r::warning::cr", "a:b::c"]
COMMAND = re.compile(r"::(error|warning|notice) ([^:]*)::(.*)")


def _unescape(text: str, prop: bool = False) -> str:
    """What the runner makes of an escaped value (actions/runner ActionCommand)."""
    pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if prop else []) + [("%25", "%")]
    for escaped, raw in pairs:
        text = text.replace(escaped, raw)
    return text


def _hostile_source(root: Path) -> Path:
    src = root / "src"
    for i, text in enumerate(HOSTILE):
        quoted = json.dumps(text)  # a YAML string with the same characters
        make_repo(src, f"m{i}{text}".replace("/", "_"), card(f"pipeline_tag: {quoted}\nlicense: {quoted}\n"))
    make_repo(src, "broken", "---\nlicense: mit\nfoo: bar: baz\n---\n# Broken\n")
    make_repo(src, "::error file=x::lead", card('pipeline_tag: "::error::tag"\n'))  # a line would start with it
    return src


def _commands(printed: str) -> list[tuple[str, dict[str, str], str]]:
    """Every workflow command in the output, parsed as the runner would; nothing else may
    start with `::` (leading white space is ignored by the runner too)."""
    found = []
    for line in printed.splitlines():
        if not line.lstrip().startswith("::"):
            assert "\r" not in line
            continue
        m = COMMAND.fullmatch(line)
        assert m, line
        props = dict(p.split("=", 1) for p in m.group(2).split(","))
        assert set(props) <= {"file", "line", "title"}, line
        assert "line" not in props or props["line"].isdigit(), line
        found.append((m.group(1), {k: _unescape(v, True) for k, v in props.items()}, _unescape(m.group(3))))
    return found


def _counts(printed: str) -> tuple[int, int]:
    m = re.search(r"(\d+) warnings, (\d+) errors", printed)
    assert m, printed
    return int(m.group(1)), int(m.group(2))


@pytest.mark.parametrize("argv", [["build", "-o", "OUT", "--format", "github"], ["check", "--format", "github"]])
def test_one_annotation_per_problem_whatever_the_card_says(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch,
                                                          argv: list[str]) -> None:  # type: ignore[no-untyped-def]
    src = _hostile_source(tmp_path)
    monkeypatch.chdir(tmp_path)  # the checkout root
    run = run_cli([a if a != "OUT" else str(tmp_path / "out") for a in argv] + [str(src)])
    printed = run.out + run.err
    commands = _commands(printed)
    warnings, errors = _counts(printed)
    assert len(commands) == warnings + errors > len(HOSTILE)  # exactly one command per problem
    assert sum(c == "error" for c, _, _ in commands) == errors
    files = {props["file"] for _, props, _ in commands}
    assert "src/broken/README.md" in files  # relative to the checkout root, as GitHub wants
    for i, text in enumerate(HOSTILE):  # every hostile file name arrives whole, as a file name
        assert f"src/m{i}{text}" in files, (text, files)
    assert "src/::error file=x::lead/README.md" in files
    assert all((tmp_path / f).exists() for f in files)  # as the runner reads them: the real files
    messages = " ".join(message for _, _, message in commands)
    assert "unknown pipeline_tag '%0A::error::pct'" in messages  # the text is shown, not acted on
    assert "unknown license '::add-mask::secret'" in messages
    assert run.code == (0 if argv[0] == "build" else 1)


@pytest.mark.parametrize("argv", [["build", "-o", "OUT"], ["check"], ["build", "-o", "OUT", "-v"], ["check", "-v"]])
def test_text_output_never_starts_a_line_with_a_command(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch,
                                                        argv: list[str]) -> None:  # type: ignore[no-untyped-def]
    src = _hostile_source(tmp_path)
    monkeypatch.chdir(src)  # paths printed from the repo folder's name on: `m0\n::error::…`
    run = run_cli([a if a != "OUT" else str(tmp_path / "out") for a in argv] + ["."])
    printed = run.out + run.err
    assert "::stop-commands::tok" in printed and "::add-mask::secret" in printed  # shown...
    for line in (run.out + run.err).splitlines():
        assert not line.lstrip().startswith("::"), line  # ...but never as a command
        assert "\r" not in line


def test_annotation_escapes_properties_and_message() -> None:
    d = Diagnostic(ERROR, "50%\r\n::add-mask::x", "a,line=9:b%0A\n::stop-commands::t/README.md", 3, "k:e,y")
    line = d.annotation()
    assert line == ("::error file=a%2Cline=9%3Ab%250A%0A%3A%3Astop-commands%3A%3At/README.md,line=3,"
                    "title=k%3Ae%2Cy::50%25%0D%0A::add-mask::x")


def test_annotation_paths_are_relative_to_the_current_folder(tmp_path: Path) -> None:
    cwd = str(tmp_path)
    assert actions.relative(str(tmp_path / "models/a/README.md"), cwd) == "models/a/README.md"
    assert actions.relative("models/a/README.md", cwd) == "models/a/README.md"
    assert actions.relative("/elsewhere/README.md", cwd) == "/elsewhere/README.md"  # outside: left as is
    assert actions.relative(str(tmp_path) + "-other/x", cwd) == str(tmp_path) + "-other/x"
    assert actions.relative("", cwd) == ""


# The step summary ($GITHUB_STEP_SUMMARY)

def _summary_run(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch, command: str,
                 summary: Path) -> tuple[str, Any]:  # type: ignore[no-untyped-def]
    src = tmp_path / "src"
    make_repo(src, "good", card("license: mit\npipeline_tag: text-classification\n"))
    make_repo(src, "broken", "---\nlicense: mit\nfoo: bar: baz\n---\n# Broken\n")
    evil = "a|b\nnext <img src=x onerror=alert(1)> [l](https://e.example) `x` @octocat"
    make_repo(src, "odd", card(f"pipeline_tag: {json.dumps(evil)}\n"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run = run_cli([command, "src", *(["-o", "out"] if command == "build" else [])])
    return (summary.read_text(encoding="utf-8") if summary.is_file() else ""), run


@pytest.mark.parametrize("command", ["build", "check"])
def test_step_summary_has_counts_and_a_table(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch,
                                             command: str) -> None:  # type: ignore[no-untyped-def]
    summary = tmp_path / "step_summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    text, run = _summary_run(tmp_path, run_cli, monkeypatch, command, summary)
    assert text.startswith("earlier step\n")  # appended, never replaced
    assert f"### sitegen {command}" in text
    assert "**2** models" in text and "**1** errors" in text and "**1** warnings" in text
    assert ("site size" in text) == ("pages" in text) == (command == "build")
    rows = [ln for ln in text.splitlines() if ln.startswith("| ")]
    assert rows[0] == "| where | level | problem |"
    assert rows[2].startswith("| `src/broken/README.md:3` | error | `invalid YAML")  # errors first
    assert rows[3].startswith("| `src/odd/README.md:") and "| warning |" in rows[3]
    assert len(rows) == 4
    cells = [c for c in re.split(r"(?<!\\)\|", rows[3])][1:-1]
    assert len(cells) == 3  # the card's `|` is escaped: no fourth cell
    assert "\\n" in rows[3] and "next" in rows[3]  # its new line is shown, not a new row


def test_step_summary_card_text_is_not_html_or_links(tmp_path: Path, run_cli,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    cmarkgfm = pytest.importorskip("cmarkgfm")  # GitHub's own Markdown (cmark-gfm)
    text, _ = _summary_run(tmp_path, run_cli, monkeypatch, "check", tmp_path / "s.md")
    html = cmarkgfm.github_flavored_markdown_to_html(text)
    assert "<img" not in html and "<a " not in html and "<a>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # shown as text
    assert html.count("<tr>") == 3 and html.count("<td>") == 6  # a header and two rows of three cells
    assert "a|b" in html


def test_step_summary_rows_are_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    problems = [Diagnostic(WARNING, f"problem {i}", f"m/{i}/README.md", 1) for i in range(5)]
    monkeypatch.setattr(actions, "MAX_SUMMARY_ROWS", 2)
    text = actions.markdown("check", [("models", "5")], problems)
    assert text.count("| warning |") == 2
    assert "… and 3 more problems not listed here" in text
    monkeypatch.setattr(actions, "MAX_SUMMARY_ROWS", 500)
    monkeypatch.setattr(actions, "MAX_SUMMARY_BYTES", 400)  # the byte budget cuts too
    text = actions.markdown("check", [("models", "5")], problems * 100)
    assert len(text.encode()) < 1000 and "more problems not listed here" in text
    long = actions.markdown("check", [], [Diagnostic(ERROR, "x" * 100_000, "a", 1)])
    assert len(long) < actions.MAX_CELL + 300  # one long message is cut


@pytest.mark.parametrize("kind", ["folder", "symlink", "fifo", "missing-folder"])
def test_an_odd_step_summary_path_is_a_warning(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch,
                                               kind: str) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "target.md"
    target.write_text("the runner's\n", encoding="utf-8")
    path = tmp_path / "summary"
    if kind == "folder":
        path.mkdir()
    elif kind == "symlink":
        path.symlink_to(target)
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path = tmp_path / "no" / "summary.md"
    text, run = _summary_run(tmp_path, run_cli, monkeypatch, "build", path)
    assert run.code == 0
    assert "sitegen: warning: $GITHUB_STEP_SUMMARY" in run.err
    assert "cannot write the step summary" in run.err
    assert target.read_text(encoding="utf-8") == "the runner's\n"  # no link followed
    assert (tmp_path / "out/index.html").is_file()


def test_no_step_summary_without_the_variable(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    make_repo(tmp_path / "src", "good", card("license: mit\n"))
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    assert run_cli(["check", "src"]).code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == before


# The site's size

def test_size_past_the_pages_limit_is_a_warning(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    make_repo(tmp_path / "src", "good", card("license: mit\n"))
    monkeypatch.chdir(tmp_path)
    run = run_cli(["build", "src", "-o", "out"])
    assert run.code == 0 and "GitHub Pages" not in run.err
    size = actions.site_size(tmp_path / "out")
    assert size == sum(p.stat().st_size for p in (tmp_path / "out").rglob("*") if p.is_file())
    monkeypatch.setattr(actions, "PAGES_LIMIT", size // 2)
    run = run_cli(["build", "src", "-o", "out"])
    assert run.code == 0  # a warning: the site is written
    assert f"out: warning: the site is {actions.human(size)}, past GitHub Pages' limit of " in run.err
    assert "1 warnings" in run.out and run.out.rstrip().endswith(f"; site {actions.human(size)}")
    assert run_cli(["build", "src", "-o", "out", "--fail-on", "warning"]).code == 1
    run = run_cli(["build", "src", "-o", "out", "--format", "github"])
    assert any(c == "warning" and "GitHub Pages" in m for c, _, m in _commands(run.err))


def test_size_is_read_as_people_do() -> None:
    assert [actions.human(n) for n in (0, 999, 1000, 1_250_000, 1_000_000_000, 2_345_000_000)] == \
        ["0 bytes", "999 bytes", "1.0 kB", "1.2 MB", "1.00 GB", "2.35 GB"]
    assert actions.size_warning(actions.PAGES_LIMIT, Path("_site")) is None  # at the limit: fine
    assert actions.size_warning(actions.PAGES_LIMIT + 1, Path("_site")) is not None


@pytest.mark.parametrize("message", ["<script>x</script> <b>bold</b>", "[link](https://e.example) ![i](x.png)",
                                     "https://e.example www.e.example a@b.example", "``` `code` ``", "a|b\\|c\\",
                                     "`", " `x` ", "*em* _em_ # h", "\n| x | y |\n| - | - |", "<!-- c", "&lt;b&gt;"])
def test_step_summary_cell_is_only_text(message: str) -> None:
    cmarkgfm = pytest.importorskip("cmarkgfm")
    text = actions.markdown("check", [("models", "1")], [Diagnostic(ERROR, message, "a|<b>/README.md", 2)])
    html = cmarkgfm.github_flavored_markdown_to_html(text)
    body = html.split("<tbody>", 1)[1]
    assert body.count("<td>") == 3 and body.count("<tr>") == 1, html
    for tag in ("<a", "<img", "<script", "<b>", "<em", "<strong", "<h", "<!--", "<table"):
        assert tag not in body, (tag, html)
    shown = re.findall(r"<code>(.*?)</code>", body)
    import html as html_lib
    assert html_lib.unescape(shown[1]).strip() == message.replace("\n", "\\n").strip()


# A site that could not be made fails whatever --fail-on says, and says why on lines of its own.

@pytest.mark.parametrize("failure, code", [(OSError(28, "No space left on device"), 2),
                                           (RuntimeError("a bug\n::error::from a card"), 70)])
def test_a_build_that_fails_exits_non_zero_with_never(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch,
                                                      failure: Exception, code: int) -> None:  # type: ignore[no-untyped-def]
    import sitegen.cli
    make_repo(tmp_path / "src", "good", card("license: mit\n"))

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise failure
    monkeypatch.setattr(sitegen.cli, "build", broken)
    run = run_cli(["build", tmp_path / "src", "-o", tmp_path / "out", "--fail-on", "never"])
    assert run.code == code
    assert "No space left on device" in run.err if code == 2 else "internal error (a bug; please report it)" in run.err
    assert all(not line.lstrip().startswith("::") for line in run.err.splitlines())
    assert run.out == ""


def test_a_build_in_which_every_model_failed_exits_1_even_with_never(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """An empty site would replace the one online: the deploy step must not run after it."""
    make_repo(tmp_path / "src", "broken", "---\nlicense: [unclosed\n---\n# Broken\n")
    run = run_cli(["build", tmp_path / "src", "-o", tmp_path / "out"])
    assert run.code == 1 and "no model could be built" in run.err
    make_repo(tmp_path / "src", "good", card("license: mit\n"))
    assert run_cli(["build", tmp_path / "src", "-o", tmp_path / "out"]).code == 0  # one built: a site
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_cli(["build", empty, "-o", tmp_path / "out2"]).code == 0  # no models, no errors: not this rule
