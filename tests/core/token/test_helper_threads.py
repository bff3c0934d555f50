"""The helper threads that run exchanges are reused, not started once per request."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from core.token import helper_threads
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


def test_a_failing_job_does_not_lose_its_helper() -> None:
    """A job that raises is logged and still reports done; its helper stays for the next."""
    first, second = threading.Event(), threading.Event()
    helper_threads.run_soon(lambda: 1 / 0, first.set)  # type: ignore[func-returns-value]
    assert first.wait(5)
    helper_threads.run_soon(lambda: None, second.set)
    assert second.wait(5)
