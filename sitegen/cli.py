"""The command line: `sitegen build` and `sitegen check`. Thin: parse, call, print."""
from __future__ import annotations

import argparse
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
    c = sub.add_parser("check", help="check the repos without writing anything", epilog=CHECK_EXAMPLES,
                       description="Read and check every model as a build would; write nothing.",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    common(c)
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
                        "base_url": args.base_url} if write else {}))
    try:
        result = build(config, write=write)
    except (OutputError, ThemeError) as exc:
        print(f"sitegen: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("sitegen: interrupted; the previous site is unchanged", file=sys.stderr)
        return 130
    _print(result, args.quiet, args.verbose, write)
    failed = result.report.errors or (args.strict and result.report.warnings)
    return 1 if failed else 0


def _print(result: Result, quiet: bool, verbose: bool, wrote: bool) -> None:
    shown = {ERROR} if quiet else ({ERROR, WARNING, INFO} if verbose else {ERROR, WARNING})
    for d in result.report.sorted():
        if d.level in shown:
            print(d.format(), file=sys.stderr)
    if not quiet:
        verb = "built" if wrote else "checked"
        print(f"sitegen: {verb} {result.summary()}")
