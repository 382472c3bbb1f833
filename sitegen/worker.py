"""The worker-process side of the pool: one process taking items, each bounded in time and memory."""
from __future__ import annotations

import gc
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import multiprocessing.connection


class TimeLimit(BaseException):
    """Raised inside an item that ran out of time. A BaseException, so that no `except
    Exception` in the code it interrupts can swallow it."""


@dataclass(frozen=True)
class Failed:
    """An item whose work did not finish: out of time, out of memory, or its worker died.
    `reason` completes "building this model ..."."""

    reason: str


@dataclass(frozen=True)
class Raised:
    """An exception in a worker (a bug, not the item's fault): raised again in the parent."""

    traceback: str


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
parent_ends: list[multiprocessing.connection.Connection] = []


def _die_with_parent() -> None:
    """Linux: have the kernel end this worker when its parent dies, even by SIGKILL."""
    if sys.platform.startswith("linux"):
        import ctypes  # here: the parent of a build with nothing to make never loads it
        try:
            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def serve(conn: multiprocessing.connection.Connection, fn: Callable[[Any], Any],
            seconds: float, memory: int, parent: int, ready: Callable[[], None] | None = None) -> None:
    gc.freeze()  # its collector never walks what it has of its parent, so never copies those pages
    for end in parent_ends:
        end.close()
    _die_with_parent()
    if parent and os.getppid() != parent:  # it died while this one started
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what an interrupt ends
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if ready:  # loads what the items need, outside their limits, as a parent would before a fork
        try:
            ready()
        except Exception:
            pass  # an item loads what it lacks itself, and meets the same error there
        gc.freeze()
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
            conn.send(Raised(traceback.format_exc()))
            continue
        fn = given or fn
        try:
            result = bounded(fn, item, seconds)
        except SystemError:
            # CPython reports some failed allocations this way (3.11 pushing a frame, seen
            # compiling a large regex near the limit): here that is the limit, not a bug.
            result = Failed("ran out of memory") if memory else Raised(traceback.format_exc())
        except Exception:
            result = Raised(traceback.format_exc())
        conn.send(result)


def _address_space() -> int:
    """This process's address space in bytes (Linux; 0 where /proc cannot say)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0
