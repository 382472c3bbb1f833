"""A build that is stopped never costs the last good site (issue 6, spec/security.md section 4).

`sitegen build` runs in a subprocess over a source whose images take a few seconds to write;
once its temp folder beside the output holds files, it gets SIGINT, SIGTERM or SIGKILL. The
previous site must be byte-identical afterwards, and the next build must succeed and leave
no temp folder behind (a SIGKILL leaves one, recorded in the build's state folder; the next
build removes it). The swap itself, a
failed write and the recovery after a crash mid-swap are tested in-process.
"""
from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, card, make_repo
from PIL import Image

from sitegen import cache, recovery, write
from sitegen.assets import Copy
from sitegen.recovery import MARKER, recover
from sitegen.write import OutputError, check_output, write_site

pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals and renameat2 are POSIX")


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(a quick source, a slow one: 16 models x 4 noise images, ~2 s of writing)."""
    base = tmp_path_factory.mktemp("interrupt")
    quick = base / "quick"
    make_repo(quick, "first-model", card("license: mit", "# First\n\nThe site before the slow build.\n"))
    images = []
    for _ in range(4):
        buf = io.BytesIO()
        Image.effect_noise((240, 180), 60).convert("RGB").save(buf, "PNG")
        images.append(buf.getvalue())
    widget = "".join(f"- src: img/{j}.png\n" for j in range(4))
    for i in range(16):
        make_repo(base / "slow", f"m{i:02d}", card(f"pipeline_tag: image-classification\nwidget:\n{widget}"),
                  {f"img/{j}.png": images[j] for j in range(4)})
    return quick, base / "slow"


def _start(source: Path, out: Path, *options: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "sitegen", "build", str(source), "-o", str(out), "-q", *options],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_default_signals)


def _default_signals() -> None:
    # A job started in the background by a shell ignores SIGINT, and so would its children:
    # the build must get Ctrl-C as a terminal would send it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _build(source: Path, out: Path, *options: str) -> None:
    proc = _start(source, out, *options)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err


def _snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _temps(out: Path) -> list[str]:
    """Temp folders beside the output."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.sitegen-"))


def _wait_for_writing(proc: subprocess.Popen[str], out: Path, files: int = 20) -> Path:
    """Wait until the build's temp folder holds `files` files: it is in the middle of writing."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the build ended before it was stopped: {proc.communicate()}"
        tmp = next(out.parent.glob(f".{out.name}.sitegen-tmp-{proc.pid}-*"), None)
        if tmp and tmp.is_dir() and sum(1 for p in tmp.rglob("*") if p.is_file()) >= files:
            return tmp
        time.sleep(0.005)
    raise AssertionError("the build never started writing")


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_write_leaves_the_previous_site(sources: tuple[Path, Path], tmp_path: Path,
                                                    how: signal.Signals) -> None:
    quick, slow = sources
    out = tmp_path / "site"
    _build(quick, out)
    before = _snapshot(out)
    proc = _start(slow, out)
    _wait_for_writing(proc, out)
    proc.send_signal(how)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == (143 if how == signal.SIGTERM else 130), err  # 128 + the signal
    assert "interrupted; the previous site is unchanged" in err
    assert _snapshot(out) == before
    assert _temps(out) == []  # nothing left that a later build would trip on


def test_killed_write_leaves_the_previous_site_and_the_next_build_cleans_up(
        sources: tuple[Path, Path], tmp_path: Path) -> None:
    quick, slow = sources
    out = tmp_path / "site"
    _build(quick, out)
    before = _snapshot(out)
    proc = _start(slow, out)
    tmp = _wait_for_writing(proc, out)
    proc.kill()
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert _snapshot(out) == before
    assert _temps(out) == [tmp.name]  # no process is left to remove it...
    (out / "first-model.txt").write_text("added after the first build")
    _build(quick, out, "--no-cache")  # ...so the next build does
    assert _temps(out) == []
    assert _snapshot(out) == before  # the new site, whole


def test_interrupt_before_writing(sources: tuple[Path, Path], tmp_path: Path) -> None:
    quick, slow = sources
    out = tmp_path / "site"
    _build(quick, out)
    before = _snapshot(out)
    proc = _start(slow, out)
    time.sleep(0.2)  # starting up or reading the repos
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert _snapshot(out) == before and _temps(out) == []


# ---------------- in-process: the swap, a failed write, recovery ----------------

def test_a_failed_write_leaves_the_previous_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(out, {"index.html": b"first"}, [])
    with pytest.raises(OutputError):
        write_site(out, {"index.html": b"second"}, [Copy(tmp_path / "gone.png", "models/m/files/gone.png")])
    assert _snapshot(out) == {".nojekyll": b"", MARKER: write.MARKER_TEXT.encode(), "index.html": b"first"}
    assert _temps(out) == []


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_swap_replaces_the_whole_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool) -> None:
    if not exchange:
        monkeypatch.setattr(write, "_renameat2", False)  # as on a system without renameat2
    out = tmp_path / "site"
    write_site(out, {"index.html": b"first", "models/a/index.html": b"a"}, [])
    write_site(out, {"index.html": b"second"}, [])
    assert _snapshot(out) == {".nojekyll": b"", MARKER: write.MARKER_TEXT.encode(), "index.html": b"second"}
    assert _temps(out) == []


def test_renameat2_exchanges_on_linux(tmp_path: Path) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("Linux only")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x").write_text("a")
    (tmp_path / "b").mkdir()
    if not write._exchange(tmp_path / "a", tmp_path / "b"):
        pytest.skip("this kernel or file system cannot exchange")
    assert (tmp_path / "b" / "x").read_text() == "a" and not (tmp_path / "a" / "x").exists()


def test_recovery_after_a_crash_between_the_two_renames(tmp_path: Path) -> None:
    out = tmp_path / "site"
    state = cache.state_dir(out)
    write_site(out, {"index.html": b"good"}, [], state)
    dead = _dead_pid()
    out.rename(recovery.sibling(out, "old", state, pid=dead))  # the site moved aside, the new one never came
    recovery.sibling(out, "tmp", state, pid=dead).mkdir()
    assert recover(out, state) == []
    assert (out / "index.html").read_bytes() == b"good"
    assert _temps(out) == [] and not list((state / recovery.STAGED).iterdir())


def test_recovery_leaves_the_folders_of_live_builds(tmp_path: Path) -> None:
    out = tmp_path / "site"
    state = cache.state_dir(out)
    live = recovery.sibling(out, "tmp", state, pid=os.getppid())  # a process that is running
    live.mkdir()
    assert recover(out, state) == []
    assert live.is_dir()


def test_refuses_to_replace_a_folder_it_did_not_make(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    out.mkdir()
    (out / "notes.md").write_text("mine")
    with pytest.raises(OutputError, match="not made by sitegen"):
        check_output(out, tmp_path / "src")
    assert (out / "notes.md").read_text() == "mine"


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid
