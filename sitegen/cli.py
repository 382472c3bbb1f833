"""The command line: `sitegen build`, `check`, `serve` and `init`. Thin: parse, call, print."""
from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from . import __version__
from .build import Result, build
from .config import CONFIG_FILE, Config, ConfigError, choose_config, load_config, merge
from .configkeys import check_base_url, check_cname
from .init import WORKFLOW_FILE, InitError, Setup, init, next_steps
from .pool import default_jobs
from .progress import Progress
from .report import ERROR, INFO, WARNING, Diagnostic, json_line, printable
from .theme import ThemeError
from .write import OutputError

BUILD_EXAMPLES = """examples:
  sitegen build models/ -o _site
  sitegen build my-model/ --title "My model" --strict
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
INIT_EXAMPLES = """examples:
  sitegen init
  sitegen init site/ --title "Acme models" --base-url https://acme.github.io/models/
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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitegen", description="Turn a folder of Hugging Face-style model repos into a static website.",
        epilog="run 'sitegen COMMAND --help' for a command's options",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, summary: str, description: str, examples: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=summary, epilog=examples, description=description,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        if name == "init":
            return p
        p.add_argument("source", nargs="?", type=Path,
                       help="a folder of model repos (name/ or org/name/), or one repo "
                            "(default: source in the config file, else .)")
        p.add_argument("--config", type=Path, metavar="FILE",
                       help=f"read settings from FILE (default: ./{CONFIG_FILE} if present and "
                            "outside the source folder)")
        p.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1)")
        p.add_argument("-q", "--quiet", action="store_true", help="print errors only, and no summary")
        p.add_argument("-v", "--verbose", action="store_true", help="also print notes (info)")
        p.add_argument("-j", "--jobs", type=_jobs, default=default_jobs(), metavar="N",
                       help=f"build N models at a time in worker processes (default: {default_jobs()}, "
                            "the cores here)")
        return p

    def look(p: argparse.ArgumentParser) -> None:
        p.add_argument("--title", type=_text, help="site title (default: Models)")
        p.add_argument("--theme", type=Path, metavar="DIR",
                       help="a theme folder whose files replace the default theme's (may be "
                            "inside the source folder, unlike a theme named in a settings file)")

    b = command("build", "build the site",
                "Build a static site: an index of models and one page per model." + CONFIG_NOTE,
                BUILD_EXAMPLES)
    b.add_argument("-o", "--output", type=Path, help="output folder (default: _site)")
    look(b)
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
                        "(annotations), then the summary line")
    c = command("check", "check the repos without writing anything",
                "Read and check every model as a build would; write nothing." + CONFIG_NOTE, CHECK_EXAMPLES)
    c.add_argument("--format", choices=("text", "json", "github"), default="text",
                   help="text: a summary line per model and its diagnostics; json: one JSON object "
                        "per model and line (see README); github: GitHub Actions annotations")
    s = command("serve", "preview the site locally, rebuilding on save",
                "Build into a preview folder, serve it, and rebuild when a file changes;\n"
                "each page shows its card's check results." + CONFIG_NOTE, SERVE_EXAMPLES)
    s.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    s.add_argument("--open", action="store_true", help="open the site in a web browser")
    look(s)
    i = command("init", f"write {CONFIG_FILE} and a GitHub Pages workflow",
                f"Write DIR/{CONFIG_FILE} (commented settings) and DIR/{WORKFLOW_FILE.as_posix()},\n"
                "a GitHub Actions workflow that builds the site and deploys it to GitHub Pages.",
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
    i.add_argument("--force", action="store_true", help="overwrite files that already exist")
    return parser


def run() -> None:
    """The `sitegen` program: main(), then exit at once. A catalog's build leaves a million
    small objects; freeing them one by one at exit takes longer than a rebuild that found
    nothing to do (0.2 s at 10,000 models). Every file is closed and every worker reaped by now."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 errors, 2 usage)."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if args.command == "init":
        return _init(args)
    path = _config_file(args)
    try:
        config = _config(args, path)
    except ConfigError as exc:
        for problem in exc.problems:
            print(problem.format(), file=sys.stderr)
        return 2
    if not config.source.is_dir():
        origin = "" if args.source is not None or path is None else f" (the source set in {path})"
        print(printable(f"sitegen: error: {config.source}: no such folder{origin}"), file=sys.stderr)
        return 2
    if args.command == "serve":
        from .serve import serve
        return serve(config, host=args.host, port=args.port, open_browser=args.open,
                     config_file=path, reconfigure=lambda: _config(args, _config_file(args)))
    return _build(args, config)


def _config_file(args: argparse.Namespace) -> Path | None:
    """The settings file to read (see config.choose_config); say so when ./sitegen.yaml is not."""
    path, ignored = choose_config(args.config, args.source)
    if ignored is not None:
        print(ignored.format(), file=sys.stderr)
    return path


def _config(args: argparse.Namespace, path: Path | None) -> Config:
    """Merge the config file's settings with the flags given on the command line."""
    settings = load_config(path, args.source, theme_flag=getattr(args, "theme", None) is not None,
                           found=args.config is None) if path else {}
    serving = args.command == "serve"
    if serving:
        settings.pop("output", None)  # serve builds its preview where it chooses
    flags = {name: getattr(args, name, None)
             for name in ("source", "output", "title", "theme", "base_url", "cname")}
    flags["strict"] = args.strict or None
    flags["jobs"] = args.jobs
    flags["cache"] = False if getattr(args, "no_cache", False) else None
    flags["source_date_epoch"] = _source_date_epoch()
    flags["show_checks"] = True if serving else getattr(args, "show_checks", False) or None
    return merge(settings, flags)


def _source_date_epoch() -> int | None:
    """Read SOURCE_DATE_EPOCH (reproducible-builds.org): pages are dated no later than it."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise ConfigError([Diagnostic(ERROR, f"SOURCE_DATE_EPOCH: expected seconds since 1970, got {value!r}")])
    return int(value)


def _init(args: argparse.Namespace) -> int:
    setup = Setup(title=args.title, base_url=args.base_url, source=args.source, output=args.output)
    try:
        written = init(args.folder, setup, force=args.force)
    except (InitError, OSError) as exc:
        print(printable(f"sitegen: error: {exc}"), file=sys.stderr)
        return 2
    for path in written:
        print(printable(f"sitegen: wrote {path}"))
    for line in next_steps(args.folder, setup).splitlines():
        print(printable(line))
    return 0


def _build(args: argparse.Namespace, config: Config) -> int:
    write = args.command == "build"
    try:
        bar = Progress(enabled=None if not args.quiet else False)
        try:
            result = build(config, write=write, progress=bar)
        finally:
            bar.close()
    except (OutputError, ThemeError) as exc:
        print(printable(str(exc) if isinstance(exc, ThemeError) else f"sitegen: error: {exc}"), file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        print("sitegen: interrupted; the previous site is unchanged", file=sys.stderr)
        return 128 + signal.SIGTERM if str(exc) == f"signal {signal.SIGTERM}" else 130
    try:
        if args.format == "github":
            _print_github(result, args.quiet, args.verbose, write)
        elif write:
            _print_build(result, args.quiet, args.verbose)
        elif args.format == "json":
            _print_json(result)
        else:
            _print_check(result, args.quiet, args.verbose)
    except BrokenPipeError:  # `sitegen check | head`: the reader has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    failed = result.report.errors or (args.strict and result.report.warnings)
    return 1 if failed else 0


def _levels(quiet: bool, verbose: bool) -> set[str]:
    return {ERROR} if quiet else ({ERROR, WARNING, INFO} if verbose else {ERROR, WARNING})


def _print_build(result: Result, quiet: bool, verbose: bool) -> None:
    shown = _levels(quiet, verbose)
    for d in result.report.sorted():
        if d.level in shown:
            print(d.format(), file=sys.stderr)
    if not quiet:
        print(printable(f"sitegen: built {result.summary()}"))


def _print_check(result: Result, quiet: bool, verbose: bool) -> None:
    shown = _levels(quiet, verbose)
    in_models = {id(d) for o in result.outcomes for d in o.diagnostics}
    for d in result.report.sorted():  # problems found before any model was read
        if id(d) not in in_models and d.level in shown:
            print(d.format())
    for outcome in result.outcomes:
        if not quiet:
            print(printable(outcome.summary()))
        for d in outcome.diagnostics:
            if d.level in shown:
                print(d.format())
    if not quiet:
        print(printable(f"sitegen: checked {result.summary()}"))


def _print_json(result: Result) -> None:
    in_models = {id(d) for o in result.outcomes for d in o.diagnostics}
    for d in result.report.sorted():
        if id(d) not in in_models:
            print(d.format(), file=sys.stderr)
    for outcome in result.outcomes:
        print(json_line(outcome.as_json()))


def _print_github(result: Result, quiet: bool, verbose: bool, built: bool) -> None:
    """Each problem as a GitHub Actions workflow command, then the summary line."""
    shown = _levels(quiet, verbose)
    for d in result.report.sorted():
        if d.level in shown:
            print(d.annotation(), file=sys.stderr if built else sys.stdout)
    if not quiet:
        print(printable(f"sitegen: {'built' if built else 'checked'} {result.summary()}"))
