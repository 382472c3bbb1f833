"""Shared helpers: tmp model repos from README text, small real media files, the CLI runner."""
from __future__ import annotations

import atexit
import contextlib
import functools
import http.server
import io
import os
import shutil
import tempfile
import struct
import sys
import threading
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import pytest

ROOT = Path(__file__).resolve().parents[1]
# sitegen keeps compiled templates in the user's cache folder: the tests use their own.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="sitegen-test-cache-")
atexit.register(shutil.rmtree, os.environ["XDG_CACHE_HOME"], True)
if str(ROOT) not in sys.path:  # run from anywhere, even when sitegen is not installed
    sys.path.insert(0, str(ROOT))

from sitegen.build import Result, build, collect  # noqa: E402
from sitegen.cli import main  # noqa: E402
from sitegen.config import Config  # noqa: E402
from sitegen.load.discover import RepoDir  # noqa: E402
from sitegen.load.repo import load_repo  # noqa: E402
from sitegen.report import CardError, Report  # noqa: E402
from sitegen.resolve import ModelPage, resolve_model  # noqa: E402

# ../shared next to the repo root: specs and real cards. Read only; never write into it.
SHARED = Path(__file__).resolve().parents[2] / "shared"


def requires_shared(sub: str = "") -> pytest.MarkDecorator:
    """Skip a test when ../shared (or a folder inside it) is absent."""
    where = SHARED / sub if sub else SHARED
    return pytest.mark.skipif(not where.is_dir(), reason=f"{where} is absent")


def png_bytes(width: int = 8, height: int = 6, color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A small real PNG made by Pillow."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buf, "PNG")
    return buf.getvalue()


def wav_bytes(frames: int = 800, rate: int = 8000) -> bytes:
    """A short real mono 16-bit WAV made by the stdlib."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(struct.pack("<h", (i * 37) % 2000 - 1000) for i in range(frames)))
    return buf.getvalue()


def make_repo(parent: Path, name: str, readme: str | bytes | None,
              files: dict[str, str | bytes] | None = None) -> Path:
    """Make a model repo folder `parent/name` with a README (text or raw bytes) and files."""
    root = parent / name
    root.mkdir(parents=True, exist_ok=True)
    if readme is not None:
        data = readme.encode("utf-8") if isinstance(readme, str) else readme
        (root / "README.md").write_bytes(data)
    for rel, content in (files or {}).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return root


def card(meta: str, body: str = "# Model\n\nA small test model for sitegen.\n") -> str:
    """A README with `meta` (YAML text, no fences) as front matter."""
    return f"---\n{meta.strip(chr(10))}\n---\n{body}"


@dataclass
class Resolved:
    page: ModelPage | None
    report: Report

    @property
    def messages(self) -> list[str]:
        return [d.format() for d in self.report.sorted()]

    @property
    def errors(self) -> list[str]:
        return [d.format() for d in self.report.sorted() if d.level == "error"]


def resolve_repo(root: Path, repo_id: str = "model") -> Resolved:
    """Load and resolve one repo the way build.collect does; a CardError becomes a diagnostic."""
    report = Report()
    try:
        page = resolve_model(load_repo(RepoDir(repo_id, root, str(root)), report), report)
    except CardError as exc:
        report.items.append(exc.diagnostic)
        page = None
    return Resolved(page, report)


@dataclass(frozen=True)
class Built:
    """A build's Result, and its whole model pages: a build keeps only small records of its
    models, so the pages tests look at are made again the way the build made them."""
    result: Result
    model_pages: tuple[ModelPage, ...]

    def __getattr__(self, name: str) -> object:
        return getattr(self.result, name)


def build_site(source: Path, output: Path | None = None, **options: object) -> Built:
    """Build (output given) or check (no output) a source folder through the library."""
    config = Config(source=source, output=output or source.parent / "_unused", **options)  # type: ignore[arg-type]
    result = build(config, write=output is not None)
    return Built(result, tuple(collect(config, Report())[1]))


def formatted(result: Result | Built) -> list[str]:
    return [d.format() for d in result.report.sorted()]


@pytest.fixture
def repo(tmp_path: Path) -> Callable[..., Path]:
    """Make a repo under tmp_path/src: repo(name, readme, files=None) -> its folder."""
    src = tmp_path / "src"

    def make(name: str, readme: str | bytes | None, files: dict[str, str | bytes] | None = None) -> Path:
        return make_repo(src, name, readme, files)

    return make


@dataclass
class CliRun:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[[list[str]], CliRun]:
    """Call sitegen.cli.main(argv) and capture its exit code, stdout and stderr."""

    def run(argv: list[str]) -> CliRun:
        capsys.readouterr()
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exc:  # argparse: --help, --version, usage errors
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        captured = capsys.readouterr()
        return CliRun(code, captured.out, captured.err)

    return run


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/fixtures/golden/ from the sample site (test_golden.py)")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """Serve a folder's files as a plain static host would (Python's http.server); yield its URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
