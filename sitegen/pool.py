"""Run one function over many items in worker processes, each item bounded in time and memory."""
# Not concurrent.futures: there a worker that dies (the kernel's OOM killer, a crash in a C
# library) breaks the whole pool, and a worker stuck in C code cannot be stopped. Here such an
# item gets a `Failed` result, the worker is replaced, and the other items go on.
#
# Workers are forked where the platform allows (they start in milliseconds with everything the
# parent has loaded, compiled templates included), else spawned. A process that runs other threads
# (the preview server) keeps its workers between runs and has a fork server start them: a fork
# copies the locks those threads may hold (stderr's, for one) into a child that can never take them.
from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

from .worker import Failed, Raised, bounded, parent_ends, serve

# A worker is killed this long after its item's time limit: the limit is first enforced inside
# the worker (an exception at the next Python line), which is cleaner.
GRACE = 10.0


class WorkerError(RuntimeError):
    pass


def default_jobs() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class _Worker:
    def __init__(self, ctx: Any, fn: Callable[[Any], Any], seconds: float, memory: int,
                 ready: Callable[[], None] | None = None):
        self.conn, theirs = ctx.Pipe()
        # A worker from the fork server is that server's child, not ours (it dies with it).
        parent = 0 if ctx.get_start_method() == "forkserver" else os.getpid()
        self.process = ctx.Process(target=serve, args=(theirs, fn, seconds, memory, parent, ready), daemon=True)
        self.process.start()
        theirs.close()
        parent_ends.append(self.conn)
        self.fn, self.limits = fn, (seconds, memory)
        self.index = -1  # the item it is working on
        self.deadline = 0.0

    def send(self, fn: Callable[[Any], Any], item: Any) -> None:
        self.conn.send((None if fn is self.fn else fn, item))
        self.fn = fn

    def stop(self) -> None:
        if self.conn in parent_ends:
            parent_ends.remove(self.conn)
        self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join()


class Kept:
    """Idle workers kept between runs, for a process that runs many small ones (the preview
    server): a kept worker has its modules loaded and its regexes and templates compiled, so
    a one-item run costs about what it would in this process, not a new worker's warm-up.
    `start` is how new workers start; `preload` names modules a fork server loads once."""

    def __init__(self, start: str = "forkserver", preload: tuple[str, ...] = ()):
        self.start_method = start
        self.idle: list[_Worker] = []
        self.closed = False
        if preload and start == "forkserver":
            import multiprocessing
            multiprocessing.set_forkserver_preload(list(preload))

    def start(self, seconds: float, memory: int, ready: Callable[[], None]) -> None:
        """Start a worker now that runs `ready` (loads what the items will need) while this
        process goes on: a rebuild starts one as it begins, and has it warm by the time it
        knows what to make. Its first item comes with the function to run."""
        self.idle.append(_Worker(_context(self.start_method), _nothing, seconds, memory, ready))

    def forks(self, count: int) -> bool:
        """Whether a run of `count` workers forks some from this process: more than are idle."""
        return self.start_method == "fork" and count > len(self.idle)

    def take(self, ctx: Any, fn: Callable[[Any], Any], seconds: float, memory: int) -> _Worker:
        """An idle worker with these limits, else a new one."""
        while self.idle:
            w = self.idle.pop()
            if w.limits == (seconds, memory) and w.process.is_alive():
                return w
            w.stop()
        return _Worker(ctx, fn, seconds, memory)

    def give_back(self, workers: list[_Worker]) -> None:
        """Keep the workers that finished their items; stop the others (an interrupted run)."""
        for w in workers:
            if w.index < 0 and not self.closed and not w.conn.closed and w.process.is_alive():
                self.idle.append(w)
            else:
                w.stop()

    def close(self) -> None:
        self.closed = True
        idle, self.idle = self.idle, []
        for w in idle:
            w.stop()


def _nothing(item: Any) -> None:
    """The function of a worker started before its first item's (Kept.start)."""


def _context(start: str) -> Any:
    import multiprocessing  # here: a build with nothing to do in parallel never loads it
    methods = multiprocessing.get_all_start_methods()
    if start == "fork" and ("fork" not in methods or sys.platform == "darwin"):
        start = "spawn"  # macOS: fork is unsafe once system frameworks are loaded
    return multiprocessing.get_context(start if start in methods else "spawn")


def _result(w: _Worker, ready: list[Any], seconds: float) -> tuple[Any, bool]:
    """What became of a busy worker's item (None: it is still at it), and whether the worker
    is lost: dead, or stuck past the limit where no signal reaches."""
    if w.conn in ready:
        try:
            return w.conn.recv(), False
        except (EOFError, OSError):  # it died: its sentinel says so in a moment
            w.process.join(1.0)
    if not w.process.is_alive():
        code = w.process.exitcode
        why = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        return Failed(f"killed its worker process ({why}; out of memory?)"), True
    if seconds and time.monotonic() > w.deadline:
        return Failed(f"took longer than {seconds:g} s"), True
    return None, False


def run(fn: Callable[[Any], Any], items: list[Any], jobs: int, seconds: float = 0, memory: int = 0,
        kept: Kept | None = None) -> Iterator[tuple[int, Any]]:
    """Yield (index, fn(item) or Failed) for every item, in the order they finish.

    `memory`: bytes of address space a worker may take beyond what it starts with (0: no
    limit). Items run in up to `jobs` workers, and in one whenever there is a limit to
    enforce: only a worker can be killed, and only its main thread takes the time limit's
    signal. With no limit and one job, everything runs here. Workers are forked, or come
    from and go back to `kept`; unless forked, `fn` and the items must pickle.
    """
    if not items:
        return
    if jobs <= 1 and not seconds and not memory:
        for index, item in enumerate(items):
            yield index, bounded(fn, item, 0)
        return
    import multiprocessing.connection
    ctx = _context(kept.start_method if kept else "fork")
    count = max(1, min(jobs, len(items)))
    workers = [kept.take(ctx, fn, seconds, memory) if kept else _Worker(ctx, fn, seconds, memory)
               for _ in range(count)]
    next_item = 0
    try:
        while True:
            for w in workers:
                if w.index < 0 and next_item < len(items):
                    w.index = next_item
                    w.send(fn, items[next_item])  # may wait while a worker gets ready (Kept.start)
                    w.deadline = time.monotonic() + seconds + GRACE
                    next_item += 1
            busy = [w for w in workers if w.index >= 0]
            if not busy:
                return
            ready = multiprocessing.connection.wait(
                [w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=1.0)
            for i, w in enumerate(workers):
                if w.index < 0:
                    continue
                index, (result, lost) = w.index, _result(w, ready, seconds)
                if result is None:
                    continue
                if lost:
                    w.stop()
                    if next_item < len(items):
                        workers[i] = _Worker(ctx, fn, seconds, memory)
                w.index = -1
                if isinstance(result, Raised):
                    raise WorkerError(f"a worker process failed (a bug; please report it):\n{result.traceback}")
                yield index, result
    finally:
        if kept:
            kept.give_back(workers)
        else:
            for w in workers:
                w.stop()
