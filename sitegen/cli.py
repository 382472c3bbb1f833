"""The command line: `sitegen build`, `check`, `serve` and `init`. Thin: parse, call, print."""
from __future__ import annotations

import argparse
import os
import signal
import sys
import traceback
from pathlib import Path

from . import actions
from .build import Result, build
from .config import Config, ConfigError, choose_config, load_config, merge
from .init import InitError, Setup, init, next_steps
from .options import parser as _parser
from .pins import Pin, SpecError, pin_note, running_pin
from .progress import Progress
from .report import ERROR, INFO, WARNING, Diagnostic, json_line, printable
from .theme import ThemeError
from .write import OutputError

INTERNAL_ERROR = 70  # sysexits.h EX_SOFTWARE: sitegen failed, not the input


def run() -> None:
    """The `sitegen` program: main(), then exit at once. A catalog's build leaves a million
    small objects; freeing them one by one at exit takes longer than a rebuild that found
    nothing to do (0.2 s at 10,000 models). Every file is closed and every worker reaped by now."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code: 0 done, 1 problems at the --fail-on level,
    2 usage or a site that could not be made, 70 a bug, 130/143 interrupted (README, "Exit codes")."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if args.command in ("build", "check", "lfs-files"):
        args.fail_on = _fail_on(args, parser)
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
    if args.command == "lfs-files":
        from .lfsfiles import main as lfs_files
        return lfs_files(args, config)
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
    flags["strict"] = getattr(args, "fail_on", None) == "warning" or None
    flags["jobs"] = args.jobs
    flags["cache"] = False if getattr(args, "no_cache", False) else None
    flags["source_date_epoch"] = _source_date_epoch()
    flags["show_checks"] = True if serving else getattr(args, "show_checks", False) or None
    hub_url = getattr(args, "hub_url", None)
    flags["hub_url"] = "" if hub_url == "false" else hub_url
    flags["offline_media"] = getattr(args, "offline_media", False) or None
    return merge(settings, flags)


def _fail_on(args: argparse.Namespace, parser: argparse.ArgumentParser) -> str:
    """The level of problem that fails the command: --fail-on, else --strict's `warning`, else
    the command's default (`check` is the author's gate; a `build` that wrote the site is done)."""
    given: str | None = args.fail_on
    if args.strict:
        if given not in (None, "warning"):
            parser.error(f"--strict means --fail-on warning; it contradicts --fail-on {given}")
        return "warning"
    return given or ("never" if args.command == "build" else "error")


def _failed(result: Result, fail_on: str) -> bool:
    r = result.report
    return fail_on == "error" and r.errors > 0 or fail_on == "warning" and (r.errors + r.warnings) > 0


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
    pin = Pin(args.install, from_pypi=False) if args.install else running_pin()
    try:
        done = init(args.folder, setup, pin.spec, force=args.force)
    except (InitError, SpecError, OSError) as exc:
        print(printable(f"sitegen: error: {exc}"), file=sys.stderr)
        return 2
    for path in done.written:
        print(printable(f"sitegen: wrote {path}"))
    for path, text in done.kept:
        print(printable(f"sitegen: kept {path} as it is; sitegen's version would add:"))
        for line in text.splitlines():
            print(printable(f"  {line}"))
    note = pin_note(pin)
    for line in ([note] if note else []) + next_steps(args.folder, setup).splitlines():
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
    except OSError as exc:  # the disk is full, a folder was taken away: no site
        print(printable(f"sitegen: error: cannot write the site: {exc}"), file=sys.stderr)
        return 2
    except Exception:  # a bug: its traceback, escaped (it may quote a card), and no site
        text = "sitegen: internal error (a bug; please report it):\n" + traceback.format_exc()
        for line in text.splitlines():
            print(printable(line), file=sys.stderr)
        return INTERNAL_ERROR
    size = (actions.site_size(config.output) if result.size is None else result.size) if write else None
    if size is not None:
        too_big = actions.size_warning(size, config.output)
        if too_big:
            result.report.items.append(too_big)
    try:
        if args.format == "github":
            _print_github(result, args.quiet, args.verbose, write, size)
        elif write:
            _print_build(result, args.quiet, args.verbose, size)
        elif args.format == "json":
            _print_json(result)
        else:
            _print_check(result, args.quiet, args.verbose)
    except BrokenPipeError:  # `sitegen check | head`: the reader has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    _step_summary(result, "build" if write else "check", size)
    if write and result.models == 0 and result.report.errors:  # every model failed: an empty site
        print("sitegen: error: no model could be built, so the site lists none; fix the errors "
              "above (deployed, this site would replace the one online)", file=sys.stderr)
        return 1
    return 1 if _failed(result, args.fail_on) else 0


def _summary_line(result: Result, built: bool, size: int | None) -> str:
    """`sitegen: built 3 models, … (N pages/s); site 1.2 MB`: one line, safe to print."""
    line = f"sitegen: {'built' if built else 'checked'} {result.summary()}"
    return printable(line + (f"; site {actions.human(size)}" if size is not None else ""))


def _step_summary(result: Result, verb: str, size: int | None) -> None:
    """Append the Markdown summary to $GITHUB_STEP_SUMMARY when it is set (in GitHub Actions)."""
    path = os.environ.get("GITHUB_STEP_SUMMARY", "")
    if not path:
        return
    r = result.report
    counts = [("models", f"{result.models:,}")]
    if size is not None:  # a check writes no pages
        counts.append(("pages", f"{result.pages:,}"))
    counts += [("errors", f"{r.errors:,}"), ("warnings", f"{r.warnings:,}")]
    if size is not None:
        counts.append(("site size", actions.human(size)))
    why = actions.append_summary(path, actions.markdown(verb, counts, r.sorted()))
    if why:
        print(printable(f"sitegen: warning: $GITHUB_STEP_SUMMARY ({path}): cannot write the step "
                        f"summary: {why}"), file=sys.stderr)


def _levels(quiet: bool, verbose: bool) -> set[str]:
    return {ERROR} if quiet else ({ERROR, WARNING, INFO} if verbose else {ERROR, WARNING})


def _print_build(result: Result, quiet: bool, verbose: bool, size: int | None) -> None:
    shown = _levels(quiet, verbose)
    for d in result.report.sorted():
        if d.level in shown:
            print(d.format(), file=sys.stderr)
    if not quiet:
        print(_summary_line(result, True, size))


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
        print(_summary_line(result, False, None))


def _print_json(result: Result) -> None:
    in_models = {id(d) for o in result.outcomes for d in o.diagnostics}
    for d in result.report.sorted():
        if id(d) not in in_models:
            print(d.format(), file=sys.stderr)
    for outcome in result.outcomes:
        print(json_line(outcome.as_json()))


def _print_github(result: Result, quiet: bool, verbose: bool, built: bool, size: int | None) -> None:
    """Each problem as a GitHub Actions workflow command (its file relative to the current
    folder, the checkout root), then the summary line."""
    shown = _levels(quiet, verbose)
    for d in result.report.sorted():
        if d.level in shown:
            print(actions.annotation(d), file=sys.stderr if built else sys.stdout)
    if not quiet:
        print(_summary_line(result, built, size))
