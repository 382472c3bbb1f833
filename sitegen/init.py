"""`sitegen init`: a commented `sitegen.yaml` and a GitHub Pages workflow that builds the site."""
from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from . import workflow
from .config import CONFIG_FILE
from .workflow import ZIZMOR_CONFIG, InitError, scalar

WORKFLOW_FILE = Path(".github") / "workflows" / "pages.yml"
ZIZMOR_FILE = "zizmor.yml"
GITIGNORE_FILE = ".gitignore"

CONFIG_TEMPLATE = """\
# sitegen settings. Paths are relative to this file; command-line flags override these values.
# Run `sitegen build --help` for what each one does.

title: @TITLE@
@BASE_URL@
@SOURCE@# a folder of model repos: name/ or org/name/
@OUTPUT@# the built site; sitegen replaces it on every build

# theme: theme              # a folder whose templates/ and static/ files replace the default's
# logo: logo.svg            # shown in the header: a .png, .jpg, .webp or .svg file
# links:                    # shown in the header: http(s), mailto: or a path in the site
#   - text: GitHub
#     url: https://github.com/octocat/models
#   - text: Contact
#     url: mailto:models@example.com
# cname: models.example.com # a custom domain, written to the site as CNAME (with the Pages
#                           # workflow, also set it under Settings > Pages > Custom domain)
# hub_url: https://huggingface.co  # where ids outside the catalog link: a mirror, or false
# offline_media: true       # remote images, audio and video as plain links (air-gapped sites)
"""

BASE_URL_EXAMPLE = """\
# Where the site will live; the Pages workflow passes the real address with --base-url.
# base_url: https://octocat.github.io/models/"""

GITIGNORE = """\
# What `sitegen build` writes (it keeps its cache in your user cache folder, not here).
/@OUTPUT@/
"""


@dataclass(frozen=True)
class Setup:
    title: str = "Models"
    base_url: str = ""
    source: str = "models"
    output: str = "_site"


def config_text(setup: Setup) -> str:
    """Return the text of a commented sitegen.yaml for these settings."""
    base_url = f"base_url: {scalar(setup.base_url)}" if setup.base_url else BASE_URL_EXAMPLE
    source, output = f"source: {scalar(setup.source)}", f"output: {scalar(setup.output)}"
    width = max(len(source), len(output)) + 2  # line the two comments up
    return (CONFIG_TEMPLATE.replace("@TITLE@", scalar(setup.title)).replace("@BASE_URL@", base_url)
            .replace("@SOURCE@", source.ljust(width)).replace("@OUTPUT@", output.ljust(width)))


def workflow_text(setup: Setup, install: str | None = None) -> str:
    """Return the text of a GitHub Actions workflow that builds the site and deploys it to Pages
    (`install`: the pip requirement it installs, checked; default: the sitegen running now)."""
    return workflow.text(setup.output, install)


def gitignore_text(setup: Setup) -> str:
    """Return a .gitignore that leaves out the output folder (when it lies inside the folder)."""
    out = PurePosixPath(Path(setup.output).as_posix())
    head = GITIGNORE.split("\n", 1)[0] + "\n"
    if out.is_absolute() or ".." in out.parts or not out.parts or not str(out).isprintable():
        return head  # nothing of the build lands in the repository
    line = re.sub(r"([\\*?\[]| $)", r"\\\1", str(out))  # a pattern that means this name only
    return GITIGNORE.replace("@OUTPUT@", line)


@dataclass(frozen=True)
class Written:
    written: list[Path]
    kept: list[tuple[Path, str]]  # zizmor.yml, .gitignore already there (never replaced), what init would write


def init(folder: Path, setup: Setup, install: str | None = None, force: bool = False) -> Written:
    """Write sitegen.yaml, the Pages workflow, zizmor.yml and .gitignore into folder. The first
    two are refused when present unless force; the others are kept when present, even so."""
    files = {CONFIG_FILE: config_text(setup), WORKFLOW_FILE.as_posix(): workflow_text(setup, install)}
    extra = {ZIZMOR_FILE: ZIZMOR_CONFIG, GITIGNORE_FILE: gitignore_text(setup)}
    existing = [folder / name for name in files if _in_the_way(folder, name)]
    if existing and not force:
        names = " and ".join(str(p) for p in existing)
        raise InitError(f"{names} already exist{'s' if len(existing) == 1 else ''}; "
                        "use --force to overwrite")
    kept = [name for name in extra if _in_the_way(folder, name)]
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        _write(folder, name, text, force)
    for name, text in extra.items():
        if name not in kept:
            _write(folder, name, text, False)
    return Written([folder / name for name in [*files, *extra] if name not in kept],
                   [(folder / name, extra[name]) for name in kept])


def _in_the_way(folder: Path, name: str) -> bool:
    """Whether the file `name` (a/b/file) exists in folder; raise InitError when it or a folder
    on its way is a symlink or not what it should be. A repo can ship `.github/workflows` as a
    link to anywhere: init writes nothing through one, even with --force."""
    parts = name.split("/")
    for depth in range(1, len(parts) + 1):
        path = folder.joinpath(*parts[:depth])
        try:
            st = path.lstat()
        except FileNotFoundError:
            return False
        last = depth == len(parts)
        if stat.S_ISLNK(st.st_mode):
            raise InitError(f"{path}: is a symlink; sitegen init writes nothing through a link "
                            "(remove it, or write the file yourself)")
        if not last and not stat.S_ISDIR(st.st_mode):
            raise InitError(f"{path}: is not a folder; expected a folder or nothing")
        if last and not stat.S_ISREG(st.st_mode):
            raise InitError(f"{path}: is {'a folder' if stat.S_ISDIR(st.st_mode) else 'not a file'}; "
                            "expected a file or nothing")
        if last and st.st_nlink > 1:
            raise InitError(f"{path}: has other hard links; sitegen init would change them too")
    return True


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


def _write(folder: Path, name: str, text: str, force: bool) -> None:
    """Make the folders and the file one name at a time, each opened without following a
    symlink (a link planted after the checks above makes this fail, not write through it)."""
    if os.open not in os.supports_dir_fd or not _NOFOLLOW:  # no openat (Windows): by path
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        return
    *dirs, file = name.split("/")
    fd = os.open(folder, os.O_RDONLY | _DIRECTORY)
    try:
        for part in dirs:
            try:
                os.mkdir(part, dir_fd=fd)
            except FileExistsError:
                pass
            inner = os.open(part, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = inner
        flags = os.O_WRONLY | os.O_CREAT | _NOFOLLOW | (os.O_TRUNC if force else os.O_EXCL)
        out = os.open(file, flags, 0o644, dir_fd=fd)
    finally:
        os.close(fd)
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def next_steps(folder: Path, setup: Setup) -> str:
    """Say what to do after init: add models, preview, commit, and turn on Pages."""
    where = "" if folder == Path(".") else f"cd {folder} && "
    files = f"{CONFIG_FILE} {WORKFLOW_FILE.as_posix()} {ZIZMOR_FILE} {GITIGNORE_FILE}"
    return f"""next steps:
  1. put model repos in {setup.source}/ (name/ or org/name/) and preview: {where}sitegen serve
  2. add them and these files to git (weights in Git LFS), commit and push to main:
     git add {files} {setup.source}/ && git commit -m "Add sitegen site"
  3. on GitHub: Settings > Pages > Build and deployment > Source: "GitHub Actions"
each deploy keeps its build in the Actions cache (saved from main only), so the next one makes
only the models that changed; a new sitegen pin or a changed {CONFIG_FILE} starts a cold build
"""
