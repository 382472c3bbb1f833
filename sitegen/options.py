"""The command line's options: the argparse parser for `build`, `check`, `serve` and `init`."""
from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import __version__
from .config import CONFIG_FILE
from .configkeys import check_base_url, check_cname, check_hub_url
from .init import GITIGNORE_FILE, WORKFLOW_FILE, ZIZMOR_FILE, Setup
from .pins import DIST_NAME, SpecError, check_spec
from .pool import default_jobs

BUILD_EXAMPLES = """examples:
  sitegen build models/ -o _site
  sitegen build my-model/ --title "My model" --fail-on error
  sitegen build models/ --base-url https://octocat.github.io/models/
  sitegen build --config site/sitegen.yaml
  sitegen build models/ --format github   # in a GitHub Actions step: problems on the files
"""
CHECK_EXAMPLES = """examples:
  sitegen check my-model/
  sitegen check models/ --strict
  sitegen check models/ --format json | jq 'select(.examples_with_output == 0) | .id'
"""
SERVE_EXAMPLES = """examples:
  sitegen serve my-model/ --open
  sitegen serve models/ --port 8080
"""
LFS_FILES_EXAMPLES = """examples:
  sitegen lfs-files models/
  git lfs pull --include="$(sitegen lfs-files)"   # guard: an empty list would fetch everything
"""
INIT_EXAMPLES = """examples:
  sitegen init
  sitegen init site/ --title "Acme models" --base-url https://acme.github.io/models/
  sitegen init --install "modelcard-sitegen @ git+https://github.com/OWNER/REPO@COMMIT"
"""
CONFIG_NOTE = (f"\n\nSettings also come from --config FILE, else ./{CONFIG_FILE} if present and\n"
               "outside the source folder; flags override them.")


def _checked(check: Callable[[str], str]) -> Callable[[str], str]:
    """Make an argparse type that rejects a value the way the config file would."""
    def parse(value: str) -> str:
        problem = check(value)
        if problem:
            raise argparse.ArgumentTypeError(problem)
        return value
    return parse


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a number of processes (1 or more), got {value!r}")
    return int(value)


def _text(value: str) -> str:
    if not value.strip():
        raise argparse.ArgumentTypeError("expected a non-empty value")
    return value


def parser() -> argparse.ArgumentParser:
    """The `sitegen` parser: one subcommand each for build, check, serve and init."""
    top = argparse.ArgumentParser(
        prog="sitegen", description="Turn a folder of Hugging Face-style model repos into a static website.",
        epilog="run 'sitegen COMMAND --help' for a command's options",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("--version", action="version", version=f"sitegen {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    _build(sub)
    _check(sub)
    _serve(sub)
    _init(sub)
    _lfs_files(sub)
    return top


def _command(sub: Any, name: str, summary: str, description: str, examples: str) -> argparse.ArgumentParser:
    """A subcommand with the options build, check and serve share (init has none of them)."""
    p: argparse.ArgumentParser = sub.add_parser(name, help=summary, epilog=examples, description=description,
                                                formatter_class=argparse.RawDescriptionHelpFormatter)
    if name == "init":
        return p
    p.add_argument("source", nargs="?", type=Path,
                   help="a folder of model repos (name/ or org/name/), or one repo "
                        "(default: source in the config file, else .)")
    p.add_argument("--config", type=Path, metavar="FILE",
                   help=f"read settings from FILE (default: ./{CONFIG_FILE} if present and "
                        "outside the source folder)")
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only, and no summary")
    p.add_argument("-v", "--verbose", action="store_true", help="also print notes (info)")
    p.add_argument("-j", "--jobs", type=_jobs, default=default_jobs(), metavar="N",
                   help=f"build N models at a time in worker processes (default: {default_jobs()}, "
                        "the cores here)")
    return p


def _policy(p: argparse.ArgumentParser, default: str) -> None:
    """--fail-on and --strict: which problems make the command exit 1 (README, "Exit codes")."""
    p.add_argument("--fail-on", choices=("never", "error", "warning"), default=None, metavar="LEVEL",
                   help="exit 1 when a model has a problem of this level or worse: never, error or "
                        f"warning (default: {default}); a site that cannot be made always exits non-zero")
    p.add_argument("--strict", action="store_true", help="the same as --fail-on warning")


def _look(p: argparse.ArgumentParser) -> None:
    p.add_argument("--title", type=_text, help="site title (default: Models)")
    p.add_argument("--theme", type=Path, metavar="DIR",
                   help="a theme folder whose files replace the default theme's (may be "
                        "inside the source folder, unlike a theme named in a settings file)")
    p.add_argument("--hub-url", type=_checked(check_hub_url), metavar="URL",
                   help="where ids outside the catalog link, and the endpoint the usage code names: "
                        "https://huggingface.co (default), a mirror's address, or false for plain text")
    p.add_argument("--offline-media", action="store_true",
                   help="show remote images, audio and video as plain links (for an air-gapped site)")


def _build(sub: Any) -> None:
    b = _command(sub, "build", "build the site",
                 "Build a static site: an index of models and one page per model." + CONFIG_NOTE,
                 BUILD_EXAMPLES)
    b.add_argument("-o", "--output", type=Path, help="output folder (default: _site)")
    _policy(b, "never")
    _look(b)
    b.add_argument("--base-url", type=_checked(check_base_url), metavar="URL",
                   help="where the site will live, e.g. https://octocat.github.io/models/ (404 page, canonical links)")
    b.add_argument("--cname", type=_checked(check_cname), metavar="DOMAIN",
                   help="a custom domain like models.example.com, written to the site as CNAME")
    b.add_argument("--no-cache", action="store_true",
                   help="build every model again and replace the output whole, ignoring what the "
                        "last build remembers (kept in ~/.cache/sitegen/builds/, or under $XDG_CACHE_HOME)")
    b.add_argument("--show-checks", action="store_true",
                   help="show each card's check results on its page (for previewing a card)")
    b.add_argument("--format", choices=("text", "github"), default="text",
                   help="text: one line per problem; github: GitHub Actions workflow commands "
                        "(annotations), then the summary line. Where $GITHUB_STEP_SUMMARY is set, a "
                        "Markdown summary is appended to it in either format")


def _check(sub: Any) -> None:
    c = _command(sub, "check", "check the repos without writing anything",
                 "Read and check every model as a build would; write nothing." + CONFIG_NOTE, CHECK_EXAMPLES)
    _policy(c, "error")
    c.add_argument("--format", choices=("text", "json", "github"), default="text",
                   help="text: a summary line per model and its diagnostics; json: one JSON object "
                        "per model and line (see README); github: GitHub Actions annotations. Where "
                        "$GITHUB_STEP_SUMMARY is set, a Markdown summary is appended to it")


def _serve(sub: Any) -> None:
    s = _command(sub, "serve", "preview the site locally, rebuilding on save",
                 "Build into a preview folder, serve it, and rebuild when a file changes;\n"
                 "each page shows its card's check results." + CONFIG_NOTE, SERVE_EXAMPLES)
    s.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    s.add_argument("--open", action="store_true", help="open the site in a web browser")
    _look(s)


def _init(sub: Any) -> None:
    i = _command(sub, "init", f"write {CONFIG_FILE} and a GitHub Pages workflow",
                 f"Write DIR/{CONFIG_FILE} (commented settings) and DIR/{WORKFLOW_FILE.as_posix()},\n"
                 "a GitHub Actions workflow that builds the site and deploys it to GitHub Pages,\n"
                 f"with DIR/{ZIZMOR_FILE} (settings for the zizmor workflow linter) and DIR/{GITIGNORE_FILE}.",
                 INIT_EXAMPLES)
    i.add_argument("folder", nargs="?", default=Path("."), type=Path, metavar="DIR",
                   help="the repository to set up (default: .)")
    i.add_argument("--title", type=_text, default=Setup.title, help=f"site title (default: {Setup.title})")
    i.add_argument("--base-url", type=_checked(check_base_url), default="", metavar="URL",
                   help="where the site will live (default: left for the workflow to pass)")
    i.add_argument("--source", type=_text, default=Setup.source,
                   help=f"the folder of model repos, relative to DIR (default: {Setup.source})")
    i.add_argument("--output", type=_text, default=Setup.output,
                   help=f"the output folder, relative to DIR (default: {Setup.output})")
    i.add_argument("--install", type=_install_spec, metavar="SPEC",
                   help="the pip requirement the workflow installs, e.g. a git URL or a wheel's URL "
                        f"(default: this sitegen: {DIST_NAME} at its git commit if installed from "
                        f"git, else {DIST_NAME}=={__version__} from PyPI)")
    i.add_argument("--force", action="store_true",
                   help=f"overwrite {CONFIG_FILE} and the workflow if they exist ({ZIZMOR_FILE} "
                        f"and {GITIGNORE_FILE} are never replaced)")


def _install_spec(value: str) -> str:
    try:
        return check_spec(value)
    except SpecError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _lfs_files(sub: Any) -> None:
    f = _command(sub, "lfs-files", "list the Git LFS files the pages show, for git lfs pull",
                 "Print, on one line and comma-separated, the Git LFS pointer files the pages would show\n"
                 "(widget media, card images, thumbnails; never weights), as `git lfs pull --include`\n"
                 "takes them: relative to the root of the git repository here. Prints nothing when\n"
                 "there are none; files it cannot name safely are left out with a warning on stderr."
                 + CONFIG_NOTE, LFS_FILES_EXAMPLES)
    _policy(f, "never")
    f.add_argument("-0", "--null", action="store_true",
                   help="end each pattern with a NUL character instead of joining them with commas")
