"""Reused helper threads for `core.token.transport`: each exchange runs on a helper so that the
caller can stop waiting at the total deadline or on cancel, whatever the socket is doing.

Starting a thread per exchange cost a thread start and a hand-over of the interpreter lock for
every request (a batch of 100 checks paid it 100 times). A helper that finished its work waits
here for the next one instead, for `IDLE_S` seconds at most, and at most `MAX_IDLE` helpers wait
at once: the rest end. A helper still busy (say, reading from a server after an aborted
exchange until its socket shutdown lands) is never waited for: a job that finds no idle helper
gets a new one. Helpers are daemon threads named "http-exchange" while working and
"http-exchange (idle)" while waiting.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

BUSY_NAME = "http-exchange"
IDLE_NAME = "http-exchange (idle)"
IDLE_S = 30.0  # a helper with nothing to do for this long ends
MAX_IDLE = 16  # helpers kept waiting at most; more concurrent exchanges start more threads

_Job = tuple[Callable[[], None], Callable[[], None]]


class HelperPool:
    """Helper threads that wait up to `idle_s` for the next job, at most `max_idle` at once.

    The process uses one (`run_soon`); tests make their own, with short limits.
    """

    def __init__(self, idle_s: float = IDLE_S, max_idle: int = MAX_IDLE) -> None:
        self.idle_s, self.max_idle = idle_s, max_idle
        self._lock = threading.Lock()
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        # Helpers waiting for a job, minus the jobs already queued for them (under `_lock`).
        self._idle = 0

    @property
    def idle(self) -> int:
        """Helpers waiting for a job with none queued for them yet."""
        with self._lock:
            return self._idle

    def run_soon(self, work: Callable[[], None], done: Callable[[], None]) -> None:
        """See the module's `run_soon`."""
        with self._lock:
            if self._idle > 0:
                self._idle -= 1
                self._jobs.put((work, done))
                return
        thread = threading.Thread(target=self._helper, args=((work, done),), name=BUSY_NAME,
                                  daemon=True)  # fmt: skip
        thread.start()

    def _helper(self, job: _Job) -> None:
        """A helper's life: the job it was started for, then each job queued for it while
        idle, until `_finish` says enough helpers are idle or `_next_job` finds none."""
        next_job: _Job | None = job
        while next_job is not None and self._finish(next_job):
            next_job = self._next_job()

    def _finish(self, job: _Job) -> bool:
        """Run one job, then count this helper idle; False when `max_idle` helpers are idle
        already (this one ends). `done` is called in any case, once the count is right."""
        work, done = job
        me = threading.current_thread()
        me.name = BUSY_NAME
        try:
            work()
        except BaseException:  # never lose the helper to a job's bug; say so
            log.exception("an HTTP exchange failed on its helper thread")
        finally:
            me.name = IDLE_NAME
            with self._lock:
                staying = self._idle < self.max_idle
                if staying:
                    self._idle += 1
            done()
        return staying

    def _next_job(self) -> _Job | None:
        """The next job queued for this idle helper, or None (and no longer counted idle) when
        none came for `idle_s` seconds."""
        while True:
            try:
                return self._jobs.get(timeout=self.idle_s)
            except queue.Empty:
                with self._lock:
                    if self._jobs.empty():  # nothing queued for the helpers counted idle: end
                        self._idle -= 1
                        return None
                # a job came in as the wait ended: this helper is still counted idle: take it


_pool = HelperPool()


def run_soon(work: Callable[[], None], done: Callable[[], None]) -> None:
    """Run `work` on an idle helper, or on a new one when none is idle, then `done` (always,
    once the helper is ready for the next job: a caller that waits for `done` and sends again
    finds it idle). `work` must end on its own in bounded time; an exception is logged."""
    _pool.run_soon(work, done)


def _forget_helpers() -> None:
    """In a forked child no helper runs: start afresh (queued jobs belong to the parent)."""
    global _pool
    _pool = HelperPool()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_helpers)
