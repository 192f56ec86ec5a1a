"""How a store wants to be called: its capabilities, its lock, its time limits.

A store owns its call policy, as datasette's ``Database`` owns its connections. The
async gateway (:mod:`citegraph.stores.gateway`) asks the store's policy to run each call;
the policy decides where the call runs (on the event loop or in the store's threads), what
it holds while running (a read lock) and how long it may take.

A timed-out call is *stopped*, not abandoned: its :class:`Deadline` is cancelled, the read
lock it held is released at once (the write it blocked goes ahead), and the worker raises
:class:`~citegraph.errors.QueryTimeoutError` at its next :func:`check_deadline`. Whatever a
stopped worker still computes is thrown away, and every cache a store keeps is keyed on
the store's version, so nothing it leaves behind is ever served.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from citegraph.errors import QueryTimeoutError

T = TypeVar("T")

#: Threads a store's policy runs calls in (a timed-out call frees its thread promptly).
WORKER_THREADS = 32
#: How much longer than the time limit the caller waits when the database enforces it
#: (the server's own time-out error then names what was stopped).
SERVER_GRACE_S = 1.0


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a store can do, declared by the store (never probed by callers).

    Attributes
    ----------
    inline_reads
        Quick reads answer in microseconds from memory: run them on the event loop.
    read_cypher
        :meth:`GraphStore.run_read_cypher` runs a user's read-only Cypher.
    live_projection
        :meth:`GraphStore.projection` is the store's own graph (no copy is built).
    server_timeouts
        The database itself stops a query at its time limit.
    stable_values
        Unchanged data comes back as the same objects (so encodings may be memoised).
    """

    inline_reads: bool = False
    read_cypher: bool = False
    live_projection: bool = False
    server_timeouts: bool = False
    stable_values: bool = False


class Deadline:
    """When a call must be done by; cancelled when its caller gave up.

    >>> d = Deadline(60.0)
    >>> d.remaining() > 59, d.expired
    (True, False)
    >>> d.cancel(); d.expired
    True
    """

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self._ends = None if seconds is None else time.monotonic() + seconds
        self._cancelled = False

    def cancel(self) -> None:
        self._cancelled = True

    @property
    def expired(self) -> bool:
        return self._cancelled or (self._ends is not None and time.monotonic() >= self._ends)

    def remaining(self) -> float | None:
        """Seconds left (None: no limit; 0 once expired or cancelled)."""
        if self._cancelled:
            return 0.0
        return None if self._ends is None else max(0.0, self._ends - time.monotonic())

    def check(self) -> None:
        if self.expired:
            raise QueryTimeoutError(f"the query ran longer than {self.seconds or 0:g} s and "
                                    "was stopped")


_current = threading.local()


def current_deadline() -> Deadline | None:
    """The deadline of the call running in this thread, if any."""
    deadline: Deadline | None = getattr(_current, "deadline", None)
    return deadline


def check_deadline() -> None:
    """Raise ``QueryTimeoutError`` when the call running in this thread ran out of time.

    Long loops call it between steps (a cheap attribute read), so a timed-out call stops.
    """
    deadline = current_deadline()
    if deadline is not None:
        deadline.check()


def remaining_time(default: float) -> float:
    """Seconds the running call has left, or ``default`` outside a limited call."""
    deadline = current_deadline()
    left = deadline.remaining() if deadline is not None else None
    return default if left is None else min(default, max(left, 0.001))


def _run_with_deadline(deadline: Deadline, fn: Callable[[], T]) -> T:
    previous = current_deadline()
    _current.deadline = deadline
    try:
        deadline.check()
        return fn()
    finally:
        _current.deadline = previous


class ReadTicket:
    """One reader's hold on a :class:`ReadWriteLock`; releasing it twice is harmless."""

    def __init__(self, lock: ReadWriteLock) -> None:
        self._lock = lock
        self._held = True

    def release(self) -> None:
        self._lock._release_ticket(self)


class ReadWriteLock:
    """Many readers or one writer; a waiting writer holds back new readers.

    Readers hold :class:`ReadTicket` values, so a reader's hold can be released by
    whoever gave up on it (the policy, at a time-out) exactly once.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._waiting = 0

    def try_read(self) -> ReadTicket | None:
        with self._cond:
            if self._writing or self._waiting:
                return None
            self._readers += 1
            return ReadTicket(self)

    def acquire_read(self, deadline: Deadline | None = None) -> ReadTicket:
        with self._cond:
            while self._writing or self._waiting:
                left = deadline.remaining() if deadline is not None else None
                if left == 0.0:
                    raise QueryTimeoutError("the query waited for a write longer than its "
                                            "time limit")
                self._cond.wait(left if left is None else min(left, 0.05))
            self._readers += 1
            return ReadTicket(self)

    def _release_ticket(self, ticket: ReadTicket) -> None:
        with self._cond:
            if not ticket._held:
                return
            ticket._held = False
            self._readers -= 1
            if not self._readers:
                self._cond.notify_all()

    def acquire_write(self) -> None:
        with self._cond:
            self._waiting += 1
            while self._writing or self._readers:
                self._cond.wait()
            self._waiting -= 1
            self._writing = True

    def release_write(self) -> None:
        with self._cond:
            self._writing = False
            self._cond.notify_all()

    @property
    def readers(self) -> int:
        return self._readers


class CallPolicy:
    """Runs a store's calls: in the store's threads, each under a time limit.

    Subclasses add what the store needs held while reading (see :class:`LockedPolicy`).
    """

    def __init__(self, capabilities: Capabilities) -> None:
        self.capabilities = capabilities
        self._pool: ThreadPoolExecutor | None = None
        self._pool_guard = threading.Lock()

    def _executor(self) -> ThreadPoolExecutor:
        with self._pool_guard:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(WORKER_THREADS,
                                                thread_name_prefix="citegraph-store")
            return self._pool

    def close(self) -> None:
        with self._pool_guard:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    async def read(self, fn: Callable[[], T], *, timeout_s: float | None,
                   quick: bool = False) -> T:
        """Run a read; ``quick`` ones may run inline when the store says reads are cheap."""
        return await self._in_thread(fn, timeout_s, hold=None)

    async def write(self, fn: Callable[[], T]) -> T:
        """Run a write in a thread (the store's write methods take their own locks)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor(), fn)

    async def _in_thread(self, fn: Callable[[], T], timeout_s: float | None,
                         hold: ReadWriteLock | None) -> T:
        deadline = Deadline(timeout_s)
        tickets: list[ReadTicket] = []

        def work() -> T:
            if hold is not None:
                tickets.append(hold.acquire_read(deadline))
            try:
                return _run_with_deadline(deadline, fn)
            finally:
                for ticket in tickets:
                    ticket.release()

        wait = timeout_s
        if wait is not None and self.capabilities.server_timeouts:
            wait += SERVER_GRACE_S
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._executor(), work)
        try:
            return await asyncio.wait_for(asyncio.shield(future), timeout=wait)
        except TimeoutError as exc:
            deadline.cancel()
            for ticket in tickets:
                ticket.release()  # what the stopped call held is free now
            future.add_done_callback(_swallow)
            raise QueryTimeoutError(f"the query ran longer than {timeout_s or 0:g} s and was "
                                    "stopped (it holds no lock)") from exc


def _swallow(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()  # retrieved: a stopped call's error is expected, not logged


class LockedPolicy(CallPolicy):
    """For a store that changes in place: reads share ``lock``, its writes take it alone.

    A quick read runs inline on the event loop when no write holds or awaits the lock;
    otherwise (and for every slow read) it runs in a thread, waiting for the write within
    its time limit.
    """

    def __init__(self, capabilities: Capabilities, lock: ReadWriteLock) -> None:
        super().__init__(capabilities)
        self.lock = lock

    async def read(self, fn: Callable[[], T], *, timeout_s: float | None,
                   quick: bool = False) -> T:
        if quick and self.capabilities.inline_reads:
            ticket = self.lock.try_read()
            if ticket is not None:
                try:
                    return fn()
                finally:
                    ticket.release()
        return await self._in_thread(fn, timeout_s, hold=self.lock)
