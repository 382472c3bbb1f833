"""What the generated workflow installs: the sitegen that ran `init`, read from its PEP 610 record."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import __version__

if TYPE_CHECKING:  # loaded where used: every build imports this module, and none needs it
    from importlib import metadata

DIST_NAME = "modelcard-sitegen"  # the PyPI name; the import package and the command are `sitegen`

# A pip requirement goes into a YAML block and a single-quoted shell word: no character that
# either could read (quotes, `$`, `\`, backquote), nothing outside printable ASCII, no option.
_SAFE_SPEC = re.compile(r"[A-Za-z0-9][\x20-\x7e]*")
_UNSAFE = set("'\"`$\\")
_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_URL = re.compile(r"https://[A-Za-z0-9.-]+(:[0-9]+)?/[\x21-\x3f\x41-\x7e]*")  # no user@, no ssh: a runner has no keys


class SpecError(ValueError):
    pass


@dataclass(frozen=True)
class Pin:
    spec: str  # a pip requirement
    from_pypi: bool  # NAME==VERSION: it installs only once that release is on PyPI
    why: str = ""  # why a git install could not be pinned as it is


def check_spec(spec: str) -> str:
    """Return spec if it can go into the workflow as it is; SpecError saying why not otherwise."""
    if not spec.strip():
        raise SpecError("expected a pip requirement, got nothing")
    if "\n" in spec or "\r" in spec:
        raise SpecError(f"{spec!r}: expected one line")
    bad = sorted(_UNSAFE & set(spec))  # `$` covers the workflow's own `${{ ... }}`
    if bad:
        raise SpecError(f"{spec!r}: the workflow cannot carry {' '.join(bad)} safely; "
                        "expected a pip requirement without quotes, $ or backslashes")
    if not _SAFE_SPEC.fullmatch(spec.strip()):
        raise SpecError(f"{spec!r}: expected a pip requirement of printable ASCII "
                        "starting with a letter or digit (a name, 'NAME @ URL', or a URL)")
    return spec.strip()


def running_pin(dist: metadata.Distribution | None = None) -> Pin:
    """The requirement that installs the sitegen running now (or `dist`, in tests)."""
    if dist is None:
        try:
            from importlib import metadata
            dist = metadata.distribution(DIST_NAME)
        except metadata.PackageNotFoundError:
            dist = None
    why = ""
    if dist is not None and dist.version == __version__:
        vcs, why = _vcs_pin(dist.read_text("direct_url.json"))
        if vcs:
            return Pin(vcs, from_pypi=False)
    return Pin(f"{DIST_NAME}=={__version__}", from_pypi=True, why=why)


def _vcs_pin(text: str | None) -> tuple[str | None, str]:
    """`NAME @ git+URL@COMMIT` from a direct_url.json that records a git install, or None and
    why not (nothing to say when it records no VCS install)."""
    try:
        record = json.loads(text or "null")
    except ValueError:
        return None, ""
    info = record.get("vcs_info") if isinstance(record, dict) else None
    if not isinstance(info, dict):
        return None, ""
    url, vcs, commit = record.get("url"), info.get("vcs"), info.get("commit_id")
    if vcs != "git" or not isinstance(url, str) or not isinstance(commit, str):
        return None, f"this sitegen was installed from {vcs!r}, not git"
    if not _URL.fullmatch(url) or not _COMMIT.fullmatch(commit):
        return None, (f"this sitegen was installed from git at {url!r}, which a GitHub runner "
                      "cannot fetch (expected an https:// URL without a user name)")
    subdir = record.get("subdirectory")
    suffix = f"#subdirectory={subdir}" if isinstance(subdir, str) and re.fullmatch(r"[\w./-]+", subdir) else ""
    try:
        return check_spec(f"{DIST_NAME} @ git+{url}@{commit}{suffix}"), ""
    except SpecError as exc:
        return None, f"this sitegen's git URL cannot go into the workflow: {exc}"


def pin_note(pin: Pin) -> str | None:
    """What init says about the pin, or None when there is nothing to add."""
    if not pin.from_pypi:
        return None
    why = f"note: {pin.why}. The" if pin.why else "note: the"
    return (f"{why} workflow installs {pin.spec}: that release must be published on PyPI, "
            "or run init again with --install SPEC (any pip requirement, e.g. "
            f"'{DIST_NAME} @ git+https://github.com/OWNER/REPO@COMMIT' or a wheel's URL)")
