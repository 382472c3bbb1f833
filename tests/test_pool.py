"""sitegen.pool: each item of a build bounded in time and memory, a dead worker costing only its
item; and what the build makes of such an item (one error, the rest of the site built)."""
from __future__ import annotations

import functools
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, card, formatted, make_repo

from sitegen import build as build_module
from sitegen import make as make_module
from sitegen import pool
from sitegen.build import build
from sitegen.config import Config
from sitegen.theme import ThemeError

MB = 1 << 20


# --- items for the pool: module level, so that workers can run them however they start ----------


def work(item: tuple[str, object]) -> object:
    """Do what the item says; plain items return their value doubled."""
    kind, value = item
    if kind == "sleep":
        time.sleep(float(value))  # type: ignore[arg-type]
        return "woke"
    if kind == "exit":
        os._exit(int(value))  # type: ignore[call-overload]
    if kind == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    if kind == "alloc":
        data = bytearray(int(value))  # type: ignore[call-overload]
        return len(data)
    if kind == "deaf":  # stuck where the time limit's signal cannot reach
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(float(value))  # type: ignore[arg-type]
        return "woke"
    if kind == "raise":
        raise ValueError(f"a bug in item {value}")
    if kind == "systemerror":  # what CPython 3.11 raises for some failed allocations
        raise SystemError("error return without exception set")
    if kind == "pid":
        return os.getpid()
    if kind == "readied":
        return len(READIED)
    return value * 2  # type: ignore[operator]


READIED: list[bytearray] = []  # what get_ready loaded, in a worker started early


def get_ready(size: int) -> None:
    """What an early worker loads before its first item: here, `size` bytes."""
    READIED.append(bytearray(size))


def scaled(factor: int, item: tuple[str, int]) -> int:
    return factor * item[1]


def results(items: list[tuple[str, object]], jobs: int, seconds: float = 0, memory: int = 0
            ) -> tuple[dict[int, object], float]:
    start = time.monotonic()
    out: dict[int, object] = {}
    for index, result in pool.run(work, items, jobs, seconds, memory):
        assert index not in out, f"item {index} reported twice"
        out[index] = result
    return out, time.monotonic() - start


def test_an_item_past_its_time_gets_failed_and_the_others_succeed() -> None:
    """Protects the per-model time limit with workers: the slow item is stopped inside its
    worker (well before the parent's kill GRACE) and reported, the others finish."""
    items = [("value", 1), ("sleep", 30), ("value", 2), ("value", 3), ("value", 4)]
    out, took = results(items, jobs=2, seconds=1)
    assert out == {0: 2, 1: pool.Failed("took longer than 1 s"), 2: 4, 3: 6, 4: 8}
    assert took < min(pool.GRACE, 8), f"{took:.1f} s"


def test_an_item_deaf_to_the_time_limit_is_killed_by_the_parent(monkeypatch: pytest.MonkeyPatch) -> None:
    """Protects the last resort: an item stuck where SIGALRM cannot reach (C code, a blocked
    signal) is killed GRACE after its limit, its worker replaced, the other items go on."""
    monkeypatch.setattr(pool, "GRACE", 0.5)
    items = [("deaf", 30), ("value", 1), ("value", 2), ("value", 3)]
    out, took = results(items, jobs=2, seconds=1)
    assert out == {0: pool.Failed("took longer than 1 s"), 1: 2, 2: 4, 3: 6}
    assert took < 8, f"{took:.1f} s"


@pytest.mark.parametrize("kind,value,why", [("exit", 3, "exit code 3"), ("kill", 0, "signal 9")])
def test_a_dead_worker_fails_only_its_item(kind: str, value: int, why: str) -> None:
    """Protects the pool from a worker that dies (os._exit, the OOM killer's SIGKILL): its item
    gets Failed saying the worker died and how, a new worker takes over, every other item is
    done exactly once."""
    items = [("value", 1), (kind, value), *[("value", n) for n in range(2, 9)]]
    out, took = results(items, jobs=2, seconds=10)
    failed = out.pop(1)
    assert isinstance(failed, pool.Failed) and "killed its worker" in failed.reason and why in failed.reason, failed
    assert out == {0: 2, **{n: n * 2 for n in range(2, 9)}}
    assert took < 8


def test_a_worker_is_replaced_after_it_dies() -> None:
    """Protects the worker count: after a death the pool still runs `jobs` workers, so later
    items are spread over two live processes, none of them the dead one."""
    items = [("exit", 3), ("sleep", 0.3), ("sleep", 0.3), *[("pid", 0)] * 6]
    out, _ = results(items, jobs=2, seconds=10)
    assert isinstance(out[0], pool.Failed)
    pids = {out[i] for i in range(3, 9)}
    assert os.getpid() not in pids and all(isinstance(p, int) for p in pids)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS and /proc are Linux's")
def test_an_item_past_the_memory_limit_gets_failed() -> None:
    """Protects the per-model memory limit: an item that allocates far past it fails (out of
    memory, or its worker dies) and the others, well within it, succeed."""
    items = [("value", 1), ("alloc", 900 * MB), ("alloc", 10 * MB), ("value", 3)]
    out, took = results(items, jobs=2, seconds=20, memory=300 * MB)
    failed = out.pop(1)
    assert isinstance(failed, pool.Failed), failed
    assert failed.reason == "ran out of memory" or "killed its worker" in failed.reason, failed
    assert out == {0: 2, 2: 10 * MB, 3: 6}
    assert took < 10


def test_one_job_runs_in_order_in_one_worker_with_the_time_limit() -> None:
    """Protects jobs=1 (`-j 1`, a single repo, a serve rebuild): with a limit, items run in
    order in one worker process, not here, and the time limit holds (issue 20: here, off the
    main thread, it would not; and nothing here could enforce the memory limit)."""
    items = [("value", 1), ("pid", 0), ("sleep", 30), ("pid", 0), ("value", 2)]
    start = time.monotonic()
    got = list(pool.run(work, items, 1, 1))
    assert [i for i, _ in got] == [0, 1, 2, 3, 4]
    results_ = [r for _, r in got]
    assert results_[0::2] == [2, pool.Failed("took longer than 1 s"), 4]
    assert isinstance(results_[1], int) and os.getpid() not in (results_[1], results_[3])
    assert time.monotonic() - start < 5
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # no timer was set here


def test_one_item_runs_in_a_worker_too() -> None:
    """Protects the same rule for a one-item run (a rebuild after one edit, `sitegen build
    my-model`): a limit means a worker."""
    [(index, pid)] = list(pool.run(work, [("pid", 0)], 4, 5))
    assert index == 0 and pid != os.getpid()


def test_without_limits_one_job_runs_here() -> None:
    """Protects the cheap path kept for callers that set no limit (tests, tools)."""
    assert list(pool.run(work, [("pid", 0), ("value", 2)], 1)) == [(0, os.getpid()), (1, 4)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS and /proc are Linux's")
def test_one_job_enforces_the_memory_limit() -> None:
    """Protects `-j 1` and single-repo builds from a model that eats the machine (issue 20:
    they ran in the build's own process, with no memory limit)."""
    items = [("alloc", 900 * MB), ("alloc", 10 * MB)]
    out, _ = results(items, jobs=1, seconds=20, memory=300 * MB)
    assert isinstance(out[0], pool.Failed) and out[1] == 10 * MB, out
    [(_, failed)] = list(pool.run(work, [("alloc", 900 * MB)], 1, 20, 300 * MB))
    assert isinstance(failed, pool.Failed), failed


def test_kept_workers_serve_the_next_run_warm() -> None:
    """Protects the preview server's rebuilds: workers from a fork server (this process may run
    threads) are kept between runs, each run's function is theirs, a failed item's worker is
    replaced, and closing stops them all."""
    kept = pool.Kept("forkserver")
    try:
        first = dict(pool.run(work, [("pid", 0)], 1, 5, kept=kept))
        second = dict(pool.run(work, [("pid", 0), ("value", 4)], 1, 5, kept=kept))
        assert first[0] == second[0] != os.getpid() and second[1] == 8  # the same, kept worker
        other = dict(pool.run(functools.partial(scaled, 10), [("value", 3)], 1, 5, kept=kept))
        assert other == {0: 30}  # a new function reaches the kept worker
        out = dict(pool.run(work, [("sleep", 30), ("pid", 0)], 1, 1, kept=kept))
        assert out[0] == pool.Failed("took longer than 1 s") and isinstance(out[1], int)
        assert len(kept.idle) == 1 and kept.idle[0].process.is_alive()
        process = kept.idle[0].process
    finally:
        kept.close()
    assert not kept.idle and not process.is_alive()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS and /proc are Linux's")
def test_a_worker_started_early_is_ready_for_the_first_item_within_its_limit() -> None:
    """Protects a rebuild's early worker (Kept.start): it gets ready before any item (here by
    loading 250 MB), serves the first run, and its memory limit counts from where it was ready,
    as for a worker forked from a parent that had loaded the same: a 100 MB item within a 200 MB
    limit succeeds, and a 900 MB one fails."""
    kept = pool.Kept("fork")
    try:
        kept.start(20, 200 * MB, functools.partial(get_ready, 250 * MB))
        early = kept.idle[0].process.pid
        first = dict(pool.run(work, [("pid", 0), ("readied", 0), ("alloc", 100 * MB)], 1, 20, 200 * MB, kept))
        assert first == {0: early, 1: 1, 2: 100 * MB} and early != os.getpid() and not READIED
        [(_, failed)] = list(pool.run(work, [("alloc", 900 * MB)], 1, 20, 200 * MB, kept))
        assert isinstance(failed, pool.Failed), failed
    finally:
        kept.close()


def test_an_unexpected_exception_is_not_swallowed_by_workers() -> None:
    """Protects DESIGN.md's 'unexpected exceptions are bugs and are not swallowed' with workers:
    without workers the error is raised; in one or two it must not turn into a model skipped
    'out of memory?'."""
    items = [("value", 1), ("raise", 7), ("value", 2)]
    with pytest.raises(ValueError, match="a bug in item 7"):
        list(pool.run(work, items, 1))
    for jobs in (1, 2):
        with pytest.raises(pool.WorkerError, match="(?s)ValueError: a bug in item 7"):  # with its traceback
            results(items, jobs=jobs, seconds=5)


def test_a_system_error_under_the_memory_limit_fails_only_its_item() -> None:
    """Protects the build from CPython's way of failing some allocations at the address-space
    limit (a SystemError, seen while compiling a lexer's regex): with a memory limit it fails
    that item as out of memory; without one it is a bug, raised with its traceback."""
    items = [("value", 1), ("systemerror", 0), ("value", 2)]
    out, _ = results(items, jobs=2, seconds=5, memory=300 * MB)
    assert out[1] == pool.Failed("ran out of memory") and (out[0], out[2]) == (2, 4)
    with pytest.raises(pool.WorkerError, match="SystemError"):
        results(items, jobs=2, seconds=5)


def test_a_worker_may_use_its_limit_on_top_of_its_parent() -> None:
    """Protects model_memory's meaning: bytes a model may add, not a cap on the whole address
    space, which a worker forked from a large parent (a 30,000-model build, a test run) would
    start near. 100 MB within a 200 MB limit must succeed, however large this process is."""
    ballast = bytearray(250 * MB)  # this process, and so each worker, starts this much larger
    out, _ = results([("alloc", 100 * MB), ("alloc", 100 * MB)], jobs=2, seconds=20, memory=200 * MB)
    assert out == {0: 100 * MB, 1: 100 * MB} and len(ballast) == 250 * MB


# --- the build --------------------------------------------------------------------------------------

_real_load_one = make_module.load_one


def slow_load_one(repo_dir, config, files=None):  # type: ignore[no-untyped-def]
    """load_one, but the repo `acme/slow` takes half a minute."""
    if repo_dir.id == "acme/slow":
        time.sleep(30)
    return _real_load_one(repo_dir, config, files)


def killing_load_one(repo_dir, config, files=None):  # type: ignore[no-untyped-def]
    """load_one, but the repo `acme/slow` kills its worker."""
    if repo_dir.id == "acme/slow":
        os.kill(os.getpid(), signal.SIGKILL)
    return _real_load_one(repo_dir, config, files)


def make_source(src: Path) -> Path:
    make_repo(src, "acme/fast", card("pipeline_tag: text-classification\ntags: [shared]"))
    make_repo(src, "acme/slow", card("pipeline_tag: text-classification\ntags: [shared, only-slow]"))
    make_repo(src, "acme/other", card("license: mit"))
    make_repo(src, "lab/child", card("base_model: acme/slow\ntags: [shared]"))
    return src


def check_skipped(out: Path, result: build_module.Result, message: str) -> None:
    """acme/slow has one error saying `message`, no page, and nothing links it."""
    errors = [d for d in result.report.items if d.level == "error"]
    assert len(errors) == 1, formatted(result)
    assert errors[0].path.endswith(os.path.join("acme", "slow", "README.md")), errors[0].path
    assert message in errors[0].message, errors[0].message
    assert [m.id for m in result.site.models] == ["acme/fast", "acme/other", "lab/child"]
    assert not (out / "models/acme/slow").exists()
    for name in ("acme/fast", "acme/other", "lab/child"):
        assert (out / "models" / name / "index.html").is_file()
    for path in out.rglob("*.html"):
        assert "models/acme/slow/" not in path.read_text(), path
    assert "acme/slow" not in (out / "search-index.js").read_text()
    assert not (out / "tags/only-slow").exists()
    child = (out / "models/lab/child/index.html").read_text()
    assert "acme/slow" in child  # named, not linked


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_model_that_takes_too_long_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                jobs: int) -> None:
    """Protects the build from one pathological card: past model_seconds the model is skipped
    with one error at its README.md that says so, and the rest of the site is built in time."""
    monkeypatch.setattr(make_module, "load_one", slow_load_one)
    src = make_source(tmp_path / "src")
    out = tmp_path / "out"
    start = time.monotonic()
    result = build(Config(source=src, output=out, jobs=jobs, model_seconds=1))
    assert time.monotonic() - start < 8
    check_skipped(out, result, "took longer than 1 s")


def test_a_model_whose_worker_is_killed_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Protects the build from a worker killed mid-model (the OOM killer): that model is skipped
    with an error saying its worker died, the others are built."""
    monkeypatch.setattr(make_module, "load_one", killing_load_one)
    src = make_source(tmp_path / "src")
    out = tmp_path / "out"
    result = build(Config(source=src, output=out, jobs=2, model_seconds=20))
    check_skipped(out, result, "killed its worker process")


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_model_that_timed_out_is_tried_again_by_the_next_build(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 jobs: int) -> None:
    """Protects incremental builds from remembering a transient failure: a time-out (a loaded
    machine) or a dead worker says nothing about the card, so the next build tries again."""
    monkeypatch.setattr(make_module, "load_one", slow_load_one)
    src = make_source(tmp_path / "src")
    out = tmp_path / "out"
    config = Config(source=src, output=out, jobs=jobs, model_seconds=1)
    assert build(config).report.errors == 1
    monkeypatch.undo()  # the machine is quiet again
    result = build(Config(source=src, output=out, jobs=jobs, model_seconds=30))
    assert result.report.errors == 0, formatted(result)
    assert (out / "models/acme/slow/index.html").is_file()


REBUILD = """
import json, multiprocessing, sys
from pathlib import Path
from sitegen.build import build
from sitegen.config import Config
result = build(Config(source=Path(sys.argv[1]), output=Path(sys.argv[2]), jobs=2, model_seconds=30))
print(json.dumps([result.rebuilt, result.report.errors, "sitegen.resolve" in sys.modules,
                  len(multiprocessing.active_children())]))
"""


def test_a_rebuild_makes_its_model_in_a_worker_started_as_it_begins(tmp_path: Path) -> None:
    """Protects a one-card rebuild's time: its worker is started as the build begins and loads
    the code and templates that make a model while the build checks what changed, so the
    build's own process never loads them (they took a third of such a rebuild at 10,000
    models); and no worker outlives the build, whether it made a model or none."""
    src = make_source(tmp_path / "src")
    out = tmp_path / "out"
    assert build(Config(source=src, output=out, jobs=2, model_seconds=30)).report.errors == 0

    def rebuild() -> list[object]:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        proc = subprocess.run([sys.executable, "-c", REBUILD, str(src), str(out)], capture_output=True, text=True,
                              env=env, check=True)
        return json.loads(proc.stdout.splitlines()[-1])  # type: ignore[no-any-return]

    assert rebuild() == [0, 0, False, 0]  # nothing changed: the worker is stopped unused
    (src / "acme/fast/README.md").write_text(card("pipeline_tag: text-classification", "# Fast\n\nEdited now.\n"))
    assert rebuild() == [1, 0, False, 0]
    assert "Edited now." in (out / "models/acme/fast/index.html").read_text()


PROBED = """
import json, os, sys
from pathlib import Path
from sitegen import make
from sitegen.build import build
from sitegen.config import Config
real, log = make.load_one, Path(sys.argv[3])

def probed(repo_dir, config, files=None):  # notes whether its worker had the model code at its first model
    with log.open("a") as f:
        f.write(json.dumps([os.getpid(), "sitegen.resolve" in sys.modules]) + "\\n")
    return real(repo_dir, config, files)

make.load_one = probed
result = build(Config(source=Path(sys.argv[1]), output=Path(sys.argv[2]), jobs=2, model_seconds=30))
print(json.dumps([result.rebuilt, result.report.errors, os.getpid()]))
"""


def test_every_worker_of_a_rebuild_starts_with_the_model_code_loaded(tmp_path: Path) -> None:
    """Protects what model_memory and model_seconds mean: what one model may add and take.
    A rebuild that makes several models forks its other workers from a process that loaded
    the code and templates first, as the early worker loaded them before its limits: no
    worker's first model pays for them within its own limits."""
    src = make_source(tmp_path / "src")
    out, log = tmp_path / "out", tmp_path / "log"
    assert build(Config(source=src, output=out, jobs=2, model_seconds=30)).report.errors == 0
    for name in ("acme/fast", "acme/other", "lab/child"):
        readme = src / name / "README.md"
        readme.write_text(readme.read_text() + "\nEdited.\n")
    proc = subprocess.run([sys.executable, "-c", PROBED, str(src), str(out), str(log)], capture_output=True,
                          text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)), check=True)
    rebuilt, errors, parent = json.loads(proc.stdout.splitlines()[-1])
    assert (rebuilt, errors) == (3, 0), proc.stderr
    first: dict[int, bool] = {}
    for pid, loaded in map(json.loads, log.read_text().splitlines()):
        first.setdefault(pid, loaded)
    assert len(first) == 2 and parent not in first and all(first.values()), first


def test_a_broken_theme_stops_a_build_whose_workers_are_kept(tmp_path: Path) -> None:
    """Protects the preview server from publishing an empty site: a theme whose model page does
    not compile stops the build before any model is made, as on the command line, though the
    server's workers come from a fork server and its own process makes no model page."""
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates/model.html").write_text('{% extends "default/model.html" %}{% block main %}{{ oops( }}'
                                                '{% endblock %}')
    kept = pool.Kept("forkserver")
    try:
        with pytest.raises(ThemeError, match="model.html"):
            build(Config(source=make_source(tmp_path / "src"), output=tmp_path / "out", theme=theme, jobs=2,
                         model_seconds=30), kept=kept)
    finally:
        kept.close()
    assert not (tmp_path / "out").exists()


BROKEN = "---\nlicense: [unclosed\n---\n# A\n"


def check_unlinked(out: Path) -> None:
    """B names org/A, which is not in the site: no link (the link checker's view), the id shown."""
    assert not (out / "models/org/A").exists()
    page = (out / "models/org/B/index.html").read_text()
    assert "org/A" in page
    assert not re.search(r'href="[^"]*models/org/A/', page), "B links to the page of a model that failed"
    for path in out.rglob("*.html"):
        assert not re.search(r'href="[^"]*models/org/A/', path.read_text()), path


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failed_base_model_is_not_linked(tmp_path: Path, jobs: int) -> None:
    """Protects the links: pages are rendered assuming the models they name will be built; a
    base model that fails must leave its children's pages without a link to it."""
    src = tmp_path / "src"
    make_repo(src, "org/A", BROKEN)
    make_repo(src, "org/B", card("base_model: org/A\nlicense: mit"))
    make_repo(src, "org/C", card("base_model: [org/A, org/B]"))
    out = tmp_path / "out"
    result = build(Config(source=src, output=out, jobs=jobs))
    assert result.report.errors == 1 and [m.id for m in result.site.models] == ["org/B", "org/C"]
    check_unlinked(out)
    c = (out / "models/org/C/index.html").read_text()
    assert re.search(r'href="[^"]*models/org/B/index\.html"', c), "C should still link its base org/B"


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_base_model_that_breaks_later_is_unlinked_by_the_rebuild(tmp_path: Path, jobs: int) -> None:
    """Protects the incremental path of the same rule: B is unchanged (kept from the cache) when
    A breaks, yet its page must lose the link; and get it back when A is fixed."""
    src = tmp_path / "src"
    make_repo(src, "org/A", card("license: mit"))
    make_repo(src, "org/B", card("base_model: org/A\nlicense: mit"))
    out = tmp_path / "out"
    config = Config(source=src, output=out, jobs=jobs)
    build(config)
    assert re.search(r'href="[^"]*models/org/A/index\.html"', (out / "models/org/B/index.html").read_text())
    (src / "org/A/README.md").write_text(BROKEN)
    result = build(config)
    assert result.report.errors == 1
    check_unlinked(out)
    (src / "org/A/README.md").write_text(card("license: mit"))
    assert build(config).report.errors == 0
    assert re.search(r'href="[^"]*models/org/A/index\.html"', (out / "models/org/B/index.html").read_text())


def hungry_load_one(repo_dir, config, files=None):  # type: ignore[no-untyped-def]
    """load_one, but the repo `acme/slow` asks for 900 MB."""
    if repo_dir.id.endswith("slow"):
        data = bytearray(900 * MB)
        del data
    return _real_load_one(repo_dir, config, files)


def check_out_of_memory(result: build_module.Result) -> None:
    [error] = [d for d in result.report.items if d.level == "error"]
    assert error.path.endswith(os.path.join("slow", "README.md")), error.path
    assert "ran out of memory" in error.message or "killed its worker process" in error.message, error.message


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS and /proc are Linux's")
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_model_past_the_memory_limit_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  jobs: int) -> None:
    """Protects the memory limit in every build, `-j 1` included (issue 20: with one job a
    model ran in the build's own process, unbounded): the model gets a located error, the
    rest of the site is built."""
    monkeypatch.setattr(make_module, "load_one", hungry_load_one)
    src = make_source(tmp_path / "src")
    out = tmp_path / "out"
    result = build(Config(source=src, output=out, jobs=jobs, model_seconds=20, model_memory=300 * MB))
    check_out_of_memory(result)
    check_skipped(out, result, "")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS and /proc are Linux's")
def test_a_single_repo_build_enforces_the_memory_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Protects `sitegen build my-model` (one repo, so one item: issue 20 found it built in
    the build's own process, with no memory limit)."""
    monkeypatch.setattr(make_module, "load_one", hungry_load_one)
    repo = make_repo(tmp_path / "src", "slow", card("license: mit"))
    out = tmp_path / "out"
    result = build(Config(source=repo, output=out, jobs=4, model_seconds=20, model_memory=300 * MB))
    check_out_of_memory(result)
    assert result.models == 0 and (out / "index.html").is_file()
