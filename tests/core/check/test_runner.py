"""The check runner against real loopback servers: bounded concurrency (per tenant and in
total), Retry-After honoured once on 429, cancel and the total deadline."""

from __future__ import annotations

import threading
import time

from core.check.plan import CheckItem
from core.check.runner import CheckSettings, run_checks
from core.redaction import Secret
from core.token.models import TokenRequestInput
from tests.core.check.checkkit import CountingServer

CLIENT = "e323a019-41e4-4a09-bd61-bcd73265c9a0"


def _items(server: CountingServer, tenants: list[str], timeout_s: float = 10) -> list[CheckItem]:
    return [
        CheckItem(f"{tenant} {n}", "", TokenRequestInput(
            cloud="sandbox", authority=server.base_url, tenant=tenant, client_id=CLIENT,
            client_secret=Secret("a-test-secret-value"), scope="api://x/.default",
            timeout_s=timeout_s,
        ))
        for n, tenant in enumerate(tenants)
    ]  # fmt: skip


def test_at_most_four_per_tenant_and_jobs_in_total() -> None:
    """12 requests to one tenant and 12 to another with 6 workers: never more than 4 at once
    to a tenant, never more than 6 requests (or connections) at once in total."""
    with CountingServer(hold_s=0.15) as server:
        items = _items(server, ["a.example"] * 12 + ["b.example"] * 12)
        outcomes = run_checks(items, CheckSettings(jobs=6))
    assert [o.state for o in outcomes] == ["ok"] * 24
    assert server.peak_tenant["a.example"] == 4 and server.peak_tenant["b.example"] <= 4
    assert 4 < server.peak_total <= 6
    assert server.peak_connections <= 6


def test_fewer_jobs_bound_the_total() -> None:
    """With --jobs 2, two requests at most are in progress, whatever the tenants."""
    with CountingServer(hold_s=0.05) as server:
        run_checks(_items(server, [f"t{n}.example" for n in range(8)]), CheckSettings(jobs=2))
    assert server.peak_total == 2 and server.peak_connections <= 2


def test_429_waits_retry_after_then_retries_once() -> None:
    """The first answer is 429 with Retry-After: 1; the retry comes at least 1 s later and
    issues the token; the outcome says it was retried."""
    with CountingServer(hold_s=0.0, retry_after="1") as server:
        (outcome,) = run_checks(_items(server, ["throttled.example"]))
    first, second = server.times["throttled.example"]
    assert second - first >= 1.0
    assert outcome.state == "ok" and outcome.attempts == 2 and outcome.retry_after_s == 1.0


def test_a_second_429_is_the_result() -> None:
    """Still throttled after the one retry: the 429 is reported, no third request."""
    with CountingServer(hold_s=0.0, retry_after="1", throttle=5) as server:
        (outcome,) = run_checks(_items(server, ["throttled.example"]))
    assert len(server.times["throttled.example"]) == 2
    assert outcome.state == "failed" and outcome.status == 429 and outcome.attempts == 2


def test_retry_after_beyond_the_deadline_is_not_waited_for() -> None:
    """A Retry-After longer than the time left: the 429 is the result at once."""
    with CountingServer(hold_s=0.0, retry_after="600") as server:
        started = time.monotonic()
        (outcome,) = run_checks(_items(server, ["throttled.example"]),
                                CheckSettings(deadline_s=30))  # fmt: skip
    assert time.monotonic() - started < 5
    assert outcome.status == 429 and outcome.attempts == 1


def test_cancel_stops_every_wait() -> None:
    """Cancelling while the server holds every request ends the run within a second; the
    unfinished ones, on their way or not sent yet, are reported as not checked (no result, so
    nothing of them goes to the history)."""
    cancel = threading.Event()
    with CountingServer(hold_s=60) as server:
        items = _items(server, ["a.example"] * 6)
        found: list = []
        runner = threading.Thread(
            target=lambda: found.extend(run_checks(items, CheckSettings(jobs=8), cancel=cancel))
        )
        runner.start()
        deadline = time.monotonic() + 10
        while server.now_total < 4 and time.monotonic() < deadline:
            time.sleep(0.01)  # polls the condition
        assert server.now_total == 4  # the politeness limit holds the other two back
        cancel.set()
        started = time.monotonic()
        runner.join(5)
    assert not runner.is_alive() and time.monotonic() - started < 1.5
    assert [o.state for o in found] == ["failed"] * 6
    assert {o.outcome for o in found} == {"not_checked"} and not any(o.result for o in found)
    assert sorted({o.title for o in found}) == ["cancelled before it was sent",
                                                "cancelled while it was on its way"]  # fmt: skip


def test_the_total_deadline_bounds_the_run() -> None:
    """A 1 s deadline with a server that holds requests for a minute: the run ends in about
    a second, each credential failed with a timeout or 'not sent'."""
    with CountingServer(hold_s=60) as server:
        started = time.monotonic()
        outcomes = run_checks(_items(server, ["a.example"] * 6, timeout_s=30),
                              CheckSettings(deadline_s=1.0))  # fmt: skip
    assert time.monotonic() - started < 3
    assert all(o.state == "failed" for o in outcomes)
    assert {o.outcome for o in outcomes} == {"no_answer", "not_checked"}
