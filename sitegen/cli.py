"""The command line: `sitegen build` and `sitegen check`. Thin: parse, call, print."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import __version__
from .build import Result, build
from .config import Config
from .report import ERROR, INFO, WARNING
from .theme import ThemeError
from .write import OutputError

BUILD_EXAMPLES = """examples:
  sitegen build models/ -o _site
  sitegen build my-model/ --title "My model" --strict
  sitegen build models/ --base-url https://octocat.github.io/models/
"""
CHECK_EXAMPLES = """examples:
  sitegen check my-model/
  sitegen check models/ --strict
  sitegen check models/ --format json | jq 'select(.examples_with_output == 0) | .id'
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitegen", description="Turn a folder of Hugging Face-style model repos into a static website.",
        epilog="run 'sitegen COMMAND --help' for a command's options",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("source", nargs="?", default=".", type=Path,
                       help="a folder of model repos (name/ or org/name/), or one repo (default: .)")
        p.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1)")
        p.add_argument("-q", "--quiet", action="store_true", help="print errors only, and no summary")
        p.add_argument("-v", "--verbose", action="store_true", help="also print notes (info)")

    b = sub.add_parser("build", help="build the site", epilog=BUILD_EXAMPLES,
                       description="Build a static site: an index of models and one page per model.",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    common(b)
    b.add_argument("-o", "--output", type=Path, default=Path("_site"), help="output folder (default: _site)")
    b.add_argument("--title", default="Models", help="site title (default: Models)")
    b.add_argument("--theme", type=Path, help="a theme folder whose files replace the default theme's")
    b.add_argument("--base-url", default="", metavar="URL",
                   help="where the site will live, e.g. https://octocat.github.io/models/ (404 page, canonical links)")
    b.add_argument("--show-checks", action="store_true",
                   help="show each card's check results on its page (for previewing a card)")
    c = sub.add_parser("check", help="check the repos without writing anything", epilog=CHECK_EXAMPLES,
                       description="Read and check every model as a build would; write nothing.",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    common(c)
    c.add_argument("--format", choices=("text", "json"), default="text",
                   help="text: a summary line per model and its diagnostics; json: one JSON object "
                        "per model and line (see README)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 errors, 2 usage)."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if not args.source.is_dir():
        print(f"sitegen: error: {args.source}: no such folder", file=sys.stderr)
        return 2
    write = args.command == "build"
    config = Config(source=args.source, strict=args.strict,
                    **({"output": args.output, "title": args.title, "theme": args.theme,
                        "base_url": args.base_url, "show_checks": args.show_checks} if write else {}))
    try:
        result = build(config, write=write)
    except (OutputError, ThemeError) as exc:
        print(f"sitegen: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("sitegen: interrupted; the previous site is unchanged", file=sys.stderr)
        return 130
    try:
        if write:
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
        print(f"sitegen: built {result.summary()}")


def _print_check(result: Result, quiet: bool, verbose: bool) -> None:
    shown = _levels(quiet, verbose)
    in_models = {id(d) for o in result.outcomes for d in o.diagnostics}
    for d in result.report.sorted():  # problems found before any model was read
        if id(d) not in in_models and d.level in shown:
            print(d.format())
    for outcome in result.outcomes:
        if not quiet:
            print(outcome.summary())
        for d in outcome.diagnostics:
            if d.level in shown:
                print(d.format())
    if not quiet:
        print(f"sitegen: checked {result.summary()}")


def _print_json(result: Result) -> None:
    in_models = {id(d) for o in result.outcomes for d in o.diagnostics}
    for d in result.report.sorted():
        if id(d) not in in_models:
            print(d.format(), file=sys.stderr)
    for outcome in result.outcomes:
        print(json.dumps(outcome.as_json(), ensure_ascii=False, sort_keys=True))
