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

import ctypes
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import multiprocessing.connection

# A worker is killed this long after its item's time limit: the limit is first enforced inside
# the worker (an exception at the next Python line), which is cleaner.
GRACE = 10.0


class TimeLimit(BaseException):
    """Raised inside an item that ran out of time. A BaseException, so that no `except
    Exception` in the code it interrupts can swallow it."""


@dataclass(frozen=True)
class Failed:
    """An item whose work did not finish: out of time, out of memory, or its worker died.
    `reason` completes "building this model ..."."""

    reason: str


@dataclass(frozen=True)
class _Raised:
    """An exception in a worker (a bug, not the item's fault): raised again in the parent."""

    traceback: str


class WorkerError(RuntimeError):
    pass


def default_jobs() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeLimit in this thread after `seconds` of wall time. Only the main thread can
    take signals, so elsewhere this does nothing: `run` only bounds items in workers."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimeLimit()

    before = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)


def bounded(fn: Callable[[Any], Any], item: Any, seconds: float) -> Any:
    """fn(item), or Failed when it runs out of time or memory."""
    try:
        with time_limit(seconds):
            return fn(item)
    except TimeLimit:
        return Failed(f"took longer than {seconds:g} s")
    except MemoryError:
        return Failed("ran out of memory")
    except RecursionError:
        return Failed("nested too deeply")


# The parent's ends of the workers' pipes. A forked worker closes its copies: a worker that
# held another's pipe open would keep that one waiting forever once the parent is gone.
_parent_ends: list[multiprocessing.connection.Connection] = []


def _die_with_parent() -> None:
    """Linux: have the kernel end this worker when its parent dies, even by SIGKILL."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def _worker(conn: multiprocessing.connection.Connection, fn: Callable[[Any], Any],
            seconds: float, memory: int, parent: int) -> None:
    for end in _parent_ends:
        end.close()
    _die_with_parent()
    if parent and os.getppid() != parent:  # it died while this one started
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what an interrupt ends
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if memory:
        try:
            import resource
            limit = _address_space() + memory  # on top of what it shares with its parent
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ImportError, ValueError, OSError):
            pass  # no address-space limit on this platform: time is still bounded
    while True:
        try:
            given, item = conn.recv()  # a kept worker is given each run's function with its first item
        except (EOFError, OSError):
            return
        except Exception:  # a function or item that does not unpickle here: a bug
            conn.send(_Raised(traceback.format_exc()))
            continue
        fn = given or fn
        try:
            result = bounded(fn, item, seconds)
        except SystemError:
            # CPython reports some failed allocations this way (3.11 pushing a frame, seen
            # compiling a large regex near the limit): here that is the limit, not a bug.
            result = Failed("ran out of memory") if memory else _Raised(traceback.format_exc())
        except Exception:
            result = _Raised(traceback.format_exc())
        conn.send(result)


def _address_space() -> int:
    """This process's address space in bytes (Linux; 0 where /proc cannot say)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class _Worker:
    def __init__(self, ctx: Any, fn: Callable[[Any], Any], seconds: float, memory: int):
        self.conn, theirs = ctx.Pipe()
        # A worker from the fork server is that server's child, not ours (it dies with it).
        parent = 0 if ctx.get_start_method() == "forkserver" else os.getpid()
        self.process = ctx.Process(target=_worker, args=(theirs, fn, seconds, memory, parent), daemon=True)
        self.process.start()
        theirs.close()
        _parent_ends.append(self.conn)
        self.fn, self.limits = fn, (seconds, memory)
        self.index = -1  # the item it is working on
        self.deadline = 0.0

    def send(self, fn: Callable[[Any], Any], item: Any) -> None:
        self.conn.send((None if fn is self.fn else fn, item))
        self.fn = fn

    def stop(self) -> None:
        if self.conn in _parent_ends:
            _parent_ends.remove(self.conn)
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
        self.start = start
        self.idle: list[_Worker] = []
        self.closed = False
        if preload and start == "forkserver":
            import multiprocessing
            multiprocessing.set_forkserver_preload(list(preload))

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
    ctx = _context(kept.start if kept else "fork")
    count = max(1, min(jobs, len(items)))
    workers = [kept.take(ctx, fn, seconds, memory) if kept else _Worker(ctx, fn, seconds, memory)
               for _ in range(count)]
    next_item = 0
    try:
        while True:
            for w in workers:
                if w.index < 0 and next_item < len(items):
                    w.index, w.deadline = next_item, time.monotonic() + seconds + GRACE
                    w.send(fn, items[next_item])
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
                if isinstance(result, _Raised):
                    raise WorkerError(f"a worker process failed (a bug; please report it):\n{result.traceback}")
                yield index, result
    finally:
        if kept:
            kept.give_back(workers)
        else:
            for w in workers:
                w.stop()
