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

_lock = threading.Lock()
_Job = tuple[Callable[[], None], Callable[[], None]]
_jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
# Helpers waiting for a job, minus the jobs already queued for them. Changed under `_lock`.
_idle = 0


def run_soon(work: Callable[[], None], done: Callable[[], None]) -> None:
    """Run `work` on an idle helper, or on a new one when none is idle, then `done` (always,
    once the helper is ready for the next job: a caller that waits for `done` and sends again
    finds it idle). `work` must end on its own in bounded time; an exception is logged."""
    global _idle
    with _lock:
        if _idle > 0:
            _idle -= 1
            _jobs.put((work, done))
            return
    thread = threading.Thread(target=_helper, args=((work, done),), name=BUSY_NAME, daemon=True)
    thread.start()


def _helper(job: _Job | None) -> None:
    global _idle
    me = threading.current_thread()
    while True:
        if job is not None:
            work, done = job
            job, ending = None, False
            me.name = BUSY_NAME
            try:
                work()
            except BaseException:  # never lose the helper to a job's bug; say so
                log.exception("an HTTP exchange failed on its helper thread")
            finally:
                me.name = IDLE_NAME
                with _lock:
                    ending = _idle >= MAX_IDLE
                    if not ending:
                        _idle += 1
                done()
            if ending:
                return
        try:
            job = _jobs.get(timeout=IDLE_S)
        except queue.Empty:
            with _lock:
                if _jobs.empty():  # nothing was queued for the helpers counted idle: end
                    _idle -= 1
                    return
            # a job came in as the wait ended: this helper is still counted idle, so take it
            continue


def _forget_helpers() -> None:
    """In a forked child no helper runs: start afresh (queued jobs belong to the parent)."""
    global _idle, _lock, _jobs
    _idle, _lock, _jobs = 0, threading.Lock(), queue.SimpleQueue()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_helpers)
