"""The helper threads that run exchanges are reused, not started once per request."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from core.token import helper_threads
from core.token.helper_threads import HelperPool
from core.token.result import FailureKind
from core.token.transport import exchange
from tests.hostile import HostileServer


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    with HostileServer() as hostile:
        yield hostile


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the helper threads started while the test runs."""
    names: list[str] = []
    real_start = threading.Thread.start

    def start(thread: threading.Thread) -> None:
        if thread.name.startswith(helper_threads.BUSY_NAME):
            names.append(thread.name)
        real_start(thread)

    monkeypatch.setattr(threading.Thread, "start", start)
    return names


def _helpers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith(helper_threads.BUSY_NAME)]


def test_200_exchanges_reuse_a_few_helpers(server: HostileServer, started: list[str]) -> None:
    """200 exchanges, one after another and then four at a time, start a handful of helper
    threads between them (one per concurrent exchange at most), and no more stay alive than
    the idle limit allows."""
    url = server.base_url + "/echo"
    for _ in range(100):
        assert exchange("POST", url, body=b"a=1", timeout_s=10).status == 400
    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(lambda _: exchange("POST", url, timeout_s=10).status, range(100)))
    assert statuses == [400] * 100
    assert len(started) <= 5, f"{len(started)} helper threads started for 200 exchanges"
    assert len(_helpers()) <= helper_threads.MAX_IDLE + 4


def test_a_helper_cut_short_is_reused_and_never_waited_for(
    server: HostileServer, started: list[str]
) -> None:
    """A dripping answer cut at its deadline frees its helper for the next exchange; an
    exchange started while the helper is still stuck gets a new one instead of waiting."""
    result = exchange("GET", server.base_url + "/drip", timeout_s=0.4)
    assert result.failure is not None and result.failure.kind is FailureKind.TIMEOUT
    begun = time.monotonic()
    assert exchange("POST", server.base_url + "/echo", timeout_s=10).status == 400
    assert time.monotonic() - begun < 2
    deadline = time.monotonic() + 3
    while any(t.name == helper_threads.BUSY_NAME for t in _helpers()):
        assert time.monotonic() < deadline, "a helper is still busy after its exchange ended"
        time.sleep(0.05)
    before = len(started)
    assert exchange("POST", server.base_url + "/echo", timeout_s=10).status == 400
    assert len(started) == before  # an idle helper took it


def test_a_failing_job_does_not_lose_its_helper(caplog: pytest.LogCaptureFixture) -> None:
    """A job that raises is logged and still reports done; its helper stays for the next."""
    pool = HelperPool(idle_s=5, max_idle=1)
    first, second, ran_on = threading.Event(), threading.Event(), []
    with caplog.at_level(logging.ERROR, logger=helper_threads.__name__):
        pool.run_soon(lambda: ran_on.append(threading.current_thread()) or 1 / 0, first.set)
        assert first.wait(5)
    assert "an HTTP exchange failed on its helper thread" in caplog.text
    assert "ZeroDivisionError" in caplog.text
    pool.run_soon(lambda: ran_on.append(threading.current_thread()), second.set)
    assert second.wait(5)
    assert ran_on[0] is ran_on[1]


def _wait_until(predicate: Callable[[], bool], timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        assert time.monotonic() < deadline, "the helpers did not settle in time"
        time.sleep(0.01)


def test_helpers_are_named_while_busy_and_at_most_max_idle_stay() -> None:
    """Four jobs at once take four helpers, named busy while they work; once done, two stay
    waiting (the limit), named idle and counted, and the other two end."""
    pool = HelperPool(idle_s=30, max_idle=2)
    gate, names, threads = threading.Event(), [], []
    dones = [threading.Event() for _ in range(4)]

    def work() -> None:
        names.append(threading.current_thread().name)
        threads.append(threading.current_thread())
        gate.wait(5)

    for done in dones:
        pool.run_soon(work, done.set)
    _wait_until(lambda: len(names) == 4)
    assert names == [helper_threads.BUSY_NAME] * 4
    gate.set()
    assert all(done.wait(5) for done in dones)
    _wait_until(lambda: sum(t.is_alive() for t in threads) == 2)
    assert pool.idle == 2
    assert [t.name for t in threads if t.is_alive()] == [helper_threads.IDLE_NAME] * 2
    more = [threading.Event() for _ in range(2)]
    for done in more:  # the two idle helpers take the next two jobs: no new thread
        pool.run_soon(lambda: threads.append(threading.current_thread()), done.set)
    assert all(done.wait(5) for done in more)
    assert len(set(threads)) == 4


def test_an_idle_helper_ends_after_idle_s_and_the_next_job_starts_a_new_one() -> None:
    pool = HelperPool(idle_s=0.2, max_idle=4)
    ran_on: list[threading.Thread] = []
    first, second = threading.Event(), threading.Event()
    pool.run_soon(lambda: ran_on.append(threading.current_thread()), first.set)
    assert first.wait(5) and pool.idle == 1
    ran_on[0].join(5)  # nothing came for 0.2 s: it ends, and is no longer counted
    assert not ran_on[0].is_alive() and pool.idle == 0
    pool.run_soon(lambda: ran_on.append(threading.current_thread()), second.set)
    assert second.wait(5), "a job was queued for a helper that had ended"
    assert ran_on[1] is not ran_on[0]


class _LateQueue:
    """A job queue whose first wait times out just as a job is queued (the race `_next_job`
    must survive: the helper is still counted idle, so the job is its own)."""

    def __init__(self, on_first_wait: Callable[[], None]) -> None:
        self._queue: queue.Queue[Any] = queue.Queue()
        self._on_first_wait: Callable[[], None] | None = on_first_wait

    def put(self, item: Any) -> None:
        self._queue.put(item)

    def empty(self) -> bool:
        return self._queue.empty()

    def get(self, timeout: float | None = None) -> Any:
        if self._on_first_wait is not None:
            self._on_first_wait, late = None, self._on_first_wait
            late()
            raise queue.Empty
        return self._queue.get(timeout=timeout)


def test_a_job_queued_as_the_idle_wait_ends_is_still_run() -> None:
    pool = HelperPool(idle_s=5, max_idle=4)
    late_done, first = threading.Event(), threading.Event()
    pool._jobs = _LateQueue(lambda: pool.run_soon(lambda: None, late_done.set))  # type: ignore[assignment]
    pool.run_soon(lambda: None, first.set)
    assert first.wait(5)
    assert late_done.wait(5), "the job queued as the wait ended was never run"
    assert pool.idle == 1
