"""Each model's last commit date, read from git once for the whole catalog, running nothing a repo configures."""
from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..report import Report
from . import datekeep
from .discover import RepoDir

TIMEOUT = 60.0  # seconds one git process may take
MAX_OUTPUT = 256 << 20  # bytes of `git log` read at most
CHUNK = 1 << 20
# A repo's own config is hostile data (a model cloned from the Hub brings its .git/config):
# these settings, given on the command line, win over it, so nothing it names is run.
NEUTRAL = {
    "core.fsmonitor": "false", "core.hooksPath": "/dev/null", "core.pager": "cat", "pager.log": "false",
    "core.sshCommand": "sitegen-runs-no-ssh", "core.askPass": "", "credential.helper": "",
    "log.showSignature": "false", "gpg.program": "sitegen-runs-no-gpg",
    "gpg.openpgp.program": "sitegen-runs-no-gpg", "gpg.ssh.program": "sitegen-runs-no-gpg",
    "gpg.x509.program": "sitegen-runs-no-gpg", "diff.external": "sitegen-runs-no-diff",
    "diff.relative": "false", "diff.renames": "false", "log.follow": "false", "log.showRoot": "true",
    "log.mailmap": "false", "color.ui": "false",
    # A partial clone fetches missing objects on demand: no transport may run.
    "protocol.allow": "never", **{f"protocol.{p}.allow": "never" for p in ("file", "ext", "fd", "ssh", "git", "http", "https", "ftp", "ftps")},
}
LOG = ("log", "--no-show-signature", "--no-textconv", "--no-ext-diff", "--no-renames", "--no-color",
       "--no-mailmap", "--no-notes")


def commit_dates(source: Path, roots: Sequence[str], report: Report, keep: Path | None = None,
                 warn: Report | None = None, own: Sequence[str] | None = None) -> dict[str, int]:
    """{root: committer time (s)} of the last commit that touched each model folder under source,
    for those git history knows; the others keep dating by file times. One `git log` for the
    folders of the repository that holds source, one `git log -1` per folder that is a clone or
    a submodule of its own. Problems (a shallow clone, a repository git refuses) are warnings.
    `keep`: the state folder whose kept dates (datekeep.py) spare reading the whole history; what
    is wrong with them is said in `warn` (default: report). `own`: the roots that hold a .git of
    their own, if the caller knows (else each is looked at)."""
    git = shutil.which("git")
    if not git or not roots:
        return {}
    if own is None:
        own = [r for r in roots if os.path.lexists(os.path.join(r, ".git"))]
    dates: dict[str, int] = {}
    refused: list[tuple[str, str]] = []
    for root in own:
        # The ceiling: a .git that is no repository must not lead git to the one around it.
        out = run(git, [*LOG, "-1", "--format=%ct"], root, ceiling=os.path.dirname(os.path.abspath(root)))
        if isinstance(out, bytes) and out.strip().isdigit():
            dates[root] = int(out.strip())
        elif isinstance(out, str) and "does not have any commits" not in out and "not a git repository" not in out:
            refused.append((root, out))
    if refused:
        more = f" (and {len(refused) - 1} more like it)" if len(refused) > 1 else ""
        report.warning(f"git cannot read this model's own history ({_first_line(refused[0][1])}){more}; "
                       "it is dated by its newest file", refused[0][0])
    owned = set(own)
    rest = [r for r in roots if r not in owned]
    if rest:
        dates.update(_catalog(git, source, rest, report, keep, warn or report))
    return dates


def dated(source: Path, repos: list[RepoDir], report: Report) -> list[RepoDir]:
    """These repos, each with the time of its last commit where git history knows it."""
    dates = commit_dates(source, [str(r.root) for r in repos], report)
    return [dataclasses.replace(r, committed=dates.get(str(r.root))) for r in repos]


def _catalog(git: str, source: Path, roots: list[str], report: Report, keep: Path | None,
             warn: Report) -> dict[str, int]:
    """The dates of these folders from one pass over the history of the repository holding source
    (or, with the dates kept at an older commit, over the commits since, where that is exact)."""
    out = run(git, ["rev-parse", "--is-shallow-repository", "--show-prefix", "--git-path", "info/grafts", "HEAD"],
              str(source))
    if isinstance(out, str):  # no commit yet, say: asked again without HEAD
        out = run(git, ["rev-parse", "--is-shallow-repository", "--show-prefix"], str(source))
    if isinstance(out, str):
        if "not a git repository" not in out:  # no history at all is not a problem
            report.warning(f"git cannot read the history here ({_first_line(out)}); models are dated "
                           "by their newest file", str(source))
        return {}
    lines = out.decode("utf-8", "surrogateescape").split("\n")
    if len(lines) < 2 or lines[0] not in ("true", "false"):
        return {}
    if lines[0] == "true":
        report.warning("this is a shallow clone: its history is cut, so models are dated by their newest "
                       "file (a fresh checkout: all today); fetch the whole history (actions/checkout "
                       "with `fetch-depth: 0`)", str(source))
        return {}
    prefix = lines[1]
    wanted = {_rel(r, source): r for r in roots}
    # Dates are kept only at a commit of a repository without grafts (which would rewrite its history).
    head = lines[3] if keep and len(lines) > 4 and datekeep.COMMIT.match(lines[3]) \
        and not os.path.lexists(os.path.join(source, lines[2])) else ""
    kept = datekeep.load(keep, warn) if keep and head else None
    known = _since(git, source, kept, head, prefix, wanted) if kept and kept.prefix == prefix else None
    if known is not None:
        if keep and kept and (kept.head != head or known.keys() != kept.dates.keys()):
            datekeep.save(keep, datekeep.Kept(head, prefix, known))
        return {wanted[k]: when for k, when in known.items() if when is not None}
    dates, whole = _read(git, source, head or "HEAD", prefix, wanted, report)
    if keep and head and whole:
        datekeep.save(keep, datekeep.Kept(head, prefix, {k: dates.get(r) for k, r in wanted.items()}))
    elif keep:
        datekeep.forget(keep)
    return dates


def _read(git: str, source: Path, head: str, prefix: str, wanted: dict[str, str],
          report: Report) -> tuple[dict[str, int], bool]:
    """The dates of the wanted folders ({path under prefix: root}) from the history of `head`,
    and whether it was read without a problem."""
    dates: dict[str, int] = {}
    try:
        with _stream(git, [*LOG, "-z", "--name-only", "--format=%x00%x00%ct", head, "--", "."], str(source)) as tokens:
            for when, path in _changes(tokens):
                if not path.startswith(prefix):
                    continue
                for key in _folders(path, prefix):
                    if key in wanted and wanted[key] not in dates:
                        dates[wanted[key]] = when
                if len(dates) == len(wanted):
                    break  # every folder is dated: the older history is not read
    except _GitFailed as exc:
        report.warning(f"git could not read the history ({exc}); the models it did not reach are dated by "
                       "their newest file", str(source))
        return dates, False
    return dates, True


def _since(git: str, source: Path, kept: datekeep.Kept, head: str, prefix: str,
           wanted: dict[str, str]) -> dict[str, int | None] | None:
    """{path under prefix: date or None} of the wanted folders at `head`, from the dates kept at an
    older commit and the commits since; None where that is not exact (the commits since are not
    one line down to it, a folder neither kept nor touched since, or git fails)."""
    since: dict[str, int] = {}
    if kept.head != head:
        args = [*LOG, "-z", "--name-only", "--format=%x00%x00%ct %H %P", f"-n{datekeep.MAX_NEW + 1}",
                f"{kept.head}..{head}", "--"]
        try:
            with _stream(git, args, str(source)) as tokens:
                commits = datekeep.chain(tokens, kept.head, head)
        except _GitFailed:
            return None
        if commits is None:
            return None
        for when, paths in commits:
            for path in paths:
                if path.startswith(prefix):
                    for key in _folders(path, prefix):
                        since.setdefault(key, when)
    known: dict[str, int | None] = {}
    for key in wanted:
        if key in since:
            known[key] = since[key]
        elif key in kept.dates:
            known[key] = kept.dates[key]
        else:
            return None
    return known


def _rel(root: str, source: Path) -> str:
    # discover's roots are source / org / name: cut the prefix (os.path.relpath, which makes
    # both paths absolute, took half of a no-change rebuild's history step at 10,000 models)
    base = str(source).rstrip(os.sep) + os.sep
    if root.startswith(base) and base != os.sep:
        parts = root[len(base):].split(os.sep)
        if os.pardir not in parts and os.curdir not in parts and "" not in parts:
            return "/".join(parts)
    rel = os.path.relpath(root, source)
    return "" if rel == "." else rel.replace(os.sep, "/")


def _changes(tokens: Iterator[str]) -> Iterator[tuple[int, str]]:
    """(committer time, path) of each path each commit changed, newest commit first, from
    `git log -z --name-only --format=%x00%x00%ct` (datekeep.entries)."""
    when = None
    for header, path in datekeep.entries(tokens):
        if header is None:
            continue
        if path is None:
            if not header.isdigit():
                raise _GitFailed("unexpected output")
            when = int(header)
        elif when is not None:
            yield when, path


def _folders(path: str, prefix: str) -> tuple[str, str, str]:
    """The keys of `wanted` a changed path under prefix may date: the source itself, and the
    folders one and two levels under it."""
    parts = path[len(prefix):].split("/")
    return "", parts[0], "/".join(parts[:2])


class _GitFailed(Exception):
    pass


def child_env(ceiling: str = "") -> dict[str, str]:
    """The environment git runs in: none of the caller's GIT_* settings (GIT_DIR, GIT_CONFIG_*
    would point it elsewhere or configure it), no prompt, no fetch, messages in English."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") or k == "GIT_CEILING_DIRECTORIES"}
    if ceiling:
        env["GIT_CEILING_DIRECTORIES"] = ceiling
    env.update(GIT_TERMINAL_PROMPT="0", GIT_NO_LAZY_FETCH="1", GIT_OPTIONAL_LOCKS="0", GIT_NO_REPLACE_OBJECTS="1",
               LC_ALL="C", LANGUAGE="")
    return env


def command(git: str, args: Sequence[str]) -> list[str]:
    """A git command line with every setting in NEUTRAL forced."""
    return [git, "--no-pager", *(a for k, v in NEUTRAL.items() for a in ("-c", f"{k}={v}")), *args]


def run(git: str, args: Sequence[str], cwd: str, ceiling: str = "") -> bytes | str:
    """git's output, or its error message (a str) if it failed; `ceiling`: where it stops
    looking for the repository (GIT_CEILING_DIRECTORIES)."""
    try:
        with _stream(git, args, cwd, raw=True, ceiling=ceiling) as chunks:
            return b"".join(chunks)  # type: ignore[arg-type]
    except _GitFailed as exc:
        return str(exc)


class _stream:
    """Run git with stdin closed, a timeout and a cap on its output; iterate over its
    NUL-separated fields (or raw chunks); _GitFailed with its message if it fails."""

    def __init__(self, git: str, args: Sequence[str], cwd: str, raw: bool = False, ceiling: str = "") -> None:
        self.argv, self.cwd, self.raw, self.ceiling = command(git, args), cwd, raw, ceiling

    def __enter__(self) -> Iterator[str]:
        self.err = tempfile.TemporaryFile()
        try:
            self.proc = subprocess.Popen(self.argv, cwd=self.cwd, env=child_env(self.ceiling), stdin=subprocess.DEVNULL,
                                         stdout=subprocess.PIPE, stderr=self.err)
        except OSError as exc:
            self.err.close()
            raise _GitFailed(f"git did not start: {exc.strerror}") from None
        self.late = False
        self.timer = threading.Timer(TIMEOUT, self._kill)
        self.timer.start()
        return self._read()

    def _kill(self) -> None:
        self.late = True
        self.proc.kill()

    def _read(self) -> Iterator[str]:
        assert self.proc.stdout is not None
        size, rest = 0, b""
        while chunk := self.proc.stdout.read(CHUNK):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise _GitFailed(f"its output passed {MAX_OUTPUT >> 20} MB")
            if self.raw:
                yield chunk  # type: ignore[misc]
                continue
            fields = (rest + chunk).split(b"\0")
            rest = fields.pop()
            yield from (os.fsdecode(f) for f in fields)
        if self.proc.wait() != 0:
            raise _GitFailed(self._error())

    def _error(self) -> str:
        if self.late:
            return f"it took more than {TIMEOUT:g} s"
        self.err.seek(0)
        text = self.err.read(4096).decode("utf-8", "replace").strip()
        return " ".join(text.split()) or f"git exited with {self.proc.returncode}"

    def __exit__(self, *exc: object) -> None:
        self.timer.cancel()
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()
        self.err.close()


def _first_line(text: bytes | str) -> str:
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return text.strip().split("\n")[0][:200] or "no reason given"
